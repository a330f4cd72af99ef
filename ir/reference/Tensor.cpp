//===- Tensor.cpp - Host tensors of the reference evaluator ---------------===//

#include "ir/reference/Tensor.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

using namespace mlir;

namespace strata::reference {

bool isFloatDType(DType t) {
  switch (t) {
  case DType::f16:
  case DType::bf16:
  case DType::f32:
  case DType::f64:
  case DType::f8e4m3fn:
  case DType::f8e4m3fnuz:
  case DType::f8e5m2:
  case DType::f8e5m2fnuz:
  case DType::f4e2m1fn:
  case DType::f8e8m0fnu:
    return true;
  default:
    return false;
  }
}

bool isUnsignedDType(DType t) {
  return t == DType::u2 || t == DType::u4 || t == DType::u8 ||
         t == DType::u16 || t == DType::u32 || t == DType::u64;
}

unsigned bitWidth(DType t) {
  switch (t) {
  case DType::i1:
    return 1;
  case DType::i2:
  case DType::u2:
    return 2;
  case DType::i4:
  case DType::u4:
  case DType::f4e2m1fn:
    return 4;
  case DType::i8:
  case DType::u8:
  case DType::f8e4m3fn:
  case DType::f8e4m3fnuz:
  case DType::f8e5m2:
  case DType::f8e5m2fnuz:
  case DType::f8e8m0fnu:
    return 8;
  case DType::f16:
  case DType::bf16:
  case DType::i16:
  case DType::u16:
    return 16;
  case DType::f32:
  case DType::i32:
  case DType::u32:
    return 32;
  case DType::f64:
  case DType::i64:
  case DType::u64:
    return 64;
  }
  return 0;
}

const char *dtypeName(DType t) {
  switch (t) {
  case DType::f16:
    return "f16";
  case DType::bf16:
    return "bf16";
  case DType::f32:
    return "f32";
  case DType::f64:
    return "f64";
  case DType::i1:
    return "i1";
  case DType::i8:
    return "i8";
  case DType::i16:
    return "i16";
  case DType::i32:
    return "i32";
  case DType::i64:
    return "i64";
  case DType::u8:
    return "ui8";
  case DType::u16:
    return "ui16";
  case DType::u32:
    return "ui32";
  case DType::u64:
    return "ui64";
  case DType::f8e4m3fn:
    return "f8E4M3FN";
  case DType::f8e4m3fnuz:
    return "f8E4M3FNUZ";
  case DType::f8e5m2:
    return "f8E5M2";
  case DType::f8e5m2fnuz:
    return "f8E5M2FNUZ";
  case DType::f4e2m1fn:
    return "f4E2M1FN";
  case DType::f8e8m0fnu:
    return "f8E8M0FNU";
  case DType::i2:
    return "i2";
  case DType::i4:
    return "i4";
  case DType::u2:
    return "ui2";
  case DType::u4:
    return "ui4";
  }
  return "?";
}

std::optional<DType> dtypeOf(Type type) {
  if (type.isF16())
    return DType::f16;
  if (type.isBF16())
    return DType::bf16;
  if (type.isF32())
    return DType::f32;
  if (type.isF64())
    return DType::f64;
  if (isa<Float8E4M3FNType>(type))
    return DType::f8e4m3fn;
  if (isa<Float8E4M3FNUZType>(type))
    return DType::f8e4m3fnuz;
  if (isa<Float8E5M2Type>(type))
    return DType::f8e5m2;
  if (isa<Float8E5M2FNUZType>(type))
    return DType::f8e5m2fnuz;
  if (isa<Float4E2M1FNType>(type))
    return DType::f4e2m1fn;
  if (isa<Float8E8M0FNUType>(type))
    return DType::f8e8m0fnu;
  auto it = dyn_cast<IntegerType>(type);
  if (!it)
    return std::nullopt;
  bool u = it.isUnsigned();
  switch (it.getWidth()) {
  case 1:
    return u ? std::nullopt : std::optional<DType>(DType::i1);
  case 2:
    return u ? DType::u2 : DType::i2;
  case 4:
    return u ? DType::u4 : DType::i4;
  case 8:
    return u ? DType::u8 : DType::i8;
  case 16:
    return u ? DType::u16 : DType::i16;
  case 32:
    return u ? DType::u32 : DType::i32;
  case 64:
    return u ? DType::u64 : DType::i64;
  default:
    return std::nullopt;
  }
}

Type toMlirType(DType t, MLIRContext *ctx) {
  switch (t) {
  case DType::f16:
    return Float16Type::get(ctx);
  case DType::bf16:
    return BFloat16Type::get(ctx);
  case DType::f32:
    return Float32Type::get(ctx);
  case DType::f64:
    return Float64Type::get(ctx);
  case DType::f8e4m3fn:
    return Float8E4M3FNType::get(ctx);
  case DType::f8e4m3fnuz:
    return Float8E4M3FNUZType::get(ctx);
  case DType::f8e5m2:
    return Float8E5M2Type::get(ctx);
  case DType::f8e5m2fnuz:
    return Float8E5M2FNUZType::get(ctx);
  case DType::f4e2m1fn:
    return Float4E2M1FNType::get(ctx);
  case DType::f8e8m0fnu:
    return Float8E8M0FNUType::get(ctx);
  case DType::i1:
    return IntegerType::get(ctx, 1);
  case DType::u2:
  case DType::u4:
  case DType::u8:
  case DType::u16:
  case DType::u32:
  case DType::u64:
    return IntegerType::get(ctx, bitWidth(t), IntegerType::Unsigned);
  default:
    return IntegerType::get(ctx, bitWidth(t));
  }
}

static double roundThrough(const llvm::fltSemantics &sem, double v) {
  llvm::APFloat f(v);
  bool losesInfo = false;
  f.convert(sem, llvm::APFloat::rmNearestTiesToEven, &losesInfo);
  f.convert(llvm::APFloat::IEEEdouble(), llvm::APFloat::rmNearestTiesToEven,
            &losesInfo);
  return f.convertToDouble();
}

const llvm::fltSemantics &floatSemantics(DType t) {
  switch (t) {
  case DType::f16:
    return llvm::APFloat::IEEEhalf();
  case DType::bf16:
    return llvm::APFloat::BFloat();
  case DType::f32:
    return llvm::APFloat::IEEEsingle();
  case DType::f8e4m3fn:
    return llvm::APFloat::Float8E4M3FN();
  case DType::f8e4m3fnuz:
    return llvm::APFloat::Float8E4M3FNUZ();
  case DType::f8e5m2:
    return llvm::APFloat::Float8E5M2();
  case DType::f8e5m2fnuz:
    return llvm::APFloat::Float8E5M2FNUZ();
  case DType::f4e2m1fn:
    return llvm::APFloat::Float4E2M1FN();
  case DType::f8e8m0fnu:
    return llvm::APFloat::Float8E8M0FNU();
  default:
    assert(t == DType::f64 && "not a float dtype");
    return llvm::APFloat::IEEEdouble();
  }
}

double largestFinite(DType t) {
  llvm::APFloat f = llvm::APFloat::getLargest(floatSemantics(t));
  bool losesInfo = false;
  f.convert(llvm::APFloat::IEEEdouble(), llvm::APFloat::rmNearestTiesToEven,
            &losesInfo);
  return f.convertToDouble();
}

double roundToDType(DType t, double v) {
  switch (t) {
  case DType::f64:
    return v;
  case DType::f32:
    return static_cast<double>(static_cast<float>(v));
  case DType::f8e8m0fnu:
    return roundToE8M0(v, /*saturate=*/false, E8M0Rounding::up);
  case DType::f4e2m1fn:
    // No NaN and no infinity: saturate (every value beyond the largest finite
    // one rounds to it or to the first power of two above, which it stands
    // for), NaN to -0 as onnx.reference (ml_dtypes) does.
    if (std::isnan(v))
      return -0.0;
    return roundThrough(floatSemantics(t),
                        std::clamp(v, -largestFinite(t), largestFinite(t)));
  default:
    return roundThrough(floatSemantics(t), v);
  }
}

double roundToE8M0(double v, bool saturate, E8M0Rounding mode) {
  if (std::isnan(v))
    return v;
  double a = std::fabs(v);
  if (a == 0.0 || std::isinf(a))
    return saturate ? std::ldexp(1.0, a == 0.0 ? -127 : 127) : NAN;
  int e = 0;
  double m = std::frexp(a, &e); // a = m * 2^e, m in [0.5, 1)
  int below = e - 1;            // 2^below <= a < 2^(below + 1)
  int k = below;
  if (m != 0.5 && (mode == E8M0Rounding::up ||
                   (mode == E8M0Rounding::nearest && m >= 0.75)))
    k = below + 1;
  if (k > 127 || k < -127) {
    if (!saturate)
      return NAN;
    k = std::clamp(k, -127, 127);
  }
  return std::ldexp(1.0, k);
}

double roundToDTypeSaturating(DType t, double v) {
  if (std::isnan(v) || t == DType::f64)
    return roundToDType(t, v);
  if (t == DType::f8e8m0fnu)
    return roundToE8M0(v, /*saturate=*/true, E8M0Rounding::up);
  double max = largestFinite(t);
  return roundToDType(t, std::clamp(v, -max, max));
}

int64_t wrapToDType(DType t, int64_t v) {
  switch (t) {
  case DType::i1:
    return v != 0;
  case DType::i2:
  case DType::i4: {
    unsigned w = bitWidth(t);
    uint64_t bits = static_cast<uint64_t>(v) & ((uint64_t(1) << w) - 1);
    return static_cast<int64_t>(bits ^ (uint64_t(1) << (w - 1))) -
           (int64_t(1) << (w - 1));
  }
  case DType::u2:
  case DType::u4:
    return static_cast<int64_t>(static_cast<uint64_t>(v) &
                                ((uint64_t(1) << bitWidth(t)) - 1));
  case DType::i8:
    return static_cast<int8_t>(v);
  case DType::i16:
    return static_cast<int16_t>(v);
  case DType::i32:
    return static_cast<int32_t>(v);
  case DType::u8:
    return static_cast<uint8_t>(v);
  case DType::u16:
    return static_cast<uint16_t>(v);
  case DType::u32:
    return static_cast<uint32_t>(v);
  default: // i64, u64 (u64 keeps its bit pattern)
    return v;
  }
}

int64_t Tensor::truncateToInt(double v) {
  if (std::isnan(v))
    return 0;
  if (v >= 9.2233720368547758e18)
    return std::numeric_limits<int64_t>::max();
  if (v <= -9.2233720368547758e18)
    return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(std::trunc(v));
}

Tensor::Tensor(DType dtype, std::vector<int64_t> shape)
    : dtype_(dtype), isFloat_(isFloatDType(dtype)), shape_(std::move(shape)) {
  if (isFloat())
    floats_.assign(numElements(), 0.0);
  else
    ints_.assign(numElements(), 0);
}

Tensor Tensor::fromDoubles(DType dtype, std::vector<int64_t> shape,
                           llvm::ArrayRef<double> values) {
  Tensor t(dtype, std::move(shape));
  assert(static_cast<int64_t>(values.size()) == t.numElements());
  for (size_t i = 0; i < values.size(); ++i)
    t.set(i, values[i]);
  return t;
}

Tensor Tensor::fromInts(DType dtype, std::vector<int64_t> shape,
                        llvm::ArrayRef<int64_t> values) {
  Tensor t(dtype, std::move(shape));
  assert(static_cast<int64_t>(values.size()) == t.numElements());
  for (size_t i = 0; i < values.size(); ++i)
    t.setInt(i, values[i]);
  return t;
}

Tensor Tensor::scalar(DType dtype, double value) {
  Tensor t(dtype, {});
  t.set(0, value);
  return t;
}

int64_t Tensor::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape_)
    n *= d;
  return n;
}

std::vector<int64_t> Tensor::strides() const {
  std::vector<int64_t> s(shape_.size(), 1);
  for (int64_t i = rank() - 2; i >= 0; --i)
    s[i] = s[i + 1] * shape_[i + 1];
  return s;
}

int64_t Tensor::offset(llvm::ArrayRef<int64_t> index) const {
  assert(static_cast<int64_t>(index.size()) == rank());
  int64_t off = 0;
  for (int64_t i = 0; i < rank(); ++i)
    off = off * shape_[i] + index[i];
  return off;
}

void Tensor::setIntFromDouble(int64_t i, double v) {
  if (dtype_ == DType::i1) {
    ints_[i] = v != 0.0;
    return;
  }
  if (dtype_ == DType::u64 && v >= 9.2233720368547758e18 &&
      v < 1.8446744073709552e19) {
    ints_[i] = static_cast<int64_t>(static_cast<uint64_t>(v));
    return;
  }
  ints_[i] = wrapToDType(dtype_, truncateToInt(v));
}

Tensor Tensor::reshaped(std::vector<int64_t> shape) const {
  Tensor t = *this;
  t.shape_ = std::move(shape);
  assert(t.numElements() == numElements());
  return t;
}

Tensor Tensor::castTo(DType dtype, bool saturate,
                      E8M0Rounding e8m0Rounding) const {
  Tensor t(dtype, shape_);
  for (int64_t i = 0, e = numElements(); i < e; ++i) {
    if (dtype == DType::f8e8m0fnu)
      t.floats_[i] = roundToE8M0(get(i), saturate, e8m0Rounding);
    else if (saturate && isFloat() && t.isFloat())
      t.floats_[i] = roundToDTypeSaturating(dtype, floats_[i]);
    else if (saturate && t.isFloat())
      t.floats_[i] = roundToDTypeSaturating(dtype, get(i));
    else if (isFloat())
      t.set(i, floats_[i]);
    else if (dtype_ == DType::u64 && t.isFloat())
      t.set(i, get(i));
    else
      t.setInt(i, ints_[i]);
  }
  return t;
}

std::vector<double> Tensor::toDoubles() const {
  std::vector<double> out(numElements());
  for (int64_t i = 0, e = numElements(); i < e; ++i)
    out[i] = get(i);
  return out;
}

std::string Tensor::toString(int64_t maxElements) const {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "tensor<";
  for (int64_t d : shape_)
    os << d << 'x';
  os << dtypeName(dtype_) << "> [";
  for (int64_t i = 0, e = std::min(numElements(), maxElements); i < e; ++i) {
    if (i)
      os << ", ";
    if (isFloat())
      os << llvm::format("%.6g", get(i));
    else
      os << getInt(i);
  }
  if (numElements() > maxElements)
    os << ", ...";
  os << ']';
  return s;
}

std::string shapeString(llvm::ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "[]";
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "x" : "") + std::to_string(shape[i]);
  return s;
}

void forEachIndex(llvm::ArrayRef<int64_t> shape,
                  llvm::function_ref<void(llvm::ArrayRef<int64_t>)> fn) {
  for (int64_t d : shape)
    if (d == 0)
      return;
  std::vector<int64_t> index(shape.size(), 0);
  while (true) {
    fn(index);
    int64_t i = static_cast<int64_t>(shape.size()) - 1;
    for (; i >= 0; --i) {
      if (++index[i] < shape[i])
        break;
      index[i] = 0;
    }
    if (i < 0)
      return;
  }
}

int64_t broadcastOffset(llvm::ArrayRef<int64_t> shape,
                        llvm::ArrayRef<int64_t> index) {
  size_t lead = index.size() - shape.size();
  int64_t off = 0;
  for (size_t i = 0; i < shape.size(); ++i)
    off = off * shape[i] + (shape[i] == 1 ? 0 : index[lead + i]);
  return off;
}

} // namespace strata::reference
