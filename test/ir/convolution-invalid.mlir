// RUN: strata-opt %s -split-input-file -verify-diagnostics

func.func @conv_rank(%x: tensor<2x3xf32>, %w: tensor<4x3xf32>) {
  // expected-error @+2 {{'strata.conv' expects an input [N, C, spatial...] of rank >= 3, got shape 2x3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.conv %x, %w : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @conv_weight_type(%x: tensor<1x3x5x5xf32>, %w: tensor<4x3x3x3xf64>) {
  // expected-error @+2 {{'strata.conv' weight and input have different element types}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.conv %x, %w : (tensor<1x3x5x5xf32>, tensor<4x3x3x3xf64>) -> tensor<1x4x3x3xf32>
  return
}

// -----

func.func @conv_weight_rank(%x: tensor<1x3x5x5xf32>, %w: tensor<4x3x3xf32>) {
  // expected-error @+2 {{'strata.conv' weight shape 4x3x3 must have the input's rank 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.conv %x, %w : (tensor<1x3x5x5xf32>, tensor<4x3x3xf32>) -> tensor<1x4x3x3xf32>
  return
}

// -----

func.func @conv_kernel_size(%x: tensor<1x3x5x5xf32>, %w: tensor<4x3x0x3xf32>) {
  // expected-error @+2 {{'strata.conv' kernel sizes of weight shape 4x3x0x3 must be positive}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.conv %x, %w : (tensor<1x3x5x5xf32>, tensor<4x3x0x3xf32>) -> tensor<1x4x3x3xf32>
  return
}

// -----

func.func @conv_bias_type(%x: tensor<1x3x5x5xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf16>) {
  // expected-error @+2 {{'strata.conv' bias and input have different element types}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.conv %x, %w, %b : (tensor<1x3x5x5xf32>, tensor<4x3x3x3xf32>, tensor<4xf16>) -> tensor<1x4x3x3xf32>
  return
}

// -----

func.func @conv_bias_shape(%x: tensor<1x3x5x5xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<5xf32>) {
  // expected-error @+2 {{'strata.conv' bias shape 5 must be [4] (one per output channel)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.conv %x, %w, %b : (tensor<1x3x5x5xf32>, tensor<4x3x3x3xf32>, tensor<5xf32>) -> tensor<1x4x3x3xf32>
  return
}

// -----

func.func @conv_groups(%x: tensor<1x4x5x5xf32>, %w: tensor<4x4x3x3xf32>) {
  // expected-error @+2 {{'strata.conv' groups must be positive, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.conv %x, %w {groups = 0} : (tensor<1x4x5x5xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  return
}

// -----

func.func @conv_input_groups(%x: tensor<1x3x5x5xf32>, %w: tensor<4x1x3x3xf32>) {
  // expected-error @+2 {{'strata.conv' input channels 3 are not divisible by groups 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.conv %x, %w {groups = 2} : (tensor<1x3x5x5xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x3x3xf32>
  return
}

// -----

func.func @conv_output_groups(%x: tensor<1x4x5x5xf32>, %w: tensor<3x2x3x3xf32>) {
  // expected-error @+2 {{'strata.conv' output channels 3 are not divisible by groups 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.conv %x, %w {groups = 2} : (tensor<1x4x5x5xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x3x3xf32>
  return
}

// -----

func.func @conv_weight_channels(%x: tensor<1x4x5x5xf32>, %w: tensor<4x4x3x3xf32>) {
  // expected-error @+2 {{'strata.conv' weight shape 4x4x3x3 needs input channels / groups = 4 / 2 in dim 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.conv %x, %w {groups = 2} : (tensor<1x4x5x5xf32>, tensor<4x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  return
}

// -----

func.func @conv_strides_length(%x: tensor<1x3x5x5xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{'strata.conv' expects 2 strides entries (one per spatial dim), got [2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.conv %x, %w {strides = array<i64: 2>} : (tensor<1x3x5x5xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x2x2xf32>
  return
}

// -----

func.func @conv_dilations(%x: tensor<1x3x5x5xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{'strata.conv' dilations must be positive, got [1, 0]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.conv %x, %w {dilations = array<i64: 1, 0>} : (tensor<1x3x5x5xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x3x3xf32>
  return
}

// -----

func.func @conv_pads_length(%x: tensor<1x3x5x5xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{'strata.conv' expects 4 pads entries (begins, then ends of the spatial dims), got [1, 1]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.conv %x, %w {pads = array<i64: 1, 1>} : (tensor<1x3x5x5xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x5x5xf32>
  return
}

// -----

func.func @conv_pads_sign(%x: tensor<1x3x5x5xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{'strata.conv' pads must be non-negative, got [0, -1, 0, 0]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.conv %x, %w {pads = array<i64: 0, -1, 0, 0>} : (tensor<1x3x5x5xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x3x2xf32>
  return
}

// -----

func.func @conv_pads_auto(%x: tensor<1x3x5x5xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{'strata.conv' pads [1, 1, 1, 1] must be zero when auto_pad is same_upper}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.conv %x, %w {pads = array<i64: 1, 1, 1, 1>, auto_pad = #strata.auto_pad<same_upper>} : (tensor<1x3x5x5xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x5x5xf32>
  return
}

// -----

func.func @conv_output_size(%x: tensor<1x3x5x5xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{'strata.conv' output size -1 along spatial dim 1 is not positive (input size 5, kernel 3, dilation 3, stride 1, pads 0 and 0)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.conv %x, %w {dilations = array<i64: 1, 3>} : (tensor<1x3x5x5xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x3x1xf32>
  return
}

// -----

func.func @conv_wrong_result(%x: tensor<?x3x5x5xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{'strata.conv' op inferred type(s) 'tensor<?x4x3x3xf32>' are incompatible with return type(s) of operation 'tensor<?x4x5x5xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.conv %x, %w : (tensor<?x3x5x5xf32>, tensor<4x3x3x3xf32>) -> tensor<?x4x5x5xf32>
  return
}

// -----

func.func @conv_transpose_channels(%x: tensor<1x3x5x5xf32>, %w: tensor<4x2x3x3xf32>) {
  // expected-error @+2 {{'strata.conv_transpose' weight shape 4x2x3x3 needs the input channels 3 in dim 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.conv_transpose %x, %w : (tensor<1x3x5x5xf32>, tensor<4x2x3x3xf32>) -> tensor<1x2x7x7xf32>
  return
}

// -----

func.func @conv_transpose_output_padding(%x: tensor<1x3x5x5xf32>, %w: tensor<3x2x3x3xf32>) {
  // expected-error @+2 {{'strata.conv_transpose' output_padding must be non-negative, got [0, -1]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.conv_transpose %x, %w {output_padding = array<i64: 0, -1>} : (tensor<1x3x5x5xf32>, tensor<3x2x3x3xf32>) -> tensor<1x2x7x6xf32>
  return
}

// -----

func.func @conv_transpose_output_shape(%x: tensor<1x3x5x5xf32>, %w: tensor<3x2x3x3xf32>) {
  // expected-error @+2 {{'strata.conv_transpose' expects 2 output_shape entries (spatial sizes only), got [1, 2, 9, 9]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.conv_transpose %x, %w {output_shape = array<i64: 1, 2, 9, 9>} : (tensor<1x3x5x5xf32>, tensor<3x2x3x3xf32>) -> tensor<1x2x9x9xf32>
  return
}

// -----

func.func @conv_transpose_pads(%x: tensor<1x3x5x5xf32>, %w: tensor<3x2x3x3xf32>) {
  // expected-error @+2 {{'strata.conv_transpose' pads [1, 1, 1, 1] must be zero when output_shape is given}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.conv_transpose %x, %w {pads = array<i64: 1, 1, 1, 1>, output_shape = array<i64: 6, 6>} : (tensor<1x3x5x5xf32>, tensor<3x2x3x3xf32>) -> tensor<1x2x6x6xf32>
  return
}

// -----

func.func @conv_transpose_size(%x: tensor<1x3x1x5xf32>, %w: tensor<3x2x1x3xf32>) {
  // expected-error @+2 {{'strata.conv_transpose' output size 0 along spatial dim 0 is not positive}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.conv_transpose %x, %w {pads = array<i64: 1, 0, 0, 0>} : (tensor<1x3x1x5xf32>, tensor<3x2x1x3xf32>) -> tensor<1x2x1x7xf32>
  return
}

// -----

func.func @pool_kernel_length(%x: tensor<1x3x5x5xf32>) {
  // expected-error @+2 {{'strata.max_pool' expects 2 kernel_shape entries (one per spatial dim), got [2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.max_pool %x {kernel_shape = array<i64: 2>} : (tensor<1x3x5x5xf32>) -> tensor<1x3x4x4xf32>
  return
}

// -----

func.func @pool_kernel_sign(%x: tensor<1x3x5x5xf32>) {
  // expected-error @+2 {{'strata.avg_pool' kernel_shape must be positive, got [2, 0]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.avg_pool %x {kernel_shape = array<i64: 2, 0>} : (tensor<1x3x5x5xf32>) -> tensor<1x3x4x4xf32>
  return
}

// -----

func.func @pool_pads(%x: tensor<1x3x5x5xf32>) {
  // expected-error @+2 {{'strata.max_pool' pads [0, 2, 0, 0] must be smaller than the (dilated) kernel extent 2 along spatial dim 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.max_pool %x {kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 2, 0, 0>} : (tensor<1x3x5x5xf32>) -> tensor<1x3x4x6xf32>
  return
}

// -----

func.func @pool_missing_kernel(%x: tensor<1x3x5x5xf32>) {
  // expected-error @+1 {{'strata.max_pool' op requires attribute 'kernel_shape'}}
  %0 = strata.max_pool %x : (tensor<1x3x5x5xf32>) -> tensor<1x3x5x5xf32>
  return
}

// -----

func.func @global_pool_empty(%x: tensor<1x3x0x5xf32>) {
  // expected-error @+2 {{'strata.global_avg_pool' input shape 1x3x0x5 has an empty spatial dim}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.global_avg_pool %x : (tensor<1x3x0x5xf32>) -> tensor<1x3x1x1xf32>
  return
}

// -----

func.func @global_pool_rank(%x: tensor<4x3xf32>) {
  // expected-error @+2 {{'strata.global_max_pool' expects an input [N, C, spatial...] of rank >= 3, got shape 4x3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.global_max_pool %x : (tensor<4x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @lrn_size(%x: tensor<1x3x5x5xf32>) {
  // expected-error @+2 {{'strata.lrn' size must be positive, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.lrn %x {size = 0} : (tensor<1x3x5x5xf32>) -> tensor<1x3x5x5xf32>
  return
}

// -----

func.func @lrn_integer(%x: tensor<1x3x5x5xi32>) {
  // expected-error @+1 {{'strata.lrn' op operand #0 must be ranked tensor of floating-point values}}
  %0 = strata.lrn %x {size = 3} : (tensor<1x3x5x5xi32>) -> tensor<1x3x5x5xi32>
  return
}

// -----

func.func @avg_pool_dilations(%x: tensor<1x3x5x5xf32>) {
  // expected-error @+2 {{'strata.avg_pool' dilations must be positive, got [1, 0]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.avg_pool %x {kernel_shape = array<i64: 2, 2>, dilations = array<i64: 1, 0>} : (tensor<1x3x5x5xf32>) -> tensor<1x3x4x4xf32>
  return
}

// -----

func.func @col2im_rank(%x: tensor<1x5xf32>) {
  // expected-error @+2 {{'strata.col2im' expects an input [N, C * K, L] of rank 3, got shape 1x5}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.col2im %x {image_shape = array<i64: 5, 5>, block_shape = array<i64: 1, 5>} : (tensor<1x5xf32>) -> tensor<1x1x5x5xf32>
  return
}

// -----

func.func @col2im_image(%x: tensor<1x5x5xf32>) {
  // expected-error @+2 {{'strata.col2im' image_shape must be a non-empty list of positive sizes, got [5, 0]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.col2im %x {image_shape = array<i64: 5, 0>, block_shape = array<i64: 1, 5>} : (tensor<1x5x5xf32>) -> tensor<1x1x5x5xf32>
  return
}

// -----

func.func @col2im_block(%x: tensor<1x5x5xf32>) {
  // expected-error @+2 {{'strata.col2im' block_shape [5] must have 2 positive entries (one per image dim)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.col2im %x {image_shape = array<i64: 5, 5>, block_shape = array<i64: 5>} : (tensor<1x5x5xf32>) -> tensor<1x1x5x5xf32>
  return
}

// -----

func.func @col2im_channels(%x: tensor<1x6x5xf32>) {
  // expected-error @+2 {{'strata.col2im' input dim 1 (6) is not divisible by the block volume 5}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.col2im %x {image_shape = array<i64: 5, 5>, block_shape = array<i64: 1, 5>} : (tensor<1x6x5xf32>) -> tensor<1x1x5x5xf32>
  return
}

// -----

func.func @col2im_positions(%x: tensor<1x5x4xf32>) {
  // expected-error @+2 {{'strata.col2im' input dim 2 (4) must be the number of block positions 5 ([5, 1])}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.col2im %x {image_shape = array<i64: 5, 5>, block_shape = array<i64: 1, 5>} : (tensor<1x5x4xf32>) -> tensor<1x1x5x5xf32>
  return
}

// -----

func.func @col2im_too_large_block(%x: tensor<1x6x5xf32>) {
  // expected-error @+2 {{'strata.col2im' output size 0 along spatial dim 1 is not positive (input size 5, kernel 6, dilation 1, stride 1, pads 0 and 0)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.col2im %x {image_shape = array<i64: 5, 5>, block_shape = array<i64: 1, 6>} : (tensor<1x6x5xf32>) -> tensor<1x1x5x5xf32>
  return
}

// -----

func.func @grid_sample_rank(%x: tensor<1x5xf32>, %g: tensor<1x2x2x2xf32>) {
  // expected-error @+2 {{'strata.grid_sample' expects an input [N, C, spatial...] of rank >= 3, got shape 1x5}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.grid_sample %x, %g : (tensor<1x5xf32>, tensor<1x2x2x2xf32>) -> tensor<1x1x2x2xf32>
  return
}

// -----

func.func @grid_sample_type(%x: tensor<1x1x4x4xf32>, %g: tensor<1x2x2x2xf64>) {
  // expected-error @+2 {{'strata.grid_sample' grid and input have different element types}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.grid_sample %x, %g : (tensor<1x1x4x4xf32>, tensor<1x2x2x2xf64>) -> tensor<1x1x2x2xf32>
  return
}

// -----

func.func @grid_sample_grid_rank(%x: tensor<1x1x4x4xf32>, %g: tensor<1x2x2xf32>) {
  // expected-error @+2 {{'strata.grid_sample' grid shape 1x2x2 must have rank 4 ([N, O_1, ..., O_2, 2])}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.grid_sample %x, %g : (tensor<1x1x4x4xf32>, tensor<1x2x2xf32>) -> tensor<1x1x2x2xf32>
  return
}

// -----

func.func @grid_sample_grid_shape(%x: tensor<1x1x4x4xf32>, %g: tensor<2x2x2x2xf32>) {
  // expected-error @+2 {{'strata.grid_sample' grid shape 2x2x2x2 does not fit input shape 1x1x4x4 (expected [N, O_1, ..., O_2, 2])}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.grid_sample %x, %g : (tensor<1x1x4x4xf32>, tensor<2x2x2x2xf32>) -> tensor<1x1x2x2xf32>
  return
}

// -----

func.func @grid_sample_mode(%x: tensor<1x1x4x4xf32>, %g: tensor<1x2x2x2xf32>) {
  // expected-error @+1 {{'strata.grid_sample' op attribute 'mode' failed to satisfy constraint: string attribute whose value is "linear", "nearest" or "cubic"}}
  %0 = strata.grid_sample %x, %g {mode = "bilinear"} : (tensor<1x1x4x4xf32>, tensor<1x2x2x2xf32>) -> tensor<1x1x2x2xf32>
  return
}

// -----

func.func @grid_sample_padding(%x: tensor<1x1x4x4xf32>, %g: tensor<1x2x2x2xf32>) {
  // expected-error @+1 {{'strata.grid_sample' op attribute 'padding_mode' failed to satisfy constraint: string attribute whose value is "zeros", "border" or "reflection"}}
  %0 = strata.grid_sample %x, %g {padding_mode = "edge"} : (tensor<1x1x4x4xf32>, tensor<1x2x2x2xf32>) -> tensor<1x1x2x2xf32>
  return
}

// -----

func.func @roi_align_rank(%x: tensor<3x10x10xf32>, %r: tensor<4x4xf32>, %b: tensor<4xi64>) {
  // expected-error @+2 {{'strata.roi_align' expects an input [N, C, H, W], got shape 3x10x10}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.roi_align %x, %r, %b : (tensor<3x10x10xf32>, tensor<4x4xf32>, tensor<4xi64>) -> tensor<4x3x1x1xf32>
  return
}

// -----

func.func @roi_align_type(%x: tensor<1x3x10x10xf32>, %r: tensor<4x4xf64>, %b: tensor<4xi64>) {
  // expected-error @+2 {{'strata.roi_align' rois and input have different element types}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.roi_align %x, %r, %b : (tensor<1x3x10x10xf32>, tensor<4x4xf64>, tensor<4xi64>) -> tensor<4x3x1x1xf32>
  return
}

// -----

func.func @roi_align_boxes(%x: tensor<1x3x10x10xf32>, %r: tensor<4x4xf32>, %b: tensor<5xi64>) {
  // expected-error @+2 {{'strata.roi_align' expects rois [R, 4] and batch_indices [R], got shapes 4x4 and 5}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.roi_align %x, %r, %b : (tensor<1x3x10x10xf32>, tensor<4x4xf32>, tensor<5xi64>) -> tensor<4x3x1x1xf32>
  return
}

// -----

func.func @roi_align_sizes(%x: tensor<1x3x10x10xf32>, %r: tensor<4x4xf32>, %b: tensor<4xi64>) {
  // expected-error @+2 {{'strata.roi_align' output_height and output_width must be positive and sampling_ratio non-negative, got 0, 1 and 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.roi_align %x, %r, %b {output_height = 0} : (tensor<1x3x10x10xf32>, tensor<4x4xf32>, tensor<4xi64>) -> tensor<4x3x0x1xf32>
  return
}

// -----

func.func @roi_align_mode(%x: tensor<1x3x10x10xf32>, %r: tensor<4x4xf32>, %b: tensor<4xi64>) {
  // expected-error @+1 {{'strata.roi_align' op attribute 'mode' failed to satisfy constraint: string attribute whose value is "avg" or "max"}}
  %0 = strata.roi_align %x, %r, %b {mode = "sum"} : (tensor<1x3x10x10xf32>, tensor<4x4xf32>, tensor<4xi64>) -> tensor<4x3x1x1xf32>
  return
}

// -----

func.func @roi_align_coordinates(%x: tensor<1x3x10x10xf32>, %r: tensor<4x4xf32>, %b: tensor<4xi64>) {
  // expected-error @+1 {{'strata.roi_align' op attribute 'coordinate_transformation_mode' failed to satisfy constraint: string attribute whose value is "half_pixel" or "output_half_pixel"}}
  %0 = strata.roi_align %x, %r, %b {coordinate_transformation_mode = "asymmetric"} : (tensor<1x3x10x10xf32>, tensor<4x4xf32>, tensor<4xi64>) -> tensor<4x3x1x1xf32>
  return
}

// -----

func.func @deform_conv_weight(%x: tensor<1x4x8x8xf32>, %w: tensor<6x3x3x3xf32>, %off: tensor<1x18x6x6xf32>, %m: tensor<1x9x6x6xf32>) {
  // expected-error @+2 {{'strata.deform_conv' weight shape 6x3x3x3 needs input channels / groups = 4 / 1 in dim 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.deform_conv %x, %w, %off, %m : (tensor<1x4x8x8xf32>, tensor<6x3x3x3xf32>, tensor<1x18x6x6xf32>, tensor<1x9x6x6xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

func.func @deform_conv_offset_group(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>, %off: tensor<1x54x6x6xf32>, %m: tensor<1x27x6x6xf32>) {
  // expected-error @+2 {{'strata.deform_conv' offset_group 3 must be positive and divide the input channels 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.deform_conv %x, %w, %off, %m {offset_group = 3} : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>, tensor<1x54x6x6xf32>, tensor<1x27x6x6xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

func.func @deform_conv_types(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>, %off: tensor<1x18x6x6xf64>, %m: tensor<1x9x6x6xf32>) {
  // expected-error @+2 {{'strata.deform_conv' offset and mask must have the input's element type}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.deform_conv %x, %w, %off, %m : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>, tensor<1x18x6x6xf64>, tensor<1x9x6x6xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

func.func @deform_conv_offset_shape(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>, %off: tensor<1x18x5x6xf32>, %m: tensor<1x9x6x6xf32>) {
  // expected-error @+2 {{'strata.deform_conv' offset shape 1x18x5x6 and mask shape 1x9x6x6 do not fit (expected [N, offset_group * K * s, O...] and [N, offset_group * K, O...], K the kernel volume, O the output sizes)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.deform_conv %x, %w, %off, %m : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>, tensor<1x18x5x6xf32>, tensor<1x9x6x6xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

// The gradient ops check their forward operands as the forward op does.
func.func @grid_sample_grad_type(%x: tensor<1x1x4x4xf32>, %g: tensor<1x2x2x2xf64>, %dy: tensor<1x1x2x2xf32>) {
  // expected-error @+2 {{'strata.grid_sample_grad' grid and input have different element types}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = strata.grid_sample_grad %x, %g, %dy : (tensor<1x1x4x4xf32>, tensor<1x2x2x2xf64>, tensor<1x1x2x2xf32>) -> (tensor<1x1x4x4xf32>, tensor<1x2x2x2xf64>)
  return
}

// -----

func.func @grid_sample_grad_output_grad(%x: tensor<1x1x4x4xf32>, %g: tensor<1x2x3x2xf32>, %dy: tensor<1x1x2x2xf32>) {
  // expected-error @+2 {{'strata.grid_sample_grad' output_grad type tensor<1x1x2x2xf32> does not fit the forward result type tensor<1x1x2x3xf32>}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = strata.grid_sample_grad %x, %g, %dy : (tensor<1x1x4x4xf32>, tensor<1x2x3x2xf32>, tensor<1x1x2x2xf32>) -> (tensor<1x1x4x4xf32>, tensor<1x2x3x2xf32>)
  return
}

// -----

func.func @roi_align_grad_output_grad(%x: tensor<2x3x10x10xf32>, %r: tensor<4x4xf32>, %b: tensor<4xi64>, %dy: tensor<4x3x2x2xf64>) {
  // expected-error @+2 {{'strata.roi_align_grad' output_grad type tensor<4x3x2x2xf64> does not fit the forward result type tensor<4x3x2x2xf32>}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = strata.roi_align_grad %x, %r, %b, %dy {output_height = 2, output_width = 2} : (tensor<2x3x10x10xf32>, tensor<4x4xf32>, tensor<4xi64>, tensor<4x3x2x2xf64>) -> (tensor<2x3x10x10xf32>, tensor<4x4xf32>)
  return
}

// -----

func.func @roi_align_grad_boxes(%x: tensor<2x3x10x10xf32>, %r: tensor<4x4xf32>, %b: tensor<3xi64>, %dy: tensor<4x3x1x1xf32>) {
  // expected-error @+2 {{'strata.roi_align_grad' expects rois [R, 4] and batch_indices [R], got shapes 4x4 and 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = strata.roi_align_grad %x, %r, %b, %dy : (tensor<2x3x10x10xf32>, tensor<4x4xf32>, tensor<3xi64>, tensor<4x3x1x1xf32>) -> (tensor<2x3x10x10xf32>, tensor<4x4xf32>)
  return
}

// -----

func.func @deform_conv_grad_output_grad(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>, %off: tensor<1x18x6x6xf32>, %m: tensor<1x9x6x6xf32>, %dy: tensor<1x6x6xf32>) {
  // expected-error @+2 {{'strata.deform_conv_grad' output_grad type tensor<1x6x6xf32> does not fit the forward result type tensor<1x6x6x6xf32>}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:4 = strata.deform_conv_grad %x, %w, %off, %m, %dy : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>, tensor<1x18x6x6xf32>, tensor<1x9x6x6xf32>, tensor<1x6x6xf32>) -> (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>, tensor<1x18x6x6xf32>, tensor<1x9x6x6xf32>)
  return
}

// -----

func.func @deform_conv_grad_offset_group(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>, %off: tensor<1x18x6x6xf32>, %m: tensor<1x9x6x6xf32>, %dy: tensor<1x6x6x6xf32>) {
  // expected-error @+2 {{'strata.deform_conv_grad' offset_group 3 must be positive and divide the input channels 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:4 = strata.deform_conv_grad %x, %w, %off, %m, %dy {offset_group = 3} : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>, tensor<1x18x6x6xf32>, tensor<1x9x6x6xf32>, tensor<1x6x6x6xf32>) -> (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>, tensor<1x18x6x6xf32>, tensor<1x9x6x6xf32>)
  return
}
