//===- StructureTest.cpp - Parameters, data inputs, constants, casts ------===//

#include "EvaluatorTesting.h"

#include <cmath>

namespace strata::testing {
namespace {

using StructureTest = EvaluatorTest;

TEST_F(StructureTest, ConstantAndCast) {
  auto out =
      run(R"(func.func @main() -> (tensor<3xf32>, tensor<3xi32>, tensor<3xi1>) {
    %0 = strata.constant dense<[1.5, -2.7, 0.0]> : tensor<3xf32>
    %1 = strata.cast %0 : (tensor<3xf32>) -> tensor<3xi32>
    %2 = strata.cast %0 : (tensor<3xf32>) -> tensor<3xi1>
    return %0, %1, %2 : tensor<3xf32>, tensor<3xi32>, tensor<3xi1>
  })",
          {});
  ASSERT_EQ(out.size(), 3u);
  expectTensorNear(out[0], {3}, {1.5, -2.7, 0.0});
  expectTensorNear(out[1], {3}, {1, -2, 0});
  expectTensorNear(out[2], {3}, {1, 1, 0});
}

TEST_F(StructureTest, ParamValueReadsEnvironmentAndFollowsShareFrom) {
  env.parameters["w"] = Tensor::fromDoubles(DType::f32, {2}, {3, 4});
  auto out = run(R"(
    strata.parameter @w : tensor<2xf32> {init = #strata.init<kind = constant, value = 0.0>}
    strata.parameter @tied : tensor<2xf32> {init = #strata.init<kind = constant>, share_from = @w}
    func.func @main() -> (tensor<2xf32>, tensor<2xf32>) {
      %0 = strata.param_value @w : tensor<2xf32>
      %1 = strata.param_value @tied : tensor<2xf32>
      return %0, %1 : tensor<2xf32>, tensor<2xf32>
    })",
                 {});
  ASSERT_EQ(out.size(), 2u);
  expectTensorNear(out[0], {2}, {3, 4});
  expectTensorNear(out[1], {2}, {3, 4});
}

TEST_F(StructureTest, DataInputReadsEnvironment) {
  env.dataInputs["data"] = {
      Tensor::fromDoubles(DType::f32, {2, 2}, {1, 2, 3, 4}),
      Tensor::fromInts(DType::i32, {2}, {0, 1})};
  auto out = run(R"(func.func @main() -> (tensor<?x2xf32>, tensor<?xi32>) {
    %x, %y = strata.data_input "data" : tensor<?x2xf32>, tensor<?xi32>
    return %x, %y : tensor<?x2xf32>, tensor<?xi32>
  })",
                 {});
  ASSERT_EQ(out.size(), 2u);
  expectTensorNear(out[0], {2, 2}, {1, 2, 3, 4});
  expectTensorNear(out[1], {2}, {0, 1});
}

TEST_F(StructureTest, MissingParameterValueIsAnError) {
  std::string err = runError(R"(
    strata.parameter @w : tensor<2xf32> {init = #strata.init<kind = constant>}
    func.func @main() -> tensor<2xf32> {
      %0 = strata.param_value @w : tensor<2xf32>
      return %0 : tensor<2xf32>
    })",
                             {});
  EXPECT_NE(err.find("parameter @w has no value"), std::string::npos) << err;
}

TEST_F(StructureTest, InitializersFollowTheirSpec) {
  auto module = parse(R"(
    strata.parameter @c : tensor<3xf32> {init = #strata.init<kind = constant, value = 0.25>}
    strata.parameter @u : tensor<100x50xf32> {init = #strata.init<kind = uniform, low = -0.05, high = 0.05>}
    strata.parameter @g : tensor<200x50xf64> {init = #strata.init<kind = gaussian, mean = 1.0, std = 2.0>}
    strata.parameter @f : tensor<100x48xf32> {init = #strata.init<kind = uniform_sqrt_fan_in>}
    strata.parameter @fo : tensor<100x44xf32> {init = #strata.init<kind = uniform_sqrt_fan_in_out, value = 2.0>}
  )");
  ASSERT_TRUE(module);
  ASSERT_FALSE(llvm::errorToBool(env.initializeParameters(module, 7)));
  const Tensor &c = env.parameters["c"];
  expectTensorNear(c, {3}, {0.25, 0.25, 0.25});
  const Tensor &u = env.parameters["u"];
  double sum = 0;
  for (int64_t i = 0; i < u.numElements(); ++i) {
    EXPECT_GE(u.get(i), -0.05);
    EXPECT_LT(u.get(i), 0.05);
    sum += u.get(i);
  }
  EXPECT_NEAR(sum / u.numElements(), 0.0, 0.003); // sd of mean ~0.0004
  const Tensor &g = env.parameters["g"];
  double mean = 0, sq = 0;
  for (int64_t i = 0; i < g.numElements(); ++i)
    mean += g.get(i);
  mean /= g.numElements();
  for (int64_t i = 0; i < g.numElements(); ++i)
    sq += (g.get(i) - mean) * (g.get(i) - mean);
  double sd = std::sqrt(sq / g.numElements());
  EXPECT_NEAR(mean, 1.0, 0.1); // sd of mean 0.02
  EXPECT_NEAR(sd, 2.0, 0.1);
  double r = std::sqrt(3.0) / std::sqrt(48.0);
  double r2 = 2.0 * std::sqrt(6.0) / std::sqrt(44.0 + 100.0);
  double maxAbs = 0, maxAbs2 = 0;
  for (int64_t i = 0; i < 4800; ++i)
    maxAbs = std::max(maxAbs, std::fabs(env.parameters["f"].get(i)));
  for (int64_t i = 0; i < 4400; ++i)
    maxAbs2 = std::max(maxAbs2, std::fabs(env.parameters["fo"].get(i)));
  EXPECT_LE(maxAbs, r);
  EXPECT_GT(maxAbs, 0.95 * r);
  EXPECT_LE(maxAbs2, r2);
  EXPECT_GT(maxAbs2, 0.95 * r2);
  // The same seed gives the same values; another seed different ones.
  reference::Environment again, other;
  ASSERT_FALSE(llvm::errorToBool(again.initializeParameters(module, 7)));
  ASSERT_FALSE(llvm::errorToBool(other.initializeParameters(module, 8)));
  EXPECT_EQ(again.parameters["u"].toDoubles(), u.toDoubles());
  EXPECT_NE(other.parameters["u"].toDoubles(), u.toDoubles());
}

} // namespace
} // namespace strata::testing
