//===- RandomOps.cpp - Verifiers and type inference of the Random ops -----===//
//
// A draw has its input's type; the returned state has the state operand's
// type (a `?` state stays `?`: the op does not invent its size).
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"

using namespace mlir;
using namespace strata;

#define GET_OP_CLASSES
#include "ir/ops/RandomOps.cpp.inc"

namespace {

/// Pushes the result types of a draw: `input`'s type, then (for dropout) an
/// i1 mask of its shape, then the state's type.
LogicalResult inferDraw(std::optional<Location> loc, StringRef op, Value input,
                        Value rng, bool withMask,
                        SmallVectorImpl<Type> &types) {
  auto state = cast<RankedTensorType>(rng.getType());
  if (!state.isDynamicDim(0) && state.getDimSize(0) != 2)
    return emitShapeError(loc, "'strata." + op +
                                   "' rng state must have 2 elements [key, "
                                   "counter], got " +
                                   std::to_string(state.getDimSize(0)));
  auto in = cast<RankedTensorType>(input.getType());
  types.push_back(in);
  if (withMask)
    types.push_back(RankedTensorType::get(
        in.getShape(), IntegerType::get(in.getContext(), 1)));
  types.push_back(state);
  return success();
}

} // namespace

LogicalResult
BernoulliSampleOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                    Adaptor adaptor,
                                    SmallVectorImpl<Type> &types) {
  return inferDraw(loc, "bernoulli_sample", adaptor.getP(), adaptor.getRng(),
                   false, types);
}

LogicalResult GaussianSampleOp::inferReturnTypes(MLIRContext *,
                                                 std::optional<Location> loc,
                                                 Adaptor adaptor,
                                                 SmallVectorImpl<Type> &types) {
  return inferDraw(loc, "gaussian_sample", adaptor.getMean(), adaptor.getRng(),
                   false, types);
}

LogicalResult GaussianSampleOp::verify() {
  if (!(getStd().convertToDouble() >= 0))
    return emitOpError("std must be >= 0, got ") << getStd().convertToDouble();
  return success();
}

LogicalResult RandomUniformOp::inferReturnTypes(MLIRContext *,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &types) {
  return inferDraw(loc, "random_uniform", adaptor.getLike(), adaptor.getRng(),
                   false, types);
}

LogicalResult RandomUniformOp::verify() {
  double low = getLow().convertToDouble(), high = getHigh().convertToDouble();
  if (!(low <= high))
    return emitOpError("low ") << low << " is greater than high " << high;
  return success();
}

LogicalResult RandomNormalOp::inferReturnTypes(MLIRContext *,
                                               std::optional<Location> loc,
                                               Adaptor adaptor,
                                               SmallVectorImpl<Type> &types) {
  return inferDraw(loc, "random_normal", adaptor.getLike(), adaptor.getRng(),
                   false, types);
}

LogicalResult RandomNormalOp::verify() {
  if (!(getStd().convertToDouble() >= 0))
    return emitOpError("std must be >= 0, got ") << getStd().convertToDouble();
  return success();
}

LogicalResult DropoutOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  return inferDraw(loc, "dropout", adaptor.getX(), adaptor.getRng(), true,
                   types);
}

LogicalResult DropoutOp::verify() {
  double ratio = getRatio().convertToDouble();
  if (!(ratio >= 0 && ratio < 1))
    return emitOpError("ratio must be in [0, 1), got ") << ratio;
  return success();
}
