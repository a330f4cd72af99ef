//===- NormalizationTest.cpp - Reference semantics of the Normalization ops -===//

#include "EvaluatorTesting.h"

namespace strata::testing {
namespace {} // namespace
} // namespace strata::testing
