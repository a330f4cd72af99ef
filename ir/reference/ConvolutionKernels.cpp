//===- ConvolutionKernels.cpp - Reference semantics of the Convolution ops -===//

#include "ir/StrataDialect.h"
#include "ir/reference/Evaluator.h"

using namespace mlir;

namespace strata::reference {

void registerConvolutionKernels(KernelRegistry &registry) { (void)registry; }

} // namespace strata::reference
