//===- ImportJob.cpp - SINGA job configurations to the strata dialect -----===//
//
// One module per job: parameters (with init specs, lr/wd scales, share_from
// ties) at module level, one forward function per phase, and the job's
// algorithm, updater, cluster and schedule fields as module attributes for
// later stages. Every op created for a layer is located at the layer
// (NameLoc(layer, file:line:col)) and carries `strata.layer` and the resolved
// `strata.partition_dim`. Nets with unroll_len > 1 are unrolled here, step by
// step (BPTT works on the unrolled graph).
//
//===----------------------------------------------------------------------===//

#include "frontends/singa/ImportJob.h"

#include "ir/StrataDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <map>

using namespace mlir;

namespace strata::singa {
namespace {

/// What a layer produced at one unroll step.
struct LayerOutput {
  Value data;
  /// Labels of an input layer (SINGA's aux data), when it has them.
  Value label;
  /// Parts of a kSlice layer.
  SmallVector<Value> parts;
};

class Importer {
public:
  Importer(const JobFile &file, MLIRContext &ctx)
      : file_(file), job_(file.job()), ctx_(ctx), b_(&ctx) {}

  OwningOpRef<ModuleOp> run(const std::vector<PhaseNet> &phases);

private:
  // --- locations and errors -------------------------------------------------
  Location layerLoc(int layer) const {
    SourcePos pos = file_.layerPos(layer);
    return NameLoc::get(
        StringAttr::get(&ctx_, layers()[layer].name()),
        FileLineColLoc::get(&ctx_, file_.path(), pos.line, pos.column));
  }
  Location paramLoc(int layer, int param) const {
    SourcePos pos = file_.paramPos(layer, param);
    return NameLoc::get(
        StringAttr::get(&ctx_, layers()[layer].name()),
        FileLineColLoc::get(&ctx_, file_.path(), pos.line, pos.column));
  }
  LogicalResult fail(int layer, const Twine &message) {
    return failAt(layerLoc(layer), message);
  }
  LogicalResult failAt(Location loc, const Twine &message) {
    emitError(loc) << message;
    return failure();
  }
  const google::protobuf::RepeatedPtrField<LayerProto> &layers() const {
    return job_.neuralnet().layer();
  }

  // --- building -------------------------------------------------------------
  /// Creates strata op `name` at the current layer, inferring its result
  /// types; on an inference error the op is removed and the error (emitted at
  /// the layer) is returned as failure.
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
  /// A constant of `type`: `value` is its elements, or a scalar to splat.
  Value constant(RankedTensorType type, Attribute value) {
    auto elements = dyn_cast<DenseElementsAttr>(value);
    if (!elements)
      elements = DenseElementsAttr::get(type, value);
    return create1("strata.constant", {}, {attr("value", elements)}).value();
  }
  /// The current value of parameter `index` of the current layer (declared
  /// on first use): named after the conf's param, else `<layer>_<suffix>`.
  /// Without an init in the conf it is the constant `initValue`.
  FailureOr<Value> param(int index, StringRef suffix, ArrayRef<int64_t> shape,
                         bool trainable = true, double initValue = 1.0);
  FailureOr<Value> reshape(Value v, ArrayRef<int64_t> shape) {
    return create1("strata.reshape", v, {array("shape", shape)});
  }
  /// [batch, features]: SINGA layers see each instance as a flat vector.
  FailureOr<Value> flatten(Value v) {
    auto type = cast<RankedTensorType>(v.getType());
    if (type.getRank() == 2)
      return v;
    return reshape(v, {type.getDimSize(0), -1});
  }
  /// The train phase's random state, threaded through random ops.
  Value rngState();
  /// The parameter a strata.param_value reads (null for a null value).
  static FlatSymbolRefAttr symbolOf(Value paramValue) {
    if (!paramValue)
      return FlatSymbolRefAttr();
    return cast<ParamValueOp>(paramValue.getDefiningOp()).getParamAttr();
  }

  // --- lowering -------------------------------------------------------------
  LogicalResult lowerPhase(const PhaseNet &net);
  FailureOr<LayerOutput> lowerLayer(int layer, int step,
                                    ArrayRef<LayerOutput> srcs);
  FailureOr<LayerOutput> lowerInput(int layer);
  FailureOr<Value> lowerGRU(int layer, Value x, Value h);
  /// The labels a loss or output layer compares against: the label output of
  /// an input layer, else the data of the layer.
  Value labelsOf(const LayerOutput &src) const {
    return src.label ? src.label : src.data;
  }
  int unrollLen(int layer) const {
    const LayerProto &l = layers()[layer];
    return l.has_unroll_len() ? l.unroll_len() : job_.neuralnet().unroll_len();
  }
  void setModuleAttributes();

  const JobFile &file_;
  const JobProto &job_;
  MLIRContext &ctx_;
  OpBuilder b_;
  ModuleOp module_;

  // State of the phase being lowered.
  Phase phase_ = kTrain;
  const PhaseNet *net_ = nullptr;
  int layer_ = -1;
  func::FuncOp fn_;
  Value rng_;
  SmallVector<Value> results_;
  SmallVector<std::string> resultNames_;
  /// Per layer: its output at every unroll step.
  std::map<int, std::vector<LayerOutput>> outputs_;
  /// Parameter declarations by name, with the layer / param index that
  /// declared them (for share_from errors).
  std::map<std::string, std::pair<ParameterOp, std::pair<int, int>>> params_;
  /// Per RBM layer: the symbols of its weight and bias (null without
  /// bias_term), for the train function's strata.rbm description.
  std::map<int, std::pair<FlatSymbolRefAttr, FlatSymbolRefAttr>> rbmParams_;
  /// Describes the kRBMVis / kRBMHid pairs of the train function for
  /// contrastive divergence (strata.rbm); `resultIndex` maps a layer to the
  /// index of its result.
  LogicalResult describeRBMs(const PhaseNet &net,
                             const std::map<int, unsigned> &resultIndex);
};

FailureOr<Operation *> Importer::create(StringRef name, ValueRange operands,
                                        ArrayRef<NamedAttribute> attrs,
                                        unsigned numResults) {
  SmallVector<NamedAttribute> all(attrs);
  all.push_back(
      attr(kLayerAttrName, b_.getStringAttr(layers()[layer_].name())));
  int partition = layers()[layer_].partition_dim() >= 0
                      ? layers()[layer_].partition_dim()
                      : job_.neuralnet().partition_dim();
  all.push_back(i64(kPartitionDimAttrName, partition));
  return createWithInferredTypes(b_, layerLoc(layer_), name, operands, all,
                                 numResults);
}

static InitAttr initOf(MLIRContext *ctx, const ParamGenProto &g,
                       bool &unsupported) {
  InitKind kind = InitKind::constant;
  switch (g.type()) {
  case kConstant:
    kind = InitKind::constant;
    break;
  case kGaussian:
    kind = InitKind::gaussian;
    break;
  case kUniform:
    kind = InitKind::uniform;
    break;
  case kGaussianSqrtFanIn:
    kind = InitKind::gaussian_sqrt_fan_in;
    break;
  case kUniformSqrtFanIn:
    kind = InitKind::uniform_sqrt_fan_in;
    break;
  case kUniformSqrtFanInOut:
    kind = InitKind::uniform_sqrt_fan_in_out;
    break;
  default:
    unsupported = true;
  }
  return InitAttr::get(
      ctx, kind, llvm::APFloat(double(g.value())),
      llvm::APFloat(double(g.mean())), llvm::APFloat(double(g.std())),
      llvm::APFloat(double(g.low())), llvm::APFloat(double(g.high())));
}

FailureOr<Value> Importer::param(int index, StringRef suffix,
                                 ArrayRef<int64_t> shape, bool trainable,
                                 double initValue) {
  const LayerProto &l = layers()[layer_];
  ParamProto conf;
  if (index < l.param_size())
    conf = l.param(index);
  std::string name = conf.has_name() && !conf.name().empty()
                         ? conf.name()
                         : l.name() + "_" + suffix.str();
  // Errors about a param the conf lists point at it.
  Location where =
      index < l.param_size() ? paramLoc(layer_, index) : layerLoc(layer_);
  auto type = RankedTensorType::get(shape, b_.getF32Type());
  for (int64_t d : shape)
    if (d <= 0 || ShapedType::isDynamic(d))
      return failAt(where, "layer '" + l.name() + "': param '" + name +
                               "' would have shape " + formatShape(shape));
  auto it = params_.find(name);
  if (it == params_.end()) {
    bool unsupported = false;
    InitAttr init =
        conf.has_init()
            ? initOf(&ctx_, conf.init(), unsupported)
            : InitAttr::get(&ctx_, InitKind::constant, llvm::APFloat(initValue),
                            llvm::APFloat(0.0), llvm::APFloat(1.0),
                            llvm::APFloat(-1.0), llvm::APFloat(1.0));
    if (unsupported)
      return failAt(where, "layer '" + l.name() + "': param '" + name +
                               "' has an unsupported init type " +
                               InitMethod_Name(conf.init().type()));
    OpBuilder::InsertionGuard guard(b_);
    b_.setInsertionPoint(module_.getBody(), module_.getBody()->end());
    if (fn_)
      b_.setInsertionPoint(fn_);
    auto p = ParameterOp::create(
        b_, index < l.param_size() ? paramLoc(layer_, index) : layerLoc(layer_),
        b_.getStringAttr(name), TypeAttr::get(type), init,
        b_.getF64FloatAttr(conf.lr_scale()),
        b_.getF64FloatAttr(conf.wd_scale()), b_.getBoolAttr(trainable),
        conf.share_from().empty()
            ? FlatSymbolRefAttr()
            : FlatSymbolRefAttr::get(&ctx_, conf.share_from()));
    it = params_.emplace(name, std::make_pair(p, std::make_pair(layer_, index)))
             .first;
  } else if (it->second.first.getType() != type) {
    return failAt(
        where,
        "layer '" + l.name() + "': param '" + name + "' has shape " +
            formatShape(shape) + " here but " +
            formatShape(
                cast<RankedTensorType>(it->second.first.getType()).getShape()) +
            " where it was first declared (line " +
            Twine(
                file_
                    .paramPos(it->second.second.first, it->second.second.second)
                    .line) +
            ")");
  }
  auto value = ParamValueOp::create(b_, layerLoc(layer_), type,
                                    FlatSymbolRefAttr::get(&ctx_, name));
  value->setAttr("strata.layer", b_.getStringAttr(l.name()));
  return value.getResult();
}

Value Importer::rngState() {
  if (!rng_) {
    auto type = RankedTensorType::get({2}, b_.getI64Type());
    rng_ = fn_.getBody().front().addArgument(type, fn_.getLoc());
  }
  return rng_;
}

FailureOr<LayerOutput> Importer::lowerInput(int layer) {
  const LayerProto &l = layers()[layer];
  SmallVector<NamedAttribute> source;
  SmallVector<Type> types;
  Type f32 = b_.getF32Type(), i32 = b_.getI32Type();
  bool hasLabel = true;
  if (l.type() == kCharRNN) {
    const CharRNNProto &c = l.char_rnn_conf();
    // The text as character ids, one row per unroll step plus one for the
    // labels of the last step.
    types.push_back(RankedTensorType::get(
        {int64_t(c.unroll_len()) + 1, c.batchsize()}, i32));
    hasLabel = false;
    source = {attr("kind", b_.getStringAttr("char_rnn")),
              attr("path", b_.getStringAttr(c.path())),
              attr("vocab_path", b_.getStringAttr(c.vocab_path())),
              i64("unroll_len", c.unroll_len()),
              i64("batchsize", c.batchsize())};
  } else if (l.type() == kDummy || l.type() == kRNNDummy) {
    SmallVector<int64_t> shape(
        l.type() == kDummy ? l.dummy_conf().shape().begin()
                           : l.rnn_dummy_conf().shape().begin(),
        l.type() == kDummy ? l.dummy_conf().shape().end()
                           : l.rnn_dummy_conf().shape().end());
    if (shape.empty())
      return fail(layer, "layer '" + l.name() +
                             "': a dummy input layer needs a shape");
    bool integer = l.type() == kRNNDummy && l.rnn_dummy_conf().integer();
    types.push_back(RankedTensorType::get(shape, integer ? i32 : f32));
    hasLabel = false;
    source = {attr("kind", b_.getStringAttr("dummy"))};
    if (l.type() == kRNNDummy)
      source.append({f64("low", l.rnn_dummy_conf().low()),
                     f64("high", l.rnn_dummy_conf().high())});
  } else {
    const StoreProto &s = l.store_conf();
    int64_t batch = s.batchsize(0);
    SmallVector<int64_t> shape = {batch};
    shape.append(s.shape().begin(), s.shape().end());
    types.push_back(RankedTensorType::get(shape, f32));
    hasLabel = s.has_label();
    if (hasLabel)
      types.push_back(RankedTensorType::get({batch}, i32));
    source = {attr("kind",
                   b_.getStringAttr(l.type() == kCSVInput ? "csv" : "record")),
              attr("backend", b_.getStringAttr(s.backend())),
              attr("path", b_.getStringAttr(s.path())),
              attr("separator", b_.getStringAttr(s.separator())),
              attr("mean_file", b_.getStringAttr(s.mean_file())),
              attr("std_file", b_.getStringAttr(s.std_file())),
              f64("mean_value", s.mean_value()),
              f64("std_value", s.std_value()),
              i64("random_skip", s.random_skip()),
              flag("has_label", s.has_label()),
              flag("encoded", s.encoded()),
              flag("prefetching", s.prefetching())};
  }
  for (Type type : types)
    for (int64_t d : cast<RankedTensorType>(type).getShape())
      if (d <= 0)
        return fail(layer,
                    "layer '" + l.name() + "': input shape " +
                        formatShape(cast<RankedTensorType>(type).getShape()) +
                        " has a dimension <= 0");
  auto op = DataInputOp::create(b_, layerLoc(layer), types,
                                b_.getStringAttr(l.name()));
  op->setAttr("strata.source", b_.getDictionaryAttr(source));
  op->setAttr("strata.layer", b_.getStringAttr(l.name()));
  LayerOutput out;
  out.data = op.getResult(0);
  if (hasLabel)
    out.label = op.getResult(1);
  return out;
}

FailureOr<Value> Importer::lowerGRU(int layer, Value x, Value h) {
  const LayerProto &l = layers()[layer];
  int64_t hidden = l.gru_conf().dim_hidden();
  auto xt = cast<RankedTensorType>(x.getType());
  if (xt.getRank() != 2)
    return fail(layer, "layer '" + l.name() + "': kGRU input must be " +
                           "[batch, features], got " +
                           formatShape(xt.getShape()));
  int64_t in = xt.getDimSize(1);
  // SINGA's nine params: z, r, c gates; input weights [H, I], recurrent
  // weights [H, H], biases [H]. The cell takes them stacked in gate order
  // z, r, h (strata.gru_cell, ONNX layout) and SINGA applies the reset gate
  // after the recurrent product (linear_before_reset) with no recurrent bias.
  SmallVector<Value> wx, wh, bias;
  const char *names[] = {"z_hx", "r_hx", "c_hx", "z_hh", "r_hh",
                         "c_hh", "z_b",  "r_b",  "c_b"};
  for (int g = 0; g < 3; ++g) {
    auto w = param(g, names[g], {hidden, in});
    auto r = param(3 + g, names[3 + g], {hidden, hidden});
    if (failed(w) || failed(r))
      return failure();
    wx.push_back(*w);
    wh.push_back(*r);
    if (l.gru_conf().bias_term()) {
      auto bb = param(6 + g, names[6 + g], {hidden});
      if (failed(bb))
        return failure();
      bias.push_back(*bb);
    }
  }
  auto w = create1("strata.concat", wx, {i64("axis", 0)});
  auto r = create1("strata.concat", wh, {i64("axis", 0)});
  if (failed(w) || failed(r))
    return failure();
  SmallVector<Value> operands = {x, h, *w, *r};
  if (!bias.empty()) {
    bias.push_back(
        constant(RankedTensorType::get({3 * hidden}, b_.getF32Type()),
                 b_.getF32FloatAttr(0)));
    auto b = create1("strata.concat", bias, {i64("axis", 0)});
    if (failed(b))
      return failure();
    operands.push_back(*b);
  }
  return create1("strata.gru_cell", operands,
                 {flag("linear_before_reset", true)});
}

FailureOr<LayerOutput> Importer::lowerLayer(int layer, int step,
                                            ArrayRef<LayerOutput> srcs) {
  const LayerProto &l = layers()[layer];
  LayerOutput out;
  auto needSrcs = [&](int n) -> LogicalResult {
    if (static_cast<int>(srcs.size()) >= n)
      return success();
    return fail(layer, "layer '" + l.name() + "' of type " +
                           LayerType_Name(l.type()) + " needs " + Twine(n) +
                           " srclayers, has " + Twine(srcs.size()));
  };
  auto unary =
      [&](StringRef op,
          ArrayRef<NamedAttribute> attrs = {}) -> FailureOr<LayerOutput> {
    if (failed(needSrcs(1)))
      return failure();
    auto v = create1(op, srcs[0].data, attrs);
    if (failed(v))
      return failure();
    out.data = *v;
    return out;
  };
  auto f32 = b_.getF32Type();
  bool train = phase_ == kTrain;

  switch (l.type()) {
  case kRecordInput:
  case kCSVInput:
  case kCharRNN:
    return lowerInput(layer);
  case kDummy:
    if (l.dummy_conf().input())
      return lowerInput(layer);
    if (failed(needSrcs(1)))
      return failure();
    return srcs[0];
  case kRNNDummy:
    return lowerInput(layer);
  case kImagePreprocess: {
    // Scaling and a center crop of [.., H, W]. Random crops and mirroring
    // while training are the runtime input layer's work.
    if (failed(needSrcs(1)))
      return failure();
    out = srcs[0];
    const RGBImageProto &c = l.rgbimage_conf();
    auto type = cast<RankedTensorType>(out.data.getType());
    if (c.cropsize() > 0) {
      if (type.getRank() != 4 || type.isDynamicDim(2) || type.isDynamicDim(3) ||
          type.getDimSize(2) < c.cropsize() ||
          type.getDimSize(3) < c.cropsize())
        return fail(layer, "layer '" + l.name() + "': cannot crop " +
                               Twine(c.cropsize()) + "x" + Twine(c.cropsize()) +
                               " from shape " + formatShape(type.getShape()));
      int64_t top = (type.getDimSize(2) - c.cropsize()) / 2;
      int64_t left = (type.getDimSize(3) - c.cropsize()) / 2;
      auto v =
          create1("strata.slice", out.data,
                  {array("starts", {top, left}),
                   array("ends", {top + c.cropsize(), left + c.cropsize()}),
                   array("axes", {2, 3})});
      if (failed(v))
        return failure();
      out.data = *v;
    }
    if (c.scale() != 1) {
      Value s = constant(RankedTensorType::get({}, f32),
                         b_.getF32FloatAttr(c.scale()));
      auto v = create1("strata.mul", {out.data, s});
      if (failed(v))
        return failure();
      out.data = *v;
    }
    return out;
  }
  case kOneHot:
  case kRNNLabel:
  case kEmbedding: {
    if (failed(needSrcs(1)))
      return failure();
    Value ids = srcs[0].data;
    auto type = cast<RankedTensorType>(ids.getType());
    // A char-RNN input holds every step: step t reads row t (its labels,
    // row t + 1).
    if (layers()[layer].srclayers_size() > 0) {
      // The source of this phase: layers of other phases may share its name.
      int src = net_->byName.at(l.srclayers(0));
      if (layers()[src].type() == kCharRNN) {
        int64_t row = step + (l.type() == kRNNLabel ? 1 : 0);
        if (row >= type.getDimSize(0))
          return fail(layer, "layer '" + l.name() + "': step " + Twine(step) +
                                 " needs row " + Twine(row) + " of '" +
                                 l.srclayers(0) + "', which has " +
                                 Twine(type.getDimSize(0)) +
                                 " rows (its char_rnn_conf unroll_len is "
                                 "shorter than this layer's unroll_len)");
        auto sliced = create1("strata.slice", ids,
                              {array("starts", {row}), array("ends", {row + 1}),
                               array("axes", {0})});
        if (failed(sliced))
          return failure();
        auto flat = reshape(*sliced, {type.getDimSize(1)});
        if (failed(flat))
          return failure();
        ids = *flat;
        type = cast<RankedTensorType>(ids.getType());
      }
    }
    if (isa<FloatType>(type.getElementType())) {
      auto cast = CastOp::create(
          b_, layerLoc(layer),
          RankedTensorType::get(type.getShape(), b_.getI32Type()), ids);
      // Like every op of the layer (create() adds these to inferred ops).
      cast->setAttr("strata.layer", b_.getStringAttr(l.name()));
      cast->setAttr(
          "strata.partition_dim",
          b_.getI64IntegerAttr(l.partition_dim() >= 0
                                   ? l.partition_dim()
                                   : job_.neuralnet().partition_dim()));
      ids = cast;
    }
    if (l.type() == kRNNLabel) {
      out.data = ids;
      return out;
    }
    if (l.type() == kOneHot) {
      Value values =
          constant(RankedTensorType::get({2}, f32),
                   DenseElementsAttr::get(RankedTensorType::get({2}, f32),
                                          ArrayRef<float>{0.0f, 1.0f}));
      auto v = create1(
          "strata.one_hot", {ids, values},
          {i64("depth", l.onehot_conf().vocab_size()), i64("axis", -1)});
      if (failed(v))
        return failure();
      out.data = *v;
      return out;
    }
    auto table = param(
        0, "table",
        {l.embedding_conf().vocab_size(), l.embedding_conf().feature_dim()});
    if (failed(table))
      return failure();
    auto v = create1("strata.embedding", {*table, ids});
    if (failed(v))
      return failure();
    out.data = *v;
    return out;
  }
  case kInnerProduct: {
    if (failed(needSrcs(1)))
      return failure();
    auto x = flatten(srcs[0].data);
    if (failed(x))
      return failure();
    int64_t in = cast<RankedTensorType>(x->getType()).getDimSize(1);
    int64_t outDim = l.innerproduct_conf().num_output();
    bool transpose = l.innerproduct_conf().transpose();
    auto w = param(0, "weight",
                   transpose ? SmallVector<int64_t>{in, outDim}
                             : SmallVector<int64_t>{outDim, in});
    if (failed(w))
      return failure();
    SmallVector<Value> operands = {*x, *w};
    if (l.innerproduct_conf().bias_term()) {
      auto bias = param(1, "bias", {outDim});
      if (failed(bias))
        return failure();
      operands.push_back(*bias);
    }
    auto v = create1("strata.inner_product", operands,
                     {flag("transpose", transpose)});
    if (failed(v))
      return failure();
    out.data = *v;
    return out;
  }
  case kConvolution:
  case kCConvolution:
  case kCudnnConv: {
    if (failed(needSrcs(1)))
      return failure();
    const ConvolutionProto &c = l.convolution_conf();
    auto xt = cast<RankedTensorType>(srcs[0].data.getType());
    if (xt.getRank() != 4)
      return fail(layer, "layer '" + l.name() +
                             "': convolution input must be [batch, channels, "
                             "height, width], got " +
                             formatShape(xt.getShape()));
    int64_t kh = c.has_kernel_y() ? c.kernel_y() : c.kernel();
    int64_t kw = c.has_kernel_x() ? c.kernel_x() : c.kernel();
    int64_t ph = c.has_pad_y() ? c.pad_y() : c.pad();
    int64_t pw = c.has_pad_x() ? c.pad_x() : c.pad();
    int64_t sh = c.has_stride_y() ? c.stride_y() : c.stride();
    int64_t sw = c.has_stride_x() ? c.stride_x() : c.stride();
    auto w = param(0, "weight", {c.num_filters(), xt.getDimSize(1), kh, kw});
    if (failed(w))
      return failure();
    SmallVector<Value> operands = {srcs[0].data, *w};
    if (c.bias_term()) {
      auto bias = param(1, "bias", {c.num_filters()});
      if (failed(bias))
        return failure();
      operands.push_back(*bias);
    }
    auto v =
        create1("strata.conv", operands,
                {array("strides", {sh, sw}), array("pads", {ph, pw, ph, pw})});
    if (failed(v))
      return failure();
    out.data = *v;
    return out;
  }
  case kPooling:
  case kCPooling:
  case kCudnnPool: {
    if (failed(needSrcs(1)))
      return failure();
    const PoolingProto &p = l.pooling_conf();
    int64_t kh = p.has_kernel_y() ? p.kernel_y() : p.kernel();
    int64_t kw = p.has_kernel_x() ? p.kernel_x() : p.kernel();
    int64_t ph = p.has_pad_y() ? p.pad_y() : p.pad();
    int64_t pw = p.has_pad_x() ? p.pad_x() : p.pad();
    int64_t sh = p.has_stride_y() ? p.stride_y() : p.stride();
    int64_t sw = p.has_stride_x() ? p.stride_x() : p.stride();
    // The Caffe-derived kCPooling / kCudnnPool round output sizes up;
    // kPooling rounds down. Averages divide by the full window.
    bool ceil = l.type() != kPooling;
    SmallVector<NamedAttribute> attrs = {
        array("kernel_shape", {kh, kw}), array("strides", {sh, sw}),
        array("pads", {ph, pw, ph, pw}), flag("ceil_mode", ceil)};
    if (p.pool() == PoolingProto::AVG) {
      attrs.push_back(flag("count_include_pad", true));
      return unary("strata.avg_pool", attrs);
    }
    return unary("strata.max_pool", attrs);
  }
  case kLRN:
  case kCudnnLRN: {
    const LRNProto &c = l.lrn_conf();
    return unary("strata.lrn",
                 {i64("size", c.local_size()), f64("alpha", c.alpha()),
                  f64("beta", c.beta()), f64("bias", c.knorm())});
  }
  case kReLU:
    if (l.relu_conf().negative_slope() != 0)
      return unary("strata.leaky_relu",
                   {f64("alpha", l.relu_conf().negative_slope())});
    return unary("strata.relu");
  case kSTanh:
    return unary("strata.stanh");
  case kSigmoid:
    return unary("strata.sigmoid");
  case kActivation:
  case kCudnnActivation:
    switch (l.activation_conf().type()) {
    case RELU:
      return unary("strata.relu");
    case SIGMOID:
      return unary("strata.sigmoid");
    case TANH:
      return unary("strata.tanh");
    case STANH:
      return unary("strata.stanh");
    }
    return unary("strata.relu");
  case kSoftmax:
  case kCudnnSoftmax: {
    if (failed(needSrcs(1)))
      return failure();
    // Each instance (or each of its num_softmax_per_instance parts) is
    // normalized over all its features.
    auto type = cast<RankedTensorType>(srcs[0].data.getType());
    int64_t parts = l.softmax_conf().num_softmax_per_instance();
    if (parts <= 0)
      return fail(layer, "layer '" + l.name() +
                             "': softmax_conf num_softmax_per_instance must "
                             "be > 0, got " +
                             Twine(parts));
    auto grouped = reshape(srcs[0].data, {type.getDimSize(0), parts, -1});
    if (failed(grouped))
      return failure();
    auto v = create1("strata.softmax", *grouped, {i64("axis", 2)});
    if (failed(v))
      return failure();
    auto back = reshape(*v, type.getShape());
    if (failed(back))
      return failure();
    out.data = *back;
    return out;
  }
  case kDropout: {
    if (failed(needSrcs(1)))
      return failure();
    if (!train)
      return srcs[0];
    auto op = create("strata.dropout", {srcs[0].data, rngState()},
                     {f64("ratio", l.dropout_conf().dropout_ratio())}, 3);
    if (failed(op))
      return failure();
    rng_ = (*op)->getResult(2);
    out.data = (*op)->getResult(0);
    return out;
  }
  case kBM:
  case kCudnnBM: {
    if (failed(needSrcs(1)))
      return failure();
    auto type = cast<RankedTensorType>(srcs[0].data.getType());
    if (type.getRank() < 2)
      return fail(layer, "layer '" + l.name() +
                             "': kBM input needs a channel dimension");
    int64_t c = type.getDimSize(1);
    // Unless the conf says otherwise: the identity (scale 1, bias 0) over
    // unit-variance statistics.
    auto scale = param(0, "scale", {c}, /*trainable=*/true, /*initValue=*/1);
    auto bias = param(1, "bias", {c}, /*trainable=*/true, /*initValue=*/0);
    auto mean = param(2, "running_mean", {c}, /*trainable=*/false,
                      /*initValue=*/0);
    auto var = param(3, "running_var", {c}, /*trainable=*/false,
                     /*initValue=*/1);
    if (failed(scale) || failed(bias) || failed(mean) || failed(var))
      return failure();
    if (train) {
      auto op = create("strata.batch_norm_train",
                       {srcs[0].data, *scale, *bias, *mean, *var}, {}, 5);
      if (failed(op))
        return failure();
      out.data = (*op)->getResult(0);
      return out;
    }
    auto v = create1("strata.batch_norm",
                     {srcs[0].data, *scale, *bias, *mean, *var});
    if (failed(v))
      return failure();
    out.data = *v;
    return out;
  }
  case kRBMVis: {
    // The visible layer's positive phase is its data; it owns the weight
    // [hdim, vdim] and the visible bias. Contrastive divergence (passes/)
    // builds the negative phase from these.
    if (failed(needSrcs(1)))
      return failure();
    auto v = flatten(srcs[0].data);
    if (failed(v))
      return failure();
    int64_t vdim = cast<RankedTensorType>(v->getType()).getDimSize(1);
    auto w = param(0, "weight", {l.rbm_conf().hdim(), vdim});
    if (failed(w))
      return failure();
    FailureOr<Value> bias = Value();
    if (l.rbm_conf().bias_term() && failed(bias = param(1, "bias", {vdim})))
      return failure();
    rbmParams_[layer] = {symbolOf(*w), symbolOf(*bias)};
    out.data = *v;
    return out;
  }
  case kRBMHid: {
    if (failed(needSrcs(1)))
      return failure();
    auto v = flatten(srcs[0].data);
    if (failed(v))
      return failure();
    int64_t vdim = cast<RankedTensorType>(v->getType()).getDimSize(1);
    int64_t hdim = l.rbm_conf().hdim();
    auto w = param(0, "weight", {hdim, vdim});
    if (failed(w))
      return failure();
    SmallVector<Value> operands = {*v, *w};
    rbmParams_[layer] = {symbolOf(*w), FlatSymbolRefAttr()};
    if (l.rbm_conf().bias_term()) {
      auto bias = param(1, "bias", {hdim});
      if (failed(bias))
        return failure();
      operands.push_back(*bias);
      rbmParams_[layer].second = symbolOf(*bias);
    }
    auto pre = create1("strata.inner_product", operands);
    if (failed(pre))
      return failure();
    // Gaussian hidden units are linear; binary ones are sigmoid.
    if (l.rbm_conf().gaussian()) {
      out.data = *pre;
      return out;
    }
    auto p = create1("strata.sigmoid", *pre);
    if (failed(p))
      return failure();
    out.data = *p;
    return out;
  }
  case kGRU: {
    if (failed(needSrcs(1)))
      return failure();
    Value h;
    if (step > 0) {
      h = outputs_[layer][step - 1].data;
    } else {
      auto xt = cast<RankedTensorType>(srcs[0].data.getType());
      h = constant(RankedTensorType::get(
                       {xt.getDimSize(0), l.gru_conf().dim_hidden()}, f32),
                   b_.getF32FloatAttr(0));
    }
    auto v = lowerGRU(layer, srcs[0].data, h);
    if (failed(v))
      return failure();
    out.data = *v;
    return out;
  }
  case kSoftmaxLoss:
  case kCudnnSoftmaxLoss: {
    if (failed(needSrcs(2)))
      return failure();
    auto logits = flatten(srcs[0].data);
    if (failed(logits))
      return failure();
    auto loss =
        create1("strata.softmax_cross_entropy", {*logits, labelsOf(srcs[1])},
                {f64("scale", l.softmaxloss_conf().scale())});
    auto acc = create1("strata.accuracy", {*logits, labelsOf(srcs[1])},
                       {i64("top_k", l.softmaxloss_conf().topk())});
    if (failed(loss) || failed(acc))
      return failure();
    out.data = *loss;
    out.label = *acc;
    return out;
  }
  case kEuclideanLoss: {
    if (failed(needSrcs(2)))
      return failure();
    auto a = flatten(srcs[0].data);
    auto target = flatten(srcs[1].data);
    if (failed(a) || failed(target))
      return failure();
    auto loss = create1("strata.euclidean_loss", {*a, *target});
    if (failed(loss))
      return failure();
    out.data = *loss;
    return out;
  }
  case kAccuracy: {
    if (failed(needSrcs(2)))
      return failure();
    auto logits = flatten(srcs[0].data);
    if (failed(logits))
      return failure();
    auto acc = create1("strata.accuracy", {*logits, labelsOf(srcs[1])});
    if (failed(acc))
      return failure();
    out.data = *acc;
    return out;
  }
  case kArgSort: {
    if (failed(needSrcs(1)))
      return failure();
    auto x = flatten(srcs[0].data);
    if (failed(x))
      return failure();
    auto op = create("strata.top_k", *x,
                     {i64("k", l.argsort_conf().topk()), i64("axis", 1)}, 2);
    if (failed(op))
      return failure();
    out.data = (*op)->getResult(1);
    return out;
  }
  case kCharRNNOutput: {
    if (failed(needSrcs(1)))
      return failure();
    auto op = create("strata.argmax", srcs[0].data,
                     {i64("axis", 1), flag("keepdims", false)});
    if (failed(op))
      return failure();
    out.data = (*op)->getResult(0);
    return out;
  }
  case kCSVOutput:
  case kRecordOutput:
  case kSplit:
  case kBridgeSrc:
  case kBridgeDst:
    if (failed(needSrcs(1)))
      return failure();
    return srcs[0];
  case kConcate: {
    if (failed(needSrcs(1)))
      return failure();
    SmallVector<Value> values;
    for (const LayerOutput &s : srcs)
      values.push_back(s.data);
    auto v = create1("strata.concat", values,
                     {i64("axis", l.concate_conf().concate_dim())});
    if (failed(v))
      return failure();
    out.data = *v;
    return out;
  }
  case kSlice: {
    if (failed(needSrcs(1)))
      return failure();
    auto type = cast<RankedTensorType>(srcs[0].data.getType());
    int64_t dim = l.slice_conf().slice_dim(), n = l.slice_conf().num_slices();
    if (dim < 0 || dim >= type.getRank() || n <= 0 ||
        ShapedType::isDynamic(type.getDimSize(dim)) ||
        type.getDimSize(dim) % n != 0)
      return fail(layer, "layer '" + l.name() + "': cannot slice shape " +
                             formatShape(type.getShape()) + " into " +
                             Twine(n) + " parts along dimension " + Twine(dim));
    SmallVector<int64_t> sizes(n, type.getDimSize(dim) / n);
    auto op = create("strata.split", srcs[0].data,
                     {i64("axis", dim), array("sizes", sizes)}, n);
    if (failed(op))
      return failure();
    out.data = (*op)->getResult(0);
    out.parts.assign((*op)->getResults().begin(), (*op)->getResults().end());
    return out;
  }
  default:
    return fail(layer, "layer '" + l.name() + "': layer type " +
                           LayerType_Name(l.type()) + " is not supported");
  }
}

LogicalResult Importer::lowerPhase(const PhaseNet &net) {
  phase_ = net.phase;
  net_ = &net;
  outputs_.clear();
  results_.clear();
  resultNames_.clear();
  rng_ = Value();
  b_.setInsertionPointToEnd(module_.getBody());
  fn_ = func::FuncOp::create(b_, FileLineColLoc::get(&ctx_, file_.path(), 1, 1),
                             phaseName(net.phase), b_.getFunctionType({}, {}));
  fn_->setAttr(kPhaseAttrName,
               PhaseAttr::get(&ctx_, net.phase == kTrain ? strata::Phase::train
                                     : net.phase == kVal
                                         ? strata::Phase::val
                                         : strata::Phase::test));
  Block *body = fn_.addEntryBlock();
  b_.setInsertionPointToEnd(body);

  SmallVector<Value> losses, metrics, outputsToReturn;
  SmallVector<std::string> lossNames, metricNames, outputNames;
  /// RBM layers: the index of their output among outputsToReturn.
  std::map<int, unsigned> rbmOutput;
  for (int layer : net.layers) {
    layer_ = layer;
    const LayerProto &l = layers()[layer];
    int steps = unrollLen(layer);
    if (steps < 1)
      return fail(layer, "layer '" + l.name() + "': unroll_len must be >= 1");
    for (int t = 0; t < steps; ++t) {
      SmallVector<LayerOutput> srcs;
      for (int k = 0; k < l.srclayers_size(); ++k) {
        int src = net.byName.at(l.srclayers(k));
        // An RBM's visible layer names its hidden layer as a source for the
        // negative phase, which CD builds; the forward pass does not use it.
        if (isRBMFeedback(l, layers()[src]))
          continue;
        auto &srcSteps = outputs_[src];
        int conn = k < l.unroll_conn_type_size() ? l.unroll_conn_type(k)
                                                 : kUnrollOneToOne;
        int srcStep = 0;
        if (srcSteps.size() > 1) {
          if (conn == kUnrollOneToOne) {
            if (t >= static_cast<int>(srcSteps.size()))
              return fail(layer, "layer '" + l.name() + "' (unroll_len " +
                                     Twine(steps) + ") connects one-to-one " +
                                     "to '" + l.srclayers(k) +
                                     "' with fewer steps (" +
                                     Twine(srcSteps.size()) + ")");
            srcStep = t;
          } else if (conn == kUnrollFirstToLast) {
            srcStep = static_cast<int>(srcSteps.size()) - 1;
          } else if (conn == kUnrollOneToAll) {
            srcStep = 0;
          } else {
            return fail(layer, "layer '" + l.name() +
                                   "': unroll_conn_type kUnrollCustomized "
                                   "is not supported");
          }
        }
        LayerOutput in = srcSteps[srcStep];
        // Consumers of a kSlice layer take the part of their partition.
        if (!in.parts.empty()) {
          int part = l.partition_id();
          if (part < 0 || part >= static_cast<int>(in.parts.size()))
            return fail(layer, "layer '" + l.name() + "': partition_id " +
                                   Twine(part) + " has no slice of '" +
                                   l.srclayers(k) + "'");
          in.data = in.parts[part];
        }
        srcs.push_back(in);
      }
      auto out = lowerLayer(layer, t, srcs);
      if (failed(out))
        return failure();
      outputs_[layer].push_back(*out);
    }
    // What the phase returns: losses, then metrics, then outputs.
    std::string suffix;
    auto &steps_ = outputs_[layer];
    auto collect = [&](SmallVector<Value> &into,
                       SmallVector<std::string> &names, StringRef what,
                       bool fromLabel) {
      for (size_t t = 0; t < steps_.size(); ++t) {
        into.push_back(fromLabel ? steps_[t].label : steps_[t].data);
        names.push_back(l.name() +
                        (steps_.size() > 1 ? "[" + std::to_string(t) + "]"
                                           : std::string()) +
                        "." + what.str());
      }
    };
    switch (l.type()) {
    case kSoftmaxLoss:
    case kCudnnSoftmaxLoss:
      collect(losses, lossNames, "loss", false);
      collect(metrics, metricNames, "accuracy", true);
      break;
    case kEuclideanLoss:
      collect(losses, lossNames, "loss", false);
      break;
    case kAccuracy:
      collect(metrics, metricNames, "accuracy", false);
      break;
    case kArgSort:
    case kCSVOutput:
    case kRecordOutput:
    case kCharRNNOutput:
      collect(outputsToReturn, outputNames, "output", false);
      break;
    case kRBMVis:
      // The positive phase of an RBM, which contrastive divergence starts
      // from.
      rbmOutput[layer] = outputsToReturn.size();
      collect(outputsToReturn, outputNames, "visible", false);
      break;
    case kRBMHid:
      rbmOutput[layer] = outputsToReturn.size();
      collect(outputsToReturn, outputNames, "hidden", false);
      break;
    default:
      break;
    }
  }
  // Contrastive divergence trains the RBMs of the train net: it samples, so
  // the train function takes and returns the random state.
  bool cd = net.phase == kTrain && job_.train_one_batch().alg() == kCD;
  if (cd) {
    std::map<int, unsigned> resultIndex;
    for (auto [layer, index] : rbmOutput)
      resultIndex[layer] = losses.size() + metrics.size() + index;
    if (failed(describeRBMs(net, resultIndex)))
      return failure();
    if (fn_->hasAttr("strata.rbm"))
      rngState();
  }
  SmallVector<Value> results;
  SmallVector<std::string> names;
  results.append(losses);
  results.append(metrics);
  results.append(outputsToReturn);
  names.append(lossNames);
  names.append(metricNames);
  names.append(outputNames);
  if (rng_) {
    results.push_back(rng_);
    names.push_back("rng");
  }
  func::ReturnOp::create(b_, fn_.getLoc(), results);
  fn_.setType(b_.getFunctionType(body->getArgumentTypes(),
                                 ValueRange(results).getTypes()));
  for (auto [i, name] : llvm::enumerate(names))
    fn_.setResultAttr(i, "strata.name", b_.getStringAttr(name));
  // The loss layers' outputs: what training minimizes (their sum; an
  // unrolled net has one per step).
  for (size_t i = 0; i < losses.size(); ++i)
    fn_.setResultAttr(i, "strata.loss", b_.getUnitAttr());
  // The RNG state goes in as argument 0 and comes back as the last result
  // (both marked strata.rng): a runner feeds it back, so each step draws
  // fresh masks and a run is deterministic for a seed.
  if (rng_) {
    fn_.setArgAttr(0, "strata.name", b_.getStringAttr("rng"));
    fn_.setArgAttr(0, "strata.rng", b_.getUnitAttr());
    fn_.setResultAttr(results.size() - 1, "strata.rng", b_.getUnitAttr());
  }
  fn_ = nullptr;
  return success();
}

LogicalResult
Importer::describeRBMs(const PhaseNet &net,
                       const std::map<int, unsigned> &resultIndex) {
  SmallVector<Attribute> rbms;
  for (int vis : net.layers) {
    const LayerProto &v = layers()[vis];
    if (v.type() != kRBMVis)
      continue;
    // The hidden layer of this RBM: the kRBMHid source that reads it.
    int hid = -1;
    for (const std::string &src : v.srclayers()) {
      auto it = net.byName.find(src);
      if (it != net.byName.end() && isRBMFeedback(v, layers()[it->second]))
        hid = it->second;
    }
    if (hid < 0)
      return fail(vis, "layer '" + v.name() +
                           "': contrastive divergence (kCD) needs the "
                           "kRBMHid layer of this kRBMVis layer: a kRBMHid "
                           "layer that reads it, listed in its srclayers");
    const LayerProto &h = layers()[hid];
    for (int layer : {vis, hid})
      if (unrollLen(layer) != 1)
        return fail(layer, "layer '" + layers()[layer].name() +
                               "': contrastive divergence does not unroll "
                               "RBM layers (unroll_len must be 1)");
    auto [weight, visibleBias] = rbmParams_.at(vis);
    auto [hiddenWeight, hiddenBias] = rbmParams_.at(hid);
    NamedAttrList d;
    d.append("visible", b_.getI64IntegerAttr(resultIndex.at(vis)));
    d.append("hidden", b_.getI64IntegerAttr(resultIndex.at(hid)));
    d.append("weight", weight);
    d.append("hidden_weight", hiddenWeight);
    if (visibleBias)
      d.append("visible_bias", visibleBias);
    if (hiddenBias)
      d.append("hidden_bias", hiddenBias);
    d.append("gaussian", b_.getBoolAttr(h.rbm_conf().gaussian()));
    d.append("visible_layer", b_.getStringAttr(v.name()));
    d.append("hidden_layer", b_.getStringAttr(h.name()));
    rbms.push_back(d.getDictionary(&ctx_));
  }
  if (!rbms.empty())
    fn_->setAttr("strata.rbm", b_.getArrayAttr(rbms));
  return success();
}

/// SINGA's enum names as IR strings: kSGD -> sgd, kFixedStep -> fixed_step.
static std::string lowerName(StringRef singaName) {
  StringRef n = singaName.starts_with("k") ? singaName.drop_front() : singaName;
  std::string s;
  for (size_t i = 0; i < n.size(); ++i) {
    char c = n[i];
    bool upper = c >= 'A' && c <= 'Z';
    bool prevLower = i > 0 && n[i - 1] >= 'a' && n[i - 1] <= 'z';
    if (upper && prevLower)
      s += '_';
    s += static_cast<char>(upper ? c - 'A' + 'a' : c);
  }
  return s;
}

void Importer::setModuleAttributes() {
  auto str = [&](StringRef v) { return b_.getStringAttr(v); };
  auto i64a = [&](int64_t v) { return b_.getI64IntegerAttr(v); };
  auto f64a = [&](double v) { return b_.getF64FloatAttr(v); };
  NamedAttrList jobAttrs;
  jobAttrs.append("name", str(job_.name()));
  jobAttrs.append("train_steps", i64a(job_.train_steps()));
  jobAttrs.append("disp_freq", i64a(job_.disp_freq()));
  jobAttrs.append("disp_after", i64a(job_.disp_after()));
  jobAttrs.append("test_freq", i64a(job_.test_freq()));
  jobAttrs.append("test_steps", i64a(job_.test_steps()));
  jobAttrs.append("test_after", i64a(job_.test_after()));
  jobAttrs.append("validate_freq", i64a(job_.validate_freq()));
  jobAttrs.append("validate_steps", i64a(job_.validate_steps()));
  jobAttrs.append("validate_after", i64a(job_.validate_after()));
  jobAttrs.append("checkpoint_freq", i64a(job_.checkpoint_freq()));
  jobAttrs.append("checkpoint_after", i64a(job_.checkpoint_after()));
  SmallVector<Attribute> paths;
  for (const std::string &p : job_.checkpoint_path())
    paths.push_back(str(p));
  jobAttrs.append("checkpoint_path", b_.getArrayAttr(paths));
  jobAttrs.append("warmup_steps", i64a(job_.warmup_steps()));
  SmallVector<int64_t> gpus(job_.gpu().begin(), job_.gpu().end());
  jobAttrs.append("gpu", b_.getDenseI64ArrayAttr(gpus));
  jobAttrs.append("resume", b_.getBoolAttr(job_.resume()));
  module_->setAttr("strata.job", jobAttrs.getDictionary(&ctx_));

  const AlgProto &alg = job_.train_one_batch();
  module_->setAttr(
      "strata.alg",
      b_.getDictionaryAttr(
          {b_.getNamedAttr("alg", str(lowerName(AlgType_Name(alg.alg())))),
           b_.getNamedAttr("cd_k", i64a(alg.cd_conf().cd_k())),
           b_.getNamedAttr("unroll_len",
                           i64a(job_.neuralnet().unroll_len()))}));

  const UpdaterProto &u = job_.updater();
  const LRGenProto &lr = u.learning_rate();
  NamedAttrList lrAttrs;
  lrAttrs.append("type", str(lowerName(ChangeMethod_Name(lr.type()))));
  lrAttrs.append("base_lr", f64a(lr.base_lr()));
  SmallVector<int64_t> steps(lr.fixedstep_conf().step().begin(),
                             lr.fixedstep_conf().step().end());
  SmallVector<double> stepLrs(lr.fixedstep_conf().step_lr().begin(),
                              lr.fixedstep_conf().step_lr().end());
  lrAttrs.append("fixed_steps", b_.getDenseI64ArrayAttr(steps));
  lrAttrs.append("fixed_step_lrs", b_.getDenseF64ArrayAttr(stepLrs));
  lrAttrs.append("step_gamma", f64a(lr.step_conf().gamma()));
  lrAttrs.append("step_change_freq", i64a(lr.step_conf().change_freq()));
  lrAttrs.append("linear_change_freq", i64a(lr.linear_conf().change_freq()));
  lrAttrs.append("linear_final_lr", f64a(lr.linear_conf().final_lr()));
  lrAttrs.append("exponential_change_freq",
                 i64a(lr.exponential_conf().change_freq()));
  lrAttrs.append("inverse_gamma", f64a(lr.inverse_conf().gamma()));
  lrAttrs.append("inverse_pow", f64a(lr.inverse_conf().pow()));
  lrAttrs.append("inverset_final_lr", f64a(lr.inverset_conf().final_lr()));
  NamedAttrList updater;
  updater.append("type", str(lowerName(UpdaterType_Name(u.type()))));
  updater.append("momentum", f64a(u.momentum()));
  updater.append("weight_decay", f64a(u.weight_decay()));
  updater.append("delta", f64a(u.delta()));
  updater.append("clip_low", f64a(u.clip_low()));
  updater.append("clip_high", f64a(u.clip_high()));
  double rho =
      u.type() == kAdaDelta ? u.adadelta_conf().rho() : u.rmsprop_conf().rho();
  updater.append("rho", f64a(rho));
  bool adamax = u.type() == kAdamMax;
  updater.append(
      "beta1", f64a(adamax ? u.adammax_conf().beta1() : u.adam_conf().beta1()));
  updater.append(
      "beta2", f64a(adamax ? u.adammax_conf().beta2() : u.adam_conf().beta2()));
  updater.append("learning_rate", lrAttrs.getDictionary(&ctx_));
  module_->setAttr("strata.updater", updater.getDictionary(&ctx_));

  const ClusterProto &c = job_.cluster();
  NamedAttrList cluster;
  cluster.append("nworker_groups", i64a(c.nworker_groups()));
  cluster.append("nserver_groups", i64a(c.nserver_groups()));
  cluster.append("nworkers_per_group", i64a(c.nworkers_per_group()));
  cluster.append("nservers_per_group", i64a(c.nservers_per_group()));
  cluster.append("nworkers_per_procs", i64a(c.nworkers_per_procs()));
  cluster.append("nservers_per_procs", i64a(c.nservers_per_procs()));
  cluster.append("workspace", str(c.workspace()));
  cluster.append("server_worker_separate",
                 b_.getBoolAttr(c.server_worker_separate()));
  cluster.append("sync_freq", i64a(c.sync_freq()));
  cluster.append("share_memory", b_.getBoolAttr(c.share_memory()));
  module_->setAttr("strata.cluster", cluster.getDictionary(&ctx_));
}

OwningOpRef<ModuleOp> Importer::run(const std::vector<PhaseNet> &phases) {
  OwningOpRef<ModuleOp> module =
      ModuleOp::create(FileLineColLoc::get(&ctx_, file_.path(), 1, 1));
  module_ = *module;
  setModuleAttributes();
  if (!job_.has_train_one_batch()) {
    emitError(FileLineColLoc::get(&ctx_, file_.path(), 1, 1))
        << "the job has no train_one_batch { alg: kBP | kCD | kBPTT }";
    return nullptr;
  }
  if (job_.train_one_batch().alg() == kUserAlg) {
    SourcePos pos = file_.topFieldPos("train_one_batch");
    emitError(FileLineColLoc::get(&ctx_, file_.path(), pos.line, pos.column))
        << "train_one_batch: alg kUserAlg ('"
        << job_.train_one_batch().user_alg()
        << "') is not supported; use kBP, kCD or kBPTT";
    return nullptr;
  }
  // Like kUserAlg, user updaters and schedules have no implementation.
  const UpdaterProto &updater = job_.updater();
  if (updater.type() == kUserUpdater ||
      updater.learning_rate().type() == kUserChange) {
    SourcePos pos = file_.topFieldPos("updater");
    bool user = updater.type() == kUserUpdater;
    emitError(FileLineColLoc::get(&ctx_, file_.path(), pos.line, pos.column))
        << "updater: "
        << (user ? "type kUserUpdater" : "learning_rate type kUserChange")
        << " ('"
        << (user ? updater.user_type() : updater.learning_rate().user_type())
        << "') is not supported";
    return nullptr;
  }
  for (const PhaseNet &net : phases)
    if (failed(lowerPhase(net)))
      return nullptr;
  // Ties are checked once every parameter is declared.
  for (auto &[name, entry] : params_) {
    ParameterOp p = entry.first;
    auto from = p.getShareFrom();
    if (!from)
      continue;
    auto [layer, index] = entry.second;
    auto it = params_.find(from->str());
    if (it == params_.end()) {
      emitError(paramLoc(layer, index))
          << "layer '" << layers()[layer].name() << "': param '" << name
          << "' shares from '" << *from << "', which no layer declares";
      return nullptr;
    }
    if (it->second.first.getType() != p.getType()) {
      emitError(paramLoc(layer, index))
          << "layer '" << layers()[layer].name() << "': param '" << name
          << "' (shape "
          << formatShape(cast<RankedTensorType>(p.getType()).getShape())
          << ") shares from '" << *from << "' (shape "
          << formatShape(
                 cast<RankedTensorType>(it->second.first.getType()).getShape())
          << ")";
      return nullptr;
    }
    // A chain of ties must end at a parameter that shares from none.
    std::string chain = "'" + name + "'";
    std::string cur = from->str();
    for (size_t n = 0; n < params_.size(); ++n) {
      chain += " -> '" + cur + "'";
      if (cur == name) {
        emitError(paramLoc(layer, index))
            << "layer '" << layers()[layer].name() << "': param '" << name
            << "' is tied in a cycle: " << chain;
        return nullptr;
      }
      auto next = params_.find(cur);
      if (next == params_.end() || !next->second.first.getShareFrom())
        break;
      cur = next->second.first.getShareFrom()->str();
    }
  }
  return module;
}

} // namespace

OwningOpRef<ModuleOp> importJob(const JobFile &file,
                                const std::vector<PhaseNet> &phases,
                                MLIRContext &context) {
  context.loadDialect<StrataDialect, func::FuncDialect>();
  return Importer(file, context).run(phases);
}

/// "file:line:col: error: layer 'x': message" for diagnostics located at a
/// layer; plain "file:line:col: error: message" otherwise.
static void printDiagnostic(Diagnostic &diag, llvm::raw_ostream &os) {
  Location loc = diag.getLocation();
  std::string layer;
  if (auto name = dyn_cast<NameLoc>(loc)) {
    layer = name.getName().str();
    loc = name.getChildLoc();
  }
  if (auto file = dyn_cast<FileLineColLoc>(loc))
    os << file.getFilename().getValue() << ":" << file.getLine() << ":"
       << file.getColumn() << ": ";
  switch (diag.getSeverity()) {
  case DiagnosticSeverity::Error:
    os << "error: ";
    break;
  case DiagnosticSeverity::Warning:
    os << "warning: ";
    break;
  case DiagnosticSeverity::Note:
    os << "note: ";
    break;
  case DiagnosticSeverity::Remark:
    os << "remark: ";
    break;
  }
  std::string message = diag.str();
  if (!layer.empty() && !StringRef(message).starts_with("layer '"))
    os << "layer '" << layer << "': ";
  os << message << "\n";
}

OwningOpRef<ModuleOp> importJobFile(StringRef path, MLIRContext &context,
                                    llvm::raw_ostream &errs) {
  auto file = JobFile::read(path);
  if (!file) {
    errs << llvm::toString(file.takeError()) << "\n";
    return nullptr;
  }
  auto phases = resolvePhases(**file);
  if (!phases) {
    errs << llvm::toString(phases.takeError()) << "\n";
    return nullptr;
  }
  // MLIR's follow-up "failed to infer returned types" adds nothing to the
  // message that names the layer.
  bool reported = false;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    if (reported && diag.str() == "failed to infer returned types")
      return success();
    printDiagnostic(diag, errs);
    reported = true;
    return success();
  });
  auto module = importJob(**file, *phases, context);
  if (!module)
    return nullptr;
  if (failed(verify(*module)))
    return nullptr;
  return module;
}

} // namespace strata::singa
