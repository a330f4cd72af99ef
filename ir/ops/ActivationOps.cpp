//===- ActivationOps.cpp - Verifiers and type inference of the Activation ops -===//

#include "ir/StrataDialect.h"

using namespace mlir;
using namespace strata;

#define GET_OP_CLASSES
#include "ir/ops/ActivationOps.cpp.inc"
