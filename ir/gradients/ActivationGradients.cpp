//===- ActivationGradients.cpp - Gradients of activations -----------------===//
//
// Each activation's derivative as strata ops, from the input x or the output
// y, whichever is cheaper and exact.
//
//===----------------------------------------------------------------------===//

#include "ir/gradients/GradientBuilder.h"

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
  attach<SoftmaxOp, softmaxGrad>(ctx);
  attach<LogSoftmaxOp, logSoftmaxGrad>(ctx);
}

} // namespace strata::gradients
