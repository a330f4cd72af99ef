//===- MinifloatConversion.cpp - 8- and 4-bit floats as integer arithmetic ===//

#include "passes/lowering/MinifloatConversion.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinTypes.h"

#include "llvm/ADT/APFloat.h"

#include <cmath>

using namespace mlir;

namespace strata::lowering {

std::optional<MinifloatFormat> minifloatFormat(Type t) {
  if (!isa<Float8E4M3FNType, Float8E5M2Type, Float8E4M3FNUZType,
           Float8E5M2FNUZType, Float4E2M1FNType, Float8E8M0FNUType>(t))
    return std::nullopt;
  using llvm::APFloat;
  const llvm::fltSemantics &s = cast<FloatType>(t).getFloatSemantics();
  auto code = [](const APFloat &f) {
    return f.bitcastToAPInt().getZExtValue();
  };
  MinifloatFormat f;
  f.bits = APFloat::semanticsSizeInBits(s);
  f.mantissaBits = APFloat::semanticsPrecision(s) - 1;
  f.minNormalExponent = APFloat::semanticsHasZero(s) ? 1 : 0;
  // The smallest normal value is 2^minExponent.
  f.bias = f.minNormalExponent - APFloat::semanticsMinExponent(s);
  f.hasSign = APFloat::semanticsHasSignedRepr(s);
  f.largestCode = code(APFloat::getLargest(s));
  if (APFloat::semanticsHasInf(s))
    f.infCode = code(APFloat::getInf(s));
  if (APFloat::semanticsHasNaN(s))
    f.nanCode = code(APFloat::getNaN(s));
  f.hasNegativeZero = f.hasSign && f.nanCode != (uint64_t(1) << (f.bits - 1));
  return f;
}

namespace {

/// Integer arithmetic on values of one integer type, spelled briefly.
struct Bits {
  OpBuilder &b;
  Location loc;
  Type type;

  Value c(uint64_t v) {
    return arith::ConstantOp::create(
        b, loc, type,
        b.getIntegerAttr(type, llvm::APInt(type.getIntOrFloatBitWidth(), v)));
  }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, loc, x, y); }
  Value andI(Value x, Value y) { return arith::AndIOp::create(b, loc, x, y); }
  Value orI(Value x, Value y) { return arith::OrIOp::create(b, loc, x, y); }
  Value shl(Value x, Value y) { return arith::ShLIOp::create(b, loc, x, y); }
  Value shr(Value x, Value y) { return arith::ShRUIOp::create(b, loc, x, y); }
  Value cmp(arith::CmpIPredicate p, Value x, Value y) {
    return arith::CmpIOp::create(b, loc, p, x, y);
  }
  Value eq(Value x, Value y) { return cmp(arith::CmpIPredicate::eq, x, y); }
  Value ugt(Value x, Value y) { return cmp(arith::CmpIPredicate::ugt, x, y); }
  Value select(Value c, Value x, Value y) {
    return arith::SelectOp::create(b, loc, c, x, y);
  }
};

/// The encoding's sign bit set on magnitude `mag` when `sign` (0 or 1) is,
/// except on a zero of a format without negative zero.
Value withSign(Bits &i, const MinifloatFormat &f, Value mag, Value sign) {
  if (!f.hasSign)
    return mag;
  Value signed_ = i.orI(mag, i.shl(sign, i.c(f.bits - 1)));
  if (f.hasNegativeZero)
    return signed_;
  return i.select(i.eq(mag, i.c(0)), mag, signed_);
}

} // namespace

Value decodeMinifloat(OpBuilder &b, Location loc, Value x) {
  MinifloatFormat f = *minifloatFormat(x.getType());
  Type i64 = b.getI64Type(), f64 = b.getF64Type();
  Bits i{b, loc, i64};
  Value code = arith::ExtUIOp::create(
      b, loc, i64,
      arith::BitcastOp::create(b, loc, b.getIntegerType(f.bits), x));
  unsigned m = f.mantissaBits;
  Value mag =
      f.hasSign ? i.andI(code, i.c((uint64_t(1) << (f.bits - 1)) - 1)) : code;
  Value exponent = i.shr(mag, i.c(m));
  Value mantissa = i.andI(mag, i.c((uint64_t(1) << m) - 1));
  // A normal code: the f64 with the exponent rebiased and the mantissa at
  // the top of f64's 52 bits.
  Value bits = i.orI(i.shl(i.add(exponent, i.c(1023 - f.bias)), i.c(52)),
                     i.shl(mantissa, i.c(52 - m)));
  if (f.minNormalExponent == 1) {
    // A subnormal code: M * 2^(1 - bias - m), exact in f64.
    Value sub = arith::MulFOp::create(
        b, loc, arith::UIToFPOp::create(b, loc, f64, mantissa),
        arith::ConstantOp::create(
            b, loc, f64,
            b.getF64FloatAttr(std::ldexp(1.0, 1 - f.bias - int64_t(m)))));
    bits = i.select(i.eq(exponent, i.c(0)),
                    arith::BitcastOp::create(b, loc, i64, sub), bits);
  }
  if (f.infCode)
    bits =
        i.select(i.eq(mag, i.c(*f.infCode)), i.c(0x7ff0000000000000ull), bits);
  if (f.hasSign)
    bits = i.orI(bits, i.shl(i.shr(code, i.c(f.bits - 1)), i.c(63)));
  // NaN: a magnitude above the largest finite one that is not the infinity,
  // or (FNUZ) the negative zero's code.
  Value nan = i.ugt(mag, i.c(f.largestCode));
  if (f.infCode)
    nan = arith::AndIOp::create(
        b, loc, nan, i.cmp(arith::CmpIPredicate::ne, mag, i.c(*f.infCode)));
  if (f.hasSign && !f.hasNegativeZero)
    nan = arith::OrIOp::create(b, loc, nan,
                               i.eq(code, i.c(uint64_t(1) << (f.bits - 1))));
  bits = i.select(nan, i.c(0x7ff8000000000000ull), bits);
  return arith::BitcastOp::create(b, loc, f64, bits);
}

Value encodeMinifloat(OpBuilder &b, Location loc, Value x, Type to,
                      bool saturate) {
  MinifloatFormat f = *minifloatFormat(to);
  auto from = cast<FloatType>(x.getType());
  const llvm::fltSemantics &s = from.getFloatSemantics();
  unsigned w = from.getWidth();
  uint64_t ms = llvm::APFloat::semanticsPrecision(s) - 1;
  uint64_t bs = 1 - llvm::APFloat::semanticsMinExponent(s);
  uint64_t m = f.mantissaBits, rebias = bs - f.bias;
  Type iw = b.getIntegerType(w);
  Bits i{b, loc, iw};
  Value bits = arith::BitcastOp::create(b, loc, iw, x);
  Value sign = i.shr(bits, i.c(w - 1));
  Value abs = i.andI(bits, i.c((uint64_t(1) << (w - 1)) - 1));
  Value exponent = i.shr(abs, i.c(ms));
  // A normal result (x >= 2^(1 - bias)): x's bits with the exponent
  // rebiased, shifted right by the mantissa bits dropped, rounded below.
  Value normal = i.cmp(arith::CmpIPredicate::uge, exponent, i.c(rebias + 1));
  Value normalBits = i.sub(abs, i.c(rebias << ms));
  // A subnormal one: the significand (with its leading 1) shifted right
  // further, by one more per binade below; by at most ms + 2, which leaves
  // less than half of the smallest subnormal (the result is 0).
  Value significand =
      i.orI(i.andI(abs, i.c((uint64_t(1) << ms) - 1)), i.c(uint64_t(1) << ms));
  Value subShift = arith::MinUIOp::create(
      b, loc, i.sub(i.c(ms - m + 1 + rebias), exponent), i.c(ms + 2));
  Value v = i.select(normal, normalBits, significand);
  Value shift = i.select(normal, i.c(ms - m), subShift);
  // Round to nearest, ties to even: add half an output unit less one, plus
  // the unit's low bit, then drop the bits. A carry out of the mantissa
  // steps the exponent (to infinity or past the largest code too).
  Value half = i.shl(i.c(1), i.sub(shift, i.c(1)));
  Value odd = i.andI(i.shr(v, shift), i.c(1));
  Value mag = i.shr(i.add(v, i.add(i.sub(half, i.c(1)), odd)), shift);
  // Beyond the largest finite value (infinities included).
  uint64_t overflow = saturate || (!f.infCode && !f.nanCode) ? f.largestCode
                      : f.infCode                            ? *f.infCode
                                                             : *f.nanCode;
  mag = i.select(i.ugt(mag, i.c(f.largestCode)), i.c(overflow), mag);
  Value code = withSign(i, f, mag, sign);
  Value isNan = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, x, x);
  code = i.select(
      isNan, i.c(f.nanCode ? *f.nanCode : uint64_t(1) << (f.bits - 1)), code);
  Value narrow =
      arith::TruncIOp::create(b, loc, b.getIntegerType(f.bits), code);
  return arith::BitcastOp::create(b, loc, to, narrow);
}

Value encodeE8M0(OpBuilder &b, Location loc, Value x, bool saturate,
                 llvm::StringRef roundMode) {
  Type i64 = b.getI64Type();
  Bits i{b, loc, i64};
  Value abs = i.andI(arith::BitcastOp::create(b, loc, i64, x),
                     i.c(0x7fffffffffffffffull));
  // 2^below <= |x| < 2^(below + 1) for normal x; zero (and subnormals, all
  // far below 2^-127) give -1023, infinities (and NaN) 1024.
  Value below = i.sub(i.shr(abs, i.c(52)), i.c(1023));
  Value mantissa = i.andI(abs, i.c((uint64_t(1) << 52) - 1));
  Value k = below;
  if (roundMode != "down") {
    // up: unless |x| is a power of two; nearest: from 1.5 * 2^below on.
    Value next =
        roundMode == "nearest"
            ? i.cmp(arith::CmpIPredicate::uge, mantissa, i.c(uint64_t(1) << 51))
            : i.cmp(arith::CmpIPredicate::ne, mantissa, i.c(0));
    k = i.add(k, arith::ExtUIOp::create(b, loc, i64, next));
  }
  Value code = i.add(k, i.c(127));
  Value over = i.cmp(arith::CmpIPredicate::sgt, k, i.c(127));
  Value under = i.cmp(arith::CmpIPredicate::slt, k, i.c(uint64_t(-127)));
  if (saturate) {
    code = i.select(over, i.c(254), code);
    code = i.select(under, i.c(0), code);
  } else {
    code = i.select(arith::OrIOp::create(b, loc, over, under), i.c(255), code);
  }
  Value isNan = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, x, x);
  code = i.select(isNan, i.c(255), code);
  Value narrow = arith::TruncIOp::create(b, loc, b.getI8Type(), code);
  return arith::BitcastOp::create(
      b, loc, Float8E8M0FNUType::get(b.getContext()), narrow);
}

} // namespace strata::lowering
