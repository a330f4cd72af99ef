//===- ConvolutionKernels.cpp - Reference semantics of the Convolution ops
//-===//
//
// Direct loops over output (or, for conv_transpose, input) positions and
// kernel offsets, accumulating in double. Padding and output sizes come from
// the op's getWindowGeometry, the rule type inference uses.
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"
#include "ir/reference/Evaluator.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir;

namespace strata::reference {
namespace {

using Shape = std::vector<int64_t>;

Shape spatialOf(const Tensor &t) {
  return Shape(t.shape().begin() + 2, t.shape().end());
}

/// Sizes computed at run time (for inputs declared with `?`) may still be
/// invalid.
llvm::Error checkOutputSizes(Operation *op, llvm::ArrayRef<int64_t> sizes) {
  for (size_t i = 0; i < sizes.size(); ++i)
    if (sizes[i] <= 0)
      return evaluationError(op, "output size " + llvm::Twine(sizes[i]) +
                                     " along spatial dim " + llvm::Twine(i) +
                                     " is not positive");
  return llvm::Error::success();
}

/// Sizes declared `?` are checked only now: the channel counts of input,
/// weight and bias must agree as type inference requires of static ones.
llvm::Error checkChannels(Operation *op, const Tensor &x, const Tensor &w,
                          const Tensor *bias, int64_t groups, bool transpose) {
  int64_t c = x.dim(1);
  int64_t m = transpose ? w.dim(1) * groups : w.dim(0);
  int64_t inPerGroup = transpose ? w.dim(0) / groups : w.dim(1);
  bool ok = c % groups == 0 && m % groups == 0 && inPerGroup * groups == c &&
            (!transpose || w.dim(0) == c) && (!bias || bias->dim(0) == m);
  if (!ok)
    return evaluationError(op, "channels do not match: input has " +
                                   llvm::Twine(c) + ", weight is " +
                                   llvm::Twine(w.dim(0)) + "x" +
                                   llvm::Twine(w.dim(1)) + "x..., bias has " +
                                   llvm::Twine(bias ? bias->dim(0) : -1) +
                                   ", groups " + llvm::Twine(groups));
  return llvm::Error::success();
}

/// `values` with empty replaced by `n` ones.
std::vector<int64_t> orOnes(llvm::ArrayRef<int64_t> values, size_t n) {
  if (values.empty())
    return std::vector<int64_t>(n, 1);
  return values.vec();
}

int64_t product(llvm::ArrayRef<int64_t> sizes) {
  int64_t n = 1;
  for (int64_t d : sizes)
    n *= d;
  return n;
}

/// The elements of `t` as doubles, row-major (kernels read them through raw
/// pointers; get() gives exactly these values).
std::vector<double> doublesOf(const Tensor &t) {
  if (t.isFloat())
    return std::vector<double>(t.floatData(), t.floatData() + t.numElements());
  return t.toDoubles();
}

/// The window of every position of a sliding-window op, precomputed once per
/// op so the inner loops are flat: for window position w (row-major over
/// `windows`), taps [begin[w], begin[w + 1]) list, in row-major kernel
/// order, the kernel offsets k (linear in the kernel) whose element lies
/// inside `inSizes`, with that element's linear offset there. Position
/// p = w * stride - pad + k * dilation along each spatial dim.
struct WindowTaps {
  std::vector<int64_t> begin, inOffset, kOffset;
  /// Per window: how many kernel offsets fall inside the input padded by
  /// padBegin / padEnd (average pooling's count_include_pad divisor).
  std::vector<int64_t> inPadded;
};

WindowTaps
windowTaps(llvm::ArrayRef<int64_t> windows, llvm::ArrayRef<int64_t> kSizes,
           llvm::ArrayRef<int64_t> inSizes, llvm::ArrayRef<int64_t> strides,
           llvm::ArrayRef<int64_t> dilations, llvm::ArrayRef<int64_t> padBegin,
           llvm::ArrayRef<int64_t> padEnd) {
  WindowTaps taps;
  size_t s = inSizes.size();
  taps.begin.push_back(0);
  forEachIndex(windows, [&](llvm::ArrayRef<int64_t> w) {
    int64_t k = 0, padded = 0;
    forEachIndex(kSizes, [&](llvm::ArrayRef<int64_t> kIdx) {
      bool inside = true, inPadded = true;
      int64_t off = 0;
      for (size_t i = 0; i < s; ++i) {
        int64_t p = w[i] * strides[i] - padBegin[i] + kIdx[i] * dilations[i];
        inside &= p >= 0 && p < inSizes[i];
        inPadded &= p >= -padBegin[i] && p < inSizes[i] + padEnd[i];
        off = off * inSizes[i] + p;
      }
      padded += inPadded;
      if (inside) {
        taps.inOffset.push_back(off);
        taps.kOffset.push_back(k);
      }
      ++k;
    });
    taps.begin.push_back(static_cast<int64_t>(taps.inOffset.size()));
    taps.inPadded.push_back(padded);
  });
  return taps;
}

llvm::Error convKernel(ConvOp op, llvm::ArrayRef<Tensor> in,
                       std::vector<Tensor> &results) {
  const Tensor &x = in[0], &w = in[1];
  const Tensor *bias = in.size() > 2 ? &in[2] : nullptr;
  Shape inSizes = spatialOf(x), kSizes = spatialOf(w);
  size_t s = inSizes.size();
  llvm::SmallVector<int64_t> pads, outSizes;
  op.getWindowGeometry(inSizes, kSizes, pads, outSizes);
  if (llvm::Error err = checkOutputSizes(op, outSizes))
    return err;
  std::vector<int64_t> strides = orOnes(op.getStrides(), s);
  std::vector<int64_t> dilations = orOnes(op.getDilations(), s);
  int64_t groups = static_cast<int64_t>(op.getGroups());
  if (llvm::Error err = checkChannels(op, x, w, bias, groups, false))
    return err;
  int64_t m = w.dim(0), cg = w.dim(1), mg = m / groups;

  Shape outShape = {x.dim(0), m};
  outShape.insert(outShape.end(), outSizes.begin(), outSizes.end());
  Tensor y(x.dtype(), outShape);
  // Each output element: bias (or 0), then for every input channel of its
  // group, the kernel taps inside the input in row-major kernel order.
  // Output channels are computed four at a time (independent sums sharing
  // the input reads); each sum keeps that order.
  WindowTaps taps =
      windowTaps(outSizes, kSizes, inSizes, strides, dilations, pads,
                 llvm::ArrayRef<int64_t>(pads).drop_front(s));
  std::vector<double> xs = doublesOf(x), ws = doublesOf(w);
  int64_t c = x.dim(1), inVol = product(inSizes), kVol = product(kSizes);
  int64_t outVol = product(outSizes);
  for (int64_t n = 0; n < x.dim(0); ++n)
    for (int64_t oc0 = 0, oc1; oc0 < m; oc0 = oc1) {
      // A block of up to four output channels within one group.
      int64_t g = oc0 / mg;
      oc1 = std::min(oc0 + 4, (g + 1) * mg);
      int64_t nb = oc1 - oc0;
      for (int64_t o = 0; o < outVol; ++o) {
        double acc[4];
        for (int64_t b = 0; b < nb; ++b)
          acc[b] = bias ? bias->get(oc0 + b) : 0.0;
        const int64_t *inOff = taps.inOffset.data() + taps.begin[o];
        const int64_t *kOff = taps.kOffset.data() + taps.begin[o];
        int64_t nTaps = taps.begin[o + 1] - taps.begin[o];
        for (int64_t ic = 0; ic < cg; ++ic) {
          const double *xp = xs.data() + (n * c + g * cg + ic) * inVol;
          const double *wp = ws.data() + (oc0 * cg + ic) * kVol;
          int64_t wStride = cg * kVol; // to the next output channel
          if (nb == 4) {
            for (int64_t t = 0; t < nTaps; ++t) {
              double v = xp[inOff[t]];
              acc[0] += v * wp[kOff[t]];
              acc[1] += v * wp[wStride + kOff[t]];
              acc[2] += v * wp[2 * wStride + kOff[t]];
              acc[3] += v * wp[3 * wStride + kOff[t]];
            }
          } else {
            for (int64_t b = 0; b < nb; ++b)
              for (int64_t t = 0; t < nTaps; ++t)
                acc[b] += xp[inOff[t]] * wp[b * wStride + kOff[t]];
          }
        }
        for (int64_t b = 0; b < nb; ++b)
          y.set((n * m + oc0 + b) * outVol + o, acc[b]);
      }
    }
  results.push_back(std::move(y));
  return llvm::Error::success();
}

llvm::Error convTransposeKernel(ConvTransposeOp op, llvm::ArrayRef<Tensor> in,
                                std::vector<Tensor> &results) {
  const Tensor &x = in[0], &w = in[1];
  const Tensor *bias = in.size() > 2 ? &in[2] : nullptr;
  Shape inSizes = spatialOf(x), kSizes = spatialOf(w);
  size_t s = inSizes.size();
  llvm::SmallVector<int64_t> pads, outSizes;
  op.getWindowGeometry(inSizes, kSizes, pads, outSizes);
  if (llvm::Error err = checkOutputSizes(op, outSizes))
    return err;
  std::vector<int64_t> strides = orOnes(op.getStrides(), s);
  std::vector<int64_t> dilations = orOnes(op.getDilations(), s);
  int64_t groups = static_cast<int64_t>(op.getGroups());
  if (llvm::Error err = checkChannels(op, x, w, bias, groups, true))
    return err;
  int64_t c = x.dim(1), cg = c / groups, mg = w.dim(1), m = mg * groups;

  Shape outShape = {x.dim(0), m};
  outShape.insert(outShape.end(), outSizes.begin(), outSizes.end());
  // Accumulate in double, store once, so that rounding happens only once.
  // Every input element (row-major over x) adds, for each output channel of
  // its group and each kernel tap landing inside the output (row-major
  // kernel order), its product into that output element.
  Tensor y(x.dtype(), outShape);
  std::vector<double> acc(y.numElements(), 0.0);
  WindowTaps taps =
      windowTaps(inSizes, kSizes, outSizes, strides, dilations, pads,
                 llvm::ArrayRef<int64_t>(pads).drop_front(s));
  std::vector<double> xs = doublesOf(x), ws = doublesOf(w);
  int64_t inVol = product(inSizes), kVol = product(kSizes);
  int64_t outVol = product(outSizes);
  for (int64_t n = 0; n < x.dim(0); ++n)
    for (int64_t ic = 0; ic < c; ++ic) {
      int64_t g = ic / cg;
      const double *xp = xs.data() + (n * c + ic) * inVol;
      for (int64_t i = 0; i < inVol; ++i) {
        double v = xp[i];
        const int64_t *outOff = taps.inOffset.data() + taps.begin[i];
        const int64_t *kOff = taps.kOffset.data() + taps.begin[i];
        int64_t nTaps = taps.begin[i + 1] - taps.begin[i];
        for (int64_t oc = 0; oc < mg; ++oc) {
          const double *wp = ws.data() + (ic * mg + oc) * kVol;
          double *accp = acc.data() + (n * m + g * mg + oc) * outVol;
          for (int64_t t = 0; t < nTaps; ++t)
            accp[outOff[t]] += v * wp[kOff[t]];
        }
      }
    }
  for (int64_t e = 0, ne = y.numElements(); e < ne; ++e)
    y.set(e, acc[e] + (bias ? bias->get((e / outVol) % m) : 0.0));
  results.push_back(std::move(y));
  return llvm::Error::success();
}

/// Max or average pooling.
template <typename OpTy>
llvm::Error poolKernel(OpTy op, llvm::ArrayRef<Tensor> in,
                       std::vector<Tensor> &results, bool isMax,
                       llvm::ArrayRef<int64_t> dilationAttr,
                       bool countIncludePad) {
  const Tensor &x = in[0];
  Shape inSizes = spatialOf(x);
  size_t s = inSizes.size();
  Shape kSizes = op.getKernelShape().vec();
  llvm::SmallVector<int64_t> pads, outSizes;
  op.getWindowGeometry(inSizes, kSizes, pads, outSizes);
  if (llvm::Error err = checkOutputSizes(op, outSizes))
    return err;
  std::vector<int64_t> strides = orOnes(op.getStrides(), s);
  std::vector<int64_t> dilations = orOnes(dilationAttr, s);

  Shape outShape = {x.dim(0), x.dim(1)};
  outShape.insert(outShape.end(), outSizes.begin(), outSizes.end());
  Tensor y(x.dtype(), outShape);
  WindowTaps taps =
      windowTaps(outSizes, kSizes, inSizes, strides, dilations, pads,
                 llvm::ArrayRef<int64_t>(pads).drop_front(s));
  std::vector<double> xs = doublesOf(x);
  int64_t inVol = product(inSizes), outVol = product(outSizes);
  bool empty = false;
  for (int64_t nc = 0; nc < x.dim(0) * x.dim(1); ++nc) {
    const double *xp = xs.data() + nc * inVol;
    for (int64_t o = 0; o < outVol; ++o) {
      double best = -std::numeric_limits<double>::infinity(), sum = 0;
      bool nan = false;
      int64_t inside = taps.begin[o + 1] - taps.begin[o];
      const int64_t *inOff = taps.inOffset.data() + taps.begin[o];
      for (int64_t t = 0; t < inside; ++t) {
        double v = xp[inOff[t]];
        sum += v;
        nan |= std::isnan(v);
        best = std::max(best, v);
      }
      int64_t divisor = countIncludePad ? taps.inPadded[o] : inside;
      if (inside == 0 && (isMax || divisor == 0)) {
        empty = true;
        continue;
      }
      y.set(nc * outVol + o, nan ? std::numeric_limits<double>::quiet_NaN()
                                 : (isMax ? best : sum / divisor));
    }
  }
  if (empty)
    return evaluationError(op, "has a pooling window that covers no input "
                               "element");
  results.push_back(std::move(y));
  return llvm::Error::success();
}

/// Global pooling: one window covering all spatial positions.
llvm::Error globalPool(Operation *op, const Tensor &x,
                       std::vector<Tensor> &results, bool isMax) {
  Shape outShape(x.rank(), 1);
  outShape[0] = x.dim(0);
  outShape[1] = x.dim(1);
  Tensor y(x.dtype(), outShape);
  int64_t area = 1;
  for (int64_t i = 2; i < x.rank(); ++i)
    area *= x.dim(i);
  if (area == 0)
    return evaluationError(op, "has an empty spatial extent");
  // Row-major: the spatial block of (n, c) is contiguous at (n * C + c) * area.
  for (int64_t nc = 0; nc < x.dim(0) * x.dim(1); ++nc) {
    double best = -std::numeric_limits<double>::infinity(), sum = 0;
    bool nan = false;
    for (int64_t i = 0; i < area; ++i) {
      double v = x.get(nc * area + i);
      nan |= std::isnan(v);
      best = std::max(best, v);
      sum += v;
    }
    y.set(nc, nan ? std::numeric_limits<double>::quiet_NaN()
                  : (isMax ? best : sum / area));
  }
  results.push_back(std::move(y));
  return llvm::Error::success();
}

llvm::Error lrnKernel(LRNOp op, llvm::ArrayRef<Tensor> in,
                      std::vector<Tensor> &results) {
  const Tensor &x = in[0];
  int64_t size = static_cast<int64_t>(op.getSize());
  double alpha = op.getAlpha().convertToDouble();
  double beta = op.getBeta().convertToDouble();
  double bias = op.getBias().convertToDouble();
  int64_t channels = x.dim(1);
  int64_t before = (size - 1) / 2,
          after = size / 2; // floor, ceil of (size-1)/2
  Tensor y(x.dtype(), x.shape());
  // Element (n, c, rest) divides by a sum of squares over channels
  // max(0, c - before) .. min(C - 1, c + after) at the same (n, rest).
  std::vector<double> xs = doublesOf(x);
  int64_t plane = 1; // elements per channel
  for (int64_t i = 2; i < x.rank(); ++i)
    plane *= x.dim(i);
  for (int64_t n = 0; n < x.dim(0); ++n)
    for (int64_t c = 0; c < channels; ++c)
      for (int64_t r = 0; r < plane; ++r) {
        const double *xn = xs.data() + n * channels * plane + r;
        double sq = 0;
        for (int64_t j = std::max<int64_t>(0, c - before);
             j <= std::min(channels - 1, c + after); ++j) {
          double v = xn[j * plane];
          sq += v * v;
        }
        y.set((n * channels + c) * plane + r,
              xn[c * plane] / std::pow(bias + alpha / size * sq, beta));
      }
  results.push_back(std::move(y));
  return llvm::Error::success();
}

llvm::Error col2imKernel(Col2ImOp op, llvm::ArrayRef<Tensor> in,
                         std::vector<Tensor> &results) {
  const Tensor &x = in[0];
  Shape image = op.getImageShape().vec(), block = op.getBlockShape().vec();
  size_t s = image.size();
  llvm::SmallVector<int64_t> pads, blocks;
  op.getBlockGeometry(pads, blocks);
  std::vector<int64_t> strides = orOnes(op.getStrides(), s);
  std::vector<int64_t> dilations = orOnes(op.getDilations(), s);
  int64_t volume = 1, count = 1;
  for (size_t i = 0; i < s; ++i) {
    volume *= block[i];
    count *= blocks[i];
  }
  // Sizes declared `?` are checked only now.
  if (x.dim(1) % volume != 0 || x.dim(2) != count)
    return evaluationError(op, "input shape " + formatShape(x.shape()) +
                                   " does not fit block volume " +
                                   llvm::Twine(volume) + " and " +
                                   llvm::Twine(count) + " block positions");
  int64_t channels = x.dim(1) / volume;
  Shape outShape = {x.dim(0), channels};
  outShape.insert(outShape.end(), image.begin(), image.end());
  Tensor y(x.dtype(), outShape);
  std::vector<double> acc(y.numElements(), 0.0);
  std::vector<int64_t> pos(outShape.size());
  Shape blockPositions(blocks.begin(), blocks.end());
  for (int64_t n = 0; n < x.dim(0); ++n)
    for (int64_t c = 0; c < channels; ++c) {
      int64_t k = 0;
      forEachIndex(block, [&](llvm::ArrayRef<int64_t> j) {
        int64_t l = 0;
        forEachIndex(blockPositions, [&](llvm::ArrayRef<int64_t> p) {
          pos[0] = n;
          pos[1] = c;
          bool inside = true;
          for (size_t i = 0; i < s; ++i) {
            int64_t q = p[i] * strides[i] - pads[i] + j[i] * dilations[i];
            inside &= q >= 0 && q < image[i];
            pos[2 + i] = q;
          }
          if (inside)
            acc[y.offset(pos)] += x.at({n, c * volume + k, l});
          ++l;
        });
        ++k;
      });
    }
  for (int64_t i = 0; i < y.numElements(); ++i)
    y.set(i, acc[i]);
  results.push_back(std::move(y));
  return llvm::Error::success();
}

/// Reflects `u` at `lo` and `hi` until it lies in [lo, hi] (GridSample).
/// `slope` (if given) receives d result / d u: +1 or -1, 0 for an empty
/// range.
double reflectInto(double u, double lo, double hi, double *slope = nullptr) {
  double range = hi - lo;
  double ignored;
  double &dr = slope ? *slope : ignored;
  dr = 1;
  if (range <= 0) {
    dr = 0;
    return lo;
  }
  if (u < lo) {
    double d = lo - u;
    double n = std::floor(d / range), r = d - n * range;
    dr = std::fmod(n, 2.0) == 0 ? -1 : 1;
    return std::fmod(n, 2.0) == 0 ? lo + r : hi - r;
  }
  if (u > hi) {
    double d = u - hi;
    double n = std::floor(d / range), r = d - n * range;
    dr = std::fmod(n, 2.0) == 0 ? -1 : 1;
    return std::fmod(n, 2.0) == 0 ? hi - r : lo + r;
  }
  return u;
}

/// Keys' cubic convolution weight (a = -0.75) of distance `d` >= 0.
double cubicWeight(double d) {
  const double a = -0.75;
  if (d <= 1)
    return ((a + 2) * d - (a + 3)) * d * d + 1;
  if (d < 2)
    return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a;
  return 0;
}

/// d cubicWeight / d d, branch for branch.
double cubicWeightSlope(double d) {
  const double a = -0.75;
  if (d <= 1)
    return (3 * (a + 2) * d - 2 * (a + 3)) * d;
  if (d < 2)
    return (3 * a * d - 10 * a) * d + 8 * a;
  return 0;
}

/// The taps of grid_sample along one spatial dim, shared by the forward
/// kernel and its gradient so that the gradient is the exact adjoint.
struct GridTaps {
  StringRef mode, padding;
  bool align;
  int64_t count; // taps per dim: 1 (nearest), 2 (linear), 4 (cubic)

  template <typename OpTy>
  explicit GridTaps(OpTy op)
      : mode(op.getMode()), padding(op.getPaddingMode()),
        align(op.getAlignCorners()), count(mode == "nearest"  ? 1
                                           : mode == "linear" ? 2
                                                              : 4) {}

  /// For normalized coordinate `g` along a dim of size `d`: the tap indices
  /// (-1 = reads 0), their weights and d weight / d g. False for a NaN
  /// sample position.
  bool compute(double g, int64_t d, int64_t *index, double *weight,
               double *slope) const {
    double u = align ? (g + 1) / 2 * (d - 1) : ((g + 1) * d - 1) / 2;
    double du = align ? (d - 1) / 2.0 : d / 2.0; // d u / d g
    double lo = align ? 0.0 : -0.5, hi = align ? d - 1.0 : d - 0.5;
    if (mode == "nearest") {
      u = std::nearbyint(u);
      du = 0;
    }
    if (u < lo || u > hi) {
      if (padding == "border") {
        if (u < 0 || u > d - 1)
          du = 0;
        u = std::clamp(u, 0.0, static_cast<double>(d - 1));
      } else if (padding == "reflection") {
        double sign;
        u = reflectInto(u, lo, hi, &sign);
        du *= sign;
      }
    }
    if (std::isnan(u))
      return false;
    // Far outside (zeros): every tap reads 0 either way; keeps the integer
    // conversions below in range.
    if (u < lo - 4 || u > hi + 4)
      du = 0;
    u = std::clamp(u, lo - 4, hi + 4);
    auto tapIndex = [&](int64_t t) -> int64_t {
      if (t >= 0 && t < d)
        return t;
      if (padding == "zeros")
        return -1;
      if (padding == "border")
        return std::clamp<int64_t>(t, 0, d - 1);
      return static_cast<int64_t>(reflectInto(static_cast<double>(t), lo, hi));
    };
    if (mode == "nearest") {
      index[0] = tapIndex(static_cast<int64_t>(u));
      weight[0] = 1;
      slope[0] = 0;
      return true;
    }
    double f = std::floor(u), t = u - f;
    int64_t base = static_cast<int64_t>(f);
    if (mode == "linear") {
      index[0] = tapIndex(base);
      index[1] = tapIndex(base + 1);
      weight[0] = 1 - t;
      weight[1] = t;
      slope[0] = -du;
      slope[1] = du;
      return true;
    }
    for (int64_t k = 0; k < 4; ++k)
      index[k] = tapIndex(base - 1 + k);
    weight[0] = cubicWeight(1 + t);
    weight[1] = cubicWeight(t);
    weight[2] = cubicWeight(1 - t);
    weight[3] = cubicWeight(2 - t);
    slope[0] = cubicWeightSlope(1 + t) * du;
    slope[1] = cubicWeightSlope(t) * du;
    slope[2] = -cubicWeightSlope(1 - t) * du;
    slope[3] = -cubicWeightSlope(2 - t) * du;
    return true;
  }
};

/// Checks the grid against the input and returns the output shape.
llvm::Error gridSampleShape(Operation *op, const Tensor &x, const Tensor &grid,
                            Shape &outShape) {
  size_t s = x.rank() - 2;
  if (grid.dim(0) != x.dim(0) || grid.dim(s + 1) != static_cast<int64_t>(s))
    return evaluationError(op, "grid shape " + formatShape(grid.shape()) +
                                   " does not fit input shape " +
                                   formatShape(x.shape()));
  Shape sizes = spatialOf(x);
  if (llvm::is_contained(sizes, 0) && grid.numElements() > 0 && x.dim(1) > 0)
    return evaluationError(op, "cannot sample the empty input " +
                                   formatShape(x.shape()));
  outShape = {x.dim(0), x.dim(1)};
  for (size_t i = 0; i < s; ++i)
    outShape.push_back(grid.dim(1 + i));
  return llvm::Error::success();
}

/// A tensor of `like`'s type holding the gradient accumulated in `acc`
/// (rounded once, at the store).
Tensor gradientLike(const Tensor &like, const std::vector<double> &acc) {
  Tensor t(like.dtype(), like.shape());
  for (int64_t e = 0; e < t.numElements(); ++e)
    t.set(e, acc[e]);
  return t;
}

/// Sizes declared `?` are checked only now: the output gradient must have
/// the forward result's shape.
llvm::Error checkOutputGrad(Operation *op, const Tensor &dy,
                            const Shape &expected) {
  if (dy.shape() != expected)
    return evaluationError(op, "output_grad shape " + formatShape(dy.shape()) +
                                   " is not the forward result shape " +
                                   formatShape(expected));
  return llvm::Error::success();
}

llvm::Error gridSampleKernel(GridSampleOp op, llvm::ArrayRef<Tensor> in,
                             std::vector<Tensor> &results) {
  const Tensor &x = in[0], &grid = in[1];
  Shape outShape;
  if (llvm::Error err = gridSampleShape(op, x, grid, outShape))
    return err;
  size_t s = x.rank() - 2;
  Shape sizes = spatialOf(x);
  GridTaps sampler(op);
  int64_t taps = sampler.count;
  Tensor y(x.dtype(), outShape);
  // Per spatial dim of the current output position: the tap indices (-1 =
  // reads 0) and their weights.
  std::vector<std::vector<int64_t>> index(s, std::vector<int64_t>(taps));
  std::vector<std::vector<double>> weight(s, std::vector<double>(taps)),
      slope(s, std::vector<double>(taps));
  Shape tapShape(s, taps);
  std::vector<int64_t> gIdx(grid.rank()), pos(x.rank());
  forEachIndex(outShape, [&](llvm::ArrayRef<int64_t> o) {
    bool nan = false;
    gIdx[0] = o[0];
    std::copy(o.begin() + 2, o.end(), gIdx.begin() + 1);
    for (size_t i = 0; i < s && !nan; ++i) {
      gIdx[s + 1] = s - 1 - i; // grid holds (x, y, ...): reversed dims
      nan = !sampler.compute(grid.at(gIdx), sizes[i], index[i].data(),
                             weight[i].data(), slope[i].data());
    }
    if (nan) {
      y.set(y.offset(o), std::numeric_limits<double>::quiet_NaN());
      return;
    }
    pos[0] = o[0];
    pos[1] = o[1];
    double acc = 0;
    forEachIndex(tapShape, [&](llvm::ArrayRef<int64_t> tap) {
      double w = 1;
      for (size_t i = 0; i < s; ++i) {
        int64_t p = index[i][tap[i]];
        if (p < 0)
          return;
        pos[2 + i] = p;
        w *= weight[i][tap[i]];
      }
      acc += w * x.at(pos);
    });
    y.set(y.offset(o), acc);
  });
  results.push_back(std::move(y));
  return llvm::Error::success();
}

/// The adjoint of gridSampleKernel: every tap it reads gets dy times its
/// weight; every grid coordinate dy times the tap values weighted by the
/// derivative of its own dim's weights (the other dims' weights as they are).
llvm::Error gridSampleGradKernel(GridSampleGradOp op, llvm::ArrayRef<Tensor> in,
                                 std::vector<Tensor> &results) {
  const Tensor &x = in[0], &grid = in[1], &dy = in[2];
  Shape outShape;
  if (llvm::Error err = gridSampleShape(op, x, grid, outShape))
    return err;
  if (llvm::Error err = checkOutputGrad(op, dy, outShape))
    return err;
  size_t s = x.rank() - 2;
  Shape sizes = spatialOf(x);
  GridTaps sampler(op);
  int64_t taps = sampler.count;
  std::vector<double> dx(x.numElements(), 0.0), dgrid(grid.numElements(), 0.0);
  std::vector<std::vector<int64_t>> index(s, std::vector<int64_t>(taps));
  std::vector<std::vector<double>> weight(s, std::vector<double>(taps)),
      slope(s, std::vector<double>(taps));
  Shape tapShape(s, taps);
  std::vector<int64_t> gIdx(grid.rank()), pos(x.rank());
  std::vector<int64_t> gOff(s);
  forEachIndex(outShape, [&](llvm::ArrayRef<int64_t> o) {
    bool nan = false;
    gIdx[0] = o[0];
    std::copy(o.begin() + 2, o.end(), gIdx.begin() + 1);
    for (size_t i = 0; i < s; ++i) {
      gIdx[s + 1] = s - 1 - i;
      gOff[i] = grid.offset(gIdx);
      nan =
          nan || !sampler.compute(grid.get(gOff[i]), sizes[i], index[i].data(),
                                  weight[i].data(), slope[i].data());
    }
    if (nan) {
      for (size_t i = 0; i < s; ++i)
        dgrid[gOff[i]] = std::numeric_limits<double>::quiet_NaN();
      return;
    }
    double g = dy.at(o);
    pos[0] = o[0];
    pos[1] = o[1];
    forEachIndex(tapShape, [&](llvm::ArrayRef<int64_t> tap) {
      double w = 1;
      for (size_t i = 0; i < s; ++i) {
        int64_t p = index[i][tap[i]];
        if (p < 0)
          return;
        pos[2 + i] = p;
        w *= weight[i][tap[i]];
      }
      int64_t at = x.offset(pos);
      dx[at] += g * w;
      double v = g * x.get(at);
      for (size_t i = 0; i < s; ++i) {
        double d = slope[i][tap[i]];
        for (size_t k = 0; k < s; ++k)
          if (k != i)
            d *= weight[k][tap[k]];
        dgrid[gOff[i]] += v * d;
      }
    });
  });
  results.push_back(gradientLike(x, dx));
  results.push_back(gradientLike(grid, dgrid));
  return llvm::Error::success();
}

/// The attributes of roi_align (and roi_align_grad).
struct RoiAlignParams {
  int64_t oh, ow, ratio;
  double scale;
  bool halfPixel, isMax;

  template <typename OpTy>
  explicit RoiAlignParams(OpTy op)
      : oh(static_cast<int64_t>(op.getOutputHeight())),
        ow(static_cast<int64_t>(op.getOutputWidth())),
        ratio(static_cast<int64_t>(op.getSamplingRatio())),
        scale(op.getSpatialScale().convertToDouble()),
        halfPixel(op.getCoordinateTransformationMode() == "half_pixel"),
        isMax(op.getMode() == "max") {}
};

/// One box of roi_align: its start, bin sizes, samples per bin, and whether
/// output_half_pixel's minimum extent 1 replaced its width / height (their
/// derivatives are then 0).
struct RoiBox {
  int64_t image;
  double x0, y0, binH, binW;
  int64_t gh, gw;
  bool widthClamped = false, heightClamped = false;

  /// The sample point (iy, ix) of bin (ph, pw).
  double sampleY(int64_t ph, int64_t iy) const {
    return y0 + ph * binH + (iy + 0.5) * binH / gh;
  }
  double sampleX(int64_t pw, int64_t ix) const {
    return x0 + pw * binW + (ix + 0.5) * binW / gw;
  }
};

/// Checks the operands of roi_align and returns the output shape.
llvm::Error roiAlignShape(Operation *op, const RoiAlignParams &a,
                          const Tensor &x, const Tensor &rois,
                          const Tensor &batch, Shape &outShape) {
  int64_t c = x.dim(1), h = x.dim(2), w = x.dim(3), r = rois.dim(0);
  if (rois.dim(1) != 4 || batch.dim(0) != r)
    return evaluationError(op, "rois shape " + formatShape(rois.shape()) +
                                   " and batch_indices shape " +
                                   formatShape(batch.shape()) +
                                   " do not fit (expected [R, 4] and [R])");
  outShape = {r, c, a.oh, a.ow};
  if ((h == 0 || w == 0) && r > 0 && c > 0)
    return evaluationError(op, "cannot sample the empty input " +
                                   formatShape(x.shape()));
  return llvm::Error::success();
}

/// Box `k` of roi_align, or an evaluation error for a bad batch index or an
/// absurd box.
llvm::Error roiAlignBox(Operation *op, const RoiAlignParams &a, const Tensor &x,
                        const Tensor &rois, const Tensor &batch, int64_t k,
                        RoiBox &box) {
  int64_t n = x.dim(0);
  int64_t b = batch.getInt(k);
  if (b < 0 || b >= n)
    return evaluationError(op, "batch index " + llvm::Twine(b) + " of box " +
                                   llvm::Twine(k) + " is outside [0, " +
                                   llvm::Twine(n) + ")");
  box.image = b;
  double off = a.halfPixel ? 0.5 : 0.0;
  double x0 = rois.get(k * 4) * a.scale - off;
  double y0 = rois.get(k * 4 + 1) * a.scale - off;
  double bw = rois.get(k * 4 + 2) * a.scale - off - x0;
  double bh = rois.get(k * 4 + 3) * a.scale - off - y0;
  if (!a.halfPixel) {
    box.widthClamped = bw < 1.0;
    box.heightClamped = bh < 1.0;
    bw = std::max(bw, 1.0);
    bh = std::max(bh, 1.0);
  }
  double binH = bh / a.oh, binW = bw / a.ow;
  // Bounds the sample grid (and the conversions below) for absurd boxes.
  if (!(std::fabs(x0) < 1e9 && std::fabs(y0) < 1e9 && std::fabs(binH) < 1e6 &&
        std::fabs(binW) < 1e6))
    return evaluationError(op, "box " + llvm::Twine(k) +
                                   " is not finite or too large");
  int64_t gh = a.ratio > 0 ? a.ratio : static_cast<int64_t>(std::ceil(binH));
  int64_t gw = a.ratio > 0 ? a.ratio : static_cast<int64_t>(std::ceil(binW));
  if (gh > 100000 || gw > 100000)
    return evaluationError(op, "box " + llvm::Twine(k) + " needs " +
                                   llvm::Twine(gh) + "x" + llvm::Twine(gw) +
                                   " samples per bin");
  box.x0 = x0;
  box.y0 = y0;
  box.binH = binH;
  box.binW = binW;
  box.gh = gh;
  box.gw = gw;
  return llvm::Error::success();
}

/// A roi_align sample point in an H x W image: its four corner pixels
/// (r0, c0), (r0, c1), (r1, c0), (r1, c1) with bilinear weights, and whether
/// the clamps fixed its row / column coordinate (derivative 0 then).
/// `inside` false: the point reads 0.
struct RoiSample {
  bool inside = false, yFixed = false, xFixed = false;
  int64_t r0 = 0, r1 = 0, c0 = 0, c1 = 0;
  double ly = 0, lx = 0;

  RoiSample(double sy, double sx, int64_t h, int64_t w) {
    if (sy < -1.0 || sy > h || sx < -1.0 || sx > w)
      return;
    inside = true;
    yFixed = sy < 0;
    xFixed = sx < 0;
    sy = std::max(sy, 0.0);
    sx = std::max(sx, 0.0);
    r0 = static_cast<int64_t>(sy);
    c0 = static_cast<int64_t>(sx);
    r1 = r0 + 1;
    c1 = c0 + 1;
    if (r0 >= h - 1) {
      r0 = r1 = h - 1;
      sy = static_cast<double>(r0);
      yFixed = true;
    }
    if (c0 >= w - 1) {
      c0 = c1 = w - 1;
      sx = static_cast<double>(c0);
      xFixed = true;
    }
    ly = sy - r0;
    lx = sx - c0;
  }
  /// Corner k (0..3: (r0, c0), (r0, c1), (r1, c0), (r1, c1)).
  int64_t row(int k) const { return k < 2 ? r0 : r1; }
  int64_t col(int k) const { return k % 2 ? c1 : c0; }
  double weight(int k) const {
    return (k < 2 ? 1 - ly : ly) * (k % 2 ? lx : 1 - lx);
  }
  /// d weight(k) / d ly and / d lx.
  double weightY(int k) const {
    return (k < 2 ? -1 : 1) * (k % 2 ? lx : 1 - lx);
  }
  double weightX(int k) const {
    return (k < 2 ? 1 - ly : ly) * (k % 2 ? 1 : -1);
  }
};

llvm::Error roiAlignKernel(RoiAlignOp op, llvm::ArrayRef<Tensor> in,
                           std::vector<Tensor> &results) {
  const Tensor &x = in[0], &rois = in[1], &batch = in[2];
  int64_t c = x.dim(1), h = x.dim(2), w = x.dim(3);
  RoiAlignParams a(op);
  Shape outShape;
  if (llvm::Error err = roiAlignShape(op, a, x, rois, batch, outShape))
    return err;
  Tensor y(x.dtype(), outShape);
  for (int64_t k = 0; k < rois.dim(0); ++k) {
    RoiBox box;
    if (llvm::Error err = roiAlignBox(op, a, x, rois, batch, k, box))
      return err;
    double count = std::max<int64_t>(box.gh * box.gw, 1);
    for (int64_t ch = 0; ch < c; ++ch) {
      auto pixel = [&](int64_t row, int64_t col) {
        return x.get(((box.image * c + ch) * h + row) * w + col);
      };
      for (int64_t ph = 0; ph < a.oh; ++ph)
        for (int64_t pw = 0; pw < a.ow; ++pw) {
          double acc = 0;
          bool first = true;
          for (int64_t iy = 0; iy < box.gh; ++iy)
            for (int64_t ix = 0; ix < box.gw; ++ix) {
              RoiSample p(box.sampleY(ph, iy), box.sampleX(pw, ix), h, w);
              // The four corner terms weight * value (all 0 outside).
              double terms[4] = {0, 0, 0, 0};
              if (p.inside)
                for (int q = 0; q < 4; ++q)
                  terms[q] = p.weight(q) * pixel(p.row(q), p.col(q));
              if (a.isMax) {
                double v = *std::max_element(terms, terms + 4);
                acc = first ? v : std::max(acc, v);
                first = false;
              } else {
                acc += terms[0] + terms[1] + terms[2] + terms[3];
              }
            }
          y.set(((k * c + ch) * a.oh + ph) * a.ow + pw,
                a.isMax ? acc : acc / count);
        }
    }
  }
  results.push_back(std::move(y));
  return llvm::Error::success();
}

/// The adjoint of roiAlignKernel. Each sample's corner terms send dy (over
/// the count for avg; for max only the selected term of the selected sample)
/// to their pixels, and through d term / d (ly, lx) and the sample
/// coordinates' dependence on the box to rois.
llvm::Error roiAlignGradKernel(RoiAlignGradOp op, llvm::ArrayRef<Tensor> in,
                               std::vector<Tensor> &results) {
  const Tensor &x = in[0], &rois = in[1], &batch = in[2], &dy = in[3];
  int64_t c = x.dim(1), h = x.dim(2), w = x.dim(3);
  RoiAlignParams a(op);
  Shape outShape;
  if (llvm::Error err = roiAlignShape(op, a, x, rois, batch, outShape))
    return err;
  if (llvm::Error err = checkOutputGrad(op, dy, outShape))
    return err;
  std::vector<double> dx(x.numElements(), 0.0), drois(rois.numElements(), 0.0);
  for (int64_t k = 0; k < rois.dim(0); ++k) {
    RoiBox box;
    if (llvm::Error err = roiAlignBox(op, a, x, rois, batch, k, box))
      return err;
    double count = std::max<int64_t>(box.gh * box.gw, 1);
    // sy = y1 * scale - off + f * (y2 - y1) * scale (extent unclamped),
    // f = (ph + (iy + 0.5) / gh) / oh: d sy / d y1 = scale * (1 - f),
    // d sy / d y2 = scale * f; x alike.
    double extentY = box.heightClamped ? 0.0 : 1.0;
    double extentX = box.widthClamped ? 0.0 : 1.0;
    for (int64_t ch = 0; ch < c; ++ch) {
      int64_t plane = (box.image * c + ch) * h * w;
      for (int64_t ph = 0; ph < a.oh; ++ph)
        for (int64_t pw = 0; pw < a.ow; ++pw) {
          double g = dy.get(((k * c + ch) * a.oh + ph) * a.ow + pw);
          // Adds `scale` times the derivative of corner term q of sample
          // (iy, ix).
          auto backward = [&](const RoiSample &p, int64_t iy, int64_t ix, int q,
                              double scaleBy) {
            int64_t at = plane + p.row(q) * w + p.col(q);
            dx[at] += scaleBy * p.weight(q);
            double v = scaleBy * x.get(at);
            if (!p.yFixed) {
              double f = (ph + (iy + 0.5) / box.gh) / a.oh;
              double dly = v * p.weightY(q);
              drois[k * 4 + 1] += dly * a.scale * (1 - f * extentY);
              drois[k * 4 + 3] += dly * a.scale * f * extentY;
            }
            if (!p.xFixed) {
              double f = (pw + (ix + 0.5) / box.gw) / a.ow;
              double dlx = v * p.weightX(q);
              drois[k * 4] += dlx * a.scale * (1 - f * extentX);
              drois[k * 4 + 2] += dlx * a.scale * f * extentX;
            }
          };
          // max: the forward's choice, replayed (the first sample reaching
          // the maximum, its first largest term; outside samples have
          // constant terms).
          double best = 0;
          bool first = true, chosenInside = false;
          int64_t bestY = 0, bestX = 0;
          int bestQ = 0;
          for (int64_t iy = 0; iy < box.gh; ++iy)
            for (int64_t ix = 0; ix < box.gw; ++ix) {
              RoiSample p(box.sampleY(ph, iy), box.sampleX(pw, ix), h, w);
              if (!a.isMax) {
                if (p.inside)
                  for (int q = 0; q < 4; ++q)
                    backward(p, iy, ix, q, g / count);
                continue;
              }
              double terms[4] = {0, 0, 0, 0};
              if (p.inside)
                for (int q = 0; q < 4; ++q)
                  terms[q] =
                      p.weight(q) * x.get(plane + p.row(q) * w + p.col(q));
              double *top = std::max_element(terms, terms + 4);
              if (first || best < *top) {
                best = *top;
                bestY = iy;
                bestX = ix;
                bestQ = static_cast<int>(top - terms);
                chosenInside = p.inside;
              }
              first = false;
            }
          if (a.isMax && !first && chosenInside)
            backward(
                RoiSample(box.sampleY(ph, bestY), box.sampleX(pw, bestX), h, w),
                bestY, bestX, bestQ, g);
        }
    }
  }
  results.push_back(gradientLike(x, dx));
  results.push_back(gradientLike(rois, drois));
  return llvm::Error::success();
}

/// The geometry of deform_conv (and deform_conv_grad), checked against the
/// runtime shapes.
struct DeformGeometry {
  Shape inSizes, kSizes, outShape;
  llvm::SmallVector<int64_t> pads, outSizes;
  std::vector<int64_t> strides, dilations;
  int64_t m, cg, mg, c, taps, perOffsetGroup;
};

template <typename OpTy>
llvm::Error deformGeometry(OpTy op, const Tensor &x, const Tensor &w,
                           const Tensor &off, const Tensor &mask,
                           const Tensor *bias, DeformGeometry &d) {
  d.inSizes = spatialOf(x);
  d.kSizes = spatialOf(w);
  size_t s = d.inSizes.size();
  op.getWindowGeometry(d.inSizes, d.kSizes, d.pads, d.outSizes);
  if (llvm::Error err = checkOutputSizes(op, d.outSizes))
    return err;
  d.strides = orOnes(op.getStrides(), s);
  d.dilations = orOnes(op.getDilations(), s);
  int64_t groups = static_cast<int64_t>(op.getGroups());
  int64_t offsetGroup = static_cast<int64_t>(op.getOffsetGroup());
  if (llvm::Error err = checkChannels(op, x, w, bias, groups, false))
    return err;
  d.m = w.dim(0);
  d.cg = w.dim(1);
  d.mg = d.m / groups;
  d.c = x.dim(1);
  d.taps = product(d.kSizes);
  // Sizes declared `?` are checked only now.
  Shape offShape = {x.dim(0), offsetGroup * d.taps * static_cast<int64_t>(s)};
  Shape maskShape = {x.dim(0), offsetGroup * d.taps};
  offShape.insert(offShape.end(), d.outSizes.begin(), d.outSizes.end());
  maskShape.insert(maskShape.end(), d.outSizes.begin(), d.outSizes.end());
  if (d.c % offsetGroup != 0 || off.shape() != offShape ||
      mask.shape() != maskShape)
    return evaluationError(
        op, "offset shape " + formatShape(off.shape()) + " or mask shape " +
                formatShape(mask.shape()) + " does not fit (expected " +
                formatShape(offShape) + " and " + formatShape(maskShape) + ")");
  d.perOffsetGroup = d.c / offsetGroup;
  d.outShape = {x.dim(0), d.m};
  d.outShape.insert(d.outShape.end(), d.outSizes.begin(), d.outSizes.end());
  return llvm::Error::success();
}

/// Calls f(tap j, flat tap index kj, input channel ic, offset group g,
/// mask index, offset indices of the s coordinates, tap position p, finite)
/// for every term of output element `o` of deform_conv, in the forward
/// kernel's order.
template <typename F>
void forEachDeformTap(const DeformGeometry &d, const Tensor &off,
                      llvm::ArrayRef<int64_t> o, F f) {
  size_t s = d.inSizes.size();
  int64_t n = o[0], oc = o[1], grp = oc / d.mg;
  std::vector<int64_t> offIdx(off.rank()), maskIdx(off.rank());
  std::vector<int64_t> offAt(s);
  std::vector<double> p(s);
  for (int64_t ci = 0; ci < d.cg; ++ci) {
    int64_t ic = grp * d.cg + ci, g = ic / d.perOffsetGroup;
    int64_t kj = 0;
    forEachIndex(d.kSizes, [&](llvm::ArrayRef<int64_t> j) {
      std::copy(o.begin() + 2, o.end(), offIdx.begin() + 2);
      std::copy(o.begin() + 2, o.end(), maskIdx.begin() + 2);
      offIdx[0] = maskIdx[0] = n;
      maskIdx[1] = g * d.taps + kj;
      bool finite = true;
      for (size_t i = 0; i < s; ++i) {
        offIdx[1] = (g * d.taps + kj) * static_cast<int64_t>(s) + i;
        offAt[i] = off.offset(offIdx);
        p[i] = static_cast<double>(o[2 + i] * d.strides[i] - d.pads[i] +
                                   j[i] * d.dilations[i]) +
               off.get(offAt[i]);
        finite &= std::fabs(p[i]) < 1e15;
      }
      f(j, ci, ic, maskIdx, offAt, p, finite);
      ++kj;
    });
  }
}

/// Calls f(spatial corner position, per-dim factors, weight) for every
/// corner of the multilinear interpolation at `p` that lies inside
/// `sizes` (row-major corner order; factor i is 1 - t_i or t_i).
template <typename F>
void forEachCorner(llvm::ArrayRef<double> p, llvm::ArrayRef<int64_t> sizes,
                   F f) {
  size_t s = sizes.size();
  Shape corners(s, 2);
  std::vector<int64_t> q(s);
  std::vector<double> factor(s);
  forEachIndex(corners, [&](llvm::ArrayRef<int64_t> corner) {
    double weight = 1;
    for (size_t i = 0; i < s; ++i) {
      double fl = std::floor(p[i]);
      q[i] = static_cast<int64_t>(fl) + corner[i];
      if (q[i] < 0 || q[i] >= sizes[i])
        return;
      factor[i] = corner[i] ? p[i] - fl : 1 - (p[i] - fl);
      weight *= factor[i];
    }
    f(corner, q, factor, weight);
  });
}

llvm::Error deformConvKernel(DeformConvOp op, llvm::ArrayRef<Tensor> in,
                             std::vector<Tensor> &results) {
  const Tensor &x = in[0], &w = in[1], &off = in[2], &mask = in[3];
  const Tensor *bias = in.size() > 4 ? &in[4] : nullptr;
  DeformGeometry d;
  if (llvm::Error err = deformGeometry(op, x, w, off, mask, bias, d))
    return err;
  Tensor y(x.dtype(), d.outShape);
  std::vector<int64_t> pos(x.rank()), wIdx(w.rank());
  forEachIndex(d.outShape, [&](llvm::ArrayRef<int64_t> o) {
    int64_t n = o[0], oc = o[1];
    double acc = bias ? bias->get(oc) : 0.0;
    forEachDeformTap(
        d, off, o,
        [&](llvm::ArrayRef<int64_t> j, int64_t ci, int64_t ic,
            llvm::ArrayRef<int64_t> maskIdx, llvm::ArrayRef<int64_t>,
            llvm::ArrayRef<double> p, bool finite) {
          double scale = mask.at(maskIdx);
          // Multilinear interpolation, zeros outside.
          double v = 0;
          if (finite)
            forEachCorner(p, d.inSizes,
                          [&](llvm::ArrayRef<int64_t>,
                              llvm::ArrayRef<int64_t> q, llvm::ArrayRef<double>,
                              double weight) {
                            pos[0] = n;
                            pos[1] = ic;
                            std::copy(q.begin(), q.end(), pos.begin() + 2);
                            v += weight * x.at(pos);
                          });
          else
            v = std::numeric_limits<double>::quiet_NaN();
          wIdx[0] = oc;
          wIdx[1] = ci;
          std::copy(j.begin(), j.end(), wIdx.begin() + 2);
          acc += w.at(wIdx) * scale * v;
        });
    y.set(y.offset(o), acc);
  });
  results.push_back(std::move(y));
  return llvm::Error::success();
}

/// The adjoint of deformConvKernel, term by term: each term
/// w * mask * x~(p) adds dy times its other factors to the weight, the mask,
/// the corners of x~ (times their interpolation weights) and the offsets
/// (times d x~ / d p_i).
llvm::Error deformConvGradKernel(DeformConvGradOp op, llvm::ArrayRef<Tensor> in,
                                 std::vector<Tensor> &results) {
  const Tensor &x = in[0], &w = in[1], &off = in[2], &mask = in[3], &dy = in[4];
  DeformGeometry d;
  if (llvm::Error err = deformGeometry(op, x, w, off, mask, nullptr, d))
    return err;
  if (llvm::Error err = checkOutputGrad(op, dy, d.outShape))
    return err;
  size_t s = d.inSizes.size();
  std::vector<double> dx(x.numElements(), 0.0), dw(w.numElements(), 0.0),
      doff(off.numElements(), 0.0), dmask(mask.numElements(), 0.0);
  std::vector<int64_t> pos(x.rank()), wIdx(w.rank());
  std::vector<double> dv(s);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  forEachIndex(d.outShape, [&](llvm::ArrayRef<int64_t> o) {
    int64_t n = o[0], oc = o[1];
    double g = dy.at(o);
    forEachDeformTap(
        d, off, o,
        [&](llvm::ArrayRef<int64_t> j, int64_t ci, int64_t ic,
            llvm::ArrayRef<int64_t> maskIdx, llvm::ArrayRef<int64_t> offAt,
            llvm::ArrayRef<double> p, bool finite) {
          int64_t maskAt = mask.offset(maskIdx);
          double scale = mask.get(maskAt);
          wIdx[0] = oc;
          wIdx[1] = ci;
          std::copy(j.begin(), j.end(), wIdx.begin() + 2);
          int64_t wAt = w.offset(wIdx);
          double wv = w.get(wAt);
          double v = 0;
          std::fill(dv.begin(), dv.end(), 0.0);
          if (finite) {
            forEachCorner(p, d.inSizes,
                          [&](llvm::ArrayRef<int64_t> corner,
                              llvm::ArrayRef<int64_t> q,
                              llvm::ArrayRef<double> factor, double weight) {
                            pos[0] = n;
                            pos[1] = ic;
                            std::copy(q.begin(), q.end(), pos.begin() + 2);
                            int64_t at = x.offset(pos);
                            double xv = x.get(at);
                            v += weight * xv;
                            dx[at] += g * wv * scale * weight;
                            for (size_t i = 0; i < s; ++i) {
                              double t = corner[i] ? xv : -xv;
                              for (size_t k = 0; k < s; ++k)
                                if (k != i)
                                  t *= factor[k];
                              dv[i] += t;
                            }
                          });
          } else {
            v = nan;
            std::fill(dv.begin(), dv.end(), nan);
          }
          dw[wAt] += g * scale * v;
          dmask[maskAt] += g * wv * v;
          for (size_t i = 0; i < s; ++i)
            doff[offAt[i]] += g * wv * scale * dv[i];
        });
  });
  results.push_back(gradientLike(x, dx));
  results.push_back(gradientLike(w, dw));
  results.push_back(gradientLike(off, doff));
  results.push_back(gradientLike(mask, dmask));
  return llvm::Error::success();
}

} // namespace

void registerConvolutionKernels(KernelRegistry &registry) {
  registry.add<ConvOp>(convKernel);
  registry.add<ConvTransposeOp>(convTransposeKernel);
  registry.add<MaxPoolOp>([](MaxPoolOp op, llvm::ArrayRef<Tensor> in,
                             std::vector<Tensor> &out) {
    return poolKernel(op, in, out, /*isMax=*/true, op.getDilations(), false);
  });
  registry.add<AvgPoolOp>(
      [](AvgPoolOp op, llvm::ArrayRef<Tensor> in, std::vector<Tensor> &out) {
        return poolKernel(op, in, out, /*isMax=*/false, op.getDilations(),
                          op.getCountIncludePad());
      });
  registry.add<GlobalMaxPoolOp>([](GlobalMaxPoolOp op,
                                   llvm::ArrayRef<Tensor> in,
                                   std::vector<Tensor> &out) {
    return globalPool(op, in[0], out, /*isMax=*/true);
  });
  registry.add<GlobalAvgPoolOp>([](GlobalAvgPoolOp op,
                                   llvm::ArrayRef<Tensor> in,
                                   std::vector<Tensor> &out) {
    return globalPool(op, in[0], out, /*isMax=*/false);
  });
  registry.add<LRNOp>(lrnKernel);
  registry.add<Col2ImOp>(col2imKernel);
  registry.add<GridSampleOp>(gridSampleKernel);
  registry.add<RoiAlignOp>(roiAlignKernel);
  registry.add<DeformConvOp>(deformConvKernel);
  registry.add<GridSampleGradOp>(gridSampleGradKernel);
  registry.add<RoiAlignGradOp>(roiAlignGradKernel);
  registry.add<DeformConvGradOp>(deformConvGradKernel);
}

} // namespace strata::reference
