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
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/PatternMatch.h"

#include <functional>

namespace strata::lowering {

void populateActivationLowering(mlir::RewritePatternSet &patterns);
void populateConvolutionLowering(mlir::RewritePatternSet &patterns);
void populateElementwiseLowering(mlir::RewritePatternSet &patterns);
void populateIndexingLowering(mlir::RewritePatternSet &patterns);
void populateLinearAlgebraLowering(mlir::RewritePatternSet &patterns);
void populateLossLowering(mlir::RewritePatternSet &patterns);
void populateNormalizationLowering(mlir::RewritePatternSet &patterns);
/// Calls into the runtime's oneDNN functions for the heavy ops; these
/// patterns have a higher benefit than the linalg ones.
void populateOneDnnLowering(mlir::RewritePatternSet &patterns);
void populateRandomLowering(mlir::RewritePatternSet &patterns);
void populateRecurrentLowering(mlir::RewritePatternSet &patterns);
void populateReductionLowering(mlir::RewritePatternSet &patterns);
void populateShapeLowering(mlir::RewritePatternSet &patterns);
void populateStructureLowering(mlir::RewritePatternSet &patterns);

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

/// Folds one element into an accumulator: (acc, value) -> acc'.
using ReductionBody = std::function<mlir::Value(
    mlir::OpBuilder &, mlir::Location, mlir::Value, mlir::Value)>;

/// `linalg.generic` folding `x` over the dims marked in `reduced` with
/// `body`, from `identity` (whose type is the accumulator's element type).
/// The result drops the reduced dims.
mlir::Value buildReduction(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value x, llvm::ArrayRef<bool> reduced,
                           mlir::Value identity, ReductionBody body);

/// The shift of a log-sum-exp from maxima `m` (any shape): m, with -inf
/// replaced by 0 (a slice that is all -inf has no finite maximum; the
/// reference evaluator shifts it by 0).
mlir::Value logSumExpShift(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value m);

/// The same elements under another static shape (collapse and expand:
/// views once bufferized).
mlir::Value reshapeStatic(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                          mlir::RankedTensorType target);

/// Computes one element of a result from its position (`index` values, one
/// per dim).
using IndexedBody = llvm::function_ref<mlir::Value(
    mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;

/// `linalg.generic` writing a new tensor of `resultType` (static shape) whose
/// element at each position is `body(position)`: the gathers and the shape
/// ops that read their input at a computed position (tensor.extract).
mlir::Value buildIndexed(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::RankedTensorType resultType, IndexedBody body);

/// Index value `v` (a signless integer) into a dim of size `d` >= 1 as an
/// `index`: negative values count from the end, and the result is clamped
/// into [0, d) so that it can always be read or written. `inRange`, when
/// given, receives whether `v` lay in [-d, d).
mlir::Value resolveIndex(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v,
                         int64_t d, mlir::Value *inRange = nullptr);

/// Unsigned integer element types: arith works on signless integers, so the
/// builders above compute on signless tensors (the ops' patterns choose the
/// unsigned arith ops: divui, cmpi ult, ...). `signlessType` maps ui<N> to
/// i<N> (and tensors of it); `toSignless` / `fromSignless` are
/// tensor.bitcasts, which --strata-lower-to-linalg removes at its end when it
/// rewrites every unsigned type of the function to signless.
mlir::Type signlessType(mlir::Type t);
mlir::Value toSignless(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x);
mlir::Value fromSignless(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                         mlir::Type original);

/// f16 / bf16 tensors widened to f32 (others unchanged), and a result
/// rounded back to `type`: ops that sum many terms (convolutions) compute in
/// f32 and round once, as the evaluator does in double.
bool isHalfFloat(mlir::Type t);
mlir::Value widenHalf(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x);
mlir::Value narrowTo(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                     mlir::RankedTensorType type);

/// A float constant of type `t` (a float type).
mlir::Value floatConstant(mlir::OpBuilder &b, mlir::Location loc, mlir::Type t,
                          double v);

} // namespace strata::lowering

#endif // STRATA_PASSES_LOWERING_LOWERING_H
