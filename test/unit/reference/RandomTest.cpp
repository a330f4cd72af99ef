//===- RandomTest.cpp - Reference semantics of the Random ops -===//

#include "EvaluatorTesting.h"

namespace strata::testing {
namespace {} // namespace
} // namespace strata::testing
