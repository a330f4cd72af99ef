//===- ReductionGradients.cpp - Gradients of reductions -------------------===//

#include "ir/gradients/GradientBuilder.h"

namespace strata::gradients {
namespace {

using Dx = SmallVectorImpl<Value>;

/// The reduced axes of a reduction over `x` (normalized; all when empty).
template <typename OpTy>
llvm::SmallVector<int64_t> reducedAxes(OpTy op, int64_t rank) {
  llvm::SmallVector<int64_t> axes;
  for (int64_t a : op.getAxes())
    axes.push_back(a < 0 ? a + rank : a);
  if (axes.empty())
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  return axes;
}

/// dy with the reduced axes back as size-1 dimensions, broadcastable to x.
template <typename OpTy> Value keepDims(OpTy op, GradientBuilder &g, Value dy) {
  auto x = llvm::cast<mlir::RankedTensorType>(op.getInput().getType());
  if (op.getKeepdims())
    return dy;
  auto axes = reducedAxes(op, x.getRank());
  llvm::SmallVector<int64_t> shape;
  for (int64_t i = 0; i < x.getRank(); ++i)
    shape.push_back(llvm::is_contained(axes, i) ? 1 : x.getDimSize(i));
  // A dynamic kept size is copied from dy's leading dimension (0).
  for (int64_t i = 0; i < x.getRank(); ++i)
    if (mlir::ShapedType::isDynamic(shape[i])) {
      if (i != 0)
        return g.fail("cannot restore reduced axes around a dynamic size");
      shape[i] = 0;
    }
  return g.op("reshape", dy, {g.array("shape", shape)});
}

/// The number of reduced elements as a scalar of x's type (static sizes: a
/// constant; otherwise counted from x).
template <typename OpTy> Value reducedCount(OpTy op, GradientBuilder &g) {
  Value x = op.getInput();
  auto t = llvm::cast<mlir::RankedTensorType>(x.getType());
  double n = 1;
  for (int64_t a : reducedAxes(op, t.getRank())) {
    if (t.isDynamicDim(a)) {
      Value ones = g.add(g.zerosLike(x), g.scalar(x, 1));
      return g.op("reduce_sum", ones,
                  {g.array("axes", reducedAxes(op, t.getRank())),
                   g.flag("keepdims", true)});
    }
    n *= static_cast<double>(t.getDimSize(a));
  }
  return g.scalar(x, n);
}

template <typename OpTy>
LogicalResult guardNoop(OpTy op, GradientBuilder &g, ArrayRef<Value> dy,
                        Dx &dx) {
  // noop_with_empty_axes and no axes: the identity.
  dx.push_back(dy[0]);
  return mlir::success();
}

LogicalResult reduceSumGrad(ReduceSumOp op, GradientBuilder &g,
                            ArrayRef<Value> dy, Dx &dx) {
  if (op.getNoopWithEmptyAxes() && op.getAxes().empty())
    return guardNoop(op, g, dy, dx);
  Value x = op.getInput();
  dx.push_back(g.add(g.zerosLike(x), keepDims(op, g, dy[0])));
  return mlir::success();
}

LogicalResult reduceMeanGrad(ReduceMeanOp op, GradientBuilder &g,
                             ArrayRef<Value> dy, Dx &dx) {
  if (op.getNoopWithEmptyAxes() && op.getAxes().empty())
    return guardNoop(op, g, dy, dx);
  Value x = op.getInput();
  dx.push_back(g.div(g.add(g.zerosLike(x), keepDims(op, g, dy[0])),
                     reducedCount(op, g)));
  return mlir::success();
}

LogicalResult reduceSumSquareGrad(ReduceSumSquareOp op, GradientBuilder &g,
                                  ArrayRef<Value> dy, Dx &dx) {
  if (op.getNoopWithEmptyAxes() && op.getAxes().empty()) {
    // The identity of x^2.
    dx.push_back(g.mul(dy[0], g.scale(op.getInput(), 2)));
    return mlir::success();
  }
  Value x = op.getInput();
  dx.push_back(g.mul(keepDims(op, g, dy[0]), g.scale(x, 2)));
  return mlir::success();
}

/// reduce_max / reduce_min: dy goes to the positions equal to the
/// extremum. Tie rule: tied positions share it equally (each gets
/// dy / #ties), so the gradient sums to dy whatever the ties.
template <typename OpTy>
LogicalResult extremumGrad(OpTy op, GradientBuilder &g, ArrayRef<Value> dy,
                           Dx &dx) {
  if (op.getNoopWithEmptyAxes() && op.getAxes().empty())
    return guardNoop(op, g, dy, dx);
  Value x = op.getInput();
  int64_t rank = llvm::cast<mlir::RankedTensorType>(x.getType()).getRank();
  Value y = keepDims(op, g, op.getOutput());
  Value mask = g.select01(g.op("equal", {x, y}), x);
  Value ties =
      g.op("reduce_sum", mask,
           {g.array("axes", reducedAxes(op, rank)), g.flag("keepdims", true)});
  dx.push_back(g.mul(mask, g.div(keepDims(op, g, dy[0]), ties)));
  return mlir::success();
}

/// A reduction whose gradient is keepDims(dy) * d(op, x, keepDims(y)).
template <typename OpTy, Value (*derivative)(GradientBuilder &, Value, Value)>
LogicalResult pointwiseGrad(OpTy op, GradientBuilder &g, ArrayRef<Value> dy,
                            Dx &dx) {
  if (op.getNoopWithEmptyAxes() && op.getAxes().empty())
    return guardNoop(op, g, dy, dx);
  Value x = op.getInput();
  Value y = keepDims(op, g, op.getOutput());
  dx.push_back(g.mul(keepDims(op, g, dy[0]), derivative(g, x, y)));
  return mlir::success();
}

// reduce_prod: y / x (the inputs must be nonzero).
Value dProd(GradientBuilder &g, Value x, Value y) { return g.div(y, x); }
Value dL1(GradientBuilder &g, Value x, Value) { return g.op("sign", x); }
Value dL2(GradientBuilder &g, Value x, Value y) { return g.div(x, y); }
// y = log(sum x): 1 / sum x = exp(-y), broadcast to x.
Value dLogSum(GradientBuilder &g, Value x, Value y) {
  return g.add(g.zerosLike(x), g.op("exp", g.neg(y)));
}
Value dLogSumExp(GradientBuilder &g, Value x, Value y) {
  return g.op("exp", g.sub(x, y));
}

/// cumsum: the transposed running sum, i.e. a cumsum in the other direction
/// with the same exclusivity.
LogicalResult cumSumGrad(CumSumOp op, GradientBuilder &g, ArrayRef<Value> dy,
                         Dx &dx) {
  dx.push_back(
      g.op("cumsum", dy[0],
           {g.i64("axis", op.getAxis()), g.flag("exclusive", op.getExclusive()),
            g.flag("reverse", !op.getReverse())}));
  return mlir::success();
}

/// cumprod: dx_j = sum over the outputs y_i containing x_j of dy_i y_i / x_j,
/// a cumsum of dy * y in the other direction divided by x (the inputs must
/// be nonzero).
LogicalResult cumProdGrad(CumProdOp op, GradientBuilder &g, ArrayRef<Value> dy,
                          Dx &dx) {
  Value s =
      g.op("cumsum", g.mul(dy[0], op.getOutput()),
           {g.i64("axis", op.getAxis()), g.flag("exclusive", op.getExclusive()),
            g.flag("reverse", !op.getReverse())});
  dx.push_back(g.div(s, op.getInput()));
  return mlir::success();
}

} // namespace

void attachReductionGradients(mlir::MLIRContext *ctx) {
  attach<ReduceSumOp, reduceSumGrad>(ctx);
  attach<ReduceMeanOp, reduceMeanGrad>(ctx);
  attach<ReduceSumSquareOp, reduceSumSquareGrad>(ctx);
  attach<ReduceMaxOp, extremumGrad<ReduceMaxOp>>(ctx);
  attach<ReduceMinOp, extremumGrad<ReduceMinOp>>(ctx);
  attach<ReduceProdOp, pointwiseGrad<ReduceProdOp, dProd>>(ctx);
  attach<ReduceL1Op, pointwiseGrad<ReduceL1Op, dL1>>(ctx);
  attach<ReduceL2Op, pointwiseGrad<ReduceL2Op, dL2>>(ctx);
  attach<ReduceLogSumOp, pointwiseGrad<ReduceLogSumOp, dLogSum>>(ctx);
  attach<ReduceLogSumExpOp, pointwiseGrad<ReduceLogSumExpOp, dLogSumExp>>(ctx);
  attach<CumSumOp, cumSumGrad>(ctx);
  attach<CumProdOp, cumProdGrad>(ctx);
}

} // namespace strata::gradients
