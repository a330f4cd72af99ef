//===- Gradients.h - Gradients of strata ops and functions ------*- C++ -*-===//
//
// Reverse-mode differentiation in the IR: every differentiable op implements
// GradientOpInterface (ir/GradientOpInterface.td) through the models in
// <Family>Gradients.cpp, and appendGradients differentiates a function body
// with them. The autodiff pass (passes/Autodiff.cpp) and the gradient checks
// (test/unit/gradients/) are its users.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_IR_GRADIENTS_GRADIENTS_H
#define STRATA_IR_GRADIENTS_GRADIENTS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"

namespace strata {

/// Attaches GradientOpInterface to every differentiable strata op (called
/// when the dialect is loaded).
void attachGradientModels(mlir::MLIRContext *context);

/// Names of the strata ops with a gradient, for coverage tests.
std::vector<std::string> differentiableOpNames(mlir::MLIRContext *context);

/// Appends to the body of `fn`, before its terminator, the ops computing the
/// gradient of `loss` (a value of `fn`'s body, usually a rank-0 float
/// tensor; a non-scalar loss is summed) with respect to each value of `wrt`
/// (block arguments or op results in `fn`). Returns one gradient per `wrt`
/// value, of its type; zeros where `loss` does not depend on it. Fails with
/// a diagnostic at the op when an op on the path has no gradient.
mlir::FailureOr<llvm::SmallVector<mlir::Value>>
appendGradients(mlir::func::FuncOp fn, mlir::Value loss,
                llvm::ArrayRef<mlir::Value> wrt);

} // namespace strata

#endif // STRATA_IR_GRADIENTS_GRADIENTS_H
