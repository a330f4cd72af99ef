//===- LinearAlgebraLowering.cpp - Matrix products to linalg --------------===//
//
// matmul (every numpy form: 1-D operands, broadcast batch dims; floats and
// integers), inner_product and gemm
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

bool allStatic(Operation *op) {
  for (Type t :
       llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes())) {
    auto rt = dyn_cast<RankedTensorType>(t);
    if (!rt || !rt.hasStaticShape())
      return false;
  }
  return true;
}

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
  RankedTensorType originalType = resultType;
  resultType = cast<RankedTensorType>(signlessType(resultType));
  lhs = toSignless(b, loc, lhs);
  rhs = toSignless(b, loc, rhs);
  int64_t rank = resultType.getRank() + 1;
  // f16 and bf16 accumulate in f32 and round once at the end, as the
  // evaluator (in double) does.
  Type half = resultType.getElementType();
  if (half.isF16() || half.isBF16())
    resultType = resultType.clone(b.getF32Type());
  else
    half = nullptr;
  Type element = resultType.getElementType();
  bool isFloat = isa<FloatType>(element);
  Value zero = isFloat ? floatConstant(b, loc, element, 0.0)
                       : Value(arith::ConstantOp::create(
                             b, loc, element, b.getIntegerAttr(element, 0)));
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
      [isFloat, element](OpBuilder &nb, Location nl, ValueRange args) {
        Value sum;
        if (isFloat) {
          Value x = args[0], y = args[1];
          if (x.getType() != element)
            x = arith::ExtFOp::create(nb, nl, element, x);
          if (y.getType() != element)
            y = arith::ExtFOp::create(nb, nl, element, y);
          sum = arith::AddFOp::create(nb, nl, args[2],
                                      arith::MulFOp::create(nb, nl, x, y));
        } else
          sum = arith::AddIOp::create(
              nb, nl, args[2], arith::MulIOp::create(nb, nl, args[0], args[1]));
        linalg::YieldOp::create(nb, nl, sum);
      });
  Value result = generic.getResult(0);
  if (half)
    result = buildPointwise(b, loc, originalType, result,
                            [&](OpBuilder &nb, Location l, ValueRange a) {
                              return Value(
                                  arith::TruncFOp::create(nb, l, half, a[0]));
                            });
  return fromSignless(b, loc, result, originalType);
}

AffineMap map(OpBuilder &b, int64_t rank, ArrayRef<int64_t> dims) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d : dims)
    exprs.push_back(b.getAffineDimExpr(d));
  return AffineMap::get(rank, 0, exprs, b.getContext());
}

/// numpy matmul: 1-D operands are promoted ([K] -> [1, K] on the left,
/// [K, 1] on the right) and the added dim is never a loop; batch dims
/// broadcast (a size-1 batch dim of one operand reads index 0). The loops are
/// the result's dims then k, so each operand's map names the loops it reads.
/// Integers multiply and add in the element type: two's complement wraps the
/// same way as the evaluator's 64-bit sum wrapped on store.
class MatMulLowering : public OpRewritePattern<MatMulOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MatMulOp op,
                                PatternRewriter &rewriter) const override {
    if (!allStatic(op))
      return rewriter.notifyMatchFailure(op, "needs static tensors");
    auto a = cast<RankedTensorType>(op.getLhs().getType());
    auto bt = cast<RankedTensorType>(op.getRhs().getType());
    auto r = cast<RankedTensorType>(op.getType());
    Type element = r.getElementType();
    if (!isa<FloatType>(element) && !element.isSignlessInteger() &&
        !element.isUnsignedInteger())
      return rewriter.notifyMatchFailure(op, "element type not lowered");
    bool hasI = a.getRank() >= 2, hasJ = bt.getRank() >= 2;
    int64_t batch = r.getRank() - (hasI ? 1 : 0) - (hasJ ? 1 : 0);
    int64_t i = batch, j = batch + (hasI ? 1 : 0), k = r.getRank(), n = k + 1;
    MLIRContext *ctx = rewriter.getContext();
    auto operandMap = [&](RankedTensorType t, bool lhs) {
      SmallVector<AffineExpr> exprs;
      int64_t own = t.getRank() >= 2 ? t.getRank() - 2 : 0;
      for (int64_t d = 0; d < own; ++d) {
        int64_t loop = batch - own + d;
        if (t.getDimSize(d) == 1 && r.getDimSize(loop) != 1)
          exprs.push_back(getAffineConstantExpr(0, ctx));
        else
          exprs.push_back(getAffineDimExpr(loop, ctx));
      }
      if (lhs) {
        if (hasI)
          exprs.push_back(getAffineDimExpr(i, ctx));
        exprs.push_back(getAffineDimExpr(k, ctx));
      } else {
        exprs.push_back(getAffineDimExpr(k, ctx));
        if (hasJ)
          exprs.push_back(getAffineDimExpr(j, ctx));
      }
      return AffineMap::get(n, 0, exprs, ctx);
    };
    rewriter.replaceOp(op, contraction(rewriter, op.getLoc(), r, op.getLhs(),
                                       op.getRhs(), operandMap(a, true),
                                       operandMap(bt, false)));
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
