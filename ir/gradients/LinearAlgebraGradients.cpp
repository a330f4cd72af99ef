//===- LinearAlgebraGradients.cpp - Gradients of matrix products ----------===//

#include "ir/gradients/GradientBuilder.h"

namespace strata::gradients {
namespace {

using Dx = SmallVectorImpl<Value>;

/// Swaps the last two dimensions.
Value transposeLast(GradientBuilder &g, Value v) {
  int64_t rank = llvm::cast<mlir::RankedTensorType>(v.getType()).getRank();
  llvm::SmallVector<int64_t> perm;
  for (int64_t i = 0; i < rank; ++i)
    perm.push_back(i);
  std::swap(perm[rank - 2], perm[rank - 1]);
  return g.op("transpose", v, {g.array("perm", perm)});
}

LogicalResult matmulGrad(MatMulOp op, GradientBuilder &g, ArrayRef<Value> dy,
                         Dx &dx) {
  Value a = op.getLhs(), b = op.getRhs();
  int64_t ra = op.getLhs().getType().getRank();
  int64_t rb = op.getRhs().getType().getRank();
  if (ra < 2 || rb < 2)
    return op.emitError("gradient of a matmul with a 1-D operand is not "
                        "supported yet (reshape to 2-D)");
  // dA = dY B^T, dB = A^T dY, summed over broadcast batch dimensions.
  dx.push_back(g.sumToShape(g.op("matmul", {dy[0], transposeLast(g, b)}), a));
  dx.push_back(g.sumToShape(g.op("matmul", {transposeLast(g, a), dy[0]}), b));
  return mlir::success();
}

LogicalResult innerProductGrad(InnerProductOp op, GradientBuilder &g,
                               ArrayRef<Value> dy, Dx &dx) {
  // y = x W^T + b (W [M, K]) or x W + b (transpose: W [K, M]).
  Value x = op.getInput(), w = op.getWeight();
  bool t = op.getTranspose();
  dx.push_back(g.op("matmul", {dy[0], t ? transposeLast(g, w) : w}));
  dx.push_back(t ? g.op("matmul", {transposeLast(g, x), dy[0]})
                 : g.op("matmul", {transposeLast(g, dy[0]), x}));
  if (op.getBias())
    dx.push_back(g.op("reduce_sum", dy[0],
                      {g.array("axes", {0}), g.flag("keepdims", false)}));
  return mlir::success();
}

LogicalResult gemmGrad(GemmOp op, GradientBuilder &g, ArrayRef<Value> dy,
                       Dx &dx) {
  // Y = alpha op(A) op(B) + beta C.
  Value a = op.getA(), b = op.getB();
  bool ta = op.getTransA(), tb = op.getTransB();
  double alpha = op.getAlpha().convertToDouble();
  Value d = g.scale(dy[0], alpha);
  Value opB = tb ? transposeLast(g, b) : b;                // [K, N]
  Value opA = ta ? transposeLast(g, a) : a;                // [M, K]
  Value dOpA = g.op("matmul", {d, transposeLast(g, opB)}); // [M, K]
  Value dOpB = g.op("matmul", {transposeLast(g, opA), d}); // [K, N]
  dx.push_back(ta ? transposeLast(g, dOpA) : dOpA);
  dx.push_back(tb ? transposeLast(g, dOpB) : dOpB);
  if (op.getC())
    dx.push_back(g.sumToShape(g.scale(dy[0], op.getBeta().convertToDouble()),
                              op.getC()));
  return mlir::success();
}

} // namespace

void attachLinearAlgebraGradients(mlir::MLIRContext *ctx) {
  attach<MatMulOp, matmulGrad>(ctx);
  attach<InnerProductOp, innerProductGrad>(ctx);
  attach<GemmOp, gemmGrad>(ctx);
}

} // namespace strata::gradients
