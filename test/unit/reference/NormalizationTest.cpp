//===- NormalizationTest.cpp - Reference semantics of normalizations ------===//
//
// Hand-worked cases with literal results (epsilon = 0 where that keeps the
// numbers exact), and random inputs compared with statistics computed here
// from explicit multi-indices, with the one-pass variance E[x^2] - E[x]^2
// (the kernels use two passes). Results are f32 (tolerance 1e-5 relative)
// unless stated.
//
//===----------------------------------------------------------------------===//

#include "EvaluatorTesting.h"

#include <cmath>

namespace strata::testing {
namespace {

using NormalizationTest = EvaluatorTest;

/// Mean and biased variance of `values`, one pass.
std::pair<double, double> stats(const std::vector<double> &values) {
  double s = 0, sq = 0;
  for (double v : values) {
    s += v;
    sq += v * v;
  }
  double n = static_cast<double>(values.size());
  return {s / n, sq / n - (s / n) * (s / n)};
}

TEST_F(NormalizationTest, BatchNormHandWorked) {
  // x [1, 2, 2]: channel 0 holds {1, 3}, channel 1 holds {2, 4}.
  auto out = run(
      R"(func.func @main(%x: tensor<1x2x2xf32>, %s: tensor<2xf32>, %b: tensor<2xf32>, %m: tensor<2xf32>, %v: tensor<2xf32>) -> tensor<1x2x2xf32> {
    %0 = strata.batch_norm %x, %s, %b, %m, %v {epsilon = 0.0} : (tensor<1x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2xf32>
    return %0 : tensor<1x2x2xf32>
  })",
      {Tensor::fromDoubles(DType::f32, {1, 2, 2}, {1, 3, 2, 4}),
       Tensor::fromDoubles(DType::f32, {2}, {2, 1}),
       Tensor::fromDoubles(DType::f32, {2}, {0.5, -1}),
       Tensor::fromDoubles(DType::f32, {2}, {2, 3}),
       Tensor::fromDoubles(DType::f32, {2}, {1, 4})});
  ASSERT_EQ(out.size(), 1u);
  // 2 * (1 - 2) / 1 + 0.5, 2 * (3 - 2) / 1 + 0.5, (2 - 3) / 2 - 1, ...
  expectTensorNear(out[0], {1, 2, 2}, {-1.5, 2.5, -1.5, -0.5}, 0);
}

TEST_F(NormalizationTest, BatchNormRandom) {
  Tensor x = randomTensor(DType::f32, {3, 4, 2, 2}, -3, 3);
  Tensor s = randomTensor(DType::f32, {4});
  Tensor b = randomTensor(DType::f32, {4});
  Tensor m = randomTensor(DType::f32, {4});
  Tensor v = randomTensor(DType::f32, {4}, 0.1, 2);
  auto out = run(
      R"(func.func @main(%x: tensor<?x4x2x2xf32>, %s: tensor<4xf32>, %b: tensor<4xf32>, %m: tensor<4xf32>, %v: tensor<4xf32>) -> tensor<?x4x2x2xf32> {
    %0 = strata.batch_norm %x, %s, %b, %m, %v : (tensor<?x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<?x4x2x2xf32>
    return %0 : tensor<?x4x2x2xf32>
  })",
      {x, s, b, m, v});
  ASSERT_EQ(out.size(), 1u);
  std::vector<double> want;
  for (int64_t n = 0; n < 3; ++n)
    for (int64_t c = 0; c < 4; ++c)
      for (int64_t h = 0; h < 2; ++h)
        for (int64_t w = 0; w < 2; ++w)
          want.push_back((x.at({n, c, h, w}) - m.at({c})) /
                             std::sqrt(v.at({c}) + 1e-5) * s.at({c}) +
                         b.at({c}));
  expectTensorNear(out[0], {3, 4, 2, 2}, want, 1e-5);
}

TEST_F(NormalizationTest, BatchNormRuntimeChannelMismatchIsAnError) {
  std::string err = runError(
      R"(func.func @main(%x: tensor<2x?xf32>, %p: tensor<3xf32>, %q: tensor<?xf32>) -> tensor<2x?xf32> {
    %0 = strata.batch_norm %x, %p, %p, %p, %q : (tensor<2x?xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<?xf32>) -> tensor<2x?xf32>
    return %0 : tensor<2x?xf32>
  })",
      {randomTensor(DType::f32, {2, 3}), randomTensor(DType::f32, {3}),
       randomTensor(DType::f32, {4})});
  EXPECT_NE(err.find("operand #4 is 4, expected [3]"), std::string::npos)
      << err;
}

TEST_F(NormalizationTest, BatchNormTrainHandWorked) {
  // x [2, 2]: channel 0 holds {1, 3} (mean 2, var 1), channel 1 {10, 20}
  // (mean 15, var 25).
  auto out = run(
      R"(func.func @main(%x: tensor<2x2xf32>, %s: tensor<2xf32>, %b: tensor<2xf32>, %rm: tensor<2xf32>, %rv: tensor<2xf32>) -> (tensor<2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
    %y, %m, %v, %bm, %bv = strata.batch_norm_train %x, %s, %b, %rm, %rv {epsilon = 0.0} : (tensor<2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>)
    return %y, %m, %v, %bm, %bv : tensor<2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
  })",
      {Tensor::fromDoubles(DType::f32, {2, 2}, {1, 10, 3, 20}),
       Tensor::fromDoubles(DType::f32, {2}, {1, 2}),
       Tensor::fromDoubles(DType::f32, {2}, {0, 1}),
       Tensor::fromDoubles(DType::f32, {2}, {0, 5}),
       Tensor::fromDoubles(DType::f32, {2}, {1, 1})});
  ASSERT_EQ(out.size(), 5u);
  expectTensorNear(out[0], {2, 2}, {-1, -1, 1, 3}, 1e-6);
  // Momentum 0.9: 0 * 0.9 + 2 * 0.1, 5 * 0.9 + 15 * 0.1; 1 * 0.9 + 1 * 0.1,
  // 1 * 0.9 + 25 * 0.1 (the biased variance).
  expectTensorNear(out[1], {2}, {0.2, 6.0}, 1e-6);
  expectTensorNear(out[2], {2}, {1.0, 3.4}, 1e-6);
  expectTensorNear(out[3], {2}, {2, 15}, 0);
  expectTensorNear(out[4], {2}, {1, 25}, 0);
}

TEST_F(NormalizationTest, BatchNormTrainRandom) {
  Tensor x = randomTensor(DType::f32, {4, 3, 5}, -2, 2);
  Tensor s = randomTensor(DType::f32, {3});
  Tensor b = randomTensor(DType::f32, {3});
  Tensor rm = randomTensor(DType::f32, {3});
  Tensor rv = randomTensor(DType::f32, {3}, 0.5, 2);
  auto out = run(
      R"(func.func @main(%x: tensor<?x3x5xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %rm: tensor<3xf32>, %rv: tensor<3xf32>) -> (tensor<?x3x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
    %y, %m, %v, %bm, %bv = strata.batch_norm_train %x, %s, %b, %rm, %rv {epsilon = 0.001, momentum = 0.75} : (tensor<?x3x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<?x3x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
    return %y, %m, %v, %bm, %bv : tensor<?x3x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
  })",
      {x, s, b, rm, rv});
  ASSERT_EQ(out.size(), 5u);
  std::vector<double> mean(3), var(3), newMean(3), newVar(3);
  for (int64_t c = 0; c < 3; ++c) {
    std::vector<double> values;
    for (int64_t n = 0; n < 4; ++n)
      for (int64_t i = 0; i < 5; ++i)
        values.push_back(x.at({n, c, i}));
    std::tie(mean[c], var[c]) = stats(values);
    newMean[c] = 0.75 * rm.at({c}) + 0.25 * mean[c];
    newVar[c] = 0.75 * rv.at({c}) + 0.25 * var[c];
  }
  std::vector<double> want;
  for (int64_t n = 0; n < 4; ++n)
    for (int64_t c = 0; c < 3; ++c)
      for (int64_t i = 0; i < 5; ++i)
        want.push_back(s.at({c}) * (x.at({n, c, i}) - mean[c]) /
                           std::sqrt(var[c] + 0.001) +
                       b.at({c}));
  expectTensorNear(out[0], {4, 3, 5}, want, 1e-5);
  expectTensorNear(out[1], {3}, newMean, 1e-5);
  expectTensorNear(out[2], {3}, newVar, 1e-5);
  expectTensorNear(out[3], {3}, mean, 1e-5);
  expectTensorNear(out[4], {3}, var, 1e-5);
}

TEST_F(NormalizationTest, BatchNormTrainEmptyBatchIsAnError) {
  std::string err = runError(
      R"(func.func @main(%x: tensor<?x2xf32>, %p: tensor<2xf32>) -> tensor<?x2xf32> {
    %y, %m, %v, %bm, %bv = strata.batch_norm_train %x, %p, %p, %p, %p : (tensor<?x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<?x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>)
    return %y : tensor<?x2xf32>
  })",
      {Tensor(DType::f32, {0, 2}), randomTensor(DType::f32, {2})});
  EXPECT_NE(err.find("empty batch"), std::string::npos) << err;
}

TEST_F(NormalizationTest, LayerNormHandWorked) {
  // Both rows normalize to [-a, 0, a] with a = sqrt(3/2): row 0 has mean 2,
  // variance 2/3; row 1 mean 4, variance 8/3.
  double a = std::sqrt(1.5);
  auto out = run(
      R"(func.func @main(%x: tensor<2x3xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
    %0 = strata.layer_norm %x, %s, %b {epsilon = 0.0} : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    %1 = strata.layer_norm %x, %s {epsilon = 0.0} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
  })",
      {Tensor::fromDoubles(DType::f32, {2, 3}, {1, 2, 3, 2, 4, 6}),
       Tensor::fromDoubles(DType::f32, {3}, {1, 2, 3}),
       Tensor::fromDoubles(DType::f32, {3}, {0, 1, 2})});
  ASSERT_EQ(out.size(), 2u);
  expectTensorNear(out[0], {2, 3}, {-a, 1, 2 + 3 * a, -a, 1, 2 + 3 * a}, 1e-6);
  expectTensorNear(out[1], {2, 3}, {-a, 0, 3 * a, -a, 0, 3 * a}, 1e-6);
}

TEST_F(NormalizationTest, LayerNormBroadcastsParametersRandom) {
  // Normalize over dims [1, 3) of [2, 3, 4]; scale [1, 4] broadcasts over
  // dim 1, bias [3, 4] matches.
  Tensor x = randomTensor(DType::f32, {2, 3, 4}, -2, 2);
  Tensor s = randomTensor(DType::f32, {1, 4});
  Tensor b = randomTensor(DType::f32, {3, 4});
  auto out = run(
      R"(func.func @main(%x: tensor<?x3x4xf32>, %s: tensor<1x4xf32>, %b: tensor<3x4xf32>) -> tensor<?x3x4xf32> {
    %0 = strata.layer_norm %x, %s, %b {axis = -2} : (tensor<?x3x4xf32>, tensor<1x4xf32>, tensor<3x4xf32>) -> tensor<?x3x4xf32>
    return %0 : tensor<?x3x4xf32>
  })",
      {x, s, b});
  ASSERT_EQ(out.size(), 1u);
  std::vector<double> want;
  for (int64_t n = 0; n < 2; ++n) {
    std::vector<double> values;
    for (int64_t i = 0; i < 3; ++i)
      for (int64_t j = 0; j < 4; ++j)
        values.push_back(x.at({n, i, j}));
    auto [mean, var] = stats(values);
    for (int64_t i = 0; i < 3; ++i)
      for (int64_t j = 0; j < 4; ++j)
        want.push_back((x.at({n, i, j}) - mean) / std::sqrt(var + 1e-5) *
                           s.at({0, j}) +
                       b.at({i, j}));
  }
  expectTensorNear(out[0], {2, 3, 4}, want, 1e-5);
}

TEST_F(NormalizationTest, LayerNormRuntimeScaleMismatchIsAnError) {
  std::string err = runError(
      R"(func.func @main(%x: tensor<2x3xf32>, %s: tensor<?xf32>) -> tensor<2x3xf32> {
    %0 = strata.layer_norm %x, %s : (tensor<2x3xf32>, tensor<?xf32>) -> tensor<2x3xf32>
    return %0 : tensor<2x3xf32>
  })",
      {randomTensor(DType::f32, {2, 3}), randomTensor(DType::f32, {2})});
  EXPECT_NE(err.find("does not broadcast to 3"), std::string::npos) << err;
}

TEST_F(NormalizationTest, InstanceNormHandWorked) {
  // x [1, 2, 2]: channel 0 {1, 3} -> {-1, 1}, channel 1 {0, 4} -> {-1, 1}.
  auto out = run(
      R"(func.func @main(%x: tensor<1x2x2xf32>, %s: tensor<2xf32>, %b: tensor<2xf32>) -> tensor<1x2x2xf32> {
    %0 = strata.instance_norm %x, %s, %b {epsilon = 0.0} : (tensor<1x2x2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2xf32>
    return %0 : tensor<1x2x2xf32>
  })",
      {Tensor::fromDoubles(DType::f32, {1, 2, 2}, {1, 3, 0, 4}),
       Tensor::fromDoubles(DType::f32, {2}, {2, 3}),
       Tensor::fromDoubles(DType::f32, {2}, {1, 0})});
  ASSERT_EQ(out.size(), 1u);
  expectTensorNear(out[0], {1, 2, 2}, {-1, 3, -3, 3}, 0);
}

TEST_F(NormalizationTest, InstanceNormRandom) {
  Tensor x = randomTensor(DType::f32, {2, 3, 4, 2}, -2, 2);
  Tensor s = randomTensor(DType::f32, {3});
  Tensor b = randomTensor(DType::f32, {3});
  auto out = run(
      R"(func.func @main(%x: tensor<?x3x4x2xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<?x3x4x2xf32> {
    %0 = strata.instance_norm %x, %s, %b : (tensor<?x3x4x2xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<?x3x4x2xf32>
    return %0 : tensor<?x3x4x2xf32>
  })",
      {x, s, b});
  ASSERT_EQ(out.size(), 1u);
  std::vector<double> want;
  for (int64_t n = 0; n < 2; ++n)
    for (int64_t c = 0; c < 3; ++c) {
      std::vector<double> values;
      for (int64_t h = 0; h < 4; ++h)
        for (int64_t w = 0; w < 2; ++w)
          values.push_back(x.at({n, c, h, w}));
      auto [mean, var] = stats(values);
      for (int64_t h = 0; h < 4; ++h)
        for (int64_t w = 0; w < 2; ++w)
          want.push_back(s.at({c}) * (x.at({n, c, h, w}) - mean) /
                             std::sqrt(var + 1e-5) +
                         b.at({c}));
    }
  expectTensorNear(out[0], {2, 3, 4, 2}, want, 1e-5);
}

TEST_F(NormalizationTest, GroupNormHandWorked) {
  // x [1, 4, 1] = {1, 2, 3, 4} in 2 groups: {1, 2} and {3, 4}, each
  // normalizing to {-1, 1}.
  auto out = run(
      R"(func.func @main(%x: tensor<1x4x1xf32>, %s: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<1x4x1xf32> {
    %0 = strata.group_norm %x, %s, %b {num_groups = 2, epsilon = 0.0} : (tensor<1x4x1xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x1xf32>
    return %0 : tensor<1x4x1xf32>
  })",
      {Tensor::fromDoubles(DType::f32, {1, 4, 1}, {1, 2, 3, 4}),
       Tensor::fromDoubles(DType::f32, {4}, {1, 2, 3, 4}),
       Tensor::fromDoubles(DType::f32, {4}, {0, 0, 0, 1})});
  ASSERT_EQ(out.size(), 1u);
  expectTensorNear(out[0], {1, 4, 1}, {-1, 2, -3, 5}, 0);
}

TEST_F(NormalizationTest, GroupNormRandom) {
  // 6 channels in 3 groups of 2, and in 1 group (every channel together).
  Tensor x = randomTensor(DType::f32, {2, 6, 3}, -2, 2);
  Tensor s = randomTensor(DType::f32, {6});
  Tensor b = randomTensor(DType::f32, {6});
  auto out = run(
      R"(func.func @main(%x: tensor<?x6x3xf32>, %s: tensor<6xf32>, %b: tensor<6xf32>) -> (tensor<?x6x3xf32>, tensor<?x6x3xf32>) {
    %0 = strata.group_norm %x, %s, %b {num_groups = 3} : (tensor<?x6x3xf32>, tensor<6xf32>, tensor<6xf32>) -> tensor<?x6x3xf32>
    %1 = strata.group_norm %x, %s, %b {num_groups = 1} : (tensor<?x6x3xf32>, tensor<6xf32>, tensor<6xf32>) -> tensor<?x6x3xf32>
    return %0, %1 : tensor<?x6x3xf32>, tensor<?x6x3xf32>
  })",
      {x, s, b});
  ASSERT_EQ(out.size(), 2u);
  for (int64_t groups : {3, 1}) {
    int64_t per = 6 / groups;
    std::vector<double> want(2 * 6 * 3);
    for (int64_t n = 0; n < 2; ++n)
      for (int64_t g = 0; g < groups; ++g) {
        std::vector<double> values;
        for (int64_t c = g * per; c < (g + 1) * per; ++c)
          for (int64_t i = 0; i < 3; ++i)
            values.push_back(x.at({n, c, i}));
        auto [mean, var] = stats(values);
        for (int64_t c = g * per; c < (g + 1) * per; ++c)
          for (int64_t i = 0; i < 3; ++i)
            want[(n * 6 + c) * 3 + i] =
                s.at({c}) * (x.at({n, c, i}) - mean) / std::sqrt(var + 1e-5) +
                b.at({c});
      }
    expectTensorNear(out[groups == 3 ? 0 : 1], {2, 6, 3}, want, 1e-5);
  }
}

TEST_F(NormalizationTest, GroupNormRuntimeChannelSplitIsAnError) {
  std::string err = runError(
      R"(func.func @main(%x: tensor<1x?xf32>, %p: tensor<?xf32>) -> tensor<1x?xf32> {
    %0 = strata.group_norm %x, %p, %p {num_groups = 2} : (tensor<1x?xf32>, tensor<?xf32>, tensor<?xf32>) -> tensor<1x?xf32>
    return %0 : tensor<1x?xf32>
  })",
      {randomTensor(DType::f32, {1, 3}), randomTensor(DType::f32, {3})});
  EXPECT_NE(err.find("3 channels do not split into 2 groups"),
            std::string::npos)
      << err;
}

TEST_F(NormalizationTest, LpNormalizationHandWorked) {
  auto out = run(
      R"(func.func @main(%x: tensor<3x2xf32>) -> (tensor<3x2xf32>, tensor<3x2xf32>) {
    %0 = strata.lp_normalization %x : (tensor<3x2xf32>) -> tensor<3x2xf32>
    %1 = strata.lp_normalization %x {axis = 0, p = 1} : (tensor<3x2xf32>) -> tensor<3x2xf32>
    return %0, %1 : tensor<3x2xf32>, tensor<3x2xf32>
  })",
      {Tensor::fromDoubles(DType::f32, {3, 2}, {3, 4, -6, 8, 0, 0})});
  ASSERT_EQ(out.size(), 2u);
  // Rows: |(3, 4)| = 5, |(-6, 8)| = 10, and the zero row stays zero.
  expectTensorNear(out[0], {3, 2}, {0.6, 0.8, -0.6, 0.8, 0, 0}, 1e-6);
  // Columns: 3 + 6 + 0 = 9 and 4 + 8 + 0 = 12.
  expectTensorNear(out[1], {3, 2}, {1.0 / 3, 1.0 / 3, -2.0 / 3, 2.0 / 3, 0, 0},
                   1e-6);
}

TEST_F(NormalizationTest, LpNormalizationRandom) {
  Tensor x = randomTensor(DType::f64, {3, 4, 5});
  auto out = run(
      R"(func.func @main(%x: tensor<?x4x5xf64>) -> (tensor<?x4x5xf64>, tensor<?x4x5xf64>) {
    %0 = strata.lp_normalization %x {axis = 1} : (tensor<?x4x5xf64>) -> tensor<?x4x5xf64>
    %1 = strata.lp_normalization %x {axis = -3, p = 1} : (tensor<?x4x5xf64>) -> tensor<?x4x5xf64>
    return %0, %1 : tensor<?x4x5xf64>, tensor<?x4x5xf64>
  })",
      {x});
  ASSERT_EQ(out.size(), 2u);
  std::vector<double> want0, want1;
  for (int64_t i = 0; i < 3; ++i)
    for (int64_t j = 0; j < 4; ++j)
      for (int64_t k = 0; k < 5; ++k) {
        double l2 = 0, l1 = 0;
        for (int64_t t = 0; t < 4; ++t)
          l2 += std::pow(x.at({i, t, k}), 2);
        for (int64_t t = 0; t < 3; ++t)
          l1 += std::fabs(x.at({t, j, k}));
        want0.push_back(x.at({i, j, k}) / std::sqrt(l2));
        want1.push_back(x.at({i, j, k}) / l1);
      }
  expectTensorNear(out[0], {3, 4, 5}, want0, 1e-12);
  expectTensorNear(out[1], {3, 4, 5}, want1, 1e-12);
}

} // namespace
} // namespace strata::testing
