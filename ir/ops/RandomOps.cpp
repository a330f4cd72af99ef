//===- RandomOps.cpp - Verifiers and type inference of the Random ops -===//

#include "ir/StrataDialect.h"

using namespace mlir;
using namespace strata;

#define GET_OP_CLASSES
#include "ir/ops/RandomOps.cpp.inc"
