//===- IndexingOps.td - Gather, scatter, embedding, one-hot ---------------===//
//
// Ops that read or write elements at positions given by an integer tensor.
// Data may have any element type; indices are signless integers. A position
// outside its range is an evaluation error (the reference evaluator reports
// it; it never wraps or clamps).
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_INDEXING_OPS_TD
#define STRATA_INDEXING_OPS_TD

include "ir/StrataAttrs.td"

def Strata_GatherOp : Strata_Op<"gather", [Pure]> {
  let summary = "takes slices of data along an axis (ONNX Gather)";
  let description = [{
    With `data` of rank r, `indices` of rank q and `axis` in [-r, r): the
    result has shape `data[:axis] + indices.shape + data[axis+1:]` and
    `out[a..., i..., b...] = data[a..., idx, b...]` with
    `idx = indices[i...]`, plus `data.shape[axis]` when negative. An index
    outside [-d, d) is an evaluation error.
  }];
  let arguments = (ins Strata_Tensor:$data, Strata_IndexTensor:$indices,
                       DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs Strata_Tensor:$output);
}

def Strata_GatherElementsOp : Strata_Op<"gather_elements", [Pure]> {
  let summary = "gathers single elements along an axis (ONNX GatherElements)";
  let description = [{
    `indices` has the rank of `data` and, outside `axis`, sizes no larger
    than data's. The result has the shape of `indices` and
    `out[i] = data[i with i[axis] replaced by indices[i]]` (negative indices
    count from the end; outside [-d, d) is an evaluation error).
  }];
  let arguments = (ins Strata_Tensor:$data, Strata_IndexTensor:$indices,
                       DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs Strata_Tensor:$output);
}

def Strata_GatherNDOp : Strata_Op<"gather_nd", [Pure]> {
  let summary = "gathers slices by multi-dimensional indices (ONNX GatherND)";
  let description = [{
    `data` of rank r, `indices` of rank q >= 1 whose last size k is static,
    `b = batch_dims` (0 <= b < min(q, r)) and `1 <= k <= r - b`. The first b
    sizes of data and indices are equal (batch). The result has shape
    `indices.shape[:-1] + data.shape[b+k:]` and
    `out[i..., t...] = data[i[:b]..., indices[i..., 0], ...,
    indices[i..., k-1], t...]` for the batch index `i[:b]` (negative indices
    count from the end of their dimension; out of range is an evaluation
    error).
  }];
  let arguments = (ins Strata_Tensor:$data, Strata_IndexTensor:$indices,
                       DefaultValuedAttr<I64Attr, "0">:$batch_dims);
  let results = (outs Strata_Tensor:$output);
}

def Strata_ScatterElementsOp : Strata_Op<"scatter_elements", [Pure]> {
  let summary = "writes updates at per-element positions (ONNX ScatterElements)";
  let description = [{
    `indices` and `updates` have the same shape, of the rank of `data` and no
    larger than it outside `axis`. The result starts as a copy of `data`; then,
    for every index `i` of `updates` in row-major order, with `p` = `i` whose
    `axis` entry is replaced by `indices[i]` (negative: from the end; out of
    range is an evaluation error), `out[p] = f(out[p], updates[i])` where `f`
    is given by `reduction`: `"none"` (default: replace; with repeated
    positions the last update in row-major order wins), `"add"`, `"mul"`,
    `"max"`, `"min"` (floats: a NaN on either side gives NaN; integers
    wrap like strata.add / strata.mul).
  }];
  let arguments = (ins Strata_Tensor:$data, Strata_IndexTensor:$indices,
                       Strata_Tensor:$updates,
                       DefaultValuedAttr<I64Attr, "0">:$axis,
                       DefaultValuedStrAttr<StrAttr, "none">:$reduction);
  let results = (outs Strata_Tensor:$output);
  let hasVerifier = 1;
}

def Strata_ScatterNDOp : Strata_Op<"scatter_nd", [Pure]> {
  let summary = "writes slices at multi-dimensional indices (ONNX ScatterND)";
  let description = [{
    `data` of rank r >= 1, `indices` of rank q >= 1 whose last size k is
    static with `1 <= k <= r`, and `updates` of shape
    `indices.shape[:-1] + data.shape[k:]` with data's element type. The
    result starts as a copy of `data`; then, for every index `i` of
    `indices.shape[:-1]` in row-major order and every `t` of
    `data.shape[k:]`, with `p = (indices[i, 0], ..., indices[i, k-1], t...)`
    (negative indices count from the end of their dimension; out of range is
    an evaluation error), `out[p] = f(out[p], updates[i, t...])` where `f`
    is given by `reduction` as for strata.scatter_elements: `"none"`
    (default: replace; with repeated positions the last one in row-major
    order wins), `"add"`, `"mul"`, `"max"`, `"min"`.
  }];
  let arguments = (ins Strata_Tensor:$data, Strata_IndexTensor:$indices,
                       Strata_Tensor:$updates,
                       DefaultValuedStrAttr<StrAttr, "none">:$reduction);
  let results = (outs Strata_Tensor:$output);
  let hasVerifier = 1;
}

def Strata_EmbeddingOp : Strata_Op<"embedding", [Pure]> {
  let summary = "looks rows up in an embedding table (SINGA kEmbedding)";
  let description = [{
    `table` is `[V, D]`, `indices` any shape `S`; the result is `S + [D]`
    with `out[s..., :] = table[indices[s...], :]`. Indices must lie in
    [0, V) (no negative indexing); otherwise it is an evaluation error.
  }];
  let arguments = (ins Strata_Tensor:$table, Strata_IndexTensor:$indices);
  let results = (outs Strata_Tensor:$output);
}

def Strata_OneHotOp : Strata_Op<"one_hot", [Pure]> {
  let summary = "one-hot encoding (ONNX OneHot, SINGA kOneHot)";
  let description = [{
    `indices` of rank q, `values` = `[off, on]` (a 1-D tensor of 2 elements),
    `depth` >= 1, `axis` in [-q-1, q] (default -1: a new last dimension).
    The result has the element type of `values` and shape `indices.shape`
    with a dimension of size `depth` inserted at `axis`:
    `out[..., j, ...] = (j == idx) ? on : off` where `idx` is the index at the
    other positions, plus `depth` when negative. An index outside
    [-depth, depth) is an evaluation error, unless `drop_out_of_range` is set:
    then its row is all `off` (ONNX's rule).
  }];
  let arguments = (ins Strata_IndexTensor:$indices, Strata_Tensor:$values,
                       I64Attr:$depth, DefaultValuedAttr<I64Attr, "-1">:$axis,
                       DefaultValuedAttr<BoolAttr, "false">:$drop_out_of_range);
  let results = (outs Strata_Tensor:$output);
}

#endif // STRATA_INDEXING_OPS_TD
