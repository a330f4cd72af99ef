// RUN: strata-opt %s -split-input-file -verify-diagnostics

func.func @state_size(%p: tensor<4xf32>, %rng: tensor<3xi64>) {
  // expected-error @+2 {{'strata.bernoulli_sample' rng state must have 2 elements [key, counter], got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %s, %r = strata.bernoulli_sample %p, %rng : (tensor<4xf32>, tensor<3xi64>) -> (tensor<4xf32>, tensor<3xi64>)
  return
}

// -----

func.func @state_type(%p: tensor<4xf32>, %rng: tensor<2xi32>) {
  // expected-error @+1 {{'strata.dropout' op operand #1 must be 1D tensor of 64-bit signless integer values}}
  %y, %m, %r = strata.dropout %p, %rng : (tensor<4xf32>, tensor<2xi32>) -> (tensor<4xf32>, tensor<4xi1>, tensor<2xi32>)
  return
}

// -----

func.func @gaussian_std(%m: tensor<4xf32>, %rng: tensor<2xi64>) {
  // expected-error @+1 {{'strata.gaussian_sample' op std must be >= 0, got -1.000000e+00}}
  %s, %r = strata.gaussian_sample %m, %rng {std = -1.0} : (tensor<4xf32>, tensor<2xi64>) -> (tensor<4xf32>, tensor<2xi64>)
  return
}

// -----

func.func @uniform_range(%like: tensor<4xf32>, %rng: tensor<2xi64>) {
  // expected-error @+1 {{'strata.random_uniform' op low 2.000000e+00 is greater than high 1.000000e+00}}
  %s, %r = strata.random_uniform %like, %rng {low = 2.0} : (tensor<4xf32>, tensor<2xi64>) -> (tensor<4xf32>, tensor<2xi64>)
  return
}

// -----

func.func @normal_std(%like: tensor<4xf32>, %rng: tensor<2xi64>) {
  // expected-error @+1 {{'strata.random_normal' op std must be >= 0, got -2.000000e+00}}
  %s, %r = strata.random_normal %like, %rng {std = -2.0} : (tensor<4xf32>, tensor<2xi64>) -> (tensor<4xf32>, tensor<2xi64>)
  return
}

// -----

func.func @dropout_ratio(%x: tensor<4xf32>, %rng: tensor<2xi64>) {
  // expected-error @+1 {{'strata.dropout' op ratio must be in [0, 1), got 1.000000e+00}}
  %y, %m, %r = strata.dropout %x, %rng {ratio = 1.0} : (tensor<4xf32>, tensor<2xi64>) -> (tensor<4xf32>, tensor<4xi1>, tensor<2xi64>)
  return
}

// -----

func.func @mask_type(%x: tensor<4xf32>, %rng: tensor<2xi64>) {
  // expected-error @+1 {{'strata.dropout' op result #1 must be ranked tensor of 1-bit signless integer values, but got 'tensor<4xf32>'}}
  %y, %m, %r = strata.dropout %x, %rng : (tensor<4xf32>, tensor<2xi64>) -> (tensor<4xf32>, tensor<4xf32>, tensor<2xi64>)
  return
}
