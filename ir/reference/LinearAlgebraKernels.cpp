//===- LinearAlgebraKernels.cpp - Reference semantics of matrix products --===//
//
// Floats accumulate in double and round once on store; integers accumulate
// in 64-bit two's complement and wrap on store. Sizes the verifier could not
// check (dynamic in the IR) are checked here.
//
// Float products go through dotProducts (DotProducts.h): the operands are
// first copied to two row-major double matrices, the right one transposed,
// so that every dot product reads both rows contiguously.
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"
#include "ir/reference/DotProducts.h"
#include "ir/reference/Evaluator.h"

#include <algorithm>

using namespace mlir;

namespace strata::reference {
namespace {

/// The [rows, cols] matrix at `base` in `t` as doubles, row-major, or
/// transposed (then [cols, rows]) when `transpose`; the transpose goes by
/// tiles so that neither side is walked with a large stride for long.
void packMatrix(const Tensor &t, int64_t base, int64_t rows, int64_t cols,
                bool transpose, std::vector<double> &out) {
  out.resize(rows * cols);
  if (!transpose) {
    for (int64_t e = 0; e < rows * cols; ++e)
      out[e] = t.get(base + e);
    return;
  }
  const int64_t tile = 32;
  for (int64_t r0 = 0; r0 < rows; r0 += tile)
    for (int64_t c0 = 0; c0 < cols; c0 += tile)
      for (int64_t r = r0; r < std::min(rows, r0 + tile); ++r)
        for (int64_t c = c0; c < std::min(cols, c0 + tile); ++c)
          out[c * rows + r] = t.get(base + r * cols + c);
}

llvm::Error matmul(MatMulOp op, llvm::ArrayRef<Tensor> in,
                   std::vector<Tensor> &out) {
  const Tensor &a = in[0], &b = in[1];
  // Promote 1-D operands; the added dims have size 1, so dropping them from
  // the result is a reshape.
  std::vector<int64_t> as = a.shape(), bs = b.shape();
  if (as.size() == 1)
    as.insert(as.begin(), 1);
  if (bs.size() == 1)
    bs.push_back(1);
  int64_t m = as[as.size() - 2], k = as.back();
  int64_t kb = bs[bs.size() - 2], n = bs.back();
  if (k != kb)
    return evaluationError(op, "contraction dims differ: lhs " +
                                   shapeString(a.shape()) + ", rhs " +
                                   shapeString(b.shape()));
  std::vector<int64_t> batchA(as.begin(), as.end() - 2);
  std::vector<int64_t> batchB(bs.begin(), bs.end() - 2);
  size_t rank = std::max(batchA.size(), batchB.size());
  std::vector<int64_t> batch(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t x =
        i < rank - batchA.size() ? 1 : batchA[i - (rank - batchA.size())];
    int64_t y =
        i < rank - batchB.size() ? 1 : batchB[i - (rank - batchB.size())];
    if (x != y && x != 1 && y != 1)
      return evaluationError(op, "batch dims of lhs " + shapeString(a.shape()) +
                                     " and rhs " + shapeString(b.shape()) +
                                     " do not broadcast");
    batch[i] = x == 1 ? y : x;
  }
  std::vector<int64_t> full = batch;
  full.push_back(m);
  full.push_back(n);
  Tensor o(a.dtype(), full);
  int64_t batchIndex = 0;
  std::vector<double> aRows, bCols, sums(m * n);
  forEachIndex(batch, [&](llvm::ArrayRef<int64_t> index) {
    int64_t aBase = broadcastOffset(batchA, index) * m * k;
    int64_t bBase = broadcastOffset(batchB, index) * k * n;
    int64_t oBase = batchIndex++ * m * n;
    if (o.isFloat()) {
      packMatrix(a, aBase, m, k, /*transpose=*/false, aRows);
      packMatrix(b, bBase, k, n, /*transpose=*/true, bCols);
      dotProducts(aRows.data(), bCols.data(), m, n, k, nullptr, sums.data());
      for (int64_t e = 0; e < m * n; ++e)
        o.set(oBase + e, sums[e]);
      return;
    }
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        uint64_t sum = 0;
        for (int64_t p = 0; p < k; ++p)
          sum += static_cast<uint64_t>(a.getInt(aBase + i * k + p)) *
                 static_cast<uint64_t>(b.getInt(bBase + p * n + j));
        o.setInt(oBase + i * n + j, static_cast<int64_t>(sum));
      }
  });
  std::vector<int64_t> shape = batch;
  if (a.rank() >= 2)
    shape.push_back(m);
  if (b.rank() >= 2)
    shape.push_back(n);
  out.push_back(o.reshaped(shape));
  return llvm::Error::success();
}

llvm::Error gemm(GemmOp op, llvm::ArrayRef<Tensor> in,
                 std::vector<Tensor> &out) {
  const Tensor &a = in[0], &b = in[1];
  const Tensor *c = in.size() > 2 ? &in[2] : nullptr;
  bool transA = op.getTransA(), transB = op.getTransB();
  double alpha = op.getAlpha().convertToDouble();
  double beta = op.getBeta().convertToDouble();
  int64_t m = a.dim(transA ? 1 : 0), k = a.dim(transA ? 0 : 1);
  int64_t kb = b.dim(transB ? 1 : 0), n = b.dim(transB ? 0 : 1);
  if (k != kb)
    return evaluationError(op, "inner dims differ: a " +
                                   shapeString(a.shape()) + ", b " +
                                   shapeString(b.shape()));
  std::vector<int64_t> cShape;
  if (c) {
    // Unidirectional broadcast to [M, N]: pad c's shape to rank 2 with 1s.
    cShape = c->shape();
    cShape.insert(cShape.begin(), 2 - cShape.size(), 1);
    if ((cShape[0] != 1 && cShape[0] != m) ||
        (cShape[1] != 1 && cShape[1] != n))
      return evaluationError(op, "c " + shapeString(c->shape()) +
                                     " does not broadcast to " +
                                     shapeString({m, n}));
  }
  Tensor o(a.dtype(), {m, n});
  // a as [m, k] rows, b as [n, k] rows (b's columns).
  std::vector<double> aRows, bCols, sums(m * n);
  packMatrix(a, 0, a.dim(0), a.dim(1), transA, aRows);
  packMatrix(b, 0, b.dim(0), b.dim(1), !transB, bCols);
  dotProducts(aRows.data(), bCols.data(), m, n, k, nullptr, sums.data());
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double v = alpha * sums[i * n + j];
      if (c) {
        int64_t ci = cShape[0] == 1 ? 0 : i, cj = cShape[1] == 1 ? 0 : j;
        v += beta * c->get(ci * cShape[1] + cj);
      }
      o.set(i * n + j, v);
    }
  out.push_back(std::move(o));
  return llvm::Error::success();
}

llvm::Error innerProduct(InnerProductOp op, llvm::ArrayRef<Tensor> in,
                         std::vector<Tensor> &out) {
  const Tensor &x = in[0], &w = in[1];
  const Tensor *bias = in.size() > 2 ? &in[2] : nullptr;
  bool transpose = op.getTranspose();
  int64_t batch = x.dim(0), k = x.dim(1);
  int64_t wk = w.dim(transpose ? 0 : 1), m = w.dim(transpose ? 1 : 0);
  if (k != wk)
    return evaluationError(op, "weight " + shapeString(w.shape()) +
                                   " does not match input " +
                                   shapeString(x.shape()));
  if (bias && bias->dim(0) != m)
    return evaluationError(op, "bias " + shapeString(bias->shape()) +
                                   " is not [" + std::to_string(m) + "]");
  Tensor y(x.dtype(), {batch, m});
  // x as [batch, k] rows, w as [m, k] rows.
  std::vector<double> xRows, wRows, sums(batch * m);
  packMatrix(x, 0, batch, k, /*transpose=*/false, xRows);
  packMatrix(w, 0, w.dim(0), w.dim(1), transpose, wRows);
  dotProducts(xRows.data(), wRows.data(), batch, m, k, nullptr, sums.data());
  for (int64_t i = 0; i < batch; ++i)
    for (int64_t j = 0; j < m; ++j)
      y.set(i * m + j, sums[i * m + j] + (bias ? bias->get(j) : 0.0));
  out.push_back(std::move(y));
  return llvm::Error::success();
}

} // namespace

void registerLinearAlgebraKernels(KernelRegistry &registry) {
  registry.add<MatMulOp>(matmul);
  registry.add<GemmOp>(gemm);
  registry.add<InnerProductOp>(innerProduct);
}

} // namespace strata::reference
