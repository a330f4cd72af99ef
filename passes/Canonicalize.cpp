//===- Canonicalize.cpp - --strata-canonicalize ---------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace strata {
#define GEN_PASS_DEF_STRATACANONICALIZE
#include "passes/Passes.h.inc"
} // namespace strata

using namespace mlir;

namespace {

struct StrataCanonicalize
    : public strata::impl::StrataCanonicalizeBase<StrataCanonicalize> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    for (RegisteredOperationName name : ctx->getRegisteredOperations())
      if (name.getDialectNamespace() == "strata" ||
          name.getDialectNamespace() == "func")
        name.getCanonicalizationPatterns(patterns, ctx);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
