//===- ConvolutionOps.td - Convolution, pooling, LRN ---------*- tablegen -*-===//
//
// Images are [N, C, D1, ..., Ds] (NCHW for s = 2) with s >= 1 spatial dims.
// Window attributes follow ONNX: `strides` and `dilations` have one entry per
// spatial dim (empty = all 1), `pads` has the begin padding of every spatial
// dim followed by the end padding of every spatial dim (empty = all 0).
//
// The window geometry (padding resolved from auto_pad, output sizes) is
// computed in one place, ConvolutionOps.cpp, and used both by type inference
// and by the reference kernels through `getWindowGeometry`.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_CONVOLUTION_OPS_TD
#define STRATA_CONVOLUTION_OPS_TD

include "ir/StrataAttrs.td"

// Shared text of the forward-window (conv / pool) output size rule.
defvar Strata_WindowSizeDoc = [{
    With eff = (k - 1) * dilation + 1 the extent of a dilated kernel of size
    k, an input size D and stride s, the output size per spatial dim is:

    * `auto_pad = notset`: floor((D + pad_begin + pad_end - eff) / s) + 1
      (with `ceil_mode`: ceil instead of floor, then one less if the last
      window would start at or after D + pad_begin, i.e. entirely in the end
      padding);
    * `valid`: as notset with zero pads;
    * `same_upper` / `same_lower`: ceil(D / s); the total padding
      max(0, (out - 1) * s + eff - D) is split evenly, the odd element going
      to the end (same_upper) or to the beginning (same_lower).

    `pads` must be zero (or omitted) unless auto_pad is notset. Output sizes
    must be positive. Output element (o_1, ..., o_s) reads input positions
    o_i * s_i - pad_begin_i + j_i * dilation_i for kernel offsets j_i in
    [0, k_i); positions outside [0, D_i) are padding.
}];

// Ops with a sliding window over the spatial dims of the input. They expose
// the resolved geometry to the reference kernels.
class Strata_WindowOp<string mnemonic, list<Trait> traits = []>
    : Strata_Op<mnemonic, !listconcat(traits, [Pure])> {
  let extraClassDeclaration = [{
    /// For static spatial input sizes `inputSizes` and kernel sizes
    /// `kernelSizes` of a verified op: the padding actually applied (begins,
    /// then ends) and the spatial output sizes.
    void getWindowGeometry(::llvm::ArrayRef<int64_t> inputSizes,
                           ::llvm::ArrayRef<int64_t> kernelSizes,
                           ::llvm::SmallVectorImpl<int64_t> &pads,
                           ::llvm::SmallVectorImpl<int64_t> &outputSizes);
  }];
}

def Strata_ConvOp : Strata_WindowOp<"conv"> {
  let summary = "N-d grouped, strided, dilated convolution (ONNX Conv)";
  let description = !strconcat([{
    `input` is [N, C, D1, ..., Ds], `weight` [M, C / groups, k1, ..., ks],
    the optional `bias` [M]; the result is [N, M, O1, ..., Os]. Channels are
    split into `groups` consecutive groups: output channel m belongs to group
    g = m / (M / groups) and sees input channels g * (C / groups) + c:

        y[n, m, o] = bias[m] + sum_{c < C/groups, j} w[m, c, j] *
                     x[n, g * (C/groups) + c, o * stride - pad_begin + j * dilation]

    (a cross-correlation, as in ONNX and every framework; out-of-range input
    positions read zero). C and M must be divisible by `groups`. Defaults:
    strides and dilations 1, pads 0, groups 1, auto_pad notset (conv has
    no ceil_mode: it is always false below).
  }],
      Strata_WindowSizeDoc, [{

    SINGA's kConvolution (convolution_conf: num_filters, kernel, pad, stride,
    bias_term) is pads = [pad, pad, pad, pad], strides = [stride, stride] and
    a weight reshaped from SINGA's [num_filters, C * k * k] to
    [num_filters, C, k, k].
  }]);
  let arguments = (ins Strata_FloatTensor:$input, Strata_FloatTensor:$weight,
      Optional<Strata_FloatTensor>:$bias,
      DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$strides,
      DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$dilations,
      DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$pads,
      DefaultValuedAttr<I64Attr, "1">:$groups,
      DefaultValuedAttr<Strata_AutoPadAttr, "::strata::AutoPad::notset">:$auto_pad);
  let results = (outs Strata_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Strata_ConvTransposeOp : Strata_WindowOp<"conv_transpose"> {
  let summary = "N-d transposed convolution (ONNX ConvTranspose)";
  let description = [{
    The gradient of strata.conv with respect to its input. `input` is
    [N, C, D1, ..., Ds], `weight` [C, M / groups, k1, ..., ks], the optional
    `bias` [M] with M = weight[1] * groups; the result is [N, M, O1, ..., Os].
    Every input element scatters into the output:

        y[n, g * (M/groups) + m, i * stride - pad_begin + j * dilation]
            += x[n, g * (C/groups) + c, i] * w[g * (C/groups) + c, m, j]

    for all groups g, c < C/groups, m < M/groups, input positions i and kernel
    offsets j whose target lies inside the output; then bias[m] is added.
    C must be divisible by `groups`.

    Output size per spatial dim, eff = (k - 1) * dilation + 1:

    * by default (`pads`, auto_pad notset):
      O = stride * (D - 1) + output_padding + eff - pad_begin - pad_end;
    * with `output_shape` (spatial sizes only): O = output_shape[i] and the
      total padding P = stride * (D - 1) + output_padding + eff - O;
    * with auto_pad same_upper / same_lower (and no output_shape):
      O = D * stride and P as above;
    * auto_pad valid: pads are 0.

    A computed total padding P is clamped at 0 (extra output positions then
    hold only the bias) and split as in the ONNX specification: same_upper
    puts floor(P / 2) at the beginning, the rest at the end; notset, valid
    and same_lower put the larger half at the beginning. `pads` must be zero
    (or omitted) when `output_shape` is given or auto_pad is not notset.
    `output_padding` (one entry per spatial dim, default 0) only extends the
    end of the output. Defaults: strides and dilations 1, pads 0, groups 1.
  }];
  let arguments = (ins Strata_FloatTensor:$input, Strata_FloatTensor:$weight,
      Optional<Strata_FloatTensor>:$bias,
      DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$strides,
      DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$dilations,
      DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$pads,
      DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$output_padding,
      DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$output_shape,
      DefaultValuedAttr<I64Attr, "1">:$groups,
      DefaultValuedAttr<Strata_AutoPadAttr, "::strata::AutoPad::notset">:$auto_pad);
  let results = (outs Strata_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Strata_MaxPoolOp : Strata_WindowOp<"max_pool"> {
  let summary = "N-d max pooling (ONNX MaxPool, SINGA kPooling MAX)";
  let description = !strconcat([{
    `input` [N, C, D1, ..., Ds] -> [N, C, O1, ..., Os]; each output element is
    the maximum of the input elements under its window (padding never wins;
    a NaN in the window gives NaN). `kernel_shape` (required) has one entry
    per spatial dim. Defaults: strides and dilations 1, pads 0, ceil_mode
    false, auto_pad notset. Every pad must be smaller than the dilated kernel
    extent; a window that still covers no input element is an evaluation
    error.
  }],
      Strata_WindowSizeDoc, [{

    SINGA's kPooling (pooling_conf: pool MAX, kernel, pad, stride) is
    kernel_shape = [kernel, kernel], pads = [pad, pad, pad, pad],
    strides = [stride, stride], ceil_mode false. ONNX MaxPool's optional
    Indices output and storage_order are not represented.
  }]);
  let arguments = (ins Strata_FloatTensor:$input,
      DenseI64ArrayAttr:$kernel_shape,
      DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$strides,
      DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$pads,
      DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$dilations,
      DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
      DefaultValuedAttr<Strata_AutoPadAttr, "::strata::AutoPad::notset">:$auto_pad);
  let results = (outs Strata_FloatTensor:$output);
}

def Strata_AvgPoolOp : Strata_WindowOp<"avg_pool"> {
  let summary = "N-d average pooling (ONNX AveragePool, SINGA kPooling AVG)";
  let description = !strconcat([{
    `input` [N, C, D1, ..., Ds] -> [N, C, O1, ..., Os]; each output element is
    the sum of the input elements under its window divided by

    * `count_include_pad = false` (default, ONNX): the number of window
      positions inside the input;
    * `count_include_pad = true`: the number of window positions inside the
      padded input [-pad_begin, D + pad_end), i.e. padding counts but the
      overhang that ceil_mode adds past the end padding does not. Without
      ceil_mode this is always the kernel volume.

    `kernel_shape` (required) has one entry per spatial dim. Defaults:
    strides and dilations 1, pads 0, ceil_mode false, auto_pad notset,
    count_include_pad false. Every pad must be smaller than the dilated
    kernel extent; a window that covers no input element with
    count_include_pad false is an evaluation error. With dilations only the
    window positions actually sampled (o * s - pad_begin + j * dilation)
    count, for both divisors.
  }],
      Strata_WindowSizeDoc, [{

    SINGA's kPooling with pool
    AVG divides by kernel * kernel: kernel_shape = [kernel, kernel],
    pads = [pad, pad, pad, pad], strides = [stride, stride],
    count_include_pad = true.
  }]);
  let arguments = (ins Strata_FloatTensor:$input,
      DenseI64ArrayAttr:$kernel_shape,
      DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$strides,
      DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$pads,
      DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$dilations,
      DefaultValuedAttr<BoolAttr, "false">:$ceil_mode,
      DefaultValuedAttr<BoolAttr, "false">:$count_include_pad,
      DefaultValuedAttr<Strata_AutoPadAttr, "::strata::AutoPad::notset">:$auto_pad);
  let results = (outs Strata_FloatTensor:$output);
}

def Strata_GlobalMaxPoolOp : Strata_Op<"global_max_pool", [Pure]> {
  let summary = "maximum over all spatial dims (ONNX GlobalMaxPool)";
  let description = [{
    `input` [N, C, D1, ..., Ds] (s >= 1) -> [N, C, 1, ..., 1]:
    y[n, c, 0, ..., 0] = max over all spatial positions of x[n, c, ...]
    (NaN if any is NaN). Every spatial size must be positive.
  }];
  let arguments = (ins Strata_FloatTensor:$input);
  let results = (outs Strata_FloatTensor:$output);
}

def Strata_GlobalAvgPoolOp : Strata_Op<"global_avg_pool", [Pure]> {
  let summary = "mean over all spatial dims (ONNX GlobalAveragePool)";
  let description = [{
    `input` [N, C, D1, ..., Ds] (s >= 1) -> [N, C, 1, ..., 1]:
    y[n, c, 0, ..., 0] = (sum over all spatial positions of x[n, c, ...]) /
    (D1 * ... * Ds). Every spatial size must be positive.
  }];
  let arguments = (ins Strata_FloatTensor:$input);
  let results = (outs Strata_FloatTensor:$output);
}

def Strata_LRNOp : Strata_Op<"lrn", [Pure]> {
  let summary = "local response normalization across channels (ONNX LRN)";
  let description = [{
    `input` [N, C, D1, ..., Ds] (s >= 1) -> same shape:

        y[n, c, d] = x[n, c, d] /
            (bias + alpha / size * sum_{c' in W(c)} x[n, c', d]^2) ^ beta

    with the channel window W(c) = [c - floor((size - 1) / 2),
    c + ceil((size - 1) / 2)] clipped to [0, C). `size` (required) must be
    positive; it need not be odd. Defaults: alpha 1e-4, beta 0.75, bias 1.0
    (ONNX). A negative base with a fractional beta gives NaN, as in ONNX.

    SINGA's kLRN (lrn_conf: local_size, alpha, beta, knorm) maps to
    size = local_size, alpha = alpha (SINGA also divides alpha by
    local_size), beta = beta, bias = knorm. SINGA's window is
    [c - local_size / 2, c + local_size / 2]: identical for the odd
    local_size SINGA uses (default 5); for an even local_size it has one
    more channel than this op's window.
  }];
  let arguments = (ins Strata_FloatTensor:$input, I64Attr:$size,
      DefaultValuedAttr<F64Attr, "1e-4">:$alpha,
      DefaultValuedAttr<F64Attr, "0.75">:$beta,
      DefaultValuedAttr<F64Attr, "1.0">:$bias);
  let results = (outs Strata_FloatTensor:$output);
}

def Strata_Col2ImOp : Strata_Op<"col2im", [Pure]> {
  let summary = "rearrange column blocks into an image, summing overlaps (ONNX Col2Im)";
  let description = [{
    The inverse arrangement of im2col. `input` is [N, C * K, L] with
    K = b_1 * ... * b_s the volume of `block_shape` (one entry per spatial
    dim, positive) and L the number of block positions; the result is
    [N, C, I_1, ..., I_s] with `image_shape` = [I_1, ..., I_s] (positive).
    With eff_i = (b_i - 1) * dilation_i + 1 the number of block positions
    along dim i is L_i = floor((I_i + pad_begin_i + pad_end_i - eff_i) /
    stride_i) + 1, which must be positive, and L = L_1 * ... * L_s. Column
    (c * K + k, l), where k is the row-major flat index of a block offset
    (j_1, ..., j_s) and l that of a block position (p_1, ..., p_s), adds
    into image position

        (p_i * stride_i - pad_begin_i + j_i * dilation_i)_i

    when that lies inside the image (otherwise it falls in the padding and
    is dropped); image positions no column reaches are 0. `strides` and
    `dilations` have one entry per spatial dim (empty = all 1), `pads` the
    begins then the ends (empty = all 0). s >= 1.
  }];
  let arguments = (ins Strata_FloatTensor:$input,
      DenseI64ArrayAttr:$image_shape, DenseI64ArrayAttr:$block_shape,
      DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$strides,
      DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$dilations,
      DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$pads);
  let results = (outs Strata_FloatTensor:$output);
  let extraClassDeclaration = [{
    /// For a verified op: the padding (begins, then ends) and the number of
    /// block positions per spatial dim.
    void getBlockGeometry(::llvm::SmallVectorImpl<int64_t> &pads,
                          ::llvm::SmallVectorImpl<int64_t> &blocks);
  }];
}

// "linear", "nearest" or "cubic" (ONNX GridSample opset 20 spelling).
def Strata_GridSampleModeAttr : ConfinedAttr<StrAttr, [AttrConstraint<
    CPred<"::llvm::is_contained(::llvm::ArrayRef<::llvm::StringRef>{"
          "\"linear\", \"nearest\", \"cubic\"}, "
          "::llvm::cast<::mlir::StringAttr>($_self).getValue())">,
    "whose value is \"linear\", \"nearest\" or \"cubic\"">]>;

// "zeros", "border" or "reflection".
def Strata_GridSamplePaddingAttr : ConfinedAttr<StrAttr, [AttrConstraint<
    CPred<"::llvm::is_contained(::llvm::ArrayRef<::llvm::StringRef>{"
          "\"zeros\", \"border\", \"reflection\"}, "
          "::llvm::cast<::mlir::StringAttr>($_self).getValue())">,
    "whose value is \"zeros\", \"border\" or \"reflection\"">]>;

def Strata_GridSampleOp : Strata_Op<"grid_sample", [Pure]> {
  let summary = "sample an image at normalized grid positions (ONNX GridSample)";
  let description = [{
    `input` is [N, C, D_1, ..., D_s] (s >= 1), `grid` [N, O_1, ..., O_s, s]
    with the same float element type; the result is [N, C, O_1, ..., O_s].
    grid[n, o, :] holds normalized coordinates in reverse dim order (x, y, z:
    grid[..., 0] indexes the last spatial dim D_s). A normalized coordinate g
    along a dim of size D maps to the pixel coordinate

    * `align_corners = true`: u = (g + 1) / 2 * (D - 1) (-1 and 1 are the
      centers of the corner pixels);
    * `align_corners = false` (default): u = ((g + 1) * D - 1) / 2 (-1 and 1
      are the outer edges of the corner pixels).

    With `mode = "nearest"` u is first rounded to the nearest integer, ties
    to even. A coordinate outside [lo, hi] (lo = 0, hi = D - 1 with
    align_corners, lo = -0.5, hi = D - 0.5 without) is then moved by
    `padding_mode`: `border` clamps it to [0, D - 1], `reflection` reflects
    it at lo and hi repeatedly until it lies inside, `zeros` (default)
    leaves it. The interpolation reads integer pixel indices i: `nearest`
    reads i = trunc(u), `linear` (default) the 2 taps floor(u) + {0, 1} with
    weights 1 - t, t (t = u - floor(u)), `cubic` the 4 taps floor(u) +
    {-1, 0, 1, 2} with Keys' cubic convolution weights (a = -0.75) of the
    distances 1 + t, t, 1 - t, 2 - t; along several dims the weights
    multiply (tensor product). A tap index outside [0, D) reads 0 with
    `zeros`, the clamped index with `border`, and trunc(reflect(i)) (the
    same reflection at lo and hi) with `reflection`. This is ONNX
    GridSample / PyTorch grid_sample, in any number of spatial dims.
  }];
  let arguments = (ins Strata_FloatTensor:$input, Strata_FloatTensor:$grid,
      DefaultValuedStrAttr<Strata_GridSampleModeAttr, "linear">:$mode,
      DefaultValuedStrAttr<Strata_GridSamplePaddingAttr, "zeros">:$padding_mode,
      DefaultValuedAttr<BoolAttr, "false">:$align_corners);
  let results = (outs Strata_FloatTensor:$output);
}

// "avg" or "max" (ONNX RoiAlign's mode).
def Strata_RoiAlignModeAttr : ConfinedAttr<StrAttr, [AttrConstraint<
    CPred<"::llvm::is_contained(::llvm::ArrayRef<::llvm::StringRef>{"
          "\"avg\", \"max\"}, "
          "::llvm::cast<::mlir::StringAttr>($_self).getValue())">,
    "whose value is \"avg\" or \"max\"">]>;

// "half_pixel" or "output_half_pixel".
def Strata_RoiAlignCoordinatesAttr : ConfinedAttr<StrAttr, [AttrConstraint<
    CPred<"::llvm::is_contained(::llvm::ArrayRef<::llvm::StringRef>{"
          "\"half_pixel\", \"output_half_pixel\"}, "
          "::llvm::cast<::mlir::StringAttr>($_self).getValue())">,
    "whose value is \"half_pixel\" or \"output_half_pixel\"">]>;

def Strata_RoiAlignOp : Strata_Op<"roi_align", [Pure]> {
  let summary = "region-of-interest pooling with bilinear samples (ONNX RoiAlign)";
  let description = [{
    `input` is [N, C, H, W], `rois` [R, 4] (same float type) holds boxes
    (x1, y1, x2, y2) in input coordinates scaled by `spatial_scale`, and
    `batch_indices` [R] (any integer type) the image of each box; the result
    is [R, C, output_height, output_width].

    Per box, with off = 0.5 for `coordinate_transformation_mode =
    "half_pixel"` (default) and 0 for `"output_half_pixel"`: the box starts
    at (x1 * spatial_scale - off, y1 * spatial_scale - off) and has the
    extent (x2 - x1) * spatial_scale by (y2 - y1) * spatial_scale, each at
    least 1 with output_half_pixel. It is split into output_height x
    output_width bins; each bin is sampled at a grid of gh x gw points at
    the centers of equal sub-bins, with gh = gw = `sampling_ratio` when it is
    positive and otherwise gh = ceil(box height / output_height),
    gw = ceil(box width / output_width). A sample point (y, x) outside
    [-1, H] x [-1, W] contributes 0. Otherwise y and x are clamped at 0 and
    interpolated bilinearly between rows floor(y), floor(y) + 1 and columns
    floor(x), floor(x) + 1, a coordinate at or past the last row / column
    reading that row / column only. `mode = "avg"` (default): the bin is the
    sum of the interpolated samples divided by max(gh * gw, 1); `"max"`:
    the maximum over the samples of the largest of the four weighted corner
    terms (weight * value) — ONNX's definition, not the maximum of the
    interpolated values. A batch index outside [0, N) is an evaluation
    error. output_height and output_width must be positive, sampling_ratio
    non-negative.
  }];
  let arguments = (ins Strata_FloatTensor:$input, Strata_FloatTensor:$rois,
      Strata_IntTensor:$batch_indices,
      DefaultValuedStrAttr<Strata_RoiAlignModeAttr, "avg">:$mode,
      DefaultValuedStrAttr<Strata_RoiAlignCoordinatesAttr, "half_pixel">:$coordinate_transformation_mode,
      DefaultValuedAttr<I64Attr, "1">:$output_height,
      DefaultValuedAttr<I64Attr, "1">:$output_width,
      DefaultValuedAttr<I64Attr, "0">:$sampling_ratio,
      DefaultValuedAttr<F64Attr, "1.0">:$spatial_scale);
  let results = (outs Strata_FloatTensor:$output);
}

def Strata_DeformConvOp : Strata_WindowOp<"deform_conv"> {
  let summary = "deformable convolution (ONNX DeformConv)";
  let description = [{
    strata.conv whose kernel taps are moved by learned offsets. `input` is
    [N, C, D1, ..., Ds], `weight` [M, C / groups, k1, ..., ks], `offset`
    [N, offset_group * K * s, O1, ..., Os] and `mask`
    [N, offset_group * K, O1, ..., Os] with K = k1 * ... * ks, the optional
    `bias` [M]; the result is [N, M, O1, ..., Os], where O is the output size
    of strata.conv with the same strides, dilations and pads (auto_pad
    notset, no ceil_mode). Input channel c belongs to offset group
    c / (C / offset_group). For output position o, kernel offset j (row-major
    flat index kj) and offset group g, tap j reads the input at the real
    position

        p_i = o_i * stride_i - pad_begin_i + j_i * dilation_i
              + offset[n, (g * K + kj) * s + i, o]

    interpolated linearly in every spatial dim (tensor product) between
    floor(p_i) and floor(p_i) + 1, positions outside the input reading 0,
    multiplied by mask[n, g * K + kj, o]; then as strata.conv:

        y[n, m, o] = bias[m] + sum_{c < C/groups, j} w[m, c, j] *
                     mask[...] * x~[n, grp(m) * (C/groups) + c, p]

    C and M must be divisible by `groups`, C by `offset_group`. Defaults:
    strides and dilations 1, pads 0, groups 1, offset_group 1. ONNX's
    optional mask defaults to ones.
  }];
  let arguments = (ins Strata_FloatTensor:$input, Strata_FloatTensor:$weight,
      Strata_FloatTensor:$offset, Strata_FloatTensor:$mask,
      Optional<Strata_FloatTensor>:$bias,
      DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$strides,
      DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$dilations,
      DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$pads,
      DefaultValuedAttr<I64Attr, "1">:$groups,
      DefaultValuedAttr<I64Attr, "1">:$offset_group);
  let results = (outs Strata_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight `,` $offset `,` $mask (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Gradient ops: the adjoints of the sampling ops, whose gradients scatter to
// data-dependent positions. Each takes the forward operands and the gradient
// of the forward result (`output_grad`, which must have the forward result's
// shape) and returns the gradients of the float operands, typed like them.
// They have no gradient themselves (no second order).
//===----------------------------------------------------------------------===//

def Strata_GridSampleGradOp : Strata_Op<"grid_sample_grad", [Pure]> {
  let summary = "gradients of strata.grid_sample for its input and grid";
  let description = [{
    With y = strata.grid_sample(input, grid) under the same `mode`,
    `padding_mode` and `align_corners`, and `output_grad` dy shaped like y:

        input_grad[n, c, i] = sum_o dy[n, c, o] * (weight of tap i in y[n, c, o])
        grid_grad[n, o, k]  = sum_c dy[n, c, o] * d y[n, c, o] / d grid[n, o, k]

    input_grad scatter-adds every output's tap weights to the pixels the taps
    read (after the padding mode's index mapping; taps reading 0 with `zeros`
    add nothing). grid_grad differentiates the interpolation weights (linear:
    -1, +1; cubic: the derivative of Keys' kernel) through the coordinate map:
    the align_corners scale (D - 1) / 2 or D / 2, a `border` clamp (0 where a
    coordinate was clamped), a `reflection` (sign -1 per reflection) and the
    far-outside clamp of `zeros` (0). `nearest` rounds, so its grid_grad is 0.
    A NaN sample gives no input_grad and NaN grid_grad. Shapes as in
    strata.grid_sample; the results have the types of `input` and `grid`.
  }];
  let arguments = (ins Strata_FloatTensor:$input, Strata_FloatTensor:$grid,
      Strata_FloatTensor:$output_grad,
      DefaultValuedStrAttr<Strata_GridSampleModeAttr, "linear">:$mode,
      DefaultValuedStrAttr<Strata_GridSamplePaddingAttr, "zeros">:$padding_mode,
      DefaultValuedAttr<BoolAttr, "false">:$align_corners);
  let results = (outs Strata_FloatTensor:$input_grad,
      Strata_FloatTensor:$grid_grad);
}

def Strata_RoiAlignGradOp : Strata_Op<"roi_align_grad", [Pure]> {
  let summary = "gradients of strata.roi_align for its input and boxes";
  let description = [{
    With y = strata.roi_align(input, rois, batch_indices) under the same
    attributes and `output_grad` dy shaped like y ([R, C, output_height,
    output_width]): `input_grad` [N, C, H, W] adds, for every bin and sample
    point inside [-1, H] x [-1, W], dy times the bilinear corner weights to
    the four corner pixels of image batch_indices[r] — divided by
    max(gh * gw, 1) with `mode = "avg"`; with `"max"` only the corner term
    the forward selected (the first largest term of the first sample
    reaching the bin's maximum) receives dy times its weight. `rois_grad`
    [R, 4] differentiates the sample coordinates
    y = y1 * scale - off + (ph + (iy + 0.5) / gh) * box height / output_height
    (and x alike) through the interpolation weights: the clamps at 0 and at
    the last row / column and the minimum extent 1 of output_half_pixel give
    0, and gh, gw (ceil of the bin size) are piecewise constant. The results
    have the types of `input` and `rois`; batch_indices has no gradient.
  }];
  let arguments = (ins Strata_FloatTensor:$input, Strata_FloatTensor:$rois,
      Strata_IntTensor:$batch_indices, Strata_FloatTensor:$output_grad,
      DefaultValuedStrAttr<Strata_RoiAlignModeAttr, "avg">:$mode,
      DefaultValuedStrAttr<Strata_RoiAlignCoordinatesAttr, "half_pixel">:$coordinate_transformation_mode,
      DefaultValuedAttr<I64Attr, "1">:$output_height,
      DefaultValuedAttr<I64Attr, "1">:$output_width,
      DefaultValuedAttr<I64Attr, "0">:$sampling_ratio,
      DefaultValuedAttr<F64Attr, "1.0">:$spatial_scale);
  let results = (outs Strata_FloatTensor:$input_grad,
      Strata_FloatTensor:$rois_grad);
}

def Strata_DeformConvGradOp : Strata_WindowOp<"deform_conv_grad"> {
  let summary = "gradients of strata.deform_conv for input, weight, offset and mask";
  let description = [{
    With y = strata.deform_conv(input, weight, offset, mask) under the same
    attributes and `output_grad` dy shaped like y, and x~(p) the linearly
    interpolated input at the tap position p (see strata.deform_conv):

        weight_grad[m, c, j]   = sum_{n,o} dy[n, m, o] * mask * x~(p)
        mask_grad[n, g*K+kj, o] = sum_{m, c in g} dy[n, m, o] * w[m, c, j] * x~(p)
        offset_grad[n, (g*K+kj)*s+i, o]
                               = sum_{m, c in g} dy * w * mask * d x~(p) / d p_i
        input_grad             = dy * w * mask scattered to the 2^s corners
                                 of every tap with their interpolation weights

    (corners outside the input add nothing; d x~ / d p_i weights the corner
    values with -1 / +1 along dim i and the other dims' weights). A
    non-finite tap position gives no input_grad and NaN elsewhere. The bias
    gradient is not computed here: it is dy summed over all dims but 1.
    Shapes and attributes as in strata.deform_conv (without bias); the
    results have the types of `input`, `weight`, `offset` and `mask`.
  }];
  let arguments = (ins Strata_FloatTensor:$input, Strata_FloatTensor:$weight,
      Strata_FloatTensor:$offset, Strata_FloatTensor:$mask,
      Strata_FloatTensor:$output_grad,
      DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$strides,
      DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$dilations,
      DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$pads,
      DefaultValuedAttr<I64Attr, "1">:$groups,
      DefaultValuedAttr<I64Attr, "1">:$offset_group);
  let results = (outs Strata_FloatTensor:$input_grad,
      Strata_FloatTensor:$weight_grad, Strata_FloatTensor:$offset_grad,
      Strata_FloatTensor:$mask_grad);
}

#endif // STRATA_CONVOLUTION_OPS_TD
