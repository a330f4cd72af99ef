//===- ConvolutionGradients.cpp - Gradients of convolutions and pools -----===//
//
// The rules built from convolutions need static shapes (the window geometry
// is resolved at compile time with getWindowGeometry, auto_pad included).
//
// * conv: dx is a conv_transpose of dy with the same weight, strides,
//   dilations, begin pads and groups, cropped / zero-extended at the end to
//   the input size; dw is, per group, a conv of the input with the output
//   gradient with batch and channel swapped (transposes): strides and
//   dilations exchange roles; db sums dy over all dims but 1.
// * conv_transpose: dx is a conv of dy with the same weight and geometry;
//   dw is the conv weight gradient with input and output exchanged.
// * avg_pool: dy divided by each window's divisor (a constant computed from
//   the geometry), scattered back by a depthwise conv_transpose with a
//   kernel of ones.
// * max_pool: for each kernel offset j (row-major), the input under offset j
//   of every window is extracted by a depthwise conv with a one-hot kernel;
//   where it equals the pooled maximum (and is not padding) and no earlier
//   offset of that window was picked, dy is routed back by a conv_transpose
//   with the same one-hot kernel. Ties thus give the whole gradient to the
//   first maximal position of the window in row-major kernel order (the
//   argmax of ONNX MaxPool's Indices / PyTorch).
// * global_avg_pool: dy / (D1 * ... * Ds) broadcast; global_max_pool: dy
//   split evenly among the positions equal to the maximum (ties share).
// * lrn: with B = bias + alpha / size * S, S the channel-window sum of x^2,
//   dx = dy B^-beta - 2 alpha beta / size * x * S'(dy x B^(-beta-1)), S' the
//   window sum with the window mirrored; window sums are convs with a kernel
//   of ones along the channel dim.
//
// * col2im: per block offset, a depthwise conv of dy with a one-hot kernel
//   (im2col), stacked into the column layout.
//
// The max_pool and col2im extraction convs multiply the other window
// positions by 0, so an infinite input there gives NaN gradients.
//
// * grid_sample, roi_align, deform_conv: their gradients scatter-add to
//   data-dependent (sampled) positions and differentiate the sampling
//   coordinates, which no composition of the other ops expresses, so each
//   has a gradient op (grid_sample_grad, roi_align_grad, deform_conv_grad,
//   ConvolutionOps.td) whose reference kernel is the exact adjoint of the
//   forward kernel; deform_conv's bias gradient sums dy over all dims but 1.
//   These rules work with dynamic shapes too. The gradient ops themselves
//   have no gradient (no second order).
//
//===----------------------------------------------------------------------===//

#include "ir/gradients/GradientBuilder.h"

namespace strata::gradients {
namespace {

using Dx = SmallVectorImpl<Value>;
using llvm::SmallVector;

/// The static shape of `v`, or failure.
static LogicalResult staticShape(Value v, SmallVector<int64_t> &shape) {
  auto t = llvm::cast<mlir::RankedTensorType>(v.getType());
  if (!t.hasStaticShape())
    return mlir::failure();
  shape.assign(t.getShape().begin(), t.getShape().end());
  return mlir::success();
}

/// `list` or s ones when empty.
static SmallVector<int64_t> orOnes(ArrayRef<int64_t> list, size_t s) {
  if (list.empty())
    return SmallVector<int64_t>(s, 1);
  return SmallVector<int64_t>(list.begin(), list.end());
}

/// Crops or zero-extends the spatial dims (from 2) of `v` at their end to
/// `sizes`.
static Value fitSpatial(GradientBuilder &g, Value v, ArrayRef<int64_t> sizes) {
  if (!v)
    return {};
  auto t = llvm::cast<mlir::RankedTensorType>(v.getType());
  int64_t rank = t.getRank();
  SmallVector<int64_t> pads(2 * rank, 0);
  bool any = false;
  for (size_t i = 0; i < sizes.size(); ++i) {
    pads[rank + 2 + i] = sizes[i] - t.getDimSize(2 + i);
    any |= pads[rank + 2 + i] != 0;
  }
  if (!any)
    return v;
  return g.op("pad", v, {g.array("pads", pads)});
}

/// Channels [begin, begin + count) of `v` (dim 1).
static Value channels(GradientBuilder &g, Value v, int64_t begin,
                      int64_t count) {
  return g.op("slice", v,
              {g.array("starts", {begin}), g.array("ends", {begin + count}),
               g.array("axes", {1})});
}

/// Swaps dims 0 and 1.
static Value swap01(GradientBuilder &g, Value v) {
  int64_t rank = llvm::cast<mlir::RankedTensorType>(v.getType()).getRank();
  SmallVector<int64_t> perm = {1, 0};
  for (int64_t i = 2; i < rank; ++i)
    perm.push_back(i);
  return g.op("transpose", v, {g.array("perm", perm)});
}

/// A float constant of `shape` and `like`'s element type.
static Value constant(GradientBuilder &g, Value like, ArrayRef<int64_t> shape,
                      ArrayRef<double> values) {
  auto element = llvm::cast<mlir::ShapedType>(like.getType()).getElementType();
  auto type = mlir::RankedTensorType::get(shape, element);
  SmallVector<mlir::Attribute> attrs;
  for (double v : values)
    attrs.push_back(g.builder().getFloatAttr(element, v));
  return g.op("constant", {},
              {g.attr("value", mlir::DenseElementsAttr::get(type, attrs))});
}

/// The window geometry of a forward window op (conv / pools).
struct Window {
  SmallVector<int64_t> in, kernel, out, strides, dilations, pads;
  size_t s() const { return in.size(); }
  int64_t eff(size_t i) const { return (kernel[i] - 1) * dilations[i] + 1; }
  SmallVector<int64_t> beginPadsOnly() const {
    SmallVector<int64_t> p(pads.begin(), pads.begin() + s());
    p.append(s(), 0);
    return p;
  }
};

/// dL/dX of y = conv(X, w): a conv_transpose of dy, fitted to `in`.
static Value convInputGrad(GradientBuilder &g, Value dy, Value w,
                           const Window &win, int64_t groups) {
  Value t = g.op(
      "conv_transpose", {dy, w},
      {g.array("strides", win.strides), g.array("dilations", win.dilations),
       g.array("pads", win.beginPadsOnly()), g.i64("groups", groups)});
  return fitSpatial(g, t, win.in);
}

/// dL/dw of y = conv(X, w) with X [N, CX, in], dY [N, CY, out]: the weight
/// gradient [CY, CX / groups, kernel].
static Value convWeightGrad(GradientBuilder &g, Value x, Value dY,
                            const Window &win, int64_t groups) {
  auto xt = llvm::cast<mlir::RankedTensorType>(x.getType());
  auto yt = llvm::cast<mlir::RankedTensorType>(dY.getType());
  int64_t cx = xt.getDimSize(1) / groups, cy = yt.getDimSize(1) / groups;
  size_t s = win.s();
  // out[c, m, j] = sum_{n,o} dY^T[m, n, o] X^T[c, n, j*d - pb + o*s]: a conv
  // with strides = dilations and dilations = strides. End pads large enough
  // for k outputs; any extra output is cropped.
  SmallVector<int64_t> pads(win.pads.begin(), win.pads.begin() + s);
  for (size_t i = 0; i < s; ++i)
    pads.push_back(std::max<int64_t>(0, (win.kernel[i] - 1) * win.dilations[i] +
                                            (win.out[i] - 1) * win.strides[i] +
                                            1 - win.in[i] - win.pads[i]));
  SmallVector<Value> parts;
  for (int64_t gi = 0; gi < groups; ++gi) {
    Value xg = groups == 1 ? x : channels(g, x, gi * cx, cx);
    Value yg = groups == 1 ? dY : channels(g, dY, gi * cy, cy);
    Value r = g.op("conv", {swap01(g, xg), swap01(g, yg)},
                   {g.array("strides", win.dilations),
                    g.array("dilations", win.strides), g.array("pads", pads)});
    parts.push_back(swap01(g, fitSpatial(g, r, win.kernel)));
  }
  if (groups == 1)
    return parts[0];
  return g.op("concat", parts, {g.i64("axis", 0)});
}

/// Sum over every dim but 1, to [C].
static Value sumButChannels(GradientBuilder &g, Value v) {
  int64_t rank = llvm::cast<mlir::RankedTensorType>(v.getType()).getRank();
  SmallVector<int64_t> axes = {0};
  for (int64_t i = 2; i < rank; ++i)
    axes.push_back(i);
  return g.op("reduce_sum", v,
              {g.array("axes", axes), g.flag("keepdims", false)});
}

/// Rules here resolve the window geometry at compile time.
static LogicalResult needStatic(GradientBuilder &g) {
  g.fail("gradient needs static shapes");
  return mlir::failure();
}

template <typename OpTy>
static LogicalResult getWindow(OpTy op, GradientBuilder &g, Value x,
                               ArrayRef<int64_t> kernel, Window &win) {
  SmallVector<int64_t> xs;
  if (failed(staticShape(x, xs)) || failed(staticShape(op->getResult(0), xs)))
    return needStatic(g);
  (void)staticShape(x, xs);
  win.in.assign(xs.begin() + 2, xs.end());
  win.kernel.assign(kernel.begin(), kernel.end());
  op.getWindowGeometry(win.in, win.kernel, win.pads, win.out);
  win.strides = orOnes(op.getStrides(), win.s());
  win.dilations = orOnes(op.getDilations(), win.s());
  return mlir::success();
}

LogicalResult convGrad(ConvOp op, GradientBuilder &g, ArrayRef<Value> dy,
                       Dx &dx) {
  Value x = op.getInput(), w = op.getWeight();
  SmallVector<int64_t> ws;
  if (failed(staticShape(w, ws)))
    return needStatic(g);
  Window win;
  if (failed(getWindow(op, g, x, ArrayRef<int64_t>(ws).drop_front(2), win)))
    return mlir::failure();
  int64_t groups = static_cast<int64_t>(op.getGroups());
  dx.push_back(convInputGrad(g, dy[0], w, win, groups));
  dx.push_back(convWeightGrad(g, x, dy[0], win, groups));
  if (op.getBias())
    dx.push_back(sumButChannels(g, dy[0]));
  return mlir::success();
}

LogicalResult convTransposeGrad(ConvTransposeOp op, GradientBuilder &g,
                                ArrayRef<Value> dy, Dx &dx) {
  Value x = op.getInput(), w = op.getWeight();
  SmallVector<int64_t> ws;
  if (failed(staticShape(w, ws)))
    return needStatic(g);
  Window win; // in: x's sizes, out: y's sizes
  if (failed(getWindow(op, g, x, ArrayRef<int64_t>(ws).drop_front(2), win)))
    return mlir::failure();
  int64_t groups = static_cast<int64_t>(op.getGroups());
  size_t s = win.s();
  // y[i*s - pb + j*d] += x[i] w[j]: dx[i] = sum_j w[j] dy[i*s - pb + j*d],
  // a conv of dy; end pads make it at least D long, extra is cropped.
  SmallVector<int64_t> pads(win.pads.begin(), win.pads.begin() + s);
  for (size_t i = 0; i < s; ++i)
    pads.push_back(std::max<int64_t>(0, (win.in[i] - 1) * win.strides[i] +
                                            win.eff(i) - win.out[i] -
                                            win.pads[i]));
  Value c = g.op("conv", {dy[0], w},
                 {g.array("strides", win.strides),
                  g.array("dilations", win.dilations), g.array("pads", pads),
                  g.i64("groups", groups)});
  dx.push_back(fitSpatial(g, c, win.in));
  // The conv weight gradient with the roles of input and output exchanged:
  // dy plays the (large) input, x the output gradient.
  Window rev = win;
  std::swap(rev.in, rev.out);
  dx.push_back(convWeightGrad(g, dy[0], x, rev, groups));
  if (op.getBias())
    dx.push_back(sumButChannels(g, dy[0]));
  return mlir::success();
}

/// Per spatial dim and output position, the window offsets j (in [0, k))
/// whose input position o*s - pb + j*d lies in [lo, hi).
static bool inRange(const Window &w, size_t i, int64_t o, int64_t j, int64_t lo,
                    int64_t hi) {
  int64_t p = o * w.strides[i] - w.pads[i] + j * w.dilations[i];
  return p >= lo && p < hi;
}

/// A [1, 1, out...] constant from a function of the output multi-index.
template <typename F>
static Value overOutputs(GradientBuilder &g, Value like, const Window &w, F f) {
  size_t s = w.s();
  int64_t n = 1;
  for (int64_t o : w.out)
    n *= o;
  SmallVector<double> values;
  SmallVector<int64_t> idx(s, 0);
  for (int64_t e = 0; e < n; ++e) {
    int64_t r = e;
    for (size_t i = s; i-- > 0;) {
      idx[i] = r % w.out[i];
      r /= w.out[i];
    }
    values.push_back(f(idx));
  }
  SmallVector<int64_t> shape = {1, 1};
  shape.append(w.out.begin(), w.out.end());
  return constant(g, like, shape, values);
}

/// A depthwise kernel [C, 1, k...] of ones, or one-hot at flat offset `hot`.
static Value depthwiseKernel(GradientBuilder &g, Value like, int64_t c,
                             const Window &w, int64_t hot = -1) {
  int64_t k = 1;
  for (int64_t v : w.kernel)
    k *= v;
  SmallVector<double> values;
  for (int64_t ch = 0; ch < c; ++ch)
    for (int64_t e = 0; e < k; ++e)
      values.push_back(hot < 0 || e == hot ? 1.0 : 0.0);
  SmallVector<int64_t> shape = {c, 1};
  shape.append(w.kernel.begin(), w.kernel.end());
  return constant(g, like, shape, values);
}

/// Scatters a pooled gradient back through the windows with a depthwise
/// kernel: a conv_transpose fitted to the input size.
static Value scatter(GradientBuilder &g, Value v, Value kernel, const Window &w,
                     int64_t c) {
  Value t =
      g.op("conv_transpose", {v, kernel},
           {g.array("strides", w.strides), g.array("dilations", w.dilations),
            g.array("pads", w.beginPadsOnly()), g.i64("groups", c)});
  return fitSpatial(g, t, w.in);
}

LogicalResult avgPoolGrad(AvgPoolOp op, GradientBuilder &g, ArrayRef<Value> dy,
                          Dx &dx) {
  Value x = op.getInput();
  Window w;
  if (failed(getWindow(op, g, x, op.getKernelShape(), w)))
    return mlir::failure();
  int64_t c = op.getInput().getType().getDimSize(1);
  size_t s = w.s();
  bool includePad = op.getCountIncludePad();
  Value divisor = overOutputs(g, x, w, [&](ArrayRef<int64_t> o) {
    double count = 1;
    for (size_t i = 0; i < s; ++i) {
      int64_t lo = includePad ? -w.pads[i] : 0;
      int64_t hi = includePad ? w.in[i] + w.pads[s + i] : w.in[i];
      int64_t n = 0;
      for (int64_t j = 0; j < w.kernel[i]; ++j)
        n += inRange(w, i, o[i], j, lo, hi);
      count *= static_cast<double>(n);
    }
    return count;
  });
  dx.push_back(
      scatter(g, g.div(dy[0], divisor), depthwiseKernel(g, x, c, w), w, c));
  return mlir::success();
}

LogicalResult maxPoolGrad(MaxPoolOp op, GradientBuilder &g, ArrayRef<Value> dy,
                          Dx &dx) {
  Value x = op.getInput(), y = op.getOutput();
  Window w;
  if (failed(getWindow(op, g, x, op.getKernelShape(), w)))
    return mlir::failure();
  int64_t c = op.getInput().getType().getDimSize(1);
  size_t s = w.s();
  // Extraction convs: end pads so that at least `out` windows fit.
  SmallVector<int64_t> pads(w.pads.begin(), w.pads.begin() + s);
  for (size_t i = 0; i < s; ++i)
    pads.push_back(
        std::max<int64_t>(w.pads[s + i], (w.out[i] - 1) * w.strides[i] +
                                             w.eff(i) - w.in[i] - w.pads[i]));
  int64_t k = 1;
  for (int64_t v : w.kernel)
    k *= v;
  Value taken, sum;
  for (int64_t e = 0; e < k; ++e) {
    SmallVector<int64_t> j(s);
    for (int64_t r = e, i = s; i-- > 0;) {
      j[i] = r % w.kernel[i];
      r /= w.kernel[i];
    }
    Value hot = depthwiseKernel(g, x, c, w, e);
    Value xj = fitSpatial(
        g,
        g.op("conv", {x, hot},
             {g.array("strides", w.strides), g.array("dilations", w.dilations),
              g.array("pads", pads), g.i64("groups", c)}),
        w.out);
    Value valid = overOutputs(g, x, w, [&](ArrayRef<int64_t> o) {
      for (size_t i = 0; i < s; ++i)
        if (!inRange(w, i, o[i], j[i], 0, w.in[i]))
          return 0.0;
      return 1.0;
    });
    Value pick = g.mul(g.select01(g.op("equal", {xj, y}), xj), valid);
    if (taken)
      pick = g.mul(pick, g.sub(g.scalar(x, 1), taken));
    taken = taken ? g.add(taken, pick) : pick;
    Value part = scatter(g, g.mul(dy[0], pick), hot, w, c);
    sum = sum ? g.add(sum, part) : part;
  }
  dx.push_back(sum);
  return mlir::success();
}

static SmallVector<int64_t> spatialAxes(Value x) {
  int64_t rank = llvm::cast<mlir::RankedTensorType>(x.getType()).getRank();
  SmallVector<int64_t> axes;
  for (int64_t i = 2; i < rank; ++i)
    axes.push_back(i);
  return axes;
}

LogicalResult globalAvgPoolGrad(GlobalAvgPoolOp op, GradientBuilder &g,
                                ArrayRef<Value> dy, Dx &dx) {
  Value x = op.getInput();
  SmallVector<int64_t> xs;
  if (failed(staticShape(x, xs)))
    return needStatic(g);
  double n = 1;
  for (size_t i = 2; i < xs.size(); ++i)
    n *= static_cast<double>(xs[i]);
  dx.push_back(g.add(g.zerosLike(x), g.scale(dy[0], 1 / n)));
  return mlir::success();
}

LogicalResult globalMaxPoolGrad(GlobalMaxPoolOp op, GradientBuilder &g,
                                ArrayRef<Value> dy, Dx &dx) {
  Value x = op.getInput();
  Value mask = g.select01(g.op("equal", {x, op.getOutput()}), x);
  Value count =
      g.op("reduce_sum", mask,
           {g.array("axes", spatialAxes(x)), g.flag("keepdims", true)});
  dx.push_back(g.mul(mask, g.div(dy[0], count)));
  return mlir::success();
}

/// Sums of `v` [N, C, ...] over the channel windows [c - before, c + after]
/// (clipped), before + after + 1 = size.
static Value channelWindowSum(GradientBuilder &g, Value v,
                              ArrayRef<int64_t> shape, int64_t size,
                              int64_t before, int64_t after) {
  int64_t p = 1;
  for (size_t i = 2; i < shape.size(); ++i)
    p *= shape[i];
  Value r = g.op("reshape", v, {g.array("shape", {shape[0], 1, shape[1], p})});
  SmallVector<double> ones(size, 1.0);
  Value kernel = constant(g, v, {1, 1, size, 1}, ones);
  Value c = g.op("conv", {r, kernel}, {g.array("pads", {before, 0, after, 0})});
  return g.op("reshape", c, {g.array("shape", shape)});
}

LogicalResult lrnGrad(LRNOp op, GradientBuilder &g, ArrayRef<Value> dy,
                      Dx &dx) {
  Value x = op.getInput();
  SmallVector<int64_t> xs;
  if (failed(staticShape(x, xs)))
    return needStatic(g);
  int64_t size = static_cast<int64_t>(op.getSize());
  int64_t lo = (size - 1) / 2, hi = size - 1 - lo;
  double alpha = op.getAlpha().convertToDouble();
  double beta = op.getBeta().convertToDouble();
  double bias = op.getBias().convertToDouble();
  Value b = g.add(g.scalar(x, bias),
                  g.scale(channelWindowSum(g, g.mul(x, x), xs, size, lo, hi),
                          alpha / static_cast<double>(size)));
  Value direct = g.mul(dy[0], g.op("pow", {b, g.scalar(x, -beta)}));
  Value t = g.div(g.mul(dy[0], op.getOutput()), b); // dy x B^(-beta-1)
  Value back = g.mul(x, channelWindowSum(g, t, xs, size, hi, lo));
  dx.push_back(g.sub(
      direct, g.scale(back, 2 * alpha * beta / static_cast<double>(size))));
  return mlir::success();
}

LogicalResult col2imGrad(Col2ImOp op, GradientBuilder &g, ArrayRef<Value> dy,
                         Dx &dx) {
  // dx[n, c*K + k, l] = dy[n, c, position of (k, l)] (0 in the padding):
  // per block offset k, a depthwise conv of dy with a one-hot kernel gives
  // the [N, C, L1, ..., Ls] values; they are stacked along a new axis 2.
  Value x = op.getInput();
  SmallVector<int64_t> ys;
  if (failed(staticShape(dy[0], ys)))
    return needStatic(g);
  Window w;
  w.in.assign(op.getImageShape().begin(), op.getImageShape().end());
  w.kernel.assign(op.getBlockShape().begin(), op.getBlockShape().end());
  op.getBlockGeometry(w.pads, w.out);
  w.strides = orOnes(op.getStrides(), w.s());
  w.dilations = orOnes(op.getDilations(), w.s());
  int64_t n = ys[0], c = ys[1], k = 1, l = 1;
  for (int64_t v : w.kernel)
    k *= v;
  for (int64_t v : w.out)
    l *= v;
  SmallVector<Value> parts;
  for (int64_t e = 0; e < k; ++e) {
    Value v =
        g.op("conv", {dy[0], depthwiseKernel(g, x, c, w, e)},
             {g.array("strides", w.strides), g.array("dilations", w.dilations),
              g.array("pads", w.pads), g.i64("groups", c)});
    parts.push_back(g.op("reshape", v, {g.array("shape", {n, c, 1, l})}));
  }
  Value stacked = k == 1 ? parts[0] : g.op("concat", parts, {g.i64("axis", 2)});
  dx.push_back(g.op("reshape", stacked, {g.array("shape", {n, c * k, l})}));
  return mlir::success();
}

/// The attributes of `op` named `names`, for its gradient op.
static SmallVector<mlir::NamedAttribute>
sameAttrs(mlir::Operation *op, ArrayRef<llvm::StringRef> names) {
  SmallVector<mlir::NamedAttribute> attrs;
  for (llvm::StringRef name : names)
    if (mlir::Attribute a = op->getAttr(name))
      attrs.emplace_back(name, a);
  return attrs;
}

/// Appends the results of gradient op `name` on `operands` (numResults of
/// them) to dx.
static LogicalResult gradientOp(GradientBuilder &g, llvm::StringRef name,
                                mlir::ValueRange operands,
                                ArrayRef<mlir::NamedAttribute> attrs,
                                unsigned numResults, Dx &dx) {
  mlir::Operation *grad = g.create(name, operands, attrs, numResults);
  if (!grad)
    return mlir::failure();
  dx.append(grad->result_begin(), grad->result_end());
  return mlir::success();
}

LogicalResult gridSampleGrad(GridSampleOp op, GradientBuilder &g,
                             ArrayRef<Value> dy, Dx &dx) {
  return gradientOp(g, "grid_sample_grad", {op.getInput(), op.getGrid(), dy[0]},
                    sameAttrs(op, {"mode", "padding_mode", "align_corners"}), 2,
                    dx);
}

LogicalResult roiAlignGrad(RoiAlignOp op, GradientBuilder &g,
                           ArrayRef<Value> dy, Dx &dx) {
  if (failed(
          gradientOp(g, "roi_align_grad",
                     {op.getInput(), op.getRois(), op.getBatchIndices(), dy[0]},
                     sameAttrs(op, {"mode", "coordinate_transformation_mode",
                                    "output_height", "output_width",
                                    "sampling_ratio", "spatial_scale"}),
                     2, dx)))
    return mlir::failure();
  dx.insert(dx.begin() + 2, Value()); // batch_indices: integers
  return mlir::success();
}

LogicalResult deformConvGrad(DeformConvOp op, GradientBuilder &g,
                             ArrayRef<Value> dy, Dx &dx) {
  if (failed(gradientOp(
          g, "deform_conv_grad",
          {op.getInput(), op.getWeight(), op.getOffset(), op.getMask(), dy[0]},
          sameAttrs(op,
                    {"strides", "dilations", "pads", "groups", "offset_group"}),
          4, dx)))
    return mlir::failure();
  if (op.getBias())
    dx.push_back(sumButChannels(g, dy[0]));
  return mlir::success();
}

} // namespace

void attachConvolutionGradients(mlir::MLIRContext *ctx) {
  attach<ConvOp, convGrad>(ctx);
  attach<ConvTransposeOp, convTransposeGrad>(ctx);
  attach<AvgPoolOp, avgPoolGrad>(ctx);
  attach<MaxPoolOp, maxPoolGrad>(ctx);
  attach<GlobalAvgPoolOp, globalAvgPoolGrad>(ctx);
  attach<GlobalMaxPoolOp, globalMaxPoolGrad>(ctx);
  attach<LRNOp, lrnGrad>(ctx);
  attach<Col2ImOp, col2imGrad>(ctx);
  attach<GridSampleOp, gridSampleGrad>(ctx);
  attach<RoiAlignOp, roiAlignGrad>(ctx);
  attach<DeformConvOp, deformConvGrad>(ctx);
}

} // namespace strata::gradients
