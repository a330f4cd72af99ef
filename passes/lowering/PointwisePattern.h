//===- PointwisePattern.h - One op, one linalg.generic --------------------===//
//
// The pattern shared by the elementwise and activation lowerings: an op
// whose result is a function of its (broadcast) operands' elements, lowered
// by a scalar body that may read the op's attributes.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_PASSES_LOWERING_POINTWISEPATTERN_H
#define STRATA_PASSES_LOWERING_POINTWISEPATTERN_H

#include "passes/lowering/Lowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinTypes.h"

#include <functional>

namespace strata::lowering {

// A private header of the lowering patterns: MLIR names unqualified.
using namespace mlir;

/// Which element types a pattern lowers: `integers` and `all` take unsigned
/// integers too, for patterns whose body picks the unsigned arith ops
/// (unsignedElements).
enum class Elements { floats, signlessIntegers, both, integers, all };

inline bool accepts(Elements kind, Type t) {
  bool isFloat = isa<FloatType>(t);
  bool isInt = t.isSignlessInteger();
  bool isUnsigned = t.isUnsignedInteger();
  switch (kind) {
  case Elements::floats:
    return isFloat;
  case Elements::signlessIntegers:
    return isInt;
  case Elements::both:
    return isFloat || isInt;
  case Elements::integers:
    return isInt || isUnsigned;
  case Elements::all:
    return isFloat || isInt || isUnsigned;
  }
  return false;
}

/// Whether operand `i` of `op` holds unsigned integers (the scalar body sees
/// them as signless).
inline bool unsignedElements(Operation *op, unsigned i = 0) {
  return cast<ShapedType>(op->getOperand(i).getType())
      .getElementType()
      .isUnsignedInteger();
}

/// A pointwise op lowered by a scalar body that may read the op's
/// attributes. The element type checked is that of the first operand (the
/// result's for comparisons is i1).
template <typename OpTy>
class PointwisePattern : public OpRewritePattern<OpTy> {
public:
  using Body = std::function<Value(OpBuilder &, Location, ValueRange, OpTy)>;

  PointwisePattern(MLIRContext *ctx, Elements kind, Body body,
                   unsigned typedOperand = 0)
      : OpRewritePattern<OpTy>(ctx), kind_(kind), body_(std::move(body)),
        typedOperand_(typedOperand) {}

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!resultType || !resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic result shape");
    for (Value v : op->getOperands()) {
      auto t = dyn_cast<RankedTensorType>(v.getType());
      if (!t || !t.hasStaticShape())
        return rewriter.notifyMatchFailure(op, "dynamic operand shape");
    }
    Type element =
        cast<RankedTensorType>(op->getOperand(typedOperand_).getType())
            .getElementType();
    if (!accepts(kind_, element))
      return rewriter.notifyMatchFailure(op, "element type not lowered");
    // f16 and bf16 compute in f32 and round once, like the evaluator (in
    // double): a body of several ops would otherwise round after each.
    bool half = element.isF16() || element.isBF16();
    Value result = buildPointwise(
        rewriter, op.getLoc(), resultType, op->getOperands(),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          if (!half)
            return body_(b, loc, args, op);
          SmallVector<Value> wide;
          for (Value v : args)
            wide.push_back(
                v.getType().isF16() || v.getType().isBF16()
                    ? Value(arith::ExtFOp::create(b, loc, b.getF32Type(), v))
                    : v);
          Value r = body_(b, loc, wide, op);
          Type want = resultType.getElementType();
          if (r.getType() != want)
            r = arith::TruncFOp::create(b, loc, want, r);
          return r;
        });
    rewriter.replaceOp(op, result);
    return success();
  }

private:
  Elements kind_;
  Body body_;
  unsigned typedOperand_;
};

inline double attr(const llvm::APFloat &v) { return v.convertToDouble(); }

inline mlir::Value zeroLike(OpBuilder &b, Location loc, Value x) {
  return floatConstant(b, loc, x.getType(), 0.0);
}

/// Picks the float or the integer form of a binary op.
template <typename FloatOp, typename IntOp>
mlir::Value floatOrInt(OpBuilder &b, Location loc, ValueRange a) {
  if (isa<FloatType>(a[0].getType()))
    return FloatOp::create(b, loc, a[0], a[1]);
  return IntOp::create(b, loc, a[0], a[1]);
}

/// The float, signed or unsigned form of a binary op.
template <typename FloatOp, typename SignedOp, typename UnsignedOp>
mlir::Value bySignedness(OpBuilder &b, Location loc, ValueRange a,
                         bool isUnsigned) {
  if (isUnsigned)
    return UnsignedOp::create(b, loc, a[0], a[1]);
  return floatOrInt<FloatOp, SignedOp>(b, loc, a);
}

/// The unsigned predicate of a signed one (eq / ne unchanged).
inline arith::CmpIPredicate unsignedPredicate(arith::CmpIPredicate p) {
  switch (p) {
  case arith::CmpIPredicate::slt:
    return arith::CmpIPredicate::ult;
  case arith::CmpIPredicate::sle:
    return arith::CmpIPredicate::ule;
  case arith::CmpIPredicate::sgt:
    return arith::CmpIPredicate::ugt;
  case arith::CmpIPredicate::sge:
    return arith::CmpIPredicate::uge;
  default:
    return p;
  }
}

inline mlir::Value compare(OpBuilder &b, Location loc, ValueRange a,
                           arith::CmpFPredicate fp, arith::CmpIPredicate ip,
                           bool isUnsigned = false) {
  if (isa<FloatType>(a[0].getType()))
    return arith::CmpFOp::create(b, loc, fp, a[0], a[1]);
  if (isUnsigned)
    ip = unsignedPredicate(ip);
  return arith::CmpIOp::create(b, loc, ip, a[0], a[1]);
}

template <typename OpTy>
void add(RewritePatternSet &p, Elements kind,
         typename PointwisePattern<OpTy>::Body body, unsigned typed = 0) {
  p.add(std::make_unique<PointwisePattern<OpTy>>(p.getContext(), kind,
                                                 std::move(body), typed));
}

/// A unary float op that is one math-dialect op.
template <typename OpTy, typename MathOp> void addMath(RewritePatternSet &p) {
  add<OpTy>(p, Elements::floats,
            [](OpBuilder &b, Location loc, ValueRange a, OpTy) -> Value {
              return MathOp::create(b, loc, a[0]);
            });
}

template <typename OpTy>
void addCompare(RewritePatternSet &p, arith::CmpFPredicate fp,
                arith::CmpIPredicate ip) {
  add<OpTy>(p, Elements::all,
            [fp, ip](OpBuilder &b, Location loc, ValueRange a, OpTy op) {
              return compare(b, loc, a, fp, ip, unsignedElements(op));
            });
}

} // namespace strata::lowering

#endif // STRATA_PASSES_LOWERING_POINTWISEPATTERN_H
