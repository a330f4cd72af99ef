//===- ReductionKernels.cpp - Reference semantics of the Reduction ops -===//

#include "ir/StrataDialect.h"
#include "ir/reference/Evaluator.h"

using namespace mlir;

namespace strata::reference {

void registerReductionKernels(KernelRegistry &registry) { (void)registry; }

} // namespace strata::reference
