// RUN: strata-opt %s --strata-infer-shapes | FileCheck %s

// CHECK-LABEL: func @refine
// CHECK-SAME: -> (tensor<2x3xf32>, tensor<2x3xi1>, tensor<?x3xf32>, tensor<4xf32>, tensor<2x3xf32>, tensor<4xi1>, tensor<4xf32>)
func.func @refine(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %d: tensor<?x3xf32>, %u: tensor<4xf32>, %c: tensor<4xi1>)
    -> (tensor<?x?xf32>, tensor<?x?xi1>, tensor<?x?xf32>, tensor<?xf32>, tensor<?x?xf32>, tensor<?xi1>, tensor<?xf32>) {
  // CHECK: strata.add {{.*}} -> tensor<2x3xf32>
  %0 = strata.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.less {{.*}} -> tensor<2x3xi1>
  %1 = strata.less %0, %b : (tensor<?x?xf32>, tensor<3xf32>) -> tensor<?x?xi1>
  // A dynamic batch stays dynamic.
  // CHECK: strata.mul {{.*}} -> tensor<?x3xf32>
  %2 = strata.mul %d, %b : (tensor<?x3xf32>, tensor<3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.exp {{.*}} -> tensor<4xf32>
  %3 = strata.exp %u : (tensor<4xf32>) -> tensor<?xf32>
  // CHECK: strata.where {{.*}} -> tensor<2x3xf32>
  %4 = strata.where %1, %0, %b : (tensor<?x?xi1>, tensor<?x?xf32>, tensor<3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.is_nan {{.*}} -> tensor<4xi1>
  %5 = strata.is_nan %u : (tensor<4xf32>) -> tensor<?xi1>
  // CHECK: strata.clip {{.*}} -> tensor<4xf32>
  %6 = strata.clip %u {min = 0.0, max = 1.0} : (tensor<4xf32>) -> tensor<?xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<?x?xf32>, tensor<?x?xi1>, tensor<?x?xf32>, tensor<?xf32>, tensor<?x?xf32>, tensor<?xi1>, tensor<?xf32>
}
