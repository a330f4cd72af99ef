//===- ShapeGradients.cpp - Gradients of shape ops ------------------------===//

#include "ir/gradients/GradientBuilder.h"

namespace strata::gradients {
namespace {

using Dx = SmallVectorImpl<Value>;

LogicalResult reshapeGrad(ReshapeOp op, GradientBuilder &g, ArrayRef<Value> dy,
                          Dx &dx) {
  auto in = op.getInput().getType();
  llvm::SmallVector<int64_t> shape(in.getShape());
  int dynamic = 0;
  for (int64_t &d : shape)
    if (mlir::ShapedType::isDynamic(d)) {
      d = -1;
      ++dynamic;
    }
  if (dynamic > 1)
    return op.emitError("gradient of a reshape from more than one dynamic "
                        "size is not supported");
  dx.push_back(g.op("reshape", dy[0], {g.array("shape", shape)}));
  return mlir::success();
}

LogicalResult transposeGrad(TransposeOp op, GradientBuilder &g,
                            ArrayRef<Value> dy, Dx &dx) {
  int64_t rank = op.getInput().getType().getRank();
  llvm::SmallVector<int64_t> perm;
  if (auto p = op.getPerm())
    perm.assign(p->begin(), p->end());
  else
    for (int64_t i = rank - 1; i >= 0; --i)
      perm.push_back(i);
  llvm::SmallVector<int64_t> inverse(rank);
  for (int64_t i = 0; i < rank; ++i)
    inverse[perm[i]] = i;
  dx.push_back(g.op("transpose", dy[0], {g.array("perm", inverse)}));
  return mlir::success();
}

LogicalResult broadcastToGrad(BroadcastToOp op, GradientBuilder &g,
                              ArrayRef<Value> dy, Dx &dx) {
  dx.push_back(g.sumToShape(dy[0], op.getInput()));
  return mlir::success();
}

} // namespace

void attachShapeGradients(mlir::MLIRContext *ctx) {
  attach<ReshapeOp, reshapeGrad>(ctx);
  attach<TransposeOp, transposeGrad>(ctx);
  attach<BroadcastToOp, broadcastToGrad>(ctx);
}

} // namespace strata::gradients
