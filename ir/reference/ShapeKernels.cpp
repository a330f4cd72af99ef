//===- ShapeKernels.cpp - Reference semantics of the Shape ops ------------===//
//
// Every kernel moves elements unchanged, so it works for every dtype: floats
// are copied through get/set, integers and i1 through getInt/setInt. Sizes
// that were dynamic in the IR are checked here against the runtime shapes.
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"
#include "ir/reference/Evaluator.h"

#include <algorithm>

using namespace mlir;

namespace strata::reference {
namespace {

void copyElement(const Tensor &src, int64_t i, Tensor &dst, int64_t j) {
  if (src.isFloat())
    dst.set(j, src.get(i));
  else
    dst.setInt(j, src.getInt(i));
}

/// Row-major strides of `shape`.
std::vector<int64_t> rowMajorStrides(llvm::ArrayRef<int64_t> shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (size_t i = shape.size(); i-- > 1;)
    strides[i - 1] = strides[i] * shape[i];
  return strides;
}

/// Copies every element of an index space `shape`: the one at offset
/// srcBase + sum_d index[d] * srcStrides[d] in `src` to offset
/// dstBase + sum_d index[d] * dstStrides[d] in `dst`, through copyElement.
/// The offsets follow the index as it advances row-major.
void copyStrided(llvm::ArrayRef<int64_t> shape, const Tensor &src,
                 int64_t srcBase, llvm::ArrayRef<int64_t> srcStrides,
                 Tensor &dst, int64_t dstBase,
                 llvm::ArrayRef<int64_t> dstStrides) {
  int64_t rank = static_cast<int64_t>(shape.size());
  for (int64_t d : shape)
    if (d == 0)
      return;
  int64_t inner = rank ? shape[rank - 1] : 1;
  int64_t si = rank ? srcStrides[rank - 1] : 0;
  int64_t di = rank ? dstStrides[rank - 1] : 0;
  // f32 and f64 values copy as they are (rounding them again changes
  // nothing); other dtypes go through copyElement.
  bool raw = src.dtype() == dst.dtype() &&
             (src.dtype() == DType::f32 || src.dtype() == DType::f64);
  const double *from = raw ? src.floatData() : nullptr;
  double *to = raw ? dst.mutableFloatData() : nullptr;
  std::vector<int64_t> index(rank, 0);
  int64_t s = srcBase, t = dstBase;
  while (true) {
    if (raw)
      for (int64_t k = 0; k < inner; ++k)
        to[t + k * di] = from[s + k * si];
    else
      for (int64_t k = 0; k < inner; ++k)
        copyElement(src, s + k * si, dst, t + k * di);
    int64_t d = rank - 2;
    for (; d >= 0; --d) {
      s += srcStrides[d];
      t += dstStrides[d];
      if (++index[d] < shape[d])
        break;
      s -= srcStrides[d] * shape[d];
      t -= dstStrides[d] * shape[d];
      index[d] = 0;
    }
    if (d < 0)
      return;
  }
}

std::string formatDims(llvm::ArrayRef<int64_t> shape) {
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "x" : "") + std::to_string(shape[i]);
  return s;
}

/// Axis in [-rank, rank) made non-negative (the verifier checked the range).
int64_t positiveAxis(int64_t axis, int64_t rank) {
  return axis < 0 ? axis + rank : axis;
}

llvm::Error reshapeKernel(ReshapeOp op, llvm::ArrayRef<Tensor> in,
                          std::vector<Tensor> &out) {
  const Tensor &x = in[0];
  llvm::ArrayRef<int64_t> spec = op.getShape();
  std::vector<int64_t> shape;
  std::vector<bool> copied(x.rank(), false);
  int64_t inferred = -1, outRest = 1, inRest = 1;
  for (size_t i = 0; i < spec.size(); ++i) {
    if (spec[i] == 0) {
      copied[i] = true;
      shape.push_back(x.dim(i));
    } else if (spec[i] == -1) {
      inferred = i;
      shape.push_back(-1);
    } else {
      outRest *= spec[i];
      shape.push_back(spec[i]);
    }
  }
  for (int64_t d = 0; d < x.rank(); ++d)
    if (!copied[d])
      inRest *= x.dim(d);
  if (inferred >= 0) {
    if (outRest == 0 || inRest % outRest != 0)
      return evaluationError(op, "cannot infer the -1 for input " +
                                     formatDims(x.shape()));
    shape[inferred] = inRest / outRest;
  } else if (inRest != outRest) {
    return evaluationError(op, "shape does not keep the element count of "
                               "input " +
                                   formatDims(x.shape()));
  }
  out.push_back(x.reshaped(shape));
  return llvm::Error::success();
}

llvm::Error transposeKernel(TransposeOp op, llvm::ArrayRef<Tensor> in,
                            std::vector<Tensor> &out) {
  const Tensor &x = in[0];
  llvm::SmallVector<int64_t> perm = op.getPermutation();
  std::vector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(x.dim(p));
  Tensor y(x.dtype(), shape);
  // Result index i reads input dim perm[i].
  std::vector<int64_t> xStrides = rowMajorStrides(x.shape()), src;
  for (int64_t p : perm)
    src.push_back(xStrides[p]);
  copyStrided(shape, x, 0, src, y, 0, rowMajorStrides(shape));
  out.push_back(std::move(y));
  return llvm::Error::success();
}

llvm::Error concatKernel(ConcatOp op, llvm::ArrayRef<Tensor> in,
                         std::vector<Tensor> &out) {
  int64_t rank = in[0].rank();
  int64_t axis = positiveAxis(op.getAxis(), rank);
  std::vector<int64_t> shape = in[0].shape();
  shape[axis] = 0;
  for (const Tensor &t : in) {
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis && t.dim(d) != in[0].dim(d))
        return evaluationError(op, "inputs " + formatDims(in[0].shape()) +
                                       " and " + formatDims(t.shape()) +
                                       " differ outside the axis");
    shape[axis] += t.dim(axis);
  }
  Tensor y(in[0].dtype(), shape);
  int64_t base = 0;
  std::vector<int64_t> yStrides = rowMajorStrides(shape);
  for (const Tensor &t : in) {
    copyStrided(t.shape(), t, 0, rowMajorStrides(t.shape()), y,
                base * yStrides[axis], yStrides);
    base += t.dim(axis);
  }
  out.push_back(std::move(y));
  return llvm::Error::success();
}

llvm::Error sliceKernel(SliceOp op, llvm::ArrayRef<Tensor> in,
                        std::vector<Tensor> &out) {
  const Tensor &x = in[0];
  int64_t rank = x.rank();
  // Per dimension: first input position and step; the result's size.
  std::vector<int64_t> first(rank, 0), step(rank, 1), shape = x.shape();
  llvm::ArrayRef<int64_t> starts = op.getStarts(), ends = op.getEnds();
  for (size_t k = 0; k < starts.size(); ++k) {
    int64_t axis = op.getAxes() ? positiveAxis((*op.getAxes())[k], rank) : k;
    int64_t s = op.getSteps() ? (*op.getSteps())[k] : 1;
    int64_t d = x.dim(axis);
    // Steps beyond the size pick the same (single) element; clamped, the
    // loops below cannot overflow.
    s = std::clamp<int64_t>(s, -d - 1, d + 1);
    int64_t start = starts[k] < 0 ? starts[k] + d : starts[k];
    int64_t end = ends[k] < 0 ? ends[k] + d : ends[k];
    int64_t count = 0;
    if (d == 0) {
      // Nothing to take (and no valid start to clamp to).
    } else if (s > 0) {
      start = std::clamp<int64_t>(start, 0, d);
      end = std::clamp<int64_t>(end, 0, d);
      for (int64_t i = start; i < end; i += s)
        ++count;
    } else {
      start = std::clamp<int64_t>(start, 0, d - 1);
      end = std::clamp<int64_t>(end, -1, d - 1);
      for (int64_t i = start; i > end; i += s)
        ++count;
    }
    first[axis] = start;
    step[axis] = s;
    shape[axis] = count;
  }
  Tensor y(x.dtype(), shape);
  // Result index idx reads input index first + idx * step.
  std::vector<int64_t> xStrides = rowMajorStrides(x.shape()), src(rank);
  int64_t base = 0;
  for (int64_t d = 0; d < rank; ++d) {
    base += first[d] * xStrides[d];
    src[d] = step[d] * xStrides[d];
  }
  copyStrided(shape, x, base, src, y, 0, rowMajorStrides(shape));
  out.push_back(std::move(y));
  return llvm::Error::success();
}

llvm::Error splitKernel(SplitOp op, llvm::ArrayRef<Tensor> in,
                        std::vector<Tensor> &out) {
  const Tensor &x = in[0];
  int64_t axis = positiveAxis(op.getAxis(), x.rank());
  int64_t sum = 0;
  for (int64_t s : op.getSizes())
    sum += s;
  if (sum != x.dim(axis))
    return evaluationError(
        op, "sizes sum to " + llvm::Twine(sum) + ", the input has " +
                llvm::Twine(x.dim(axis)) + " on axis " + llvm::Twine(axis));
  int64_t base = 0;
  for (int64_t s : op.getSizes()) {
    std::vector<int64_t> shape = x.shape();
    shape[axis] = s;
    Tensor y(x.dtype(), shape);
    std::vector<int64_t> xStrides = rowMajorStrides(x.shape());
    copyStrided(shape, x, base * xStrides[axis], xStrides, y, 0,
                rowMajorStrides(shape));
    base += s;
    out.push_back(std::move(y));
  }
  return llvm::Error::success();
}

llvm::Error padKernel(PadOp op, llvm::ArrayRef<Tensor> in,
                      std::vector<Tensor> &out) {
  const Tensor &x = in[0];
  int64_t rank = x.rank();
  llvm::ArrayRef<int64_t> pads = op.getPads();
  PadMode mode = op.getMode();
  std::vector<int64_t> shape(rank);
  for (int64_t k = 0; k < rank; ++k) {
    int64_t d = x.dim(k), b = pads[k], e = pads[k + rank];
    shape[k] = d + b + e;
    if (shape[k] < 0)
      return evaluationError(op, "pads give dimension " + llvm::Twine(k) +
                                     " a negative size");
    if (mode == PadMode::reflect && ((b > 0 && b >= d) || (e > 0 && e >= d)))
      return evaluationError(op, "reflect pads of dimension " + llvm::Twine(k) +
                                     " must be smaller than its size " +
                                     llvm::Twine(d));
    if (mode != PadMode::constant && d == 0 && (b > 0 || e > 0))
      return evaluationError(op, "cannot pad the empty dimension " +
                                     llvm::Twine(k));
  }
  double value = op.getValue().convertToDouble();
  Tensor y(x.dtype(), shape);
  // Per dim d and result position j, the input position it reads
  // (or -1: outside, constant mode).
  std::vector<std::vector<int64_t>> source(rank);
  for (int64_t d = 0; d < rank; ++d)
    for (int64_t j = 0; j < shape[d]; ++j) {
      int64_t n = x.dim(d), i = j - pads[d];
      if (i < 0 || i >= n) {
        switch (mode) {
        case PadMode::constant:
          i = -1;
          break;
        case PadMode::reflect:
          i = i < 0 ? -i : 2 * (n - 1) - i;
          break;
        case PadMode::edge:
          i = i < 0 ? 0 : n - 1;
          break;
        case PadMode::wrap:
          i = ((i % n) + n) % n;
          break;
        }
      }
      source[d].push_back(i);
    }
  std::vector<int64_t> xStrides = rowMajorStrides(x.shape());
  int64_t k = 0;
  forEachIndex(llvm::ArrayRef<int64_t>(shape).drop_back(rank ? 1 : 0),
               [&](llvm::ArrayRef<int64_t> outer) {
                 // The input offset of this row, or -1 if it is outside.
                 int64_t base = 0;
                 for (size_t d = 0; d < outer.size(); ++d) {
                   int64_t i = source[d][outer[d]];
                   if (i < 0) {
                     base = -1;
                     break;
                   }
                   base += i * xStrides[d];
                 }
                 int64_t inner = rank ? shape[rank - 1] : 1;
                 for (int64_t j = 0; j < inner; ++j) {
                   int64_t i = rank ? source[rank - 1][j] : 0;
                   if (base < 0 || i < 0)
                     y.set(k++, value);
                   else
                     copyElement(x, base + i, y, k++);
                 }
               });
  out.push_back(std::move(y));
  return llvm::Error::success();
}

llvm::Error broadcastToKernel(BroadcastToOp op, llvm::ArrayRef<Tensor> in,
                              std::vector<Tensor> &out) {
  const Tensor &x = in[0];
  llvm::ArrayRef<int64_t> target = op.getShape();
  size_t rank = std::max<size_t>(x.rank(), target.size());
  std::vector<int64_t> shape(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t a = i < rank - x.rank() ? 1 : x.dim(i - (rank - x.rank()));
    int64_t b =
        i < rank - target.size() ? 1 : target[i - (rank - target.size())];
    if (a != b && a != 1 && b != 1)
      return evaluationError(op, "input " + formatDims(x.shape()) +
                                     " does not broadcast with the shape");
    shape[i] = a == 1 ? b : a;
  }
  Tensor y(x.dtype(), shape);
  // Broadcast dims (missing or of size 1 in x) read with stride 0.
  std::vector<int64_t> xStrides = rowMajorStrides(x.shape()), src(rank, 0);
  for (int64_t d = 0; d < x.rank(); ++d)
    if (x.dim(d) != 1)
      src[rank - x.rank() + d] = xStrides[d];
  copyStrided(shape, x, 0, src, y, 0, rowMajorStrides(shape));
  out.push_back(std::move(y));
  return llvm::Error::success();
}

llvm::Error tileKernel(TileOp op, llvm::ArrayRef<Tensor> in,
                       std::vector<Tensor> &out) {
  const Tensor &x = in[0];
  std::vector<int64_t> shape(x.rank());
  for (int64_t d = 0; d < x.rank(); ++d)
    shape[d] = x.dim(d) * op.getRepeats()[d];
  Tensor y(x.dtype(), shape);
  std::vector<int64_t> src(x.rank());
  int64_t k = 0;
  forEachIndex(shape, [&](llvm::ArrayRef<int64_t> idx) {
    for (int64_t d = 0; d < x.rank(); ++d)
      src[d] = idx[d] % x.dim(d);
    copyElement(x, x.offset(src), y, k++);
  });
  out.push_back(std::move(y));
  return llvm::Error::success();
}

llvm::Error depthToSpaceKernel(DepthToSpaceOp op, llvm::ArrayRef<Tensor> in,
                               std::vector<Tensor> &out) {
  const Tensor &x = in[0];
  int64_t b = op.getBlocksize();
  int64_t n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
  if (c % (b * b) != 0)
    return evaluationError(op, "channels " + llvm::Twine(c) +
                                   " are not divisible by blocksize^2");
  int64_t oc = c / (b * b);
  bool dcr = op.getMode() == "DCR";
  Tensor y(x.dtype(), {n, oc, h * b, w * b});
  for (int64_t in_ = 0; in_ < n; ++in_)
    for (int64_t ic = 0; ic < oc; ++ic)
      for (int64_t ih = 0; ih < h; ++ih)
        for (int64_t iw = 0; iw < w; ++iw)
          for (int64_t i = 0; i < b; ++i)
            for (int64_t j = 0; j < b; ++j) {
              int64_t channel =
                  dcr ? (i * b + j) * oc + ic : ic * b * b + i * b + j;
              copyElement(x, x.offset({in_, channel, ih, iw}), y,
                          y.offset({in_, ic, ih * b + i, iw * b + j}));
            }
  out.push_back(std::move(y));
  return llvm::Error::success();
}

llvm::Error spaceToDepthKernel(SpaceToDepthOp op, llvm::ArrayRef<Tensor> in,
                               std::vector<Tensor> &out) {
  const Tensor &x = in[0];
  int64_t b = op.getBlocksize();
  int64_t n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
  if (h % b != 0 || w % b != 0)
    return evaluationError(op, "spatial size " + formatDims({h, w}) +
                                   " is not divisible by the blocksize");
  Tensor y(x.dtype(), {n, c * b * b, h / b, w / b});
  for (int64_t in_ = 0; in_ < n; ++in_)
    for (int64_t ic = 0; ic < c; ++ic)
      for (int64_t oh = 0; oh < h / b; ++oh)
        for (int64_t ow = 0; ow < w / b; ++ow)
          for (int64_t i = 0; i < b; ++i)
            for (int64_t j = 0; j < b; ++j)
              copyElement(x, x.offset({in_, ic, oh * b + i, ow * b + j}), y,
                          y.offset({in_, (i * b + j) * c + ic, oh, ow}));
  out.push_back(std::move(y));
  return llvm::Error::success();
}

} // namespace

void registerShapeKernels(KernelRegistry &registry) {
  registry.add<ReshapeOp>(reshapeKernel);
  registry.add<TransposeOp>(transposeKernel);
  registry.add<ConcatOp>(concatKernel);
  registry.add<SliceOp>(sliceKernel);
  registry.add<SplitOp>(splitKernel);
  registry.add<PadOp>(padKernel);
  registry.add<BroadcastToOp>(broadcastToKernel);
  registry.add<TileOp>(tileKernel);
  registry.add<DepthToSpaceOp>(depthToSpaceKernel);
  registry.add<SpaceToDepthOp>(spaceToDepthKernel);
}

} // namespace strata::reference
