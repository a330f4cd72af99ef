//===- GradientBuilder.h - Building gradients as strata ops -----*- C++ -*-===//
//
// Used by ir/gradients and by --strata-updater (passes/Updater.cpp), which
// writes the training step with the same builder. A gradient rule is a function
//   LogicalResult rule(OpTy op, GradientBuilder &g, ArrayRef<Value> dy,
//                      SmallVectorImpl<Value> &dx)
// that appends one gradient (or a null Value) per operand. GradientBuilder
// creates strata ops with inferred result types; a failed creation yields a
// null Value (with its diagnostic at the op) and makes the whole rule fail,
// so rules read as straight-line formulas.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_IR_GRADIENTS_GRADIENTBUILDER_H
#define STRATA_IR_GRADIENTS_GRADIENTBUILDER_H

#include "ir/StrataDialect.h"

#include "mlir/IR/Builders.h"

namespace strata::gradients {

using mlir::ArrayRef;
using mlir::LogicalResult;
using mlir::SmallVectorImpl;
using mlir::Value;

class GradientBuilder {
public:
  GradientBuilder(mlir::OpBuilder &builder, mlir::Operation *op)
      : b_(builder), op_(op), loc_(op->getLoc()) {}

  mlir::OpBuilder &builder() { return b_; }
  mlir::MLIRContext *context() { return b_.getContext(); }
  /// Whether every op built so far was valid.
  LogicalResult status() const { return mlir::failure(failed_); }
  /// Records a failure with a message at the differentiated op.
  Value fail(const llvm::Twine &message);

  /// A strata op `name` (without the "strata." prefix) with inferred
  /// result types; null (and a recorded failure) if an operand is null or the
  /// op does not verify.
  mlir::Operation *create(llvm::StringRef name, mlir::ValueRange operands,
                          ArrayRef<mlir::NamedAttribute> attrs = {},
                          unsigned numResults = 1);
  Value op(llvm::StringRef name, mlir::ValueRange operands,
           ArrayRef<mlir::NamedAttribute> attrs = {});

  // Attributes.
  mlir::NamedAttribute attr(llvm::StringRef name, mlir::Attribute value) {
    return b_.getNamedAttr(name, value);
  }
  mlir::NamedAttribute i64(llvm::StringRef name, int64_t v) {
    return attr(name, b_.getI64IntegerAttr(v));
  }
  mlir::NamedAttribute f64(llvm::StringRef name, double v) {
    return attr(name, b_.getF64FloatAttr(v));
  }
  mlir::NamedAttribute array(llvm::StringRef name, ArrayRef<int64_t> v) {
    return attr(name, b_.getDenseI64ArrayAttr(v));
  }
  mlir::NamedAttribute flag(llvm::StringRef name, bool v) {
    return attr(name, b_.getBoolAttr(v));
  }

  // Arithmetic (numpy broadcasting, as the strata ops do).
  Value add(Value a, Value b) { return op("add", {a, b}); }
  Value sub(Value a, Value b) { return op("sub", {a, b}); }
  Value mul(Value a, Value b) { return op("mul", {a, b}); }
  Value div(Value a, Value b) { return op("div", {a, b}); }
  Value neg(Value a) { return op("neg", a); }
  /// A rank-0 constant of `like`'s element type, or of `element`.
  Value scalar(Value like, double v);
  Value scalar(mlir::Type element, double v);
  /// `a * v` for a constant v.
  Value scale(Value a, double v) { return mul(a, scalar(a, v)); }
  /// Zeros of `like`'s type (a static shape: a constant; else like * 0).
  Value zerosLike(Value like);
  /// 1.0 where `cond` (i1) holds, else 0.0, in `like`'s element type.
  Value select01(Value cond, Value like);

  /// Sums a gradient of a broadcast result back to the shape of `operand`:
  /// reduces the leading dimensions the operand lacks and the dimensions
  /// where it has size 1, then reshapes to its shape.
  Value sumToShape(Value grad, Value operand);
  /// Casts to `like`'s element type (or to `element`) if it differs.
  Value castLike(Value v, Value like);
  Value castTo(Value v, mlir::Type element);

private:
  mlir::OpBuilder &b_;
  mlir::Operation *op_;
  mlir::Location loc_;
  bool failed_ = false;
};

/// Rule signature for op type OpTy.
template <typename OpTy>
using Rule = LogicalResult (*)(OpTy, GradientBuilder &, ArrayRef<Value>,
                               SmallVectorImpl<Value> &);

/// The GradientOpInterface model running `rule`.
template <typename OpTy, Rule<OpTy> rule>
struct RuleModel
    : GradientOpInterface::ExternalModel<RuleModel<OpTy, rule>, OpTy> {
  LogicalResult buildGradient(mlir::Operation *op, mlir::OpBuilder &builder,
                              ArrayRef<Value> resultGrads,
                              SmallVectorImpl<Value> &operandGrads) const {
    GradientBuilder g(builder, op);
    if (mlir::failed(rule(llvm::cast<OpTy>(op), g, resultGrads, operandGrads)))
      return mlir::failure();
    if (mlir::failed(g.status()))
      return mlir::failure();
    if (operandGrads.size() != op->getNumOperands())
      return op->emitError("gradient rule produced ")
             << operandGrads.size() << " operand gradients for "
             << op->getNumOperands() << " operands";
    return mlir::success();
  }
};

template <typename OpTy, Rule<OpTy> rule> void attach(mlir::MLIRContext *ctx) {
  OpTy::template attachInterface<RuleModel<OpTy, rule>>(*ctx);
}

// One per family, in <Family>Gradients.cpp.
void attachStructureGradients(mlir::MLIRContext *ctx);
void attachElementwiseGradients(mlir::MLIRContext *ctx);
void attachActivationGradients(mlir::MLIRContext *ctx);
void attachLinearAlgebraGradients(mlir::MLIRContext *ctx);
void attachReductionGradients(mlir::MLIRContext *ctx);
void attachShapeGradients(mlir::MLIRContext *ctx);
void attachLossGradients(mlir::MLIRContext *ctx);
void attachConvolutionGradients(mlir::MLIRContext *ctx);
void attachNormalizationGradients(mlir::MLIRContext *ctx);
void attachIndexingGradients(mlir::MLIRContext *ctx);
void attachRecurrentGradients(mlir::MLIRContext *ctx);
void attachRandomGradients(mlir::MLIRContext *ctx);

} // namespace strata::gradients

#endif // STRATA_IR_GRADIENTS_GRADIENTBUILDER_H
