//===- ActivationLowering.cpp - Activations to linalg ---------------------===//
//
// Pointwise activations become one linalg.generic each (the reference
// formulas of ir/reference/ActivationKernels.cpp, in the element type);
// softmax and log_softmax are max, shifted exp, sum and a pointwise finish
// along the axis.
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"
#include "passes/lowering/Lowering.h"
#include "passes/lowering/PointwisePattern.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;

namespace strata::lowering {

namespace {

/// softmax / log_softmax along `axis`: m = max, e = exp(x - m) (an all -inf
/// slice shifts by 0, as the reference), s = sum e, then e / s or
/// (x - m) - log s.
template <typename OpTy> class SoftmaxLowering : public OpRewritePattern<OpTy> {
public:
  SoftmaxLowering(MLIRContext *ctx, bool log)
      : OpRewritePattern<OpTy>(ctx), log_(log) {}

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    if (!type.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shape");
    Location loc = op.getLoc();
    // f16 and bf16 compute in f32 and round once at the end, like the
    // evaluator (in double).
    RankedTensorType resultType = type;
    Value x = op.getInput();
    if (type.getElementType().isF16() || type.getElementType().isBF16()) {
      type = type.clone(rewriter.getF32Type());
      x = buildPointwise(rewriter, loc, type, x,
                         [](OpBuilder &b, Location l, ValueRange a) -> Value {
                           return arith::ExtFOp::create(b, l, b.getF32Type(),
                                                        a[0]);
                         });
    }
    Type t = type.getElementType();
    int64_t rank = type.getRank();
    int64_t axis = static_cast<int64_t>(op.getAxis());
    if (axis < 0)
      axis += rank;
    SmallVector<bool> reduced(rank, false);
    reduced[axis] = true;
    SmallVector<int64_t> keptShape(type.getShape());
    keptShape[axis] = 1;
    auto keptType = RankedTensorType::get(keptShape, t);
    Value m = buildReduction(
        rewriter, loc, x, reduced, floatConstant(rewriter, loc, t, -INFINITY),
        [](OpBuilder &b, Location l, Value acc, Value v) -> Value {
          return arith::MaximumFOp::create(b, l, acc, v);
        });
    Value shift = logSumExpShift(rewriter, loc,
                                 reshapeStatic(rewriter, loc, m, keptType));
    Value e =
        buildPointwise(rewriter, loc, type, ValueRange{x, shift},
                       [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                         return math::ExpOp::create(
                             b, l, arith::SubFOp::create(b, l, a[0], a[1]));
                       });
    Value s = buildReduction(
        rewriter, loc, e, reduced, floatConstant(rewriter, loc, t, 0),
        [](OpBuilder &b, Location l, Value acc, Value v) -> Value {
          return arith::AddFOp::create(b, l, acc, v);
        });
    Value sKept = reshapeStatic(rewriter, loc, s, keptType);
    bool log = log_;
    Value y =
        buildPointwise(rewriter, loc, type, ValueRange{x, shift, e, sKept},
                       [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                         if (log)
                           return arith::SubFOp::create(
                               b, l, arith::SubFOp::create(b, l, a[0], a[1]),
                               math::LogOp::create(b, l, a[3]));
                         return arith::DivFOp::create(b, l, a[2], a[3]);
                       });
    if (resultType != type)
      y = buildPointwise(rewriter, loc, resultType, y,
                         [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                           return arith::TruncFOp::create(
                               b, l, resultType.getElementType(), a[0]);
                         });
    rewriter.replaceOp(op, y);
    return success();
  }

private:
  bool log_;
};

} // namespace

void populateActivationLowering(RewritePatternSet &p) {
  p.add(std::make_unique<SoftmaxLowering<SoftmaxOp>>(p.getContext(), false));
  p.add(std::make_unique<SoftmaxLowering<LogSoftmaxOp>>(p.getContext(), true));
  using B = OpBuilder;
  using L = Location;
  using V = ValueRange;
  // Activations.
  add<ReluOp>(p, Elements::floats, [](B &b, L l, V a, ReluOp) -> Value {
    Value zero = zeroLike(b, l, a[0]);
    Value neg =
        arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, a[0], zero);
    return arith::SelectOp::create(b, l, neg, zero, a[0]);
  });
  add<LeakyReluOp>(
      p, Elements::floats, [](B &b, L l, V a, LeakyReluOp op) -> Value {
        Value zero = zeroLike(b, l, a[0]);
        Value alpha = floatConstant(b, l, a[0].getType(), attr(op.getAlpha()));
        Value neg =
            arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, a[0], zero);
        Value scaled = arith::MulFOp::create(b, l, alpha, a[0]);
        return arith::SelectOp::create(b, l, neg, scaled, a[0]);
      });
  add<SigmoidOp>(p, Elements::floats, [](B &b, L l, V a, SigmoidOp) -> Value {
    Value one = floatConstant(b, l, a[0].getType(), 1.0);
    Value e = math::ExpOp::create(b, l, arith::NegFOp::create(b, l, a[0]));
    return arith::DivFOp::create(b, l, one,
                                 arith::AddFOp::create(b, l, one, e));
  });
  add<EluOp>(p, Elements::floats, [](B &b, L l, V a, EluOp op) -> Value {
    Value x = a[0], zero = zeroLike(b, l, x);
    Value one = floatConstant(b, l, x.getType(), 1.0);
    Value alpha = floatConstant(b, l, x.getType(), attr(op.getAlpha()));
    Value neg = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, x, zero);
    Value em1 = arith::SubFOp::create(b, l, math::ExpOp::create(b, l, x), one);
    return arith::SelectOp::create(b, l, neg,
                                   arith::MulFOp::create(b, l, alpha, em1), x);
  });
  // softplus(x) = max(x, 0) + log1p(exp(-|x|)): no overflow, no
  // cancellation.
  add<SoftplusOp>(p, Elements::floats, [](B &b, L l, V a, SoftplusOp) -> Value {
    Value x = a[0], zero = zeroLike(b, l, x);
    Value m = arith::MaximumFOp::create(b, l, x, zero);
    Value e = math::ExpOp::create(
        b, l, arith::NegFOp::create(b, l, math::AbsFOp::create(b, l, x)));
    return arith::AddFOp::create(b, l, m, math::Log1pOp::create(b, l, e));
  });
  add<SoftsignOp>(p, Elements::floats, [](B &b, L l, V a, SoftsignOp) -> Value {
    Value one = floatConstant(b, l, a[0].getType(), 1.0);
    Value d =
        arith::AddFOp::create(b, l, one, math::AbsFOp::create(b, l, a[0]));
    return arith::DivFOp::create(b, l, a[0], d);
  });
  // SINGA's constants, as the reference.
  add<STanhOp>(p, Elements::floats, [](B &b, L l, V a, STanhOp) -> Value {
    Value s = floatConstant(b, l, a[0].getType(), 0.66666667);
    Value k = floatConstant(b, l, a[0].getType(), 1.7159047);
    Value t = math::TanhOp::create(b, l, arith::MulFOp::create(b, l, s, a[0]));
    return arith::MulFOp::create(b, l, k, t);
  });

  // The remaining pointwise activations (ONNX's), as in the reference.
  add<SeluOp>(p, Elements::floats, [](B &b, L l, V a, SeluOp op) -> Value {
    Value x = a[0], zero = zeroLike(b, l, x);
    Value alpha = floatConstant(b, l, x.getType(), attr(op.getAlpha()));
    Value gamma = floatConstant(b, l, x.getType(), attr(op.getGamma()));
    Value pos = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, x, zero);
    Value neg = arith::SubFOp::create(
        b, l, arith::MulFOp::create(b, l, alpha, math::ExpOp::create(b, l, x)),
        alpha);
    return arith::MulFOp::create(b, l, gamma,
                                 arith::SelectOp::create(b, l, pos, x, neg));
  });
  add<CeluOp>(p, Elements::floats, [](B &b, L l, V a, CeluOp op) -> Value {
    Value x = a[0], zero = zeroLike(b, l, x);
    Value alpha = floatConstant(b, l, x.getType(), attr(op.getAlpha()));
    Value one = floatConstant(b, l, x.getType(), 1.0);
    Value e = math::ExpOp::create(b, l, arith::DivFOp::create(b, l, x, alpha));
    Value neg =
        arith::MulFOp::create(b, l, alpha, arith::SubFOp::create(b, l, e, one));
    return arith::AddFOp::create(b, l, arith::MaximumFOp::create(b, l, zero, x),
                                 arith::MinimumFOp::create(b, l, zero, neg));
  });
  add<GeluOp>(p, Elements::floats, [](B &b, L l, V a, GeluOp op) -> Value {
    Value x = a[0];
    Type t = x.getType();
    Value half = floatConstant(b, l, t, 0.5), one = floatConstant(b, l, t, 1);
    Value inner;
    if (op.getApproximate() == "tanh") {
      // tanh(sqrt(2 / pi) (x + 0.044715 x^3))
      Value x3 =
          arith::MulFOp::create(b, l, x, arith::MulFOp::create(b, l, x, x));
      Value u = arith::AddFOp::create(
          b, l, x,
          arith::MulFOp::create(b, l, floatConstant(b, l, t, 0.044715), x3));
      inner = math::TanhOp::create(
          b, l,
          arith::MulFOp::create(
              b, l, floatConstant(b, l, t, 0.79788456080286535588), u));
    } else {
      inner = math::ErfOp::create(
          b, l,
          arith::MulFOp::create(
              b, l, x, floatConstant(b, l, t, 0.70710678118654752440)));
    }
    return arith::MulFOp::create(b, l, arith::MulFOp::create(b, l, half, x),
                                 arith::AddFOp::create(b, l, one, inner));
  });
  add<HardSigmoidOp>(
      p, Elements::floats, [](B &b, L l, V a, HardSigmoidOp op) -> Value {
        Type t = a[0].getType();
        Value v = arith::AddFOp::create(
            b, l,
            arith::MulFOp::create(
                b, l, floatConstant(b, l, t, attr(op.getAlpha())), a[0]),
            floatConstant(b, l, t, attr(op.getBeta())));
        return arith::MaximumFOp::create(
            b, l, floatConstant(b, l, t, 0),
            arith::MinimumFOp::create(b, l, floatConstant(b, l, t, 1), v));
      });
  add<HardSwishOp>(
      p, Elements::floats, [](B &b, L l, V a, HardSwishOp) -> Value {
        Type t = a[0].getType();
        Value v = arith::AddFOp::create(
            b, l, arith::DivFOp::create(b, l, a[0], floatConstant(b, l, t, 6)),
            floatConstant(b, l, t, 0.5));
        Value c = arith::MaximumFOp::create(
            b, l, floatConstant(b, l, t, 0),
            arith::MinimumFOp::create(b, l, floatConstant(b, l, t, 1), v));
        return arith::MulFOp::create(b, l, a[0], c);
      });
  // x > alpha (or NaN) ? x : 0.
  add<ThresholdedReluOp>(
      p, Elements::floats, [](B &b, L l, V a, ThresholdedReluOp op) -> Value {
        Value alpha = floatConstant(b, l, a[0].getType(), attr(op.getAlpha()));
        Value keep =
            arith::CmpFOp::create(b, l, arith::CmpFPredicate::UGT, a[0], alpha);
        return arith::SelectOp::create(b, l, keep, a[0], zeroLike(b, l, a[0]));
      });
  add<MishOp>(p, Elements::floats, [](B &b, L l, V a, MishOp) -> Value {
    Value x = a[0], zero = zeroLike(b, l, x);
    Value e = math::ExpOp::create(
        b, l, arith::NegFOp::create(b, l, math::AbsFOp::create(b, l, x)));
    Value softplus =
        arith::AddFOp::create(b, l, arith::MaximumFOp::create(b, l, x, zero),
                              math::Log1pOp::create(b, l, e));
    return arith::MulFOp::create(b, l, x, math::TanhOp::create(b, l, softplus));
  });
  // x < -lambd ? x + bias : x > lambd ? x - bias : (NaN ? x : 0).
  add<ShrinkOp>(p, Elements::floats, [](B &b, L l, V a, ShrinkOp op) -> Value {
    Value x = a[0];
    Type t = x.getType();
    Value bias = floatConstant(b, l, t, attr(op.getBias()));
    Value lambd = floatConstant(b, l, t, attr(op.getLambd()));
    Value below = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, x,
                                        arith::NegFOp::create(b, l, lambd));
    Value above =
        arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, x, lambd);
    Value isNaN = arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, x, x);
    Value middle =
        arith::SelectOp::create(b, l, isNaN, x, floatConstant(b, l, t, 0));
    return arith::SelectOp::create(
        b, l, below, arith::AddFOp::create(b, l, x, bias),
        arith::SelectOp::create(b, l, above,
                                arith::SubFOp::create(b, l, x, bias), middle));
  });
  // x < 0 ? slope * x : x, the slope broadcast to x.
  add<PReluOp>(p, Elements::floats, [](B &b, L l, V a, PReluOp) -> Value {
    Value neg = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, a[0],
                                      zeroLike(b, l, a[0]));
    return arith::SelectOp::create(
        b, l, neg, arith::MulFOp::create(b, l, a[1], a[0]), a[0]);
  });
}

} // namespace strata::lowering
