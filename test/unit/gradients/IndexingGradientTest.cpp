//===- IndexingGradientTest.cpp - Gradient checks: indexing ops -----------===//
//
// Central differences in f64 (GradientChecking.h) for gathers (repeated and
// negative indices: the scatter-add accumulates), scatters (data and
// updates, reductions none and add, indices without repeats) and one_hot's
// values. Integer indices are not differentiated.
//
//===----------------------------------------------------------------------===//

#include "gradients/GradientChecking.h"

using namespace strata::testing;

namespace {

class IndexingGradient : public GradientCheckTest {};

TEST_F(IndexingGradient, Gather) {
  check(
      R"(func.func @f(%d: tensor<4x3xf64>, %i: tensor<5xi64>) -> tensor<5x3xf64> {
  %0 = strata.gather %d, %i : (tensor<4x3xf64>, tensor<5xi64>) -> tensor<5x3xf64>
  return %0 : tensor<5x3xf64>
})",
      {randomTensor(DType::f64, {4, 3}),
       Tensor::fromInts(DType::i64, {5}, {0, 3, -1, 1, 0})});
  check(
      R"(func.func @f(%d: tensor<2x4x3xf64>, %i: tensor<2x2xi32>) -> tensor<2x2x2x3xf64> {
  %0 = strata.gather %d, %i {axis = 1 : i64} : (tensor<2x4x3xf64>, tensor<2x2xi32>) -> tensor<2x2x2x3xf64>
  return %0 : tensor<2x2x2x3xf64>
})",
      {randomTensor(DType::f64, {2, 4, 3}),
       Tensor::fromInts(DType::i32, {2, 2}, {3, 1, 1, -4})});
  check(R"(func.func @f(%d: tensor<2x3xf64>, %i: tensor<i64>) -> tensor<2xf64> {
  %0 = strata.gather %d, %i {axis = -1 : i64} : (tensor<2x3xf64>, tensor<i64>) -> tensor<2xf64>
  return %0 : tensor<2xf64>
})",
        {randomTensor(DType::f64, {2, 3}),
         Tensor::fromInts(DType::i64, {}, {2})});
}

TEST_F(IndexingGradient, Embedding) {
  check(
      R"(func.func @f(%t: tensor<5x3xf64>, %i: tensor<2x3xi64>) -> tensor<2x3x3xf64> {
  %0 = strata.embedding %t, %i : (tensor<5x3xf64>, tensor<2x3xi64>) -> tensor<2x3x3xf64>
  return %0 : tensor<2x3x3xf64>
})",
      {randomTensor(DType::f64, {5, 3}),
       Tensor::fromInts(DType::i64, {2, 3}, {4, 0, 4, 2, 2, 1})});
}

TEST_F(IndexingGradient, GatherElements) {
  check(
      R"(func.func @f(%d: tensor<3x4xf64>, %i: tensor<3x5xi64>) -> tensor<3x5xf64> {
  %0 = strata.gather_elements %d, %i {axis = 1 : i64} : (tensor<3x4xf64>, tensor<3x5xi64>) -> tensor<3x5xf64>
  return %0 : tensor<3x5xf64>
})",
      {randomTensor(DType::f64, {3, 4}),
       Tensor::fromInts(DType::i64, {3, 5},
                        {0, 1, 1, 3, -1, 2, 2, 0, 1, 3, 3, 3, 3, 0, -4})});
  check(
      R"(func.func @f(%d: tensor<3x2xf64>, %i: tensor<2x2xi32>) -> tensor<2x2xf64> {
  %0 = strata.gather_elements %d, %i : (tensor<3x2xf64>, tensor<2x2xi32>) -> tensor<2x2xf64>
  return %0 : tensor<2x2xf64>
})",
      {randomTensor(DType::f64, {3, 2}),
       Tensor::fromInts(DType::i32, {2, 2}, {2, 0, 2, -3})});
}

TEST_F(IndexingGradient, GatherND) {
  check(
      R"(func.func @f(%d: tensor<3x4xf64>, %i: tensor<4x2xi64>) -> tensor<4xf64> {
  %0 = strata.gather_nd %d, %i : (tensor<3x4xf64>, tensor<4x2xi64>) -> tensor<4xf64>
  return %0 : tensor<4xf64>
})",
      {randomTensor(DType::f64, {3, 4}),
       Tensor::fromInts(DType::i64, {4, 2}, {0, 1, 2, 3, 0, 1, -1, 0})});
  check(
      R"(func.func @f(%d: tensor<3x2x2xf64>, %i: tensor<2x2x1xi64>) -> tensor<2x2x2x2xf64> {
  %0 = strata.gather_nd %d, %i : (tensor<3x2x2xf64>, tensor<2x2x1xi64>) -> tensor<2x2x2x2xf64>
  return %0 : tensor<2x2x2x2xf64>
})",
      {randomTensor(DType::f64, {3, 2, 2}),
       Tensor::fromInts(DType::i64, {2, 2, 1}, {2, 0, 2, 1})});
}

TEST_F(IndexingGradient, ScatterElements) {
  for (const char *reduction : {"none", "add"})
    check(
        std::string(
            R"(func.func @f(%d: tensor<3x4xf64>, %i: tensor<2x3xi64>, %u: tensor<2x3xf64>) -> tensor<3x4xf64> {
  %0 = strata.scatter_elements %d, %i, %u {axis = 1 : i64, reduction = ")") +
            reduction +
            R"("} : (tensor<3x4xf64>, tensor<2x3xi64>, tensor<2x3xf64>) -> tensor<3x4xf64>
  return %0 : tensor<3x4xf64>
})",
        {randomTensor(DType::f64, {3, 4}),
         Tensor::fromInts(DType::i64, {2, 3}, {3, 0, -3, 2, 1, 0}),
         randomTensor(DType::f64, {2, 3})});
  check(
      R"(func.func @f(%d: tensor<4x2xf64>, %i: tensor<2x2xi32>, %u: tensor<2x2xf64>) -> tensor<4x2xf64> {
  %0 = strata.scatter_elements %d, %i, %u : (tensor<4x2xf64>, tensor<2x2xi32>, tensor<2x2xf64>) -> tensor<4x2xf64>
  return %0 : tensor<4x2xf64>
})",
      {randomTensor(DType::f64, {4, 2}),
       Tensor::fromInts(DType::i32, {2, 2}, {3, 0, 1, -1}),
       randomTensor(DType::f64, {2, 2})});
  // "add" with repeated indices.
  check(
      R"(func.func @f(%d: tensor<4xf64>, %i: tensor<3xi64>, %u: tensor<3xf64>) -> tensor<4xf64> {
  %0 = strata.scatter_elements %d, %i, %u {reduction = "add"} : (tensor<4xf64>, tensor<3xi64>, tensor<3xf64>) -> tensor<4xf64>
  return %0 : tensor<4xf64>
})",
      {randomTensor(DType::f64, {4}),
       Tensor::fromInts(DType::i64, {3}, {1, 1, 2}),
       randomTensor(DType::f64, {3})});
}

TEST_F(IndexingGradient, ScatterND) {
  for (const char *reduction : {"none", "add"}) {
    check(
        std::string(
            R"(func.func @f(%d: tensor<3x4xf64>, %i: tensor<3x2xi64>, %u: tensor<3xf64>) -> tensor<3x4xf64> {
  %0 = strata.scatter_nd %d, %i, %u {reduction = ")") +
            reduction +
            R"("} : (tensor<3x4xf64>, tensor<3x2xi64>, tensor<3xf64>) -> tensor<3x4xf64>
  return %0 : tensor<3x4xf64>
})",
        {randomTensor(DType::f64, {3, 4}),
         Tensor::fromInts(DType::i64, {3, 2}, {0, 1, 2, -1, 1, 1}),
         randomTensor(DType::f64, {3})});
    check(
        std::string(
            R"(func.func @f(%d: tensor<4x2x3xf64>, %i: tensor<2x1xi64>, %u: tensor<2x2x3xf64>) -> tensor<4x2x3xf64> {
  %0 = strata.scatter_nd %d, %i, %u {reduction = ")") +
            reduction +
            R"("} : (tensor<4x2x3xf64>, tensor<2x1xi64>, tensor<2x2x3xf64>) -> tensor<4x2x3xf64>
  return %0 : tensor<4x2x3xf64>
})",
        {randomTensor(DType::f64, {4, 2, 3}),
         Tensor::fromInts(DType::i64, {2, 1}, {3, 0}),
         randomTensor(DType::f64, {2, 2, 3})});
  }
}

TEST_F(IndexingGradient, OneHotValues) {
  check(
      R"(func.func @f(%i: tensor<4xi64>, %v: tensor<2xf64>) -> tensor<4x5xf64> {
  %0 = strata.one_hot %i, %v {depth = 5 : i64} : (tensor<4xi64>, tensor<2xf64>) -> tensor<4x5xf64>
  return %0 : tensor<4x5xf64>
})",
      {Tensor::fromInts(DType::i64, {4}, {0, 4, -1, 2}),
       randomTensor(DType::f64, {2})});
  check(
      R"(func.func @f(%i: tensor<2x3xi32>, %v: tensor<2xf64>) -> tensor<2x4x3xf64> {
  %0 = strata.one_hot %i, %v {depth = 4 : i64, axis = 1 : i64, drop_out_of_range = true} : (tensor<2x3xi32>, tensor<2xf64>) -> tensor<2x4x3xf64>
  return %0 : tensor<2x4x3xf64>
})",
      {Tensor::fromInts(DType::i32, {2, 3}, {0, 3, 7, 1, 1, 2}),
       randomTensor(DType::f64, {2})});
}

} // namespace
