//===- LinearAlgebraTest.cpp - Reference semantics of matrix products -----===//
//
// Hand-worked products with literal results, and random operands compared
// with products computed here from explicit multi-indices (at()), not the
// kernels' linear offsets. Float results are f32: tolerance 1e-5 relative.
//
//===----------------------------------------------------------------------===//

#include "EvaluatorTesting.h"

#include <cmath>

namespace strata::testing {
namespace {

using LinearAlgebraTest = EvaluatorTest;

TEST_F(LinearAlgebraTest, MatMulHandWorked) {
  auto out = run(
      R"(func.func @main(%a: tensor<2x3xf32>, %b: tensor<3x2xf32>) -> tensor<2x2xf32> {
    %0 = strata.matmul %a, %b : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
    return %0 : tensor<2x2xf32>
  })",
      {Tensor::fromDoubles(DType::f32, {2, 3}, {1, 2, 3, 4, 5, 6}),
       Tensor::fromDoubles(DType::f32, {3, 2}, {7, 8, 9, 10, 11, 12})});
  ASSERT_EQ(out.size(), 1u);
  expectTensorNear(out[0], {2, 2}, {58, 64, 139, 154}, 0);
}

TEST_F(LinearAlgebraTest, MatMulPromotesVectors) {
  Tensor a = Tensor::fromDoubles(DType::f32, {2, 3}, {1, 2, 3, 4, 5, 6});
  Tensor b = Tensor::fromDoubles(DType::f32, {3, 2}, {7, 8, 9, 10, 11, 12});
  Tensor v = Tensor::fromDoubles(DType::f32, {3}, {1, 0, -1});
  auto out = run(
      R"(func.func @main(%a: tensor<2x3xf32>, %b: tensor<3x2xf32>, %v: tensor<3xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<f32>) {
    %0 = strata.matmul %v, %b : (tensor<3xf32>, tensor<3x2xf32>) -> tensor<2xf32>
    %1 = strata.matmul %a, %v : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2xf32>
    %2 = strata.matmul %v, %v : (tensor<3xf32>, tensor<3xf32>) -> tensor<f32>
    return %0, %1, %2 : tensor<2xf32>, tensor<2xf32>, tensor<f32>
  })",
      {a, b, v});
  ASSERT_EQ(out.size(), 3u);
  expectTensorNear(out[0], {2}, {7 - 11, 8 - 12}, 0);
  expectTensorNear(out[1], {2}, {1 - 3, 4 - 6}, 0);
  expectTensorNear(out[2], {}, {2}, 0);
}

TEST_F(LinearAlgebraTest, MatMulBroadcastsBatchDimsRandom) {
  // lhs [2, 1, 3, 4] @ rhs [5, 4, 2] -> [2, 5, 3, 2]; the dynamic batch dim
  // of the IR is 2 at run time.
  Tensor a = randomTensor(DType::f32, {2, 1, 3, 4});
  Tensor b = randomTensor(DType::f32, {5, 4, 2});
  auto out = run(
      R"(func.func @main(%a: tensor<?x1x3x4xf32>, %b: tensor<5x4x2xf32>) -> tensor<?x5x3x2xf32> {
    %0 = strata.matmul %a, %b : (tensor<?x1x3x4xf32>, tensor<5x4x2xf32>) -> tensor<?x5x3x2xf32>
    return %0 : tensor<?x5x3x2xf32>
  })",
      {a, b});
  ASSERT_EQ(out.size(), 1u);
  std::vector<double> want;
  for (int64_t i = 0; i < 2; ++i)
    for (int64_t j = 0; j < 5; ++j)
      for (int64_t m = 0; m < 3; ++m)
        for (int64_t n = 0; n < 2; ++n) {
          double s = 0;
          for (int64_t k = 0; k < 4; ++k)
            s += a.at({i, 0, m, k}) * b.at({j, k, n});
          want.push_back(static_cast<float>(s));
        }
  expectTensorNear(out[0], {2, 5, 3, 2}, want, 1e-5);
}

TEST_F(LinearAlgebraTest, MatMulIntegersWrap) {
  // 100 * 1 + 100 * 1 = 200 wraps to -56 in i8; i32 is exact.
  auto out = run(
      R"(func.func @main(%a: tensor<1x2xi8>, %b: tensor<2x1xi8>, %c: tensor<2x2xi32>) -> (tensor<1x1xi8>, tensor<2x2xi32>) {
    %0 = strata.matmul %a, %b : (tensor<1x2xi8>, tensor<2x1xi8>) -> tensor<1x1xi8>
    %1 = strata.matmul %c, %c : (tensor<2x2xi32>, tensor<2x2xi32>) -> tensor<2x2xi32>
    return %0, %1 : tensor<1x1xi8>, tensor<2x2xi32>
  })",
      {Tensor::fromInts(DType::i8, {1, 2}, {100, 100}),
       Tensor::fromInts(DType::i8, {2, 1}, {1, 1}),
       Tensor::fromInts(DType::i32, {2, 2}, {1, -2, 3, 40000})});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].dtype(), DType::i8);
  EXPECT_EQ(out[0].getInt(0), -56);
  // [[1, -2], [3, 40000]]^2 = [[1 - 6, -2 - 80000], [3 + 120000, -6 + 1.6e9]]
  EXPECT_EQ(out[1].getInt(0), -5);
  EXPECT_EQ(out[1].getInt(1), -80002);
  EXPECT_EQ(out[1].getInt(2), 120003);
  EXPECT_EQ(out[1].getInt(3), 1599999994);
}

TEST_F(LinearAlgebraTest, MatMulRuntimeContractionMismatchIsAnError) {
  std::string err = runError(
      R"(func.func @main(%a: tensor<2x?xf32>, %b: tensor<?x2xf32>) -> tensor<2x2xf32> {
    %0 = strata.matmul %a, %b : (tensor<2x?xf32>, tensor<?x2xf32>) -> tensor<2x2xf32>
    return %0 : tensor<2x2xf32>
  })",
      {randomTensor(DType::f32, {2, 3}), randomTensor(DType::f32, {4, 2})});
  EXPECT_NE(err.find("contraction dims differ"), std::string::npos) << err;
}

TEST_F(LinearAlgebraTest, MatMulRuntimeBatchMismatchIsAnError) {
  std::string err = runError(
      R"(func.func @main(%a: tensor<?x2x3xf32>, %b: tensor<?x3x2xf32>) -> tensor<?x2x2xf32> {
    %0 = strata.matmul %a, %b : (tensor<?x2x3xf32>, tensor<?x3x2xf32>) -> tensor<?x2x2xf32>
    return %0 : tensor<?x2x2xf32>
  })",
      {randomTensor(DType::f32, {2, 2, 3}),
       randomTensor(DType::f32, {3, 3, 2})});
  EXPECT_NE(err.find("do not broadcast"), std::string::npos) << err;
}

TEST_F(LinearAlgebraTest, MatMulF16AccumulatesBeforeRounding) {
  // 1 + 2^-11 + 2^-11 = 1 + 2^-10 is an f16 value, but 1 + 2^-11 alone
  // rounds (to even) to 1: summing in f16 would give 1.
  double tiny = std::ldexp(1.0, -11);
  auto out = run(
      R"(func.func @main(%a: tensor<1x3xf16>, %b: tensor<3x1xf16>) -> tensor<1x1xf16> {
    %0 = strata.matmul %a, %b : (tensor<1x3xf16>, tensor<3x1xf16>) -> tensor<1x1xf16>
    return %0 : tensor<1x1xf16>
  })",
      {Tensor::fromDoubles(DType::f16, {1, 3}, {1, 1, 1}),
       Tensor::fromDoubles(DType::f16, {3, 1}, {1, tiny, tiny})});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].dtype(), DType::f16);
  EXPECT_EQ(out[0].get(0), 1 + std::ldexp(1.0, -10));
}

TEST_F(LinearAlgebraTest, GemmHandWorked) {
  // Y = 2 * A B + 0.5 * C, C [2] broadcast over rows.
  auto out = run(
      R"(func.func @main(%a: tensor<2x2xf32>, %b: tensor<2x2xf32>, %c: tensor<2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>) {
    %0 = strata.gemm %a, %b, %c {alpha = 2.0, beta = 0.5} : (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
    %1 = strata.gemm %a, %b {trans_a = true} : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
    return %0, %1 : tensor<2x2xf32>, tensor<2x2xf32>
  })",
      {Tensor::fromDoubles(DType::f32, {2, 2}, {1, 2, 3, 4}),
       Tensor::fromDoubles(DType::f32, {2, 2}, {5, 6, 7, 8}),
       Tensor::fromDoubles(DType::f32, {2}, {10, 20})});
  ASSERT_EQ(out.size(), 2u);
  // A B = [[19, 22], [43, 50]]; A^T B = [[26, 30], [38, 44]].
  expectTensorNear(out[0], {2, 2}, {43, 54, 91, 110}, 0);
  expectTensorNear(out[1], {2, 2}, {26, 30, 38, 44}, 0);
}

TEST_F(LinearAlgebraTest, GemmTransposesAndBroadcastsRandom) {
  // M = 3, K = 4, N = 5. a is stored [K, M] and b [N, K] (both transposed);
  // c is [M, 1].
  Tensor a = randomTensor(DType::f32, {4, 3});
  Tensor b = randomTensor(DType::f32, {5, 4});
  Tensor c = randomTensor(DType::f32, {3, 1});
  Tensor s = Tensor::scalar(DType::f32, 0.25);
  auto out = run(
      R"(func.func @main(%a: tensor<4x3xf32>, %b: tensor<5x4xf32>, %c: tensor<3x1xf32>, %s: tensor<f32>) -> (tensor<3x5xf32>, tensor<3x5xf32>) {
    %0 = strata.gemm %a, %b, %c {alpha = -1.5, beta = 3.0, trans_a = true, trans_b = true} : (tensor<4x3xf32>, tensor<5x4xf32>, tensor<3x1xf32>) -> tensor<3x5xf32>
    %1 = strata.gemm %a, %b, %s {trans_a = true, trans_b = true} : (tensor<4x3xf32>, tensor<5x4xf32>, tensor<f32>) -> tensor<3x5xf32>
    return %0, %1 : tensor<3x5xf32>, tensor<3x5xf32>
  })",
      {a, b, c, s});
  ASSERT_EQ(out.size(), 2u);
  std::vector<double> want0, want1;
  for (int64_t m = 0; m < 3; ++m)
    for (int64_t n = 0; n < 5; ++n) {
      double p = 0;
      for (int64_t k = 0; k < 4; ++k)
        p += a.at({k, m}) * b.at({n, k});
      want0.push_back(static_cast<float>(-1.5 * p + 3.0 * c.at({m, 0})));
      want1.push_back(static_cast<float>(p + 0.25));
    }
  expectTensorNear(out[0], {3, 5}, want0, 1e-5);
  expectTensorNear(out[1], {3, 5}, want1, 1e-5);
}

TEST_F(LinearAlgebraTest, GemmRuntimeBroadcastMismatchIsAnError) {
  std::string err = runError(
      R"(func.func @main(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>, %c: tensor<?xf32>) -> tensor<2x4xf32> {
    %0 = strata.gemm %a, %b, %c : (tensor<2x3xf32>, tensor<3x4xf32>, tensor<?xf32>) -> tensor<2x4xf32>
    return %0 : tensor<2x4xf32>
  })",
      {randomTensor(DType::f32, {2, 3}), randomTensor(DType::f32, {3, 4}),
       randomTensor(DType::f32, {3})});
  EXPECT_NE(err.find("does not broadcast"), std::string::npos) << err;
}

TEST_F(LinearAlgebraTest, GemmRuntimeInnerMismatchIsAnError) {
  std::string err = runError(
      R"(func.func @main(%a: tensor<2x?xf32>, %b: tensor<?x4xf32>) -> tensor<2x4xf32> {
    %0 = strata.gemm %a, %b : (tensor<2x?xf32>, tensor<?x4xf32>) -> tensor<2x4xf32>
    return %0 : tensor<2x4xf32>
  })",
      {randomTensor(DType::f32, {2, 3}), randomTensor(DType::f32, {5, 4})});
  EXPECT_NE(err.find("inner dims differ"), std::string::npos) << err;
}

TEST_F(LinearAlgebraTest, InnerProductHandWorked) {
  // W = [[1, 0], [0, 1], [1, 1]] as [M, K]; the same weights as [K, M] with
  // transpose = true give the same result.
  auto out = run(
      R"(func.func @main(%x: tensor<2x2xf32>, %w: tensor<3x2xf32>, %wt: tensor<2x3xf32>, %b: tensor<3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
    %0 = strata.inner_product %x, %w, %b : (tensor<2x2xf32>, tensor<3x2xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    %1 = strata.inner_product %x, %wt, %b {transpose = true} : (tensor<2x2xf32>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    %2 = strata.inner_product %x, %w : (tensor<2x2xf32>, tensor<3x2xf32>) -> tensor<2x3xf32>
    return %0, %1, %2 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
  })",
      {Tensor::fromDoubles(DType::f32, {2, 2}, {1, 2, -3, 5}),
       Tensor::fromDoubles(DType::f32, {3, 2}, {1, 0, 0, 1, 1, 1}),
       Tensor::fromDoubles(DType::f32, {2, 3}, {1, 0, 1, 0, 1, 1}),
       Tensor::fromDoubles(DType::f32, {3}, {10, 20, 30})});
  ASSERT_EQ(out.size(), 3u);
  expectTensorNear(out[0], {2, 3}, {11, 22, 33, 7, 25, 32}, 0);
  expectTensorNear(out[1], {2, 3}, {11, 22, 33, 7, 25, 32}, 0);
  expectTensorNear(out[2], {2, 3}, {1, 2, 3, -3, 5, 2}, 0);
}

TEST_F(LinearAlgebraTest, InnerProductRandom) {
  Tensor x = randomTensor(DType::f64, {4, 6});
  Tensor w = randomTensor(DType::f64, {5, 6});
  Tensor wt = randomTensor(DType::f64, {6, 5});
  Tensor b = randomTensor(DType::f64, {5});
  auto out = run(
      R"(func.func @main(%x: tensor<?x6xf64>, %w: tensor<5x6xf64>, %wt: tensor<6x5xf64>, %b: tensor<5xf64>) -> (tensor<?x5xf64>, tensor<?x5xf64>) {
    %0 = strata.inner_product %x, %w, %b : (tensor<?x6xf64>, tensor<5x6xf64>, tensor<5xf64>) -> tensor<?x5xf64>
    %1 = strata.inner_product %x, %wt, %b {transpose = true} : (tensor<?x6xf64>, tensor<6x5xf64>, tensor<5xf64>) -> tensor<?x5xf64>
    return %0, %1 : tensor<?x5xf64>, tensor<?x5xf64>
  })",
      {x, w, wt, b});
  ASSERT_EQ(out.size(), 2u);
  std::vector<double> want0, want1;
  for (int64_t n = 0; n < 4; ++n)
    for (int64_t m = 0; m < 5; ++m) {
      double s0 = b.at({m}), s1 = b.at({m});
      for (int64_t k = 0; k < 6; ++k) {
        s0 += x.at({n, k}) * w.at({m, k});
        s1 += x.at({n, k}) * wt.at({k, m});
      }
      want0.push_back(s0);
      want1.push_back(s1);
    }
  expectTensorNear(out[0], {4, 5}, want0, 1e-12);
  expectTensorNear(out[1], {4, 5}, want1, 1e-12);
}

TEST_F(LinearAlgebraTest, InnerProductRuntimeBiasMismatchIsAnError) {
  std::string err = runError(
      R"(func.func @main(%x: tensor<2x3xf32>, %w: tensor<?x3xf32>, %b: tensor<?xf32>) -> tensor<2x?xf32> {
    %0 = strata.inner_product %x, %w, %b : (tensor<2x3xf32>, tensor<?x3xf32>, tensor<?xf32>) -> tensor<2x?xf32>
    return %0 : tensor<2x?xf32>
  })",
      {randomTensor(DType::f32, {2, 3}), randomTensor(DType::f32, {4, 3}),
       randomTensor(DType::f32, {5})});
  EXPECT_NE(err.find("bias"), std::string::npos) << err;
}

TEST_F(LinearAlgebraTest, InnerProductRuntimeWeightMismatchIsAnError) {
  std::string err = runError(
      R"(func.func @main(%x: tensor<2x?xf32>, %w: tensor<?x4xf32>) -> tensor<2x4xf32> {
    %0 = strata.inner_product %x, %w {transpose = true} : (tensor<2x?xf32>, tensor<?x4xf32>) -> tensor<2x4xf32>
    return %0 : tensor<2x4xf32>
  })",
      {randomTensor(DType::f32, {2, 3}), randomTensor(DType::f32, {5, 4})});
  EXPECT_NE(err.find("does not match input"), std::string::npos) << err;
}

} // namespace
} // namespace strata::testing
