//===- LossLowering.cpp - Losses and metrics to linalg --------------------===//
//
// softmax_cross_entropy, accuracy and euclidean_loss as linalg.generic
// reductions over the batch [N, C]. A label is compared with the class
// index (linalg.index) rather than used to address memory, so a label out
// of range [0, C) selects no class instead of reading outside the row (the
// reference evaluator reports it as an error; compiled code cannot).
//
// top_k, argsort: a linalg.generic over the results; output j of a line is the
// element of rank j (sorted) or the j-th, by index, of the elements of rank
// below k (unsorted; argsort: sorted with k = n), where an element's rank is
// the number of elements of its line that precede it in the reference's stable
// order (by value, unsigned integers unsigned, NaN above any number, ties by
// lower index). Ranks are
// counted with scf.for loops: k * n^2 comparisons per line, fine for the small
// axes it sees.
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"
#include "passes/lowering/Lowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace strata::lowering {
namespace {

AffineMap mapOf(OpBuilder &b, unsigned rank, ArrayRef<unsigned> dims) {
  SmallVector<AffineExpr> exprs;
  for (unsigned d : dims)
    exprs.push_back(b.getAffineDimExpr(d));
  return AffineMap::get(rank, 0, exprs, b.getContext());
}

/// A [N, C] -> [N] (or [N] -> []) reduction generic with extra inputs, from
/// `identity`.
Value reduceRows(OpBuilder &b, Location loc, ValueRange inputs,
                 ArrayRef<AffineMap> inputMaps, ArrayRef<int64_t> outShape,
                 Value identity, unsigned rank,
                 function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  Type t = identity.getType();
  Value empty = tensor::EmptyOp::create(b, loc, outShape, t);
  Value acc = linalg::FillOp::create(b, loc, identity, empty).getResult(0);
  SmallVector<AffineMap> maps(inputMaps);
  SmallVector<unsigned> outDims;
  for (unsigned d = 0; d + 1 < rank; ++d)
    outDims.push_back(d);
  maps.push_back(mapOf(b, rank, outDims));
  SmallVector<utils::IteratorType> iterators(rank - 1,
                                             utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{RankedTensorType::get(outShape, t)}, inputs,
      ValueRange{acc}, maps, iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        linalg::YieldOp::create(nb, nl, body(nb, nl, args));
      });
  return generic.getResult(0);
}

Value indexCast(OpBuilder &b, Location loc, Value v) {
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), v);
}

/// Whether the class index (loop dim 1) is the row's label.
Value isLabel(OpBuilder &b, Location loc, Value label) {
  Value c = linalg::IndexOp::create(b, loc, 1);
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, c,
                               indexCast(b, loc, label));
}

bool staticFloatLogits(Value logits, Value labels) {
  auto x = dyn_cast<RankedTensorType>(logits.getType());
  auto l = dyn_cast<RankedTensorType>(labels.getType());
  return x && l && x.hasStaticShape() && l.hasStaticShape() &&
         x.getRank() == 2 && isa<FloatType>(x.getElementType()) &&
         l.getElementType().isSignlessInteger() && x.getDimSize(0) > 0;
}

/// x[n, labels[n]] for every row.
Value pickLabel(OpBuilder &b, Location loc, Value x, Value labels) {
  auto type = cast<RankedTensorType>(x.getType());
  Type t = type.getElementType();
  return reduceRows(
      b, loc, ValueRange{x, labels}, {mapOf(b, 2, {0, 1}), mapOf(b, 2, {0})},
      {type.getDimSize(0)}, floatConstant(b, loc, t, 0), 2,
      [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
        Value chosen = arith::SelectOp::create(
            nb, l, isLabel(nb, l, a[1]), a[0], floatConstant(nb, l, t, 0));
        return arith::AddFOp::create(nb, l, a[2], chosen);
      });
}

class SoftmaxCrossEntropyLowering
    : public OpRewritePattern<SoftmaxCrossEntropyOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SoftmaxCrossEntropyOp op,
                                PatternRewriter &rewriter) const override {
    if (!staticFloatLogits(op.getLogits(), op.getLabels()))
      return rewriter.notifyMatchFailure(op, "needs static [N, C] logits");
    Location loc = op.getLoc();
    Value x = op.getLogits();
    auto type = cast<RankedTensorType>(x.getType());
    Type t = type.getElementType();
    int64_t n = type.getDimSize(0);
    OpBuilder &b = rewriter;
    // Row maxima, then the shift (0 for a row that is all -inf).
    Value m = reduceRows(b, loc, x, {mapOf(b, 2, {0, 1})}, {n},
                         floatConstant(b, loc, t, -INFINITY), 2,
                         [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                           return arith::MaximumFOp::create(nb, l, a[1], a[0]);
                         });
    Value shift = logSumExpShift(b, loc, m);
    Value sums = reduceRows(
        b, loc, ValueRange{x, shift}, {mapOf(b, 2, {0, 1}), mapOf(b, 2, {0})},
        {n}, floatConstant(b, loc, t, 0), 2,
        [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
          Value e = math::ExpOp::create(
              nb, l, arith::SubFOp::create(nb, l, a[0], a[1]));
          return arith::AddFOp::create(nb, l, a[2], e);
        });
    Value picked = pickLabel(b, loc, x, op.getLabels());
    // sum_n log(s_n) + shift_n - picked_n, then scale / N.
    Value total =
        reduceRows(b, loc, ValueRange{sums, shift, picked},
                   {mapOf(b, 1, {0}), mapOf(b, 1, {0}), mapOf(b, 1, {0})}, {},
                   floatConstant(b, loc, t, 0), 1,
                   [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                     Value lse = arith::AddFOp::create(
                         nb, l, math::LogOp::create(nb, l, a[0]), a[1]);
                     return arith::AddFOp::create(
                         nb, l, a[3], arith::SubFOp::create(nb, l, lse, a[2]));
                   });
    double factor = op.getScale().convertToDouble() / double(n);
    Value loss =
        buildPointwise(b, loc, cast<RankedTensorType>(op.getType()), total,
                       [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                         return arith::MulFOp::create(
                             nb, l, a[0], floatConstant(nb, l, t, factor));
                       });
    rewriter.replaceOp(op, loss);
    return success();
  }
};

/// Row n is correct when fewer than top_k classes rank above its label
/// (a larger logit, or an equal one at a lower index).
class AccuracyLowering : public OpRewritePattern<AccuracyOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AccuracyOp op,
                                PatternRewriter &rewriter) const override {
    if (!staticFloatLogits(op.getLogits(), op.getLabels()))
      return rewriter.notifyMatchFailure(op, "needs static [N, C] logits");
    Location loc = op.getLoc();
    Value x = op.getLogits();
    auto type = cast<RankedTensorType>(x.getType());
    int64_t n = type.getDimSize(0);
    OpBuilder &b = rewriter;
    Type i64 = b.getI64Type();
    Value picked = pickLabel(b, loc, x, op.getLabels());
    Value above = reduceRows(
        b, loc, ValueRange{x, picked, op.getLabels()},
        {mapOf(b, 2, {0, 1}), mapOf(b, 2, {0}), mapOf(b, 2, {0})}, {n},
        arith::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(0)), 2,
        [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
          Value c = linalg::IndexOp::create(nb, l, 1);
          Value greater = arith::CmpFOp::create(
              nb, l, arith::CmpFPredicate::OGT, a[0], a[1]);
          Value equal = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OEQ,
                                              a[0], a[1]);
          Value lower = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt,
                                              c, indexCast(nb, l, a[2]));
          Value ranksAbove = arith::OrIOp::create(
              nb, l, greater, arith::AndIOp::create(nb, l, equal, lower));
          return arith::AddIOp::create(
              nb, l, a[3], arith::ExtUIOp::create(nb, l, i64, ranksAbove));
        });
    int64_t k = static_cast<int64_t>(op.getTopK());
    Type f32 = b.getF32Type();
    Value correct = reduceRows(
        b, loc, above, {mapOf(b, 1, {0})}, {}, floatConstant(b, loc, f32, 0), 1,
        [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
          Value ok = arith::CmpIOp::create(
              nb, l, arith::CmpIPredicate::slt, a[0],
              arith::ConstantOp::create(nb, l, i64, nb.getI64IntegerAttr(k)));
          Value one =
              arith::SelectOp::create(nb, l, ok, floatConstant(nb, l, f32, 1),
                                      floatConstant(nb, l, f32, 0));
          return arith::AddFOp::create(nb, l, a[1], one);
        });
    Value accuracy =
        buildPointwise(b, loc, cast<RankedTensorType>(op.getType()), correct,
                       [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
                         return arith::DivFOp::create(
                             nb, l, a[0], floatConstant(nb, l, f32, double(n)));
                       });
    rewriter.replaceOp(op, accuracy);
    return success();
  }
};

/// 0.5 * sum_all (a - b)^2 / N.
class EuclideanLossLowering : public OpRewritePattern<EuclideanLossOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(EuclideanLossOp op,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<RankedTensorType>(op.getA().getType());
    if (!type || !type.hasStaticShape() || type.getRank() < 1 ||
        type.getDimSize(0) == 0 ||
        !cast<RankedTensorType>(op.getB().getType()).hasStaticShape())
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    Location loc = op.getLoc();
    Type t = type.getElementType();
    Value d2 =
        buildPointwise(rewriter, loc, type, ValueRange{op.getA(), op.getB()},
                       [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                         Value d = arith::SubFOp::create(b, l, a[0], a[1]);
                         return arith::MulFOp::create(b, l, d, d);
                       });
    SmallVector<bool> all(type.getRank(), true);
    Value sum = buildReduction(
        rewriter, loc, d2, all, floatConstant(rewriter, loc, t, 0),
        [](OpBuilder &b, Location l, Value acc, Value v) -> Value {
          return arith::AddFOp::create(b, l, acc, v);
        });
    double factor = 0.5 / double(type.getDimSize(0));
    Value loss =
        buildPointwise(rewriter, loc, cast<RankedTensorType>(op.getType()), sum,
                       [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                         return arith::MulFOp::create(
                             b, l, a[0], floatConstant(b, l, t, factor));
                       });
    rewriter.replaceOp(op, loss);
    return success();
  }
};

/// top_k and argsort: which elements of each line are selected, in which
/// order, and whether their values are a result too.
struct Selection {
  int64_t axis = 0, k = 0;
  bool largest = true, sorted = true, values = true;
};

Selection selection(TopKOp op, int64_t rank) {
  int64_t axis = static_cast<int64_t>(op.getAxis());
  return {axis < 0 ? axis + rank : axis, static_cast<int64_t>(op.getK()),
          op.getLargest(), op.getSorted(), /*values=*/true};
}

/// argsort: every element, ordered as top_k's sorted results.
Selection selection(ArgSortOp op, int64_t rank) {
  int64_t axis = static_cast<int64_t>(op.getAxis());
  axis = axis < 0 ? axis + rank : axis;
  auto in = cast<RankedTensorType>(op.getX().getType());
  return {axis, in.getDimSize(axis), op.getDescending(), /*sorted=*/true,
          /*values=*/false};
}

template <typename OpTy> class RankedLowering : public OpRewritePattern<OpTy> {
public:
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    auto in = cast<RankedTensorType>(op.getX().getType());
    if (!in.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shape");
    SmallVector<Type> resultTypes(op->getResultTypes());
    for (Type r : resultTypes)
      if (!cast<RankedTensorType>(r).hasStaticShape())
        return rewriter.notifyMatchFailure(op, "dynamic shape");
    Type t = in.getElementType();
    if (!isa<FloatType>(t) && !t.isSignlessInteger() && !t.isUnsignedInteger())
      return rewriter.notifyMatchFailure(op, "element type not lowered");
    // Unsigned elements are compared unsigned on their signless bits.
    bool isUnsigned = t.isUnsignedInteger();
    int64_t rank = in.getRank();
    Selection sel = selection(op, rank);
    int64_t axis = sel.axis, n = in.getDimSize(axis), k = sel.k;
    if (k > n)
      return rewriter.notifyMatchFailure(op, "k exceeds the axis");
    bool largest = sel.largest, sorted = sel.sorted, withValues = sel.values;
    Location loc = op.getLoc();
    Value x = toSignless(rewriter, loc, op.getX());
    SmallVector<Type> originalTypes = resultTypes;
    for (Type &r : resultTypes)
      r = signlessType(r);
    SmallVector<Value> inits;
    for (Type r : resultTypes) {
      auto rt = cast<RankedTensorType>(r);
      inits.push_back(tensor::EmptyOp::create(rewriter, loc, rt.getShape(),
                                              rt.getElementType()));
    }
    SmallVector<AffineMap> maps(inits.size(),
                                rewriter.getMultiDimIdentityMap(rank));
    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultTypes, ValueRange{}, inits, maps,
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location l, ValueRange) {
          auto index = [&](int64_t v) -> Value {
            return arith::ConstantIndexOp::create(b, l, v);
          };
          SmallVector<Value> pos;
          for (int64_t d = 0; d < rank; ++d)
            pos.push_back(linalg::IndexOp::create(b, l, d));
          Value j = pos[axis];
          auto at = [&](OpBuilder &ab, Location al, Value e) -> Value {
            SmallVector<Value> p(pos);
            p[axis] = e;
            return tensor::ExtractOp::create(ab, al, x, p);
          };
          // Over the line's elements e: (chosen element, elements of rank
          // below k seen so far).
          auto outer = scf::ForOp::create(
              b, l, index(0), index(n), index(1),
              ValueRange{index(0), index(0)},
              [&](OpBuilder &ob, Location ol, Value e, ValueRange state) {
                Value xe = at(ob, ol, e);
                auto inner = scf::ForOp::create(
                    ob, ol, index(0), index(n), index(1), ValueRange{index(0)},
                    [&](OpBuilder &ib, Location il, Value f, ValueRange cnt) {
                      Value xf = at(ib, il, f);
                      Value first =
                          precedes(ib, il, xf, f, xe, e, largest, isUnsigned);
                      Value step = arith::SelectOp::create(
                          ib, il, first,
                          arith::ConstantIndexOp::create(ib, il, 1),
                          arith::ConstantIndexOp::create(ib, il, 0));
                      scf::YieldOp::create(
                          ib, il,
                          Value(arith::AddIOp::create(ib, il, cnt[0], step)));
                    });
                Value rankE = inner.getResult(0);
                Value kept = arith::CmpIOp::create(
                    ob, ol, arith::CmpIPredicate::slt, rankE,
                    arith::ConstantIndexOp::create(ob, ol, k));
                Value hit =
                    sorted ? Value(arith::CmpIOp::create(
                                 ob, ol, arith::CmpIPredicate::eq, rankE, j))
                           : Value(arith::AndIOp::create(
                                 ob, ol, kept,
                                 arith::CmpIOp::create(ob, ol,
                                                       arith::CmpIPredicate::eq,
                                                       state[1], j)));
                Value seen = arith::AddIOp::create(
                    ob, ol, state[1],
                    arith::SelectOp::create(
                        ob, ol, kept, arith::ConstantIndexOp::create(ob, ol, 1),
                        arith::ConstantIndexOp::create(ob, ol, 0)));
                scf::YieldOp::create(ob, ol,
                                     ValueRange{arith::SelectOp::create(
                                                    ob, ol, hit, e, state[0]),
                                                seen});
              });
          Value chosen = outer.getResult(0);
          Value position =
              arith::IndexCastOp::create(b, l, b.getI64Type(), chosen);
          if (withValues)
            linalg::YieldOp::create(b, l,
                                    ValueRange{at(b, l, chosen), position});
          else
            linalg::YieldOp::create(b, l, position);
        });
    SmallVector<Value> results;
    for (auto [r, type] : llvm::zip(generic.getResults(), originalTypes))
      results.push_back(fromSignless(rewriter, loc, r, type));
    rewriter.replaceOp(op, results);
    return success();
  }

private:
  /// Does `a` rank above `c` by value (NaN above any number; booleans
  /// false < true; unsigned integers compared unsigned)?
  static Value above(OpBuilder &b, Location l, Value a, Value c,
                     bool isUnsigned) {
    if (isa<FloatType>(a.getType())) {
      Value aNaN = arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, a, a);
      Value cNumber =
          arith::CmpFOp::create(b, l, arith::CmpFPredicate::ORD, c, c);
      return arith::OrIOp::create(
          b, l, arith::AndIOp::create(b, l, aNaN, cNumber),
          arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, a, c));
    }
    return arith::CmpIOp::create(b, l,
                                 isUnsigned || a.getType().isInteger(1)
                                     ? arith::CmpIPredicate::ugt
                                     : arith::CmpIPredicate::sgt,
                                 a, c);
  }

  /// Does element f (value xf) come before element e (value xe) in the
  /// stable order: descending for largest, ascending otherwise, ties by
  /// index?
  static Value precedes(OpBuilder &b, Location l, Value xf, Value f, Value xe,
                        Value e, bool largest, bool isUnsigned) {
    Value better = largest ? above(b, l, xf, xe, isUnsigned)
                           : above(b, l, xe, xf, isUnsigned);
    Value worse = largest ? above(b, l, xe, xf, isUnsigned)
                          : above(b, l, xf, xe, isUnsigned);
    Value one = arith::ConstantOp::create(b, l, b.getBoolAttr(true));
    Value tie = arith::XOrIOp::create(b, l, worse, one); // not worse
    Value earlier =
        arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult, f, e);
    return arith::OrIOp::create(b, l, better,
                                arith::AndIOp::create(b, l, tie, earlier));
  }
};

} // namespace

void populateLossLowering(RewritePatternSet &patterns) {
  patterns
      .add<SoftmaxCrossEntropyLowering, AccuracyLowering, EuclideanLossLowering,
           RankedLowering<TopKOp>, RankedLowering<ArgSortOp>>(
          patterns.getContext());
}

} // namespace strata::lowering
