//===- RecurrentTest.cpp - Reference semantics of the Recurrent ops -------===//
//
// Hand-worked one-unit cells with literal results, and random cells checked
// against this file's own matrix formulation of the ONNX equations.
//
//===----------------------------------------------------------------------===//

#include "EvaluatorTesting.h"

#include <cmath>

namespace strata::testing {
namespace {

using Matrix = std::vector<std::vector<double>>;

Matrix toMatrix(const Tensor &t) {
  Matrix m(t.dim(0), std::vector<double>(t.dim(1)));
  for (int64_t i = 0; i < t.dim(0); ++i)
    for (int64_t j = 0; j < t.dim(1); ++j)
      m[i][j] = t.at({i, j});
  return m;
}

/// a [n, k] times the row block `block` of b ([*, k]) transposed, rows
/// block*h .. block*h+h-1: [n, h].
Matrix timesBlockT(const Matrix &a, const Matrix &b, int64_t block, int64_t h) {
  Matrix out(a.size(), std::vector<double>(h, 0.0));
  for (size_t n = 0; n < a.size(); ++n)
    for (int64_t j = 0; j < h; ++j)
      for (size_t k = 0; k < a[n].size(); ++k)
        out[n][j] += a[n][k] * b[block * h + j][k];
  return out;
}

double sigmoid(double v) { return 1.0 / (1.0 + std::exp(-v)); }

std::vector<double> flatten(const Matrix &m) {
  std::vector<double> v;
  for (const auto &row : m)
    v.insert(v.end(), row.begin(), row.end());
  return v;
}

class RecurrentTest : public EvaluatorTest {};

TEST_F(RecurrentTest, RnnCellHandWorked) {
  // h' = tanh(1 * 2 + 0.5 * -1 + 0.25 + 0.25) = tanh(2).
  auto out = run(
      R"(func.func @main(%x: tensor<1x1xf64>, %h: tensor<1x1xf64>, %w: tensor<1x1xf64>, %r: tensor<1x1xf64>, %b: tensor<2xf64>) -> tensor<1x1xf64> {
    %0 = strata.rnn_cell %x, %h, %w, %r, %b : (tensor<1x1xf64>, tensor<1x1xf64>, tensor<1x1xf64>, tensor<1x1xf64>, tensor<2xf64>) -> tensor<1x1xf64>
    return %0 : tensor<1x1xf64>
  })",
      {Tensor::fromDoubles(DType::f64, {1, 1}, {1}),
       Tensor::fromDoubles(DType::f64, {1, 1}, {0.5}),
       Tensor::fromDoubles(DType::f64, {1, 1}, {2}),
       Tensor::fromDoubles(DType::f64, {1, 1}, {-1}),
       Tensor::fromDoubles(DType::f64, {2}, {0.25, 0.25})});
  ASSERT_EQ(out.size(), 1u);
  expectTensorNear(out[0], {1, 1}, {0.9640275800758169}, 1e-14);
}

TEST_F(RecurrentTest, GruCellHandWorkedBothResetPlacements) {
  // x = 0.5, h = 0.8, W = [0, 0, 1], R = [0, 0, 2], Rbh = 1: z = r = 0.5.
  //   linear_before_reset = false: h~ = tanh(0.5 + (0.5 * 0.8) * 2 + 1)
  //   linear_before_reset = true:  h~ = tanh(0.5 + 0.5 * (0.8 * 2 + 1))
  // h' = 0.5 * h~ + 0.5 * 0.8.
  auto out = run(
      R"(func.func @main(%x: tensor<1x1xf64>, %h: tensor<1x1xf64>, %w: tensor<3x1xf64>, %r: tensor<3x1xf64>, %b: tensor<6xf64>) -> (tensor<1x1xf64>, tensor<1x1xf64>) {
    %0 = strata.gru_cell %x, %h, %w, %r, %b : (tensor<1x1xf64>, tensor<1x1xf64>, tensor<3x1xf64>, tensor<3x1xf64>, tensor<6xf64>) -> tensor<1x1xf64>
    %1 = strata.gru_cell %x, %h, %w, %r, %b {linear_before_reset = true} : (tensor<1x1xf64>, tensor<1x1xf64>, tensor<3x1xf64>, tensor<3x1xf64>, tensor<6xf64>) -> tensor<1x1xf64>
    return %0, %1 : tensor<1x1xf64>, tensor<1x1xf64>
  })",
      {Tensor::fromDoubles(DType::f64, {1, 1}, {0.5}),
       Tensor::fromDoubles(DType::f64, {1, 1}, {0.8}),
       Tensor::fromDoubles(DType::f64, {3, 1}, {0, 0, 1}),
       Tensor::fromDoubles(DType::f64, {3, 1}, {0, 0, 2}),
       Tensor::fromDoubles(DType::f64, {6}, {0, 0, 0, 0, 0, 1})});
  ASSERT_EQ(out.size(), 2u);
  expectTensorNear(out[0], {1, 1}, {0.8900481981330957}, 1e-14);
  expectTensorNear(out[1], {1, 1}, {0.8734030064231342}, 1e-14);
}

TEST_F(RecurrentTest, LstmCellHandWorked) {
  // Gate order i, o, f, c: W = [0, 1, -1, 1], x = 1, R = 0, h = 0, c = 2:
  // i = 0.5, o = sigmoid(1), f = sigmoid(-1), c~ = tanh(1),
  // c' = sigmoid(-1) * 2 + 0.5 * tanh(1), h' = sigmoid(1) * tanh(c').
  auto out = run(
      R"(func.func @main(%x: tensor<1x1xf64>, %h: tensor<1x1xf64>, %c: tensor<1x1xf64>, %w: tensor<4x1xf64>, %r: tensor<4x1xf64>) -> (tensor<1x1xf64>, tensor<1x1xf64>) {
    %0:2 = strata.lstm_cell %x, %h, %c, %w, %r : (tensor<1x1xf64>, tensor<1x1xf64>, tensor<1x1xf64>, tensor<4x1xf64>, tensor<4x1xf64>) -> (tensor<1x1xf64>, tensor<1x1xf64>)
    return %0#0, %0#1 : tensor<1x1xf64>, tensor<1x1xf64>
  })",
      {Tensor::fromDoubles(DType::f64, {1, 1}, {1}),
       Tensor::fromDoubles(DType::f64, {1, 1}, {0}),
       Tensor::fromDoubles(DType::f64, {1, 1}, {2}),
       Tensor::fromDoubles(DType::f64, {4, 1}, {0, 1, -1, 1}),
       Tensor::fromDoubles(DType::f64, {4, 1}, {0, 0, 0, 0})});
  ASSERT_EQ(out.size(), 2u);
  expectTensorNear(out[0], {1, 1}, {0.5302165531561925}, 1e-14);
  expectTensorNear(out[1], {1, 1}, {0.9186799207178726}, 1e-14);
}

/// Random cells: N = 3 (a dynamic batch in the IR), I = 4, H = 5.
class RecurrentRandomTest : public RecurrentTest {
protected:
  static constexpr int64_t N = 3, I = 4, H = 5;

  /// Pre-activation of gate `g` of `gates`: x Wg^T + h Rg^T + Wbg + Rbg,
  /// clamped to [-clip, clip] when clip > 0.
  Matrix gate(int64_t gates, int64_t g, const Matrix &x, const Matrix &h,
              const Matrix &w, const Matrix &r, const std::vector<double> &b,
              double clip = 0) {
    Matrix xw = timesBlockT(x, w, g, H), hr = timesBlockT(h, r, g, H);
    Matrix out(N, std::vector<double>(H));
    for (int64_t n = 0; n < N; ++n)
      for (int64_t j = 0; j < H; ++j) {
        double v = xw[n][j] + hr[n][j] + b[g * H + j] + b[(gates + g) * H + j];
        out[n][j] = clip > 0 ? std::max(-clip, std::min(clip, v)) : v;
      }
    return out;
  }
};

TEST_F(RecurrentRandomTest, RnnCellMatchesMatrixFormula) {
  Tensor x = randomTensor(DType::f64, {N, I}),
         h = randomTensor(DType::f64, {N, H});
  Tensor w = randomTensor(DType::f64, {H, I}),
         r = randomTensor(DType::f64, {H, H});
  Tensor b = randomTensor(DType::f64, {2 * H});
  auto out = run(
      R"(func.func @main(%x: tensor<?x4xf64>, %h: tensor<?x5xf64>, %w: tensor<5x4xf64>, %r: tensor<5x5xf64>, %b: tensor<10xf64>) -> (tensor<?x5xf64>, tensor<?x5xf64>) {
    %0 = strata.rnn_cell %x, %h, %w, %r, %b : (tensor<?x4xf64>, tensor<?x5xf64>, tensor<5x4xf64>, tensor<5x5xf64>, tensor<10xf64>) -> tensor<?x5xf64>
    %1 = strata.rnn_cell %x, %h, %w, %r, %b {clip = 0.3} : (tensor<?x4xf64>, tensor<?x5xf64>, tensor<5x4xf64>, tensor<5x5xf64>, tensor<10xf64>) -> tensor<?x5xf64>
    return %0, %1 : tensor<?x5xf64>, tensor<?x5xf64>
  })",
      {x, h, w, r, b});
  ASSERT_EQ(out.size(), 2u);
  std::vector<double> bias = b.toDoubles();
  for (double clip : {0.0, 0.3}) {
    Matrix pre = gate(1, 0, toMatrix(x), toMatrix(h), toMatrix(w), toMatrix(r),
                      bias, clip);
    for (auto &row : pre)
      for (double &v : row)
        v = std::tanh(v);
    expectTensorNear(out[clip > 0 ? 1 : 0], {N, H}, flatten(pre), 1e-12);
  }
}

TEST_F(RecurrentRandomTest, GruCellMatchesMatrixFormula) {
  Tensor x = randomTensor(DType::f64, {N, I}),
         h = randomTensor(DType::f64, {N, H});
  Tensor w = randomTensor(DType::f64, {3 * H, I}),
         r = randomTensor(DType::f64, {3 * H, H});
  Tensor b = randomTensor(DType::f64, {6 * H});
  auto out = run(
      R"(func.func @main(%x: tensor<?x4xf64>, %h: tensor<?x5xf64>, %w: tensor<15x4xf64>, %r: tensor<15x5xf64>, %b: tensor<30xf64>) -> (tensor<?x5xf64>, tensor<?x5xf64>, tensor<?x5xf64>, tensor<?x5xf64>) {
    %0 = strata.gru_cell %x, %h, %w, %r, %b : (tensor<?x4xf64>, tensor<?x5xf64>, tensor<15x4xf64>, tensor<15x5xf64>, tensor<30xf64>) -> tensor<?x5xf64>
    %1 = strata.gru_cell %x, %h, %w, %r, %b {linear_before_reset = true} : (tensor<?x4xf64>, tensor<?x5xf64>, tensor<15x4xf64>, tensor<15x5xf64>, tensor<30xf64>) -> tensor<?x5xf64>
    %2 = strata.gru_cell %x, %h, %w, %r : (tensor<?x4xf64>, tensor<?x5xf64>, tensor<15x4xf64>, tensor<15x5xf64>) -> tensor<?x5xf64>
    %3 = strata.gru_cell %x, %h, %w, %r, %b {clip = 0.2} : (tensor<?x4xf64>, tensor<?x5xf64>, tensor<15x4xf64>, tensor<15x5xf64>, tensor<30xf64>) -> tensor<?x5xf64>
    return %0, %1, %2, %3 : tensor<?x5xf64>, tensor<?x5xf64>, tensor<?x5xf64>, tensor<?x5xf64>
  })",
      {x, h, w, r, b});
  ASSERT_EQ(out.size(), 4u);
  Matrix X = toMatrix(x), Hm = toMatrix(h), W = toMatrix(w), R = toMatrix(r);
  auto expected = [&](const std::vector<double> &bias, bool linearBeforeReset,
                      double clip) {
    auto clamp = [&](double v) {
      return clip > 0 ? std::max(-clip, std::min(clip, v)) : v;
    };
    Matrix z = gate(3, 0, X, Hm, W, R, bias, clip);
    Matrix rg = gate(3, 1, X, Hm, W, R, bias, clip);
    for (int64_t n = 0; n < N; ++n)
      for (int64_t j = 0; j < H; ++j) {
        z[n][j] = sigmoid(z[n][j]);
        rg[n][j] = sigmoid(rg[n][j]);
      }
    Matrix rh = Hm;
    for (int64_t n = 0; n < N; ++n)
      for (int64_t j = 0; j < H; ++j)
        rh[n][j] *= rg[n][j];
    Matrix xw = timesBlockT(X, W, 2, H);
    Matrix hr = timesBlockT(linearBeforeReset ? Hm : rh, R, 2, H);
    Matrix out(N, std::vector<double>(H));
    for (int64_t n = 0; n < N; ++n)
      for (int64_t j = 0; j < H; ++j) {
        double wb = bias[2 * H + j], rb = bias[5 * H + j];
        double pre = linearBeforeReset
                         ? xw[n][j] + rg[n][j] * (hr[n][j] + rb) + wb
                         : xw[n][j] + hr[n][j] + rb + wb;
        double candidate = std::tanh(clamp(pre));
        out[n][j] = (1 - z[n][j]) * candidate + z[n][j] * Hm[n][j];
      }
    return flatten(out);
  };
  std::vector<double> bias = b.toDoubles(), zero(6 * H, 0.0);
  expectTensorNear(out[0], {N, H}, expected(bias, false, 0), 1e-12);
  expectTensorNear(out[1], {N, H}, expected(bias, true, 0), 1e-12);
  expectTensorNear(out[2], {N, H}, expected(zero, false, 0), 1e-12);
  expectTensorNear(out[3], {N, H}, expected(bias, false, 0.2), 1e-12);
}

TEST_F(RecurrentRandomTest, LstmCellMatchesMatrixFormula) {
  Tensor x = randomTensor(DType::f32, {N, I}),
         h = randomTensor(DType::f32, {N, H});
  Tensor c = randomTensor(DType::f32, {N, H});
  Tensor w = randomTensor(DType::f32, {4 * H, I}),
         r = randomTensor(DType::f32, {4 * H, H});
  Tensor b = randomTensor(DType::f32, {8 * H});
  auto out = run(
      R"(func.func @main(%x: tensor<?x4xf32>, %h: tensor<?x5xf32>, %c: tensor<?x5xf32>, %w: tensor<20x4xf32>, %r: tensor<20x5xf32>, %b: tensor<40xf32>) -> (tensor<?x5xf32>, tensor<?x5xf32>, tensor<?x5xf32>, tensor<?x5xf32>) {
    %0:2 = strata.lstm_cell %x, %h, %c, %w, %r, %b : (tensor<?x4xf32>, tensor<?x5xf32>, tensor<?x5xf32>, tensor<20x4xf32>, tensor<20x5xf32>, tensor<40xf32>) -> (tensor<?x5xf32>, tensor<?x5xf32>)
    %1:2 = strata.lstm_cell %x, %h, %c, %w, %r, %b {clip = 0.25} : (tensor<?x4xf32>, tensor<?x5xf32>, tensor<?x5xf32>, tensor<20x4xf32>, tensor<20x5xf32>, tensor<40xf32>) -> (tensor<?x5xf32>, tensor<?x5xf32>)
    return %0#0, %0#1, %1#0, %1#1 : tensor<?x5xf32>, tensor<?x5xf32>, tensor<?x5xf32>, tensor<?x5xf32>
  })",
      {x, h, c, w, r, b});
  ASSERT_EQ(out.size(), 4u);
  Matrix X = toMatrix(x), Hm = toMatrix(h), C = toMatrix(c), W = toMatrix(w),
         R = toMatrix(r);
  std::vector<double> bias = b.toDoubles();
  for (double clip : {0.0, 0.25}) {
    // Gate order i, o, f, c.
    Matrix i = gate(4, 0, X, Hm, W, R, bias, clip);
    Matrix o = gate(4, 1, X, Hm, W, R, bias, clip);
    Matrix f = gate(4, 2, X, Hm, W, R, bias, clip);
    Matrix g = gate(4, 3, X, Hm, W, R, bias, clip);
    std::vector<double> hWant, cWant;
    for (int64_t n = 0; n < N; ++n)
      for (int64_t j = 0; j < H; ++j) {
        double cNew =
            sigmoid(f[n][j]) * C[n][j] + sigmoid(i[n][j]) * std::tanh(g[n][j]);
        cWant.push_back(cNew);
        hWant.push_back(sigmoid(o[n][j]) * std::tanh(cNew));
      }
    // f32 results: one rounding of values of magnitude < 2.
    int k = clip > 0 ? 2 : 0;
    expectTensorNear(out[k], {N, H}, hWant, 1e-6);
    expectTensorNear(out[k + 1], {N, H}, cWant, 1e-6);
  }
}

TEST_F(RecurrentTest, DynamicSizesThatDisagreeAreAnEvaluationError) {
  // x and h both have a `?` batch; at run time it differs (2 vs 3).
  std::string err = runError(
      R"(func.func @main(%x: tensor<?x1xf32>, %h: tensor<?x1xf32>, %w: tensor<1x1xf32>, %r: tensor<1x1xf32>) -> tensor<?x1xf32> {
    %0 = strata.rnn_cell %x, %h, %w, %r : (tensor<?x1xf32>, tensor<?x1xf32>, tensor<1x1xf32>, tensor<1x1xf32>) -> tensor<?x1xf32>
    return %0 : tensor<?x1xf32>
  })",
      {Tensor(DType::f32, {2, 1}), Tensor(DType::f32, {3, 1}),
       Tensor(DType::f32, {1, 1}), Tensor(DType::f32, {1, 1})});
  EXPECT_NE(err.find("operand shapes disagree at run time"), std::string::npos)
      << err;
}

} // namespace
} // namespace strata::testing
