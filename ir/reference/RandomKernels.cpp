//===- RandomKernels.cpp - Reference semantics of the Random ops ----------===//
//
// Element i of every draw reads philoxUniform / philoxNormal(key, counter, i)
// (Philox.h); the returned state is [key, counter + n].
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"
#include "ir/reference/Evaluator.h"
#include "runtime/support/Philox.h"

using namespace mlir;

namespace strata::reference {
namespace {

using random::philoxNormal;
using random::philoxUniform;

struct State {
  uint64_t key, counter;
};

/// Reads [key, counter]; a state of another size (possible only when its
/// type is `?`) is an evaluation error.
llvm::Expected<State> readState(Operation *op, const Tensor &rng) {
  if (rng.numElements() != 2)
    return evaluationError(op, "rng state must have 2 elements [key, "
                               "counter], got " +
                                   llvm::Twine(rng.numElements()));
  return State{static_cast<uint64_t>(rng.getInt(0)),
               static_cast<uint64_t>(rng.getInt(1))};
}

/// The state after drawing `n` elements; the counter wraps modulo 2^64.
Tensor advance(const Tensor &rng, State s, int64_t n) {
  Tensor next(DType::i64, rng.shape());
  next.setInt(0, static_cast<int64_t>(s.key));
  next.setInt(1, static_cast<int64_t>(s.counter + static_cast<uint64_t>(n)));
  return next;
}

/// Registers a draw op whose output element i is `f(input[i], s, i)`, with
/// the input's type, followed by the advanced state.
template <typename OpTy, typename Fn>
void addDraw(KernelRegistry &registry, Fn f) {
  registry.add<OpTy>([f](OpTy op, llvm::ArrayRef<Tensor> in,
                         std::vector<Tensor> &out) -> llvm::Error {
    auto s = readState(op, in[1]);
    if (!s)
      return s.takeError();
    const Tensor &x = in[0];
    Tensor y(x.dtype(), x.shape());
    for (int64_t i = 0, e = x.numElements(); i < e; ++i)
      y.set(i, f(op, x.get(i), *s, static_cast<uint64_t>(i)));
    out.push_back(std::move(y));
    out.push_back(advance(in[1], *s, x.numElements()));
    return llvm::Error::success();
  });
}

} // namespace

void registerRandomKernels(KernelRegistry &registry) {
  addDraw<BernoulliSampleOp>(
      registry, [](BernoulliSampleOp, double p, State s, uint64_t i) {
        return philoxUniform(s.key, s.counter, i) < p ? 1.0 : 0.0;
      });
  addDraw<GaussianSampleOp>(
      registry, [](GaussianSampleOp op, double mean, State s, uint64_t i) {
        return mean + op.getStd().convertToDouble() *
                          philoxNormal(s.key, s.counter, i);
      });
  addDraw<RandomUniformOp>(
      registry, [](RandomUniformOp op, double, State s, uint64_t i) {
        double low = op.getLow().convertToDouble();
        double high = op.getHigh().convertToDouble();
        return low + (high - low) * philoxUniform(s.key, s.counter, i);
      });
  addDraw<RandomNormalOp>(registry, [](RandomNormalOp op, double, State s,
                                       uint64_t i) {
    return op.getMean().convertToDouble() +
           op.getStd().convertToDouble() * philoxNormal(s.key, s.counter, i);
  });

  registry.add<DropoutOp>([](DropoutOp op, llvm::ArrayRef<Tensor> in,
                             std::vector<Tensor> &out) -> llvm::Error {
    auto s = readState(op, in[1]);
    if (!s)
      return s.takeError();
    const Tensor &x = in[0];
    double ratio = op.getRatio().convertToDouble();
    Tensor y(x.dtype(), x.shape()), mask(DType::i1, x.shape());
    for (int64_t i = 0, e = x.numElements(); i < e; ++i) {
      bool keep = philoxUniform(s->key, s->counter, i) >= ratio;
      mask.setInt(i, keep);
      // x * mask, not a select: a dropped NaN or inf stays NaN, as in
      // frameworks that multiply by the mask.
      y.set(i, x.get(i) * (keep ? 1.0 : 0.0) / (1.0 - ratio));
    }
    out.push_back(std::move(y));
    out.push_back(std::move(mask));
    out.push_back(advance(in[1], *s, x.numElements()));
    return llvm::Error::success();
  });
}

} // namespace strata::reference
