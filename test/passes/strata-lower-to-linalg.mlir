// RUN: strata-opt --strata-lower-to-linalg=library-calls=false --split-input-file --verify-diagnostics %s | FileCheck %s

// Broadcast operands get constant-0 indices on their size-1 dims and
// missing leading dims; the body follows the op's reference semantics.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-LABEL: func.func @pointwise
func.func @pointwise(%x: tensor<3x4xf32>, %r: tensor<4xf32>, %c: tensor<3x1xf32>) -> (tensor<3x4xf32>, tensor<3x4xi1>) {
  // CHECK: %[[E0:.*]] = tensor.empty() : tensor<3x4xf32>
  // CHECK: %[[A:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%arg0, %arg1 : tensor<3x4xf32>, tensor<4xf32>) outs(%[[E0]] : tensor<3x4xf32>)
  // CHECK: arith.addf
  %0 = strata.add %x, %r : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3x4xf32>
  // relu: x < 0 ? 0 : x (NaN passes through).
  // CHECK: %[[R:.*]] = linalg.generic
  // CHECK: %[[NEG:.*]] = arith.cmpf olt, %{{.*}}, %[[ZERO:.*]] : f32
  // CHECK: arith.select %[[NEG]], %[[ZERO]], %{{.*}} : f32
  %1 = strata.relu %0 : (tensor<3x4xf32>) -> tensor<3x4xf32>
  // CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[COL]], #[[ID]]]
  // CHECK: arith.cmpf ogt
  // CHECK: -> tensor<3x4xi1>
  %2 = strata.greater %1, %c : (tensor<3x4xf32>, tensor<3x1xf32>) -> tensor<3x4xi1>
  return %1, %2 : tensor<3x4xf32>, tensor<3x4xi1>
}

// -----

// inner_product: a zero-filled accumulator, a contraction over k, then the
// bias.
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[Y:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @inner_product
func.func @inner_product(%x: tensor<2x5xf32>, %w: tensor<3x5xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  // CHECK: %[[FILL:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<2x3xf32>)
  // CHECK: linalg.generic {indexing_maps = [#[[X]], #[[W]], #[[Y]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg0, %arg1 : tensor<2x5xf32>, tensor<3x5xf32>) outs(%[[FILL]] : tensor<2x3xf32>)
  // CHECK: arith.mulf
  // CHECK: arith.addf
  // CHECK: linalg.generic
  // CHECK: arith.addf
  // CHECK-NOT: strata.
  %0 = strata.inner_product %x, %w, %b : (tensor<2x5xf32>, tensor<3x5xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Dynamic shapes are not lowered yet.
func.func @dynamic(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'strata.exp' has no lowering to linalg for this form yet}}
  %0 = strata.exp %x : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// An op whose family has no lowering yet.
func.func @unlowered(%x: tensor<1x1x4x4xf32>, %r: tensor<2x4xf32>, %b: tensor<2xi64>, %dy: tensor<2x1x1x1xf32>) -> tensor<1x1x4x4xf32> {
  // expected-error @+1 {{'strata.roi_align_grad' has no lowering to linalg for this form yet}}
  %0:2 = strata.roi_align_grad %x, %r, %b, %dy : (tensor<1x1x4x4xf32>, tensor<2x4xf32>, tensor<2xi64>, tensor<2x1x1x1xf32>) -> (tensor<1x1x4x4xf32>, tensor<2x4xf32>)
  return %0#0 : tensor<1x1x4x4xf32>
}
