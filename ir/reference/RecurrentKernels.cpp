//===- RecurrentKernels.cpp - Reference semantics of the Recurrent ops -===//

#include "ir/StrataDialect.h"
#include "ir/reference/Evaluator.h"

using namespace mlir;

namespace strata::reference {

void registerRecurrentKernels(KernelRegistry &registry) { (void)registry; }

} // namespace strata::reference
