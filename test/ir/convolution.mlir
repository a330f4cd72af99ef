// RUN: strata-opt %s | strata-opt | FileCheck %s
// Round trip of every convolution-family op and attribute form.

// CHECK-LABEL: func @conv
func.func @conv(%x: tensor<?x4x8x8xf32>, %w: tensor<6x2x3x3xf32>, %b: tensor<6xf32>,
                %x1: tensor<2x3x10xf64>, %w1: tensor<5x3x3xf64>,
                %x3: tensor<1x2x4x4x4xf32>, %w3: tensor<3x2x2x2x2xf32>) {
  // CHECK: strata.conv %{{.*}}, %{{.*}} {groups = 2 : i64} : (tensor<?x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<?x6x6x6xf32>
  %0 = strata.conv %x, %w {groups = 2} : (tensor<?x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<?x6x6x6xf32>
  // CHECK: strata.conv %{{.*}}, %{{.*}}, %{{.*}} {dilations = array<i64: 2, 1>, groups = 2 : i64, pads = array<i64: 1, 0, 2, 1>, strides = array<i64: 2, 3>} : (tensor<?x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>) -> tensor<?x6x4x3xf32>
  %1 = strata.conv %x, %w, %b {strides = array<i64: 2, 3>, dilations = array<i64: 2, 1>, pads = array<i64: 1, 0, 2, 1>, groups = 2} : (tensor<?x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>) -> tensor<?x6x4x3xf32>
  // CHECK: strata.conv %{{.*}}, %{{.*}}, %{{.*}} {auto_pad = #strata.auto_pad<same_upper>, groups = 2 : i64, strides = array<i64: 2, 2>}
  %2 = strata.conv %x, %w, %b {auto_pad = #strata.auto_pad<same_upper>, strides = array<i64: 2, 2>, groups = 2} : (tensor<?x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>) -> tensor<?x6x4x4xf32>
  // CHECK: strata.conv {{.*}}auto_pad = #strata.auto_pad<same_lower>
  %3 = strata.conv %x, %w {auto_pad = #strata.auto_pad<same_lower>, groups = 2} : (tensor<?x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<?x6x8x8xf32>
  // CHECK: strata.conv {{.*}}auto_pad = #strata.auto_pad<valid>
  %4 = strata.conv %x, %w {auto_pad = #strata.auto_pad<valid>, groups = 2} : (tensor<?x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<?x6x6x6xf32>
  // An explicit default is elided when printed.
  // CHECK: strata.conv %{{.*}}, %{{.*}} {groups = 2 : i64} : (tensor<?x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<?x6x6x6xf32>
  %5 = strata.conv %x, %w {auto_pad = #strata.auto_pad<notset>, groups = 2} : (tensor<?x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<?x6x6x6xf32>
  // Empty lists mean the defaults and are elided when printed.
  // CHECK: strata.conv %{{.*}}, %{{.*}} {groups = 2 : i64} : (tensor<?x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<?x6x6x6xf32>
  %8 = strata.conv %x, %w {strides = array<i64>, pads = array<i64>, groups = 2} : (tensor<?x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<?x6x6x6xf32>
  // 1-D and 3-D.
  // CHECK: strata.conv %{{.*}}, %{{.*}} : (tensor<2x3x10xf64>, tensor<5x3x3xf64>) -> tensor<2x5x8xf64>
  %6 = strata.conv %x1, %w1 : (tensor<2x3x10xf64>, tensor<5x3x3xf64>) -> tensor<2x5x8xf64>
  // CHECK: strata.conv %{{.*}}, %{{.*}} : (tensor<1x2x4x4x4xf32>, tensor<3x2x2x2x2xf32>) -> tensor<1x3x3x3x3xf32>
  %7 = strata.conv %x3, %w3 : (tensor<1x2x4x4x4xf32>, tensor<3x2x2x2x2xf32>) -> tensor<1x3x3x3x3xf32>
  return
}

// CHECK-LABEL: func @conv_transpose
func.func @conv_transpose(%x: tensor<?x4x5x5xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<6xf32>) {
  // CHECK: strata.conv_transpose %{{.*}}, %{{.*}} : (tensor<?x4x5x5xf32>, tensor<4x3x3x3xf32>) -> tensor<?x3x7x7xf32>
  %0 = strata.conv_transpose %x, %w : (tensor<?x4x5x5xf32>, tensor<4x3x3x3xf32>) -> tensor<?x3x7x7xf32>
  // CHECK: strata.conv_transpose %{{.*}}, %{{.*}}, %{{.*}} {dilations = array<i64: 1, 2>, groups = 2 : i64, output_padding = array<i64: 1, 0>, pads = array<i64: 1, 1, 0, 2>, strides = array<i64: 2, 1>}
  %1 = strata.conv_transpose %x, %w, %b {strides = array<i64: 2, 1>, dilations = array<i64: 1, 2>, pads = array<i64: 1, 1, 0, 2>, output_padding = array<i64: 1, 0>, groups = 2} : (tensor<?x4x5x5xf32>, tensor<4x3x3x3xf32>, tensor<6xf32>) -> tensor<?x6x11x6xf32>
  // CHECK: strata.conv_transpose {{.*}}{auto_pad = #strata.auto_pad<same_lower>, output_shape = array<i64: 9, 10>, strides = array<i64: 2, 2>}
  %2 = strata.conv_transpose %x, %w {strides = array<i64: 2, 2>, output_shape = array<i64: 9, 10>, auto_pad = #strata.auto_pad<same_lower>} : (tensor<?x4x5x5xf32>, tensor<4x3x3x3xf32>) -> tensor<?x3x9x10xf32>
  // CHECK: strata.conv_transpose {{.*}}{auto_pad = #strata.auto_pad<same_upper>, strides = array<i64: 2, 2>}
  %3 = strata.conv_transpose %x, %w {strides = array<i64: 2, 2>, auto_pad = #strata.auto_pad<same_upper>} : (tensor<?x4x5x5xf32>, tensor<4x3x3x3xf32>) -> tensor<?x3x10x10xf32>
  // CHECK: strata.conv_transpose {{.*}}{auto_pad = #strata.auto_pad<valid>}
  %4 = strata.conv_transpose %x, %w {auto_pad = #strata.auto_pad<valid>} : (tensor<?x4x5x5xf32>, tensor<4x3x3x3xf32>) -> tensor<?x3x7x7xf32>
  return
}

// CHECK-LABEL: func @pool
func.func @pool(%x: tensor<?x3x7x7xf32>, %x1: tensor<2x3x9xf16>, %x3: tensor<1x2x4x4x4xf64>) {
  // CHECK: strata.max_pool %{{.*}} {kernel_shape = array<i64: 2, 2>} : (tensor<?x3x7x7xf32>) -> tensor<?x3x6x6xf32>
  %0 = strata.max_pool %x {kernel_shape = array<i64: 2, 2>} : (tensor<?x3x7x7xf32>) -> tensor<?x3x6x6xf32>
  // CHECK: strata.max_pool %{{.*}} {ceil_mode = true, dilations = array<i64: 2, 1>, kernel_shape = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 0>, strides = array<i64: 2, 2>}
  %1 = strata.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 0>, dilations = array<i64: 2, 1>, ceil_mode = true} : (tensor<?x3x7x7xf32>) -> tensor<?x3x4x4xf32>
  // CHECK: strata.max_pool {{.*}}auto_pad = #strata.auto_pad<same_upper>
  %2 = strata.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, auto_pad = #strata.auto_pad<same_upper>} : (tensor<?x3x7x7xf32>) -> tensor<?x3x4x4xf32>
  // CHECK: strata.avg_pool %{{.*}} {kernel_shape = array<i64: 3, 3>} : (tensor<?x3x7x7xf32>) -> tensor<?x3x5x5xf32>
  %3 = strata.avg_pool %x {kernel_shape = array<i64: 3, 3>} : (tensor<?x3x7x7xf32>) -> tensor<?x3x5x5xf32>
  // CHECK: strata.avg_pool %{{.*}} {ceil_mode = true, count_include_pad = true, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
  %4 = strata.avg_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, ceil_mode = true, count_include_pad = true} : (tensor<?x3x7x7xf32>) -> tensor<?x3x4x4xf32>
  // CHECK: strata.avg_pool {{.*}}auto_pad = #strata.auto_pad<valid>
  %5 = strata.avg_pool %x {kernel_shape = array<i64: 3, 3>, auto_pad = #strata.auto_pad<valid>} : (tensor<?x3x7x7xf32>) -> tensor<?x3x5x5xf32>
  // CHECK: strata.max_pool %{{.*}} {kernel_shape = array<i64: 3>, strides = array<i64: 3>} : (tensor<2x3x9xf16>) -> tensor<2x3x3xf16>
  %6 = strata.max_pool %x1 {kernel_shape = array<i64: 3>, strides = array<i64: 3>} : (tensor<2x3x9xf16>) -> tensor<2x3x3xf16>
  // CHECK: strata.avg_pool %{{.*}} {kernel_shape = array<i64: 2, 2, 2>, strides = array<i64: 2, 2, 2>} : (tensor<1x2x4x4x4xf64>) -> tensor<1x2x2x2x2xf64>
  %7 = strata.avg_pool %x3 {kernel_shape = array<i64: 2, 2, 2>, strides = array<i64: 2, 2, 2>} : (tensor<1x2x4x4x4xf64>) -> tensor<1x2x2x2x2xf64>
  // CHECK: strata.global_max_pool %{{.*}} : (tensor<?x3x7x7xf32>) -> tensor<?x3x1x1xf32>
  %8 = strata.global_max_pool %x : (tensor<?x3x7x7xf32>) -> tensor<?x3x1x1xf32>
  // CHECK: strata.global_avg_pool %{{.*}} : (tensor<1x2x4x4x4xf64>) -> tensor<1x2x1x1x1xf64>
  %9 = strata.global_avg_pool %x3 : (tensor<1x2x4x4x4xf64>) -> tensor<1x2x1x1x1xf64>
  return
}

// CHECK-LABEL: func @lrn
func.func @lrn(%x: tensor<?x8x5x5xf32>) {
  // CHECK: strata.lrn %{{.*}} {size = 5 : i64} : (tensor<?x8x5x5xf32>) -> tensor<?x8x5x5xf32>
  %0 = strata.lrn %x {size = 5} : (tensor<?x8x5x5xf32>) -> tensor<?x8x5x5xf32>
  // CHECK: strata.lrn %{{.*}} {alpha = 1.000000e+00 : f64, beta = 5.000000e-01 : f64, bias = 2.000000e+00 : f64, size = 4 : i64}
  %1 = strata.lrn %x {size = 4, alpha = 1.0, beta = 0.5, bias = 2.0} : (tensor<?x8x5x5xf32>) -> tensor<?x8x5x5xf32>
  return
}

// CHECK-LABEL: func @avg_pool_dilations
func.func @avg_pool_dilations(%x: tensor<1x2x7x7xf32>) {
  // CHECK: strata.avg_pool %{{.*}} {dilations = array<i64: 2, 3>, kernel_shape = array<i64: 2, 2>} : (tensor<1x2x7x7xf32>) -> tensor<1x2x5x4xf32>
  %0 = strata.avg_pool %x {kernel_shape = array<i64: 2, 2>, dilations = array<i64: 2, 3>} : (tensor<1x2x7x7xf32>) -> tensor<1x2x5x4xf32>
  return
}

// CHECK-LABEL: func @col2im
func.func @col2im(%x: tensor<1x5x5xf32>, %y: tensor<?x12x?xf64>) {
  // CHECK: strata.col2im %{{.*}} {block_shape = array<i64: 1, 5>, image_shape = array<i64: 5, 5>} : (tensor<1x5x5xf32>) -> tensor<1x1x5x5xf32>
  %0 = strata.col2im %x {image_shape = array<i64: 5, 5>, block_shape = array<i64: 1, 5>} : (tensor<1x5x5xf32>) -> tensor<1x1x5x5xf32>
  // CHECK: strata.col2im %{{.*}} {block_shape = array<i64: 2, 2>, dilations = array<i64: 1, 2>, image_shape = array<i64: 6, 7>, pads = array<i64: 1, 0, 1, 0>, strides = array<i64: 2, 1>} : (tensor<?x12x?xf64>) -> tensor<?x3x6x7xf64>
  %1 = strata.col2im %y {image_shape = array<i64: 6, 7>, block_shape = array<i64: 2, 2>, strides = array<i64: 2, 1>, dilations = array<i64: 1, 2>, pads = array<i64: 1, 0, 1, 0>} : (tensor<?x12x?xf64>) -> tensor<?x3x6x7xf64>
  return
}

// CHECK-LABEL: func @grid_sample
func.func @grid_sample(%x: tensor<2x3x4x5xf32>, %g: tensor<2x6x7x2xf32>,
                       %x3: tensor<1x2x3x4x5xf64>, %g3: tensor<?x2x2x2x3xf64>) {
  // CHECK: strata.grid_sample %{{.*}}, %{{.*}} : (tensor<2x3x4x5xf32>, tensor<2x6x7x2xf32>) -> tensor<2x3x6x7xf32>
  %0 = strata.grid_sample %x, %g : (tensor<2x3x4x5xf32>, tensor<2x6x7x2xf32>) -> tensor<2x3x6x7xf32>
  // CHECK: strata.grid_sample %{{.*}}, %{{.*}} {align_corners = true, mode = "cubic", padding_mode = "reflection"}
  %1 = strata.grid_sample %x, %g {mode = "cubic", padding_mode = "reflection", align_corners = true} : (tensor<2x3x4x5xf32>, tensor<2x6x7x2xf32>) -> tensor<2x3x6x7xf32>
  // CHECK: strata.grid_sample %{{.*}}, %{{.*}} {mode = "nearest", padding_mode = "border"} : (tensor<1x2x3x4x5xf64>, tensor<?x2x2x2x3xf64>) -> tensor<1x2x2x2x2xf64>
  %2 = strata.grid_sample %x3, %g3 {mode = "nearest", padding_mode = "border"} : (tensor<1x2x3x4x5xf64>, tensor<?x2x2x2x3xf64>) -> tensor<1x2x2x2x2xf64>
  // Explicit defaults are elided.
  // CHECK: strata.grid_sample %{{.*}}, %{{.*}} : (tensor<2x3x4x5xf32>, tensor<2x6x7x2xf32>) -> tensor<2x3x6x7xf32>
  %3 = strata.grid_sample %x, %g {mode = "linear", padding_mode = "zeros"} : (tensor<2x3x4x5xf32>, tensor<2x6x7x2xf32>) -> tensor<2x3x6x7xf32>
  return
}

// CHECK-LABEL: func @roi_align
func.func @roi_align(%x: tensor<2x3x10x10xf32>, %r: tensor<4x4xf32>, %b: tensor<4xi64>, %b32: tensor<?xi32>) {
  // CHECK: strata.roi_align %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x3x10x10xf32>, tensor<4x4xf32>, tensor<4xi64>) -> tensor<4x3x1x1xf32>
  %0 = strata.roi_align %x, %r, %b : (tensor<2x3x10x10xf32>, tensor<4x4xf32>, tensor<4xi64>) -> tensor<4x3x1x1xf32>
  // CHECK: strata.roi_align %{{.*}}, %{{.*}}, %{{.*}} {coordinate_transformation_mode = "output_half_pixel", mode = "max", output_height = 5 : i64, output_width = 4 : i64, sampling_ratio = 2 : i64, spatial_scale = 5.000000e-01 : f64} : (tensor<2x3x10x10xf32>, tensor<4x4xf32>, tensor<?xi32>) -> tensor<4x3x5x4xf32>
  %1 = strata.roi_align %x, %r, %b32 {mode = "max", coordinate_transformation_mode = "output_half_pixel", output_height = 5, output_width = 4, sampling_ratio = 2, spatial_scale = 0.5} : (tensor<2x3x10x10xf32>, tensor<4x4xf32>, tensor<?xi32>) -> tensor<4x3x5x4xf32>
  // Explicit defaults are elided.
  // CHECK: strata.roi_align %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x3x10x10xf32>, tensor<4x4xf32>, tensor<4xi64>) -> tensor<4x3x1x1xf32>
  %2 = strata.roi_align %x, %r, %b {mode = "avg", coordinate_transformation_mode = "half_pixel"} : (tensor<2x3x10x10xf32>, tensor<4x4xf32>, tensor<4xi64>) -> tensor<4x3x1x1xf32>
  return
}

// CHECK-LABEL: func @deform_conv
func.func @deform_conv(%x: tensor<?x4x8x8xf32>, %w: tensor<6x2x3x3xf32>, %off: tensor<?x36x6x6xf32>,
                       %mask: tensor<?x18x6x6xf32>, %b: tensor<6xf32>, %x1: tensor<1x2x7xf64>,
                       %w1: tensor<3x2x2xf64>, %off1: tensor<1x2x7xf64>, %m1: tensor<1x2x7xf64>) {
  // CHECK: strata.deform_conv %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {groups = 2 : i64, offset_group = 2 : i64} : (tensor<?x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<?x36x6x6xf32>, tensor<?x18x6x6xf32>, tensor<6xf32>) -> tensor<?x6x6x6xf32>
  %0 = strata.deform_conv %x, %w, %off, %mask, %b {groups = 2, offset_group = 2} : (tensor<?x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<?x36x6x6xf32>, tensor<?x18x6x6xf32>, tensor<6xf32>) -> tensor<?x6x6x6xf32>
  // CHECK: strata.deform_conv %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {dilations = array<i64: 1>, pads = array<i64: 1, 0>, strides = array<i64: 1>} : (tensor<1x2x7xf64>, tensor<3x2x2xf64>, tensor<1x2x7xf64>, tensor<1x2x7xf64>) -> tensor<1x3x7xf64>
  %1 = strata.deform_conv %x1, %w1, %off1, %m1 {strides = array<i64: 1>, dilations = array<i64: 1>, pads = array<i64: 1, 0>} : (tensor<1x2x7xf64>, tensor<3x2x2xf64>, tensor<1x2x7xf64>, tensor<1x2x7xf64>) -> tensor<1x3x7xf64>
  return
}

// CHECK-LABEL: func @grid_sample_grad
func.func @grid_sample_grad(%x: tensor<2x3x4x5xf32>, %g: tensor<2x6x7x2xf32>, %dy: tensor<2x3x6x7xf32>,
                            %x1: tensor<?x2x5xf64>, %g1: tensor<?x3x1xf64>, %dy1: tensor<?x2x3xf64>) {
  // CHECK: strata.grid_sample_grad %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x3x4x5xf32>, tensor<2x6x7x2xf32>, tensor<2x3x6x7xf32>) -> (tensor<2x3x4x5xf32>, tensor<2x6x7x2xf32>)
  %0:2 = strata.grid_sample_grad %x, %g, %dy : (tensor<2x3x4x5xf32>, tensor<2x6x7x2xf32>, tensor<2x3x6x7xf32>) -> (tensor<2x3x4x5xf32>, tensor<2x6x7x2xf32>)
  // CHECK: strata.grid_sample_grad %{{.*}}, %{{.*}}, %{{.*}} {align_corners = true, mode = "cubic", padding_mode = "reflection"}
  %1:2 = strata.grid_sample_grad %x, %g, %dy {mode = "cubic", padding_mode = "reflection", align_corners = true} : (tensor<2x3x4x5xf32>, tensor<2x6x7x2xf32>, tensor<2x3x6x7xf32>) -> (tensor<2x3x4x5xf32>, tensor<2x6x7x2xf32>)
  // CHECK: strata.grid_sample_grad %{{.*}}, %{{.*}}, %{{.*}} {mode = "nearest", padding_mode = "border"} : (tensor<?x2x5xf64>, tensor<?x3x1xf64>, tensor<?x2x3xf64>) -> (tensor<?x2x5xf64>, tensor<?x3x1xf64>)
  %2:2 = strata.grid_sample_grad %x1, %g1, %dy1 {mode = "nearest", padding_mode = "border"} : (tensor<?x2x5xf64>, tensor<?x3x1xf64>, tensor<?x2x3xf64>) -> (tensor<?x2x5xf64>, tensor<?x3x1xf64>)
  // Explicit defaults are elided.
  // CHECK: strata.grid_sample_grad %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x3x4x5xf32>
  %3:2 = strata.grid_sample_grad %x, %g, %dy {mode = "linear", padding_mode = "zeros", align_corners = false} : (tensor<2x3x4x5xf32>, tensor<2x6x7x2xf32>, tensor<2x3x6x7xf32>) -> (tensor<2x3x4x5xf32>, tensor<2x6x7x2xf32>)
  return
}

// CHECK-LABEL: func @roi_align_grad
func.func @roi_align_grad(%x: tensor<2x3x10x10xf32>, %r: tensor<4x4xf32>, %b: tensor<4xi64>, %dy: tensor<4x3x1x1xf32>,
                          %b32: tensor<?xi32>, %dy2: tensor<4x3x5x4xf32>) {
  // CHECK: strata.roi_align_grad %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x3x10x10xf32>, tensor<4x4xf32>, tensor<4xi64>, tensor<4x3x1x1xf32>) -> (tensor<2x3x10x10xf32>, tensor<4x4xf32>)
  %0:2 = strata.roi_align_grad %x, %r, %b, %dy : (tensor<2x3x10x10xf32>, tensor<4x4xf32>, tensor<4xi64>, tensor<4x3x1x1xf32>) -> (tensor<2x3x10x10xf32>, tensor<4x4xf32>)
  // CHECK: strata.roi_align_grad %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {coordinate_transformation_mode = "output_half_pixel", mode = "max", output_height = 5 : i64, output_width = 4 : i64, sampling_ratio = 2 : i64, spatial_scale = 5.000000e-01 : f64} : (tensor<2x3x10x10xf32>, tensor<4x4xf32>, tensor<?xi32>, tensor<4x3x5x4xf32>) -> (tensor<2x3x10x10xf32>, tensor<4x4xf32>)
  %1:2 = strata.roi_align_grad %x, %r, %b32, %dy2 {mode = "max", coordinate_transformation_mode = "output_half_pixel", output_height = 5, output_width = 4, sampling_ratio = 2, spatial_scale = 0.5} : (tensor<2x3x10x10xf32>, tensor<4x4xf32>, tensor<?xi32>, tensor<4x3x5x4xf32>) -> (tensor<2x3x10x10xf32>, tensor<4x4xf32>)
  // Explicit defaults are elided.
  // CHECK: strata.roi_align_grad %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x3x10x10xf32>
  %2:2 = strata.roi_align_grad %x, %r, %b, %dy {mode = "avg", coordinate_transformation_mode = "half_pixel", output_height = 1, output_width = 1, sampling_ratio = 0, spatial_scale = 1.0} : (tensor<2x3x10x10xf32>, tensor<4x4xf32>, tensor<4xi64>, tensor<4x3x1x1xf32>) -> (tensor<2x3x10x10xf32>, tensor<4x4xf32>)
  return
}

// CHECK-LABEL: func @deform_conv_grad
func.func @deform_conv_grad(%x: tensor<?x4x8x8xf32>, %w: tensor<6x2x3x3xf32>, %off: tensor<?x36x6x6xf32>,
                            %mask: tensor<?x18x6x6xf32>, %dy: tensor<?x6x6x6xf32>, %x1: tensor<1x2x7xf64>,
                            %w1: tensor<3x2x2xf64>, %off1: tensor<1x2x7xf64>, %m1: tensor<1x2x7xf64>,
                            %dy1: tensor<1x3x7xf64>) {
  // CHECK: strata.deform_conv_grad %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {groups = 2 : i64, offset_group = 2 : i64} : (tensor<?x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<?x36x6x6xf32>, tensor<?x18x6x6xf32>, tensor<?x6x6x6xf32>) -> (tensor<?x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<?x36x6x6xf32>, tensor<?x18x6x6xf32>)
  %0:4 = strata.deform_conv_grad %x, %w, %off, %mask, %dy {groups = 2, offset_group = 2} : (tensor<?x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<?x36x6x6xf32>, tensor<?x18x6x6xf32>, tensor<?x6x6x6xf32>) -> (tensor<?x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<?x36x6x6xf32>, tensor<?x18x6x6xf32>)
  // CHECK: strata.deform_conv_grad %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {dilations = array<i64: 1>, pads = array<i64: 1, 0>, strides = array<i64: 1>} : (tensor<1x2x7xf64>, tensor<3x2x2xf64>, tensor<1x2x7xf64>, tensor<1x2x7xf64>, tensor<1x3x7xf64>) -> (tensor<1x2x7xf64>, tensor<3x2x2xf64>, tensor<1x2x7xf64>, tensor<1x2x7xf64>)
  %1:4 = strata.deform_conv_grad %x1, %w1, %off1, %m1, %dy1 {strides = array<i64: 1>, dilations = array<i64: 1>, pads = array<i64: 1, 0>} : (tensor<1x2x7xf64>, tensor<3x2x2xf64>, tensor<1x2x7xf64>, tensor<1x2x7xf64>, tensor<1x3x7xf64>) -> (tensor<1x2x7xf64>, tensor<3x2x2xf64>, tensor<1x2x7xf64>, tensor<1x2x7xf64>)
  return
}
