// RUN: strata-opt %s | strata-opt | FileCheck %s
// Round trip of every activation op, with default and explicit attributes.

// CHECK-LABEL: func @plain
func.func @plain(%a: tensor<?x4xf32>) {
  // CHECK: strata.relu %{{.*}} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %0 = strata.relu %a : (tensor<?x4xf32>) -> tensor<?x4xf32>
  // CHECK: strata.sigmoid %{{.*}} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %1 = strata.sigmoid %a : (tensor<?x4xf32>) -> tensor<?x4xf32>
  // CHECK: strata.tanh %{{.*}} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %2 = strata.tanh %a : (tensor<?x4xf32>) -> tensor<?x4xf32>
  // CHECK: strata.stanh %{{.*}} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %3 = strata.stanh %a : (tensor<?x4xf32>) -> tensor<?x4xf32>
  // CHECK: strata.softplus %{{.*}} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %4 = strata.softplus %a : (tensor<?x4xf32>) -> tensor<?x4xf32>
  // CHECK: strata.softsign %{{.*}} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %5 = strata.softsign %a : (tensor<?x4xf32>) -> tensor<?x4xf32>
  // CHECK: strata.hard_swish %{{.*}} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %6 = strata.hard_swish %a : (tensor<?x4xf32>) -> tensor<?x4xf32>
  // CHECK: strata.mish %{{.*}} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  %7 = strata.mish %a : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return
}

// Attributes equal to their defaults are elided when printed.
// CHECK-LABEL: func @defaults
func.func @defaults(%a: tensor<2x3xf64>) {
  // CHECK: strata.leaky_relu %{{.*}} : (tensor<2x3xf64>) -> tensor<2x3xf64>
  %0 = strata.leaky_relu %a : (tensor<2x3xf64>) -> tensor<2x3xf64>
  // CHECK: strata.softmax %{{.*}} : (tensor<2x3xf64>) -> tensor<2x3xf64>
  %1 = strata.softmax %a {axis = -1} : (tensor<2x3xf64>) -> tensor<2x3xf64>
  // CHECK: strata.log_softmax %{{.*}} : (tensor<2x3xf64>) -> tensor<2x3xf64>
  %2 = strata.log_softmax %a : (tensor<2x3xf64>) -> tensor<2x3xf64>
  // CHECK: strata.gelu %{{.*}} : (tensor<2x3xf64>) -> tensor<2x3xf64>
  %3 = strata.gelu %a {approximate = "none"} : (tensor<2x3xf64>) -> tensor<2x3xf64>
  // CHECK: strata.elu %{{.*}} : (tensor<2x3xf64>) -> tensor<2x3xf64>
  %4 = strata.elu %a : (tensor<2x3xf64>) -> tensor<2x3xf64>
  // CHECK: strata.selu %{{.*}} : (tensor<2x3xf64>) -> tensor<2x3xf64>
  %5 = strata.selu %a {alpha = 1.67326319217681884765625, gamma = 1.05070102214813232421875} : (tensor<2x3xf64>) -> tensor<2x3xf64>
  // CHECK: strata.celu %{{.*}} : (tensor<2x3xf64>) -> tensor<2x3xf64>
  %6 = strata.celu %a : (tensor<2x3xf64>) -> tensor<2x3xf64>
  // CHECK: strata.hard_sigmoid %{{.*}} : (tensor<2x3xf64>) -> tensor<2x3xf64>
  %7 = strata.hard_sigmoid %a : (tensor<2x3xf64>) -> tensor<2x3xf64>
  // CHECK: strata.thresholded_relu %{{.*}} : (tensor<2x3xf64>) -> tensor<2x3xf64>
  %8 = strata.thresholded_relu %a : (tensor<2x3xf64>) -> tensor<2x3xf64>
  // CHECK: strata.shrink %{{.*}} : (tensor<2x3xf64>) -> tensor<2x3xf64>
  %9 = strata.shrink %a {bias = 0.0, lambd = 0.5} : (tensor<2x3xf64>) -> tensor<2x3xf64>
  return
}

// CHECK-LABEL: func @explicit
func.func @explicit(%a: tensor<8x?x3xf16>) {
  // CHECK: strata.leaky_relu %{{.*}} {alpha = 2.000000e-01 : f64} : (tensor<8x?x3xf16>) -> tensor<8x?x3xf16>
  %0 = strata.leaky_relu %a {alpha = 0.2} : (tensor<8x?x3xf16>) -> tensor<8x?x3xf16>
  // CHECK: strata.softmax %{{.*}} {axis = 1 : i64} : (tensor<8x?x3xf16>) -> tensor<8x?x3xf16>
  %1 = strata.softmax %a {axis = 1} : (tensor<8x?x3xf16>) -> tensor<8x?x3xf16>
  // CHECK: strata.log_softmax %{{.*}} {axis = -3 : i64}
  %2 = strata.log_softmax %a {axis = -3} : (tensor<8x?x3xf16>) -> tensor<8x?x3xf16>
  // CHECK: strata.gelu %{{.*}} {approximate = "tanh"}
  %3 = strata.gelu %a {approximate = "tanh"} : (tensor<8x?x3xf16>) -> tensor<8x?x3xf16>
  // CHECK: strata.elu %{{.*}} {alpha = 5.000000e-01 : f64}
  %4 = strata.elu %a {alpha = 0.5} : (tensor<8x?x3xf16>) -> tensor<8x?x3xf16>
  // CHECK: strata.selu %{{.*}} {alpha = 2.000000e+00 : f64, gamma = 3.000000e+00 : f64}
  %5 = strata.selu %a {alpha = 2.0, gamma = 3.0} : (tensor<8x?x3xf16>) -> tensor<8x?x3xf16>
  // CHECK: strata.celu %{{.*}} {alpha = -2.000000e+00 : f64}
  %6 = strata.celu %a {alpha = -2.0} : (tensor<8x?x3xf16>) -> tensor<8x?x3xf16>
  // CHECK: strata.hard_sigmoid %{{.*}} {alpha = 1.000000e-01 : f64, beta = 6.000000e-01 : f64}
  %7 = strata.hard_sigmoid %a {alpha = 0.1, beta = 0.6} : (tensor<8x?x3xf16>) -> tensor<8x?x3xf16>
  // CHECK: strata.thresholded_relu %{{.*}} {alpha = 2.500000e+00 : f64}
  %8 = strata.thresholded_relu %a {alpha = 2.5} : (tensor<8x?x3xf16>) -> tensor<8x?x3xf16>
  // CHECK: strata.shrink %{{.*}} {bias = 1.500000e+00 : f64, lambd = 1.500000e+00 : f64}
  %9 = strata.shrink %a {bias = 1.5, lambd = 1.5} : (tensor<8x?x3xf16>) -> tensor<8x?x3xf16>
  return
}

// CHECK-LABEL: func @prelu
func.func @prelu(%a: tensor<?x3x4x4xf32>, %c: tensor<3x1x1xf32>, %s: tensor<f32>, %d: tensor<?xf32>) {
  // Per-channel slope.
  // CHECK: strata.prelu %{{.*}}, %{{.*}} : (tensor<?x3x4x4xf32>, tensor<3x1x1xf32>) -> tensor<?x3x4x4xf32>
  %0 = strata.prelu %a, %c : (tensor<?x3x4x4xf32>, tensor<3x1x1xf32>) -> tensor<?x3x4x4xf32>
  // CHECK: strata.prelu %{{.*}}, %{{.*}} : (tensor<?x3x4x4xf32>, tensor<f32>) -> tensor<?x3x4x4xf32>
  %1 = strata.prelu %a, %s : (tensor<?x3x4x4xf32>, tensor<f32>) -> tensor<?x3x4x4xf32>
  // CHECK: strata.prelu %{{.*}}, %{{.*}} : (tensor<?x3x4x4xf32>, tensor<?xf32>) -> tensor<?x3x4x4xf32>
  %2 = strata.prelu %a, %d : (tensor<?x3x4x4xf32>, tensor<?xf32>) -> tensor<?x3x4x4xf32>
  return
}
