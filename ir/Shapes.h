//===- Shapes.h - Shape rules shared by the strata ops' type inference ----===//
//
// Small, pure functions on shapes. Dynamic sizes are ShapedType::kDynamic and
// propagate: a rule never invents a static size from a dynamic one.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_IR_SHAPES_H
#define STRATA_IR_SHAPES_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/TypeRange.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace strata {

/// Declared result types are compatible with inferred ones when element types
/// are equal, ranks are equal and every dimension is equal or dynamic in
/// either.
bool areCompatibleResultTypes(mlir::TypeRange declared,
                              mlir::TypeRange inferred);

/// Numpy broadcasting of two shapes; std::nullopt if incompatible.
std::optional<llvm::SmallVector<int64_t>>
broadcastShapes(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b);

/// Emits an error at `loc` (when present) and returns failure: the form every
/// inferReturnTypes uses to report a bad operand or attribute.
mlir::LogicalResult emitShapeError(std::optional<mlir::Location> loc,
                                   const llvm::Twine &message);

/// Result of a broadcasting binary op: the broadcast shape with the operands'
/// element type, or i1 when `resultBool`.
mlir::LogicalResult
inferBroadcastResult(std::optional<mlir::Location> loc, llvm::StringRef opName,
                     mlir::Type lhs, mlir::Type rhs, bool resultBool,
                     llvm::SmallVectorImpl<mlir::Type> &types);

/// Formats a shape as `2x?x3` for messages.
std::string formatShape(llvm::ArrayRef<int64_t> shape);

/// Formats a shape for messages like formatShape, but `[]` for a scalar.
std::string shapeString(llvm::ArrayRef<int64_t> shape);

/// A type as MLIR prints it, for messages.
std::string typeString(mlir::Type type);

/// Two sizes may be equal at run time (equal, or either dynamic).
inline bool compatibleSizes(int64_t a, int64_t b) {
  return a == b || mlir::ShapedType::isDynamic(a) ||
         mlir::ShapedType::isDynamic(b);
}

/// The more precise of two compatible sizes.
inline int64_t mergeSizes(int64_t a, int64_t b) {
  return mlir::ShapedType::isDynamic(a) ? b : a;
}

/// Creates op `name` (an op with InferTypeOpInterface) with its result types
/// inferred from `operands` and `attrs`. The inference's own error is emitted
/// at `loc`; then the op is not kept and the result is failure. Frontends use
/// this instead of the ODS builders, which abort on types they cannot infer.
mlir::FailureOr<mlir::Operation *>
createWithInferredTypes(mlir::OpBuilder &builder, mlir::Location loc,
                        llvm::StringRef name, mlir::ValueRange operands,
                        llvm::ArrayRef<mlir::NamedAttribute> attrs,
                        unsigned numResults);

/// Normalizes an axis in [-rank, rank) to [0, rank); std::nullopt if out of
/// range.
std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank);

/// Product of sizes, kDynamic if any is dynamic.
int64_t productOfSizes(llvm::ArrayRef<int64_t> shape);

} // namespace strata

#endif // STRATA_IR_SHAPES_H
