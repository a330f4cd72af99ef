//===- InputsToArguments.cpp - --strata-inputs-to-arguments ---------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <map>

namespace strata {

#define GEN_PASS_DEF_STRATAINPUTSTOARGUMENTS
#include "passes/Passes.h.inc"

namespace {

using namespace mlir;

class InputsToArgumentsPass
    : public impl::StrataInputsToArgumentsBase<InputsToArgumentsPass> {
public:
  void runOnOperation() override {
    for (auto fn : getOperation().getOps<func::FuncOp>())
      if (!fn.isExternal())
        convert(fn);
  }

private:
  void convert(func::FuncOp fn) {
    Block &entry = fn.getBody().front();
    MLIRContext *ctx = fn.getContext();
    std::map<std::string, SmallVector<BlockArgument>> inputs;
    std::map<std::string, BlockArgument> params;
    SmallVector<Operation *> dead;
    auto addArgument = [&](Type type, Location loc,
                           ArrayRef<NamedAttribute> attrs) {
      unsigned index = fn.getNumArguments();
      if (failed(fn.insertArgument(index, type, DictionaryAttr::get(ctx, attrs),
                                   loc)))
        return BlockArgument();
      return entry.getArgument(index);
    };
    fn.walk([&](Operation *op) {
      if (auto input = dyn_cast<DataInputOp>(op)) {
        std::string name = input.getName().str();
        auto it = inputs.find(name);
        if (it == inputs.end()) {
          SmallVector<BlockArgument> args;
          for (auto [i, result] : llvm::enumerate(input.getResults())) {
            SmallVector<NamedAttribute> attrs = {
                NamedAttribute(StringAttr::get(ctx, "strata.data_input"),
                               input.getNameAttr()),
                NamedAttribute(StringAttr::get(ctx, "strata.output"),
                               IntegerAttr::get(IntegerType::get(ctx, 64), i))};
            // Where the input reads from travels with it (the artifact
            // writer's data-input description).
            if (auto source = input->getAttr("strata.source"))
              attrs.push_back(NamedAttribute(
                  StringAttr::get(ctx, "strata.source"), source));
            args.push_back(
                addArgument(result.getType(), input.getLoc(), attrs));
          }
          it = inputs.emplace(name, args).first;
        }
        for (auto [result, arg] : llvm::zip(input.getResults(), it->second))
          result.replaceAllUsesWith(arg);
        dead.push_back(op);
      } else if (auto read = dyn_cast<ParamValueOp>(op)) {
        std::string name = read.getParam().str();
        auto it = params.find(name);
        if (it == params.end()) {
          NamedAttribute attrs[] = {NamedAttribute(
              StringAttr::get(ctx, "strata.param"), read.getParamAttr())};
          it = params
                   .emplace(name,
                            addArgument(read.getType(), read.getLoc(), attrs))
                   .first;
        }
        read.getResult().replaceAllUsesWith(it->second);
        dead.push_back(op);
      }
    });
    for (Operation *op : dead)
      op->erase();
  }
};

} // namespace
} // namespace strata
