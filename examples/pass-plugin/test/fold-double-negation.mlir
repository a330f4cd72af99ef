// RUN: %strata_opt --load-pass-plugin=%plugin --pass-pipeline="builtin.module(example-fold-double-negation)" %s | FileCheck %s

// CHECK-LABEL: func @twice
// CHECK-NEXT: return %arg0
func.func @twice(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = strata.neg %a : (tensor<4xf32>) -> tensor<4xf32>
  %1 = strata.neg %0 : (tensor<4xf32>) -> tensor<4xf32>
  return %1 : tensor<4xf32>
}

// CHECK-LABEL: func @thrice
// CHECK-NEXT: %[[N:.*]] = strata.neg %arg0
// CHECK-NEXT: return %[[N]]
func.func @thrice(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = strata.neg %a : (tensor<4xf32>) -> tensor<4xf32>
  %1 = strata.neg %0 : (tensor<4xf32>) -> tensor<4xf32>
  %2 = strata.neg %1 : (tensor<4xf32>) -> tensor<4xf32>
  return %2 : tensor<4xf32>
}
