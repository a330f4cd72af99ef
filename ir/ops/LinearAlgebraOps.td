//===- LinearAlgebraOps.td - Matrix products ------------------------------===//
//
// Matrix products: numpy-style matmul (ONNX MatMul), ONNX Gemm and SINGA's
// fully-connected layer (kInnerProduct). All operands share one element type.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_LINEARALGEBRA_OPS_TD
#define STRATA_LINEARALGEBRA_OPS_TD

include "ir/StrataAttrs.td"

def Strata_MatMulOp : Strata_Op<"matmul", [Pure]> {
  let summary = "matrix product with numpy matmul semantics (ONNX MatMul)";
  let description = [{
    `output = lhs @ rhs` as numpy.matmul defines it:

    - both operands have rank >= 1 and the same element type;
    - a 1-D `lhs` [K] is promoted to [1, K] and a 1-D `rhs` [K] to [K, 1];
      the added dimension is removed from the result;
    - the last two dims are the matrices: lhs [..., M, K], rhs [..., K, N];
      the leading (batch) dims broadcast numpy-style;
    - `output[b..., m, n] = sum_k lhs[b..., m, k] * rhs[b..., k, n]`.

    Result shape: broadcast(batch dims) ++ [M] (unless lhs is 1-D) ++ [N]
    (unless rhs is 1-D). Floats accumulate in double and round once on store;
    integers accumulate in 64-bit two's complement and wrap to the element
    type on store. K = 0 gives zeros.

    ```mlir
    %y = strata.matmul %a, %b : (tensor<?x2x3xf32>, tensor<3x4xf32>) -> tensor<?x2x4xf32>
    ```
  }];
  let arguments = (ins Strata_Tensor:$lhs, Strata_Tensor:$rhs);
  let results = (outs Strata_Tensor:$output);
}

def Strata_GemmOp : Strata_Op<"gemm", [Pure]> {
  let summary = "general matrix multiply: alpha * op(a) op(b) + beta * c (ONNX Gemm)";
  let description = [{
    `a` and `b` are matrices (rank 2); `op(a)` is `a` transposed when
    `trans_a` (so `a` is [K, M]) and `a` itself otherwise ([M, K]); likewise
    `op(b)` is [K, N] (`b` is [N, K] when `trans_b`).

    `output[m, n] = alpha * sum_k op(a)[m, k] * op(b)[k, n] + beta * c'[m, n]`

    where `c'` is the optional `c` broadcast unidirectionally to [M, N]
    (`c` has rank <= 2; right-aligned, each of its dims is 1 or equal to the
    corresponding dim of [M, N]). Without `c` the second term is 0. When M or
    N is dynamic and `c` has a static size other than 1 in that position, the
    result takes that size (any other size would not broadcast).

    Defaults: alpha = 1.0, beta = 1.0, trans_a = trans_b = false. Float
    element types only; all operands share one element type. Computed in
    double, rounded once on store.

    ```mlir
    %y = strata.gemm %a, %b, %c {alpha = 0.5, trans_b = true}
        : (tensor<?x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<?x4xf32>
    ```
  }];
  let arguments = (ins Strata_FloatTensor:$a, Strata_FloatTensor:$b,
      Optional<Strata_FloatTensor>:$c,
      DefaultValuedAttr<F64Attr, "1.0">:$alpha,
      DefaultValuedAttr<F64Attr, "1.0">:$beta,
      DefaultValuedAttr<BoolAttr, "false">:$trans_a,
      DefaultValuedAttr<BoolAttr, "false">:$trans_b);
  let results = (outs Strata_FloatTensor:$output);
  let assemblyFormat = [{
    $a `,` $b (`,` $c^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Strata_InnerProductOp : Strata_Op<"inner_product", [Pure]> {
  let summary = "fully-connected layer (SINGA kInnerProduct)";
  let description = [{
    SINGA's fully-connected layer. `input` x is [N, K] (rank 2; SINGA flattens
    each sample to its K = vdim features first). The layout of `weight` W
    depends on `transpose` (default false):

    - `transpose = false`: W is [M, K] and `y = x W^T + b`, i.e.
      `y[n, m] = sum_k x[n, k] * W[m, k] + b[m]`;
    - `transpose = true`: W is [K, M] and `y = x W + b`, i.e.
      `y[n, m] = sum_k x[n, k] * W[k, m] + b[m]`.

    The optional `bias` b is [M] (SINGA's bias_term; absent means b = 0). M
    is SINGA's num_output (hdim). The result is [N, M]. Float element types
    only, one element type for all operands; computed in double, rounded once
    on store.

    ```mlir
    %y = strata.inner_product %x, %w, %b : (tensor<?x784xf32>, tensor<100x784xf32>, tensor<100xf32>) -> tensor<?x100xf32>
    ```
  }];
  let arguments = (ins Strata_FloatTensor:$input, Strata_FloatTensor:$weight,
      Optional<Strata_FloatTensor>:$bias,
      DefaultValuedAttr<BoolAttr, "false">:$transpose);
  let results = (outs Strata_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

#endif // STRATA_LINEARALGEBRA_OPS_TD
