//===- ReductionGradientTest.cpp - Gradient checks: reductions ------------===//
//
// Central differences in f64 (GradientChecking.h) for reduce_max / min /
// prod / l1 / l2 / log_sum / log_sum_exp and cumsum / cumprod, over kept and
// dropped axes, all axes, noop_with_empty_axes, and every exclusive /
// reverse combination. Inputs avoid ties (max / min), zeros (prod, l1,
// cumprod) and nonpositive sums (log_sum).
//
//===----------------------------------------------------------------------===//

#include "gradients/GradientChecking.h"

using namespace strata::testing;

namespace {

std::string unary(const std::string &op, const std::string &in,
                  const std::string &out, const std::string &attrs = "") {
  return "func.func @f(%a: " + in + ") -> " + out + " {\n  %0 = " + op +
         " %a " + attrs + " : (" + in + ") -> " + out +
         "\n  return %0 : " + out + "\n}";
}

class ReductionGradient : public GradientCheckTest {
protected:
  /// Values of magnitude in [0.5, 1.5) with random signs.
  Tensor nonzero(const std::vector<int64_t> &shape) {
    Tensor t = randomTensor(DType::f64, shape, 0.5, 1.5);
    std::vector<double> s = random(t.numElements());
    for (int64_t i = 0; i < t.numElements(); ++i)
      if (s[i] < 0)
        t.set(i, -t.get(i));
    return t;
  }

  /// Checks `op` on x : 2x3x4 over the usual axis choices.
  void checkAxes(const std::string &op, const Tensor &x) {
    const std::string in = "tensor<2x3x4xf64>";
    check(unary(op, in, "tensor<2x1x4xf64>", "{axes = array<i64: 1>}"), {x});
    check(unary(op, in, "tensor<3xf64>",
                "{axes = array<i64: 0, -1>, keepdims = false}"),
          {x});
    check(unary(op, in, "tensor<2x3xf64>",
                "{axes = array<i64: 2>, keepdims = false}"),
          {x});
    check(unary(op, in, "tensor<f64>", "{keepdims = false}"), {x});
    check(unary(op, in, "tensor<1x1x1xf64>"), {x});
    check(unary(op, in, in, "{noop_with_empty_axes = true}"), {x});
  }
};

TEST_F(ReductionGradient, MaxMin) {
  // Continuous random values do not tie.
  for (const char *op : {"strata.reduce_max", "strata.reduce_min"}) {
    checkAxes(op, randomTensor(DType::f64, {2, 3, 4}, -2, 2));
    check(unary(op, "tensor<5xf64>", "tensor<1xf64>"),
          {randomTensor(DType::f64, {5})});
  }
}

TEST_F(ReductionGradient, MaxTieSharesGradient) {
  // Two tied extrema each get half of dy (the tie rule). Moving one of them
  // by +h moves the max by h and by -h not at all, so the central
  // difference also measures 1/2.
  check(unary("strata.reduce_max", "tensor<4xf64>", "tensor<1xf64>"),
        {Tensor::fromDoubles(DType::f64, {4}, {0.3, 1.0, -0.5, 1.0})});
  check(unary("strata.reduce_min", "tensor<2x3xf64>", "tensor<2x1xf64>",
              "{axes = array<i64: 1>}"),
        {Tensor::fromDoubles(DType::f64, {2, 3},
                             {-0.4, 0.2, -0.4, 0.7, 0.1, 0.9})});
}

TEST_F(ReductionGradient, ProdL1L2) {
  checkAxes("strata.reduce_prod", nonzero({2, 3, 4}));
  checkAxes("strata.reduce_l1", nonzero({2, 3, 4}));
  checkAxes("strata.reduce_l2", randomTensor(DType::f64, {2, 3, 4}, -2, 2));
}

TEST_F(ReductionGradient, LogSumLogSumExp) {
  checkAxes("strata.reduce_log_sum",
            randomTensor(DType::f64, {2, 3, 4}, 0.2, 2));
  checkAxes("strata.reduce_log_sum_exp",
            randomTensor(DType::f64, {2, 3, 4}, -3, 3));
}

TEST_F(ReductionGradient, CumSumCumProd) {
  const std::string t = "tensor<3x4xf64>";
  for (const char *op : {"strata.cumsum", "strata.cumprod"})
    for (int64_t axis : {0, 1, -1})
      for (const char *flags : {"", ", exclusive = true", ", reverse = true",
                                ", exclusive = true, reverse = true"}) {
        std::string attrs =
            "{axis = " + std::to_string(axis) + " : i64" + flags + "}";
        check(unary(op, t, t, attrs), {nonzero({3, 4})});
      }
  check(unary("strata.cumprod", "tensor<2x3x2xf64>", "tensor<2x3x2xf64>",
              "{axis = 1 : i64, reverse = true}"),
        {nonzero({2, 3, 2})});
}

} // namespace
