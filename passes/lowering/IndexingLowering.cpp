//===- IndexingLowering.cpp - Indexing ops to linalg ----------------------===//
//
// one_hot: a linalg.generic over the result comparing each position's index
// along `axis` (linalg.index) with its (depth-adjusted) index. An index
// outside [-depth, depth) gives an all-`off` row, ONNX's rule (the
// reference evaluator reports it unless drop_out_of_range is set).
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"
#include "passes/lowering/Lowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace strata::lowering {
namespace {

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
  patterns.add<OneHotLowering>(patterns.getContext());
}

} // namespace strata::lowering
