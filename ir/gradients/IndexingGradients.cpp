//===- IndexingGradients.cpp - Gradients of indexing ops ------------------===//
//
// Gathers scatter-add dy into zeros (strata.scatter_elements / scatter_nd
// with reduction "add", so repeated indices accumulate). Scatters pass dy to
// the data where nothing was written and gather it back for the updates;
// with reduction "none" the indices must not repeat (an overwritten
// update's gradient would be 0, which these rules do not model). Integer
// index operands get a null gradient.
//
//===----------------------------------------------------------------------===//

#include "ir/gradients/GradientBuilder.h"

#include "mlir/IR/BuiltinAttributes.h"

namespace strata::gradients {
namespace {

using Dx = SmallVectorImpl<Value>;

mlir::NamedAttribute reduction(GradientBuilder &g, llvm::StringRef r) {
  return g.attr("reduction", g.builder().getStringAttr(r));
}

/// `indices` with a trailing size-1 dimension (ScatterND's index tuples of
/// length 1); null with a recorded failure for a dynamic shape.
Value indexTuples(GradientBuilder &g, Value indices) {
  auto t = llvm::cast<mlir::RankedTensorType>(indices.getType());
  if (!t.hasStaticShape())
    return g.fail("gradient of a gather with dynamically shaped indices is "
                  "not supported");
  llvm::SmallVector<int64_t> shape(t.getShape());
  shape.push_back(1);
  return g.op("reshape", indices, {g.array("shape", shape)});
}

/// gather: with data [pre, d, post] and dy [pre, ind, post], dy is moved to
/// [ind, pre, post], scatter-added along the first axis of data transposed
/// to [d, pre, post], and transposed back.
LogicalResult gatherGrad(GatherOp op, GradientBuilder &g, ArrayRef<Value> dy,
                         Dx &dx) {
  Value data = op.getData(), indices = op.getIndices();
  int64_t r = llvm::cast<mlir::RankedTensorType>(data.getType()).getRank();
  int64_t q = llvm::cast<mlir::RankedTensorType>(indices.getType()).getRank();
  int64_t axis = static_cast<int64_t>(op.getAxis());
  if (axis < 0)
    axis += r;
  llvm::SmallVector<int64_t> dataPerm{axis}, dyPerm;
  for (int64_t i = 0; i < r; ++i)
    if (i != axis)
      dataPerm.push_back(i);
  for (int64_t i = 0; i < q; ++i)
    dyPerm.push_back(axis + i);
  for (int64_t i = 0; i < axis; ++i)
    dyPerm.push_back(i);
  for (int64_t i = axis + q; i < r - 1 + q; ++i)
    dyPerm.push_back(i);
  Value zeros =
      g.zerosLike(g.op("transpose", data, {g.array("perm", dataPerm)}));
  Value updates = g.op("transpose", dy[0], {g.array("perm", dyPerm)});
  Value sum = g.op("scatter_nd", {zeros, indexTuples(g, indices), updates},
                   {reduction(g, "add")});
  llvm::SmallVector<int64_t> inverse(r);
  for (int64_t i = 0; i < r; ++i)
    inverse[dataPerm[i]] = i;
  dx.push_back(g.op("transpose", sum, {g.array("perm", inverse)}));
  dx.push_back({});
  return mlir::success();
}

/// embedding: a gather along the table's rows.
LogicalResult embeddingGrad(EmbeddingOp op, GradientBuilder &g,
                            ArrayRef<Value> dy, Dx &dx) {
  Value table = op.getTable();
  dx.push_back(
      g.op("scatter_nd",
           {g.zerosLike(table), indexTuples(g, op.getIndices()), dy[0]},
           {reduction(g, "add")}));
  dx.push_back({});
  return mlir::success();
}

LogicalResult gatherElementsGrad(GatherElementsOp op, GradientBuilder &g,
                                 ArrayRef<Value> dy, Dx &dx) {
  dx.push_back(g.op("scatter_elements",
                    {g.zerosLike(op.getData()), op.getIndices(), dy[0]},
                    {g.i64("axis", op.getAxis()), reduction(g, "add")}));
  dx.push_back({});
  return mlir::success();
}

LogicalResult gatherNDGrad(GatherNDOp op, GradientBuilder &g,
                           ArrayRef<Value> dy, Dx &dx) {
  if (op.getBatchDims() != 0)
    return op.emitError("gradient of a gather_nd with batch_dims is not "
                        "supported");
  dx.push_back(g.op("scatter_nd",
                    {g.zerosLike(op.getData()), op.getIndices(), dy[0]},
                    {reduction(g, "add")}));
  dx.push_back({});
  return mlir::success();
}

LogicalResult scatterElementsGrad(ScatterElementsOp op, GradientBuilder &g,
                                  ArrayRef<Value> dy, Dx &dx) {
  llvm::StringRef r = op.getReduction();
  if (r != "none" && r != "add")
    return op.emitError("gradient of a scatter_elements with reduction ")
           << r << " is not supported";
  mlir::NamedAttribute axis = g.i64("axis", op.getAxis());
  Value indices = op.getIndices(), updates = op.getUpdates();
  // "none": the written positions of data do not reach the output.
  dx.push_back(r == "add"
                   ? dy[0]
                   : g.op("scatter_elements",
                          {dy[0], indices, g.zerosLike(updates)}, {axis}));
  dx.push_back({});
  dx.push_back(g.op("gather_elements", {dy[0], indices}, {axis}));
  return mlir::success();
}

LogicalResult scatterNDGrad(ScatterNDOp op, GradientBuilder &g,
                            ArrayRef<Value> dy, Dx &dx) {
  llvm::StringRef r = op.getReduction();
  if (r != "none" && r != "add")
    return op.emitError("gradient of a scatter_nd with reduction ")
           << r << " is not supported";
  Value indices = op.getIndices(), updates = op.getUpdates();
  dx.push_back(
      r == "add" ? dy[0]
                 : g.op("scatter_nd", {dy[0], indices, g.zerosLike(updates)}));
  dx.push_back({});
  dx.push_back(g.op("gather_nd", {dy[0], indices}));
  return mlir::success();
}

/// one_hot: d on = sum(dy where hot), d off = sum(dy) - d on.
LogicalResult oneHotGrad(OneHotOp op, GradientBuilder &g, ArrayRef<Value> dy,
                         Dx &dx) {
  Value values = op.getValues();
  auto type = llvm::cast<mlir::RankedTensorType>(values.getType());
  auto element = type.getElementType();
  if (!llvm::isa<mlir::FloatType>(element)) {
    // Integer values are not differentiated (the reverse sweep never asks).
    dx.append({Value(), Value()});
    return mlir::success();
  }
  auto pairType = mlir::RankedTensorType::get({2}, element);
  Value pair =
      g.op("constant", {},
           {g.attr("value",
                   mlir::DenseElementsAttr::get(
                       pairType, llvm::ArrayRef<mlir::Attribute>{
                                     g.builder().getFloatAttr(element, 0),
                                     g.builder().getFloatAttr(element, 1)}))});
  Value hot = g.op("one_hot", {op.getIndices(), pair},
                   {g.i64("depth", op.getDepth()), g.i64("axis", op.getAxis()),
                    g.flag("drop_out_of_range", op.getDropOutOfRange())});
  auto total = [&](Value v) {
    Value s = g.op("reduce_sum", v, {g.flag("keepdims", false)});
    return g.op("reshape", s, {g.array("shape", {1})});
  };
  Value on = total(g.mul(dy[0], hot));
  Value off = g.sub(total(dy[0]), on);
  dx.push_back({});
  dx.push_back(g.op("concat", {off, on}, {g.i64("axis", 0)}));
  return mlir::success();
}

} // namespace

void attachIndexingGradients(mlir::MLIRContext *ctx) {
  attach<GatherOp, gatherGrad>(ctx);
  attach<GatherElementsOp, gatherElementsGrad>(ctx);
  attach<GatherNDOp, gatherNDGrad>(ctx);
  attach<ScatterElementsOp, scatterElementsGrad>(ctx);
  attach<ScatterNDOp, scatterNDGrad>(ctx);
  attach<EmbeddingOp, embeddingGrad>(ctx);
  attach<OneHotOp, oneHotGrad>(ctx);
}

} // namespace strata::gradients
