//===- ActivationGradients.cpp - Gradients of activations -----------------===//
//
// Each activation's derivative as strata ops, from the input x or the output
// y, whichever is cheaper and exact.
//
//===----------------------------------------------------------------------===//

#include "ir/gradients/GradientBuilder.h"

#include <cmath>

namespace strata::gradients {
namespace {

using Dx = SmallVectorImpl<Value>;

/// An activation whose derivative is d(g, op, x, y), multiplied into dy.
template <typename OpTy,
          Value (*derivative)(GradientBuilder &, OpTy, Value, Value)>
LogicalResult activationGrad(OpTy op, GradientBuilder &g, ArrayRef<Value> dy,
                             Dx &dx) {
  Value x = op->getOperand(0), y = op->getResult(0);
  dx.push_back(g.mul(dy[0], derivative(g, op, x, y)));
  return mlir::success();
}

Value dRelu(GradientBuilder &g, ReluOp, Value x, Value) {
  return g.select01(g.op("greater", {x, g.scalar(x, 0)}), x);
}
Value dLeakyRelu(GradientBuilder &g, LeakyReluOp op, Value x, Value) {
  double alpha = op.getAlpha().convertToDouble();
  return g.op("where", {g.op("less", {x, g.scalar(x, 0)}), g.scalar(x, alpha),
                        g.scalar(x, 1)});
}
Value dSigmoid(GradientBuilder &g, SigmoidOp, Value, Value y) {
  return g.mul(y, g.sub(g.scalar(y, 1), y));
}
Value dTanh(GradientBuilder &g, TanhOp, Value, Value y) {
  return g.sub(g.scalar(y, 1), g.mul(y, y));
}
Value dSTanh(GradientBuilder &g, STanhOp, Value x, Value) {
  // y = a tanh(b x): a b (1 - tanh(b x)^2).
  const double a = 1.7159047, b = 0.66666667;
  Value t = g.op("tanh", g.scale(x, b));
  return g.scale(g.sub(g.scalar(x, 1), g.mul(t, t)), a * b);
}
Value dSoftplus(GradientBuilder &g, SoftplusOp, Value x, Value) {
  return g.op("sigmoid", x);
}
Value dSoftsign(GradientBuilder &g, SoftsignOp, Value x, Value) {
  Value d = g.add(g.scalar(x, 1), g.op("abs", x));
  return g.op("reciprocal", g.mul(d, d));
}
Value dElu(GradientBuilder &g, EluOp op, Value x, Value y) {
  // x > 0: 1; else y + alpha.
  double alpha = op.getAlpha().convertToDouble();
  return g.op("where", {g.op("greater", {x, g.scalar(x, 0)}), g.scalar(x, 1),
                        g.add(y, g.scalar(y, alpha))});
}

Value dGelu(GradientBuilder &g, GeluOp op, Value x, Value) {
  if (op.getApproximate() == "tanh") {
    // t = tanh(c (x + k x^3)): 0.5 (1 + t) + 0.5 x (1 - t^2) c (1 + 3k x^2).
    const double c = std::sqrt(2 / M_PI), k = 0.044715;
    Value x2 = g.mul(x, x);
    Value t = g.op("tanh", g.scale(g.add(x, g.scale(g.mul(x2, x), k)), c));
    Value dt = g.sub(g.scalar(x, 1), g.mul(t, t));
    Value du = g.add(g.scalar(x, c), g.scale(x2, 3 * k * c));
    return g.add(g.scale(g.add(g.scalar(x, 1), t), 0.5),
                 g.scale(g.mul(x, g.mul(dt, du)), 0.5));
  }
  // Phi(x) + x phi(x).
  Value cdf = g.scale(
      g.add(g.scalar(x, 1), g.op("erf", g.scale(x, 1 / std::sqrt(2.0)))), 0.5);
  Value pdf =
      g.scale(g.op("exp", g.scale(g.mul(x, x), -0.5)), 1 / std::sqrt(2 * M_PI));
  return g.add(cdf, g.mul(x, pdf));
}
Value dSelu(GradientBuilder &g, SeluOp op, Value x, Value y) {
  // x > 0: gamma; else gamma alpha exp(x) = y + gamma alpha.
  double alpha = op.getAlpha().convertToDouble();
  double gamma = op.getGamma().convertToDouble();
  return g.op("where",
              {g.op("greater", {x, g.scalar(x, 0)}), g.scalar(x, gamma),
               g.add(y, g.scalar(y, alpha * gamma))});
}
Value dCelu(GradientBuilder &g, CeluOp op, Value x, Value) {
  // x > 0: 1; else exp(x / alpha) (for either sign of alpha).
  double alpha = op.getAlpha().convertToDouble();
  return g.op("where", {g.op("greater", {x, g.scalar(x, 0)}), g.scalar(x, 1),
                        g.op("exp", g.scale(x, 1 / alpha))});
}
Value dHardSigmoid(GradientBuilder &g, HardSigmoidOp op, Value x, Value) {
  // alpha where 0 < alpha x + beta < 1, else 0.
  double alpha = op.getAlpha().convertToDouble();
  double beta = op.getBeta().convertToDouble();
  Value z = g.add(g.scale(x, alpha), g.scalar(x, beta));
  Value inside = g.op("and", {g.op("greater", {z, g.scalar(z, 0)}),
                              g.op("less", {z, g.scalar(z, 1)})});
  return g.scale(g.select01(inside, x), alpha);
}
Value dHardSwish(GradientBuilder &g, HardSwishOp, Value x, Value) {
  // x > 3: 1; x < -3: 0; else x / 3 + 0.5.
  return g.op(
      "where",
      {g.op("greater", {x, g.scalar(x, 3)}), g.scalar(x, 1),
       g.op("where", {g.op("less", {x, g.scalar(x, -3)}), g.scalar(x, 0),
                      g.add(g.scale(x, 1.0 / 3), g.scalar(x, 0.5))})});
}
Value dThresholdedRelu(GradientBuilder &g, ThresholdedReluOp op, Value x,
                       Value) {
  double alpha = op.getAlpha().convertToDouble();
  return g.select01(g.op("greater", {x, g.scalar(x, alpha)}), x);
}
Value dMish(GradientBuilder &g, MishOp, Value x, Value) {
  // t = tanh(softplus(x)): t + x (1 - t^2) sigmoid(x).
  Value t = g.op("tanh", g.op("softplus", x));
  Value dt = g.sub(g.scalar(x, 1), g.mul(t, t));
  return g.add(t, g.mul(x, g.mul(dt, g.op("sigmoid", x))));
}
Value dShrink(GradientBuilder &g, ShrinkOp op, Value x, Value) {
  // 1 where |x| > lambd, else 0.
  double lambd = op.getLambd().convertToDouble();
  return g.select01(g.op("greater", {g.op("abs", x), g.scalar(x, lambd)}), x);
}

/// prelu: dx = dy * (x < 0 ? slope : 1); dslope = sum to slope's shape of
/// dy * (x < 0 ? x : 0).
LogicalResult preluGrad(PReluOp op, GradientBuilder &g, ArrayRef<Value> dy,
                        Dx &dx) {
  Value x = op.getInput(), slope = op.getSlope();
  Value negative = g.op("less", {x, g.scalar(x, 0)});
  dx.push_back(g.mul(dy[0], g.op("where", {negative, slope, g.scalar(x, 1)})));
  Value ds = g.mul(dy[0], g.op("where", {negative, x, g.scalar(x, 0)}));
  dx.push_back(g.sumToShape(ds, slope));
  return mlir::success();
}

/// softmax: dx = y * (dy - sum(dy * y)) along the axis.
LogicalResult softmaxGrad(SoftmaxOp op, GradientBuilder &g, ArrayRef<Value> dy,
                          Dx &dx) {
  Value y = op.getOutput();
  Value s = g.op("reduce_sum", g.mul(dy[0], y),
                 {g.array("axes", {static_cast<int64_t>(op.getAxis())}),
                  g.flag("keepdims", true)});
  dx.push_back(g.mul(y, g.sub(dy[0], s)));
  return mlir::success();
}

/// log_softmax: dx = dy - softmax(x) * sum(dy) along the axis.
LogicalResult logSoftmaxGrad(LogSoftmaxOp op, GradientBuilder &g,
                             ArrayRef<Value> dy, Dx &dx) {
  Value p = g.op("exp", op.getOutput());
  Value s = g.op("reduce_sum", dy[0],
                 {g.array("axes", {static_cast<int64_t>(op.getAxis())}),
                  g.flag("keepdims", true)});
  dx.push_back(g.sub(dy[0], g.mul(p, s)));
  return mlir::success();
}

} // namespace

void attachActivationGradients(mlir::MLIRContext *ctx) {
  attach<ReluOp, activationGrad<ReluOp, dRelu>>(ctx);
  attach<LeakyReluOp, activationGrad<LeakyReluOp, dLeakyRelu>>(ctx);
  attach<SigmoidOp, activationGrad<SigmoidOp, dSigmoid>>(ctx);
  attach<TanhOp, activationGrad<TanhOp, dTanh>>(ctx);
  attach<STanhOp, activationGrad<STanhOp, dSTanh>>(ctx);
  attach<SoftplusOp, activationGrad<SoftplusOp, dSoftplus>>(ctx);
  attach<SoftsignOp, activationGrad<SoftsignOp, dSoftsign>>(ctx);
  attach<EluOp, activationGrad<EluOp, dElu>>(ctx);
  attach<GeluOp, activationGrad<GeluOp, dGelu>>(ctx);
  attach<SeluOp, activationGrad<SeluOp, dSelu>>(ctx);
  attach<CeluOp, activationGrad<CeluOp, dCelu>>(ctx);
  attach<HardSigmoidOp, activationGrad<HardSigmoidOp, dHardSigmoid>>(ctx);
  attach<HardSwishOp, activationGrad<HardSwishOp, dHardSwish>>(ctx);
  attach<ThresholdedReluOp,
         activationGrad<ThresholdedReluOp, dThresholdedRelu>>(ctx);
  attach<MishOp, activationGrad<MishOp, dMish>>(ctx);
  attach<ShrinkOp, activationGrad<ShrinkOp, dShrink>>(ctx);
  attach<PReluOp, preluGrad>(ctx);
  attach<SoftmaxOp, softmaxGrad>(ctx);
  attach<LogSoftmaxOp, logSoftmaxGrad>(ctx);
}

} // namespace strata::gradients
