//===- LossGradients.cpp - Gradients of losses ----------------------------===//

#include "ir/gradients/GradientBuilder.h"

namespace strata::gradients {
namespace {

using Dx = SmallVectorImpl<Value>;

/// 1 / N for the batch size N = dim 0 of `x` (counted when dynamic).
Value inverseBatch(GradientBuilder &g, Value x) {
  auto t = llvm::cast<mlir::RankedTensorType>(x.getType());
  if (!t.isDynamicDim(0))
    return g.scalar(x, 1.0 / static_cast<double>(t.getDimSize(0)));
  Value ones = g.add(g.zerosLike(x), g.scalar(x, 1));
  llvm::SmallVector<int64_t> starts(t.getRank(), 0), ends(t.getRank(), 1);
  ends[0] = std::numeric_limits<int64_t>::max();
  Value column =
      g.op("slice", ones, {g.array("starts", starts), g.array("ends", ends)});
  Value n = g.op("reduce_sum", column, {g.flag("keepdims", false)});
  return g.op("reciprocal", n);
}

LogicalResult softmaxCrossEntropyGrad(SoftmaxCrossEntropyOp op,
                                      GradientBuilder &g, ArrayRef<Value> dy,
                                      Dx &dx) {
  // d loss / d logits = scale / N (softmax(logits) - onehot(labels)).
  Value logits = op.getLogits();
  auto t = op.getLogits().getType();
  if (t.isDynamicDim(1))
    return op.emitError("gradient needs a static class count");
  Value p = g.op("softmax", logits, {g.i64("axis", 1)});
  auto element = t.getElementType();
  auto valuesType = mlir::RankedTensorType::get({2}, element);
  Value values =
      g.op("constant", {},
           {g.attr("value", mlir::DenseElementsAttr::get(
                                valuesType,
                                llvm::ArrayRef<mlir::Attribute>{
                                    g.builder().getFloatAttr(element, 0),
                                    g.builder().getFloatAttr(element, 1)}))});
  Value onehot = g.op("one_hot", {op.getLabels(), values},
                      {g.i64("depth", t.getDimSize(1)), g.i64("axis", -1)});
  Value scale = g.mul(
      g.scale(inverseBatch(g, logits), op.getScale().convertToDouble()), dy[0]);
  dx.push_back(g.mul(g.sub(p, onehot), scale));
  dx.push_back({}); // labels
  return mlir::success();
}

LogicalResult euclideanLossGrad(EuclideanLossOp op, GradientBuilder &g,
                                ArrayRef<Value> dy, Dx &dx) {
  // loss = 0.5 sum (a - b)^2 / N: d/da = (a - b) / N, d/db = -(a - b) / N.
  Value diff = g.sub(op.getA(), op.getB());
  Value da = g.mul(diff, g.mul(inverseBatch(g, op.getA()), dy[0]));
  dx.push_back(da);
  dx.push_back(g.neg(da));
  return mlir::success();
}

LogicalResult topKGrad(TopKOp op, GradientBuilder &g, ArrayRef<Value> dy,
                       Dx &dx) {
  // The values' gradient goes back to the selected positions (distinct along
  // the axis); the indices are not differentiable.
  Value x = op.getX();
  if (!dy[0] ||
      !llvm::isa<mlir::FloatType>(op.getX().getType().getElementType())) {
    dx.push_back({});
    return mlir::success();
  }
  int64_t rank = op.getX().getType().getRank();
  int64_t axis = op.getAxis();
  if (axis < 0)
    axis += rank;
  dx.push_back(g.op("scatter_elements",
                    {g.zerosLike(x), op.getIndices(), g.castLike(dy[0], x)},
                    {g.i64("axis", axis),
                     g.attr("reduction", g.builder().getStringAttr("add"))}));
  return mlir::success();
}

} // namespace

void attachLossGradients(mlir::MLIRContext *ctx) {
  attach<SoftmaxCrossEntropyOp, softmaxCrossEntropyGrad>(ctx);
  attach<EuclideanLossOp, euclideanLossGrad>(ctx);
  attach<TopKOp, topKGrad>(ctx);
}

} // namespace strata::gradients
