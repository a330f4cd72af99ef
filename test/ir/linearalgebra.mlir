// RUN: strata-opt %s | strata-opt | FileCheck %s
// Round trip of every linear-algebra op and attribute form.

// CHECK-LABEL: func @matmul
func.func @matmul(%a: tensor<?x2x3xf32>, %b: tensor<3x4xf32>, %v: tensor<3xf32>, %w: tensor<4xf32>, %i: tensor<2x3xi32>, %j: tensor<5x1x3x2xi32>) {
  // CHECK: strata.matmul %{{.*}}, %{{.*}} : (tensor<?x2x3xf32>, tensor<3x4xf32>) -> tensor<?x2x4xf32>
  %0 = strata.matmul %a, %b : (tensor<?x2x3xf32>, tensor<3x4xf32>) -> tensor<?x2x4xf32>
  // CHECK: strata.matmul %{{.*}}, %{{.*}} : (tensor<3xf32>, tensor<3x4xf32>) -> tensor<4xf32>
  %1 = strata.matmul %v, %b : (tensor<3xf32>, tensor<3x4xf32>) -> tensor<4xf32>
  // CHECK: strata.matmul %{{.*}}, %{{.*}} : (tensor<?x2x3xf32>, tensor<3xf32>) -> tensor<?x2xf32>
  %2 = strata.matmul %a, %v : (tensor<?x2x3xf32>, tensor<3xf32>) -> tensor<?x2xf32>
  // CHECK: strata.matmul %{{.*}}, %{{.*}} : (tensor<3xf32>, tensor<3xf32>) -> tensor<f32>
  %3 = strata.matmul %v, %v : (tensor<3xf32>, tensor<3xf32>) -> tensor<f32>
  // CHECK: strata.matmul %{{.*}}, %{{.*}} : (tensor<2x3xi32>, tensor<5x1x3x2xi32>) -> tensor<5x1x2x2xi32>
  %4 = strata.matmul %i, %j : (tensor<2x3xi32>, tensor<5x1x3x2xi32>) -> tensor<5x1x2x2xi32>
  return
}

// CHECK-LABEL: func @gemm
func.func @gemm(%a: tensor<?x3xf32>, %at: tensor<3x?xf32>, %b: tensor<3x4xf32>, %bt: tensor<4x3xf32>, %c: tensor<4xf32>, %c2: tensor<1x4xf32>, %s: tensor<f32>) {
  // CHECK: strata.gemm %{{.*}}, %{{.*}} : (tensor<?x3xf32>, tensor<3x4xf32>) -> tensor<?x4xf32>
  %0 = strata.gemm %a, %b : (tensor<?x3xf32>, tensor<3x4xf32>) -> tensor<?x4xf32>
  // CHECK: strata.gemm %{{.*}}, %{{.*}}, %{{.*}} {alpha = 5.000000e-01 : f64, beta = 2.000000e+00 : f64, trans_b = true} : (tensor<?x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %1 = strata.gemm %a, %bt, %c {alpha = 0.5, beta = 2.0, trans_b = true} : (tensor<?x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  // CHECK: strata.gemm %{{.*}}, %{{.*}}, %{{.*}} {trans_a = true, trans_b = true} : (tensor<3x?xf32>, tensor<4x3xf32>, tensor<1x4xf32>) -> tensor<?x4xf32>
  %2 = strata.gemm %at, %bt, %c2 {trans_a = true, trans_b = true} : (tensor<3x?xf32>, tensor<4x3xf32>, tensor<1x4xf32>) -> tensor<?x4xf32>
  // Defaults are elided.
  // CHECK: strata.gemm %{{.*}}, %{{.*}}, %{{.*}} : (tensor<?x3xf32>, tensor<3x4xf32>, tensor<f32>) -> tensor<?x4xf32>
  %3 = strata.gemm %a, %b, %s {alpha = 1.0, beta = 1.0, trans_a = false, trans_b = false} : (tensor<?x3xf32>, tensor<3x4xf32>, tensor<f32>) -> tensor<?x4xf32>
  return
}

// CHECK-LABEL: func @inner_product
func.func @inner_product(%x: tensor<?x784xf32>, %w: tensor<100x784xf32>, %wt: tensor<784x100xf32>, %b: tensor<100xf32>, %xd: tensor<2x784xf64>, %wd: tensor<10x784xf64>) {
  // CHECK: strata.inner_product %{{.*}}, %{{.*}}, %{{.*}} : (tensor<?x784xf32>, tensor<100x784xf32>, tensor<100xf32>) -> tensor<?x100xf32>
  %0 = strata.inner_product %x, %w, %b : (tensor<?x784xf32>, tensor<100x784xf32>, tensor<100xf32>) -> tensor<?x100xf32>
  // CHECK: strata.inner_product %{{.*}}, %{{.*}}, %{{.*}} {transpose = true} : (tensor<?x784xf32>, tensor<784x100xf32>, tensor<100xf32>) -> tensor<?x100xf32>
  %1 = strata.inner_product %x, %wt, %b {transpose = true} : (tensor<?x784xf32>, tensor<784x100xf32>, tensor<100xf32>) -> tensor<?x100xf32>
  // CHECK: strata.inner_product %{{.*}}, %{{.*}} : (tensor<2x784xf64>, tensor<10x784xf64>) -> tensor<2x10xf64>
  %2 = strata.inner_product %xd, %wd : (tensor<2x784xf64>, tensor<10x784xf64>) -> tensor<2x10xf64>
  return
}
