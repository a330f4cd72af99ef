//===- ShapeOps.td - Reshape, transpose, concat, slice, pad, tile ... -----===//
//
// Ops that move elements without computing on them. They accept every element
// type (floats, signed/unsigned integers, i1) and keep it. ONNX Reshape,
// Flatten, Squeeze and Unsqueeze all become strata.reshape; SINGA's kConcate
// becomes strata.concat, kSlice strata.split (equal parts), and kSplit (one
// blob fed to several layers) needs no op: the SSA value has several uses.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_SHAPE_OPS_TD
#define STRATA_SHAPE_OPS_TD

include "ir/StrataAttrs.td"

def Strata_ReshapeOp : Strata_Op<"reshape", [Pure]> {
  let summary = "the same elements, in row-major order, under another shape";
  let description = [{
    ONNX Reshape (allowzero = 0) with a static `shape`. Entry `i` of `shape`
    is the result's size `i`, except:
    - `0` copies the input's size `i` (which must exist, and may be dynamic);
    - `-1` (at most one) is inferred so that element counts match.

    Precisely, with `P` the product of the input sizes not copied by a `0`
    and `Q` the product of the positive entries: the `-1` is `P / Q` (`Q`
    must divide `P`), and without a `-1`, `P == Q`. Copied sizes cancel, so
    `[0, -1]` on `?x3x4` gives `?x12`. This equals ONNX except that
    zero-size tensors must satisfy the same rule.

    ONNX Flatten (`[0, -1]`-like shapes), Squeeze and Unsqueeze are reshapes;
    a `shape` can name at most one dynamic size that changes position (the
    `-1`), so e.g. squeezing the leading 1 of `1x?x?` needs static sizes.

    ```mlir
    %1 = strata.reshape %0 {shape = array<i64: 0, -1>}
        : (tensor<?x3x4xf32>) -> tensor<?x12xf32>
    ```
  }];
  let arguments = (ins Strata_Tensor:$input, DenseI64ArrayAttr:$shape);
  let results = (outs Strata_Tensor:$output);
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Strata_TransposeOp : Strata_Op<"transpose", [Pure]> {
  let summary = "permutes the dimensions";
  let description = [{
    `output[i]` = `input[j]` where `j[perm[k]] = i[k]` for every k, i.e.
    result size `k` is input size `perm[k]`. `perm` defaults to the reversed
    dimensions `[r-1, ..., 0]` (ONNX Transpose).
  }];
  let arguments = (ins Strata_Tensor:$input,
                       OptionalAttr<DenseI64ArrayAttr>:$perm);
  let results = (outs Strata_Tensor:$output);
  let hasFolder = 1;
  let hasCanonicalizer = 1;
  let extraClassDeclaration = [{
    /// `perm`, or the reversed dimensions when absent.
    ::llvm::SmallVector<int64_t> getPermutation();
  }];
}

def Strata_ConcatOp : Strata_Op<"concat", [Pure]> {
  let summary = "joins tensors along an axis";
  let description = [{
    ONNX Concat / SINGA kConcate. All inputs have the same rank and element
    type and equal sizes outside `axis` (in [-rank, rank)); the result's size
    on `axis` is the sum of theirs. The inputs follow one another in order.
  }];
  let arguments = (ins Variadic<Strata_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs Strata_Tensor:$output);
  let hasFolder = 1;
}

def Strata_SliceOp : Strata_Op<"slice", [Pure]> {
  let summary = "strided slice with static bounds (ONNX Slice)";
  let description = [{
    For each `k`, slices dimension `axes[k]` (default: `0, 1, ..., n-1` for
    `n = len(starts)`; negative axes count from the end) from `starts[k]`
    toward `ends[k]` by `steps[k]` (default 1, never 0). With `d` the size:
    negative starts/ends get `d` added; then for a positive step `start` is
    clamped to [0, d] and `end` to [0, d]; for a negative step `start` to
    [0, d-1] and `end` to [-1, d-1]. The result has
    `max(0, ceil((end - start) / step))` elements: `start, start + step, ...`.
    Dimensions not in `axes` are kept whole; a dynamic size stays dynamic.
  }];
  let arguments = (ins Strata_Tensor:$input, DenseI64ArrayAttr:$starts,
                       DenseI64ArrayAttr:$ends,
                       OptionalAttr<DenseI64ArrayAttr>:$axes,
                       OptionalAttr<DenseI64ArrayAttr>:$steps);
  let results = (outs Strata_Tensor:$output);
  let hasFolder = 1;
}

def Strata_SplitOp : Strata_Op<"split", [Pure]> {
  let summary = "cuts a tensor into consecutive pieces along an axis";
  let description = [{
    ONNX Split / SINGA kSlice. Result `i` holds `sizes[i]` (>= 0) consecutive
    slices of `axis` (in [-rank, rank)), starting after the previous results'.
    The sizes sum to the input's size on `axis` (checked at evaluation when
    that size is dynamic).
  }];
  let arguments = (ins Strata_Tensor:$input, I64Attr:$axis,
                       DenseI64ArrayAttr:$sizes);
  let results = (outs Variadic<Strata_Tensor>:$outputs);
  let hasFolder = 1;
}

def Strata_PadOp : Strata_Op<"pad", [Pure]> {
  let summary = "pads (or, with negative pads, crops) each dimension";
  let description = [{
    `pads` = `[b_0, ..., b_(r-1), e_0, ..., e_(r-1)]`: `b_k` elements before
    and `e_k` after dimension `k` (size `d_k`); a negative pad removes elements.
    The result's size `k` is `d_k + b_k + e_k` (>= 0). Result element `j` on
    dimension `k` reads input position `i = j - b_k`; when `i` is outside
    [0, d_k) it depends on `mode`:
    - `constant`: `value` (default 0.0; converted like a store to the element
      type);
    - `reflect`: mirrored without repeating the edge (`-i`, `2(d_k-1) - i`);
      needs `b_k, e_k < d_k`;
    - `edge`: the nearest edge element;
    - `wrap`: `i mod d_k` (periodic).
    Reflection and wrapping refer to the input's own edges, also when the
    other side is cropped. Padding a size-0 dimension is only valid in
    `constant` mode.
  }];
  let arguments = (ins Strata_Tensor:$input, DenseI64ArrayAttr:$pads,
      DefaultValuedAttr<Strata_PadModeAttr, "::strata::PadMode::constant">:$mode,
      DefaultValuedAttr<F64Attr, "0.0">:$value);
  let results = (outs Strata_Tensor:$output);
  let hasFolder = 1;
}

def Strata_BroadcastToOp : Strata_Op<"broadcast_to", [Pure]> {
  let summary = "ONNX Expand: broadcasts the input with a shape";
  let description = [{
    The result's shape is the numpy broadcast of the input's shape and
    `shape` (bidirectional: a 1 in `shape` keeps the input's size, and
    `shape` may have a lower rank than the input). Sizes in `shape` are >= 0.
    Each result element reads the input at its (broadcast) index.
  }];
  let arguments = (ins Strata_Tensor:$input, DenseI64ArrayAttr:$shape);
  let results = (outs Strata_Tensor:$output);
  let hasFolder = 1;
}

def Strata_TileOp : Strata_Op<"tile", [Pure]> {
  let summary = "repeats the input along each dimension (ONNX Tile)";
  let description = [{
    `repeats` has one entry (>= 0) per dimension; the result's size `k` is
    `d_k * repeats[k]` and `output[i] = input[i mod d]` elementwise.
  }];
  let arguments = (ins Strata_Tensor:$input, DenseI64ArrayAttr:$repeats);
  let results = (outs Strata_Tensor:$output);
  let hasFolder = 1;
}

def Strata_DepthToSpaceOp : Strata_Op<"depth_to_space", [Pure]> {
  let summary = "moves channel blocks into spatial blocks (ONNX DepthToSpace)";
  let description = [{
    NCHW input `[N, C, H, W]`, `C` divisible by `blocksize^2` (b >= 1); the
    result is `[N, C / b^2, H * b, W * b]` with, for `0 <= i, j < b`,
    - `mode = "DCR"` (default): `out[n, c, h*b + i, w*b + j] =
      in[n, (i*b + j) * (C / b^2) + c, h, w]`;
    - `mode = "CRD"`: `out[n, c, h*b + i, w*b + j] = in[n, c*b^2 + i*b + j, h, w]`.
  }];
  let arguments = (ins Strata_Tensor:$input, I64Attr:$blocksize,
                       DefaultValuedStrAttr<StrAttr, "DCR">:$mode);
  let results = (outs Strata_Tensor:$output);
  let hasVerifier = 1;
}

def Strata_SpaceToDepthOp : Strata_Op<"space_to_depth", [Pure]> {
  let summary = "moves spatial blocks into channels (ONNX SpaceToDepth)";
  let description = [{
    NCHW input `[N, C, H, W]`, `H` and `W` divisible by `blocksize` (b >= 1);
    the result is `[N, C * b^2, H / b, W / b]` with
    `out[n, (i*b + j) * C + c, h, w] = in[n, c, h*b + i, w*b + j]`
    (the inverse of depth_to_space in DCR mode).
  }];
  let arguments = (ins Strata_Tensor:$input, I64Attr:$blocksize);
  let results = (outs Strata_Tensor:$output);
}

#endif // STRATA_SHAPE_OPS_TD
