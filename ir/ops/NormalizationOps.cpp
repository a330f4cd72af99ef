//===- NormalizationOps.cpp - Verifiers and type inference of the Normalization ops -===//

#include "ir/StrataDialect.h"

using namespace mlir;
using namespace strata;

#define GET_OP_CLASSES
#include "ir/ops/NormalizationOps.cpp.inc"
