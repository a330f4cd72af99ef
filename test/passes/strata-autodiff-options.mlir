// RUN: strata-opt %s --strata-autodiff="function=f wrt-arguments=true loss-result=1" | FileCheck %s
// RUN: not strata-opt %s --strata-autodiff="function=missing" 2>&1 | FileCheck %s --check-prefix=MISSING

// Any function by name; gradients with respect to float arguments; another
// result as the loss.
// CHECK-LABEL: func.func @f_grad(%{{.*}}: tensor<3xf32>, %{{.*}}: tensor<3xi32>) -> (tensor<3xf32>, tensor<f32>, tensor<3xf32> {strata.grad_of_arg = 0 : i64})
// d(sum(x * x))/dx: the seed broadcast to x, times x, from both operands.
// CHECK: %[[SEED:.*]] = strata.add %{{.*}}, %{{.*}} : (tensor<3xf32>, tensor<1xf32>) -> tensor<3xf32>
// CHECK: %[[A:.*]] = strata.mul %[[SEED]], %arg0
// CHECK: %[[B:.*]] = strata.mul %[[SEED]], %arg0
// CHECK: %[[G:.*]] = strata.add %[[A]], %[[B]]
// CHECK: return %arg0, %{{.*}}, %[[G]] :
func.func @f(%x: tensor<3xf32>, %i: tensor<3xi32>) -> (tensor<3xf32>, tensor<f32>) {
  %0 = strata.mul %x, %x : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %1 = strata.reduce_sum %0 {keepdims = false} : (tensor<3xf32>) -> tensor<f32>
  return %x, %1 : tensor<3xf32>, tensor<f32>
}

// MISSING: error: --strata-autodiff: no function @missing
