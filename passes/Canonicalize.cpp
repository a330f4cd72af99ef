//===- Canonicalize.cpp - --strata-canonicalize ---------------------------===//
//
// The strata dialect's folders and canonicalization patterns, plus constant
// folding: a pure strata op whose operands are all constants is evaluated by
// the reference evaluator (the definition of the op) and replaced by
// strata.constant results.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "ir/reference/Constants.h"
#include "ir/reference/Evaluator.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace strata {
#define GEN_PASS_DEF_STRATACANONICALIZE
#include "passes/Passes.h.inc"
} // namespace strata

using namespace mlir;

namespace {

struct FoldConstantOperands : RewritePattern {
  FoldConstantOperands(MLIRContext *ctx, int64_t maxElements)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx),
        maxElements(maxElements) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (op->getDialect() == nullptr ||
        op->getDialect()->getNamespace() != "strata" ||
        isa<strata::ConstantOp>(op) || op->getNumOperands() == 0 || !isPure(op))
      return failure();
    std::vector<strata::reference::Tensor> operands;
    for (Value v : op->getOperands()) {
      ElementsAttr value;
      if (!matchPattern(v, m_Constant(&value)))
        return failure();
      auto t = strata::reference::tensorFromAttr(value);
      if (!t)
        return failure();
      operands.push_back(std::move(*t));
    }
    for (Type type : op->getResultTypes()) {
      auto ranked = dyn_cast<RankedTensorType>(type);
      if (!ranked || !ranked.hasStaticShape() ||
          ranked.getNumElements() > maxElements)
        return failure();
    }
    strata::reference::Environment env;
    auto results = strata::reference::evaluateOperation(op, operands, env);
    if (!results) {
      // A constant expression that fails (integer division by zero) is left
      // for the user to see at run time, not folded away.
      llvm::consumeError(results.takeError());
      return failure();
    }
    SmallVector<Value> replacements;
    for (auto [type, t] : llvm::zip(op->getResultTypes(), *results)) {
      auto attr =
          strata::reference::attrFromTensor(t, cast<RankedTensorType>(type));
      replacements.push_back(
          strata::ConstantOp::create(rewriter, op->getLoc(), attr));
    }
    rewriter.replaceOp(op, replacements);
    return success();
  }

  int64_t maxElements;
};

struct StrataCanonicalize
    : public strata::impl::StrataCanonicalizeBase<StrataCanonicalize> {
  using StrataCanonicalizeBase::StrataCanonicalizeBase;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    for (RegisteredOperationName name : ctx->getRegisteredOperations())
      if (name.getDialectNamespace() == "strata" ||
          name.getDialectNamespace() == "func")
        name.getCanonicalizationPatterns(patterns, ctx);
    patterns.add<FoldConstantOperands>(ctx, foldLimit);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
