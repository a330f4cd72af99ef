// RUN: strata-opt %s --strata-infer-shapes | FileCheck %s

// Constants carry their own type; callers and signatures follow refined
// results.

// CHECK-LABEL: func @callee
// CHECK-SAME: -> tensor<2x3xf32>
func.func @callee(%a: tensor<2x3xf32>) -> tensor<?x?xf32> {
  // CHECK: strata.constant {{.*}} : tensor<3xf32>
  %c = strata.constant dense<1.0> : tensor<3xf32>
  // CHECK: strata.add {{.*}} -> tensor<2x3xf32>
  %0 = strata.add %a, %c : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// CHECK-LABEL: func @caller
// CHECK: call @callee({{.*}}) : (tensor<2x3xf32>) -> tensor<2x3xf32>
func.func @caller(%a: tensor<2x3xf32>) -> tensor<?x?xf32> {
  %0 = func.call @callee(%a) : (tensor<2x3xf32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}
