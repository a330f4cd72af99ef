// RUN: strata-opt %s -split-input-file -verify-diagnostics

func.func @bn_rank(%x: tensor<3xf32>, %p: tensor<3xf32>) {
  // expected-error @+2 {{'strata.batch_norm' input must have rank >= 2 ([N, C, ...]), got shape 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.batch_norm %x, %p, %p, %p, %p : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @bn_type(%x: tensor<2x3xf32>, %p: tensor<3xf32>, %q: tensor<3xf64>) {
  // expected-error @+2 {{'strata.batch_norm' scale element type f64 differs from input element type f32}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.batch_norm %x, %q, %p, %p, %p : (tensor<2x3xf32>, tensor<3xf64>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @bn_param(%x: tensor<2x3xf32>, %p: tensor<3xf32>, %q: tensor<4xf32>) {
  // expected-error @+2 {{'strata.batch_norm' variance shape 4 is not [C] = [3] for input 2x3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.batch_norm %x, %p, %p, %p, %q : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @bn_epsilon(%x: tensor<2x3xf32>, %p: tensor<3xf32>) {
  // expected-error @+1 {{'strata.batch_norm' op epsilon -1.000000e+00 must be >= 0}}
  %0 = strata.batch_norm %x, %p, %p, %p, %p {epsilon = -1.0} : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @bnt_param(%x: tensor<?x?xf32>, %p: tensor<3xf32>, %q: tensor<2x3xf32>) {
  // expected-error @+2 {{'strata.batch_norm_train' running_var shape 2x3 is not [C] = [3] for input ?x?}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:5 = strata.batch_norm_train %x, %p, %p, %p, %q : (tensor<?x?xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<2x3xf32>) -> (tensor<?x?xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
  return
}

// -----

func.func @bnt_momentum(%x: tensor<2x3xf32>, %p: tensor<3xf32>) {
  // expected-error @+1 {{'strata.batch_norm_train' op momentum 1.500000e+00 must be in [0, 1]}}
  %0:5 = strata.batch_norm_train %x, %p, %p, %p, %p {momentum = 1.5} : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
  return
}

// -----

func.func @bnt_stats(%x: tensor<2x3xf32>, %p: tensor<3xf32>) {
  // expected-error @+2 {{'strata.batch_norm_train' op inferred type(s)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:5 = strata.batch_norm_train %x, %p, %p, %p, %p : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<2xf32>)
  return
}

// -----

func.func @ln_axis(%x: tensor<2x3xf32>, %s: tensor<3xf32>) {
  // expected-error @+2 {{'strata.layer_norm' axis 2 is out of range for input of rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.layer_norm %x, %s {axis = 2} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @ln_scale(%x: tensor<?x5x6xf32>, %s: tensor<5x6xf32>) {
  // expected-error @+2 {{'strata.layer_norm' scale shape 5x6 does not broadcast to the normalized shape 6 (input ?x5x6, axis -1)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.layer_norm %x, %s : (tensor<?x5x6xf32>, tensor<5x6xf32>) -> tensor<?x5x6xf32>
  return
}

// -----

func.func @ln_bias_type(%x: tensor<2x3xf32>, %s: tensor<3xf32>, %b: tensor<3xbf16>) {
  // expected-error @+2 {{'strata.layer_norm' bias element type bf16 differs from input element type f32}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.layer_norm %x, %s, %b : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xbf16>) -> tensor<2x3xf32>
  return
}

// -----

func.func @ln_epsilon(%x: tensor<2x3xf32>, %s: tensor<3xf32>) {
  // expected-error @+1 {{'strata.layer_norm' op epsilon -5.000000e-01 must be >= 0}}
  %0 = strata.layer_norm %x, %s {epsilon = -0.5} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @in_rank(%x: tensor<f32>, %p: tensor<3xf32>) {
  // expected-error @+2 {{'strata.instance_norm' input must have rank >= 2 ([N, C, ...]), got shape []}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.instance_norm %x, %p, %p : (tensor<f32>, tensor<3xf32>, tensor<3xf32>) -> tensor<f32>
  return
}

// -----

func.func @in_param(%x: tensor<2x3x4xf32>, %p: tensor<3xf32>, %q: tensor<f32>) {
  // expected-error @+2 {{'strata.instance_norm' bias shape [] is not [C] = [3] for input 2x3x4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.instance_norm %x, %p, %q : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<f32>) -> tensor<2x3x4xf32>
  return
}

// -----

func.func @in_epsilon(%x: tensor<2x3x4xf32>, %p: tensor<3xf32>) {
  // expected-error @+1 {{'strata.instance_norm' op epsilon -2.000000e+00 must be >= 0}}
  %0 = strata.instance_norm %x, %p, %p {epsilon = -2.0} : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4xf32>
  return
}

// -----

func.func @gn_groups(%x: tensor<2x4x5xf32>, %p: tensor<4xf32>) {
  // expected-error @+2 {{'strata.group_norm' num_groups 0 must be >= 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.group_norm %x, %p, %p {num_groups = 0} : (tensor<2x4x5xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4x5xf32>
  return
}

// -----

func.func @gn_split(%x: tensor<2x?x5xf32>, %p: tensor<4xf32>) {
  // expected-error @+2 {{'strata.group_norm' 4 channels do not split into 3 groups}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.group_norm %x, %p, %p {num_groups = 3} : (tensor<2x?x5xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x?x5xf32>
  return
}

// -----

func.func @gn_param(%x: tensor<2x4x5xf32>, %p: tensor<4xf32>, %q: tensor<2xf32>) {
  // expected-error @+2 {{'strata.group_norm' scale shape 2 is not [C] = [4] for input 2x4x5}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.group_norm %x, %q, %p {num_groups = 2} : (tensor<2x4x5xf32>, tensor<2xf32>, tensor<4xf32>) -> tensor<2x4x5xf32>
  return
}

// -----

func.func @gn_epsilon(%x: tensor<2x4x5xf32>, %p: tensor<4xf32>) {
  // expected-error @+1 {{'strata.group_norm' op epsilon -1.000000e+00 must be >= 0}}
  %0 = strata.group_norm %x, %p, %p {num_groups = 2, epsilon = -1.0} : (tensor<2x4x5xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4x5xf32>
  return
}

// -----

func.func @gn_missing_groups(%x: tensor<2x4x5xf32>, %p: tensor<4xf32>) {
  // expected-error @+1 {{'strata.group_norm' op requires attribute 'num_groups'}}
  %0 = strata.group_norm %x, %p, %p : (tensor<2x4x5xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4x5xf32>
  return
}

// -----

func.func @lp_axis(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'strata.lp_normalization' axis -3 is out of range for input of rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.lp_normalization %x {axis = -3} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @lp_p(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'strata.lp_normalization' op p 3 must be 1 or 2}}
  %0 = strata.lp_normalization %x {p = 3} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}
