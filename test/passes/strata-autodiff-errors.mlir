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

// -----

func.func @train(%a: tensor<?x3xf32>, %b: tensor<?x3xf32>) -> tensor<f32> attributes {strata.phase = #strata.phase<train>} {
  // expected-error @+1 {{gradient of a concat of a dynamic size along the axis is not supported}}
  %0 = strata.concat %a, %b {axis = 0 : i64} : (tensor<?x3xf32>, tensor<?x3xf32>) -> tensor<?x3xf32>
  %1 = strata.reduce_sum %0 {keepdims = false} : (tensor<?x3xf32>) -> tensor<f32>
  return %1 : tensor<f32>
}

// -----

func.func @train(%a: tensor<?x10xf32>) -> tensor<f32> attributes {strata.phase = #strata.phase<train>} {
  // expected-error @+1 {{gradient of a slice of a dynamic shape is not supported}}
  %0 = strata.slice %a {starts = array<i64: 1>, ends = array<i64: 8>, axes = array<i64: 1>} : (tensor<?x10xf32>) -> tensor<?x7xf32>
  %1 = strata.reduce_sum %0 {keepdims = false} : (tensor<?x7xf32>) -> tensor<f32>
  return %1 : tensor<f32>
}

// -----

func.func @train(%a: tensor<?x4xf32>) -> tensor<f32> attributes {strata.phase = #strata.phase<train>} {
  // expected-error @+1 {{gradient of a non-constant pad of a dynamic shape is not supported}}
  %0 = strata.pad %a {pads = array<i64: 0, 1, 0, 1>, mode = #strata.pad_mode<edge>} : (tensor<?x4xf32>) -> tensor<?x6xf32>
  %1 = strata.reduce_sum %0 {keepdims = false} : (tensor<?x6xf32>) -> tensor<f32>
  return %1 : tensor<f32>
}

// -----

func.func @train(%a: tensor<2x4xf32>) -> tensor<f32> attributes {strata.phase = #strata.phase<train>} {
  // expected-error @+1 {{gradient of a non-constant pad with negative pads (or wrapping more than once) is not supported}}
  %0 = strata.pad %a {pads = array<i64: 0, 3, 0, -1>, mode = #strata.pad_mode<reflect>} : (tensor<2x4xf32>) -> tensor<2x6xf32>
  %1 = strata.reduce_sum %0 {keepdims = false} : (tensor<2x6xf32>) -> tensor<f32>
  return %1 : tensor<f32>
}

// -----

func.func @train(%a: tensor<?x1xf32>) -> tensor<f32> attributes {strata.phase = #strata.phase<train>} {
  // expected-error @+1 {{gradient of a tile of a dynamic shape is not supported}}
  %0 = strata.tile %a {repeats = array<i64: 2, 3>} : (tensor<?x1xf32>) -> tensor<?x3xf32>
  %1 = strata.reduce_sum %0 {keepdims = false} : (tensor<?x3xf32>) -> tensor<f32>
  return %1 : tensor<f32>
}

// -----

func.func @train(%a: tensor<?x8x2x2xf32>) -> tensor<f32> attributes {strata.phase = #strata.phase<train>} {
  // expected-error @+1 {{gradient of a depth_to_space of a dynamic shape is not supported}}
  %0 = strata.depth_to_space %a {blocksize = 2 : i64} : (tensor<?x8x2x2xf32>) -> tensor<?x2x4x4xf32>
  %1 = strata.reduce_sum %0 {keepdims = false} : (tensor<?x2x4x4xf32>) -> tensor<f32>
  return %1 : tensor<f32>
}

// -----

func.func @train(%d: tensor<2x5x4xf32>, %i: tensor<2x3x1xi64>) -> tensor<f32> attributes {strata.phase = #strata.phase<train>} {
  // expected-error @+1 {{gradient of a gather_nd with batch_dims is not supported}}
  %0 = strata.gather_nd %d, %i {batch_dims = 1 : i64} : (tensor<2x5x4xf32>, tensor<2x3x1xi64>) -> tensor<2x3x4xf32>
  %1 = strata.reduce_sum %0 {keepdims = false} : (tensor<2x3x4xf32>) -> tensor<f32>
  return %1 : tensor<f32>
}

// -----

func.func @train(%d: tensor<4x5xf32>, %i: tensor<4x2xi64>, %u: tensor<4x2xf32>) -> tensor<f32> attributes {strata.phase = #strata.phase<train>} {
  // expected-error @+1 {{gradient of a scatter_elements with reduction max is not supported}}
  %0 = strata.scatter_elements %d, %i, %u {axis = 1 : i64, reduction = "max"} : (tensor<4x5xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x5xf32>
  %1 = strata.reduce_sum %0 {keepdims = false} : (tensor<4x5xf32>) -> tensor<f32>
  return %1 : tensor<f32>
}

// -----

func.func @train(%d: tensor<4x5xf32>, %i: tensor<3x1xi64>, %u: tensor<3x5xf32>) -> tensor<f32> attributes {strata.phase = #strata.phase<train>} {
  // expected-error @+1 {{gradient of a scatter_nd with reduction mul is not supported}}
  %0 = strata.scatter_nd %d, %i, %u {reduction = "mul"} : (tensor<4x5xf32>, tensor<3x1xi64>, tensor<3x5xf32>) -> tensor<4x5xf32>
  %1 = strata.reduce_sum %0 {keepdims = false} : (tensor<4x5xf32>) -> tensor<f32>
  return %1 : tensor<f32>
}
