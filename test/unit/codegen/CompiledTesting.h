//===- CompiledTesting.h - Call compiled entries on reference tensors -----===//
//
// The codegen tests run compiled functions on the evaluator's inputs with
// codegen/cpu/CompiledCall.h's runEntry, and write their cases' types as
// text (parseType).
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_TEST_UNIT_CODEGEN_COMPILEDTESTING_H
#define STRATA_TEST_UNIT_CODEGEN_COMPILEDTESTING_H

#include "codegen/cpu/CompiledCall.h"

#include <cctype>
#include <string>
#include <vector>

namespace strata::testing {
using codegen::fromNative;
using codegen::nativeElementBytes;
using codegen::runEntry;
using codegen::toNative;

/// A tensor type written in a test case: its element type and shape.
struct Parsed {
  reference::DType dtype;
  std::vector<int64_t> shape;
};

/// Parses "tensor<4x3xf32>" / "tensor<f32>" (f16, bf16, f32, i1, i8 ... i64,
/// ui8 ... ui64; anything else is f64).
inline Parsed parseType(const std::string &type) {
  std::string inner = type.substr(7, type.size() - 8);
  Parsed p;
  size_t start = 0;
  while (true) {
    size_t x = inner.find('x', start);
    if (x == std::string::npos || !std::isdigit(inner[start]))
      break;
    p.shape.push_back(std::stoll(inner.substr(start, x - start)));
    start = x + 1;
  }
  std::string e = inner.substr(start);
  p.dtype = e == "f16"    ? reference::DType::f16
            : e == "bf16" ? reference::DType::bf16
            : e == "f32"  ? reference::DType::f32
            : e == "i1"   ? reference::DType::i1
            : e == "i2"   ? reference::DType::i2
            : e == "i4"   ? reference::DType::i4
            : e == "ui2"  ? reference::DType::u2
            : e == "ui4"  ? reference::DType::u4
            : e == "i8"   ? reference::DType::i8
            : e == "i16"  ? reference::DType::i16
            : e == "i32"  ? reference::DType::i32
            : e == "i64"  ? reference::DType::i64
            : e == "ui8"  ? reference::DType::u8
            : e == "ui16" ? reference::DType::u16
            : e == "ui32" ? reference::DType::u32
            : e == "ui64" ? reference::DType::u64
                          : reference::DType::f64;
  return p;
}
} // namespace strata::testing

#endif // STRATA_TEST_UNIT_CODEGEN_COMPILEDTESTING_H
