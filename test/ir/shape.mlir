// RUN: strata-opt %s | strata-opt | FileCheck %s
// Round trip of every shape op and attribute form.

// CHECK-LABEL: func @reshape
func.func @reshape(%a: tensor<?x3x4xf32>, %b: tensor<2x3xi1>) {
  // CHECK: strata.reshape %{{.*}} {shape = array<i64: 0, -1>} : (tensor<?x3x4xf32>) -> tensor<?x12xf32>
  %0 = strata.reshape %a {shape = array<i64: 0, -1>} : (tensor<?x3x4xf32>) -> tensor<?x12xf32>
  // CHECK: strata.reshape %{{.*}} {shape = array<i64: 6>} : (tensor<2x3xi1>) -> tensor<6xi1>
  %1 = strata.reshape %b {shape = array<i64: 6>} : (tensor<2x3xi1>) -> tensor<6xi1>
  return
}

// CHECK-LABEL: func @transpose
func.func @transpose(%a: tensor<?x3x4xf16>) {
  // CHECK: strata.transpose %{{.*}} {perm = array<i64: 0, 2, 1>} : (tensor<?x3x4xf16>) -> tensor<?x4x3xf16>
  %0 = strata.transpose %a {perm = array<i64: 0, 2, 1>} : (tensor<?x3x4xf16>) -> tensor<?x4x3xf16>
  // CHECK: strata.transpose %{{.*}} : (tensor<?x3x4xf16>) -> tensor<4x3x?xf16>
  %1 = strata.transpose %a : (tensor<?x3x4xf16>) -> tensor<4x3x?xf16>
  return
}

// CHECK-LABEL: func @concat_split
func.func @concat_split(%a: tensor<?x3xi32>, %b: tensor<?x5xi32>) {
  // CHECK: strata.concat %{{.*}}, %{{.*}} {axis = -1 : i64} : (tensor<?x3xi32>, tensor<?x5xi32>) -> tensor<?x8xi32>
  %0 = strata.concat %a, %b {axis = -1 : i64} : (tensor<?x3xi32>, tensor<?x5xi32>) -> tensor<?x8xi32>
  // CHECK: %{{.*}}:3 = strata.split %{{.*}} {axis = 1 : i64, sizes = array<i64: 2, 0, 6>} : (tensor<?x8xi32>) -> (tensor<?x2xi32>, tensor<?x0xi32>, tensor<?x6xi32>)
  %1:3 = strata.split %0 {axis = 1 : i64, sizes = array<i64: 2, 0, 6>} : (tensor<?x8xi32>) -> (tensor<?x2xi32>, tensor<?x0xi32>, tensor<?x6xi32>)
  return
}

// CHECK-LABEL: func @slice
func.func @slice(%a: tensor<?x10xf32>) {
  // CHECK: strata.slice %{{.*}} {ends = array<i64: 8>, starts = array<i64: 1>} : (tensor<?x10xf32>) -> tensor<7x10xf32>
  %0 = strata.slice %a {starts = array<i64: 1>, ends = array<i64: 8>} : (tensor<?x10xf32>) -> tensor<7x10xf32>
  // CHECK: strata.slice %{{.*}} {axes = array<i64: -1>, ends = array<i64: -9223372036854775807>, starts = array<i64: -1>, steps = array<i64: -3>} : (tensor<?x10xf32>) -> tensor<?x4xf32>
  %1 = strata.slice %a {starts = array<i64: -1>, ends = array<i64: -9223372036854775807>, axes = array<i64: -1>, steps = array<i64: -3>} : (tensor<?x10xf32>) -> tensor<?x4xf32>
  return
}

// CHECK-LABEL: func @pad
func.func @pad(%a: tensor<?x4xf32>, %i: tensor<3xui8>) {
  // CHECK: strata.pad %{{.*}} {pads = array<i64: 0, 1, 0, 2>} : (tensor<?x4xf32>) -> tensor<?x7xf32>
  %0 = strata.pad %a {pads = array<i64: 0, 1, 0, 2>} : (tensor<?x4xf32>) -> tensor<?x7xf32>
  // CHECK: strata.pad %{{.*}} {mode = #strata.pad_mode<reflect>, pads = array<i64: 0, 3, 0, -1>} : (tensor<?x4xf32>) -> tensor<?x6xf32>
  %1 = strata.pad %a {pads = array<i64: 0, 3, 0, -1>, mode = #strata.pad_mode<reflect>} : (tensor<?x4xf32>) -> tensor<?x6xf32>
  // CHECK: strata.pad %{{.*}} {mode = #strata.pad_mode<edge>, pads = array<i64: 2, 2>} : (tensor<3xui8>) -> tensor<7xui8>
  %2 = strata.pad %i {pads = array<i64: 2, 2>, mode = #strata.pad_mode<edge>} : (tensor<3xui8>) -> tensor<7xui8>
  // CHECK: strata.pad %{{.*}} {mode = #strata.pad_mode<wrap>, pads = array<i64: 5, 0>} : (tensor<3xui8>) -> tensor<8xui8>
  %3 = strata.pad %i {pads = array<i64: 5, 0>, mode = #strata.pad_mode<wrap>} : (tensor<3xui8>) -> tensor<8xui8>
  // CHECK: strata.pad %{{.*}} {pads = array<i64: 1, 1>, value = 7.000000e+00 : f64} : (tensor<3xui8>) -> tensor<5xui8>
  %4 = strata.pad %i {pads = array<i64: 1, 1>, mode = #strata.pad_mode<constant>, value = 7.0} : (tensor<3xui8>) -> tensor<5xui8>
  return
}

// CHECK-LABEL: func @broadcast_tile
func.func @broadcast_tile(%a: tensor<?x1xbf16>) {
  // CHECK: strata.broadcast_to %{{.*}} {shape = array<i64: 2, 1, 3>} : (tensor<?x1xbf16>) -> tensor<2x?x3xbf16>
  %0 = strata.broadcast_to %a {shape = array<i64: 2, 1, 3>} : (tensor<?x1xbf16>) -> tensor<2x?x3xbf16>
  // CHECK: strata.tile %{{.*}} {repeats = array<i64: 2, 3>} : (tensor<?x1xbf16>) -> tensor<?x3xbf16>
  %1 = strata.tile %a {repeats = array<i64: 2, 3>} : (tensor<?x1xbf16>) -> tensor<?x3xbf16>
  return
}

// CHECK-LABEL: func @blocks
func.func @blocks(%a: tensor<?x8x2x3xf32>) {
  // CHECK: strata.depth_to_space %{{.*}} {blocksize = 2 : i64} : (tensor<?x8x2x3xf32>) -> tensor<?x2x4x6xf32>
  %0 = strata.depth_to_space %a {blocksize = 2 : i64} : (tensor<?x8x2x3xf32>) -> tensor<?x2x4x6xf32>
  // CHECK: strata.depth_to_space %{{.*}} {blocksize = 2 : i64, mode = "CRD"} : (tensor<?x8x2x3xf32>) -> tensor<?x2x4x6xf32>
  %1 = strata.depth_to_space %a {blocksize = 2 : i64, mode = "CRD"} : (tensor<?x8x2x3xf32>) -> tensor<?x2x4x6xf32>
  // CHECK: strata.space_to_depth %{{.*}} {blocksize = 2 : i64} : (tensor<?x2x4x6xf32>) -> tensor<?x8x2x3xf32>
  %2 = strata.space_to_depth %1 {blocksize = 2 : i64} : (tensor<?x2x4x6xf32>) -> tensor<?x8x2x3xf32>
  return
}
