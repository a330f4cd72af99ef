// RUN: strata-opt --strata-lower-to-linalg=allow-unlowered %s | FileCheck %s

// allow-unlowered keeps ops without a lowering and lowers the rest.
// CHECK-LABEL: func.func @partial
// CHECK: %[[T:.*]], %{{.*}} = strata.roi_align_grad %arg0, %arg1, %arg2, %arg3
// CHECK: linalg.generic {{.*}} ins(%[[T]] : tensor<1x1x4x4xf32>)
// CHECK: math.exp
func.func @partial(%x: tensor<1x1x4x4xf32>, %r: tensor<2x4xf32>, %b: tensor<2xi64>, %dy: tensor<2x1x1x1xf32>) -> tensor<1x1x4x4xf32> {
  %0:2 = strata.roi_align_grad %x, %r, %b, %dy : (tensor<1x1x4x4xf32>, tensor<2x4xf32>, tensor<2xi64>, tensor<2x1x1x1xf32>) -> (tensor<1x1x4x4xf32>, tensor<2x4xf32>)
  %1 = strata.exp %0#0 : (tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32>
  return %1 : tensor<1x1x4x4xf32>
}
