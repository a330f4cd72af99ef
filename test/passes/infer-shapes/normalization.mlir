// RUN: strata-opt %s --strata-infer-shapes | FileCheck %s

// CHECK-LABEL: func @batch_norm
// CHECK-SAME: -> (tensor<?x3x8x8xf32>, tensor<?x3x8x8xf32>, tensor<3xf32>, tensor<3xf32>, tensor<?x3xf32>)
func.func @batch_norm(%x: tensor<?x3x8x8xf32>, %p: tensor<3xf32>, %d: tensor<?x?xf32>)
    -> (tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?x?xf32>) {
  // A dynamic batch stays dynamic.
  // CHECK: strata.batch_norm {{.*}} -> tensor<?x3x8x8xf32>
  %0 = strata.batch_norm %x, %p, %p, %p, %p : (tensor<?x3x8x8xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<?x?x?x?xf32>
  // CHECK: strata.batch_norm_train {{.*}} -> (tensor<?x3x8x8xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
  %1:5 = strata.batch_norm_train %x, %p, %p, %p, %p : (tensor<?x3x8x8xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<?x?x?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xf32>)
  // A dynamic channel count is taken from the parameters.
  // CHECK: strata.batch_norm {{.*}} -> tensor<?x3xf32>
  %2 = strata.batch_norm %d, %p, %p, %p, %p : (tensor<?x?xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<?x?xf32>
  return %0, %1#0, %1#1, %1#4, %2 : tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?x?xf32>
}

// CHECK-LABEL: func @others
// CHECK-SAME: -> (tensor<?x5x6xf32>, tensor<2x4x8xf32>, tensor<?x4x8xf32>, tensor<?x10xf64>)
func.func @others(%x: tensor<?x5x6xf32>, %s: tensor<6xf32>, %y: tensor<2x4x8xf32>, %z: tensor<?x4x8xf32>, %p: tensor<4xf32>, %v: tensor<?x10xf64>)
    -> (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?xf64>) {
  // CHECK: strata.layer_norm {{.*}} -> tensor<?x5x6xf32>
  %0 = strata.layer_norm %x, %s, %s : (tensor<?x5x6xf32>, tensor<6xf32>, tensor<6xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.instance_norm {{.*}} -> tensor<2x4x8xf32>
  %1 = strata.instance_norm %y, %p, %p : (tensor<2x4x8xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.group_norm {{.*}} -> tensor<?x4x8xf32>
  %2 = strata.group_norm %z, %p, %p {num_groups = 2} : (tensor<?x4x8xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.lp_normalization {{.*}} -> tensor<?x10xf64>
  %3 = strata.lp_normalization %v {p = 1} : (tensor<?x10xf64>) -> tensor<?x?xf64>
  return %0, %1, %2, %3 : tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?xf64>
}
