//===- StructureKernels.cpp - Parameters, data inputs, constants, casts ---===//

#include "ir/StrataDialect.h"
#include "ir/reference/Constants.h"
#include "ir/reference/Evaluator.h"

using namespace mlir;

namespace strata::reference {

void registerStructureKernels(KernelRegistry &registry) {
  registry.addWithEnvironment<ParamValueOp>(
      [](ParamValueOp op, llvm::ArrayRef<Tensor>, std::vector<Tensor> &out,
         Environment &env) -> llvm::Error {
        // A tied parameter reads the storage of the one it shares from.
        std::string name = op.getParam().str();
        auto module = op->getParentOfType<ModuleOp>();
        for (int hops = 0; module && hops < 64; ++hops) {
          auto param = SymbolTable::lookupSymbolIn(
              module, StringAttr::get(op.getContext(), name));
          auto p = dyn_cast_or_null<ParameterOp>(param);
          if (!p || !p.getShareFrom())
            break;
          name = p.getShareFrom()->str();
        }
        auto it = env.parameters.find(name);
        if (it == env.parameters.end())
          return evaluationError(op, "parameter @" + name + " has no value");
        out.push_back(it->second);
        return llvm::Error::success();
      });
  registry.addWithEnvironment<DataInputOp>(
      [](DataInputOp op, llvm::ArrayRef<Tensor>, std::vector<Tensor> &out,
         Environment &env) -> llvm::Error {
        auto it = env.dataInputs.find(op.getName().str());
        if (it == env.dataInputs.end())
          return evaluationError(op, "data input '" + op.getName() +
                                         "' has no value");
        out = it->second;
        return llvm::Error::success();
      });
  registry.add<ConstantOp>([](ConstantOp op, llvm::ArrayRef<Tensor>,
                              std::vector<Tensor> &out) -> llvm::Error {
    auto t = tensorFromAttr(op.getValue());
    if (!t)
      return evaluationError(op, "has a value the evaluator cannot read");
    out.push_back(std::move(*t));
    return llvm::Error::success();
  });
  registry.add<CastOp>([](CastOp op, llvm::ArrayRef<Tensor> in,
                          std::vector<Tensor> &out) -> llvm::Error {
    E8M0Rounding mode = op.getRoundMode() == "down"      ? E8M0Rounding::down
                        : op.getRoundMode() == "nearest" ? E8M0Rounding::nearest
                                                         : E8M0Rounding::up;
    out.push_back(
        in[0].castTo(dtypeOfValue(op.getOutput()), op.getSaturate(), mode));
    return llvm::Error::success();
  });
}

} // namespace strata::reference
