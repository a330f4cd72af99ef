// RUN: strata-opt %s --strata-canonicalize | FileCheck %s
// RUN: strata-opt %s --strata-canonicalize=fold-limit=2 | FileCheck %s --check-prefix=LIMIT

// Constant operands fold through the reference evaluator.
// CHECK-LABEL: func @fold
// CHECK-NEXT: %[[C:.*]] = strata.constant dense<[4.000000e+00, 6.000000e+00, 8.000000e+00]> : tensor<3xf32>
// CHECK-NEXT: return %[[C]]
// LIMIT-LABEL: func @fold
// LIMIT: strata.mul
func.func @fold() -> tensor<3xf32> {
  %a = strata.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %b = strata.constant dense<1.0> : tensor<3xf32>
  %0 = strata.add %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %c = strata.constant dense<2.0> : tensor<f32>
  %1 = strata.mul %0, %c : (tensor<3xf32>, tensor<f32>) -> tensor<3xf32>
  return %1 : tensor<3xf32>
}

// Integer results, comparisons and casts fold too.
// CHECK-LABEL: func @fold_int
// CHECK-DAG: strata.constant dense<[true, false]> : tensor<2xi1>
// CHECK-DAG: strata.constant dense<[3, -2]> : tensor<2xi32>
// CHECK-NOT: strata.less
// CHECK-NOT: strata.cast
func.func @fold_int() -> (tensor<2xi1>, tensor<2xi32>) {
  %a = strata.constant dense<[3.5, -2.5]> : tensor<2xf32>
  %z = strata.constant dense<0.0> : tensor<2xf32>
  %0 = strata.greater %a, %z : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xi1>
  %1 = strata.cast %a : (tensor<2xf32>) -> tensor<2xi32>
  return %0, %1 : tensor<2xi1>, tensor<2xi32>
}

// Division by zero is not folded away.
// CHECK-LABEL: func @no_fold_error
// CHECK: strata.div
func.func @no_fold_error() -> tensor<2xi32> {
  %a = strata.constant dense<[1, 2]> : tensor<2xi32>
  %b = strata.constant dense<[1, 0]> : tensor<2xi32>
  %0 = strata.div %a, %b : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
  return %0 : tensor<2xi32>
}

// Non-constant operands and identity casts.
// CHECK-LABEL: func @no_fold
// CHECK: strata.add %arg0
// CHECK-NEXT: return
func.func @no_fold(%x: tensor<3xf32>) -> tensor<3xf32> {
  %b = strata.constant dense<1.0> : tensor<3xf32>
  %0 = strata.add %x, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %1 = strata.cast %0 : (tensor<3xf32>) -> tensor<3xf32>
  return %1 : tensor<3xf32>
}
