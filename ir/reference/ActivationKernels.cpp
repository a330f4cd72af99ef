//===- ActivationKernels.cpp - Reference semantics of the Activation ops -===//

#include "ir/StrataDialect.h"
#include "ir/reference/Evaluator.h"

using namespace mlir;

namespace strata::reference {

void registerActivationKernels(KernelRegistry &registry) { (void)registry; }

} // namespace strata::reference
