//===- ActivationGradientTest.cpp - Gradient checks: activations ----------===//
//
// Central differences in f64 (GradientChecking.h) for the activations
// beyond NetworkGradientTest's: several shapes and attribute values, inputs
// kept away from each op's kinks.
//
//===----------------------------------------------------------------------===//

#include "gradients/GradientChecking.h"

#include <cmath>

using namespace strata::testing;

namespace {

std::string tensorType(const std::vector<int64_t> &shape) {
  std::string s = "tensor<";
  for (int64_t d : shape)
    s += std::to_string(d) + "x";
  return s + "f64>";
}

/// @f(%a) = op(%a) with the input's type.
std::string unary(const std::string &op, const std::vector<int64_t> &shape,
                  const std::string &attrs = "") {
  std::string t = tensorType(shape);
  return "func.func @f(%a: " + t + ") -> " + t + " {\n  %0 = " + op + " %a " +
         attrs + " : (" + t + ") -> " + t + "\n  return %0 : " + t + "\n}";
}

class ActivationGradient : public GradientCheckTest {
protected:
  /// Random values in [-4, 4) at least 0.05 from every kink.
  Tensor awayFrom(const std::vector<int64_t> &shape,
                  const std::vector<double> &kinks) {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    std::vector<double> v;
    while (static_cast<int64_t>(v.size()) < n) {
      double x = random(1, -4, 4)[0];
      bool near = false;
      for (double k : kinks)
        near |= std::fabs(x - k) < 0.05;
      if (!near)
        v.push_back(x);
    }
    return Tensor::fromDoubles(DType::f64, shape, v);
  }

  /// Checks `op` with `attrs` on three shapes.
  void checkShapes(const std::string &op, const std::string &attrs,
                   const std::vector<double> &kinks) {
    for (const std::vector<int64_t> &shape :
         {std::vector<int64_t>{7}, std::vector<int64_t>{3, 4},
          std::vector<int64_t>{2, 3, 2}})
      check(unary(op, shape, attrs), {awayFrom(shape, kinks)});
  }
};

TEST_F(ActivationGradient, Gelu) {
  checkShapes("strata.gelu", "", {});
  checkShapes("strata.gelu", "{approximate = \"none\"}", {});
  checkShapes("strata.gelu", "{approximate = \"tanh\"}", {});
}

TEST_F(ActivationGradient, SeluCelu) {
  checkShapes("strata.selu", "", {0});
  checkShapes("strata.selu", "{alpha = 1.5, gamma = 0.8}", {0});
  checkShapes("strata.celu", "", {0});
  checkShapes("strata.celu", "{alpha = 0.4}", {0});
  checkShapes("strata.celu", "{alpha = 2.5}", {0});
}

TEST_F(ActivationGradient, HardSigmoidHardSwish) {
  checkShapes("strata.hard_sigmoid", "", {-2.5, 2.5});
  checkShapes("strata.hard_sigmoid", "{alpha = 0.5, beta = 0.25}", {-0.5, 1.5});
  checkShapes("strata.hard_swish", "", {-3, 3});
}

TEST_F(ActivationGradient, ThresholdedReluShrink) {
  checkShapes("strata.thresholded_relu", "", {1});
  checkShapes("strata.thresholded_relu", "{alpha = -0.5}", {-0.5});
  checkShapes("strata.shrink", "", {-0.5, 0.5});
  checkShapes("strata.shrink", "{bias = 0.3, lambd = 0.3}", {-0.3, 0.3});
  checkShapes("strata.shrink", "{bias = 0.1, lambd = 1.2}", {-1.2, 1.2});
}

TEST_F(ActivationGradient, Mish) { checkShapes("strata.mish", "", {}); }

TEST_F(ActivationGradient, PRelu) {
  // Slopes of the input's shape, per channel, scalar and of lower rank.
  auto prelu = [&](const std::vector<int64_t> &x,
                   const std::vector<int64_t> &slope) {
    std::string tx = tensorType(x), ts = tensorType(slope);
    check("func.func @f(%a: " + tx + ", %s: " + ts + ") -> " + tx +
              " {\n  %0 = strata.prelu %a, %s : (" + tx + ", " + ts + ") -> " +
              tx + "\n  return %0 : " + tx + "\n}",
          {awayFrom(x, {0}), randomTensor(DType::f64, slope, -1, 1)});
  };
  prelu({3, 4}, {3, 4});
  prelu({2, 3, 2, 2}, {3, 1, 1});
  prelu({2, 3, 4}, {4});
  prelu({5}, {});
  prelu({2, 3, 4}, {1, 3, 1});
}

} // namespace
