// RUN: strata-opt %s | strata-opt | FileCheck %s
// Round trip of every reduction op, with default and explicit attributes.

// Defaults (all axes, keepdims) are elided when printed.
// CHECK-LABEL: func @reduce_all
func.func @reduce_all(%a: tensor<?x4xf32>, %i: tensor<2x3xi32>) {
  // CHECK: strata.reduce_sum %{{.*}} : (tensor<?x4xf32>) -> tensor<1x1xf32>
  %0 = strata.reduce_sum %a : (tensor<?x4xf32>) -> tensor<1x1xf32>
  // CHECK: strata.reduce_mean %{{.*}} : (tensor<?x4xf32>) -> tensor<1x1xf32>
  %1 = strata.reduce_mean %a {axes = array<i64>, keepdims = true, noop_with_empty_axes = false} : (tensor<?x4xf32>) -> tensor<1x1xf32>
  // CHECK: strata.reduce_max %{{.*}} : (tensor<2x3xi32>) -> tensor<1x1xi32>
  %2 = strata.reduce_max %i : (tensor<2x3xi32>) -> tensor<1x1xi32>
  // CHECK: strata.reduce_min %{{.*}} : (tensor<2x3xi32>) -> tensor<1x1xi32>
  %3 = strata.reduce_min %i : (tensor<2x3xi32>) -> tensor<1x1xi32>
  // CHECK: strata.reduce_prod %{{.*}} : (tensor<?x4xf32>) -> tensor<1x1xf32>
  %4 = strata.reduce_prod %a : (tensor<?x4xf32>) -> tensor<1x1xf32>
  // CHECK: strata.reduce_l1 %{{.*}} : (tensor<2x3xi32>) -> tensor<1x1xi32>
  %5 = strata.reduce_l1 %i : (tensor<2x3xi32>) -> tensor<1x1xi32>
  // CHECK: strata.reduce_l2 %{{.*}} : (tensor<?x4xf32>) -> tensor<1x1xf32>
  %6 = strata.reduce_l2 %a : (tensor<?x4xf32>) -> tensor<1x1xf32>
  // CHECK: strata.reduce_log_sum %{{.*}} : (tensor<?x4xf32>) -> tensor<1x1xf32>
  %7 = strata.reduce_log_sum %a : (tensor<?x4xf32>) -> tensor<1x1xf32>
  // CHECK: strata.reduce_log_sum_exp %{{.*}} : (tensor<?x4xf32>) -> tensor<1x1xf32>
  %8 = strata.reduce_log_sum_exp %a : (tensor<?x4xf32>) -> tensor<1x1xf32>
  // CHECK: strata.reduce_sum_square %{{.*}} : (tensor<2x3xi32>) -> tensor<1x1xi32>
  %9 = strata.reduce_sum_square %i : (tensor<2x3xi32>) -> tensor<1x1xi32>
  return
}

// CHECK-LABEL: func @reduce_axes
func.func @reduce_axes(%a: tensor<?x4x5xf64>) {
  // CHECK: strata.reduce_sum %{{.*}} {axes = array<i64: 1>} : (tensor<?x4x5xf64>) -> tensor<?x1x5xf64>
  %0 = strata.reduce_sum %a {axes = array<i64: 1>} : (tensor<?x4x5xf64>) -> tensor<?x1x5xf64>
  // CHECK: strata.reduce_mean %{{.*}} {axes = array<i64: -1, 1>, keepdims = false} : (tensor<?x4x5xf64>) -> tensor<?xf64>
  %1 = strata.reduce_mean %a {axes = array<i64: -1, 1>, keepdims = false} : (tensor<?x4x5xf64>) -> tensor<?xf64>
  // CHECK: strata.reduce_max %{{.*}} {axes = array<i64: 0>} : (tensor<?x4x5xf64>) -> tensor<1x4x5xf64>
  %2 = strata.reduce_max %a {axes = array<i64: 0>} : (tensor<?x4x5xf64>) -> tensor<1x4x5xf64>
  // CHECK: strata.reduce_min %{{.*}} {keepdims = false} : (tensor<?x4x5xf64>) -> tensor<f64>
  %3 = strata.reduce_min %a {keepdims = false} : (tensor<?x4x5xf64>) -> tensor<f64>
  // CHECK: strata.reduce_prod %{{.*}} {noop_with_empty_axes = true} : (tensor<?x4x5xf64>) -> tensor<?x4x5xf64>
  %4 = strata.reduce_prod %a {noop_with_empty_axes = true} : (tensor<?x4x5xf64>) -> tensor<?x4x5xf64>
  // CHECK: strata.reduce_l1 %{{.*}} {axes = array<i64: 2>, noop_with_empty_axes = true} : (tensor<?x4x5xf64>) -> tensor<?x4x1xf64>
  %5 = strata.reduce_l1 %a {axes = array<i64: 2>, noop_with_empty_axes = true} : (tensor<?x4x5xf64>) -> tensor<?x4x1xf64>
  // CHECK: strata.reduce_l2 %{{.*}} {axes = array<i64: 1, 2>, keepdims = false} : (tensor<?x4x5xf64>) -> tensor<?xf64>
  %6 = strata.reduce_l2 %a {axes = array<i64: 1, 2>, keepdims = false} : (tensor<?x4x5xf64>) -> tensor<?xf64>
  // CHECK: strata.reduce_log_sum %{{.*}} {axes = array<i64: -2>} : (tensor<?x4x5xf64>) -> tensor<?x1x5xf64>
  %7 = strata.reduce_log_sum %a {axes = array<i64: -2>} : (tensor<?x4x5xf64>) -> tensor<?x1x5xf64>
  // CHECK: strata.reduce_log_sum_exp %{{.*}} {axes = array<i64: 2>} : (tensor<?x4x5xf64>) -> tensor<?x4x1xf64>
  %8 = strata.reduce_log_sum_exp %a {axes = array<i64: 2>} : (tensor<?x4x5xf64>) -> tensor<?x4x1xf64>
  // CHECK: strata.reduce_sum_square %{{.*}} {axes = array<i64: 0, 2>, keepdims = false} : (tensor<?x4x5xf64>) -> tensor<4xf64>
  %9 = strata.reduce_sum_square %a {axes = array<i64: 0, 2>, keepdims = false} : (tensor<?x4x5xf64>) -> tensor<4xf64>
  return
}

// CHECK-LABEL: func @arg_reduce
func.func @arg_reduce(%a: tensor<?x4xf32>, %i: tensor<2x3xi8>) {
  // CHECK: strata.argmax %{{.*}} : (tensor<?x4xf32>) -> tensor<1x4xi64>
  %0 = strata.argmax %a : (tensor<?x4xf32>) -> tensor<1x4xi64>
  // CHECK: strata.argmax %{{.*}} {axis = -1 : i64, keepdims = false, select_last_index = true} : (tensor<?x4xf32>) -> tensor<?xi64>
  %1 = strata.argmax %a {axis = -1, keepdims = false, select_last_index = true} : (tensor<?x4xf32>) -> tensor<?xi64>
  // CHECK: strata.argmin %{{.*}} : (tensor<2x3xi8>) -> tensor<1x3xi64>
  %2 = strata.argmin %i {axis = 0, keepdims = true, select_last_index = false} : (tensor<2x3xi8>) -> tensor<1x3xi64>
  // CHECK: strata.argmin %{{.*}} {axis = 1 : i64, select_last_index = true} : (tensor<2x3xi8>) -> tensor<2x1xi64>
  %3 = strata.argmin %i {axis = 1, select_last_index = true} : (tensor<2x3xi8>) -> tensor<2x1xi64>
  return
}

// CHECK-LABEL: func @cumsum
func.func @cumsum(%a: tensor<?x4xf32>, %i: tensor<5xi64>) {
  // CHECK: strata.cumsum %{{.*}} {axis = 1 : i64} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %0 = strata.cumsum %a {axis = 1} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  // CHECK: strata.cumsum %{{.*}} {axis = 0 : i64, exclusive = true} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %1 = strata.cumsum %a {axis = 0, exclusive = true, reverse = false} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  // CHECK: strata.cumsum %{{.*}} {axis = -1 : i64, exclusive = true, reverse = true} : (tensor<5xi64>) -> tensor<5xi64>
  %2 = strata.cumsum %i {axis = -1, exclusive = true, reverse = true} : (tensor<5xi64>) -> tensor<5xi64>
  // CHECK: strata.cumsum %{{.*}} {axis = 0 : i64, reverse = true} : (tensor<5xi64>) -> tensor<5xi64>
  %3 = strata.cumsum %i {axis = 0, reverse = true} : (tensor<5xi64>) -> tensor<5xi64>
  return
}

// CHECK-LABEL: func @cumprod
func.func @cumprod(%a: tensor<?x4xf32>, %i: tensor<5xi32>) {
  // CHECK: strata.cumprod %{{.*}} {axis = 1 : i64} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %0 = strata.cumprod %a {axis = 1} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  // CHECK: strata.cumprod %{{.*}} {axis = 0 : i64, exclusive = true} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %1 = strata.cumprod %a {axis = 0, exclusive = true, reverse = false} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  // CHECK: strata.cumprod %{{.*}} {axis = -1 : i64, exclusive = true, reverse = true} : (tensor<5xi32>) -> tensor<5xi32>
  %2 = strata.cumprod %i {axis = -1, exclusive = true, reverse = true} : (tensor<5xi32>) -> tensor<5xi32>
  // CHECK: strata.cumprod %{{.*}} {axis = 0 : i64, reverse = true} : (tensor<5xi32>) -> tensor<5xi32>
  %3 = strata.cumprod %i {axis = 0, reverse = true} : (tensor<5xi32>) -> tensor<5xi32>
  return
}
