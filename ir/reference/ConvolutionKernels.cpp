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

#include <cmath>
#include <limits>

using namespace mlir;

namespace strata::reference {
namespace {

using Shape = std::vector<int64_t>;

Shape spatialOf(const Tensor &t) {
  return Shape(t.shape().begin() + 2, t.shape().end());
}

/// Fills `pos` (an index [n, c, spatial...]) with the input position read by
/// output position `out` at kernel offset `k`; false if it is padding.
bool windowPosition(llvm::ArrayRef<int64_t> out, llvm::ArrayRef<int64_t> k,
                    llvm::ArrayRef<int64_t> strides,
                    llvm::ArrayRef<int64_t> dilations,
                    llvm::ArrayRef<int64_t> padBegin,
                    llvm::ArrayRef<int64_t> inSizes,
                    std::vector<int64_t> &pos) {
  for (size_t i = 0; i < k.size(); ++i) {
    int64_t p = out[i] * strides[i] - padBegin[i] + k[i] * dilations[i];
    if (p < 0 || p >= inSizes[i])
      return false;
    pos[2 + i] = p;
  }
  return true;
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
  std::vector<int64_t> pos(x.rank()), wIdx(w.rank());
  forEachIndex(outShape, [&](llvm::ArrayRef<int64_t> o) {
    int64_t n = o[0], oc = o[1], g = oc / mg;
    double acc = bias ? bias->get(oc) : 0.0;
    for (int64_t c = 0; c < cg; ++c) {
      forEachIndex(kSizes, [&](llvm::ArrayRef<int64_t> k) {
        if (!windowPosition(o.drop_front(2), k, strides, dilations, pads,
                            inSizes, pos))
          return;
        pos[0] = n;
        pos[1] = g * cg + c;
        wIdx[0] = oc;
        wIdx[1] = c;
        std::copy(k.begin(), k.end(), wIdx.begin() + 2);
        acc += x.at(pos) * w.at(wIdx);
      });
    }
    y.set(y.offset(o), acc);
  });
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
  Tensor y(x.dtype(), outShape);
  std::vector<double> acc(y.numElements(), 0.0);
  std::vector<int64_t> outIdx(outShape.size()), wIdx(w.rank());
  forEachIndex(x.shape(), [&](llvm::ArrayRef<int64_t> xi) {
    int64_t n = xi[0], ic = xi[1], g = ic / cg;
    double v = x.at(xi);
    for (int64_t oc = 0; oc < mg; ++oc) {
      forEachIndex(kSizes, [&](llvm::ArrayRef<int64_t> k) {
        for (size_t i = 0; i < s; ++i) {
          int64_t p = xi[2 + i] * strides[i] - pads[i] + k[i] * dilations[i];
          if (p < 0 || p >= outSizes[i])
            return;
          outIdx[2 + i] = p;
        }
        outIdx[0] = n;
        outIdx[1] = g * mg + oc;
        wIdx[0] = ic;
        wIdx[1] = oc;
        std::copy(k.begin(), k.end(), wIdx.begin() + 2);
        acc[y.offset(outIdx)] += v * w.at(wIdx);
      });
    }
  });
  forEachIndex(outShape, [&](llvm::ArrayRef<int64_t> o) {
    int64_t k = y.offset(o);
    y.set(k, acc[k] + (bias ? bias->get(o[1]) : 0.0));
  });
  results.push_back(std::move(y));
  return llvm::Error::success();
}

/// Max or average pooling; `dilations` is empty for avg_pool.
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
  std::vector<int64_t> pos(x.rank());
  bool empty = false;
  forEachIndex(outShape, [&](llvm::ArrayRef<int64_t> o) {
    pos[0] = o[0];
    pos[1] = o[1];
    double best = -std::numeric_limits<double>::infinity(), sum = 0;
    int64_t inside = 0, padded = 0;
    bool nan = false;
    forEachIndex(kSizes, [&](llvm::ArrayRef<int64_t> k) {
      // Count window positions inside the padded input [-pb, D + pe).
      bool inPadded = true;
      for (size_t i = 0; i < s; ++i) {
        int64_t p = o[2 + i] * strides[i] - pads[i] + k[i] * dilations[i];
        inPadded &= p >= -pads[i] && p < inSizes[i] + pads[s + i];
      }
      padded += inPadded;
      if (!windowPosition(o.drop_front(2), k, strides, dilations, pads, inSizes,
                          pos))
        return;
      double v = x.at(pos);
      ++inside;
      sum += v;
      nan |= std::isnan(v);
      best = std::max(best, v);
    });
    int64_t divisor = countIncludePad ? padded : inside;
    if (inside == 0 && (isMax || divisor == 0)) {
      empty = true;
      return;
    }
    y.set(y.offset(o), nan ? std::numeric_limits<double>::quiet_NaN()
                           : (isMax ? best : sum / divisor));
  });
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
  std::vector<int64_t> pos;
  forEachIndex(x.shape(), [&](llvm::ArrayRef<int64_t> idx) {
    pos.assign(idx.begin(), idx.end());
    int64_t c = idx[1];
    double sq = 0;
    for (int64_t j = std::max<int64_t>(0, c - before);
         j <= std::min(channels - 1, c + after); ++j) {
      pos[1] = j;
      double v = x.at(pos);
      sq += v * v;
    }
    y.set(y.offset(idx), x.at(idx) / std::pow(bias + alpha / size * sq, beta));
  });
  results.push_back(std::move(y));
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
        return poolKernel(op, in, out, /*isMax=*/false, {},
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
}

} // namespace strata::reference
