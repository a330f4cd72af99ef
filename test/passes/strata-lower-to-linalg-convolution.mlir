// RUN: strata-opt --strata-lower-to-linalg=library-calls=false --split-input-file --verify-diagnostics %s | FileCheck %s

// conv_transpose: the input spread out by the strides (2) into zeros at
// eff - 1 - pad_begin = 1 (one strided insert_slice), the kernel flipped and,
// per group, its channel dims exchanged (w'[g, m, c] = w[g * Cg + c, m]),
// then the grouped convolution at stride 1 and the bias.
// CHECK-DAG: #[[FLIP:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0 * 2 + d2, d1, -d3 + 2, -d4 + 2)>
// CHECK-DAG: #[[ID5:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @conv_transpose
func.func @conv_transpose(%x: tensor<1x4x3x3xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<6xf32>) -> tensor<1x6x5x6xf32> {
  // CHECK: %[[Z:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x4x7x8xf32>)
  // CHECK: %[[SPREAD:.*]] = tensor.insert_slice %arg0 into %[[Z]][0, 0, 1, 1] [1, 4, 3, 3] [1, 1, 2, 2] : tensor<1x4x3x3xf32> into tensor<1x4x7x8xf32>
  // CHECK: %[[W:.*]] = linalg.generic {indexing_maps = [#[[FLIP]], #[[ID5]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%arg1 : tensor<4x3x3x3xf32>) outs(%{{.*}} : tensor<2x3x2x3x3xf32>)
  // CHECK: linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%{{.*}}, %{{.*}} : tensor<1x2x2x7x8xf32>, tensor<2x3x2x3x3xf32>) outs(%{{.*}} : tensor<1x2x3x5x6xf32>)
  // CHECK: tensor.expand_shape %{{.*}} output_shape [1, 6, 5, 6]
  // CHECK: linalg.generic
  // CHECK: arith.addf
  // CHECK-NOT: strata.
  %0 = strata.conv_transpose %x, %w, %b {groups = 2 : i64, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 0>} : (tensor<1x4x3x3xf32>, tensor<4x3x3x3xf32>, tensor<6xf32>) -> tensor<1x6x5x6xf32>
  return %0 : tensor<1x6x5x6xf32>
}

// -----

// Grouped conv: input, weight and result seen as [.., groups, channels /
// groups, ..] (views) around linalg.conv_2d_ngchw_gfchw.
// CHECK-LABEL: func.func @grouped
func.func @grouped(%x: tensor<1x4x5x5xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<1x6x2x2xf32> {
  // CHECK: %[[X:.*]] = tensor.expand_shape %{{.*}} output_shape [1, 2, 2, 5, 5]
  // CHECK: %[[W:.*]] = tensor.expand_shape %{{.*}} output_shape [2, 3, 2, 3, 3]
  // CHECK: %[[ACC:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x2x3x2x2xf32>)
  // CHECK: %[[Y:.*]] = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%[[X]], %[[W]] : tensor<1x2x2x5x5xf32>, tensor<2x3x2x3x3xf32>) outs(%[[ACC]] : tensor<1x2x3x2x2xf32>)
  // CHECK: tensor.collapse_shape %[[Y]]
  // CHECK: tensor.expand_shape %{{.*}} output_shape [1, 6, 2, 2]
  %0 = strata.conv %x, %w {groups = 2 : i64, strides = array<i64: 2, 2>} : (tensor<1x4x5x5xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x2x2xf32>
  return %0 : tensor<1x6x2x2xf32>
}

// -----

// Depthwise conv (one output channel per input channel): the weight
// [C, 1, kh, kw] as [C, kh, kw] for linalg.depthwise_conv_2d_nchw_chw.
// CHECK-LABEL: func.func @depthwise
func.func @depthwise(%x: tensor<1x3x5x5xf32>, %w: tensor<3x1x3x3xf32>) -> tensor<1x3x5x5xf32> {
  // CHECK: %[[P:.*]] = tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1]
  // CHECK: %[[W:.*]] = tensor.expand_shape %{{.*}} output_shape [3, 3, 3]
  // CHECK: linalg.depthwise_conv_2d_nchw_chw {{.*}} ins(%[[P]], %[[W]] : tensor<1x3x7x7xf32>, tensor<3x3x3xf32>)
  %0 = strata.conv %x, %w {groups = 3 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x5x5xf32>, tensor<3x1x3x3xf32>) -> tensor<1x3x5x5xf32>
  return %0 : tensor<1x3x5x5xf32>
}

// -----

// avg_pool whose windows differ in size: the sum pool, then a division by a
// constant of the per-window counts.
// CHECK-LABEL: func.func @avg_pool
func.func @avg_pool(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x2x2xf32> {
  // CHECK: %[[D:.*]] = arith.constant dense<{{\[}}[4.000000e+00, 2.000000e+00], [2.000000e+00, 1.000000e+00]]> : tensor<2x2xf32>
  // CHECK: %[[S:.*]] = linalg.pooling_nchw_sum {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>}
  // CHECK: linalg.generic {{.*}} ins(%[[S]], %[[D]] : tensor<1x1x2x2xf32>, tensor<2x2xf32>)
  // CHECK: arith.divf
  %0 = strata.avg_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 1, 1>} : (tensor<1x1x3x3xf32>) -> tensor<1x1x2x2xf32>
  return %0 : tensor<1x1x2x2xf32>
}

// -----

// 3-D images are not lowered yet.
func.func @conv3d(%x: tensor<1x1x3x3x3xf32>, %w: tensor<1x1x2x2x2xf32>) -> tensor<1x1x2x2x2xf32> {
  // expected-error @+1 {{'strata.conv' has no lowering to linalg for this form yet}}
  %0 = strata.conv %x, %w : (tensor<1x1x3x3x3xf32>, tensor<1x1x2x2x2xf32>) -> tensor<1x1x2x2x2xf32>
  return %0 : tensor<1x1x2x2x2xf32>
}

// -----

// max_pool of a 3-D image: the -inf pad, then one linalg.generic over
// (n, c, od, oh, ow, kd, kh, kw) reading x[n, c, od * 2 + kd, oh + kh,
// ow * 2 + kw] (an empty window tensor gives kd, kh, kw their extents).
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2 * 2 + d5, d3 + d6, d4 * 2 + d7)>
// CHECK-DAG: #[[WIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d5, d6, d7)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @max_pool_3d
func.func @max_pool_3d(%x: tensor<1x2x5x6x5xf32>) -> tensor<1x2x3x5x3xf32> {
  // CHECK: %[[LOW:.*]] = arith.constant 0xFF800000 : f32
  // CHECK: %[[P:.*]] = tensor.pad %arg0 low[0, 0, 1, 0, 0] high[0, 0, 0, 1, 1]
  // CHECK: %[[ACC:.*]] = linalg.fill ins(%[[LOW]] : f32) outs(%{{.*}} : tensor<1x2x3x5x3xf32>)
  // CHECK: %[[W:.*]] = tensor.empty() : tensor<2x3x2xf32>
  // CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[WIN]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%[[P]], %[[W]] : tensor<1x2x6x7x6xf32>, tensor<2x3x2xf32>) outs(%[[ACC]] : tensor<1x2x3x5x3xf32>)
  // CHECK: arith.maximumf
  %0 = strata.max_pool %x {kernel_shape = array<i64: 2, 3, 2>, strides = array<i64: 2, 1, 2>, pads = array<i64: 1, 0, 0, 0, 1, 1>} : (tensor<1x2x5x6x5xf32>) -> tensor<1x2x3x5x3xf32>
  return %0 : tensor<1x2x3x5x3xf32>
}

// -----

// avg_pool of a 3-D image: the same generic summing, then the division by
// the window's count (8 everywhere here).
// CHECK-LABEL: func.func @avg_pool_3d
func.func @avg_pool_3d(%x: tensor<1x2x4x5x6xf32>) -> tensor<1x2x2x2x3xf32> {
  // CHECK: %[[COUNT:.*]] = arith.constant 8.000000e+00 : f32
  // CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%arg0, %{{.*}} : tensor<1x2x4x5x6xf32>, tensor<2x2x2xf32>)
  // CHECK: arith.addf
  // CHECK: arith.divf %{{.*}}, %[[COUNT]] : f32
  %0 = strata.avg_pool %x {kernel_shape = array<i64: 2, 2, 2>, strides = array<i64: 2, 2, 2>} : (tensor<1x2x4x5x6xf32>) -> tensor<1x2x2x2x3xf32>
  return %0 : tensor<1x2x2x2x3xf32>
}

// -----

// col2im as a gather over (n, c, image position, block offset): block
// position p = (i + pad - j * dilation) / stride, kept where it divides and
// lies in [0, L); the column read with tensor.extract, summed in f64, then
// rounded.
// CHECK-LABEL: func.func @col2im
func.func @col2im(%x: tensor<1x6x4xf32>) -> tensor<1x2x9xf32> {
  // CHECK: %[[ACC:.*]] = linalg.fill ins(%{{.*}} : f64) outs(%{{.*}} : tensor<1x2x9xf64>)
  // CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%{{.*}} : tensor<3xf32>) outs(%[[ACC]] : tensor<1x2x9xf64>)
  // CHECK: arith.divsi
  // CHECK: arith.remsi
  // CHECK: tensor.extract %arg0
  // CHECK: arith.select
  // CHECK: arith.truncf %{{.*}} : f64 to f32
  %0 = strata.col2im %x {image_shape = array<i64: 9>, block_shape = array<i64: 3>, strides = array<i64: 2>} : (tensor<1x6x4xf32>) -> tensor<1x2x9xf32>
  return %0 : tensor<1x2x9xf32>
}

// -----

// grid_sample: one linalg.generic over the output with no inputs; the body
// reads the grid's (x, y) (tensor.extract, the y coordinate first for dim
// H), computes the pixel coordinate in f64, reflects it (floor, remf), and
// reads the four bilinear taps with tensor.extract.
// CHECK-LABEL: func.func @grid_sample
func.func @grid_sample(%x: tensor<1x2x4x5xf32>, %g: tensor<1x3x6x2xf32>) -> tensor<1x2x3x6xf32> {
  // CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%{{.*}} : tensor<1x2x3x6xf32>)
  // CHECK: tensor.extract %arg1[%{{.*}}, %{{.*}}, %{{.*}}, %c1]
  // CHECK: arith.extf %{{.*}} : f32 to f64
  // CHECK: math.floor
  // CHECK: arith.remf
  // CHECK: tensor.extract %arg1[%{{.*}}, %{{.*}}, %{{.*}}, %c0]
  // CHECK-COUNT-4: tensor.extract %arg0
  // CHECK: arith.truncf %{{.*}} : f64 to f32
  // CHECK-NOT: strata.
  %0 = strata.grid_sample %x, %g {padding_mode = "reflection"} : (tensor<1x2x4x5xf32>, tensor<1x3x6x2xf32>) -> tensor<1x2x3x6xf32>
  return %0 : tensor<1x2x3x6xf32>
}

// -----

// deform_conv: one linalg.generic over the output starting from the bias;
// an scf.for over the group's input channels; per tap (2 x 2, unrolled) the
// mask and the offsets (tensor.extract), the tap position in f64, and the
// four bilinear corners of the input.
// CHECK-LABEL: func.func @deform_conv
func.func @deform_conv(%x: tensor<1x4x5x5xf32>, %w: tensor<6x2x2x2xf32>, %off: tensor<1x16x4x4xf32>, %m: tensor<1x8x4x4xf32>, %b: tensor<6xf32>) -> tensor<1x6x4x4xf32> {
  // CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%{{.*}} : tensor<1x6x4x4xf32>)
  // CHECK: tensor.extract %arg4[%{{.*}}]
  // CHECK: scf.for
  // CHECK: tensor.extract %arg3
  // CHECK: tensor.extract %arg2
  // CHECK: math.floor
  // CHECK-COUNT-4: tensor.extract %arg0
  // CHECK: tensor.extract %arg1
  // CHECK: scf.yield
  // CHECK: arith.truncf %{{.*}} : f64 to f32
  // CHECK-NOT: strata.
  %0 = strata.deform_conv %x, %w, %off, %m, %b {groups = 2, offset_group = 2} : (tensor<1x4x5x5xf32>, tensor<6x2x2x2xf32>, tensor<1x16x4x4xf32>, tensor<1x8x4x4xf32>, tensor<6xf32>) -> tensor<1x6x4x4xf32>
  return %0 : tensor<1x6x4x4xf32>
}

// -----

// roi_align: one linalg.generic over the output; the box and its image
// (tensor.extract), samples per bin from the box (math.ceil: sampling_ratio
// 0), two scf.for over the bin's samples, four corner reads.
// CHECK-LABEL: func.func @roi_align
func.func @roi_align(%x: tensor<2x3x6x6xf32>, %r: tensor<4x4xf32>, %b: tensor<4xi64>) -> tensor<4x3x2x2xf32> {
  // CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<4x3x2x2xf32>)
  // CHECK: tensor.extract %arg2
  // CHECK: tensor.extract %arg1
  // CHECK: math.ceil
  // CHECK: scf.for
  // CHECK: scf.for
  // CHECK-COUNT-4: tensor.extract %arg0
  // CHECK: arith.divf
  // CHECK: arith.truncf %{{.*}} : f64 to f32
  // CHECK-NOT: strata.
  %0 = strata.roi_align %x, %r, %b {output_height = 2, output_width = 2} : (tensor<2x3x6x6xf32>, tensor<4x4xf32>, tensor<4xi64>) -> tensor<4x3x2x2xf32>
  return %0 : tensor<4x3x2x2xf32>
}

// -----

// Forms the roi_align lowering refuses: a dynamic number of boxes.
func.func @roi_align_dynamic(%x: tensor<2x3x6x6xf32>, %r: tensor<?x4xf32>, %b: tensor<?xi64>) -> tensor<?x3x1x1xf32> {
  // expected-error @+1 {{'strata.roi_align' has no lowering to linalg for this form yet}}
  %0 = strata.roi_align %x, %r, %b : (tensor<2x3x6x6xf32>, tensor<?x4xf32>, tensor<?xi64>) -> tensor<?x3x1x1xf32>
  return %0 : tensor<?x3x1x1xf32>
}
