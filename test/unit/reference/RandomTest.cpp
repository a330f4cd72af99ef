//===- RandomTest.cpp - Reference semantics of the Random ops -------------===//
//
// Each draw is checked element by element against the Philox definition
// (Philox.h, itself checked here against the Random123 known answers), for
// determinism, for the returned state, and statistically. Statistical bounds
// are 5 standard errors, so a correct kernel fails them with probability
// below 1e-6 (and the draws are deterministic anyway).
//
//===----------------------------------------------------------------------===//

#include "EvaluatorTesting.h"

#include "runtime/support/Philox.h"

#include <cmath>

namespace strata::testing {
namespace {

using random::philox4x32;

/// Element i of a uniform draw, written out from the Philox block.
double uniformAt(uint64_t key, uint64_t counter, uint64_t i) {
  return (philox4x32(key, counter + i)[0] + 0.5) / 4294967296.0;
}
/// Element i of a normal draw: Box-Muller on the block's first two words.
double normalAt(uint64_t key, uint64_t counter, uint64_t i) {
  auto block = philox4x32(key, counter + i);
  double u1 = (block[0] + 0.5) / 4294967296.0;
  double u2 = (block[1] + 0.5) / 4294967296.0;
  return std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
}

Tensor state(int64_t key, int64_t counter) {
  return Tensor::fromInts(DType::i64, {2}, {key, counter});
}

void expectState(const Tensor &t, int64_t key, int64_t counter) {
  ASSERT_EQ(t.shape(), std::vector<int64_t>{2});
  EXPECT_EQ(t.dtype(), DType::i64);
  EXPECT_EQ(t.getInt(0), key);
  EXPECT_EQ(t.getInt(1), counter);
}

struct Moments {
  double mean, variance;
};
Moments moments(const Tensor &t) {
  double sum = 0, sq = 0;
  int64_t n = t.numElements();
  for (int64_t i = 0; i < n; ++i)
    sum += t.get(i);
  double mean = sum / n;
  for (int64_t i = 0; i < n; ++i)
    sq += (t.get(i) - mean) * (t.get(i) - mean);
  return {mean, sq / (n - 1)};
}

class RandomTest : public EvaluatorTest {};

TEST(RandomPhiloxTest, MatchesRandom123KnownAnswers) {
  // kat_vectors of Random123 for philox4x32_10.
  auto zero = philox4x32({0u, 0u, 0u, 0u}, {0u, 0u});
  EXPECT_EQ(zero, (std::array<uint32_t, 4>{0x6627e8d5u, 0xe169c58du,
                                           0xbc57ac4cu, 0x9b00dbd8u}));
  auto ones = philox4x32({~0u, ~0u, ~0u, ~0u}, {~0u, ~0u});
  EXPECT_EQ(ones, (std::array<uint32_t, 4>{0x408f276du, 0x41c83b0eu,
                                           0xa20bc7c6u, 0x6d5451fdu}));
  auto pi = philox4x32({0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u},
                       {0xa4093822u, 0x299f31d0u});
  EXPECT_EQ(pi, (std::array<uint32_t, 4>{0xd16cfe09u, 0x94fdccebu, 0x5001e420u,
                                         0x24126ea1u}));
}

TEST_F(RandomTest, BernoulliSampleFollowsPhiloxAndAdvancesState) {
  const char *src =
      R"(func.func @main(%p: tensor<2x3xf32>, %s: tensor<2xi64>) -> (tensor<2x3xf32>, tensor<2xi64>) {
    %0, %1 = strata.bernoulli_sample %p, %s : (tensor<2x3xf32>, tensor<2xi64>) -> (tensor<2x3xf32>, tensor<2xi64>)
    return %0, %1 : tensor<2x3xf32>, tensor<2xi64>
  })";
  Tensor p =
      Tensor::fromDoubles(DType::f32, {2, 3}, {0, 1, 0.5, 0.2, 0.9, 0.5});
  auto out = run(src, {p, state(42, 7)});
  ASSERT_EQ(out.size(), 2u);
  std::vector<double> want;
  for (int i = 0; i < 6; ++i)
    want.push_back(uniformAt(42, 7, i) < p.get(i) ? 1.0 : 0.0);
  expectTensorNear(out[0], {2, 3}, want, 0);
  // p = 0 never fires, p = 1 always does (u is in the open (0, 1)).
  EXPECT_EQ(out[0].get(0), 0.0);
  EXPECT_EQ(out[0].get(1), 1.0);
  expectState(out[1], 42, 13);
  // Deterministic: the same state draws the same sample.
  auto again = run(src, {p, state(42, 7)});
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[0].toDoubles(), out[0].toDoubles());
}

TEST_F(RandomTest, BernoulliSampleFrequencyMatchesP) {
  const int64_t n = 20000;
  Tensor p = Tensor::fromDoubles(DType::f64, {n}, std::vector<double>(n, 0.3));
  auto out = run(
      R"(func.func @main(%p: tensor<?xf64>, %s: tensor<2xi64>) -> (tensor<?xf64>, tensor<2xi64>) {
    %0, %1 = strata.bernoulli_sample %p, %s : (tensor<?xf64>, tensor<2xi64>) -> (tensor<?xf64>, tensor<2xi64>)
    return %0, %1 : tensor<?xf64>, tensor<2xi64>
  })",
      {p, state(1, 0)});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_NEAR(moments(out[0]).mean, 0.3, 5 * std::sqrt(0.3 * 0.7 / n));
  expectState(out[1], 1, n);
}

TEST_F(RandomTest, GaussianSampleIsMeanPlusScaledNormal) {
  const int64_t n = 20000;
  std::vector<double> mean = random(n, -1, 1);
  auto out = run(
      R"(func.func @main(%m: tensor<?xf64>, %s: tensor<2xi64>) -> (tensor<?xf64>, tensor<2xi64>) {
    %0, %1 = strata.gaussian_sample %m, %s {std = 2.0} : (tensor<?xf64>, tensor<2xi64>) -> (tensor<?xf64>, tensor<2xi64>)
    return %0, %1 : tensor<?xf64>, tensor<2xi64>
  })",
      {Tensor::fromDoubles(DType::f64, {n}, mean), state(5, 100)});
  ASSERT_EQ(out.size(), 2u);
  std::vector<double> want(n);
  Tensor noise(DType::f64, {n});
  for (int64_t i = 0; i < n; ++i) {
    want[i] = mean[i] + 2 * normalAt(5, 100, i);
    noise.set(i, out[0].get(i) - mean[i]);
  }
  expectTensorNear(out[0], {n}, want, 1e-12);
  expectState(out[1], 5, 100 + n);
  // noise ~ N(0, 4): standard error of the mean 2/sqrt(n), of the variance
  // sqrt(2 * 16 / n).
  Moments m = moments(noise);
  EXPECT_NEAR(m.mean, 0, 5 * 2 / std::sqrt(n));
  EXPECT_NEAR(m.variance, 4, 5 * std::sqrt(32.0 / n));
}

TEST_F(RandomTest, GaussianSampleDefaultStdIsOne) {
  auto out = run(
      R"(func.func @main(%m: tensor<3xf32>, %s: tensor<2xi64>) -> (tensor<3xf32>, tensor<2xi64>) {
    %0, %1 = strata.gaussian_sample %m, %s : (tensor<3xf32>, tensor<2xi64>) -> (tensor<3xf32>, tensor<2xi64>)
    return %0, %1 : tensor<3xf32>, tensor<2xi64>
  })",
      {Tensor::fromDoubles(DType::f32, {3}, {10, 20, 30}), state(9, 3)});
  ASSERT_EQ(out.size(), 2u);
  expectTensorNear(
      out[0], {3},
      {10 + normalAt(9, 3, 0), 20 + normalAt(9, 3, 1), 30 + normalAt(9, 3, 2)},
      1e-6);
}

TEST_F(RandomTest, RandomUniformSpansLowToHigh) {
  const int64_t n = 20000;
  auto out = run(
      R"(func.func @main(%like: tensor<?x4xf64>, %s: tensor<2xi64>) -> (tensor<?x4xf64>, tensor<2xi64>, tensor<?x4xf64>, tensor<2xi64>) {
    %0, %1 = strata.random_uniform %like, %s {low = -1.0, high = 3.0} : (tensor<?x4xf64>, tensor<2xi64>) -> (tensor<?x4xf64>, tensor<2xi64>)
    %2, %3 = strata.random_uniform %like, %1 : (tensor<?x4xf64>, tensor<2xi64>) -> (tensor<?x4xf64>, tensor<2xi64>)
    return %0, %1, %2, %3 : tensor<?x4xf64>, tensor<2xi64>, tensor<?x4xf64>, tensor<2xi64>
  })",
      {randomTensor(DType::f64, {n / 4, 4}), state(77, 0)});
  ASSERT_EQ(out.size(), 4u);
  std::vector<double> want(n), second(n);
  for (int64_t i = 0; i < n; ++i) {
    want[i] = -1 + 4 * uniformAt(77, 0, i);
    // The chained draw continues the stream where the first stopped.
    second[i] = uniformAt(77, 0, n + i);
  }
  expectTensorNear(out[0], {n / 4, 4}, want, 1e-12);
  expectState(out[1], 77, n);
  expectTensorNear(out[2], {n / 4, 4}, second, 1e-12);
  expectState(out[3], 77, 2 * n);
  double lo = 1e9, hi = -1e9;
  for (int64_t i = 0; i < n; ++i) {
    lo = std::min(lo, out[0].get(i));
    hi = std::max(hi, out[0].get(i));
  }
  EXPECT_GE(lo, -1.0);
  EXPECT_LE(hi, 3.0);
  // Uniform(-1, 3): mean 1, variance 16/12.
  Moments m = moments(out[0]);
  EXPECT_NEAR(m.mean, 1, 5 * std::sqrt(16.0 / 12 / n));
  EXPECT_NEAR(m.variance, 16.0 / 12, 0.05);
}

TEST_F(RandomTest, RandomNormalHasMeanAndStd) {
  const int64_t n = 20000;
  auto out = run(
      R"(func.func @main(%like: tensor<?xf64>, %s: tensor<2xi64>) -> (tensor<?xf64>, tensor<2xi64>) {
    %0, %1 = strata.random_normal %like, %s {mean = 1.0, std = 3.0} : (tensor<?xf64>, tensor<2xi64>) -> (tensor<?xf64>, tensor<2xi64>)
    return %0, %1 : tensor<?xf64>, tensor<2xi64>
  })",
      {Tensor(DType::f64, {n}), state(-3, 11)});
  ASSERT_EQ(out.size(), 2u);
  std::vector<double> want(n);
  for (int64_t i = 0; i < n; ++i)
    want[i] = 1 + 3 * normalAt(static_cast<uint64_t>(int64_t{-3}), 11, i);
  expectTensorNear(out[0], {n}, want, 1e-12);
  expectState(out[1], -3, 11 + n);
  Moments m = moments(out[0]);
  EXPECT_NEAR(m.mean, 1, 5 * 3 / std::sqrt(n));
  EXPECT_NEAR(m.variance, 9, 5 * std::sqrt(2 * 81.0 / n));
}

TEST_F(RandomTest, CounterWrapsModulo2To64) {
  auto out = run(
      R"(func.func @main(%like: tensor<3xf32>, %s: tensor<2xi64>) -> (tensor<3xf32>, tensor<2xi64>) {
    %0, %1 = strata.random_uniform %like, %s : (tensor<3xf32>, tensor<2xi64>) -> (tensor<3xf32>, tensor<2xi64>)
    return %0, %1 : tensor<3xf32>, tensor<2xi64>
  })",
      {Tensor(DType::f32, {3}), state(8, -1)});
  ASSERT_EQ(out.size(), 2u);
  // counter 2^64 - 1: elements read blocks 2^64 - 1, 0, 1.
  expectTensorNear(
      out[0], {3},
      {uniformAt(8, ~uint64_t{0}, 0), uniformAt(8, 0, 0), uniformAt(8, 1, 0)},
      1e-6);
  expectState(out[1], 8, 2);
}

TEST_F(RandomTest, DropoutMasksAndRescales) {
  const int64_t n = 20000;
  Tensor x = randomTensor(DType::f64, {n / 10, 10}, 1, 2);
  auto out = run(
      R"(func.func @main(%x: tensor<?x10xf64>, %s: tensor<2xi64>) -> (tensor<?x10xf64>, tensor<?x10xi1>, tensor<2xi64>) {
    %0, %1, %2 = strata.dropout %x, %s {ratio = 0.25} : (tensor<?x10xf64>, tensor<2xi64>) -> (tensor<?x10xf64>, tensor<?x10xi1>, tensor<2xi64>)
    return %0, %1, %2 : tensor<?x10xf64>, tensor<?x10xi1>, tensor<2xi64>
  })",
      {x, state(3, 1000)});
  ASSERT_EQ(out.size(), 3u);
  std::vector<double> y(n), mask(n);
  for (int64_t i = 0; i < n; ++i) {
    mask[i] = uniformAt(3, 1000, i) >= 0.25;
    y[i] = x.get(i) * mask[i] / 0.75;
  }
  expectTensorNear(out[0], {n / 10, 10}, y, 1e-12);
  EXPECT_EQ(out[1].dtype(), DType::i1);
  expectTensorNear(out[1], {n / 10, 10}, mask, 0);
  expectState(out[2], 3, 1000 + n);
  // About 75% kept; the output keeps the input's expectation.
  EXPECT_NEAR(moments(out[1]).mean, 0.75, 5 * std::sqrt(0.75 * 0.25 / n));
  double sumX = 0, sumY = 0;
  for (int64_t i = 0; i < n; ++i) {
    sumX += x.get(i);
    sumY += out[0].get(i);
  }
  EXPECT_NEAR(sumY / n, sumX / n, 0.03);
}

TEST_F(RandomTest, DropoutHandWorked) {
  // ratio 0.5, x = 4: kept elements become 8, dropped 0.
  Tensor x = Tensor::fromDoubles(DType::f32, {8}, std::vector<double>(8, 4));
  auto out = run(
      R"(func.func @main(%x: tensor<8xf32>, %s: tensor<2xi64>) -> (tensor<8xf32>, tensor<8xi1>, tensor<2xi64>) {
    %0, %1, %2 = strata.dropout %x, %s : (tensor<8xf32>, tensor<2xi64>) -> (tensor<8xf32>, tensor<8xi1>, tensor<2xi64>)
    return %0, %1, %2 : tensor<8xf32>, tensor<8xi1>, tensor<2xi64>
  })",
      {x, state(0, 0)});
  ASSERT_EQ(out.size(), 3u);
  for (int64_t i = 0; i < 8; ++i) {
    bool keep = uniformAt(0, 0, i) >= 0.5;
    EXPECT_EQ(out[1].getInt(i), keep ? 1 : 0) << i;
    EXPECT_EQ(out[0].get(i), keep ? 8.0 : 0.0) << i;
  }
}

TEST_F(RandomTest, DropoutRatioZeroIsIdentity) {
  Tensor x = randomTensor(DType::f32, {4, 5});
  auto out = run(
      R"(func.func @main(%x: tensor<4x5xf32>, %s: tensor<2xi64>) -> (tensor<4x5xf32>, tensor<4x5xi1>, tensor<2xi64>) {
    %0, %1, %2 = strata.dropout %x, %s {ratio = 0.0} : (tensor<4x5xf32>, tensor<2xi64>) -> (tensor<4x5xf32>, tensor<4x5xi1>, tensor<2xi64>)
    return %0, %1, %2 : tensor<4x5xf32>, tensor<4x5xi1>, tensor<2xi64>
  })",
      {x, state(6, 6)});
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].toDoubles(), x.toDoubles());
  expectTensorNear(out[1], {4, 5}, std::vector<double>(20, 1), 0);
  expectState(out[2], 6, 26);
}

TEST_F(RandomTest, StateOfWrongSizeIsAnEvaluationError) {
  std::string err = runError(
      R"(func.func @main(%p: tensor<2xf32>, %s: tensor<?xi64>) -> (tensor<2xf32>, tensor<?xi64>) {
    %0, %1 = strata.bernoulli_sample %p, %s : (tensor<2xf32>, tensor<?xi64>) -> (tensor<2xf32>, tensor<?xi64>)
    return %0, %1 : tensor<2xf32>, tensor<?xi64>
  })",
      {Tensor(DType::f32, {2}), Tensor::fromInts(DType::i64, {3}, {1, 2, 3})});
  EXPECT_NE(err.find("rng state must have 2 elements"), std::string::npos)
      << err;
}

} // namespace
} // namespace strata::testing
