//===- ReductionOps.td - Reductions, argmax/argmin, cumsum -*- tablegen -*-===//
//
// reduce_* follow ONNX 18 (axes as an attribute): `axes` lists the reduced
// dimensions (negative counts from the end, duplicates are an error); empty
// `axes` reduces every dimension, or none at all when
// `noop_with_empty_axes`. With `keepdims` (default) reduced dimensions stay
// as size 1, otherwise they are removed. The result has the input's element
// type. Floats accumulate in double, integers in int64 (wrapping to the
// element type on store).
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_REDUCTION_OPS_TD
#define STRATA_REDUCTION_OPS_TD

include "ir/StrataAttrs.td"

class Strata_ReduceOp<string mnemonic, Type tensorType, string summaryText,
                      string semantics>
    : Strata_Op<mnemonic, [Pure]> {
  let summary = summaryText;
  let description = semantics # [{

    `axes` (default empty), `keepdims` (default true) and
    `noop_with_empty_axes` (default false) as ONNX 18: empty `axes` reduces
    all dimensions unless `noop_with_empty_axes`, which makes the op the
    identity. Each axis must be in [-rank, rank) and appear once.
  }];
  let arguments = (ins tensorType:$input,
      DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$axes,
      DefaultValuedAttr<BoolAttr, "true">:$keepdims,
      DefaultValuedAttr<BoolAttr, "false">:$noop_with_empty_axes);
  let results = (outs tensorType:$output);
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(::mlir::MLIRContext *,
        std::optional<::mlir::Location> loc, Adaptor adaptor,
        ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      return inferReduceResult(loc, "}] # mnemonic # [{",
          adaptor.getInput().getType(), adaptor.getAxes(),
          adaptor.getKeepdims(), adaptor.getNoopWithEmptyAxes(), types);
    }
  }];
}

def Strata_ReduceSumOp : Strata_ReduceOp<"reduce_sum", Strata_Tensor,
    "sum over axes",
    "`y = sum(x)` over the reduced axes; the empty sum is 0.">;
def Strata_ReduceMeanOp : Strata_ReduceOp<"reduce_mean", Strata_Tensor,
    "mean over axes", [{
    `y = sum(x) / n` over the n reduced elements. Integers: the int64 sum
    divided by n, truncated toward zero. The mean of an empty set is NaN for
    floats and an evaluation error for integers.
  }]>;
def Strata_ReduceMaxOp : Strata_ReduceOp<"reduce_max", Strata_Tensor,
    "maximum over axes", [{
    `y = max(x)` over the reduced axes; NaN if any element is NaN. The max of
    an empty set is -inf for floats, the element type's minimum for integers
    (ONNX).
  }]>;
def Strata_ReduceMinOp : Strata_ReduceOp<"reduce_min", Strata_Tensor,
    "minimum over axes", [{
    `y = min(x)` over the reduced axes; NaN if any element is NaN. The min of
    an empty set is +inf for floats, the element type's maximum for integers
    (ONNX).
  }]>;
def Strata_ReduceProdOp : Strata_ReduceOp<"reduce_prod", Strata_Tensor,
    "product over axes",
    "`y = prod(x)` over the reduced axes; the empty product is 1.">;
def Strata_ReduceL1Op : Strata_ReduceOp<"reduce_l1", Strata_Tensor,
    "L1 norm over axes", "`y = sum(|x|)`; 0 for an empty set.">;
def Strata_ReduceL2Op : Strata_ReduceOp<"reduce_l2", Strata_FloatTensor,
    "L2 norm over axes", "`y = sqrt(sum(x^2))`; 0 for an empty set.">;
def Strata_ReduceLogSumOp : Strata_ReduceOp<"reduce_log_sum",
    Strata_FloatTensor, "log of the sum over axes",
    "`y = log(sum(x))`; -inf for an empty set.">;
def Strata_ReduceLogSumExpOp : Strata_ReduceOp<"reduce_log_sum_exp",
    Strata_FloatTensor, "log of the sum of exponentials over axes", [{
    `y = log(sum(exp(x)))`, evaluated as `m + log(sum(exp(x - m)))` with
    `m = max(x)` so large inputs do not overflow; -inf for an empty set.
  }]>;
def Strata_ReduceSumSquareOp : Strata_ReduceOp<"reduce_sum_square",
    Strata_Tensor, "sum of squares over axes",
    "`y = sum(x^2)`; 0 for an empty set.">;

class Strata_ArgReduceOp<string mnemonic, string summaryText, string which>
    : Strata_Op<mnemonic, [Pure]> {
  let summary = summaryText;
  let description = [{
    The i64 index of the }] # which # [{ element of each 1-D slice along
    `axis` (default 0, in [-rank, rank)). Ties pick the first index, or the
    last with `select_last_index`. A NaN counts as more extreme than any
    number (as in numpy), so the first (or last) NaN wins.
    With `keepdims` (default true) the reduced axis stays as size 1,
    otherwise it is removed. Reducing an axis of size 0 is an error (a
    verifier error when the size is static, else an evaluation error).
    ONNX ArgMax / ArgMin (opset 13).
  }];
  let arguments = (ins Strata_Tensor:$input,
      DefaultValuedAttr<I64Attr, "0">:$axis,
      DefaultValuedAttr<BoolAttr, "true">:$keepdims,
      DefaultValuedAttr<BoolAttr, "false">:$select_last_index);
  let results = (outs RankedTensorOf<[I64]>:$output);
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(::mlir::MLIRContext *ctx,
        std::optional<::mlir::Location> loc, Adaptor adaptor,
        ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      return inferArgReduceResult(ctx, loc, "}] # mnemonic # [{",
          adaptor.getInput().getType(), adaptor.getAxis(),
          adaptor.getKeepdims(), types);
    }
  }];
}

def Strata_ArgMaxOp
    : Strata_ArgReduceOp<"argmax", "index of the maximum along an axis",
                         "largest">;
def Strata_ArgMinOp
    : Strata_ArgReduceOp<"argmin", "index of the minimum along an axis",
                         "smallest">;

def Strata_CumSumOp : Strata_Op<"cumsum", [Pure]> {
  let summary = "cumulative sum along an axis";
  let description = [{
    Running sums along `axis` (required, in [-rank, rank)); the result has
    the input type. With n = the axis size and i an index along it:
    default `y[i] = sum(x[0..i])`; `exclusive`: `y[i] = sum(x[0..i-1])`
    (y[0] = 0); `reverse`: `y[i] = sum(x[i..n-1])`; both:
    `y[i] = sum(x[i+1..n-1])` (y[n-1] = 0). ONNX CumSum with a constant
    axis.
  }];
  let arguments = (ins Strata_Tensor:$input, I64Attr:$axis,
                       DefaultValuedAttr<BoolAttr, "false">:$exclusive,
                       DefaultValuedAttr<BoolAttr, "false">:$reverse);
  let results = (outs Strata_Tensor:$output);
}

def Strata_CumProdOp : Strata_Op<"cumprod", [Pure]> {
  let summary = "cumulative product along an axis";
  let description = [{
    Running products along `axis` (required, in [-rank, rank)); the result has
    the input type. With n = the axis size and i an index along it:
    default `y[i] = prod(x[0..i])`; `exclusive`: `y[i] = prod(x[0..i-1])`
    (y[0] = 1); `reverse`: `y[i] = prod(x[i..n-1])`; both:
    `y[i] = prod(x[i+1..n-1])` (y[n-1] = 1). Integers wrap like strata.mul.
    ONNX CumProd with a constant axis.
  }];
  let arguments = (ins Strata_Tensor:$input, I64Attr:$axis,
                       DefaultValuedAttr<BoolAttr, "false">:$exclusive,
                       DefaultValuedAttr<BoolAttr, "false">:$reverse);
  let results = (outs Strata_Tensor:$output);
}

#endif // STRATA_REDUCTION_OPS_TD
