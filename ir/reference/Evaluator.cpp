//===- Evaluator.cpp - Runs functions op by op on host tensors ------------===//

#include "ir/reference/Evaluator.h"

#include "ir/StrataDialect.h"
#include "ir/reference/Constants.h"
#include "runtime/support/ParameterInit.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir;

namespace strata::reference {

const KernelRegistry &KernelRegistry::get() {
  static const KernelRegistry registry = [] {
    KernelRegistry r;
    registerStructureKernels(r);
    registerElementwiseKernels(r);
    registerActivationKernels(r);
    registerConvolutionKernels(r);
    registerLinearAlgebraKernels(r);
    registerNormalizationKernels(r);
    registerReductionKernels(r);
    registerShapeKernels(r);
    registerIndexingKernels(r);
    registerRecurrentKernels(r);
    registerRandomKernels(r);
    registerLossKernels(r);
    return r;
  }();
  return registry;
}

const Kernel *KernelRegistry::lookup(llvm::StringRef opName) const {
  auto it = kernels_.find(opName);
  return it == kernels_.end() ? nullptr : &it->second;
}

std::vector<std::string> KernelRegistry::opNames() const {
  std::vector<std::string> names;
  for (const auto &entry : kernels_)
    names.push_back(entry.getKey().str());
  std::sort(names.begin(), names.end());
  return names;
}

llvm::Error evaluationError(Operation *op, const llvm::Twine &message) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << op->getLoc() << ": '" << op->getName() << "' " << message;
  return llvm::make_error<llvm::StringError>(os.str(),
                                             llvm::inconvertibleErrorCode());
}

DType dtypeOfValue(Value value) {
  auto type = cast<ShapedType>(value.getType());
  auto dtype = dtypeOf(type.getElementType());
  assert(dtype && "element type without an evaluator dtype");
  return *dtype;
}

std::vector<int64_t> staticShapeOf(Value value) {
  auto shape = cast<ShapedType>(value.getType()).getShape();
  return {shape.begin(), shape.end()};
}

/// A runtime value matches a declared type when dtypes are equal and every
/// static size is equal.
static bool matchesType(const Tensor &t, Type type) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  if (!ranked)
    return false;
  auto dtype = dtypeOf(ranked.getElementType());
  if (!dtype || *dtype != t.dtype() || ranked.getRank() != t.rank())
    return false;
  for (int64_t i = 0; i < t.rank(); ++i)
    if (!ShapedType::isDynamic(ranked.getDimSize(i)) &&
        ranked.getDimSize(i) != t.dim(i))
      return false;
  return true;
}

static std::string describe(const Tensor &t) {
  std::string s = "tensor<";
  for (int64_t d : t.shape())
    s += std::to_string(d) + "x";
  return s + dtypeName(t.dtype()) + ">";
}

llvm::Expected<std::vector<Tensor>>
evaluateOperation(Operation *op, llvm::ArrayRef<Tensor> operands,
                  Environment &env) {
  const Kernel *kernel =
      KernelRegistry::get().lookup(op->getName().getStringRef());
  if (!kernel)
    return evaluationError(op, "has no reference semantics");
  for (auto [i, value] : llvm::enumerate(op->getOperands()))
    if (!matchesType(operands[i], value.getType())) {
      std::string declared;
      llvm::raw_string_ostream os(declared);
      os << value.getType();
      return evaluationError(op, "operand #" + llvm::Twine(i) + " is " +
                                     describe(operands[i]) +
                                     ", the IR declares " + declared);
    }
  std::vector<Tensor> results;
  if (llvm::Error err = (*kernel)(op, operands, results, env))
    return err;
  if (results.size() != op->getNumResults())
    return evaluationError(
        op, "kernel produced " + llvm::Twine(results.size()) +
                " results, the op has " + llvm::Twine(op->getNumResults()));
  for (auto [i, value] : llvm::enumerate(op->getResults()))
    if (!matchesType(results[i], value.getType())) {
      std::string declared;
      llvm::raw_string_ostream os(declared);
      os << value.getType();
      return evaluationError(op, "result #" + llvm::Twine(i) + " is " +
                                     describe(results[i]) +
                                     ", the IR declares " + declared);
    }
  return results;
}

llvm::Expected<std::vector<Tensor>>
evaluateFunction(func::FuncOp fn, llvm::ArrayRef<Tensor> arguments,
                 Environment &env) {
  if (fn.isExternal())
    return evaluationError(fn, "is external and cannot be evaluated");
  if (arguments.size() != fn.getNumArguments())
    return evaluationError(fn, "@" + fn.getSymName() + " takes " +
                                   llvm::Twine(fn.getNumArguments()) +
                                   " arguments, given " +
                                   llvm::Twine(arguments.size()));
  Block &body = fn.getBody().front();
  llvm::DenseMap<Value, Tensor> values;
  for (auto [i, arg] : llvm::enumerate(body.getArguments())) {
    if (!matchesType(arguments[i], arg.getType())) {
      std::string declared;
      llvm::raw_string_ostream os(declared);
      os << arg.getType();
      return evaluationError(fn, "argument #" + llvm::Twine(i) + " is " +
                                     describe(arguments[i]) + ", @" +
                                     fn.getSymName() + " declares " + declared);
    }
    values[arg] = arguments[i];
  }
  // The last read of each value moves its tensor into the operand list
  // instead of copying it (no op has regions, so every read is an operand of
  // an op of this block).
  llvm::DenseMap<Value, OpOperand *> lastUse;
  for (Operation &op : body)
    for (OpOperand &use : op.getOpOperands())
      lastUse[use.get()] = &use;
  for (Operation &op : body) {
    std::vector<Tensor> operands;
    operands.reserve(op.getNumOperands());
    for (OpOperand &use : op.getOpOperands()) {
      auto it = values.find(use.get());
      if (it == values.end())
        operands.emplace_back();
      else if (lastUse.lookup(use.get()) == &use)
        operands.push_back(std::move(it->second));
      else
        operands.push_back(it->second);
    }
    if (isa<func::ReturnOp>(op))
      return operands;
    std::vector<Tensor> results;
    if (auto call = dyn_cast<func::CallOp>(op)) {
      auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
          call, call.getCalleeAttr());
      if (!callee)
        return evaluationError(&op, "calls an unknown function");
      auto out = evaluateFunction(callee, operands, env);
      if (!out)
        return out.takeError();
      results = std::move(*out);
    } else {
      auto out = evaluateOperation(&op, operands, env);
      if (!out)
        return out.takeError();
      results = std::move(*out);
    }
    for (auto [value, tensor] : llvm::zip(op.getResults(), results))
      values[value] = std::move(tensor);
  }
  return evaluationError(fn, "has no func.return");
}

llvm::Error Environment::initializeParameters(ModuleOp module, uint64_t seed) {
  uint64_t stream = 0;
  for (auto param : module.getOps<ParameterOp>()) {
    ++stream;
    std::string name = param.getSymName().str();
    if (param.getShareFrom() || parameters.count(name))
      continue;
    auto type = cast<RankedTensorType>(param.getType());
    auto dtype = dtypeOf(type.getElementType());
    if (!dtype)
      return evaluationError(param, "has an element type the evaluator "
                                    "cannot hold");
    // A parameter imported with its trained value (an ONNX initializer,
    // `stratac --onnx-params-trainable` or `--train`) starts from it.
    if (auto value = param->getAttrOfType<ElementsAttr>("onnx.initializer")) {
      auto t = tensorFromAttr(value);
      if (!t || value.getType() != type)
        return evaluationError(param, "has an onnx.initializer that is not "
                                      "a value of its type");
      parameters[name] = std::move(*t);
      continue;
    }
    std::vector<int64_t> shape(type.getShape().begin(), type.getShape().end());
    Tensor t(*dtype, shape);
    InitAttr init = param.getInit();
    random::InitSpec spec;
    // InitKind and InitSpec::Kind number the kinds alike.
    spec.kind = static_cast<random::InitSpec::Kind>(init.getKind());
    spec.value = init.getValue().convertToDouble();
    spec.mean = init.getMean().convertToDouble();
    spec.std = init.getStd().convertToDouble();
    spec.low = init.getLow().convertToDouble();
    spec.high = init.getHigh().convertToDouble();
    random::initialValues(spec, shape, seed, stream,
                          [&](int64_t i, double v) { t.set(i, v); });
    parameters[name] = std::move(t);
  }
  return llvm::Error::success();
}

} // namespace strata::reference
