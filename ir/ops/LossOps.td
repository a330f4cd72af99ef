//===- LossOps.td - Losses, metrics, top-k and sorting --------------------===//
//
// Losses reduce a batch to a rank-0 tensor. Classification ops take logits
// [N, C] (float) and integer class labels [N]; a label outside [0, C) is an
// evaluation error. Orderings (top_k, argsort, accuracy) break ties by the
// lower index first, and order NaN above every number.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_LOSS_OPS_TD
#define STRATA_LOSS_OPS_TD

include "ir/StrataAttrs.td"

def Strata_SoftmaxCrossEntropyOp : Strata_Op<"softmax_cross_entropy", [Pure]> {
  let summary = "mean softmax cross-entropy of a batch (SINGA kSoftmaxLoss)";
  let description = [{
    For logits [N, C] and labels [N]:

    ```
    loss = scale * (1/N) * sum_n (logsumexp(logits[n, :]) - logits[n, labels[n]])
    ```

    i.e. the batch mean of -log softmax(logits[n])[labels[n]], computed with
    the max-shifted log-sum-exp so large logits do not overflow. `scale`
    (default 1.0) is SINGA's softmaxloss_conf scale. Result: rank-0 tensor of
    the logits' element type. An empty batch (N = 0) is an evaluation error.
  }];
  let arguments = (ins Strata_FloatTensor:$logits,
      Strata_IndexTensor:$labels,
      DefaultValuedAttr<F64Attr, "1.0">:$scale);
  let results = (outs Strata_FloatTensor:$loss);
}

def Strata_EuclideanLossOp : Strata_Op<"euclidean_loss", [Pure]> {
  let summary = "0.5 * sum((a - b)^2) / N (SINGA kEuclideanLoss)";
  let description = [{
    For `a` and `b` of one shape [N, ...] (rank >= 1):

    ```
    loss = 0.5 * sum_all (a - b)^2 / N
    ```

    the sum over every element, divided by the batch size N (dim 0): SINGA's
    definition, not the per-element mean. Result: rank-0 tensor of the
    operands' element type. An empty batch (N = 0) is an evaluation error.
  }];
  let arguments = (ins Strata_FloatTensor:$a, Strata_FloatTensor:$b);
  let results = (outs Strata_FloatTensor:$loss);
}

def Strata_AccuracyOp : Strata_Op<"accuracy", [Pure]> {
  let summary = "fraction of rows whose label is in the top k (SINGA kAccuracy)";
  let description = [{
    For logits [N, C] and labels [N], row n is correct when fewer than
    `top_k` (default 1, >= 1, at most C) classes rank above its label, where
    class j ranks above class l when logits[n, j] > logits[n, l], or they are
    equal and j < l (ties: lower index first). Result: tensor<f32> holding
    (correct rows) / N. An empty batch (N = 0) is an evaluation error.
  }];
  let arguments = (ins Strata_FloatTensor:$logits,
      Strata_IndexTensor:$labels,
      DefaultValuedAttr<I64Attr, "1">:$top_k);
  let results = (outs RankedTensorOf<[F32]>:$accuracy);
}

def Strata_TopKOp : Strata_Op<"top_k", [Pure]> {
  let summary = "the k largest (or smallest) elements along an axis (ONNX TopK)";
  let description = [{
    Along `axis` (default -1), selects the `k` (>= 1, at most the axis size)
    largest elements (`largest = true`, the default) or smallest. Order:
    by value (descending for largest, ascending for smallest), ties by the
    lower index first; NaN ranks above every number. With `sorted = true`
    (default) the results are in that order; with `sorted = false` the same
    k elements are returned in increasing index order. Results: (values with
    x's element type, indices i64), both of x's shape with the axis size k.
    Also SINGA's kArgSort with its top-k.
  }];
  let arguments = (ins Strata_Tensor:$x, I64Attr:$k,
      DefaultValuedAttr<I64Attr, "-1">:$axis,
      DefaultValuedAttr<BoolAttr, "true">:$largest,
      DefaultValuedAttr<BoolAttr, "true">:$sorted);
  let results = (outs Strata_Tensor:$values, RankedTensorOf<[I64]>:$indices);
}

def Strata_ArgSortOp : Strata_Op<"argsort", [Pure]> {
  let summary = "indices that sort a tensor along an axis (SINGA kArgSort)";
  let description = [{
    Along `axis` (default -1), the indices (i64, x's shape) that order the
    elements ascending (`descending = false`, the default) or descending. The
    sort is stable: equal elements keep increasing index order in both
    directions. NaN ranks above every number (last ascending, first
    descending).
  }];
  let arguments = (ins Strata_Tensor:$x,
      DefaultValuedAttr<I64Attr, "-1">:$axis,
      DefaultValuedAttr<BoolAttr, "false">:$descending);
  let results = (outs RankedTensorOf<[I64]>:$indices);
}

#endif // STRATA_LOSS_OPS_TD
