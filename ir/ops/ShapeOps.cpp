//===- ShapeOps.cpp - Shape ops: verifiers, type inference, folding -------===//
//
// Every rule keeps a dynamic size dynamic; attributes are checked against the
// static sizes only.
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"

#include "mlir/IR/PatternMatch.h"
#include "llvm/Support/raw_ostream.h"

#include <limits>

using namespace mlir;
using namespace strata;

#define GET_OP_CLASSES
#include "ir/ops/ShapeOps.cpp.inc"

/// `[1, -1, 0]` for messages.
static std::string formatList(ArrayRef<int64_t> values) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << '[';
  llvm::interleaveComma(values, os);
  os << ']';
  return s;
}

static std::string formatType(Type type) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << type;
  return s;
}

static RankedTensorType withShape(Type like, ArrayRef<int64_t> shape) {
  return RankedTensorType::get(shape,
                               cast<RankedTensorType>(like).getElementType());
}

static bool isDynamic(int64_t size) { return ShapedType::isDynamic(size); }

//===----------------------------------------------------------------------===//
// reshape
//===----------------------------------------------------------------------===//

/// The result type of reshaping `in` by `spec`; errors go to `loc`.
static FailureOr<RankedTensorType> inferReshape(std::optional<Location> loc,
                                                RankedTensorType in,
                                                ArrayRef<int64_t> spec) {
  SmallVector<int64_t> out;
  SmallVector<bool> copied(in.getRank(), false);
  std::optional<size_t> inferred;
  int64_t outRest = 1; // product of the explicit (positive) entries
  for (auto [i, s] : llvm::enumerate(spec)) {
    if (s < -1)
      return emitShapeError(loc, "'strata.reshape' shape " + formatList(spec) +
                                     " has entry " + Twine(s) +
                                     " (sizes are >= -1)");
    if (s == -1) {
      if (inferred)
        return emitShapeError(loc, "'strata.reshape' shape " +
                                       formatList(spec) +
                                       " has more than one -1");
      inferred = i;
      out.push_back(ShapedType::kDynamic);
    } else if (s == 0) {
      if (static_cast<int64_t>(i) >= in.getRank())
        return emitShapeError(
            loc, "'strata.reshape' shape " + formatList(spec) +
                     " copies (0) "
                     "dimension " +
                     Twine(i) + " of a rank-" + Twine(in.getRank()) + " input");
      copied[i] = true;
      out.push_back(in.getDimSize(i));
    } else {
      outRest *= s;
      out.push_back(s);
    }
  }
  // Copied sizes appear on both sides and cancel, so a dynamic batch that is
  // copied does not hide the -1 (the Flatten case [0, -1]).
  int64_t inRest = 1;
  bool inDynamic = false;
  for (int64_t d = 0; d < in.getRank(); ++d) {
    if (copied[d])
      continue;
    if (isDynamic(in.getDimSize(d)))
      inDynamic = true;
    else
      inRest *= in.getDimSize(d);
  }
  if (!inDynamic && inferred) {
    if (outRest == 0 || inRest % outRest != 0)
      return emitShapeError(
          loc, "'strata.reshape' cannot infer the -1 of "
               "shape " +
                   formatList(spec) + " for input " +
                   formatShape(in.getShape()) + ": " + Twine(inRest) +
                   " elements are not a multiple of " + Twine(outRest));
    out[*inferred] = inRest / outRest;
  } else if (!inDynamic && inRest != outRest) {
    return emitShapeError(loc, "'strata.reshape' shape " + formatList(spec) +
                                   " does not keep the element count of "
                                   "input " +
                                   formatShape(in.getShape()) + " (" +
                                   Twine(inRest) + " vs " + Twine(outRest) +
                                   " outside copied dimensions)");
  }
  return withShape(in, out);
}

LogicalResult ReshapeOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  auto type =
      inferReshape(loc, cast<RankedTensorType>(adaptor.getInput().getType()),
                   adaptor.getShape());
  if (failed(type))
    return failure();
  types.push_back(*type);
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor) {
  // Equal types imply every size is kept (a dynamic result size can only
  // come from a 0 copying the same dimension, or the single -1).
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

namespace {
/// reshape(reshape(x, s1), s2) -> reshape(x, s2'): s2' is s2 with each 0 (a
/// copy of the intermediate's size) made explicit where that size is static.
struct ComposeReshapes : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<ReshapeOp>();
    if (!inner)
      return failure();
    auto mid = cast<RankedTensorType>(inner.getType());
    ArrayRef<int64_t> innerSpec = inner.getShape();
    SmallVector<int64_t> spec(op.getShape());
    for (auto [i, s] : llvm::enumerate(spec)) {
      if (s != 0)
        continue;
      if (!isDynamic(mid.getDimSize(i)))
        s = mid.getDimSize(i);
      else if (i >= innerSpec.size() || innerSpec[i] != 0)
        return failure(); // a dynamic size we cannot name on x
      // else: the inner reshape copied x's dimension i, so 0 still means it.
    }
    // Zero-size corner cases can make the composed shape invalid on x.
    auto composed = inferReshape(
        std::nullopt, cast<RankedTensorType>(inner.getInput().getType()), spec);
    if (failed(composed) ||
        !areCompatibleResultTypes(TypeRange{op.getType()},
                                  TypeRange{Type(*composed)}))
      return failure();
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, op.getType(), inner.getInput(),
                                           spec);
    return success();
  }
};
} // namespace

void ReshapeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                            MLIRContext *ctx) {
  patterns.add<ComposeReshapes>(ctx);
}

//===----------------------------------------------------------------------===//
// transpose
//===----------------------------------------------------------------------===//

static SmallVector<int64_t> permutationOf(std::optional<ArrayRef<int64_t>> perm,
                                          int64_t rank) {
  if (perm)
    return SmallVector<int64_t>(*perm);
  SmallVector<int64_t> reversed;
  for (int64_t i = rank - 1; i >= 0; --i)
    reversed.push_back(i);
  return reversed;
}

SmallVector<int64_t> TransposeOp::getPermutation() {
  return permutationOf(getPerm(),
                       cast<RankedTensorType>(getInput().getType()).getRank());
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto in = cast<RankedTensorType>(adaptor.getInput().getType());
  SmallVector<int64_t> perm = permutationOf(adaptor.getPerm(), in.getRank());
  if (static_cast<int64_t>(perm.size()) != in.getRank())
    return emitShapeError(loc, "'strata.transpose' perm " + formatList(perm) +
                                   " has " + Twine(perm.size()) +
                                   " entries for a rank-" +
                                   Twine(in.getRank()) + " input");
  SmallVector<bool> seen(perm.size(), false);
  SmallVector<int64_t> out;
  for (int64_t p : perm) {
    if (p < 0 || p >= in.getRank() || seen[p])
      return emitShapeError(loc, "'strata.transpose' perm " + formatList(perm) +
                                     " is not a permutation of [0, " +
                                     Twine(in.getRank()) + ")");
    seen[p] = true;
    out.push_back(in.getDimSize(p));
  }
  types.push_back(withShape(in, out));
  return success();
}

OpFoldResult TransposeOp::fold(FoldAdaptor) {
  SmallVector<int64_t> perm = getPermutation();
  for (auto [i, p] : llvm::enumerate(perm))
    if (static_cast<int64_t>(i) != p)
      return {};
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

namespace {
/// transpose(transpose(x, p1), p2) -> transpose(x, q), q[i] = p1[p2[i]].
struct ComposeTransposes : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<TransposeOp>();
    if (!inner)
      return failure();
    SmallVector<int64_t> p1 = inner.getPermutation();
    SmallVector<int64_t> p2 = op.getPermutation();
    SmallVector<int64_t> q;
    for (int64_t p : p2)
      q.push_back(p1[p]);
    rewriter.replaceOpWithNewOp<TransposeOp>(op, op.getType(), inner.getInput(),
                                             rewriter.getDenseI64ArrayAttr(q));
    return success();
  }
};
} // namespace

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                              MLIRContext *ctx) {
  patterns.add<ComposeTransposes>(ctx);
}

//===----------------------------------------------------------------------===//
// concat
//===----------------------------------------------------------------------===//

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto inputs = adaptor.getInputs();
  if (inputs.empty())
    return emitShapeError(loc, "'strata.concat' needs at least one input");
  auto first = cast<RankedTensorType>(inputs.front().getType());
  int64_t rank = first.getRank();
  auto axis = normalizeAxis(adaptor.getAxis(), rank);
  if (!axis)
    return emitShapeError(loc, "'strata.concat' axis " +
                                   Twine(adaptor.getAxis()) +
                                   " is out of range for rank " + Twine(rank));
  SmallVector<int64_t> out(first.getShape());
  for (auto [k, value] : llvm::enumerate(inputs)) {
    auto t = cast<RankedTensorType>(value.getType());
    if (t.getElementType() != first.getElementType())
      return emitShapeError(
          loc, "'strata.concat' input #" + Twine(k) + " has element type " +
                   formatType(t.getElementType()) + ", input #0 has " +
                   formatType(first.getElementType()));
    if (t.getRank() != rank)
      return emitShapeError(loc, "'strata.concat' input #" + Twine(k) +
                                     " has rank " + Twine(t.getRank()) +
                                     ", input #0 has rank " + Twine(rank));
    if (k == 0)
      continue;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t size = t.getDimSize(d);
      if (d == *axis) {
        out[d] = isDynamic(out[d]) || isDynamic(size) ? ShapedType::kDynamic
                                                      : out[d] + size;
        continue;
      }
      if (isDynamic(size))
        continue;
      if (!isDynamic(out[d]) && out[d] != size)
        return emitShapeError(loc, "'strata.concat' input #" + Twine(k) +
                                       " has size " + Twine(size) +
                                       " on dimension " + Twine(d) +
                                       ", the other inputs " + Twine(out[d]));
      out[d] = size;
    }
  }
  types.push_back(withShape(first, out));
  return success();
}

OpFoldResult ConcatOp::fold(FoldAdaptor) {
  if (getInputs().size() == 1 && getInputs()[0].getType() == getType())
    return getInputs()[0];
  return {};
}

//===----------------------------------------------------------------------===//
// slice
//===----------------------------------------------------------------------===//

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  auto in = cast<RankedTensorType>(adaptor.getInput().getType());
  int64_t rank = in.getRank();
  ArrayRef<int64_t> starts = adaptor.getStarts(), ends = adaptor.getEnds();
  size_t n = starts.size();
  SmallVector<int64_t> axes, steps;
  for (size_t k = 0; k < n; ++k)
    axes.push_back(k);
  steps.assign(n, 1);
  if (auto a = adaptor.getAxes())
    axes.assign(a->begin(), a->end());
  if (auto s = adaptor.getSteps())
    steps.assign(s->begin(), s->end());
  if (ends.size() != n || axes.size() != n || steps.size() != n)
    return emitShapeError(
        loc, "'strata.slice' starts, ends, axes and steps have different "
             "lengths (" +
                 Twine(n) + ", " + Twine(ends.size()) + ", " +
                 Twine(axes.size()) + ", " + Twine(steps.size()) + ")");
  SmallVector<int64_t> out(in.getShape());
  SmallVector<bool> sliced(rank, false);
  for (size_t k = 0; k < n; ++k) {
    auto axis = normalizeAxis(axes[k], rank);
    if (!axis)
      return emitShapeError(loc, "'strata.slice' axis " + Twine(axes[k]) +
                                     " is out of range for rank " +
                                     Twine(rank));
    if (sliced[*axis])
      return emitShapeError(loc, "'strata.slice' axis " + Twine(*axis) +
                                     " is sliced twice");
    sliced[*axis] = true;
    int64_t step = steps[k];
    if (step == 0)
      return emitShapeError(loc, "'strata.slice' step of axis " + Twine(*axis) +
                                     " is 0");
    int64_t d = in.getDimSize(*axis);
    if (isDynamic(d) || d == 0)
      continue; // (an empty dimension stays empty)
    // A step longer than the dimension takes one element at most; clamping
    // it keeps the arithmetic below from overflowing.
    step = std::clamp<int64_t>(step, -d - 1, d + 1);
    int64_t start = starts[k] < 0 ? starts[k] + d : starts[k];
    int64_t end = ends[k] < 0 ? ends[k] + d : ends[k];
    if (step > 0) {
      start = std::clamp<int64_t>(start, 0, d);
      end = std::clamp<int64_t>(end, 0, d);
      out[*axis] = end > start ? (end - start - 1) / step + 1 : 0;
    } else {
      start = std::clamp<int64_t>(start, 0, d - 1);
      end = std::clamp<int64_t>(end, -1, d - 1);
      out[*axis] = start > end ? (start - end - 1) / -step + 1 : 0;
    }
  }
  types.push_back(withShape(in, out));
  return success();
}

OpFoldResult SliceOp::fold(FoldAdaptor) {
  // The identity: every sliced axis is taken whole, forward, by 1.
  if (getInput().getType() != getType())
    return {};
  auto type = cast<RankedTensorType>(getInput().getType());
  int64_t rank = type.getRank();
  ArrayRef<int64_t> starts = getStarts(), ends = getEnds();
  for (size_t k = 0; k < starts.size(); ++k) {
    int64_t axis = getAxes() ? (*getAxes())[k] : k;
    int64_t step = getSteps() ? (*getSteps())[k] : 1;
    int64_t d = type.getDimSize(axis < 0 ? axis + rank : axis);
    if (step != 1)
      return {};
    if (isDynamic(d)) {
      if (starts[k] != 0 || ends[k] != std::numeric_limits<int64_t>::max())
        return {};
      continue;
    }
    int64_t start = starts[k] < 0 ? starts[k] + d : starts[k];
    int64_t end = ends[k] < 0 ? ends[k] + d : ends[k];
    if (start > 0 || end < d)
      return {};
  }
  return getInput();
}

//===----------------------------------------------------------------------===//
// split
//===----------------------------------------------------------------------===//

LogicalResult SplitOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  auto in = cast<RankedTensorType>(adaptor.getInput().getType());
  auto axis = normalizeAxis(adaptor.getAxis(), in.getRank());
  if (!axis)
    return emitShapeError(
        loc, "'strata.split' axis " + Twine(adaptor.getAxis()) +
                 " is out of range for rank " + Twine(in.getRank()));
  ArrayRef<int64_t> sizes = adaptor.getSizes();
  if (sizes.empty())
    return emitShapeError(loc, "'strata.split' needs at least one size");
  int64_t sum = 0;
  for (int64_t s : sizes) {
    if (s < 0)
      return emitShapeError(loc, "'strata.split' sizes " + formatList(sizes) +
                                     " has a negative entry");
    sum += s;
  }
  int64_t d = in.getDimSize(*axis);
  if (!isDynamic(d) && sum != d)
    return emitShapeError(loc, "'strata.split' sizes " + formatList(sizes) +
                                   " sum to " + Twine(sum) + ", dimension " +
                                   Twine(*axis) + " has size " + Twine(d));
  for (int64_t s : sizes) {
    SmallVector<int64_t> out(in.getShape());
    out[*axis] = s;
    types.push_back(withShape(in, out));
  }
  return success();
}

LogicalResult SplitOp::fold(FoldAdaptor,
                            SmallVectorImpl<OpFoldResult> &results) {
  if (getNumResults() != 1 || getInput().getType() != getResult(0).getType())
    return failure();
  results.push_back(getInput());
  return success();
}

//===----------------------------------------------------------------------===//
// pad
//===----------------------------------------------------------------------===//

LogicalResult PadOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  auto in = cast<RankedTensorType>(adaptor.getInput().getType());
  int64_t rank = in.getRank();
  ArrayRef<int64_t> pads = adaptor.getPads();
  if (static_cast<int64_t>(pads.size()) != 2 * rank)
    return emitShapeError(loc, "'strata.pad' pads " + formatList(pads) +
                                   " has " + Twine(pads.size()) +
                                   " entries, a rank-" + Twine(rank) +
                                   " input needs " + Twine(2 * rank));
  PadMode mode = adaptor.getMode();
  SmallVector<int64_t> out(in.getShape());
  for (int64_t k = 0; k < rank; ++k) {
    int64_t d = in.getDimSize(k), b = pads[k], e = pads[k + rank];
    if (isDynamic(d))
      continue;
    if (d + b + e < 0)
      return emitShapeError(loc, "'strata.pad' pads " + formatList(pads) +
                                     " give dimension " + Twine(k) + " (size " +
                                     Twine(d) + ") a negative size " +
                                     Twine(d + b + e));
    if (mode == PadMode::reflect && ((b > 0 && b >= d) || (e > 0 && e >= d)))
      return emitShapeError(loc,
                            "'strata.pad' reflect pads " + Twine(b) + " and " +
                                Twine(e) + " of dimension " + Twine(k) +
                                " must be smaller than its size " + Twine(d));
    if (mode != PadMode::constant && d == 0 && (b > 0 || e > 0))
      return emitShapeError(loc, "'strata.pad' " + stringifyPadMode(mode) +
                                     " mode cannot pad the empty dimension " +
                                     Twine(k));
    out[k] = d + b + e;
  }
  types.push_back(withShape(in, out));
  return success();
}

OpFoldResult PadOp::fold(FoldAdaptor) {
  if (llvm::all_of(getPads(), [](int64_t p) { return p == 0; }) &&
      getInput().getType() == getType())
    return getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// broadcast_to
//===----------------------------------------------------------------------===//

LogicalResult BroadcastToOp::inferReturnTypes(MLIRContext *,
                                              std::optional<Location> loc,
                                              Adaptor adaptor,
                                              SmallVectorImpl<Type> &types) {
  auto in = cast<RankedTensorType>(adaptor.getInput().getType());
  ArrayRef<int64_t> shape = adaptor.getShape();
  for (int64_t s : shape)
    if (s < 0)
      return emitShapeError(loc, "'strata.broadcast_to' shape " +
                                     formatList(shape) +
                                     " has a negative size");
  auto out = broadcastShapes(in.getShape(), shape);
  if (!out)
    return emitShapeError(
        loc, "'strata.broadcast_to' input shape " + formatShape(in.getShape()) +
                 " does not broadcast with shape " + formatList(shape));
  types.push_back(withShape(in, *out));
  return success();
}

OpFoldResult BroadcastToOp::fold(FoldAdaptor) {
  // Equal types: every size of `shape` is 1 or the input's own size.
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// tile
//===----------------------------------------------------------------------===//

LogicalResult TileOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  auto in = cast<RankedTensorType>(adaptor.getInput().getType());
  ArrayRef<int64_t> repeats = adaptor.getRepeats();
  if (static_cast<int64_t>(repeats.size()) != in.getRank())
    return emitShapeError(loc, "'strata.tile' repeats " + formatList(repeats) +
                                   " has " + Twine(repeats.size()) +
                                   " entries for a rank-" +
                                   Twine(in.getRank()) + " input");
  SmallVector<int64_t> out;
  for (auto [d, r] : llvm::zip(in.getShape(), repeats)) {
    if (r < 0)
      return emitShapeError(loc, "'strata.tile' repeats " +
                                     formatList(repeats) +
                                     " has a negative entry");
    out.push_back(isDynamic(d) ? ShapedType::kDynamic : d * r);
  }
  types.push_back(withShape(in, out));
  return success();
}

OpFoldResult TileOp::fold(FoldAdaptor) {
  if (llvm::all_of(getRepeats(), [](int64_t r) { return r == 1; }) &&
      getInput().getType() == getType())
    return getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// depth_to_space, space_to_depth
//===----------------------------------------------------------------------===//

/// Checks the NCHW input and blocksize common to both ops.
static LogicalResult checkBlockOp(std::optional<Location> loc, StringRef name,
                                  RankedTensorType in, int64_t blocksize) {
  if (in.getRank() != 4)
    return emitShapeError(loc, "'strata." + name +
                                   "' input must have rank 4 (NCHW), got " +
                                   formatShape(in.getShape()));
  if (blocksize < 1)
    return emitShapeError(loc, "'strata." + name +
                                   "' blocksize must be >= 1, got " +
                                   Twine(blocksize));
  return success();
}

static int64_t mulSize(int64_t d, int64_t f) {
  return isDynamic(d) ? ShapedType::kDynamic : d * f;
}
static int64_t divSize(int64_t d, int64_t f) {
  return isDynamic(d) ? ShapedType::kDynamic : d / f;
}

LogicalResult DepthToSpaceOp::inferReturnTypes(MLIRContext *,
                                               std::optional<Location> loc,
                                               Adaptor adaptor,
                                               SmallVectorImpl<Type> &types) {
  auto in = cast<RankedTensorType>(adaptor.getInput().getType());
  int64_t b = adaptor.getBlocksize();
  if (failed(checkBlockOp(loc, "depth_to_space", in, b)))
    return failure();
  int64_t c = in.getDimSize(1);
  if (!isDynamic(c) && c % (b * b) != 0)
    return emitShapeError(
        loc, "'strata.depth_to_space' channels " + Twine(c) +
                 " are not divisible by blocksize^2 = " + Twine(b * b));
  types.push_back(withShape(in, {in.getDimSize(0), divSize(c, b * b),
                                 mulSize(in.getDimSize(2), b),
                                 mulSize(in.getDimSize(3), b)}));
  return success();
}

LogicalResult DepthToSpaceOp::verify() {
  if (getMode() != "DCR" && getMode() != "CRD")
    return emitOpError("mode must be \"DCR\" or \"CRD\", got \"")
           << getMode() << "\"";
  return success();
}

LogicalResult SpaceToDepthOp::inferReturnTypes(MLIRContext *,
                                               std::optional<Location> loc,
                                               Adaptor adaptor,
                                               SmallVectorImpl<Type> &types) {
  auto in = cast<RankedTensorType>(adaptor.getInput().getType());
  int64_t b = adaptor.getBlocksize();
  if (failed(checkBlockOp(loc, "space_to_depth", in, b)))
    return failure();
  int64_t h = in.getDimSize(2), w = in.getDimSize(3);
  if ((!isDynamic(h) && h % b != 0) || (!isDynamic(w) && w % b != 0))
    return emitShapeError(
        loc, "'strata.space_to_depth' spatial size " + formatShape({h, w}) +
                 " is not divisible by blocksize " + Twine(b));
  types.push_back(
      withShape(in, {in.getDimSize(0), mulSize(in.getDimSize(1), b * b),
                     divSize(h, b), divSize(w, b)}));
  return success();
}
