//===- CoverageGradientTest.cpp - Every op has a gradient or a reason -----===//
//
// Every strata op either implements GradientOpInterface and appears in a
// gradient check in this folder, or is listed here as not differentiable
// (with why).
//
//===----------------------------------------------------------------------===//

#include "EvaluatorTesting.h"

#include "ir/gradients/Gradients.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

using namespace strata::testing;

namespace {

/// Ops without a gradient, and why.
const std::map<std::string, std::string> &withoutGradient() {
  static const std::map<std::string, std::string> ops = {
      // Leaves: no operands to differentiate.
      {"strata.parameter", "declaration"},
      {"strata.param_value", "leaf"},
      {"strata.data_input", "leaf"},
      {"strata.constant", "leaf"},
      // Integer, bool or index results.
      {"strata.argmax", "index result"},
      {"strata.argmin", "index result"},
      {"strata.argsort", "index result"},
      {"strata.accuracy", "a metric (counts)"},
      {"strata.equal", "bool result"},
      {"strata.not_equal", "bool result"},
      {"strata.less", "bool result"},
      {"strata.less_equal", "bool result"},
      {"strata.greater", "bool result"},
      {"strata.greater_equal", "bool result"},
      {"strata.is_nan", "bool result"},
      {"strata.and", "integer / bool only"},
      {"strata.or", "integer / bool only"},
      {"strata.xor", "integer / bool only"},
      {"strata.not", "integer / bool only"},
      {"strata.shift_left", "integer only"},
      {"strata.shift_right", "integer only"},
      {"strata.bitcast", "reinterprets bits"},
      // Sampling from an RNG state.
      {"strata.random_uniform", "sampling"},
      {"strata.random_normal", "sampling"},
      {"strata.gaussian_sample", "sampling"},
      {"strata.bernoulli_sample", "sampling"},
      // The adjoints of grid_sample, roi_align and deform_conv, used by
      // their gradient rules.
      {"strata.grid_sample_grad", "gradient op (no second order)"},
      {"strata.roi_align_grad", "gradient op (no second order)"},
      {"strata.deform_conv_grad", "gradient op (no second order)"},
  };
  return ops;
}

class GradientCoverage : public EvaluatorTest {};

TEST_F(GradientCoverage, EveryOpHasAGradientOrAReason) {
  mlir::MLIRContext *ctx = parse("module {}").getContext();
  auto differentiable = strata::differentiableOpNames(ctx);
  std::set<std::string> withGradient(differentiable.begin(),
                                     differentiable.end());
  for (mlir::RegisteredOperationName name : ctx->getRegisteredOperations()) {
    if (name.getDialectNamespace() != "strata")
      continue;
    std::string op = name.getStringRef().str();
    bool listed = withoutGradient().count(op) != 0;
    if (withGradient.count(op))
      EXPECT_FALSE(listed) << op << " has a gradient but is listed without";
    else
      EXPECT_TRUE(listed) << op << " has no gradient and no reason listed";
  }
}

TEST_F(GradientCoverage, EveryGradientIsChecked) {
  std::string sources;
  for (const auto &entry :
       std::filesystem::directory_iterator(STRATA_GRADIENT_TEST_DIR)) {
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    sources += text.str();
  }
  mlir::MLIRContext *ctx = parse("module {}").getContext();
  for (const std::string &op : strata::differentiableOpNames(ctx)) {
    // Used as an op in a test snippet ("strata.x %" or "strata.x\"").
    bool used = sources.find(op + " %") != std::string::npos ||
                sources.find("\"" + op + "\"") != std::string::npos;
    EXPECT_TRUE(used) << op << " has a gradient but no gradient check";
  }
}

} // namespace
