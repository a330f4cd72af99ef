//===- ReductionOps.cpp - Verifiers and type inference of the Reduction ops -===//

#include "ir/StrataDialect.h"

using namespace mlir;
using namespace strata;

#define GET_OP_CLASSES
#include "ir/ops/ReductionOps.cpp.inc"
