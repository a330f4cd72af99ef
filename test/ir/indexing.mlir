// RUN: strata-opt %s | strata-opt | FileCheck %s
// Round trip of every indexing op and attribute form.

// CHECK-LABEL: func @gather
func.func @gather(%d: tensor<?x5x4xf32>, %i: tensor<2x3xi64>, %j: tensor<?x5x2xi32>) {
  // CHECK: strata.gather %{{.*}}, %{{.*}} : (tensor<?x5x4xf32>, tensor<2x3xi64>) -> tensor<2x3x5x4xf32>
  %0 = strata.gather %d, %i : (tensor<?x5x4xf32>, tensor<2x3xi64>) -> tensor<2x3x5x4xf32>
  // CHECK: strata.gather %{{.*}}, %{{.*}} {axis = -2 : i64} : (tensor<?x5x4xf32>, tensor<2x3xi64>) -> tensor<?x2x3x4xf32>
  %1 = strata.gather %d, %i {axis = -2 : i64} : (tensor<?x5x4xf32>, tensor<2x3xi64>) -> tensor<?x2x3x4xf32>
  // CHECK: strata.gather_elements %{{.*}}, %{{.*}} {axis = 2 : i64} : (tensor<?x5x4xf32>, tensor<?x5x2xi32>) -> tensor<?x5x2xf32>
  %2 = strata.gather_elements %d, %j {axis = 2 : i64} : (tensor<?x5x4xf32>, tensor<?x5x2xi32>) -> tensor<?x5x2xf32>
  // CHECK: strata.gather_elements %{{.*}}, %{{.*}} : (tensor<?x5x4xf32>, tensor<?x5x2xi32>) -> tensor<?x5x2xf32>
  %3 = strata.gather_elements %d, %j : (tensor<?x5x4xf32>, tensor<?x5x2xi32>) -> tensor<?x5x2xf32>
  return
}

// CHECK-LABEL: func @gather_nd
func.func @gather_nd(%d: tensor<?x5x4xi8>, %i: tensor<?x3x2xi64>, %k: tensor<7x1xi64>) {
  // CHECK: strata.gather_nd %{{.*}}, %{{.*}} {batch_dims = 1 : i64} : (tensor<?x5x4xi8>, tensor<?x3x2xi64>) -> tensor<?x3xi8>
  %0 = strata.gather_nd %d, %i {batch_dims = 1 : i64} : (tensor<?x5x4xi8>, tensor<?x3x2xi64>) -> tensor<?x3xi8>
  // CHECK: strata.gather_nd %{{.*}}, %{{.*}} : (tensor<?x5x4xi8>, tensor<7x1xi64>) -> tensor<7x5x4xi8>
  %1 = strata.gather_nd %d, %k : (tensor<?x5x4xi8>, tensor<7x1xi64>) -> tensor<7x5x4xi8>
  return
}

// CHECK-LABEL: func @scatter
func.func @scatter(%d: tensor<?x4xf32>, %i: tensor<?x2xi64>, %u: tensor<?x2xf32>) {
  // CHECK: strata.scatter_elements %{{.*}}, %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<?x4xf32>, tensor<?x2xi64>, tensor<?x2xf32>) -> tensor<?x4xf32>
  %0 = strata.scatter_elements %d, %i, %u {axis = 1 : i64} : (tensor<?x4xf32>, tensor<?x2xi64>, tensor<?x2xf32>) -> tensor<?x4xf32>
  // CHECK: strata.scatter_elements %{{.*}}, %{{.*}}, %{{.*}} {axis = 1 : i64, reduction = "add"}
  %1 = strata.scatter_elements %d, %i, %u {axis = 1 : i64, reduction = "add"} : (tensor<?x4xf32>, tensor<?x2xi64>, tensor<?x2xf32>) -> tensor<?x4xf32>
  // CHECK: strata.scatter_elements %{{.*}}, %{{.*}}, %{{.*}} {axis = 1 : i64, reduction = "mul"}
  %2 = strata.scatter_elements %d, %i, %u {axis = 1 : i64, reduction = "mul"} : (tensor<?x4xf32>, tensor<?x2xi64>, tensor<?x2xf32>) -> tensor<?x4xf32>
  // CHECK: strata.scatter_elements %{{.*}}, %{{.*}}, %{{.*}} {reduction = "max"}
  %3 = strata.scatter_elements %d, %i, %u {reduction = "max"} : (tensor<?x4xf32>, tensor<?x2xi64>, tensor<?x2xf32>) -> tensor<?x4xf32>
  // CHECK: strata.scatter_elements %{{.*}}, %{{.*}}, %{{.*}} {axis = -1 : i64, reduction = "min"}
  %4 = strata.scatter_elements %d, %i, %u {axis = -1 : i64, reduction = "min"} : (tensor<?x4xf32>, tensor<?x2xi64>, tensor<?x2xf32>) -> tensor<?x4xf32>
  return
}

// CHECK-LABEL: func @scatter_nd
func.func @scatter_nd(%d: tensor<?x5x4xf32>, %i: tensor<3x2xi64>, %u: tensor<3x4xf32>, %j: tensor<2x3xi32>, %v: tensor<2xf32>) {
  // CHECK: strata.scatter_nd %{{.*}}, %{{.*}}, %{{.*}} : (tensor<?x5x4xf32>, tensor<3x2xi64>, tensor<3x4xf32>) -> tensor<?x5x4xf32>
  %0 = strata.scatter_nd %d, %i, %u : (tensor<?x5x4xf32>, tensor<3x2xi64>, tensor<3x4xf32>) -> tensor<?x5x4xf32>
  // CHECK: strata.scatter_nd %{{.*}}, %{{.*}}, %{{.*}} {reduction = "add"}
  %1 = strata.scatter_nd %d, %i, %u {reduction = "add"} : (tensor<?x5x4xf32>, tensor<3x2xi64>, tensor<3x4xf32>) -> tensor<?x5x4xf32>
  // CHECK: strata.scatter_nd %{{.*}}, %{{.*}}, %{{.*}} {reduction = "mul"}
  %2 = strata.scatter_nd %d, %i, %u {reduction = "mul"} : (tensor<?x5x4xf32>, tensor<3x2xi64>, tensor<3x4xf32>) -> tensor<?x5x4xf32>
  // CHECK: strata.scatter_nd %{{.*}}, %{{.*}}, %{{.*}} {reduction = "max"} : (tensor<?x5x4xf32>, tensor<2x3xi32>, tensor<2xf32>) -> tensor<?x5x4xf32>
  %3 = strata.scatter_nd %d, %j, %v {reduction = "max"} : (tensor<?x5x4xf32>, tensor<2x3xi32>, tensor<2xf32>) -> tensor<?x5x4xf32>
  // CHECK: strata.scatter_nd %{{.*}}, %{{.*}}, %{{.*}} {reduction = "min"}
  %4 = strata.scatter_nd %d, %j, %v {reduction = "min"} : (tensor<?x5x4xf32>, tensor<2x3xi32>, tensor<2xf32>) -> tensor<?x5x4xf32>
  return
}

// CHECK-LABEL: func @embedding_one_hot
func.func @embedding_one_hot(%t: tensor<100x16xf32>, %i: tensor<?x7xi32>, %v: tensor<2xf32>, %b: tensor<2xi1>) {
  // CHECK: strata.embedding %{{.*}}, %{{.*}} : (tensor<100x16xf32>, tensor<?x7xi32>) -> tensor<?x7x16xf32>
  %0 = strata.embedding %t, %i : (tensor<100x16xf32>, tensor<?x7xi32>) -> tensor<?x7x16xf32>
  // CHECK: strata.one_hot %{{.*}}, %{{.*}} {depth = 10 : i64} : (tensor<?x7xi32>, tensor<2xf32>) -> tensor<?x7x10xf32>
  %1 = strata.one_hot %i, %v {depth = 10 : i64} : (tensor<?x7xi32>, tensor<2xf32>) -> tensor<?x7x10xf32>
  // CHECK: strata.one_hot %{{.*}}, %{{.*}} {axis = 0 : i64, depth = 3 : i64} : (tensor<?x7xi32>, tensor<2xi1>) -> tensor<3x?x7xi1>
  %2 = strata.one_hot %i, %b {depth = 3 : i64, axis = 0 : i64} : (tensor<?x7xi32>, tensor<2xi1>) -> tensor<3x?x7xi1>
  // CHECK: strata.one_hot %{{.*}}, %{{.*}} {depth = 10 : i64, drop_out_of_range = true} : (tensor<?x7xi32>, tensor<2xf32>) -> tensor<?x7x10xf32>
  %d = strata.one_hot %i, %v {depth = 10 : i64, drop_out_of_range = true} : (tensor<?x7xi32>, tensor<2xf32>) -> tensor<?x7x10xf32>
  return
}
