//===- ConvolutionTest.cpp - Reference semantics of the Convolution ops -===//

#include "EvaluatorTesting.h"

namespace strata::testing {
namespace {} // namespace
} // namespace strata::testing
