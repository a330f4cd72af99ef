//===- IndexingGradients.cpp - Gradients of indexing ops ------------------===//

#include "ir/gradients/GradientBuilder.h"

namespace strata::gradients {

void attachIndexingGradients(mlir::MLIRContext *ctx) {}

} // namespace strata::gradients
