// RUN: strata-opt %s -split-input-file -verify-diagnostics

func.func @softmax_axis(%a: tensor<?x4xf32>) {
  // expected-error @+2 {{'strata.softmax' axis 2 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.softmax %a {axis = 2} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return
}

// -----

func.func @log_softmax_axis(%a: tensor<?x4xf32>) {
  // expected-error @+2 {{'strata.log_softmax' axis -3 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.log_softmax %a {axis = -3} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return
}

// -----

func.func @softmax_scalar(%a: tensor<f32>) {
  // expected-error @+2 {{'strata.softmax' axis -1 is out of range for rank 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.softmax %a : (tensor<f32>) -> tensor<f32>
  return
}

// -----

func.func @prelu_types(%a: tensor<2x3xf32>, %s: tensor<3xf64>) {
  // expected-error @+2 {{'strata.prelu' input and slope have different element types}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.prelu %a, %s : (tensor<2x3xf32>, tensor<3xf64>) -> tensor<2x3xf32>
  return
}

// -----

func.func @prelu_broadcast(%a: tensor<?x3xf32>, %s: tensor<4xf32>) {
  // expected-error @+2 {{'strata.prelu' slope shape 4 does not broadcast to input shape ?x3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.prelu %a, %s : (tensor<?x3xf32>, tensor<4xf32>) -> tensor<?x3xf32>
  return
}

// -----

// Unidirectional: the slope may not widen the input.
func.func @prelu_rank(%a: tensor<3xf32>, %s: tensor<2x3xf32>) {
  // expected-error @+2 {{'strata.prelu' slope shape 2x3 does not broadcast to input shape 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.prelu %a, %s : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @prelu_result(%a: tensor<2x3xf32>, %s: tensor<3xf32>) {
  // expected-error @+2 {{'strata.prelu' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.prelu %a, %s : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @celu_alpha(%a: tensor<3xf32>) {
  // expected-error @+1 {{'strata.celu' op alpha must be nonzero}}
  %0 = strata.celu %a {alpha = 0.0} : (tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @gelu_approximate(%a: tensor<3xf32>) {
  // expected-error @+1 {{'strata.gelu' op attribute 'approximate' failed to satisfy constraint: string attribute whose value is "none" or "tanh"}}
  %0 = strata.gelu %a {approximate = "erf"} : (tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @float_only(%a: tensor<3xi32>) {
  // expected-error @+1 {{'strata.relu' op operand #0 must be ranked tensor of floating-point values}}
  %0 = strata.relu %a : (tensor<3xi32>) -> tensor<3xi32>
  return
}

// -----

func.func @alpha_type(%a: tensor<3xf32>) {
  // expected-error @+1 {{'strata.leaky_relu' op attribute 'alpha' failed to satisfy constraint: 64-bit float attribute}}
  %0 = strata.leaky_relu %a {alpha = 1} : (tensor<3xf32>) -> tensor<3xf32>
  return
}
