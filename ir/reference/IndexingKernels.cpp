//===- IndexingKernels.cpp - Reference semantics of the Indexing ops ------===//
//
// Every index is checked; one outside its range is an evaluation error that
// names the index, its value and the valid range.
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"
#include "ir/reference/Evaluator.h"

#include <algorithm>
#include <cmath>

using namespace mlir;

namespace strata::reference {
namespace {

void copyElement(const Tensor &src, int64_t i, Tensor &dst, int64_t j) {
  if (src.isFloat())
    dst.set(j, src.get(i));
  else
    dst.setInt(j, src.getInt(i));
}

int64_t positiveAxis(int64_t axis, int64_t rank) {
  return axis < 0 ? axis + rank : axis;
}

/// Resolves index value `v` (element `at` of the indices) against a size
/// `d`: negative values count from the end when `allowNegative`.
llvm::Error resolveIndex(Operation *op, int64_t at, int64_t d,
                         bool allowNegative, int64_t &v) {
  int64_t lo = allowNegative ? -d : 0;
  if (v < lo || v >= d)
    return evaluationError(
        op, "index " + llvm::Twine(v) + " (element " + llvm::Twine(at) +
                " of the indices) out of range [" + llvm::Twine(lo) + ", " +
                llvm::Twine(d) + ")");
  if (v < 0)
    v += d;
  return llvm::Error::success();
}

llvm::Error gatherKernel(GatherOp op, llvm::ArrayRef<Tensor> in,
                         std::vector<Tensor> &out) {
  const Tensor &data = in[0], &indices = in[1];
  int64_t axis = positiveAxis(op.getAxis(), data.rank());
  std::vector<int64_t> shape(data.shape().begin(), data.shape().begin() + axis);
  shape.insert(shape.end(), indices.shape().begin(), indices.shape().end());
  shape.insert(shape.end(), data.shape().begin() + axis + 1,
               data.shape().end());
  Tensor y(data.dtype(), shape);
  int64_t q = indices.rank();
  std::vector<int64_t> src(data.rank()), at(q);
  int64_t k = 0;
  llvm::Error err = llvm::Error::success();
  forEachIndex(shape, [&](llvm::ArrayRef<int64_t> idx) {
    if (err)
      return;
    for (int64_t d = 0; d < axis; ++d)
      src[d] = idx[d];
    for (int64_t d = 0; d < q; ++d)
      at[d] = idx[axis + d];
    int64_t ai = q ? indices.offset(at) : 0;
    int64_t v = indices.getInt(ai);
    if ((err = resolveIndex(op, ai, data.dim(axis), true, v)))
      return;
    src[axis] = v;
    for (int64_t d = axis + 1; d < data.rank(); ++d)
      src[d] = idx[d - 1 + q];
    copyElement(data, data.offset(src), y, k++);
  });
  if (err)
    return err;
  out.push_back(std::move(y));
  return llvm::Error::success();
}

llvm::Error gatherElementsKernel(GatherElementsOp op, llvm::ArrayRef<Tensor> in,
                                 std::vector<Tensor> &out) {
  const Tensor &data = in[0], &indices = in[1];
  int64_t axis = positiveAxis(op.getAxis(), data.rank());
  for (int64_t d = 0; d < data.rank(); ++d)
    if (d != axis && indices.dim(d) > data.dim(d))
      return evaluationError(op, "indices size " + llvm::Twine(indices.dim(d)) +
                                     " exceeds data size " +
                                     llvm::Twine(data.dim(d)));
  Tensor y(data.dtype(), indices.shape());
  std::vector<int64_t> src(data.rank());
  int64_t k = 0;
  llvm::Error err = llvm::Error::success();
  forEachIndex(indices.shape(), [&](llvm::ArrayRef<int64_t> idx) {
    if (err)
      return;
    int64_t v = indices.getInt(k);
    if ((err = resolveIndex(op, k, data.dim(axis), true, v)))
      return;
    src.assign(idx.begin(), idx.end());
    src[axis] = v;
    copyElement(data, data.offset(src), y, k);
    ++k;
  });
  if (err)
    return err;
  out.push_back(std::move(y));
  return llvm::Error::success();
}

llvm::Error gatherNDKernel(GatherNDOp op, llvm::ArrayRef<Tensor> in,
                           std::vector<Tensor> &out) {
  const Tensor &data = in[0], &indices = in[1];
  int64_t b = op.getBatchDims(), q = indices.rank(), r = data.rank();
  int64_t k = indices.dim(q - 1);
  for (int64_t d = 0; d < b; ++d)
    if (data.dim(d) != indices.dim(d))
      return evaluationError(
          op, "batch dimension " + llvm::Twine(d) + " has size " +
                  llvm::Twine(data.dim(d)) + " in data and " +
                  llvm::Twine(indices.dim(d)) + " in indices");
  std::vector<int64_t> shape(indices.shape().begin(),
                             indices.shape().end() - 1);
  shape.insert(shape.end(), data.shape().begin() + b + k, data.shape().end());
  Tensor y(data.dtype(), shape);
  std::vector<int64_t> src(r), at(q);
  int64_t n = 0;
  llvm::Error err = llvm::Error::success();
  forEachIndex(shape, [&](llvm::ArrayRef<int64_t> idx) {
    if (err)
      return;
    // idx = [batch..., tuple position..., slice...].
    for (int64_t d = 0; d < q - 1; ++d)
      at[d] = idx[d];
    for (int64_t d = 0; d < b; ++d)
      src[d] = idx[d];
    for (int64_t j = 0; j < k; ++j) {
      at[q - 1] = j;
      int64_t ai = indices.offset(at);
      int64_t v = indices.getInt(ai);
      if ((err = resolveIndex(op, ai, data.dim(b + j), true, v)))
        return;
      src[b + j] = v;
    }
    for (int64_t d = b + k; d < r; ++d)
      src[d] = idx[q - 1 + d - (b + k)];
    copyElement(data, data.offset(src), y, n++);
  });
  if (err)
    return err;
  out.push_back(std::move(y));
  return llvm::Error::success();
}

/// `y[o] = f(y[o], updates[k])` for a scatter `reduction` (none, add, mul,
/// max, min).
void combineInto(Tensor &y, int64_t o, const Tensor &updates, int64_t k,
                 llvm::StringRef reduction) {
  if (reduction == "none") {
    copyElement(updates, k, y, o);
  } else if (y.isFloat()) {
    double a = y.get(o), u = updates.get(k);
    // max/min propagate NaN, as strata.max / strata.min do.
    bool nan = std::isnan(a) || std::isnan(u);
    double r = reduction == "add"   ? a + u
               : reduction == "mul" ? a * u
               : nan                ? NAN
               : reduction == "max" ? std::max(a, u)
                                    : std::min(a, u);
    y.set(o, r);
  } else {
    int64_t a = y.getInt(o), u = updates.getInt(k);
    // Wrapping arithmetic, as the integer elementwise ops.
    int64_t r =
        reduction == "add"   ? static_cast<int64_t>(static_cast<uint64_t>(a) +
                                                  static_cast<uint64_t>(u))
        : reduction == "mul" ? static_cast<int64_t>(static_cast<uint64_t>(a) *
                                                    static_cast<uint64_t>(u))
        : reduction == "max" ? std::max(a, u)
                             : std::min(a, u);
    y.setInt(o, r);
  }
}

llvm::Error scatterElementsKernel(ScatterElementsOp op,
                                  llvm::ArrayRef<Tensor> in,
                                  std::vector<Tensor> &out) {
  const Tensor &data = in[0], &indices = in[1], &updates = in[2];
  int64_t axis = positiveAxis(op.getAxis(), data.rank());
  if (indices.shape() != updates.shape())
    return evaluationError(op, "indices and updates have different shapes");
  for (int64_t d = 0; d < data.rank(); ++d)
    if (d != axis && indices.dim(d) > data.dim(d))
      return evaluationError(op, "indices size " + llvm::Twine(indices.dim(d)) +
                                     " exceeds data size " +
                                     llvm::Twine(data.dim(d)));
  llvm::StringRef reduction = op.getReduction();
  Tensor y = data;
  std::vector<int64_t> dst(data.rank());
  int64_t k = 0;
  llvm::Error err = llvm::Error::success();
  forEachIndex(indices.shape(), [&](llvm::ArrayRef<int64_t> idx) {
    if (err)
      return;
    int64_t v = indices.getInt(k);
    if ((err = resolveIndex(op, k, data.dim(axis), true, v)))
      return;
    dst.assign(idx.begin(), idx.end());
    dst[axis] = v;
    int64_t o = y.offset(dst);
    combineInto(y, o, updates, k, reduction);
    ++k;
  });
  if (err)
    return err;
  out.push_back(std::move(y));
  return llvm::Error::success();
}

llvm::Error scatterNDKernel(ScatterNDOp op, llvm::ArrayRef<Tensor> in,
                            std::vector<Tensor> &out) {
  const Tensor &data = in[0], &indices = in[1], &updates = in[2];
  int64_t q = indices.rank(), r = data.rank();
  int64_t k = indices.dim(q - 1);
  std::vector<int64_t> want(indices.shape().begin(), indices.shape().end() - 1);
  want.insert(want.end(), data.shape().begin() + k, data.shape().end());
  if (updates.shape() != want)
    return evaluationError(op, "updates " + shapeString(updates.shape()) +
                                   " must have shape " + shapeString(want));
  llvm::StringRef reduction = op.getReduction();
  Tensor y = data;
  std::vector<int64_t> dst(r), at(q);
  int64_t n = 0;
  llvm::Error err = llvm::Error::success();
  // idx = [tuple position..., slice...], updates' index.
  forEachIndex(want, [&](llvm::ArrayRef<int64_t> idx) {
    if (err)
      return;
    for (int64_t d = 0; d < q - 1; ++d)
      at[d] = idx[d];
    for (int64_t j = 0; j < k; ++j) {
      at[q - 1] = j;
      int64_t ai = indices.offset(at);
      int64_t v = indices.getInt(ai);
      if ((err = resolveIndex(op, ai, data.dim(j), true, v)))
        return;
      dst[j] = v;
    }
    for (int64_t d = k; d < r; ++d)
      dst[d] = idx[q - 1 + d - k];
    combineInto(y, y.offset(dst), updates, n++, reduction);
  });
  if (err)
    return err;
  out.push_back(std::move(y));
  return llvm::Error::success();
}

llvm::Error embeddingKernel(EmbeddingOp op, llvm::ArrayRef<Tensor> in,
                            std::vector<Tensor> &out) {
  const Tensor &table = in[0], &indices = in[1];
  int64_t v = table.dim(0), dim = table.dim(1);
  std::vector<int64_t> shape = indices.shape();
  shape.push_back(dim);
  Tensor y(table.dtype(), shape);
  for (int64_t i = 0, e = indices.numElements(); i < e; ++i) {
    int64_t row = indices.getInt(i);
    if (llvm::Error err = resolveIndex(op, i, v, false, row))
      return err;
    for (int64_t j = 0; j < dim; ++j)
      copyElement(table, row * dim + j, y, i * dim + j);
  }
  out.push_back(std::move(y));
  return llvm::Error::success();
}

llvm::Error oneHotKernel(OneHotOp op, llvm::ArrayRef<Tensor> in,
                         std::vector<Tensor> &out) {
  const Tensor &indices = in[0], &values = in[1];
  if (values.numElements() != 2)
    return evaluationError(op, "values has " +
                                   llvm::Twine(values.numElements()) +
                                   " elements, not [off, on]");
  int64_t depth = op.getDepth(), q = indices.rank();
  int64_t axis = positiveAxis(op.getAxis(), q + 1);
  std::vector<int64_t> shape = indices.shape();
  shape.insert(shape.begin() + axis, depth);
  Tensor y(values.dtype(), shape);
  std::vector<int64_t> at(q);
  int64_t k = 0;
  llvm::Error err = llvm::Error::success();
  forEachIndex(shape, [&](llvm::ArrayRef<int64_t> idx) {
    if (err)
      return;
    for (int64_t d = 0, e = 0; d <= q; ++d)
      if (d != axis)
        at[e++] = idx[d];
    int64_t ai = q ? indices.offset(at) : 0;
    int64_t v = indices.getInt(ai);
    if (op.getDropOutOfRange() && (v < -depth || v >= depth)) {
      copyElement(values, 0, y, k++);
      return;
    }
    if ((err = resolveIndex(op, ai, depth, true, v)))
      return;
    copyElement(values, v == idx[axis] ? 1 : 0, y, k++);
  });
  if (err)
    return err;
  out.push_back(std::move(y));
  return llvm::Error::success();
}

} // namespace

void registerIndexingKernels(KernelRegistry &registry) {
  registry.add<GatherOp>(gatherKernel);
  registry.add<GatherElementsOp>(gatherElementsKernel);
  registry.add<GatherNDOp>(gatherNDKernel);
  registry.add<ScatterElementsOp>(scatterElementsKernel);
  registry.add<ScatterNDOp>(scatterNDKernel);
  registry.add<EmbeddingOp>(embeddingKernel);
  registry.add<OneHotOp>(oneHotKernel);
}

} // namespace strata::reference
