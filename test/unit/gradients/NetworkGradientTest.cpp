//===- NetworkGradientTest.cpp - Gradient checks: layers and losses -------===//
//
// Activations, matrix products, reductions, shape ops and losses, each on
// several shapes, by central differences in f64 (GradientChecking.h).
//
//===----------------------------------------------------------------------===//

#include "gradients/GradientChecking.h"

using namespace strata::testing;

namespace {

std::string unary(const std::string &op, const std::string &in,
                  const std::string &out, const std::string &attrs = "") {
  return "func.func @f(%a: " + in + ") -> " + out + " {\n  %0 = " + op +
         " %a " + attrs + " : (" + in + ") -> " + out +
         "\n  return %0 : " + out + "\n}";
}

class NetworkGradient : public GradientCheckTest {};

TEST_F(NetworkGradient, Activations) {
  const std::string t = "tensor<3x4xf64>";
  // Away from 0, where relu-like ops have a kink.
  std::vector<double> v = random(12, 0.1, 2);
  for (size_t i = 0; i < v.size(); i += 2)
    v[i] = -v[i];
  Tensor x = Tensor::fromDoubles(DType::f64, {3, 4}, v);
  for (const char *op :
       {"strata.relu", "strata.sigmoid", "strata.tanh", "strata.stanh",
        "strata.softplus", "strata.softsign", "strata.elu"})
    check(unary(op, t, t), {x});
  check(unary("strata.leaky_relu", t, t, "{alpha = 0.2}"), {x});
  check(unary("strata.elu", t, t, "{alpha = 0.7}"), {x});
  for (const char *op : {"strata.softmax", "strata.log_softmax"}) {
    check(unary(op, t, t), {x});
    check(unary(op, t, t, "{axis = 0 : i64}"), {x});
    check(
        unary(op, "tensor<2x3x4xf64>", "tensor<2x3x4xf64>", "{axis = 1 : i64}"),
        {randomTensor(DType::f64, {2, 3, 4}, -3, 3)});
  }
}

TEST_F(NetworkGradient, MatrixProducts) {
  auto mm = [&](const std::string &a, const std::string &b,
                const std::string &out, std::vector<int64_t> sa,
                std::vector<int64_t> sb) {
    check("func.func @f(%a: " + a + ", %b: " + b + ") -> " + out +
              " {\n  %0 = strata.matmul %a, %b : (" + a + ", " + b + ") -> " +
              out + "\n  return %0 : " + out + "\n}",
          {randomTensor(DType::f64, sa), randomTensor(DType::f64, sb)});
  };
  mm("tensor<2x3xf64>", "tensor<3x4xf64>", "tensor<2x4xf64>", {2, 3}, {3, 4});
  mm("tensor<2x2x3xf64>", "tensor<3x4xf64>", "tensor<2x2x4xf64>", {2, 2, 3},
     {3, 4});
  mm("tensor<2x3xf64>", "tensor<2x3x4xf64>", "tensor<2x2x4xf64>", {2, 3},
     {2, 3, 4});

  check(
      R"(func.func @f(%x: tensor<2x3xf64>, %w: tensor<4x3xf64>, %b: tensor<4xf64>) -> tensor<2x4xf64> {
  %0 = strata.inner_product %x, %w, %b : (tensor<2x3xf64>, tensor<4x3xf64>, tensor<4xf64>) -> tensor<2x4xf64>
  return %0 : tensor<2x4xf64>
})",
      {randomTensor(DType::f64, {2, 3}), randomTensor(DType::f64, {4, 3}),
       randomTensor(DType::f64, {4})});
  check(
      R"(func.func @f(%x: tensor<2x3xf64>, %w: tensor<3x4xf64>) -> tensor<2x4xf64> {
  %0 = strata.inner_product %x, %w {transpose = true} : (tensor<2x3xf64>, tensor<3x4xf64>) -> tensor<2x4xf64>
  return %0 : tensor<2x4xf64>
})",
      {randomTensor(DType::f64, {2, 3}), randomTensor(DType::f64, {3, 4})});
  check(
      R"(func.func @f(%a: tensor<3x2xf64>, %b: tensor<4x3xf64>, %c: tensor<4xf64>) -> tensor<2x4xf64> {
  %0 = strata.gemm %a, %b, %c {alpha = 0.5, beta = 2.0, trans_a = true, trans_b = true} : (tensor<3x2xf64>, tensor<4x3xf64>, tensor<4xf64>) -> tensor<2x4xf64>
  return %0 : tensor<2x4xf64>
})",
      {randomTensor(DType::f64, {3, 2}), randomTensor(DType::f64, {4, 3}),
       randomTensor(DType::f64, {4})});
}

TEST_F(NetworkGradient, Reductions) {
  Tensor x = randomTensor(DType::f64, {2, 3, 4});
  const std::string in = "tensor<2x3x4xf64>";
  for (const char *op : {"strata.reduce_sum", "strata.reduce_mean",
                         "strata.reduce_sum_square"}) {
    check(unary(op, in, "tensor<2x1x4xf64>", "{axes = array<i64: 1>}"), {x});
    check(unary(op, in, "tensor<3xf64>",
                "{axes = array<i64: 0, -1>, keepdims = false}"),
          {x});
    check(unary(op, in, "tensor<f64>", "{keepdims = false}"), {x});
  }
}

TEST_F(NetworkGradient, ShapeOps) {
  Tensor x = randomTensor(DType::f64, {2, 3, 4});
  const std::string in = "tensor<2x3x4xf64>";
  check(unary("strata.reshape", in, "tensor<6x4xf64>",
              "{shape = array<i64: 6, 4>}"),
        {x});
  check(unary("strata.transpose", in, "tensor<4x2x3xf64>",
              "{perm = array<i64: 2, 0, 1>}"),
        {x});
  check(unary("strata.transpose", in, "tensor<4x3x2xf64>"), {x});
  check(unary("strata.broadcast_to", "tensor<3x1xf64>", "tensor<2x3x4xf64>",
              "{shape = array<i64: 2, 3, 4>}"),
        {randomTensor(DType::f64, {3, 1})});
  check(unary("strata.cast", "tensor<2x3x4xf64>", "tensor<2x3x4xf32>"), {x},
        {/*tol=*/1e-3, /*h=*/1e-3});
}

TEST_F(NetworkGradient, Losses) {
  // Labels are not differentiated (integer arguments).
  check(R"(func.func @f(%x: tensor<4x5xf64>, %l: tensor<4xi32>) -> tensor<f64> {
  %0 = strata.softmax_cross_entropy %x, %l {scale = 0.5} : (tensor<4x5xf64>, tensor<4xi32>) -> tensor<f64>
  return %0 : tensor<f64>
})",
        {randomTensor(DType::f64, {4, 5}, -2, 2),
         Tensor::fromInts(DType::i32, {4}, {0, 4, 2, 2})});
  check(
      R"(func.func @f(%a: tensor<3x2x2xf64>, %b: tensor<3x2x2xf64>) -> tensor<f64> {
  %0 = strata.euclidean_loss %a, %b : (tensor<3x2x2xf64>, tensor<3x2x2xf64>) -> tensor<f64>
  return %0 : tensor<f64>
})",
      {randomTensor(DType::f64, {3, 2, 2}),
       randomTensor(DType::f64, {3, 2, 2})});
}

TEST_F(NetworkGradient, TwoLayerPerceptron) {
  // An MLP's forward pass and loss, differentiated end to end.
  check(
      R"(func.func @f(%x: tensor<4x6xf64>, %w1: tensor<5x6xf64>, %b1: tensor<5xf64>, %w2: tensor<3x5xf64>, %b2: tensor<3xf64>, %l: tensor<4xi64>) -> tensor<f64> {
  %0 = strata.inner_product %x, %w1, %b1 : (tensor<4x6xf64>, tensor<5x6xf64>, tensor<5xf64>) -> tensor<4x5xf64>
  %1 = strata.tanh %0 : (tensor<4x5xf64>) -> tensor<4x5xf64>
  %2 = strata.inner_product %1, %w2, %b2 : (tensor<4x5xf64>, tensor<3x5xf64>, tensor<3xf64>) -> tensor<4x3xf64>
  %3 = strata.softmax_cross_entropy %2, %l : (tensor<4x3xf64>, tensor<4xi64>) -> tensor<f64>
  return %3 : tensor<f64>
})",
      {randomTensor(DType::f64, {4, 6}), randomTensor(DType::f64, {5, 6}),
       randomTensor(DType::f64, {5}), randomTensor(DType::f64, {3, 5}),
       randomTensor(DType::f64, {3}),
       Tensor::fromInts(DType::i64, {4}, {0, 2, 1, 2})});
}

} // namespace
