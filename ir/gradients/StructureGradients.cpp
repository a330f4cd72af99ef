//===- StructureGradients.cpp - Gradients of structure ops ----------------===//
//
// parameter / param_value / data_input / constant have no operands: the
// reverse sweep stops at them. A float-to-float cast passes its gradient
// back in the operand's type.
//
//===----------------------------------------------------------------------===//

#include "ir/gradients/GradientBuilder.h"

namespace strata::gradients {

static LogicalResult castGrad(CastOp op, GradientBuilder &g, ArrayRef<Value> dy,
                              SmallVectorImpl<Value> &dx) {
  auto from = op.getInput().getType().getElementType();
  if (!llvm::isa<mlir::FloatType>(from)) {
    dx.push_back({});
    return mlir::success();
  }
  dx.push_back(g.castLike(dy[0], op.getInput()));
  return mlir::success();
}

void attachStructureGradients(mlir::MLIRContext *ctx) {
  attach<CastOp, castGrad>(ctx);
}

} // namespace strata::gradients
