//===- LinearAlgebraKernels.cpp - Reference semantics of the LinearAlgebra ops -===//

#include "ir/StrataDialect.h"
#include "ir/reference/Evaluator.h"

using namespace mlir;

namespace strata::reference {

void registerLinearAlgebraKernels(KernelRegistry &registry) { (void)registry; }

} // namespace strata::reference
