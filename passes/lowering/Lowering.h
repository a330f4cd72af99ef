//===- Lowering.h - strata -> linalg / tensor / arith, by op family -------===//
//
// The patterns of --strata-lower-to-linalg (passes/LowerToLinalg.cpp), one
// populate function per op family, each in <Family>Lowering.cpp. A pattern
// that cannot lower a form (dynamic sizes, an element type the family does
// not handle yet) fails to match with a reason; the pass then reports the op
// as having no lowering.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_PASSES_LOWERING_LOWERING_H
#define STRATA_PASSES_LOWERING_LOWERING_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"

namespace strata::lowering {

void populateElementwiseLowering(mlir::RewritePatternSet &patterns);
void populateLinearAlgebraLowering(mlir::RewritePatternSet &patterns);

/// Builds the body of a pointwise computation: the scalar result from the
/// scalar operands (already of the operands' element types).
using ScalarBody = llvm::function_ref<mlir::Value(
    mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;

/// `linalg.generic` computing `body` over the (numpy-broadcast) operands into
/// a new tensor of `resultType` (static shape). Operands of lower rank align
/// right; size-1 dims broadcast.
mlir::Value buildPointwise(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::RankedTensorType resultType,
                           mlir::ValueRange operands, ScalarBody body);

/// A float constant of type `t` (a float type).
mlir::Value floatConstant(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Type t, double v);

} // namespace strata::lowering

#endif // STRATA_PASSES_LOWERING_LOWERING_H
