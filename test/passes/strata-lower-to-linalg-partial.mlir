// RUN: strata-opt --strata-lower-to-linalg=allow-unlowered %s | FileCheck %s

// allow-unlowered keeps ops without a lowering and lowers the rest.
// CHECK-LABEL: func.func @partial
// CHECK: %[[T:.*]] = strata.roi_align %arg0, %arg1, %arg2
// CHECK: linalg.generic {{.*}} ins(%[[T]] : tensor<2x1x1x1xf32>)
// CHECK: math.exp
func.func @partial(%x: tensor<1x1x4x4xf32>, %r: tensor<2x4xf32>, %b: tensor<2xi64>) -> tensor<2x1x1x1xf32> {
  %0 = strata.roi_align %x, %r, %b : (tensor<1x1x4x4xf32>, tensor<2x4xf32>, tensor<2xi64>) -> tensor<2x1x1x1xf32>
  %1 = strata.exp %0 : (tensor<2x1x1x1xf32>) -> tensor<2x1x1x1xf32>
  return %1 : tensor<2x1x1x1xf32>
}
