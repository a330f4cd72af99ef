//===- LossKernels.cpp - Reference semantics of the Loss ops --------------===//
//
// Losses accumulate in double. Orderings use one comparator: by value, NaN
// above every number, ties by the lower index first.
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"
#include "ir/reference/Evaluator.h"

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace mlir;

namespace strata::reference {
namespace {

/// Reads the label of row `n` and checks it is a class in [0, classes).
llvm::Expected<int64_t> readLabel(Operation *op, const Tensor &labels,
                                  int64_t n, int64_t classes) {
  int64_t label = labels.getInt(n);
  if (label < 0 || label >= classes)
    return evaluationError(op, "label " + llvm::Twine(label) + " of row " +
                                   llvm::Twine(n) + " is out of range [0, " +
                                   llvm::Twine(classes) + ")");
  return label;
}

/// Dynamic sizes are only known now: logits [N, C] and labels [N] must agree.
llvm::Error checkBatch(Operation *op, const Tensor &logits,
                       const Tensor &labels) {
  if (labels.dim(0) != logits.dim(0))
    return evaluationError(op, "logits have " + llvm::Twine(logits.dim(0)) +
                                   " rows but labels " +
                                   llvm::Twine(labels.dim(0)));
  if (logits.dim(0) == 0)
    return evaluationError(op, "batch is empty");
  return llvm::Error::success();
}

/// Strict "ranks above" order of element values of one tensor: larger value
/// first, NaN above every number, integers compared exactly. Equal values
/// are left to the caller's index tie-break.
struct Above {
  const Tensor &t;
  bool operator()(int64_t a, int64_t b) const {
    if (!t.isFloat()) {
      if (t.dtype() == DType::u64)
        return static_cast<uint64_t>(t.getInt(a)) >
               static_cast<uint64_t>(t.getInt(b));
      return t.getInt(a) > t.getInt(b);
    }
    double x = t.get(a), y = t.get(b);
    if (std::isnan(x) || std::isnan(y))
      return std::isnan(x) && !std::isnan(y);
    return x > y;
  }
};

/// The offsets of the lines of `shape` along `axis`: calls `fn(base, stride,
/// size)` for each.
template <typename Fn>
void forEachLine(const std::vector<int64_t> &shape, int64_t axis, Fn fn) {
  int64_t outer = 1, inner = 1, size = shape[axis];
  for (int64_t i = 0; i < axis; ++i)
    outer *= shape[i];
  for (size_t i = axis + 1; i < shape.size(); ++i)
    inner *= shape[i];
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i)
      fn(o * size * inner + i, inner, size);
}

/// Indices 0..size-1 of one line stably sorted: `descending` puts elements
/// that rank above first; ties keep increasing index order.
std::vector<int64_t> sortLine(const Tensor &x, int64_t base, int64_t stride,
                              int64_t size, bool descending) {
  std::vector<int64_t> order(size);
  std::iota(order.begin(), order.end(), 0);
  Above above{x};
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
    int64_t oa = base + a * stride, ob = base + b * stride;
    return descending ? above(oa, ob) : above(ob, oa);
  });
  return order;
}

void copyElement(const Tensor &from, int64_t i, Tensor &to, int64_t j) {
  if (from.isFloat())
    to.set(j, from.get(i));
  else
    to.setInt(j, from.getInt(i));
}

} // namespace

void registerLossKernels(KernelRegistry &registry) {
  registry.add<SoftmaxCrossEntropyOp>(
      [](SoftmaxCrossEntropyOp op, llvm::ArrayRef<Tensor> in,
         std::vector<Tensor> &out) -> llvm::Error {
        const Tensor &logits = in[0], &labels = in[1];
        if (auto err = checkBatch(op, logits, labels))
          return err;
        int64_t n = logits.dim(0), c = logits.dim(1);
        double sum = 0;
        for (int64_t row = 0; row < n; ++row) {
          auto label = readLabel(op, labels, row, c);
          if (!label)
            return label.takeError();
          // logsumexp shifted by the row max so exp cannot overflow.
          double max = -INFINITY;
          for (int64_t j = 0; j < c; ++j)
            max = std::max(max, logits.get(row * c + j));
          double total = 0;
          for (int64_t j = 0; j < c; ++j)
            total += std::exp(logits.get(row * c + j) - max);
          sum += max + std::log(total) - logits.get(row * c + *label);
        }
        out.push_back(Tensor::scalar(
            logits.dtype(), op.getScale().convertToDouble() * sum / n));
        return llvm::Error::success();
      });

  registry.add<EuclideanLossOp>([](EuclideanLossOp op,
                                   llvm::ArrayRef<Tensor> in,
                                   std::vector<Tensor> &out) -> llvm::Error {
    const Tensor &a = in[0], &b = in[1];
    if (a.shape() != b.shape())
      return evaluationError(op, "operand shapes differ at run time");
    if (a.dim(0) == 0)
      return evaluationError(op, "batch is empty");
    double sum = 0;
    for (int64_t i = 0, e = a.numElements(); i < e; ++i) {
      double d = a.get(i) - b.get(i);
      sum += d * d;
    }
    out.push_back(Tensor::scalar(a.dtype(), 0.5 * sum / a.dim(0)));
    return llvm::Error::success();
  });

  registry.add<AccuracyOp>([](AccuracyOp op, llvm::ArrayRef<Tensor> in,
                              std::vector<Tensor> &out) -> llvm::Error {
    const Tensor &logits = in[0], &labels = in[1];
    if (auto err = checkBatch(op, logits, labels))
      return err;
    int64_t n = logits.dim(0), c = logits.dim(1);
    int64_t k = static_cast<int64_t>(op.getTopK());
    int64_t correct = 0;
    Above above{logits};
    for (int64_t row = 0; row < n; ++row) {
      auto label = readLabel(op, labels, row, c);
      if (!label)
        return label.takeError();
      // Classes ranking above the label: larger, or equal with lower index.
      int64_t label_offset = row * c + *label, rank = 0;
      for (int64_t j = 0; j < c; ++j) {
        int64_t o = row * c + j;
        if (above(o, label_offset) || (j < *label && !above(label_offset, o)))
          ++rank;
      }
      if (rank < k)
        ++correct;
    }
    out.push_back(Tensor::scalar(DType::f32, static_cast<double>(correct) / n));
    return llvm::Error::success();
  });

  registry.add<TopKOp>([](TopKOp op, llvm::ArrayRef<Tensor> in,
                          std::vector<Tensor> &out) -> llvm::Error {
    const Tensor &x = in[0];
    int64_t axis = *normalizeAxis(static_cast<int64_t>(op.getAxis()), x.rank());
    int64_t k = static_cast<int64_t>(op.getK());
    if (k > x.dim(axis))
      return evaluationError(
          op, "k = " + llvm::Twine(k) + " exceeds the size " +
                  llvm::Twine(x.dim(axis)) + " of axis " + llvm::Twine(axis));
    std::vector<int64_t> shape = x.shape();
    shape[axis] = k;
    Tensor values(x.dtype(), shape), indices(DType::i64, shape);
    int64_t inner = 1;
    for (size_t i = axis + 1; i < shape.size(); ++i)
      inner *= shape[i];
    int64_t line = 0;
    forEachLine(x.shape(), axis,
                [&](int64_t base, int64_t stride, int64_t size) {
                  std::vector<int64_t> order =
                      sortLine(x, base, stride, size, op.getLargest());
                  order.resize(k);
                  if (!op.getSorted())
                    std::sort(order.begin(), order.end());
                  // Line `line` of the result starts where the input's
                  // does, with the axis shrunk to k.
                  int64_t outBase = (line / inner) * k * inner + line % inner;
                  for (int64_t j = 0; j < k; ++j) {
                    copyElement(x, base + order[j] * stride, values,
                                outBase + j * inner);
                    indices.setInt(outBase + j * inner, order[j]);
                  }
                  ++line;
                });
    out.push_back(std::move(values));
    out.push_back(std::move(indices));
    return llvm::Error::success();
  });

  registry.add<ArgSortOp>([](ArgSortOp op, llvm::ArrayRef<Tensor> in,
                             std::vector<Tensor> &out) -> llvm::Error {
    const Tensor &x = in[0];
    int64_t axis = *normalizeAxis(static_cast<int64_t>(op.getAxis()), x.rank());
    Tensor indices(DType::i64, x.shape());
    forEachLine(x.shape(), axis,
                [&](int64_t base, int64_t stride, int64_t size) {
                  std::vector<int64_t> order =
                      sortLine(x, base, stride, size, op.getDescending());
                  for (int64_t j = 0; j < size; ++j)
                    indices.setInt(base + j * stride, order[j]);
                });
    out.push_back(std::move(indices));
    return llvm::Error::success();
  });
}

} // namespace strata::reference
