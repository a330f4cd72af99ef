// RUN: strata-opt %s -split-input-file -verify-diagnostics

func.func @weight_rank(%x: tensor<2x4xf32>, %h: tensor<2x3xf32>, %w: tensor<9x4x1xf32>, %r: tensor<9x3xf32>) {
  // expected-error @+2 {{'strata.gru_cell' w must be 2-D [3H, I], got shape 9x4x1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.gru_cell %x, %h, %w, %r : (tensor<2x4xf32>, tensor<2x3xf32>, tensor<9x4x1xf32>, tensor<9x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @bias_rank(%x: tensor<2x4xf32>, %h: tensor<2x3xf32>, %w: tensor<3x4xf32>, %r: tensor<3x3xf32>, %b: tensor<2x3xf32>) {
  // expected-error @+2 {{'strata.rnn_cell' b must be 1-D [2H], got shape 2x3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.rnn_cell %x, %h, %w, %r, %b : (tensor<2x4xf32>, tensor<2x3xf32>, tensor<3x4xf32>, tensor<3x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @element_type(%x: tensor<2x4xf32>, %h: tensor<2x3xf32>, %c: tensor<2x3xf32>, %w: tensor<12x4xf32>, %r: tensor<12x3xf64>) {
  // expected-error @+2 {{'strata.lstm_cell' r has element type f64, x has f32}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = strata.lstm_cell %x, %h, %c, %w, %r : (tensor<2x4xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<12x4xf32>, tensor<12x3xf64>) -> (tensor<2x3xf32>, tensor<2x3xf32>)
  return
}

// -----

func.func @batch(%x: tensor<2x4xf32>, %h: tensor<3x3xf32>, %w: tensor<3x4xf32>, %r: tensor<3x3xf32>) {
  // expected-error @+2 {{'strata.rnn_cell' batch sizes disagree: x implies 2, h implies 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.rnn_cell %x, %h, %w, %r : (tensor<2x4xf32>, tensor<3x3xf32>, tensor<3x4xf32>, tensor<3x3xf32>) -> tensor<?x3xf32>
  return
}

// -----

func.func @input_size(%x: tensor<?x4xf32>, %h: tensor<?x3xf32>, %w: tensor<9x5xf32>, %r: tensor<9x3xf32>) {
  // expected-error @+2 {{'strata.gru_cell' input sizes disagree: x implies 4, w implies 5}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.gru_cell %x, %h, %w, %r : (tensor<?x4xf32>, tensor<?x3xf32>, tensor<9x5xf32>, tensor<9x3xf32>) -> tensor<?x3xf32>
  return
}

// -----

func.func @gate_rows(%x: tensor<?x4xf32>, %h: tensor<?x?xf32>, %w: tensor<8x4xf32>, %r: tensor<?x?xf32>) {
  // expected-error @+2 {{'strata.gru_cell' w dim 0 (8) is not a multiple of 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.gru_cell %x, %h, %w, %r : (tensor<?x4xf32>, tensor<?x?xf32>, tensor<8x4xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
  return
}

// -----

func.func @hidden_size(%x: tensor<2x4xf32>, %h: tensor<2x3xf32>, %c: tensor<2x?xf32>, %w: tensor<12x4xf32>, %r: tensor<12x3xf32>, %b: tensor<32xf32>) {
  // expected-error @+2 {{'strata.lstm_cell' hidden sizes disagree: h implies 3, b implies 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = strata.lstm_cell %x, %h, %c, %w, %r, %b : (tensor<2x4xf32>, tensor<2x3xf32>, tensor<2x?xf32>, tensor<12x4xf32>, tensor<12x3xf32>, tensor<32xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>)
  return
}

// -----

func.func @clip(%x: tensor<2x4xf32>, %h: tensor<2x3xf32>, %w: tensor<3x4xf32>, %r: tensor<3x3xf32>) {
  // expected-error @+1 {{'strata.rnn_cell' op clip must be positive, got -1.000000e+00}}
  %0 = strata.rnn_cell %x, %h, %w, %r {clip = -1.0} : (tensor<2x4xf32>, tensor<2x3xf32>, tensor<3x4xf32>, tensor<3x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @float_only(%x: tensor<2x4xi32>, %h: tensor<2x3xi32>, %w: tensor<3x4xi32>, %r: tensor<3x3xi32>) {
  // expected-error @+1 {{'strata.rnn_cell' op operand #0 must be ranked tensor of floating-point values}}
  %0 = strata.rnn_cell %x, %h, %w, %r : (tensor<2x4xi32>, tensor<2x3xi32>, tensor<3x4xi32>, tensor<3x3xi32>) -> tensor<2x3xi32>
  return
}
