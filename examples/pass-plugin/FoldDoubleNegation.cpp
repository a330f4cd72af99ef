//===- FoldDoubleNegation.cpp - Example strata-opt pass plugin ------------===//
//
// Rewrites strata.neg(strata.neg(x)) to x. Small on purpose: it shows the
// parts every plugin has (a pattern over strata ops, a pass, the
// mlirGetPassPluginInfo entry point).
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;

namespace {

struct FoldDoubleNegationPattern : OpRewritePattern<strata::NegOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(strata::NegOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<strata::NegOp>();
    if (!inner || inner.getInput().getType() != op.getType())
      return failure();
    rewriter.replaceOp(op, inner.getInput());
    return success();
  }
};

struct FoldDoubleNegationPass
    : PassWrapper<FoldDoubleNegationPass, OperationPass<>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(FoldDoubleNegationPass)
  StringRef getArgument() const final { return "example-fold-double-negation"; }
  StringRef getDescription() const final {
    return "Example plugin pass: strata.neg(strata.neg(x)) -> x";
  }
  void getDependentDialects(DialectRegistry &registry) const override {
    registry.insert<strata::StrataDialect>();
  }
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldDoubleNegationPattern>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "StrataExamplePlugin", LLVM_VERSION_STRING,
          [] { PassRegistration<FoldDoubleNegationPass>(); }};
}
