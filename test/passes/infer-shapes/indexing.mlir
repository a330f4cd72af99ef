// RUN: strata-opt %s --strata-infer-shapes | FileCheck %s

// CHECK-LABEL: func @refine
func.func @refine(%d: tensor<4x5x6xf32>, %i: tensor<2x3xi64>, %e: tensor<4x5x2xi32>, %n: tensor<4x3x2xi64>,
                  %t: tensor<100x16xf16>, %u: tensor<4x5x2xf32>, %v: tensor<2xi8>) {
  // CHECK: strata.gather {{.*}} -> tensor<4x2x3x6xf32>
  %0 = strata.gather %d, %i {axis = 1 : i64} : (tensor<4x5x6xf32>, tensor<2x3xi64>) -> tensor<?x?x?x?xf32>
  // CHECK: strata.gather_elements {{.*}} -> tensor<4x5x2xf32>
  %1 = strata.gather_elements %d, %e {axis = 2 : i64} : (tensor<4x5x6xf32>, tensor<4x5x2xi32>) -> tensor<?x?x?xf32>
  // CHECK: strata.gather_nd {{.*}} -> tensor<4x3xf32>
  %2 = strata.gather_nd %d, %n {batch_dims = 1 : i64} : (tensor<4x5x6xf32>, tensor<4x3x2xi64>) -> tensor<?x?xf32>
  // CHECK: strata.scatter_elements {{.*}} -> tensor<4x5x6xf32>
  %3 = strata.scatter_elements %d, %e, %u {axis = 2 : i64, reduction = "add"} : (tensor<4x5x6xf32>, tensor<4x5x2xi32>, tensor<4x5x2xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.embedding {{.*}} -> tensor<2x3x16xf16>
  %4 = strata.embedding %t, %i : (tensor<100x16xf16>, tensor<2x3xi64>) -> tensor<?x?x?xf16>
  // CHECK: strata.one_hot {{.*}} -> tensor<2x7x3xi8>
  %5 = strata.one_hot %i, %v {depth = 7 : i64, axis = 1 : i64} : (tensor<2x3xi64>, tensor<2xi8>) -> tensor<?x?x?xi8>
  return
}

// A dynamic batch stays dynamic; the other sizes are refined.
// CHECK-LABEL: func @dynamic_batch
// CHECK-SAME: -> (tensor<?x3x6xf32>, tensor<?x5x2xf32>, tensor<?x3xf32>, tensor<?x5x6xf32>, tensor<?x7x16xf32>, tensor<?x7x10xf32>)
func.func @dynamic_batch(%d: tensor<?x5x6xf32>, %i: tensor<3xi64>, %e: tensor<?x5x2xi32>, %n: tensor<?x3x2xi64>,
                         %t: tensor<100x16xf32>, %b: tensor<?x7xi32>, %u: tensor<?x5x2xf32>, %v: tensor<2xf32>)
    -> (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>) {
  // CHECK: strata.gather {{.*}} -> tensor<?x3x6xf32>
  %0 = strata.gather %d, %i {axis = 1 : i64} : (tensor<?x5x6xf32>, tensor<3xi64>) -> tensor<?x?x?xf32>
  // CHECK: strata.gather_elements {{.*}} -> tensor<?x5x2xf32>
  %1 = strata.gather_elements %d, %e {axis = -1 : i64} : (tensor<?x5x6xf32>, tensor<?x5x2xi32>) -> tensor<?x?x?xf32>
  // CHECK: strata.gather_nd {{.*}} -> tensor<?x3xf32>
  %2 = strata.gather_nd %d, %n {batch_dims = 1 : i64} : (tensor<?x5x6xf32>, tensor<?x3x2xi64>) -> tensor<?x?xf32>
  // CHECK: strata.scatter_elements {{.*}} -> tensor<?x5x6xf32>
  %3 = strata.scatter_elements %d, %e, %u {axis = 2 : i64} : (tensor<?x5x6xf32>, tensor<?x5x2xi32>, tensor<?x5x2xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.embedding {{.*}} -> tensor<?x7x16xf32>
  %4 = strata.embedding %t, %b : (tensor<100x16xf32>, tensor<?x7xi32>) -> tensor<?x?x?xf32>
  // CHECK: strata.one_hot {{.*}} -> tensor<?x7x10xf32>
  %5 = strata.one_hot %b, %v {depth = 10 : i64} : (tensor<?x7xi32>, tensor<2xf32>) -> tensor<?x?x?xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>
}

// CHECK-LABEL: func @scatter_nd
// CHECK-SAME: -> (tensor<4x5x6xf32>, tensor<?x5x6xf32>)
func.func @scatter_nd(%d: tensor<4x5x6xf32>, %i: tensor<3x2xi64>, %u: tensor<3x6xf32>, %e: tensor<?x5x6xf32>, %j: tensor<2x3xi32>, %v: tensor<2xf32>)
    -> (tensor<?x?x?xf32>, tensor<?x?x?xf32>) {
  // CHECK: strata.scatter_nd {{.*}} -> tensor<4x5x6xf32>
  %0 = strata.scatter_nd %d, %i, %u {reduction = "add"} : (tensor<4x5x6xf32>, tensor<3x2xi64>, tensor<3x6xf32>) -> tensor<?x?x?xf32>
  // A dynamic batch stays dynamic.
  // CHECK: strata.scatter_nd {{.*}} -> tensor<?x5x6xf32>
  %1 = strata.scatter_nd %e, %j, %v : (tensor<?x5x6xf32>, tensor<2x3xi32>, tensor<2xf32>) -> tensor<?x?x?xf32>
  return %0, %1 : tensor<?x?x?xf32>, tensor<?x?x?xf32>
}
