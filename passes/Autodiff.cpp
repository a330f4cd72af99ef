//===- Autodiff.cpp - --strata-autodiff
//------------------------------------===//
//
// Clones each training function to `<name>_grad` and appends the reverse-mode
// gradient of its loss (ir/gradients: appendGradients) with respect to the
// parameters it reads, grouped per parameter (share_from ties to its owner).
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "ir/gradients/Gradients.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

namespace strata {
#define GEN_PASS_DEF_STRATAAUTODIFF
#include "passes/Passes.h.inc"
} // namespace strata

using namespace mlir;

namespace {

bool isTrainFunction(func::FuncOp fn) {
  auto phase = fn->getAttrOfType<strata::PhaseAttr>(strata::kPhaseAttrName);
  return phase && phase.getValue() == strata::Phase::train;
}

struct StrataAutodiff
    : public strata::impl::StrataAutodiffBase<StrataAutodiff> {
  using StrataAutodiffBase::StrataAutodiffBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    // Contrastive divergence trains RBMs without a loss to differentiate.
    if (auto alg = module->getAttrOfType<DictionaryAttr>("strata.alg"))
      if (auto name = alg.getAs<StringAttr>("alg");
          name && name.getValue() == "cd" && function.empty()) {
        module.emitError("--strata-autodiff: the job trains with contrastive "
                         "divergence (strata.alg = cd), which is not "
                         "back-propagation: build its gradient functions "
                         "with --strata-contrastive-divergence");
        return signalPassFailure();
      }
    SymbolTable symbols(module);
    SmallVector<func::FuncOp> targets;
    for (auto fn : module.getOps<func::FuncOp>()) {
      if (fn.isExternal() || fn->hasAttr("strata.gradient_of"))
        continue;
      if (function.empty() ? isTrainFunction(fn) : fn.getName() == function)
        targets.push_back(fn);
    }
    if (!function.empty() && targets.empty()) {
      module.emitError("--strata-autodiff: no function @") << function;
      return signalPassFailure();
    }
    for (func::FuncOp fn : targets)
      if (failed(differentiate(fn, symbols)))
        return signalPassFailure();
  }

  LogicalResult differentiate(func::FuncOp fn, SymbolTable &symbols) {
    if (!fn.getBody().hasOneBlock())
      return fn.emitError("autodiff needs a function with one block");
    if (lossResult >= 0 &&
        static_cast<unsigned>(lossResult) >= fn.getNumResults())
      return fn.emitError("has no result ")
             << lossResult << " to differentiate";
    if (fn.getNumResults() == 0)
      return fn.emitError("has no result to differentiate");
    OpBuilder b(fn);
    b.setInsertionPointAfter(fn);
    auto grad = cast<func::FuncOp>(b.clone(*fn));
    std::string name = (fn.getName() + "_grad").str();
    if (symbols.lookup(name))
      return fn.emitError("a function @") << name << " exists already";
    grad.setName(name);
    symbols.insert(grad);

    // The values to differentiate: the reads of each trainable parameter
    // (grouped by owner, in declaration order), then float arguments.
    SmallVector<Value> wrt;
    SmallVector<Attribute> gradOf;
    llvm::MapVector<Operation *, SmallVector<Value>> reads;
    for (auto pv : grad.getOps<strata::ParamValueOp>()) {
      auto owner = pv.getStorageOwner();
      if (!owner)
        return pv.emitError("reads an undeclared parameter");
      if (owner.getTrainable())
        reads[owner].push_back(pv.getValue());
    }
    SmallVector<std::pair<strata::ParameterOp, SmallVector<Value>>> groups;
    for (auto p : symbols.getOp()->getRegion(0).getOps<strata::ParameterOp>())
      if (auto it = reads.find(p); it != reads.end())
        groups.push_back({p, it->second});
    for (auto &[p, values] : groups)
      llvm::append_range(wrt, values);
    SmallVector<unsigned> argIndex;
    if (wrtArguments)
      for (BlockArgument arg : grad.getArguments())
        if (auto t = dyn_cast<RankedTensorType>(arg.getType());
            t && isa<FloatType>(t.getElementType())) {
          wrt.push_back(arg);
          argIndex.push_back(arg.getArgNumber());
        }

    auto ret = cast<func::ReturnOp>(grad.getBody().front().getTerminator());
    // The loss: the given result, else the sum of the marked ones.
    Value loss = ret.getOperand(lossResult >= 0 ? lossResult : 0);
    if (lossResult < 0) {
      Value sum;
      OpBuilder lb(ret);
      for (unsigned i = 0; i < grad.getNumResults(); ++i) {
        if (!fn.getResultAttr(i, "strata.loss"))
          continue;
        Value v = ret.getOperand(i);
        if (!sum) {
          sum = v;
          continue;
        }
        auto add = strata::createWithInferredTypes(
            lb, ret.getLoc(), "strata.add", {sum, v}, {}, 1);
        if (failed(add))
          return failure();
        sum = (*add)->getResult(0);
      }
      if (sum)
        loss = sum;
    }
    auto grads = strata::appendGradients(grad, loss, wrt);
    if (failed(grads))
      return failure();

    // One gradient per parameter: the sum over its reads.
    SmallVector<Value> results(ret.getOperands());
    SmallVector<DictionaryAttr> resultAttrs;
    for (unsigned i = 0; i < fn.getNumResults(); ++i)
      resultAttrs.push_back(fn.getResultAttrDict(i)
                                ? fn.getResultAttrDict(i)
                                : DictionaryAttr::get(fn.getContext()));
    b.setInsertionPoint(ret);
    size_t k = 0;
    for (auto &[p, values] : groups) {
      Value sum = (*grads)[k++];
      for (size_t j = 1; j < values.size(); ++j) {
        auto add = strata::createWithInferredTypes(
            b, ret.getLoc(), "strata.add", {sum, (*grads)[k++]}, {}, 1);
        if (failed(add))
          return failure();
        sum = (*add)->getResult(0);
      }
      results.push_back(sum);
      resultAttrs.push_back(b.getDictionaryAttr(b.getNamedAttr(
          "strata.grad_of", FlatSymbolRefAttr::get(p.getSymNameAttr()))));
    }
    for (unsigned index : argIndex) {
      results.push_back((*grads)[k++]);
      resultAttrs.push_back(b.getDictionaryAttr(
          b.getNamedAttr("strata.grad_of_arg", b.getI64IntegerAttr(index))));
    }
    ret->setOperands(results);
    grad.setType(b.getFunctionType(grad.getArgumentTypes(),
                                   ValueRange(results).getTypes()));
    grad.setAllResultAttrs(resultAttrs);
    grad->setAttr("strata.gradient_of",
                  FlatSymbolRefAttr::get(fn.getSymNameAttr()));
    return success();
  }
};

} // namespace
