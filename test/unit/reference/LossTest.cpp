//===- LossTest.cpp - Reference semantics of the Loss ops -===//

#include "EvaluatorTesting.h"

namespace strata::testing {
namespace {} // namespace
} // namespace strata::testing
