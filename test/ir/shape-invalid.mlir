// RUN: strata-opt %s -split-input-file -verify-diagnostics

func.func @reshape_entry(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'strata.reshape' shape [-2, 3] has entry -2 (sizes are >= -1)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.reshape %a {shape = array<i64: -2, 3>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @reshape_two_inferred(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'strata.reshape' shape [-1, -1] has more than one -1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.reshape %a {shape = array<i64: -1, -1>} : (tensor<2x3xf32>) -> tensor<?x?xf32>
  return
}

// -----

func.func @reshape_copy(%a: tensor<6xf32>) {
  // expected-error @+2 {{'strata.reshape' shape [0, 0] copies (0) dimension 1 of a rank-1 input}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.reshape %a {shape = array<i64: 0, 0>} : (tensor<6xf32>) -> tensor<6x?xf32>
  return
}

// -----

func.func @reshape_infer(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'strata.reshape' cannot infer the -1 of shape [4, -1] for input 2x3: 6 elements are not a multiple of 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.reshape %a {shape = array<i64: 4, -1>} : (tensor<2x3xf32>) -> tensor<4x?xf32>
  return
}

// -----

func.func @reshape_count(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'strata.reshape' shape [4, 2] does not keep the element count of input 2x3 (6 vs 8 outside copied dimensions)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.reshape %a {shape = array<i64: 4, 2>} : (tensor<2x3xf32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @transpose_size(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'strata.transpose' perm [0, 1, 2] has 3 entries for a rank-2 input}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.transpose %a {perm = array<i64: 0, 1, 2>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @transpose_perm(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'strata.transpose' perm [1, 1] is not a permutation of [0, 2)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.transpose %a {perm = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<3x3xf32>
  return
}

// -----

func.func @concat_empty() {
  // expected-error @+2 {{'strata.concat' needs at least one input}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.concat {axis = 0 : i64} : () -> tensor<2xf32>
  return
}

// -----

func.func @concat_axis(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'strata.concat' axis 2 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.concat %a, %a {axis = 2 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  return
}

// -----

func.func @concat_types(%a: tensor<2x3xf32>, %b: tensor<2x3xf64>) {
  // expected-error @+2 {{'strata.concat' input #1 has element type f64, input #0 has f32}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.concat %a, %b {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x3xf64>) -> tensor<4x3xf32>
  return
}

// -----

func.func @concat_rank(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{'strata.concat' input #1 has rank 1, input #0 has rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.concat %a, %b {axis = 0 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<3x3xf32>
  return
}

// -----

func.func @concat_sizes(%a: tensor<?x3xf32>, %b: tensor<?x4xf32>) {
  // expected-error @+2 {{'strata.concat' input #1 has size 4 on dimension 1, the other inputs 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.concat %a, %b {axis = 0 : i64} : (tensor<?x3xf32>, tensor<?x4xf32>) -> tensor<?x3xf32>
  return
}

// -----

func.func @slice_lengths(%a: tensor<4x5xf32>) {
  // expected-error @+2 {{'strata.slice' starts, ends, axes and steps have different lengths (2, 2, 2, 1)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.slice %a {starts = array<i64: 0, 1>, ends = array<i64: 2, 3>, steps = array<i64: 1>} : (tensor<4x5xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @slice_axis(%a: tensor<4x5xf32>) {
  // expected-error @+2 {{'strata.slice' axis -3 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.slice %a {starts = array<i64: 0>, ends = array<i64: 2>, axes = array<i64: -3>} : (tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @slice_twice(%a: tensor<4x5xf32>) {
  // expected-error @+2 {{'strata.slice' axis 1 is sliced twice}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.slice %a {starts = array<i64: 0, 0>, ends = array<i64: 2, 2>, axes = array<i64: 1, -1>} : (tensor<4x5xf32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @slice_step(%a: tensor<4x5xf32>) {
  // expected-error @+2 {{'strata.slice' step of axis 1 is 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.slice %a {starts = array<i64: 0>, ends = array<i64: 2>, axes = array<i64: 1>, steps = array<i64: 0>} : (tensor<4x5xf32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @split_axis(%a: tensor<4x5xf32>) {
  // expected-error @+2 {{'strata.split' axis 2 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = strata.split %a {axis = 2 : i64, sizes = array<i64: 2, 2>} : (tensor<4x5xf32>) -> (tensor<2x5xf32>, tensor<2x5xf32>)
  return
}

// -----

func.func @split_empty(%a: tensor<4x5xf32>) {
  // expected-error @+2 {{'strata.split' needs at least one size}}
  // expected-error @+1 {{failed to infer returned types}}
  strata.split %a {axis = 0 : i64, sizes = array<i64>} : (tensor<4x5xf32>) -> ()
  return
}

// -----

func.func @split_negative(%a: tensor<4x5xf32>) {
  // expected-error @+2 {{'strata.split' sizes [5, -1] has a negative entry}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = strata.split %a {axis = 0 : i64, sizes = array<i64: 5, -1>} : (tensor<4x5xf32>) -> (tensor<5x5xf32>, tensor<1x5xf32>)
  return
}

// -----

func.func @split_sum(%a: tensor<?x5xf32>) {
  // expected-error @+2 {{'strata.split' sizes [2, 2] sum to 4, dimension 1 has size 5}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = strata.split %a {axis = -1 : i64, sizes = array<i64: 2, 2>} : (tensor<?x5xf32>) -> (tensor<?x2xf32>, tensor<?x2xf32>)
  return
}

// -----

func.func @pad_length(%a: tensor<4x5xf32>) {
  // expected-error @+2 {{'strata.pad' pads [1, 1] has 2 entries, a rank-2 input needs 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.pad %a {pads = array<i64: 1, 1>} : (tensor<4x5xf32>) -> tensor<4x5xf32>
  return
}

// -----

func.func @pad_negative(%a: tensor<4x5xf32>) {
  // expected-error @+2 {{'strata.pad' pads [-3, 0, -2, 0] give dimension 0 (size 4) a negative size -1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.pad %a {pads = array<i64: -3, 0, -2, 0>} : (tensor<4x5xf32>) -> tensor<4x5xf32>
  return
}

// -----

func.func @pad_reflect(%a: tensor<4x5xf32>) {
  // expected-error @+2 {{'strata.pad' reflect pads 1 and 5 of dimension 1 must be smaller than its size 5}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.pad %a {pads = array<i64: 0, 1, 0, 5>, mode = #strata.pad_mode<reflect>} : (tensor<4x5xf32>) -> tensor<4x11xf32>
  return
}

// -----

func.func @pad_empty(%a: tensor<0x5xf32>) {
  // expected-error @+2 {{'strata.pad' edge mode cannot pad the empty dimension 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.pad %a {pads = array<i64: 1, 0, 0, 0>, mode = #strata.pad_mode<edge>} : (tensor<0x5xf32>) -> tensor<1x5xf32>
  return
}

// -----

func.func @broadcast_negative(%a: tensor<3xf32>) {
  // expected-error @+2 {{'strata.broadcast_to' shape [-1, 3] has a negative size}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.broadcast_to %a {shape = array<i64: -1, 3>} : (tensor<3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @broadcast_shape(%a: tensor<?x3xf32>) {
  // expected-error @+2 {{'strata.broadcast_to' input shape ?x3 does not broadcast with shape [2, 4]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.broadcast_to %a {shape = array<i64: 2, 4>} : (tensor<?x3xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @tile_size(%a: tensor<4x5xf32>) {
  // expected-error @+2 {{'strata.tile' repeats [2] has 1 entries for a rank-2 input}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.tile %a {repeats = array<i64: 2>} : (tensor<4x5xf32>) -> tensor<8x5xf32>
  return
}

// -----

func.func @tile_negative(%a: tensor<4x5xf32>) {
  // expected-error @+2 {{'strata.tile' repeats [2, -1] has a negative entry}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.tile %a {repeats = array<i64: 2, -1>} : (tensor<4x5xf32>) -> tensor<8x5xf32>
  return
}

// -----

func.func @d2s_rank(%a: tensor<4x8x2xf32>) {
  // expected-error @+2 {{'strata.depth_to_space' input must have rank 4 (NCHW), got 4x8x2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.depth_to_space %a {blocksize = 2 : i64} : (tensor<4x8x2xf32>) -> tensor<4x2x4xf32>
  return
}

// -----

func.func @d2s_blocksize(%a: tensor<1x8x2x2xf32>) {
  // expected-error @+2 {{'strata.depth_to_space' blocksize must be >= 1, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.depth_to_space %a {blocksize = 0 : i64} : (tensor<1x8x2x2xf32>) -> tensor<1x8x2x2xf32>
  return
}

// -----

func.func @d2s_channels(%a: tensor<1x8x2x2xf32>) {
  // expected-error @+2 {{'strata.depth_to_space' channels 8 are not divisible by blocksize^2 = 9}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.depth_to_space %a {blocksize = 3 : i64} : (tensor<1x8x2x2xf32>) -> tensor<1x1x6x6xf32>
  return
}

// -----

func.func @d2s_mode(%a: tensor<1x8x2x2xf32>) {
  // expected-error @+1 {{'strata.depth_to_space' op mode must be "DCR" or "CRD", got "RDC"}}
  %0 = strata.depth_to_space %a {blocksize = 2 : i64, mode = "RDC"} : (tensor<1x8x2x2xf32>) -> tensor<1x2x4x4xf32>
  return
}

// -----

func.func @s2d_rank(%a: tensor<8x2x2xf32>) {
  // expected-error @+2 {{'strata.space_to_depth' input must have rank 4 (NCHW), got 8x2x2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.space_to_depth %a {blocksize = 2 : i64} : (tensor<8x2x2xf32>) -> tensor<8x2x2xf32>
  return
}

// -----

func.func @s2d_blocksize(%a: tensor<1x8x2x2xf32>) {
  // expected-error @+2 {{'strata.space_to_depth' blocksize must be >= 1, got -1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.space_to_depth %a {blocksize = -1 : i64} : (tensor<1x8x2x2xf32>) -> tensor<1x8x2x2xf32>
  return
}

// -----

func.func @s2d_spatial(%a: tensor<1x2x4x?xf32>) {
  // expected-error @+2 {{'strata.space_to_depth' spatial size 4x? is not divisible by blocksize 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.space_to_depth %a {blocksize = 3 : i64} : (tensor<1x2x4x?xf32>) -> tensor<1x18x1x?xf32>
  return
}
