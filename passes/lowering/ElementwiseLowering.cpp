//===- ElementwiseLowering.cpp - Pointwise strata ops to linalg.generic ---===//
//
// Every elementwise op becomes one linalg.generic over its broadcast
// operands; the scalar body uses arith and math ops and follows the op's
// reference semantics (ir/reference/ElementwiseKernels.cpp), computed in the
// element type rather than in double (f16 / bf16: in f32, rounded once; see
// PointwisePattern.h).
// Integer forms cover signless and unsigned integers (the body picks the
// unsigned arith ops: divui, remui, cmpi ult, maxui, shrui). Integer mod by
// 0 is an evaluation error in the reference; compiled, it gives 0 (the
// divisor is replaced by 1 so that nothing traps, as is a signed divisor of
// -1, whose remainder is always 0 and whose division could overflow).
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"
#include "passes/lowering/Lowering.h"
#include "passes/lowering/PointwisePattern.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include "llvm/ADT/APSInt.h"

#include <cmath>

using namespace mlir;

namespace strata::lowering {

Value floatConstant(OpBuilder &b, Location loc, Type t, double v) {
  return arith::ConstantOp::create(b, loc, t, b.getFloatAttr(t, v));
}

Type signlessType(Type t) {
  if (auto shaped = dyn_cast<ShapedType>(t))
    return shaped.clone(signlessType(shaped.getElementType()));
  if (auto it = dyn_cast<IntegerType>(t); it && it.isUnsigned())
    return IntegerType::get(t.getContext(), it.getWidth());
  return t;
}

Value toSignless(OpBuilder &b, Location loc, Value x) {
  Type t = signlessType(x.getType());
  if (t == x.getType())
    return x;
  return tensor::BitcastOp::create(b, loc, t, x);
}

Value fromSignless(OpBuilder &b, Location loc, Value x, Type original) {
  if (x.getType() == original)
    return x;
  return tensor::BitcastOp::create(b, loc, original, x);
}

bool isHalfFloat(Type t) {
  Type e = getElementTypeOrSelf(t);
  return e.isF16() || e.isBF16();
}

Value widenHalf(OpBuilder &b, Location loc, Value x) {
  if (!x || !isHalfFloat(x.getType()))
    return x;
  auto type = cast<RankedTensorType>(x.getType());
  return buildPointwise(b, loc, type.clone(b.getF32Type()), x,
                        [](OpBuilder &nb, Location l, ValueRange a) -> Value {
                          return arith::ExtFOp::create(nb, l, nb.getF32Type(),
                                                       a[0]);
                        });
}

Value narrowTo(OpBuilder &b, Location loc, Value x, RankedTensorType type) {
  if (x.getType() == type)
    return x;
  return buildPointwise(
      b, loc, type, x, [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
        return arith::TruncFOp::create(nb, l, type.getElementType(), a[0]);
      });
}

Value buildPointwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                     ValueRange operands, ScalarBody body) {
  RankedTensorType originalType = resultType;
  resultType = cast<RankedTensorType>(signlessType(resultType));
  SmallVector<Value> signless;
  for (Value v : operands)
    signless.push_back(toSignless(b, loc, v));
  operands = signless;
  int64_t rank = resultType.getRank();
  SmallVector<AffineMap> maps;
  for (Value v : operands) {
    auto t = cast<RankedTensorType>(v.getType());
    SmallVector<AffineExpr> exprs;
    for (int64_t i = 0; i < t.getRank(); ++i) {
      int64_t d = rank - t.getRank() + i;
      if (t.getDimSize(i) == 1 && resultType.getDimSize(d) != 1)
        exprs.push_back(b.getAffineConstantExpr(0));
      else
        exprs.push_back(b.getAffineDimExpr(d));
    }
    maps.push_back(AffineMap::get(rank, 0, exprs, b.getContext()));
  }
  maps.push_back(b.getMultiDimIdentityMap(rank));
  Value init = tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                       resultType.getElementType());
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, operands, ValueRange{init}, maps,
      iterators, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value r = body(nb, nloc, args.drop_back());
        linalg::YieldOp::create(nb, nloc, r);
      });
  return fromSignless(b, loc, generic.getResult(0), originalType);
}

void populateElementwiseLowering(RewritePatternSet &p) {
  using B = OpBuilder;
  using L = Location;
  using V = ValueRange;
  add<AddOp>(p, Elements::all, [](B &b, L l, V a, AddOp) {
    return floatOrInt<arith::AddFOp, arith::AddIOp>(b, l, a);
  });
  add<SubOp>(p, Elements::all, [](B &b, L l, V a, SubOp) {
    return floatOrInt<arith::SubFOp, arith::SubIOp>(b, l, a);
  });
  add<MulOp>(p, Elements::all, [](B &b, L l, V a, MulOp) {
    return floatOrInt<arith::MulFOp, arith::MulIOp>(b, l, a);
  });
  // Integer division by zero has no defined result in compiled code (the
  // reference evaluator reports it); floats follow IEEE.
  add<DivOp>(p, Elements::all, [](B &b, L l, V a, DivOp op) {
    return bySignedness<arith::DivFOp, arith::DivSIOp, arith::DivUIOp>(
        b, l, a, unsignedElements(op));
  });
  // The remainder takes the divisor's sign (fmod: the dividend's, as C's
  // fmod and remsi / remui do).
  add<ModOp>(p, Elements::all, [](B &b, L l, V a, ModOp op) -> Value {
    SmallVector<Value, 2> operands(a);
    if (!isa<FloatType>(a[1].getType())) {
      Type t = a[1].getType();
      auto c = [&](int64_t v) -> Value {
        return arith::ConstantOp::create(b, l, t, b.getIntegerAttr(t, v));
      };
      Value trivial =
          arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, a[1], c(0));
      if (!unsignedElements(op))
        trivial = arith::OrIOp::create(
            b, l, trivial,
            arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, a[1], c(-1)));
      operands[1] = arith::SelectOp::create(b, l, trivial, c(1), a[1]);
    }
    Value r = bySignedness<arith::RemFOp, arith::RemSIOp, arith::RemUIOp>(
        b, l, operands, unsignedElements(op));
    if (op.getFmod() || unsignedElements(op))
      return r;
    Value zero, rNeg, yNeg, nonZero;
    if (isa<FloatType>(r.getType())) {
      zero = zeroLike(b, l, r);
      nonZero = arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNE, r, zero);
      rNeg = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, r, zero);
      yNeg = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, a[1], zero);
    } else {
      zero = arith::ConstantOp::create(b, l, r.getType(),
                                       b.getIntegerAttr(r.getType(), 0));
      nonZero = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ne, r, zero);
      rNeg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, r, zero);
      yNeg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, a[1], zero);
    }
    Value differ = arith::XOrIOp::create(b, l, rNeg, yNeg);
    Value fix = arith::AndIOp::create(b, l, nonZero, differ);
    Value shifted =
        floatOrInt<arith::AddFOp, arith::AddIOp>(b, l, ValueRange{r, a[1]});
    return arith::SelectOp::create(b, l, fix, shifted, r);
  });
  // Booleans (i1) order false < true: unsigned (signed i1 reads 1 as -1).
  add<MaxOp>(p, Elements::all, [](B &b, L l, V a, MaxOp op) -> Value {
    return bySignedness<arith::MaximumFOp, arith::MaxSIOp, arith::MaxUIOp>(
        b, l, a, unsignedElements(op) || a[0].getType().isInteger(1));
  });
  add<MinOp>(p, Elements::all, [](B &b, L l, V a, MinOp op) -> Value {
    return bySignedness<arith::MinimumFOp, arith::MinSIOp, arith::MinUIOp>(
        b, l, a, unsignedElements(op) || a[0].getType().isInteger(1));
  });
  // Integers: repeated squaring wraps like the evaluator's repeated
  // multiplication. A negative exponent gives 1 for base 1, +-1 for base -1
  // and 0 otherwise (math.ipowi only sees exponents >= 0).
  add<PowOp>(p, Elements::both, [](B &b, L l, V a, PowOp) -> Value {
    Value x = a[0], y = a[1];
    Type t = x.getType();
    if (isa<FloatType>(t))
      return math::PowFOp::create(b, l, x, y);
    if (isa<FloatType>(y.getType()))
      y = arith::FPToSIOp::create(b, l, t, y);
    else if (y.getType().getIntOrFloatBitWidth() > t.getIntOrFloatBitWidth())
      y = arith::TruncIOp::create(b, l, t, y);
    else if (y.getType() != t)
      y = arith::ExtSIOp::create(b, l, t, y);
    auto c = [&](int64_t v) -> Value {
      return arith::ConstantOp::create(b, l, t, b.getIntegerAttr(t, v));
    };
    auto eq = [&](Value u, Value v) -> Value {
      return arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, u, v);
    };
    Value negative =
        arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, y, c(0));
    Value power = math::IPowIOp::create(
        b, l, x, arith::SelectOp::create(b, l, negative, c(0), y));
    Value odd = eq(arith::AndIOp::create(b, l, y, c(1)), c(1));
    Value minusOne = arith::SelectOp::create(b, l, odd, c(-1), c(1));
    Value reciprocal = arith::SelectOp::create(
        b, l, eq(x, c(1)), c(1),
        arith::SelectOp::create(b, l, eq(x, c(-1)), minusOne, c(0)));
    return arith::SelectOp::create(b, l, negative, reciprocal, power);
  });
  addCompare<EqualOp>(p, arith::CmpFPredicate::OEQ, arith::CmpIPredicate::eq);
  addCompare<NotEqualOp>(p, arith::CmpFPredicate::UNE,
                         arith::CmpIPredicate::ne);
  addCompare<LessOp>(p, arith::CmpFPredicate::OLT, arith::CmpIPredicate::slt);
  addCompare<LessEqualOp>(p, arith::CmpFPredicate::OLE,
                          arith::CmpIPredicate::sle);
  addCompare<GreaterOp>(p, arith::CmpFPredicate::OGT,
                        arith::CmpIPredicate::sgt);
  addCompare<GreaterEqualOp>(p, arith::CmpFPredicate::OGE,
                             arith::CmpIPredicate::sge);
  add<AndOp>(p, Elements::integers, [](B &b, L l, V a, AndOp) -> Value {
    return arith::AndIOp::create(b, l, a[0], a[1]);
  });
  add<OrOp>(p, Elements::integers, [](B &b, L l, V a, OrOp) -> Value {
    return arith::OrIOp::create(b, l, a[0], a[1]);
  });
  add<XorOp>(p, Elements::integers, [](B &b, L l, V a, XorOp) -> Value {
    return arith::XOrIOp::create(b, l, a[0], a[1]);
  });
  add<NotOp>(p, Elements::integers, [](B &b, L l, V a, NotOp) -> Value {
    Value ones = arith::ConstantOp::create(
        b, l, a[0].getType(), b.getIntegerAttr(a[0].getType(), -1));
    return arith::XOrIOp::create(b, l, a[0], ones);
  });
  // A shift by y outside [0, width) gives the sign fill: 0, or -1 for an
  // arithmetic right shift of a negative x (y compared unsigned, so negative
  // y is out of range too).
  auto shift = [](B &b, L l, V a, bool left, bool isUnsigned) -> Value {
    Type t = a[0].getType();
    Value x = a[0], y = a[1];
    auto c = [&](int64_t v) -> Value {
      return arith::ConstantOp::create(b, l, t, b.getIntegerAttr(t, v));
    };
    Value inRange = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult, y,
                                          c(t.getIntOrFloatBitWidth()));
    // The shift amount is kept in range: LLVM's shifts are poison beyond it.
    Value safe = arith::SelectOp::create(b, l, inRange, y, c(0));
    Value shifted, fill = c(0);
    if (left) {
      shifted = arith::ShLIOp::create(b, l, x, safe);
    } else if (isUnsigned || t.isInteger(1)) {
      shifted = arith::ShRUIOp::create(b, l, x, safe);
    } else {
      shifted = arith::ShRSIOp::create(b, l, x, safe);
      Value negative =
          arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, x, c(0));
      fill = arith::SelectOp::create(b, l, negative, c(-1), c(0));
    }
    return arith::SelectOp::create(b, l, inRange, shifted, fill);
  };
  add<ShiftLeftOp>(p, Elements::integers,
                   [shift](B &b, L l, V a, ShiftLeftOp op) -> Value {
                     return shift(b, l, a, true, unsignedElements(op));
                   });
  add<ShiftRightOp>(p, Elements::integers,
                    [shift](B &b, L l, V a, ShiftRightOp op) -> Value {
                      return shift(b, l, a, false, unsignedElements(op));
                    });
  add<NegOp>(p, Elements::both, [](B &b, L l, V a, NegOp) -> Value {
    if (isa<FloatType>(a[0].getType()))
      return arith::NegFOp::create(b, l, a[0]);
    Value zero = arith::ConstantOp::create(b, l, a[0].getType(),
                                           b.getIntegerAttr(a[0].getType(), 0));
    return arith::SubIOp::create(b, l, zero, a[0]);
  });
  add<AbsOp>(p, Elements::both, [](B &b, L l, V a, AbsOp) -> Value {
    if (isa<FloatType>(a[0].getType()))
      return math::AbsFOp::create(b, l, a[0]);
    return math::AbsIOp::create(b, l, a[0]);
  });
  // sign: 1, -1, 0 (NaN stays NaN).
  add<SignOp>(p, Elements::floats, [](B &b, L l, V a, SignOp) -> Value {
    Value x = a[0], zero = zeroLike(b, l, x);
    Value one = floatConstant(b, l, x.getType(), 1.0);
    Value minusOne = floatConstant(b, l, x.getType(), -1.0);
    Value pos = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT, x, zero);
    Value neg = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, x, zero);
    Value isNaN = arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, x, x);
    Value r = arith::SelectOp::create(
        b, l, pos, one, arith::SelectOp::create(b, l, neg, minusOne, zero));
    return arith::SelectOp::create(b, l, isNaN, x, r);
  });
  addMath<ExpOp, math::ExpOp>(p);
  addMath<LogOp, math::LogOp>(p);
  addMath<SqrtOp, math::SqrtOp>(p);
  addMath<RsqrtOp, math::RsqrtOp>(p);
  addMath<FloorOp, math::FloorOp>(p);
  addMath<CeilOp, math::CeilOp>(p);
  addMath<RoundOp, math::RoundEvenOp>(p);
  addMath<ErfOp, math::ErfOp>(p);
  addMath<SinOp, math::SinOp>(p);
  addMath<CosOp, math::CosOp>(p);
  addMath<AsinOp, math::AsinOp>(p);
  addMath<AcosOp, math::AcosOp>(p);
  addMath<AtanOp, math::AtanOp>(p);
  addMath<TanhOp, math::TanhOp>(p);
  add<ReciprocalOp>(p, Elements::floats,
                    [](B &b, L l, V a, ReciprocalOp) -> Value {
                      Value one = floatConstant(b, l, a[0].getType(), 1.0);
                      return arith::DivFOp::create(b, l, one, a[0]);
                    });
  add<IsNaNOp>(p, Elements::floats, [](B &b, L l, V a, IsNaNOp) -> Value {
    return arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNO, a[0], a[0]);
  });
  add<ClipOp>(p, Elements::all, [](B &b, L l, V a, ClipOp op) -> Value {
    Type t = a[0].getType();
    if (isa<FloatType>(t)) {
      Value lo = floatConstant(b, l, t, attr(op.getMin()));
      Value hi = floatConstant(b, l, t, attr(op.getMax()));
      Value x = arith::MaximumFOp::create(b, l, a[0], lo);
      return arith::MinimumFOp::create(b, l, x, hi);
    }
    // Integers: the evaluator clamps in double and stores the result
    // truncated toward zero, so a clamped element becomes trunc(min) or
    // trunc(max) (wrapped), and the comparisons with the bounds are exact
    // against ceil(min) / floor(max) when those lie in the type's range.
    bool isUnsigned = unsignedElements(op);
    unsigned width = t.getIntOrFloatBitWidth();
    double lo = attr(op.getMin()), hi = attr(op.getMax());
    double tmin = isUnsigned ? 0 : -std::ldexp(1.0, width - 1);
    double tmax = std::ldexp(1.0, isUnsigned ? width : width - 1) - 1;
    auto c = [&](double v) -> Value {
      // Truncated toward zero to int64 (saturating), then wrapped.
      llvm::APSInt i(64, /*isUnsigned=*/false);
      bool exact;
      llvm::APFloat(v).convertToInteger(i, llvm::APFloat::rmTowardZero, &exact);
      return arith::ConstantOp::create(
          b, l, t, b.getIntegerAttr(t, llvm::APInt(i).sextOrTrunc(width)));
    };
    auto cond = [&](bool v) -> Value {
      return arith::ConstantOp::create(b, l, b.getBoolAttr(v));
    };
    auto cmp = [&](arith::CmpIPredicate p, Value x, Value y) -> Value {
      return arith::CmpIOp::create(b, l, isUnsigned ? unsignedPredicate(p) : p,
                                   x, y);
    };
    Value x = a[0];
    Value above = lo > hi      ? cond(true)
                  : hi >= tmax ? cond(false)
                  : hi < tmin
                      ? cond(true)
                      : cmp(arith::CmpIPredicate::sgt, x, c(std::floor(hi)));
    Value below = lo <= tmin ? cond(false)
                  : lo > tmax
                      ? cond(true)
                      : cmp(arith::CmpIPredicate::slt, x, c(std::ceil(lo)));
    Value r = arith::SelectOp::create(b, l, below, c(lo), x);
    return arith::SelectOp::create(b, l, above, c(hi), r);
  });
  // The element type that matters is the values' (operand 1), not the
  // condition's.
  add<WhereOp>(
      p, Elements::all,
      [](B &b, L l, V a, WhereOp) -> Value {
        return arith::SelectOp::create(b, l, a[0], a[1], a[2]);
      },
      /*typedOperand=*/1);
}

} // namespace strata::lowering
