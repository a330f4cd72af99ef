// RUN: strata-opt %s --strata-autodiff="wrt-arguments=true" --split-input-file --verify-diagnostics

// Gradient rules that cannot differentiate an op in the form given say so
// at the op.
func.func @train(%a: tensor<3xf32>, %b: tensor<3x2xf32>) -> tensor<f32> attributes {strata.phase = #strata.phase<train>} {
  // expected-error @+1 {{gradient of a matmul with a 1-D operand is not supported yet (reshape to 2-D)}}
  %0 = strata.matmul %a, %b : (tensor<3xf32>, tensor<3x2xf32>) -> tensor<2xf32>
  %1 = strata.reduce_sum %0 {keepdims = false} : (tensor<2xf32>) -> tensor<f32>
  return %1 : tensor<f32>
}

// -----

func.func @train(%a: tensor<?x?xf32>) -> tensor<f32> attributes {strata.phase = #strata.phase<train>} {
  // expected-error @+1 {{gradient of a reshape from more than one dynamic size is not supported}}
  %0 = strata.reshape %a {shape = array<i64: -1>} : (tensor<?x?xf32>) -> tensor<?xf32>
  %1 = strata.reduce_sum %0 {keepdims = false} : (tensor<?xf32>) -> tensor<f32>
  return %1 : tensor<f32>
}

// -----

func.func @train(%a: tensor<4x?xf32>, %l: tensor<4xi32>) -> tensor<f32> attributes {strata.phase = #strata.phase<train>} {
  // expected-error @+1 {{gradient needs a static class count}}
  %0 = strata.softmax_cross_entropy %a, %l : (tensor<4x?xf32>, tensor<4xi32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// expected-error @+1 {{the loss must be a float tensor, not 'tensor<i32>'}}
func.func @train(%a: tensor<3xf32>, %i: tensor<i32>) -> tensor<i32> attributes {strata.phase = #strata.phase<train>} {
  return %i : tensor<i32>
}
