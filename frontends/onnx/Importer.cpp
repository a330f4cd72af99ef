//===- Importer.cpp - ONNX models to the strata dialect -------------------===//
//
// One module per model with one function `@main`: graph inputs that are not
// initializers become its arguments (named by `strata.name`), graph outputs
// its results. Initializers become strata.constant (or parameters). Nodes are
// lowered in graph order (ONNX requires a topological order), one function
// per op family, each in its <Family>Lowering.cpp. Every op is created
// generically and its result types are inferred before it is kept (as in the
// SINGA frontend), so bad attributes come back as errors naming the node
// instead of builder assertions.
//
// ONNX inputs that carry shapes or attributes as tensors (Reshape's shape,
// Slice's starts, ...) are read at import time: they must be initializers,
// Constant nodes or values computed from static shapes (Shape, Size).
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include "onnx/checker.h"
#include "onnx/defs/schema.h"

#include <exception>
#include <limits>

namespace strata::onnx_import {

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

/// Whether libonnx's checker knows the model's IR version and every opset it
/// imports (a newer model would be rejected for its version alone).
static bool checkerKnows(const ::onnx::ModelProto &model) {
  if (model.ir_version() > ::onnx::IR_VERSION)
    return false;
  const auto &known =
      ::onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map();
  for (const auto &imp : model.opset_import()) {
    auto it = known.find(imp.domain() == "ai.onnx" ? "" : imp.domain());
    if (it == known.end() || imp.version() > it->second.second)
      return false;
  }
  return true;
}

LogicalResult Importer::checkGraph(const ::onnx::GraphProto &graph) {
  // What the checker guarantees for the models it knows, checked for all:
  // every value is defined once, before it is used (ONNX graphs are SSA and
  // topologically sorted).
  std::set<std::string> defined;
  auto define = [&](const std::string &name, const Twine &what) {
    if (name.empty())
      return success();
    if (!defined.insert(name).second)
      return fail("value '" + name + "' is defined more than once (" + what +
                  ")");
    return success();
  };
  for (const auto &t : graph.initializer())
    if (failed(define(t.name(), "initializer")))
      return failure();
  for (const auto &in : graph.input())
    if (!defined.count(in.name()) && failed(define(in.name(), "graph input")))
      return failure();
  for (const auto &[i, node] : llvm::enumerate(graph.node())) {
    node_ = &node;
    nodeIndex_ = static_cast<int>(i);
    for (const auto &in : node.input())
      if (!in.empty() && !defined.count(in))
        return failNode("input '" + in +
                        "' is not a graph input, an initializer or the output "
                        "of an earlier node");
    for (const auto &out : node.output())
      if (failed(define(out, "output of node " + nodeName())))
        return failure();
  }
  node_ = nullptr;
  nodeIndex_ = 0;
  for (const auto &out : graph.output())
    if (!defined.count(out.name()))
      return fail("graph output '" + out.name() +
                  "' is not produced by any node");
  return success();
}

OwningOpRef<ModuleOp> Importer::run(::onnx::ModelProto &model) {
  for (const auto &imp : model.opset_import())
    if (imp.domain().empty() || imp.domain() == "ai.onnx")
      opset_ = imp.version();
  if (opset_ == 0)
    opset_ = 1; // No default-domain import: the oldest semantics.

  // The checker rejects malformed graphs (it throws onnx::ValidationError),
  // but only knows the IR versions and opsets of its libonnx release: newer
  // models are checked by the importer alone (checkGraph below, the lowerings'
  // attribute and input checks, and type inference of every strata op).
  // libonnx's own shape inference is not run: in 1.12 it crashes on some
  // malformed nodes (LayerNormalization with an out-of-range axis, found by
  // fuzz/OnnxModelFuzzer), and every lowered node's shapes are inferred and
  // checked by the strata ops themselves, with errors naming the node.
  if (checkerKnows(model)) {
    try {
      ::onnx::checker::check_model(model);
    } catch (const std::exception &e) {
      (void)fail("invalid ONNX model: " + oneLine(e.what()));
      return nullptr;
    }
  }
  if (failed(checkGraph(model.graph())))
    return nullptr;

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
        {"Abs",   "Neg",         "Sign",       "Exp",
         "Log",   "Sqrt",        "Reciprocal", "Floor",
         "Ceil",  "Round",       "Erf",        "Sin",
         "Asin",  "Acos",        "Atan",       "Cos",
         "Not",   "IsNaN",       "Add",        "Sub",
         "Mul",   "Div",         "Pow",        "Equal",
         "Less",  "LessOrEqual", "Greater",    "GreaterOrEqual",
         "And",   "Or",          "Xor",        "Mod",
         "Max",   "Min",         "Sum",        "Mean",
         "Where", "Clip"});
    add(&Importer::lowerElementwise,
        {"BitwiseAnd", "BitwiseOr", "BitwiseXor", "BitwiseNot"});
    add(&Importer::lowerEinsum, {"Einsum"});
    add(&Importer::lowerActivation,
        {"Relu", "Sigmoid", "Tanh", "Softplus", "Softsign", "HardSwish", "Mish",
         "LeakyRelu", "Elu", "Celu", "ThresholdedRelu", "Selu", "HardSigmoid",
         "Shrink", "Gelu", "PRelu", "Softmax", "LogSoftmax"});
    add(&Importer::lowerConvolution,
        {"Conv", "ConvTranspose", "DeformConv", "MaxPool", "AveragePool",
         "LpPool", "GlobalAveragePool", "GlobalMaxPool", "LRN"});
    add(&Importer::lowerLinearAlgebra, {"MatMul", "Gemm"});
    add(&Importer::lowerNormalization,
        {"BatchNormalization", "InstanceNormalization", "LayerNormalization",
         "LpNormalization"});
    add(&Importer::lowerReduction,
        {"ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd",
         "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp",
         "ReduceSumSquare", "ArgMax", "ArgMin", "CumSum", "CumProd", "TopK"});
    add(&Importer::lowerShape,
        {"Reshape", "Flatten", "Squeeze", "Unsqueeze", "Transpose", "Concat",
         "Slice", "Split", "Pad", "Expand", "Tile", "DepthToSpace",
         "SpaceToDepth"});
    add(&Importer::lowerIndexing,
        {"Gather", "GatherElements", "GatherND", "ScatterElements", "Scatter",
         "ScatterND", "OneHot"});
    add(&Importer::lowerStructure,
        {"Identity", "Dropout", "Cast", "CastLike", "BitCast"});
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
    add(&Importer::lowerSampling,
        {"GridSample", "AffineGrid", "Col2Im", "CenterCropPad", "RoiAlign"});
    add(&Importer::lowerRecurrent, {"RNN", "GRU", "LSTM"});
    add(&Importer::lowerSpectral, {"DFT"});
    add(&Importer::lowerAttention, {"Attention", "RMSNormalization",
                                    "RotaryEmbedding", "Swish", "SwiGLU"});
    add(&Importer::lowerQuantization,
        {"QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear"});
    return t;
  }();
  return table;
}

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
