//===- ReductionKernels.cpp - Reference semantics of the Reduction ops ----===//
//
// reduce_* gather the elements of every output position into a list and
// fold it with the op's formula: floats in double, integers in int64 with
// wrapping arithmetic (unsigned 64-bit values compare and divide as
// unsigned). Stores round or wrap to the element type.
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"
#include "ir/reference/Evaluator.h"

#include <cmath>
#include <limits>

using namespace mlir;

namespace strata::reference {
namespace {

using FloatFold = double (*)(llvm::ArrayRef<double>);
/// Folds integers of a dtype; std::nullopt when undefined (empty mean).
using IntFold = std::optional<int64_t> (*)(llvm::ArrayRef<int64_t>, DType);

int64_t wrapAdd(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) +
                              static_cast<uint64_t>(b));
}
int64_t wrapMul(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) *
                              static_cast<uint64_t>(b));
}
/// a < b in the dtype's order (u64 is held as its bit pattern).
bool intLess(int64_t a, int64_t b, DType t) {
  if (t == DType::u64)
    return static_cast<uint64_t>(a) < static_cast<uint64_t>(b);
  return a < b;
}
/// Smallest and largest value of an integer dtype (as held in a Tensor).
int64_t intLowest(DType t) {
  if (isUnsignedDType(t) || t == DType::i1)
    return 0;
  return bitWidth(t) == 64 ? std::numeric_limits<int64_t>::min()
                           : -(int64_t(1) << (bitWidth(t) - 1));
}
int64_t intHighest(DType t) {
  if (t == DType::i1)
    return 1;
  if (t == DType::u64)
    return -1; // all ones
  if (isUnsignedDType(t))
    return (int64_t(1) << bitWidth(t)) - 1;
  return bitWidth(t) == 64 ? std::numeric_limits<int64_t>::max()
                           : (int64_t(1) << (bitWidth(t) - 1)) - 1;
}

double floatSum(llvm::ArrayRef<double> v) {
  double s = 0;
  for (double x : v)
    s += x;
  return s;
}
std::optional<int64_t> intSum(llvm::ArrayRef<int64_t> v, DType) {
  int64_t s = 0;
  for (int64_t x : v)
    s = wrapAdd(s, x);
  return s;
}

/// The reduced result of every output position; `values[k]` lists the input
/// elements that reduce into output element k (row-major over the keepdims
/// shape).
template <typename T>
std::vector<std::vector<T>> gather(const Tensor &x,
                                   const std::vector<bool> &reduced,
                                   std::vector<int64_t> &keptShape) {
  keptShape = x.shape();
  for (int64_t d = 0; d < x.rank(); ++d)
    if (reduced[d])
      keptShape[d] = 1;
  int64_t n = 1;
  for (int64_t d : keptShape)
    n *= d;
  std::vector<std::vector<T>> values(n);
  int64_t k = 0;
  forEachIndex(x.shape(), [&](llvm::ArrayRef<int64_t> index) {
    int64_t o = 0;
    for (int64_t d = 0; d < x.rank(); ++d)
      o = o * keptShape[d] + (reduced[d] ? 0 : index[d]);
    if constexpr (std::is_same_v<T, double>)
      values[o].push_back(x.get(k++));
    else
      values[o].push_back(x.getInt(k++));
  });
  return values;
}

template <typename OpTy>
void addReduce(KernelRegistry &r, FloatFold f, IntFold g) {
  r.add<OpTy>([f, g](OpTy op, llvm::ArrayRef<Tensor> in,
                     std::vector<Tensor> &out) -> llvm::Error {
    const Tensor &x = in[0];
    llvm::ArrayRef<int64_t> axes = op.getAxes();
    if (axes.empty() && op.getNoopWithEmptyAxes()) {
      out.push_back(x);
      return llvm::Error::success();
    }
    std::vector<bool> reduced(x.rank(), axes.empty());
    for (int64_t axis : axes)
      reduced[*normalizeAxis(axis, x.rank())] = true;
    std::vector<int64_t> keptShape, shape;
    for (int64_t d = 0; d < x.rank(); ++d)
      if (!reduced[d])
        shape.push_back(x.dim(d));
      else if (op.getKeepdims())
        shape.push_back(1);
    Tensor y;
    if (x.isFloat()) {
      auto values = gather<double>(x, reduced, keptShape);
      y = Tensor(x.dtype(), keptShape);
      for (size_t k = 0; k < values.size(); ++k)
        y.set(k, f(values[k]));
    } else {
      if (!g)
        return evaluationError(op, "is not defined on integers");
      auto values = gather<int64_t>(x, reduced, keptShape);
      y = Tensor(x.dtype(), keptShape);
      for (size_t k = 0; k < values.size(); ++k) {
        std::optional<int64_t> v = g(values[k], x.dtype());
        if (!v)
          return evaluationError(op, "of an empty set of integers");
        y.setInt(k, *v);
      }
    }
    out.push_back(y.reshaped(shape));
    return llvm::Error::success();
  });
}

/// argmax (`max`) or argmin of every 1-D slice along the axis.
template <typename OpTy> void addArgReduce(KernelRegistry &r, bool max) {
  r.add<OpTy>([max](OpTy op, llvm::ArrayRef<Tensor> in,
                    std::vector<Tensor> &out) -> llvm::Error {
    const Tensor &x = in[0];
    int64_t axis = *normalizeAxis(op.getAxis(), x.rank());
    bool last = op.getSelectLastIndex();
    int64_t outer = 1, inner = 1, n = x.dim(axis);
    if (n == 0)
      return evaluationError(op, "of an empty axis");
    for (int64_t d = 0; d < axis; ++d)
      outer *= x.dim(d);
    for (int64_t d = axis + 1; d < x.rank(); ++d)
      inner *= x.dim(d);
    // Is a more extreme than b? NaN beats any number.
    auto beats = [&](int64_t a, int64_t b) {
      if (!x.isFloat())
        return max ? intLess(x.getInt(b), x.getInt(a), x.dtype())
                   : intLess(x.getInt(a), x.getInt(b), x.dtype());
      double u = x.get(a), v = x.get(b);
      if (std::isnan(u) || std::isnan(v))
        return std::isnan(u) && !std::isnan(v);
      return max ? u > v : u < v;
    };
    std::vector<int64_t> keptShape = x.shape(), shape;
    keptShape[axis] = 1;
    for (int64_t d = 0; d < x.rank(); ++d)
      if (d != axis)
        shape.push_back(x.dim(d));
      else if (op.getKeepdims())
        shape.push_back(1);
    Tensor y(DType::i64, keptShape);
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t i = 0; i < inner; ++i) {
        auto at = [&](int64_t k) { return (o * n + k) * inner + i; };
        int64_t best = 0;
        for (int64_t k = 1; k < n; ++k) {
          // With select_last_index a tie (neither beats the other) moves on.
          if (beats(at(k), at(best)) || (last && !beats(at(best), at(k))))
            best = k;
        }
        y.setInt(o * inner + i, best);
      }
    }
    out.push_back(y.reshaped(shape));
    return llvm::Error::success();
  });
}

/// Registers cumsum (`product` false) or cumprod (`product` true): a running
/// sum / product along `axis`, exclusive and/or reversed.
template <typename OpTy> void addCumulative(KernelRegistry &r, bool product) {
  r.add<OpTy>([product](OpTy op, llvm::ArrayRef<Tensor> in,
                        std::vector<Tensor> &out) -> llvm::Error {
    const Tensor &x = in[0];
    int64_t axis = *normalizeAxis(op.getAxis(), x.rank());
    bool exclusive = op.getExclusive(), reverse = op.getReverse();
    int64_t outer = 1, inner = 1, n = x.dim(axis);
    for (int64_t d = 0; d < axis; ++d)
      outer *= x.dim(d);
    for (int64_t d = axis + 1; d < x.rank(); ++d)
      inner *= x.dim(d);
    Tensor y(x.dtype(), x.shape());
    for (int64_t o = 0; o < outer; ++o) {
      for (int64_t i = 0; i < inner; ++i) {
        double facc = product ? 1 : 0;
        int64_t iacc = product ? 1 : 0;
        for (int64_t step = 0; step < n; ++step) {
          int64_t k = reverse ? n - 1 - step : step;
          int64_t at = (o * n + k) * inner + i;
          auto store = [&] {
            if (x.isFloat())
              y.set(at, facc);
            else
              y.setInt(at, iacc);
          };
          // Exclusive stores the accumulator before taking this element.
          if (exclusive)
            store();
          if (x.isFloat())
            facc = product ? facc * x.get(at) : facc + x.get(at);
          else
            iacc = product ? wrapMul(iacc, x.getInt(at))
                           : wrapAdd(iacc, x.getInt(at));
          if (!exclusive)
            store();
        }
      }
    }
    out.push_back(std::move(y));
    return llvm::Error::success();
  });
}

} // namespace

void registerReductionKernels(KernelRegistry &r) {
  addReduce<ReduceSumOp>(r, floatSum, intSum);
  addReduce<ReduceMeanOp>(
      r, [](llvm::ArrayRef<double> v) { return floatSum(v) / v.size(); },
      [](llvm::ArrayRef<int64_t> v, DType t) -> std::optional<int64_t> {
        if (v.empty())
          return std::nullopt;
        int64_t s = *intSum(v, t), n = static_cast<int64_t>(v.size());
        if (t == DType::u64)
          return static_cast<int64_t>(static_cast<uint64_t>(s) /
                                      static_cast<uint64_t>(n));
        return s / n;
      });
  addReduce<ReduceMaxOp>(
      r,
      [](llvm::ArrayRef<double> v) {
        double m = -INFINITY;
        for (double x : v) {
          if (std::isnan(x))
            return x;
          m = std::max(m, x);
        }
        return m;
      },
      [](llvm::ArrayRef<int64_t> v, DType t) -> std::optional<int64_t> {
        int64_t m = intLowest(t);
        for (int64_t x : v)
          if (intLess(m, x, t))
            m = x;
        return m;
      });
  addReduce<ReduceMinOp>(
      r,
      [](llvm::ArrayRef<double> v) {
        double m = INFINITY;
        for (double x : v) {
          if (std::isnan(x))
            return x;
          m = std::min(m, x);
        }
        return m;
      },
      [](llvm::ArrayRef<int64_t> v, DType t) -> std::optional<int64_t> {
        int64_t m = intHighest(t);
        for (int64_t x : v)
          if (intLess(x, m, t))
            m = x;
        return m;
      });
  addReduce<ReduceProdOp>(
      r,
      [](llvm::ArrayRef<double> v) {
        double p = 1;
        for (double x : v)
          p *= x;
        return p;
      },
      [](llvm::ArrayRef<int64_t> v, DType) -> std::optional<int64_t> {
        int64_t p = 1;
        for (int64_t x : v)
          p = wrapMul(p, x);
        return p;
      });
  addReduce<ReduceL1Op>(
      r,
      [](llvm::ArrayRef<double> v) {
        double s = 0;
        for (double x : v)
          s += std::fabs(x);
        return s;
      },
      [](llvm::ArrayRef<int64_t> v, DType t) -> std::optional<int64_t> {
        int64_t s = 0;
        for (int64_t x : v)
          s = wrapAdd(s, isUnsignedDType(t) || x >= 0 ? x : wrapMul(x, -1));
        return s;
      });
  addReduce<ReduceL2Op>(
      r,
      [](llvm::ArrayRef<double> v) {
        double s = 0;
        for (double x : v)
          s += x * x;
        return std::sqrt(s);
      },
      nullptr);
  addReduce<ReduceLogSumOp>(
      r, [](llvm::ArrayRef<double> v) { return std::log(floatSum(v)); },
      nullptr);
  addReduce<ReduceLogSumExpOp>(
      r,
      [](llvm::ArrayRef<double> v) {
        double m = -INFINITY;
        for (double x : v)
          m = std::isnan(x) || std::isnan(m) ? NAN : std::max(m, x);
        // No finite max (empty, all -inf, or +inf present): the plain
        // formula already gives -inf, +inf or NaN.
        if (!std::isfinite(m)) {
          double s = 0;
          for (double x : v)
            s += std::exp(x);
          return std::log(s);
        }
        double s = 0;
        for (double x : v)
          s += std::exp(x - m);
        return m + std::log(s);
      },
      nullptr);
  addReduce<ReduceSumSquareOp>(
      r,
      [](llvm::ArrayRef<double> v) {
        double s = 0;
        for (double x : v)
          s += x * x;
        return s;
      },
      [](llvm::ArrayRef<int64_t> v, DType) -> std::optional<int64_t> {
        int64_t s = 0;
        for (int64_t x : v)
          s = wrapAdd(s, wrapMul(x, x));
        return s;
      });

  addArgReduce<ArgMaxOp>(r, /*max=*/true);
  addArgReduce<ArgMinOp>(r, /*max=*/false);

  addCumulative<CumSumOp>(r, /*product=*/false);
  addCumulative<CumProdOp>(r, /*product=*/true);
}

} // namespace strata::reference
