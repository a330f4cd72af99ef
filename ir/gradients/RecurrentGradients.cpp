//===- RecurrentGradients.cpp - Gradients of recurrent ops ----------------===//

#include "ir/gradients/GradientBuilder.h"

namespace strata::gradients {

void attachRecurrentGradients(mlir::MLIRContext *ctx) {}

} // namespace strata::gradients
