//===- LossOps.cpp - Verifiers and type inference of the Loss ops -===//

#include "ir/StrataDialect.h"

using namespace mlir;
using namespace strata;

#define GET_OP_CLASSES
#include "ir/ops/LossOps.cpp.inc"
