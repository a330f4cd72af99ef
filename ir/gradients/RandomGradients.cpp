//===- RandomGradients.cpp - Gradients of random ops ----------------------===//

#include "ir/gradients/GradientBuilder.h"

namespace strata::gradients {

void attachRandomGradients(mlir::MLIRContext *ctx) {}

} // namespace strata::gradients
