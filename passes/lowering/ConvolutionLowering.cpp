//===- ConvolutionLowering.cpp - conv, pools and LRN to linalg ------------===//
//
// Images with one or two spatial dims (NCW, NCHW); a 1-D image [N, C, L] is
// handled as the 2-D image [N, C, 1, L] (a view). The window geometry (pads
// resolved from auto_pad, output sizes) is the op's getWindowGeometry, the
// rule type inference and the reference evaluator use.
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
//   that reach past the padded input see only padding.
// * lrn: squares, zero-padded along the channels, summed over each channel
//   window (a linalg.generic reducing over the window), then
//   x / (bias + alpha / size * sum)^beta.
// * global_max_pool / global_avg_pool (any rank): one reduction over the
//   spatial dims (maximumf keeps NaN; the sum then divided by the area).
//
// 3-D images (but for global pooling and LRN) and avg_pool windows that
// cover no input element are reported as not lowered.
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"
#include "passes/lowering/Lowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
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

template <typename OpTy> Window windowOf(OpTy op, ArrayRef<int64_t> kernel) {
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
  if (s == 1) {
    for (auto *list : {&w.in, &w.kernel, &w.strides, &w.dilations, &w.out})
      list->insert(list->begin(), 1);
    w.padBegin.insert(w.padBegin.begin(), 0);
    w.padEnd.insert(w.padEnd.begin(), 0);
  }
  return w;
}

/// Static shapes, float elements, one or two spatial dims.
bool lowerable(Operation *op) {
  for (Type t :
       llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes())) {
    auto rt = dyn_cast<RankedTensorType>(t);
    if (!rt || !rt.hasStaticShape() || !isa<FloatType>(rt.getElementType()))
      return false;
  }
  int64_t rank = cast<RankedTensorType>(op->getOperand(0).getType()).getRank();
  return rank == 3 || rank == 4;
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

/// Pads the spatial dims of an NCHW tensor with `value`: `w.padBegin`
/// before, and after whatever makes `w.out` windows fit.
Value padSpatial(OpBuilder &b, Location loc, Value x, const Window &w,
                 Value value) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> shape(type.getShape());
  SmallVector<OpFoldResult> low(4, b.getIndexAttr(0)),
      high(4, b.getIndexAttr(0));
  bool any = false;
  for (int d = 0; d < 2; ++d) {
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

class MaxPoolLowering : public OpRewritePattern<MaxPoolOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MaxPoolOp op,
                                PatternRewriter &rewriter) const override {
    if (!lowerable(op))
      return rewriter.notifyMatchFailure(
          op, "only 1-D and 2-D images of static shape are lowered");
    Location loc = op.getLoc();
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
    if (!lowerable(op))
      return rewriter.notifyMatchFailure(
          op, "only 1-D and 2-D images of static shape are lowered");
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    auto type2 = as2d(type);
    Type t = type.getElementType();
    Window w = windowOf(op, op.getKernelShape());
    // Each window's divisor: per spatial dim, the kernel offsets whose
    // position lies in the input (or in the padded input with
    // count_include_pad); their product.
    bool includePad = op.getCountIncludePad();
    SmallVector<int64_t> counts[2];
    for (int d = 0; d < 2; ++d) {
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
    Value x =
        padSpatial(rewriter, loc, as2d(rewriter, loc, op.getInput()), w, zero);
    Value window = tensor::EmptyOp::create(rewriter, loc, w.kernel, t);
    Value sum = linalg::PoolingNchwSumOp::create(
                    rewriter, loc, TypeRange{type2}, ValueRange{x, window},
                    ValueRange{filled(rewriter, loc, type2.getShape(), zero)},
                    windowAttrs(rewriter, w.strides, w.dilations))
                    ->getResult(0);
    SmallVector<Attribute> divisors;
    for (int64_t a : counts[0])
      for (int64_t b : counts[1])
        divisors.push_back(
            rewriter.getFloatAttr(t, static_cast<double>(a * b)));
    auto divide = [](OpBuilder &b, Location l, ValueRange a) -> Value {
      return arith::DivFOp::create(b, l, a[0], a[1]);
    };
    Value y;
    if (llvm::all_equal(divisors)) {
      Value divisor = arith::ConstantOp::create(
          rewriter, loc, cast<TypedAttr>(divisors.front()));
      y = buildPointwise(rewriter, loc, type2, sum,
                         [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                           return arith::DivFOp::create(b, l, a[0], divisor);
                         });
    } else {
      auto dType = RankedTensorType::get({w.out[0], w.out[1]}, t);
      Value divisor = arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(dType, divisors));
      y = buildPointwise(rewriter, loc, type2, ValueRange{sum, divisor},
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

} // namespace

void populateConvolutionLowering(RewritePatternSet &patterns) {
  patterns.add<ConvLowering, ConvTransposeLowering, MaxPoolLowering,
               AvgPoolLowering, LRNLowering,
               GlobalPoolLowering<GlobalMaxPoolOp, true>,
               GlobalPoolLowering<GlobalAvgPoolOp, false>>(
      patterns.getContext());
}

} // namespace strata::lowering
