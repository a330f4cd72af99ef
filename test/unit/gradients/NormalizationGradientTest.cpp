//===- NormalizationGradientTest.cpp - Gradient checks: normalizations ----===//
//
// batch_norm (inference and training forms), layer_norm, instance_norm,
// group_norm and lp_normalization, each on several shapes and attributes,
// by central differences in f64 (GradientChecking.h). Every float operand is
// differentiated, statistics operands included.
//
//===----------------------------------------------------------------------===//

#include "gradients/GradientChecking.h"

#include <algorithm>
#include <tuple>

using namespace strata::testing;

namespace {

using Shape = std::vector<int64_t>;

std::string type(const Shape &shape) {
  std::string s = "tensor<";
  for (int64_t d : shape)
    s += std::to_string(d) + "x";
  return s + "f64>";
}

std::string params(const std::vector<Shape> &args) {
  std::string s;
  for (size_t i = 0; i < args.size(); ++i)
    s += (i ? ", %a" : "%a") + std::to_string(i) + ": " + type(args[i]);
  return s;
}

std::string operands(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i)
    s += (i ? ", %a" : "%a") + std::to_string(i);
  return s;
}

std::string types(const std::vector<Shape> &args) {
  std::string s;
  for (size_t i = 0; i < args.size(); ++i)
    s += (i ? ", " : "") + type(args[i]);
  return s;
}

/// @f(args) = op(args) {attrs}, of the type of the first argument.
std::string single(const std::string &op, const std::vector<Shape> &args,
                   const std::string &attrs = "") {
  std::string out = type(args[0]);
  return "func.func @f(" + params(args) + ") -> " + out + " {\n  %0 = " + op +
         " " + operands(args.size()) + " " + attrs + " : (" + types(args) +
         ") -> " + out + "\n  return %0 : " + out + "\n}";
}

class NormalizationGradient : public GradientCheckTest {
protected:
  /// Random arguments; those at `positive` in [0.5, 2) (variances).
  std::vector<Tensor> values(const std::vector<Shape> &args,
                             std::vector<size_t> positive = {}) {
    std::vector<Tensor> v;
    for (size_t i = 0; i < args.size(); ++i) {
      bool pos =
          std::find(positive.begin(), positive.end(), i) != positive.end();
      v.push_back(
          randomTensor(DType::f64, args[i], pos ? 0.5 : -1, pos ? 2 : 1));
    }
    return v;
  }
  void checkOp(const std::string &op, const std::vector<Shape> &args,
               const std::string &attrs = "",
               std::vector<size_t> positive = {}) {
    SCOPED_TRACE(op + " " + attrs);
    check(single(op, args, attrs), values(args, positive));
  }
};

TEST_F(NormalizationGradient, BatchNorm) {
  checkOp("strata.batch_norm", {{2, 3, 4, 4}, {3}, {3}, {3}, {3}}, "", {4});
  checkOp("strata.batch_norm", {{3, 2, 5}, {2}, {2}, {2}, {2}},
          "{epsilon = 0.1}", {4});
  checkOp("strata.batch_norm", {{4, 3}, {3}, {3}, {3}, {3}},
          "{epsilon = 0.001}", {4});
}

TEST_F(NormalizationGradient, BatchNormTrainOutput) {
  // Only the normalized output: the gradient flows through the batch
  // statistics.
  for (auto [x, c, attrs] :
       {std::tuple<Shape, int64_t, std::string>{{2, 3, 4, 4}, 3, ""},
        {{3, 2, 5}, 2, "{epsilon = 0.01, momentum = 0.8}"},
        {{5, 3}, 3, "{epsilon = 0.001}"}}) {
    SCOPED_TRACE(attrs);
    std::vector<Shape> args = {x, {c}, {c}, {c}, {c}};
    std::string p = type({c});
    std::string src =
        "func.func @f(" + params(args) + ") -> " + type(x) +
        " {\n  %y, %rm, %rv, %bm, %bv = strata.batch_norm_train " +
        operands(5) + " " + attrs + " : (" + types(args) + ") -> (" + type(x) +
        ", " + p + ", " + p + ", " + p + ", " + p +
        ")\n  return %y : " + type(x) + "\n}";
    check(src, values(args, {4}));
  }
}

TEST_F(NormalizationGradient, BatchNormTrainAllResults) {
  // All five results reach the loss: running statistics (momentum) and the
  // batch statistics themselves.
  check(
      R"(func.func @f(%x: tensor<3x2x2x2xf64>, %s: tensor<2xf64>, %b: tensor<2xf64>, %m: tensor<2xf64>, %v: tensor<2xf64>) -> tensor<3x2x2x2xf64> {
  %y, %rm, %rv, %bm, %bv = strata.batch_norm_train %x, %s, %b, %m, %v {epsilon = 0.01, momentum = 0.7} : (tensor<3x2x2x2xf64>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>) -> (tensor<3x2x2x2xf64>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>)
  %0 = strata.mul %rm, %rv : (tensor<2xf64>, tensor<2xf64>) -> tensor<2xf64>
  %1 = strata.mul %bm, %bv : (tensor<2xf64>, tensor<2xf64>) -> tensor<2xf64>
  %2 = strata.add %0, %1 : (tensor<2xf64>, tensor<2xf64>) -> tensor<2xf64>
  %3 = strata.add %2, %bv : (tensor<2xf64>, tensor<2xf64>) -> tensor<2xf64>
  %4 = strata.reshape %3 {shape = array<i64: 1, 2, 1, 1>} : (tensor<2xf64>) -> tensor<1x2x1x1xf64>
  %5 = strata.add %y, %4 : (tensor<3x2x2x2xf64>, tensor<1x2x1x1xf64>) -> tensor<3x2x2x2xf64>
  return %5 : tensor<3x2x2x2xf64>
})",
      values({{3, 2, 2, 2}, {2}, {2}, {2}, {2}}, {4}));
  // Only the statistics (the output is unused).
  check(
      R"(func.func @f(%x: tensor<4x3xf64>, %s: tensor<3xf64>, %b: tensor<3xf64>, %m: tensor<3xf64>, %v: tensor<3xf64>) -> tensor<3xf64> {
  %y, %rm, %rv, %bm, %bv = strata.batch_norm_train %x, %s, %b, %m, %v : (tensor<4x3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>) -> (tensor<4x3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>)
  %0 = strata.mul %rv, %bm : (tensor<3xf64>, tensor<3xf64>) -> tensor<3xf64>
  return %0 : tensor<3xf64>
})",
      values({{4, 3}, {3}, {3}, {3}, {3}}, {4}));
}

TEST_F(NormalizationGradient, LayerNorm) {
  checkOp("strata.layer_norm", {{2, 3, 4}, {4}, {4}});
  checkOp("strata.layer_norm", {{2, 3, 4}, {3, 4}, {4}},
          "{axis = 1 : i64, epsilon = 0.01}");
  checkOp("strata.layer_norm", {{2, 3, 4}, {3, 1}}, "{axis = -2 : i64}");
  checkOp("strata.layer_norm", {{3, 5}, {1}, {5}}, "{axis = 0 : i64}");
  checkOp("strata.layer_norm", {{2, 6}, {6}});
}

TEST_F(NormalizationGradient, InstanceNorm) {
  checkOp("strata.instance_norm", {{2, 3, 4, 5}, {3}, {3}});
  checkOp("strata.instance_norm", {{2, 3, 6}, {3}, {3}}, "{epsilon = 0.01}");
  checkOp("strata.instance_norm", {{1, 2, 2, 2, 3}, {2}, {2}});
  checkOp("strata.instance_norm", {{2, 3}, {3}, {3}}); // y = bias
}

TEST_F(NormalizationGradient, GroupNorm) {
  checkOp("strata.group_norm", {{2, 4, 3, 3}, {4}, {4}},
          "{num_groups = 2 : i64}");
  checkOp("strata.group_norm", {{2, 6, 5}, {6}, {6}},
          "{num_groups = 3 : i64, epsilon = 0.01}");
  checkOp("strata.group_norm", {{1, 4, 2, 3}, {4}, {4}},
          "{num_groups = 1 : i64}");
  checkOp("strata.group_norm", {{2, 3, 4}, {3}, {3}}, "{num_groups = 3 : i64}");
}

TEST_F(NormalizationGradient, LpNormalization) {
  checkOp("strata.lp_normalization", {{3, 4}});
  checkOp("strata.lp_normalization", {{3, 4}}, "{axis = 0 : i64}");
  checkOp("strata.lp_normalization", {{2, 3, 4}}, "{axis = 1 : i64}");
  // p = 1 has a kink where an element is 0; random values avoid it.
  checkOp("strata.lp_normalization", {{3, 4}}, "{p = 1 : i64}");
  checkOp("strata.lp_normalization", {{2, 3, 4}},
          "{axis = -3 : i64, p = 1 : i64}");
}

} // namespace
