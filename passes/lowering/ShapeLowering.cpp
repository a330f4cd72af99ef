//===- ShapeLowering.cpp - Shape ops to tensor / linalg -------------------===//
//
// reshape becomes a collapse to one dimension and an expand to the result
// shape (views, no copy once bufferized); transpose becomes
// linalg.transpose.
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"
#include "passes/lowering/Lowering.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

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

} // namespace

void populateShapeLowering(RewritePatternSet &patterns) {
  patterns.add<ReshapeLowering, TransposeLowering>(patterns.getContext());
}

} // namespace strata::lowering
