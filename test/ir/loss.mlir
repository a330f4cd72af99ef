// RUN: strata-opt %s | strata-opt | FileCheck %s
// Round trip of every loss, metric and ordering op.

// CHECK-LABEL: func @losses
func.func @losses(%logits: tensor<?x10xf32>, %labels: tensor<?xi32>, %a: tensor<?x3x4xf64>, %b: tensor<2x3x4xf64>) {
  // CHECK: strata.softmax_cross_entropy %{{.*}}, %{{.*}} : (tensor<?x10xf32>, tensor<?xi32>) -> tensor<f32>
  %0 = strata.softmax_cross_entropy %logits, %labels : (tensor<?x10xf32>, tensor<?xi32>) -> tensor<f32>
  // CHECK: strata.softmax_cross_entropy %{{.*}}, %{{.*}} {scale = 5.000000e-01 : f64}
  %1 = strata.softmax_cross_entropy %logits, %labels {scale = 0.5} : (tensor<?x10xf32>, tensor<?xi32>) -> tensor<f32>
  // CHECK: strata.euclidean_loss %{{.*}}, %{{.*}} : (tensor<?x3x4xf64>, tensor<2x3x4xf64>) -> tensor<f64>
  %2 = strata.euclidean_loss %a, %b : (tensor<?x3x4xf64>, tensor<2x3x4xf64>) -> tensor<f64>
  // CHECK: strata.accuracy %{{.*}}, %{{.*}} : (tensor<?x10xf32>, tensor<?xi32>) -> tensor<f32>
  %3 = strata.accuracy %logits, %labels : (tensor<?x10xf32>, tensor<?xi32>) -> tensor<f32>
  // CHECK: strata.accuracy %{{.*}}, %{{.*}} {top_k = 5 : i64}
  %4 = strata.accuracy %logits, %labels {top_k = 5} : (tensor<?x10xf32>, tensor<?xi32>) -> tensor<f32>
  return
}

// CHECK-LABEL: func @orderings
func.func @orderings(%x: tensor<?x6xf32>, %i: tensor<4x?xi32>) {
  // CHECK: strata.top_k %{{.*}} {k = 3 : i64} : (tensor<?x6xf32>) -> (tensor<?x3xf32>, tensor<?x3xi64>)
  %v, %idx = strata.top_k %x {k = 3} : (tensor<?x6xf32>) -> (tensor<?x3xf32>, tensor<?x3xi64>)
  // CHECK: strata.top_k %{{.*}} {axis = 0 : i64, k = 2 : i64, largest = false, sorted = false} : (tensor<4x?xi32>) -> (tensor<2x?xi32>, tensor<2x?xi64>)
  %v2, %idx2 = strata.top_k %i {k = 2, axis = 0, largest = false, sorted = false} : (tensor<4x?xi32>) -> (tensor<2x?xi32>, tensor<2x?xi64>)
  // CHECK: strata.argsort %{{.*}} : (tensor<?x6xf32>) -> tensor<?x6xi64>
  %s = strata.argsort %x : (tensor<?x6xf32>) -> tensor<?x6xi64>
  // CHECK: strata.argsort %{{.*}} {axis = -2 : i64, descending = true} : (tensor<4x?xi32>) -> tensor<4x?xi64>
  %s2 = strata.argsort %i {axis = -2, descending = true} : (tensor<4x?xi32>) -> tensor<4x?xi64>
  return
}
