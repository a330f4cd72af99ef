//===- MinifloatConversion.h - 8- and 4-bit floats as integer arithmetic --===//
//
// The small float types the evaluator has (f8E4M3FN, f8E5M2, f8E4M3FNUZ,
// f8E5M2FNUZ, f4E2M1FN, f8E8M0FNU) have no CPU instructions and no LLVM
// conversions: compiled code holds a value as its encoding (LLVM lowers the
// types to i8 / i4, one byte per element in memory), and strata.cast decodes
// and encodes them with integer arithmetic on the bits, built here from a
// description of the format (exponent and mantissa widths, bias, which codes
// are infinities, NaN and negative zero). The results are those of the
// reference evaluator (ir/reference/Tensor.cpp: APFloat's round to nearest
// even, ONNX's saturate, E8M0's rounding modes).
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_PASSES_LOWERING_MINIFLOATCONVERSION_H
#define STRATA_PASSES_LOWERING_MINIFLOATCONVERSION_H

#include "mlir/IR/Builders.h"

#include <cstdint>
#include <optional>

namespace strata::lowering {

/// An 8- or 4-bit float format. A code's magnitude (the code without its
/// sign bit) has an exponent field E and a mantissa field M; with E >=
/// minNormalExponent it stands for 2^(E - bias) * (1 + M / 2^mantissaBits),
/// else (E = 0, a subnormal) for 2^(1 - bias) * M / 2^mantissaBits.
/// Magnitudes above largestCode are the infinity (infCode) or NaN.
struct MinifloatFormat {
  unsigned bits;
  unsigned mantissaBits;
  int64_t bias;
  /// 1, or 0 for a format without zero (f8E8M0FNU: E = 0 is 2^-127).
  unsigned minNormalExponent;
  bool hasSign;
  /// The FNUZ formats spend the negative zero's code on NaN.
  bool hasNegativeZero;
  uint64_t largestCode;
  std::optional<uint64_t> infCode; // a magnitude (f8E5M2)
  std::optional<uint64_t> nanCode; // the positive NaN's code
};

/// The format of one of the six small float types; std::nullopt for any
/// other type. Read from APFloat's description of the type.
std::optional<MinifloatFormat> minifloatFormat(mlir::Type t);
inline bool isMinifloat(mlir::Type t) { return minifloatFormat(t).has_value(); }

/// A small float as the f64 of its value (exact: every value of these
/// formats is one of f64, and of f32 too).
mlir::Value decodeMinifloat(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Value x);

/// An f32 or f64 value rounded to the small float type `to` (not
/// f8E8M0FNU), to nearest, ties to even. Beyond the largest finite value it
/// becomes the infinity of its sign where the type has one, else NaN; with
/// `saturate`, and always for f4E2M1FN (no infinity, no NaN), the largest
/// finite value of its sign. NaN becomes NaN, for f4E2M1FN -0.
mlir::Value encodeMinifloat(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Value x, mlir::Type to, bool saturate);

/// An f64 value as f8E8M0FNU: |x| to a power of two by `roundMode` (`up`,
/// `down`, or `nearest` in linear distance with ties up); NaN, and without
/// `saturate` zero, infinities and exponents beyond -127..127, become NaN;
/// with `saturate` the nearest bound.
mlir::Value encodeE8M0(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                       bool saturate, llvm::StringRef roundMode);

} // namespace strata::lowering

#endif // STRATA_PASSES_LOWERING_MINIFLOATCONVERSION_H
