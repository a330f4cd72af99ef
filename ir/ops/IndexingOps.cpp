//===- IndexingOps.cpp - Indexing ops: verifiers, type inference ----------===//
//
// Index values are only known at evaluation; these rules check shapes and
// attributes, and the reference kernels check every index.
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"

#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace strata;

#define GET_OP_CLASSES
#include "ir/ops/IndexingOps.cpp.inc"

static std::string formatType(Type type) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << type;
  return s;
}

static bool isDynamic(int64_t size) { return ShapedType::isDynamic(size); }

static LogicalResult axisError(std::optional<Location> loc, StringRef name,
                               int64_t axis, int64_t rank) {
  return emitShapeError(loc, "'strata." + name + "' axis " + Twine(axis) +
                                 " is out of range for rank " + Twine(rank));
}

/// gather_elements / scatter_elements: `indices` has data's rank and, outside
/// `axis`, no larger (static) sizes.
static LogicalResult checkElementIndices(std::optional<Location> loc,
                                         StringRef name, RankedTensorType data,
                                         RankedTensorType indices,
                                         int64_t axis) {
  if (indices.getRank() != data.getRank())
    return emitShapeError(
        loc, "'strata." + name + "' indices rank " + Twine(indices.getRank()) +
                 " differs from data rank " + Twine(data.getRank()));
  for (int64_t d = 0; d < data.getRank(); ++d) {
    int64_t i = indices.getDimSize(d), s = data.getDimSize(d);
    if (d != axis && !isDynamic(i) && !isDynamic(s) && i > s)
      return emitShapeError(loc, "'strata." + name + "' indices size " +
                                     Twine(i) + " on dimension " + Twine(d) +
                                     " exceeds data size " + Twine(s));
  }
  return success();
}

LogicalResult GatherOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto data = cast<RankedTensorType>(adaptor.getData().getType());
  auto indices = cast<RankedTensorType>(adaptor.getIndices().getType());
  auto axis = normalizeAxis(adaptor.getAxis(), data.getRank());
  if (!axis)
    return axisError(loc, "gather", adaptor.getAxis(), data.getRank());
  SmallVector<int64_t> out(data.getShape().take_front(*axis));
  llvm::append_range(out, indices.getShape());
  llvm::append_range(out, data.getShape().drop_front(*axis + 1));
  types.push_back(RankedTensorType::get(out, data.getElementType()));
  return success();
}

LogicalResult GatherElementsOp::inferReturnTypes(MLIRContext *,
                                                 std::optional<Location> loc,
                                                 Adaptor adaptor,
                                                 SmallVectorImpl<Type> &types) {
  auto data = cast<RankedTensorType>(adaptor.getData().getType());
  auto indices = cast<RankedTensorType>(adaptor.getIndices().getType());
  auto axis = normalizeAxis(adaptor.getAxis(), data.getRank());
  if (!axis)
    return axisError(loc, "gather_elements", adaptor.getAxis(), data.getRank());
  if (failed(checkElementIndices(loc, "gather_elements", data, indices, *axis)))
    return failure();
  types.push_back(
      RankedTensorType::get(indices.getShape(), data.getElementType()));
  return success();
}

LogicalResult GatherNDOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  auto data = cast<RankedTensorType>(adaptor.getData().getType());
  auto indices = cast<RankedTensorType>(adaptor.getIndices().getType());
  int64_t r = data.getRank(), q = indices.getRank();
  int64_t b = adaptor.getBatchDims();
  if (r < 1 || q < 1)
    return emitShapeError(loc, "'strata.gather_nd' data and indices must have "
                               "rank >= 1, got " +
                                   Twine(r) + " and " + Twine(q));
  if (b < 0 || b >= std::min(r, q))
    return emitShapeError(loc, "'strata.gather_nd' batch_dims " + Twine(b) +
                                   " must be in [0, " + Twine(std::min(r, q)) +
                                   ")");
  int64_t k = indices.getDimSize(q - 1);
  if (isDynamic(k))
    return emitShapeError(loc, "'strata.gather_nd' the last size of indices " +
                                   formatShape(indices.getShape()) +
                                   " must be static");
  if (k < 1 || k > r - b)
    return emitShapeError(
        loc, "'strata.gather_nd' index tuples of length " + Twine(k) +
                 " must be in [1, " + Twine(r - b) + "] for data " +
                 formatShape(data.getShape()) + " and batch_dims " + Twine(b));
  SmallVector<int64_t> out;
  for (int64_t d = 0; d < q - 1; ++d) {
    int64_t size = indices.getDimSize(d);
    if (d < b) {
      int64_t other = data.getDimSize(d);
      if (!isDynamic(size) && !isDynamic(other) && size != other)
        return emitShapeError(loc, "'strata.gather_nd' batch dimension " +
                                       Twine(d) + " has size " + Twine(other) +
                                       " in data and " + Twine(size) +
                                       " in indices");
      if (isDynamic(size))
        size = other; // both must be equal at evaluation
    }
    out.push_back(size);
  }
  llvm::append_range(out, data.getShape().drop_front(b + k));
  types.push_back(RankedTensorType::get(out, data.getElementType()));
  return success();
}

LogicalResult
ScatterElementsOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                    Adaptor adaptor,
                                    SmallVectorImpl<Type> &types) {
  auto data = cast<RankedTensorType>(adaptor.getData().getType());
  auto indices = cast<RankedTensorType>(adaptor.getIndices().getType());
  auto updates = cast<RankedTensorType>(adaptor.getUpdates().getType());
  auto axis = normalizeAxis(adaptor.getAxis(), data.getRank());
  if (!axis)
    return axisError(loc, "scatter_elements", adaptor.getAxis(),
                     data.getRank());
  if (updates.getElementType() != data.getElementType())
    return emitShapeError(loc, "'strata.scatter_elements' updates element "
                               "type " +
                                   formatType(updates.getElementType()) +
                                   " differs from data's " +
                                   formatType(data.getElementType()));
  bool sameShape = indices.getRank() == updates.getRank();
  for (int64_t d = 0; sameShape && d < indices.getRank(); ++d) {
    int64_t i = indices.getDimSize(d), u = updates.getDimSize(d);
    sameShape = isDynamic(i) || isDynamic(u) || i == u;
  }
  if (!sameShape)
    return emitShapeError(
        loc, "'strata.scatter_elements' indices " +
                 formatShape(indices.getShape()) + " and updates " +
                 formatShape(updates.getShape()) + " have different shapes");
  if (failed(
          checkElementIndices(loc, "scatter_elements", data, indices, *axis)))
    return failure();
  types.push_back(data);
  return success();
}

/// The reductions of scatter_elements and scatter_nd.
static LogicalResult verifyScatterReduction(Operation *op, StringRef r) {
  if (r != "none" && r != "add" && r != "mul" && r != "max" && r != "min")
    return op->emitOpError("reduction must be one of none, add, mul, max, "
                           "min, got \"")
           << r << "\"";
  return success();
}

LogicalResult ScatterElementsOp::verify() {
  return verifyScatterReduction(*this, getReduction());
}

LogicalResult ScatterNDOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto data = cast<RankedTensorType>(adaptor.getData().getType());
  auto indices = cast<RankedTensorType>(adaptor.getIndices().getType());
  auto updates = cast<RankedTensorType>(adaptor.getUpdates().getType());
  int64_t r = data.getRank(), q = indices.getRank();
  if (r < 1 || q < 1)
    return emitShapeError(loc, "'strata.scatter_nd' data and indices must "
                               "have rank >= 1, got " +
                                   Twine(r) + " and " + Twine(q));
  if (updates.getElementType() != data.getElementType())
    return emitShapeError(loc, "'strata.scatter_nd' updates element type " +
                                   formatType(updates.getElementType()) +
                                   " differs from data's " +
                                   formatType(data.getElementType()));
  int64_t k = indices.getDimSize(q - 1);
  if (isDynamic(k))
    return emitShapeError(loc, "'strata.scatter_nd' the last size of indices " +
                                   formatShape(indices.getShape()) +
                                   " must be static");
  if (k < 1 || k > r)
    return emitShapeError(loc, "'strata.scatter_nd' index tuples of length " +
                                   Twine(k) + " must be in [1, " + Twine(r) +
                                   "] for data " +
                                   formatShape(data.getShape()));
  SmallVector<int64_t> want(indices.getShape().drop_back());
  llvm::append_range(want, data.getShape().drop_front(k));
  bool match = updates.getRank() == static_cast<int64_t>(want.size());
  for (int64_t d = 0; match && d < updates.getRank(); ++d) {
    int64_t u = updates.getDimSize(d);
    match = isDynamic(u) || isDynamic(want[d]) || u == want[d];
  }
  if (!match)
    return emitShapeError(
        loc, "'strata.scatter_nd' updates " + shapeString(updates.getShape()) +
                 " must have shape " + shapeString(want) +
                 " (indices.shape[:-1] + data.shape[" + Twine(k) + ":])");
  types.push_back(data);
  return success();
}

LogicalResult ScatterNDOp::verify() {
  return verifyScatterReduction(*this, getReduction());
}

LogicalResult EmbeddingOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto table = cast<RankedTensorType>(adaptor.getTable().getType());
  auto indices = cast<RankedTensorType>(adaptor.getIndices().getType());
  if (table.getRank() != 2)
    return emitShapeError(loc, "'strata.embedding' table must have rank 2 "
                               "([V, D]), got " +
                                   formatShape(table.getShape()));
  SmallVector<int64_t> out(indices.getShape());
  out.push_back(table.getDimSize(1));
  types.push_back(RankedTensorType::get(out, table.getElementType()));
  return success();
}

LogicalResult OneHotOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto indices = cast<RankedTensorType>(adaptor.getIndices().getType());
  auto values = cast<RankedTensorType>(adaptor.getValues().getType());
  int64_t depth = adaptor.getDepth();
  if (depth < 1)
    return emitShapeError(loc, "'strata.one_hot' depth must be >= 1, got " +
                                   Twine(depth));
  int64_t q = indices.getRank();
  auto axis = normalizeAxis(adaptor.getAxis(), q + 1);
  if (!axis)
    return emitShapeError(loc,
                          "'strata.one_hot' axis " + Twine(adaptor.getAxis()) +
                              " is out of range [" + Twine(-q - 1) + ", " +
                              Twine(q) + "] for rank-" + Twine(q) + " indices");
  if (values.getRank() != 1 ||
      (!isDynamic(values.getDimSize(0)) && values.getDimSize(0) != 2))
    return emitShapeError(loc, "'strata.one_hot' values must be [off, on] (2 "
                               "elements), got " +
                                   (values.getRank() == 0
                                        ? std::string("a scalar")
                                        : formatShape(values.getShape())));
  SmallVector<int64_t> out(indices.getShape());
  out.insert(out.begin() + *axis, depth);
  types.push_back(RankedTensorType::get(out, values.getElementType()));
  return success();
}
