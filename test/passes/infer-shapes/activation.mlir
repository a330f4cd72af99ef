// RUN: strata-opt %s --strata-infer-shapes | FileCheck %s

// Every activation keeps its input's shape; a dynamic batch stays dynamic.
// CHECK-LABEL: func @refine
func.func @refine(%a: tensor<?x4xf32>, %b: tensor<2x3xf32>, %c: tensor<1x3xf32>) {
  // CHECK: strata.relu {{.*}} -> tensor<?x4xf32>
  %0 = strata.relu %a : (tensor<?x4xf32>) -> tensor<?x?xf32>
  // CHECK: strata.leaky_relu {{.*}} -> tensor<2x3xf32>
  %1 = strata.leaky_relu %b {alpha = 0.1} : (tensor<2x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.sigmoid {{.*}} -> tensor<2x3xf32>
  %2 = strata.sigmoid %b : (tensor<2x3xf32>) -> tensor<?x3xf32>
  // CHECK: strata.tanh {{.*}} -> tensor<2x3xf32>
  %3 = strata.tanh %b : (tensor<2x3xf32>) -> tensor<2x?xf32>
  // CHECK: strata.stanh {{.*}} -> tensor<?x4xf32>
  %4 = strata.stanh %a : (tensor<?x4xf32>) -> tensor<?x?xf32>
  // CHECK: strata.softmax {{.*}} -> tensor<?x4xf32>
  %5 = strata.softmax %a : (tensor<?x4xf32>) -> tensor<?x?xf32>
  // CHECK: strata.log_softmax {{.*}} -> tensor<2x3xf32>
  %6 = strata.log_softmax %b {axis = 0} : (tensor<2x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.gelu {{.*}} -> tensor<2x3xf32>
  %7 = strata.gelu %b {approximate = "tanh"} : (tensor<2x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.elu {{.*}} -> tensor<2x3xf32>
  %8 = strata.elu %b : (tensor<2x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.selu {{.*}} -> tensor<2x3xf32>
  %9 = strata.selu %b : (tensor<2x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.celu {{.*}} -> tensor<2x3xf32>
  %10 = strata.celu %b : (tensor<2x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.softplus {{.*}} -> tensor<2x3xf32>
  %11 = strata.softplus %b : (tensor<2x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.softsign {{.*}} -> tensor<2x3xf32>
  %12 = strata.softsign %b : (tensor<2x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.hard_sigmoid {{.*}} -> tensor<2x3xf32>
  %13 = strata.hard_sigmoid %b : (tensor<2x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.hard_swish {{.*}} -> tensor<2x3xf32>
  %14 = strata.hard_swish %b : (tensor<2x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.thresholded_relu {{.*}} -> tensor<2x3xf32>
  %15 = strata.thresholded_relu %b : (tensor<2x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.mish {{.*}} -> tensor<2x3xf32>
  %16 = strata.mish %b : (tensor<2x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.shrink {{.*}} -> tensor<2x3xf32>
  %17 = strata.shrink %b : (tensor<2x3xf32>) -> tensor<?x?xf32>
  // The result is the input's type, whatever the slope's shape.
  // CHECK: strata.prelu {{.*}} -> tensor<2x3xf32>
  %18 = strata.prelu %b, %c : (tensor<2x3xf32>, tensor<1x3xf32>) -> tensor<?x?xf32>
  return
}

// Refinement flows into users and into the function's results.
// CHECK-LABEL: func @chain
// CHECK-SAME: -> (tensor<?x4xf32>, tensor<?x4xf32>)
func.func @chain(%a: tensor<?x4xf32>, %s: tensor<4xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>) {
  // CHECK: strata.prelu {{.*}} : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %0 = strata.prelu %a, %s : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x?xf32>
  // CHECK: strata.softmax {{.*}} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %1 = strata.softmax %0 : (tensor<?x?xf32>) -> tensor<?x?xf32>
  return %0, %1 : tensor<?x?xf32>, tensor<?x?xf32>
}
