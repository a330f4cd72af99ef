//===- StructureLowering.cpp - constant, cast and bitcast -----------------===//
//
// constant becomes arith.constant; cast becomes a linalg.generic converting
// each element as strata.cast defines it (float to integer truncates toward
// zero, to i1 is `x != 0`, integers wrap, `saturate` clamps to the result's
// largest finite value) for f16, bf16, f32, f64, signless and unsigned
// integers and the 8- and 4-bit floats, which are decoded and encoded with
// integer arithmetic (MinifloatConversion.h). bitcast is a linalg.generic of
// arith.bitcast (i1 <-> 8-bit: the byte).
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"
#include "passes/lowering/Lowering.h"
#include "passes/lowering/MinifloatConversion.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include "llvm/ADT/APFloat.h"

#include <cmath>
#include <limits>

using namespace mlir;

namespace strata::lowering {
namespace {

bool plainFloat(Type t) {
  return t.isF16() || t.isBF16() || t.isF32() || t.isF64();
}

class ConstantLowering : public OpRewritePattern<ConstantOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConstantOp op,
                                PatternRewriter &rewriter) const override {
    auto value = dyn_cast<DenseElementsAttr>(op.getValue());
    if (!value || !cast<RankedTensorType>(op.getType()).hasStaticShape())
      return rewriter.notifyMatchFailure(op, "not a static dense constant");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value);
    return success();
  }
};

/// The largest finite value of a float type.
double largestFinite(Type t) {
  return llvm::APFloat::getLargest(cast<FloatType>(t).getFloatSemantics())
      .convertToDouble();
}

/// `bound` in the float type `t`, or infinity where `t` has no such value
/// (f16: every finite value is below it).
Value boundOrInfinity(OpBuilder &b, Location loc, Type t, double bound) {
  return floatConstant(b, loc, t,
                       std::fabs(bound) > largestFinite(t)
                           ? std::copysign(INFINITY, bound)
                           : bound);
}

/// A float truncated toward zero to i64 as the evaluator does: NaN is 0 and
/// values beyond i64's range its bound of their sign (where fptosi alone is
/// poison).
Value truncateToI64(OpBuilder &b, Location loc, Value x) {
  Type i64 = b.getI64Type(), t = x.getType();
  auto c = [&](int64_t v) -> Value {
    return arith::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(v));
  };
  auto cmp = [&](arith::CmpFPredicate p, Value y) -> Value {
    return arith::CmpFOp::create(b, loc, p, x, y);
  };
  Value v = arith::FPToSIOp::create(b, loc, i64, x);
  v = arith::SelectOp::create(
      b, loc,
      cmp(arith::CmpFPredicate::OGE, boundOrInfinity(b, loc, t, 0x1p63)),
      c(std::numeric_limits<int64_t>::max()), v);
  v = arith::SelectOp::create(
      b, loc,
      cmp(arith::CmpFPredicate::OLE, boundOrInfinity(b, loc, t, -0x1p63)),
      c(std::numeric_limits<int64_t>::min()), v);
  return arith::SelectOp::create(b, loc, cmp(arith::CmpFPredicate::UNO, x),
                                 c(0), v);
}

/// How strata.cast converts: `saturate` and, to f8E8M0FNU, `roundMode`.
struct CastMode {
  bool saturate = false;
  llvm::StringRef roundMode = "up";
};

/// One element from type `from` to type `to` (both signless; the flags say
/// which integers are unsigned); null if not lowered.
Value convert(OpBuilder &b, Location loc, Value x, Type to, bool fromUnsigned,
              bool toUnsigned, CastMode mode) {
  Type from = x.getType();
  if (from == to)
    return x;
  fromUnsigned |= from.isInteger(1);
  Type f64 = b.getF64Type();
  // An integer as the evaluator's double (exact up to 2^53, else rounded
  // once), where a rounding of that double follows.
  auto toF64 = [&](Value v) -> Value {
    if (fromUnsigned)
      return arith::UIToFPOp::create(b, loc, f64, v);
    return arith::SIToFPOp::create(b, loc, f64, v);
  };
  if (isMinifloat(from))
    return convert(b, loc, decodeMinifloat(b, loc, x), to, false, toUnsigned,
                   mode);
  if (isMinifloat(to)) {
    if (from.isSignlessInteger())
      x = toF64(x);
    else if (!from.isF64() &&
             (isa<Float8E8M0FNUType>(to) || from.isF16() || from.isBF16()))
      x = arith::ExtFOp::create(b, loc, f64, x);
    if (isa<Float8E8M0FNUType>(to))
      return encodeE8M0(b, loc, x, mode.saturate, mode.roundMode);
    return encodeMinifloat(b, loc, x, to, mode.saturate);
  }
  if (mode.saturate && plainFloat(to) && !from.isInteger(1)) {
    // Clamp to the result's largest finite value, then round (which keeps
    // it): as the evaluator's roundToDTypeSaturating. NaN stays NaN.
    if (from.isSignlessInteger()) {
      x = toF64(x);
      from = f64;
    }
    double max = largestFinite(to);
    if (max < largestFinite(from)) {
      x = arith::MinimumFOp::create(b, loc, x,
                                    floatConstant(b, loc, from, max));
      x = arith::MaximumFOp::create(b, loc, x,
                                    floatConstant(b, loc, from, -max));
    }
    if (from == to)
      return x;
  }
  bool fromFloat = plainFloat(from), toFloat = plainFloat(to);
  bool fromInt = from.isSignlessInteger(), toInt = to.isSignlessInteger();
  if (fromFloat && toFloat) {
    if (to.getIntOrFloatBitWidth() > from.getIntOrFloatBitWidth())
      return arith::ExtFOp::create(b, loc, to, x);
    if (to.getIntOrFloatBitWidth() < from.getIntOrFloatBitWidth())
      return arith::TruncFOp::create(b, loc, to, x);
    // f16 <-> bf16: through f32, exact on the way up.
    Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), x);
    return arith::TruncFOp::create(b, loc, to, wide);
  }
  if (fromInt && toFloat) {
    if (fromUnsigned)
      return arith::UIToFPOp::create(b, loc, to, x);
    return arith::SIToFPOp::create(b, loc, to, x);
  }
  if (fromFloat && toInt) {
    if (to.isInteger(1)) {
      Value zero = floatConstant(b, loc, from, 0.0);
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, x, zero);
    }
    // Narrower targets go through i64 and wrap, as the evaluator's
    // truncation to int64 and store do (fptosi / fptoui to the narrow type
    // are poison out of its range).
    Value wide = truncateToI64(b, loc, x);
    if (to.getIntOrFloatBitWidth() < 64)
      return arith::TruncIOp::create(b, loc, to, wide);
    if (!toUnsigned)
      return wide;
    // ui64 holds [2^63, 2^64) too.
    Value high = arith::AndIOp::create(
        b, loc,
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE, x,
                              boundOrInfinity(b, loc, from, 0x1p63)),
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x,
                              boundOrInfinity(b, loc, from, 0x1p64)));
    return arith::SelectOp::create(
        b, loc, high, arith::FPToUIOp::create(b, loc, to, x), wide);
  }
  if (fromInt && toInt) {
    if (to.isInteger(1)) {
      Value zero =
          arith::ConstantOp::create(b, loc, from, b.getIntegerAttr(from, 0));
      return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x, zero);
    }
    if (to.getIntOrFloatBitWidth() > from.getIntOrFloatBitWidth())
      return fromUnsigned ? Value(arith::ExtUIOp::create(b, loc, to, x))
                          : Value(arith::ExtSIOp::create(b, loc, to, x));
    return arith::TruncIOp::create(b, loc, to, x);
  }
  return nullptr;
}

bool convertible(Type t) {
  return plainFloat(t) || isMinifloat(t) || t.isSignlessInteger() ||
         t.isUnsignedInteger();
}

class CastLowering : public OpRewritePattern<CastOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(CastOp op,
                                PatternRewriter &rewriter) const override {
    auto in = cast<RankedTensorType>(op.getInput().getType());
    auto out = cast<RankedTensorType>(op.getType());
    if (!in.hasStaticShape() || !out.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shape");
    if (!convertible(in.getElementType()) || !convertible(out.getElementType()))
      return rewriter.notifyMatchFailure(op, "element types not lowered");
    CastMode mode{op.getSaturate(), op.getRoundMode()};
    Type to = signlessType(out.getElementType());
    bool fromUnsigned = in.getElementType().isUnsignedInteger();
    bool toUnsigned = out.getElementType().isUnsignedInteger();
    rewriter.replaceOp(
        op, buildPointwise(rewriter, op.getLoc(), out, op.getInput(),
                           [&](OpBuilder &b, Location l, ValueRange a) {
                             return convert(b, l, a[0], to, fromUnsigned,
                                            toUnsigned, mode);
                           }));
    return success();
  }
};

/// The same bits read as another type of the same width (i1 pairs with
/// 8-bit integers: the byte holds 0 or 1, which the evaluator checks).
class BitcastLowering : public OpRewritePattern<BitcastOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BitcastOp op,
                                PatternRewriter &rewriter) const override {
    auto in = cast<RankedTensorType>(op.getInput().getType());
    auto out = cast<RankedTensorType>(op.getType());
    if (!in.hasStaticShape() || !out.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shape");
    Type from = in.getElementType(), to = signlessType(out.getElementType());
    auto plain = [](Type t) {
      return plainFloat(t) || t.isSignlessInteger() || t.isUnsignedInteger();
    };
    if (!plain(from) || !plain(to))
      return rewriter.notifyMatchFailure(op, "element types not lowered");
    rewriter.replaceOp(
        op,
        buildPointwise(rewriter, op.getLoc(), out, op.getInput(),
                       [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                         Value x = a[0];
                         if (x.getType() == to)
                           return x;
                         if (x.getType().isInteger(1))
                           return arith::ExtUIOp::create(b, l, to, x);
                         if (to.isInteger(1))
                           return arith::TruncIOp::create(b, l, to, x);
                         return arith::BitcastOp::create(b, l, to, x);
                       }));
    return success();
  }
};

} // namespace

void populateStructureLowering(RewritePatternSet &patterns) {
  patterns.add<ConstantLowering, CastLowering, BitcastLowering>(
      patterns.getContext());
}

} // namespace strata::lowering
