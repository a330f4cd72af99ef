//===- NormalizationKernels.cpp - Reference semantics of normalizations ---===//
//
// Statistics are computed in double with two passes (mean, then the mean of
// squared deviations: the biased variance); every result is rounded once on
// store. Channel-wise ops see `input` as [N, C, S] with S the product of the
// spatial dims, so element (n, c, s) is at (n * C + c) * S + s. Sizes the
// verifier could not check (dynamic in the IR) are checked here.
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"
#include "ir/reference/Evaluator.h"

#include <cmath>

using namespace mlir;

namespace strata::reference {
namespace {

/// Product of `shape[from:to]`.
int64_t product(llvm::ArrayRef<int64_t> shape, size_t from, size_t to) {
  int64_t n = 1;
  for (size_t i = from; i < to; ++i)
    n *= shape[i];
  return n;
}

/// Checks that every tensor of `params` (operands 1..) is [C] for the input
/// in[0] of layout [N, C, ...].
llvm::Error checkChannelParams(Operation *op, llvm::ArrayRef<Tensor> in) {
  int64_t channels = in[0].dim(1);
  for (size_t i = 1; i < in.size(); ++i)
    if (in[i].rank() != 1 || in[i].dim(0) != channels)
      return evaluationError(op, "operand #" + llvm::Twine(i) + " is " +
                                     shapeString(in[i].shape()) +
                                     ", expected [" + llvm::Twine(channels) +
                                     "] for input " +
                                     shapeString(in[0].shape()));
  return llvm::Error::success();
}

/// Mean and biased variance of the `count` contiguous elements from `base`.
std::pair<double, double> moments(const Tensor &x, int64_t base,
                                  int64_t count) {
  double sum = 0;
  for (int64_t j = 0; j < count; ++j)
    sum += x.get(base + j);
  double mean = sum / static_cast<double>(count);
  double sq = 0;
  for (int64_t j = 0; j < count; ++j) {
    double d = x.get(base + j) - mean;
    sq += d * d;
  }
  return {mean, sq / static_cast<double>(count)};
}

llvm::Error batchNorm(BatchNormOp op, llvm::ArrayRef<Tensor> in,
                      std::vector<Tensor> &out) {
  if (llvm::Error err = checkChannelParams(op, in))
    return err;
  const Tensor &x = in[0], &scale = in[1], &bias = in[2], &mean = in[3],
               &var = in[4];
  double eps = op.getEpsilon().convertToDouble();
  int64_t n = x.dim(0), c = x.dim(1), s = product(x.shape(), 2, x.rank());
  Tensor y(x.dtype(), x.shape());
  for (int64_t i = 0; i < n; ++i)
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t j = 0; j < s; ++j) {
        int64_t k = (i * c + ch) * s + j;
        y.set(k, scale.get(ch) * (x.get(k) - mean.get(ch)) /
                         std::sqrt(var.get(ch) + eps) +
                     bias.get(ch));
      }
  out.push_back(std::move(y));
  return llvm::Error::success();
}

llvm::Error batchNormTrain(BatchNormTrainOp op, llvm::ArrayRef<Tensor> in,
                           std::vector<Tensor> &out) {
  if (llvm::Error err = checkChannelParams(op, in))
    return err;
  const Tensor &x = in[0], &scale = in[1], &bias = in[2], &runningMean = in[3],
               &runningVar = in[4];
  double eps = op.getEpsilon().convertToDouble();
  double momentum = op.getMomentum().convertToDouble();
  int64_t n = x.dim(0), c = x.dim(1), s = product(x.shape(), 2, x.rank());
  if (n * s == 0)
    return evaluationError(op, "has an empty batch: input " +
                                   shapeString(x.shape()));
  double count = static_cast<double>(n * s);
  Tensor y(x.dtype(), x.shape());
  Tensor newMean(x.dtype(), {c}), newVar(x.dtype(), {c});
  Tensor batchMean(x.dtype(), {c}), batchVar(x.dtype(), {c});
  for (int64_t ch = 0; ch < c; ++ch) {
    double sum = 0;
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < s; ++j)
        sum += x.get((i * c + ch) * s + j);
    double mean = sum / count;
    double sq = 0;
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < s; ++j) {
        double d = x.get((i * c + ch) * s + j) - mean;
        sq += d * d;
      }
    double var = sq / count;
    double inv = 1.0 / std::sqrt(var + eps);
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < s; ++j) {
        int64_t k = (i * c + ch) * s + j;
        y.set(k, scale.get(ch) * (x.get(k) - mean) * inv + bias.get(ch));
      }
    newMean.set(ch, runningMean.get(ch) * momentum + mean * (1 - momentum));
    newVar.set(ch, runningVar.get(ch) * momentum + var * (1 - momentum));
    batchMean.set(ch, mean);
    batchVar.set(ch, var);
  }
  out.push_back(std::move(y));
  out.push_back(std::move(newMean));
  out.push_back(std::move(newVar));
  out.push_back(std::move(batchMean));
  out.push_back(std::move(batchVar));
  return llvm::Error::success();
}

llvm::Error layerNorm(LayerNormOp op, llvm::ArrayRef<Tensor> in,
                      std::vector<Tensor> &out) {
  const Tensor &x = in[0];
  int64_t axis = static_cast<int64_t>(op.getAxis());
  if (axis < 0)
    axis += x.rank();
  double eps = op.getEpsilon().convertToDouble();
  std::vector<int64_t> normalized(x.shape().begin() + axis, x.shape().end());
  // Offsets of scale and bias read by each element of a normalized slice.
  std::vector<std::vector<int64_t>> offsets(in.size() - 1);
  for (size_t p = 1; p < in.size(); ++p) {
    const std::vector<int64_t> &ps = in[p].shape();
    bool ok = ps.size() <= normalized.size();
    for (size_t i = 0; ok && i < ps.size(); ++i)
      ok = ps[i] == 1 || ps[i] == normalized[normalized.size() - ps.size() + i];
    if (!ok)
      return evaluationError(
          op, "operand #" + llvm::Twine(p) + " is " + shapeString(ps) +
                  ", which does not broadcast to " + shapeString(normalized));
    forEachIndex(normalized, [&](llvm::ArrayRef<int64_t> index) {
      offsets[p - 1].push_back(broadcastOffset(ps, index));
    });
  }
  int64_t outer = product(x.shape(), 0, axis);
  int64_t inner = product(x.shape(), axis, x.rank());
  Tensor y(x.dtype(), x.shape());
  for (int64_t o = 0; o < outer && inner > 0; ++o) {
    auto [mean, var] = moments(x, o * inner, inner);
    double inv = 1.0 / std::sqrt(var + eps);
    for (int64_t j = 0; j < inner; ++j) {
      double v = (x.get(o * inner + j) - mean) * inv * in[1].get(offsets[0][j]);
      if (in.size() > 2)
        v += in[2].get(offsets[1][j]);
      y.set(o * inner + j, v);
    }
  }
  out.push_back(std::move(y));
  return llvm::Error::success();
}

llvm::Error instanceNorm(InstanceNormOp op, llvm::ArrayRef<Tensor> in,
                         std::vector<Tensor> &out) {
  if (llvm::Error err = checkChannelParams(op, in))
    return err;
  const Tensor &x = in[0], &scale = in[1], &bias = in[2];
  double eps = op.getEpsilon().convertToDouble();
  int64_t n = x.dim(0), c = x.dim(1), s = product(x.shape(), 2, x.rank());
  Tensor y(x.dtype(), x.shape());
  for (int64_t i = 0; i < n && s > 0; ++i)
    for (int64_t ch = 0; ch < c; ++ch) {
      int64_t base = (i * c + ch) * s;
      auto [mean, var] = moments(x, base, s);
      double inv = 1.0 / std::sqrt(var + eps);
      for (int64_t j = 0; j < s; ++j)
        y.set(base + j,
              scale.get(ch) * (x.get(base + j) - mean) * inv + bias.get(ch));
    }
  out.push_back(std::move(y));
  return llvm::Error::success();
}

llvm::Error groupNorm(GroupNormOp op, llvm::ArrayRef<Tensor> in,
                      std::vector<Tensor> &out) {
  if (llvm::Error err = checkChannelParams(op, in))
    return err;
  const Tensor &x = in[0], &scale = in[1], &bias = in[2];
  double eps = op.getEpsilon().convertToDouble();
  int64_t groups = static_cast<int64_t>(op.getNumGroups());
  int64_t n = x.dim(0), c = x.dim(1), s = product(x.shape(), 2, x.rank());
  if (c % groups != 0)
    return evaluationError(op, llvm::Twine(c) + " channels do not split into " +
                                   llvm::Twine(groups) + " groups");
  // A group's channels are consecutive, so its elements are contiguous.
  int64_t perGroup = c / groups, count = perGroup * s;
  Tensor y(x.dtype(), x.shape());
  for (int64_t i = 0; i < n && count > 0; ++i)
    for (int64_t g = 0; g < groups; ++g) {
      int64_t base = (i * c + g * perGroup) * s;
      auto [mean, var] = moments(x, base, count);
      double inv = 1.0 / std::sqrt(var + eps);
      for (int64_t j = 0; j < count; ++j) {
        int64_t ch = g * perGroup + j / s;
        y.set(base + j,
              scale.get(ch) * (x.get(base + j) - mean) * inv + bias.get(ch));
      }
    }
  out.push_back(std::move(y));
  return llvm::Error::success();
}

llvm::Error lpNormalization(LpNormalizationOp op, llvm::ArrayRef<Tensor> in,
                            std::vector<Tensor> &out) {
  const Tensor &x = in[0];
  int64_t axis = static_cast<int64_t>(op.getAxis());
  if (axis < 0)
    axis += x.rank();
  bool l1 = op.getP() == 1;
  int64_t outer = product(x.shape(), 0, axis), len = x.dim(axis);
  int64_t inner = product(x.shape(), axis + 1, x.rank());
  Tensor y(x.dtype(), x.shape());
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      auto at = [&](int64_t l) { return (o * len + l) * inner + i; };
      double norm = 0;
      for (int64_t l = 0; l < len; ++l)
        norm += l1 ? std::fabs(x.get(at(l))) : x.get(at(l)) * x.get(at(l));
      if (!l1)
        norm = std::sqrt(norm);
      for (int64_t l = 0; l < len; ++l)
        y.set(at(l), norm == 0 ? 0.0 : x.get(at(l)) / norm);
    }
  out.push_back(std::move(y));
  return llvm::Error::success();
}

} // namespace

void registerNormalizationKernels(KernelRegistry &registry) {
  registry.add<BatchNormOp>(batchNorm);
  registry.add<BatchNormTrainOp>(batchNormTrain);
  registry.add<LayerNormOp>(layerNorm);
  registry.add<InstanceNormOp>(instanceNorm);
  registry.add<GroupNormOp>(groupNorm);
  registry.add<LpNormalizationOp>(lpNormalization);
}

} // namespace strata::reference
