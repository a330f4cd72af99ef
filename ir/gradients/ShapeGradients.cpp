//===- ShapeGradients.cpp - Gradients of shape ops ------------------------===//

#include "ir/gradients/GradientBuilder.h"

#include <algorithm>
#include <limits>

namespace strata::gradients {
namespace {

using Dx = SmallVectorImpl<Value>;

LogicalResult reshapeGrad(ReshapeOp op, GradientBuilder &g, ArrayRef<Value> dy,
                          Dx &dx) {
  auto in = op.getInput().getType();
  llvm::SmallVector<int64_t> shape(in.getShape());
  int dynamic = 0;
  for (int64_t &d : shape)
    if (mlir::ShapedType::isDynamic(d)) {
      d = -1;
      ++dynamic;
    }
  if (dynamic > 1)
    return op.emitError("gradient of a reshape from more than one dynamic "
                        "size is not supported");
  dx.push_back(g.op("reshape", dy[0], {g.array("shape", shape)}));
  return mlir::success();
}

LogicalResult transposeGrad(TransposeOp op, GradientBuilder &g,
                            ArrayRef<Value> dy, Dx &dx) {
  int64_t rank = op.getInput().getType().getRank();
  llvm::SmallVector<int64_t> perm;
  if (auto p = op.getPerm())
    perm.assign(p->begin(), p->end());
  else
    for (int64_t i = rank - 1; i >= 0; --i)
      perm.push_back(i);
  llvm::SmallVector<int64_t> inverse(rank);
  for (int64_t i = 0; i < rank; ++i)
    inverse[perm[i]] = i;
  dx.push_back(g.op("transpose", dy[0], {g.array("perm", inverse)}));
  return mlir::success();
}

LogicalResult broadcastToGrad(BroadcastToOp op, GradientBuilder &g,
                              ArrayRef<Value> dy, Dx &dx) {
  dx.push_back(g.sumToShape(dy[0], op.getInput()));
  return mlir::success();
}

/// The static shape of `v`, or a failure message.
static bool staticShape(Value v, llvm::SmallVectorImpl<int64_t> &shape) {
  auto t = llvm::cast<mlir::RankedTensorType>(v.getType());
  if (!t.hasStaticShape())
    return false;
  shape.assign(t.getShape().begin(), t.getShape().end());
  return true;
}

/// concat: dy split back into the inputs' sizes along the axis.
LogicalResult concatGrad(ConcatOp op, GradientBuilder &g, ArrayRef<Value> dy,
                         Dx &dx) {
  auto out = llvm::cast<mlir::RankedTensorType>(op.getOutput().getType());
  int64_t axis = static_cast<int64_t>(op.getAxis());
  if (axis < 0)
    axis += out.getRank();
  llvm::SmallVector<int64_t> sizes;
  for (Value in : op.getInputs()) {
    int64_t d =
        llvm::cast<mlir::RankedTensorType>(in.getType()).getDimSize(axis);
    if (mlir::ShapedType::isDynamic(d))
      return op.emitError("gradient of a concat of a dynamic size along the "
                          "axis is not supported");
    sizes.push_back(d);
  }
  if (sizes.size() == 1) {
    dx.push_back(dy[0]);
    return mlir::success();
  }
  mlir::Operation *split =
      g.create("split", dy[0], {g.i64("axis", axis), g.array("sizes", sizes)},
               sizes.size());
  if (!split)
    return mlir::failure();
  for (Value r : split->getResults())
    dx.push_back(r);
  return mlir::success();
}

/// split: the results' gradients (zeros for an unused one) concatenated.
LogicalResult splitGrad(SplitOp op, GradientBuilder &g, ArrayRef<Value> dy,
                        Dx &dx) {
  llvm::SmallVector<Value> parts;
  for (auto [r, d] : llvm::zip(op.getOutputs(), dy))
    parts.push_back(d ? d : g.zerosLike(r));
  dx.push_back(g.op("concat", parts, {g.i64("axis", op.getAxis())}));
  return mlir::success();
}

/// slice: dy placed back at the sliced positions, zeros elsewhere. Per
/// sliced axis: a negative step is reversed into a positive one; a step s > 1
/// interleaves s - 1 zeros after each element (a size-1 dimension padded to
/// s, then merged); then a constant pad (negative at the end when the last
/// zeros overshoot) places the elements from their first position.
LogicalResult sliceGrad(SliceOp op, GradientBuilder &g, ArrayRef<Value> dy,
                        Dx &dx) {
  Value x = op.getInput();
  llvm::SmallVector<int64_t> shape;
  if (!staticShape(x, shape))
    return op.emitError("gradient of a slice of a dynamic shape is not "
                        "supported");
  int64_t rank = shape.size();
  auto starts = op.getStarts(), ends = op.getEnds();
  llvm::SmallVector<int64_t> axes, steps;
  if (auto a = op.getAxes())
    axes.assign(a->begin(), a->end());
  else
    for (int64_t i = 0; i < static_cast<int64_t>(starts.size()); ++i)
      axes.push_back(i);
  if (auto s = op.getSteps())
    steps.assign(s->begin(), s->end());
  else
    steps.assign(starts.size(), 1);

  Value grad = dy[0];
  llvm::SmallVector<int64_t> cur(
      llvm::cast<mlir::RankedTensorType>(grad.getType()).getShape());
  llvm::SmallVector<int64_t> pads(2 * rank, 0);
  for (size_t k = 0; k < axes.size(); ++k) {
    int64_t axis = axes[k] < 0 ? axes[k] + rank : axes[k];
    int64_t d = shape[axis], step = steps[k];
    int64_t start = starts[k] < 0 ? starts[k] + d : starts[k];
    int64_t end = ends[k] < 0 ? ends[k] + d : ends[k];
    if (step > 0) {
      start = std::clamp<int64_t>(start, 0, d);
      end = std::clamp<int64_t>(end, 0, d);
    } else {
      start = std::clamp<int64_t>(start, 0, d - 1);
      end = std::clamp<int64_t>(end, -1, d - 1);
    }
    int64_t m = cur[axis];
    if (m == 0) {
      dx.push_back(g.zerosLike(x));
      return mlir::success();
    }
    if (step < 0) {
      // Reverse along the axis: the first element sits at the lowest index.
      grad = g.op("slice", grad,
                  {g.array("starts", {-1}),
                   g.array("ends", {std::numeric_limits<int64_t>::min()}),
                   g.array("axes", {axis}), g.array("steps", {-1})});
      start = start + (m - 1) * step;
      step = -step;
    }
    if (step > 1) {
      llvm::SmallVector<int64_t> split(cur);
      split.insert(split.begin() + axis + 1, 1);
      grad = g.op("reshape", grad, {g.array("shape", split)});
      llvm::SmallVector<int64_t> p(2 * (rank + 1), 0);
      p[rank + 1 + axis + 1] = step - 1;
      grad = g.op("pad", grad, {g.array("pads", p)});
      cur[axis] = m * step;
      grad = g.op("reshape", grad, {g.array("shape", cur)});
    }
    pads[axis] = start;
    // The pads apply once, at the end: `cur` stays the shape of `grad`.
    pads[rank + axis] = d - start - cur[axis];
  }
  dx.push_back(g.op("pad", grad, {g.array("pads", pads)}));
  return mlir::success();
}

/// The part [begin, end) of `v` along `axis`, reversed if `reverse`.
Value sliceAxis(GradientBuilder &g, Value v, int64_t axis, int64_t begin,
                int64_t end, bool reverse = false) {
  Value part = g.op("slice", v,
                    {g.array("starts", {begin}), g.array("ends", {end}),
                     g.array("axes", {axis})});
  if (!reverse)
    return part;
  return g.op("slice", part,
              {g.array("starts", {-1}),
               g.array("ends", {std::numeric_limits<int64_t>::min()}),
               g.array("axes", {axis}), g.array("steps", {-1})});
}

/// `v` padded with zeros along `axis`: `before` and `after` elements.
Value padAxis(GradientBuilder &g, Value v, int64_t axis, int64_t rank,
              int64_t before, int64_t after) {
  llvm::SmallVector<int64_t> pads(2 * rank, 0);
  pads[axis] = before;
  pads[rank + axis] = after;
  return g.op("pad", v, {g.array("pads", pads)});
}

/// pad: in constant mode, the negated pads crop dy back (and pad it with
/// zeros where the forward pad cropped). In the other modes (nonnegative
/// pads, static shape; wrap with pads no larger than the size), one
/// dimension at a time: dy's middle part, plus the border parts added back
/// at the positions they read (reflect: mirrored; edge: summed into the
/// edge element; wrap: shifted by the size).
LogicalResult padGrad(PadOp op, GradientBuilder &g, ArrayRef<Value> dy,
                      Dx &dx) {
  if (op.getMode() == PadMode::constant) {
    llvm::SmallVector<int64_t> pads;
    for (int64_t p : op.getPads())
      pads.push_back(-p);
    dx.push_back(g.op("pad", dy[0], {g.array("pads", pads)}));
    return mlir::success();
  }
  llvm::SmallVector<int64_t> shape;
  if (!staticShape(op.getInput(), shape))
    return op.emitError("gradient of a non-constant pad of a dynamic shape "
                        "is not supported");
  int64_t rank = shape.size();
  auto pads = op.getPads();
  Value grad = dy[0];
  for (int64_t k = 0; k < rank; ++k) {
    int64_t b = pads[k], e = pads[rank + k], d = shape[k];
    if (b == 0 && e == 0)
      continue;
    if (b < 0 || e < 0 || (op.getMode() == PadMode::wrap && (b > d || e > d)))
      return op.emitError("gradient of a non-constant pad with negative pads "
                          "(or wrapping more than once) is not supported");
    Value sum = sliceAxis(g, grad, k, b, b + d);
    bool reflect = op.getMode() == PadMode::reflect;
    if (b > 0) {
      Value front = sliceAxis(g, grad, k, 0, b, reflect);
      if (op.getMode() == PadMode::edge)
        front = padAxis(g,
                        g.op("reduce_sum", front,
                             {g.array("axes", {k}), g.flag("keepdims", true)}),
                        k, rank, 0, d - 1);
      else if (reflect) // reads b, b - 1, ..., 1
        front = padAxis(g, front, k, rank, 1, d - 1 - b);
      else // wrap: reads d - b, ..., d - 1
        front = padAxis(g, front, k, rank, d - b, 0);
      sum = g.add(sum, front);
    }
    if (e > 0) {
      Value back = sliceAxis(g, grad, k, b + d, b + d + e, reflect);
      if (op.getMode() == PadMode::edge)
        back = padAxis(g,
                       g.op("reduce_sum", back,
                            {g.array("axes", {k}), g.flag("keepdims", true)}),
                       k, rank, d - 1, 0);
      else if (reflect) // reads d - 1 - e, ..., d - 2
        back = padAxis(g, back, k, rank, d - 1 - e, 1);
      else // wrap: reads 0, ..., e - 1
        back = padAxis(g, back, k, rank, 0, d - e);
      sum = g.add(sum, back);
    }
    grad = sum;
  }
  dx.push_back(grad);
  return mlir::success();
}

/// tile: dy as [r_0, d_0, r_1, d_1, ...] summed over the repeats.
LogicalResult tileGrad(TileOp op, GradientBuilder &g, ArrayRef<Value> dy,
                       Dx &dx) {
  llvm::SmallVector<int64_t> shape;
  if (!staticShape(op.getInput(), shape))
    return op.emitError("gradient of a tile of a dynamic shape is not "
                        "supported");
  llvm::SmallVector<int64_t> split, axes;
  for (auto [d, r] : llvm::zip(shape, op.getRepeats())) {
    axes.push_back(split.size());
    split.push_back(r);
    split.push_back(d);
  }
  Value grad = g.op("reshape", dy[0], {g.array("shape", split)});
  grad = g.op("reduce_sum", grad,
              {g.array("axes", axes), g.flag("keepdims", false),
               g.flag("noop_with_empty_axes", true)});
  dx.push_back(g.op("reshape", grad, {g.array("shape", shape)}));
  return mlir::success();
}

/// depth_to_space: the inverse permutation of dy's elements. With
/// C' = C / b^2, the forward pass views the input as [N, b, b, C', H, W]
/// (DCR) or [N, C', b, b, H, W] (CRD) and the output as [N, C', H, b, W, b].
LogicalResult depthToSpaceGrad(DepthToSpaceOp op, GradientBuilder &g,
                               ArrayRef<Value> dy, Dx &dx) {
  llvm::SmallVector<int64_t> shape;
  if (!staticShape(op.getInput(), shape))
    return op.emitError("gradient of a depth_to_space of a dynamic shape is "
                        "not supported");
  int64_t b = op.getBlocksize(), n = shape[0], c = shape[1] / (b * b),
          h = shape[2], w = shape[3];
  bool dcr = op.getMode() != "CRD";
  Value grad = g.op("reshape", dy[0], {g.array("shape", {n, c, h, b, w, b})});
  // Output axes (n, c, h, i, w, j) back to the input view's order.
  llvm::SmallVector<int64_t> perm =
      dcr ? llvm::SmallVector<int64_t>{0, 3, 5, 1, 2, 4}
          : llvm::SmallVector<int64_t>{0, 1, 3, 5, 2, 4};
  grad = g.op("transpose", grad, {g.array("perm", perm)});
  dx.push_back(g.op("reshape", grad, {g.array("shape", shape)}));
  return mlir::success();
}

/// space_to_depth: its inverse, depth_to_space in DCR mode.
LogicalResult spaceToDepthGrad(SpaceToDepthOp op, GradientBuilder &g,
                               ArrayRef<Value> dy, Dx &dx) {
  dx.push_back(g.op("depth_to_space", dy[0],
                    {g.i64("blocksize", op.getBlocksize()),
                     g.attr("mode", g.builder().getStringAttr("DCR"))}));
  return mlir::success();
}

} // namespace

void attachShapeGradients(mlir::MLIRContext *ctx) {
  attach<ReshapeOp, reshapeGrad>(ctx);
  attach<TransposeOp, transposeGrad>(ctx);
  attach<BroadcastToOp, broadcastToGrad>(ctx);
  attach<ConcatOp, concatGrad>(ctx);
  attach<SplitOp, splitGrad>(ctx);
  attach<SliceOp, sliceGrad>(ctx);
  attach<PadOp, padGrad>(ctx);
  attach<TileOp, tileGrad>(ctx);
  attach<DepthToSpaceOp, depthToSpaceGrad>(ctx);
  attach<SpaceToDepthOp, spaceToDepthGrad>(ctx);
}

} // namespace strata::gradients
