//===- OneDnnKernels.h - oneDNN calls of compiled CPU kernels -------------===//
//
// Compiled kernels (codegen/cpu) call these for the heavy ops instead of
// running loops of their own: `--strata-lower-to-linalg` (library-calls,
// passes/lowering/OneDnnLowering.cpp) emits `func.call`s to them. The shared
// object leaves the symbols undefined; dlopen resolves them from the process,
// which links StrataRuntime (runtime/cpu/KernelLibrary.cpp).
//
// The ABI is plain C: float buffers (row-major, contiguous) and a constant
// i64 array describing the problem, whose layout the compiler and this file
// share (see each function). A primitive is built once per distinct
// geometry and cached for the life of the process.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_CPU_ONEDNNKERNELS_H
#define STRATA_RUNTIME_CPU_ONEDNNKERNELS_H

#include <cstdint>

extern "C" {

/// Convolution, strata.conv semantics. `geometry`:
///   [0] s (spatial rank, 1-3), [1] N, [2] C, [3] M, [4] groups,
///   [5] has bias (0 / 1; `b` is ignored when 0),
///   then s entries each of: input sizes, kernel sizes, output sizes,
///   strides, dilations (1 = dense), pads at the beginning, pads at the end.
/// x [N, C, D...], w [M, C / groups, k...], b [M], y [N, M, O...].
__attribute__((visibility("default"))) void
strata_onednn_conv_f32(const float *x, const float *w, const float *b, float *y,
                       const int64_t *geometry);

/// Transposed convolution, strata.conv_transpose semantics (oneDNN
/// deconvolution); the geometry as for conv, with w [C, M / groups, k...].
/// An end pad may be negative (output_padding, or an output_shape larger
/// than the full extent).
__attribute__((visibility("default"))) void
strata_onednn_deconv_f32(const float *x, const float *w, const float *b,
                         float *y, const int64_t *geometry);

/// y = alpha * op(a) op(b) + beta * c' (strata.gemm). `geometry`:
///   [0] M, [1] N, [2] K, [3] trans_a, [4] trans_b, [5] has c,
///   [6] rows of c (1 or M), [7] columns of c (1 or N).
/// a is [M, K] ([K, M] when trans_a), b [K, N] ([N, K] when trans_b), c
/// [rows, columns] broadcast to [M, N], y [M, N].
__attribute__((visibility("default"))) void
strata_onednn_gemm_f32(const float *a, const float *b, const float *c, float *y,
                       const int64_t *geometry, float alpha, float beta);

/// Average pooling forward, strata.avg_pool semantics for the forms the
/// compiler hands over (dilations 1, every window covering an input
/// element, the padding counted only where no ceil_mode overhang exists).
/// `geometry`:
///   [0] s (spatial rank, 1-3), [1] N, [2] C, [3] count the padding (1:
///   divide by the kernel volume; 0: by the input elements under the
///   window), then s entries each of: input sizes, kernel sizes, output
///   sizes, strides, pads at the beginning, pads at the end (including any
///   ceil_mode overhang).
/// x [N, C, D...], y [N, C, O...].
__attribute__((visibility("default"))) void
strata_onednn_avg_pool_f32(const float *x, float *y, const int64_t *geometry);

/// Local response normalization across channels, strata.lrn semantics:
/// y = x / (bias + alpha / size * sum of x^2 over the channel window)^beta.
/// `geometry`: [0] N, [1] C, [2] S (product of the spatial dims), [3] size;
/// x and y [N, C, S].
__attribute__((visibility("default"))) void
strata_onednn_lrn_f32(const float *x, float *y, const int64_t *geometry,
                      float alpha, float beta, float bias);

/// Batch normalization, inference form (strata.batch_norm):
/// y = scale * (x - mean) / sqrt(variance + epsilon) + bias per channel.
/// `geometry`: [0] N, [1] C, [2] S (product of the spatial dims); x and y
/// [N, C, S], the parameters [C].
__attribute__((visibility("default"))) void strata_onednn_batch_norm_f32(
    const float *x, const float *scale, const float *bias, const float *mean,
    const float *variance, float *y, const int64_t *geometry, float epsilon);
}

#endif // STRATA_RUNTIME_CPU_ONEDNNKERNELS_H
