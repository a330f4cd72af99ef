//===- ElementwiseGradientTest.cpp - Gradient checks: elementwise ops -----===//
//
// Central differences in f64 (GradientChecking.h) on random inputs, with
// broadcasting shapes for the binary ops. Inputs stay inside each op's
// domain and away from its kinks.
//
//===----------------------------------------------------------------------===//

#include "gradients/GradientChecking.h"

using namespace strata::testing;

namespace {

std::string tensorType(const std::string &shape) {
  return "tensor<" + (shape.empty() ? "" : shape + "x") + "f64>";
}

/// @f(%a) = op(%a).
std::string unary(const std::string &op, const std::string &shape,
                  const std::string &attrs = "") {
  std::string t = tensorType(shape);
  return "func.func @f(%a: " + t + ") -> " + t + " {\n  %0 = " + op + " %a " +
         attrs + " : (" + t + ") -> " + t + "\n  return %0 : " + t + "\n}";
}

/// @f(%a, %b) = op(%a, %b) with result shape `out`.
std::string binary(const std::string &op, const std::string &a,
                   const std::string &b, const std::string &out) {
  std::string ta = tensorType(a), tb = tensorType(b), to = tensorType(out);
  return "func.func @f(%a: " + ta + ", %b: " + tb + ") -> " + to +
         " {\n  %0 = " + op + " %a, %b : (" + ta + ", " + tb + ") -> " + to +
         "\n  return %0 : " + to + "\n}";
}

class ElementwiseGradient : public GradientCheckTest {};

TEST_F(ElementwiseGradient, BroadcastingArithmetic) {
  for (const char *op : {"strata.add", "strata.sub", "strata.mul"}) {
    check(binary(op, "2x3", "2x3", "2x3"),
          {randomTensor(DType::f64, {2, 3}), randomTensor(DType::f64, {2, 3})});
    check(binary(op, "2x1x3", "4x1", "2x4x3"),
          {randomTensor(DType::f64, {2, 1, 3}),
           randomTensor(DType::f64, {4, 1})});
    check(binary(op, "", "3", "3"),
          {randomTensor(DType::f64, {}), randomTensor(DType::f64, {3})});
  }
  check(binary("strata.div", "2x3", "3", "2x3"),
        {randomTensor(DType::f64, {2, 3}),
         randomTensor(DType::f64, {3}, 0.5, 2)});
  check(binary("strata.pow", "2x3", "3", "2x3"),
        {randomTensor(DType::f64, {2, 3}, 0.5, 2),
         randomTensor(DType::f64, {3}, -1.5, 1.5)});
  // max / min on values that do not tie.
  check(binary("strata.max", "2x3", "2x3", "2x3"),
        {randomTensor(DType::f64, {2, 3}), randomTensor(DType::f64, {2, 3})});
  check(binary("strata.min", "4x1", "3", "4x3"),
        {randomTensor(DType::f64, {4, 1}), randomTensor(DType::f64, {3})});
}

TEST_F(ElementwiseGradient, UnaryMath) {
  Tensor any = randomTensor(DType::f64, {2, 3}, -2, 2);
  Tensor positive = randomTensor(DType::f64, {2, 3}, 0.3, 3);
  Tensor unit = randomTensor(DType::f64, {2, 3}, -0.9, 0.9);
  for (const char *op : {"strata.neg", "strata.exp", "strata.sin", "strata.cos",
                         "strata.erf", "strata.atan"})
    check(unary(op, "2x3"), {any});
  for (const char *op :
       {"strata.log", "strata.sqrt", "strata.rsqrt", "strata.reciprocal"})
    check(unary(op, "2x3"), {positive});
  for (const char *op : {"strata.asin", "strata.acos"})
    check(unary(op, "2x3"), {unit});
  // |x| away from 0; piecewise-constant ops away from their jumps.
  check(unary("strata.abs", "4"),
        {Tensor::fromDoubles(DType::f64, {4}, {-1.5, -0.2, 0.3, 2})});
  Tensor offGrid = Tensor::fromDoubles(DType::f64, {4}, {-1.3, -0.2, 0.3, 2.2});
  for (const char *op :
       {"strata.sign", "strata.floor", "strata.ceil", "strata.round"})
    check(unary(op, "4"), {offGrid});
  check(unary("strata.clip", "5", "{min = -0.5, max = 0.5}"),
        {Tensor::fromDoubles(DType::f64, {5}, {-0.9, -0.3, 0.1, 0.45, 0.8})});
}

TEST_F(ElementwiseGradient, Mod) {
  // Away from the jumps (x / y not near an integer).
  Tensor x = Tensor::fromDoubles(DType::f64, {4}, {5.3, -5.3, 7.9, -2.2});
  Tensor y = Tensor::fromDoubles(DType::f64, {4}, {2.1, 2.1, -3.1, 1.5});
  check(binary("strata.mod", "4", "4", "4"), {x, y});
  std::string fmod =
      R"(func.func @f(%a: tensor<4xf64>, %b: tensor<4xf64>) -> tensor<4xf64> {
  %0 = strata.mod %a, %b {fmod = true} : (tensor<4xf64>, tensor<4xf64>) -> tensor<4xf64>
  return %0 : tensor<4xf64>
})";
  check(fmod, {x, y});
}

TEST_F(ElementwiseGradient, Where) {
  std::string src =
      R"(func.func @f(%a: tensor<2x3xf64>, %b: tensor<3xf64>) -> tensor<2x3xf64> {
  %c = strata.greater %a, %b : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xi1>
  %0 = strata.where %c, %a, %b : (tensor<2x3xi1>, tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
  return %0 : tensor<2x3xf64>
})";
  check(src, {randomTensor(DType::f64, {2, 3}), randomTensor(DType::f64, {3})});
}

TEST_F(ElementwiseGradient, ChainsAndReuse) {
  // A value used twice: the two contributions add up.
  std::string src =
      R"(func.func @f(%a: tensor<3xf64>, %b: tensor<3xf64>) -> tensor<3xf64> {
  %0 = strata.mul %a, %a : (tensor<3xf64>, tensor<3xf64>) -> tensor<3xf64>
  %1 = strata.exp %0 : (tensor<3xf64>) -> tensor<3xf64>
  %2 = strata.div %1, %b : (tensor<3xf64>, tensor<3xf64>) -> tensor<3xf64>
  %3 = strata.add %2, %a : (tensor<3xf64>, tensor<3xf64>) -> tensor<3xf64>
  return %3 : tensor<3xf64>
})";
  check(src,
        {randomTensor(DType::f64, {3}), randomTensor(DType::f64, {3}, 1, 2)});
}

} // namespace
