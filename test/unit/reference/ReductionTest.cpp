//===- ReductionTest.cpp - Reference semantics of the Reduction ops -===//

#include "EvaluatorTesting.h"

namespace strata::testing {
namespace {} // namespace
} // namespace strata::testing
