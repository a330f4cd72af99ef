//===- LowerToLinalg.cpp - --strata-lower-to-linalg -----------------------===//
//
// Applies the family patterns of passes/lowering/ to every function body,
// then checks that no strata op is left (unless allow-unlowered). With
// library-calls the oneDNN patterns (OneDnnLowering.cpp) join them and win
// over linalg where they match.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"
#include "passes/lowering/Lowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AttrTypeSubElements.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace strata {

#define GEN_PASS_DEF_STRATALOWERTOLINALG
#include "passes/Passes.h.inc"

namespace {

using namespace mlir;

/// arith computes on signless integers: the lowered function's unsigned
/// element types (its signature, tensors, constants) become signless of the
/// same width, the same bits in memory. The patterns already chose unsigned
/// arith ops and put tensor.bitcasts between the strata ops' unsigned tensors
/// and their signless linalg bodies; those casts are now identities.
void makeSignless(func::FuncOp fn) {
  AttrTypeReplacer replacer;
  replacer.addReplacement([](IntegerType t) -> std::optional<Type> {
    if (!t.isUnsigned())
      return std::nullopt;
    return IntegerType::get(t.getContext(), t.getWidth());
  });
  // Dense constants hold their type apart from their sub-elements.
  replacer.addReplacement(
      [](DenseIntElementsAttr a) -> std::optional<Attribute> {
        auto t = dyn_cast<IntegerType>(a.getElementType());
        if (!t || !t.isUnsigned())
          return std::nullopt;
        return a.bitcast(IntegerType::get(t.getContext(), t.getWidth()));
      });
  replacer.recursivelyReplaceElementsIn(fn, /*replaceAttrs=*/true,
                                        /*replaceLocs=*/false,
                                        /*replaceTypes=*/true);
  fn.walk([](tensor::BitcastOp cast) {
    if (cast.getType() == cast.getSource().getType()) {
      cast.replaceAllUsesWith(cast.getSource());
      cast.erase();
    }
  });
}

class LowerToLinalgPass
    : public impl::StrataLowerToLinalgBase<LowerToLinalgPass> {
public:
  using StrataLowerToLinalgBase::StrataLowerToLinalgBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    lowering::populateActivationLowering(patterns);
    lowering::populateConvolutionLowering(patterns);
    lowering::populateElementwiseLowering(patterns);
    lowering::populateIndexingLowering(patterns);
    lowering::populateLinearAlgebraLowering(patterns);
    lowering::populateLossLowering(patterns);
    lowering::populateNormalizationLowering(patterns);
    lowering::populateRandomLowering(patterns);
    lowering::populateRecurrentLowering(patterns);
    lowering::populateReductionLowering(patterns);
    lowering::populateShapeLowering(patterns);
    lowering::populateStructureLowering(patterns);
    if (libraryCalls)
      lowering::populateOneDnnLowering(patterns);
    FrozenRewritePatternSet frozen(std::move(patterns));
    for (auto fn : getOperation().getOps<func::FuncOp>()) {
      if (fn.isExternal())
        continue;
      // Ops are rewritten in place, one at a time; nothing is folded, so the
      // result maps op for op onto the input.
      GreedyRewriteConfig config;
      config.enableFolding(false);
      if (failed(applyPatternsGreedily(fn, frozen, config))) {
        fn.emitError("lowering to linalg did not converge");
        return signalPassFailure();
      }
      // Unlowered strata ops keep their unsigned types (and semantics).
      bool lowered =
          !fn.walk([](Operation *op) {
               return op->getDialect() && isa<StrataDialect>(op->getDialect())
                          ? WalkResult::interrupt()
                          : WalkResult::advance();
             }).wasInterrupted();
      if (lowered)
        makeSignless(fn);
    }
    if (allowUnlowered)
      return;
    bool failedAny = false;
    getOperation().walk([&](Operation *op) {
      if (op->getDialect() && isa<StrataDialect>(op->getDialect()) &&
          op->getParentOfType<func::FuncOp>()) {
        op->emitError("'") << op->getName()
                           << "' has no lowering to linalg for this form yet";
        failedAny = true;
      }
    });
    if (failedAny)
      signalPassFailure();
  }
};

} // namespace
} // namespace strata
