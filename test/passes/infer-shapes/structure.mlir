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

// A dynamic batch stays dynamic; the element type comes from `to`.
// CHECK-LABEL: func @bitcast
// CHECK-SAME: -> (tensor<?x3xi32>, tensor<2x2xf64>)
func.func @bitcast(%a: tensor<?x3xf32>, %b: tensor<2x2xui64>) -> (tensor<?x?xi32>, tensor<?x?xf64>) {
  // CHECK: strata.bitcast {{.*}} -> tensor<?x3xi32>
  %0 = strata.bitcast %a {to = i32} : (tensor<?x3xf32>) -> tensor<?x?xi32>
  // CHECK: strata.bitcast {{.*}} -> tensor<2x2xf64>
  %1 = strata.bitcast %b {to = f64} : (tensor<2x2xui64>) -> tensor<?x?xf64>
  return %0, %1 : tensor<?x?xi32>, tensor<?x?xf64>
}
