//===- NormalizationKernels.cpp - Reference semantics of the Normalization ops -===//

#include "ir/StrataDialect.h"
#include "ir/reference/Evaluator.h"

using namespace mlir;

namespace strata::reference {

void registerNormalizationKernels(KernelRegistry &registry) { (void)registry; }

} // namespace strata::reference
