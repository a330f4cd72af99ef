//===- RecurrentTest.cpp - Reference semantics of the Recurrent ops -===//

#include "EvaluatorTesting.h"

namespace strata::testing {
namespace {} // namespace
} // namespace strata::testing
