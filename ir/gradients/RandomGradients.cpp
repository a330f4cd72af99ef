//===- RandomGradients.cpp - Gradients of random ops ----------------------===//
//
// Only dropout is differentiable: its output is linear in x given the mask
// it returns. The sampling ops (bernoulli_sample, gaussian_sample,
// random_uniform, random_normal) get no gradient rule; the RNG state is an
// integer tensor and never differentiated.
//
//===----------------------------------------------------------------------===//

#include "ir/gradients/GradientBuilder.h"

namespace strata::gradients {
namespace {

using Dx = SmallVectorImpl<Value>;

LogicalResult dropoutGrad(DropoutOp op, GradientBuilder &g, ArrayRef<Value> dy,
                          Dx &dx) {
  // output = x . mask / (1 - ratio), with the op's own mask result.
  if (!dy[0]) {
    dx.assign(op->getNumOperands(), Value());
    return mlir::success();
  }
  Value x = op.getX();
  double keep = 1.0 - op.getRatio().convertToDouble();
  Value scaledMask = g.scale(g.select01(op.getMask(), x), 1.0 / keep);
  dx.push_back(g.mul(dy[0], scaledMask));
  dx.push_back({}); // rng
  return mlir::success();
}

} // namespace

void attachRandomGradients(mlir::MLIRContext *ctx) {
  attach<DropoutOp, dropoutGrad>(ctx);
}

} // namespace strata::gradients
