//===- ElementwiseTest.cpp - Reference semantics of elementwise ops -------===//

#include "EvaluatorTesting.h"

#include <cmath>

namespace strata::testing {
namespace {

class ElementwiseTest : public EvaluatorTest {
protected:
  /// Runs `strata.<op>` on two random broadcast operands and compares with
  /// `expected(a, b)` computed here, index by index.
  void checkBinary(const std::string &op, double (*expected)(double, double),
                   double lo = -2, double hi = 2) {
    Tensor a = randomTensor(DType::f32, {2, 3}, lo, hi);
    Tensor b = randomTensor(DType::f32, {3}, lo, hi);
    auto out = run("func.func @main(%a: tensor<2x3xf32>, %b: tensor<3xf32>) "
                   "-> tensor<2x3xf32> {\n  %0 = " +
                       op +
                       " %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> "
                       "tensor<2x3xf32>\n  return %0 : tensor<2x3xf32>\n}",
                   {a, b});
    ASSERT_EQ(out.size(), 1u);
    std::vector<double> want;
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 3; ++j)
        want.push_back(
            static_cast<float>(expected(a.get(i * 3 + j), b.get(j))));
    expectTensorNear(out[0], {2, 3}, want, 1e-6);
  }

  void checkUnary(const std::string &op, double (*expected)(double),
                  double lo = -2, double hi = 2) {
    Tensor a = randomTensor(DType::f32, {4, 5}, lo, hi);
    auto out = run("func.func @main(%a: tensor<4x5xf32>) -> tensor<4x5xf32> "
                   "{\n  %0 = " +
                       op +
                       " %a : (tensor<4x5xf32>) -> tensor<4x5xf32>\n  return "
                       "%0 : tensor<4x5xf32>\n}",
                   {a});
    ASSERT_EQ(out.size(), 1u);
    std::vector<double> want;
    for (int i = 0; i < 20; ++i)
      want.push_back(static_cast<float>(expected(a.get(i))));
    expectTensorNear(out[0], {4, 5}, want, 1e-6);
  }
};

TEST_F(ElementwiseTest, FloatArithmeticBroadcasts) {
  checkBinary("strata.add", [](double a, double b) { return a + b; });
  checkBinary("strata.sub", [](double a, double b) { return a - b; });
  checkBinary("strata.mul", [](double a, double b) { return a * b; });
  checkBinary(
      "strata.div", [](double a, double b) { return a / b; }, 0.5, 2);
  checkBinary(
      "strata.pow", [](double a, double b) { return std::pow(a, b); }, 0.5, 2);
  checkBinary("strata.max", [](double a, double b) { return a > b ? a : b; });
  checkBinary("strata.min", [](double a, double b) { return a < b ? a : b; });
}

TEST_F(ElementwiseTest, UnaryMath) {
  checkUnary("strata.neg", [](double a) { return -a; });
  checkUnary("strata.abs", [](double a) { return a < 0 ? -a : a; });
  checkUnary("strata.sign",
             [](double a) { return a > 0 ? 1.0 : (a < 0 ? -1.0 : 0.0); });
  checkUnary("strata.exp", [](double a) { return std::exp(a); });
  checkUnary(
      "strata.log", [](double a) { return std::log(a); }, 0.1, 3);
  checkUnary(
      "strata.sqrt", [](double a) { return std::sqrt(a); }, 0, 3);
  checkUnary(
      "strata.rsqrt", [](double a) { return 1 / std::sqrt(a); }, 0.1, 3);
  checkUnary(
      "strata.reciprocal", [](double a) { return 1 / a; }, 0.1, 3);
  checkUnary("strata.floor", [](double a) { return std::floor(a); });
  checkUnary("strata.ceil", [](double a) { return std::ceil(a); });
  checkUnary("strata.erf", [](double a) { return std::erf(a); });
  checkUnary("strata.sin", [](double a) { return std::sin(a); });
  checkUnary("strata.cos", [](double a) { return std::cos(a); });
  checkUnary(
      "strata.asin", [](double a) { return std::asin(a); }, -1, 1);
  checkUnary(
      "strata.acos", [](double a) { return std::acos(a); }, -1, 1);
  checkUnary("strata.atan", [](double a) { return std::atan(a); });
}

// Shifts against hand-worked bit patterns: arithmetic right shifts of
// negative signed values, logical ones of unsigned values, left shifts that
// drop bits past the width, and out-of-range shift amounts.
TEST_F(ElementwiseTest, ShiftsHandWorked) {
  auto out = run(
      R"(func.func @main(%a: tensor<6xi8>, %b: tensor<6xi8>, %c: tensor<3xui8>, %d: tensor<3xui8>) -> (tensor<6xi8>, tensor<6xi8>, tensor<3xui8>, tensor<3xui8>) {
    %0 = strata.shift_left %a, %b : (tensor<6xi8>, tensor<6xi8>) -> tensor<6xi8>
    %1 = strata.shift_right %a, %b : (tensor<6xi8>, tensor<6xi8>) -> tensor<6xi8>
    %2 = strata.shift_left %c, %d : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
    %3 = strata.shift_right %c, %d : (tensor<3xui8>, tensor<3xui8>) -> tensor<3xui8>
    return %0, %1, %2, %3 : tensor<6xi8>, tensor<6xi8>, tensor<3xui8>, tensor<3xui8>
  })",
      {Tensor::fromInts(DType::i8, {6}, {5, -5, 64, -128, -7, 3}),
       Tensor::fromInts(DType::i8, {6}, {1, 1, 1, 7, -1, 8}),
       Tensor::fromInts(DType::u8, {3}, {200, 1, 255}),
       Tensor::fromInts(DType::u8, {3}, {1, 7, 8})});
  // 5 << 1 = 10; -5 << 1 = -10; 64 << 1 = 128 wraps to -128; -128 << 7 keeps
  // no bits; shifts by -1 and by 8 (the width) give 0 (or -1 right of < 0).
  expectTensorNear(out[0], {6}, {10, -10, -128, 0, 0, 0});
  // 5 >> 1 = 2; -5 >> 1 = -3 (floor); 64 >> 1 = 32; -128 >> 7 = -1.
  expectTensorNear(out[1], {6}, {2, -3, 32, -1, -1, 0});
  // 200 << 1 = 400 mod 256 = 144; 1 << 7 = 128; a shift by 8 gives 0.
  expectTensorNear(out[2], {3}, {144, 128, 0});
  expectTensorNear(out[3], {3}, {100, 0, 0});
}

TEST_F(ElementwiseTest, RoundIsHalfToEven) {
  auto out =
      run(R"(func.func @main(%a: tensor<5xf32>) -> tensor<5xf32> {
    %0 = strata.round %a : (tensor<5xf32>) -> tensor<5xf32>
    return %0 : tensor<5xf32>
  })",
          {Tensor::fromDoubles(DType::f32, {5}, {0.5, 1.5, 2.5, -0.5, 2.4})});
  expectTensorNear(out[0], {5}, {0, 2, 2, -0, 2});
}

TEST_F(ElementwiseTest, IntegerDivisionTruncatesAndModFollowsDivisor) {
  Tensor a = Tensor::fromInts(DType::i32, {4}, {7, -7, 7, -7});
  Tensor b = Tensor::fromInts(DType::i32, {4}, {2, 2, -2, -2});
  auto out = run(
      R"(func.func @main(%a: tensor<4xi32>, %b: tensor<4xi32>) -> (tensor<4xi32>, tensor<4xi32>, tensor<4xi32>) {
    %0 = strata.div %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %1 = strata.mod %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    %2 = strata.mod %a, %b {fmod = true} : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
    return %0, %1, %2 : tensor<4xi32>, tensor<4xi32>, tensor<4xi32>
  })",
      {a, b});
  ASSERT_EQ(out.size(), 3u);
  expectTensorNear(out[0], {4}, {3, -3, -3, 3});
  expectTensorNear(out[1], {4}, {1, 1, -1, -1});
  expectTensorNear(out[2], {4}, {1, -1, 1, -1});
}

TEST_F(ElementwiseTest, IntegerDivisionByZeroIsAnError) {
  std::string err = runError(
      R"(func.func @main(%a: tensor<2xi64>, %b: tensor<2xi64>) -> tensor<2xi64> {
    %0 = strata.div %a, %b : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
    return %0 : tensor<2xi64>
  })",
      {Tensor::fromInts(DType::i64, {2}, {1, 2}),
       Tensor::fromInts(DType::i64, {2}, {1, 0})});
  EXPECT_NE(err.find("integer division by zero"), std::string::npos) << err;
}

TEST_F(ElementwiseTest, IntegerArithmeticWraps) {
  auto out = run(
      R"(func.func @main(%a: tensor<2xi8>, %b: tensor<2xi8>) -> tensor<2xi8> {
    %0 = strata.add %a, %b : (tensor<2xi8>, tensor<2xi8>) -> tensor<2xi8>
    return %0 : tensor<2xi8>
  })",
      {Tensor::fromInts(DType::i8, {2}, {127, -128}),
       Tensor::fromInts(DType::i8, {2}, {1, -1})});
  expectTensorNear(out[0], {2}, {-128, 127});
}

TEST_F(ElementwiseTest, ComparisonsAndLogic) {
  Tensor a = Tensor::fromDoubles(DType::f32, {4}, {1, 2, 3, 4});
  Tensor b = Tensor::fromDoubles(DType::f32, {1}, {2.5});
  const char *src =
      R"(func.func @main(%a: tensor<4xf32>, %b: tensor<1xf32>) -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>) {
    %0 = strata.less %a, %b : (tensor<4xf32>, tensor<1xf32>) -> tensor<4xi1>
    %1 = strata.less_equal %a, %b : (tensor<4xf32>, tensor<1xf32>) -> tensor<4xi1>
    %2 = strata.greater %a, %b : (tensor<4xf32>, tensor<1xf32>) -> tensor<4xi1>
    %3 = strata.greater_equal %a, %b : (tensor<4xf32>, tensor<1xf32>) -> tensor<4xi1>
    %4 = strata.equal %a, %a : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>
    %5 = strata.not_equal %a, %b : (tensor<4xf32>, tensor<1xf32>) -> tensor<4xi1>
    %6 = strata.and %0, %5 : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
    %7 = strata.not %0 : (tensor<4xi1>) -> tensor<4xi1>
    return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>
  })";
  auto out = run(src, {a, b});
  ASSERT_EQ(out.size(), 8u);
  expectTensorNear(out[0], {4}, {1, 1, 0, 0});
  expectTensorNear(out[1], {4}, {1, 1, 0, 0});
  expectTensorNear(out[2], {4}, {0, 0, 1, 1});
  expectTensorNear(out[3], {4}, {0, 0, 1, 1});
  expectTensorNear(out[4], {4}, {1, 1, 1, 1});
  expectTensorNear(out[5], {4}, {1, 1, 1, 1});
  expectTensorNear(out[6], {4}, {1, 1, 0, 0});
  expectTensorNear(out[7], {4}, {0, 0, 1, 1});
}

TEST_F(ElementwiseTest, BitwiseOnIntegers) {
  auto out = run(
      R"(func.func @main(%a: tensor<2xi32>, %b: tensor<2xi32>) -> (tensor<2xi32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>) {
    %0 = strata.and %a, %b : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
    %1 = strata.or %a, %b : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
    %2 = strata.xor %a, %b : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
    %3 = strata.not %a : (tensor<2xi32>) -> tensor<2xi32>
    return %0, %1, %2, %3 : tensor<2xi32>, tensor<2xi32>, tensor<2xi32>, tensor<2xi32>
  })",
      {Tensor::fromInts(DType::i32, {2}, {12, 5}),
       Tensor::fromInts(DType::i32, {2}, {10, 3})});
  expectTensorNear(out[0], {2}, {8, 1});
  expectTensorNear(out[1], {2}, {14, 7});
  expectTensorNear(out[2], {2}, {6, 6});
  expectTensorNear(out[3], {2}, {-13, -6});
}

TEST_F(ElementwiseTest, ClipIsNaNWhere) {
  auto out = run(
      R"(func.func @main(%a: tensor<4xf32>, %c: tensor<4xi1>, %b: tensor<f32>) -> (tensor<4xf32>, tensor<4xi1>, tensor<4xf32>) {
    %0 = strata.clip %a {min = -1.0, max = 1.0} : (tensor<4xf32>) -> tensor<4xf32>
    %1 = strata.is_nan %a : (tensor<4xf32>) -> tensor<4xi1>
    %2 = strata.where %c, %a, %b : (tensor<4xi1>, tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
    return %0, %1, %2 : tensor<4xf32>, tensor<4xi1>, tensor<4xf32>
  })",
      {Tensor::fromDoubles(DType::f32, {4}, {-3, 0.5, NAN, 7}),
       Tensor::fromInts(DType::i1, {4}, {1, 0, 0, 1}),
       Tensor::scalar(DType::f32, 9)});
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].get(0), -1);
  EXPECT_EQ(out[0].get(1), 0.5);
  EXPECT_TRUE(std::isnan(out[0].get(2)));
  EXPECT_EQ(out[0].get(3), 1);
  expectTensorNear(out[1], {4}, {0, 0, 1, 0});
  EXPECT_EQ(out[2].get(0), -3);
  EXPECT_EQ(out[2].get(1), 9);
  EXPECT_EQ(out[2].get(2), 9);
  EXPECT_EQ(out[2].get(3), 7);
}

} // namespace
} // namespace strata::testing
