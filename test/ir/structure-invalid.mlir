// RUN: strata-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{'strata.parameter' op parameter @w must have a static shape, got 'tensor<?x3xf32>'}}
strata.parameter @w : tensor<?x3xf32> {init = #strata.init<kind = constant>}

// -----

// expected-error @+1 {{'strata.parameter' op lr_scale and wd_scale must be >= 0}}
strata.parameter @w : tensor<3xf32> {init = #strata.init<kind = constant>, lr_scale = -1.0}

// -----

// expected-error @+1 {{'strata.parameter' op parameter @w shares from itself}}
strata.parameter @w : tensor<3xf32> {init = #strata.init<kind = constant>, share_from = @w}

// -----

// expected-error @+1 {{'strata.parameter' op share_from names @nothing, which is not a strata.parameter}}
strata.parameter @w : tensor<3xf32> {init = #strata.init<kind = constant>, share_from = @nothing}

// -----

strata.parameter @a : tensor<4xf32> {init = #strata.init<kind = constant>}
// expected-error @+1 {{'strata.parameter' op share_from @a has type 'tensor<4xf32>', but this parameter has type 'tensor<3xf32>'}}
strata.parameter @w : tensor<3xf32> {init = #strata.init<kind = constant>, share_from = @a}

// -----

// expected-error @+1 {{init std must be >= 0, got -1}}
strata.parameter @w : tensor<3xf32> {init = #strata.init<kind = gaussian, std = -1.0>}

// -----

// expected-error @+1 {{init range is empty: low 1.000000e+00 > high 0.000000e+00}}
strata.parameter @w : tensor<3xf32> {init = #strata.init<kind = uniform, low = 1.0, high = 0.0>}

// -----

func.func @f() {
  // expected-error @+1 {{'strata.param_value' op 'missing' does not name a strata.parameter}}
  %0 = strata.param_value @missing : tensor<3xf32>
  return
}

// -----

strata.parameter @w : tensor<3xf32> {init = #strata.init<kind = constant>}
func.func @f() {
  // expected-error @+1 {{'strata.param_value' op result type 'tensor<4xf32>' does not match parameter type 'tensor<3xf32>'}}
  %0 = strata.param_value @w : tensor<4xf32>
  return
}

// -----

func.func @f() {
  // expected-error @+1 {{'strata.data_input' op data input name must not be empty}}
  %0 = strata.data_input "" : tensor<3xf32>
  return
}

// -----

func.func @f() {
  // expected-error @+1 {{'strata.data_input' op data input 'data' has no results}}
  "strata.data_input"() <{name = "data"}> : () -> ()
  return
}

// -----

func.func @f(%a: tensor<3xf32>) {
  // expected-error @+1 {{'strata.cast' op result shape 4 differs from operand shape 3}}
  %0 = strata.cast %a : (tensor<3xf32>) -> tensor<4xi32>
  return
}

// -----

func.func @f(%a: tensor<3xf32>) {
  // expected-error @+1 {{'strata.cast' op round_mode must be up, down or nearest, not 'zero'}}
  %0 = strata.cast %a {round_mode = "zero"} : (tensor<3xf32>) -> tensor<3xf8E8M0FNU>
  return
}

// -----

// expected-error @+1 {{'strata.phase' must be a #strata.phase<...> attribute}}
func.func @f() attributes {strata.phase = 1 : i32} { return }

// -----

// expected-error @+1 {{'strata.phase' is only valid on a function}}
module attributes {strata.phase = #strata.phase<train>} {}

// -----

// expected-error @+1 {{'strata.gradient_of' must be a symbol reference on a function}}
func.func @g() attributes {strata.gradient_of = "train"} { return }

// -----

// expected-error @+1 {{unknown strata attribute 'strata.nonsense'}}
func.func @f() attributes {strata.nonsense = 1 : i32} { return }

// -----

func.func @f() {
  // expected-error @+1 {{'strata.constant' value must be a ranked tensor}}
  %0 = strata.constant dense<1.0> : vector<2xf32>
  return
}

// -----

func.func @f(%a: tensor<3xf32>) {
  // expected-error @+1 {{'strata.layer' must be a string}}
  %0 = strata.neg %a {strata.layer = 1 : i64} : (tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @f(%a: tensor<3xf32>) {
  // expected-error @+1 {{'strata.partition_dim' must be an integer in [-1, 1]}}
  %0 = strata.neg %a {strata.partition_dim = 2 : i64} : (tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @f(%a: tensor<3xf32>) {
  // expected-error @+1 {{'strata.source' must be a dictionary on a strata.data_input}}
  %0 = strata.neg %a {strata.source = {}} : (tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

// expected-error @+1 {{'strata.updater' must be a dictionary on a module}}
func.func @f() attributes {strata.updater = 1 : i64} { return }

// -----

// expected-error @+1 {{'strata.arena_bytes' must be an integer on a function}}
func.func @f() attributes {strata.arena_bytes = "big"} { return }

// -----

func.func @bitcast_width(%a: tensor<3xf32>) {
  // expected-error @+2 {{'strata.bitcast' cannot reinterpret f32 (32 bits) as i16 (16 bits)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.bitcast %a {to = i16} : (tensor<3xf32>) -> tensor<3xi16>
  return
}

// -----

func.func @bitcast_to(%a: tensor<3xi64>) {
  // expected-error @+2 {{'strata.bitcast' to must be an integer or float type, got index}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.bitcast %a {to = index} : (tensor<3xi64>) -> tensor<3xi64>
  return
}
