//===- ActivationOps.td - Activation functions ------------*- tablegen -*-===//
//
// Activations of SINGA (kReLU, kSigmoid, kSTanh, kSoftmax, kActivation) and
// ONNX on float tensors. Elementwise ones return the input type; softmax and
// log_softmax normalize along one axis. Real-valued parameters are f64
// attributes (written `{alpha = 0.2}`); kernels compute in double and round
// to the element type.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_ACTIVATION_OPS_TD
#define STRATA_ACTIVATION_OPS_TD

include "ir/StrataAttrs.td"

// An elementwise activation: float tensor in, same type out. Ops with
// parameters override `arguments` (keeping `$input`).
class Strata_ActivationOp<string mnemonic, string summaryText,
                          list<Trait> traits = []>
    : Strata_Op<mnemonic, !listconcat(traits, [Pure])> {
  let summary = summaryText;
  let arguments = (ins Strata_FloatTensor:$input);
  let results = (outs Strata_FloatTensor:$output);
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(::mlir::MLIRContext *,
        std::optional<::mlir::Location>, Adaptor adaptor,
        ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      types.push_back(adaptor.getInput().getType());
      return ::mlir::success();
    }
  }];
}

// Normalization along one axis; the result has the input type.
class Strata_SoftmaxLikeOp<string mnemonic, string summaryText>
    : Strata_Op<mnemonic, [Pure]> {
  let summary = summaryText;
  let arguments = (ins Strata_FloatTensor:$input,
                       DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs Strata_FloatTensor:$output);
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(::mlir::MLIRContext *,
        std::optional<::mlir::Location> loc, Adaptor adaptor,
        ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      return inferSoftmaxResult(loc, "}] # mnemonic # [{",
                                adaptor.getInput().getType(),
                                adaptor.getAxis(), types);
    }
  }];
}

def Strata_ReluOp : Strata_ActivationOp<"relu", "rectified linear unit"> {
  let description = [{
    `y = x < 0 ? 0 : x` (NaN propagates). SINGA kReLU with
    `negative_slope = 0` and kActivation RELU; ONNX Relu.
  }];
}

def Strata_LeakyReluOp : Strata_ActivationOp<"leaky_relu", "leaky ReLU"> {
  let description = [{
    `y = x < 0 ? alpha * x : x`, `alpha` defaults to 0.01 (ONNX LeakyRelu).
    SINGA kReLU with a nonzero `relu_conf.negative_slope` is leaky_relu with
    `alpha = negative_slope`.
  }];
  let arguments = (ins Strata_FloatTensor:$input,
                       DefaultValuedAttr<F64Attr, "0.01">:$alpha);
}

def Strata_SigmoidOp : Strata_ActivationOp<"sigmoid", "logistic sigmoid"> {
  let description = [{
    `y = 1 / (1 + exp(-x))`. SINGA kSigmoid and kActivation SIGMOID; ONNX
    Sigmoid.
  }];
}

def Strata_TanhOp : Strata_ActivationOp<"tanh", "hyperbolic tangent"> {
  let description = [{
    `y = tanh(x)`. SINGA kActivation TANH; ONNX Tanh.
  }];
}

def Strata_STanhOp : Strata_ActivationOp<"stanh", "SINGA's scaled tanh"> {
  let description = [{
    `y = 1.7159047 * tanh(0.66666667 * x)`: LeCun's scaled tanh
    (1.7159 * tanh(2/3 * x)) with the exact constants of SINGA's kSTanh and
    kActivation STANH (mshadow `op::stanh`), so imported SINGA models compute
    the same values.
  }];
}

def Strata_SoftmaxOp
    : Strata_SoftmaxLikeOp<"softmax", "softmax along an axis"> {
  let description = [{
    `y = exp(x - m) / sum_axis(exp(x - m))` with `m = max_axis(x)`, for every
    1-D slice along `axis` (default -1, the last; negative counts from the
    end; must be in [-rank, rank)). Subtracting the max keeps it finite for
    any finite input. ONNX Softmax (opset 13). SINGA kSoftmax normalizes
    each instance over all its features at once (the input viewed as
    (batch, count / batch)): on a 2-D input that is `axis = 1`; on a higher
    rank an importer reshapes to 2-D around the op.
  }];
}

def Strata_LogSoftmaxOp
    : Strata_SoftmaxLikeOp<"log_softmax", "log of softmax along an axis"> {
  let description = [{
    `y = (x - m) - log(sum_axis(exp(x - m)))` with `m = max_axis(x)`, along
    `axis` (default -1, in [-rank, rank)). Computed directly, not as
    log(softmax(x)), so very negative entries stay finite. ONNX LogSoftmax
    (opset 13).
  }];
}

// "none" or "tanh", as ONNX Gelu's string attribute.
def Strata_GeluApproximateAttr : ConfinedAttr<StrAttr, [AttrConstraint<
    CPred<"::llvm::is_contained(::llvm::ArrayRef<::llvm::StringRef>{"
          "\"none\", \"tanh\"}, ::llvm::cast<::mlir::StringAttr>($_self)"
          ".getValue())">,
    "whose value is \"none\" or \"tanh\"">]>;

def Strata_GeluOp : Strata_ActivationOp<"gelu", "Gaussian error linear unit"> {
  let description = [{
    `approximate = "none"` (default): `y = 0.5 * x * (1 + erf(x / sqrt(2)))`.
    `approximate = "tanh"`:
    `y = 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))`.
    ONNX Gelu (opset 20).
  }];
  let arguments = (ins Strata_FloatTensor:$input,
      DefaultValuedStrAttr<Strata_GeluApproximateAttr, "none">:$approximate);
}

def Strata_EluOp : Strata_ActivationOp<"elu", "exponential linear unit"> {
  let description = [{
    `y = x < 0 ? alpha * (exp(x) - 1) : x`, `alpha` defaults to 1 (ONNX Elu).
  }];
  let arguments = (ins Strata_FloatTensor:$input,
                       DefaultValuedAttr<F64Attr, "1.0">:$alpha);
}

def Strata_SeluOp
    : Strata_ActivationOp<"selu", "scaled exponential linear unit"> {
  let description = [{
    `y = x > 0 ? gamma * x : gamma * (alpha * exp(x) - alpha)`. Defaults are
    ONNX Selu's: `alpha = 1.67326319217681884765625`,
    `gamma = 1.05070102214813232421875` (the f32 roundings of the constants
    of Klambauer et al.).
  }];
  let arguments = (ins Strata_FloatTensor:$input,
      DefaultValuedAttr<F64Attr, "1.67326319217681884765625">:$alpha,
      DefaultValuedAttr<F64Attr, "1.05070102214813232421875">:$gamma);
}

def Strata_CeluOp : Strata_ActivationOp<"celu",
    "continuously differentiable exponential linear unit"> {
  let description = [{
    `y = max(0, x) + min(0, alpha * (exp(x / alpha) - 1))`, `alpha` defaults
    to 1 and must be nonzero (ONNX Celu).
  }];
  let arguments = (ins Strata_FloatTensor:$input,
                       DefaultValuedAttr<F64Attr, "1.0">:$alpha);
  let hasVerifier = 1;
}

def Strata_SoftplusOp : Strata_ActivationOp<"softplus", "softplus"> {
  let description = [{
    `y = log(1 + exp(x))`, evaluated as `max(x, 0) + log1p(exp(-|x|))` so it
    neither overflows for large x nor loses small values (ONNX Softplus).
  }];
}

def Strata_SoftsignOp : Strata_ActivationOp<"softsign", "softsign"> {
  let description = [{
    `y = x / (1 + |x|)` (ONNX Softsign).
  }];
}

def Strata_HardSigmoidOp : Strata_ActivationOp<"hard_sigmoid",
    "piecewise-linear sigmoid"> {
  let description = [{
    `y = max(0, min(1, alpha * x + beta))`, defaults `alpha = 0.2`,
    `beta = 0.5` (ONNX HardSigmoid).
  }];
  let arguments = (ins Strata_FloatTensor:$input,
                       DefaultValuedAttr<F64Attr, "0.2">:$alpha,
                       DefaultValuedAttr<F64Attr, "0.5">:$beta);
}

def Strata_HardSwishOp : Strata_ActivationOp<"hard_swish", "hard swish"> {
  let description = [{
    `y = x * max(0, min(1, x / 6 + 0.5))` (ONNX HardSwish: hard_sigmoid with
    alpha = 1/6, beta = 0.5, times x).
  }];
}

def Strata_ThresholdedReluOp : Strata_ActivationOp<"thresholded_relu",
    "identity above a threshold, else 0"> {
  let description = [{
    `y = x > alpha ? x : 0`, `alpha` defaults to 1 (ONNX ThresholdedRelu).
  }];
  let arguments = (ins Strata_FloatTensor:$input,
                       DefaultValuedAttr<F64Attr, "1.0">:$alpha);
}

def Strata_MishOp : Strata_ActivationOp<"mish", "mish"> {
  let description = [{
    `y = x * tanh(softplus(x))` with softplus as in strata.softplus (ONNX
    Mish).
  }];
}

def Strata_PReluOp : Strata_Op<"prelu", [Pure]> {
  let summary = "leaky ReLU with a learned slope tensor";
  let description = [{
    `y = x < 0 ? slope * x : x`, where `slope` broadcasts unidirectionally
    to `x`'s shape (numpy rules, right-aligned; slope's rank is at most x's
    and each of its sizes is 1 or x's size). The result has x's type; both
    operands have the same element type (ONNX PRelu).
  }];
  let arguments = (ins Strata_FloatTensor:$input, Strata_FloatTensor:$slope);
  let results = (outs Strata_FloatTensor:$output);
}

def Strata_ShrinkOp : Strata_ActivationOp<"shrink", "soft / hard shrinkage"> {
  let description = [{
    `y = x < -lambd ? x + bias : (x > lambd ? x - bias : 0)`, defaults
    `bias = 0`, `lambd = 0.5` (ONNX Shrink; bias = 0 is hard shrinkage,
    bias = lambd soft shrinkage).
  }];
  let arguments = (ins Strata_FloatTensor:$input,
                       DefaultValuedAttr<F64Attr, "0.0">:$bias,
                       DefaultValuedAttr<F64Attr, "0.5">:$lambd);
}

#endif // STRATA_ACTIVATION_OPS_TD
