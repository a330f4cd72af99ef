//===- ConvolutionOps.cpp - Convolution, pooling, LRN: type inference -----===//
//
// The window geometry (resolved padding, output sizes) lives here only: type
// inference uses it with possibly dynamic sizes, the reference kernels with
// runtime sizes through getWindowGeometry.
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"

#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace strata;

#define GET_OP_CLASSES
#include "ir/ops/ConvolutionOps.cpp.inc"

namespace {

/// Window attributes with one entry per spatial dim, defaults filled in.
struct WindowSpec {
  SmallVector<int64_t> strides, dilations, padBegin, padEnd, outputPadding,
      outputShape;
  AutoPad autoPad = AutoPad::notset;
  bool ceilMode = false;
};

} // namespace

static bool isDyn(int64_t d) { return ShapedType::isDynamic(d); }

static int64_t ceilDiv(int64_t a, int64_t b) {
  return a >= 0 ? (a + b - 1) / b : -((-a) / b);
}

static int64_t floorDiv(int64_t a, int64_t b) {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

static std::string formatList(ArrayRef<int64_t> values) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << '[';
  llvm::interleaveComma(values, os);
  os << ']';
  return s;
}

static std::string opName(StringRef mnemonic) {
  return "'strata." + mnemonic.str() + "'";
}

/// Checks that `values` has 0 or `expected` entries, each >= `minimum`, and
/// returns them with empty replaced by `expected` copies of `fill`.
static LogicalResult checkList(std::optional<Location> loc, StringRef op,
                               StringRef name, ArrayRef<int64_t> values,
                               int64_t expected, int64_t minimum, int64_t fill,
                               StringRef what, SmallVectorImpl<int64_t> &out) {
  if (!values.empty() && static_cast<int64_t>(values.size()) != expected)
    return emitShapeError(loc, opName(op) + " expects " + Twine(expected) +
                                   " " + name + " entries (" + what +
                                   "), got " + formatList(values));
  for (int64_t v : values)
    if (v < minimum)
      return emitShapeError(loc,
                            opName(op) + " " + name + " must be " +
                                (minimum > 0 ? "positive" : "non-negative") +
                                ", got " + formatList(values));
  if (values.empty())
    out.assign(expected, fill);
  else
    out.assign(values.begin(), values.end());
  return success();
}

/// Validates the window attributes of an op with `s` spatial dims.
static LogicalResult buildWindowSpec(std::optional<Location> loc, StringRef op,
                                     int64_t s, ArrayRef<int64_t> strides,
                                     ArrayRef<int64_t> dilations,
                                     ArrayRef<int64_t> pads, AutoPad autoPad,
                                     bool ceilMode, WindowSpec &spec) {
  SmallVector<int64_t> allPads;
  if (failed(checkList(loc, op, "strides", strides, s, 1, 1,
                       "one per spatial dim", spec.strides)) ||
      failed(checkList(loc, op, "dilations", dilations, s, 1, 1,
                       "one per spatial dim", spec.dilations)) ||
      failed(checkList(loc, op, "pads", pads, 2 * s, 0, 0,
                       "begins, then ends of the spatial dims", allPads)))
    return failure();
  if (autoPad != AutoPad::notset &&
      llvm::any_of(pads, [](int64_t p) { return p != 0; }))
    return emitShapeError(loc, opName(op) + " pads " + formatList(pads) +
                                   " must be zero when auto_pad is " +
                                   stringifyAutoPad(autoPad));
  spec.padBegin.assign(allPads.begin(), allPads.begin() + s);
  spec.padEnd.assign(allPads.begin() + s, allPads.end());
  spec.autoPad = autoPad;
  spec.ceilMode = ceilMode;
  return success();
}

/// Forward window (conv, pooling) along spatial dim `i`: the padding applied
/// and the output size for input size `in` and kernel size `k`. Either size
/// may be dynamic; then the pads are meaningless and `out` is dynamic unless
/// the rule does not need the unknown size.
static void forwardDim(const WindowSpec &w, size_t i, int64_t in, int64_t k,
                       int64_t &pb, int64_t &pe, int64_t &out) {
  int64_t s = w.strides[i];
  bool same =
      w.autoPad == AutoPad::same_upper || w.autoPad == AutoPad::same_lower;
  pb = w.autoPad == AutoPad::notset ? w.padBegin[i] : 0;
  pe = w.autoPad == AutoPad::notset ? w.padEnd[i] : 0;
  if (isDyn(in)) {
    out = ShapedType::kDynamic;
    return;
  }
  if (same)
    out = ceilDiv(in, s);
  if (isDyn(k)) {
    if (!same)
      out = ShapedType::kDynamic;
    return;
  }
  int64_t eff = (k - 1) * w.dilations[i] + 1;
  if (same) {
    int64_t total = std::max<int64_t>(0, (out - 1) * s + eff - in);
    pb = w.autoPad == AutoPad::same_upper ? total / 2 : total - total / 2;
    pe = total - pb;
    return;
  }
  int64_t span = in + pb + pe - eff;
  out = (w.ceilMode ? ceilDiv(span, s) : floorDiv(span, s)) + 1;
  // ceil_mode: a window starting in the end padding is dropped (ONNX,
  // PyTorch).
  if (w.ceilMode && out > 0 && (out - 1) * s >= in + pb)
    --out;
}

/// Output sizes and (where computable) pads of a forward window; reports a
/// non-positive static output size.
static LogicalResult forwardGeometry(std::optional<Location> loc, StringRef op,
                                     const WindowSpec &w,
                                     ArrayRef<int64_t> inputSizes,
                                     ArrayRef<int64_t> kernelSizes,
                                     SmallVectorImpl<int64_t> &pads,
                                     SmallVectorImpl<int64_t> &outputSizes) {
  size_t s = inputSizes.size();
  pads.assign(2 * s, 0);
  outputSizes.assign(s, 0);
  for (size_t i = 0; i < s; ++i) {
    forwardDim(w, i, inputSizes[i], kernelSizes[i], pads[i], pads[s + i],
               outputSizes[i]);
    if (!isDyn(outputSizes[i]) && outputSizes[i] <= 0)
      return emitShapeError(
          loc, opName(op) + " output size " + Twine(outputSizes[i]) +
                   " along spatial dim " + Twine(i) +
                   " is not positive (input size " + Twine(inputSizes[i]) +
                   ", kernel " + formatShape(kernelSizes[i]) + ", dilation " +
                   Twine(w.dilations[i]) + ", stride " + Twine(w.strides[i]) +
                   ", pads " + Twine(pads[i]) + " and " + Twine(pads[s + i]) +
                   ")");
  }
  return success();
}

/// Transposed window along spatial dim `i` (see strata.conv_transpose).
static void transposeDim(const WindowSpec &w, size_t i, int64_t in, int64_t k,
                         int64_t &pb, int64_t &pe, int64_t &out) {
  int64_t s = w.strides[i];
  bool same =
      w.autoPad == AutoPad::same_upper || w.autoPad == AutoPad::same_lower;
  bool given = !w.outputShape.empty();
  pb = w.autoPad == AutoPad::notset && !given ? w.padBegin[i] : 0;
  pe = w.autoPad == AutoPad::notset && !given ? w.padEnd[i] : 0;
  out = ShapedType::kDynamic;
  if (given)
    out = w.outputShape[i];
  else if (same && !isDyn(in))
    out = in * s;
  if (isDyn(in) || isDyn(k))
    return;
  int64_t full =
      s * (in - 1) + w.outputPadding[i] + (k - 1) * w.dilations[i] + 1;
  if (given || same) {
    int64_t total = std::max<int64_t>(0, full - out);
    pb = w.autoPad == AutoPad::same_upper ? total / 2 : total - total / 2;
    pe = total - pb;
    return;
  }
  out = full - pb - pe;
}

/// The spatial sizes of a shape [N, C, spatial...].
static ArrayRef<int64_t> spatial(ArrayRef<int64_t> shape) {
  return shape.drop_front(2);
}

/// Checks an image operand: rank >= 3.
static LogicalResult checkImage(std::optional<Location> loc, StringRef op,
                                RankedTensorType type) {
  if (type.getRank() < 3)
    return emitShapeError(loc, opName(op) +
                                   " expects an input [N, C, spatial...] of "
                                   "rank >= 3, got shape " +
                                   formatShape(type.getShape()));
  return success();
}

/// Checks weight and bias of conv / conv_transpose against the input: same
/// element type and rank, positive static kernel sizes, bias [outChannels].
/// Returns the output channel count (possibly refined from the bias).
static LogicalResult checkWeightAndBias(std::optional<Location> loc,
                                        StringRef op, RankedTensorType input,
                                        RankedTensorType weight, Value bias,
                                        int64_t &outChannels) {
  if (weight.getElementType() != input.getElementType())
    return emitShapeError(loc, opName(op) +
                                   " weight and input have different element "
                                   "types");
  if (weight.getRank() != input.getRank())
    return emitShapeError(
        loc, opName(op) + " weight shape " + formatShape(weight.getShape()) +
                 " must have the input's rank " + Twine(input.getRank()));
  for (int64_t k : spatial(weight.getShape()))
    if (!isDyn(k) && k <= 0)
      return emitShapeError(loc, opName(op) + " kernel sizes of weight shape " +
                                     formatShape(weight.getShape()) +
                                     " must be positive");
  if (!bias)
    return success();
  auto b = cast<RankedTensorType>(bias.getType());
  if (b.getElementType() != input.getElementType())
    return emitShapeError(loc, opName(op) +
                                   " bias and input have different element "
                                   "types");
  if (b.getRank() != 1 || (!isDyn(b.getDimSize(0)) && !isDyn(outChannels) &&
                           b.getDimSize(0) != outChannels))
    return emitShapeError(loc, opName(op) + " bias shape " +
                                   formatShape(b.getShape()) + " must be [" +
                                   (isDyn(outChannels)
                                        ? std::string("?")
                                        : std::to_string(outChannels)) +
                                   "] (one per output channel)");
  // The bias length is the output channel count.
  if (isDyn(outChannels))
    outChannels = b.getDimSize(0);
  return success();
}

static LogicalResult checkGroups(std::optional<Location> loc, StringRef op,
                                 int64_t groups, int64_t channels,
                                 StringRef which) {
  if (groups < 1)
    return emitShapeError(loc, opName(op) + " groups must be positive, got " +
                                   Twine(groups));
  if (!isDyn(channels) && channels % groups != 0)
    return emitShapeError(
        loc, opName(op) + " " + which + " channels " + Twine(channels) +
                 " are not divisible by groups " + Twine(groups));
  return success();
}

//===----------------------------------------------------------------------===//
// conv
//===----------------------------------------------------------------------===//

LogicalResult ConvOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  StringRef op = "conv";
  auto in = cast<RankedTensorType>(adaptor.getInput().getType());
  auto w = cast<RankedTensorType>(adaptor.getWeight().getType());
  if (failed(checkImage(loc, op, in)))
    return failure();
  int64_t s = in.getRank() - 2;
  int64_t groups = static_cast<int64_t>(adaptor.getGroups());
  int64_t c = in.getDimSize(1);
  int64_t m = w.getRank() >= 1 ? w.getDimSize(0) : ShapedType::kDynamic;
  if (failed(checkWeightAndBias(loc, op, in, w, adaptor.getBias(), m)) ||
      failed(checkGroups(loc, op, groups, c, "input")) ||
      failed(checkGroups(loc, op, groups, m, "output")))
    return failure();
  int64_t wc = w.getDimSize(1);
  if (!isDyn(c) && !isDyn(wc) && wc * groups != c)
    return emitShapeError(
        loc, "'strata.conv' weight shape " + formatShape(w.getShape()) +
                 " needs input channels / groups = " + Twine(c) + " / " +
                 Twine(groups) + " in dim 1");
  WindowSpec spec;
  if (failed(buildWindowSpec(loc, op, s, adaptor.getStrides(),
                             adaptor.getDilations(), adaptor.getPads(),
                             adaptor.getAutoPad(), false, spec)))
    return failure();
  SmallVector<int64_t> pads, outSizes;
  if (failed(forwardGeometry(loc, op, spec, spatial(in.getShape()),
                             spatial(w.getShape()), pads, outSizes)))
    return failure();
  SmallVector<int64_t> shape = {in.getDimSize(0), m};
  shape.append(outSizes);
  types.push_back(RankedTensorType::get(shape, in.getElementType()));
  return success();
}

void ConvOp::getWindowGeometry(ArrayRef<int64_t> inputSizes,
                               ArrayRef<int64_t> kernelSizes,
                               SmallVectorImpl<int64_t> &pads,
                               SmallVectorImpl<int64_t> &outputSizes) {
  WindowSpec spec;
  (void)buildWindowSpec(std::nullopt, "conv", inputSizes.size(), getStrides(),
                        getDilations(), getPads(), getAutoPad(), false, spec);
  (void)forwardGeometry(std::nullopt, "conv", spec, inputSizes, kernelSizes,
                        pads, outputSizes);
}

//===----------------------------------------------------------------------===//
// conv_transpose
//===----------------------------------------------------------------------===//

static LogicalResult buildTransposeSpec(std::optional<Location> loc, int64_t s,
                                        ConvTransposeOp::Adaptor adaptor,
                                        WindowSpec &spec) {
  StringRef op = "conv_transpose";
  if (failed(buildWindowSpec(loc, op, s, adaptor.getStrides(),
                             adaptor.getDilations(), adaptor.getPads(),
                             adaptor.getAutoPad(), false, spec)) ||
      failed(checkList(loc, op, "output_padding", adaptor.getOutputPadding(), s,
                       0, 0, "one per spatial dim", spec.outputPadding)) ||
      failed(checkList(loc, op, "output_shape", adaptor.getOutputShape(), s, 1,
                       1, "spatial sizes only", spec.outputShape)))
    return failure();
  if (adaptor.getOutputShape().empty())
    spec.outputShape.clear();
  else if (llvm::any_of(adaptor.getPads(), [](int64_t p) { return p != 0; }))
    return emitShapeError(loc, "'strata.conv_transpose' pads " +
                                   formatList(adaptor.getPads()) +
                                   " must be zero when output_shape is given");
  return success();
}

LogicalResult ConvTransposeOp::inferReturnTypes(MLIRContext *,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &types) {
  StringRef op = "conv_transpose";
  auto in = cast<RankedTensorType>(adaptor.getInput().getType());
  auto w = cast<RankedTensorType>(adaptor.getWeight().getType());
  if (failed(checkImage(loc, op, in)))
    return failure();
  int64_t s = in.getRank() - 2;
  int64_t groups = static_cast<int64_t>(adaptor.getGroups());
  int64_t c = in.getDimSize(1);
  if (failed(checkGroups(loc, op, groups, c, "input")))
    return failure();
  int64_t m = ShapedType::kDynamic;
  if (w.getRank() >= 2 && !isDyn(w.getDimSize(1)))
    m = w.getDimSize(1) * groups;
  if (failed(checkWeightAndBias(loc, op, in, w, adaptor.getBias(), m)))
    return failure();
  int64_t wc = w.getDimSize(0);
  if (!isDyn(c) && !isDyn(wc) && wc != c)
    return emitShapeError(loc, "'strata.conv_transpose' weight shape " +
                                   formatShape(w.getShape()) +
                                   " needs the input channels " + Twine(c) +
                                   " in dim 0");
  WindowSpec spec;
  if (failed(buildTransposeSpec(loc, s, adaptor, spec)))
    return failure();
  SmallVector<int64_t> shape = {in.getDimSize(0), m};
  for (int64_t i = 0; i < s; ++i) {
    int64_t pb, pe, out;
    transposeDim(spec, i, in.getDimSize(2 + i), w.getDimSize(2 + i), pb, pe,
                 out);
    if (!isDyn(out) && out <= 0)
      return emitShapeError(loc, "'strata.conv_transpose' output size " +
                                     Twine(out) + " along spatial dim " +
                                     Twine(i) + " is not positive");
    shape.push_back(out);
  }
  types.push_back(RankedTensorType::get(shape, in.getElementType()));
  return success();
}

void ConvTransposeOp::getWindowGeometry(ArrayRef<int64_t> inputSizes,
                                        ArrayRef<int64_t> kernelSizes,
                                        SmallVectorImpl<int64_t> &pads,
                                        SmallVectorImpl<int64_t> &outputSizes) {
  size_t s = inputSizes.size();
  WindowSpec spec;
  (void)buildTransposeSpec(std::nullopt, s, Adaptor(*this), spec);
  pads.assign(2 * s, 0);
  outputSizes.assign(s, 0);
  for (size_t i = 0; i < s; ++i)
    transposeDim(spec, i, inputSizes[i], kernelSizes[i], pads[i], pads[s + i],
                 outputSizes[i]);
}

//===----------------------------------------------------------------------===//
// max_pool, avg_pool
//===----------------------------------------------------------------------===//

/// Validates a pooling op's attributes; `kernel` gets kernel_shape.
static LogicalResult buildPoolSpec(std::optional<Location> loc, StringRef op,
                                   int64_t s, ArrayRef<int64_t> kernelShape,
                                   ArrayRef<int64_t> strides,
                                   ArrayRef<int64_t> dilations,
                                   ArrayRef<int64_t> pads, AutoPad autoPad,
                                   bool ceilMode, WindowSpec &spec) {
  if (static_cast<int64_t>(kernelShape.size()) != s)
    return emitShapeError(loc, opName(op) + " expects " + Twine(s) +
                                   " kernel_shape entries (one per spatial "
                                   "dim), got " +
                                   formatList(kernelShape));
  if (llvm::any_of(kernelShape, [](int64_t k) { return k <= 0; }))
    return emitShapeError(loc, opName(op) +
                                   " kernel_shape must be positive, "
                                   "got " +
                                   formatList(kernelShape));
  if (failed(buildWindowSpec(loc, op, s, strides, dilations, pads, autoPad,
                             ceilMode, spec)))
    return failure();
  // A window lying entirely in the padding has nothing to pool.
  for (int64_t i = 0; i < s; ++i) {
    int64_t eff = (kernelShape[i] - 1) * spec.dilations[i] + 1;
    if (spec.padBegin[i] >= eff || spec.padEnd[i] >= eff)
      return emitShapeError(loc, opName(op) + " pads " + formatList(pads) +
                                     " must be smaller than the (dilated) "
                                     "kernel extent " +
                                     Twine(eff) + " along spatial dim " +
                                     Twine(i));
  }
  return success();
}

static LogicalResult
inferPool(std::optional<Location> loc, StringRef op, RankedTensorType in,
          ArrayRef<int64_t> kernelShape, ArrayRef<int64_t> strides,
          ArrayRef<int64_t> dilations, ArrayRef<int64_t> pads, AutoPad autoPad,
          bool ceilMode, SmallVectorImpl<Type> &types) {
  if (failed(checkImage(loc, op, in)))
    return failure();
  WindowSpec spec;
  if (failed(buildPoolSpec(loc, op, in.getRank() - 2, kernelShape, strides,
                           dilations, pads, autoPad, ceilMode, spec)))
    return failure();
  SmallVector<int64_t> resolved, outSizes;
  if (failed(forwardGeometry(loc, op, spec, spatial(in.getShape()), kernelShape,
                             resolved, outSizes)))
    return failure();
  SmallVector<int64_t> shape = {in.getDimSize(0), in.getDimSize(1)};
  shape.append(outSizes);
  types.push_back(RankedTensorType::get(shape, in.getElementType()));
  return success();
}

LogicalResult MaxPoolOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  return inferPool(
      loc, "max_pool", cast<RankedTensorType>(adaptor.getInput().getType()),
      adaptor.getKernelShape(), adaptor.getStrides(), adaptor.getDilations(),
      adaptor.getPads(), adaptor.getAutoPad(), adaptor.getCeilMode(), types);
}

void MaxPoolOp::getWindowGeometry(ArrayRef<int64_t> inputSizes,
                                  ArrayRef<int64_t> kernelSizes,
                                  SmallVectorImpl<int64_t> &pads,
                                  SmallVectorImpl<int64_t> &outputSizes) {
  WindowSpec spec;
  (void)buildPoolSpec(std::nullopt, "max_pool", inputSizes.size(),
                      getKernelShape(), getStrides(), getDilations(), getPads(),
                      getAutoPad(), getCeilMode(), spec);
  (void)forwardGeometry(std::nullopt, "max_pool", spec, inputSizes, kernelSizes,
                        pads, outputSizes);
}

LogicalResult AvgPoolOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  return inferPool(
      loc, "avg_pool", cast<RankedTensorType>(adaptor.getInput().getType()),
      adaptor.getKernelShape(), adaptor.getStrides(), adaptor.getDilations(),
      adaptor.getPads(), adaptor.getAutoPad(), adaptor.getCeilMode(), types);
}

void AvgPoolOp::getWindowGeometry(ArrayRef<int64_t> inputSizes,
                                  ArrayRef<int64_t> kernelSizes,
                                  SmallVectorImpl<int64_t> &pads,
                                  SmallVectorImpl<int64_t> &outputSizes) {
  WindowSpec spec;
  (void)buildPoolSpec(std::nullopt, "avg_pool", inputSizes.size(),
                      getKernelShape(), getStrides(), getDilations(), getPads(),
                      getAutoPad(), getCeilMode(), spec);
  (void)forwardGeometry(std::nullopt, "avg_pool", spec, inputSizes, kernelSizes,
                        pads, outputSizes);
}

//===----------------------------------------------------------------------===//
// global pooling, lrn
//===----------------------------------------------------------------------===//

static LogicalResult inferGlobalPool(std::optional<Location> loc, StringRef op,
                                     RankedTensorType in,
                                     SmallVectorImpl<Type> &types) {
  if (failed(checkImage(loc, op, in)))
    return failure();
  for (int64_t d : spatial(in.getShape()))
    if (d == 0)
      return emitShapeError(loc, opName(op) + " input shape " +
                                     formatShape(in.getShape()) +
                                     " has an empty spatial dim");
  SmallVector<int64_t> shape(in.getShape());
  std::fill(shape.begin() + 2, shape.end(), 1);
  types.push_back(RankedTensorType::get(shape, in.getElementType()));
  return success();
}

LogicalResult GlobalMaxPoolOp::inferReturnTypes(MLIRContext *,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &types) {
  return inferGlobalPool(loc, "global_max_pool",
                         cast<RankedTensorType>(adaptor.getInput().getType()),
                         types);
}

LogicalResult GlobalAvgPoolOp::inferReturnTypes(MLIRContext *,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &types) {
  return inferGlobalPool(loc, "global_avg_pool",
                         cast<RankedTensorType>(adaptor.getInput().getType()),
                         types);
}

LogicalResult LRNOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  auto in = cast<RankedTensorType>(adaptor.getInput().getType());
  if (failed(checkImage(loc, "lrn", in)))
    return failure();
  int64_t size = static_cast<int64_t>(adaptor.getSize());
  if (size < 1)
    return emitShapeError(loc, "'strata.lrn' size must be positive, got " +
                                   Twine(size));
  types.push_back(in);
  return success();
}

//===----------------------------------------------------------------------===//
// col2im
//===----------------------------------------------------------------------===//

LogicalResult Col2ImOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  StringRef op = "col2im";
  auto in = cast<RankedTensorType>(adaptor.getInput().getType());
  if (in.getRank() != 3)
    return emitShapeError(loc, "'strata.col2im' expects an input [N, C * K, "
                               "L] of rank 3, got shape " +
                                   formatShape(in.getShape()));
  ArrayRef<int64_t> image = adaptor.getImageShape();
  ArrayRef<int64_t> block = adaptor.getBlockShape();
  int64_t s = image.size();
  if (s < 1 || llvm::any_of(image, [](int64_t d) { return d <= 0; }))
    return emitShapeError(loc, "'strata.col2im' image_shape must be a "
                               "non-empty list of positive sizes, got " +
                                   formatList(image));
  if (static_cast<int64_t>(block.size()) != s ||
      llvm::any_of(block, [](int64_t d) { return d <= 0; }))
    return emitShapeError(loc, "'strata.col2im' block_shape " +
                                   formatList(block) + " must have " +
                                   Twine(s) +
                                   " positive entries (one per image dim)");
  WindowSpec spec;
  if (failed(buildWindowSpec(loc, op, s, adaptor.getStrides(),
                             adaptor.getDilations(), adaptor.getPads(),
                             AutoPad::notset, false, spec)))
    return failure();
  SmallVector<int64_t> pads, blocks;
  if (failed(forwardGeometry(loc, op, spec, image, block, pads, blocks)))
    return failure();
  int64_t volume = 1, count = 1;
  for (int64_t i = 0; i < s; ++i) {
    volume *= block[i];
    count *= blocks[i];
  }
  int64_t ck = in.getDimSize(1), l = in.getDimSize(2);
  if (!isDyn(ck) && ck % volume != 0)
    return emitShapeError(loc, "'strata.col2im' input dim 1 (" + Twine(ck) +
                                   ") is not divisible by the block volume " +
                                   Twine(volume));
  if (!isDyn(l) && l != count)
    return emitShapeError(loc, "'strata.col2im' input dim 2 (" + Twine(l) +
                                   ") must be the number of block positions " +
                                   Twine(count) + " (" + formatList(blocks) +
                                   ")");
  SmallVector<int64_t> shape = {in.getDimSize(0),
                                isDyn(ck) ? ShapedType::kDynamic : ck / volume};
  shape.append(image.begin(), image.end());
  types.push_back(RankedTensorType::get(shape, in.getElementType()));
  return success();
}

void Col2ImOp::getBlockGeometry(SmallVectorImpl<int64_t> &pads,
                                SmallVectorImpl<int64_t> &blocks) {
  WindowSpec spec;
  int64_t s = getImageShape().size();
  (void)buildWindowSpec(std::nullopt, "col2im", s, getStrides(), getDilations(),
                        getPads(), AutoPad::notset, false, spec);
  (void)forwardGeometry(std::nullopt, "col2im", spec, getImageShape(),
                        getBlockShape(), pads, blocks);
}

//===----------------------------------------------------------------------===//
// Gradient ops: the forward op's inference on the same operands, and
// output_grad checked against its result.
//===----------------------------------------------------------------------===//

/// Checks that `outputGrad` can be the gradient of a forward result of type
/// `forward`: same element type and rank, sizes equal where both are static.
static LogicalResult checkOutputGrad(std::optional<Location> loc, StringRef op,
                                     Type forward, Value outputGrad) {
  auto f = cast<RankedTensorType>(forward);
  auto d = cast<RankedTensorType>(outputGrad.getType());
  bool fits =
      f.getElementType() == d.getElementType() && f.getRank() == d.getRank();
  for (int64_t i = 0; fits && i < f.getRank(); ++i)
    fits = isDyn(f.getDimSize(i)) || isDyn(d.getDimSize(i)) ||
           f.getDimSize(i) == d.getDimSize(i);
  if (!fits) {
    std::string got, want;
    llvm::raw_string_ostream(got) << d;
    llvm::raw_string_ostream(want) << f;
    return emitShapeError(loc, opName(op) + " output_grad type " + got +
                                   " does not fit the forward result type " +
                                   want);
  }
  return success();
}

//===----------------------------------------------------------------------===//
// grid_sample
//===----------------------------------------------------------------------===//

/// The result type of grid_sample; shared with grid_sample_grad.
template <typename AdaptorT>
static LogicalResult inferGridSample(std::optional<Location> loc, StringRef op,
                                     AdaptorT adaptor,
                                     SmallVectorImpl<Type> &types) {
  auto in = cast<RankedTensorType>(adaptor.getInput().getType());
  auto grid = cast<RankedTensorType>(adaptor.getGrid().getType());
  if (failed(checkImage(loc, op, in)))
    return failure();
  if (grid.getElementType() != in.getElementType())
    return emitShapeError(loc, opName(op) + " grid and input have "
                                            "different element types");
  int64_t s = in.getRank() - 2;
  if (grid.getRank() != s + 2)
    return emitShapeError(
        loc, opName(op) + " grid shape " + formatShape(grid.getShape()) +
                 " must have rank " + Twine(s + 2) + " ([N, O_1, ..., O_" +
                 Twine(s) + ", " + Twine(s) + "])");
  int64_t last = grid.getDimSize(s + 1);
  int64_t n = in.getDimSize(0), gn = grid.getDimSize(0);
  if ((!isDyn(last) && last != s) || (!isDyn(n) && !isDyn(gn) && n != gn))
    return emitShapeError(
        loc, opName(op) + " grid shape " + formatShape(grid.getShape()) +
                 " does not fit input shape " + formatShape(in.getShape()) +
                 " (expected [N, O_1, ..., O_" + Twine(s) + ", " + Twine(s) +
                 "])");
  SmallVector<int64_t> shape = {isDyn(n) ? gn : n, in.getDimSize(1)};
  for (int64_t i = 0; i < s; ++i)
    shape.push_back(grid.getDimSize(1 + i));
  types.push_back(RankedTensorType::get(shape, in.getElementType()));
  return success();
}

LogicalResult GridSampleOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &types) {
  return inferGridSample(loc, "grid_sample", adaptor, types);
}

LogicalResult GridSampleGradOp::inferReturnTypes(MLIRContext *,
                                                 std::optional<Location> loc,
                                                 Adaptor adaptor,
                                                 SmallVectorImpl<Type> &types) {
  StringRef op = "grid_sample_grad";
  SmallVector<Type> forward;
  if (failed(inferGridSample(loc, op, adaptor, forward)) ||
      failed(checkOutputGrad(loc, op, forward[0], adaptor.getOutputGrad())))
    return failure();
  types.push_back(adaptor.getInput().getType());
  types.push_back(adaptor.getGrid().getType());
  return success();
}

//===----------------------------------------------------------------------===//
// roi_align
//===----------------------------------------------------------------------===//

/// The result type of roi_align; shared with roi_align_grad.
template <typename AdaptorT>
static LogicalResult inferRoiAlign(std::optional<Location> loc, StringRef op,
                                   AdaptorT adaptor,
                                   SmallVectorImpl<Type> &types) {
  auto in = cast<RankedTensorType>(adaptor.getInput().getType());
  auto rois = cast<RankedTensorType>(adaptor.getRois().getType());
  auto idx = cast<RankedTensorType>(adaptor.getBatchIndices().getType());
  if (in.getRank() != 4)
    return emitShapeError(loc, opName(op) +
                                   " expects an input [N, C, "
                                   "H, W], got shape " +
                                   formatShape(in.getShape()));
  if (rois.getElementType() != in.getElementType())
    return emitShapeError(loc, opName(op) + " rois and input have "
                                            "different element types");
  int64_t r = rois.getRank() == 2 ? rois.getDimSize(0) : ShapedType::kDynamic;
  int64_t ri = idx.getRank() == 1 ? idx.getDimSize(0) : ShapedType::kDynamic;
  if (rois.getRank() != 2 ||
      (!isDyn(rois.getDimSize(1)) && rois.getDimSize(1) != 4) ||
      idx.getRank() != 1 || (!isDyn(r) && !isDyn(ri) && r != ri))
    return emitShapeError(loc, opName(op) +
                                   " expects rois [R, 4] and "
                                   "batch_indices [R], got shapes " +
                                   formatShape(rois.getShape()) + " and " +
                                   formatShape(idx.getShape()));
  int64_t oh = static_cast<int64_t>(adaptor.getOutputHeight());
  int64_t ow = static_cast<int64_t>(adaptor.getOutputWidth());
  int64_t ratio = static_cast<int64_t>(adaptor.getSamplingRatio());
  if (oh < 1 || ow < 1 || ratio < 0)
    return emitShapeError(
        loc, opName(op) +
                 " output_height and output_width must be "
                 "positive and sampling_ratio non-negative, got " +
                 Twine(oh) + ", " + Twine(ow) + " and " + Twine(ratio));
  types.push_back(RankedTensorType::get(
      {isDyn(r) ? ri : r, in.getDimSize(1), oh, ow}, in.getElementType()));
  return success();
}

LogicalResult RoiAlignOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  return inferRoiAlign(loc, "roi_align", adaptor, types);
}

LogicalResult RoiAlignGradOp::inferReturnTypes(MLIRContext *,
                                               std::optional<Location> loc,
                                               Adaptor adaptor,
                                               SmallVectorImpl<Type> &types) {
  StringRef op = "roi_align_grad";
  SmallVector<Type> forward;
  if (failed(inferRoiAlign(loc, op, adaptor, forward)) ||
      failed(checkOutputGrad(loc, op, forward[0], adaptor.getOutputGrad())))
    return failure();
  types.push_back(adaptor.getInput().getType());
  types.push_back(adaptor.getRois().getType());
  return success();
}

//===----------------------------------------------------------------------===//
// deform_conv
//===----------------------------------------------------------------------===//

/// The result type of deform_conv (with an optional `bias`); shared with
/// deform_conv_grad.
template <typename AdaptorT>
static LogicalResult inferDeformConv(std::optional<Location> loc, StringRef op,
                                     AdaptorT adaptor, Value bias,
                                     SmallVectorImpl<Type> &types) {
  auto in = cast<RankedTensorType>(adaptor.getInput().getType());
  auto w = cast<RankedTensorType>(adaptor.getWeight().getType());
  auto off = cast<RankedTensorType>(adaptor.getOffset().getType());
  auto mask = cast<RankedTensorType>(adaptor.getMask().getType());
  if (failed(checkImage(loc, op, in)))
    return failure();
  int64_t s = in.getRank() - 2;
  int64_t groups = static_cast<int64_t>(adaptor.getGroups());
  int64_t offsetGroup = static_cast<int64_t>(adaptor.getOffsetGroup());
  int64_t c = in.getDimSize(1);
  int64_t m = w.getRank() >= 1 ? w.getDimSize(0) : ShapedType::kDynamic;
  if (failed(checkWeightAndBias(loc, op, in, w, bias, m)) ||
      failed(checkGroups(loc, op, groups, c, "input")) ||
      failed(checkGroups(loc, op, groups, m, "output")))
    return failure();
  int64_t wc = w.getDimSize(1);
  if (!isDyn(c) && !isDyn(wc) && wc * groups != c)
    return emitShapeError(
        loc, opName(op) + " weight shape " + formatShape(w.getShape()) +
                 " needs input channels / groups = " + Twine(c) + " / " +
                 Twine(groups) + " in dim 1");
  if (offsetGroup < 1 || (!isDyn(c) && c % offsetGroup != 0))
    return emitShapeError(loc, opName(op) + " offset_group " +
                                   Twine(offsetGroup) +
                                   " must be positive and divide the input "
                                   "channels " +
                                   formatShape(c));
  if (off.getElementType() != in.getElementType() ||
      mask.getElementType() != in.getElementType())
    return emitShapeError(loc, opName(op) + " offset and mask must "
                                            "have the input's element type");
  WindowSpec spec;
  if (failed(buildWindowSpec(loc, op, s, adaptor.getStrides(),
                             adaptor.getDilations(), adaptor.getPads(),
                             AutoPad::notset, false, spec)))
    return failure();
  SmallVector<int64_t> pads, outSizes;
  if (failed(forwardGeometry(loc, op, spec, spatial(in.getShape()),
                             spatial(w.getShape()), pads, outSizes)))
    return failure();
  // Offset and mask: [N, offset_group * K * s (or K), O...].
  int64_t k = 1;
  for (int64_t d : spatial(w.getShape()))
    k = isDyn(k) || isDyn(d) ? ShapedType::kDynamic : k * d;
  auto fits = [&](RankedTensorType t, int64_t perTap) {
    if (t.getRank() != in.getRank())
      return false;
    auto agree = [](int64_t a, int64_t b) {
      return isDyn(a) || isDyn(b) || a == b;
    };
    if (!agree(t.getDimSize(0), in.getDimSize(0)) ||
        !agree(t.getDimSize(1),
               isDyn(k) ? ShapedType::kDynamic : offsetGroup * k * perTap))
      return false;
    for (int64_t i = 0; i < s; ++i)
      if (!agree(t.getDimSize(2 + i), outSizes[i]))
        return false;
    return true;
  };
  if (!fits(off, s) || !fits(mask, 1))
    return emitShapeError(
        loc, opName(op) + " offset shape " + formatShape(off.getShape()) +
                 " and mask shape " + formatShape(mask.getShape()) +
                 " do not fit (expected [N, offset_group * K * s, O...] and "
                 "[N, offset_group * K, O...], K the kernel volume, O the "
                 "output sizes)");
  SmallVector<int64_t> shape = {in.getDimSize(0), m};
  for (int64_t i = 0; i < s; ++i)
    shape.push_back(isDyn(outSizes[i]) ? off.getDimSize(2 + i) : outSizes[i]);
  if (isDyn(shape[0]))
    shape[0] = off.getDimSize(0);
  types.push_back(RankedTensorType::get(shape, in.getElementType()));
  return success();
}

LogicalResult DeformConvOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &types) {
  return inferDeformConv(loc, "deform_conv", adaptor, adaptor.getBias(), types);
}

LogicalResult DeformConvGradOp::inferReturnTypes(MLIRContext *,
                                                 std::optional<Location> loc,
                                                 Adaptor adaptor,
                                                 SmallVectorImpl<Type> &types) {
  StringRef op = "deform_conv_grad";
  SmallVector<Type> forward;
  if (failed(inferDeformConv(loc, op, adaptor, Value(), forward)) ||
      failed(checkOutputGrad(loc, op, forward[0], adaptor.getOutputGrad())))
    return failure();
  types.push_back(adaptor.getInput().getType());
  types.push_back(adaptor.getWeight().getType());
  types.push_back(adaptor.getOffset().getType());
  types.push_back(adaptor.getMask().getType());
  return success();
}

/// The window geometry of deform_conv and deform_conv_grad (auto_pad notset,
/// no ceil_mode).
static void deformConvGeometry(StringRef op, ArrayRef<int64_t> strides,
                               ArrayRef<int64_t> dilations,
                               ArrayRef<int64_t> padList,
                               ArrayRef<int64_t> inputSizes,
                               ArrayRef<int64_t> kernelSizes,
                               SmallVectorImpl<int64_t> &pads,
                               SmallVectorImpl<int64_t> &outputSizes) {
  WindowSpec spec;
  (void)buildWindowSpec(std::nullopt, op, inputSizes.size(), strides, dilations,
                        padList, AutoPad::notset, false, spec);
  (void)forwardGeometry(std::nullopt, op, spec, inputSizes, kernelSizes, pads,
                        outputSizes);
}

void DeformConvOp::getWindowGeometry(ArrayRef<int64_t> inputSizes,
                                     ArrayRef<int64_t> kernelSizes,
                                     SmallVectorImpl<int64_t> &pads,
                                     SmallVectorImpl<int64_t> &outputSizes) {
  deformConvGeometry("deform_conv", getStrides(), getDilations(), getPads(),
                     inputSizes, kernelSizes, pads, outputSizes);
}

void DeformConvGradOp::getWindowGeometry(
    ArrayRef<int64_t> inputSizes, ArrayRef<int64_t> kernelSizes,
    SmallVectorImpl<int64_t> &pads, SmallVectorImpl<int64_t> &outputSizes) {
  deformConvGeometry("deform_conv_grad", getStrides(), getDilations(),
                     getPads(), inputSizes, kernelSizes, pads, outputSizes);
}
