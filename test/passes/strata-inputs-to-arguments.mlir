// RUN: strata-opt --strata-inputs-to-arguments %s | FileCheck %s

strata.parameter @w : tensor<3x4xf32> {init = #strata.init<kind = constant>}
strata.parameter @w_tied : tensor<3x4xf32> {init = #strata.init<kind = constant>, share_from = @w}

// Data inputs become one argument per output (two reads of one input share
// them), parameter reads one argument per parameter, after the existing
// arguments.
// CHECK-LABEL: func.func @f(
// CHECK-SAME: %[[S:.*]]: tensor<f32>,
// CHECK-SAME: %[[X:.*]]: tensor<2x4xf32> {strata.data_input = "data", strata.output = 0 : i64},
// CHECK-SAME: %[[Y:.*]]: tensor<2xi32> {strata.data_input = "data", strata.output = 1 : i64},
// CHECK-SAME: %[[W:.*]]: tensor<3x4xf32> {strata.param = @w},
// CHECK-SAME: %[[T:.*]]: tensor<3x4xf32> {strata.param = @w_tied})
// CHECK-NOT: strata.data_input "
// CHECK-NOT: strata.param_value
// CHECK: strata.inner_product %[[X]], %[[W]]
// CHECK: strata.inner_product %[[X]], %[[T]]
// CHECK: strata.inner_product %[[X]], %[[W]]
// CHECK: return {{.*}}, %[[Y]]
func.func @f(%s: tensor<f32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2xi32>) {
  %x:2 = strata.data_input "data" : tensor<2x4xf32>, tensor<2xi32>
  %w = strata.param_value @w : tensor<3x4xf32>
  %a = strata.inner_product %x#0, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %t = strata.param_value @w_tied : tensor<3x4xf32>
  %b = strata.inner_product %x#0, %t : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  %x2:2 = strata.data_input "data" : tensor<2x4xf32>, tensor<2xi32>
  %w2 = strata.param_value @w : tensor<3x4xf32>
  %c = strata.inner_product %x2#0, %w2 : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
  return %a, %b, %c, %x2#1 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2xi32>
}
