//===- ReductionOps.cpp - Reduction ops: verifiers, type inference --------===//
//
// The reduce_* rules (ONNX 18 axes, keepdims, noop_with_empty_axes) are
// shared by every reduce op through inferReduceResult; argmax / argmin share
// inferArgReduceResult.
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace strata;

static std::string formatAxes(ArrayRef<int64_t> axes) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << '[';
  llvm::interleaveComma(axes, os);
  os << ']';
  return s;
}

/// The result type of a reduce_* op: reduced dimensions become 1 (keepdims)
/// or disappear. Other dimensions, dynamic ones included, are kept as is.
static LogicalResult inferReduceResult(std::optional<Location> loc,
                                       StringRef opName, Type input,
                                       ArrayRef<int64_t> axes, bool keepdims,
                                       bool noopWithEmptyAxes,
                                       SmallVectorImpl<Type> &types) {
  auto type = cast<RankedTensorType>(input);
  int64_t rank = type.getRank();
  if (axes.empty() && noopWithEmptyAxes) {
    types.push_back(type);
    return success();
  }
  SmallVector<bool> reduced(rank, axes.empty());
  for (int64_t axis : axes) {
    std::optional<int64_t> a = normalizeAxis(axis, rank);
    if (!a)
      return emitShapeError(loc, "'strata." + opName + "' axis " + Twine(axis) +
                                     " is out of range for rank " +
                                     Twine(rank));
    if (reduced[*a])
      return emitShapeError(loc, "'strata." + opName + "' axes " +
                                     formatAxes(axes) + " name dimension " +
                                     Twine(*a) + " more than once");
    reduced[*a] = true;
  }
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i) {
    if (!reduced[i])
      shape.push_back(type.getDimSize(i));
    else if (keepdims)
      shape.push_back(1);
  }
  types.push_back(RankedTensorType::get(shape, type.getElementType()));
  return success();
}

/// The i64 result of argmax / argmin along one axis.
static LogicalResult inferArgReduceResult(MLIRContext *ctx,
                                          std::optional<Location> loc,
                                          StringRef opName, Type input,
                                          int64_t axis, bool keepdims,
                                          SmallVectorImpl<Type> &types) {
  auto type = cast<RankedTensorType>(input);
  std::optional<int64_t> a = normalizeAxis(axis, type.getRank());
  if (!a)
    return emitShapeError(loc, "'strata." + opName + "' axis " + Twine(axis) +
                                   " is out of range for rank " +
                                   Twine(type.getRank()));
  if (type.getDimSize(*a) == 0)
    return emitShapeError(loc, "'strata." + opName + "' axis " + Twine(axis) +
                                   " of input shape " +
                                   formatShape(type.getShape()) +
                                   " is empty: no element to pick");
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    if (i != *a)
      shape.push_back(type.getDimSize(i));
    else if (keepdims)
      shape.push_back(1);
  }
  types.push_back(RankedTensorType::get(shape, IntegerType::get(ctx, 64)));
  return success();
}

#define GET_OP_CLASSES
#include "ir/ops/ReductionOps.cpp.inc"

LogicalResult CumSumOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto type = cast<RankedTensorType>(adaptor.getInput().getType());
  if (!normalizeAxis(adaptor.getAxis(), type.getRank()))
    return emitShapeError(
        loc, "'strata.cumsum' axis " +
                 Twine(static_cast<int64_t>(adaptor.getAxis())) +
                 " is out of range for rank " + Twine(type.getRank()));
  types.push_back(type);
  return success();
}

LogicalResult CumProdOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  auto type = cast<RankedTensorType>(adaptor.getInput().getType());
  if (!normalizeAxis(adaptor.getAxis(), type.getRank()))
    return emitShapeError(
        loc, "'strata.cumprod' axis " +
                 Twine(static_cast<int64_t>(adaptor.getAxis())) +
                 " is out of range for rank " + Twine(type.getRank()));
  types.push_back(type);
  return success();
}
