// RUN: strata-opt %s --strata-infer-shapes | FileCheck %s

// CHECK-LABEL: func @conv
func.func @conv(%x: tensor<2x4x9x9xf32>, %w: tensor<6x2x3x3xf32>, %b: tensor<6xf32>,
                %d: tensor<?x4x9x9xf32>, %dw: tensor<?x4x3x3xf32>, %hw: tensor<2x4x?x9xf32>) {
  // CHECK: strata.conv {{.*}} -> tensor<2x6x5x4xf32>
  %0 = strata.conv %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 0, 1, 0>, groups = 2} : (tensor<2x4x9x9xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>) -> tensor<?x?x?x?xf32>
  // A dynamic batch stays dynamic.
  // CHECK: strata.conv {{.*}} -> tensor<?x6x5x5xf32>
  %1 = strata.conv %d, %w {auto_pad = #strata.auto_pad<same_lower>, strides = array<i64: 2, 2>, groups = 2} : (tensor<?x4x9x9xf32>, tensor<6x2x3x3xf32>) -> tensor<?x?x?x?xf32>
  // Output channels come from the bias when the weight's are unknown.
  // CHECK: strata.conv {{.*}} -> tensor<2x6x7x7xf32>
  %2 = strata.conv %x, %dw, %b : (tensor<2x4x9x9xf32>, tensor<?x4x3x3xf32>, tensor<6xf32>) -> tensor<?x?x?x?xf32>
  // A dynamic spatial size stays dynamic, the static one is refined.
  // CHECK: strata.conv {{.*}} -> tensor<2x6x?x3xf32>
  %3 = strata.conv %hw, %w {dilations = array<i64: 1, 3>, groups = 2} : (tensor<2x4x?x9xf32>, tensor<6x2x3x3xf32>) -> tensor<?x?x?x?xf32>
  return
}

// CHECK-LABEL: func @conv_transpose
func.func @conv_transpose(%x: tensor<2x4x5x5xf32>, %w: tensor<4x3x3x3xf32>, %d: tensor<?x4x?x5xf32>) {
  // CHECK: strata.conv_transpose {{.*}} -> tensor<2x6x11x5xf32>
  %0 = strata.conv_transpose %x, %w {strides = array<i64: 2, 1>, pads = array<i64: 1, 1, 0, 1>, output_padding = array<i64: 1, 0>, groups = 2} : (tensor<2x4x5x5xf32>, tensor<4x3x3x3xf32>) -> tensor<?x?x?x?xf32>
  // CHECK: strata.conv_transpose {{.*}} -> tensor<?x3x?x10xf32>
  %1 = strata.conv_transpose %d, %w {strides = array<i64: 2, 2>, auto_pad = #strata.auto_pad<same_upper>} : (tensor<?x4x?x5xf32>, tensor<4x3x3x3xf32>) -> tensor<?x?x?x?xf32>
  // output_shape fixes the sizes even for a dynamic input size.
  // CHECK: strata.conv_transpose {{.*}} -> tensor<?x3x8x9xf32>
  %2 = strata.conv_transpose %d, %w {strides = array<i64: 2, 2>, output_shape = array<i64: 8, 9>} : (tensor<?x4x?x5xf32>, tensor<4x3x3x3xf32>) -> tensor<?x?x?x?xf32>
  return
}

// CHECK-LABEL: func @pool
func.func @pool(%x: tensor<2x3x7x7xf32>, %d: tensor<?x3x7x?xf32>) {
  // floor: (7 + 1 - 3) / 2 + 1 = 3; ceil: 4.
  // CHECK: strata.max_pool {{.*}} -> tensor<2x3x3x3xf32>
  %0 = strata.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>} : (tensor<2x3x7x7xf32>) -> tensor<?x?x?x?xf32>
  // CHECK: strata.max_pool {{.*}} -> tensor<2x3x4x4xf32>
  %1 = strata.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, ceil_mode = true} : (tensor<2x3x7x7xf32>) -> tensor<?x?x?x?xf32>
  // The last ceil_mode window would start in the end padding: dropped.
  // ceil((7 + 2 - 2) / 3) + 1 = 4, but 3 * 3 >= 7 + 1, so 3.
  // CHECK: strata.avg_pool {{.*}} -> tensor<2x3x3x3xf32>
  %2 = strata.avg_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, ceil_mode = true} : (tensor<2x3x7x7xf32>) -> tensor<?x?x?x?xf32>
  // CHECK: strata.avg_pool {{.*}} -> tensor<?x3x3x?xf32>
  %3 = strata.avg_pool %d {kernel_shape = array<i64: 3, 3>, strides = array<i64: 3, 3>, auto_pad = #strata.auto_pad<same_lower>} : (tensor<?x3x7x?xf32>) -> tensor<?x?x?x?xf32>
  // CHECK: strata.global_max_pool {{.*}} -> tensor<?x3x1x1xf32>
  %4 = strata.global_max_pool %d : (tensor<?x3x7x?xf32>) -> tensor<?x?x?x?xf32>
  // CHECK: strata.global_avg_pool {{.*}} -> tensor<2x3x1x1xf32>
  %5 = strata.global_avg_pool %x : (tensor<2x3x7x7xf32>) -> tensor<?x?x?x?xf32>
  // CHECK: strata.lrn {{.*}} -> tensor<?x3x7x?xf32>
  %6 = strata.lrn %d {size = 3} : (tensor<?x3x7x?xf32>) -> tensor<?x?x?x?xf32>
  return
}

// CHECK-LABEL: func @sampling
func.func @sampling(%x: tensor<2x4x9x9xf32>, %d: tensor<?x4x9x9xf32>, %c: tensor<?x12x?xf64>,
                    %i: tensor<?x3x4x5xf32>, %g: tensor<2x6x7x2xf32>, %dg: tensor<?x6x?x2xf32>) {
  // CHECK: strata.avg_pool {{.*}} -> tensor<2x4x5x3xf32>
  %0 = strata.avg_pool %x {kernel_shape = array<i64: 3, 2>, dilations = array<i64: 2, 3>, strides = array<i64: 1, 2>} : (tensor<2x4x9x9xf32>) -> tensor<?x?x?x?xf32>
  // A dynamic batch stays dynamic.
  // CHECK: strata.avg_pool {{.*}} -> tensor<?x4x5x5xf32>
  %1 = strata.avg_pool %d {kernel_shape = array<i64: 3, 3>, dilations = array<i64: 2, 2>} : (tensor<?x4x9x9xf32>) -> tensor<?x?x?x?xf32>
  // CHECK: strata.col2im {{.*}} -> tensor<?x3x6x7xf64>
  %2 = strata.col2im %c {image_shape = array<i64: 6, 7>, block_shape = array<i64: 2, 2>} : (tensor<?x12x?xf64>) -> tensor<?x?x?x?xf64>
  // CHECK: strata.grid_sample {{.*}} -> tensor<2x3x6x7xf32>
  %3 = strata.grid_sample %i, %g : (tensor<?x3x4x5xf32>, tensor<2x6x7x2xf32>) -> tensor<?x?x?x?xf32>
  // CHECK: strata.grid_sample {{.*}} -> tensor<?x3x6x?xf32>
  %4 = strata.grid_sample %i, %dg : (tensor<?x3x4x5xf32>, tensor<?x6x?x2xf32>) -> tensor<?x?x?x?xf32>
  return
}

// CHECK-LABEL: func @roi_align
func.func @roi_align(%x: tensor<?x3x10x10xf32>, %r: tensor<?x4xf32>, %b: tensor<6xi64>, %db: tensor<?xi64>) {
  // CHECK: strata.roi_align {{.*}} -> tensor<6x3x2x3xf32>
  %0 = strata.roi_align %x, %r, %b {output_height = 2, output_width = 3} : (tensor<?x3x10x10xf32>, tensor<?x4xf32>, tensor<6xi64>) -> tensor<?x?x?x?xf32>
  // The box count stays dynamic.
  // CHECK: strata.roi_align {{.*}} -> tensor<?x3x1x1xf32>
  %1 = strata.roi_align %x, %r, %db : (tensor<?x3x10x10xf32>, tensor<?x4xf32>, tensor<?xi64>) -> tensor<?x?x?x?xf32>
  return
}

// CHECK-LABEL: func @deform_conv
func.func @deform_conv(%x: tensor<?x4x8x8xf32>, %w: tensor<6x2x3x3xf32>, %off: tensor<?x36x?x?xf32>,
                       %mask: tensor<?x18x6x6xf32>, %b: tensor<6xf32>, %xs: tensor<2x4x8x8xf32>,
                       %mask3: tensor<2x18x3x3xf32>) {
  // A dynamic batch stays dynamic.
  // CHECK: strata.deform_conv {{.*}} -> tensor<?x6x6x6xf32>
  %0 = strata.deform_conv %x, %w, %off, %mask, %b {groups = 2, offset_group = 2} : (tensor<?x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<?x36x?x?xf32>, tensor<?x18x6x6xf32>, tensor<6xf32>) -> tensor<?x?x?x?xf32>
  // CHECK: strata.deform_conv {{.*}} -> tensor<2x6x3x3xf32>
  %1 = strata.deform_conv %xs, %w, %off, %mask3 {groups = 2, offset_group = 2, strides = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : (tensor<2x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<?x36x?x?xf32>, tensor<2x18x3x3xf32>) -> tensor<?x?x?x?xf32>
  return
}

// The gradient ops' results take their operands' types; output_grad only
// has to fit the forward result.
// CHECK-LABEL: func @grid_sample_grad
func.func @grid_sample_grad(%x: tensor<?x3x4x5xf32>, %g: tensor<2x6x7x2xf32>, %dy: tensor<?x?x6x7xf32>) {
  // CHECK: strata.grid_sample_grad {{.*}} -> (tensor<?x3x4x5xf32>, tensor<2x6x7x2xf32>)
  %0:2 = strata.grid_sample_grad %x, %g, %dy : (tensor<?x3x4x5xf32>, tensor<2x6x7x2xf32>, tensor<?x?x6x7xf32>) -> (tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>)
  return
}

// CHECK-LABEL: func @roi_align_grad
func.func @roi_align_grad(%x: tensor<?x3x10x10xf32>, %r: tensor<?x4xf32>, %b: tensor<6xi64>, %dy: tensor<6x3x2x3xf32>) {
  // CHECK: strata.roi_align_grad {{.*}} -> (tensor<?x3x10x10xf32>, tensor<?x4xf32>)
  %0:2 = strata.roi_align_grad %x, %r, %b, %dy {output_height = 2, output_width = 3} : (tensor<?x3x10x10xf32>, tensor<?x4xf32>, tensor<6xi64>, tensor<6x3x2x3xf32>) -> (tensor<?x?x?x?xf32>, tensor<?x?xf32>)
  return
}

// CHECK-LABEL: func @deform_conv_grad
func.func @deform_conv_grad(%x: tensor<?x4x8x8xf32>, %w: tensor<6x2x3x3xf32>, %off: tensor<?x36x?x?xf32>,
                            %mask: tensor<?x18x6x6xf32>, %dy: tensor<?x6x6x6xf32>) {
  // A dynamic batch stays dynamic.
  // CHECK: strata.deform_conv_grad {{.*}} -> (tensor<?x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<?x36x?x?xf32>, tensor<?x18x6x6xf32>)
  %0:4 = strata.deform_conv_grad %x, %w, %off, %mask, %dy {groups = 2, offset_group = 2} : (tensor<?x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<?x36x?x?xf32>, tensor<?x18x6x6xf32>, tensor<?x6x6x6xf32>) -> (tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>)
  return
}
