//===- ShapeLowering.cpp - Shape ops to tensor / linalg -------------------===//
//
// reshape becomes a collapse to one dimension and an expand to the result
// shape (views, no copy once bufferized); transpose becomes
// linalg.transpose. pad in constant mode crops (tensor.extract_slice, for
// negative pads) then pads (tensor.pad); the other modes are a
// linalg.generic over the result that reads the input (tensor.extract) at
// the reflected, clamped or wrapped position of each dim. concat inserts
// its inputs into an empty result one after another
// (tensor.insert_slice); split and slice with positive steps extract views
// (tensor.extract_slice); a slice with a negative step reads its input
// through a linalg.generic whose map walks backwards.
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"
#include "passes/lowering/Lowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <algorithm>
#include <cmath>

using namespace mlir;

namespace strata::lowering {

Value reshapeStatic(OpBuilder &b, Location loc, Value x,
                    RankedTensorType target) {
  auto source = cast<RankedTensorType>(x.getType());
  if (source.getShape() == target.getShape())
    return x;
  if (source.getRank() == 0)
    return tensor::ExpandShapeOp::create(b, loc, target, x,
                                         ArrayRef<ReassociationIndices>{});
  if (target.getRank() == 0)
    return tensor::CollapseShapeOp::create(b, loc, target, x,
                                           ArrayRef<ReassociationIndices>{});
  Value flat = x;
  if (source.getRank() > 1) {
    ReassociationIndices all;
    for (int64_t d = 0; d < source.getRank(); ++d)
      all.push_back(d);
    auto flatType = RankedTensorType::get({source.getNumElements()},
                                          source.getElementType());
    flat = tensor::CollapseShapeOp::create(b, loc, flatType, x,
                                           ArrayRef<ReassociationIndices>{all});
  }
  if (target.getRank() == 1)
    return flat;
  ReassociationIndices all;
  for (int64_t d = 0; d < target.getRank(); ++d)
    all.push_back(d);
  return tensor::ExpandShapeOp::create(b, loc, target, flat,
                                       ArrayRef<ReassociationIndices>{all});
}

namespace {

bool isStatic(Type t) {
  auto rt = dyn_cast<RankedTensorType>(t);
  return rt && rt.hasStaticShape();
}

class ReshapeLowering : public OpRewritePattern<ReshapeOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    if (!isStatic(op.getInput().getType()) || !isStatic(op.getType()))
      return rewriter.notifyMatchFailure(op, "dynamic shape");
    rewriter.replaceOp(op, reshapeStatic(rewriter, op.getLoc(), op.getInput(),
                                         cast<RankedTensorType>(op.getType())));
    return success();
  }
};

class TransposeLowering : public OpRewritePattern<TransposeOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    if (!isStatic(op.getInput().getType()) || !isStatic(op.getType()))
      return rewriter.notifyMatchFailure(op, "dynamic shape");
    auto type = cast<RankedTensorType>(op.getType());
    SmallVector<int64_t> perm;
    if (auto p = op.getPerm())
      perm.assign(p->begin(), p->end());
    else
      for (int64_t d = type.getRank() - 1; d >= 0; --d)
        perm.push_back(d);
    Value init = tensor::EmptyOp::create(rewriter, op.getLoc(), type.getShape(),
                                         type.getElementType());
    auto t = linalg::TransposeOp::create(rewriter, op.getLoc(), op.getInput(),
                                         init, perm);
    rewriter.replaceOp(op, t->getResult(0));
    return success();
  }
};

/// pad's `value` as a constant of the integer or float type `t`, converted
/// as the reference evaluator stores it; null when that needs a value
/// outside int64 (not lowered).
Value padValue(OpBuilder &b, Location loc, Type t, double v) {
  if (isa<FloatType>(t))
    return floatConstant(b, loc, t, v);
  auto it = cast<IntegerType>(t);
  if (it.getWidth() == 1)
    return arith::ConstantOp::create(b, loc, b.getBoolAttr(v != 0.0));
  if (!(std::fabs(v) < 9.2e18))
    return {};
  // Truncated toward zero, then wrapped to the width.
  APInt bits(64, static_cast<uint64_t>(static_cast<int64_t>(v)), true);
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(t, bits.trunc(it.getWidth())));
}

class PadLowering : public OpRewritePattern<PadOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(PadOp op,
                                PatternRewriter &rewriter) const override {
    auto in = dyn_cast<RankedTensorType>(op.getInput().getType());
    auto type = dyn_cast<RankedTensorType>(op.getType());
    if (!in || !type || !in.hasStaticShape() || !type.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shape");
    Type t = type.getElementType();
    if (!isa<FloatType>(t) && !t.isSignlessInteger())
      return rewriter.notifyMatchFailure(op, "element type");
    Location loc = op.getLoc();
    int64_t rank = type.getRank();
    ArrayRef<int64_t> pads = op.getPads();
    if (op.getMode() != PadMode::constant) {
      // The reference evaluator refuses these forms at run time.
      for (int64_t k = 0; k < rank; ++k) {
        int64_t d = in.getDimSize(k), b = pads[k], e = pads[k + rank];
        if ((b > 0 || e > 0) && (d == 0 || (op.getMode() == PadMode::reflect &&
                                            (b >= d || e >= d))))
          return rewriter.notifyMatchFailure(op, "pads the reference refuses");
      }
      rewriter.replaceOp(op, gatherPadded(rewriter, op, in, type));
      return success();
    }
    Value value = padValue(rewriter, loc, t, op.getValue().convertToDouble());
    if (!value)
      return rewriter.notifyMatchFailure(op, "value out of range");
    // Crop the negative pads, then pad the positive ones.
    Value x = op.getInput();
    SmallVector<OpFoldResult> offsets, sizes, low, high;
    SmallVector<OpFoldResult> ones(rank, rewriter.getIndexAttr(1));
    bool crop = false, pad = false;
    for (int64_t k = 0; k < rank; ++k) {
      int64_t b = pads[k], e = pads[k + rank];
      offsets.push_back(rewriter.getIndexAttr(std::max<int64_t>(0, -b)));
      sizes.push_back(rewriter.getIndexAttr(in.getDimSize(k) +
                                            std::min<int64_t>(0, b) +
                                            std::min<int64_t>(0, e)));
      low.push_back(rewriter.getIndexAttr(std::max<int64_t>(0, b)));
      high.push_back(rewriter.getIndexAttr(std::max<int64_t>(0, e)));
      crop |= b < 0 || e < 0;
      pad |= b > 0 || e > 0;
    }
    if (crop)
      x = tensor::ExtractSliceOp::create(rewriter, loc, x, offsets, sizes,
                                         ones);
    if (pad)
      x = tensor::PadOp::create(rewriter, loc, type, x, low, high, value);
    rewriter.replaceOp(op, x);
    return success();
  }

private:
  /// reflect / edge / wrap: each result element reads the input at its
  /// source position (j - b per dim, moved inside by the mode).
  static Value gatherPadded(PatternRewriter &rewriter, PadOp op,
                            RankedTensorType in, RankedTensorType type) {
    Location loc = op.getLoc();
    int64_t rank = type.getRank();
    ArrayRef<int64_t> pads = op.getPads();
    PadMode mode = op.getMode();
    Value input = op.getInput();
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                         type.getElementType());
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{}, ValueRange{init}, maps,
        iterators, [&](OpBuilder &b, Location l, ValueRange) {
          auto index = [&](int64_t v) -> Value {
            return arith::ConstantIndexOp::create(b, l, v);
          };
          SmallVector<Value> source;
          for (int64_t k = 0; k < rank; ++k) {
            int64_t n = in.getDimSize(k), before = pads[k],
                    after = pads[k + rank];
            Value i = linalg::IndexOp::create(b, l, k);
            if (before != 0)
              i = arith::SubIOp::create(b, l, i, index(before));
            if (before <= 0 && after <= 0) { // always inside
              source.push_back(i);
              continue;
            }
            switch (mode) {
            case PadMode::reflect: {
              // -i below 0, 2 (n - 1) - i past the end.
              Value below = arith::CmpIOp::create(
                  b, l, arith::CmpIPredicate::slt, i, index(0));
              Value past = arith::CmpIOp::create(
                  b, l, arith::CmpIPredicate::sge, i, index(n));
              Value neg = arith::SubIOp::create(b, l, index(0), i);
              Value mirrored =
                  arith::SubIOp::create(b, l, index(2 * (n - 1)), i);
              i = arith::SelectOp::create(
                  b, l, below, neg,
                  arith::SelectOp::create(b, l, past, mirrored, i));
              break;
            }
            case PadMode::edge:
              i = arith::MinSIOp::create(
                  b, l, arith::MaxSIOp::create(b, l, i, index(0)),
                  index(n - 1));
              break;
            default: { // wrap: ((i mod n) + n) mod n
              Value r = arith::RemSIOp::create(b, l, i, index(n));
              i = arith::RemSIOp::create(
                  b, l, arith::AddIOp::create(b, l, r, index(n)), index(n));
              break;
            }
            }
            source.push_back(i);
          }
          linalg::YieldOp::create(
              b, l, Value(tensor::ExtractOp::create(b, l, input, source)));
        });
    return generic.getResult(0);
  }
};

int64_t positiveAxis(int64_t axis, int64_t rank) {
  return axis < 0 ? axis + rank : axis;
}

bool allStatic(Operation *op) {
  for (Type t : llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes()))
    if (!isStatic(t))
      return false;
  return true;
}

class ConcatLowering : public OpRewritePattern<ConcatOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConcatOp op,
                                PatternRewriter &rewriter) const override {
    if (!allStatic(op))
      return rewriter.notifyMatchFailure(op, "dynamic shape");
    auto type = cast<RankedTensorType>(op.getType());
    int64_t rank = type.getRank();
    int64_t axis = positiveAxis(op.getAxis(), rank);
    Location loc = op.getLoc();
    Value result = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                           type.getElementType());
    SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
    int64_t base = 0;
    for (Value input : op.getInputs()) {
      auto t = cast<RankedTensorType>(input.getType());
      if (t.getNumElements() == 0)
        continue; // nothing to insert
      offsets[axis] = rewriter.getIndexAttr(base);
      SmallVector<OpFoldResult> sizes;
      for (int64_t d : t.getShape())
        sizes.push_back(rewriter.getIndexAttr(d));
      result = tensor::InsertSliceOp::create(rewriter, loc, input, result,
                                             offsets, sizes, strides);
      base += t.getDimSize(axis);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

class SplitLowering : public OpRewritePattern<SplitOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SplitOp op,
                                PatternRewriter &rewriter) const override {
    if (!allStatic(op))
      return rewriter.notifyMatchFailure(op, "dynamic shape");
    auto type = cast<RankedTensorType>(op.getInput().getType());
    int64_t rank = type.getRank();
    int64_t axis = positiveAxis(op.getAxis(), rank);
    SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
    SmallVector<Value> results;
    int64_t base = 0;
    for (Value out : op.getOutputs()) {
      auto t = cast<RankedTensorType>(out.getType());
      base += t.getDimSize(axis);
      // An empty piece reads nothing.
      if (t.getNumElements() == 0) {
        results.push_back(tensor::EmptyOp::create(
            rewriter, op.getLoc(), t.getShape(), t.getElementType()));
        continue;
      }
      offsets[axis] = rewriter.getIndexAttr(base - t.getDimSize(axis));
      SmallVector<OpFoldResult> sizes;
      for (int64_t d : t.getShape())
        sizes.push_back(rewriter.getIndexAttr(d));
      results.push_back(tensor::ExtractSliceOp::create(
          rewriter, op.getLoc(), t, op.getInput(), offsets, sizes, strides));
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// Result index j on each dim reads input index first + j * step, the bounds
/// normalised as strata.slice defines (and as its reference kernel does).
class SliceLowering : public OpRewritePattern<SliceOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SliceOp op,
                                PatternRewriter &rewriter) const override {
    if (!allStatic(op))
      return rewriter.notifyMatchFailure(op, "dynamic shape");
    auto in = cast<RankedTensorType>(op.getInput().getType());
    auto type = cast<RankedTensorType>(op.getType());
    int64_t rank = in.getRank();
    SmallVector<int64_t> first(rank, 0), step(rank, 1);
    ArrayRef<int64_t> starts = op.getStarts();
    for (size_t k = 0; k < starts.size(); ++k) {
      int64_t axis =
          op.getAxes() ? positiveAxis((*op.getAxes())[k], rank) : int64_t(k);
      int64_t s = op.getSteps() ? (*op.getSteps())[k] : 1;
      int64_t d = in.getDimSize(axis);
      s = std::clamp<int64_t>(s, -d - 1, d + 1);
      int64_t start = starts[k] < 0 ? starts[k] + d : starts[k];
      if (d == 0)
        start = 0;
      else if (s > 0)
        start = std::clamp<int64_t>(start, 0, d);
      else
        start = std::clamp<int64_t>(start, 0, d - 1);
      first[axis] = start;
      step[axis] = s;
    }
    Location loc = op.getLoc();
    if (type.getNumElements() == 0) {
      rewriter.replaceOpWithNewOp<tensor::EmptyOp>(op, type.getShape(),
                                                   type.getElementType());
      return success();
    }
    // A size-1 result dim reads one element: its step does not matter.
    bool backwards = false;
    for (int64_t d = 0; d < rank; ++d) {
      if (type.getDimSize(d) == 1)
        step[d] = 1;
      backwards |= step[d] < 0;
    }
    if (!backwards) {
      SmallVector<OpFoldResult> offsets, sizes, strides;
      for (int64_t d = 0; d < rank; ++d) {
        offsets.push_back(rewriter.getIndexAttr(first[d]));
        sizes.push_back(rewriter.getIndexAttr(type.getDimSize(d)));
        strides.push_back(rewriter.getIndexAttr(step[d]));
      }
      rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
          op, type, op.getInput(), offsets, sizes, strides);
      return success();
    }
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < rank; ++d)
      exprs.push_back(rewriter.getAffineDimExpr(d) * step[d] + first[d]);
    AffineMap read = AffineMap::get(rank, 0, exprs, rewriter.getContext());
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                         type.getElementType());
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{op.getInput()},
        ValueRange{init},
        ArrayRef<AffineMap>{read, rewriter.getMultiDimIdentityMap(rank)},
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(b, l, args[0]);
        });
    rewriter.replaceOp(op, generic->getResult(0));
    return success();
  }
};

} // namespace

void populateShapeLowering(RewritePatternSet &patterns) {
  patterns.add<ReshapeLowering, TransposeLowering, PadLowering, ConcatLowering,
               SplitLowering, SliceLowering>(patterns.getContext());
}

} // namespace strata::lowering
