//===- Passes.h - Strata's passes -----------------------------------------===//

#ifndef STRATA_PASSES_PASSES_H
#define STRATA_PASSES_PASSES_H

#include "ir/StrataDialect.h"

#include "mlir/Pass/Pass.h"

namespace strata {

#define GEN_PASS_DECL
#include "passes/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/Passes.h.inc"

} // namespace strata

#endif // STRATA_PASSES_PASSES_H
