//===- ShapeOps.cpp - Verifiers and type inference of the Shape ops -===//

#include "ir/StrataDialect.h"

using namespace mlir;
using namespace strata;

#define GET_OP_CLASSES
#include "ir/ops/ShapeOps.cpp.inc"
