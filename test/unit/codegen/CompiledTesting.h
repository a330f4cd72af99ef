//===- CompiledTesting.h - Call compiled entries on reference tensors -----===//
//
// The codegen tests run compiled functions on the evaluator's inputs with
// codegen/cpu/CompiledCall.h's runEntry.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_TEST_UNIT_CODEGEN_COMPILEDTESTING_H
#define STRATA_TEST_UNIT_CODEGEN_COMPILEDTESTING_H

#include "codegen/cpu/CompiledCall.h"

namespace strata::testing {
using codegen::fromNative;
using codegen::nativeElementBytes;
using codegen::runEntry;
using codegen::toNative;
} // namespace strata::testing

#endif // STRATA_TEST_UNIT_CODEGEN_COMPILEDTESTING_H
