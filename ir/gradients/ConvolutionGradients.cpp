//===- ConvolutionGradients.cpp - Gradients of convolution ops ------------===//

#include "ir/gradients/GradientBuilder.h"

namespace strata::gradients {

void attachConvolutionGradients(mlir::MLIRContext *ctx) {}

} // namespace strata::gradients
