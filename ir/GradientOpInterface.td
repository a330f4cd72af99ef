//===- GradientOpInterface.td - How a strata op differentiates -*- tablegen -*-===//
//
// Every differentiable strata op implements GradientOpInterface; the models
// live in ir/gradients/<Family>Gradients.cpp and are attached when the
// dialect loads.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_GRADIENT_OP_INTERFACE_TD
#define STRATA_GRADIENT_OP_INTERFACE_TD

include "mlir/IR/OpBase.td"

def Strata_GradientOpInterface : OpInterface<"GradientOpInterface"> {
  let description = [{
    Reverse-mode differentiation of one op, expressed as strata ops. Given the
    gradient of a scalar loss with respect to each result (`resultGrads`, one
    per result; a null Value where no gradient flows), the op appends one
    value per operand to `operandGrads`: the gradient of the loss with
    respect to that operand, of the operand's type, or a null Value where
    the operand is not differentiable (integer indices, labels, shapes) or
    receives nothing. New ops are created with `builder` at its insertion
    point; a failure (with a diagnostic at the op) means the op cannot be
    differentiated in this form.
  }];
  let cppNamespace = "::strata";
  let methods = [
    InterfaceMethod<
      "Appends the gradient of each operand to `operandGrads`.",
      "::llvm::LogicalResult", "buildGradient",
      (ins "::mlir::OpBuilder &":$builder,
           "::llvm::ArrayRef<::mlir::Value>":$resultGrads,
           "::llvm::SmallVectorImpl<::mlir::Value> &":$operandGrads)>
  ];
}

#endif // STRATA_GRADIENT_OP_INTERFACE_TD
