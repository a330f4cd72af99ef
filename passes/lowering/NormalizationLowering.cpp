//===- NormalizationLowering.cpp - Normalizations to linalg ---------------===//
//
// batch_norm, batch_norm_train, instance_norm, layer_norm, group_norm and
// lp_normalization as reductions (buildReduction-style linalg.generic ops)
// and pointwise generics. The channel-wise ops see `input` as [N, C, S] (S
// the product of the spatial dims, 1 without any), group_norm as
// [N, G, C / G, S], layer_norm as [outer, inner], lp_normalization as
// [outer, len, inner].
//
// As in the reference evaluator (ir/reference/NormalizationKernels.cpp),
// statistics accumulate in f64 with two passes (the mean, then the mean of
// squared deviations: the biased variance), and every result is computed
// in f64 from the f64 statistics and rounded once to the element type. So a
// compiled result differs from the reference only by the order of the sums.
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"
#include "passes/lowering/Lowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <algorithm>

using namespace mlir;

namespace strata::lowering {
namespace {

/// `v` (a float scalar) widened to f64.
Value toF64(OpBuilder &b, Location l, Value v) {
  if (v.getType().isF64())
    return v;
  return arith::ExtFOp::create(b, l, b.getF64Type(), v);
}

/// `v` (f64) rounded to the float type `t`.
Value fromF64(OpBuilder &b, Location l, Value v, Type t) {
  if (t.isF64())
    return v;
  return arith::TruncFOp::create(b, l, t, v);
}

Value add(OpBuilder &b, Location l, Value x, Value y) {
  return arith::AddFOp::create(b, l, x, y);
}
Value sub(OpBuilder &b, Location l, Value x, Value y) {
  return arith::SubFOp::create(b, l, x, y);
}
Value mul(OpBuilder &b, Location l, Value x, Value y) {
  return arith::MulFOp::create(b, l, x, y);
}
Value div(OpBuilder &b, Location l, Value x, Value y) {
  return arith::DivFOp::create(b, l, x, y);
}
Value f64(OpBuilder &b, Location l, double v) {
  return floatConstant(b, l, b.getF64Type(), v);
}

/// Static shapes and float elements for every operand and result.
bool staticFloat(Operation *op) {
  for (Type t :
       llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes())) {
    auto rt = dyn_cast<RankedTensorType>(t);
    if (!rt || !rt.hasStaticShape() || !isa<FloatType>(rt.getElementType()))
      return false;
  }
  return true;
}

/// The f64 sum over the dims marked in `reduced` of f(x) with f(v) = v, or
/// (v - shift)^2 when `shift` is given (f64, of the shape of the kept
/// dims).
Value sumF64(OpBuilder &b, Location loc, Value x, ArrayRef<bool> reduced,
             Value shift) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  SmallVector<int64_t> kept;
  SmallVector<AffineExpr> keptExprs;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t d = 0; d < rank; ++d) {
    if (reduced[d]) {
      iterators.push_back(utils::IteratorType::reduction);
      continue;
    }
    iterators.push_back(utils::IteratorType::parallel);
    kept.push_back(type.getDimSize(d));
    keptExprs.push_back(b.getAffineDimExpr(d));
  }
  Type f64Type = b.getF64Type();
  Value empty = tensor::EmptyOp::create(b, loc, kept, f64Type);
  Value acc =
      linalg::FillOp::create(b, loc, f64(b, loc, 0), empty).getResult(0);
  AffineMap keptMap = AffineMap::get(rank, 0, keptExprs, b.getContext());
  SmallVector<Value> inputs = {x};
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank)};
  if (shift) {
    inputs.push_back(shift);
    maps.push_back(keptMap);
  }
  maps.push_back(keptMap);
  return linalg::GenericOp::create(
             b, loc, TypeRange{acc.getType()}, inputs, ValueRange{acc}, maps,
             iterators,
             [&](OpBuilder &nb, Location l, ValueRange args) {
               Value v = toF64(nb, l, args[0]);
               if (shift) {
                 Value d = sub(nb, l, v, args[1]);
                 v = mul(nb, l, d, d);
               }
               linalg::YieldOp::create(nb, l, add(nb, l, args.back(), v));
             })
      .getResult(0);
}

/// `v` (any float tensor) divided by `count`, in f64.
Value divideF64(OpBuilder &b, Location loc, Value v, double count) {
  auto type = cast<RankedTensorType>(v.getType());
  return buildPointwise(
      b, loc, RankedTensorType::get(type.getShape(), b.getF64Type()), v,
      [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
        return div(nb, l, toF64(nb, l, a[0]), f64(nb, l, count));
      });
}

/// Mean and biased variance (f64) of `x` over the dims marked in `reduced`.
std::pair<Value, Value> moments(OpBuilder &b, Location loc, Value x,
                                ArrayRef<bool> reduced) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t count = 1;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (reduced[d])
      count *= type.getDimSize(d);
  double n = static_cast<double>(count);
  Value mean = divideF64(b, loc, sumF64(b, loc, x, reduced, Value()), n);
  Value var = divideF64(b, loc, sumF64(b, loc, x, reduced, mean), n);
  return {mean, var};
}

/// `input` [N, C, ...] as [N, C, S].
Value channelView(OpBuilder &b, Location loc, Value input) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t n = type.getDimSize(0), c = type.getDimSize(1);
  int64_t s = 1;
  for (int64_t d = 2; d < type.getRank(); ++d)
    s *= type.getDimSize(d);
  return reshapeStatic(b, loc, input,
                       RankedTensorType::get({n, c, s}, type.getElementType()));
}

/// `v` of shape `shape` with a trailing 1 (so that it broadcasts along S).
Value column(OpBuilder &b, Location loc, Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape.push_back(1);
  return reshapeStatic(b, loc, v,
                       RankedTensorType::get(shape, type.getElementType()));
}

/// y = scale * (x - mean) * inv + bias over x3 (the input's channel view),
/// with inv = 1 / sqrt(var + eps) (`divide`: ... / sqrt(var + eps), the
/// inference form's order), computed in f64; the other operands broadcast
/// to x3 (e.g. [C, 1] or [N, C, 1] for x3 [N, C, S]).
Value normalize(OpBuilder &b, Location loc, Value x3, Value scale, Value bias,
                Value mean, Value var, double eps, bool divide) {
  auto type = cast<RankedTensorType>(x3.getType());
  Type t = type.getElementType();
  return buildPointwise(
      b, loc, type, ValueRange{x3, scale, bias, mean, var},
      [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
        Value x = toF64(nb, l, a[0]), s = toF64(nb, l, a[1]),
              bb = toF64(nb, l, a[2]), m = toF64(nb, l, a[3]),
              v = toF64(nb, l, a[4]);
        Value root =
            math::SqrtOp::create(nb, l, add(nb, l, v, f64(nb, l, eps)));
        Value scaled = mul(nb, l, s, sub(nb, l, x, m));
        Value y = divide ? div(nb, l, scaled, root)
                         : mul(nb, l, scaled, div(nb, l, f64(nb, l, 1), root));
        return fromF64(nb, l, add(nb, l, y, bb), t);
      });
}

class BatchNormLowering : public OpRewritePattern<BatchNormOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp op,
                                PatternRewriter &rewriter) const override {
    if (!staticFloat(op))
      return rewriter.notifyMatchFailure(op, "needs static float shapes");
    Location loc = op.getLoc();
    auto c = [&](Value v) { return column(rewriter, loc, v); };
    Value y = normalize(
        rewriter, loc, channelView(rewriter, loc, op.getInput()),
        c(op.getScale()), c(op.getBias()), c(op.getMean()), c(op.getVariance()),
        op.getEpsilon().convertToDouble(), /*divide=*/true);
    rewriter.replaceOp(op, reshapeStatic(rewriter, loc, y,
                                         cast<RankedTensorType>(op.getType())));
    return success();
  }
};

class BatchNormTrainLowering : public OpRewritePattern<BatchNormTrainOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormTrainOp op,
                                PatternRewriter &rewriter) const override {
    if (!staticFloat(op))
      return rewriter.notifyMatchFailure(op, "needs static float shapes");
    auto in = cast<RankedTensorType>(op.getInput().getType());
    if (in.getDimSize(0) == 0 ||
        llvm::is_contained(in.getShape().drop_front(2), 0))
      return rewriter.notifyMatchFailure(
          op, "an empty batch (the reference reports it)");
    Location loc = op.getLoc();
    Value x3 = channelView(rewriter, loc, op.getInput());
    auto [mean, var] = moments(rewriter, loc, x3, {true, false, true});
    auto c = [&](Value v) { return column(rewriter, loc, v); };
    Value y = normalize(rewriter, loc, x3, c(op.getScale()), c(op.getBias()),
                        c(mean), c(var), op.getEpsilon().convertToDouble(),
                        /*divide=*/false);
    // running * momentum + batch * (1 - momentum), in f64, rounded.
    double momentum = op.getMomentum().convertToDouble();
    auto statType = cast<RankedTensorType>(op.getNewRunningMean().getType());
    Type t = statType.getElementType();
    auto update = [&](Value running, Value batch) {
      return buildPointwise(
          rewriter, loc, statType, ValueRange{running, batch},
          [&](OpBuilder &b, Location l, ValueRange a) -> Value {
            Value kept = mul(b, l, toF64(b, l, a[0]), f64(b, l, momentum));
            Value added = mul(b, l, a[1], f64(b, l, 1 - momentum));
            return fromF64(b, l, add(b, l, kept, added), t);
          });
    };
    auto round = [&](Value v) {
      return buildPointwise(rewriter, loc, statType, v,
                            [&](OpBuilder &b, Location l, ValueRange a) {
                              return fromF64(b, l, a[0], t);
                            });
    };
    rewriter.replaceOp(
        op, ValueRange{
                reshapeStatic(rewriter, loc, y,
                              cast<RankedTensorType>(op.getOutput().getType())),
                update(op.getRunningMean(), mean),
                update(op.getRunningVar(), var), round(mean), round(var)});
    return success();
  }
};

class InstanceNormLowering : public OpRewritePattern<InstanceNormOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(InstanceNormOp op,
                                PatternRewriter &rewriter) const override {
    if (!staticFloat(op))
      return rewriter.notifyMatchFailure(op, "needs static float shapes");
    Location loc = op.getLoc();
    Value x3 = channelView(rewriter, loc, op.getInput());
    auto [mean, var] = moments(rewriter, loc, x3, {false, false, true});
    auto c = [&](Value v) { return column(rewriter, loc, v); };
    Value y = normalize(rewriter, loc, x3, c(op.getScale()), c(op.getBias()),
                        c(mean), c(var), op.getEpsilon().convertToDouble(),
                        /*divide=*/false);
    rewriter.replaceOp(op, reshapeStatic(rewriter, loc, y,
                                         cast<RankedTensorType>(op.getType())));
    return success();
  }
};

/// layer_norm: the statistics over the trailing dims [axis, rank) of the
/// input seen as [outer, inner]; y = (x - mean) * inv * scale + bias over
/// the input's shape, the statistics as [dims before axis, 1, ...] and
/// scale / bias broadcasting from the right.
class LayerNormLowering : public OpRewritePattern<LayerNormOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LayerNormOp op,
                                PatternRewriter &rewriter) const override {
    if (!staticFloat(op))
      return rewriter.notifyMatchFailure(op, "needs static float shapes");
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    Type t = type.getElementType();
    int64_t rank = type.getRank();
    int64_t axis = static_cast<int64_t>(op.getAxis());
    if (axis < 0)
      axis += rank;
    int64_t outer = 1, inner = 1;
    SmallVector<int64_t> statShape;
    for (int64_t d = 0; d < rank; ++d) {
      (d < axis ? outer : inner) *= type.getDimSize(d);
      statShape.push_back(d < axis ? type.getDimSize(d) : 1);
    }
    Value x2 = reshapeStatic(rewriter, loc, op.getInput(),
                             RankedTensorType::get({outer, inner}, t));
    auto [mean, var] = moments(rewriter, loc, x2, {false, true});
    auto statType = RankedTensorType::get(statShape, rewriter.getF64Type());
    SmallVector<Value> operands = {
        op.getInput(), reshapeStatic(rewriter, loc, mean, statType),
        reshapeStatic(rewriter, loc, var, statType), op.getScale()};
    if (Value bias = op.getBias())
      operands.push_back(bias);
    double eps = op.getEpsilon().convertToDouble();
    Value y = buildPointwise(
        rewriter, loc, type, operands,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value inv =
              div(b, l, f64(b, l, 1),
                  math::SqrtOp::create(b, l, add(b, l, a[2], f64(b, l, eps))));
          Value v =
              mul(b, l, mul(b, l, sub(b, l, toF64(b, l, a[0]), a[1]), inv),
                  toF64(b, l, a[3]));
          if (a.size() > 4)
            v = add(b, l, v, toF64(b, l, a[4]));
          return fromF64(b, l, v, t);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// group_norm: the input as [N, G, C / G * S] for the statistics (a
/// group's channels are consecutive), as [N, G, C / G, S] for the result,
/// with scale and bias [G, C / G, 1] and the statistics [N, G, 1, 1].
class GroupNormLowering : public OpRewritePattern<GroupNormOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GroupNormOp op,
                                PatternRewriter &rewriter) const override {
    if (!staticFloat(op))
      return rewriter.notifyMatchFailure(op, "needs static float shapes");
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    int64_t n = type.getDimSize(0), c = type.getDimSize(1);
    int64_t s = type.getNumElements() / std::max<int64_t>(1, n * c);
    int64_t groups = static_cast<int64_t>(op.getNumGroups());
    if (groups <= 0 || c % groups != 0)
      return rewriter.notifyMatchFailure(
          op, "channels do not split into the groups (the reference reports "
              "it)");
    int64_t perGroup = c / groups;
    auto view = [&](Value v, ArrayRef<int64_t> shape) {
      auto vt = cast<RankedTensorType>(v.getType());
      return reshapeStatic(rewriter, loc, v,
                           RankedTensorType::get(shape, vt.getElementType()));
    };
    Value grouped = view(op.getInput(), {n, groups, perGroup * s});
    auto [mean, var] = moments(rewriter, loc, grouped, {false, false, true});
    Value y =
        normalize(rewriter, loc, view(op.getInput(), {n, groups, perGroup, s}),
                  view(op.getScale(), {groups, perGroup, 1}),
                  view(op.getBias(), {groups, perGroup, 1}),
                  view(mean, {n, groups, 1, 1}), view(var, {n, groups, 1, 1}),
                  op.getEpsilon().convertToDouble(),
                  /*divide=*/false);
    rewriter.replaceOp(op, reshapeStatic(rewriter, loc, y, type));
    return success();
  }
};

class LpNormalizationLowering : public OpRewritePattern<LpNormalizationOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LpNormalizationOp op,
                                PatternRewriter &rewriter) const override {
    if (!staticFloat(op))
      return rewriter.notifyMatchFailure(op, "needs static float shapes");
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    Type t = type.getElementType();
    int64_t rank = type.getRank();
    int64_t axis = static_cast<int64_t>(op.getAxis());
    if (axis < 0)
      axis += rank;
    int64_t outer = 1, inner = 1, len = type.getDimSize(axis);
    for (int64_t d = 0; d < axis; ++d)
      outer *= type.getDimSize(d);
    for (int64_t d = axis + 1; d < rank; ++d)
      inner *= type.getDimSize(d);
    auto x3Type = RankedTensorType::get({outer, len, inner}, t);
    Value x3 = reshapeStatic(rewriter, loc, op.getInput(), x3Type);
    bool l1 = op.getP() == 1;
    // |x| (p = 1) or x^2 (p = 2) in f64, summed over `len`.
    Value terms = buildPointwise(
        rewriter, loc,
        RankedTensorType::get(x3Type.getShape(), rewriter.getF64Type()), x3,
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value v = toF64(b, l, a[0]);
          return l1 ? Value(math::AbsFOp::create(b, l, v)) : mul(b, l, v, v);
        });
    Value norm = buildReduction(rewriter, loc, terms, {false, true, false},
                                f64(rewriter, loc, 0),
                                [](OpBuilder &b, Location l, Value acc,
                                   Value v) { return add(b, l, acc, v); });
    // A zero norm (an all-zero vector) gives zeros, as in the reference.
    Value y = buildPointwise(
        rewriter, loc, x3Type,
        ValueRange{x3,
                   reshapeStatic(rewriter, loc, norm,
                                 RankedTensorType::get({outer, 1, inner},
                                                       rewriter.getF64Type()))},
        [&](OpBuilder &b, Location l, ValueRange a) -> Value {
          Value n = l1 ? a[1] : Value(math::SqrtOp::create(b, l, a[1]));
          Value isZero = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ,
                                               n, f64(b, l, 0));
          Value q = div(b, l, toF64(b, l, a[0]), n);
          return fromF64(
              b, l, arith::SelectOp::create(b, l, isZero, f64(b, l, 0), q), t);
        });
    rewriter.replaceOp(op, reshapeStatic(rewriter, loc, y, type));
    return success();
  }
};

} // namespace

void populateNormalizationLowering(RewritePatternSet &patterns) {
  patterns.add<BatchNormLowering, BatchNormTrainLowering, InstanceNormLowering,
               LayerNormLowering, GroupNormLowering, LpNormalizationLowering>(
      patterns.getContext());
}

} // namespace strata::lowering
