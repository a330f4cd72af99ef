//===- EvaluatorTesting.h - Run strata IR snippets in unit tests ----------===//
//
// Tests write a function `@main` in strata IR, give inputs, and compare the
// evaluator's outputs with values they compute independently (by hand or with
// their own straightforward loops).
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_TEST_UNIT_EVALUATORTESTING_H
#define STRATA_TEST_UNIT_EVALUATORTESTING_H

#include "ir/StrataDialect.h"
#include "ir/reference/Evaluator.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

#include <random>

namespace strata::testing {

using reference::DType;
using reference::Tensor;

class EvaluatorTest : public ::testing::Test {
protected:
  EvaluatorTest() {
    registry_.insert<strata::StrataDialect, mlir::func::FuncDialect>();
    context_ = std::make_unique<mlir::MLIRContext>(registry_);
    context_->loadAllAvailableDialects();
  }

  /// Parses `source` (a module) and checks it verifies.
  mlir::ModuleOp parse(const std::string &source) {
    module_ = mlir::parseSourceString<mlir::ModuleOp>(source, context_.get());
    EXPECT_TRUE(module_) << "failed to parse:\n" << source;
    return module_ ? *module_ : nullptr;
  }

  /// Evaluates @main of `source` on `args`; fails the test on an error.
  std::vector<Tensor> run(const std::string &source, std::vector<Tensor> args) {
    auto module = parse(source);
    if (!module)
      return {};
    auto fn = module.lookupSymbol<mlir::func::FuncOp>("main");
    EXPECT_TRUE(fn) << "no @main";
    if (!fn)
      return {};
    auto out = reference::evaluateFunction(fn, args, env);
    if (!out) {
      ADD_FAILURE() << llvm::toString(out.takeError());
      return {};
    }
    return std::move(*out);
  }

  /// Evaluates @main and returns the error message (empty if it succeeded).
  std::string runError(const std::string &source, std::vector<Tensor> args) {
    auto module = parse(source);
    if (!module)
      return "parse failed";
    auto fn = module.lookupSymbol<mlir::func::FuncOp>("main");
    auto out = reference::evaluateFunction(fn, args, env);
    if (out)
      return "";
    return llvm::toString(out.takeError());
  }

  /// Uniform random values in [lo, hi).
  std::vector<double> random(int64_t n, double lo = -1, double hi = 1) {
    std::uniform_real_distribution<double> dist(lo, hi);
    std::vector<double> v(n);
    for (double &x : v)
      x = dist(rng_);
    return v;
  }
  Tensor randomTensor(DType dtype, std::vector<int64_t> shape, double lo = -1,
                      double hi = 1) {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    return Tensor::fromDoubles(dtype, shape, random(n, lo, hi));
  }

  reference::Environment env;

  mlir::MLIRContext *context() { return context_.get(); }

private:
  mlir::DialectRegistry registry_;
  std::unique_ptr<mlir::MLIRContext> context_;
  mlir::OwningOpRef<mlir::ModuleOp> module_;
  std::mt19937_64 rng_{20261123};
};

/// Expects `actual` to hold `expected` elementwise within `tol` (absolute +
/// relative), with the given shape.
inline void expectTensorNear(const Tensor &actual,
                             const std::vector<int64_t> &shape,
                             const std::vector<double> &expected,
                             double tol = 1e-6) {
  ASSERT_EQ(actual.shape(), shape);
  ASSERT_EQ(actual.numElements(), static_cast<int64_t>(expected.size()));
  for (size_t i = 0; i < expected.size(); ++i)
    EXPECT_NEAR(actual.get(i), expected[i], tol * (1 + std::fabs(expected[i])))
        << "element " << i;
}

} // namespace strata::testing

#endif // STRATA_TEST_UNIT_EVALUATORTESTING_H
