//===- ConvolutionLowering.cpp - conv, pools and LRN to linalg ------------===//
//
// Images with one or two spatial dims (NCW, NCHW; pools also NCDHW); a
// 1-D image [N, C, L] is handled as the 2-D image [N, C, 1, L] (a view).
// The window geometry (pads resolved from auto_pad, output sizes) is the
// op's getWindowGeometry, the rule type inference and the reference
// evaluator use.
//
// * conv: a zero pad (tensor.pad) to the extent the result needs, then into
//   a zero-filled accumulator linalg.conv_2d_nchw_fchw (groups 1),
//   linalg.depthwise_conv_2d_nchw_chw (one output channel per input
//   channel) or linalg.conv_2d_ngchw_gfchw (other groups: input, weight and
//   result seen as [.., groups, channels / groups, ..]); then the bias.
// * conv_transpose: the same convolution with stride 1 over the input
//   spread out by its strides (stride - 1 zeros between elements) and padded
//   by eff - 1 - pad_begin (cropped where negative) at the start, i.e. one
//   strided tensor.insert_slice into zeros, with the kernel flipped and its
//   channel dims exchanged per group (a linalg.generic over the weight).
// * max_pool: a -inf pad and linalg.pooling_nchw_max; avg_pool: a zero pad,
//   linalg.pooling_nchw_sum, then division by each window's count (a
//   constant per output position, from the geometry). ceil_mode windows
//   that reach past the padded input see only padding. For 3-D images
//   (linalg has no NCDHW pooling) the same pads, then one linalg.generic
//   reducing over the window.
// * lrn: squares, zero-padded along the channels, summed over each channel
//   window (a linalg.generic reducing over the window), then
//   x / (bias + alpha / size * sum)^beta.
// * col2im (any number of spatial dims): a gather, one linalg.generic over
//   the image positions and block offsets reading the column that feeds
//   each (tensor.extract), summed in f64 as in the reference.
// * global_max_pool / global_avg_pool (any rank): one reduction over the
//   spatial dims (maximumf keeps NaN; the sum then divided by the area).
// * grid_sample (any number of spatial dims, every mode and padding mode):
//   one linalg.generic over the output whose body computes the reference's
//   taps and weights in f64 and reads the input with tensor.extract.
//
// 3-D images of conv and conv_transpose, and avg_pool windows that cover
// no input element are reported as not lowered.
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"
#include "passes/lowering/Lowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;

namespace strata::lowering {
namespace {

/// Attribute list of a window: its value, or `fill` for each dim when
/// empty.
SmallVector<int64_t> orDefault(ArrayRef<int64_t> v, size_t n, int64_t fill) {
  if (v.empty())
    return SmallVector<int64_t>(n, fill);
  return SmallVector<int64_t>(v.begin(), v.end());
}

/// The window of a sliding-window op in 2-D form (a 1-D window gets a
/// leading dim of kernel 1, stride 1, no padding): per spatial dim, the
/// kernel, strides, dilations, the padding applied at each end and the
/// input and output sizes.
struct Window {
  SmallVector<int64_t> in, kernel, strides, dilations, padBegin, padEnd, out;
};

/// With `keepRank`, a 1-D window stays 1-D (the N-D pooling form below).
template <typename OpTy>
Window windowOf(OpTy op, ArrayRef<int64_t> kernel, bool keepRank = false) {
  auto in = cast<RankedTensorType>(op->getOperand(0).getType());
  SmallVector<int64_t> inSizes(in.getShape().drop_front(2));
  size_t s = inSizes.size();
  SmallVector<int64_t> pads, out;
  op.getWindowGeometry(inSizes, kernel, pads, out);
  Window w;
  w.in = inSizes;
  w.kernel.assign(kernel.begin(), kernel.end());
  w.strides = orDefault(op.getStrides(), s, 1);
  w.dilations = orDefault(op.getDilations(), s, 1);
  w.padBegin.assign(pads.begin(), pads.begin() + s);
  w.padEnd.assign(pads.begin() + s, pads.end());
  w.out = out;
  if (s == 1 && !keepRank) {
    for (auto *list : {&w.in, &w.kernel, &w.strides, &w.dilations, &w.out})
      list->insert(list->begin(), 1);
    w.padBegin.insert(w.padBegin.begin(), 0);
    w.padEnd.insert(w.padEnd.begin(), 0);
  }
  return w;
}

/// Static shapes, float elements, 1 to `maxSpatial` spatial dims.
bool lowerable(Operation *op, int64_t maxSpatial = 2) {
  for (Type t :
       llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes())) {
    auto rt = dyn_cast<RankedTensorType>(t);
    if (!rt || !rt.hasStaticShape() || !isa<FloatType>(rt.getElementType()))
      return false;
  }
  int64_t rank = cast<RankedTensorType>(op->getOperand(0).getType()).getRank();
  return rank >= 3 && rank <= 2 + maxSpatial;
}

/// `t` [A, B, L] as [A, B, 1, L]; 4-D types unchanged.
RankedTensorType as2d(RankedTensorType t) {
  if (t.getRank() == 4)
    return t;
  return RankedTensorType::get(
      {t.getDimSize(0), t.getDimSize(1), 1, t.getDimSize(2)},
      t.getElementType());
}

Value as2d(OpBuilder &b, Location loc, Value v) {
  return reshapeStatic(b, loc, v, as2d(cast<RankedTensorType>(v.getType())));
}

/// A new tensor of `shape` filled with `value`.
Value filled(OpBuilder &b, Location loc, ArrayRef<int64_t> shape, Value value) {
  Value empty = tensor::EmptyOp::create(b, loc, shape, value.getType());
  return linalg::FillOp::create(b, loc, value, empty).getResult(0);
}

/// Pads the spatial dims of an [N, C, spatial...] tensor with `value`:
/// `w.padBegin` before, and after whatever makes `w.out` windows fit.
Value padSpatial(OpBuilder &b, Location loc, Value x, const Window &w,
                 Value value) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> shape(type.getShape());
  size_t spatial = w.out.size();
  SmallVector<OpFoldResult> low(2 + spatial, b.getIndexAttr(0)),
      high(2 + spatial, b.getIndexAttr(0));
  bool any = false;
  for (size_t d = 0; d < spatial; ++d) {
    int64_t needed =
        (w.out[d] - 1) * w.strides[d] + w.dilations[d] * (w.kernel[d] - 1) + 1;
    int64_t after = std::max<int64_t>(0, needed - shape[2 + d] - w.padBegin[d]);
    low[2 + d] = b.getIndexAttr(w.padBegin[d]);
    high[2 + d] = b.getIndexAttr(after);
    any |= w.padBegin[d] != 0 || after != 0;
    shape[2 + d] += w.padBegin[d] + after;
  }
  if (!any)
    return x;
  auto padded = RankedTensorType::get(shape, type.getElementType());
  return tensor::PadOp::create(b, loc, padded, x, low, high, value);
}

SmallVector<NamedAttribute> windowAttrs(OpBuilder &b, ArrayRef<int64_t> s,
                                        ArrayRef<int64_t> d) {
  return {b.getNamedAttr("strides", b.getI64VectorAttr(s)),
          b.getNamedAttr("dilations", b.getI64VectorAttr(d))};
}

/// The convolution of the padded image `x` [N, C, H, W] with `weight`
/// [M, C / groups, kh, kw] into a new tensor of `type` [N, M, OH, OW].
Value convolve(OpBuilder &b, Location loc, Value x, Value weight,
               int64_t groups, ArrayRef<int64_t> strides,
               ArrayRef<int64_t> dilations, RankedTensorType type) {
  Type t = type.getElementType();
  auto attrs = windowAttrs(b, strides, dilations);
  auto xt = cast<RankedTensorType>(x.getType());
  auto wt = cast<RankedTensorType>(weight.getType());
  int64_t n = xt.getDimSize(0), c = xt.getDimSize(1), m = type.getDimSize(1);
  int64_t kh = wt.getDimSize(2), kw = wt.getDimSize(3);
  Value zero = floatConstant(b, loc, t, 0);
  if (groups == 1)
    return linalg::Conv2DNchwFchwOp::create(
               b, loc, TypeRange{type}, ValueRange{x, weight},
               ValueRange{filled(b, loc, type.getShape(), zero)}, attrs)
        ->getResult(0);
  if (groups == c && m == c) {
    Value w3 =
        reshapeStatic(b, loc, weight, RankedTensorType::get({c, kh, kw}, t));
    return linalg::DepthwiseConv2DNchwChwOp::create(
               b, loc, TypeRange{type}, ValueRange{x, w3},
               ValueRange{filled(b, loc, type.getShape(), zero)}, attrs)
        ->getResult(0);
  }
  int64_t cg = c / groups, mg = m / groups;
  Value x5 = reshapeStatic(
      b, loc, x,
      RankedTensorType::get({n, groups, cg, xt.getDimSize(2), xt.getDimSize(3)},
                            t));
  Value w5 = reshapeStatic(b, loc, weight,
                           RankedTensorType::get({groups, mg, cg, kh, kw}, t));
  auto y5 = RankedTensorType::get(
      {n, groups, mg, type.getDimSize(2), type.getDimSize(3)}, t);
  Value y = linalg::Conv2DNgchwGfchwOp::create(
                b, loc, TypeRange{y5}, ValueRange{x5, w5},
                ValueRange{filled(b, loc, y5.getShape(), zero)}, attrs)
                ->getResult(0);
  return reshapeStatic(b, loc, y, type);
}

/// y + bias, the bias [M] broadcast along the channel dim of y [N, M, H, W].
Value addBias(OpBuilder &b, Location loc, Value y, Value bias) {
  if (!bias)
    return y;
  auto type = cast<RankedTensorType>(y.getType());
  Type t = type.getElementType();
  auto column = RankedTensorType::get({type.getDimSize(1), 1, 1}, t);
  Value b3 = reshapeStatic(b, loc, bias, column);
  return buildPointwise(b, loc, type, ValueRange{y, b3},
                        [](OpBuilder &nb, Location l, ValueRange a) -> Value {
                          return arith::AddFOp::create(nb, l, a[0], a[1]);
                        });
}

class ConvLowering : public OpRewritePattern<ConvOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConvOp op,
                                PatternRewriter &rewriter) const override {
    if (!lowerable(op))
      return rewriter.notifyMatchFailure(
          op, "only 1-D and 2-D images of static shape are lowered");
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    // f16 / bf16: in f32, rounded once.
    auto type = isHalfFloat(resultType)
                    ? resultType.clone(rewriter.getF32Type())
                    : resultType;
    auto type2 = as2d(type);
    Type t = type.getElementType();
    Window w = windowOf(op, cast<RankedTensorType>(op.getWeight().getType())
                                .getShape()
                                .drop_front(2));
    Value input = widenHalf(rewriter, loc, op.getInput());
    Value weight = widenHalf(rewriter, loc, op.getWeight());
    Value x = padSpatial(rewriter, loc, as2d(rewriter, loc, input), w,
                         floatConstant(rewriter, loc, t, 0));
    Value y = convolve(rewriter, loc, x, as2d(rewriter, loc, weight),
                       static_cast<int64_t>(op.getGroups()), w.strides,
                       w.dilations, type2);
    y = addBias(rewriter, loc, y, widenHalf(rewriter, loc, op.getBias()));
    y = reshapeStatic(rewriter, loc, y, type);
    rewriter.replaceOp(op, narrowTo(rewriter, loc, y, resultType));
    return success();
  }
};

/// The conv_transpose weight [C, M / groups, kh, kw] as the weight of the
/// equivalent convolution, [M, C / groups, kh, kw]: per group g,
/// w'[g * Mg + m, c, a, b] = w[g * Cg + c, m, kh - 1 - a, kw - 1 - b].
Value flippedWeight(OpBuilder &b, Location loc, Value weight, int64_t groups) {
  auto wt = cast<RankedTensorType>(weight.getType());
  Type t = wt.getElementType();
  int64_t cg = wt.getDimSize(0) / groups, mg = wt.getDimSize(1);
  int64_t kh = wt.getDimSize(2), kw = wt.getDimSize(3);
  auto d = [&](unsigned i) { return b.getAffineDimExpr(i); };
  // Iterates over (g, m, c, a, b).
  AffineMap read = AffineMap::get(5, 0,
                                  {d(0) * cg + d(2), d(1),
                                   b.getAffineConstantExpr(kh - 1) - d(3),
                                   b.getAffineConstantExpr(kw - 1) - d(4)},
                                  b.getContext());
  SmallVector<int64_t> shape = {groups, mg, cg, kh, kw};
  Value init = tensor::EmptyOp::create(b, loc, shape, t);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, ValueRange{weight}, ValueRange{init},
      ArrayRef<AffineMap>{read, b.getMultiDimIdentityMap(5)},
      SmallVector<utils::IteratorType>(5, utils::IteratorType::parallel),
      [](OpBuilder &nb, Location l, ValueRange args) {
        linalg::YieldOp::create(nb, l, args[0]);
      });
  return reshapeStatic(b, loc, generic.getResult(0),
                       RankedTensorType::get({groups * mg, cg, kh, kw}, t));
}

class ConvTransposeLowering : public OpRewritePattern<ConvTransposeOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConvTransposeOp op,
                                PatternRewriter &rewriter) const override {
    if (!lowerable(op))
      return rewriter.notifyMatchFailure(
          op, "only 1-D and 2-D images of static shape are lowered");
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    // f16 / bf16: in f32, rounded once.
    auto type = isHalfFloat(resultType)
                    ? resultType.clone(rewriter.getF32Type())
                    : resultType;
    auto type2 = as2d(type);
    Type t = type.getElementType();
    Window w = windowOf(op, cast<RankedTensorType>(op.getWeight().getType())
                                .getShape()
                                .drop_front(2));
    Value x = as2d(rewriter, loc, widenHalf(rewriter, loc, op.getInput()));
    auto xt = cast<RankedTensorType>(x.getType());
    // y[o] = sum_j z[o - P + j * dilation] * w[k - 1 - j] with z the input
    // spread out by the stride (x[i] at i * stride) and P = eff - 1 -
    // pad_begin: a stride-1 convolution over z placed at P in a zero tensor
    // of length O - 1 + eff, keeping the inputs that land inside.
    SmallVector<int64_t> padded = {xt.getDimSize(0), xt.getDimSize(1), 0, 0};
    SmallVector<OpFoldResult> from(4, rewriter.getIndexAttr(0)),
        to(4, rewriter.getIndexAttr(0)), count(4), step(4),
        ones(4, rewriter.getIndexAttr(1));
    count[0] = rewriter.getIndexAttr(xt.getDimSize(0));
    count[1] = rewriter.getIndexAttr(xt.getDimSize(1));
    step[0] = step[1] = rewriter.getIndexAttr(1);
    bool whole = true, empty = false;
    for (int d = 0; d < 2; ++d) {
      int64_t s = w.strides[d], eff = (w.kernel[d] - 1) * w.dilations[d] + 1;
      int64_t p = eff - 1 - w.padBegin[d], length = w.out[d] - 1 + eff;
      int64_t first = p >= 0 ? 0 : llvm::divideCeilSigned(-p, s);
      int64_t last =
          std::min(w.in[d] - 1, llvm::divideFloorSigned(length - 1 - p, s));
      padded[2 + d] = length;
      empty |= last < first;
      whole &= first == 0 && last == w.in[d] - 1;
      from[2 + d] = rewriter.getIndexAttr(first);
      to[2 + d] = rewriter.getIndexAttr(p + first * s);
      count[2 + d] = rewriter.getIndexAttr(last - first + 1);
      step[2 + d] = rewriter.getIndexAttr(s);
    }
    Value z = filled(rewriter, loc, padded, floatConstant(rewriter, loc, t, 0));
    if (!empty) {
      Value kept = whole ? x
                         : tensor::ExtractSliceOp::create(rewriter, loc, x,
                                                          from, count, ones)
                               .getResult();
      z = tensor::InsertSliceOp::create(rewriter, loc, kept, z, to, count,
                                        step);
    }
    int64_t groups = static_cast<int64_t>(op.getGroups());
    Value weight = flippedWeight(
        rewriter, loc,
        as2d(rewriter, loc, widenHalf(rewriter, loc, op.getWeight())), groups);
    Value y =
        convolve(rewriter, loc, z, weight, groups, {1, 1}, w.dilations, type2);
    y = addBias(rewriter, loc, y, widenHalf(rewriter, loc, op.getBias()));
    y = reshapeStatic(rewriter, loc, y, type);
    rewriter.replaceOp(op, narrowTo(rewriter, loc, y, resultType));
    return success();
  }
};

/// A pooling of the padded image `x` [N, C, spatial...] over the windows of
/// `w` into `init` (a filled tensor of the result's shape) as one
/// linalg.generic: the window offsets are reduction dims, given their
/// extent by an empty `window` operand (as linalg's named poolings do, which
/// have no 3-D NC... form).
Value poolGeneric(OpBuilder &b, Location loc, Value x, const Window &w,
                  Value init, bool isMax) {
  auto type = cast<RankedTensorType>(init.getType());
  unsigned s = w.out.size(), rank = 2 + 2 * s;
  auto d = [&](unsigned i) { return b.getAffineDimExpr(i); };
  SmallVector<AffineExpr> in = {d(0), d(1)}, win, out = {d(0), d(1)};
  for (unsigned i = 0; i < s; ++i) {
    in.push_back(d(2 + i) * w.strides[i] + d(2 + s + i) * w.dilations[i]);
    win.push_back(d(2 + s + i));
    out.push_back(d(2 + i));
  }
  MLIRContext *ctx = b.getContext();
  SmallVector<AffineMap> maps = {AffineMap::get(rank, 0, in, ctx),
                                 AffineMap::get(rank, 0, win, ctx),
                                 AffineMap::get(rank, 0, out, ctx)};
  SmallVector<utils::IteratorType> iterators(2 + s,
                                             utils::IteratorType::parallel);
  iterators.append(s, utils::IteratorType::reduction);
  Value window =
      tensor::EmptyOp::create(b, loc, w.kernel, type.getElementType());
  return linalg::GenericOp::create(
             b, loc, TypeRange{type}, ValueRange{x, window}, ValueRange{init},
             maps, iterators,
             [&](OpBuilder &nb, Location l, ValueRange args) {
               Value r =
                   isMax
                       ? Value(
                             arith::MaximumFOp::create(nb, l, args[2], args[0]))
                       : Value(arith::AddFOp::create(nb, l, args[2], args[0]));
               linalg::YieldOp::create(nb, l, r);
             })
      .getResult(0);
}

/// 3-D images (rank 5) pool through poolGeneric; 1-D and 2-D ones through
/// linalg's NCHW poolings.
bool isVolume(Operation *op) {
  return cast<RankedTensorType>(op->getOperand(0).getType()).getRank() == 5;
}

class MaxPoolLowering : public OpRewritePattern<MaxPoolOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MaxPoolOp op,
                                PatternRewriter &rewriter) const override {
    if (!lowerable(op, 3))
      return rewriter.notifyMatchFailure(
          op, "only 1-D, 2-D and 3-D images of static shape are lowered");
    Location loc = op.getLoc();
    if (isVolume(op)) {
      auto type = cast<RankedTensorType>(op.getType());
      Window w = windowOf(op, op.getKernelShape(), /*keepRank=*/true);
      Value lowest =
          floatConstant(rewriter, loc, type.getElementType(), -INFINITY);
      Value x = padSpatial(rewriter, loc, op.getInput(), w, lowest);
      rewriter.replaceOp(
          op, poolGeneric(rewriter, loc, x, w,
                          filled(rewriter, loc, type.getShape(), lowest),
                          /*isMax=*/true));
      return success();
    }
    auto type = cast<RankedTensorType>(op.getType());
    auto type2 = as2d(type);
    Type t = type.getElementType();
    Window w = windowOf(op, op.getKernelShape());
    Value lowest = floatConstant(rewriter, loc, t, -INFINITY);
    Value x = padSpatial(rewriter, loc, as2d(rewriter, loc, op.getInput()), w,
                         lowest);
    Value window = tensor::EmptyOp::create(rewriter, loc, w.kernel, t);
    Value y = linalg::PoolingNchwMaxOp::create(
                  rewriter, loc, TypeRange{type2}, ValueRange{x, window},
                  ValueRange{filled(rewriter, loc, type2.getShape(), lowest)},
                  windowAttrs(rewriter, w.strides, w.dilations))
                  ->getResult(0);
    rewriter.replaceOp(op, reshapeStatic(rewriter, loc, y, type));
    return success();
  }
};

class AvgPoolLowering : public OpRewritePattern<AvgPoolOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AvgPoolOp op,
                                PatternRewriter &rewriter) const override {
    if (!lowerable(op, 3))
      return rewriter.notifyMatchFailure(
          op, "only 1-D, 2-D and 3-D images of static shape are lowered");
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    bool volume = isVolume(op);
    // The computation's shape: [N, C, H, W] (a 1-D image as 2-D) or
    // [N, C, D, H, W].
    auto typeN = volume ? type : as2d(type);
    Type t = type.getElementType();
    Window w = windowOf(op, op.getKernelShape(), /*keepRank=*/volume);
    size_t spatial = w.out.size();
    // Each window's divisor: per spatial dim, the kernel offsets whose
    // position lies in the input (or in the padded input with
    // count_include_pad); their product.
    bool includePad = op.getCountIncludePad();
    SmallVector<SmallVector<int64_t>> counts(spatial);
    for (size_t d = 0; d < spatial; ++d) {
      int64_t lo = includePad ? -w.padBegin[d] : 0;
      int64_t hi = includePad ? w.in[d] + w.padEnd[d] : w.in[d];
      for (int64_t o = 0; o < w.out[d]; ++o) {
        int64_t n = 0;
        for (int64_t j = 0; j < w.kernel[d]; ++j) {
          int64_t p = o * w.strides[d] - w.padBegin[d] + j * w.dilations[d];
          n += p >= lo && p < hi;
        }
        if (n == 0)
          return rewriter.notifyMatchFailure(
              op, "a window covers no input element");
        counts[d].push_back(n);
      }
    }
    Value zero = floatConstant(rewriter, loc, t, 0);
    Value input = volume ? op.getInput() : as2d(rewriter, loc, op.getInput());
    Value x = padSpatial(rewriter, loc, input, w, zero);
    Value acc = filled(rewriter, loc, typeN.getShape(), zero);
    Value sum;
    if (volume) {
      sum = poolGeneric(rewriter, loc, x, w, acc, /*isMax=*/false);
    } else {
      Value window = tensor::EmptyOp::create(rewriter, loc, w.kernel, t);
      sum = linalg::PoolingNchwSumOp::create(
                rewriter, loc, TypeRange{typeN}, ValueRange{x, window},
                ValueRange{acc}, windowAttrs(rewriter, w.strides, w.dilations))
                ->getResult(0);
    }
    // The divisors in row-major order of the output positions.
    SmallVector<Attribute> divisors;
    SmallVector<int64_t> index(spatial, 0);
    for (int64_t k = 0, e = llvm::product_of(w.out); k < e; ++k) {
      int64_t n = 1;
      for (size_t d = 0; d < spatial; ++d)
        n *= counts[d][index[d]];
      divisors.push_back(rewriter.getFloatAttr(t, static_cast<double>(n)));
      for (size_t d = spatial; d-- > 0;) {
        if (++index[d] < w.out[d])
          break;
        index[d] = 0;
      }
    }
    auto divide = [](OpBuilder &b, Location l, ValueRange a) -> Value {
      return arith::DivFOp::create(b, l, a[0], a[1]);
    };
    Value y;
    if (llvm::all_equal(divisors)) {
      Value divisor = arith::ConstantOp::create(
          rewriter, loc, cast<TypedAttr>(divisors.front()));
      y = buildPointwise(rewriter, loc, typeN, sum,
                         [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                           return arith::DivFOp::create(b, l, a[0], divisor);
                         });
    } else {
      auto dType = RankedTensorType::get(w.out, t);
      Value divisor = arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(dType, divisors));
      y = buildPointwise(rewriter, loc, typeN, ValueRange{sum, divisor},
                         divide);
    }
    rewriter.replaceOp(op, reshapeStatic(rewriter, loc, y, type));
    return success();
  }
};

class LRNLowering : public OpRewritePattern<LRNOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LRNOp op,
                                PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    if (!type.hasStaticShape() || !isa<FloatType>(type.getElementType()) ||
        !cast<RankedTensorType>(op.getInput().getType()).hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    Location loc = op.getLoc();
    Type t = type.getElementType();
    int64_t n = type.getDimSize(0), c = type.getDimSize(1);
    int64_t plane = type.getNumElements() / std::max<int64_t>(1, n * c);
    int64_t size = static_cast<int64_t>(op.getSize());
    int64_t before = (size - 1) / 2, after = size / 2;
    auto flat = RankedTensorType::get({n, c, plane}, t);
    Value x = reshapeStatic(rewriter, loc, op.getInput(), flat);
    Value zero = floatConstant(rewriter, loc, t, 0);
    Value squares =
        buildPointwise(rewriter, loc, flat, x,
                       [](OpBuilder &b, Location l, ValueRange a) -> Value {
                         return arith::MulFOp::create(b, l, a[0], a[0]);
                       });
    auto paddedType = RankedTensorType::get({n, c + size - 1, plane}, t);
    SmallVector<OpFoldResult> low = {rewriter.getIndexAttr(0),
                                     rewriter.getIndexAttr(before),
                                     rewriter.getIndexAttr(0)};
    SmallVector<OpFoldResult> high = {rewriter.getIndexAttr(0),
                                      rewriter.getIndexAttr(after),
                                      rewriter.getIndexAttr(0)};
    Value padded = tensor::PadOp::create(rewriter, loc, paddedType, squares,
                                         low, high, zero);
    // sums[n, c, p] = sum_j padded[n, c + j, p] over the window j < size
    // (the empty `window` operand gives the loop its extent).
    auto d = [&](unsigned i) { return rewriter.getAffineDimExpr(i); };
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineMap> maps = {
        AffineMap::get(4, 0, {d(0), d(1) + d(3), d(2)}, ctx),
        AffineMap::get(4, 0, {d(3)}, ctx),
        AffineMap::get(4, 0, {d(0), d(1), d(2)}, ctx)};
    Value window =
        tensor::EmptyOp::create(rewriter, loc, SmallVector<int64_t>{size}, t);
    SmallVector<utils::IteratorType> iterators(3,
                                               utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    Value sums =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{flat}, ValueRange{padded, window},
            ValueRange{filled(rewriter, loc, flat.getShape(), zero)}, maps,
            iterators,
            [](OpBuilder &b, Location l, ValueRange args) {
              linalg::YieldOp::create(
                  b, l, Value(arith::AddFOp::create(b, l, args[2], args[0])));
            })
            .getResult(0);
    double scale = op.getAlpha().convertToDouble() / static_cast<double>(size);
    double bias = op.getBias().convertToDouble();
    double beta = op.getBeta().convertToDouble();
    Value y = buildPointwise(
        rewriter, loc, flat, ValueRange{x, sums},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value base = arith::AddFOp::create(
              b, l, floatConstant(b, l, t, bias),
              arith::MulFOp::create(b, l, floatConstant(b, l, t, scale), a[1]));
          Value denominator =
              math::PowFOp::create(b, l, base, floatConstant(b, l, t, beta));
          return arith::DivFOp::create(b, l, a[0], denominator);
        });
    rewriter.replaceOp(op, reshapeStatic(rewriter, loc, y, type));
    return success();
  }
};

/// global_max_pool / global_avg_pool: one reduction over the spatial dims
/// (maximumf, which keeps NaN, or a sum divided by the area).
template <typename OpTy, bool isMax>
class GlobalPoolLowering : public OpRewritePattern<OpTy> {
public:
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    auto in = cast<RankedTensorType>(op.getInput().getType());
    auto type = cast<RankedTensorType>(op.getType());
    if (!in.hasStaticShape() || !type.hasStaticShape() ||
        !isa<FloatType>(in.getElementType()) || in.getNumElements() == 0)
      return rewriter.notifyMatchFailure(op, "needs static, non-empty shapes");
    Location loc = op.getLoc();
    Type t = in.getElementType();
    SmallVector<bool> reduced(in.getRank(), true);
    reduced[0] = reduced[1] = false;
    int64_t area = in.getNumElements() / (in.getDimSize(0) * in.getDimSize(1));
    Value r = buildReduction(
        rewriter, loc, op.getInput(), reduced,
        floatConstant(rewriter, loc, t, isMax ? -INFINITY : 0.0),
        [](OpBuilder &b, Location l, Value acc, Value v) -> Value {
          if (isMax)
            return arith::MaximumFOp::create(b, l, acc, v);
          return arith::AddFOp::create(b, l, acc, v);
        });
    if (!isMax)
      r = buildPointwise(
          rewriter, loc, cast<RankedTensorType>(r.getType()), r,
          [&](OpBuilder &b, Location l, ValueRange a) -> Value {
            return arith::DivFOp::create(
                b, l, a[0], floatConstant(b, l, t, static_cast<double>(area)));
          });
    rewriter.replaceOp(op, reshapeStatic(rewriter, loc, r, type));
    return success();
  }
};

/// col2im as a gather: one linalg.generic over (n, c, image position i,
/// block offset j), j reduction dims (an empty window tensor gives their
/// extents). Offset j feeds position i from block position p = (i + pad -
/// j * dilation) / stride when that divides and lies in [0, L); the body
/// reads column (c * K + k(j), l(p)) with tensor.extract (at a clamped
/// index, kept only when valid). Sums in f64 as the reference does, then
/// rounds once.
class Col2ImLowering : public OpRewritePattern<Col2ImOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Col2ImOp op,
                                PatternRewriter &rewriter) const override {
    auto in = cast<RankedTensorType>(op.getInput().getType());
    auto type = cast<RankedTensorType>(op.getType());
    if (!in.hasStaticShape() || !type.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    Location loc = op.getLoc();
    ArrayRef<int64_t> block = op.getBlockShape();
    int64_t s = static_cast<int64_t>(block.size());
    SmallVector<int64_t> pads, positions;
    op.getBlockGeometry(pads, positions);
    SmallVector<int64_t> strides = orDefault(op.getStrides(), s, 1);
    SmallVector<int64_t> dilations = orDefault(op.getDilations(), s, 1);
    int64_t volume = llvm::product_of(block);
    Value input = op.getInput();
    Type t = type.getElementType();
    Type f64 = rewriter.getF64Type();
    Value zero = floatConstant(rewriter, loc, f64, 0);
    Value acc = filled(rewriter, loc, type.getShape(), zero);
    unsigned rank = 2 + 2 * s;
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineExpr> win, out;
    for (unsigned d = 0; d < 2 + s; ++d)
      out.push_back(rewriter.getAffineDimExpr(d));
    for (int64_t i = 0; i < s; ++i)
      win.push_back(rewriter.getAffineDimExpr(2 + s + i));
    SmallVector<utils::IteratorType> iterators(2 + s,
                                               utils::IteratorType::parallel);
    iterators.append(s, utils::IteratorType::reduction);
    Value window = tensor::EmptyOp::create(rewriter, loc, block, t);
    Value sums =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{acc.getType()}, ValueRange{window},
            ValueRange{acc},
            ArrayRef<AffineMap>{AffineMap::get(rank, 0, win, ctx),
                                AffineMap::get(rank, 0, out, ctx)},
            iterators,
            [&](OpBuilder &b, Location l, ValueRange args) {
              auto index = [&](int64_t v) -> Value {
                return arith::ConstantIndexOp::create(b, l, v);
              };
              Value valid = arith::ConstantIntOp::create(b, l, 1, 1);
              Value k = index(0), col = index(0);
              for (int64_t i = 0; i < s; ++i) {
                Value pos = linalg::IndexOp::create(b, l, 2 + i);
                Value j = linalg::IndexOp::create(b, l, 2 + s + i);
                // q = pos + pad - j * dilation; p = q / stride.
                Value q = arith::SubIOp::create(
                    b, l, arith::AddIOp::create(b, l, pos, index(pads[i])),
                    arith::MulIOp::create(b, l, j, index(dilations[i])));
                Value p = arith::DivSIOp::create(b, l, q, index(strides[i]));
                Value exact = arith::CmpIOp::create(
                    b, l, arith::CmpIPredicate::eq,
                    arith::RemSIOp::create(b, l, q, index(strides[i])),
                    index(0));
                Value nonNegative = arith::CmpIOp::create(
                    b, l, arith::CmpIPredicate::sge, q, index(0));
                Value below = arith::CmpIOp::create(
                    b, l, arith::CmpIPredicate::slt, p, index(positions[i]));
                valid = arith::AndIOp::create(
                    b, l, valid,
                    arith::AndIOp::create(
                        b, l, exact,
                        arith::AndIOp::create(b, l, nonNegative, below)));
                Value clamped = arith::MinSIOp::create(
                    b, l, arith::MaxSIOp::create(b, l, p, index(0)),
                    index(positions[i] - 1));
                col = arith::AddIOp::create(
                    b, l, arith::MulIOp::create(b, l, col, index(positions[i])),
                    clamped);
                k = arith::AddIOp::create(
                    b, l, arith::MulIOp::create(b, l, k, index(block[i])), j);
              }
              Value n = linalg::IndexOp::create(b, l, 0);
              Value c = linalg::IndexOp::create(b, l, 1);
              Value row = arith::AddIOp::create(
                  b, l, arith::MulIOp::create(b, l, c, index(volume)), k);
              Value v = tensor::ExtractOp::create(b, l, input,
                                                  ValueRange{n, row, col});
              if (!t.isF64())
                v = arith::ExtFOp::create(b, l, f64, v);
              Value added = arith::SelectOp::create(
                  b, l, valid, v, floatConstant(b, l, f64, 0));
              linalg::YieldOp::create(
                  b, l, Value(arith::AddFOp::create(b, l, args[1], added)));
            })
            .getResult(0);
    if (!t.isF64())
      sums =
          buildPointwise(rewriter, loc, type, sums,
                         [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                           return arith::TruncFOp::create(b, l, t, a[0]);
                         });
    rewriter.replaceOp(op, sums);
    return success();
  }
};

/// Scalar f64 arithmetic for the grid_sample body.
struct F64 {
  OpBuilder &b;
  Location l;
  Value c(double v) const { return floatConstant(b, l, b.getF64Type(), v); }
  Value add(Value x, Value y) const {
    return arith::AddFOp::create(b, l, x, y);
  }
  Value sub(Value x, Value y) const {
    return arith::SubFOp::create(b, l, x, y);
  }
  Value mul(Value x, Value y) const {
    return arith::MulFOp::create(b, l, x, y);
  }
  Value div(Value x, Value y) const {
    return arith::DivFOp::create(b, l, x, y);
  }
  Value cmp(arith::CmpFPredicate p, Value x, Value y) const {
    return arith::CmpFOp::create(b, l, p, x, y);
  }
  Value select(Value cond, Value x, Value y) const {
    return arith::SelectOp::create(b, l, cond, x, y);
  }
  Value floor(Value x) const { return math::FloorOp::create(b, l, x); }
  Value clamp(Value x, double lo, double hi) const {
    return arith::MinimumFOp::create(
        b, l, arith::MaximumFOp::create(b, l, x, c(lo)), c(hi));
  }
  /// The reference's reflectInto: `u` reflected at lo and hi until inside.
  Value reflect(Value u, double lo, double hi) const {
    double range = hi - lo;
    Value below = cmp(arith::CmpFPredicate::OLT, u, c(lo));
    Value above = cmp(arith::CmpFPredicate::OGT, u, c(hi));
    if (range <= 0) // an empty range: lo for anything outside (NaN stays)
      return select(arith::OrIOp::create(b, l, below, above), c(lo), u);
    auto fold = [&](Value d, Value evenAt, Value oddAt, bool down) {
      Value n = floor(div(d, c(range)));
      Value r = sub(d, mul(n, c(range)));
      Value even = cmp(arith::CmpFPredicate::OEQ,
                       arith::RemFOp::create(b, l, n, c(2)), c(0));
      Value e = down ? sub(evenAt, r) : add(evenAt, r);
      Value o = down ? add(oddAt, r) : sub(oddAt, r);
      return select(even, e, o);
    };
    return select(
        below, fold(sub(c(lo), u), c(lo), c(hi), /*down=*/false),
        select(above, fold(sub(u, c(hi)), c(hi), c(lo), /*down=*/true), u));
  }
  /// Keys' cubic convolution weight (a = -0.75) of a distance d >= 0.
  Value cubic(Value d) const {
    const double a = -0.75;
    Value near = add(mul(mul(sub(mul(c(a + 2), d), c(a + 3)), d), d), c(1));
    Value far = sub(mul(add(mul(sub(mul(c(a), d), c(5 * a)), d), c(8 * a)), d),
                    c(4 * a));
    return select(cmp(arith::CmpFPredicate::OLE, d, c(1)), near,
                  select(cmp(arith::CmpFPredicate::OLT, d, c(2)), far, c(0)));
  }
};

/// grid_sample as one linalg.generic over the output [N, C, O...] whose
/// body follows the reference (GridTaps in ir/reference/
/// ConvolutionKernels.cpp) in f64: per spatial dim the pixel coordinate of
/// the grid value (tensor.extract), moved by the padding mode, its taps and
/// weights; then the tensor product of the taps, each read with
/// tensor.extract at a clamped index and kept when the index is valid
/// (zeros padding). A NaN coordinate gives NaN.
class GridSampleLowering : public OpRewritePattern<GridSampleOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GridSampleOp op,
                                PatternRewriter &rewriter) const override {
    auto xt = cast<RankedTensorType>(op.getInput().getType());
    auto type = cast<RankedTensorType>(op.getType());
    if (!xt.hasStaticShape() || !type.hasStaticShape() ||
        !cast<RankedTensorType>(op.getGrid().getType()).hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    int64_t s = xt.getRank() - 2;
    SmallVector<int64_t> sizes(xt.getShape().drop_front(2));
    if (llvm::is_contained(sizes, 0) && type.getNumElements() > 0)
      return rewriter.notifyMatchFailure(
          op, "an empty input (the reference reports it)");
    StringRef mode = op.getMode(), padding = op.getPaddingMode();
    bool align = op.getAlignCorners();
    int64_t taps = mode == "nearest" ? 1 : mode == "linear" ? 2 : 4;
    Value x = op.getInput(), grid = op.getGrid();
    Type t = type.getElementType();
    Location loc = op.getLoc();
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(), t);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{}, ValueRange{init},
        ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(2 + s)},
        SmallVector<utils::IteratorType>(2 + s, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange) {
          F64 f{b, l};
          auto index = [&](int64_t v) -> Value {
            return arith::ConstantIndexOp::create(b, l, v);
          };
          auto toF64 = [&](Value v) -> Value {
            return t.isF64()
                       ? v
                       : Value(arith::ExtFOp::create(b, l, b.getF64Type(), v));
          };
          SmallVector<Value> out;
          for (int64_t d = 0; d < 2 + s; ++d)
            out.push_back(linalg::IndexOp::create(b, l, d));
          // Per spatial dim: tap indices (clamped into the input), whether
          // each is valid, and weights.
          SmallVector<SmallVector<Value>> idx(s), valid(s), weight(s);
          Value nan = arith::ConstantIntOp::create(b, l, 0, 1);
          for (int64_t i = 0; i < s; ++i) {
            double d = static_cast<double>(sizes[i]);
            SmallVector<Value> at = {out[0]};
            at.append(out.begin() + 2, out.end());
            at.push_back(index(s - 1 - i)); // grid holds (x, y, ...)
            Value g = toF64(tensor::ExtractOp::create(b, l, grid, at));
            Value u =
                align ? f.mul(f.div(f.add(g, f.c(1)), f.c(2)), f.c(d - 1))
                      : f.div(f.sub(f.mul(f.add(g, f.c(1)), f.c(d)), f.c(1)),
                              f.c(2));
            double lo = align ? 0.0 : -0.5, hi = align ? d - 1 : d - 0.5;
            if (mode == "nearest")
              u = math::RoundEvenOp::create(b, l, u);
            if (padding == "border")
              u = f.select(
                  f.cmp(arith::CmpFPredicate::OLT, u, f.c(lo)),
                  f.clamp(u, 0, d - 1),
                  f.select(f.cmp(arith::CmpFPredicate::OGT, u, f.c(hi)),
                           f.clamp(u, 0, d - 1), u));
            else if (padding == "reflection")
              u = f.reflect(u, lo, hi);
            Value isNan = f.cmp(arith::CmpFPredicate::UNO, u, u);
            nan = arith::OrIOp::create(b, l, nan, isNan);
            // Far outside every tap reads 0 (zeros) or is clamped; keeps
            // the integer conversions in range. A NaN (whose result is NaN
            // regardless) reads at lo, so no index is poison.
            u = f.clamp(f.select(isNan, f.c(lo), u), lo - 4, hi + 4);
            Value base = mode == "nearest" ? u : f.floor(u);
            Value frac = f.sub(u, base);
            Value first = arith::FPToSIOp::create(b, l, b.getI64Type(), base);
            for (int64_t k = 0; k < taps; ++k) {
              int64_t offset = taps == 4 ? k - 1 : k;
              Value tap = arith::AddIOp::create(
                  b, l, first, arith::ConstantIntOp::create(b, l, offset, 64));
              Value inside = arith::AndIOp::create(
                  b, l,
                  arith::CmpIOp::create(
                      b, l, arith::CmpIPredicate::sge, tap,
                      arith::ConstantIntOp::create(b, l, 0, 64)),
                  arith::CmpIOp::create(
                      b, l, arith::CmpIPredicate::slt, tap,
                      arith::ConstantIntOp::create(b, l, sizes[i], 64)));
              Value ok = arith::ConstantIntOp::create(b, l, 1, 1);
              if (padding == "zeros") {
                ok = inside;
              } else if (padding == "reflection") {
                Value r = f.reflect(
                    arith::SIToFPOp::create(b, l, b.getF64Type(), tap), lo, hi);
                tap = arith::SelectOp::create(
                    b, l, inside, tap,
                    arith::FPToSIOp::create(b, l, b.getI64Type(), r));
              }
              // border: the clamp below is the tap.
              Value clamped = arith::MinSIOp::create(
                  b, l,
                  arith::MaxSIOp::create(
                      b, l, tap, arith::ConstantIntOp::create(b, l, 0, 64)),
                  arith::ConstantIntOp::create(b, l, sizes[i] - 1, 64));
              idx[i].push_back(
                  arith::IndexCastOp::create(b, l, b.getIndexType(), clamped));
              valid[i].push_back(ok);
              Value w;
              if (taps == 1)
                w = f.c(1);
              else if (taps == 2)
                w = k == 0 ? f.sub(f.c(1), frac) : frac;
              else
                w = f.cubic(k == 0   ? f.add(f.c(1), frac)
                            : k == 1 ? frac
                            : k == 2 ? f.sub(f.c(1), frac)
                                     : f.sub(f.c(2), frac));
              weight[i].push_back(w);
            }
          }
          // The tensor product of the taps, in row-major tap order.
          Value acc = f.c(0);
          SmallVector<int64_t> tap(s, 0);
          for (int64_t k = 0,
                       e = llvm::product_of(SmallVector<int64_t>(s, taps));
               k < e; ++k) {
            SmallVector<Value> at = {out[0], out[1]};
            Value w = f.c(1), ok = arith::ConstantIntOp::create(b, l, 1, 1);
            for (int64_t i = 0; i < s; ++i) {
              at.push_back(idx[i][tap[i]]);
              w = f.mul(w, weight[i][tap[i]]);
              ok = arith::AndIOp::create(b, l, ok, valid[i][tap[i]]);
            }
            Value v = toF64(tensor::ExtractOp::create(b, l, x, at));
            acc = f.add(acc, f.select(ok, f.mul(w, v), f.c(0)));
            for (int64_t i = s; i-- > 0;) {
              if (++tap[i] < taps)
                break;
              tap[i] = 0;
            }
          }
          Value y = f.select(nan, f.c(NAN), acc);
          if (!t.isF64())
            y = arith::TruncFOp::create(b, l, t, y);
          linalg::YieldOp::create(b, l, y);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// deform_conv as one linalg.generic over the output [N, M, O...] whose
/// body follows the reference (deformConvKernel) in f64: bias, then over the
/// channels of the output's group (scf.for) and the kernel taps (unrolled)
/// the weight times the mask times the input sampled multilinearly at the
/// offset tap position (zeros outside; NaN for a position that is not
/// finite).
class DeformConvLowering : public OpRewritePattern<DeformConvOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DeformConvOp op,
                                PatternRewriter &rewriter) const override {
    auto xt = cast<RankedTensorType>(op.getInput().getType());
    auto wt = cast<RankedTensorType>(op.getWeight().getType());
    auto type = cast<RankedTensorType>(op.getType());
    for (Value v : op->getOperands())
      if (!cast<RankedTensorType>(v.getType()).hasStaticShape())
        return rewriter.notifyMatchFailure(op, "needs static shapes");
    if (!type.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    int64_t s = xt.getRank() - 2;
    SmallVector<int64_t> inSizes(xt.getShape().drop_front(2));
    SmallVector<int64_t> kSizes(wt.getShape().drop_front(2));
    SmallVector<int64_t> pads, outSizes;
    op.getWindowGeometry(inSizes, kSizes, pads, outSizes);
    SmallVector<int64_t> strides = orDefault(op.getStrides(), s, 1);
    SmallVector<int64_t> dilations = orDefault(op.getDilations(), s, 1);
    int64_t groups = static_cast<int64_t>(op.getGroups());
    int64_t offsetGroups = static_cast<int64_t>(op.getOffsetGroup());
    int64_t m = wt.getDimSize(0), cg = wt.getDimSize(1), c = xt.getDimSize(1);
    if (groups <= 0 || offsetGroups <= 0 || m % groups != 0 ||
        c % offsetGroups != 0 || c != cg * groups)
      return rewriter.notifyMatchFailure(op, "channels do not fit");
    int64_t mg = m / groups, perOffsetGroup = c / offsetGroups;
    int64_t taps = llvm::product_of(kSizes);
    Value x = op.getInput(), w = op.getWeight(), off = op.getOffset(),
          mask = op.getMask(), bias = op.getBias();
    Type t = type.getElementType();
    Location loc = op.getLoc();
    int64_t rank = type.getRank();
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(), t);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{}, ValueRange{init},
        ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(rank)},
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange) {
          F64 f{b, l};
          auto index = [&](int64_t v) -> Value {
            return arith::ConstantIndexOp::create(b, l, v);
          };
          auto toF64 = [&](OpBuilder &nb, Value v) -> Value {
            return t.isF64() ? v
                             : Value(arith::ExtFOp::create(nb, l,
                                                           nb.getF64Type(), v));
          };
          SmallVector<Value> o;
          for (int64_t d = 0; d < rank; ++d)
            o.push_back(linalg::IndexOp::create(b, l, d));
          Value acc = bias ? toF64(b, tensor::ExtractOp::create(
                                          b, l, bias, ValueRange{o[1]}))
                           : f.c(0);
          Value grp = arith::DivUIOp::create(b, l, o[1], index(mg));
          auto loop = scf::ForOp::create(
              b, l, index(0), index(cg), index(1), ValueRange{acc},
              [&](OpBuilder &ib, Location il, Value ci, ValueRange state) {
                F64 g{ib, il};
                auto idx = [&](int64_t v) -> Value {
                  return arith::ConstantIndexOp::create(ib, il, v);
                };
                Value ic = arith::AddIOp::create(
                    ib, il, arith::MulIOp::create(ib, il, grp, idx(cg)), ci);
                Value og =
                    arith::DivUIOp::create(ib, il, ic, idx(perOffsetGroup));
                Value sum = state[0];
                SmallVector<int64_t> j(s, 0);
                for (int64_t kj = 0; kj < taps; ++kj) {
                  // Mask and offsets of tap kj of offset group og.
                  Value slot = arith::AddIOp::create(
                      ib, il, arith::MulIOp::create(ib, il, og, idx(taps)),
                      idx(kj));
                  SmallVector<Value> at = {o[0], slot};
                  at.append(o.begin() + 2, o.end());
                  Value scale =
                      toF64(ib, tensor::ExtractOp::create(ib, il, mask, at));
                  SmallVector<Value> p(s);
                  Value finite = arith::ConstantIntOp::create(ib, il, 1, 1);
                  for (int64_t i = 0; i < s; ++i) {
                    at[1] = arith::AddIOp::create(
                        ib, il, arith::MulIOp::create(ib, il, slot, idx(s)),
                        idx(i));
                    Value base = arith::SIToFPOp::create(
                        ib, il, ib.getF64Type(),
                        arith::IndexCastOp::create(
                            ib, il, ib.getI64Type(),
                            arith::AddIOp::create(
                                ib, il,
                                arith::MulIOp::create(ib, il, o[2 + i],
                                                      idx(strides[i])),
                                idx(j[i] * dilations[i] - pads[i]))));
                    p[i] = g.add(base, toF64(ib, tensor::ExtractOp::create(
                                                     ib, il, off, at)));
                    finite = arith::AndIOp::create(
                        ib, il, finite,
                        g.cmp(arith::CmpFPredicate::OLT,
                              math::AbsFOp::create(ib, il, p[i]), g.c(1e15)));
                  }
                  // Per dim: floor (kept in a range where the conversion is
                  // exact and every corner outside it is outside the input).
                  SmallVector<Value> first(s), frac(s);
                  for (int64_t i = 0; i < s; ++i) {
                    Value fl = g.floor(p[i]);
                    frac[i] = g.sub(p[i], fl);
                    fl = g.clamp(g.select(finite, fl, g.c(0)), -2,
                                 static_cast<double>(inSizes[i]));
                    first[i] =
                        arith::FPToSIOp::create(ib, il, ib.getI64Type(), fl);
                  }
                  Value v = g.c(0);
                  for (int64_t corner = 0; corner < (int64_t(1) << s);
                       ++corner) {
                    Value weight = g.c(1);
                    Value ok = arith::ConstantIntOp::create(ib, il, 1, 1);
                    SmallVector<Value> xAt = {o[0], ic};
                    for (int64_t i = 0; i < s; ++i) {
                      int64_t bit = (corner >> (s - 1 - i)) & 1;
                      Value q = arith::AddIOp::create(
                          ib, il, first[i],
                          arith::ConstantIntOp::create(ib, il, bit, 64));
                      ok = arith::AndIOp::create(
                          ib, il, ok,
                          arith::AndIOp::create(
                              ib, il,
                              arith::CmpIOp::create(
                                  ib, il, arith::CmpIPredicate::sge, q,
                                  arith::ConstantIntOp::create(ib, il, 0, 64)),
                              arith::CmpIOp::create(
                                  ib, il, arith::CmpIPredicate::slt, q,
                                  arith::ConstantIntOp::create(
                                      ib, il, inSizes[i], 64))));
                      Value clamped = arith::MinSIOp::create(
                          ib, il,
                          arith::MaxSIOp::create(
                              ib, il, q,
                              arith::ConstantIntOp::create(ib, il, 0, 64)),
                          arith::ConstantIntOp::create(ib, il, inSizes[i] - 1,
                                                       64));
                      xAt.push_back(arith::IndexCastOp::create(
                          ib, il, ib.getIndexType(), clamped));
                      weight =
                          g.mul(weight, bit ? frac[i] : g.sub(g.c(1), frac[i]));
                    }
                    Value xv =
                        toF64(ib, tensor::ExtractOp::create(ib, il, x, xAt));
                    v = g.add(v, g.select(ok, g.mul(weight, xv), g.c(0)));
                  }
                  v = g.select(finite, v, g.c(NAN));
                  SmallVector<Value> wAt = {o[1], ci};
                  for (int64_t i = 0; i < s; ++i)
                    wAt.push_back(idx(j[i]));
                  Value wv =
                      toF64(ib, tensor::ExtractOp::create(ib, il, w, wAt));
                  sum = g.add(sum, g.mul(g.mul(wv, scale), v));
                  for (int64_t i = s; i-- > 0;) {
                    if (++j[i] < kSizes[i])
                      break;
                    j[i] = 0;
                  }
                }
                scf::YieldOp::create(ib, il, sum);
              });
          Value y = loop.getResult(0);
          if (!t.isF64())
            y = arith::TruncFOp::create(b, l, t, y);
          linalg::YieldOp::create(b, l, y);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// roi_align as one linalg.generic over the output [R, C, OH, OW] whose body
/// follows the reference (roiAlignKernel) in f64: the box from rois and its
/// batch index (tensor.extract), then over the bin's gh x gw sample points
/// (scf.for; gh, gw from the box when sampling_ratio is 0) the bilinear
/// corner terms, averaged or their largest kept. A batch index outside the
/// batch (the reference reports it) reads a clamped image.
class RoiAlignLowering : public OpRewritePattern<RoiAlignOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RoiAlignOp op,
                                PatternRewriter &rewriter) const override {
    auto xt = cast<RankedTensorType>(op.getInput().getType());
    auto type = cast<RankedTensorType>(op.getType());
    for (Value v : op->getOperands())
      if (!cast<RankedTensorType>(v.getType()).hasStaticShape())
        return rewriter.notifyMatchFailure(op, "needs static shapes");
    if (!type.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    int64_t n = xt.getDimSize(0), h = xt.getDimSize(2), wd = xt.getDimSize(3);
    if ((h == 0 || wd == 0) && type.getNumElements() > 0)
      return rewriter.notifyMatchFailure(
          op, "an empty input (the reference reports it)");
    int64_t oh = static_cast<int64_t>(op.getOutputHeight());
    int64_t ow = static_cast<int64_t>(op.getOutputWidth());
    int64_t ratio = static_cast<int64_t>(op.getSamplingRatio());
    double scale = op.getSpatialScale().convertToDouble();
    bool halfPixel = op.getCoordinateTransformationMode() == "half_pixel";
    bool isMax = op.getMode() == "max";
    Value x = op.getInput(), rois = op.getRois(),
          batch = toSignless(rewriter, op.getLoc(), op.getBatchIndices());
    Type t = type.getElementType();
    Location loc = op.getLoc();
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(), t);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{}, ValueRange{init},
        ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(4)},
        SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange) {
          F64 f{b, l};
          auto index = [&](int64_t v) -> Value {
            return arith::ConstantIndexOp::create(b, l, v);
          };
          auto toF64 = [&](OpBuilder &nb, Value v) -> Value {
            return v.getType().isF64() ? v
                                       : Value(arith::ExtFOp::create(
                                             nb, l, nb.getF64Type(), v));
          };
          SmallVector<Value> o;
          for (int64_t d = 0; d < 4; ++d)
            o.push_back(linalg::IndexOp::create(b, l, d));
          Value k = o[0];
          Value image = tensor::ExtractOp::create(b, l, batch, ValueRange{k});
          if (image.getType() != b.getI64Type())
            image = arith::ExtSIOp::create(b, l, b.getI64Type(), image);
          image = arith::IndexCastOp::create(
              b, l, b.getIndexType(),
              arith::MinSIOp::create(
                  b, l,
                  arith::MaxSIOp::create(
                      b, l, image, arith::ConstantIntOp::create(b, l, 0, 64)),
                  arith::ConstantIntOp::create(b, l, n - 1, 64)));
          auto roi = [&](int64_t i) {
            return f.sub(
                f.mul(toF64(b, tensor::ExtractOp::create(
                                   b, l, rois, ValueRange{k, index(i)})),
                      f.c(scale)),
                f.c(halfPixel ? 0.5 : 0.0));
          };
          Value x0 = roi(0), y0 = roi(1);
          Value bw = f.sub(roi(2), x0), bh = f.sub(roi(3), y0);
          if (!halfPixel) {
            bw = arith::MaximumFOp::create(b, l, bw, f.c(1));
            bh = arith::MaximumFOp::create(b, l, bh, f.c(1));
          }
          Value binH = f.div(bh, f.c(static_cast<double>(oh)));
          Value binW = f.div(bw, f.c(static_cast<double>(ow)));
          // Samples per bin: the ratio, or the bin's extent rounded up
          // (kept in [0, 100000], the reference's bound).
          auto samples = [&](Value bin) -> Value {
            if (ratio > 0)
              return index(ratio);
            Value g = f.clamp(math::CeilOp::create(b, l, bin), 0, 100000);
            g = f.select(f.cmp(arith::CmpFPredicate::UNO, g, g), f.c(0), g);
            return arith::IndexCastOp::create(
                b, l, b.getIndexType(),
                arith::FPToSIOp::create(b, l, b.getI64Type(), g));
          };
          Value gh = samples(binH), gw = samples(binW);
          Value ghF = arith::SIToFPOp::create(
              b, l, b.getF64Type(),
              arith::IndexCastOp::create(b, l, b.getI64Type(), gh));
          Value gwF = arith::SIToFPOp::create(
              b, l, b.getF64Type(),
              arith::IndexCastOp::create(b, l, b.getI64Type(), gw));
          auto asF64 = [&](OpBuilder &nb, Value i) -> Value {
            return arith::SIToFPOp::create(
                nb, l, nb.getF64Type(),
                arith::IndexCastOp::create(nb, l, nb.getI64Type(), i));
          };
          Value ph = asF64(b, o[2]), pw = asF64(b, o[3]);
          Value yStart = f.add(y0, f.mul(ph, binH));
          Value xStart = f.add(x0, f.mul(pw, binW));
          Value yes = arith::ConstantIntOp::create(b, l, 1, 1);
          auto rows = scf::ForOp::create(
              b, l, index(0), gh, index(1), ValueRange{f.c(0), yes},
              [&](OpBuilder &rb, Location rl, Value iy, ValueRange rs) {
                F64 g{rb, rl};
                Value sy = g.add(
                    yStart,
                    g.div(g.mul(g.add(asF64(rb, iy), g.c(0.5)), binH), ghF));
                auto cols = scf::ForOp::create(
                    rb, rl, arith::ConstantIndexOp::create(rb, rl, 0), gw,
                    arith::ConstantIndexOp::create(rb, rl, 1), rs,
                    [&](OpBuilder &cb, Location cl, Value ix, ValueRange cs) {
                      F64 e{cb, cl};
                      Value sx = e.add(
                          xStart,
                          e.div(e.mul(e.add(asF64(cb, ix), e.c(0.5)), binW),
                                gwF));
                      // RoiSample: inside, the corners and their weights.
                      auto cmp = [&](arith::CmpFPredicate p, Value a,
                                     double v) { return e.cmp(p, a, e.c(v)); };
                      Value outside = arith::OrIOp::create(
                          cb, cl,
                          arith::OrIOp::create(
                              cb, cl, cmp(arith::CmpFPredicate::ULT, sy, -1.0),
                              cmp(arith::CmpFPredicate::UGT, sy,
                                  static_cast<double>(h))),
                          arith::OrIOp::create(
                              cb, cl, cmp(arith::CmpFPredicate::ULT, sx, -1.0),
                              cmp(arith::CmpFPredicate::UGT, sx,
                                  static_cast<double>(wd))));
                      auto axis = [&](Value sv, int64_t size, Value &lo,
                                      Value &hi, Value &frac) {
                        // In [-1, size] when inside; clamped so the
                        // conversion is defined for any value.
                        Value u = e.clamp(e.select(outside, e.c(0), sv), 0,
                                          static_cast<double>(size));
                        Value fl = e.floor(u);
                        Value edge = e.cmp(arith::CmpFPredicate::OGE, fl,
                                           e.c(static_cast<double>(size - 1)));
                        fl = e.select(edge, e.c(static_cast<double>(size - 1)),
                                      fl);
                        u = e.select(edge, fl, u);
                        frac = e.sub(u, fl);
                        Value li = arith::IndexCastOp::create(
                            cb, cl, cb.getIndexType(),
                            arith::FPToSIOp::create(cb, cl, cb.getI64Type(),
                                                    fl));
                        lo = li;
                        hi = arith::SelectOp::create(
                            cb, cl, edge, li,
                            arith::AddIOp::create(
                                cb, cl, li,
                                arith::ConstantIndexOp::create(cb, cl, 1)));
                      };
                      Value r0, r1, ly, c0, c1, lx;
                      axis(sy, h, r0, r1, ly);
                      axis(sx, wd, c0, c1, lx);
                      Value terms[4];
                      for (int q = 0; q < 4; ++q) {
                        Value wy = q < 2 ? e.sub(e.c(1), ly) : ly;
                        Value wx = q % 2 ? lx : e.sub(e.c(1), lx);
                        Value pix = toF64(
                            cb, tensor::ExtractOp::create(
                                    cb, cl, x,
                                    ValueRange{image, o[1], q < 2 ? r0 : r1,
                                               q % 2 ? c1 : c0}));
                        terms[q] = e.select(outside, e.c(0),
                                            e.mul(e.mul(wy, wx), pix));
                      }
                      Value acc = cs[0], first = cs[1];
                      if (isMax) {
                        // std::max_element, then std::max: the later value
                        // only when strictly larger.
                        auto larger = [&](Value a, Value v) {
                          return e.select(
                              e.cmp(arith::CmpFPredicate::OLT, a, v), v, a);
                        };
                        Value v = terms[0];
                        for (int q = 1; q < 4; ++q)
                          v = larger(v, terms[q]);
                        acc = e.select(first, v, larger(acc, v));
                      } else {
                        acc = e.add(acc, e.add(e.add(e.add(terms[0], terms[1]),
                                                     terms[2]),
                                               terms[3]));
                      }
                      scf::YieldOp::create(
                          cb, cl,
                          ValueRange{
                              acc, arith::ConstantIntOp::create(cb, cl, 0, 1)});
                    });
                scf::YieldOp::create(rb, rl, cols.getResults());
              });
          Value y = rows.getResult(0);
          if (!isMax) {
            Value count =
                arith::MaximumFOp::create(b, l, f.mul(ghF, gwF), f.c(1));
            y = f.div(y, count);
          }
          if (!t.isF64())
            y = arith::TruncFOp::create(b, l, t, y);
          linalg::YieldOp::create(b, l, y);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void populateConvolutionLowering(RewritePatternSet &patterns) {
  patterns.add<ConvLowering, ConvTransposeLowering, MaxPoolLowering,
               AvgPoolLowering, LRNLowering, Col2ImLowering, GridSampleLowering,
               DeformConvLowering, RoiAlignLowering,
               GlobalPoolLowering<GlobalMaxPoolOp, true>,
               GlobalPoolLowering<GlobalAvgPoolOp, false>>(
      patterns.getContext());
}

} // namespace strata::lowering
