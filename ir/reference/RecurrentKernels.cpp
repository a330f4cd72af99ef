//===- RecurrentKernels.cpp - Reference semantics of the Recurrent ops ----===//
//
// One time step of each cell, written gate by gate as in the ops'
// descriptions, computed in double and rounded on store.
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"
#include "ir/reference/DotProducts.h"
#include "ir/reference/Evaluator.h"

#include <cmath>

using namespace mlir;

namespace strata::reference {
namespace {

double sigmoid(double v) { return 1.0 / (1.0 + std::exp(-v)); }

/// The operands of a cell with sizes N, I, H read off the tensors, and every
/// gate's matrix products computed once by dotProducts (each sum starts at
/// its bias and adds the products in index order).
struct Cell {
  const Tensor &x, &h, &w, &r;
  const Tensor *b; // null when the op has no bias
  int64_t n, in, hidden;
  std::optional<double> clip;

  Cell(const Tensor &x, const Tensor &h, const Tensor &w, const Tensor &r,
       const Tensor *b, int64_t n, int64_t in, int64_t hidden,
       std::optional<double> clip)
      : x(x), h(h), w(w), r(r), b(b), n(n), in(in), hidden(hidden), clip(clip) {
  }
  int64_t gates() const { return r.dim(0) / hidden; }

  /// [N, gates * H]: inputPart and recurrentPart of every (row, gate, j).
  std::vector<double> inputSums, recurrentSums;
  /// The operands as doubles; biases Wb and Rb (zeros without b).
  std::vector<double> hs, rs, wb, rb;

  void computeProducts() {
    if (hidden == 0)
      return; // no gate element to compute
    int64_t gh = gates() * hidden;
    std::vector<double> xs = x.toDoubles(), ws = w.toDoubles();
    hs = h.toDoubles();
    rs = r.toDoubles();
    wb.assign(gh, 0.0);
    rb.assign(gh, 0.0);
    if (b)
      for (int64_t k = 0; k < gh; ++k) {
        wb[k] = b->get(k);
        rb[k] = b->get(gh + k); // Rb follows Wb in b
      }
    inputSums.resize(n * gh);
    recurrentSums.resize(n * gh);
    dotProducts(xs.data(), ws.data(), n, gh, in, wb.data(), inputSums.data());
    dotProducts(hs.data(), rs.data(), n, gh, hidden, rb.data(),
                recurrentSums.data());
  }
  /// sum_i x[row, i] * w[gate * H + j, i] + Wb[gate * H + j]
  double inputPart(int64_t row, int64_t gate, int64_t j) const {
    return inputSums[row * gates() * hidden + gate * hidden + j];
  }
  /// sum_m h[row, m] * r[gate * H + j, m] + Rb[gate * H + j]
  double recurrentPart(int64_t row, int64_t gate, int64_t j) const {
    return recurrentSums[row * gates() * hidden + gate * hidden + j];
  }
  /// [N, H]: recurrentPart of `gate` with state[row, m] scaled by
  /// scale[row, m] (GRU's r . h).
  std::vector<double> scaledRecurrentPart(int64_t gate,
                                          const std::vector<double> &scale) {
    std::vector<double> v(n * hidden), sums(n * hidden);
    for (int64_t e = 0; e < n * hidden; ++e)
      v[e] = hs[e] * scale[e];
    dotProducts(v.data(), rs.data() + gate * hidden * hidden, n, hidden, hidden,
                rb.data() + gate * hidden, sums.data());
    return sums;
  }
  /// A pre-activation clamped to [-clip, clip] when the op clips.
  double clamp(double v) const {
    return clip ? std::min(std::max(v, -*clip), *clip) : v;
  }
};

/// Dynamic sizes are only known now: checks the runtime shapes agree (as
/// the type rule requires of static ones) before any element is read.
llvm::Error checkShapes(Operation *op, int64_t gates, const Tensor &x,
                        const Tensor &h, const Tensor *c, const Tensor &w,
                        const Tensor &r, const Tensor *b) {
  int64_t n = x.dim(0), in = x.dim(1), hidden = h.dim(1);
  auto is = [](const Tensor &t, std::vector<int64_t> shape) {
    return t.shape() == shape;
  };
  if (!is(h, {n, hidden}) || (c && !is(*c, {n, hidden})) ||
      !is(w, {gates * hidden, in}) || !is(r, {gates * hidden, hidden}) ||
      (b && !is(*b, {2 * gates * hidden})))
    return evaluationError(op, "operand shapes disagree at run time (N = " +
                                   llvm::Twine(n) + ", I = " + llvm::Twine(in) +
                                   ", H = " + llvm::Twine(hidden) + ")");
  return llvm::Error::success();
}

std::optional<double> clipOf(std::optional<APFloat> clip) {
  if (!clip)
    return std::nullopt;
  return clip->convertToDouble();
}

} // namespace

void registerRecurrentKernels(KernelRegistry &registry) {
  registry.add<GruCellOp>([](GruCellOp op, llvm::ArrayRef<Tensor> in,
                             std::vector<Tensor> &out) -> llvm::Error {
    const Tensor &x = in[0], &h = in[1];
    const Tensor *b = in.size() > 4 ? &in[4] : nullptr;
    if (auto err = checkShapes(op, 3, x, h, nullptr, in[2], in[3], b))
      return err;
    Cell cell{x,        h,        in[2],
              in[3],    b,        x.dim(0),
              x.dim(1), h.dim(1), clipOf(op.getClip())};
    cell.computeProducts();
    int64_t n = cell.n, hidden = cell.hidden;
    // Gate 0: z, 1: r, 2: h~.
    std::vector<double> z(n * hidden), reset(n * hidden);
    for (int64_t row = 0; row < n; ++row)
      for (int64_t j = 0; j < hidden; ++j) {
        z[row * hidden + j] = sigmoid(cell.clamp(
            cell.inputPart(row, 0, j) + cell.recurrentPart(row, 0, j)));
        reset[row * hidden + j] = sigmoid(cell.clamp(
            cell.inputPart(row, 1, j) + cell.recurrentPart(row, 1, j)));
      }
    Tensor result(x.dtype(), {n, hidden});
    bool linearBeforeReset = op.getLinearBeforeReset();
    std::vector<double> resetPart;
    if (!linearBeforeReset)
      resetPart = cell.scaledRecurrentPart(2, reset);
    for (int64_t row = 0; row < n; ++row)
      for (int64_t j = 0; j < hidden; ++j) {
        int64_t k = row * hidden + j;
        double pre = linearBeforeReset
                         ? cell.inputPart(row, 2, j) +
                               reset[k] * cell.recurrentPart(row, 2, j)
                         : cell.inputPart(row, 2, j) + resetPart[k];
        double candidate = std::tanh(cell.clamp(pre));
        result.set(k, (1 - z[k]) * candidate + z[k] * h.get(k));
      }
    out.push_back(std::move(result));
    return llvm::Error::success();
  });

  registry.add<LstmCellOp>([](LstmCellOp op, llvm::ArrayRef<Tensor> in,
                              std::vector<Tensor> &out) -> llvm::Error {
    const Tensor &x = in[0], &h = in[1], &c = in[2];
    const Tensor *b = in.size() > 5 ? &in[5] : nullptr;
    if (auto err = checkShapes(op, 4, x, h, &c, in[3], in[4], b))
      return err;
    Cell cell{x,        h,        in[3],
              in[4],    b,        x.dim(0),
              x.dim(1), h.dim(1), clipOf(op.getClip())};
    cell.computeProducts();
    int64_t n = cell.n, hidden = cell.hidden;
    Tensor hOut(x.dtype(), {n, hidden}), cOut(x.dtype(), {n, hidden});
    for (int64_t row = 0; row < n; ++row)
      for (int64_t j = 0; j < hidden; ++j) {
        // Gate order i, o, f, c.
        auto pre = [&](int64_t gate) {
          return cell.clamp(cell.inputPart(row, gate, j) +
                            cell.recurrentPart(row, gate, j));
        };
        double i = sigmoid(pre(0)), o = sigmoid(pre(1)), f = sigmoid(pre(2));
        double candidate = std::tanh(pre(3));
        int64_t k = row * hidden + j;
        // c' feeds h' unrounded: the kernel computes in double throughout.
        double cNew = f * c.get(k) + i * candidate;
        cOut.set(k, cNew);
        hOut.set(k, o * std::tanh(cNew));
      }
    out.push_back(std::move(hOut));
    out.push_back(std::move(cOut));
    return llvm::Error::success();
  });

  registry.add<RnnCellOp>([](RnnCellOp op, llvm::ArrayRef<Tensor> in,
                             std::vector<Tensor> &out) -> llvm::Error {
    const Tensor &x = in[0], &h = in[1];
    const Tensor *b = in.size() > 4 ? &in[4] : nullptr;
    if (auto err = checkShapes(op, 1, x, h, nullptr, in[2], in[3], b))
      return err;
    Cell cell{x,        h,        in[2],
              in[3],    b,        x.dim(0),
              x.dim(1), h.dim(1), clipOf(op.getClip())};
    cell.computeProducts();
    Tensor result(x.dtype(), {cell.n, cell.hidden});
    for (int64_t row = 0; row < cell.n; ++row)
      for (int64_t j = 0; j < cell.hidden; ++j)
        result.set(row * cell.hidden + j,
                   std::tanh(cell.clamp(cell.inputPart(row, 0, j) +
                                        cell.recurrentPart(row, 0, j))));
    out.push_back(std::move(result));
    return llvm::Error::success();
  });
}

} // namespace strata::reference
