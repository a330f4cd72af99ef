//===- ReductionLowering.cpp - Reductions to linalg.generic ---------------===//
//
// A reduction is one linalg.generic (the reduced dims as reduction
// iterators, the output map dropping them) into an accumulator filled with
// the fold's identity, then the pointwise finish (mean: / count; l2: sqrt;
// log_sum: log) and, with keepdims, a reshape that restores the reduced
// dims as size 1. reduce_log_sum_exp shifts by the maximum first, so large
// inputs do not overflow. Floats accumulate in the element type.
//
// argmax / argmin and cumsum / cumprod are a linalg.generic over the result
// (buildIndexed) whose body walks the input's line along the axis with an
// scf.for: argmax / argmin keep the best index and value (NaN beats any
// number; ties keep the first index, or move to the last with
// select_last_index), cumsum / cumprod fold the elements the position
// covers, in the reference's order and, for floats, in f64 as the reference
// does (then rounded to the element type). Each position refolds its prefix
// (quadratic in the axis size; fine for now).
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"
#include "passes/lowering/Lowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <limits>

using namespace mlir;

namespace strata::lowering {

Value buildReduction(OpBuilder &b, Location loc, Value x,
                     ArrayRef<bool> reduced, Value identity,
                     ReductionBody body) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  SmallVector<int64_t> keptShape;
  SmallVector<AffineExpr> outExprs;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t d = 0; d < rank; ++d) {
    if (reduced[d]) {
      iterators.push_back(utils::IteratorType::reduction);
    } else {
      iterators.push_back(utils::IteratorType::parallel);
      keptShape.push_back(type.getDimSize(d));
      outExprs.push_back(b.getAffineDimExpr(d));
    }
  }
  auto outType = RankedTensorType::get(keptShape, identity.getType());
  Value empty = tensor::EmptyOp::create(b, loc, keptShape, identity.getType());
  Value acc = linalg::FillOp::create(b, loc, identity, empty).getResult(0);
  AffineMap inMap = b.getMultiDimIdentityMap(rank);
  AffineMap outMap = AffineMap::get(rank, 0, outExprs, b.getContext());
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{outType}, ValueRange{x}, ValueRange{acc},
      ArrayRef<AffineMap>{inMap, outMap}, iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        linalg::YieldOp::create(nb, nl, body(nb, nl, args[1], args[0]));
      });
  return generic.getResult(0);
}

Value logSumExpShift(OpBuilder &b, Location loc, Value m) {
  auto type = cast<RankedTensorType>(m.getType());
  Type t = type.getElementType();
  return buildPointwise(
      b, loc, type, m, [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
        Value isNegInf =
            arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OEQ, a[0],
                                  floatConstant(nb, l, t, -INFINITY));
        return arith::SelectOp::create(nb, l, isNegInf,
                                       floatConstant(nb, l, t, 0), a[0]);
      });
}

namespace {

/// The reduced dims of a reduce op, or failure for noop_with_empty_axes with
/// no axes (the identity, handled by the caller).
SmallVector<bool> reducedDims(ArrayRef<int64_t> axes, int64_t rank) {
  SmallVector<bool> reduced(rank, axes.empty());
  for (int64_t a : axes)
    reduced[a < 0 ? a + rank : a] = true;
  return reduced;
}

Value fpConst(OpBuilder &b, Location l, Type t, double v) {
  return floatConstant(b, l, t, v);
}

Value intConst(OpBuilder &b, Location l, Type t, int64_t v) {
  return arith::ConstantOp::create(b, l, t, b.getIntegerAttr(t, v));
}

enum class Fold { sum, prod, max, min, l1, sumSquare };

/// Identity and combine of a fold for element type `t` (floats, or signless
/// integers for sum / prod / max / min, read as unsigned if `isUnsigned`).
std::pair<Value, std::function<Value(OpBuilder &, Location, Value, Value)>>
fold(OpBuilder &b, Location loc, Fold f, Type t, bool isUnsigned) {
  bool isFloat = isa<FloatType>(t);
  unsigned width = t.getIntOrFloatBitWidth();
  // Booleans order false < true like unsigned integers (signed i1 reads 1 as
  // -1).
  isUnsigned |= width == 1;
  switch (f) {
  case Fold::sum:
    return {isFloat ? fpConst(b, loc, t, 0) : intConst(b, loc, t, 0),
            [isFloat](OpBuilder &nb, Location l, Value acc, Value v) -> Value {
              if (isFloat)
                return arith::AddFOp::create(nb, l, acc, v);
              return arith::AddIOp::create(nb, l, acc, v);
            }};
  case Fold::prod:
    return {isFloat ? fpConst(b, loc, t, 1) : intConst(b, loc, t, 1),
            [isFloat](OpBuilder &nb, Location l, Value acc, Value v) -> Value {
              if (isFloat)
                return arith::MulFOp::create(nb, l, acc, v);
              return arith::MulIOp::create(nb, l, acc, v);
            }};
  case Fold::max:
    return {isFloat
                ? fpConst(b, loc, t, -INFINITY)
                : intConst(b, loc, t,
                           isUnsigned ? 0
                                      : std::numeric_limits<int64_t>::min() >>
                                            (64 - width)),
            [isFloat, isUnsigned](OpBuilder &nb, Location l, Value acc,
                                  Value v) -> Value {
              if (isFloat)
                return arith::MaximumFOp::create(nb, l, acc, v);
              if (isUnsigned)
                return arith::MaxUIOp::create(nb, l, acc, v);
              return arith::MaxSIOp::create(nb, l, acc, v);
            }};
  case Fold::min:
    return {isFloat
                ? fpConst(b, loc, t, INFINITY)
                : intConst(b, loc, t,
                           isUnsigned ? -1 // all ones
                                      : std::numeric_limits<int64_t>::max() >>
                                            (64 - width)),
            [isFloat, isUnsigned](OpBuilder &nb, Location l, Value acc,
                                  Value v) -> Value {
              if (isFloat)
                return arith::MinimumFOp::create(nb, l, acc, v);
              if (isUnsigned)
                return arith::MinUIOp::create(nb, l, acc, v);
              return arith::MinSIOp::create(nb, l, acc, v);
            }};
  case Fold::l1:
    return {fpConst(b, loc, t, 0),
            [](OpBuilder &nb, Location l, Value acc, Value v) -> Value {
              return arith::AddFOp::create(nb, l, acc,
                                           math::AbsFOp::create(nb, l, v));
            }};
  case Fold::sumSquare:
    return {fpConst(b, loc, t, 0),
            [](OpBuilder &nb, Location l, Value acc, Value v) -> Value {
              return arith::AddFOp::create(nb, l, acc,
                                           arith::MulFOp::create(nb, l, v, v));
            }};
  }
  llvm_unreachable("fold");
}

enum class Finish { none, mean, sqrt, log };

template <typename OpTy> class ReduceLowering : public OpRewritePattern<OpTy> {
public:
  ReduceLowering(MLIRContext *ctx, Fold f, Finish finish, bool intsToo)
      : OpRewritePattern<OpTy>(ctx), fold_(f), finish_(finish),
        intsToo_(intsToo) {}

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    auto in = cast<RankedTensorType>(op.getInput().getType());
    auto out = cast<RankedTensorType>(op.getType());
    if (!in.hasStaticShape() || !out.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shape");
    Type original = in.getElementType();
    bool isUnsigned = original.isUnsignedInteger();
    if (!isa<FloatType>(original) &&
        !(intsToo_ && (original.isSignlessInteger() || isUnsigned)))
      return rewriter.notifyMatchFailure(op, "element type not lowered");
    if (op.getAxes().empty() && op.getNoopWithEmptyAxes()) {
      rewriter.replaceOp(op, op.getInput());
      return success();
    }
    Location loc = op.getLoc();
    // f16 and bf16 accumulate in f32 and round once at the end, as the
    // evaluator (in double) does.
    bool half = original.isF16() || original.isBF16();
    Type t = half ? rewriter.getF32Type() : signlessType(original);
    SmallVector<bool> reduced = reducedDims(op.getAxes(), in.getRank());
    auto folded = fold(rewriter, loc, fold_, t, isUnsigned);
    Value identity = folded.first;
    ReductionBody fold1 = folded.second, combine = fold1;
    if (half)
      combine = [fold1, t](OpBuilder &b, Location l, Value acc, Value v) {
        return fold1(b, l, acc, arith::ExtFOp::create(b, l, t, v));
      };
    Value r =
        buildReduction(rewriter, loc, toSignless(rewriter, loc, op.getInput()),
                       reduced, identity, combine);
    auto rType = cast<RankedTensorType>(r.getType());
    if (finish_ != Finish::none) {
      int64_t count = 1;
      for (int64_t d = 0; d < in.getRank(); ++d)
        if (reduced[d])
          count *= in.getDimSize(d);
      Finish finish = finish_;
      r = buildPointwise(rewriter, loc, rType, r,
                         [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                           switch (finish) {
                           case Finish::mean:
                             if (isa<FloatType>(t))
                               return arith::DivFOp::create(
                                   b, l, a[0], fpConst(b, l, t, double(count)));
                             if (isUnsigned)
                               return arith::DivUIOp::create(
                                   b, l, a[0], intConst(b, l, t, count));
                             return arith::DivSIOp::create(
                                 b, l, a[0], intConst(b, l, t, count));
                           case Finish::sqrt:
                             return math::SqrtOp::create(b, l, a[0]);
                           case Finish::log:
                             return math::LogOp::create(b, l, a[0]);
                           case Finish::none:
                             break;
                           }
                           return a[0];
                         });
    }
    if (half)
      r = buildPointwise(rewriter, loc,
                         cast<RankedTensorType>(r.getType()).clone(original), r,
                         [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                           return arith::TruncFOp::create(b, l, original, a[0]);
                         });
    Value y = reshapeStatic(rewriter, loc, r,
                            cast<RankedTensorType>(signlessType(out)));
    rewriter.replaceOp(op, fromSignless(rewriter, loc, y, out));
    return success();
  }

private:
  Fold fold_;
  Finish finish_;
  bool intsToo_;
};

/// log(sum(exp(x - m))) + m with m the maximum over the reduced dims.
class ReduceLogSumExpLowering : public OpRewritePattern<ReduceLogSumExpOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReduceLogSumExpOp op,
                                PatternRewriter &rewriter) const override {
    auto in = cast<RankedTensorType>(op.getInput().getType());
    auto out = cast<RankedTensorType>(op.getType());
    if (!in.hasStaticShape() || !out.hasStaticShape() ||
        !isa<FloatType>(in.getElementType()))
      return rewriter.notifyMatchFailure(op, "needs static float tensors");
    if (op.getAxes().empty() && op.getNoopWithEmptyAxes()) {
      rewriter.replaceOp(op, op.getInput());
      return success();
    }
    Location loc = op.getLoc();
    Type t = in.getElementType();
    SmallVector<bool> reduced = reducedDims(op.getAxes(), in.getRank());
    auto [maxId, maxFold] = fold(rewriter, loc, Fold::max, t, false);
    Value m =
        buildReduction(rewriter, loc, op.getInput(), reduced, maxId, maxFold);
    // m with the reduced dims kept as size 1, to broadcast against x.
    SmallVector<int64_t> keptShape;
    for (int64_t d = 0; d < in.getRank(); ++d)
      keptShape.push_back(reduced[d] ? 1 : in.getDimSize(d));
    auto keptType = RankedTensorType::get(keptShape, t);
    Value mKept = reshapeStatic(rewriter, loc, m, keptType);
    Value shift = logSumExpShift(rewriter, loc, mKept);
    Value e =
        buildPointwise(rewriter, loc, in, ValueRange{op.getInput(), shift},
                       [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                         return math::ExpOp::create(
                             b, l, arith::SubFOp::create(b, l, a[0], a[1]));
                       });
    auto [sumId, sumFold] = fold(rewriter, loc, Fold::sum, t, false);
    Value s = buildReduction(rewriter, loc, e, reduced, sumId, sumFold);
    Value shiftFlat = reshapeStatic(rewriter, loc, shift,
                                    cast<RankedTensorType>(s.getType()));
    Value r =
        buildPointwise(rewriter, loc, cast<RankedTensorType>(s.getType()),
                       ValueRange{s, shiftFlat},
                       [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                         return arith::AddFOp::create(
                             b, l, math::LogOp::create(b, l, a[0]), a[1]);
                       });
    rewriter.replaceOp(op, reshapeStatic(rewriter, loc, r, out));
    return success();
  }
};

int64_t positiveAxis(int64_t axis, int64_t rank) {
  return axis < 0 ? axis + rank : axis;
}

/// The input position of a result position of an op that keeps (or, without
/// keepdims, drops) the axis, with `along` at the axis.
SmallVector<Value> inputPosition(ValueRange pos, int64_t axis, bool kept,
                                 int64_t rank, Value along) {
  SmallVector<Value> at;
  for (int64_t d = 0, o = 0; d < rank; ++d) {
    if (d == axis) {
      at.push_back(along);
      if (kept)
        ++o;
      continue;
    }
    at.push_back(pos[o++]);
  }
  return at;
}

template <typename OpTy>
class ArgReduceLowering : public OpRewritePattern<OpTy> {
public:
  ArgReduceLowering(MLIRContext *ctx, bool max)
      : OpRewritePattern<OpTy>(ctx), max_(max) {}

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    auto in = cast<RankedTensorType>(op.getInput().getType());
    auto out = cast<RankedTensorType>(op.getType());
    if (!in.hasStaticShape() || !out.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shape");
    Type t = in.getElementType();
    if (!isa<FloatType>(t) && !t.isSignlessInteger())
      return rewriter.notifyMatchFailure(op, "element type not lowered");
    int64_t rank = in.getRank();
    int64_t axis = positiveAxis(op.getAxis(), rank);
    int64_t n = in.getDimSize(axis);
    if (n == 0)
      return rewriter.notifyMatchFailure(op, "empty axis");
    bool kept = op.getKeepdims(), last = op.getSelectLastIndex();
    bool max = max_;
    Value input = op.getInput();
    Value result = buildIndexed(
        rewriter, op.getLoc(), out,
        [&](OpBuilder &b, Location l, ValueRange pos) -> Value {
          Value c0 = arith::ConstantIndexOp::create(b, l, 0);
          Value c1 = arith::ConstantIndexOp::create(b, l, 1);
          Value cn = arith::ConstantIndexOp::create(b, l, n);
          SmallVector<Value> at = inputPosition(pos, axis, kept, rank, c0);
          Value first = tensor::ExtractOp::create(b, l, input, at);
          auto loop = scf::ForOp::create(
              b, l, c1, cn, c1, ValueRange{c0, first},
              [&](OpBuilder &lb, Location ll, Value k, ValueRange best) {
                SmallVector<Value> here = at;
                here[axis] = k;
                Value v = tensor::ExtractOp::create(lb, ll, input, here);
                Value take = beats(lb, ll, v, best[1], max);
                if (last) {
                  Value lost = beats(lb, ll, best[1], v, max);
                  Value one =
                      arith::ConstantOp::create(lb, ll, lb.getBoolAttr(true));
                  take = arith::OrIOp::create(
                      lb, ll, take, arith::XOrIOp::create(lb, ll, lost, one));
                }
                scf::YieldOp::create(
                    lb, ll,
                    ValueRange{
                        arith::SelectOp::create(lb, ll, take, k, best[0]),
                        arith::SelectOp::create(lb, ll, take, v, best[1])});
              });
          return arith::IndexCastOp::create(b, l, b.getI64Type(),
                                            loop.getResult(0));
        });
    rewriter.replaceOp(op, result);
    return success();
  }

private:
  /// Is `a` more extreme than `b`? A NaN beats any number (and no NaN);
  /// booleans order false < true.
  static Value beats(OpBuilder &b, Location l, Value a, Value c, bool max) {
    if (isa<FloatType>(a.getType())) {
      Value aNaN = arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, a, a);
      Value cNumber =
          arith::CmpFOp::create(b, l, arith::CmpFPredicate::ORD, c, c);
      Value further = arith::CmpFOp::create(
          b, l, max ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT, a,
          c);
      return arith::OrIOp::create(
          b, l, arith::AndIOp::create(b, l, aNaN, cNumber), further);
    }
    bool isBool = a.getType().isInteger(1);
    arith::CmpIPredicate p =
        max ? (isBool ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt)
            : (isBool ? arith::CmpIPredicate::ult : arith::CmpIPredicate::slt);
    return arith::CmpIOp::create(b, l, p, a, c);
  }

  bool max_;
};

template <typename OpTy>
class CumulativeLowering : public OpRewritePattern<OpTy> {
public:
  CumulativeLowering(MLIRContext *ctx, bool product)
      : OpRewritePattern<OpTy>(ctx), product_(product) {}

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    if (!type.hasStaticShape() ||
        !cast<RankedTensorType>(op.getInput().getType()).hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shape");
    Type t = type.getElementType();
    if (!isa<FloatType>(t) && !t.isSignlessInteger())
      return rewriter.notifyMatchFailure(op, "element type not lowered");
    int64_t rank = type.getRank();
    int64_t axis = positiveAxis(op.getAxis(), rank);
    int64_t n = type.getDimSize(axis);
    bool exclusive = op.getExclusive(), reverse = op.getReverse();
    bool product = product_;
    bool isFloat = isa<FloatType>(t);
    // Floats accumulate in f64, as the reference evaluator does.
    Type acc = isFloat ? Type(rewriter.getF64Type()) : t;
    Value input = op.getInput();
    Value result = buildIndexed(
        rewriter, op.getLoc(), type,
        [&](OpBuilder &b, Location l, ValueRange pos) -> Value {
          auto index = [&](int64_t v) -> Value {
            return arith::ConstantIndexOp::create(b, l, v);
          };
          // Position i covers `count` elements: from the start (or, with
          // reverse, from the end) up to i, without i itself when exclusive.
          Value i = pos[axis];
          Value count = reverse
                            ? Value(arith::SubIOp::create(b, l, index(n), i))
                            : Value(arith::AddIOp::create(b, l, i, index(1)));
          if (exclusive)
            count = arith::SubIOp::create(b, l, count, index(1));
          Value init = isFloat ? floatConstant(b, l, acc, product ? 1.0 : 0.0)
                               : intConst(b, l, acc, product ? 1 : 0);
          auto loop = scf::ForOp::create(
              b, l, index(0), count, index(1), ValueRange{init},
              [&](OpBuilder &lb, Location ll, Value s, ValueRange a) {
                Value k =
                    reverse
                        ? Value(arith::SubIOp::create(lb, ll, index(n - 1), s))
                        : s;
                SmallVector<Value> at(pos);
                at[axis] = k;
                Value x = tensor::ExtractOp::create(lb, ll, input, at);
                if (isFloat && x.getType() != acc)
                  x = arith::ExtFOp::create(lb, ll, acc, x);
                Value next =
                    isFloat
                        ? (product
                               ? Value(arith::MulFOp::create(lb, ll, a[0], x))
                               : Value(arith::AddFOp::create(lb, ll, a[0], x)))
                        : (product
                               ? Value(arith::MulIOp::create(lb, ll, a[0], x))
                               : Value(arith::AddIOp::create(lb, ll, a[0], x)));
                scf::YieldOp::create(lb, ll, next);
              });
          Value r = loop.getResult(0);
          if (isFloat && t != acc)
            r = arith::TruncFOp::create(b, l, t, r);
          return r;
        });
    rewriter.replaceOp(op, result);
    return success();
  }

private:
  bool product_;
};

} // namespace

void populateReductionLowering(RewritePatternSet &p) {
  MLIRContext *ctx = p.getContext();
  p.add(std::make_unique<ArgReduceLowering<ArgMaxOp>>(ctx, /*max=*/true));
  p.add(std::make_unique<ArgReduceLowering<ArgMinOp>>(ctx, /*max=*/false));
  p.add(std::make_unique<CumulativeLowering<CumSumOp>>(ctx, false));
  p.add(std::make_unique<CumulativeLowering<CumProdOp>>(ctx, true));
  p.add(std::make_unique<ReduceLowering<ReduceSumOp>>(ctx, Fold::sum,
                                                      Finish::none, true));
  p.add(std::make_unique<ReduceLowering<ReduceMeanOp>>(ctx, Fold::sum,
                                                       Finish::mean, false));
  p.add(std::make_unique<ReduceLowering<ReduceMaxOp>>(ctx, Fold::max,
                                                      Finish::none, true));
  p.add(std::make_unique<ReduceLowering<ReduceMinOp>>(ctx, Fold::min,
                                                      Finish::none, true));
  p.add(std::make_unique<ReduceLowering<ReduceProdOp>>(ctx, Fold::prod,
                                                       Finish::none, true));
  p.add(std::make_unique<ReduceLowering<ReduceL1Op>>(ctx, Fold::l1,
                                                     Finish::none, false));
  p.add(std::make_unique<ReduceLowering<ReduceL2Op>>(ctx, Fold::sumSquare,
                                                     Finish::sqrt, false));
  p.add(std::make_unique<ReduceLowering<ReduceSumSquareOp>>(
      ctx, Fold::sumSquare, Finish::none, false));
  p.add(std::make_unique<ReduceLowering<ReduceLogSumOp>>(ctx, Fold::sum,
                                                         Finish::log, false));
  p.add<ReduceLogSumExpLowering>(ctx);
}

} // namespace strata::lowering
