//===- ActivationOps.cpp - Activation ops: verifiers, type inference ------===//
//
// Elementwise activations keep the input type (rule in ActivationOps.td);
// softmax-like ops check their axis, prelu its slope's broadcast.
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"

using namespace mlir;
using namespace strata;

/// Softmax and log_softmax: the input type, once `axis` is in range.
static LogicalResult inferSoftmaxResult(std::optional<Location> loc,
                                        StringRef opName, Type input,
                                        int64_t axis,
                                        SmallVectorImpl<Type> &types) {
  auto type = cast<RankedTensorType>(input);
  if (!normalizeAxis(axis, type.getRank()))
    return emitShapeError(loc, "'strata." + opName + "' axis " + Twine(axis) +
                                   " is out of range for rank " +
                                   Twine(type.getRank()));
  types.push_back(type);
  return success();
}

#define GET_OP_CLASSES
#include "ir/ops/ActivationOps.cpp.inc"

LogicalResult CeluOp::verify() {
  if (getAlpha().isZero())
    return emitOpError("alpha must be nonzero");
  return success();
}

LogicalResult PReluOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  auto x = cast<RankedTensorType>(adaptor.getInput().getType());
  auto slope = cast<RankedTensorType>(adaptor.getSlope().getType());
  if (x.getElementType() != slope.getElementType())
    return emitShapeError(
        loc, "'strata.prelu' input and slope have different element types");
  // Unidirectional: slope's sizes, right-aligned, are 1 or x's. A dynamic size
  // on either side may match at run time.
  bool ok = slope.getRank() <= x.getRank();
  for (int64_t i = 0; ok && i < slope.getRank(); ++i) {
    int64_t s = slope.getDimSize(slope.getRank() - 1 - i);
    int64_t d = x.getDimSize(x.getRank() - 1 - i);
    ok = s == 1 || s == d || ShapedType::isDynamic(s) ||
         ShapedType::isDynamic(d);
  }
  if (!ok)
    return emitShapeError(loc, "'strata.prelu' slope shape " +
                                   formatShape(slope.getShape()) +
                                   " does not broadcast to input shape " +
                                   formatShape(x.getShape()));
  types.push_back(x);
  return success();
}
