//===- ShapeKernels.cpp - Reference semantics of the Shape ops -===//

#include "ir/StrataDialect.h"
#include "ir/reference/Evaluator.h"

using namespace mlir;

namespace strata::reference {

void registerShapeKernels(KernelRegistry &registry) { (void)registry; }

} // namespace strata::reference
