//===- ActivationTest.cpp - Reference semantics of the Activation ops -----===//
//
// Hand-worked values (literals computed independently, to ~16 digits) and
// random inputs against each formula written out here. f64 tensors carry the
// formulas to 1e-12 (relative + absolute); f32 ones to 1e-6 after rounding.
//
//===----------------------------------------------------------------------===//

#include "EvaluatorTesting.h"

#include <cmath>
#include <functional>

namespace strata::testing {
namespace {

class ActivationTest : public EvaluatorTest {
protected:
  /// Runs `op attrs` on a 1-D f64 tensor of `values`.
  std::vector<Tensor> runOn(const std::string &op, const std::string &attrs,
                            const std::vector<double> &values,
                            DType dtype = DType::f64) {
    std::string t = "tensor<" + std::to_string(values.size()) +
                    (dtype == DType::f64 ? "xf64>" : "xf32>");
    return run("func.func @main(%a: " + t + ") -> " + t + " {\n  %0 = " + op +
                   " %a " + attrs + " : (" + t + ") -> " + t +
                   "\n  return %0 : " + t + "\n}",
               {Tensor::fromDoubles(dtype, {int64_t(values.size())}, values)});
  }

  /// Expects `op attrs` on the hand-picked `x` to give `want`.
  void checkValues(const std::string &op, const std::string &attrs,
                   const std::vector<double> &x,
                   const std::vector<double> &want) {
    SCOPED_TRACE(op + " " + attrs);
    auto out = runOn(op, attrs, x);
    ASSERT_EQ(out.size(), 1u);
    expectTensorNear(out[0], {int64_t(x.size())}, want, 1e-12);
  }

  /// Random f64 inputs in [lo, hi) against `want` applied here.
  void checkFormula(const std::string &op, const std::string &attrs,
                    const std::function<double(double)> &want, double lo = -4,
                    double hi = 4) {
    SCOPED_TRACE(op + " " + attrs);
    std::vector<double> x = random(64, lo, hi);
    auto out = runOn(op, attrs, x);
    ASSERT_EQ(out.size(), 1u);
    std::vector<double> expected;
    for (double v : x)
      expected.push_back(want(v));
    expectTensorNear(out[0], {64}, expected, 1e-12);
  }
};

double sigmoid(double x) { return 1 / (1 + std::exp(-x)); }
double softplus(double x) { return std::log(1 + std::exp(x)); }

TEST_F(ActivationTest, HandWorkedValues) {
  checkValues("strata.relu", "", {-2, -0.5, 0, 1.5}, {0, 0, 0, 1.5});
  checkValues("strata.leaky_relu", "", {-2, 3}, {-0.02, 3});
  checkValues("strata.leaky_relu", "{alpha = 0.2}", {-2, 3}, {-0.4, 3});
  // sigmoid(ln 3) = 1 / (1 + 1/3) = 0.75; tanh(atanh 0.5) = 0.5.
  checkValues("strata.sigmoid", "", {0, std::log(3.0), -std::log(3.0)},
              {0.5, 0.75, 0.25});
  checkValues("strata.tanh", "", {0, std::atanh(0.5)}, {0, 0.5});
  // SINGA's constants; LeCun's rounded 1.7159 * tanh(1) = 1.306819412 would
  // be off by 3e-6, far outside the tolerance.
  checkValues("strata.stanh", "", {1.5, -0.3, 0},
              {1.3068229953002097, -0.33867724128697607, 0});
  checkValues("strata.gelu", "", {1, -1, 0},
              {0.8413447460685429, -0.15865525393145707, 0});
  checkValues("strata.gelu", "{approximate = \"tanh\"}", {1, -1},
              {0.8411919906082768, -0.15880800939172324});
  checkValues("strata.elu", "", {-1, 2}, {-0.6321205588285577, 2});
  checkValues("strata.elu", "{alpha = 0.5}", {-1, 2},
              {-0.31606027941427883, 2});
  checkValues("strata.selu", "", {1, -1, 0},
              {1.0507010221481323, -1.1113307412864781, 0});
  checkValues("strata.selu", "{alpha = 2.0, gamma = 3.0}", {1, std::log(0.5)},
              {3, 3 * (2 * 0.5 - 2)});
  checkValues("strata.celu", "", {-1, 3}, {-0.6321205588285577, 3});
  checkValues("strata.celu", "{alpha = 2.0}", {-1, 3},
              {-0.7869386805747332, 3});
  // softplus stays exact for large |x| (no overflow, no log(1) = 0).
  checkValues(
      "strata.softplus", "", {0, 1, 100, -100},
      {0.6931471805599453, 1.3132616875182228, 100, 3.720075976020836e-44});
  checkValues("strata.softsign", "", {3, -1, 0}, {0.75, -0.5, 0});
  checkValues("strata.hard_sigmoid", "", {-3, 0, 1, 3}, {0, 0.5, 0.7, 1});
  checkValues("strata.hard_sigmoid", "{alpha = 0.5, beta = 0.25}", {1, -1},
              {0.75, 0});
  checkValues("strata.hard_swish", "", {-4, 0, 1, 4},
              {0, 0, 0.6666666666666666, 4});
  checkValues("strata.thresholded_relu", "", {0.5, 1, 1.5, -3}, {0, 0, 1.5, 0});
  checkValues("strata.thresholded_relu", "{alpha = -1.0}", {-2, -0.5},
              {0, -0.5});
  checkValues("strata.mish", "", {1, -1, 0},
              {0.8650983882673103, -0.30340146137410895, 0});
  checkValues("strata.shrink", "", {-2, -0.5, 0.25, 0.5, 2}, {-2, 0, 0, 0, 2});
  checkValues("strata.shrink", "{bias = 1.5, lambd = 1.5}", {-2, -1.5, 1, 2},
              {-0.5, 0, 0, 0.5});
}

TEST_F(ActivationTest, RandomInputsFollowTheFormulas) {
  checkFormula("strata.relu", "", [](double x) { return x > 0 ? x : 0; });
  checkFormula("strata.leaky_relu", "{alpha = 0.3}",
               [](double x) { return x > 0 ? x : 0.3 * x; });
  checkFormula("strata.sigmoid", "", sigmoid);
  checkFormula("strata.tanh", "", [](double x) {
    return (std::exp(2 * x) - 1) / (std::exp(2 * x) + 1);
  });
  checkFormula("strata.stanh", "",
               [](double x) { return 1.7159047 * std::tanh(0.66666667 * x); });
  checkFormula("strata.gelu", "", [](double x) {
    // x * P(X <= x) for a standard normal X.
    return x * 0.5 * std::erfc(-x / std::sqrt(2.0));
  });
  checkFormula("strata.gelu", "{approximate = \"tanh\"}", [](double x) {
    double pi = std::acos(-1.0);
    double u = std::sqrt(2 / pi) * (x + 0.044715 * std::pow(x, 3));
    return x * sigmoid(2 * u); // 0.5 * (1 + tanh(u)) = sigmoid(2u)
  });
  checkFormula("strata.elu", "{alpha = 1.5}",
               [](double x) { return x >= 0 ? x : 1.5 * std::expm1(x); });
  checkFormula("strata.selu", "", [](double x) {
    double alpha = 1.67326319217681884765625, gamma = 1.05070102214813232421875;
    return x > 0 ? gamma * x : gamma * alpha * std::expm1(x);
  });
  checkFormula("strata.celu", "{alpha = 0.7}",
               [](double x) { return x >= 0 ? x : 0.7 * std::expm1(x / 0.7); });
  checkFormula("strata.softplus", "", softplus);
  checkFormula("strata.softsign", "",
               [](double x) { return x / (1 + std::fabs(x)); });
  checkFormula("strata.hard_sigmoid", "{alpha = 0.3, beta = 0.4}",
               [](double x) {
                 double v = 0.3 * x + 0.4;
                 return v < 0 ? 0 : (v > 1 ? 1 : v);
               });
  checkFormula("strata.hard_swish", "", [](double x) {
    return x <= -3 ? 0 : (x >= 3 ? x : x * (x + 3) / 6);
  });
  checkFormula("strata.thresholded_relu", "{alpha = 0.5}",
               [](double x) { return x > 0.5 ? x : 0; });
  checkFormula("strata.mish", "", [](double x) {
    double e = std::exp(x);
    // tanh(log(1 + e)) = ((1 + e)^2 - 1) / ((1 + e)^2 + 1)
    return x * ((1 + e) * (1 + e) - 1) / ((1 + e) * (1 + e) + 1);
  });
  checkFormula("strata.shrink", "{bias = 0.25, lambd = 1.0}", [](double x) {
    if (std::fabs(x) <= 1)
      return 0.0;
    return x > 0 ? x - 0.25 : x + 0.25;
  });
}

TEST_F(ActivationTest, NaNPropagates) {
  for (const char *op :
       {"strata.relu", "strata.leaky_relu", "strata.sigmoid", "strata.elu",
        "strata.hard_sigmoid", "strata.hard_swish", "strata.thresholded_relu",
        "strata.shrink", "strata.softplus"}) {
    auto out = runOn(op, "", {NAN});
    ASSERT_EQ(out.size(), 1u);
    EXPECT_TRUE(std::isnan(out[0].get(0))) << op;
  }
}

TEST_F(ActivationTest, F32ResultsAreRounded) {
  std::vector<double> x = random(16);
  auto out = runOn("strata.sigmoid", "", x, DType::f32);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].dtype(), DType::f32);
  for (size_t i = 0; i < x.size(); ++i) {
    // The input was rounded to f32 first; the result is that value's sigmoid
    // rounded to f32.
    double in = static_cast<float>(x[i]);
    EXPECT_EQ(out[0].get(i), static_cast<float>(sigmoid(in))) << i;
  }
}

TEST_F(ActivationTest, SoftmaxHandWorked) {
  const char *src =
      R"(func.func @main(%a: tensor<2x3xf64>) -> (tensor<2x3xf64>, tensor<2x3xf64>, tensor<2x3xf64>) {
    %0 = strata.softmax %a : (tensor<2x3xf64>) -> tensor<2x3xf64>
    %1 = strata.log_softmax %a {axis = 1} : (tensor<2x3xf64>) -> tensor<2x3xf64>
    %2 = strata.softmax %a {axis = 0} : (tensor<2x3xf64>) -> tensor<2x3xf64>
    return %0, %1, %2 : tensor<2x3xf64>, tensor<2x3xf64>, tensor<2x3xf64>
  })";
  // The second row is the first shifted by 1000: softmax is shift-invariant
  // and must not overflow.
  auto out = run(src, {Tensor::fromDoubles(DType::f64, {2, 3},
                                           {1, 2, 3, 1001, 1002, 1003})});
  ASSERT_EQ(out.size(), 3u);
  std::vector<double> sm = {0.09003057317038046, 0.24472847105479767,
                            0.6652409557748219};
  std::vector<double> lsm = {-2.40760596444438, -1.4076059644443801,
                             -0.40760596444438013};
  expectTensorNear(out[0], {2, 3}, {sm[0], sm[1], sm[2], sm[0], sm[1], sm[2]},
                   1e-12);
  expectTensorNear(out[1], {2, 3},
                   {lsm[0], lsm[1], lsm[2], lsm[0], lsm[1], lsm[2]}, 1e-12);
  // Along axis 0 every column is (1, 1000 apart): (e^-1000, 1) in double.
  expectTensorNear(out[2], {2, 3}, {0, 0, 0, 1, 1, 1}, 1e-12);
}

TEST_F(ActivationTest, SoftmaxRandomSlicesSumToOne) {
  // 3x4x5 along the middle axis (negative form): every (i, k) slice over j.
  Tensor x = randomTensor(DType::f64, {3, 4, 5}, -10, 10);
  auto out = run(
      R"(func.func @main(%a: tensor<3x4x5xf64>) -> (tensor<3x4x5xf64>, tensor<3x4x5xf64>) {
    %0 = strata.softmax %a {axis = -2} : (tensor<3x4x5xf64>) -> tensor<3x4x5xf64>
    %1 = strata.log_softmax %a {axis = 1} : (tensor<3x4x5xf64>) -> tensor<3x4x5xf64>
    return %0, %1 : tensor<3x4x5xf64>, tensor<3x4x5xf64>
  })",
      {x});
  ASSERT_EQ(out.size(), 2u);
  auto at = [](int i, int j, int k) { return (i * 4 + j) * 5 + k; };
  for (int i = 0; i < 3; ++i) {
    for (int k = 0; k < 5; ++k) {
      double sum = 0, expSum = 0;
      for (int j = 0; j < 4; ++j) {
        double y = out[0].get(at(i, j, k));
        EXPECT_GT(y, 0);
        sum += y;
        expSum += std::exp(out[1].get(at(i, j, k)));
        // log_softmax is the log of softmax.
        EXPECT_NEAR(out[1].get(at(i, j, k)), std::log(y), 1e-12);
        // Ratios and differences follow the inputs.
        double dx = x.get(at(i, j, k)) - x.get(at(i, 0, k));
        EXPECT_NEAR(y / out[0].get(at(i, 0, k)), std::exp(dx),
                    1e-12 * std::exp(dx));
        EXPECT_NEAR(out[1].get(at(i, j, k)) - out[1].get(at(i, 0, k)), dx,
                    1e-12);
      }
      EXPECT_NEAR(sum, 1, 1e-12);
      EXPECT_NEAR(expSum, 1, 1e-12);
    }
  }
}

TEST_F(ActivationTest, SoftmaxOnF32AndDynamicBatch) {
  Tensor x = randomTensor(DType::f32, {7, 3}, -5, 5);
  auto out = run(R"(func.func @main(%a: tensor<?x3xf32>) -> tensor<?x3xf32> {
    %0 = strata.softmax %a : (tensor<?x3xf32>) -> tensor<?x3xf32>
    return %0 : tensor<?x3xf32>
  })",
                 {x});
  ASSERT_EQ(out.size(), 1u);
  std::vector<double> want;
  for (int i = 0; i < 7; ++i) {
    double s = 0;
    for (int j = 0; j < 3; ++j)
      s += std::exp(x.get(i * 3 + j));
    for (int j = 0; j < 3; ++j)
      want.push_back(std::exp(x.get(i * 3 + j)) / s);
  }
  expectTensorNear(out[0], {7, 3}, want, 1e-6);
}

TEST_F(ActivationTest, LogSoftmaxStaysFiniteForVeryNegativeInputs) {
  auto out = runOn("strata.log_softmax", "", {0, -1000});
  ASSERT_EQ(out.size(), 1u);
  expectTensorNear(out[0], {2}, {0, -1000}, 1e-12);
}

TEST_F(ActivationTest, PReluBroadcastsTheSlope) {
  const char *src =
      R"(func.func @main(%a: tensor<2x3xf32>, %s: tensor<3xf32>, %t: tensor<f32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
    %0 = strata.prelu %a, %s : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    %1 = strata.prelu %a, %t : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
    return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
  })";
  auto out =
      run(src, {Tensor::fromDoubles(DType::f32, {2, 3}, {-1, 2, -3, 4, -5, 6}),
                Tensor::fromDoubles(DType::f32, {3}, {0.5, 2, 0.25}),
                Tensor::scalar(DType::f32, -1)});
  ASSERT_EQ(out.size(), 2u);
  expectTensorNear(out[0], {2, 3}, {-0.5, 2, -0.75, 4, -10, 6});
  expectTensorNear(out[1], {2, 3}, {1, 2, 3, 4, 5, 6});
}

TEST_F(ActivationTest, PReluPerChannelRandom) {
  // NCHW input, per-channel slope of shape Cx1x1, dynamic batch.
  Tensor x = randomTensor(DType::f64, {2, 3, 2, 2});
  Tensor s = randomTensor(DType::f64, {3, 1, 1}, 0, 1);
  auto out = run(
      R"(func.func @main(%a: tensor<?x3x2x2xf64>, %s: tensor<3x1x1xf64>) -> tensor<?x3x2x2xf64> {
    %0 = strata.prelu %a, %s : (tensor<?x3x2x2xf64>, tensor<3x1x1xf64>) -> tensor<?x3x2x2xf64>
    return %0 : tensor<?x3x2x2xf64>
  })",
      {x, s});
  ASSERT_EQ(out.size(), 1u);
  std::vector<double> want;
  for (int n = 0; n < 2; ++n)
    for (int c = 0; c < 3; ++c)
      for (int hw = 0; hw < 4; ++hw) {
        double v = x.get((n * 3 + c) * 4 + hw);
        want.push_back(v < 0 ? s.get(c) * v : v);
      }
  expectTensorNear(out[0], {2, 3, 2, 2}, want, 1e-12);
}

TEST_F(ActivationTest, PReluRejectsAMismatchedDynamicSlope) {
  std::string err = runError(
      R"(func.func @main(%a: tensor<2x3xf32>, %s: tensor<?xf32>) -> tensor<2x3xf32> {
    %0 = strata.prelu %a, %s : (tensor<2x3xf32>, tensor<?xf32>) -> tensor<2x3xf32>
    return %0 : tensor<2x3xf32>
  })",
      {Tensor::fromDoubles(DType::f32, {2, 3}, {1, 2, 3, 4, 5, 6}),
       Tensor::fromDoubles(DType::f32, {2}, {1, 2})});
  EXPECT_NE(err.find("'strata.prelu' slope of shape 2 does not broadcast to "
                     "input of shape 2x3"),
            std::string::npos)
      << err;
}

} // namespace
} // namespace strata::testing
