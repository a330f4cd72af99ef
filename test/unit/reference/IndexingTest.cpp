//===- IndexingTest.cpp - Reference semantics of the Indexing ops -===//

#include "EvaluatorTesting.h"

namespace strata::testing {
namespace {} // namespace
} // namespace strata::testing
