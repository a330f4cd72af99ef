// RUN: strata-opt --strata-lower-to-linalg=allow-unlowered %s | FileCheck %s

// allow-unlowered keeps ops without a lowering and lowers the rest.
// CHECK-LABEL: func.func @partial
// CHECK: %[[T:.*]] = strata.lp_normalization %arg0
// CHECK: linalg.generic {{.*}} ins(%[[T]] : tensor<2x3xf32>)
// CHECK: math.exp
func.func @partial(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = strata.lp_normalization %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = strata.exp %0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}
