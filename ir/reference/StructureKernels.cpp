//===- StructureKernels.cpp - Parameters, data inputs, constants, casts ---===//

#include "ir/StrataDialect.h"
#include "ir/reference/Evaluator.h"

using namespace mlir;

namespace strata::reference {

/// A host tensor holding the value of a dense elements attribute.
static llvm::Expected<Tensor> tensorFromAttr(Operation *op,
                                             ElementsAttr attr) {
  auto type = cast<ShapedType>(attr.getType());
  auto dtype = dtypeOf(type.getElementType());
  auto dense = dyn_cast<DenseElementsAttr>(attr);
  if (!dtype || !dense)
    return evaluationError(op, "has a value the evaluator cannot read");
  std::vector<int64_t> shape(type.getShape().begin(), type.getShape().end());
  Tensor t(*dtype, shape);
  int64_t i = 0;
  if (t.isFloat()) {
    for (const llvm::APFloat &v : dense.getValues<llvm::APFloat>()) {
      llvm::APFloat d = v;
      bool losesInfo;
      d.convert(llvm::APFloat::IEEEdouble(), llvm::APFloat::rmNearestTiesToEven,
                &losesInfo);
      t.set(i++, d.convertToDouble());
    }
  } else {
    for (const llvm::APInt &v : dense.getValues<llvm::APInt>())
      t.setInt(i++, isUnsignedDType(*dtype) || *dtype == DType::i1
                        ? static_cast<int64_t>(v.getZExtValue())
                        : v.getSExtValue());
  }
  return t;
}

void registerStructureKernels(KernelRegistry &registry) {
  registry.addWithEnvironment<ParamValueOp>(
      [](ParamValueOp op, llvm::ArrayRef<Tensor>, std::vector<Tensor> &out,
         Environment &env) -> llvm::Error {
        // A tied parameter reads the storage of the one it shares from.
        std::string name = op.getParam().str();
        auto module = op->getParentOfType<ModuleOp>();
        for (int hops = 0; module && hops < 64; ++hops) {
          auto param = SymbolTable::lookupSymbolIn(
              module, StringAttr::get(op.getContext(), name));
          auto p = dyn_cast_or_null<ParameterOp>(param);
          if (!p || !p.getShareFrom())
            break;
          name = p.getShareFrom()->str();
        }
        auto it = env.parameters.find(name);
        if (it == env.parameters.end())
          return evaluationError(op, "parameter @" + name + " has no value");
        out.push_back(it->second);
        return llvm::Error::success();
      });
  registry.addWithEnvironment<DataInputOp>(
      [](DataInputOp op, llvm::ArrayRef<Tensor>, std::vector<Tensor> &out,
         Environment &env) -> llvm::Error {
        auto it = env.dataInputs.find(op.getName().str());
        if (it == env.dataInputs.end())
          return evaluationError(op, "data input '" + op.getName() +
                                         "' has no value");
        out = it->second;
        return llvm::Error::success();
      });
  registry.add<ConstantOp>([](ConstantOp op, llvm::ArrayRef<Tensor>,
                              std::vector<Tensor> &out) -> llvm::Error {
    auto t = tensorFromAttr(op, op.getValue());
    if (!t)
      return t.takeError();
    out.push_back(std::move(*t));
    return llvm::Error::success();
  });
  registry.add<CastOp>([](CastOp op, llvm::ArrayRef<Tensor> in,
                          std::vector<Tensor> &out) -> llvm::Error {
    out.push_back(in[0].castTo(dtypeOfValue(op.getOutput())));
    return llvm::Error::success();
  });
}

} // namespace strata::reference
