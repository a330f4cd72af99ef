// RUN: strata-opt %s --strata-contrastive-divergence --split-input-file --verify-diagnostics

// The dialect checks the form of strata.rbm when it parses it.
// expected-error @+1 {{'strata.rbm' must be an array of dictionaries on a function}}
func.func @train() attributes {strata.rbm = {visible = 0 : i64}} {
  return
}

// -----

// expected-error @+1 {{'strata.rbm' entry 0 has no field 'hidden_weight'}}
func.func @train() attributes {strata.rbm = [{visible = 0 : i64, hidden = 1 : i64, weight = @w}]} {
  return
}

// -----

// expected-error @+1 {{'strata.rbm' entry 1: field 'weight' must be a parameter symbol (@name)}}
func.func @train() attributes {strata.rbm = [{visible = 0 : i64, hidden = 1 : i64, weight = @w, hidden_weight = @wt}, {visible = 0 : i64, hidden = 1 : i64, weight = "w", hidden_weight = @wt}]} {
  return
}

// -----

// expected-error @+1 {{'strata.rbm' entry 0: field 'visible' must be a result index (an integer >= 0)}}
func.func @train() attributes {strata.rbm = [{visible = -1 : i64, hidden = 1 : i64, weight = @w, hidden_weight = @wt}]} {
  return
}

// -----

// expected-error @+1 {{'strata.rbm' entry 0 has an unknown field 'bias'}}
func.func @train() attributes {strata.rbm = [{visible = 0 : i64, hidden = 1 : i64, weight = @w, hidden_weight = @wt, bias = @b}]} {
  return
}

// -----

// The pass needs the job's algorithm and k.
// expected-error @+1 {{--strata-contrastive-divergence: the module does not train with contrastive divergence (it needs strata.alg = {alg = "cd", cd_k = K})}}
module attributes {strata.alg = {alg = "bp", cd_k = 1 : i64}} {
  func.func @train() attributes {strata.phase = #strata.phase<train>} {
    return
  }
}

// -----

// expected-error @+1 {{--strata-contrastive-divergence: cd_k must be >= 1, got 0}}
module attributes {strata.alg = {alg = "cd", cd_k = 0 : i64}} {
  func.func @train() attributes {strata.phase = #strata.phase<train>} {
    return
  }
}

// -----

module attributes {strata.alg = {alg = "cd", cd_k = 1 : i64}} {
  // expected-error @+1 {{contrastive divergence needs the RBMs this train function trains: it has no strata.rbm description (kRBMVis / kRBMHid pairs)}}
  func.func @train() attributes {strata.phase = #strata.phase<train>} {
    return
  }
}

// -----

module attributes {strata.alg = {alg = "cd", cd_k = 1 : i64}} {
  strata.parameter @w : tensor<2x4xf32> {init = #strata.init<kind = constant>}
  strata.parameter @wt : tensor<2x4xf32> {init = #strata.init<kind = constant>, share_from = @w}
  // expected-error @+1 {{strata.rbm entry 0 ('vis'): hidden result 2 is out of range (@train has 2 results)}}
  func.func @train(%v: tensor<3x4xf32>, %h: tensor<3x2xf32>) -> (tensor<3x4xf32>, tensor<3x2xf32>) attributes {strata.phase = #strata.phase<train>, strata.rbm = [{visible = 0 : i64, hidden = 2 : i64, weight = @w, hidden_weight = @wt, visible_layer = "vis"}]} {
    return %v, %h : tensor<3x4xf32>, tensor<3x2xf32>
  }
}

// -----

module attributes {strata.alg = {alg = "cd", cd_k = 1 : i64}} {
  strata.parameter @w : tensor<2x4xf32> {init = #strata.init<kind = constant>}
  // expected-error @+1 {{strata.rbm entry 0 ('rbm0'): hidden_weight @nope is not a strata.parameter}}
  func.func @train(%v: tensor<3x4xf32>, %h: tensor<3x2xf32>) -> (tensor<3x4xf32>, tensor<3x2xf32>) attributes {strata.phase = #strata.phase<train>, strata.rbm = [{visible = 0 : i64, hidden = 1 : i64, weight = @w, hidden_weight = @nope}]} {
    return %v, %h : tensor<3x4xf32>, tensor<3x2xf32>
  }
}

// -----

// The weight must be [hdim, vdim] for the visible input's vdim.
module attributes {strata.alg = {alg = "cd", cd_k = 1 : i64}} {
  strata.parameter @w : tensor<2x5xf32> {init = #strata.init<kind = constant>}
  strata.parameter @wt : tensor<2x5xf32> {init = #strata.init<kind = constant>, share_from = @w}
  // expected-error @+1 {{strata.rbm entry 0 ('rbm0'): weight @w has type 'tensor<2x5xf32>' but the visible input 'tensor<3x4xf32>' needs [hdim, 4] of its element type}}
  func.func @train(%v: tensor<3x4xf32>, %h: tensor<3x2xf32>) -> (tensor<3x4xf32>, tensor<3x2xf32>) attributes {strata.phase = #strata.phase<train>, strata.rbm = [{visible = 0 : i64, hidden = 1 : i64, weight = @w, hidden_weight = @wt}]} {
    return %v, %h : tensor<3x4xf32>, tensor<3x2xf32>
  }
}

// -----

// The hidden layer's weight is the visible layer's, tied by share_from.
module attributes {strata.alg = {alg = "cd", cd_k = 1 : i64}} {
  strata.parameter @w : tensor<2x4xf32> {init = #strata.init<kind = constant>}
  strata.parameter @wt : tensor<2x4xf32> {init = #strata.init<kind = constant>}
  // expected-error @+1 {{strata.rbm entry 0 ('rbm0'): hidden_weight @wt is not tied to weight @w (share_from): an RBM has one weight}}
  func.func @train(%v: tensor<3x4xf32>, %h: tensor<3x2xf32>) -> (tensor<3x4xf32>, tensor<3x2xf32>) attributes {strata.phase = #strata.phase<train>, strata.rbm = [{visible = 0 : i64, hidden = 1 : i64, weight = @w, hidden_weight = @wt}]} {
    return %v, %h : tensor<3x4xf32>, tensor<3x2xf32>
  }
}

// -----

module attributes {strata.alg = {alg = "cd", cd_k = 1 : i64}} {
  strata.parameter @w : tensor<2x4xf32> {init = #strata.init<kind = constant>}
  strata.parameter @wt : tensor<3x4xf32> {init = #strata.init<kind = constant>}
  // expected-error @+1 {{strata.rbm entry 0 ('rbm0'): hidden_weight @wt has type 'tensor<3x4xf32>' but weight @w has 'tensor<2x4xf32>'}}
  func.func @train(%v: tensor<3x4xf32>, %h: tensor<3x2xf32>) -> (tensor<3x4xf32>, tensor<3x2xf32>) attributes {strata.phase = #strata.phase<train>, strata.rbm = [{visible = 0 : i64, hidden = 1 : i64, weight = @w, hidden_weight = @wt}]} {
    return %v, %h : tensor<3x4xf32>, tensor<3x2xf32>
  }
}

// -----

module attributes {strata.alg = {alg = "cd", cd_k = 1 : i64}} {
  strata.parameter @w : tensor<2x4xf32> {init = #strata.init<kind = constant>}
  strata.parameter @b : tensor<2xf32> {init = #strata.init<kind = constant>}
  strata.parameter @wt : tensor<2x4xf32> {init = #strata.init<kind = constant>, share_from = @w}
  // expected-error @+1 {{strata.rbm entry 0 ('rbm0'): visible_bias @b has type 'tensor<2xf32>' but the visible units need 'tensor<4xf32>'}}
  func.func @train(%v: tensor<3x4xf32>, %h: tensor<3x2xf32>) -> (tensor<3x4xf32>, tensor<3x2xf32>) attributes {strata.phase = #strata.phase<train>, strata.rbm = [{visible = 0 : i64, hidden = 1 : i64, weight = @w, hidden_weight = @wt, visible_bias = @b}]} {
    return %v, %h : tensor<3x4xf32>, tensor<3x2xf32>
  }
}

// -----

module attributes {strata.alg = {alg = "cd", cd_k = 1 : i64}} {
  strata.parameter @w : tensor<2x4xf32> {init = #strata.init<kind = constant>}
  strata.parameter @wt : tensor<2x4xf32> {init = #strata.init<kind = constant>, share_from = @w}
  strata.parameter @c : tensor<4xf32> {init = #strata.init<kind = constant>}
  // expected-error @+1 {{strata.rbm entry 0 ('rbm0'): hidden_bias @c has type 'tensor<4xf32>' but the hidden units need 'tensor<2xf32>'}}
  func.func @train(%v: tensor<3x4xf32>, %h: tensor<3x2xf32>) -> (tensor<3x4xf32>, tensor<3x2xf32>) attributes {strata.phase = #strata.phase<train>, strata.rbm = [{visible = 0 : i64, hidden = 1 : i64, weight = @w, hidden_weight = @wt, hidden_bias = @c}]} {
    return %v, %h : tensor<3x4xf32>, tensor<3x2xf32>
  }
}

// -----

// The positive phase must be [batch, hdim].
module attributes {strata.alg = {alg = "cd", cd_k = 1 : i64}} {
  strata.parameter @w : tensor<2x4xf32> {init = #strata.init<kind = constant>}
  strata.parameter @wt : tensor<2x4xf32> {init = #strata.init<kind = constant>, share_from = @w}
  // expected-error @+1 {{strata.rbm entry 0 ('rbm0'): the positive-phase hidden units (result 1) have type 'tensor<3x4xf32>' but need 'tensor<3x2xf32>'}}
  func.func @train(%v: tensor<3x4xf32>) -> (tensor<3x4xf32>, tensor<3x4xf32>) attributes {strata.phase = #strata.phase<train>, strata.rbm = [{visible = 0 : i64, hidden = 1 : i64, weight = @w, hidden_weight = @wt}]} {
    return %v, %v : tensor<3x4xf32>, tensor<3x4xf32>
  }
}

// -----

// CD divides by the batch size: it must be static.
module attributes {strata.alg = {alg = "cd", cd_k = 1 : i64}} {
  strata.parameter @w : tensor<2x4xf32> {init = #strata.init<kind = constant>}
  strata.parameter @wt : tensor<2x4xf32> {init = #strata.init<kind = constant>, share_from = @w}
  // expected-error @+1 {{strata.rbm entry 0 ('rbm0'): the visible input (result 0) must be a [batch, features] float tensor with static sizes, got 'tensor<?x4xf32>'}}
  func.func @train(%v: tensor<?x4xf32>, %h: tensor<?x2xf32>) -> (tensor<?x4xf32>, tensor<?x2xf32>) attributes {strata.phase = #strata.phase<train>, strata.rbm = [{visible = 0 : i64, hidden = 1 : i64, weight = @w, hidden_weight = @wt}]} {
    return %v, %h : tensor<?x4xf32>, tensor<?x2xf32>
  }
}

// -----

// A gradient function exists already.
module attributes {strata.alg = {alg = "cd", cd_k = 1 : i64}} {
  strata.parameter @w : tensor<2x4xf32> {init = #strata.init<kind = constant>}
  strata.parameter @wt : tensor<2x4xf32> {init = #strata.init<kind = constant>, share_from = @w}
  // expected-error @+1 {{a function @train_grad exists already}}
  func.func @train(%v: tensor<3x4xf32>, %h: tensor<3x2xf32>) -> (tensor<3x4xf32>, tensor<3x2xf32>) attributes {strata.phase = #strata.phase<train>, strata.rbm = [{visible = 0 : i64, hidden = 1 : i64, weight = @w, hidden_weight = @wt}]} {
    return %v, %h : tensor<3x4xf32>, tensor<3x2xf32>
  }
  func.func @train_grad() {
    return
  }
}
