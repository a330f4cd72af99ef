//===- ActivationKernels.cpp - Reference semantics of the Activation ops --===//
//
// Every activation computes in double and rounds to the element type on
// store. The formulas are the ones in each op's description.
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"
#include "ir/reference/Evaluator.h"

#include <cmath>

using namespace mlir;

namespace strata::reference {
namespace {

/// Registers an elementwise activation: `f(op, x)` for every element.
template <typename OpTy, typename Fn>
void addActivation(KernelRegistry &r, Fn f) {
  r.add<OpTy>([f](OpTy op, llvm::ArrayRef<Tensor> in,
                  std::vector<Tensor> &out) -> llvm::Error {
    const Tensor &x = in[0];
    Tensor y(x.dtype(), x.shape());
    for (int64_t i = 0, e = x.numElements(); i < e; ++i)
      y.set(i, f(op, x.get(i)));
    out.push_back(std::move(y));
    return llvm::Error::success();
  });
}

constexpr double kPi = 3.14159265358979323846;

double attr(const llvm::APFloat &value) { return value.convertToDouble(); }

/// log(1 + exp(x)) without overflow for large x or cancellation for small.
double softplus(double x) {
  return std::max(x, 0.0) + std::log1p(std::exp(-std::fabs(x)));
}

/// Softmax (or log_softmax) of every 1-D slice along `axis`. A slice is
/// addressed by its outer index o and inner index i: element k of the slice
/// is at (o * n + k) * inner + i.
Tensor softmax(const Tensor &x, int64_t axis, bool log) {
  Tensor y(x.dtype(), x.shape());
  int64_t outer = 1, inner = 1, n = x.dim(axis);
  for (int64_t d = 0; d < axis; ++d)
    outer *= x.dim(d);
  for (int64_t d = axis + 1; d < x.rank(); ++d)
    inner *= x.dim(d);
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      auto at = [&](int64_t k) { return (o * n + k) * inner + i; };
      double m = -INFINITY;
      for (int64_t k = 0; k < n; ++k)
        m = std::isnan(x.get(at(k))) ? NAN : std::max(m, x.get(at(k)));
      // An all -inf slice has no finite max; shifting by 0 keeps the plain
      // formula (0 / 0 and -inf - log(0) are NaN) instead of -inf - -inf.
      if (std::isinf(m) && m < 0)
        m = 0;
      double sum = 0;
      for (int64_t k = 0; k < n; ++k)
        sum += std::exp(x.get(at(k)) - m);
      for (int64_t k = 0; k < n; ++k) {
        double v = x.get(at(k)) - m;
        y.set(at(k), log ? v - std::log(sum) : std::exp(v) / sum);
      }
    }
  }
  return y;
}

} // namespace

void registerActivationKernels(KernelRegistry &r) {
  addActivation<ReluOp>(r, [](ReluOp, double x) { return x < 0 ? 0.0 : x; });
  addActivation<LeakyReluOp>(r, [](LeakyReluOp op, double x) {
    return x < 0 ? attr(op.getAlpha()) * x : x;
  });
  addActivation<SigmoidOp>(
      r, [](SigmoidOp, double x) { return 1 / (1 + std::exp(-x)); });
  addActivation<TanhOp>(r, [](TanhOp, double x) { return std::tanh(x); });
  // SINGA's constants (mshadow op::stanh), not the rounded 1.7159 and 2/3.
  addActivation<STanhOp>(r, [](STanhOp, double x) {
    return 1.7159047 * std::tanh(0.66666667 * x);
  });
  addActivation<GeluOp>(r, [](GeluOp op, double x) {
    if (op.getApproximate() == "tanh")
      return 0.5 * x *
             (1 + std::tanh(std::sqrt(2 / kPi) * (x + 0.044715 * x * x * x)));
    return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0)));
  });
  addActivation<EluOp>(r, [](EluOp op, double x) {
    return x < 0 ? attr(op.getAlpha()) * (std::exp(x) - 1) : x;
  });
  addActivation<SeluOp>(r, [](SeluOp op, double x) {
    double alpha = attr(op.getAlpha()), gamma = attr(op.getGamma());
    return x > 0 ? gamma * x : gamma * (alpha * std::exp(x) - alpha);
  });
  addActivation<CeluOp>(r, [](CeluOp op, double x) {
    double alpha = attr(op.getAlpha());
    return std::max(0.0, x) + std::min(0.0, alpha * (std::exp(x / alpha) - 1));
  });
  addActivation<SoftplusOp>(r,
                            [](SoftplusOp, double x) { return softplus(x); });
  addActivation<SoftsignOp>(
      r, [](SoftsignOp, double x) { return x / (1 + std::fabs(x)); });
  addActivation<HardSigmoidOp>(r, [](HardSigmoidOp op, double x) {
    double v = attr(op.getAlpha()) * x + attr(op.getBeta());
    return std::isnan(v) ? v : std::max(0.0, std::min(1.0, v));
  });
  addActivation<HardSwishOp>(r, [](HardSwishOp, double x) {
    double v = x / 6 + 0.5;
    return std::isnan(v) ? v : x * std::max(0.0, std::min(1.0, v));
  });
  addActivation<ThresholdedReluOp>(r, [](ThresholdedReluOp op, double x) {
    return x > attr(op.getAlpha()) || std::isnan(x) ? x : 0.0;
  });
  addActivation<MishOp>(
      r, [](MishOp, double x) { return x * std::tanh(softplus(x)); });
  addActivation<ShrinkOp>(r, [](ShrinkOp op, double x) {
    double bias = attr(op.getBias()), lambd = attr(op.getLambd());
    if (x < -lambd)
      return x + bias;
    if (x > lambd)
      return x - bias;
    return std::isnan(x) ? x : 0.0;
  });

  r.add<SoftmaxOp>([](SoftmaxOp op, llvm::ArrayRef<Tensor> in,
                      std::vector<Tensor> &out) -> llvm::Error {
    int64_t axis = *normalizeAxis(op.getAxis(), in[0].rank());
    out.push_back(softmax(in[0], axis, /*log=*/false));
    return llvm::Error::success();
  });
  r.add<LogSoftmaxOp>([](LogSoftmaxOp op, llvm::ArrayRef<Tensor> in,
                         std::vector<Tensor> &out) -> llvm::Error {
    int64_t axis = *normalizeAxis(op.getAxis(), in[0].rank());
    out.push_back(softmax(in[0], axis, /*log=*/true));
    return llvm::Error::success();
  });

  r.add<PReluOp>([](PReluOp op, llvm::ArrayRef<Tensor> in,
                    std::vector<Tensor> &out) -> llvm::Error {
    const Tensor &x = in[0], &slope = in[1];
    // Dynamic sizes are only known now: recheck the unidirectional broadcast.
    bool ok = slope.rank() <= x.rank();
    for (int64_t i = 1; ok && i <= slope.rank(); ++i)
      ok = slope.dim(slope.rank() - i) == 1 ||
           slope.dim(slope.rank() - i) == x.dim(x.rank() - i);
    if (!ok)
      return evaluationError(op, "slope of shape " +
                                     formatShape(slope.shape()) +
                                     " does not broadcast to input of shape " +
                                     formatShape(x.shape()));
    Tensor y(x.dtype(), x.shape());
    int64_t k = 0;
    forEachIndex(x.shape(), [&](llvm::ArrayRef<int64_t> index) {
      double v = x.get(k);
      y.set(k++,
            v < 0 ? slope.get(broadcastOffset(slope.shape(), index)) * v : v);
    });
    out.push_back(std::move(y));
    return llvm::Error::success();
  });
}

} // namespace strata::reference
