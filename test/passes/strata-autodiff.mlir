// RUN: strata-opt %s --strata-autodiff --split-input-file --verify-diagnostics | FileCheck %s

// A two-parameter model: @train_grad returns the loss, then one gradient per
// parameter in declaration order. The tied @w_t (share_from @w) adds its
// gradient to @w's; the non-trainable @scale gets none.
module {
  strata.parameter @w : tensor<3x4xf32> {init = #strata.init<kind = constant, value = 0.5>}
  strata.parameter @b : tensor<3xf32> {init = #strata.init<kind = constant, value = 0.0>}
  strata.parameter @w_t : tensor<3x4xf32> {init = #strata.init<kind = constant, value = 0.5>, share_from = @w}
  strata.parameter @scale : tensor<f32> {init = #strata.init<kind = constant, value = 2.0>, trainable = false}
  func.func @train(%x: tensor<2x4xf32>, %l: tensor<2xi32>) -> (tensor<f32>, tensor<f32>) attributes {strata.phase = #strata.phase<train>} {
    %w = strata.param_value @w : tensor<3x4xf32>
    %b = strata.param_value @b : tensor<3xf32>
    %wt = strata.param_value @w_t : tensor<3x4xf32>
    %s = strata.param_value @scale : tensor<f32>
    %0 = strata.inner_product %x, %w, %b : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    %1 = strata.inner_product %x, %wt : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
    %2 = strata.add %0, %1 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
    %3 = strata.mul %2, %s : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
    %loss = strata.softmax_cross_entropy %3, %l : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<f32>
    %acc = strata.accuracy %3, %l : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<f32>
    return %loss, %acc : tensor<f32>, tensor<f32>
  }
  func.func @test(%x: tensor<2x4xf32>) -> tensor<2x3xf32> attributes {strata.phase = #strata.phase<test>} {
    %w = strata.param_value @w : tensor<3x4xf32>
    %0 = strata.inner_product %x, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
    return %0 : tensor<2x3xf32>
  }
}
// CHECK-LABEL: func.func @train(
// CHECK-LABEL: func.func @train_grad(%{{.*}}: tensor<2x4xf32>, %{{.*}}: tensor<2xi32>) -> (tensor<f32>, tensor<f32>, tensor<3x4xf32> {strata.grad_of = @w}, tensor<3xf32> {strata.grad_of = @b})
// CHECK-SAME: strata.gradient_of = @train
// CHECK: strata.softmax %{{.*}} {axis = 1 : i64}
// CHECK: strata.one_hot
// The reverse sweep meets the tied read first.
// CHECK: %[[GWT:.*]] = strata.matmul %{{.*}}, %{{.*}} : (tensor<3x2xf32>, tensor<2x4xf32>) -> tensor<3x4xf32>
// CHECK: %[[GW:.*]] = strata.matmul %{{.*}}, %{{.*}} : (tensor<3x2xf32>, tensor<2x4xf32>) -> tensor<3x4xf32>
// CHECK: %[[GB:.*]] = strata.reduce_sum %{{.*}} {axes = array<i64: 0>, keepdims = false} : (tensor<2x3xf32>) -> tensor<3xf32>
// CHECK: %[[SUM:.*]] = strata.add %[[GW]], %[[GWT]]
// CHECK: return %{{.*}}, %{{.*}}, %[[SUM]], %[[GB]]
// Only train functions are differentiated.
// CHECK-NOT: @test_grad

// -----

// --strata-autodiff reports an op on the loss path without a gradient.
module {
  strata.parameter @w : tensor<3x4xf32> {init = #strata.init<kind = constant, value = 0.5>}
  func.func @train(%x: tensor<2x4xf32>, %l: tensor<2xi32>) -> tensor<f32> attributes {strata.phase = #strata.phase<train>} {
    %w = strata.param_value @w : tensor<3x4xf32>
    %0 = strata.inner_product %x, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
    // expected-error @+1 {{'strata.accuracy' has no gradient: the loss depends on it through a differentiated value}}
    %acc = strata.accuracy %0, %l : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<f32>
    return %acc : tensor<f32>
  }
}

// -----

// Contrastive-divergence jobs are not back-propagation.
// expected-error @+1 {{--strata-autodiff: the job trains with contrastive divergence (strata.alg = cd), which is not back-propagation: build its gradient functions with --strata-contrastive-divergence}}
module attributes {strata.alg = {alg = "cd", cd_k = 1 : i64, unroll_len = 1 : i64}} {
}

// -----

// Without loss-result, the loss is the sum of the results marked strata.loss
// (one per unrolled step of a recurrent net).
// CHECK-LABEL: func.func @train_grad(
// CHECK: %[[SUM:.*]] = strata.add %{{.*}}, %{{.*}} : (tensor<f32>, tensor<f32>) -> tensor<f32>
// CHECK: return
func.func @train(%x: tensor<3xf32>) -> (tensor<f32> {strata.loss}, tensor<f32> {strata.loss}, tensor<f32>) attributes {strata.phase = #strata.phase<train>} {
  %0 = strata.reduce_sum %x {keepdims = false} : (tensor<3xf32>) -> tensor<f32>
  %1 = strata.mul %0, %0 : (tensor<f32>, tensor<f32>) -> tensor<f32>
  return %0, %1, %1 : tensor<f32>, tensor<f32>, tensor<f32>
}

// -----

// The sampling ops differentiate through their gradient ops, with a dynamic
// batch; roi_align's batch_indices get no gradient, deform_conv's bias is
// the output gradient summed over all dims but 1.
// CHECK-LABEL: func.func @train_grad(
// CHECK: %[[DX:.*]], %[[DR:.*]] = strata.roi_align_grad %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<?x4x2x2xf32>, tensor<3x4xf32>, tensor<3xi64>, tensor<3x4x1x1xf32>) -> (tensor<?x4x2x2xf32>, tensor<3x4xf32>)
// CHECK: %[[DS:.*]], %{{.*}} = strata.grid_sample_grad %{{.*}}, %{{.*}}, %[[DX]] : (tensor<?x4x3x3xf32>, tensor<?x2x2x2xf32>, tensor<?x4x2x2xf32>) -> (tensor<?x4x3x3xf32>, tensor<?x2x2x2xf32>)
// CHECK: %{{.*}}, %[[DW:.*]], %{{.*}}, %{{.*}} = strata.deform_conv_grad %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[DS]] {groups = 2 : i64, offset_group = 2 : i64}
// CHECK: %[[DB:.*]] = strata.reduce_sum %[[DS]] {axes = array<i64: 0, 2, 3>, keepdims = false} : (tensor<?x4x3x3xf32>) -> tensor<4xf32>
// CHECK: return %{{.*}}, %[[DW]], %[[DB]], %[[DR]]
module {
  strata.parameter @w : tensor<4x2x3x3xf32> {init = #strata.init<kind = constant, value = 0.5>}
  strata.parameter @b : tensor<4xf32> {init = #strata.init<kind = constant, value = 0.0>}
  strata.parameter @r : tensor<3x4xf32> {init = #strata.init<kind = constant, value = 1.0>}
  func.func @train(%x: tensor<?x4x5x5xf32>, %off: tensor<?x36x3x3xf32>, %m: tensor<?x18x3x3xf32>, %g: tensor<?x2x2x2xf32>, %bi: tensor<3xi64>) -> tensor<f32> attributes {strata.phase = #strata.phase<train>} {
    %w = strata.param_value @w : tensor<4x2x3x3xf32>
    %b = strata.param_value @b : tensor<4xf32>
    %r = strata.param_value @r : tensor<3x4xf32>
    %0 = strata.deform_conv %x, %w, %off, %m, %b {groups = 2, offset_group = 2} : (tensor<?x4x5x5xf32>, tensor<4x2x3x3xf32>, tensor<?x36x3x3xf32>, tensor<?x18x3x3xf32>, tensor<4xf32>) -> tensor<?x4x3x3xf32>
    %1 = strata.grid_sample %0, %g : (tensor<?x4x3x3xf32>, tensor<?x2x2x2xf32>) -> tensor<?x4x2x2xf32>
    %2 = strata.roi_align %1, %r, %bi : (tensor<?x4x2x2xf32>, tensor<3x4xf32>, tensor<3xi64>) -> tensor<3x4x1x1xf32>
    %l = strata.reduce_sum %2 {keepdims = false} : (tensor<3x4x1x1xf32>) -> tensor<f32>
    return %l : tensor<f32>
  }
}
