// RUN: strata-opt %s | strata-opt | FileCheck %s
// Round trip of every normalization op and attribute form.

// CHECK-LABEL: func @batch_norm
func.func @batch_norm(%x: tensor<?x3x8x8xf32>, %p: tensor<3xf32>, %y: tensor<4x3xf16>, %h: tensor<3xf16>) {
  // CHECK: strata.batch_norm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<?x3x8x8xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<?x3x8x8xf32>
  %0 = strata.batch_norm %x, %p, %p, %p, %p : (tensor<?x3x8x8xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<?x3x8x8xf32>
  // CHECK: strata.batch_norm %{{.*}} {epsilon = 1.000000e-03 : f64} : (tensor<4x3xf16>
  %1 = strata.batch_norm %y, %h, %h, %h, %h {epsilon = 1.0e-3} : (tensor<4x3xf16>, tensor<3xf16>, tensor<3xf16>, tensor<3xf16>, tensor<3xf16>) -> tensor<4x3xf16>
  // CHECK: = strata.batch_norm_train %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<?x3x8x8xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<?x3x8x8xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
  %2:5 = strata.batch_norm_train %x, %p, %p, %p, %p : (tensor<?x3x8x8xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<?x3x8x8xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
  // CHECK: strata.batch_norm_train {{.*}} {epsilon = 1.000000e-03 : f64, momentum = 5.000000e-01 : f64}
  %3:5 = strata.batch_norm_train %x, %p, %p, %p, %p {epsilon = 1.0e-3, momentum = 0.5} : (tensor<?x3x8x8xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<?x3x8x8xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
  return
}

// CHECK-LABEL: func @layer_norm
func.func @layer_norm(%x: tensor<?x5x6xf32>, %s: tensor<6xf32>, %s2: tensor<5x6xf32>, %s1: tensor<1x6xf32>) {
  // CHECK: strata.layer_norm %{{.*}}, %{{.*}} : (tensor<?x5x6xf32>, tensor<6xf32>) -> tensor<?x5x6xf32>
  %0 = strata.layer_norm %x, %s : (tensor<?x5x6xf32>, tensor<6xf32>) -> tensor<?x5x6xf32>
  // CHECK: strata.layer_norm %{{.*}}, %{{.*}}, %{{.*}} {axis = -2 : i64, epsilon = 1.000000e-03 : f64} : (tensor<?x5x6xf32>, tensor<5x6xf32>, tensor<1x6xf32>) -> tensor<?x5x6xf32>
  %1 = strata.layer_norm %x, %s2, %s1 {axis = -2, epsilon = 1.0e-3} : (tensor<?x5x6xf32>, tensor<5x6xf32>, tensor<1x6xf32>) -> tensor<?x5x6xf32>
  // CHECK: strata.layer_norm %{{.*}}, %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<?x5x6xf32>, tensor<6xf32>, tensor<6xf32>) -> tensor<?x5x6xf32>
  %2 = strata.layer_norm %x, %s, %s {axis = 1} : (tensor<?x5x6xf32>, tensor<6xf32>, tensor<6xf32>) -> tensor<?x5x6xf32>
  return
}

// CHECK-LABEL: func @instance_group_lp
func.func @instance_group_lp(%x: tensor<?x4x8x8xf32>, %p: tensor<4xf32>, %v: tensor<?x10xf64>) {
  // CHECK: strata.instance_norm %{{.*}}, %{{.*}}, %{{.*}} : (tensor<?x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<?x4x8x8xf32>
  %0 = strata.instance_norm %x, %p, %p : (tensor<?x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<?x4x8x8xf32>
  // CHECK: strata.instance_norm %{{.*}} {epsilon = 1.000000e-03 : f64}
  %1 = strata.instance_norm %x, %p, %p {epsilon = 1.0e-3} : (tensor<?x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<?x4x8x8xf32>
  // CHECK: strata.group_norm %{{.*}}, %{{.*}}, %{{.*}} {num_groups = 2 : i64} : (tensor<?x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<?x4x8x8xf32>
  %2 = strata.group_norm %x, %p, %p {num_groups = 2} : (tensor<?x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<?x4x8x8xf32>
  // CHECK: strata.group_norm {{.*}} {epsilon = 1.000000e-03 : f64, num_groups = 4 : i64}
  %3 = strata.group_norm %x, %p, %p {num_groups = 4, epsilon = 1.0e-3} : (tensor<?x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<?x4x8x8xf32>
  // CHECK: strata.lp_normalization %{{.*}} : (tensor<?x10xf64>) -> tensor<?x10xf64>
  %4 = strata.lp_normalization %v : (tensor<?x10xf64>) -> tensor<?x10xf64>
  // CHECK: strata.lp_normalization %{{.*}} {axis = 0 : i64, p = 1 : i64} : (tensor<?x10xf64>) -> tensor<?x10xf64>
  %5 = strata.lp_normalization %v {axis = 0, p = 1} : (tensor<?x10xf64>) -> tensor<?x10xf64>
  return
}
