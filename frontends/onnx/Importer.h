//===- Importer.h - The ONNX importer's state, shared by its lowerings ----===//
//
// Internal to frontends/onnx: the Importer walks one ModelProto and keeps the
// values and import-time constants by ONNX name; each op family's lowering
// lives in its own <Family>Lowering.cpp and is a member of this class.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_FRONTENDS_ONNX_IMPORTER_H
#define STRATA_FRONTENDS_ONNX_IMPORTER_H

#include "frontends/onnx/ImportOnnx.h"
#include "frontends/onnx/OnnxTensors.h"

#include "ir/Shapes.h"
#include "ir/StrataDialect.h"
#include "ir/reference/Constants.h"
#include "ir/reference/Evaluator.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringMap.h"

#include "onnx/onnx_pb.h"

#include <map>
#include <set>
#include <string>

namespace strata::onnx_import {

using namespace mlir;
using reference::DType;
using reference::Tensor;

using Kind = OnnxImportError::Kind;

/// The MLIR element type of an ONNX TensorProto data type, if Strata has one.
inline std::optional<Type> elementTypeOf(int32_t onnxType, MLIRContext &ctx) {
  auto dtype = dtypeOfOnnx(onnxType);
  if (!dtype)
    return std::nullopt;
  return reference::toMlirType(*dtype, &ctx);
}

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
  /// `saturate`: out-of-range values become the largest finite value of a
  /// float target (strata.cast's `saturate`); `roundMode`: strata.cast's
  /// `round_mode` (f8E8M0FNU targets), when not empty.
  FailureOr<Value> castTo(Value v, Type elementType, bool saturate = false,
                          StringRef roundMode = "") {
    if (typeOf(v).getElementType() == elementType && !saturate)
      return v;
    // strata.cast declares its result type (nothing to infer): build it
    // directly and let its verifier judge it.
    auto type = typeOf(v).clone(elementType);
    OperationState state(v.getLoc(), "strata.cast");
    state.addOperands(v);
    state.addTypes(type);
    if (saturate)
      state.addAttribute("saturate", b_.getBoolAttr(true));
    if (!roundMode.empty())
      state.addAttribute("round_mode", b_.getStringAttr(roundMode));
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
  LogicalResult checkGraph(const ::onnx::GraphProto &graph);
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
  LogicalResult lowerEinsum(const ::onnx::NodeProto &, SmallVector<Value> &);
  LogicalResult lowerComposite(const ::onnx::NodeProto &, SmallVector<Value> &);
  LogicalResult lowerLayerNormWithStats(Value x, SmallVector<Value> &outs);
  FailureOr<Value> negativeLogLikelihood(Value logProb, Value target,
                                         Value weight);
  FailureOr<Value> hardmax(Value x, int64_t axis);
  LogicalResult lowerResize(const ::onnx::NodeProto &, SmallVector<Value> &);
  LogicalResult lowerSpectral(const ::onnx::NodeProto &, SmallVector<Value> &);
  LogicalResult lowerSampling(const ::onnx::NodeProto &, SmallVector<Value> &);
  LogicalResult lowerQuantization(const ::onnx::NodeProto &,
                                  SmallVector<Value> &);
  LogicalResult lowerDynamicQuantization(SmallVector<Value> &);
  LogicalResult lowerRecurrent(const ::onnx::NodeProto &, SmallVector<Value> &);
  LogicalResult lowerAttention(const ::onnx::NodeProto &, SmallVector<Value> &);
  LogicalResult lowerAttentionOp(SmallVector<Value> &outs);
  LogicalResult lowerRmsNormalization(SmallVector<Value> &outs);
  LogicalResult lowerRotaryEmbedding(SmallVector<Value> &outs);
  /// 0 where `allowed`, -inf elsewhere, in the element type of `like`.
  FailureOr<Value> zeroOrNegInf(Value allowed, Value like);
  /// Softmax along the last axis (step by step in 16-bit float types).
  FailureOr<Value> softmaxLastAxis(Value x);
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

// Binds `var` to the value of a FailureOr<Value> expression or returns.
#define STRATA_TRY(var, expr)                                                  \
  Value var;                                                                   \
  {                                                                            \
    auto tried = (expr);                                                       \
    if (failed(tried))                                                         \
      return failure();                                                        \
    var = *tried;                                                              \
  }

} // namespace strata::onnx_import

#endif // STRATA_FRONTENDS_ONNX_IMPORTER_H
