// RUN: strata-opt --strata-lower-to-linalg=allow-unlowered %s | FileCheck %s

// allow-unlowered keeps ops without a lowering and lowers the rest.
// CHECK-LABEL: func.func @partial
// CHECK: %[[T:.*]] = strata.cumsum %arg0
// CHECK: linalg.generic {{.*}} ins(%[[T]] : tensor<2x3xf32>)
// CHECK: math.exp
func.func @partial(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = "strata.cumsum"(%x) {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = strata.exp %0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}
