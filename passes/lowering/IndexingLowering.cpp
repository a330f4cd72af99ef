//===- IndexingLowering.cpp - Indexing ops to linalg ----------------------===//
//
// one_hot: a linalg.generic over the result comparing each position's index
// along `axis` (linalg.index) with its (depth-adjusted) index. An index
// outside [-depth, depth) gives an all-`off` row, ONNX's rule (the
// reference evaluator reports it unless drop_out_of_range is set).
//
// gather, gather_elements, gather_nd, embedding: a linalg.generic over the
// result (buildIndexed) that reads the indices and then the data with
// tensor.extract. scatter_elements, scatter_nd: a copy of the data
// (linalg.copy into a new tensor), then an scf.for nest over the updates in
// row-major order (so that with reduction "none" the last of repeated
// positions wins, as in the evaluator) that reads the current element,
// combines it with the update and writes it back (tensor.insert).
//
// Negative indices count from the end, as in the evaluator. An index
// outside [-d, d) is an evaluation error in the evaluator, so no result is
// defined for it; the compiled code never reads or writes out of bounds:
// gathers clamp the index into [0, d) (and read that element), scatters skip
// the update (they write the current element back unchanged). embedding
// takes no negative indices (an evaluation error): it clamps every index
// into [0, V).
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"
#include "passes/lowering/Lowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace strata::lowering {

Value buildIndexed(OpBuilder &b, Location loc, RankedTensorType resultType,
                   IndexedBody body) {
  int64_t rank = resultType.getRank();
  Value init = tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                       resultType.getElementType());
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank)};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, ValueRange{}, ValueRange{init}, maps,
      iterators, [&](OpBuilder &nb, Location l, ValueRange) {
        SmallVector<Value> position;
        for (int64_t d = 0; d < rank; ++d)
          position.push_back(linalg::IndexOp::create(nb, l, d));
        linalg::YieldOp::create(nb, l, body(nb, l, position));
      });
  return generic.getResult(0);
}

Value resolveIndex(OpBuilder &b, Location loc, Value v, int64_t d,
                   Value *inRange) {
  auto index = [&](int64_t c) -> Value {
    return arith::ConstantIndexOp::create(b, loc, c);
  };
  Value i = arith::IndexCastOp::create(b, loc, b.getIndexType(), v);
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, i, index(0));
  i = arith::SelectOp::create(b, loc, negative,
                              arith::AddIOp::create(b, loc, i, index(d)), i);
  if (inRange)
    *inRange = arith::AndIOp::create(
        b, loc,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, i, index(0)),
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, i, index(d)));
  return arith::MaxSIOp::create(
      b, loc, arith::MinSIOp::create(b, loc, i, index(d - 1)), index(0));
}

namespace {

int64_t positiveAxis(int64_t axis, int64_t rank) {
  return axis < 0 ? axis + rank : axis;
}

bool allStatic(Operation *op) {
  for (Type t : llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes()))
    if (!cast<RankedTensorType>(t).hasStaticShape())
      return false;
  return true;
}

RankedTensorType typeOf(Value v) { return cast<RankedTensorType>(v.getType()); }

/// A gather from a dim of size 0 with a non-empty result: every index is out
/// of range (an evaluation error) and no element can be read.
bool readsEmptyDim(RankedTensorType result, int64_t d) {
  return d == 0 && result.getNumElements() > 0;
}

class GatherLowering : public OpRewritePattern<GatherOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GatherOp op,
                                PatternRewriter &rewriter) const override {
    if (!allStatic(op))
      return rewriter.notifyMatchFailure(op, "dynamic shape");
    auto type = cast<RankedTensorType>(op.getType());
    RankedTensorType data = typeOf(op.getData());
    int64_t q = typeOf(op.getIndices()).getRank();
    int64_t axis = positiveAxis(op.getAxis(), data.getRank());
    int64_t d = data.getDimSize(axis);
    if (readsEmptyDim(type, d))
      return rewriter.notifyMatchFailure(op, "gathers from an empty dim");
    Value dataV = op.getData(), indicesV = op.getIndices();
    Value result =
        buildIndexed(rewriter, op.getLoc(), type,
                     [&](OpBuilder &b, Location l, ValueRange pos) -> Value {
                       // pos = [data dims before axis, index position, data
                       // dims after].
                       Value v = tensor::ExtractOp::create(b, l, indicesV,
                                                           pos.slice(axis, q));
                       SmallVector<Value> src(pos.take_front(axis));
                       src.push_back(resolveIndex(b, l, v, d));
                       src.append(pos.begin() + axis + q, pos.end());
                       return tensor::ExtractOp::create(b, l, dataV, src);
                     });
    rewriter.replaceOp(op, result);
    return success();
  }
};

class GatherElementsLowering : public OpRewritePattern<GatherElementsOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GatherElementsOp op,
                                PatternRewriter &rewriter) const override {
    if (!allStatic(op))
      return rewriter.notifyMatchFailure(op, "dynamic shape");
    auto type = cast<RankedTensorType>(op.getType());
    RankedTensorType data = typeOf(op.getData());
    RankedTensorType indices = typeOf(op.getIndices());
    int64_t axis = positiveAxis(op.getAxis(), data.getRank());
    for (int64_t k = 0; k < data.getRank(); ++k)
      if (k != axis && indices.getDimSize(k) > data.getDimSize(k))
        return rewriter.notifyMatchFailure(op, "indices larger than data");
    int64_t d = data.getDimSize(axis);
    if (readsEmptyDim(type, d))
      return rewriter.notifyMatchFailure(op, "gathers from an empty dim");
    Value dataV = op.getData(), indicesV = op.getIndices();
    Value result =
        buildIndexed(rewriter, op.getLoc(), type,
                     [&](OpBuilder &b, Location l, ValueRange pos) -> Value {
                       Value v = tensor::ExtractOp::create(b, l, indicesV, pos);
                       SmallVector<Value> src(pos);
                       src[axis] = resolveIndex(b, l, v, d);
                       return tensor::ExtractOp::create(b, l, dataV, src);
                     });
    rewriter.replaceOp(op, result);
    return success();
  }
};

class GatherNDLowering : public OpRewritePattern<GatherNDOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GatherNDOp op,
                                PatternRewriter &rewriter) const override {
    if (!allStatic(op))
      return rewriter.notifyMatchFailure(op, "dynamic shape");
    auto type = cast<RankedTensorType>(op.getType());
    RankedTensorType data = typeOf(op.getData());
    RankedTensorType indices = typeOf(op.getIndices());
    int64_t batch = op.getBatchDims(), q = indices.getRank();
    int64_t k = indices.getDimSize(q - 1);
    for (int64_t d = 0; d < batch; ++d)
      if (data.getDimSize(d) != indices.getDimSize(d))
        return rewriter.notifyMatchFailure(op, "batch sizes differ");
    for (int64_t j = 0; j < k; ++j)
      if (readsEmptyDim(type, data.getDimSize(batch + j)))
        return rewriter.notifyMatchFailure(op, "gathers from an empty dim");
    Value dataV = op.getData(), indicesV = op.getIndices();
    Value result = buildIndexed(
        rewriter, op.getLoc(), type,
        [&](OpBuilder &b, Location l, ValueRange pos) -> Value {
          // pos = [batch..., tuple position..., slice...].
          SmallVector<Value> at(pos.take_front(q - 1));
          at.push_back(Value());
          SmallVector<Value> src(pos.take_front(batch));
          for (int64_t j = 0; j < k; ++j) {
            at.back() = arith::ConstantIndexOp::create(b, l, j);
            Value v = tensor::ExtractOp::create(b, l, indicesV, at);
            src.push_back(resolveIndex(b, l, v, data.getDimSize(batch + j)));
          }
          llvm::append_range(src, pos.drop_front(q - 1));
          return tensor::ExtractOp::create(b, l, dataV, src);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

class EmbeddingLowering : public OpRewritePattern<EmbeddingOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(EmbeddingOp op,
                                PatternRewriter &rewriter) const override {
    if (!allStatic(op))
      return rewriter.notifyMatchFailure(op, "dynamic shape");
    auto type = cast<RankedTensorType>(op.getType());
    int64_t rows = typeOf(op.getTable()).getDimSize(0);
    if (readsEmptyDim(type, rows))
      return rewriter.notifyMatchFailure(op, "gathers from an empty table");
    Value table = op.getTable(), indicesV = op.getIndices();
    Value result = buildIndexed(
        rewriter, op.getLoc(), type,
        [&](OpBuilder &b, Location l, ValueRange pos) -> Value {
          // pos = [index position..., column].
          Value v = tensor::ExtractOp::create(b, l, indicesV, pos.drop_back());
          Value i = arith::IndexCastOp::create(b, l, b.getIndexType(), v);
          i = arith::MaxSIOp::create(
              b, l,
              arith::MinSIOp::create(
                  b, l, i, arith::ConstantIndexOp::create(b, l, rows - 1)),
              arith::ConstantIndexOp::create(b, l, 0));
          return tensor::ExtractOp::create(b, l, table,
                                           ValueRange{i, pos.back()});
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Whether the scatters can combine elements of type `t` by `reduction`.
bool combines(StringRef reduction, Type t) {
  if (reduction == "none")
    return true;
  if (reduction != "add" && reduction != "mul" && reduction != "max" &&
      reduction != "min")
    return false;
  return isa<FloatType>(t) || t.isSignlessInteger();
}

/// `reduction`(current, update), as the evaluator's combineInto: floats
/// max / min propagate NaN; integers wrap; booleans order false < true.
Value combine(OpBuilder &b, Location l, StringRef reduction, Value current,
              Value update) {
  Type t = current.getType();
  bool isFloat = isa<FloatType>(t), isBool = t.isInteger(1);
  if (reduction == "add")
    return isFloat ? Value(arith::AddFOp::create(b, l, current, update))
                   : Value(arith::AddIOp::create(b, l, current, update));
  if (reduction == "mul")
    return isFloat ? Value(arith::MulFOp::create(b, l, current, update))
                   : Value(arith::MulIOp::create(b, l, current, update));
  if (reduction == "max")
    return isFloat  ? Value(arith::MaximumFOp::create(b, l, current, update))
           : isBool ? Value(arith::MaxUIOp::create(b, l, current, update))
                    : Value(arith::MaxSIOp::create(b, l, current, update));
  if (reduction == "min")
    return isFloat  ? Value(arith::MinimumFOp::create(b, l, current, update))
           : isBool ? Value(arith::MinUIOp::create(b, l, current, update))
                    : Value(arith::MinSIOp::create(b, l, current, update));
  return update;
}

/// A new tensor holding a copy of `data` (never written in place: the
/// caller's tensor stays as it was).
Value copyOf(OpBuilder &b, Location loc, Value data) {
  RankedTensorType type = typeOf(data);
  Value init =
      tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  return linalg::CopyOp::create(b, loc, ValueRange{data}, ValueRange{init})
      ->getResult(0);
}

/// The scatter loop: a copy of `data`, then for every position of `updates`
/// (row-major) `dst = destination(position)`; when `inRange`, out[dst] =
/// combine(out[dst], updates[position]).
using Destination = function_ref<SmallVector<Value>(
    OpBuilder &, Location, ValueRange, Value &inRange)>;

Value buildScatter(OpBuilder &rewriter, Location loc, Value data, Value updates,
                   StringRef reduction, Destination destination) {
  RankedTensorType updatesType = typeOf(updates);
  Value c0 = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value c1 = arith::ConstantIndexOp::create(rewriter, loc, 1);
  SmallVector<Value> lbs(updatesType.getRank(), c0),
      steps(updatesType.getRank(), c1), ubs;
  for (int64_t size : updatesType.getShape())
    ubs.push_back(arith::ConstantIndexOp::create(rewriter, loc, size));
  scf::LoopNest nest = scf::buildLoopNest(
      rewriter, loc, lbs, ubs, steps, ValueRange{copyOf(rewriter, loc, data)},
      [&](OpBuilder &b, Location l, ValueRange ivs,
          ValueRange acc) -> scf::ValueVector {
        Value inRange;
        SmallVector<Value> dst = destination(b, l, ivs, inRange);
        Value current = tensor::ExtractOp::create(b, l, acc[0], dst);
        Value update = tensor::ExtractOp::create(b, l, updates, ivs);
        Value next = combine(b, l, reduction, current, update);
        next = arith::SelectOp::create(b, l, inRange, next, current);
        return {tensor::InsertOp::create(b, l, next, acc[0], dst)};
      });
  return nest.results[0];
}

class ScatterElementsLowering : public OpRewritePattern<ScatterElementsOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ScatterElementsOp op,
                                PatternRewriter &rewriter) const override {
    if (!allStatic(op))
      return rewriter.notifyMatchFailure(op, "dynamic shape");
    RankedTensorType data = typeOf(op.getData());
    RankedTensorType indices = typeOf(op.getIndices());
    if (!combines(op.getReduction(), data.getElementType()))
      return rewriter.notifyMatchFailure(op, "reduction or element type");
    if (indices.getShape() != typeOf(op.getUpdates()).getShape())
      return rewriter.notifyMatchFailure(op, "indices and updates differ");
    int64_t axis = positiveAxis(op.getAxis(), data.getRank());
    for (int64_t k = 0; k < data.getRank(); ++k)
      if (k != axis && indices.getDimSize(k) > data.getDimSize(k))
        return rewriter.notifyMatchFailure(op, "indices larger than data");
    int64_t d = data.getDimSize(axis);
    if (readsEmptyDim(indices, d))
      return rewriter.notifyMatchFailure(op, "scatters into an empty dim");
    Value indicesV = op.getIndices();
    Value result = buildScatter(
        rewriter, op.getLoc(), op.getData(), op.getUpdates(), op.getReduction(),
        [&](OpBuilder &b, Location l, ValueRange ivs, Value &inRange) {
          Value v = tensor::ExtractOp::create(b, l, indicesV, ivs);
          SmallVector<Value> dst(ivs);
          dst[axis] = resolveIndex(b, l, v, d, &inRange);
          return dst;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

class ScatterNDLowering : public OpRewritePattern<ScatterNDOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ScatterNDOp op,
                                PatternRewriter &rewriter) const override {
    if (!allStatic(op))
      return rewriter.notifyMatchFailure(op, "dynamic shape");
    RankedTensorType data = typeOf(op.getData());
    RankedTensorType indices = typeOf(op.getIndices());
    RankedTensorType updates = typeOf(op.getUpdates());
    if (!combines(op.getReduction(), data.getElementType()))
      return rewriter.notifyMatchFailure(op, "reduction or element type");
    int64_t q = indices.getRank();
    int64_t k = indices.getDimSize(q - 1);
    SmallVector<int64_t> want(indices.getShape().drop_back());
    want.append(data.getShape().begin() + k, data.getShape().end());
    if (updates.getShape() != ArrayRef<int64_t>(want))
      return rewriter.notifyMatchFailure(op, "updates shape");
    for (int64_t j = 0; j < k; ++j)
      if (readsEmptyDim(updates, data.getDimSize(j)))
        return rewriter.notifyMatchFailure(op, "scatters into an empty dim");
    Value indicesV = op.getIndices();
    Value result = buildScatter(
        rewriter, op.getLoc(), op.getData(), op.getUpdates(), op.getReduction(),
        [&](OpBuilder &b, Location l, ValueRange ivs, Value &inRange) {
          // ivs = [tuple position..., slice...].
          SmallVector<Value> at(ivs.take_front(q - 1)), dst;
          at.push_back(Value());
          inRange = arith::ConstantOp::create(b, l, b.getBoolAttr(true));
          for (int64_t j = 0; j < k; ++j) {
            at.back() = arith::ConstantIndexOp::create(b, l, j);
            Value v = tensor::ExtractOp::create(b, l, indicesV, at);
            Value ok;
            dst.push_back(resolveIndex(b, l, v, data.getDimSize(j), &ok));
            inRange = arith::AndIOp::create(b, l, inRange, ok);
          }
          llvm::append_range(dst, ivs.drop_front(q - 1));
          return dst;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

class OneHotLowering : public OpRewritePattern<OneHotOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(OneHotOp op,
                                PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    auto indices = cast<RankedTensorType>(op.getIndices().getType());
    if (!type.hasStaticShape() || !indices.hasStaticShape() ||
        !cast<RankedTensorType>(op.getValues().getType()).hasStaticShape() ||
        !indices.getElementType().isSignlessInteger())
      return rewriter.notifyMatchFailure(op, "needs static shapes");
    Location loc = op.getLoc();
    int64_t rank = type.getRank();
    int64_t axis = static_cast<int64_t>(op.getAxis());
    if (axis < 0)
      axis += rank;
    int64_t depth = static_cast<int64_t>(op.getDepth());
    Value c0 = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value c1 = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value off = tensor::ExtractOp::create(rewriter, loc, op.getValues(), c0);
    Value on = tensor::ExtractOp::create(rewriter, loc, op.getValues(), c1);
    SmallVector<AffineExpr> indexExprs;
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis)
        indexExprs.push_back(rewriter.getAffineDimExpr(d));
    SmallVector<AffineMap> maps = {
        AffineMap::get(rank, 0, indexExprs, rewriter.getContext()),
        rewriter.getMultiDimIdentityMap(rank)};
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                         type.getElementType());
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{op.getIndices()},
        ValueRange{init}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Type it = args[0].getType();
          Value zero =
              arith::ConstantOp::create(b, l, it, b.getIntegerAttr(it, 0));
          Value d =
              arith::ConstantOp::create(b, l, it, b.getIntegerAttr(it, depth));
          Value negative = arith::CmpIOp::create(
              b, l, arith::CmpIPredicate::slt, args[0], zero);
          Value adjusted = arith::SelectOp::create(
              b, l, negative, arith::AddIOp::create(b, l, args[0], d), args[0]);
          Value j = arith::IndexCastOp::create(
              b, l, it, linalg::IndexOp::create(b, l, axis));
          Value hit = arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, j,
                                            adjusted);
          linalg::YieldOp::create(
              b, l, Value(arith::SelectOp::create(b, l, hit, on, off)));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void populateIndexingLowering(RewritePatternSet &patterns) {
  patterns.add<OneHotLowering, GatherLowering, GatherElementsLowering,
               GatherNDLowering, EmbeddingLowering, ScatterElementsLowering,
               ScatterNDLowering>(patterns.getContext());
}

} // namespace strata::lowering
