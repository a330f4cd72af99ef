//===- ElementwiseLowering.cpp - Pointwise strata ops to linalg.generic ---===//
//
// Every elementwise op becomes one linalg.generic over its broadcast
// operands; the scalar body uses arith and math ops and follows the op's
// reference semantics (ir/reference/ElementwiseKernels.cpp), computed in the
// element type rather than in double.
// Integer forms cover signless integers; unsigned element types are not
// lowered yet.
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
