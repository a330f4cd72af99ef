//===- ShapeTest.cpp - Reference semantics of the Shape ops -===//

#include "EvaluatorTesting.h"

namespace strata::testing {
namespace {} // namespace
} // namespace strata::testing
