//===- LinearAlgebraKernels.cpp - Reference semantics of matrix products --===//
//
// Floats accumulate in double and round once on store; integers accumulate
// in 64-bit two's complement and wrap on store. Sizes the verifier could not
// check (dynamic in the IR) are checked here.
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"
#include "ir/reference/Evaluator.h"

using namespace mlir;

namespace strata::reference {
namespace {

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
  forEachIndex(batch, [&](llvm::ArrayRef<int64_t> index) {
    int64_t aBase = broadcastOffset(batchA, index) * m * k;
    int64_t bBase = broadcastOffset(batchB, index) * k * n;
    int64_t oBase = batchIndex++ * m * n;
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        if (o.isFloat()) {
          double sum = 0;
          for (int64_t p = 0; p < k; ++p)
            sum += a.get(aBase + i * k + p) * b.get(bBase + p * n + j);
          o.set(oBase + i * n + j, sum);
        } else {
          uint64_t sum = 0;
          for (int64_t p = 0; p < k; ++p)
            sum += static_cast<uint64_t>(a.getInt(aBase + i * k + p)) *
                   static_cast<uint64_t>(b.getInt(bBase + p * n + j));
          o.setInt(oBase + i * n + j, static_cast<int64_t>(sum));
        }
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
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double sum = 0;
      for (int64_t p = 0; p < k; ++p) {
        double x = transA ? a.get(p * m + i) : a.get(i * k + p);
        double y = transB ? b.get(j * k + p) : b.get(p * n + j);
        sum += x * y;
      }
      double v = alpha * sum;
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
  for (int64_t i = 0; i < batch; ++i)
    for (int64_t j = 0; j < m; ++j) {
      double sum = 0;
      for (int64_t p = 0; p < k; ++p)
        sum += x.get(i * k + p) *
               (transpose ? w.get(p * m + j) : w.get(j * k + p));
      y.set(i * m + j, sum + (bias ? bias->get(j) : 0.0));
    }
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
