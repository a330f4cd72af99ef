//===- IndexingOps.cpp - Verifiers and type inference of the Indexing ops -===//

#include "ir/StrataDialect.h"

using namespace mlir;
using namespace strata;

#define GET_OP_CLASSES
#include "ir/ops/IndexingOps.cpp.inc"
