//===- ShapeTest.cpp - Reference semantics of the Shape ops ---------------===//
//
// Shape ops copy elements, so expected values are exact: every comparison
// uses tolerance 0 (values are read back as doubles; random f32 inputs are
// already f32-representable).
//
//===----------------------------------------------------------------------===//

#include "EvaluatorTesting.h"

namespace strata::testing {
namespace {

class ShapeTest : public EvaluatorTest {
protected:
  /// A one-op @main: `%r = <op text applied to %a...>` with the given
  /// argument and result types; returns the results.
  std::vector<Tensor> runOp(const std::string &args, const std::string &op,
                            const std::string &resultTypes, int numResults,
                            std::vector<Tensor> inputs) {
    return run(buildOp(args, op, resultTypes, numResults), std::move(inputs));
  }
  std::string buildOp(const std::string &args, const std::string &op,
                      const std::string &resultTypes, int numResults) {
    std::string results = "%r";
    std::string values;
    if (numResults == 1) {
      values = "%r";
    } else {
      results += ":" + std::to_string(numResults);
      for (int i = 0; i < numResults; ++i)
        values += (i ? ", %r#" : "%r#") + std::to_string(i);
    }
    return "func.func @main(" + args + ") -> (" + resultTypes + ") {\n  " +
           results + " = " + op + "\n  return " + values + " : " + resultTypes +
           "\n}";
  }
};

std::vector<double> iota(int64_t n, double start = 0) {
  std::vector<double> v(n);
  for (int64_t i = 0; i < n; ++i)
    v[i] = start + i;
  return v;
}

TEST_F(ShapeTest, ReshapeKeepsRowMajorOrder) {
  Tensor x = Tensor::fromInts(DType::i32, {2, 3}, {0, 1, 2, 3, 4, 5});
  auto out = runOp("%a: tensor<2x3xi32>",
                   "strata.reshape %a {shape = array<i64: 3, -1>} : "
                   "(tensor<2x3xi32>) -> tensor<3x2xi32>",
                   "tensor<3x2xi32>", 1, {x});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].dtype(), DType::i32);
  expectTensorNear(out[0], {3, 2}, {0, 1, 2, 3, 4, 5}, 0);

  // Flatten with a dynamic batch: 0 copies the batch, -1 is the rest.
  Tensor y = randomTensor(DType::f32, {2, 3, 4});
  out = runOp("%a: tensor<?x3x4xf32>",
              "strata.reshape %a {shape = array<i64: 0, -1>} : "
              "(tensor<?x3x4xf32>) -> tensor<?x12xf32>",
              "tensor<?x12xf32>", 1, {y});
  ASSERT_EQ(out.size(), 1u);
  expectTensorNear(out[0], {2, 12}, y.toDoubles(), 0);

  // i1 keeps its values (unsqueeze).
  Tensor b = Tensor::fromInts(DType::i1, {3}, {1, 0, 1});
  out = runOp("%a: tensor<3xi1>",
              "strata.reshape %a {shape = array<i64: 1, 3, 1>} : "
              "(tensor<3xi1>) -> tensor<1x3x1xi1>",
              "tensor<1x3x1xi1>", 1, {b});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].dtype(), DType::i1);
  expectTensorNear(out[0], {1, 3, 1}, {1, 0, 1}, 0);
}

TEST_F(ShapeTest, ReshapeOfDynamicInputChecksElementCount) {
  std::string err =
      runError(buildOp("%a: tensor<?xf32>",
                       "strata.reshape %a {shape = array<i64: 2, 2>} : "
                       "(tensor<?xf32>) -> tensor<2x2xf32>",
                       "tensor<2x2xf32>", 1),
               {Tensor::fromDoubles(DType::f32, {6}, iota(6))});
  EXPECT_NE(err.find("does not keep the element count"), std::string::npos)
      << err;
}

TEST_F(ShapeTest, TransposeHandWorked) {
  // Default perm reverses: [[1,2,3],[4,5,6]] -> [[1,4],[2,5],[3,6]].
  Tensor x = Tensor::fromDoubles(DType::f16, {2, 3}, {1, 2, 3, 4, 5, 6});
  auto out = runOp("%a: tensor<2x3xf16>",
                   "strata.transpose %a : (tensor<2x3xf16>) -> "
                   "tensor<3x2xf16>",
                   "tensor<3x2xf16>", 1, {x});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].dtype(), DType::f16);
  expectTensorNear(out[0], {3, 2}, {1, 4, 2, 5, 3, 6}, 0);
}

TEST_F(ShapeTest, TransposeRandomMatchesLoops) {
  Tensor x = randomTensor(DType::f32, {2, 3, 4});
  auto out = runOp("%a: tensor<2x3x4xf32>",
                   "strata.transpose %a {perm = array<i64: 1, 2, 0>} : "
                   "(tensor<2x3x4xf32>) -> tensor<3x4x2xf32>",
                   "tensor<3x4x2xf32>", 1, {x});
  ASSERT_EQ(out.size(), 1u);
  std::vector<double> want;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 4; ++j)
      for (int k = 0; k < 2; ++k)
        want.push_back(x.get((k * 3 + i) * 4 + j)); // x[k][i][j]
  expectTensorNear(out[0], {3, 4, 2}, want, 0);
}

TEST_F(ShapeTest, ConcatHandWorkedAndRandom) {
  auto out = runOp("%a: tensor<2xi64>, %b: tensor<3xi64>",
                   "strata.concat %a, %b {axis = 0 : i64} : (tensor<2xi64>, "
                   "tensor<3xi64>) -> tensor<5xi64>",
                   "tensor<5xi64>", 1,
                   {Tensor::fromInts(DType::i64, {2}, {1, 2}),
                    Tensor::fromInts(DType::i64, {3}, {3, 4, 5})});
  ASSERT_EQ(out.size(), 1u);
  expectTensorNear(out[0], {5}, {1, 2, 3, 4, 5}, 0);

  Tensor a = randomTensor(DType::f32, {2, 3});
  Tensor b = randomTensor(DType::f32, {2, 2});
  Tensor c = randomTensor(DType::f32, {2, 1});
  out = runOp("%a: tensor<?x3xf32>, %b: tensor<?x2xf32>, %c: tensor<2x1xf32>",
              "strata.concat %a, %b, %c {axis = -1 : i64} : (tensor<?x3xf32>, "
              "tensor<?x2xf32>, tensor<2x1xf32>) -> tensor<2x6xf32>",
              "tensor<2x6xf32>", 1, {a, b, c});
  ASSERT_EQ(out.size(), 1u);
  std::vector<double> want;
  for (int i = 0; i < 2; ++i) {
    for (int j = 0; j < 3; ++j)
      want.push_back(a.get(i * 3 + j));
    for (int j = 0; j < 2; ++j)
      want.push_back(b.get(i * 2 + j));
    want.push_back(c.get(i));
  }
  expectTensorNear(out[0], {2, 6}, want, 0);
}

TEST_F(ShapeTest, ConcatOfMismatchedDynamicSizesIsAnError) {
  std::string err = runError(
      buildOp("%a: tensor<?x2xf32>, %b: tensor<?x2xf32>",
              "strata.concat %a, %b {axis = 1 : i64} : (tensor<?x2xf32>, "
              "tensor<?x2xf32>) -> tensor<?x4xf32>",
              "tensor<?x4xf32>", 1),
      {randomTensor(DType::f32, {2, 2}), randomTensor(DType::f32, {3, 2})});
  EXPECT_NE(err.find("differ outside the axis"), std::string::npos) << err;
}

TEST_F(ShapeTest, SliceClampsAndStepsBackward) {
  Tensor x = Tensor::fromDoubles(DType::f32, {10}, iota(10));
  auto out = runOp(
      "%a: tensor<10xf32>",
      "strata.slice %a {starts = array<i64: -1>, ends = array<i64: -100>, "
      "steps = array<i64: -3>} : (tensor<10xf32>) -> tensor<4xf32>",
      "tensor<4xf32>", 1, {x});
  ASSERT_EQ(out.size(), 1u);
  expectTensorNear(out[0], {4}, {9, 6, 3, 0}, 0);

  out = runOp("%a: tensor<10xf32>",
              "strata.slice %a {starts = array<i64: 1>, ends = array<i64: "
              "9223372036854775807>, steps = array<i64: 2>} : "
              "(tensor<10xf32>) -> tensor<5xf32>",
              "tensor<5xf32>", 1, {x});
  ASSERT_EQ(out.size(), 1u);
  expectTensorNear(out[0], {5}, {1, 3, 5, 7, 9}, 0);

  // A step longer than the dimension takes the start only.
  out = runOp("%a: tensor<10xf32>",
              "strata.slice %a {starts = array<i64: 2>, ends = array<i64: "
              "10>, steps = array<i64: 9223372036854775807>} : "
              "(tensor<10xf32>) -> tensor<1xf32>",
              "tensor<1xf32>", 1, {x});
  ASSERT_EQ(out.size(), 1u);
  expectTensorNear(out[0], {1}, {2}, 0);
  out = runOp("%a: tensor<10xf32>",
              "strata.slice %a {starts = array<i64: 7>, ends = array<i64: "
              "-9223372036854775807>, steps = array<i64: "
              "-9223372036854775807>} : (tensor<10xf32>) -> tensor<1xf32>",
              "tensor<1xf32>", 1, {x});
  ASSERT_EQ(out.size(), 1u);
  expectTensorNear(out[0], {1}, {7}, 0);

  // Backward over an empty dimension gives nothing.
  out = runOp("%a: tensor<0x2xf32>",
              "strata.slice %a {starts = array<i64: -1>, ends = array<i64: "
              "-100>, steps = array<i64: -1>} : (tensor<0x2xf32>) -> "
              "tensor<0x2xf32>",
              "tensor<0x2xf32>", 1, {Tensor(DType::f32, {0, 2})});
  ASSERT_EQ(out.size(), 1u);
  expectTensorNear(out[0], {0, 2}, {}, 0);

  // An empty range gives size 0.
  out = runOp("%a: tensor<10xf32>",
              "strata.slice %a {starts = array<i64: 5>, ends = array<i64: 2>} "
              ": (tensor<10xf32>) -> tensor<0xf32>",
              "tensor<0xf32>", 1, {x});
  ASSERT_EQ(out.size(), 1u);
  expectTensorNear(out[0], {0}, {}, 0);
}

TEST_F(ShapeTest, SliceRandom2D) {
  Tensor x = randomTensor(DType::f64, {4, 5});
  // Rows 1, 3 (step 2 from 1 to 4); columns 4, 2 (step -2 from 4 to 0).
  auto out = runOp("%a: tensor<?x5xf64>",
                   "strata.slice %a {starts = array<i64: 4, 1>, ends = "
                   "array<i64: 0, 4>, axes = array<i64: -1, 0>, steps = "
                   "array<i64: -2, 2>} : (tensor<?x5xf64>) -> tensor<?x2xf64>",
                   "tensor<?x2xf64>", 1, {x});
  ASSERT_EQ(out.size(), 1u);
  std::vector<double> want;
  for (int r : {1, 3})
    for (int c : {4, 2})
      want.push_back(x.get(r * 5 + c));
  expectTensorNear(out[0], {2, 2}, want, 0);
}

TEST_F(ShapeTest, SplitHandWorkedAndRandom) {
  Tensor x = Tensor::fromInts(DType::u8, {6}, {0, 1, 2, 3, 4, 5});
  auto out = runOp("%a: tensor<6xui8>",
                   "strata.split %a {axis = 0 : i64, sizes = array<i64: 1, 2, "
                   "3>} : (tensor<6xui8>) -> (tensor<1xui8>, tensor<2xui8>, "
                   "tensor<3xui8>)",
                   "tensor<1xui8>, tensor<2xui8>, tensor<3xui8>", 3, {x});
  ASSERT_EQ(out.size(), 3u);
  expectTensorNear(out[0], {1}, {0}, 0);
  expectTensorNear(out[1], {2}, {1, 2}, 0);
  expectTensorNear(out[2], {3}, {3, 4, 5}, 0);

  Tensor y = randomTensor(DType::f32, {3, 4});
  out = runOp("%a: tensor<?x4xf32>",
              "strata.split %a {axis = 1 : i64, sizes = array<i64: 1, 3>} : "
              "(tensor<?x4xf32>) -> (tensor<?x1xf32>, tensor<?x3xf32>)",
              "tensor<?x1xf32>, tensor<?x3xf32>", 2, {y});
  ASSERT_EQ(out.size(), 2u);
  std::vector<double> w0, w1;
  for (int i = 0; i < 3; ++i) {
    w0.push_back(y.get(i * 4));
    for (int j = 1; j < 4; ++j)
      w1.push_back(y.get(i * 4 + j));
  }
  expectTensorNear(out[0], {3, 1}, w0, 0);
  expectTensorNear(out[1], {3, 3}, w1, 0);
}

TEST_F(ShapeTest, SplitOfDynamicSizeChecksSum) {
  std::string err =
      runError(buildOp("%a: tensor<?xf32>",
                       "strata.split %a {axis = 0 : i64, sizes = array<i64: 2, "
                       "2>} : (tensor<?xf32>) -> (tensor<2xf32>, "
                       "tensor<2xf32>)",
                       "tensor<2xf32>, tensor<2xf32>", 2),
               {Tensor::fromDoubles(DType::f32, {5}, iota(5))});
  EXPECT_NE(err.find("sizes sum to 4, the input has 5"), std::string::npos)
      << err;
}

TEST_F(ShapeTest, PadModesHandWorked) {
  Tensor x = Tensor::fromDoubles(DType::f32, {3}, {1, 2, 3});
  struct Case {
    std::string attrs;
    int64_t size;
    std::vector<double> want;
  } cases[] = {
      {"pads = array<i64: 2, 1>, value = 9.0", 6, {9, 9, 1, 2, 3, 9}},
      {"pads = array<i64: 2, 2>, mode = #strata.pad_mode<reflect>",
       7,
       {3, 2, 1, 2, 3, 2, 1}},
      {"pads = array<i64: 2, 1>, mode = #strata.pad_mode<edge>",
       6,
       {1, 1, 1, 2, 3, 3}},
      {"pads = array<i64: 4, 2>, mode = #strata.pad_mode<wrap>",
       9,
       {3, 1, 2, 3, 1, 2, 3, 1, 2}},
      // Negative pads crop; reflection still uses the input's own edge.
      {"pads = array<i64: -1, 2>", 4, {2, 3, 0, 0}},
      {"pads = array<i64: -1, 2>, mode = #strata.pad_mode<reflect>",
       4,
       {2, 3, 2, 1}},
  };
  for (const Case &c : cases) {
    std::string type = "tensor<" + std::to_string(c.size) + "xf32>";
    auto out =
        runOp("%a: tensor<3xf32>",
              "strata.pad %a {" + c.attrs + "} : (tensor<3xf32>) -> " + type,
              type, 1, {x});
    ASSERT_EQ(out.size(), 1u) << c.attrs;
    expectTensorNear(out[0], {c.size}, c.want, 0);
  }
}

TEST_F(ShapeTest, PadConstantRandom2DAndIntegerValue) {
  Tensor x = randomTensor(DType::f32, {2, 3});
  // One row before, two columns after.
  auto out = runOp("%a: tensor<?x3xf32>",
                   "strata.pad %a {pads = array<i64: 1, 0, 0, 2>, value = "
                   "-0.5} : (tensor<?x3xf32>) -> tensor<?x5xf32>",
                   "tensor<?x5xf32>", 1, {x});
  ASSERT_EQ(out.size(), 1u);
  std::vector<double> want;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 5; ++j)
      want.push_back(i >= 1 && j < 3 ? x.get((i - 1) * 3 + j) : -0.5);
  expectTensorNear(out[0], {3, 5}, want, 0);

  out = runOp("%a: tensor<2xi32>",
              "strata.pad %a {pads = array<i64: 1, 1>, value = 7.0} : "
              "(tensor<2xi32>) -> tensor<4xi32>",
              "tensor<4xi32>", 1, {Tensor::fromInts(DType::i32, {2}, {-4, 5})});
  ASSERT_EQ(out.size(), 1u);
  expectTensorNear(out[0], {4}, {7, -4, 5, 7}, 0);
}

TEST_F(ShapeTest, PadReflectTooLargeForDynamicSizeIsAnError) {
  std::string err =
      runError(buildOp("%a: tensor<?xf32>",
                       "strata.pad %a {pads = array<i64: 2, 0>, mode = "
                       "#strata.pad_mode<reflect>} : (tensor<?xf32>) -> "
                       "tensor<?xf32>",
                       "tensor<?xf32>", 1),
               {Tensor::fromDoubles(DType::f32, {2}, {1, 2})});
  EXPECT_NE(err.find("must be smaller than its size 2"), std::string::npos)
      << err;
}

TEST_F(ShapeTest, BroadcastToIsBidirectional) {
  // [1,2,3] with shape [2,1] -> 2x3.
  auto out = runOp("%a: tensor<3xf32>",
                   "strata.broadcast_to %a {shape = array<i64: 2, 1>} : "
                   "(tensor<3xf32>) -> tensor<2x3xf32>",
                   "tensor<2x3xf32>", 1,
                   {Tensor::fromDoubles(DType::f32, {3}, {1, 2, 3})});
  ASSERT_EQ(out.size(), 1u);
  expectTensorNear(out[0], {2, 3}, {1, 2, 3, 1, 2, 3}, 0);

  Tensor x = randomTensor(DType::f32, {3, 1});
  out = runOp("%a: tensor<3x1xf32>",
              "strata.broadcast_to %a {shape = array<i64: 2, 1, 4>} : "
              "(tensor<3x1xf32>) -> tensor<2x3x4xf32>",
              "tensor<2x3x4xf32>", 1, {x});
  ASSERT_EQ(out.size(), 1u);
  std::vector<double> want;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 4; ++k)
        want.push_back(x.get(j));
  expectTensorNear(out[0], {2, 3, 4}, want, 0);

  std::string err =
      runError(buildOp("%a: tensor<?xf32>",
                       "strata.broadcast_to %a {shape = array<i64: 4>} : "
                       "(tensor<?xf32>) -> tensor<4xf32>",
                       "tensor<4xf32>", 1),
               {Tensor::fromDoubles(DType::f32, {3}, {1, 2, 3})});
  EXPECT_NE(err.find("does not broadcast"), std::string::npos) << err;
}

TEST_F(ShapeTest, TileHandWorkedAndRandom) {
  auto out = runOp("%a: tensor<2x2xi16>",
                   "strata.tile %a {repeats = array<i64: 2, 3>} : "
                   "(tensor<2x2xi16>) -> tensor<4x6xi16>",
                   "tensor<4x6xi16>", 1,
                   {Tensor::fromInts(DType::i16, {2, 2}, {1, 2, 3, 4})});
  ASSERT_EQ(out.size(), 1u);
  expectTensorNear(out[0], {4, 6}, {1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4,
                                    1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4},
                   0);

  Tensor x = randomTensor(DType::f32, {2, 3});
  out = runOp("%a: tensor<?x3xf32>",
              "strata.tile %a {repeats = array<i64: 1, 2>} : "
              "(tensor<?x3xf32>) -> tensor<?x6xf32>",
              "tensor<?x6xf32>", 1, {x});
  ASSERT_EQ(out.size(), 1u);
  std::vector<double> want;
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 6; ++j)
      want.push_back(x.get(i * 3 + j % 3));
  expectTensorNear(out[0], {2, 6}, want, 0);
}

// The ONNX DepthToSpace documentation example: channel c holds 9c + 0..5.
TEST_F(ShapeTest, DepthToSpaceOnnxExamples) {
  std::vector<double> in;
  for (int c = 0; c < 8; ++c)
    for (int k = 0; k < 6; ++k)
      in.push_back(9 * c + k);
  Tensor x = Tensor::fromDoubles(DType::f32, {1, 8, 2, 3}, in);
  auto out = runOp("%a: tensor<1x8x2x3xf32>",
                   "strata.depth_to_space %a {blocksize = 2 : i64} : "
                   "(tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32>",
                   "tensor<1x2x4x6xf32>", 1, {x});
  ASSERT_EQ(out.size(), 1u);
  expectTensorNear(out[0], {1, 2, 4, 6},
                   {0,  18, 1,  19, 2,  20, 36, 54, 37, 55, 38, 56,
                    3,  21, 4,  22, 5,  23, 39, 57, 40, 58, 41, 59,
                    9,  27, 10, 28, 11, 29, 45, 63, 46, 64, 47, 65,
                    12, 30, 13, 31, 14, 32, 48, 66, 49, 67, 50, 68},
                   0);
  out = runOp("%a: tensor<1x8x2x3xf32>",
              "strata.depth_to_space %a {blocksize = 2 : i64, mode = \"CRD\"} "
              ": (tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32>",
              "tensor<1x2x4x6xf32>", 1, {x});
  ASSERT_EQ(out.size(), 1u);
  expectTensorNear(out[0], {1, 2, 4, 6},
                   {0,  9,  1,  10, 2,  11, 18, 27, 19, 28, 20, 29,
                    3,  12, 4,  13, 5,  14, 21, 30, 22, 31, 23, 32,
                    36, 45, 37, 46, 38, 47, 54, 63, 55, 64, 56, 65,
                    39, 48, 40, 49, 41, 50, 57, 66, 58, 67, 59, 68},
                   0);
}

TEST_F(ShapeTest, SpaceToDepthHandWorkedAndInvertsDepthToSpace) {
  // Channel 0 = [[1,2],[3,4]], channel 1 = [[5,6],[7,8]]: the output channel
  // (i*2 + j)*2 + c holds in[c, i, j].
  auto out = runOp(
      "%a: tensor<1x2x2x2xi32>",
      "strata.space_to_depth %a {blocksize = 2 : i64} : "
      "(tensor<1x2x2x2xi32>) -> tensor<1x8x1x1xi32>",
      "tensor<1x8x1x1xi32>", 1,
      {Tensor::fromInts(DType::i32, {1, 2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8})});
  ASSERT_EQ(out.size(), 1u);
  expectTensorNear(out[0], {1, 8, 1, 1}, {1, 5, 2, 6, 3, 7, 4, 8}, 0);

  Tensor x = randomTensor(DType::f32, {2, 3, 4, 6});
  out = run(R"(func.func @main(%a: tensor<?x3x4x6xf32>) -> tensor<?x3x4x6xf32> {
    %0 = strata.space_to_depth %a {blocksize = 2 : i64} : (tensor<?x3x4x6xf32>) -> tensor<?x12x2x3xf32>
    %1 = strata.depth_to_space %0 {blocksize = 2 : i64, mode = "DCR"} : (tensor<?x12x2x3xf32>) -> tensor<?x3x4x6xf32>
    return %1 : tensor<?x3x4x6xf32>
  })",
            {x});
  ASSERT_EQ(out.size(), 1u);
  expectTensorNear(out[0], {2, 3, 4, 6}, x.toDoubles(), 0);
}

TEST_F(ShapeTest, BlockOpsCheckDynamicSizes) {
  std::string err =
      runError(buildOp("%a: tensor<1x?x1x1xf32>",
                       "strata.depth_to_space %a {blocksize = 2 : i64} : "
                       "(tensor<1x?x1x1xf32>) -> tensor<1x?x2x2xf32>",
                       "tensor<1x?x2x2xf32>", 1),
               {randomTensor(DType::f32, {1, 6, 1, 1})});
  EXPECT_NE(err.find("channels 6 are not divisible"), std::string::npos) << err;
  err = runError(buildOp("%a: tensor<1x1x?x2xf32>",
                         "strata.space_to_depth %a {blocksize = 2 : i64} : "
                         "(tensor<1x1x?x2xf32>) -> tensor<1x4x?x1xf32>",
                         "tensor<1x4x?x1xf32>", 1),
                 {randomTensor(DType::f32, {1, 1, 3, 2})});
  EXPECT_NE(err.find("spatial size 3x2 is not divisible"), std::string::npos)
      << err;
}

} // namespace
} // namespace strata::testing
