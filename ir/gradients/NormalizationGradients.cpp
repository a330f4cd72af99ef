//===- NormalizationGradients.cpp - Gradients of normalizations ----------===//
//
// With xhat = (x - mean) * inv, inv = 1 / sqrt(var + eps), statistics over a
// set of R elements, and g = dL/dxhat:
//
//   dx = inv * (g - mean(g) - xhat * mean(g * xhat))
//
// (the gradient through the batch / layer / instance / group statistics).
// Scale and bias gradients sum dy * xhat and dy over what they broadcast
// over. batch_norm (inference) has constant statistics: its mean and
// variance operands get gradients too. batch_norm_train also takes the
// gradients of its running-statistics and batch-statistics results into
// account. lp_normalization: dx = (dy - s * sum(dy * y)) / norm along the
// axis, s = y (p = 2) or sign(x) (p = 1); at an all-zero vector (where the
// op returns zeros) the gradient is not defined and evaluates to inf / NaN.
//
//===----------------------------------------------------------------------===//

#include "ir/gradients/GradientBuilder.h"

namespace strata::gradients {
namespace {

using Dx = SmallVectorImpl<Value>;
using llvm::SmallVector;

static LogicalResult needStatic(GradientBuilder &g) {
  g.fail("gradient needs a static input shape");
  return mlir::failure();
}

static int64_t rankOf(Value v) {
  return llvm::cast<mlir::RankedTensorType>(v.getType()).getRank();
}

/// [C] -> [1, C, 1, ...] of rank `rank`.
static Value perChannel(GradientBuilder &g, Value p, int64_t rank) {
  if (!p)
    return {};
  SmallVector<int64_t> shape(rank, 1);
  shape[1] = -1;
  return g.op("reshape", p, {g.array("shape", shape)});
}

static Value reduce(GradientBuilder &g, llvm::StringRef name, Value v,
                    ArrayRef<int64_t> axes, bool keepdims) {
  return g.op(name, v, {g.array("axes", axes), g.flag("keepdims", keepdims)});
}

static SmallVector<int64_t> allButChannels(int64_t rank) {
  SmallVector<int64_t> axes = {0};
  for (int64_t i = 2; i < rank; ++i)
    axes.push_back(i);
  return axes;
}

/// xhat and inv of `x` normalized over `axes` (kept dims).
static void normalize(GradientBuilder &g, Value x, ArrayRef<int64_t> axes,
                      double eps, Value &xhat, Value &inv) {
  Value xc = g.sub(x, reduce(g, "reduce_mean", x, axes, true));
  Value var = reduce(g, "reduce_mean", g.mul(xc, xc), axes, true);
  inv = g.op("rsqrt", g.add(var, g.scalar(x, eps)));
  xhat = g.mul(xc, inv);
}

/// dx from dL/dxhat `gx` through statistics over `axes`.
static Value normBackward(GradientBuilder &g, Value gx, Value xhat, Value inv,
                          ArrayRef<int64_t> axes) {
  Value m = reduce(g, "reduce_mean", gx, axes, true);
  Value mx = reduce(g, "reduce_mean", g.mul(gx, xhat), axes, true);
  return g.mul(inv, g.sub(g.sub(gx, m), g.mul(xhat, mx)));
}

LogicalResult batchNormGrad(BatchNormOp op, GradientBuilder &g,
                            ArrayRef<Value> dy, Dx &dx) {
  Value x = op.getInput(), scale = op.getScale();
  int64_t rank = rankOf(x);
  SmallVector<int64_t> axes = allButChannels(rank);
  double eps = op.getEpsilon().convertToDouble();
  Value inv = g.op("rsqrt", g.add(op.getVariance(), g.scalar(x, eps))); // [C]
  Value si = g.mul(scale, inv);
  Value xc = g.sub(x, perChannel(g, op.getMean(), rank));
  Value sdy = reduce(g, "reduce_sum", dy[0], axes, false);
  Value sdyx = reduce(g, "reduce_sum", g.mul(dy[0], xc), axes, false);
  dx.push_back(g.mul(dy[0], perChannel(g, si, rank)));
  dx.push_back(g.mul(sdyx, inv));
  dx.push_back(sdy);
  dx.push_back(g.neg(g.mul(sdy, si)));
  // d/dvar of (var + eps)^-1/2 = -1/2 inv^3.
  dx.push_back(
      g.mul(g.scale(g.mul(sdyx, scale), -0.5), g.mul(inv, g.mul(inv, inv))));
  return mlir::success();
}

static Value accumulate(GradientBuilder &g, Value sum, Value v) {
  return sum ? g.add(sum, v) : v;
}

LogicalResult batchNormTrainGrad(BatchNormTrainOp op, GradientBuilder &g,
                                 ArrayRef<Value> dy, Dx &dx) {
  Value x = op.getInput(), scale = op.getScale();
  auto t = op.getInput().getType();
  if (!t.hasStaticShape())
    return needStatic(g);
  int64_t rank = t.getRank();
  double r = static_cast<double>(t.getNumElements() / t.getDimSize(1));
  SmallVector<int64_t> axes = allButChannels(rank);
  double eps = op.getEpsilon().convertToDouble();
  double momentum = op.getMomentum().convertToDouble();
  Value inv = g.op("rsqrt", g.add(op.getBatchVar(), g.scalar(x, eps))); // [C]
  Value xc = g.sub(x, perChannel(g, op.getBatchMean(), rank));
  // Gradients wrt the batch statistics [C], and the direct part of dx.
  Value dMean, dVar, dxDirect, dScale, dBias;
  if (dy[0]) {
    Value si = g.mul(scale, inv);
    Value sdy = reduce(g, "reduce_sum", dy[0], axes, false);
    Value sdyx = reduce(g, "reduce_sum", g.mul(dy[0], xc), axes, false);
    dxDirect = g.mul(dy[0], perChannel(g, si, rank));
    dScale = g.mul(sdyx, inv);
    dBias = sdy;
    dMean = g.neg(g.mul(sdy, si));
    dVar =
        g.mul(g.scale(g.mul(sdyx, scale), -0.5), g.mul(inv, g.mul(inv, inv)));
  }
  Value dRunningMean, dRunningVar;
  if (dy[1]) {
    dRunningMean = g.scale(dy[1], momentum);
    dMean = accumulate(g, dMean, g.scale(dy[1], 1 - momentum));
  }
  if (dy[2]) {
    dRunningVar = g.scale(dy[2], momentum);
    dVar = accumulate(g, dVar, g.scale(dy[2], 1 - momentum));
  }
  if (dy[3])
    dMean = accumulate(g, dMean, dy[3]);
  if (dy[4])
    dVar = accumulate(g, dVar, dy[4]);
  // mean = sum(x) / R, var = sum((x - mean)^2) / R (d var / d mean = 0).
  Value gx = dxDirect;
  if (dMean)
    gx = accumulate(g, gx, perChannel(g, g.scale(dMean, 1 / r), rank));
  if (dVar)
    gx =
        accumulate(g, gx, g.mul(xc, perChannel(g, g.scale(dVar, 2 / r), rank)));
  dx.push_back(gx);
  dx.push_back(dScale);
  dx.push_back(dBias);
  dx.push_back(dRunningMean);
  dx.push_back(dRunningVar);
  return mlir::success();
}

LogicalResult layerNormGrad(LayerNormOp op, GradientBuilder &g,
                            ArrayRef<Value> dy, Dx &dx) {
  Value x = op.getInput(), scale = op.getScale();
  int64_t rank = rankOf(x);
  int64_t axis = op.getAxis();
  if (axis < 0)
    axis += rank;
  SmallVector<int64_t> axes;
  for (int64_t i = axis; i < rank; ++i)
    axes.push_back(i);
  Value xhat, inv;
  normalize(g, x, axes, op.getEpsilon().convertToDouble(), xhat, inv);
  dx.push_back(normBackward(g, g.mul(dy[0], scale), xhat, inv, axes));
  dx.push_back(g.sumToShape(g.mul(dy[0], xhat), scale));
  if (op.getBias())
    dx.push_back(g.sumToShape(dy[0], op.getBias()));
  return mlir::success();
}

LogicalResult instanceNormGrad(InstanceNormOp op, GradientBuilder &g,
                               ArrayRef<Value> dy, Dx &dx) {
  Value x = op.getInput(), scale = op.getScale();
  int64_t rank = rankOf(x);
  SmallVector<int64_t> sumAxes = allButChannels(rank);
  if (rank == 2) { // y = bias[c]
    dx.push_back(g.zerosLike(x));
    dx.push_back(g.zerosLike(scale));
    dx.push_back(reduce(g, "reduce_sum", dy[0], sumAxes, false));
    return mlir::success();
  }
  SmallVector<int64_t> axes(sumAxes.begin() + 1, sumAxes.end());
  Value xhat, inv;
  normalize(g, x, axes, op.getEpsilon().convertToDouble(), xhat, inv);
  dx.push_back(normBackward(g, g.mul(dy[0], perChannel(g, scale, rank)), xhat,
                            inv, axes));
  dx.push_back(reduce(g, "reduce_sum", g.mul(dy[0], xhat), sumAxes, false));
  dx.push_back(reduce(g, "reduce_sum", dy[0], sumAxes, false));
  return mlir::success();
}

LogicalResult groupNormGrad(GroupNormOp op, GradientBuilder &g,
                            ArrayRef<Value> dy, Dx &dx) {
  Value x = op.getInput(), scale = op.getScale();
  auto t = op.getInput().getType();
  if (!t.hasStaticShape())
    return needStatic(g);
  int64_t rank = t.getRank();
  int64_t groups = static_cast<int64_t>(op.getNumGroups());
  SmallVector<int64_t> grouped = {t.getDimSize(0), groups, -1};
  SmallVector<int64_t> axes = {2};
  Value xhat, inv;
  normalize(g, g.op("reshape", x, {g.array("shape", grouped)}), axes,
            op.getEpsilon().convertToDouble(), xhat, inv);
  Value gx = g.op("reshape", g.mul(dy[0], perChannel(g, scale, rank)),
                  {g.array("shape", grouped)});
  Value dxg = normBackward(g, gx, xhat, inv, axes);
  dx.push_back(g.op("reshape", dxg, {g.array("shape", t.getShape())}));
  Value xhatFull = g.op("reshape", xhat, {g.array("shape", t.getShape())});
  SmallVector<int64_t> sumAxes = allButChannels(rank);
  dx.push_back(reduce(g, "reduce_sum", g.mul(dy[0], xhatFull), sumAxes, false));
  dx.push_back(reduce(g, "reduce_sum", dy[0], sumAxes, false));
  return mlir::success();
}

LogicalResult lpNormalizationGrad(LpNormalizationOp op, GradientBuilder &g,
                                  ArrayRef<Value> dy, Dx &dx) {
  Value x = op.getInput(), y = op.getOutput();
  int64_t axis = op.getAxis();
  if (axis < 0)
    axis += rankOf(x);
  SmallVector<int64_t> axes = {axis};
  Value norm, s;
  if (op.getP() == 1) {
    norm = reduce(g, "reduce_sum", g.op("abs", x), axes, true);
    s = g.op("sign", x);
  } else {
    norm = g.op("sqrt", reduce(g, "reduce_sum", g.mul(x, x), axes, true));
    s = y;
  }
  Value proj = reduce(g, "reduce_sum", g.mul(dy[0], y), axes, true);
  dx.push_back(g.div(g.sub(dy[0], g.mul(s, proj)), norm));
  return mlir::success();
}

} // namespace

void attachNormalizationGradients(mlir::MLIRContext *ctx) {
  attach<BatchNormOp, batchNormGrad>(ctx);
  attach<BatchNormTrainOp, batchNormTrainGrad>(ctx);
  attach<LayerNormOp, layerNormGrad>(ctx);
  attach<InstanceNormOp, instanceNormGrad>(ctx);
  attach<GroupNormOp, groupNormGrad>(ctx);
  attach<LpNormalizationOp, lpNormalizationGrad>(ctx);
}

} // namespace strata::gradients
