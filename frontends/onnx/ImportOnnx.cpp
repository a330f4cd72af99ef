//===- ImportOnnx.cpp - ONNX models to the strata dialect -----------------===//
//
// One module per model with one function `@main`: graph inputs that are not
// initializers become its arguments (named by `strata.name`), graph outputs
// its results. Initializers become strata.constant (or parameters). Nodes are
// lowered in graph order (ONNX requires a topological order), one function
// per op family. Every op is created generically and its result types are
// inferred before it is kept (as in the SINGA frontend), so bad attributes
// come back as errors naming the node instead of builder assertions.
//
// ONNX inputs that carry shapes or attributes as tensors (Reshape's shape,
// Slice's starts, ...) are read at import time: they must be initializers,
// Constant nodes or values computed from static shapes (Shape, Size).
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/ImportOnnx.h"
#include "frontends/onnx/OnnxTensors.h"

#include "ir/StrataDialect.h"
#include "ir/reference/Constants.h"
#include "ir/reference/Evaluator.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include "onnx/checker.h"
#include "onnx/onnx_pb.h"

#include <cmath>
#include <exception>
#include <limits>
#include <map>
#include <set>

using namespace mlir;
using strata::reference::DType;
using strata::reference::Tensor;

namespace strata::onnx_import {
namespace {

using Kind = OnnxImportError::Kind;

class Importer {
public:
  Importer(MLIRContext &ctx, const OnnxImportOptions &options,
           StringRef modelName, OnnxImportError &error)
      : ctx_(ctx), options_(options), modelName_(modelName.str()),
        error_(error), b_(&ctx) {}

  OwningOpRef<ModuleOp> run(::onnx::ModelProto &model);

private:
  using Lowering = LogicalResult (Importer::*)(const ::onnx::NodeProto &,
                                               SmallVector<Value> &);

  // --- errors -----------------------------------------------------------
  std::string nodeName() const {
    if (!node_)
      return "";
    return node_->name().empty() ? "#" + std::to_string(nodeIndex_) + " (" +
                                       node_->op_type() + ")"
                                 : node_->name();
  }
  LogicalResult fail(const Twine &message, Kind kind = Kind::Invalid) {
    if (error_.kind == Kind::None) {
      error_.kind = kind;
      error_.message = message.str();
    }
    return failure();
  }
  /// An error at the current node.
  LogicalResult failNode(const Twine &message) {
    return fail("node " + nodeName() + " (" + node_->op_type() +
                "): " + message);
  }
  LogicalResult unsupported(const Twine &why = "") {
    error_.op = node_->op_type();
    std::string msg = "unsupported operator " + node_->op_type() + " (opset " +
                      std::to_string(opset_) + ") at node " + nodeName();
    if (!why.isTriviallyEmpty())
      msg += ": " + why.str();
    return fail(msg, Kind::Unsupported);
  }

  // --- attributes ---------------------------------------------------------
  const ::onnx::AttributeProto *findAttr(StringRef name) const {
    for (const auto &a : node_->attribute())
      if (a.name() == name)
        return &a;
    return nullptr;
  }
  int64_t attrI(StringRef name, int64_t def) const {
    auto *a = findAttr(name);
    return a ? a->i() : def;
  }
  double attrF(StringRef name, double def) const {
    auto *a = findAttr(name);
    return a ? static_cast<double>(a->f()) : def;
  }
  std::string attrS(StringRef name, StringRef def) const {
    auto *a = findAttr(name);
    return a ? a->s() : def.str();
  }
  std::optional<SmallVector<int64_t>> attrInts(StringRef name) const {
    auto *a = findAttr(name);
    if (!a)
      return std::nullopt;
    return SmallVector<int64_t>(a->ints().begin(), a->ints().end());
  }

  // --- values -------------------------------------------------------------
  /// Operand `i` of the current node; null when absent (optional inputs).
  Value input(int i) const {
    if (i >= node_->input_size() || node_->input(i).empty())
      return {};
    auto it = values_.find(node_->input(i));
    return it == values_.end() ? Value() : it->second;
  }
  FailureOr<Value> required(int i) {
    Value v = input(i);
    if (!v)
      return failNode("missing input " + std::to_string(i));
    return v;
  }
  /// The import-time value of input `i`, if it is known.
  const Tensor *constInput(int i) const {
    if (i >= node_->input_size() || node_->input(i).empty())
      return nullptr;
    auto it = consts_.find(node_->input(i));
    return it == consts_.end() ? nullptr : &it->second;
  }
  /// Input `i` read as integers at import time; std::nullopt (with an error)
  /// when it is not a constant.
  FailureOr<SmallVector<int64_t>> constInts(int i, StringRef what) {
    const Tensor *t = constInput(i);
    if (!t) {
      (void)notConstant(i, what);
      return failure();
    }
    SmallVector<int64_t> v;
    for (int64_t k = 0; k < t->numElements(); ++k)
      v.push_back(t->getInt(k));
    return v;
  }
  /// The error for input `i` (`what`) that must be known at import time.
  LogicalResult notConstant(int i, StringRef what) {
    std::string name = i < node_->input_size() ? node_->input(i) : "";
    // The runtime graph input it is computed from (itself, or one of those
    // the nodes producing it read), for callers that can bind inputs.
    auto deps = argDeps_.find(name);
    if (deps != argDeps_.end() && !deps->second.empty() &&
        error_.kind == Kind::None)
      error_.nonConstantInput = *deps->second.begin();
    return unsupported(what + " input '" + name +
                       "' is not a constant (initializer or Constant)");
  }
  bool hasInput(int i) const {
    return i < node_->input_size() && !node_->input(i).empty();
  }
  bool wantsOutput(int i) const {
    return i < node_->output_size() && !node_->output(i).empty();
  }
  static RankedTensorType typeOf(Value v) {
    return cast<RankedTensorType>(v.getType());
  }
  static int64_t rankOf(Value v) { return typeOf(v).getRank(); }

  // --- building -----------------------------------------------------------
  FailureOr<Operation *> create(StringRef name, ValueRange operands,
                                ArrayRef<NamedAttribute> attrs = {},
                                unsigned numResults = 1);
  FailureOr<Value> create1(StringRef name, ValueRange operands,
                           ArrayRef<NamedAttribute> attrs = {}) {
    auto op = create(name, operands, attrs);
    if (failed(op))
      return failure();
    return (*op)->getResult(0);
  }
  NamedAttribute attr(StringRef name, Attribute value) {
    return b_.getNamedAttr(name, value);
  }
  NamedAttribute i64(StringRef name, int64_t v) {
    return attr(name, b_.getI64IntegerAttr(v));
  }
  NamedAttribute f64(StringRef name, double v) {
    return attr(name, b_.getF64FloatAttr(v));
  }
  NamedAttribute array(StringRef name, ArrayRef<int64_t> v) {
    return attr(name, b_.getDenseI64ArrayAttr(v));
  }
  NamedAttribute flag(StringRef name, bool v) {
    return attr(name, b_.getBoolAttr(v));
  }
  FailureOr<Value> constant(const Tensor &t) {
    auto type = RankedTensorType::get(t.shape(),
                                      reference::toMlirType(t.dtype(), &ctx_));
    return create1("strata.constant", {},
                   {attr("value", reference::attrFromTensor(t, type))});
  }
  FailureOr<Value> scalarLike(Value like, double v) {
    auto dtype = reference::dtypeOf(typeOf(like).getElementType());
    return constant(Tensor::scalar(*dtype, v));
  }
  FailureOr<Value> reshape(Value v, ArrayRef<int64_t> shape) {
    return create1("strata.reshape", v, {array("shape", shape)});
  }
  /// A reshape to `shape` (dynamic sizes as ShapedType::kDynamic): a dynamic
  /// leading size that stays leading is copied (0), one other is inferred.
  FailureOr<Value> reshapeTo(Value v, ArrayRef<int64_t> shape);
  FailureOr<Value> castTo(Value v, Type elementType) {
    if (typeOf(v).getElementType() == elementType)
      return v;
    // strata.cast declares its result type (nothing to infer): build it
    // directly and let its verifier judge it.
    auto type = typeOf(v).clone(elementType);
    OperationState state(v.getLoc(), "strata.cast");
    state.addOperands(v);
    state.addTypes(type);
    Operation *op = b_.create(state);
    diagnostics_.clear();
    if (failed(mlir::verify(op))) {
      op->erase();
      return failNode("cannot cast to " + typeToString(elementType) + ": " +
                      diagnostics_);
    }
    return op->getResult(0);
  }
  static std::string typeToString(Type t) {
    std::string s;
    llvm::raw_string_ostream os(s);
    t.print(os);
    return s;
  }

  // --- lowering -----------------------------------------------------------
  LogicalResult declareInputs(const ::onnx::GraphProto &graph);
  LogicalResult lowerNode(const ::onnx::NodeProto &node);
  void foldNode(const ::onnx::NodeProto &node, Operation *last,
                ArrayRef<Value> outs);
  LogicalResult lowerConstant(const ::onnx::NodeProto &, SmallVector<Value> &);
  LogicalResult lowerElementwise(const ::onnx::NodeProto &,
                                 SmallVector<Value> &);
  LogicalResult lowerActivation(const ::onnx::NodeProto &,
                                SmallVector<Value> &);
  LogicalResult lowerConvolution(const ::onnx::NodeProto &,
                                 SmallVector<Value> &);
  LogicalResult lowerLinearAlgebra(const ::onnx::NodeProto &,
                                   SmallVector<Value> &);
  LogicalResult lowerNormalization(const ::onnx::NodeProto &,
                                   SmallVector<Value> &);
  LogicalResult lowerReduction(const ::onnx::NodeProto &, SmallVector<Value> &);
  LogicalResult lowerShape(const ::onnx::NodeProto &, SmallVector<Value> &);
  LogicalResult lowerIndexing(const ::onnx::NodeProto &, SmallVector<Value> &);
  LogicalResult lowerStructure(const ::onnx::NodeProto &, SmallVector<Value> &);
  LogicalResult lowerComposite(const ::onnx::NodeProto &, SmallVector<Value> &);
  LogicalResult lowerLayerNormWithStats(Value x, SmallVector<Value> &outs);
  FailureOr<Value> negativeLogLikelihood(Value logProb, Value target,
                                         Value weight);
  FailureOr<Value> hardmax(Value x, int64_t axis);
  LogicalResult lowerResize(const ::onnx::NodeProto &, SmallVector<Value> &);
  LogicalResult lowerRecurrent(const ::onnx::NodeProto &, SmallVector<Value> &);
  static const llvm::StringMap<Lowering> &loweringTable();

  MLIRContext &ctx_;
  const OnnxImportOptions &options_;
  std::string modelName_;
  OnnxImportError &error_;
  OpBuilder b_;
  ModuleOp module_;
  func::FuncOp fn_;
  int64_t opset_ = 0;
  const ::onnx::NodeProto *node_ = nullptr;
  int nodeIndex_ = 0;
  std::map<std::string, Value> values_;
  /// Values known at import time (initializers, Constant nodes, static
  /// shapes), for the inputs that ONNX passes as tensors but Strata needs as
  /// attributes.
  std::map<std::string, Tensor> consts_;
  /// Runtime graph inputs by name: their index among them.
  std::map<std::string, int> argIndex_;
  /// Per value: the runtime graph inputs (indices) it is computed from.
  std::map<std::string, std::set<int>> argDeps_;
  /// Diagnostics of the strata ops' type inference, for the error message.
  std::string diagnostics_;
};

FailureOr<Operation *> Importer::create(StringRef name, ValueRange operands,
                                        ArrayRef<NamedAttribute> attrs,
                                        unsigned numResults) {
  Location loc =
      node_
          ? Location(NameLoc::get(b_.getStringAttr(nodeName()),
                                  FileLineColLoc::get(&ctx_, modelName_, 0, 0)))
          : Location(FileLineColLoc::get(&ctx_, modelName_, 0, 0));
  diagnostics_.clear();
  auto created =
      createWithInferredTypes(b_, loc, name, operands, attrs, numResults);
  if (failed(created)) {
    std::string why =
        diagnostics_.empty() ? "cannot build " + name.str() : diagnostics_;
    if (node_)
      (void)failNode(why);
    else
      (void)fail(why);
    return failure();
  }
  Operation *op = *created;
  // Operand type constraints (e.g. float-only ops) are the verifier's: an
  // ONNX type combination Strata's op does not take is unsupported here.
  diagnostics_.clear();
  if (failed(mlir::verify(op, /*verifyRecursively=*/false))) {
    op->erase();
    if (node_)
      (void)unsupported(diagnostics_);
    else
      (void)fail(diagnostics_);
    return failure();
  }
  return op;
}

FailureOr<Value> Importer::reshapeTo(Value v, ArrayRef<int64_t> shape) {
  SmallVector<int64_t> attrShape;
  bool inferred = false;
  auto in = typeOf(v);
  for (auto [j, d] : llvm::enumerate(shape)) {
    if (!ShapedType::isDynamic(d)) {
      attrShape.push_back(d);
    } else if (j == 0 && in.getRank() > 0 && in.isDynamicDim(0)) {
      attrShape.push_back(0);
    } else if (!inferred) {
      attrShape.push_back(-1);
      inferred = true;
    } else {
      return failNode("cannot reshape with more than one moved dynamic size");
    }
  }
  return reshape(v, attrShape);
}

//===----------------------------------------------------------------------===//
// Graph inputs, initializers, constants
//===----------------------------------------------------------------------===//

static std::optional<Type> elementTypeOf(int32_t onnxType, MLIRContext &ctx) {
  auto dtype = dtypeOfOnnx(onnxType);
  if (!dtype)
    return std::nullopt;
  return reference::toMlirType(*dtype, &ctx);
}

LogicalResult Importer::declareInputs(const ::onnx::GraphProto &graph) {
  std::map<std::string, const ::onnx::TensorProto *> initializers;
  for (const auto &init : graph.initializer())
    initializers[init.name()] = &init;
  SmallVector<Type> argTypes;
  SmallVector<std::string> argNames;
  std::vector<std::pair<std::string, Tensor>> bound;
  for (const auto &in : graph.input()) {
    if (initializers.count(in.name()))
      continue; // An initializer's default value: not a runtime input.
    int index = static_cast<int>(argIndex_.size());
    argIndex_[in.name()] = index;
    argDeps_[in.name()] = {index};
    if (index < static_cast<int>(options_.boundInputs.size()) &&
        options_.boundInputs[index]) {
      bound.emplace_back(in.name(), *options_.boundInputs[index]);
      continue;
    }
    if (!in.type().has_tensor_type())
      return fail("graph input '" + in.name() +
                      "' is not a tensor (sequences, maps and optionals are "
                      "not supported)",
                  Kind::Unsupported);
    const auto &tt = in.type().tensor_type();
    auto elem = elementTypeOf(tt.elem_type(), ctx_);
    if (!elem)
      return fail("graph input '" + in.name() +
                      "' has unsupported element "
                      "type " +
                      onnxTypeName(tt.elem_type()),
                  Kind::Unsupported);
    if (!tt.has_shape())
      return fail("graph input '" + in.name() +
                      "' has no shape (unranked "
                      "inputs are not supported)",
                  Kind::Unsupported);
    SmallVector<int64_t> shape;
    for (const auto &d : tt.shape().dim()) {
      if (d.has_dim_value() && d.dim_value() >= 0) {
        shape.push_back(d.dim_value());
        continue;
      }
      // Only the batch size may vary: every other size must be known for
      // the static attributes Strata's ops carry.
      if (!shape.empty())
        return fail("graph input '" + in.name() +
                        "' has a dynamic size at "
                        "dimension " +
                        std::to_string(shape.size()) +
                        " (only the first, batch, dimension may be dynamic)",
                    Kind::Unsupported);
      shape.push_back(ShapedType::kDynamic);
    }
    argTypes.push_back(RankedTensorType::get(shape, *elem));
    argNames.push_back(in.name());
  }

  b_.setInsertionPointToEnd(module_.getBody());
  fn_ = func::FuncOp::create(b_, FileLineColLoc::get(&ctx_, modelName_, 0, 0),
                             "main", b_.getFunctionType(argTypes, {}));
  Block *entry = fn_.addEntryBlock();
  for (auto [i, name] : llvm::enumerate(argNames)) {
    fn_.setArgAttr(i, "strata.name", b_.getStringAttr(name));
    values_[name] = entry->getArgument(i);
  }

  b_.setInsertionPointToEnd(entry);
  for (auto &[name, t] : bound) {
    auto v = constant(t);
    if (failed(v))
      return failure();
    values_[name] = *v;
    consts_[name] = t;
  }

  // Initializers: parameters are declared before @main, constants inside.
  for (const auto &init : graph.initializer()) {
    std::string error;
    std::optional<Tensor> t = tensorFromProto(init, error);
    if (!t)
      return fail("initializer: " + error, Kind::Unsupported);
    consts_[init.name()] = *t;
    auto type = RankedTensorType::get(t->shape(),
                                      reference::toMlirType(t->dtype(), &ctx_));
    if (options_.paramsTrainable && t->isFloat()) {
      b_.setInsertionPoint(fn_);
      std::string sym = "p" + std::to_string(values_.size());
      OperationState state(FileLineColLoc::get(&ctx_, modelName_, 0, 0),
                           "strata.parameter");
      state.addAttribute("sym_name", b_.getStringAttr(sym));
      state.addAttribute("type", TypeAttr::get(type));
      state.addAttribute(
          "init", InitAttr::get(&ctx_, InitKind::constant, llvm::APFloat(0.0),
                                llvm::APFloat(0.0), llvm::APFloat(1.0),
                                llvm::APFloat(-1.0), llvm::APFloat(1.0)));
      state.addAttribute("onnx.name", b_.getStringAttr(init.name()));
      // The trained value: the evaluator's environment or a runtime loads it.
      state.addAttribute("onnx.initializer",
                         reference::attrFromTensor(*t, type));
      b_.create(state);
      b_.setInsertionPointToEnd(entry);
      // param_value declares its type (the parameter's); the module
      // verifier checks the two agree.
      OperationState read(FileLineColLoc::get(&ctx_, modelName_, 0, 0),
                          "strata.param_value");
      read.addAttribute("param", FlatSymbolRefAttr::get(&ctx_, sym));
      read.addTypes(type);
      values_[init.name()] = b_.create(read)->getResult(0);
      consts_.erase(init.name()); // Trainable: not foldable at import.
    } else {
      b_.setInsertionPointToEnd(entry);
      auto v = constant(*t);
      if (failed(v))
        return failure();
      values_[init.name()] = *v;
    }
  }
  b_.setInsertionPointToEnd(entry);
  return success();
}

/// libonnx's messages span lines; errors here are one line each.
static std::string oneLine(StringRef message) {
  std::string out;
  for (char c : message.trim()) {
    if (c == '\n' || c == '\r' || c == '\t')
      c = ' ';
    if (c == ' ' && !out.empty() && out.back() == ' ')
      continue;
    out += c;
  }
  return out;
}

OwningOpRef<ModuleOp> Importer::run(::onnx::ModelProto &model) {
  for (const auto &imp : model.opset_import())
    if (imp.domain().empty() || imp.domain() == "ai.onnx")
      opset_ = imp.version();
  if (opset_ == 0)
    opset_ = 1; // No default-domain import: the oldest semantics.

  // The checker rejects malformed graphs (it throws onnx::ValidationError).
  // libonnx's own shape inference is not run: in 1.12 it crashes on some
  // malformed nodes (LayerNormalization with an out-of-range axis, found by
  // fuzz/OnnxModelFuzzer), and every lowered node's shapes are inferred and
  // checked by the strata ops themselves, with errors naming the node.
  try {
    ::onnx::checker::check_model(model);
  } catch (const std::exception &e) {
    (void)fail("invalid ONNX model: " + oneLine(e.what()));
    return nullptr;
  }

  ScopedDiagnosticHandler handler(&ctx_, [&](Diagnostic &diag) {
    if (!diagnostics_.empty())
      diagnostics_ += "; ";
    diagnostics_ += diag.str();
    return success();
  });

  module_ = ModuleOp::create(FileLineColLoc::get(&ctx_, modelName_, 0, 0));
  OwningOpRef<ModuleOp> owned(module_);
  const ::onnx::GraphProto &graph = model.graph();
  if (failed(declareInputs(graph)))
    return nullptr;
  for (const auto &node : graph.node()) {
    if (failed(lowerNode(node)))
      return nullptr;
    ++nodeIndex_;
  }
  node_ = nullptr;
  SmallVector<Value> results;
  for (const auto &out : graph.output()) {
    auto it = values_.find(out.name());
    if (it == values_.end()) {
      (void)fail("graph output '" + out.name() +
                 "' is not produced by any node");
      return nullptr;
    }
    results.push_back(it->second);
  }
  func::ReturnOp::create(b_, FileLineColLoc::get(&ctx_, modelName_, 0, 0),
                         results);
  fn_.setType(b_.getFunctionType(fn_.getArgumentTypes(),
                                 ValueRange(results).getTypes()));
  for (auto [i, out] : llvm::enumerate(graph.output()))
    fn_.setResultAttr(i, "strata.name", b_.getStringAttr(out.name()));
  diagnostics_.clear();
  if (failed(verify(*owned))) {
    (void)fail("the imported module does not verify: " + diagnostics_);
    return nullptr;
  }
  return owned;
}

LogicalResult Importer::lowerNode(const ::onnx::NodeProto &node) {
  node_ = &node;
  if (!node.domain().empty() && node.domain() != "ai.onnx")
    return unsupported("domain '" + node.domain() + "'");
  const auto &table = loweringTable();
  auto it = table.find(node.op_type());
  if (it == table.end())
    return unsupported();
  for (int i = 0; i < node.input_size(); ++i)
    if (!node.input(i).empty() && !values_.count(node.input(i)))
      return failNode("input '" + node.input(i) +
                      "' is not defined before "
                      "its use");
  Block *block = b_.getInsertionBlock();
  Operation *last = block->empty() ? nullptr : &block->back();
  SmallVector<Value> outs;
  if (failed((this->*(it->second))(node, outs)))
    return failure();
  foldNode(node, last, outs);
  std::set<int> deps;
  for (const std::string &in : node.input())
    if (auto it = argDeps_.find(in); it != argDeps_.end())
      deps.insert(it->second.begin(), it->second.end());
  for (const std::string &out : node.output())
    argDeps_[out] = deps;
  for (int i = 0; i < node.output_size(); ++i) {
    if (node.output(i).empty())
      continue;
    if (i >= static_cast<int>(outs.size()) || !outs[i])
      return unsupported("output " + std::to_string(i) + " is not supported");
    values_[node.output(i)] = outs[i];
  }
  return success();
}

void Importer::foldNode(const ::onnx::NodeProto &node, Operation *last,
                        ArrayRef<Value> outs) {
  // Shapes computed from constants (Shape -> Gather -> Concat -> Reshape)
  // must be known at import: evaluate the node's ops when all its inputs are.
  for (const std::string &in : node.input())
    if (!in.empty() && !consts_.count(in))
      return;
  llvm::DenseMap<Value, Tensor> known;
  for (const std::string &in : node.input())
    if (!in.empty())
      known[values_[in]] = consts_[in];
  Block *block = b_.getInsertionBlock();
  auto begin = last ? std::next(last->getIterator()) : block->begin();
  reference::Environment env;
  for (Operation &op : llvm::make_range(begin, block->end())) {
    SmallVector<Tensor> operands;
    for (Value v : op.getOperands()) {
      auto it = known.find(v);
      if (it == known.end())
        return;
      operands.push_back(it->second);
    }
    auto results = reference::evaluateOperation(&op, operands, env);
    if (!results) {
      llvm::consumeError(results.takeError());
      return;
    }
    for (auto [v, t] : llvm::zip(op.getResults(), *results)) {
      if (t.numElements() > (1 << 20))
        return;
      known[v] = t;
    }
  }
  for (auto [i, v] : llvm::enumerate(outs)) {
    auto it = known.find(v);
    if (v && it != known.end() && i < static_cast<size_t>(node.output_size()))
      consts_[node.output(i)] = it->second;
  }
}

LogicalResult Importer::lowerConstant(const ::onnx::NodeProto &node,
                                      SmallVector<Value> &outs) {
  StringRef op = node.op_type();
  std::optional<Tensor> value;
  if (op == "Constant") {
    std::string error;
    if (auto *a = findAttr("value")) {
      value = tensorFromProto(a->t(), error);
      if (!value)
        return unsupported(error);
    } else if (auto *a = findAttr("value_float")) {
      value = Tensor::scalar(DType::f32, a->f());
    } else if (auto *a = findAttr("value_int")) {
      value = Tensor::fromInts(DType::i64, {}, {a->i()});
    } else if (auto *a = findAttr("value_floats")) {
      std::vector<double> v(a->floats().begin(), a->floats().end());
      value = Tensor::fromDoubles(DType::f32, {(int64_t)v.size()}, v);
    } else if (auto *a = findAttr("value_ints")) {
      std::vector<int64_t> v(a->ints().begin(), a->ints().end());
      value = Tensor::fromInts(DType::i64, {(int64_t)v.size()}, v);
    } else {
      return unsupported("only tensor, float and int values");
    }
  } else if (op == "Shape" || op == "Size") {
    auto in = required(0);
    if (failed(in))
      return failure();
    auto type = typeOf(*in);
    if (!type.hasStaticShape())
      return unsupported("the input's shape is not static");
    if (op == "Size") {
      value = Tensor::fromInts(DType::i64, {}, {type.getNumElements()});
    } else {
      int64_t r = type.getRank();
      int64_t start = attrI("start", 0), end = attrI("end", r);
      start = std::clamp(start < 0 ? start + r : start, int64_t(0), r);
      end = std::clamp(end < 0 ? end + r : end, int64_t(0), r);
      std::vector<int64_t> dims;
      for (int64_t i = start; i < end; ++i)
        dims.push_back(type.getDimSize(i));
      value = Tensor::fromInts(DType::i64, {(int64_t)dims.size()}, dims);
    }
  } else if (op == "ConstantOfShape") {
    auto shape = constInts(0, "shape");
    if (failed(shape))
      return failure();
    Tensor fill = Tensor::scalar(DType::f32, 0.0);
    if (auto *a = findAttr("value")) {
      std::string error;
      auto t = tensorFromProto(a->t(), error);
      if (!t || t->numElements() != 1)
        return failNode("value must be a one-element tensor");
      fill = *t;
    }
    std::vector<int64_t> dims(shape->begin(), shape->end());
    Tensor t(fill.dtype(), dims);
    for (int64_t i = 0; i < t.numElements(); ++i)
      t.set(i, fill.get(0));
    value = t;
  }
  auto v = constant(*value);
  if (failed(v))
    return failure();
  consts_[node.output(0)] = *value;
  outs.push_back(*v);
  return success();
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

LogicalResult Importer::lowerElementwise(const ::onnx::NodeProto &node,
                                         SmallVector<Value> &outs) {
  static const llvm::StringMap<StringRef> unary = {
      {"Abs", "strata.abs"},
      {"Neg", "strata.neg"},
      {"Sign", "strata.sign"},
      {"Exp", "strata.exp"},
      {"Log", "strata.log"},
      {"Sqrt", "strata.sqrt"},
      {"Reciprocal", "strata.reciprocal"},
      {"Floor", "strata.floor"},
      {"Ceil", "strata.ceil"},
      {"Round", "strata.round"},
      {"Erf", "strata.erf"},
      {"Sin", "strata.sin"},
      {"Cos", "strata.cos"},
      {"Not", "strata.not"},
      {"IsNaN", "strata.is_nan"}};
  static const llvm::StringMap<StringRef> binary = {
      {"Add", "strata.add"},         {"Sub", "strata.sub"},
      {"Mul", "strata.mul"},         {"Div", "strata.div"},
      {"Pow", "strata.pow"},         {"Equal", "strata.equal"},
      {"Less", "strata.less"},       {"LessOrEqual", "strata.less_equal"},
      {"Greater", "strata.greater"}, {"GreaterOrEqual", "strata.greater_equal"},
      {"And", "strata.and"},         {"Or", "strata.or"},
      {"Xor", "strata.xor"}};
  StringRef op = node.op_type();
  FailureOr<Value> r = failure();
  if (auto it = unary.find(op); it != unary.end()) {
    auto x = required(0);
    if (failed(x))
      return failure();
    r = create1(it->second, *x);
  } else if (auto it = binary.find(op); it != binary.end()) {
    auto x = required(0), y = required(1);
    if (failed(x) || failed(y))
      return failure();
    Value rhs = *y;
    if (op == "Pow") { // The exponent may have another type than the base.
      auto c = castTo(rhs, typeOf(*x).getElementType());
      if (failed(c))
        return failure();
      rhs = *c;
    }
    // Opset < 7 broadcast only with broadcast=1 and `axis`; without an axis
    // that is the numpy rule of later opsets.
    if (opset_ < 7 && findAttr("axis"))
      return unsupported("legacy broadcast with axis");
    r = create1(it->second, {*x, rhs});
  } else if (op == "Mod") {
    auto x = required(0), y = required(1);
    if (failed(x) || failed(y))
      return failure();
    r = create1("strata.mod", {*x, *y}, {flag("fmod", attrI("fmod", 0))});
  } else if (op == "Max" || op == "Min" || op == "Sum" || op == "Mean") {
    StringRef name = op == "Max"   ? "strata.max"
                     : op == "Min" ? "strata.min"
                                   : "strata.add";
    auto acc = required(0);
    if (failed(acc))
      return failure();
    Value v = *acc;
    for (int i = 1; i < node.input_size(); ++i) {
      auto y = required(i);
      if (failed(y))
        return failure();
      auto n = create1(name, {v, *y});
      if (failed(n))
        return failure();
      v = *n;
    }
    if (op == "Mean" && node.input_size() > 1) {
      auto count = scalarLike(v, node.input_size());
      if (failed(count))
        return failure();
      r = create1("strata.div", {v, *count});
    } else {
      r = v;
    }
  } else if (op == "Where") {
    auto c = required(0), x = required(1), y = required(2);
    if (failed(c) || failed(x) || failed(y))
      return failure();
    r = create1("strata.where", {*c, *x, *y});
  } else if (op == "Clip") {
    auto x = required(0);
    if (failed(x))
      return failure();
    bool isFloat = isa<FloatType>(typeOf(*x).getElementType());
    double lo =
        isFloat ? -INFINITY : (double)std::numeric_limits<int64_t>::min();
    double hi =
        isFloat ? INFINITY : (double)std::numeric_limits<int64_t>::max();
    if (opset_ < 11) {
      lo = attrF("min", lo);
      hi = attrF("max", hi);
    } else {
      for (int i : {1, 2}) {
        if (!hasInput(i))
          continue;
        const Tensor *t = constInput(i);
        if (!t)
          return notConstant(i, i == 1 ? "min" : "max");
        if (t->numElements() != 1)
          return failNode("min/max must be scalars");
        (i == 1 ? lo : hi) = t->get(0);
      }
    }
    r = create1("strata.clip", *x, {f64("min", lo), f64("max", hi)});
  } else {
    return unsupported();
  }
  if (failed(r))
    return failure();
  outs.push_back(*r);
  return success();
}

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

LogicalResult Importer::lowerActivation(const ::onnx::NodeProto &node,
                                        SmallVector<Value> &outs) {
  StringRef op = node.op_type();
  auto x = required(0);
  if (failed(x))
    return failure();
  FailureOr<Value> r = failure();
  if (op == "Relu")
    r = create1("strata.relu", *x);
  else if (op == "Sigmoid")
    r = create1("strata.sigmoid", *x);
  else if (op == "Tanh")
    r = create1("strata.tanh", *x);
  else if (op == "Softplus")
    r = create1("strata.softplus", *x);
  else if (op == "Softsign")
    r = create1("strata.softsign", *x);
  else if (op == "HardSwish")
    r = create1("strata.hard_swish", *x);
  else if (op == "Mish")
    r = create1("strata.mish", *x);
  else if (op == "LeakyRelu")
    r = create1("strata.leaky_relu", *x, {f64("alpha", attrF("alpha", 0.01))});
  else if (op == "Elu")
    r = create1("strata.elu", *x, {f64("alpha", attrF("alpha", 1.0))});
  else if (op == "Celu")
    r = create1("strata.celu", *x, {f64("alpha", attrF("alpha", 1.0))});
  else if (op == "ThresholdedRelu")
    r = create1("strata.thresholded_relu", *x,
                {f64("alpha", attrF("alpha", 1.0))});
  else if (op == "Selu")
    r = create1("strata.selu", *x,
                {f64("alpha", attrF("alpha", 1.67326319217681884765625)),
                 f64("gamma", attrF("gamma", 1.05070102214813232421875))});
  else if (op == "HardSigmoid")
    r = create1(
        "strata.hard_sigmoid", *x,
        {f64("alpha", attrF("alpha", 0.2)), f64("beta", attrF("beta", 0.5))});
  else if (op == "Shrink")
    r = create1(
        "strata.shrink", *x,
        {f64("bias", attrF("bias", 0.0)), f64("lambd", attrF("lambd", 0.5))});
  else if (op == "Gelu")
    r = create1(
        "strata.gelu", *x,
        {attr("approximate", b_.getStringAttr(attrS("approximate", "none")))});
  else if (op == "PRelu") {
    auto slope = required(1);
    if (failed(slope))
      return failure();
    r = create1("strata.prelu", {*x, *slope});
  } else if (op == "Softmax" || op == "LogSoftmax") {
    StringRef name = op == "Softmax" ? "strata.softmax" : "strata.log_softmax";
    int64_t rank = rankOf(*x);
    if (opset_ >= 13) {
      r = create1(name, *x, {i64("axis", attrI("axis", -1))});
    } else {
      // Before opset 13 the input is seen as a 2-D matrix split at `axis`.
      int64_t axis = attrI("axis", 1);
      if (axis < 0)
        axis += rank;
      if (axis == rank - 1) {
        r = create1(name, *x, {i64("axis", -1)});
      } else {
        auto type = typeOf(*x);
        if (!type.hasStaticShape())
          return unsupported("coerced 2-D softmax needs a static shape");
        int64_t inner = 1;
        for (int64_t i = axis; i < rank; ++i)
          inner *= type.getDimSize(i);
        auto flat = reshape(*x, {-1, inner});
        if (failed(flat))
          return failure();
        auto s = create1(name, *flat, {i64("axis", 1)});
        if (failed(s))
          return failure();
        r = reshape(*s, type.getShape());
      }
    }
  } else {
    return unsupported();
  }
  if (failed(r))
    return failure();
  outs.push_back(*r);
  return success();
}

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

LogicalResult Importer::lowerConvolution(const ::onnx::NodeProto &node,
                                         SmallVector<Value> &outs) {
  StringRef op = node.op_type();
  auto x = required(0);
  if (failed(x))
    return failure();
  SmallVector<NamedAttribute> attrs;
  std::string autoPad = attrS("auto_pad", "NOTSET");
  std::optional<AutoPad> pad =
      autoPad == "NOTSET"       ? std::optional(AutoPad::notset)
      : autoPad == "SAME_UPPER" ? std::optional(AutoPad::same_upper)
      : autoPad == "SAME_LOWER" ? std::optional(AutoPad::same_lower)
      : autoPad == "VALID"      ? std::optional(AutoPad::valid)
                                : std::nullopt;
  if (!pad)
    return failNode("unknown auto_pad '" + autoPad + "'");
  attrs.push_back(attr("auto_pad", AutoPadAttr::get(&ctx_, *pad)));
  for (StringRef name : {"strides", "pads", "dilations"})
    if (auto v = attrInts(name))
      attrs.push_back(array(name, *v));
  FailureOr<Value> r = failure();
  if (op == "Conv" || op == "ConvTranspose") {
    auto w = required(1);
    if (failed(w))
      return failure();
    SmallVector<Value> operands = {*x, *w};
    if (Value bias = input(2))
      operands.push_back(bias);
    attrs.push_back(i64("groups", attrI("group", 1)));
    if (op == "ConvTranspose") {
      for (StringRef name : {"output_padding", "output_shape"})
        if (auto v = attrInts(name))
          attrs.push_back(array(name, *v));
    }
    r = create1(op == "Conv" ? "strata.conv" : "strata.conv_transpose",
                operands, attrs);
  } else if (op == "MaxPool" || op == "AveragePool") {
    if (wantsOutput(1))
      return unsupported("the Indices output");
    auto kernel = attrInts("kernel_shape");
    if (!kernel)
      return failNode("missing kernel_shape");
    attrs.push_back(array("kernel_shape", *kernel));
    attrs.push_back(flag("ceil_mode", attrI("ceil_mode", 0)));
    if (op == "AveragePool") {
      if (findAttr("dilations"))
        return unsupported("dilations");
      attrs.push_back(flag("count_include_pad", attrI("count_include_pad", 0)));
    }
    Type elem = typeOf(*x).getElementType();
    if (op == "MaxPool" && isa<IntegerType>(elem)) {
      // strata.max_pool takes floats; f64 holds every 8/16/32-bit integer
      // exactly, so the maximum is the same.
      if (elem.getIntOrFloatBitWidth() > 32)
        return unsupported("64-bit integer data");
      auto wide = castTo(*x, b_.getF64Type());
      if (failed(wide))
        return failure();
      auto pooled = create1("strata.max_pool", *wide, attrs);
      if (failed(pooled))
        return failure();
      r = castTo(*pooled, elem);
    } else {
      r = create1(op == "MaxPool" ? "strata.max_pool" : "strata.avg_pool", *x,
                  attrs);
    }
  } else if (op == "GlobalAveragePool") {
    r = create1("strata.global_avg_pool", *x);
  } else if (op == "GlobalMaxPool") {
    r = create1("strata.global_max_pool", *x);
  } else if (op == "LRN") {
    r = create1(
        "strata.lrn", *x,
        {i64("size", attrI("size", 1)), f64("alpha", attrF("alpha", 1e-4)),
         f64("beta", attrF("beta", 0.75)), f64("bias", attrF("bias", 1.0))});
  } else {
    return unsupported();
  }
  if (failed(r))
    return failure();
  outs.push_back(*r);
  return success();
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

LogicalResult Importer::lowerLinearAlgebra(const ::onnx::NodeProto &node,
                                           SmallVector<Value> &outs) {
  auto a = required(0), b = required(1);
  if (failed(a) || failed(b))
    return failure();
  FailureOr<Value> r = failure();
  if (node.op_type() == "MatMul") {
    r = create1("strata.matmul", {*a, *b});
  } else {
    SmallVector<Value> operands = {*a, *b};
    if (Value c = input(2))
      operands.push_back(c);
    r = create1("strata.gemm", operands,
                {f64("alpha", attrF("alpha", 1.0)),
                 f64("beta", attrF("beta", 1.0)),
                 flag("trans_a", attrI("transA", 0)),
                 flag("trans_b", attrI("transB", 0))});
  }
  if (failed(r))
    return failure();
  outs.push_back(*r);
  return success();
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

LogicalResult Importer::lowerNormalization(const ::onnx::NodeProto &node,
                                           SmallVector<Value> &outs) {
  StringRef op = node.op_type();
  auto x = required(0);
  if (failed(x))
    return failure();
  if (op == "LayerNormalization" && (wantsOutput(1) || wantsOutput(2)))
    return lowerLayerNormWithStats(*x, outs);
  if (op == "BatchNormalization" && attrI("training_mode", 0)) {
    // Opset 14+: outputs Y, running_mean, running_var (the updated ones).
    SmallVector<Value> operands = {*x};
    for (int i = 1; i < 5; ++i) {
      auto v = required(i);
      if (failed(v))
        return failure();
      operands.push_back(*v);
    }
    auto bn = create("strata.batch_norm_train", operands,
                     {f64("epsilon", attrF("epsilon", 1e-5)),
                      f64("momentum", attrF("momentum", 0.9))},
                     5);
    if (failed(bn))
      return failure();
    for (int i = 0; i < 3; ++i)
      outs.push_back((*bn)->getResult(i));
    return success();
  }
  for (int i = 1; i < node.output_size(); ++i)
    if (wantsOutput(i))
      return unsupported("output " + std::to_string(i));
  FailureOr<Value> r = failure();
  if (op == "BatchNormalization") {
    if (attrI("training_mode", 0))
      return unsupported("training_mode = 1");
    SmallVector<Value> operands = {*x};
    for (int i = 1; i < 5; ++i) {
      auto v = required(i);
      if (failed(v))
        return failure();
      operands.push_back(*v);
    }
    r = create1("strata.batch_norm", operands,
                {f64("epsilon", attrF("epsilon", 1e-5))});
  } else if (op == "InstanceNormalization") {
    auto s = required(1), bias = required(2);
    if (failed(s) || failed(bias))
      return failure();
    r = create1("strata.instance_norm", {*x, *s, *bias},
                {f64("epsilon", attrF("epsilon", 1e-5))});
  } else if (op == "LayerNormalization") {
    auto s = required(1);
    if (failed(s))
      return failure();
    SmallVector<Value> operands = {*x, *s};
    if (Value bias = input(2))
      operands.push_back(bias);
    r = create1("strata.layer_norm", operands,
                {i64("axis", attrI("axis", -1)),
                 f64("epsilon", attrF("epsilon", 1e-5))});
  } else if (op == "LpNormalization") {
    r = create1("strata.lp_normalization", *x,
                {i64("axis", attrI("axis", -1)), i64("p", attrI("p", 2))});
  } else {
    return unsupported();
  }
  if (failed(r))
    return failure();
  outs.push_back(*r);
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

LogicalResult Importer::lowerReduction(const ::onnx::NodeProto &node,
                                       SmallVector<Value> &outs) {
  static const llvm::StringMap<StringRef> reductions = {
      {"ReduceSum", "strata.reduce_sum"},
      {"ReduceMean", "strata.reduce_mean"},
      {"ReduceMax", "strata.reduce_max"},
      {"ReduceMin", "strata.reduce_min"},
      {"ReduceProd", "strata.reduce_prod"},
      {"ReduceL1", "strata.reduce_l1"},
      {"ReduceL2", "strata.reduce_l2"},
      {"ReduceLogSum", "strata.reduce_log_sum"},
      {"ReduceLogSumExp", "strata.reduce_log_sum_exp"},
      {"ReduceSumSquare", "strata.reduce_sum_square"}};
  StringRef op = node.op_type();
  auto x = required(0);
  if (failed(x))
    return failure();
  FailureOr<Value> r = failure();
  if (auto it = reductions.find(op); it != reductions.end()) {
    // Axes moved from an attribute to an input: ReduceSum in opset 13, the
    // others in opset 18.
    bool axesInput = opset_ >= (op == "ReduceSum" ? 13 : 18);
    SmallVector<int64_t> axes;
    if (axesInput) {
      if (hasInput(1)) {
        auto v = constInts(1, "axes");
        if (failed(v))
          return failure();
        axes = *v;
      }
    } else if (auto v = attrInts("axes")) {
      axes = *v;
    }
    r = create1(it->second, *x,
                {array("axes", axes), flag("keepdims", attrI("keepdims", 1)),
                 flag("noop_with_empty_axes",
                      axesInput && attrI("noop_with_empty_axes", 0))});
  } else if (op == "ArgMax" || op == "ArgMin") {
    r = create1(op == "ArgMax" ? "strata.argmax" : "strata.argmin", *x,
                {i64("axis", attrI("axis", 0)),
                 flag("keepdims", attrI("keepdims", 1)),
                 flag("select_last_index", attrI("select_last_index", 0))});
  } else if (op == "CumSum") {
    auto axis = constInts(1, "axis");
    if (failed(axis))
      return failure();
    if (axis->size() != 1)
      return failNode("axis must hold one value");
    r = create1("strata.cumsum", *x,
                {i64("axis", (*axis)[0]),
                 flag("exclusive", attrI("exclusive", 0)),
                 flag("reverse", attrI("reverse", 0))});
  } else if (op == "TopK") {
    int64_t k;
    if (opset_ < 10) {
      k = attrI("k", 1);
    } else {
      auto v = constInts(1, "K");
      if (failed(v))
        return failure();
      if (v->size() != 1)
        return failNode("K must hold one value");
      k = (*v)[0];
    }
    auto top = create("strata.top_k", *x,
                      {i64("k", k), i64("axis", attrI("axis", -1)),
                       flag("largest", attrI("largest", 1)),
                       flag("sorted", attrI("sorted", 1))},
                      2);
    if (failed(top))
      return failure();
    outs.push_back((*top)->getResult(0));
    outs.push_back((*top)->getResult(1));
    return success();
  } else {
    return unsupported();
  }
  if (failed(r))
    return failure();
  outs.push_back(*r);
  return success();
}

//===----------------------------------------------------------------------===//
// Shape
//===----------------------------------------------------------------------===//

LogicalResult Importer::lowerShape(const ::onnx::NodeProto &node,
                                   SmallVector<Value> &outs) {
  StringRef op = node.op_type();
  auto xr = required(0);
  if (failed(xr))
    return failure();
  Value x = *xr;
  auto type = typeOf(x);
  int64_t rank = type.getRank();
  FailureOr<Value> r = failure();
  if (op == "Reshape") {
    SmallVector<int64_t> shape;
    if (opset_ < 5) {
      shape = attrInts("shape").value_or(SmallVector<int64_t>());
    } else {
      auto v = constInts(1, "shape");
      if (failed(v))
        return failure();
      shape = *v;
    }
    if (attrI("allowzero", 0) && llvm::is_contained(shape, 0))
      return unsupported("allowzero = 1 with a 0 in the shape");
    r = reshape(x, shape);
  } else if (op == "Flatten") {
    int64_t axis = attrI("axis", 1);
    if (axis < 0)
      axis += rank;
    if (axis < 0 || axis > rank)
      return failNode("axis out of range");
    int64_t outer = 1, inner = 1;
    for (int64_t i = 0; i < rank; ++i) {
      int64_t d = type.getDimSize(i);
      int64_t &acc = i < axis ? outer : inner;
      acc = (ShapedType::isDynamic(d) || ShapedType::isDynamic(acc))
                ? ShapedType::kDynamic
                : acc * d;
    }
    r = reshapeTo(x, {outer, inner});
  } else if (op == "Squeeze" || op == "Unsqueeze") {
    SmallVector<int64_t> axes;
    if (opset_ < 13) {
      axes = attrInts("axes").value_or(SmallVector<int64_t>());
    } else if (hasInput(1)) {
      auto v = constInts(1, "axes");
      if (failed(v))
        return failure();
      axes = *v;
    }
    SmallVector<int64_t> shape;
    if (op == "Squeeze") {
      for (int64_t &a : axes)
        a = a < 0 ? a + rank : a;
      for (int64_t i = 0; i < rank; ++i) {
        bool drop = axes.empty() ? type.getDimSize(i) == 1
                                 : llvm::is_contained(axes, i);
        if (drop && type.getDimSize(i) != 1 && !type.isDynamicDim(i))
          return failNode("cannot squeeze dimension " + std::to_string(i) +
                          " of size " + std::to_string(type.getDimSize(i)));
        if (!drop)
          shape.push_back(type.getDimSize(i));
      }
    } else {
      int64_t outRank = rank + static_cast<int64_t>(axes.size());
      for (int64_t &a : axes)
        a = a < 0 ? a + outRank : a;
      int64_t next = 0;
      for (int64_t i = 0; i < outRank; ++i)
        shape.push_back(llvm::is_contained(axes, i) ? 1
                                                    : type.getDimSize(next++));
      if (next != rank)
        return failNode("invalid axes");
    }
    r = reshapeTo(x, shape);
  } else if (op == "Transpose") {
    SmallVector<NamedAttribute> attrs;
    if (auto perm = attrInts("perm"))
      attrs.push_back(array("perm", *perm));
    r = create1("strata.transpose", x, attrs);
  } else if (op == "Concat") {
    SmallVector<Value> inputs;
    for (int i = 0; i < node.input_size(); ++i) {
      auto v = required(i);
      if (failed(v))
        return failure();
      inputs.push_back(*v);
    }
    r = create1("strata.concat", inputs, {i64("axis", attrI("axis", 0))});
  } else if (op == "Slice") {
    SmallVector<int64_t> starts, ends, axes, steps;
    if (opset_ < 10) {
      starts = attrInts("starts").value_or(SmallVector<int64_t>());
      ends = attrInts("ends").value_or(SmallVector<int64_t>());
      axes = attrInts("axes").value_or(SmallVector<int64_t>());
    } else {
      auto s = constInts(1, "starts");
      if (failed(s))
        return failure();
      auto e = constInts(2, "ends");
      if (failed(e))
        return failure();
      starts = *s;
      ends = *e;
      if (hasInput(3)) {
        auto a = constInts(3, "axes");
        if (failed(a))
          return failure();
        axes = *a;
      }
      if (hasInput(4)) {
        auto st = constInts(4, "steps");
        if (failed(st))
          return failure();
        steps = *st;
      }
    }
    SmallVector<NamedAttribute> attrs = {array("starts", starts),
                                         array("ends", ends)};
    if (!axes.empty())
      attrs.push_back(array("axes", axes));
    if (!steps.empty())
      attrs.push_back(array("steps", steps));
    r = create1("strata.slice", x, attrs);
  } else if (op == "Split") {
    int64_t axis = attrI("axis", 0);
    int64_t a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank)
      return failNode("axis " + std::to_string(axis) + " out of range");
    SmallVector<int64_t> sizes;
    if (opset_ < 13) {
      sizes = attrInts("split").value_or(SmallVector<int64_t>());
    } else if (hasInput(1)) {
      auto v = constInts(1, "split");
      if (failed(v))
        return failure();
      sizes = *v;
    }
    if (sizes.empty()) {
      int64_t n = attrI("num_outputs", node.output_size());
      int64_t d = type.getDimSize(a);
      if (ShapedType::isDynamic(d) || n <= 0)
        return unsupported("an even split of a dynamic size");
      int64_t chunk = (d + n - 1) / n;
      for (int64_t i = 0; i < n; ++i)
        sizes.push_back(std::max<int64_t>(0, std::min(chunk, d - i * chunk)));
    }
    auto split =
        create("strata.split", x, {i64("axis", axis), array("sizes", sizes)},
               sizes.size());
    if (failed(split))
      return failure();
    for (Value v : (*split)->getResults())
      outs.push_back(v);
    return success();
  } else if (op == "Pad") {
    SmallVector<int64_t> pads;
    double value = 0.0;
    if (opset_ < 11) {
      pads = attrInts("pads").value_or(SmallVector<int64_t>());
      value = attrF("value", 0.0);
    } else {
      auto p = constInts(1, "pads");
      if (failed(p))
        return failure();
      pads = *p;
      if (hasInput(2)) {
        const Tensor *t = constInput(2);
        if (!t)
          return notConstant(2, "constant_value");
        if (t->numElements() != 1)
          return failNode("constant_value must be a scalar");
        value = t->get(0);
      }
      if (hasInput(3)) {
        auto axes = constInts(3, "axes");
        if (failed(axes))
          return failure();
        // Pads for the listed axes only: spread them over every dimension.
        SmallVector<int64_t> full(2 * rank, 0);
        for (auto [k, ax] : llvm::enumerate(*axes)) {
          int64_t d = ax < 0 ? ax + rank : ax;
          if (d < 0 || d >= rank || 2 * axes->size() != pads.size())
            return failNode("invalid axes");
          full[d] = pads[k];
          full[d + rank] = pads[k + axes->size()];
        }
        pads = full;
      }
    }
    std::string mode = attrS("mode", "constant");
    std::optional<PadMode> m =
        mode == "constant"  ? std::optional(PadMode::constant)
        : mode == "reflect" ? std::optional(PadMode::reflect)
        : mode == "edge"    ? std::optional(PadMode::edge)
        : mode == "wrap"    ? std::optional(PadMode::wrap)
                            : std::nullopt;
    if (!m)
      return failNode("unknown mode '" + mode + "'");
    r = create1("strata.pad", x,
                {array("pads", pads), attr("mode", PadModeAttr::get(&ctx_, *m)),
                 f64("value", value)});
  } else if (op == "Expand") {
    auto shape = constInts(1, "shape");
    if (failed(shape))
      return failure();
    // Expand broadcasts both ways: the result is the broadcast of the input's
    // shape and `shape`.
    SmallVector<int64_t> out(*shape);
    if (rank > static_cast<int64_t>(out.size()))
      out.insert(out.begin(), rank - out.size(), 1);
    for (int64_t i = 0; i < rank; ++i) {
      int64_t &o = out[out.size() - rank + i];
      int64_t d = type.getDimSize(i);
      if (o == 1)
        o = d;
      else if (d != 1 && d != o && !ShapedType::isDynamic(d))
        return failNode("cannot expand size " + std::to_string(d) + " to " +
                        std::to_string(o));
    }
    if (llvm::any_of(out, ShapedType::isDynamic))
      return unsupported("expanding a dynamic size");
    r = create1("strata.broadcast_to", x, {array("shape", out)});
  } else if (op == "Tile") {
    auto repeats = constInts(1, "repeats");
    if (failed(repeats))
      return failure();
    r = create1("strata.tile", x, {array("repeats", *repeats)});
  } else if (op == "DepthToSpace") {
    r = create1("strata.depth_to_space", x,
                {i64("blocksize", attrI("blocksize", 1)),
                 attr("mode", b_.getStringAttr(attrS("mode", "DCR")))});
  } else if (op == "SpaceToDepth") {
    r = create1("strata.space_to_depth", x,
                {i64("blocksize", attrI("blocksize", 1))});
  } else {
    return unsupported();
  }
  if (failed(r))
    return failure();
  outs.push_back(*r);
  return success();
}

//===----------------------------------------------------------------------===//
// Indexing
//===----------------------------------------------------------------------===//

LogicalResult Importer::lowerIndexing(const ::onnx::NodeProto &node,
                                      SmallVector<Value> &outs) {
  StringRef op = node.op_type();
  auto data = required(0), indices = required(1);
  if (failed(data) || failed(indices))
    return failure();
  FailureOr<Value> r = failure();
  if (op == "Gather")
    r = create1("strata.gather", {*data, *indices},
                {i64("axis", attrI("axis", 0))});
  else if (op == "GatherElements")
    r = create1("strata.gather_elements", {*data, *indices},
                {i64("axis", attrI("axis", 0))});
  else if (op == "GatherND")
    r = create1("strata.gather_nd", {*data, *indices},
                {i64("batch_dims", attrI("batch_dims", 0))});
  else if (op == "ScatterElements" || op == "Scatter") {
    auto updates = required(2);
    if (failed(updates))
      return failure();
    r = create1(
        "strata.scatter_elements", {*data, *indices, *updates},
        {i64("axis", attrI("axis", 0)),
         attr("reduction", b_.getStringAttr(attrS("reduction", "none")))});
  } else if (op == "OneHot") {
    // OneHot(indices, depth, values): `data` is the indices here.
    auto values = required(2);
    if (failed(values))
      return failure();
    const Tensor *depth = constInput(1);
    if (!depth)
      return notConstant(1, "depth");
    if (depth->numElements() != 1)
      return failNode("depth must hold one value");
    Value idx = *data;
    if (isa<FloatType>(typeOf(idx).getElementType())) {
      auto c = castTo(idx, b_.getI64Type());
      if (failed(c))
        return failure();
      idx = *c;
    }
    r = create1("strata.one_hot", {idx, *values},
                {i64("depth", static_cast<int64_t>(depth->get(0))),
                 i64("axis", attrI("axis", -1))});
  } else {
    return unsupported();
  }
  if (failed(r))
    return failure();
  outs.push_back(*r);
  return success();
}

//===----------------------------------------------------------------------===//
// Structure: Identity, Cast, Dropout
//===----------------------------------------------------------------------===//

LogicalResult Importer::lowerStructure(const ::onnx::NodeProto &node,
                                       SmallVector<Value> &outs) {
  StringRef op = node.op_type();
  auto x = required(0);
  if (failed(x))
    return failure();
  if (op == "Identity") {
    outs.push_back(*x);
  } else if (op == "Dropout") {
    // Inference: the identity. A mask output or training mode needs the
    // random state, which this slice does not thread yet.
    if (hasInput(2)) {
      const Tensor *t = constInput(2);
      if (!t)
        return notConstant(2, "training_mode");
      // Training with ratio 0 drops nothing; other ratios need the random
      // state, which this slice does not thread.
      const Tensor *ratio = constInput(1);
      if (t->getInt(0) != 0 && hasInput(1) && !ratio)
        return notConstant(1, "ratio");
      if (t->getInt(0) != 0 && (!ratio || ratio->get(0) != 0.0))
        return unsupported("training_mode with a nonzero ratio");
    }
    outs.push_back(*x);
    if (wantsOutput(1)) { // Nothing is dropped: the mask is all true.
      auto type = typeOf(*x);
      if (!type.hasStaticShape())
        return unsupported("the mask output of a dynamic shape");
      Tensor mask(DType::i1, std::vector<int64_t>(type.getShape()));
      for (int64_t i = 0; i < mask.numElements(); ++i)
        mask.setInt(i, 1);
      auto m = constant(mask);
      if (failed(m))
        return failure();
      outs.push_back(*m);
    }
  } else if (op == "Cast" || op == "CastLike") {
    Type to;
    if (op == "Cast") {
      auto elem = elementTypeOf(static_cast<int32_t>(attrI("to", 0)), ctx_);
      if (!elem)
        return unsupported("cast to " +
                           onnxTypeName(static_cast<int32_t>(attrI("to", 0))));
      to = *elem;
    } else {
      auto like = required(1);
      if (failed(like))
        return failure();
      to = typeOf(*like).getElementType();
    }
    auto r = castTo(*x, to);
    if (failed(r))
      return failure();
    outs.push_back(*r);
  } else {
    return unsupported();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Composites: ONNX ops without a strata op of their own, built from several
//===----------------------------------------------------------------------===//

// Binds `var` to the value of a FailureOr<Value> expression or returns.
#define STRATA_TRY(var, expr)                                                  \
  Value var;                                                                   \
  {                                                                            \
    auto tried = (expr);                                                       \
    if (failed(tried))                                                         \
      return failure();                                                        \
    var = *tried;                                                              \
  }

LogicalResult Importer::lowerLayerNormWithStats(Value x,
                                                SmallVector<Value> &outs) {
  // Mean and InvStdDev are outputs too: spell the normalization out.
  int64_t rank = rankOf(x);
  int64_t axis = attrI("axis", -1);
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    return failNode("axis out of range");
  SmallVector<int64_t> axes;
  for (int64_t i = axis; i < rank; ++i)
    axes.push_back(i);
  auto reduceAttrs =
      SmallVector<NamedAttribute>{array("axes", axes), flag("keepdims", true)};
  STRATA_TRY(scale, required(1));
  STRATA_TRY(mean, create1("strata.reduce_mean", x, reduceAttrs));
  STRATA_TRY(d, create1("strata.sub", {x, mean}));
  STRATA_TRY(sq, create1("strata.mul", {d, d}));
  STRATA_TRY(var, create1("strata.reduce_mean", sq, reduceAttrs));
  STRATA_TRY(eps, scalarLike(x, attrF("epsilon", 1e-5)));
  STRATA_TRY(varEps, create1("strata.add", {var, eps}));
  STRATA_TRY(invStd, create1("strata.rsqrt", varEps));
  STRATA_TRY(norm, create1("strata.mul", {d, invStd}));
  STRATA_TRY(y, create1("strata.mul", {norm, scale}));
  if (Value bias = input(2)) {
    STRATA_TRY(biased, create1("strata.add", {y, bias}));
    y = biased;
  }
  outs.append({y, mean, invStd});
  return success();
}

FailureOr<Value> Importer::negativeLogLikelihood(Value logProb, Value target,
                                                 Value weight) {
  // loss[n, d...] = -logProb[n, target[n, d...], d...] * weight[target];
  // targets equal to ignore_index contribute 0 (and no weight).
  auto targetType = typeOf(target);
  auto floatType = typeOf(logProb).getElementType();
  // The class dimension is dim 1 of the scores: targets are [N, d...] and
  // the scores [N, C, d...].
  if (targetType.getRank() < 1 ||
      typeOf(logProb).getRank() != targetType.getRank() + 1)
    return failNode("target of rank " + Twine(targetType.getRank()) +
                    " does not fit scores of rank " +
                    Twine(typeOf(logProb).getRank()) +
                    " (expected [N, d...] and [N, C, d...])");
  Value safe = target, valid;
  if (const auto *ii = findAttr("ignore_index")) {
    auto dtype = reference::dtypeOf(targetType.getElementType());
    auto iiConst = constant(Tensor::fromInts(*dtype, {}, {ii->i()}));
    auto zero = constant(Tensor::fromInts(*dtype, {}, {0}));
    if (failed(iiConst) || failed(zero))
      return failure();
    STRATA_TRY(ne, create1("strata.not_equal", {target, *iiConst}));
    valid = ne;
    STRATA_TRY(s2, create1("strata.where", {valid, target, *zero}));
    safe = s2;
  }
  SmallVector<int64_t> idxShape(targetType.getShape());
  idxShape.insert(idxShape.begin() + 1, 1);
  STRATA_TRY(idx, reshapeTo(safe, idxShape));
  STRATA_TRY(picked, create1("strata.gather_elements", {logProb, idx},
                             {i64("axis", 1)}));
  STRATA_TRY(flat, reshapeTo(picked, targetType.getShape()));
  STRATA_TRY(loss, create1("strata.neg", flat));
  Value w;
  if (weight) {
    STRATA_TRY(g, create1("strata.gather", {weight, safe}, {i64("axis", 0)}));
    w = g;
  }
  if (valid) {
    STRATA_TRY(vf, castTo(valid, floatType));
    if (w) {
      STRATA_TRY(m, create1("strata.mul", {w, vf}));
      w = m;
    } else {
      w = vf;
    }
  }
  if (w) {
    STRATA_TRY(m, create1("strata.mul", {loss, w}));
    loss = m;
  }
  std::string reduction = attrS("reduction", "mean");
  auto all =
      SmallVector<NamedAttribute>{array("axes", {}), flag("keepdims", false)};
  if (reduction == "none")
    return loss;
  STRATA_TRY(sum, create1("strata.reduce_sum", loss, all));
  if (reduction == "sum")
    return sum;
  if (reduction != "mean") {
    (void)failNode("unknown reduction '" + reduction + "'");
    return failure();
  }
  if (!w)
    return create1("strata.reduce_mean", loss, all);
  STRATA_TRY(wsum, create1("strata.reduce_sum", w, all));
  return create1("strata.div", {sum, wsum});
}

FailureOr<Value> Importer::hardmax(Value x, int64_t axis) {
  auto type = typeOf(x);
  int64_t rank = type.getRank();
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank || type.isDynamicDim(axis)) {
    (void)failNode("axis out of range or dynamic");
    return failure();
  }
  auto dtype = reference::dtypeOf(type.getElementType());
  STRATA_TRY(am, create1("strata.argmax", x,
                         {i64("axis", axis), flag("keepdims", false)}));
  auto values = constant(Tensor::fromDoubles(*dtype, {2}, {0.0, 1.0}));
  if (failed(values))
    return failure();
  return create1("strata.one_hot", {am, *values},
                 {i64("depth", type.getDimSize(axis)), i64("axis", axis)});
}

LogicalResult Importer::lowerComposite(const ::onnx::NodeProto &node,
                                       SmallVector<Value> &outs) {
  StringRef op = node.op_type();
  STRATA_TRY(x, required(0));
  auto type = typeOf(x);
  Value r;
  if (op == "Trilu") {
    if (!type.hasStaticShape() || type.getRank() < 2)
      return unsupported("needs a static shape of rank >= 2");
    int64_t k = 0;
    if (hasInput(1)) {
      auto v = constInts(1, "k");
      if (failed(v))
        return failure();
      k = v->empty() ? 0 : (*v)[0];
    }
    bool upper = attrI("upper", 1);
    int64_t rows = type.getDimSize(type.getRank() - 2),
            cols = type.getDimSize(type.getRank() - 1);
    Tensor mask(DType::i1, {rows, cols});
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j)
        mask.setInt(i * cols + j, upper ? j - i >= k : j - i <= k);
    STRATA_TRY(m, constant(mask));
    STRATA_TRY(zero, scalarLike(x, 0.0));
    STRATA_TRY(w, create1("strata.where", {m, x, zero}));
    r = w;
  } else if (op == "NegativeLogLikelihoodLoss") {
    STRATA_TRY(target, required(1));
    STRATA_TRY(loss, negativeLogLikelihood(x, target, input(2)));
    r = loss;
  } else if (op == "SoftmaxCrossEntropyLoss") {
    STRATA_TRY(labels, required(1));
    STRATA_TRY(logProb, create1("strata.log_softmax", x, {i64("axis", 1)}));
    STRATA_TRY(loss, negativeLogLikelihood(logProb, labels, input(2)));
    outs.append({loss, logProb});
    return success();
  } else if (op == "Hardmax") {
    if (opset_ >= 13) {
      STRATA_TRY(h, hardmax(x, attrI("axis", -1)));
      r = h;
    } else {
      // Before opset 13 the input is seen as a 2-D matrix split at `axis`.
      int64_t rank = type.getRank(), axis = attrI("axis", 1);
      if (axis < 0)
        axis += rank;
      if (!type.hasStaticShape())
        return unsupported("coerced 2-D hardmax needs a static shape");
      int64_t inner = 1;
      for (int64_t i = axis; i < rank; ++i)
        inner *= type.getDimSize(i);
      STRATA_TRY(flat, reshape(x, {-1, inner}));
      STRATA_TRY(h, hardmax(flat, 1));
      STRATA_TRY(back, reshape(h, type.getShape()));
      r = back;
    }
  } else if (op == "EyeLike") {
    if (!type.hasStaticShape() || type.getRank() != 2)
      return unsupported("needs a static 2-D shape");
    Type elem = type.getElementType();
    if (const auto *dt = findAttr("dtype")) {
      auto e = elementTypeOf(static_cast<int32_t>(dt->i()), ctx_);
      if (!e)
        return unsupported("dtype " +
                           onnxTypeName(static_cast<int32_t>(dt->i())));
      elem = *e;
    }
    int64_t k = attrI("k", 0);
    Tensor eye(*reference::dtypeOf(elem),
               std::vector<int64_t>(type.getShape()));
    for (int64_t i = 0; i < type.getDimSize(0); ++i)
      if (i + k >= 0 && i + k < type.getDimSize(1))
        eye.set(i * type.getDimSize(1) + i + k, 1.0);
    STRATA_TRY(c, constant(eye));
    r = c;
  } else if (op == "IsInf") {
    if (!isa<FloatType>(type.getElementType()))
      return unsupported("integer input");
    STRATA_TRY(pos, scalarLike(x, INFINITY));
    STRATA_TRY(neg, scalarLike(x, -INFINITY));
    STRATA_TRY(isPos, create1("strata.equal", {x, pos}));
    STRATA_TRY(isNeg, create1("strata.equal", {x, neg}));
    bool detectPos = attrI("detect_positive", 1),
         detectNeg = attrI("detect_negative", 1);
    if (detectPos && detectNeg) {
      STRATA_TRY(both, create1("strata.or", {isPos, isNeg}));
      r = both;
    } else if (detectPos) {
      r = isPos;
    } else if (detectNeg) {
      r = isNeg;
    } else {
      STRATA_TRY(never, create1("strata.and", {isPos, isNeg}));
      r = never;
    }
  } else if (op == "Tan") {
    STRATA_TRY(sin, create1("strata.sin", x));
    STRATA_TRY(cos, create1("strata.cos", x));
    STRATA_TRY(t, create1("strata.div", {sin, cos}));
    r = t;
  } else if (op == "Sinh" || op == "Cosh") {
    STRATA_TRY(e, create1("strata.exp", x));
    STRATA_TRY(nx, create1("strata.neg", x));
    STRATA_TRY(en, create1("strata.exp", nx));
    STRATA_TRY(c, create1(op == "Sinh" ? "strata.sub" : "strata.add", {e, en}));
    STRATA_TRY(half, scalarLike(x, 0.5));
    STRATA_TRY(h, create1("strata.mul", {c, half}));
    r = h;
  } else if (op == "Asinh" || op == "Acosh") {
    STRATA_TRY(sq, create1("strata.mul", {x, x}));
    STRATA_TRY(one, scalarLike(x, 1.0));
    STRATA_TRY(t,
               create1(op == "Asinh" ? "strata.add" : "strata.sub", {sq, one}));
    STRATA_TRY(root, create1("strata.sqrt", t));
    STRATA_TRY(sum, create1("strata.add", {x, root}));
    STRATA_TRY(l, create1("strata.log", sum));
    r = l;
  } else if (op == "Atanh") {
    STRATA_TRY(one, scalarLike(x, 1.0));
    STRATA_TRY(num, create1("strata.add", {one, x}));
    STRATA_TRY(den, create1("strata.sub", {one, x}));
    STRATA_TRY(q, create1("strata.div", {num, den}));
    STRATA_TRY(l, create1("strata.log", q));
    STRATA_TRY(half, scalarLike(x, 0.5));
    STRATA_TRY(h, create1("strata.mul", {l, half}));
    r = h;
  } else if (op == "HannWindow" || op == "HammingWindow" ||
             op == "BlackmanWindow") {
    const Tensor *size = constInput(0);
    if (!size)
      return notConstant(0, "size");
    int64_t n = size->getInt(0);
    if (n < 0)
      return failNode("negative size");
    auto elem =
        elementTypeOf(static_cast<int32_t>(attrI("output_datatype", 1)), ctx_);
    if (!elem)
      return unsupported("output_datatype");
    double period = static_cast<double>(attrI("periodic", 1) ? n : n - 1);
    std::vector<double> values;
    for (int64_t i = 0; i < n; ++i) {
      double a = 2 * M_PI * static_cast<double>(i) / period;
      if (op == "HannWindow")
        values.push_back(0.5 - 0.5 * std::cos(a));
      else if (op == "HammingWindow")
        values.push_back(25.0 / 46 - 21.0 / 46 * std::cos(a));
      else
        values.push_back(0.42 - 0.5 * std::cos(a) + 0.08 * std::cos(2 * a));
    }
    STRATA_TRY(c, constant(Tensor::fromDoubles(*reference::dtypeOf(*elem), {n},
                                               values)));
    r = c;
  } else if (op == "BitShift") {
    // x << y = x * 2^y and x >> y = x / 2^y on unsigned integers.
    STRATA_TRY(y, required(1));
    STRATA_TRY(two, scalarLike(x, 2.0));
    STRATA_TRY(p, create1("strata.pow", {two, y}));
    std::string dir = attrS("direction", "");
    if (dir != "LEFT" && dir != "RIGHT")
      return failNode("direction must be LEFT or RIGHT");
    STRATA_TRY(v, create1(dir == "LEFT" ? "strata.mul" : "strata.div", {x, p}));
    r = v;
  } else if (op == "Compress") {
    // The kept positions are known at import: a gather of them.
    const Tensor *cond = constInput(1);
    if (!cond)
      return notConstant(1, "condition");
    Value data = x;
    int64_t axis;
    if (const auto *a = findAttr("axis")) {
      axis = a->i() < 0 ? a->i() + type.getRank() : a->i();
    } else {
      STRATA_TRY(flat,
                 reshapeTo(x, {type.hasStaticShape() ? type.getNumElements()
                                                     : ShapedType::kDynamic}));
      data = flat;
      axis = 0;
    }
    std::vector<int64_t> keep;
    for (int64_t i = 0; i < cond->numElements(); ++i)
      if (cond->getInt(i))
        keep.push_back(i);
    STRATA_TRY(idx,
               constant(Tensor::fromInts(
                   DType::i64, {static_cast<int64_t>(keep.size())}, keep)));
    STRATA_TRY(g, create1("strata.gather", {data, idx}, {i64("axis", axis)}));
    r = g;
  } else if (op == "ReverseSequence") {
    // Reverses the first len[b] steps of each batch entry: a gather along
    // the time axis with indices computed here.
    const Tensor *lens = constInput(1);
    if (!lens)
      return notConstant(1, "sequence_lens");
    if (!type.hasStaticShape())
      return unsupported("needs a static shape");
    int64_t timeAxis = attrI("time_axis", 0),
            batchAxis = attrI("batch_axis", 1);
    std::vector<int64_t> shape(type.getShape());
    Tensor idx(DType::i64, shape);
    int64_t k = 0;
    reference::forEachIndex(shape, [&](ArrayRef<int64_t> index) {
      int64_t t = index[timeAxis], len = lens->getInt(index[batchAxis]);
      idx.setInt(k++, t < len ? len - 1 - t : t);
    });
    STRATA_TRY(ic, constant(idx));
    STRATA_TRY(
        g, create1("strata.gather_elements", {x, ic}, {i64("axis", timeAxis)}));
    r = g;
  } else if (op == "MeanVarianceNormalization") {
    // ONNX's function body: (x - E[x]) / (sqrt(E[x^2] - E[x]^2) + 1e-9).
    SmallVector<int64_t> axes =
        attrInts("axes").value_or(SmallVector<int64_t>{0, 2, 3});
    auto reduce = SmallVector<NamedAttribute>{array("axes", axes),
                                              flag("keepdims", true)};
    STRATA_TRY(mean, create1("strata.reduce_mean", x, reduce));
    STRATA_TRY(meanSq, create1("strata.mul", {mean, mean}));
    STRATA_TRY(sq, create1("strata.mul", {x, x}));
    STRATA_TRY(sqMean, create1("strata.reduce_mean", sq, reduce));
    STRATA_TRY(var, create1("strata.sub", {sqMean, meanSq}));
    STRATA_TRY(stdDev, create1("strata.sqrt", var));
    STRATA_TRY(eps, scalarLike(x, 1e-9));
    STRATA_TRY(den, create1("strata.add", {stdDev, eps}));
    STRATA_TRY(num, create1("strata.sub", {x, mean}));
    STRATA_TRY(y, create1("strata.div", {num, den}));
    r = y;
  } else if (op == "Range") {
    const Tensor *start = constInput(0), *limit = constInput(1),
                 *delta = constInput(2);
    for (int i = 0; i < 3; ++i)
      if (!constInput(i))
        return notConstant(i, i == 0 ? "start" : i == 1 ? "limit" : "delta");
    double d = delta->get(0);
    if (d == 0)
      return failNode("delta is 0");
    int64_t n = std::max<int64_t>(0, static_cast<int64_t>(std::ceil(
                                         (limit->get(0) - start->get(0)) / d)));
    std::vector<double> values;
    for (int64_t i = 0; i < n; ++i)
      values.push_back(start->get(0) + static_cast<double>(i) * d);
    Tensor t = Tensor::fromDoubles(start->dtype(), {n}, values);
    STRATA_TRY(c, constant(t));
    r = c;
  } else {
    return unsupported();
  }
  outs.push_back(r);
  return success();
}

/// The weights of one axis of ONNX Resize (onnx 1.12's reference
/// implementation, which the node tests were generated with): output
/// position x reads input positions idx with coefficients; edges are
/// replicated.
static std::vector<double> resizeWeights(int64_t in, int64_t out, double scale,
                                         StringRef coordMode, StringRef mode,
                                         StringRef nearestMode, double cubicA,
                                         bool excludeOutside) {
  std::vector<double> w(out * in, 0.0);
  double outWidth = scale * static_cast<double>(in);
  for (int64_t x = 0; x < out; ++x) {
    double xd = static_cast<double>(x), xo;
    if (coordMode == "align_corners")
      xo = outWidth == 1 ? 0 : xd * (in - 1) / (outWidth - 1);
    else if (coordMode == "asymmetric")
      xo = xd / scale;
    else if (coordMode == "pytorch_half_pixel")
      xo = outWidth == 1 ? -0.5 : (xd + 0.5) / scale - 0.5;
    else if (coordMode == "tf_half_pixel_for_nn")
      xo = (xd + 0.5) / scale;
    else // half_pixel
      xo = (xd + 0.5) / scale - 0.5;
    double ratio = xo == std::floor(xo) ? 1.0 : xo - std::floor(xo);
    std::vector<double> coeffs;
    if (mode == "nearest") {
      bool second;
      if (ratio == 1.0)
        second = true;
      else if (nearestMode == "round_prefer_ceil")
        second = ratio >= 0.5;
      else if (nearestMode == "floor")
        second = false;
      else if (nearestMode == "ceil")
        second = true;
      else // round_prefer_floor
        second = ratio > 0.5;
      coeffs = {second ? 0.0 : 1.0, second ? 1.0 : 0.0};
    } else if (mode == "linear") {
      coeffs = {1 - ratio, ratio};
    } else { // cubic
      double a = cubicA, r = ratio, q = 1 - ratio;
      coeffs = {((a * (r + 1) - 5 * a) * (r + 1) + 8 * a) * (r + 1) - 4 * a,
                ((a + 2) * r - (a + 3)) * r * r + 1,
                ((a + 2) * q - (a + 3)) * q * q + 1,
                ((a * (q + 1) - 5 * a) * (q + 1) + 8 * a) * (q + 1) - 4 * a};
    }
    int64_t n = static_cast<int64_t>(coeffs.size()), pad = (n + 1) / 2;
    // The n padded positions nearest to xo, ties to the smaller one.
    std::vector<int64_t> idx;
    for (int64_t i = 0; i < in + 2 * pad; ++i)
      idx.push_back(i);
    double xp = xo + pad;
    std::stable_sort(idx.begin(), idx.end(), [&](int64_t a, int64_t b) {
      return std::fabs(xp - a) < std::fabs(xp - b);
    });
    idx.resize(std::min<int64_t>(n, idx.size()));
    std::sort(idx.begin(), idx.end());
    if (excludeOutside) {
      double sum = 0;
      for (int64_t k = 0; k < n; ++k) {
        int64_t i = idx[k] - pad;
        if (i < 0 || i >= in)
          coeffs[k] = 0;
        sum += coeffs[k];
      }
      for (double &c : coeffs)
        c /= sum;
    }
    for (int64_t k = 0; k < static_cast<int64_t>(idx.size()); ++k) {
      int64_t i = std::clamp<int64_t>(idx[k] - pad, 0, in - 1);
      w[x * in + i] += coeffs[k];
    }
  }
  return w;
}

LogicalResult Importer::lowerResize(const ::onnx::NodeProto &node,
                                    SmallVector<Value> &outs) {
  // Resize is separable: each resized axis is a matrix product with a
  // constant out x in weight matrix computed here.
  STRATA_TRY(x, required(0));
  auto type = typeOf(x);
  if (!type.hasStaticShape())
    return unsupported("needs a static input shape");
  if (!isa<FloatType>(type.getElementType()))
    return unsupported("integer data");
  int64_t rank = type.getRank();
  bool upsample = node.op_type() == "Upsample";
  std::string mode = attrS("mode", "nearest");
  // Opset 10 Resize and Upsample have only `mode`, with asymmetric
  // coordinates and floor-rounded nearest neighbours.
  bool legacy = upsample || opset_ < 11;
  std::string coordMode =
      legacy ? "asymmetric"
             : attrS("coordinate_transformation_mode", "half_pixel");
  std::string nearestMode =
      legacy ? "floor" : attrS("nearest_mode", "round_prefer_floor");
  if (coordMode == "tf_crop_and_resize")
    return unsupported("coordinate_transformation_mode tf_crop_and_resize");
  if (mode != "nearest" && mode != "linear" && mode != "cubic")
    return failNode("unknown mode '" + mode + "'");
  SmallVector<double> scales;
  SmallVector<int64_t> sizes;
  if (upsample && opset_ < 9) {
    auto *a = findAttr("scales");
    if (!a)
      return failNode("missing scales");
    scales.assign(a->floats().begin(), a->floats().end());
  } else {
    int scalesInput = legacy ? 1 : 2;
    if (hasInput(scalesInput)) {
      const Tensor *t = constInput(scalesInput);
      if (!t)
        return notConstant(scalesInput, "scales");
      for (int64_t i = 0; i < t->numElements(); ++i)
        scales.push_back(t->get(i));
    }
    if (!legacy && hasInput(3)) {
      auto v = constInts(3, "sizes");
      if (failed(v))
        return failure();
      sizes = *v;
    }
  }
  if (sizes.empty() && static_cast<int64_t>(scales.size()) != rank)
    return failNode("needs " + std::to_string(rank) + " scales or sizes");
  if (!sizes.empty() && static_cast<int64_t>(sizes.size()) != rank)
    return failNode("needs " + std::to_string(rank) + " sizes");
  Value v = x;
  auto dtype = *reference::dtypeOf(type.getElementType());
  for (int64_t k = 0; k < rank; ++k) {
    int64_t in = type.getDimSize(k);
    int64_t out = sizes.empty()
                      ? static_cast<int64_t>(std::floor(in * scales[k]))
                      : sizes[k];
    double scale = sizes.empty()
                       ? scales[k]
                       : static_cast<double>(out) / static_cast<double>(in);
    if (in <= 0 || out <= 0 || scale <= 0)
      return unsupported("empty input or output");
    std::vector<double> w = resizeWeights(
        in, out, scale, coordMode, mode, nearestMode,
        attrF("cubic_coeff_a", -0.75), attrI("exclude_outside", 0));
    bool identity = in == out;
    for (int64_t i = 0; identity && i < out; ++i)
      for (int64_t j = 0; j < in; ++j)
        if (w[i * in + j] != (i == j ? 1.0 : 0.0))
          identity = false;
    if (identity)
      continue;
    // [in, out]: the transpose of the weights, for v(..., in) x W^T.
    std::vector<double> wt(in * out);
    for (int64_t i = 0; i < out; ++i)
      for (int64_t j = 0; j < in; ++j)
        wt[j * out + i] = w[i * in + j];
    STRATA_TRY(weights, constant(Tensor::fromDoubles(dtype, {in, out}, wt)));
    SmallVector<int64_t> perm;
    for (int64_t i = 0; i < rank; ++i)
      if (i != k)
        perm.push_back(i);
    perm.push_back(k);
    SmallVector<int64_t> inverse(rank);
    for (int64_t i = 0; i < rank; ++i)
      inverse[perm[i]] = i;
    bool last = k == rank - 1;
    Value t = v;
    if (!last) {
      STRATA_TRY(tr, create1("strata.transpose", v, {array("perm", perm)}));
      t = tr;
    }
    STRATA_TRY(mm, create1("strata.matmul", {t, weights}));
    t = mm;
    if (!last) {
      STRATA_TRY(back,
                 create1("strata.transpose", t, {array("perm", inverse)}));
      t = back;
    }
    v = t;
  }
  outs.push_back(v);
  return success();
}

LogicalResult Importer::lowerRecurrent(const ::onnx::NodeProto &node,
                                       SmallVector<Value> &outs) {
  // The sequence is unrolled into one strata cell per time step and
  // direction; Y stacks the hidden states, Y_h (Y_c) are the last ones.
  StringRef op = node.op_type();
  bool isLstm = op == "LSTM";
  int64_t gates = op == "RNN" ? 1 : op == "GRU" ? 3 : 4;
  STRATA_TRY(x0, required(0));
  STRATA_TRY(w, required(1));
  STRATA_TRY(r, required(2));
  if (findAttr("activations"))
    return unsupported("non-default activations");
  if (isLstm && (attrI("input_forget", 0) || hasInput(7)))
    return unsupported("peepholes or input_forget");
  auto xType = typeOf(x0);
  if (!xType.hasStaticShape() || xType.getRank() != 3)
    return unsupported("needs a static 3-D input");
  bool batchMajor = attrI("layout", 0) == 1;
  Value x = x0;
  if (batchMajor) {
    STRATA_TRY(t, create1("strata.transpose", x, {array("perm", {1, 0, 2})}));
    x = t;
  }
  auto seqType = typeOf(x);
  int64_t seq = seqType.getDimSize(0), batch = seqType.getDimSize(1),
          inputSize = seqType.getDimSize(2);
  int64_t hidden = attrI("hidden_size", 0);
  if (hidden <= 0) {
    auto rType = typeOf(r);
    if (rType.getRank() != 3 || rType.isDynamicDim(2))
      return failNode("needs hidden_size");
    hidden = rType.getDimSize(2);
  }
  if (hasInput(4)) { // sequence_lens: only full-length sequences.
    const Tensor *lens = constInput(4);
    if (!lens)
      return notConstant(4, "sequence_lens");
    for (int64_t i = 0; i < lens->numElements(); ++i)
      if (lens->getInt(i) != seq)
        return unsupported("sequence_lens shorter than the sequence");
  }
  std::string direction = attrS("direction", "forward");
  int64_t dirs = direction == "bidirectional" ? 2 : 1;
  SmallVector<NamedAttribute> cellAttrs;
  if (const auto *clip = findAttr("clip"))
    cellAttrs.push_back(f64("clip", clip->f()));
  if (op == "GRU")
    cellAttrs.push_back(
        flag("linear_before_reset", attrI("linear_before_reset", 0)));
  auto sliceDir = [&](Value v, int64_t d,
                      ArrayRef<int64_t> shape) -> FailureOr<Value> {
    auto sl = create1(
        "strata.slice", v,
        {array("starts", {d}), array("ends", {d + 1}), array("axes", {0})});
    if (failed(sl))
      return failure();
    return reshape(*sl, shape);
  };
  auto dtype = *reference::dtypeOf(xType.getElementType());
  SmallVector<Value> ys, lastH, lastC;
  for (int64_t d = 0; d < dirs; ++d) {
    bool reverse = direction == "reverse" || d == 1;
    STRATA_TRY(wd, sliceDir(w, d, {gates * hidden, inputSize}));
    STRATA_TRY(rd, sliceDir(r, d, {gates * hidden, hidden}));
    Value bd;
    if (Value b = input(3)) {
      STRATA_TRY(bs, sliceDir(b, d, {2 * gates * hidden}));
      bd = bs;
    }
    Value h, c;
    if (Value h0 = input(5)) {
      STRATA_TRY(hs, sliceDir(h0, d, {batch, hidden}));
      h = hs;
    } else {
      STRATA_TRY(z, constant(Tensor(dtype, {batch, hidden})));
      h = z;
    }
    if (isLstm) {
      if (Value c0 = input(6)) {
        STRATA_TRY(cs, sliceDir(c0, d, {batch, hidden}));
        c = cs;
      } else {
        STRATA_TRY(z, constant(Tensor(dtype, {batch, hidden})));
        c = z;
      }
    }
    SmallVector<Value> steps(seq);
    for (int64_t i = 0; i < seq; ++i) {
      int64_t t = reverse ? seq - 1 - i : i;
      STRATA_TRY(xt, sliceDir(x, t, {batch, inputSize}));
      SmallVector<Value> operands = {xt, h};
      if (isLstm)
        operands.push_back(c);
      operands.append({wd, rd});
      if (bd)
        operands.push_back(bd);
      StringRef cell = op == "RNN"   ? "strata.rnn_cell"
                       : op == "GRU" ? "strata.gru_cell"
                                     : "strata.lstm_cell";
      auto stepOp = create(cell, operands, cellAttrs, isLstm ? 2 : 1);
      if (failed(stepOp))
        return failure();
      h = (*stepOp)->getResult(0);
      if (isLstm)
        c = (*stepOp)->getResult(1);
      STRATA_TRY(y, reshape(h, {1, 1, batch, hidden}));
      steps[t] = y;
    }
    STRATA_TRY(yd, create1("strata.concat", steps, {i64("axis", 0)}));
    ys.push_back(yd);
    STRATA_TRY(hLast, reshape(h, {1, batch, hidden}));
    lastH.push_back(hLast);
    if (isLstm) {
      STRATA_TRY(cLast, reshape(c, {1, batch, hidden}));
      lastC.push_back(cLast);
    }
  }
  STRATA_TRY(y, create1("strata.concat", ys, {i64("axis", 1)}));
  STRATA_TRY(yh, create1("strata.concat", lastH, {i64("axis", 0)}));
  Value yc;
  if (isLstm) {
    STRATA_TRY(c, create1("strata.concat", lastC, {i64("axis", 0)}));
    yc = c;
  }
  if (batchMajor) {
    STRATA_TRY(yt,
               create1("strata.transpose", y, {array("perm", {2, 0, 1, 3})}));
    y = yt;
    STRATA_TRY(yht,
               create1("strata.transpose", yh, {array("perm", {1, 0, 2})}));
    yh = yht;
    if (yc) {
      STRATA_TRY(yct,
                 create1("strata.transpose", yc, {array("perm", {1, 0, 2})}));
      yc = yct;
    }
  }
  outs.append({y, yh});
  if (isLstm)
    outs.push_back(yc);
  return success();
}

#undef STRATA_TRY

const llvm::StringMap<Importer::Lowering> &Importer::loweringTable() {
  static const llvm::StringMap<Lowering> table = [] {
    llvm::StringMap<Lowering> t;
    auto add = [&](Lowering fn, std::initializer_list<const char *> ops) {
      for (const char *op : ops)
        t[op] = fn;
    };
    add(&Importer::lowerConstant,
        {"Constant", "Shape", "Size", "ConstantOfShape"});
    add(&Importer::lowerElementwise,
        {"Abs",   "Neg",        "Sign",        "Exp",     "Log",
         "Sqrt",  "Reciprocal", "Floor",       "Ceil",    "Round",
         "Erf",   "Sin",        "Cos",         "Not",     "IsNaN",
         "Add",   "Sub",        "Mul",         "Div",     "Pow",
         "Equal", "Less",       "LessOrEqual", "Greater", "GreaterOrEqual",
         "And",   "Or",         "Xor",         "Mod",     "Max",
         "Min",   "Sum",        "Mean",        "Where",   "Clip"});
    add(&Importer::lowerActivation,
        {"Relu", "Sigmoid", "Tanh", "Softplus", "Softsign", "HardSwish", "Mish",
         "LeakyRelu", "Elu", "Celu", "ThresholdedRelu", "Selu", "HardSigmoid",
         "Shrink", "Gelu", "PRelu", "Softmax", "LogSoftmax"});
    add(&Importer::lowerConvolution,
        {"Conv", "ConvTranspose", "MaxPool", "AveragePool", "GlobalAveragePool",
         "GlobalMaxPool", "LRN"});
    add(&Importer::lowerLinearAlgebra, {"MatMul", "Gemm"});
    add(&Importer::lowerNormalization,
        {"BatchNormalization", "InstanceNormalization", "LayerNormalization",
         "LpNormalization"});
    add(&Importer::lowerReduction,
        {"ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd",
         "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp",
         "ReduceSumSquare", "ArgMax", "ArgMin", "CumSum", "TopK"});
    add(&Importer::lowerShape,
        {"Reshape", "Flatten", "Squeeze", "Unsqueeze", "Transpose", "Concat",
         "Slice", "Split", "Pad", "Expand", "Tile", "DepthToSpace",
         "SpaceToDepth"});
    add(&Importer::lowerIndexing, {"Gather", "GatherElements", "GatherND",
                                   "ScatterElements", "Scatter", "OneHot"});
    add(&Importer::lowerStructure, {"Identity", "Dropout", "Cast", "CastLike"});
    add(&Importer::lowerComposite, {"Trilu",
                                    "NegativeLogLikelihoodLoss",
                                    "SoftmaxCrossEntropyLoss",
                                    "Hardmax",
                                    "EyeLike",
                                    "IsInf",
                                    "Tan",
                                    "Sinh",
                                    "Cosh",
                                    "Asinh",
                                    "Acosh",
                                    "Atanh",
                                    "Range",
                                    "HannWindow",
                                    "HammingWindow",
                                    "BlackmanWindow",
                                    "BitShift",
                                    "Compress",
                                    "ReverseSequence",
                                    "MeanVarianceNormalization"});
    add(&Importer::lowerResize, {"Resize", "Upsample"});
    add(&Importer::lowerRecurrent, {"RNN", "GRU", "LSTM"});
    return t;
  }();
  return table;
}

} // namespace

OwningOpRef<ModuleOp> importOnnxModelBytes(StringRef bytes, StringRef name,
                                           MLIRContext &context,
                                           const OnnxImportOptions &options,
                                           OnnxImportError &error) {
  error = OnnxImportError();
  context.loadDialect<StrataDialect, func::FuncDialect>();
  ::onnx::ModelProto model;
  // ParseFromArray fails on truncated or non-protobuf bytes; a file that
  // happens to parse but has no graph is not a model either.
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max()) ||
      !model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    error.kind = OnnxImportError::Kind::Parse;
    error.message = "not a valid ONNX model (protobuf parse failed: the file "
                    "is truncated or not an ONNX ModelProto)";
    return nullptr;
  }
  if (!model.has_graph() || model.ir_version() <= 0) {
    error.kind = OnnxImportError::Kind::Parse;
    error.message = "not an ONNX model (no ir_version or graph)";
    return nullptr;
  }
  Importer importer(context, options, name, error);
  return importer.run(model);
}

OwningOpRef<ModuleOp> importOnnxModelFile(StringRef path, MLIRContext &context,
                                          const OnnxImportOptions &options,
                                          OnnxImportError &error) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) {
    error = OnnxImportError();
    error.kind = OnnxImportError::Kind::Io;
    error.message =
        "cannot open '" + path.str() + "': " + buffer.getError().message();
    return nullptr;
  }
  return importOnnxModelBytes((*buffer)->getBuffer(), path, context, options,
                              error);
}

} // namespace strata::onnx_import
