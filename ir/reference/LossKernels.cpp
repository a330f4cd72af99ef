//===- LossKernels.cpp - Reference semantics of the Loss ops -===//

#include "ir/StrataDialect.h"
#include "ir/reference/Evaluator.h"

using namespace mlir;

namespace strata::reference {

void registerLossKernels(KernelRegistry &registry) { (void)registry; }

} // namespace strata::reference
