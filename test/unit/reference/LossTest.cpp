//===- LossTest.cpp - Reference semantics of the Loss ops -----------------===//
//
// Hand-worked losses, metrics and orderings with literal results, and random
// inputs checked against this file's own straightforward computations.
//
//===----------------------------------------------------------------------===//

#include "EvaluatorTesting.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace strata::testing {
namespace {

class LossTest : public EvaluatorTest {};

const char *kSoftmaxSrc =
    R"(func.func @main(%l: tensor<?x3xf64>, %y: tensor<?xi32>) -> (tensor<f64>, tensor<f64>) {
    %0 = strata.softmax_cross_entropy %l, %y : (tensor<?x3xf64>, tensor<?xi32>) -> tensor<f64>
    %1 = strata.softmax_cross_entropy %l, %y {scale = 2.0} : (tensor<?x3xf64>, tensor<?xi32>) -> tensor<f64>
    return %0, %1 : tensor<f64>, tensor<f64>
  })";

TEST_F(LossTest, SoftmaxCrossEntropyHandWorked) {
  // Row 0: log(e + e^2 + e^3) - 3; row 1 (uniform): log 3. Mean of the two.
  auto out = run(kSoftmaxSrc,
                 {Tensor::fromDoubles(DType::f64, {2, 3}, {1, 2, 3, 1, 1, 1}),
                  Tensor::fromInts(DType::i32, {2}, {2, 0})});
  ASSERT_EQ(out.size(), 2u);
  expectTensorNear(out[0], {}, {0.753109126556245}, 1e-14);
  expectTensorNear(out[1], {}, {2 * 0.753109126556245}, 1e-14);
}

TEST_F(LossTest, SoftmaxCrossEntropyIsStableForLargeLogits) {
  // exp(1000) overflows a double; the shifted log-sum-exp does not.
  auto out =
      run(kSoftmaxSrc, {Tensor::fromDoubles(DType::f64, {2, 3},
                                            {1000, 0, -1000, 1000, 0, -1000}),
                        Tensor::fromInts(DType::i32, {2}, {0, 1})});
  ASSERT_EQ(out.size(), 2u);
  // Row 0: log(1 + e^-1000 + e^-2000) ~ 0; row 1: 1000 + that.
  expectTensorNear(out[0], {}, {500}, 1e-14);
}

TEST_F(LossTest, SoftmaxCrossEntropyMatchesNaiveSoftmax) {
  const int64_t n = 7, c = 5;
  Tensor logits = randomTensor(DType::f32, {n, c}, -3, 3);
  std::vector<int64_t> labels(n);
  for (int64_t i = 0; i < n; ++i)
    labels[i] = (i * 3) % c;
  auto out = run(
      R"(func.func @main(%l: tensor<7x5xf32>, %y: tensor<7xi64>) -> tensor<f32> {
    %0 = strata.softmax_cross_entropy %l, %y {scale = 0.5} : (tensor<7x5xf32>, tensor<7xi64>) -> tensor<f32>
    return %0 : tensor<f32>
  })",
      {logits, Tensor::fromInts(DType::i64, {n}, labels)});
  ASSERT_EQ(out.size(), 1u);
  double total = 0;
  for (int64_t i = 0; i < n; ++i) {
    double z = 0;
    for (int64_t j = 0; j < c; ++j)
      z += std::exp(logits.get(i * c + j));
    total += -std::log(std::exp(logits.get(i * c + labels[i])) / z);
  }
  EXPECT_EQ(out[0].dtype(), DType::f32);
  expectTensorNear(out[0], {}, {0.5 * total / n}, 1e-6);
}

TEST_F(LossTest, SoftmaxCrossEntropyRejectsLabelsOutOfRange) {
  for (int64_t bad : {3, -1}) {
    std::string err =
        runError(kSoftmaxSrc, {Tensor(DType::f64, {2, 3}),
                               Tensor::fromInts(DType::i32, {2}, {0, bad})});
    EXPECT_NE(err.find("label " + std::to_string(bad) +
                       " of row 1 is out of range [0, 3)"),
              std::string::npos)
        << err;
  }
}

TEST_F(LossTest, EuclideanLossHandWorkedAndRandom) {
  const char *src =
      R"(func.func @main(%a: tensor<?x2x3xf64>, %b: tensor<?x2x3xf64>) -> tensor<f64> {
    %0 = strata.euclidean_loss %a, %b : (tensor<?x2x3xf64>, tensor<?x2x3xf64>) -> tensor<f64>
    return %0 : tensor<f64>
  })";
  // 0.5 * (1 + 4 + ... + 144... ) / N: differences 1..12, N = 2.
  std::vector<double> a(12), b(12, 0.0);
  std::iota(a.begin(), a.end(), 1.0);
  auto out = run(src, {Tensor::fromDoubles(DType::f64, {2, 2, 3}, a),
                       Tensor::fromDoubles(DType::f64, {2, 2, 3}, b)});
  ASSERT_EQ(out.size(), 1u);
  // sum of squares 1..12 = 650.
  expectTensorNear(out[0], {}, {0.5 * 650 / 2}, 1e-14);

  Tensor x = randomTensor(DType::f64, {5, 2, 3}),
         y = randomTensor(DType::f64, {5, 2, 3});
  out = run(src, {x, y});
  ASSERT_EQ(out.size(), 1u);
  double sum = 0;
  for (int64_t i = 0; i < 30; ++i)
    sum += (x.get(i) - y.get(i)) * (x.get(i) - y.get(i));
  expectTensorNear(out[0], {}, {0.5 * sum / 5}, 1e-12);
}

const char *kAccuracySrc =
    R"(func.func @main(%l: tensor<?x3xf32>, %y: tensor<?xi32>) -> (tensor<f32>, tensor<f32>) {
    %0 = strata.accuracy %l, %y : (tensor<?x3xf32>, tensor<?xi32>) -> tensor<f32>
    %1 = strata.accuracy %l, %y {top_k = 2} : (tensor<?x3xf32>, tensor<?xi32>) -> tensor<f32>
    return %0, %1 : tensor<f32>, tensor<f32>
  })";

TEST_F(LossTest, AccuracyHandWorkedWithTies) {
  // Row 0: label 1 is the max. Row 1: label 1 (0.1) ties class 2, below
  // class 0: rank 1 (the tie has a higher index). Row 2: label 0 (0.3) ties
  // class 1 (higher index), below class 2: rank 1. Row 3: all equal, label
  // 2 has rank 2 (both lower indices rank above it).
  auto out =
      run(kAccuracySrc, {Tensor::fromDoubles(DType::f32, {4, 3},
                                             {0.1, 0.9, 0.0, 0.8, 0.1, 0.1, 0.3,
                                              0.3, 0.4, 0.5, 0.5, 0.5}),
                         Tensor::fromInts(DType::i32, {4}, {1, 1, 0, 2})});
  ASSERT_EQ(out.size(), 2u);
  expectTensorNear(out[0], {}, {1.0 / 4});
  expectTensorNear(out[1], {}, {3.0 / 4});
}

TEST_F(LossTest, AccuracyMatchesSortedRanks) {
  const int64_t n = 50, c = 6;
  // Few distinct values so that ties occur.
  std::vector<double> values = random(n * c, 0, 4);
  for (double &v : values)
    v = std::floor(v);
  std::vector<int64_t> labels(n);
  for (int64_t i = 0; i < n; ++i)
    labels[i] = (i * 7) % c;
  auto out = run(
      R"(func.func @main(%l: tensor<50x6xf64>, %y: tensor<50xi64>) -> (tensor<f32>, tensor<f32>, tensor<f32>) {
    %0 = strata.accuracy %l, %y : (tensor<50x6xf64>, tensor<50xi64>) -> tensor<f32>
    %1 = strata.accuracy %l, %y {top_k = 3} : (tensor<50x6xf64>, tensor<50xi64>) -> tensor<f32>
    %2 = strata.accuracy %l, %y {top_k = 6} : (tensor<50x6xf64>, tensor<50xi64>) -> tensor<f32>
    return %0, %1, %2 : tensor<f32>, tensor<f32>, tensor<f32>
  })",
      {Tensor::fromDoubles(DType::f64, {n, c}, values),
       Tensor::fromInts(DType::i64, {n}, labels)});
  ASSERT_EQ(out.size(), 3u);
  for (auto [index, k] : {std::pair{0, 1}, std::pair{1, 3}, std::pair{2, 6}}) {
    int correct = 0;
    for (int64_t i = 0; i < n; ++i) {
      std::vector<int64_t> order(c);
      std::iota(order.begin(), order.end(), 0);
      std::sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
        double va = values[i * c + a], vb = values[i * c + b];
        return va != vb ? va > vb : a < b;
      });
      auto pos =
          std::find(order.begin(), order.end(), labels[i]) - order.begin();
      correct += pos < k;
    }
    SCOPED_TRACE("top_k " + std::to_string(k));
    EXPECT_EQ(out[index].dtype(), DType::f32);
    expectTensorNear(out[index], {}, {static_cast<double>(correct) / n}, 1e-7);
  }
  expectTensorNear(out[2], {}, {1.0});
}

TEST_F(LossTest, AccuracyRejectsLabelsOutOfRange) {
  std::string err =
      runError(kAccuracySrc, {Tensor(DType::f32, {1, 3}),
                              Tensor::fromInts(DType::i32, {1}, {5})});
  EXPECT_NE(err.find("label 5 of row 0 is out of range [0, 3)"),
            std::string::npos)
      << err;
}

TEST_F(LossTest, TopKHandWorked) {
  auto out = run(
      R"(func.func @main(%x: tensor<1x5xf32>) -> (tensor<1x2xf32>, tensor<1x2xi64>, tensor<1x2xf32>, tensor<1x2xi64>, tensor<1x3xf32>, tensor<1x3xi64>) {
    %0, %1 = strata.top_k %x {k = 2} : (tensor<1x5xf32>) -> (tensor<1x2xf32>, tensor<1x2xi64>)
    %2, %3 = strata.top_k %x {k = 2, largest = false} : (tensor<1x5xf32>) -> (tensor<1x2xf32>, tensor<1x2xi64>)
    %4, %5 = strata.top_k %x {k = 3, sorted = false} : (tensor<1x5xf32>) -> (tensor<1x3xf32>, tensor<1x3xi64>)
    return %0, %1, %2, %3, %4, %5 : tensor<1x2xf32>, tensor<1x2xi64>, tensor<1x2xf32>, tensor<1x2xi64>, tensor<1x3xf32>, tensor<1x3xi64>
  })",
      {Tensor::fromDoubles(DType::f32, {1, 5}, {1, 3, 2, 3, 1})});
  ASSERT_EQ(out.size(), 6u);
  // Ties: lower index first.
  expectTensorNear(out[0], {1, 2}, {3, 3});
  expectTensorNear(out[1], {1, 2}, {1, 3});
  expectTensorNear(out[2], {1, 2}, {1, 1});
  expectTensorNear(out[3], {1, 2}, {0, 4});
  // Unsorted: the top 3 (indices 1, 3, 2) in index order.
  expectTensorNear(out[4], {1, 3}, {3, 2, 3});
  expectTensorNear(out[5], {1, 3}, {1, 2, 3});
}

TEST_F(LossTest, TopKNaNRanksAboveEverything) {
  auto out = run(
      R"(func.func @main(%x: tensor<4xf64>) -> (tensor<2xf64>, tensor<2xi64>, tensor<4xi64>) {
    %0, %1 = strata.top_k %x {k = 2} : (tensor<4xf64>) -> (tensor<2xf64>, tensor<2xi64>)
    %2 = strata.argsort %x : (tensor<4xf64>) -> tensor<4xi64>
    return %0, %1, %2 : tensor<2xf64>, tensor<2xi64>, tensor<4xi64>
  })",
      {Tensor::fromDoubles(DType::f64, {4}, {1, NAN, INFINITY, -1})});
  ASSERT_EQ(out.size(), 3u);
  EXPECT_TRUE(std::isnan(out[0].get(0)));
  EXPECT_EQ(out[0].get(1), INFINITY);
  expectTensorNear(out[1], {2}, {1, 2});
  expectTensorNear(out[2], {4}, {3, 0, 2, 1});
}

/// This file's top-k of one line: (value, index) pairs sorted by value,
/// ties by index.
std::vector<std::pair<double, int64_t>> topLine(std::vector<double> line,
                                                int64_t k, bool largest) {
  std::vector<std::pair<double, int64_t>> pairs;
  for (size_t i = 0; i < line.size(); ++i)
    pairs.push_back({line[i], static_cast<int64_t>(i)});
  std::sort(pairs.begin(), pairs.end(), [&](const auto &a, const auto &b) {
    if (a.first != b.first)
      return largest ? a.first > b.first : a.first < b.first;
    return a.second < b.second;
  });
  pairs.resize(k);
  return pairs;
}

TEST_F(LossTest, TopKAlongAxisZeroOnIntegers) {
  // x [6, 4] of small integers (ties), top 3 along axis 0: [3, 4].
  std::vector<int64_t> values(24);
  for (int64_t i = 0; i < 24; ++i)
    values[i] = (i * 7 + 3) % 5 - 2;
  auto out = run(
      R"(func.func @main(%x: tensor<?x4xi32>) -> (tensor<3x4xi32>, tensor<3x4xi64>, tensor<3x4xi32>, tensor<3x4xi64>) {
    %0, %1 = strata.top_k %x {k = 3, axis = 0} : (tensor<?x4xi32>) -> (tensor<3x4xi32>, tensor<3x4xi64>)
    %2, %3 = strata.top_k %x {k = 3, axis = -2, largest = false} : (tensor<?x4xi32>) -> (tensor<3x4xi32>, tensor<3x4xi64>)
    return %0, %1, %2, %3 : tensor<3x4xi32>, tensor<3x4xi64>, tensor<3x4xi32>, tensor<3x4xi64>
  })",
      {Tensor::fromInts(DType::i32, {6, 4}, values)});
  ASSERT_EQ(out.size(), 4u);
  for (bool largest : {true, false}) {
    std::vector<double> wantValues(12), wantIndices(12);
    for (int64_t col = 0; col < 4; ++col) {
      std::vector<double> line;
      for (int64_t row = 0; row < 6; ++row)
        line.push_back(values[row * 4 + col]);
      auto top = topLine(line, 3, largest);
      for (int64_t j = 0; j < 3; ++j) {
        wantValues[j * 4 + col] = top[j].first;
        wantIndices[j * 4 + col] = top[j].second;
      }
    }
    int base = largest ? 0 : 2;
    EXPECT_EQ(out[base].dtype(), DType::i32);
    expectTensorNear(out[base], {3, 4}, wantValues, 0);
    expectTensorNear(out[base + 1], {3, 4}, wantIndices, 0);
  }
}

TEST_F(LossTest, TopKOnRandomMiddleAxis) {
  Tensor x = randomTensor(DType::f32, {2, 5, 3});
  auto out = run(
      R"(func.func @main(%x: tensor<2x5x3xf32>) -> (tensor<2x2x3xf32>, tensor<2x2x3xi64>) {
    %0, %1 = strata.top_k %x {k = 2, axis = 1} : (tensor<2x5x3xf32>) -> (tensor<2x2x3xf32>, tensor<2x2x3xi64>)
    return %0, %1 : tensor<2x2x3xf32>, tensor<2x2x3xi64>
  })",
      {x});
  ASSERT_EQ(out.size(), 2u);
  std::vector<double> wantValues(12), wantIndices(12);
  for (int64_t a = 0; a < 2; ++a)
    for (int64_t c = 0; c < 3; ++c) {
      std::vector<double> line;
      for (int64_t b = 0; b < 5; ++b)
        line.push_back(x.at({a, b, c}));
      auto top = topLine(line, 2, true);
      for (int64_t j = 0; j < 2; ++j) {
        wantValues[(a * 2 + j) * 3 + c] = top[j].first;
        wantIndices[(a * 2 + j) * 3 + c] = top[j].second;
      }
    }
  expectTensorNear(out[0], {2, 2, 3}, wantValues, 0);
  expectTensorNear(out[1], {2, 2, 3}, wantIndices, 0);
}

TEST_F(LossTest, TopKLargerThanDynamicAxisIsAnEvaluationError) {
  std::string err = runError(
      R"(func.func @main(%x: tensor<?xf32>) -> (tensor<3xf32>, tensor<3xi64>) {
    %0, %1 = strata.top_k %x {k = 3} : (tensor<?xf32>) -> (tensor<3xf32>, tensor<3xi64>)
    return %0, %1 : tensor<3xf32>, tensor<3xi64>
  })",
      {Tensor(DType::f32, {2})});
  EXPECT_NE(err.find("k = 3 exceeds the size 2 of axis 0"), std::string::npos)
      << err;
}

TEST_F(LossTest, ArgSortHandWorkedIsStable) {
  auto out = run(
      R"(func.func @main(%x: tensor<5xi64>) -> (tensor<5xi64>, tensor<5xi64>) {
    %0 = strata.argsort %x : (tensor<5xi64>) -> tensor<5xi64>
    %1 = strata.argsort %x {descending = true} : (tensor<5xi64>) -> tensor<5xi64>
    return %0, %1 : tensor<5xi64>, tensor<5xi64>
  })",
      {Tensor::fromInts(DType::i64, {5}, {3, 1, 2, 1, 3})});
  ASSERT_EQ(out.size(), 2u);
  expectTensorNear(out[0], {5}, {1, 3, 2, 0, 4});
  expectTensorNear(out[1], {5}, {0, 4, 2, 1, 3});
}

TEST_F(LossTest, ArgSortRandomAlongBothAxes) {
  Tensor x = randomTensor(DType::f32, {4, 6});
  auto out = run(
      R"(func.func @main(%x: tensor<?x6xf32>) -> (tensor<?x6xi64>, tensor<?x6xi64>) {
    %0 = strata.argsort %x : (tensor<?x6xf32>) -> tensor<?x6xi64>
    %1 = strata.argsort %x {axis = 0, descending = true} : (tensor<?x6xf32>) -> tensor<?x6xi64>
    return %0, %1 : tensor<?x6xi64>, tensor<?x6xi64>
  })",
      {x});
  ASSERT_EQ(out.size(), 2u);
  std::vector<double> rows(24), cols(24);
  for (int64_t i = 0; i < 4; ++i) {
    std::vector<double> line;
    for (int64_t j = 0; j < 6; ++j)
      line.push_back(x.at({i, j}));
    auto sorted = topLine(line, 6, false);
    for (int64_t j = 0; j < 6; ++j)
      rows[i * 6 + j] = sorted[j].second;
  }
  for (int64_t j = 0; j < 6; ++j) {
    std::vector<double> line;
    for (int64_t i = 0; i < 4; ++i)
      line.push_back(x.at({i, j}));
    auto sorted = topLine(line, 4, true);
    for (int64_t i = 0; i < 4; ++i)
      cols[i * 6 + j] = sorted[i].second;
  }
  expectTensorNear(out[0], {4, 6}, rows, 0);
  expectTensorNear(out[1], {4, 6}, cols, 0);
}

} // namespace
} // namespace strata::testing
