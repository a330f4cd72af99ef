// RUN: strata-opt %s -split-input-file -verify-diagnostics

func.func @no_broadcast(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{'strata.add' operand shapes 2x3 and 4 do not broadcast}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.add %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @element_types(%a: tensor<3xf32>, %b: tensor<3xf64>) {
  // expected-error @+2 {{'strata.mul' operands have different element types}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.mul %a, %b : (tensor<3xf32>, tensor<3xf64>) -> tensor<3xf32>
  return
}

// -----

func.func @wrong_result(%a: tensor<3xf32>) {
  // expected-error @+2 {{'strata.sub' op inferred type(s) 'tensor<3xf32>' are incompatible with return type(s) of operation 'tensor<4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.sub %a, %a : (tensor<3xf32>, tensor<3xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @compare_result(%a: tensor<3xf32>) {
  // expected-error @+1 {{'strata.less' op result #0 must be ranked tensor of 1-bit signless integer values, but got 'tensor<3xf32>'}}
  %0 = strata.less %a, %a : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @float_only(%a: tensor<3xi32>) {
  // expected-error @+1 {{'strata.exp' op operand #0 must be ranked tensor of floating-point values}}
  %0 = strata.exp %a : (tensor<3xi32>) -> tensor<3xi32>
  return
}

// -----

func.func @clip_range(%a: tensor<3xf32>) {
  // expected-error @+1 {{'strata.clip' op min 2.000000e+00 is greater than max 1.000000e+00}}
  %0 = strata.clip %a {min = 2.0, max = 1.0} : (tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @where_broadcast(%c: tensor<2xi1>, %a: tensor<3xf32>) {
  // expected-error @+2 {{'strata.where' operand shapes 2, 3 and 3 do not broadcast}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.where %c, %a, %a : (tensor<2xi1>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @where_types(%c: tensor<3xi1>, %a: tensor<3xf32>, %b: tensor<3xi32>) {
  // expected-error @+2 {{'strata.where' value operands have different element types}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.where %c, %a, %b : (tensor<3xi1>, tensor<3xf32>, tensor<3xi32>) -> tensor<3xf32>
  return
}
