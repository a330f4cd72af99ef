// RUN: strata-opt --strata-lower-to-linalg %s | FileCheck %s
// RUN: strata-opt --strata-lower-to-linalg="library-calls=false allow-unlowered" %s | FileCheck %s --check-prefix=LINALG

// With library-calls (the default) conv becomes a call to the runtime's
// oneDNN function: each operand through to_buffer (read only), the result
// in a fresh allocation handed back with to_tensor restrict, all passed as
// plain pointers. The geometry is a constant: spatial rank 2, N 1, C 2, M 4,
// groups 2, bias; input 5x5, kernel 3x3, output 3x3, strides, dilations,
// pads begin / end.
// CHECK-DAG: func.func private @strata_onednn_conv_f32(!llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr)
// CHECK-DAG: func.func private @strata_onednn_deconv_f32(!llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr)
// CHECK-DAG: func.func private @strata_onednn_gemm_f32(!llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, f32, f32)
// CHECK-DAG: func.func private @strata_onednn_avg_pool_f32(!llvm.ptr, !llvm.ptr, !llvm.ptr)
// CHECK-DAG: func.func private @strata_onednn_lrn_f32(!llvm.ptr, !llvm.ptr, !llvm.ptr, f32, f32, f32)
// CHECK-DAG: func.func private @strata_onednn_batch_norm_f32(!llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, f32)
// CHECK-LABEL: func.func @conv
// CHECK: %[[G:.*]] = arith.constant dense<[2, 1, 2, 4, 2, 1, 5, 5, 3, 3, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1]> : tensor<20xi64>
// CHECK: %[[XB:.*]] = bufferization.to_buffer %arg0 read_only : tensor<1x2x5x5xf32> to memref<1x2x5x5xf32>
// CHECK: %[[XI:.*]] = memref.extract_aligned_pointer_as_index %[[XB]]
// CHECK: %[[XL:.*]] = arith.index_cast %[[XI]] : index to i64
// CHECK: %[[XP:.*]] = llvm.inttoptr %[[XL]] : i64 to !llvm.ptr
// CHECK: bufferization.to_buffer %arg1 read_only
// CHECK: bufferization.to_buffer %arg2 read_only
// CHECK: %[[Y:.*]] = memref.alloc() : memref<1x4x3x3xf32>
// CHECK: %[[YI:.*]] = memref.extract_aligned_pointer_as_index %[[Y]]
// CHECK: %[[GB:.*]] = bufferization.to_buffer %[[G]] read_only : tensor<20xi64> to memref<20xi64>
// CHECK: call @strata_onednn_conv_f32(%[[XP]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (!llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr) -> ()
// CHECK: %[[R:.*]] = bufferization.to_tensor %[[Y]] restrict writable : memref<1x4x3x3xf32> to tensor<1x4x3x3xf32>
// CHECK: return %[[R]] : tensor<1x4x3x3xf32>
// Without library calls a grouped conv is a grouped linalg convolution.
// LINALG-LABEL: func.func @conv
// LINALG-NOT: call
// LINALG: linalg.conv_2d_ngchw_gfchw
func.func @conv(%x: tensor<1x2x5x5xf32>, %w: tensor<4x1x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x3x3xf32> {
  %0 = strata.conv %x, %w, %b {groups = 2 : i64, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x5x5xf32>, tensor<4x1x3x3xf32>, tensor<4xf32>) -> tensor<1x4x3x3xf32>
  return %0 : tensor<1x4x3x3xf32>
}

// conv_transpose: the end pad is what gives oneDNN the op's output size,
// here 2 * (3 - 1) + 3 - 0 - 8 = -1 (output_padding 1). Without a bias the
// weight's pointer is passed in its place.
// CHECK-LABEL: func.func @conv_transpose
// CHECK: arith.constant dense<[1, 1, 2, 3, 1, 0, 3, 3, 8, 2, 1, 0, -1]> : tensor<13xi64>
// CHECK: bufferization.to_buffer %arg1
// CHECK: %[[W:.*]] = llvm.inttoptr
// CHECK: call @strata_onednn_deconv_f32(%{{.*}}, %[[W]], %[[W]], %{{.*}}, %{{.*}})
func.func @conv_transpose(%x: tensor<1x2x3xf32>, %w: tensor<2x3x3xf32>) -> tensor<1x3x8xf32> {
  %0 = strata.conv_transpose %x, %w {strides = array<i64: 2>, output_padding = array<i64: 1>} : (tensor<1x2x3xf32>, tensor<2x3x3xf32>) -> tensor<1x3x8xf32>
  return %0 : tensor<1x3x8xf32>
}

// gemm: geometry M, N, K, trans_a, trans_b, has c, rows and columns of c;
// alpha and beta as f32 arguments.
// CHECK-LABEL: func.func @gemm
// CHECK-DAG: %[[ALPHA:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-DAG: %[[BETA:.*]] = arith.constant 2.000000e+00 : f32
// CHECK-DAG: arith.constant dense<[3, 4, 5, 0, 1, 1, 1, 4]> : tensor<8xi64>
// CHECK: call @strata_onednn_gemm_f32(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[ALPHA]], %[[BETA]]) : (!llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr, f32, f32) -> ()
// LINALG-LABEL: func.func @gemm
// LINALG-NOT: call
// LINALG: linalg.generic
func.func @gemm(%a: tensor<3x5xf32>, %b: tensor<4x5xf32>, %c: tensor<4xf32>) -> tensor<3x4xf32> {
  %0 = strata.gemm %a, %b, %c {alpha = 0.5 : f64, beta = 2.0 : f64, trans_b = true} : (tensor<3x5xf32>, tensor<4x5xf32>, tensor<4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// A batched matmul is not a oneDNN form here: it stays a linalg contraction.
// CHECK-LABEL: func.func @batched
// CHECK-NOT: call
// CHECK: linalg.generic
func.func @batched(%a: tensor<2x3x5xf32>, %b: tensor<2x5x4xf32>) -> tensor<2x3x4xf32> {
  %0 = strata.matmul %a, %b : (tensor<2x3x5xf32>, tensor<2x5x4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// max_pool stays in linalg: oneDNN's max pooling drops NaN.
// CHECK-LABEL: func.func @max_pool
// CHECK-NOT: call
// CHECK: linalg.pooling_nchw_max
func.func @max_pool(%x: tensor<1x2x8x7xf32>) -> tensor<1x2x4x3xf32> {
  %0 = strata.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 2, 2>, ceil_mode = true} : (tensor<1x2x8x7xf32>) -> tensor<1x2x4x3xf32>
  return %0 : tensor<1x2x4x3xf32>
}

// avg_pool counting the padding: geometry spatial rank 2, N 2, C 3, count
// the padding; input 7x6, kernel 3x2, output 4x3, strides, pads begin, and
// the end pads the windows reach: 3 * 2 + 3 - 7 - 1 = 1 and
// 2 * 2 + 2 - 6 - 0 = 0 (not the op's 1). No window reaches past the op's
// end pads, so every divisor is the kernel volume, as oneDNN divides.
// CHECK-LABEL: func.func @avg_pool
// CHECK: arith.constant dense<[2, 2, 3, 1, 7, 6, 3, 2, 4, 3, 2, 2, 1, 0, 1, 0]> : tensor<16xi64>
// CHECK: call @strata_onednn_avg_pool_f32(%{{.*}}, %{{.*}}, %{{.*}}) : (!llvm.ptr, !llvm.ptr, !llvm.ptr) -> ()
// LINALG-LABEL: func.func @avg_pool
// LINALG: linalg.pooling_nchw_sum
func.func @avg_pool(%x: tensor<2x3x7x6xf32>) -> tensor<2x3x4x3xf32> {
  %0 = strata.avg_pool %x {kernel_shape = array<i64: 3, 2>, strides = array<i64: 2, 2>, pads = array<i64: 1, 0, 1, 1>, count_include_pad = true} : (tensor<2x3x7x6xf32>) -> tensor<2x3x4x3xf32>
  return %0 : tensor<2x3x4x3xf32>
}

// Counting the padding with a ceil_mode overhang (the last windows' divisor
// is 6 or 4, not 9) stays in linalg.
// CHECK-LABEL: func.func @avg_pool_overhang
// CHECK-NOT: call
// CHECK: linalg.pooling_nchw_sum
func.func @avg_pool_overhang(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32> {
  %0 = strata.avg_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, ceil_mode = true, count_include_pad = true} : (tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// lrn: [N, C, S] and the size; alpha, beta and bias as f32 arguments.
// CHECK-LABEL: func.func @lrn
// CHECK-DAG: %[[G:.*]] = arith.constant dense<[2, 5, 12, 3]> : tensor<4xi64>
// CHECK-DAG: %[[ALPHA:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-DAG: %[[BETA:.*]] = arith.constant 7.500000e-01 : f32
// CHECK-DAG: %[[BIAS:.*]] = arith.constant 2.000000e+00 : f32
// CHECK: call @strata_onednn_lrn_f32(%{{.*}}, %{{.*}}, %{{.*}}, %[[ALPHA]], %[[BETA]], %[[BIAS]])
func.func @lrn(%x: tensor<2x5x3x4xf32>) -> tensor<2x5x3x4xf32> {
  %0 = strata.lrn %x {size = 3 : i64, alpha = 0.5 : f64, beta = 0.75 : f64, bias = 2.0 : f64} : (tensor<2x5x3x4xf32>) -> tensor<2x5x3x4xf32>
  return %0 : tensor<2x5x3x4xf32>
}

// batch_norm (inference): [N, C, S], the five tensors and epsilon.
// CHECK-LABEL: func.func @batch_norm
// CHECK-DAG: arith.constant dense<[2, 3, 20]> : tensor<3xi64>
// CHECK-DAG: %[[EPS:.*]] = arith.constant 1.000000e-03 : f32
// CHECK: call @strata_onednn_batch_norm_f32(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[EPS]])
// LINALG-LABEL: func.func @batch_norm
// LINALG-NOT: call
// LINALG: math.sqrt
func.func @batch_norm(%x: tensor<2x3x4x5xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<2x3x4x5xf32> {
  %0 = strata.batch_norm %x, %s, %b, %m, %v {epsilon = 1.0e-3 : f64} : (tensor<2x3x4x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4x5xf32>
  return %0 : tensor<2x3x4x5xf32>
}
