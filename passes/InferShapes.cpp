//===- InferShapes.cpp - --strata-infer-shapes ----------------------------===//
//
// Walks each function in program order and narrows result types to what the
// op's InferTypeOpInterface infers from the (already narrowed) operands. Only
// dynamic sizes are replaced; function signatures and call sites follow.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"

namespace strata {
#define GEN_PASS_DEF_STRATAINFERSHAPES
#include "passes/Passes.h.inc"
} // namespace strata

using namespace mlir;

namespace {

/// The more precise of two compatible types: static sizes of `inferred` fill
/// the dynamic sizes of `declared`.
Type refine(Type declared, Type inferred) {
  auto d = dyn_cast<RankedTensorType>(declared);
  auto i = dyn_cast<RankedTensorType>(inferred);
  if (!d || !i || d.getRank() != i.getRank() ||
      d.getElementType() != i.getElementType())
    return declared;
  SmallVector<int64_t> shape(d.getShape());
  for (int64_t k = 0; k < d.getRank(); ++k)
    if (ShapedType::isDynamic(shape[k]))
      shape[k] = i.getDimSize(k);
  return RankedTensorType::get(shape, d.getElementType(), d.getEncoding());
}

struct StrataInferShapes
    : public strata::impl::StrataInferShapesBase<StrataInferShapes> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    // Callers take their callees' refined results, so sweep until nothing
    // changes; every sweep only narrows types, so this terminates.
    bool changed = true;
    while (changed) {
      changed = false;
      WalkResult result = module.walk([&](func::FuncOp fn) -> WalkResult {
        if (fn.isExternal())
          return WalkResult::advance();
        WalkResult inner = fn.walk([&](Operation *op) -> WalkResult {
          SmallVector<Type> inferred;
          if (auto call = dyn_cast<func::CallOp>(op)) {
            auto callee = module.lookupSymbol<func::FuncOp>(call.getCallee());
            if (!callee)
              return WalkResult::advance();
            llvm::append_range(inferred, callee.getResultTypes());
          } else if (auto infer = dyn_cast<InferTypeOpInterface>(op)) {
            if (op->getDialect()->getNamespace() != "strata")
              return WalkResult::advance();
            if (failed(infer.inferReturnTypes(
                    op->getContext(), op->getLoc(), op->getOperands(),
                    op->getRawDictionaryAttrs(), op->getPropertiesStorage(),
                    op->getRegions(), inferred)))
              return WalkResult::interrupt();
          } else {
            return WalkResult::advance();
          }
          for (auto [value, type] : llvm::zip(op->getResults(), inferred)) {
            Type refined = refine(value.getType(), type);
            if (refined != value.getType()) {
              value.setType(refined);
              changed = true;
            }
          }
          return WalkResult::advance();
        });
        if (inner.wasInterrupted())
          return WalkResult::interrupt();
        // The signature follows what the function returns.
        auto ret = cast<func::ReturnOp>(fn.getBody().back().getTerminator());
        SmallVector<Type> results;
        for (auto [declared, value] :
             llvm::zip(fn.getResultTypes(), ret.getOperands()))
          results.push_back(refine(declared, value.getType()));
        auto type =
            FunctionType::get(fn.getContext(), fn.getArgumentTypes(), results);
        if (type != fn.getFunctionType()) {
          fn.setType(type);
          changed = true;
        }
        return WalkResult::advance();
      });
      if (result.wasInterrupted())
        return signalPassFailure();
    }
  }
};

} // namespace
