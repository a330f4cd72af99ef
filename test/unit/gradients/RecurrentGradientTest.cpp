//===- RecurrentGradientTest.cpp - Gradient checks: recurrent cells -------===//
//
// rnn_cell, gru_cell and lstm_cell, differentiated with respect to x, the
// state(s), w, r and the bias, on several shapes, with and without bias and
// clip (and linear_before_reset for GRU); every result of lstm_cell; and a
// two-step unrolled chain sharing its weights (BPTT), by central differences
// in f64 (GradientChecking.h).
//
//===----------------------------------------------------------------------===//

#include "gradients/GradientChecking.h"

using namespace strata::testing;

namespace {

std::string tensor(std::vector<int64_t> shape) {
  std::string s = "tensor<";
  for (int64_t d : shape)
    s += std::to_string(d) + "x";
  return s + "f64>";
}

struct Cell {
  const char *op; // "rnn_cell", "gru_cell", "lstm_cell"
  int64_t gates;
  bool lstm;
};
const Cell kRnn{"rnn_cell", 1, false}, kGru{"gru_cell", 3, false},
    kLstm{"lstm_cell", 4, true};

class RecurrentGradient : public GradientCheckTest {
protected:
  /// Checks @f = one step of `cell` on x [n, in], h (and c) [n, hidden]
  /// returning `ret` ("h", "c" or "sum" of both for LSTM).
  void checkCell(const Cell &cell, int64_t n, int64_t in, int64_t hidden,
                 bool bias, const std::string &attrs,
                 const std::string &ret = "h", double scale = 1) {
    int64_t g = cell.gates;
    std::string x = tensor({n, in}), h = tensor({n, hidden}),
                w = tensor({g * hidden, in}), r = tensor({g * hidden, hidden}),
                b = tensor({2 * g * hidden});
    std::string args = "%x: " + x + ", %h: " + h;
    std::string operands = "%x, %h";
    std::string types = x + ", " + h;
    std::vector<Tensor> values{randomTensor(DType::f64, {n, in}, -scale, scale),
                               randomTensor(DType::f64, {n, hidden})};
    if (cell.lstm) {
      args += ", %c: " + h;
      operands += ", %c";
      types += ", " + h;
      values.push_back(randomTensor(DType::f64, {n, hidden}));
    }
    args += ", %w: " + w + ", %r: " + r;
    operands += ", %w, %r";
    types += ", " + w + ", " + r;
    values.push_back(randomTensor(DType::f64, {g * hidden, in}, -scale, scale));
    values.push_back(
        randomTensor(DType::f64, {g * hidden, hidden}, -scale, scale));
    if (bias) {
      args += ", %b: " + b;
      operands += ", %b";
      types += ", " + b;
      values.push_back(randomTensor(DType::f64, {2 * g * hidden}));
    }
    std::string body;
    if (cell.lstm) {
      body = "  %0:2 = strata.lstm_cell " + operands + " " + attrs + " : (" +
             types + ") -> (" + h + ", " + h + ")\n";
      if (ret == "h")
        body += "  return %0#0 : " + h + "\n";
      else if (ret == "c")
        body += "  return %0#1 : " + h + "\n";
      else
        body += "  %1 = strata.add %0#0, %0#1 : (" + h + ", " + h + ") -> " +
                h + "\n  return %1 : " + h + "\n";
    } else {
      body = "  %0 = strata." + std::string(cell.op) + " " + operands + " " +
             attrs + " : (" + types + ") -> " + h + "\n  return %0 : " + h +
             "\n";
    }
    SCOPED_TRACE(
        std::string(cell.op) + " n=" + std::to_string(n) +
        " in=" + std::to_string(in) + " hidden=" + std::to_string(hidden) +
        " bias=" + std::to_string(bias) + " " + attrs + " returns " + ret);
    check("func.func @f(" + args + ") -> " + h + " {\n" + body + "}", values);
  }
};

TEST_F(RecurrentGradient, RnnCell) {
  for (bool bias : {false, true}) {
    checkCell(kRnn, 2, 3, 4, bias, "");
    checkCell(kRnn, 1, 5, 2, bias, "");
    checkCell(kRnn, 3, 2, 3, bias, "{clip = 0.5}");
  }
}

TEST_F(RecurrentGradient, GruCell) {
  for (bool bias : {false, true})
    for (const char *lbr : {"", "{linear_before_reset = false}",
                            "{linear_before_reset = true}"}) {
      checkCell(kGru, 2, 3, 4, bias, lbr);
      checkCell(kGru, 3, 2, 1, bias, lbr);
    }
  checkCell(kGru, 3, 4, 2, true, "{clip = 0.6}");
  checkCell(kGru, 3, 4, 2, true, "{clip = 0.6, linear_before_reset = true}");
  checkCell(kGru, 2, 3, 3, false, "{clip = 0.4, linear_before_reset = true}");
}

TEST_F(RecurrentGradient, LstmCell) {
  for (const char *ret : {"h", "c", "sum"})
    for (bool bias : {false, true}) {
      checkCell(kLstm, 2, 3, 4, bias, "", ret);
      checkCell(kLstm, 1, 2, 3, bias, "", ret);
      checkCell(kLstm, 3, 4, 2, bias, "{clip = 0.5}", ret);
    }
}

TEST_F(RecurrentGradient, UnrolledChains) {
  // Two time steps sharing weights: the gradients of w, r and b accumulate
  // over the steps and the state's gradient flows through both.
  check(
      R"(func.func @f(%x0: tensor<2x3xf64>, %x1: tensor<2x3xf64>, %h: tensor<2x4xf64>, %w: tensor<12x3xf64>, %r: tensor<12x4xf64>, %b: tensor<24xf64>) -> tensor<2x4xf64> {
  %0 = strata.gru_cell %x0, %h, %w, %r, %b : (tensor<2x3xf64>, tensor<2x4xf64>, tensor<12x3xf64>, tensor<12x4xf64>, tensor<24xf64>) -> tensor<2x4xf64>
  %1 = strata.gru_cell %x1, %0, %w, %r, %b {linear_before_reset = true} : (tensor<2x3xf64>, tensor<2x4xf64>, tensor<12x3xf64>, tensor<12x4xf64>, tensor<24xf64>) -> tensor<2x4xf64>
  return %1 : tensor<2x4xf64>
})",
      {randomTensor(DType::f64, {2, 3}), randomTensor(DType::f64, {2, 3}),
       randomTensor(DType::f64, {2, 4}), randomTensor(DType::f64, {12, 3}),
       randomTensor(DType::f64, {12, 4}), randomTensor(DType::f64, {24})});
  check(
      R"(func.func @f(%x0: tensor<2x3xf64>, %x1: tensor<2x3xf64>, %h: tensor<2x2xf64>, %c: tensor<2x2xf64>, %w: tensor<8x3xf64>, %r: tensor<8x2xf64>, %b: tensor<16xf64>) -> tensor<2x2xf64> {
  %0:2 = strata.lstm_cell %x0, %h, %c, %w, %r, %b : (tensor<2x3xf64>, tensor<2x2xf64>, tensor<2x2xf64>, tensor<8x3xf64>, tensor<8x2xf64>, tensor<16xf64>) -> (tensor<2x2xf64>, tensor<2x2xf64>)
  %1:2 = strata.lstm_cell %x1, %0#0, %0#1, %w, %r, %b : (tensor<2x3xf64>, tensor<2x2xf64>, tensor<2x2xf64>, tensor<8x3xf64>, tensor<8x2xf64>, tensor<16xf64>) -> (tensor<2x2xf64>, tensor<2x2xf64>)
  return %1#0 : tensor<2x2xf64>
})",
      {randomTensor(DType::f64, {2, 3}), randomTensor(DType::f64, {2, 3}),
       randomTensor(DType::f64, {2, 2}), randomTensor(DType::f64, {2, 2}),
       randomTensor(DType::f64, {8, 3}), randomTensor(DType::f64, {8, 2}),
       randomTensor(DType::f64, {16})});
  check(
      R"(func.func @f(%x0: tensor<3x2xf64>, %x1: tensor<3x2xf64>, %h: tensor<3x3xf64>, %w: tensor<3x2xf64>, %r: tensor<3x3xf64>, %b: tensor<6xf64>) -> tensor<3x3xf64> {
  %0 = strata.rnn_cell %x0, %h, %w, %r, %b : (tensor<3x2xf64>, tensor<3x3xf64>, tensor<3x2xf64>, tensor<3x3xf64>, tensor<6xf64>) -> tensor<3x3xf64>
  %1 = strata.rnn_cell %x1, %0, %w, %r, %b : (tensor<3x2xf64>, tensor<3x3xf64>, tensor<3x2xf64>, tensor<3x3xf64>, tensor<6xf64>) -> tensor<3x3xf64>
  return %1 : tensor<3x3xf64>
})",
      {randomTensor(DType::f64, {3, 2}), randomTensor(DType::f64, {3, 2}),
       randomTensor(DType::f64, {3, 3}), randomTensor(DType::f64, {3, 2}),
       randomTensor(DType::f64, {3, 3}), randomTensor(DType::f64, {6})});
}

} // namespace
