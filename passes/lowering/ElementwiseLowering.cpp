//===- ElementwiseLowering.cpp - Pointwise strata ops to linalg.generic ---===//
//
// Every elementwise op becomes one linalg.generic over its broadcast
// operands; the scalar body uses arith and math ops and follows the op's
// reference semantics (ir/reference/ElementwiseKernels.cpp), computed in the
// element type rather than in double.
// Integer forms cover signless integers; unsigned element types are not
// lowered yet. Integer mod by 0 is an evaluation error in the reference;
// compiled, it gives 0 (the divisor is replaced by 1 so that nothing traps,
// as is a divisor of -1, whose remainder is always 0 and whose division
// could overflow).
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"
#include "passes/lowering/Lowering.h"
#include "passes/lowering/PointwisePattern.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace strata::lowering {

Value floatConstant(OpBuilder &b, Location loc, Type t, double v) {
  return arith::ConstantOp::create(b, loc, t, b.getFloatAttr(t, v));
}

Value buildPointwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                     ValueRange operands, ScalarBody body) {
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
  return generic.getResult(0);
}

namespace {

Value shift(OpBuilder &b, Location l, Value x, Value y, bool left) {
  Type t = x.getType();
  unsigned width = t.getIntOrFloatBitWidth();
  auto constant = [&](int64_t v) -> Value {
    return arith::ConstantOp::create(b, l, t, b.getIntegerAttr(t, v));
  };
  Value outside = arith::CmpIOp::create(b, l, arith::CmpIPredicate::uge, y,
                                        constant(width));
  // Inside the range y is a valid shift amount; outside, use 0 (the
  // shift's result is then not used).
  Value amount = arith::SelectOp::create(b, l, outside, constant(0), y);
  Value shifted, fill;
  if (left) {
    shifted = arith::ShLIOp::create(b, l, x, amount);
    fill = constant(0);
  } else if (width == 1) {
    shifted = arith::ShRUIOp::create(b, l, x, amount);
    fill = constant(0);
  } else {
    shifted = arith::ShRSIOp::create(b, l, x, amount);
    fill = arith::ShRSIOp::create(b, l, x, constant(width - 1));
  }
  return arith::SelectOp::create(b, l, outside, fill, shifted);
}

} // namespace

void populateElementwiseLowering(RewritePatternSet &p) {
  using B = OpBuilder;
  using L = Location;
  using V = ValueRange;
  add<AddOp>(p, Elements::both, [](B &b, L l, V a, AddOp) {
    return floatOrInt<arith::AddFOp, arith::AddIOp>(b, l, a);
  });
  add<SubOp>(p, Elements::both, [](B &b, L l, V a, SubOp) {
    return floatOrInt<arith::SubFOp, arith::SubIOp>(b, l, a);
  });
  add<MulOp>(p, Elements::both, [](B &b, L l, V a, MulOp) {
    return floatOrInt<arith::MulFOp, arith::MulIOp>(b, l, a);
  });
  // Integer division by zero has no defined result in compiled code (the
  // reference evaluator reports it); floats follow IEEE.
  add<DivOp>(p, Elements::both, [](B &b, L l, V a, DivOp) {
    return floatOrInt<arith::DivFOp, arith::DivSIOp>(b, l, a);
  });
  // Booleans (i1) order false < true: unsigned (signed i1 reads 1 as -1).
  add<MaxOp>(p, Elements::both, [](B &b, L l, V a, MaxOp) -> Value {
    if (a[0].getType().isInteger(1))
      return arith::MaxUIOp::create(b, l, a[0], a[1]);
    return floatOrInt<arith::MaximumFOp, arith::MaxSIOp>(b, l, a);
  });
  add<MinOp>(p, Elements::both, [](B &b, L l, V a, MinOp) -> Value {
    if (a[0].getType().isInteger(1))
      return arith::MinUIOp::create(b, l, a[0], a[1]);
    return floatOrInt<arith::MinimumFOp, arith::MinSIOp>(b, l, a);
  });
  add<ModOp>(p, Elements::both, [](B &b, L l, V a, ModOp op) -> Value {
    Value x = a[0], y = a[1];
    Type t = x.getType();
    Value m, zero, yNegative, mNegative, nonZero;
    if (isa<FloatType>(t)) {
      m = arith::RemFOp::create(b, l, x, y); // C's fmod
      if (op.getFmod())
        return m;
      zero = floatConstant(b, l, t, 0.0);
      nonZero = arith::CmpFOp::create(b, l, arith::CmpFPredicate::UNE, m, zero);
      mNegative =
          arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, m, zero);
      yNegative =
          arith::CmpFOp::create(b, l, arith::CmpFPredicate::OLT, y, zero);
    } else {
      zero = arith::ConstantOp::create(b, l, t, b.getIntegerAttr(t, 0));
      Value one = arith::ConstantOp::create(b, l, t, b.getIntegerAttr(t, 1));
      Value minusOne =
          arith::ConstantOp::create(b, l, t, b.getIntegerAttr(t, -1));
      Value trivial = arith::OrIOp::create(
          b, l, arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, y, zero),
          arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, y, minusOne));
      Value safe = arith::SelectOp::create(b, l, trivial, one, y);
      m = arith::RemSIOp::create(b, l, x, safe); // truncating, C's %
      if (op.getFmod())
        return m;
      nonZero = arith::CmpIOp::create(b, l, arith::CmpIPredicate::ne, m, zero);
      mNegative =
          arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, m, zero);
      yNegative =
          arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, y, zero);
    }
    // The sign of the divisor: a non-zero remainder of the other sign moves
    // by y.
    Value fix = arith::AndIOp::create(
        b, l, nonZero, arith::XOrIOp::create(b, l, mNegative, yNegative));
    Value moved = isa<FloatType>(t) ? Value(arith::AddFOp::create(b, l, m, y))
                                    : Value(arith::AddIOp::create(b, l, m, y));
    return arith::SelectOp::create(b, l, fix, moved, m);
  });
  // Shifts by y outside [0, width) (unsigned compare: negative y is huge)
  // give the sign fill: 0, or -1 for a right shift of a negative value; i1
  // shifts as unsigned, as in the reference.
  add<ShiftLeftOp>(p, Elements::signlessIntegers,
                   [](B &b, L l, V a, ShiftLeftOp) -> Value {
                     return shift(b, l, a[0], a[1], /*left=*/true);
                   });
  add<ShiftRightOp>(p, Elements::signlessIntegers,
                    [](B &b, L l, V a, ShiftRightOp) -> Value {
                      return shift(b, l, a[0], a[1], /*left=*/false);
                    });
  add<PowOp>(p, Elements::floats, [](B &b, L l, V a, PowOp) -> Value {
    return math::PowFOp::create(b, l, a[0], a[1]);
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
  add<AndOp>(p, Elements::signlessIntegers, [](B &b, L l, V a, AndOp) -> Value {
    return arith::AndIOp::create(b, l, a[0], a[1]);
  });
  add<OrOp>(p, Elements::signlessIntegers, [](B &b, L l, V a, OrOp) -> Value {
    return arith::OrIOp::create(b, l, a[0], a[1]);
  });
  add<XorOp>(p, Elements::signlessIntegers, [](B &b, L l, V a, XorOp) -> Value {
    return arith::XOrIOp::create(b, l, a[0], a[1]);
  });
  add<NotOp>(p, Elements::signlessIntegers, [](B &b, L l, V a, NotOp) -> Value {
    Value ones = arith::ConstantOp::create(
        b, l, a[0].getType(), b.getIntegerAttr(a[0].getType(), -1));
    return arith::XOrIOp::create(b, l, a[0], ones);
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
  add<ClipOp>(p, Elements::floats, [](B &b, L l, V a, ClipOp op) -> Value {
    Value lo = floatConstant(b, l, a[0].getType(), attr(op.getMin()));
    Value hi = floatConstant(b, l, a[0].getType(), attr(op.getMax()));
    Value x = arith::MaximumFOp::create(b, l, a[0], lo);
    return arith::MinimumFOp::create(b, l, x, hi);
  });
  // The element type that matters is the values' (operand 1), not the
  // condition's.
  add<WhereOp>(
      p, Elements::both,
      [](B &b, L l, V a, WhereOp) -> Value {
        return arith::SelectOp::create(b, l, a[0], a[1], a[2]);
      },
      /*typedOperand=*/1);
}

} // namespace strata::lowering
