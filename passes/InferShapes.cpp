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
    bool failedInference = false;
    module.walk([&](func::FuncOp fn) {
      fn.walk([&](Operation *op) {
        auto infer = dyn_cast<InferTypeOpInterface>(op);
        if (!infer || op->getDialect()->getNamespace() != "strata")
          return;
        SmallVector<Type> inferred;
        if (failed(infer.inferReturnTypes(
                op->getContext(), op->getLoc(), op->getOperands(),
                op->getRawDictionaryAttrs(), op->getPropertiesStorage(),
                op->getRegions(), inferred))) {
          failedInference = true;
          return;
        }
        for (auto [result, type] : llvm::zip(op->getResults(), inferred))
          result.setType(refine(result.getType(), type));
      });
      // The signature follows what the function returns.
      if (fn.isExternal())
        return;
      auto ret = cast<func::ReturnOp>(fn.getBody().back().getTerminator());
      SmallVector<Type> results;
      for (auto [declared, value] :
           llvm::zip(fn.getResultTypes(), ret.getOperands()))
        results.push_back(refine(declared, value.getType()));
      fn.setType(FunctionType::get(fn.getContext(), fn.getArgumentTypes(),
                                   results));
    });
    if (failedInference)
      return signalPassFailure();
    // Call sites take the callee's refined result types.
    module.walk([&](func::CallOp call) {
      auto callee = module.lookupSymbol<func::FuncOp>(call.getCallee());
      if (!callee)
        return;
      for (auto [result, type] :
           llvm::zip(call.getResults(), callee.getResultTypes()))
        result.setType(refine(result.getType(), type));
    });
  }
};

} // namespace
