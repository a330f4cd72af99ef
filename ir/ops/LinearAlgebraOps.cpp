//===- LinearAlgebraOps.cpp - Verifiers and type inference of the LinearAlgebra ops -===//

#include "ir/StrataDialect.h"

using namespace mlir;
using namespace strata;

#define GET_OP_CLASSES
#include "ir/ops/LinearAlgebraOps.cpp.inc"
