//===- RandomKernels.cpp - Reference semantics of the Random ops -===//

#include "ir/StrataDialect.h"
#include "ir/reference/Evaluator.h"

using namespace mlir;

namespace strata::reference {

void registerRandomKernels(KernelRegistry &registry) { (void)registry; }

} // namespace strata::reference
