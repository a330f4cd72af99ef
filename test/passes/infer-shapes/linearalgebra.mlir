// RUN: strata-opt %s --strata-infer-shapes | FileCheck %s

// CHECK-LABEL: func @matmul
// CHECK-SAME: -> (tensor<?x2x4xf32>, tensor<4xf32>, tensor<f32>, tensor<5x2x2xi32>)
func.func @matmul(%a: tensor<?x2x3xf32>, %b: tensor<3x4xf32>, %v: tensor<3xf32>, %i: tensor<2x3xi32>, %j: tensor<5x3x2xi32>)
    -> (tensor<?x?x?xf32>, tensor<?xf32>, tensor<f32>, tensor<?x?x?xi32>) {
  // A dynamic batch stays dynamic.
  // CHECK: strata.matmul {{.*}} -> tensor<?x2x4xf32>
  %0 = strata.matmul %a, %b : (tensor<?x2x3xf32>, tensor<3x4xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.matmul {{.*}} -> tensor<4xf32>
  %1 = strata.matmul %v, %b : (tensor<3xf32>, tensor<3x4xf32>) -> tensor<?xf32>
  // CHECK: strata.matmul {{.*}} -> tensor<f32>
  %2 = strata.matmul %v, %v : (tensor<3xf32>, tensor<3xf32>) -> tensor<f32>
  // CHECK: strata.matmul {{.*}} -> tensor<5x2x2xi32>
  %3 = strata.matmul %i, %j : (tensor<2x3xi32>, tensor<5x3x2xi32>) -> tensor<?x?x?xi32>
  return %0, %1, %2, %3 : tensor<?x?x?xf32>, tensor<?xf32>, tensor<f32>, tensor<?x?x?xi32>
}

// CHECK-LABEL: func @gemm
// CHECK-SAME: -> (tensor<?x4xf32>, tensor<2x4xf32>, tensor<3x4xf32>)
func.func @gemm(%a: tensor<?x3xf32>, %at: tensor<3x2xf32>, %bt: tensor<4x3xf32>, %c: tensor<4xf32>, %c2: tensor<3x1xf32>)
    -> (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) {
  // CHECK: strata.gemm {{.*}} -> tensor<?x4xf32>
  %0 = strata.gemm %a, %bt, %c {trans_b = true} : (tensor<?x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<?x?xf32>
  // CHECK: strata.gemm {{.*}} -> tensor<2x4xf32>
  %1 = strata.gemm %at, %bt {trans_a = true, trans_b = true} : (tensor<3x2xf32>, tensor<4x3xf32>) -> tensor<?x?xf32>
  // A static size of c other than 1 pins the dynamic M.
  // CHECK: strata.gemm {{.*}} -> tensor<3x4xf32>
  %2 = strata.gemm %a, %bt, %c2 {trans_b = true} : (tensor<?x3xf32>, tensor<4x3xf32>, tensor<3x1xf32>) -> tensor<?x?xf32>
  return %0, %1, %2 : tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>
}

// CHECK-LABEL: func @inner_product
// CHECK-SAME: -> (tensor<?x100xf32>, tensor<8x100xf32>, tensor<?x100xf32>)
func.func @inner_product(%x: tensor<?x784xf32>, %x8: tensor<8x784xf32>, %w: tensor<100x784xf32>, %wt: tensor<784x100xf32>, %wd: tensor<?x784xf32>, %b: tensor<100xf32>)
    -> (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) {
  // CHECK: strata.inner_product {{.*}} -> tensor<?x100xf32>
  %0 = strata.inner_product %x, %w, %b : (tensor<?x784xf32>, tensor<100x784xf32>, tensor<100xf32>) -> tensor<?x?xf32>
  // CHECK: strata.inner_product {{.*}} -> tensor<8x100xf32>
  %1 = strata.inner_product %x8, %wt {transpose = true} : (tensor<8x784xf32>, tensor<784x100xf32>) -> tensor<?x?xf32>
  // M comes from the bias when the weight's is dynamic.
  // CHECK: strata.inner_product {{.*}} -> tensor<?x100xf32>
  %2 = strata.inner_product %x, %wd, %b : (tensor<?x784xf32>, tensor<?x784xf32>, tensor<100xf32>) -> tensor<?x?xf32>
  return %0, %1, %2 : tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>
}
