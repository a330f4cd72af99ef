// RUN: strata-opt %s -split-input-file -verify-diagnostics

func.func @reduce_sum_axis(%a: tensor<?x4xf32>) {
  // expected-error @+2 {{'strata.reduce_sum' axis 2 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.reduce_sum %a {axes = array<i64: 0, 2>} : (tensor<?x4xf32>) -> tensor<1x1xf32>
  return
}

// -----

func.func @reduce_mean_duplicate(%a: tensor<?x4xf32>) {
  // expected-error @+2 {{'strata.reduce_mean' axes [1, -1] name dimension 1 more than once}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.reduce_mean %a {axes = array<i64: 1, -1>} : (tensor<?x4xf32>) -> tensor<?x1xf32>
  return
}

// -----

func.func @reduce_max_axis(%a: tensor<?x4xf32>) {
  // expected-error @+2 {{'strata.reduce_max' axis 3 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.reduce_max %a {axes = array<i64: 0, 3>} : (tensor<?x4xf32>) -> tensor<1x1xf32>
  return
}

// -----

func.func @reduce_min_duplicate(%a: tensor<?x4xf32>) {
  // expected-error @+2 {{'strata.reduce_min' axes [1, -1] name dimension 1 more than once}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.reduce_min %a {axes = array<i64: 1, -1>} : (tensor<?x4xf32>) -> tensor<?x1xf32>
  return
}

// -----

func.func @reduce_prod_axis(%a: tensor<?x4xf32>) {
  // expected-error @+2 {{'strata.reduce_prod' axis 4 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.reduce_prod %a {axes = array<i64: 0, 4>} : (tensor<?x4xf32>) -> tensor<1x1xf32>
  return
}

// -----

func.func @reduce_l1_duplicate(%a: tensor<?x4xf32>) {
  // expected-error @+2 {{'strata.reduce_l1' axes [1, -1] name dimension 1 more than once}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.reduce_l1 %a {axes = array<i64: 1, -1>} : (tensor<?x4xf32>) -> tensor<?x1xf32>
  return
}

// -----

func.func @reduce_l2_axis(%a: tensor<?x4xf32>) {
  // expected-error @+2 {{'strata.reduce_l2' axis 5 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.reduce_l2 %a {axes = array<i64: 0, 5>} : (tensor<?x4xf32>) -> tensor<1x1xf32>
  return
}

// -----

func.func @reduce_log_sum_duplicate(%a: tensor<?x4xf32>) {
  // expected-error @+2 {{'strata.reduce_log_sum' axes [1, -1] name dimension 1 more than once}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.reduce_log_sum %a {axes = array<i64: 1, -1>} : (tensor<?x4xf32>) -> tensor<?x1xf32>
  return
}

// -----

func.func @reduce_log_sum_exp_axis(%a: tensor<?x4xf32>) {
  // expected-error @+2 {{'strata.reduce_log_sum_exp' axis 6 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.reduce_log_sum_exp %a {axes = array<i64: 0, 6>} : (tensor<?x4xf32>) -> tensor<1x1xf32>
  return
}

// -----

func.func @reduce_sum_square_duplicate(%a: tensor<?x4xf32>) {
  // expected-error @+2 {{'strata.reduce_sum_square' axes [1, -1] name dimension 1 more than once}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.reduce_sum_square %a {axes = array<i64: 1, -1>} : (tensor<?x4xf32>) -> tensor<?x1xf32>
  return
}

// -----

func.func @negative_axis(%a: tensor<?x4xf32>) {
  // expected-error @+2 {{'strata.reduce_sum' axis -3 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.reduce_sum %a {axes = array<i64: -3>} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return
}

// -----

func.func @reduce_result(%a: tensor<?x4xf32>) {
  // expected-error @+2 {{'strata.reduce_sum' op inferred type(s) 'tensor<?xf32>' are incompatible with return type(s) of operation 'tensor<?x1xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.reduce_sum %a {axes = array<i64: 1>, keepdims = false} : (tensor<?x4xf32>) -> tensor<?x1xf32>
  return
}

// -----

func.func @reduce_l2_float_only(%a: tensor<3xi32>) {
  // expected-error @+1 {{'strata.reduce_l2' op operand #0 must be ranked tensor of floating-point values}}
  %0 = strata.reduce_l2 %a : (tensor<3xi32>) -> tensor<1xi32>
  return
}

// -----

func.func @reduce_log_sum_float_only(%a: tensor<3xi32>) {
  // expected-error @+1 {{'strata.reduce_log_sum' op operand #0 must be ranked tensor of floating-point values}}
  %0 = strata.reduce_log_sum %a : (tensor<3xi32>) -> tensor<1xi32>
  return
}

// -----

func.func @reduce_log_sum_exp_float_only(%a: tensor<3xi32>) {
  // expected-error @+1 {{'strata.reduce_log_sum_exp' op operand #0 must be ranked tensor of floating-point values}}
  %0 = strata.reduce_log_sum_exp %a : (tensor<3xi32>) -> tensor<1xi32>
  return
}

// -----

func.func @argmax_axis(%a: tensor<?x4xf32>) {
  // expected-error @+2 {{'strata.argmax' axis 2 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.argmax %a {axis = 2} : (tensor<?x4xf32>) -> tensor<?x4xi64>
  return
}

// -----

func.func @argmin_axis(%a: tensor<?x4xf32>) {
  // expected-error @+2 {{'strata.argmin' axis -3 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.argmin %a {axis = -3} : (tensor<?x4xf32>) -> tensor<?x4xi64>
  return
}

// -----

func.func @argmax_empty(%a: tensor<?x0xf32>) {
  // expected-error @+2 {{'strata.argmax' axis -1 of input shape ?x0 is empty: no element to pick}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.argmax %a {axis = -1} : (tensor<?x0xf32>) -> tensor<?x1xi64>
  return
}

// -----

func.func @argmin_empty(%a: tensor<0x3xi32>) {
  // expected-error @+2 {{'strata.argmin' axis 0 of input shape 0x3 is empty: no element to pick}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.argmin %a : (tensor<0x3xi32>) -> tensor<1x3xi64>
  return
}

// -----

func.func @argmax_result(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'strata.argmax' op result #0 must be ranked tensor of 64-bit signless integer values, but got 'tensor<1x3xi32>'}}
  %0 = strata.argmax %a : (tensor<2x3xf32>) -> tensor<1x3xi32>
  return
}

// -----

func.func @cumsum_axis(%a: tensor<?x4xf32>) {
  // expected-error @+2 {{'strata.cumsum' axis 2 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.cumsum %a {axis = 2} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return
}

// -----

func.func @cumsum_no_axis(%a: tensor<?x4xf32>) {
  // expected-error @+1 {{'strata.cumsum' op requires attribute 'axis'}}
  %0 = strata.cumsum %a : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return
}

// -----

func.func @cumprod_axis(%a: tensor<?x4xf32>) {
  // expected-error @+2 {{'strata.cumprod' axis -3 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.cumprod %a {axis = -3} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return
}

// -----

func.func @cumprod_no_axis(%a: tensor<?x4xf32>) {
  // expected-error @+1 {{'strata.cumprod' op requires attribute 'axis'}}
  %0 = strata.cumprod %a : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return
}
