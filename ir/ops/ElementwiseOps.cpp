//===- ElementwiseOps.cpp - Elementwise ops: verifiers, type inference ----===//
//
// Most rules live in ElementwiseOps.td (unary: same type; binary: broadcast).
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"

using namespace mlir;
using namespace strata;

#define GET_OP_CLASSES
#include "ir/ops/ElementwiseOps.cpp.inc"

LogicalResult IsNaNOp::inferReturnTypes(MLIRContext *ctx,
                                        std::optional<Location>,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  auto in = cast<RankedTensorType>(adaptor.getInput().getType());
  types.push_back(
      RankedTensorType::get(in.getShape(), IntegerType::get(ctx, 1)));
  return success();
}

LogicalResult ClipOp::inferReturnTypes(MLIRContext *, std::optional<Location>,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  types.push_back(adaptor.getInput().getType());
  return success();
}

LogicalResult ClipOp::verify() {
  if (getMin().convertToDouble() > getMax().convertToDouble())
    return emitOpError("min ")
           << getMin().convertToDouble() << " is greater than max "
           << getMax().convertToDouble();
  return success();
}

LogicalResult WhereOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  auto c = cast<RankedTensorType>(adaptor.getCondition().getType());
  auto l = cast<RankedTensorType>(adaptor.getLhs().getType());
  auto r = cast<RankedTensorType>(adaptor.getRhs().getType());
  if (l.getElementType() != r.getElementType())
    return emitShapeError(
        loc, "'strata.where' value operands have different element types");
  auto shape = broadcastShapes(l.getShape(), r.getShape());
  if (shape)
    shape = broadcastShapes(c.getShape(), *shape);
  if (!shape)
    return emitShapeError(
        loc, "'strata.where' operand shapes " + formatShape(c.getShape()) +
                 ", " + formatShape(l.getShape()) + " and " +
                 formatShape(r.getShape()) + " do not broadcast");
  types.push_back(RankedTensorType::get(*shape, l.getElementType()));
  return success();
}
