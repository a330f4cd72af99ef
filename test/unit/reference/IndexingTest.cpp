//===- IndexingTest.cpp - Reference semantics of the Indexing ops ---------===//
//
// Gathers copy elements, so those comparisons are exact (tolerance 0). The
// scatter reductions compute in double and round to f32; they are compared
// with the test's own f32-rounded values at a relative tolerance of 1e-6.
//
//===----------------------------------------------------------------------===//

#include "EvaluatorTesting.h"

#include <cmath>

namespace strata::testing {
namespace {

class IndexingTest : public EvaluatorTest {
protected:
  std::string buildOp(const std::string &args, const std::string &op,
                      const std::string &resultType) {
    return "func.func @main(" + args + ") -> " + resultType +
           " {\n  %r = " + op + "\n  return %r : " + resultType + "\n}";
  }
  Tensor runOp(const std::string &args, const std::string &op,
               const std::string &resultType, std::vector<Tensor> inputs) {
    auto out = run(buildOp(args, op, resultType), std::move(inputs));
    EXPECT_EQ(out.size(), 1u);
    return out.empty() ? Tensor() : out[0];
  }
  /// Uniform random integers in [lo, hi].
  Tensor randomInts(DType dtype, std::vector<int64_t> shape, int64_t lo,
                    int64_t hi) {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    std::uniform_int_distribution<int64_t> dist(lo, hi);
    std::vector<int64_t> v(n);
    for (int64_t &x : v)
      x = dist(rng);
    return Tensor::fromInts(dtype, shape, v);
  }
  std::mt19937_64 rng{7};
};

TEST_F(IndexingTest, GatherHandWorkedWithNegativeIndices) {
  Tensor data = Tensor::fromDoubles(DType::f32, {3, 2}, {1, 2, 3, 4, 5, 6});
  Tensor idx = Tensor::fromInts(DType::i64, {3}, {2, 0, -1});
  Tensor out = runOp("%d: tensor<3x2xf32>, %i: tensor<3xi64>",
                     "strata.gather %d, %i : (tensor<3x2xf32>, "
                     "tensor<3xi64>) -> tensor<3x2xf32>",
                     "tensor<3x2xf32>", {data, idx});
  expectTensorNear(out, {3, 2}, {5, 6, 1, 2, 5, 6}, 0);

  // i1 data along axis 1 with 2-D indices.
  Tensor bits = Tensor::fromInts(DType::i1, {2, 3}, {1, 0, 0, 0, 1, 1});
  Tensor idx2 = Tensor::fromInts(DType::i32, {2, 2}, {2, 0, 1, 1});
  out = runOp("%d: tensor<2x3xi1>, %i: tensor<2x2xi32>",
              "strata.gather %d, %i {axis = 1 : i64} : (tensor<2x3xi1>, "
              "tensor<2x2xi32>) -> tensor<2x2x2xi1>",
              "tensor<2x2x2xi1>", {bits, idx2});
  EXPECT_EQ(out.dtype(), DType::i1);
  // out[r][a][b] = bits[r][idx2[a][b]]
  expectTensorNear(out, {2, 2, 2}, {0, 1, 0, 0, 1, 0, 1, 1}, 0);
}

TEST_F(IndexingTest, GatherWithScalarIndexDropsTheAxis) {
  Tensor data = Tensor::fromDoubles(DType::bf16, {3, 2}, {1, 2, 3, 4, 5, 6});
  Tensor out =
      runOp("%d: tensor<3x2xbf16>, %i: tensor<i64>",
            "strata.gather %d, %i : (tensor<3x2xbf16>, tensor<i64>) "
            "-> tensor<2xbf16>",
            "tensor<2xbf16>", {data, Tensor::fromInts(DType::i64, {}, {-2})});
  EXPECT_EQ(out.dtype(), DType::bf16);
  expectTensorNear(out, {2}, {3, 4}, 0);
}

TEST_F(IndexingTest, GatherRandomMatchesLoops) {
  Tensor data = randomTensor(DType::f32, {2, 5, 3});
  Tensor idx = randomInts(DType::i64, {4}, -5, 4);
  Tensor out = runOp("%d: tensor<?x5x3xf32>, %i: tensor<4xi64>",
                     "strata.gather %d, %i {axis = -2 : i64} : "
                     "(tensor<?x5x3xf32>, tensor<4xi64>) -> tensor<?x4x3xf32>",
                     "tensor<?x4x3xf32>", {data, idx});
  std::vector<double> want;
  for (int a = 0; a < 2; ++a)
    for (int k = 0; k < 4; ++k)
      for (int b = 0; b < 3; ++b) {
        int64_t i = idx.getInt(k);
        if (i < 0)
          i += 5;
        want.push_back(data.get((a * 5 + i) * 3 + b));
      }
  expectTensorNear(out, {2, 4, 3}, want, 0);
}

TEST_F(IndexingTest, GatherOutOfRangeIsAnError) {
  std::string err = runError(
      buildOp("%d: tensor<3xf32>, %i: tensor<2xi64>",
              "strata.gather %d, %i : (tensor<3xf32>, tensor<2xi64>) -> "
              "tensor<2xf32>",
              "tensor<2xf32>"),
      {Tensor::fromDoubles(DType::f32, {3}, {1, 2, 3}),
       Tensor::fromInts(DType::i64, {2}, {0, 3})});
  EXPECT_NE(err.find("index 3 (element 1 of the indices) out of range [-3, 3)"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("strata.gather"), std::string::npos) << err;
}

TEST_F(IndexingTest, GatherElementsOnnxExamples) {
  Tensor out = runOp(
      "%d: tensor<2x2xf32>, %i: tensor<2x2xi64>",
      "strata.gather_elements %d, %i {axis = 1 : i64} : (tensor<2x2xf32>, "
      "tensor<2x2xi64>) -> tensor<2x2xf32>",
      "tensor<2x2xf32>",
      {Tensor::fromDoubles(DType::f32, {2, 2}, {1, 2, 3, 4}),
       Tensor::fromInts(DType::i64, {2, 2}, {0, 0, 1, 0})});
  expectTensorNear(out, {2, 2}, {1, 1, 4, 3}, 0);

  out =
      runOp("%d: tensor<3x3xi32>, %i: tensor<2x3xi32>",
            "strata.gather_elements %d, %i : (tensor<3x3xi32>, "
            "tensor<2x3xi32>) -> tensor<2x3xi32>",
            "tensor<2x3xi32>",
            {Tensor::fromInts(DType::i32, {3, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9}),
             Tensor::fromInts(DType::i32, {2, 3}, {1, 2, 0, 2, 0, -3})});
  expectTensorNear(out, {2, 3}, {4, 8, 3, 7, 2, 3}, 0);

  std::string err = runError(
      buildOp("%d: tensor<3xf32>, %i: tensor<1xi64>",
              "strata.gather_elements %d, %i : (tensor<3xf32>, tensor<1xi64>) "
              "-> tensor<1xf32>",
              "tensor<1xf32>"),
      {Tensor::fromDoubles(DType::f32, {3}, {1, 2, 3}),
       Tensor::fromInts(DType::i64, {1}, {-4})});
  EXPECT_NE(err.find("index -4 (element 0 of the indices) out of range"),
            std::string::npos)
      << err;
}

TEST_F(IndexingTest, GatherElementsRandomMatchesLoops) {
  Tensor data = randomTensor(DType::f64, {3, 4});
  Tensor idx = randomInts(DType::i64, {2, 4}, -3, 2);
  Tensor out = runOp("%d: tensor<3x4xf64>, %i: tensor<2x4xi64>",
                     "strata.gather_elements %d, %i {axis = 0 : i64} : "
                     "(tensor<3x4xf64>, tensor<2x4xi64>) -> tensor<2x4xf64>",
                     "tensor<2x4xf64>", {data, idx});
  std::vector<double> want;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 4; ++j) {
      int64_t r = idx.getInt(i * 4 + j);
      want.push_back(data.get((r < 0 ? r + 3 : r) * 4 + j));
    }
  expectTensorNear(out, {2, 4}, want, 0);
}

TEST_F(IndexingTest, GatherNDOnnxExamples) {
  Tensor d2 = Tensor::fromInts(DType::i32, {2, 2}, {0, 1, 2, 3});
  Tensor out = runOp("%d: tensor<2x2xi32>, %i: tensor<2x2xi64>",
                     "strata.gather_nd %d, %i : (tensor<2x2xi32>, "
                     "tensor<2x2xi64>) -> tensor<2xi32>",
                     "tensor<2xi32>",
                     {d2, Tensor::fromInts(DType::i64, {2, 2}, {0, 0, 1, 1})});
  expectTensorNear(out, {2}, {0, 3}, 0);

  out = runOp("%d: tensor<2x2xi32>, %i: tensor<2x1xi64>",
              "strata.gather_nd %d, %i : (tensor<2x2xi32>, tensor<2x1xi64>) "
              "-> tensor<2x2xi32>",
              "tensor<2x2xi32>",
              {d2, Tensor::fromInts(DType::i64, {2, 1}, {1, 0})});
  expectTensorNear(out, {2, 2}, {2, 3, 0, 1}, 0);

  Tensor d3 = Tensor::fromInts(DType::i32, {2, 2, 2}, {0, 1, 2, 3, 4, 5, 6, 7});
  out = runOp("%d: tensor<2x2x2xi32>, %i: tensor<2x2xi64>",
              "strata.gather_nd %d, %i : (tensor<2x2x2xi32>, tensor<2x2xi64>) "
              "-> tensor<2x2xi32>",
              "tensor<2x2xi32>",
              {d3, Tensor::fromInts(DType::i64, {2, 2}, {0, 1, 1, 0})});
  expectTensorNear(out, {2, 2}, {2, 3, 4, 5}, 0);

  out = runOp("%d: tensor<2x2x2xi32>, %i: tensor<2x1xi64>",
              "strata.gather_nd %d, %i {batch_dims = 1 : i64} : "
              "(tensor<2x2x2xi32>, tensor<2x1xi64>) -> tensor<2x2xi32>",
              "tensor<2x2xi32>",
              {d3, Tensor::fromInts(DType::i64, {2, 1}, {1, 0})});
  expectTensorNear(out, {2, 2}, {2, 3, 4, 5}, 0);
}

TEST_F(IndexingTest, GatherNDRandomBatchedMatchesLoops) {
  Tensor data = randomTensor(DType::f32, {2, 3, 4});
  Tensor idx = randomInts(DType::i32, {2, 5, 1}, -3, 2);
  Tensor out = runOp("%d: tensor<?x3x4xf32>, %i: tensor<?x5x1xi32>",
                     "strata.gather_nd %d, %i {batch_dims = 1 : i64} : "
                     "(tensor<?x3x4xf32>, tensor<?x5x1xi32>) -> "
                     "tensor<?x5x4xf32>",
                     "tensor<?x5x4xf32>", {data, idx});
  std::vector<double> want;
  for (int b = 0; b < 2; ++b)
    for (int t = 0; t < 5; ++t)
      for (int k = 0; k < 4; ++k) {
        int64_t r = idx.getInt(b * 5 + t);
        want.push_back(data.get((b * 3 + (r < 0 ? r + 3 : r)) * 4 + k));
      }
  expectTensorNear(out, {2, 5, 4}, want, 0);

  std::string err = runError(
      buildOp("%d: tensor<2x2xi32>, %i: tensor<1x2xi64>",
              "strata.gather_nd %d, %i : (tensor<2x2xi32>, tensor<1x2xi64>) "
              "-> tensor<1xi32>",
              "tensor<1xi32>"),
      {Tensor::fromInts(DType::i32, {2, 2}, {0, 1, 2, 3}),
       Tensor::fromInts(DType::i64, {1, 2}, {0, 2})});
  EXPECT_NE(err.find("index 2 (element 1 of the indices) out of range [-2, 2)"),
            std::string::npos)
      << err;
}

TEST_F(IndexingTest, ScatterElementsOnnxExamples) {
  Tensor out = runOp(
      "%d: tensor<3x3xf32>, %i: tensor<2x3xi64>, %u: tensor<2x3xf32>",
      "strata.scatter_elements %d, %i, %u : (tensor<3x3xf32>, "
      "tensor<2x3xi64>, tensor<2x3xf32>) -> tensor<3x3xf32>",
      "tensor<3x3xf32>",
      {Tensor(DType::f32, {3, 3}),
       Tensor::fromInts(DType::i64, {2, 3}, {1, 0, 2, 0, 2, 1}),
       Tensor::fromDoubles(DType::f32, {2, 3}, {1, 1.1, 1.2, 2, 2.1, 2.2})});
  expectTensorNear(out, {3, 3}, {2, 1.1f, 0, 1, 0, 2.2f, 0, 2.1f, 1.2f}, 0);

  out = runOp("%d: tensor<1x5xf32>, %i: tensor<1x2xi64>, %u: tensor<1x2xf32>",
              "strata.scatter_elements %d, %i, %u {axis = 1 : i64} : "
              "(tensor<1x5xf32>, tensor<1x2xi64>, tensor<1x2xf32>) -> "
              "tensor<1x5xf32>",
              "tensor<1x5xf32>",
              {Tensor::fromDoubles(DType::f32, {1, 5}, {1, 2, 3, 4, 5}),
               Tensor::fromInts(DType::i64, {1, 2}, {1, -2}),
               Tensor::fromDoubles(DType::f32, {1, 2}, {1.1, 2.1})});
  expectTensorNear(out, {1, 5}, {1, 1.1f, 3, 2.1f, 5}, 0);
}

TEST_F(IndexingTest, ScatterElementsReductionsWithRepeatedIndices) {
  Tensor data = Tensor::fromDoubles(DType::f32, {1, 5}, {1, 2, 3, 4, 5});
  Tensor idx = Tensor::fromInts(DType::i64, {1, 2}, {1, 1});
  Tensor upd = Tensor::fromDoubles(DType::f32, {1, 2}, {1.1, 2.1});
  float u0 = 1.1f, u1 = 2.1f;
  struct Case {
    const char *reduction;
    double want;
  } cases[] = {{"none", u1},
               {"add", static_cast<float>(2.0f + u0 + u1)},
               {"mul", static_cast<float>(static_cast<float>(2.0f * u0) * u1)},
               {"max", u1},
               {"min", u0}};
  for (const Case &c : cases) {
    Tensor out = runOp(
        "%d: tensor<1x5xf32>, %i: tensor<1x2xi64>, %u: tensor<1x2xf32>",
        std::string("strata.scatter_elements %d, %i, %u {axis = 1 : i64, "
                    "reduction = \"") +
            c.reduction +
            "\"} : (tensor<1x5xf32>, tensor<1x2xi64>, tensor<1x2xf32>) -> "
            "tensor<1x5xf32>",
        "tensor<1x5xf32>", {data, idx, upd});
    expectTensorNear(out, {1, 5}, {1, c.want, 3, 4, 5}, 1e-6);
  }

  // max and min propagate NaN.
  for (const char *reduction : {"max", "min"}) {
    Tensor out = runOp(
        "%d: tensor<2xf32>, %i: tensor<1xi64>, %u: tensor<1xf32>",
        std::string("strata.scatter_elements %d, %i, %u {reduction = \"") +
            reduction +
            "\"} : (tensor<2xf32>, tensor<1xi64>, tensor<1xf32>) -> "
            "tensor<2xf32>",
        "tensor<2xf32>",
        {Tensor::fromDoubles(DType::f32, {2}, {1, 2}),
         Tensor::fromInts(DType::i64, {1}, {1}),
         Tensor::fromDoubles(DType::f32, {1}, {NAN})});
    ASSERT_EQ(out.numElements(), 2);
    EXPECT_EQ(out.get(0), 1) << reduction;
    EXPECT_TRUE(std::isnan(out.get(1))) << reduction;
  }

  // Integers: add wraps to the element type.
  Tensor out =
      runOp("%d: tensor<3xi8>, %i: tensor<2xi32>, %u: tensor<2xi8>",
            "strata.scatter_elements %d, %i, %u {reduction = \"add\"} : "
            "(tensor<3xi8>, tensor<2xi32>, tensor<2xi8>) -> tensor<3xi8>",
            "tensor<3xi8>",
            {Tensor::fromInts(DType::i8, {3}, {100, 0, 5}),
             Tensor::fromInts(DType::i32, {2}, {0, 2}),
             Tensor::fromInts(DType::i8, {2}, {100, -7})});
  expectTensorNear(out, {3}, {-56, 0, -2}, 0);
}

TEST_F(IndexingTest, ScatterElementsRandomAddMatchesLoops) {
  Tensor data = randomTensor(DType::f32, {4, 3});
  Tensor idx = randomInts(DType::i64, {5, 3}, -4, 3);
  Tensor upd = randomTensor(DType::f32, {5, 3});
  Tensor out =
      runOp("%d: tensor<4x3xf32>, %i: tensor<5x3xi64>, %u: tensor<5x3xf32>",
            "strata.scatter_elements %d, %i, %u {reduction = \"add\"} : "
            "(tensor<4x3xf32>, tensor<5x3xi64>, tensor<5x3xf32>) -> "
            "tensor<4x3xf32>",
            "tensor<4x3xf32>", {data, idx, upd});
  std::vector<double> want = data.toDoubles();
  for (int i = 0; i < 5; ++i)
    for (int j = 0; j < 3; ++j) {
      int64_t r = idx.getInt(i * 3 + j);
      double &w = want[(r < 0 ? r + 4 : r) * 3 + j];
      w = static_cast<float>(w + upd.get(i * 3 + j));
    }
  expectTensorNear(out, {4, 3}, want, 1e-6);

  std::string err = runError(
      buildOp("%d: tensor<3xf32>, %i: tensor<1xi64>, %u: tensor<1xf32>",
              "strata.scatter_elements %d, %i, %u : (tensor<3xf32>, "
              "tensor<1xi64>, tensor<1xf32>) -> tensor<3xf32>",
              "tensor<3xf32>"),
      {Tensor(DType::f32, {3}), Tensor::fromInts(DType::i64, {1}, {7}),
       Tensor(DType::f32, {1})});
  EXPECT_NE(err.find("index 7 (element 0 of the indices) out of range [-3, 3)"),
            std::string::npos)
      << err;
}

TEST_F(IndexingTest, EmbeddingLooksUpRows) {
  Tensor table =
      Tensor::fromDoubles(DType::f32, {4, 2}, {0, 1, 10, 11, 20, 21, 30, 31});
  Tensor out =
      runOp("%t: tensor<4x2xf32>, %i: tensor<2x2xi32>",
            "strata.embedding %t, %i : (tensor<4x2xf32>, "
            "tensor<2x2xi32>) -> tensor<2x2x2xf32>",
            "tensor<2x2x2xf32>",
            {table, Tensor::fromInts(DType::i32, {2, 2}, {3, 0, 1, 1})});
  expectTensorNear(out, {2, 2, 2}, {30, 31, 0, 1, 10, 11, 10, 11}, 0);

  Tensor big = randomTensor(DType::f32, {10, 3});
  Tensor idx = randomInts(DType::i64, {7}, 0, 9);
  out = runOp("%t: tensor<10x3xf32>, %i: tensor<?xi64>",
              "strata.embedding %t, %i : (tensor<10x3xf32>, tensor<?xi64>) -> "
              "tensor<?x3xf32>",
              "tensor<?x3xf32>", {big, idx});
  std::vector<double> want;
  for (int k = 0; k < 7; ++k)
    for (int j = 0; j < 3; ++j)
      want.push_back(big.get(idx.getInt(k) * 3 + j));
  expectTensorNear(out, {7, 3}, want, 0);

  // No negative indexing for embeddings.
  std::string err = runError(
      buildOp("%t: tensor<4x2xf32>, %i: tensor<2xi32>",
              "strata.embedding %t, %i : (tensor<4x2xf32>, tensor<2xi32>) -> "
              "tensor<2x2xf32>",
              "tensor<2x2xf32>"),
      {table, Tensor::fromInts(DType::i32, {2}, {0, -1})});
  EXPECT_NE(err.find("index -1 (element 1 of the indices) out of range [0, 4)"),
            std::string::npos)
      << err;
}

TEST_F(IndexingTest, OneHotHandWorked) {
  Tensor idx = Tensor::fromInts(DType::i64, {3}, {1, -1, 0});
  Tensor values = Tensor::fromDoubles(DType::f32, {2}, {0, 5});
  Tensor out = runOp("%i: tensor<3xi64>, %v: tensor<2xf32>",
                     "strata.one_hot %i, %v {depth = 3 : i64} : "
                     "(tensor<3xi64>, tensor<2xf32>) -> tensor<3x3xf32>",
                     "tensor<3x3xf32>", {idx, values});
  expectTensorNear(out, {3, 3}, {0, 5, 0, 0, 0, 5, 5, 0, 0}, 0);

  out = runOp("%i: tensor<3xi64>, %v: tensor<2xf32>",
              "strata.one_hot %i, %v {depth = 3 : i64, axis = 0 : i64} : "
              "(tensor<3xi64>, tensor<2xf32>) -> tensor<3x3xf32>",
              "tensor<3x3xf32>", {idx, values});
  expectTensorNear(out, {3, 3}, {0, 0, 5, 5, 0, 0, 0, 5, 0}, 0);

  // i1 values and an inner axis: out[a][j][b] = (idx[a][b] == j).
  Tensor idx2 = randomInts(DType::i32, {2, 4}, -3, 2);
  out = runOp("%i: tensor<?x4xi32>, %v: tensor<2xi1>",
              "strata.one_hot %i, %v {depth = 3 : i64, axis = 1 : i64} : "
              "(tensor<?x4xi32>, tensor<2xi1>) -> tensor<?x3x4xi1>",
              "tensor<?x3x4xi1>",
              {idx2, Tensor::fromInts(DType::i1, {2}, {0, 1})});
  EXPECT_EQ(out.dtype(), DType::i1);
  std::vector<double> want;
  for (int a = 0; a < 2; ++a)
    for (int j = 0; j < 3; ++j)
      for (int b = 0; b < 4; ++b) {
        int64_t v = idx2.getInt(a * 4 + b);
        want.push_back((v < 0 ? v + 3 : v) == j ? 1 : 0);
      }
  expectTensorNear(out, {2, 3, 4}, want, 0);

  std::string err = runError(
      buildOp("%i: tensor<2xi64>, %v: tensor<2xf32>",
              "strata.one_hot %i, %v {depth = 3 : i64} : (tensor<2xi64>, "
              "tensor<2xf32>) -> tensor<2x3xf32>",
              "tensor<2x3xf32>"),
      {Tensor::fromInts(DType::i64, {2}, {0, 3}), values});
  EXPECT_NE(err.find("index 3 (element 1 of the indices) out of range [-3, 3)"),
            std::string::npos)
      << err;
  // With drop_out_of_range the same indices give an all-off row instead.
  out = runOp("%i: tensor<3xi64>, %v: tensor<2xf32>",
              "strata.one_hot %i, %v {depth = 3 : i64, drop_out_of_range = "
              "true} : (tensor<3xi64>, tensor<2xf32>) -> tensor<3x3xf32>",
              "tensor<3x3xf32>",
              {Tensor::fromInts(DType::i64, {3}, {3, -4, -3}),
               Tensor::fromDoubles(DType::f32, {2}, {-1, 2})});
  expectTensorNear(out, {3, 3}, {-1, -1, -1, -1, -1, -1, 2, -1, -1}, 0);
}

TEST_F(IndexingTest, GatherNDChecksDynamicBatch) {
  std::string err =
      runError(buildOp("%d: tensor<?x3xf32>, %i: tensor<?x1xi64>",
                       "strata.gather_nd %d, %i {batch_dims = 1 : i64} : "
                       "(tensor<?x3xf32>, tensor<?x1xi64>) -> tensor<?xf32>",
                       "tensor<?xf32>"),
               {randomTensor(DType::f32, {2, 3}),
                Tensor::fromInts(DType::i64, {3, 1}, {0, 1, 2})});
  EXPECT_NE(err.find("batch dimension 0 has size 2 in data and 3 in indices"),
            std::string::npos)
      << err;
}

TEST_F(IndexingTest, ScatterNDOnnxExamples) {
  // Slices: data 4x4x4, two index tuples of length 1 replace whole planes.
  std::vector<double> data(64), upd(32);
  for (int i = 0; i < 64; ++i)
    data[i] = i;
  for (int i = 0; i < 32; ++i)
    upd[i] = 100 + i;
  Tensor out = runOp(
      "%d: tensor<4x4x4xf32>, %i: tensor<2x1xi64>, %u: tensor<2x4x4xf32>",
      "strata.scatter_nd %d, %i, %u : (tensor<4x4x4xf32>, tensor<2x1xi64>, "
      "tensor<2x4x4xf32>) -> tensor<4x4x4xf32>",
      "tensor<4x4x4xf32>",
      {Tensor::fromDoubles(DType::f32, {4, 4, 4}, data),
       Tensor::fromInts(DType::i64, {2, 1}, {0, -2}),
       Tensor::fromDoubles(DType::f32, {2, 4, 4}, upd)});
  std::vector<double> want = data;
  for (int j = 0; j < 16; ++j) {
    want[0 * 16 + j] = 100 + j; // plane 0 from updates[0]
    want[2 * 16 + j] = 116 + j; // plane -2 = 2 from updates[1]
  }
  expectTensorNear(out, {4, 4, 4}, want, 0);

  // Elements: full index tuples into a 2x3 i32 tensor, scalar updates.
  out = runOp("%d: tensor<2x3xi32>, %i: tensor<2x2xi32>, %u: tensor<2xi32>",
              "strata.scatter_nd %d, %i, %u : (tensor<2x3xi32>, "
              "tensor<2x2xi32>, tensor<2xi32>) -> tensor<2x3xi32>",
              "tensor<2x3xi32>",
              {Tensor::fromInts(DType::i32, {2, 3}, {1, 2, 3, 4, 5, 6}),
               Tensor::fromInts(DType::i32, {2, 2}, {1, 2, 0, 0}),
               Tensor::fromInts(DType::i32, {2}, {-6, -1})});
  expectTensorNear(out, {2, 3}, {-1, 2, 3, 4, 5, -6}, 0);
}

TEST_F(IndexingTest, ScatterNDReductionsWithRepeatedIndices) {
  // Row 1 of a 3x2 tensor is updated twice by [u0, u0'] then [u1, u1'].
  Tensor data = Tensor::fromDoubles(DType::f32, {3, 2}, {1, 2, 3, 4, 5, 6});
  Tensor idx = Tensor::fromInts(DType::i64, {2, 1}, {1, 1});
  Tensor upd = Tensor::fromDoubles(DType::f32, {2, 2}, {1.5, -2, 0.5, 7});
  struct Case {
    const char *reduction;
    double a, b; // the new row 1
  } cases[] = {{"none", 0.5, 7},
               {"add", 3 + 1.5 + 0.5, 4 - 2 + 7},
               {"mul", 3 * 1.5 * 0.5, 4 * -2 * 7},
               {"max", 3, 7},
               {"min", 0.5, -2}};
  for (const Case &c : cases) {
    Tensor out = runOp(
        "%d: tensor<3x2xf32>, %i: tensor<2x1xi64>, %u: tensor<2x2xf32>",
        std::string("strata.scatter_nd %d, %i, %u {reduction = \"") +
            c.reduction +
            "\"} : (tensor<3x2xf32>, tensor<2x1xi64>, tensor<2x2xf32>) -> "
            "tensor<3x2xf32>",
        "tensor<3x2xf32>", {data, idx, upd});
    SCOPED_TRACE(c.reduction);
    expectTensorNear(out, {3, 2}, {1, 2, c.a, c.b, 5, 6}, 1e-6);
  }

  // Integers: mul wraps to the element type.
  Tensor out =
      runOp("%d: tensor<2xi8>, %i: tensor<1x1xi64>, %u: tensor<1xi8>",
            "strata.scatter_nd %d, %i, %u {reduction = \"mul\"} : "
            "(tensor<2xi8>, tensor<1x1xi64>, tensor<1xi8>) -> tensor<2xi8>",
            "tensor<2xi8>",
            {Tensor::fromInts(DType::i8, {2}, {3, 100}),
             Tensor::fromInts(DType::i64, {1, 1}, {1}),
             Tensor::fromInts(DType::i8, {1}, {3})});
  expectTensorNear(out, {2}, {3, 44}, 0); // 300 - 256
}

TEST_F(IndexingTest, ScatterNDRandomAddMatchesLoops) {
  // data 4x3x5, indices 6x2 (tuples into the first two dimensions, with
  // repeats and negative values), updates 6x5.
  Tensor data = randomTensor(DType::f64, {4, 3, 5});
  Tensor idx0 = randomInts(DType::i64, {6, 1}, -4, 3);
  Tensor idx1 = randomInts(DType::i64, {6, 1}, -3, 2);
  std::vector<int64_t> pairs;
  for (int i = 0; i < 6; ++i) {
    pairs.push_back(idx0.getInt(i));
    pairs.push_back(idx1.getInt(i));
  }
  Tensor idx = Tensor::fromInts(DType::i64, {6, 2}, pairs);
  Tensor upd = randomTensor(DType::f64, {6, 5});
  Tensor out =
      runOp("%d: tensor<?x3x5xf64>, %i: tensor<6x2xi64>, %u: tensor<6x5xf64>",
            "strata.scatter_nd %d, %i, %u {reduction = \"add\"} : "
            "(tensor<?x3x5xf64>, tensor<6x2xi64>, tensor<6x5xf64>) -> "
            "tensor<?x3x5xf64>",
            "tensor<?x3x5xf64>", {data, idx, upd});
  std::vector<double> want = data.toDoubles();
  for (int i = 0; i < 6; ++i) {
    int64_t a = pairs[2 * i], b = pairs[2 * i + 1];
    a = a < 0 ? a + 4 : a;
    b = b < 0 ? b + 3 : b;
    for (int t = 0; t < 5; ++t)
      want[(a * 3 + b) * 5 + t] += upd.get(i * 5 + t);
  }
  expectTensorNear(out, {4, 3, 5}, want, 1e-12);

  std::string err = runError(
      buildOp("%d: tensor<3x2xf32>, %i: tensor<2x2xi64>, %u: tensor<2xf32>",
              "strata.scatter_nd %d, %i, %u : (tensor<3x2xf32>, "
              "tensor<2x2xi64>, tensor<2xf32>) -> tensor<3x2xf32>",
              "tensor<3x2xf32>"),
      {Tensor(DType::f32, {3, 2}),
       Tensor::fromInts(DType::i64, {2, 2}, {0, 1, 1, -3}),
       Tensor(DType::f32, {2})});
  EXPECT_NE(
      err.find("index -3 (element 3 of the indices) out of range [-2, 2)"),
      std::string::npos)
      << err;
}

} // namespace
} // namespace strata::testing
