//===- RandomOps.td - Draws from an explicit Philox random state ----------===//
//
// Every random op takes the state `rng` = tensor<2xi64> [key, counter] and
// returns the advanced state [key, counter + n] (n: elements drawn, counter
// arithmetic wraps modulo 2^64) with the operand's type. Element i (row-major)
// of a draw uses the Philox4x32-10 block at (key, counter + i):
//   u_i = philoxUniform(key, counter, i)  in the open interval (0, 1)
//   z_i = philoxNormal(key, counter, i)   standard normal (Box-Muller)
// (ir/reference/Philox.h). A draw is thus a pure function of its operands,
// reproducible element by element on every backend; chaining the returned
// state gives independent draws.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RANDOM_OPS_TD
#define STRATA_RANDOM_OPS_TD

include "ir/StrataAttrs.td"

def Strata_BernoulliSampleOp : Strata_Op<"bernoulli_sample", [Pure]> {
  let summary = "0/1 samples with given probabilities (RBM sampling, ONNX Bernoulli)";
  let description = [{
    `sample[i] = 1.0 if u_i < p[i] else 0.0`, with `p`'s type; so p <= 0 gives
    0 and p >= 1 gives 1. Results: (sample, rng'). SINGA's kRBMVis / kRBMHid
    sample their units with it; ONNX Bernoulli maps onto it with a cast of
    the sample when its dtype differs.
  }];
  let arguments = (ins Strata_FloatTensor:$p, Strata_RngState:$rng);
  let results = (outs Strata_FloatTensor:$sample, Strata_RngState:$rng_out);
}

def Strata_GaussianSampleOp : Strata_Op<"gaussian_sample", [Pure]> {
  let summary = "mean + std * standard normal noise";
  let description = [{
    `output[i] = mean[i] + std * z_i` (attribute `std`, default 1.0, must be
    >= 0), with `mean`'s type. Results: (output, rng'). Gaussian RBM units
    sample with it.
  }];
  let arguments = (ins Strata_FloatTensor:$mean, Strata_RngState:$rng,
      DefaultValuedAttr<F64Attr, "1.0">:$std);
  let results = (outs Strata_FloatTensor:$output, Strata_RngState:$rng_out);
  let hasVerifier = 1;
}

def Strata_RandomUniformOp : Strata_Op<"random_uniform", [Pure]> {
  let summary = "uniform noise shaped like a tensor (ONNX RandomUniform(Like))";
  let description = [{
    `output[i] = low + (high - low) * u_i`, with the type (shape and float
    element type) of `like`, whose values are not read (ONNX
    RandomUniformLike). Taking the shape from an operand keeps dynamic batch
    sizes; ONNX RandomUniform with a static `shape` maps onto it with a
    constant of that shape as `like`. Attributes: `low` (0.0) <= `high`
    (1.0). Results: (output, rng').
  }];
  let arguments = (ins Strata_FloatTensor:$like, Strata_RngState:$rng,
      DefaultValuedAttr<F64Attr, "0.0">:$low,
      DefaultValuedAttr<F64Attr, "1.0">:$high);
  let results = (outs Strata_FloatTensor:$output, Strata_RngState:$rng_out);
  let hasVerifier = 1;
}

def Strata_RandomNormalOp : Strata_Op<"random_normal", [Pure]> {
  let summary = "normal noise shaped like a tensor (ONNX RandomNormal(Like))";
  let description = [{
    `output[i] = mean + std * z_i`, with the type of `like`, whose values are
    not read (see strata.random_uniform). Attributes: `mean` (0.0), `std`
    (1.0, >= 0; ONNX `scale`). Results: (output, rng').
  }];
  let arguments = (ins Strata_FloatTensor:$like, Strata_RngState:$rng,
      DefaultValuedAttr<F64Attr, "0.0">:$mean,
      DefaultValuedAttr<F64Attr, "1.0">:$std);
  let results = (outs Strata_FloatTensor:$output, Strata_RngState:$rng_out);
  let hasVerifier = 1;
}

def Strata_DropoutOp : Strata_Op<"dropout", [Pure]> {
  let summary = "inverted dropout (SINGA kDropout, ONNX Dropout in training)";
  let description = [{
    `mask[i] = u_i >= ratio`, `output[i] = x[i] * mask[i] / (1 - ratio)`
    (a product: a dropped NaN or inf gives NaN), so E[output] = x.
    `ratio` (default 0.5) is the drop probability, in [0, 1); ratio 0 keeps
    every element (u_i > 0): output = x, mask all true. The state advances by
    n = the number of elements of x in every case. Results: (output with x's
    type, mask i1 with x's shape, rng'). Inference-mode dropout is the
    identity and frontends emit no op for it.
  }];
  let arguments = (ins Strata_FloatTensor:$x, Strata_RngState:$rng,
      DefaultValuedAttr<F64Attr, "0.5">:$ratio);
  let results = (outs Strata_FloatTensor:$output, Strata_BoolTensor:$mask,
      Strata_RngState:$rng_out);
  let hasVerifier = 1;
}

#endif // STRATA_RANDOM_OPS_TD
