//===- RandomGradientTest.cpp - Gradient checks: dropout ------------------===//
//
// strata.dropout with respect to x (the RNG state is an integer argument and
// is not differentiated), on several shapes, ratios and states, alone and in
// chains, by central differences in f64 (GradientChecking.h). The sampling
// ops have no gradient rule.
//
//===----------------------------------------------------------------------===//

#include "gradients/GradientChecking.h"

#include "ir/gradients/Gradients.h"

using namespace strata::testing;

namespace {

std::string tensor(const std::vector<int64_t> &shape) {
  std::string s = "tensor<";
  for (int64_t d : shape)
    s += std::to_string(d) + "x";
  return s + "f64>";
}

class RandomGradient : public GradientCheckTest {};

TEST_F(RandomGradient, Dropout) {
  std::vector<std::vector<int64_t>> shapes{{12}, {3, 4}, {2, 3, 4}};
  int64_t key = 7;
  for (const auto &shape : shapes)
    for (double ratio : {0.0, 0.3, 0.5, 0.9}) {
      std::string t = tensor(shape), attrs;
      if (ratio != 0.5)
        attrs = "{ratio = " + std::to_string(ratio) + "}";
      SCOPED_TRACE(t + " " + attrs);
      check("func.func @f(%x: " + t + ", %s: tensor<2xi64>) -> " + t +
                " {\n  %0:3 = strata.dropout %x, %s " + attrs + " : (" + t +
                ", tensor<2xi64>) -> (" + t + ", " + t.substr(0, t.size() - 4) +
                "i1>, tensor<2xi64>)\n" + "  return %0#0 : " + t + "\n}",
            {randomTensor(DType::f64, shape),
             Tensor::fromInts(DType::i64, {2}, {key++, 3})});
    }
}

TEST_F(RandomGradient, DropoutChains) {
  // x reaches the loss through two dropouts drawn from chained states and
  // directly: the gradients add up.
  check(
      R"(func.func @f(%x: tensor<4x5xf64>, %s: tensor<2xi64>) -> tensor<4x5xf64> {
  %0:3 = strata.dropout %x, %s {ratio = 0.4} : (tensor<4x5xf64>, tensor<2xi64>) -> (tensor<4x5xf64>, tensor<4x5xi1>, tensor<2xi64>)
  %1 = strata.tanh %0#0 : (tensor<4x5xf64>) -> tensor<4x5xf64>
  %2:3 = strata.dropout %1, %0#2 : (tensor<4x5xf64>, tensor<2xi64>) -> (tensor<4x5xf64>, tensor<4x5xi1>, tensor<2xi64>)
  %3 = strata.mul %2#0, %x : (tensor<4x5xf64>, tensor<4x5xf64>) -> tensor<4x5xf64>
  return %3 : tensor<4x5xf64>
})",
      {randomTensor(DType::f64, {4, 5}),
       Tensor::fromInts(DType::i64, {2}, {11, 0})});
}

TEST_F(RandomGradient, SamplingOpsHaveNoGradient) {
  std::vector<std::string> names =
      strata::differentiableOpNames(parse("module {}").getContext());
  auto has = [&](const std::string &name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  EXPECT_TRUE(has("strata.dropout"));
  for (const char *op : {"strata.bernoulli_sample", "strata.gaussian_sample",
                         "strata.random_uniform", "strata.random_normal"})
    EXPECT_FALSE(has(op)) << op;
}

} // namespace
