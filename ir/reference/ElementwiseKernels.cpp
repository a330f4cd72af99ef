//===- ElementwiseKernels.cpp - Elementwise arithmetic, math, comparison --===//
//
// Float ops compute in double and round to the element type on store; integer
// ops compute in int64 and wrap to the element type's width.
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"
#include "ir/reference/Evaluator.h"

#include <cmath>
#include <limits>

using namespace mlir;

namespace strata::reference {
namespace {

using FloatFn = double (*)(double);
using IntFn = int64_t (*)(int64_t);
using FloatFn2 = double (*)(double, double);
using IntFn2 = int64_t (*)(int64_t, int64_t);

/// Per dim of `shape` (a broadcast result shape), the step in a tensor of
/// shape `operand` when that dim's index grows by one: its row-major stride,
/// or 0 where the operand is broadcast (missing or of size 1).
std::vector<int64_t> broadcastStrides(llvm::ArrayRef<int64_t> shape,
                                      llvm::ArrayRef<int64_t> operand) {
  size_t lead = shape.size() - operand.size();
  std::vector<int64_t> strides(shape.size(), 0);
  int64_t stride = 1;
  for (size_t i = operand.size(); i-- > 0;) {
    if (operand[i] != 1)
      strides[lead + i] = stride;
    stride *= operand[i];
  }
  return strides;
}

/// Calls `fn(k, i, j)` for every element k (row-major) of `shape` with the
/// offsets i in `aShape` and j in `bShape` that numpy broadcasting reads for
/// it (broadcastOffset, kept up to date as the index advances).
template <typename Fn>
void forEachBroadcastPair(llvm::ArrayRef<int64_t> shape,
                          llvm::ArrayRef<int64_t> aShape,
                          llvm::ArrayRef<int64_t> bShape, Fn fn) {
  int64_t total = 1;
  for (int64_t d : shape)
    total *= d;
  if (total == 0)
    return;
  if (aShape == shape && bShape == shape) {
    for (int64_t k = 0; k < total; ++k)
      fn(k, k, k);
    return;
  }
  std::vector<int64_t> as = broadcastStrides(shape, aShape),
                       bs = broadcastStrides(shape, bShape);
  int64_t rank = static_cast<int64_t>(shape.size());
  int64_t inner = rank ? shape[rank - 1] : 1;
  int64_t ai = rank ? as[rank - 1] : 0, bi = rank ? bs[rank - 1] : 0;
  std::vector<int64_t> index(rank, 0);
  int64_t i = 0, j = 0;
  for (int64_t k = 0; k < total;) {
    for (int64_t t = 0; t < inner; ++t)
      fn(k++, i + t * ai, j + t * bi);
    // Advance the index over all dims but the innermost.
    for (int64_t d = rank - 2; d >= 0; --d) {
      i += as[d];
      j += bs[d];
      if (++index[d] < shape[d])
        break;
      i -= as[d] * shape[d];
      j -= bs[d] * shape[d];
      index[d] = 0;
    }
  }
}

/// Applies `f` elementwise to a broadcast pair, producing `resultType`.
template <typename Fn>
Tensor broadcastMap(const Tensor &a, const Tensor &b, DType resultType, Fn f) {
  std::vector<int64_t> shape(std::max(a.rank(), b.rank()));
  for (size_t i = 0; i < shape.size(); ++i) {
    int64_t x =
        i < shape.size() - a.rank() ? 1 : a.dim(i - (shape.size() - a.rank()));
    int64_t y =
        i < shape.size() - b.rank() ? 1 : b.dim(i - (shape.size() - b.rank()));
    shape[i] = x == 1 ? y : x;
  }
  Tensor out(resultType, shape);
  forEachBroadcastPair(
      shape, a.shape(), b.shape(),
      [&](int64_t k, int64_t i, int64_t j) { f(out, k, i, j); });
  return out;
}

/// Registers a unary op with a float rule and (optionally) an integer rule.
template <typename OpTy>
void addUnary(KernelRegistry &r, FloatFn f, IntFn g = nullptr) {
  r.add<OpTy>([f, g](OpTy op, llvm::ArrayRef<Tensor> in,
                     std::vector<Tensor> &out) -> llvm::Error {
    const Tensor &x = in[0];
    Tensor y(x.dtype(), x.shape());
    if (!x.isFloat() && !g)
      return evaluationError(op, "is not defined on integers");
    for (int64_t i = 0, e = x.numElements(); i < e; ++i) {
      if (x.isFloat())
        y.set(i, f(x.get(i)));
      else
        y.setInt(i, g(x.getInt(i)));
    }
    out.push_back(std::move(y));
    return llvm::Error::success();
  });
}

/// Registers a broadcasting binary op producing the operands' dtype.
template <typename OpTy>
void addBinary(KernelRegistry &r, FloatFn2 f, IntFn2 g) {
  r.add<OpTy>([f, g](OpTy, llvm::ArrayRef<Tensor> in,
                     std::vector<Tensor> &out) -> llvm::Error {
    const Tensor &a = in[0], &b = in[1];
    out.push_back(broadcastMap(a, b, a.dtype(),
                               [&](Tensor &o, int64_t k, int64_t i, int64_t j) {
                                 if (a.isFloat())
                                   o.set(k, f(a.get(i), b.get(j)));
                                 else
                                   o.setInt(k, g(a.getInt(i), b.getInt(j)));
                               }));
    return llvm::Error::success();
  });
}

/// Registers a broadcasting comparison producing i1. Integers compare as
/// integers (exact for 64-bit values); unsigned 64-bit as unsigned.
template <typename OpTy>
void addCompare(KernelRegistry &r, bool (*f)(double, double),
                bool (*g)(int64_t, int64_t)) {
  r.add<OpTy>([f, g](OpTy, llvm::ArrayRef<Tensor> in,
                     std::vector<Tensor> &out) -> llvm::Error {
    const Tensor &a = in[0], &b = in[1];
    bool useFloat = a.isFloat() || a.dtype() == DType::u64;
    out.push_back(broadcastMap(
        a, b, DType::i1, [&](Tensor &o, int64_t k, int64_t i, int64_t j) {
          o.setInt(k, useFloat ? f(a.get(i), b.get(j))
                               : g(a.getInt(i), b.getInt(j)));
        }));
    return llvm::Error::success();
  });
}

/// Registers a shift; the rule depends on the element type's width and
/// signedness, which the plain integer rules of addBinary do not see.
template <typename OpTy> void addShift(KernelRegistry &r, bool left) {
  r.add<OpTy>([left](OpTy, llvm::ArrayRef<Tensor> in,
                     std::vector<Tensor> &out) -> llvm::Error {
    const Tensor &a = in[0], &b = in[1];
    int64_t width = bitWidth(a.dtype());
    bool isSigned = !isUnsignedDType(a.dtype()) && a.dtype() != DType::i1;
    out.push_back(broadcastMap(
        a, b, a.dtype(), [&](Tensor &o, int64_t k, int64_t i, int64_t j) {
          int64_t x = a.getInt(i), y = b.getInt(j);
          auto bits = static_cast<uint64_t>(x);
          int64_t v;
          if (y < 0 || y >= width)
            v = !left && isSigned && x < 0 ? -1 : 0;
          else if (left)
            v = static_cast<int64_t>(bits << y);
          else
            v = isSigned ? x >> y : static_cast<int64_t>(bits >> y);
          o.setInt(k, v); // stores wrap to the element type
        }));
    return llvm::Error::success();
  });
}

int64_t floorMod(int64_t a, int64_t b) {
  int64_t m = a % b;
  return (m != 0 && ((m < 0) != (b < 0))) ? m + b : m;
}

int64_t intPow(int64_t base, int64_t exp) {
  if (exp < 0)
    return base == 1 ? 1 : (base == -1 ? (exp % 2 ? -1 : 1) : 0);
  int64_t result = 1;
  for (int64_t i = 0; i < exp; ++i)
    result = static_cast<int64_t>(static_cast<uint64_t>(result) *
                                  static_cast<uint64_t>(base));
  return result;
}

} // namespace

void registerElementwiseKernels(KernelRegistry &r) {
  addBinary<AddOp>(
      r, [](double a, double b) { return a + b; },
      [](int64_t a, int64_t b) {
        return static_cast<int64_t>(static_cast<uint64_t>(a) +
                                    static_cast<uint64_t>(b));
      });
  addBinary<SubOp>(
      r, [](double a, double b) { return a - b; },
      [](int64_t a, int64_t b) {
        return static_cast<int64_t>(static_cast<uint64_t>(a) -
                                    static_cast<uint64_t>(b));
      });
  addBinary<MulOp>(
      r, [](double a, double b) { return a * b; },
      [](int64_t a, int64_t b) {
        return static_cast<int64_t>(static_cast<uint64_t>(a) *
                                    static_cast<uint64_t>(b));
      });
  addBinary<PowOp>(
      r, [](double a, double b) { return std::pow(a, b); }, intPow);
  addBinary<MaxOp>(
      r,
      [](double a, double b) {
        return std::isnan(a) || std::isnan(b) ? NAN : std::max(a, b);
      },
      [](int64_t a, int64_t b) { return std::max(a, b); });
  addBinary<MinOp>(
      r,
      [](double a, double b) {
        return std::isnan(a) || std::isnan(b) ? NAN : std::min(a, b);
      },
      [](int64_t a, int64_t b) { return std::min(a, b); });
  addBinary<AndOp>(r, nullptr, [](int64_t a, int64_t b) { return a & b; });
  addBinary<OrOp>(r, nullptr, [](int64_t a, int64_t b) { return a | b; });
  addBinary<XorOp>(r, nullptr, [](int64_t a, int64_t b) { return a ^ b; });

  // Division and remainder report integer division by zero.
  r.add<DivOp>([](DivOp op, llvm::ArrayRef<Tensor> in,
                  std::vector<Tensor> &out) -> llvm::Error {
    const Tensor &a = in[0], &b = in[1];
    bool byZero = false;
    bool isUnsigned = isUnsignedDType(a.dtype());
    Tensor o = broadcastMap(
        a, b, a.dtype(), [&](Tensor &o, int64_t k, int64_t i, int64_t j) {
          if (a.isFloat()) {
            o.set(k, a.get(i) / b.get(j));
          } else if (b.getInt(j) == 0) {
            byZero = true;
          } else if (isUnsigned) {
            o.setInt(k,
                     static_cast<int64_t>(static_cast<uint64_t>(a.getInt(i)) /
                                          static_cast<uint64_t>(b.getInt(j))));
          } else if (a.getInt(i) == std::numeric_limits<int64_t>::min() &&
                     b.getInt(j) == -1) {
            o.setInt(k, a.getInt(i));
          } else {
            o.setInt(k, a.getInt(i) / b.getInt(j));
          }
        });
    if (byZero)
      return evaluationError(op, "integer division by zero");
    out.push_back(std::move(o));
    return llvm::Error::success();
  });
  r.add<ModOp>([](ModOp op, llvm::ArrayRef<Tensor> in,
                  std::vector<Tensor> &out) -> llvm::Error {
    const Tensor &a = in[0], &b = in[1];
    bool byZero = false;
    bool useFmod = op.getFmod();
    Tensor o = broadcastMap(
        a, b, a.dtype(), [&](Tensor &o, int64_t k, int64_t i, int64_t j) {
          if (a.isFloat()) {
            double x = a.get(i), y = b.get(j);
            double m = std::fmod(x, y);
            if (!useFmod && m != 0 && ((m < 0) != (y < 0)))
              m += y;
            o.set(k, m);
          } else if (b.getInt(j) == 0) {
            byZero = true;
          } else {
            o.setInt(k, useFmod ? a.getInt(i) % b.getInt(j)
                                : floorMod(a.getInt(i), b.getInt(j)));
          }
        });
    if (byZero)
      return evaluationError(op, "integer modulo by zero");
    out.push_back(std::move(o));
    return llvm::Error::success();
  });

  addCompare<EqualOp>(
      r, [](double a, double b) { return a == b; },
      [](int64_t a, int64_t b) { return a == b; });
  addCompare<NotEqualOp>(
      r, [](double a, double b) { return a != b; },
      [](int64_t a, int64_t b) { return a != b; });
  addCompare<LessOp>(
      r, [](double a, double b) { return a < b; },
      [](int64_t a, int64_t b) { return a < b; });
  addCompare<LessEqualOp>(
      r, [](double a, double b) { return a <= b; },
      [](int64_t a, int64_t b) { return a <= b; });
  addCompare<GreaterOp>(
      r, [](double a, double b) { return a > b; },
      [](int64_t a, int64_t b) { return a > b; });
  addCompare<GreaterEqualOp>(
      r, [](double a, double b) { return a >= b; },
      [](int64_t a, int64_t b) { return a >= b; });

  r.add<NotOp>([](NotOp, llvm::ArrayRef<Tensor> in,
                  std::vector<Tensor> &out) -> llvm::Error {
    const Tensor &x = in[0];
    Tensor y(x.dtype(), x.shape());
    for (int64_t i = 0, e = x.numElements(); i < e; ++i)
      y.setInt(i, x.dtype() == DType::i1 ? !x.getInt(i) : ~x.getInt(i));
    out.push_back(std::move(y));
    return llvm::Error::success();
  });
  addUnary<NegOp>(
      r, [](double a) { return -a; },
      [](int64_t a) {
        return static_cast<int64_t>(0 - static_cast<uint64_t>(a));
      });
  addUnary<AbsOp>(
      r, [](double a) { return std::fabs(a); },
      [](int64_t a) { return a < 0 ? -a : a; });
  addUnary<SignOp>(
      r, [](double a) { return std::isnan(a) ? a : (a > 0) - (a < 0) + 0.0; },
      [](int64_t a) { return static_cast<int64_t>((a > 0) - (a < 0)); });
  addUnary<ExpOp>(r, [](double a) { return std::exp(a); });
  addUnary<LogOp>(r, [](double a) { return std::log(a); });
  addUnary<SqrtOp>(r, [](double a) { return std::sqrt(a); });
  addUnary<RsqrtOp>(r, [](double a) { return 1.0 / std::sqrt(a); });
  addUnary<ReciprocalOp>(r, [](double a) { return 1.0 / a; });
  addUnary<FloorOp>(r, [](double a) { return std::floor(a); });
  addUnary<CeilOp>(r, [](double a) { return std::ceil(a); });
  addUnary<RoundOp>(r, [](double a) { return std::nearbyint(a); });
  addUnary<ErfOp>(r, [](double a) { return std::erf(a); });
  addUnary<SinOp>(r, [](double a) { return std::sin(a); });
  addUnary<CosOp>(r, [](double a) { return std::cos(a); });
  addUnary<AsinOp>(r, [](double a) { return std::asin(a); });
  addUnary<AcosOp>(r, [](double a) { return std::acos(a); });
  addUnary<AtanOp>(r, [](double a) { return std::atan(a); });
  addShift<ShiftLeftOp>(r, /*left=*/true);
  addShift<ShiftRightOp>(r, /*left=*/false);

  r.add<IsNaNOp>([](IsNaNOp, llvm::ArrayRef<Tensor> in,
                    std::vector<Tensor> &out) -> llvm::Error {
    Tensor y(DType::i1, in[0].shape());
    for (int64_t i = 0, e = in[0].numElements(); i < e; ++i)
      y.setInt(i, std::isnan(in[0].get(i)));
    out.push_back(std::move(y));
    return llvm::Error::success();
  });
  r.add<ClipOp>([](ClipOp op, llvm::ArrayRef<Tensor> in,
                   std::vector<Tensor> &out) -> llvm::Error {
    double lo = op.getMin().convertToDouble(),
           hi = op.getMax().convertToDouble();
    const Tensor &x = in[0];
    Tensor y(x.dtype(), x.shape());
    for (int64_t i = 0, e = x.numElements(); i < e; ++i) {
      double v = x.get(i);
      y.set(i, std::isnan(v) ? v : std::min(std::max(v, lo), hi));
    }
    out.push_back(std::move(y));
    return llvm::Error::success();
  });
  r.add<WhereOp>([](WhereOp, llvm::ArrayRef<Tensor> in,
                    std::vector<Tensor> &out) -> llvm::Error {
    const Tensor &c = in[0], &a = in[1], &b = in[2];
    std::vector<int64_t> shape = c.shape();
    for (const Tensor *t : {&a, &b}) {
      size_t rank = std::max(shape.size(), t->shape().size());
      std::vector<int64_t> s(rank);
      for (size_t i = 0; i < rank; ++i) {
        int64_t x =
            i < rank - shape.size() ? 1 : shape[i - (rank - shape.size())];
        int64_t y = i < rank - t->shape().size()
                        ? 1
                        : t->dim(i - (rank - t->shape().size()));
        s[i] = x == 1 ? y : x;
      }
      shape = s;
    }
    Tensor o(a.dtype(), shape);
    int64_t k = 0;
    forEachIndex(shape, [&](llvm::ArrayRef<int64_t> index) {
      bool pick = c.getInt(broadcastOffset(c.shape(), index)) != 0;
      const Tensor &src = pick ? a : b;
      int64_t off = broadcastOffset(src.shape(), index);
      if (o.isFloat())
        o.set(k++, src.get(off));
      else
        o.setInt(k++, src.getInt(off));
    });
    out.push_back(std::move(o));
    return llvm::Error::success();
  });
}

} // namespace strata::reference
