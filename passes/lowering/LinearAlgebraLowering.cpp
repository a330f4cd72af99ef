//===- LinearAlgebraLowering.cpp - Matrix products to linalg --------------===//
//
// matmul (2-D, or batched with equal batch dims), inner_product and gemm
// become a linalg.generic contraction (parallel i, j; reduction k) into a
// zero-filled accumulator of the element type, followed by the pointwise
// epilogue (bias, alpha / beta, c). Float sums accumulate in the element
// type, in k order; the reference evaluator accumulates in double, so
// results agree within rounding.
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

bool allStaticFloat(Operation *op) {
  for (Type t :
       llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes())) {
    auto rt = dyn_cast<RankedTensorType>(t);
    if (!rt || !rt.hasStaticShape() || !isa<FloatType>(rt.getElementType()))
      return false;
  }
  return true;
}

/// out[batch..., i, j] = sum_k a[..] * b[..], the maps given over the loop
/// dims (batch..., i, j, k).
Value contraction(OpBuilder &b, Location loc, RankedTensorType resultType,
                  Value lhs, Value rhs, AffineMap lhsMap, AffineMap rhsMap) {
  int64_t rank = resultType.getRank() + 1;
  Type element = resultType.getElementType();
  Value zero = floatConstant(b, loc, element, 0.0);
  Value empty = tensor::EmptyOp::create(b, loc, resultType.getShape(), element);
  Value acc = linalg::FillOp::create(b, loc, zero, empty).getResult(0);
  SmallVector<utils::IteratorType> iterators(rank - 1,
                                             utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  SmallVector<AffineExpr> outExprs;
  for (int64_t d = 0; d < rank - 1; ++d)
    outExprs.push_back(b.getAffineDimExpr(d));
  AffineMap outMap = AffineMap::get(rank, 0, outExprs, b.getContext());
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, ValueRange{lhs, rhs}, ValueRange{acc},
      ArrayRef<AffineMap>{lhsMap, rhsMap, outMap}, iterators,
      [](OpBuilder &nb, Location nl, ValueRange args) {
        Value p = arith::MulFOp::create(nb, nl, args[0], args[1]);
        linalg::YieldOp::create(
            nb, nl, Value(arith::AddFOp::create(nb, nl, args[2], p)));
      });
  return generic.getResult(0);
}

AffineMap map(OpBuilder &b, int64_t rank, ArrayRef<int64_t> dims) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d : dims)
    exprs.push_back(b.getAffineDimExpr(d));
  return AffineMap::get(rank, 0, exprs, b.getContext());
}

class MatMulLowering : public OpRewritePattern<MatMulOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MatMulOp op,
                                PatternRewriter &rewriter) const override {
    if (!allStaticFloat(op))
      return rewriter.notifyMatchFailure(op, "needs static float tensors");
    auto a = cast<RankedTensorType>(op.getLhs().getType());
    auto bt = cast<RankedTensorType>(op.getRhs().getType());
    auto r = cast<RankedTensorType>(op.getType());
    if (a.getRank() < 2 || a.getRank() != bt.getRank() ||
        a.getShape().drop_back(2) != bt.getShape().drop_back(2))
      return rewriter.notifyMatchFailure(
          op, "only 2-D or equal-batch operands are lowered");
    int64_t batch = a.getRank() - 2, n = batch + 3;
    SmallVector<int64_t> lhsDims, rhsDims;
    for (int64_t d = 0; d < batch; ++d) {
      lhsDims.push_back(d);
      rhsDims.push_back(d);
    }
    int64_t i = batch, j = batch + 1, k = batch + 2;
    lhsDims.append({i, k});
    rhsDims.append({k, j});
    rewriter.replaceOp(op, contraction(rewriter, op.getLoc(), r, op.getLhs(),
                                       op.getRhs(), map(rewriter, n, lhsDims),
                                       map(rewriter, n, rhsDims)));
    return success();
  }
};

/// y = x w^T + bias (w: [M, K]), or x w + bias with transpose (w: [K, M]).
class InnerProductLowering : public OpRewritePattern<InnerProductOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(InnerProductOp op,
                                PatternRewriter &rewriter) const override {
    if (!allStaticFloat(op))
      return rewriter.notifyMatchFailure(op, "needs static float tensors");
    auto r = cast<RankedTensorType>(op.getType());
    Location loc = op.getLoc();
    AffineMap w =
        op.getTranspose() ? map(rewriter, 3, {2, 1}) : map(rewriter, 3, {1, 2});
    Value y = contraction(rewriter, loc, r, op.getInput(), op.getWeight(),
                          map(rewriter, 3, {0, 2}), w);
    if (Value bias = op.getBias())
      y = buildPointwise(rewriter, loc, r, ValueRange{y, bias},
                         [](OpBuilder &b, Location l, ValueRange a) -> Value {
                           return arith::AddFOp::create(b, l, a[0], a[1]);
                         });
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// alpha * op(a) op(b) + beta * c.
class GemmLowering : public OpRewritePattern<GemmOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GemmOp op,
                                PatternRewriter &rewriter) const override {
    if (!allStaticFloat(op))
      return rewriter.notifyMatchFailure(op, "needs static float tensors");
    auto r = cast<RankedTensorType>(op.getType());
    Location loc = op.getLoc();
    AffineMap a =
        op.getTransA() ? map(rewriter, 3, {2, 0}) : map(rewriter, 3, {0, 2});
    AffineMap b =
        op.getTransB() ? map(rewriter, 3, {1, 2}) : map(rewriter, 3, {2, 1});
    Value y = contraction(rewriter, loc, r, op.getA(), op.getB(), a, b);
    double alpha = op.getAlpha().convertToDouble();
    double beta = op.getBeta().convertToDouble();
    Type element = r.getElementType();
    SmallVector<Value> operands = {y};
    if (Value c = op.getC())
      operands.push_back(c);
    y = buildPointwise(
        rewriter, loc, r, operands,
        [&](OpBuilder &nb, Location l, ValueRange v) -> Value {
          Value s = arith::MulFOp::create(
              nb, l, floatConstant(nb, l, element, alpha), v[0]);
          if (v.size() > 1)
            s = arith::AddFOp::create(
                nb, l, s,
                arith::MulFOp::create(
                    nb, l, floatConstant(nb, l, element, beta), v[1]));
          return s;
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

} // namespace

void populateLinearAlgebraLowering(RewritePatternSet &patterns) {
  patterns.add<MatMulLowering, InnerProductLowering, GemmLowering>(
      patterns.getContext());
}

} // namespace strata::lowering
