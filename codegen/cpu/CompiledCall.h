//===- CompiledCall.h - Call compiled entries on reference tensors --------===//
//
// Runs a compiled function (strata_entry_<f>(void **), CpuCompiler.h) on
// reference-evaluator tensors: runEntry copies them into native row-major
// buffers (f32, f64, i32, i64; i1 as a byte), calls the entry, and reads the
// results back as reference tensors. Used where a compiled result is checked
// against the evaluator: the codegen tests and strata-conformance
// --backend=cpu. Header-only.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_CODEGEN_CPU_COMPILEDCALL_H
#define STRATA_CODEGEN_CPU_COMPILEDCALL_H

#include "ir/reference/Tensor.h"

#include <cstring>
#include <vector>

namespace strata::codegen {

/// A compiled entry point: void strata_entry_<f>(void **buffers).
using EntryFunction = void (*)(void **);

/// Whether compiled code exchanges tensors of `t` (what runEntry converts).
inline bool isNativeDType(reference::DType t) {
  switch (t) {
  case reference::DType::f32:
  case reference::DType::f64:
  case reference::DType::i32:
  case reference::DType::i64:
  case reference::DType::i1:
    return true;
  default:
    return false;
  }
}

inline size_t nativeElementBytes(reference::DType t) {
  switch (t) {
  case reference::DType::f32:
  case reference::DType::i32:
    return 4;
  case reference::DType::f64:
  case reference::DType::i64:
    return 8;
  default:
    return 1; // i1
  }
}

inline void toNative(const reference::Tensor &t, unsigned char *p) {
  for (int64_t i = 0; i < t.numElements(); ++i) {
    switch (t.dtype()) {
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
    case reference::DType::i32: {
      int32_t v = static_cast<int32_t>(t.getInt(i));
      std::memcpy(p + 4 * i, &v, 4);
      break;
    }
    case reference::DType::i64: {
      int64_t v = t.getInt(i);
      std::memcpy(p + 8 * i, &v, 8);
      break;
    }
    default:
      p[i] = t.getInt(i) != 0;
    }
  }
}

inline void fromNative(const unsigned char *p, reference::Tensor &t) {
  for (int64_t i = 0; i < t.numElements(); ++i) {
    switch (t.dtype()) {
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
    case reference::DType::i32: {
      int32_t v;
      std::memcpy(&v, p + 4 * i, 4);
      t.setInt(i, v);
      break;
    }
    case reference::DType::i64: {
      int64_t v;
      std::memcpy(&v, p + 8 * i, 8);
      t.setInt(i, v);
      break;
    }
    default:
      t.setInt(i, p[i] & 1);
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
