//===- NormalizationOps.td - Batch, layer, instance, group, Lp norms ------===//
//
// Normalizations in ONNX's forms. Channel-wise ops take `input` as
// [N, C, D1, ..., Dk] (rank >= 2, channels at dim 1) with 1-D per-channel
// parameters [C]. Statistics are computed in double; variances are biased
// (divide by the element count), as in ONNX. All operands of an op share one
// float element type; results have it too.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_NORMALIZATION_OPS_TD
#define STRATA_NORMALIZATION_OPS_TD

include "ir/StrataAttrs.td"

def Strata_BatchNormOp : Strata_Op<"batch_norm", [Pure]> {
  let summary = "batch normalization, inference form (ONNX BatchNormalization)";
  let description = [{
    `input` x is [N, C, D1, ..., Dk] (rank >= 2); `scale`, `bias`, `mean` and
    `variance` are [C]. With c the index along dim 1:

    `y = scale[c] * (x - mean[c]) / sqrt(variance[c] + epsilon) + bias[c]`

    epsilon defaults to 1e-5 and must be >= 0. The result has the element
    type and shape of `input` (a dynamic C is taken from a static parameter
    size). This is ONNX BatchNormalization with training_mode = 0 and SINGA's
    batch-normalization layer (kBM) in its test phase; the training form is
    `strata.batch_norm_train`.
  }];
  let arguments = (ins Strata_FloatTensor:$input, Strata_FloatTensor:$scale,
      Strata_FloatTensor:$bias, Strata_FloatTensor:$mean,
      Strata_FloatTensor:$variance,
      DefaultValuedAttr<F64Attr, "1e-5">:$epsilon);
  let results = (outs Strata_FloatTensor:$output);
  let hasVerifier = 1;
}

def Strata_BatchNormTrainOp : Strata_Op<"batch_norm_train", [Pure]> {
  let summary = "batch normalization, training form (ONNX BatchNormalization, training_mode = 1)";
  let description = [{
    `input` x is [N, C, D1, ..., Dk] (rank >= 2); `scale`, `bias`,
    `running_mean` and `running_var` are [C]. For each channel c, over the
    R = N * D1 * ... * Dk elements of x with that channel:

    - `batch_mean[c] = sum(x) / R`
    - `batch_var[c] = sum((x - batch_mean[c])^2) / R` (biased)
    - `output = scale[c] * (x - batch_mean[c]) / sqrt(batch_var[c] + epsilon) + bias[c]`
    - `new_running_mean[c] = running_mean[c] * momentum + batch_mean[c] * (1 - momentum)`
    - `new_running_var[c] = running_var[c] * momentum + batch_var[c] * (1 - momentum)`

    The running variance is updated with the *biased* batch variance, as in
    ONNX (PyTorch and cuDNN use the unbiased batch_var * R / (R - 1) there;
    this op does not). Defaults: epsilon = 1e-5 (>= 0), momentum = 0.9 (in
    [0, 1]; ONNX's convention: the weight of the old running value; cuDNN's
    exponentialAverageFactor is 1 - momentum). `output` has the element type
    and shape of `input`; the four statistics are [C]. A dynamic C is taken
    from a static parameter size, in all results. An empty batch (R = 0) is
    an evaluation error.

    ```mlir
    %y, %rm, %rv, %bm, %bv = strata.batch_norm_train %x, %s, %b, %m, %v {momentum = 0.99}
        : (tensor<?x3x8x8xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
        -> (tensor<?x3x8x8xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
    ```
  }];
  let arguments = (ins Strata_FloatTensor:$input, Strata_FloatTensor:$scale,
      Strata_FloatTensor:$bias, Strata_FloatTensor:$running_mean,
      Strata_FloatTensor:$running_var,
      DefaultValuedAttr<F64Attr, "1e-5">:$epsilon,
      DefaultValuedAttr<F64Attr, "0.9">:$momentum);
  let results = (outs Strata_FloatTensor:$output,
      Strata_FloatTensor:$new_running_mean, Strata_FloatTensor:$new_running_var,
      Strata_FloatTensor:$batch_mean, Strata_FloatTensor:$batch_var);
  let hasVerifier = 1;
}

def Strata_LayerNormOp : Strata_Op<"layer_norm", [Pure]> {
  let summary = "layer normalization (ONNX LayerNormalization)";
  let description = [{
    Normalizes `input` x over its trailing dims [axis, rank): for each index
    of the leading dims [0, axis), with mean and biased variance taken over
    the R = prod(dims[axis:]) elements of that slice,

    `y = (x - mean) / sqrt(var + epsilon) * scale + bias`

    `scale` and the optional `bias` (absent: 0) broadcast unidirectionally to
    the normalized shape dims[axis:] (rank <= rank(x) - axis; right-aligned,
    each dim is 1 or equal). axis defaults to -1 and may be negative
    (counted from the end; must lie in [-rank, rank)); epsilon defaults to
    1e-5 and must be >= 0. Single result of the type of `input` (ONNX's
    optional Mean and InvStdDev outputs are not produced).
  }];
  let arguments = (ins Strata_FloatTensor:$input, Strata_FloatTensor:$scale,
      Optional<Strata_FloatTensor>:$bias,
      DefaultValuedAttr<I64Attr, "-1">:$axis,
      DefaultValuedAttr<F64Attr, "1e-5">:$epsilon);
  let results = (outs Strata_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Strata_InstanceNormOp : Strata_Op<"instance_norm", [Pure]> {
  let summary = "instance normalization (ONNX InstanceNormalization)";
  let description = [{
    `input` x is [N, C, D1, ..., Dk] (rank >= 2); `scale` and `bias` are [C].
    For each (n, c), with mean and biased variance over the D1 * ... * Dk
    spatial elements x[n, c, ...],

    `y = scale[c] * (x - mean) / sqrt(var + epsilon) + bias[c]`

    With no spatial dims (rank 2) every slice is one element and y = bias[c].
    epsilon defaults to 1e-5 and must be >= 0. The result has the element
    type and shape of `input` (a dynamic C is taken from a static parameter
    size).
  }];
  let arguments = (ins Strata_FloatTensor:$input, Strata_FloatTensor:$scale,
      Strata_FloatTensor:$bias,
      DefaultValuedAttr<F64Attr, "1e-5">:$epsilon);
  let results = (outs Strata_FloatTensor:$output);
  let hasVerifier = 1;
}

def Strata_GroupNormOp : Strata_Op<"group_norm", [Pure]> {
  let summary = "group normalization (ONNX 21 GroupNormalization)";
  let description = [{
    `input` x is [N, C, D1, ..., Dk] (rank >= 2); `scale` and `bias` are [C]
    (per channel, as in ONNX opset 21). The C channels split into
    `num_groups` G consecutive groups of C / G channels (C must be divisible
    by G, G >= 1). For each (n, g), with mean and biased variance over the
    (C / G) * D1 * ... * Dk elements of the channels of group g,

    `y[n, c, ...] = scale[c] * (x - mean) / sqrt(var + epsilon) + bias[c]`

    epsilon defaults to 1e-5 and must be >= 0. The result has the element
    type and shape of `input` (a dynamic C is taken from a static parameter
    size). An ONNX opset 18 model, whose scale and bias are [G], maps here by
    repeating each group's value C / G times.
  }];
  let arguments = (ins Strata_FloatTensor:$input, Strata_FloatTensor:$scale,
      Strata_FloatTensor:$bias, I64Attr:$num_groups,
      DefaultValuedAttr<F64Attr, "1e-5">:$epsilon);
  let results = (outs Strata_FloatTensor:$output);
  let hasVerifier = 1;
}

def Strata_LpNormalizationOp : Strata_Op<"lp_normalization", [Pure]> {
  let summary = "Lp normalization along one axis (ONNX LpNormalization)";
  let description = [{
    Divides every vector of `input` along `axis` by its Lp norm:

    `y = x / norm`, with `norm = sum(|x|)` (p = 1) or `sqrt(sum(x^2))` (p = 2)
    over the dim `axis`.

    A vector whose norm is 0 (all zeros) gives zeros, not NaN. axis defaults
    to -1 and may be negative (must lie in [-rank, rank)); p defaults to 2
    and must be 1 or 2. The result has the type of `input`.
  }];
  let arguments = (ins Strata_FloatTensor:$input,
      DefaultValuedAttr<I64Attr, "-1">:$axis,
      DefaultValuedAttr<I64Attr, "2">:$p);
  let results = (outs Strata_FloatTensor:$output);
  let hasVerifier = 1;
}

#endif // STRATA_NORMALIZATION_OPS_TD
