//===- LossOps.cpp - Verifiers and type inference of the Loss ops ---------===//

#include "ir/StrataDialect.h"

using namespace mlir;
using namespace strata;

#define GET_OP_CLASSES
#include "ir/ops/LossOps.cpp.inc"

namespace {

std::string sizeString(int64_t d) {
  return ShapedType::isDynamic(d) ? "?" : std::to_string(d);
}

/// Checks logits [N, C] and labels [N] of a classification op.
LogicalResult checkClassification(std::optional<Location> loc, StringRef op,
                                  Value logits, Value labels) {
  auto l = cast<RankedTensorType>(logits.getType());
  auto y = cast<RankedTensorType>(labels.getType());
  if (l.getRank() != 2)
    return emitShapeError(loc, "'strata." + op +
                                   "' logits must be 2-D [N, C], got shape " +
                                   formatShape(l.getShape()));
  if (y.getRank() != 1)
    return emitShapeError(loc, "'strata." + op +
                                   "' labels must be 1-D [N], got shape " +
                                   formatShape(y.getShape()));
  int64_t n = l.getDimSize(0), m = y.getDimSize(0);
  if (!ShapedType::isDynamic(n) && !ShapedType::isDynamic(m) && n != m)
    return emitShapeError(loc, "'strata." + op + "' batch sizes disagree: " +
                                   "logits have N = " + sizeString(n) +
                                   ", labels have N = " + sizeString(m));
  return success();
}

/// The result shape of top_k / argsort: `x`'s shape with the axis size
/// replaced by `k` (when given). Reports a bad axis.
LogicalResult inferAlongAxis(std::optional<Location> loc, StringRef op,
                             RankedTensorType x, int64_t axis,
                             std::optional<int64_t> k,
                             SmallVectorImpl<int64_t> &shape) {
  auto a = normalizeAxis(axis, x.getRank());
  if (!a)
    return emitShapeError(
        loc, "'strata." + op + "' axis " + std::to_string(axis) +
                 " is out of range for rank " + std::to_string(x.getRank()));
  shape.assign(x.getShape().begin(), x.getShape().end());
  if (!k)
    return success();
  if (*k < 1)
    return emitShapeError(loc, "'strata." + op + "' k must be >= 1, got " +
                                   std::to_string(*k));
  if (!x.isDynamicDim(*a) && x.getDimSize(*a) < *k)
    return emitShapeError(loc, "'strata." + op + "' k = " + std::to_string(*k) +
                                   " exceeds the size " +
                                   std::to_string(x.getDimSize(*a)) +
                                   " of axis " + std::to_string(*a));
  shape[*a] = *k;
  return success();
}

} // namespace

LogicalResult SoftmaxCrossEntropyOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  if (failed(checkClassification(loc, "softmax_cross_entropy",
                                 adaptor.getLogits(), adaptor.getLabels())))
    return failure();
  auto l = cast<RankedTensorType>(adaptor.getLogits().getType());
  types.push_back(RankedTensorType::get({}, l.getElementType()));
  return success();
}

LogicalResult EuclideanLossOp::inferReturnTypes(MLIRContext *,
                                                std::optional<Location> loc,
                                                Adaptor adaptor,
                                                SmallVectorImpl<Type> &types) {
  auto a = cast<RankedTensorType>(adaptor.getA().getType());
  auto b = cast<RankedTensorType>(adaptor.getB().getType());
  if (a.getElementType() != b.getElementType())
    return emitShapeError(
        loc, "'strata.euclidean_loss' operands have different element types");
  if (a.getRank() < 1)
    return emitShapeError(loc, "'strata.euclidean_loss' operands must have "
                               "rank >= 1 ([N, ...]), got rank 0");
  bool same = a.getRank() == b.getRank();
  for (int64_t i = 0; same && i < a.getRank(); ++i)
    same = a.isDynamicDim(i) || b.isDynamicDim(i) ||
           a.getDimSize(i) == b.getDimSize(i);
  if (!same)
    return emitShapeError(loc, "'strata.euclidean_loss' operand shapes " +
                                   formatShape(a.getShape()) + " and " +
                                   formatShape(b.getShape()) + " differ");
  types.push_back(RankedTensorType::get({}, a.getElementType()));
  return success();
}

LogicalResult AccuracyOp::inferReturnTypes(MLIRContext *ctx,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  if (failed(checkClassification(loc, "accuracy", adaptor.getLogits(),
                                 adaptor.getLabels())))
    return failure();
  int64_t k = adaptor.getTopK();
  if (k < 1)
    return emitShapeError(loc, "'strata.accuracy' top_k must be >= 1, got " +
                                   std::to_string(k));
  auto l = cast<RankedTensorType>(adaptor.getLogits().getType());
  if (!l.isDynamicDim(1) && l.getDimSize(1) < k)
    return emitShapeError(loc,
                          "'strata.accuracy' top_k = " + std::to_string(k) +
                              " exceeds the number of classes " +
                              std::to_string(l.getDimSize(1)));
  types.push_back(RankedTensorType::get({}, Float32Type::get(ctx)));
  return success();
}

LogicalResult TopKOp::inferReturnTypes(MLIRContext *ctx,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  auto x = cast<RankedTensorType>(adaptor.getX().getType());
  SmallVector<int64_t> shape;
  if (failed(inferAlongAxis(loc, "top_k", x, adaptor.getAxis(), adaptor.getK(),
                            shape)))
    return failure();
  types.push_back(RankedTensorType::get(shape, x.getElementType()));
  types.push_back(RankedTensorType::get(shape, IntegerType::get(ctx, 64)));
  return success();
}

LogicalResult ArgSortOp::inferReturnTypes(MLIRContext *ctx,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  auto x = cast<RankedTensorType>(adaptor.getX().getType());
  SmallVector<int64_t> shape;
  if (failed(inferAlongAxis(loc, "argsort", x, adaptor.getAxis(), std::nullopt,
                            shape)))
    return failure();
  types.push_back(RankedTensorType::get(shape, IntegerType::get(ctx, 64)));
  return success();
}
