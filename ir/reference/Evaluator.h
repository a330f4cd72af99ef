//===- Evaluator.h - The reference evaluator: the meaning of every op -----===//
//
// Runs a function of the strata dialect op by op on host tensors. Each op's
// kernel (reference/<Family>Kernels.cpp) is the executable definition of the
// op: plain loops, written to be obviously correct (the hot ones over raw
// rows, in the same order of operations; see README.md). Frontends, passes
// and backends are tested against it. It is never the runtime.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_IR_REFERENCE_EVALUATOR_H
#define STRATA_IR_REFERENCE_EVALUATOR_H

#include "ir/reference/Tensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <functional>
#include <map>
#include <string>

namespace strata::reference {

/// Values the evaluated IR reads from outside its arguments.
struct Environment {
  /// Values of strata.parameter symbols, by name.
  std::map<std::string, Tensor> parameters;
  /// Tensors of each strata.data_input, by input name.
  std::map<std::string, std::vector<Tensor>> dataInputs;

  /// Gives every parameter of `module` that has no value (and shares from
  /// none) a value drawn from its init spec, deterministically for `seed`.
  llvm::Error initializeParameters(mlir::ModuleOp module, uint64_t seed);
};

/// Kernel: computes an op's results from its operand values.
using Kernel = std::function<llvm::Error(
    mlir::Operation *op, llvm::ArrayRef<Tensor> operands,
    std::vector<Tensor> &results, Environment &env)>;

class KernelRegistry {
public:
  /// The registry with every family's kernels.
  static const KernelRegistry &get();

  template <typename OpTy, typename Fn> void add(Fn fn) {
    kernels_[OpTy::getOperationName()] =
        [fn](mlir::Operation *op, llvm::ArrayRef<Tensor> operands,
             std::vector<Tensor> &results, Environment &) -> llvm::Error {
      return fn(llvm::cast<OpTy>(op), operands, results);
    };
  }
  template <typename OpTy, typename Fn> void addWithEnvironment(Fn fn) {
    kernels_[OpTy::getOperationName()] =
        [fn](mlir::Operation *op, llvm::ArrayRef<Tensor> operands,
             std::vector<Tensor> &results, Environment &env) -> llvm::Error {
      return fn(llvm::cast<OpTy>(op), operands, results, env);
    };
  }
  const Kernel *lookup(llvm::StringRef opName) const;
  /// Names of every op with a kernel (for coverage tests).
  std::vector<std::string> opNames() const;

private:
  llvm::StringMap<Kernel> kernels_;
};

/// Evaluates one op on the given operand values.
llvm::Expected<std::vector<Tensor>>
evaluateOperation(mlir::Operation *op, llvm::ArrayRef<Tensor> operands,
                  Environment &env);

/// Evaluates `fn` on `arguments`; returns the values of its func.return.
llvm::Expected<std::vector<Tensor>>
evaluateFunction(mlir::func::FuncOp fn, llvm::ArrayRef<Tensor> arguments,
                 Environment &env);

/// An evaluation error at `op`: "<loc>: 'op.name' <message>".
llvm::Error evaluationError(mlir::Operation *op, const llvm::Twine &message);

/// The dtype of a ranked tensor value's element type (the verifier has
/// ensured it is one the evaluator knows).
DType dtypeOfValue(mlir::Value value);
/// The shape of a value's type (dynamic sizes are ShapedType::kDynamic).
std::vector<int64_t> staticShapeOf(mlir::Value value);

// Per-family registration, one function per reference/<Family>Kernels.cpp.
void registerStructureKernels(KernelRegistry &registry);
void registerElementwiseKernels(KernelRegistry &registry);
void registerActivationKernels(KernelRegistry &registry);
void registerConvolutionKernels(KernelRegistry &registry);
void registerLinearAlgebraKernels(KernelRegistry &registry);
void registerNormalizationKernels(KernelRegistry &registry);
void registerReductionKernels(KernelRegistry &registry);
void registerShapeKernels(KernelRegistry &registry);
void registerIndexingKernels(KernelRegistry &registry);
void registerRecurrentKernels(KernelRegistry &registry);
void registerRandomKernels(KernelRegistry &registry);
void registerLossKernels(KernelRegistry &registry);

} // namespace strata::reference

#endif // STRATA_IR_REFERENCE_EVALUATOR_H
