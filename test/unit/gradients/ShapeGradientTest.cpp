//===- ShapeGradientTest.cpp - Gradient checks: shape ops -----------------===//
//
// Central differences in f64 (GradientChecking.h) for concat, split, slice
// (steps of either sign, clamped and negative bounds), pad (constant mode
// with crops; reflect, edge, wrap), tile, depth_to_space (DCR and CRD) and
// space_to_depth.
//
//===----------------------------------------------------------------------===//

#include "gradients/GradientChecking.h"

using namespace strata::testing;

namespace {

std::string tensorType(const std::vector<int64_t> &shape) {
  std::string s = "tensor<";
  for (int64_t d : shape)
    s += std::to_string(d) + "x";
  return s + "f64>";
}

std::string unary(const std::string &op, const std::vector<int64_t> &in,
                  const std::vector<int64_t> &out,
                  const std::string &attrs = "") {
  std::string ti = tensorType(in), to = tensorType(out);
  return "func.func @f(%a: " + ti + ") -> " + to + " {\n  %0 = " + op + " %a " +
         attrs + " : (" + ti + ") -> " + to + "\n  return %0 : " + to + "\n}";
}

class ShapeGradient : public GradientCheckTest {
protected:
  void checkUnary(const std::string &op, const std::vector<int64_t> &in,
                  const std::vector<int64_t> &out, const std::string &attrs) {
    check(unary(op, in, out, attrs), {randomTensor(DType::f64, in)});
  }
};

TEST_F(ShapeGradient, Concat) {
  check(
      R"(func.func @f(%a: tensor<2x3xf64>, %b: tensor<2x1xf64>, %c: tensor<2x2xf64>) -> tensor<2x6xf64> {
  %0 = strata.concat %a, %b, %c {axis = 1 : i64} : (tensor<2x3xf64>, tensor<2x1xf64>, tensor<2x2xf64>) -> tensor<2x6xf64>
  return %0 : tensor<2x6xf64>
})",
      {randomTensor(DType::f64, {2, 3}), randomTensor(DType::f64, {2, 1}),
       randomTensor(DType::f64, {2, 2})});
  check(
      R"(func.func @f(%a: tensor<1x2x2xf64>, %b: tensor<3x2x2xf64>) -> tensor<4x2x2xf64> {
  %0 = strata.concat %a, %b {axis = -3 : i64} : (tensor<1x2x2xf64>, tensor<3x2x2xf64>) -> tensor<4x2x2xf64>
  return %0 : tensor<4x2x2xf64>
})",
      {randomTensor(DType::f64, {1, 2, 2}),
       randomTensor(DType::f64, {3, 2, 2})});
  // The same value twice: the gradients add up.
  check(R"(func.func @f(%a: tensor<3xf64>) -> tensor<6xf64> {
  %0 = strata.concat %a, %a {axis = 0 : i64} : (tensor<3xf64>, tensor<3xf64>) -> tensor<6xf64>
  return %0 : tensor<6xf64>
})",
        {randomTensor(DType::f64, {3})});
  checkUnary("strata.concat", {2, 3}, {2, 3}, "{axis = 0 : i64}");
}

TEST_F(ShapeGradient, Split) {
  // Every result used, weighted differently.
  check(R"(func.func @f(%a: tensor<2x6xf64>) -> tensor<2x3xf64> {
  %0:3 = strata.split %a {axis = 1 : i64, sizes = array<i64: 3, 1, 2>} : (tensor<2x6xf64>) -> (tensor<2x3xf64>, tensor<2x1xf64>, tensor<2x2xf64>)
  %1 = strata.mul %0#0, %0#1 : (tensor<2x3xf64>, tensor<2x1xf64>) -> tensor<2x3xf64>
  %2 = strata.reduce_sum %0#2 {axes = array<i64: 1>} : (tensor<2x2xf64>) -> tensor<2x1xf64>
  %3 = strata.add %1, %2 : (tensor<2x3xf64>, tensor<2x1xf64>) -> tensor<2x3xf64>
  return %3 : tensor<2x3xf64>
})",
        {randomTensor(DType::f64, {2, 6})});
  // An unused result (its gradient is zero).
  check(R"(func.func @f(%a: tensor<4x2xf64>) -> tensor<1x2xf64> {
  %0:2 = strata.split %a {axis = -2 : i64, sizes = array<i64: 3, 1>} : (tensor<4x2xf64>) -> (tensor<3x2xf64>, tensor<1x2xf64>)
  return %0#1 : tensor<1x2xf64>
})",
        {randomTensor(DType::f64, {4, 2})});
}

TEST_F(ShapeGradient, Slice) {
  checkUnary("strata.slice", {5, 4}, {3, 2},
             "{starts = array<i64: 1, 1>, ends = array<i64: 4, 3>}");
  checkUnary("strata.slice", {6, 4}, {3, 4},
             "{starts = array<i64: 0>, ends = array<i64: 6>, "
             "steps = array<i64: 2>}");
  checkUnary("strata.slice", {7, 5}, {2, 5},
             "{starts = array<i64: 1>, ends = array<i64: 7>, "
             "steps = array<i64: 3>}");
  checkUnary("strata.slice", {3, 7}, {3, 3},
             "{starts = array<i64: -1>, ends = array<i64: 0>, "
             "axes = array<i64: 1>, steps = array<i64: -2>}");
  checkUnary("strata.slice", {4, 6}, {4, 6},
             "{starts = array<i64: 100>, ends = array<i64: -100>, "
             "axes = array<i64: -1>, steps = array<i64: -1>}");
  checkUnary("strata.slice", {2, 5, 6}, {2, 2, 2},
             "{starts = array<i64: 4, 1>, ends = array<i64: 0, 100>, "
             "axes = array<i64: 1, 2>, steps = array<i64: -2, 3>}");
  checkUnary("strata.slice", {5}, {0},
             "{starts = array<i64: 3>, ends = array<i64: 1>}");
}

TEST_F(ShapeGradient, Pad) {
  checkUnary("strata.pad", {2, 3}, {5, 4}, "{pads = array<i64: 1, 0, 2, 1>}");
  checkUnary("strata.pad", {2, 3}, {3, 3},
             "{pads = array<i64: 1, 2, 0, -2>, value = 1.5}");
  checkUnary("strata.pad", {4, 5}, {2, 4},
             "{pads = array<i64: -1, -1, -1, 0>}");
  checkUnary("strata.pad", {2, 2, 3}, {2, 4, 4},
             "{pads = array<i64: 0, 1, 0, 0, 1, 1>, mode = "
             "#strata.pad_mode<constant>}");
}

TEST_F(ShapeGradient, PadReflectEdgeWrap) {
  for (const char *mode : {"reflect", "edge", "wrap"}) {
    std::string m = std::string(", mode = #strata.pad_mode<") + mode + ">}";
    checkUnary("strata.pad", {3, 4}, {6, 7},
               "{pads = array<i64: 2, 1, 1, 2>" + m);
    checkUnary("strata.pad", {5}, {7}, "{pads = array<i64: 0, 2>" + m);
    checkUnary("strata.pad", {2, 3, 4}, {2, 5, 7},
               "{pads = array<i64: 0, 2, 3, 0, 0, 0>" + m);
  }
  checkUnary("strata.pad", {2, 3}, {6, 9},
             "{pads = array<i64: 2, 3, 2, 3>, mode = #strata.pad_mode<edge>}");
  checkUnary("strata.pad", {2, 3}, {4, 9},
             "{pads = array<i64: 1, 3, 1, 3>, mode = #strata.pad_mode<wrap>}");
}

TEST_F(ShapeGradient, Tile) {
  checkUnary("strata.tile", {2, 3}, {4, 9}, "{repeats = array<i64: 2, 3>}");
  checkUnary("strata.tile", {3}, {3}, "{repeats = array<i64: 1>}");
  checkUnary("strata.tile", {2, 1, 3}, {2, 4, 6},
             "{repeats = array<i64: 1, 4, 2>}");
}

TEST_F(ShapeGradient, DepthToSpaceSpaceToDepth) {
  checkUnary("strata.depth_to_space", {1, 8, 2, 3}, {1, 2, 4, 6},
             "{blocksize = 2 : i64}");
  checkUnary("strata.depth_to_space", {2, 4, 2, 2}, {2, 1, 4, 4},
             "{blocksize = 2 : i64, mode = \"DCR\"}");
  checkUnary("strata.depth_to_space", {1, 8, 2, 3}, {1, 2, 4, 6},
             "{blocksize = 2 : i64, mode = \"CRD\"}");
  checkUnary("strata.depth_to_space", {1, 9, 1, 2}, {1, 1, 3, 6},
             "{blocksize = 3 : i64, mode = \"CRD\"}");
  checkUnary("strata.space_to_depth", {1, 2, 4, 6}, {1, 8, 2, 3},
             "{blocksize = 2 : i64}");
  checkUnary("strata.space_to_depth", {2, 1, 3, 6}, {2, 9, 1, 2},
             "{blocksize = 3 : i64}");
}

} // namespace
