// RUN: strata-opt %s --strata-infer-shapes | FileCheck %s

// CHECK-LABEL: func @refine
func.func @refine(%a: tensor<2x3x4xf32>, %b: tensor<2x5x4xf32>, %p: tensor<1x8x2x3xi8>) {
  // CHECK: strata.reshape {{.*}} -> tensor<6x4xf32>
  %0 = strata.reshape %a {shape = array<i64: -1, 4>} : (tensor<2x3x4xf32>) -> tensor<?x?xf32>
  // CHECK: strata.transpose {{.*}} -> tensor<4x3x2xf32>
  %1 = strata.transpose %a : (tensor<2x3x4xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.concat {{.*}} -> tensor<2x8x4xf32>
  %2 = strata.concat %a, %b {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.slice {{.*}} -> tensor<2x2x2xf32>
  %3 = strata.slice %a {starts = array<i64: 1, 0>, ends = array<i64: 100, 4>, axes = array<i64: 1, 2>, steps = array<i64: 1, 2>} : (tensor<2x3x4xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.split {{.*}} -> (tensor<2x1x4xf32>, tensor<2x4x4xf32>)
  %4:2 = strata.split %b {axis = 1 : i64, sizes = array<i64: 1, 4>} : (tensor<2x5x4xf32>) -> (tensor<?x?x?xf32>, tensor<?x?x?xf32>)
  // CHECK: strata.pad {{.*}} -> tensor<2x4x3xf32>
  %5 = strata.pad %a {pads = array<i64: 0, 1, 0, 0, 0, -1>} : (tensor<2x3x4xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.broadcast_to {{.*}} -> tensor<5x2x3x4xf32>
  %6 = strata.broadcast_to %a {shape = array<i64: 5, 1, 1, 1>} : (tensor<2x3x4xf32>) -> tensor<?x?x?x?xf32>
  // CHECK: strata.tile {{.*}} -> tensor<2x6x12xf32>
  %7 = strata.tile %a {repeats = array<i64: 1, 2, 3>} : (tensor<2x3x4xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.depth_to_space {{.*}} -> tensor<1x2x4x6xi8>
  %8 = strata.depth_to_space %p {blocksize = 2 : i64, mode = "CRD"} : (tensor<1x8x2x3xi8>) -> tensor<?x?x?x?xi8>
  // CHECK: strata.space_to_depth {{.*}} -> tensor<1x8x2x3xi8>
  %9 = strata.space_to_depth %8 {blocksize = 2 : i64} : (tensor<?x?x?x?xi8>) -> tensor<?x?x?x?xi8>
  return
}

// A dynamic batch stays dynamic; the other sizes are refined.
// CHECK-LABEL: func @dynamic_batch
// CHECK-SAME: -> (tensor<?x12xf32>, tensor<4x3x?xf32>, tensor<?x3x9xf32>, tensor<?x1x4xf32>, tensor<?x2x4xf32>, tensor<?x6x4xf32>, tensor<?x6x8xf32>, tensor<?x3x4xf32>, tensor<?x3x8xf32>, tensor<?x8x1x2xf32>)
func.func @dynamic_batch(%a: tensor<?x3x4xf32>, %b: tensor<?x3x5xf32>, %c: tensor<?x2x2x4xf32>)
    -> (tensor<?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?x?xf32>) {
  // CHECK: strata.reshape {{.*}} -> tensor<?x12xf32>
  %0 = strata.reshape %a {shape = array<i64: 0, -1>} : (tensor<?x3x4xf32>) -> tensor<?x?xf32>
  // CHECK: strata.transpose {{.*}} -> tensor<4x3x?xf32>
  %1 = strata.transpose %a : (tensor<?x3x4xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.concat {{.*}} -> tensor<?x3x9xf32>
  %2 = strata.concat %a, %b {axis = 2 : i64} : (tensor<?x3x4xf32>, tensor<?x3x5xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.slice {{.*}} -> tensor<?x1x4xf32>
  %3 = strata.slice %a {starts = array<i64: 0, -1>, ends = array<i64: 2, -2>, steps = array<i64: 1, -1>} : (tensor<?x3x4xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.split {{.*}} -> (tensor<?x1x4xf32>, tensor<?x2x4xf32>)
  %4:2 = strata.split %a {axis = 1 : i64, sizes = array<i64: 1, 2>} : (tensor<?x3x4xf32>) -> (tensor<?x?x?xf32>, tensor<?x?x?xf32>)
  // CHECK: strata.pad {{.*}} -> tensor<?x4x4xf32>
  %5 = strata.pad %a {pads = array<i64: 1, 1, 0, 1, 0, 0>, mode = #strata.pad_mode<edge>} : (tensor<?x3x4xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.broadcast_to {{.*}} -> tensor<?x6x4xf32>
  %6 = strata.broadcast_to %4#0 {shape = array<i64: 6, 1>} : (tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.tile {{.*}} -> tensor<?x6x8xf32>
  %7 = strata.tile %a {repeats = array<i64: 1, 2, 2>} : (tensor<?x3x4xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.reshape {{.*}} -> tensor<?x3x4xf32>
  %8 = strata.reshape %0 {shape = array<i64: -1, 3, 4>} : (tensor<?x?xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.pad {{.*}} -> tensor<?x3x8xf32>
  %9 = strata.pad %a {pads = array<i64: 0, 0, 2, 0, 0, 2>, mode = #strata.pad_mode<wrap>} : (tensor<?x3x4xf32>) -> tensor<?x?x?xf32>
  // CHECK: strata.space_to_depth {{.*}} -> tensor<?x8x1x2xf32>
  %10 = strata.space_to_depth %c {blocksize = 2 : i64} : (tensor<?x2x2x4xf32>) -> tensor<?x?x?x?xf32>
  return %0, %1, %2, %3, %4#1, %6, %7, %8, %9, %10 : tensor<?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?x?xf32>
}
