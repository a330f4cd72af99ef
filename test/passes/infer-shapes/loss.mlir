// RUN: strata-opt %s --strata-infer-shapes | FileCheck %s

// CHECK-LABEL: func @refine
// CHECK-SAME: -> (tensor<f32>, tensor<f64>, tensor<f32>, tensor<4x2xf32>, tensor<4x2xi64>, tensor<4x6xi64>)
func.func @refine(%l: tensor<4x6xf32>, %y: tensor<4xi32>, %a: tensor<2x3xf64>, %b: tensor<?x3xf64>)
    -> (tensor<f32>, tensor<f64>, tensor<f32>, tensor<?x?xf32>, tensor<?x?xi64>, tensor<?x?xi64>) {
  // Losses are rank 0 whatever the batch.
  // CHECK: strata.softmax_cross_entropy {{.*}} -> tensor<f32>
  %0 = strata.softmax_cross_entropy %l, %y : (tensor<4x6xf32>, tensor<4xi32>) -> tensor<f32>
  // CHECK: strata.euclidean_loss {{.*}} -> tensor<f64>
  %1 = strata.euclidean_loss %a, %b : (tensor<2x3xf64>, tensor<?x3xf64>) -> tensor<f64>
  // CHECK: strata.accuracy {{.*}} -> tensor<f32>
  %2 = strata.accuracy %l, %y {top_k = 2} : (tensor<4x6xf32>, tensor<4xi32>) -> tensor<f32>
  // CHECK: strata.top_k {{.*}} -> (tensor<4x2xf32>, tensor<4x2xi64>)
  %v, %i = strata.top_k %l {k = 2} : (tensor<4x6xf32>) -> (tensor<?x?xf32>, tensor<?x?xi64>)
  // CHECK: strata.argsort {{.*}} -> tensor<4x6xi64>
  %s = strata.argsort %l : (tensor<4x6xf32>) -> tensor<?x?xi64>
  return %0, %1, %2, %v, %i, %s : tensor<f32>, tensor<f64>, tensor<f32>, tensor<?x?xf32>, tensor<?x?xi64>, tensor<?x?xi64>
}

// A dynamic batch stays dynamic; k is the new axis size even on a `?` axis.
// CHECK-LABEL: func @dynamic_batch
// CHECK-SAME: -> (tensor<?x3xf32>, tensor<?x3xi64>, tensor<?x?xi64>)
func.func @dynamic_batch(%x: tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xi64>, tensor<?x?xi64>) {
  // CHECK: strata.top_k {{.*}} -> (tensor<?x3xf32>, tensor<?x3xi64>)
  %v, %i = strata.top_k %x {k = 3, largest = false} : (tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xi64>)
  // CHECK: strata.argsort {{.*}} -> tensor<?x?xi64>
  %s = strata.argsort %x {axis = 0} : (tensor<?x?xf32>) -> tensor<?x?xi64>
  return %v, %i, %s : tensor<?x?xf32>, tensor<?x?xi64>, tensor<?x?xi64>
}
