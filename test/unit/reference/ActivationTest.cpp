//===- ActivationTest.cpp - Reference semantics of the Activation ops -===//

#include "EvaluatorTesting.h"

namespace strata::testing {
namespace {} // namespace
} // namespace strata::testing
