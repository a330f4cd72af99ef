//===- LinearAlgebraTest.cpp - Reference semantics of the LinearAlgebra ops -===//

#include "EvaluatorTesting.h"

namespace strata::testing {
namespace {} // namespace
} // namespace strata::testing
