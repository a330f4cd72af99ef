//===- ElementwiseGradients.cpp - Gradients of elementwise ops ------------===//
//
// Binary ops broadcast, so each operand's gradient is summed back to its
// shape (GradientBuilder::sumToShape). Piecewise-constant ops (floor, ceil,
// round, sign) have gradient 0 almost everywhere.
//
//===----------------------------------------------------------------------===//

#include "ir/gradients/GradientBuilder.h"

#include <cmath>

namespace strata::gradients {
namespace {

using Dx = SmallVectorImpl<Value>;

LogicalResult addGrad(AddOp op, GradientBuilder &g, ArrayRef<Value> dy,
                      Dx &dx) {
  dx.push_back(g.sumToShape(dy[0], op.getLhs()));
  dx.push_back(g.sumToShape(dy[0], op.getRhs()));
  return mlir::success();
}

LogicalResult subGrad(SubOp op, GradientBuilder &g, ArrayRef<Value> dy,
                      Dx &dx) {
  dx.push_back(g.sumToShape(dy[0], op.getLhs()));
  dx.push_back(g.sumToShape(g.neg(dy[0]), op.getRhs()));
  return mlir::success();
}

LogicalResult mulGrad(MulOp op, GradientBuilder &g, ArrayRef<Value> dy,
                      Dx &dx) {
  dx.push_back(g.sumToShape(g.mul(dy[0], op.getRhs()), op.getLhs()));
  dx.push_back(g.sumToShape(g.mul(dy[0], op.getLhs()), op.getRhs()));
  return mlir::success();
}

LogicalResult divGrad(DivOp op, GradientBuilder &g, ArrayRef<Value> dy,
                      Dx &dx) {
  // d(a / b) = da / b - a db / b^2 = (da - y db) / b.
  Value b = op.getRhs();
  Value da = g.div(dy[0], b);
  dx.push_back(g.sumToShape(da, op.getLhs()));
  dx.push_back(g.sumToShape(g.neg(g.mul(da, op.getOutput())), b));
  return mlir::success();
}

LogicalResult powGrad(PowOp op, GradientBuilder &g, ArrayRef<Value> dy,
                      Dx &dx) {
  // y = a^b: dy/da = b a^(b-1), dy/db = y log(a).
  Value a = op.getLhs(), b = op.getRhs(), y = op.getOutput();
  Value da = g.mul(dy[0], g.mul(b, g.op("pow", {a, g.sub(b, g.scalar(b, 1))})));
  dx.push_back(g.sumToShape(da, a));
  Value db = g.mul(dy[0], g.mul(y, g.op("log", a)));
  dx.push_back(g.sumToShape(db, b));
  return mlir::success();
}

/// max / min: the gradient goes to the operand that was picked (ties to the
/// left operand).
template <typename OpTy, bool isMax>
LogicalResult extremumGrad(OpTy op, GradientBuilder &g, ArrayRef<Value> dy,
                           Dx &dx) {
  Value a = op.getLhs(), b = op.getRhs();
  Value pickA =
      g.select01(g.op(isMax ? "greater_equal" : "less_equal", {a, b}), a);
  Value da = g.mul(dy[0], pickA);
  Value db = g.sub(dy[0], da);
  dx.push_back(g.sumToShape(da, a));
  dx.push_back(g.sumToShape(db, b));
  return mlir::success();
}

/// A unary op whose derivative is f'(x, y), multiplied into dy.
template <typename OpTy, Value (*derivative)(GradientBuilder &, Value, Value)>
LogicalResult unaryGrad(OpTy op, GradientBuilder &g, ArrayRef<Value> dy,
                        Dx &dx) {
  dx.push_back(
      g.mul(dy[0], derivative(g, op->getOperand(0), op->getResult(0))));
  return mlir::success();
}

Value dNeg(GradientBuilder &g, Value x, Value) { return g.scalar(x, -1); }
Value dExp(GradientBuilder &, Value, Value y) { return y; }
Value dLog(GradientBuilder &g, Value x, Value) { return g.op("reciprocal", x); }
Value dSqrt(GradientBuilder &g, Value, Value y) {
  return g.div(g.scalar(y, 0.5), y);
}
Value dRsqrt(GradientBuilder &g, Value x, Value y) {
  // y = x^-1/2: dy/dx = -y / (2x).
  return g.div(g.scale(y, -0.5), x);
}
Value dReciprocal(GradientBuilder &g, Value, Value y) {
  return g.neg(g.mul(y, y));
}
Value dAbs(GradientBuilder &g, Value x, Value) { return g.op("sign", x); }
Value dZero(GradientBuilder &g, Value x, Value) { return g.zerosLike(x); }
Value dSin(GradientBuilder &g, Value x, Value) { return g.op("cos", x); }
Value dCos(GradientBuilder &g, Value x, Value) { return g.neg(g.op("sin", x)); }
Value dErf(GradientBuilder &g, Value x, Value) {
  // 2 / sqrt(pi) exp(-x^2).
  return g.scale(g.op("exp", g.neg(g.mul(x, x))), 2 / std::sqrt(M_PI));
}
Value dAsin(GradientBuilder &g, Value x, Value) {
  return g.op("rsqrt", g.sub(g.scalar(x, 1), g.mul(x, x)));
}
Value dAcos(GradientBuilder &g, Value x, Value) {
  return g.neg(g.op("rsqrt", g.sub(g.scalar(x, 1), g.mul(x, x))));
}
Value dAtan(GradientBuilder &g, Value x, Value) {
  return g.op("reciprocal", g.add(g.scalar(x, 1), g.mul(x, x)));
}

/// mod (either rule): x mod y = x - q y with q = floor(x / y) or trunc(x / y)
/// constant between jumps, so d/dx = 1 and d/dy = -q.
LogicalResult modGrad(ModOp op, GradientBuilder &g, ArrayRef<Value> dy,
                      Dx &dx) {
  Value x = op.getLhs(), y = op.getRhs();
  if (!llvm::isa<mlir::FloatType>(
          llvm::cast<mlir::ShapedType>(x.getType()).getElementType())) {
    dx.append({Value(), Value()});
    return mlir::success();
  }
  Value q = g.div(g.sub(x, op.getOutput()), y);
  dx.push_back(g.sumToShape(dy[0], x));
  dx.push_back(g.sumToShape(g.neg(g.mul(dy[0], q)), y));
  return mlir::success();
}

LogicalResult clipGrad(ClipOp op, GradientBuilder &g, ArrayRef<Value> dy,
                       Dx &dx) {
  // 1 strictly inside [min, max], 0 where clipped.
  Value x = op.getInput();
  Value inside = g.op(
      "and", {g.op("greater", {x, g.scalar(x, op.getMin().convertToDouble())}),
              g.op("less", {x, g.scalar(x, op.getMax().convertToDouble())})});
  dx.push_back(g.mul(dy[0], g.select01(inside, x)));
  return mlir::success();
}

LogicalResult whereGrad(WhereOp op, GradientBuilder &g, ArrayRef<Value> dy,
                        Dx &dx) {
  Value zero = g.scalar(dy[0], 0);
  dx.push_back({}); // the condition
  dx.push_back(g.sumToShape(g.op("where", {op.getCondition(), dy[0], zero}),
                            op.getLhs()));
  dx.push_back(g.sumToShape(g.op("where", {op.getCondition(), zero, dy[0]}),
                            op.getRhs()));
  return mlir::success();
}

} // namespace

void attachElementwiseGradients(mlir::MLIRContext *ctx) {
  attach<AddOp, addGrad>(ctx);
  attach<SubOp, subGrad>(ctx);
  attach<MulOp, mulGrad>(ctx);
  attach<DivOp, divGrad>(ctx);
  attach<PowOp, powGrad>(ctx);
  attach<MaxOp, extremumGrad<MaxOp, true>>(ctx);
  attach<MinOp, extremumGrad<MinOp, false>>(ctx);
  attach<NegOp, unaryGrad<NegOp, dNeg>>(ctx);
  attach<ExpOp, unaryGrad<ExpOp, dExp>>(ctx);
  attach<LogOp, unaryGrad<LogOp, dLog>>(ctx);
  attach<SqrtOp, unaryGrad<SqrtOp, dSqrt>>(ctx);
  attach<RsqrtOp, unaryGrad<RsqrtOp, dRsqrt>>(ctx);
  attach<ReciprocalOp, unaryGrad<ReciprocalOp, dReciprocal>>(ctx);
  attach<AbsOp, unaryGrad<AbsOp, dAbs>>(ctx);
  attach<SignOp, unaryGrad<SignOp, dZero>>(ctx);
  attach<FloorOp, unaryGrad<FloorOp, dZero>>(ctx);
  attach<CeilOp, unaryGrad<CeilOp, dZero>>(ctx);
  attach<RoundOp, unaryGrad<RoundOp, dZero>>(ctx);
  attach<SinOp, unaryGrad<SinOp, dSin>>(ctx);
  attach<CosOp, unaryGrad<CosOp, dCos>>(ctx);
  attach<ErfOp, unaryGrad<ErfOp, dErf>>(ctx);
  attach<AsinOp, unaryGrad<AsinOp, dAsin>>(ctx);
  attach<AcosOp, unaryGrad<AcosOp, dAcos>>(ctx);
  attach<AtanOp, unaryGrad<AtanOp, dAtan>>(ctx);
  attach<ClipOp, clipGrad>(ctx);
  attach<ModOp, modGrad>(ctx);
  attach<WhereOp, whereGrad>(ctx);
}

} // namespace strata::gradients
