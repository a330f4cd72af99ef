//===- Tensor.h - Host tensors of the reference evaluator -----------------===//
//
// A plain row-major host tensor. Floating values are held as double and
// rounded to the element type on every store (so an f32 tensor only ever holds
// f32 values); integer and bool values are held as int64 and wrapped to the
// element type's width on every store. Simple on purpose: this is the oracle.
//
// The per-element accessors are inline (the float path is a load, or a store
// after roundValue), and hot kernels may loop over floatData() directly.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_IR_REFERENCE_TENSOR_H
#define STRATA_IR_REFERENCE_TENSOR_H

#include "mlir/IR/Types.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace llvm {
struct fltSemantics;
} // namespace llvm

namespace strata::reference {

enum class DType {
  f16,
  bf16,
  f32,
  f64,
  i1,
  i8,
  i16,
  i32,
  i64,
  u8,
  u16,
  u32,
  u64,
  // Small types: 8- and 4-bit floats (no infinities except f8E5M2; the FNUZ
  // ones have no negative zero, f4E2M1FN has no NaN either) and 2- and 4-bit
  // integers.
  f8e4m3fn,
  f8e4m3fnuz,
  f8e5m2,
  f8e5m2fnuz,
  f4e2m1fn,
  f8e8m0fnu, // powers of two 2^-127..2^127 and NaN: no zero, no sign
  i2,
  i4,
  u2,
  u4
};

bool isFloatDType(DType t);
bool isUnsignedDType(DType t);
unsigned bitWidth(DType t);
const char *dtypeName(DType t);
/// The dtype of an MLIR element type; std::nullopt if the evaluator has none.
std::optional<DType> dtypeOf(mlir::Type elementType);
mlir::Type toMlirType(DType t, mlir::MLIRContext *ctx);

/// Rounds a double to the nearest value of a floating dtype (ties to even;
/// f8E8M0FNU rounds up without saturating, see roundToE8M0).
/// Out of range values become infinity where the type has one, else NaN, except
/// for f4E2M1FN (no NaN either), which saturates to its largest finite value
/// and maps NaN to -0 (ONNX leaves that case open; onnx.reference does this).
double roundToDType(DType t, double v);
/// roundToDType with the common cases inline: f64 is unchanged, f32 goes
/// through float (what roundToDType does for them).
inline double roundToDTypeInline(DType t, double v) {
  if (t == DType::f32)
    return static_cast<double>(static_cast<float>(v));
  if (t == DType::f64)
    return v;
  return roundToDType(t, v);
}
/// The APFloat semantics of a floating dtype.
const llvm::fltSemantics &floatSemantics(DType t);
/// How a value becomes a power of two of f8E8M0FNU: the next one up, the
/// one below, or the nearer in linear distance (ties up).
enum class E8M0Rounding { up, down, nearest };
/// A double as f8E8M0FNU: NaN stays NaN; |v| is rounded (the sign is
/// dropped, ONNX leaves negative values unspecified); zero, infinities and
/// exponents beyond -127..127 become NaN, or with `saturate` the nearest
/// bound (zero and underflow 2^-127, infinity and overflow 2^127).
double roundToE8M0(double v, bool saturate, E8M0Rounding mode);
/// The largest finite value of a floating dtype.
double largestFinite(DType t);
/// Rounds like roundToDType, but a value beyond the largest finite one
/// (infinities included) becomes the largest finite value of its sign: ONNX
/// Cast with `saturate` to a float8 type. NaN stays NaN.
double roundToDTypeSaturating(DType t, double v);
/// Wraps an integer to the width (and signedness) of an integer dtype; i1 is
/// `v != 0`.
int64_t wrapToDType(DType t, int64_t v);

class Tensor {
public:
  Tensor() = default;
  /// A zero-filled tensor.
  Tensor(DType dtype, std::vector<int64_t> shape);

  /// `values` are rounded (floats) or truncated toward zero and wrapped
  /// (integers) to `dtype`.
  static Tensor fromDoubles(DType dtype, std::vector<int64_t> shape,
                            llvm::ArrayRef<double> values);
  static Tensor fromInts(DType dtype, std::vector<int64_t> shape,
                         llvm::ArrayRef<int64_t> values);
  static Tensor scalar(DType dtype, double value);

  DType dtype() const { return dtype_; }
  bool isFloat() const { return isFloat_; }
  const std::vector<int64_t> &shape() const { return shape_; }
  int64_t rank() const { return static_cast<int64_t>(shape_.size()); }
  int64_t dim(int64_t i) const { return shape_[i]; }
  int64_t numElements() const;
  std::vector<int64_t> strides() const;
  /// Row-major linear offset of a multi-index.
  int64_t offset(llvm::ArrayRef<int64_t> index) const;

  /// Element `i` (linear) as a double; unsigned 64-bit values are read as
  /// unsigned.
  double get(int64_t i) const {
    if (isFloat_)
      return floats_[i];
    if (dtype_ == DType::u64)
      return static_cast<double>(static_cast<uint64_t>(ints_[i]));
    return static_cast<double>(ints_[i]);
  }
  /// Element `i` as an integer (floats truncate toward zero).
  int64_t getInt(int64_t i) const {
    return isFloat_ ? truncateToInt(floats_[i]) : ints_[i];
  }
  void set(int64_t i, double v) {
    if (isFloat_)
      floats_[i] = roundValue(v);
    else
      setIntFromDouble(i, v);
  }
  void setInt(int64_t i, int64_t v) {
    if (isFloat_)
      floats_[i] = roundValue(static_cast<double>(v));
    else
      ints_[i] = wrapToDType(dtype_, v);
  }

  /// A double rounded to this (floating) tensor's dtype, as set() stores it.
  double roundValue(double v) const { return roundToDTypeInline(dtype_, v); }
  /// The elements of a floating tensor, row-major. A kernel that writes
  /// through mutableFloatData() stores only values of the dtype:
  /// roundValue(...) results, or elements of a tensor of the same dtype.
  const double *floatData() const { return floats_.data(); }
  double *mutableFloatData() { return floats_.data(); }
  /// The elements of an integer or bool tensor, already wrapped.
  const int64_t *intData() const { return ints_.data(); }

  double at(llvm::ArrayRef<int64_t> index) const { return get(offset(index)); }

  /// The same elements under another shape of equal element count.
  Tensor reshaped(std::vector<int64_t> shape) const;
  /// All elements converted to `dtype` (see strata.cast); `saturate` clamps
  /// out-of-range values to a float target's largest finite value;
  /// `e8m0Rounding` is the rounding to an f8E8M0FNU target.
  Tensor castTo(DType dtype, bool saturate = false,
                E8M0Rounding e8m0Rounding = E8M0Rounding::up) const;

  std::vector<double> toDoubles() const;
  std::string toString(int64_t maxElements = 16) const;

  /// A double truncated toward zero to int64 (NaN is 0, out of range
  /// saturates).
  static int64_t truncateToInt(double v);

private:
  void setIntFromDouble(int64_t i, double v);

  DType dtype_ = DType::f32;
  bool isFloat_ = true; // isFloatDType(dtype_)
  std::vector<int64_t> shape_;
  std::vector<double> floats_;
  std::vector<int64_t> ints_;
};

/// A runtime shape for messages: `2x3`, or `[]` for a scalar.
std::string shapeString(llvm::ArrayRef<int64_t> shape);

/// Calls `fn` with every multi-index of `shape`, in row-major order.
void forEachIndex(llvm::ArrayRef<int64_t> shape,
                  llvm::function_ref<void(llvm::ArrayRef<int64_t>)> fn);

/// Numpy broadcasting: the offset in a tensor of shape `shape` read by the
/// result index `index` (of a rank >= shape's rank).
int64_t broadcastOffset(llvm::ArrayRef<int64_t> shape,
                        llvm::ArrayRef<int64_t> index);

} // namespace strata::reference

#endif // STRATA_IR_REFERENCE_TENSOR_H
