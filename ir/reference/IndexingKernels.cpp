//===- IndexingKernels.cpp - Reference semantics of the Indexing ops -===//

#include "ir/StrataDialect.h"
#include "ir/reference/Evaluator.h"

using namespace mlir;

namespace strata::reference {

void registerIndexingKernels(KernelRegistry &registry) { (void)registry; }

} // namespace strata::reference
