//===- NormalizationGradients.cpp - Gradients of normalization ops --------===//

#include "ir/gradients/GradientBuilder.h"

namespace strata::gradients {

void attachNormalizationGradients(mlir::MLIRContext *ctx) {}

} // namespace strata::gradients
