// RUN: strata-opt %s --strata-autodiff --strata-updater --split-input-file --verify-diagnostics | FileCheck %s

// Adam: two state tensors per trainable parameter; the non-trainable @s
// comes back unchanged; the step counter drives the schedule.
module attributes {strata.updater = {type = "adam", beta1 = 0.9, beta2 = 0.999, delta = 1.0e-8, learning_rate = {type = "fixed", base_lr = 0.01}}} {
  strata.parameter @w : tensor<2xf32> {init = #strata.init<kind = constant, value = 1.0>, lr_scale = 2.0}
  strata.parameter @s : tensor<f32> {init = #strata.init<kind = constant, value = 3.0>, trainable = false}
  func.func @train(%x: tensor<2xf32>) -> tensor<f32> attributes {strata.phase = #strata.phase<train>} {
    %w = strata.param_value @w : tensor<2xf32>
    %s = strata.param_value @s : tensor<f32>
    %0 = strata.mul %w, %x : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
    %1 = strata.mul %0, %s : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>
    %2 = strata.reduce_sum %1 {keepdims = false} : (tensor<2xf32>) -> tensor<f32>
    return %2 : tensor<f32>
  }
}
// CHECK-LABEL: func.func @train_step(
// CHECK-SAME: %[[W:.*]]: tensor<2xf32> {strata.param = @w}, %[[S:.*]]: tensor<f32> {strata.param = @s},
// CHECK-SAME: %{{.*}}: tensor<2xf32> {strata.param = @w, strata.state = "m"}, %{{.*}}: tensor<2xf32> {strata.param = @w, strata.state = "v"},
// CHECK-SAME: %{{.*}}: tensor<i64> {strata.step}, %{{.*}}: tensor<2xf32>)
// CHECK-SAME: -> (tensor<2xf32> {strata.param = @w}, tensor<f32> {strata.param = @s}, tensor<2xf32> {strata.param = @w, strata.state = "m"}, tensor<2xf32> {strata.param = @w, strata.state = "v"}, tensor<f32>)
// CHECK-SAME: strata.step_of = @train
// CHECK-NOT: strata.param_value
// CHECK: strata.cast %{{.*}} : (tensor<i64>) -> tensor<f32>
// The learning rate times lr_scale 2.
// CHECK: strata.constant dense<2.000000e+00>
// CHECK: strata.sqrt
// CHECK: return %{{.*}}, %[[S]], %{{.*}}, %{{.*}}, %{{.*}} :

// -----

module attributes {strata.updater = {type = "lbfgs"}} {
  strata.parameter @w : tensor<2xf32> {init = #strata.init<kind = constant, value = 1.0>}
  // expected-error @+1 {{--strata-updater: unsupported updater 'lbfgs'}}
  func.func @train() -> tensor<f32> attributes {strata.phase = #strata.phase<train>} {
    %w = strata.param_value @w : tensor<2xf32>
    %0 = strata.reduce_sum %w {keepdims = false} : (tensor<2xf32>) -> tensor<f32>
    return %0 : tensor<f32>
  }
}
