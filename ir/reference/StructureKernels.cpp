//===- StructureKernels.cpp - Parameters, data inputs, constants, casts ---===//

#include "ir/StrataDialect.h"
#include "ir/reference/Constants.h"
#include "ir/reference/Evaluator.h"

#include "llvm/ADT/APFloat.h"

#include <algorithm>

using namespace mlir;

namespace strata::reference {

namespace {

const llvm::fltSemantics &semanticsOf(DType t) {
  switch (t) {
  case DType::f16:
    return llvm::APFloat::IEEEhalf();
  case DType::bf16:
    return llvm::APFloat::BFloat();
  case DType::f32:
    return llvm::APFloat::IEEEsingle();
  default:
    return llvm::APFloat::IEEEdouble();
  }
}

/// The bit pattern of element `i` (i1: the byte 0 or 1).
uint64_t bitsOf(const Tensor &x, int64_t i) {
  if (x.isFloat()) {
    llvm::APFloat f(x.get(i));
    bool losesInfo; // exact: the double holds a value of the element type
    f.convert(semanticsOf(x.dtype()), llvm::APFloat::rmNearestTiesToEven,
              &losesInfo);
    return f.bitcastToAPInt().getZExtValue();
  }
  unsigned w = bitWidth(x.dtype());
  uint64_t v = static_cast<uint64_t>(x.getInt(i));
  return w == 64 ? v : v & ((uint64_t{1} << w) - 1);
}

llvm::Error bitcastKernel(BitcastOp op, llvm::ArrayRef<Tensor> in,
                          std::vector<Tensor> &out) {
  const Tensor &x = in[0];
  DType to = dtypeOfValue(op.getOutput());
  Tensor y(to, x.shape());
  unsigned w = std::max(8u, bitWidth(to));
  for (int64_t i = 0, e = x.numElements(); i < e; ++i) {
    uint64_t bits = bitsOf(x, i);
    if (isFloatDType(to)) {
      llvm::APFloat f(semanticsOf(to), llvm::APInt(w, bits));
      if (f.isSignaling())
        return evaluationError(op, "element " + llvm::Twine(i) +
                                       " is a signalling NaN bit pattern, "
                                       "which the evaluator cannot hold");
      bool losesInfo;
      f.convert(llvm::APFloat::IEEEdouble(), llvm::APFloat::rmNearestTiesToEven,
                &losesInfo);
      y.set(i, f.convertToDouble());
    } else {
      if (to == DType::i1 && bits > 1)
        return evaluationError(op, "element " + llvm::Twine(i) + " is " +
                                       llvm::Twine(bits) +
                                       ", not a bool byte (0 or 1)");
      y.setInt(i, static_cast<int64_t>(bits)); // wraps to the width
    }
  }
  out.push_back(std::move(y));
  return llvm::Error::success();
}

} // namespace

void registerStructureKernels(KernelRegistry &registry) {
  registry.addWithEnvironment<ParamValueOp>(
      [](ParamValueOp op, llvm::ArrayRef<Tensor>, std::vector<Tensor> &out,
         Environment &env) -> llvm::Error {
        // A tied parameter reads the storage of the one it shares from.
        std::string name = op.getParam().str();
        if (ParameterOp owner = op.getStorageOwner())
          name = owner.getSymName().str();
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
  registry.add<BitcastOp>(bitcastKernel);
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
