// RUN: strata-opt %s --strata-infer-shapes | FileCheck %s

// Reduced dimensions become 1 (keepdims) or vanish; the others, a dynamic
// batch included, are kept as they are.
// CHECK-LABEL: func @reduce
func.func @reduce(%a: tensor<?x4x5xf32>, %i: tensor<2x3xi32>) {
  // CHECK: strata.reduce_sum {{.*}} -> tensor<?x1x5xf32>
  %0 = strata.reduce_sum %a {axes = array<i64: 1>} : (tensor<?x4x5xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.reduce_mean {{.*}} -> tensor<?xf32>
  %1 = strata.reduce_mean %a {axes = array<i64: 1, -1>, keepdims = false} : (tensor<?x4x5xf32>) -> tensor<?xf32>
  // The reduced batch dimension becomes a static 1.
  // CHECK: strata.reduce_max {{.*}} -> tensor<1x4x5xf32>
  %2 = strata.reduce_max %a {axes = array<i64: 0>} : (tensor<?x4x5xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.reduce_min {{.*}} -> tensor<1x1xi32>
  %3 = strata.reduce_min %i : (tensor<2x3xi32>) -> tensor<?x?xi32>
  // CHECK: strata.reduce_prod {{.*}} -> tensor<?x4x5xf32>
  %4 = strata.reduce_prod %a {noop_with_empty_axes = true} : (tensor<?x4x5xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.reduce_l1 {{.*}} -> tensor<i32>
  %5 = strata.reduce_l1 %i {keepdims = false} : (tensor<2x3xi32>) -> tensor<i32>
  // CHECK: strata.reduce_l2 {{.*}} -> tensor<?x4xf32>
  %6 = strata.reduce_l2 %a {axes = array<i64: 2>, keepdims = false} : (tensor<?x4x5xf32>) -> tensor<?x?xf32>
  // CHECK: strata.reduce_log_sum {{.*}} -> tensor<4xf32>
  %7 = strata.reduce_log_sum %a {axes = array<i64: 0, 2>, keepdims = false} : (tensor<?x4x5xf32>) -> tensor<?xf32>
  // CHECK: strata.reduce_log_sum_exp {{.*}} -> tensor<?x4x1xf32>
  %8 = strata.reduce_log_sum_exp %a {axes = array<i64: -1>} : (tensor<?x4x5xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.reduce_sum_square {{.*}} -> tensor<2x1xi32>
  %9 = strata.reduce_sum_square %i {axes = array<i64: 1>} : (tensor<2x3xi32>) -> tensor<?x?xi32>
  return
}

// CHECK-LABEL: func @arg_and_cumsum
// CHECK-SAME: -> (tensor<?xi64>, tensor<?x1x5xi64>, tensor<?x4x5xf32>)
func.func @arg_and_cumsum(%a: tensor<?x4x5xf32>, %i: tensor<2x3xi32>)
    -> (tensor<?xi64>, tensor<?x?x?xi64>, tensor<?x?x?xf32>) {
  // CHECK: strata.argmax {{.*}} -> tensor<?x5xi64>
  %0 = strata.argmax %a {axis = 1, keepdims = false} : (tensor<?x4x5xf32>) -> tensor<?x?xi64>
  // CHECK: strata.reduce_max {{.*}} : (tensor<?x5xi64>) -> tensor<?xi64>
  %r = strata.reduce_max %0 {axes = array<i64: 1>, keepdims = false} : (tensor<?x?xi64>) -> tensor<?xi64>
  // CHECK: strata.argmin {{.*}} -> tensor<?x1x5xi64>
  %1 = strata.argmin %a {axis = -2} : (tensor<?x4x5xf32>) -> tensor<?x?x?xi64>
  // CHECK: strata.argmin {{.*}} -> tensor<3xi64>
  %2 = strata.argmin %i {keepdims = false} : (tensor<2x3xi32>) -> tensor<?xi64>
  // CHECK: strata.cumsum {{.*}} -> tensor<?x4x5xf32>
  %3 = strata.cumsum %a {axis = 1} : (tensor<?x4x5xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.cumsum {{.*}} -> tensor<2x3xi32>
  %4 = strata.cumsum %i {axis = 0, exclusive = true, reverse = true} : (tensor<2x3xi32>) -> tensor<?x?xi32>
  return %r, %1, %3 : tensor<?xi64>, tensor<?x?x?xi64>, tensor<?x?x?xf32>
}

// CHECK-LABEL: func @cumprod
// CHECK-SAME: -> (tensor<?x4x5xf32>, tensor<2x3xi32>)
func.func @cumprod(%a: tensor<?x4x5xf32>, %i: tensor<2x3xi32>)
    -> (tensor<?x?x?xf32>, tensor<?x?xi32>) {
  // CHECK: strata.cumprod {{.*}} -> tensor<?x4x5xf32>
  %0 = strata.cumprod %a {axis = 1} : (tensor<?x4x5xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.cumprod {{.*}} -> tensor<2x3xi32>
  %1 = strata.cumprod %i {axis = 0, exclusive = true, reverse = true} : (tensor<2x3xi32>) -> tensor<?x?xi32>
  return %0, %1 : tensor<?x?x?xf32>, tensor<?x?xi32>
}
