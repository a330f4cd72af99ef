// RUN: strata-opt %s --strata-autodiff="wrt-arguments=true" --split-input-file --verify-diagnostics

// The recurrent cells' gradients slice the gates by the hidden size, which
// must be known from h or w.
func.func @train(%x: tensor<2x4xf32>, %h: tensor<2x?xf32>, %w: tensor<?x4xf32>, %r: tensor<?x?xf32>) -> tensor<f32> attributes {strata.phase = #strata.phase<train>} {
  // expected-error @+1 {{gradient needs a static hidden size}}
  %0 = strata.gru_cell %x, %h, %w, %r : (tensor<2x4xf32>, tensor<2x?xf32>, tensor<?x4xf32>, tensor<?x?xf32>) -> tensor<2x?xf32>
  %1 = strata.reduce_sum %0 {keepdims = false} : (tensor<2x?xf32>) -> tensor<f32>
  return %1 : tensor<f32>
}

// -----

func.func @train(%x: tensor<2x4xf32>, %h: tensor<2x?xf32>, %c: tensor<2x?xf32>, %w: tensor<?x4xf32>, %r: tensor<?x?xf32>) -> tensor<f32> attributes {strata.phase = #strata.phase<train>} {
  // expected-error @+1 {{gradient needs a static hidden size}}
  %0:2 = strata.lstm_cell %x, %h, %c, %w, %r : (tensor<2x4xf32>, tensor<2x?xf32>, tensor<2x?xf32>, tensor<?x4xf32>, tensor<?x?xf32>) -> (tensor<2x?xf32>, tensor<2x?xf32>)
  %1 = strata.reduce_sum %0#1 {keepdims = false} : (tensor<2x?xf32>) -> tensor<f32>
  return %1 : tensor<f32>
}
