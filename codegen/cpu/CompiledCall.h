//===- CompiledCall.h - Call compiled entries on reference tensors --------===//
//
// Runs a compiled function (strata_entry_<f>(void **), CpuCompiler.h) on
// reference-evaluator tensors: runEntry copies them into native row-major
// buffers (f16, bf16, f32, f64, i8 ... i64, ui8 ... ui64; i1, i2, i4, ui2
// and ui4 as a byte each; the 8- and 4-bit floats as one byte holding the
// encoding), calls the entry, and reads the results back as reference
// tensors. Used where a compiled result is checked against the evaluator:
// the codegen tests and strata-conformance --backend=cpu. Header-only.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_CODEGEN_CPU_COMPILEDCALL_H
#define STRATA_CODEGEN_CPU_COMPILEDCALL_H

#include "ir/reference/Tensor.h"

#include "llvm/ADT/APFloat.h"

#include <cmath>
#include <cstring>
#include <vector>

namespace strata::codegen {

/// A compiled entry point: void strata_entry_<f>(void **buffers).
using EntryFunction = void (*)(void **);

/// Whether compiled code exchanges tensors of `t` (what runEntry converts).
inline bool isNativeDType(reference::DType t) {
  switch (t) {
  case reference::DType::f16:
  case reference::DType::bf16:
  case reference::DType::f32:
  case reference::DType::f64:
  case reference::DType::i1:
  case reference::DType::i8:
  case reference::DType::i16:
  case reference::DType::i32:
  case reference::DType::i64:
  case reference::DType::u8:
  case reference::DType::u16:
  case reference::DType::u32:
  case reference::DType::u64:
  case reference::DType::i2:
  case reference::DType::i4:
  case reference::DType::u2:
  case reference::DType::u4:
  case reference::DType::f8e4m3fn:
  case reference::DType::f8e4m3fnuz:
  case reference::DType::f8e5m2:
  case reference::DType::f8e5m2fnuz:
  case reference::DType::f4e2m1fn:
  case reference::DType::f8e8m0fnu:
    return true;
  default:
    return false;
  }
}

/// Whether `t` is an 8- or 4-bit float, held in one byte.
inline bool isMinifloatDType(reference::DType t) {
  return reference::isFloatDType(t) && reference::bitWidth(t) <= 8;
}

inline size_t nativeElementBytes(reference::DType t) {
  switch (t) {
  case reference::DType::f16:
  case reference::DType::bf16:
  case reference::DType::i16:
  case reference::DType::u16:
    return 2;
  case reference::DType::f32:
  case reference::DType::i32:
  case reference::DType::u32:
    return 4;
  case reference::DType::f64:
  case reference::DType::i64:
  case reference::DType::u64:
    return 8;
  default:
    return 1; // i1, i2, i4, i8, u2, u4, u8, the 8- and 4-bit floats
  }
}

/// The IEEE half / bfloat16 encodings of a tensor's values (already of the
/// type, so the conversion is exact).
inline const llvm::fltSemantics &halfSemantics(reference::DType t) {
  return t == reference::DType::f16 ? llvm::APFloat::IEEEhalf()
                                    : llvm::APFloat::BFloat();
}

inline void toNative(const reference::Tensor &t, unsigned char *p) {
  size_t bytes = nativeElementBytes(t.dtype());
  for (int64_t i = 0; i < t.numElements(); ++i) {
    if (isMinifloatDType(t.dtype())) {
      // The value is one of the type's: the conversion is exact.
      llvm::APFloat v(t.get(i));
      bool lost;
      v.convert(reference::floatSemantics(t.dtype()),
                llvm::APFloat::rmNearestTiesToEven, &lost);
      p[i] = static_cast<unsigned char>(v.bitcastToAPInt().getZExtValue());
      continue;
    }
    switch (t.dtype()) {
    case reference::DType::f16:
    case reference::DType::bf16: {
      llvm::APFloat v(t.get(i));
      bool lost;
      v.convert(halfSemantics(t.dtype()), llvm::APFloat::rmNearestTiesToEven,
                &lost);
      uint16_t bits = static_cast<uint16_t>(v.bitcastToAPInt().getZExtValue());
      std::memcpy(p + 2 * i, &bits, 2);
      break;
    }
    case reference::DType::f32: {
      float v = static_cast<float>(t.get(i));
      std::memcpy(p + 4 * i, &v, 4);
      break;
    }
    case reference::DType::f64: {
      double v = t.get(i);
      std::memcpy(p + 8 * i, &v, 8);
      break;
    }
    case reference::DType::i1:
      p[i] = t.getInt(i) != 0;
      break;
    case reference::DType::i2:
    case reference::DType::i4:
    case reference::DType::u2:
    case reference::DType::u4:
      // The low bits, zero-extended, as LLVM stores an i2 / i4 in its byte
      // (its loads of them extend the low bits themselves, so either
      // extension would read the same). Reading back, setInt sign-extends
      // i2 / i4 from the low bits.
      p[i] = static_cast<unsigned char>(
          static_cast<uint64_t>(t.getInt(i)) &
          ((1u << reference::bitWidth(t.dtype())) - 1));
      break;
    default: {
      // Integers: the low bytes of the two's complement (little endian).
      auto v = static_cast<uint64_t>(t.getInt(i));
      unsigned char le[8];
      for (int b = 0; b < 8; ++b)
        le[b] = static_cast<unsigned char>(v >> (8 * b));
      std::memcpy(p + bytes * i, le, bytes);
    }
    }
  }
}

inline void fromNative(const unsigned char *p, reference::Tensor &t) {
  size_t bytes = nativeElementBytes(t.dtype());
  for (int64_t i = 0; i < t.numElements(); ++i) {
    if (isMinifloatDType(t.dtype())) {
      unsigned width = reference::bitWidth(t.dtype());
      llvm::APFloat v(reference::floatSemantics(t.dtype()),
                      llvm::APInt(width, p[i] & ((1u << width) - 1)));
      if (v.isNaN()) { // APFloat converts f8E8M0FNU's NaN to infinity
        t.set(i, std::nan(""));
        continue;
      }
      bool lost;
      v.convert(llvm::APFloat::IEEEdouble(), llvm::APFloat::rmNearestTiesToEven,
                &lost);
      t.set(i, v.convertToDouble());
      continue;
    }
    switch (t.dtype()) {
    case reference::DType::f16:
    case reference::DType::bf16: {
      uint16_t bits;
      std::memcpy(&bits, p + 2 * i, 2);
      t.set(i, llvm::APFloat(halfSemantics(t.dtype()), llvm::APInt(16, bits))
                   .convertToDouble());
      break;
    }
    case reference::DType::f32: {
      float v;
      std::memcpy(&v, p + 4 * i, 4);
      t.set(i, v);
      break;
    }
    case reference::DType::f64: {
      double v;
      std::memcpy(&v, p + 8 * i, 8);
      t.set(i, v);
      break;
    }
    case reference::DType::i1:
      t.setInt(i, p[i] & 1);
      break;
    default: {
      // setInt wraps to the dtype: sign- or zero-extension comes from it.
      uint64_t v = 0;
      for (size_t b = 0; b < bytes; ++b)
        v |= static_cast<uint64_t>(p[bytes * i + b]) << (8 * b);
      t.setInt(i, static_cast<int64_t>(v));
    }
    }
  }
}

/// Calls `entry` on `args`; the results take the dtypes and shapes of
/// `resultShapes` (whose values are ignored).
inline std::vector<reference::Tensor>
runEntry(EntryFunction entry, const std::vector<reference::Tensor> &args,
         const std::vector<reference::Tensor> &resultShapes) {
  std::vector<std::vector<unsigned char>> storage;
  for (const reference::Tensor &t : args) {
    storage.emplace_back(t.numElements() * nativeElementBytes(t.dtype()));
    toNative(t, storage.back().data());
  }
  for (const reference::Tensor &t : resultShapes)
    storage.emplace_back(t.numElements() * nativeElementBytes(t.dtype()));
  std::vector<void *> buffers;
  for (auto &s : storage)
    buffers.push_back(s.data());
  entry(buffers.data());
  std::vector<reference::Tensor> results;
  for (size_t r = 0; r < resultShapes.size(); ++r) {
    reference::Tensor out(resultShapes[r].dtype(), resultShapes[r].shape());
    fromNative(storage[args.size() + r].data(), out);
    results.push_back(std::move(out));
  }
  return results;
}

} // namespace strata::codegen

#endif // STRATA_CODEGEN_CPU_COMPILEDCALL_H
