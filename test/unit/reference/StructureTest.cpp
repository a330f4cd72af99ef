//===- StructureTest.cpp - Parameters, data inputs, constants, casts ------===//
//
// Bit casts are compared exactly with encodings worked by hand and with
// std::memcpy of the test's own values.
//
//===----------------------------------------------------------------------===//

#include "EvaluatorTesting.h"

#include <cmath>
#include <cstring>

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

/// A module bit-casting its argument (`argType`) to `to` (`resultType`).
std::string bitcastModule(const std::string &to, const std::string &argType,
                          const std::string &resultType) {
  return "func.func @main(%a: " + argType + ") -> " + resultType +
         " {\n  %0 = strata.bitcast %a {to = " + to + "} : (" + argType +
         ") -> " + resultType + "\n  return %0 : " + resultType + "\n}";
}

TEST_F(StructureTest, BitcastHandWorked) {
  // IEEE encodings worked by hand: 1.0f = 0x3F800000, -2.5f = 0xC0200000,
  // 3.75f = 0x40700000.
  auto out = run(bitcastModule("i32", "tensor<3xf32>", "tensor<3xi32>"),
                 {Tensor::fromDoubles(DType::f32, {3}, {1.0, -2.5, 3.75})});
  ASSERT_EQ(out.size(), 1u);
  expectTensorNear(out[0], {3},
                   {0x3F800000,
                    -static_cast<double>(0x100000000LL - 0xC0200000LL),
                    0x40700000},
                   0);
  out = run(bitcastModule("f32", "tensor<3xi32>", "tensor<3xf32>"),
            {Tensor::fromInts(
                DType::i32, {3},
                {0x3F800000, -(0x100000000LL - 0xC0200000LL), 0x40700000})});
  expectTensorNear(out[0], {3}, {1.0, -2.5, 3.75}, 0);
  // f16 1.0 = 0x3C00, -2.0 = 0xC000; bf16 1.0 = 0x3F80.
  out = run(bitcastModule("ui16", "tensor<2xf16>", "tensor<2xui16>"),
            {Tensor::fromDoubles(DType::f16, {2}, {1.0, -2.0})});
  expectTensorNear(out[0], {2}, {0x3C00, 0xC000}, 0);
  out = run(bitcastModule("bf16", "tensor<1xi16>", "tensor<1xbf16>"),
            {Tensor::fromInts(DType::i16, {1}, {0x3F80})});
  expectTensorNear(out[0], {1}, {1.0}, 0);
  // Integers: the same bits under the other signedness.
  out = run(bitcastModule("ui8", "tensor<4xi8>", "tensor<4xui8>"),
            {Tensor::fromInts(DType::i8, {4}, {-1, -128, 127, 0})});
  expectTensorNear(out[0], {4}, {255, 128, 127, 0}, 0);
  out = run(bitcastModule("i16", "tensor<3xui16>", "tensor<3xi16>"),
            {Tensor::fromInts(DType::u16, {3}, {1, 32768, 65535})});
  expectTensorNear(out[0], {3}, {1, -32768, -1}, 0);
  // i1 is a byte holding 0 or 1.
  out = run(bitcastModule("ui8", "tensor<3xi1>", "tensor<3xui8>"),
            {Tensor::fromInts(DType::i1, {3}, {1, 0, 1})});
  expectTensorNear(out[0], {3}, {1, 0, 1}, 0);
}

TEST_F(StructureTest, BitcastRandomAgainstMemcpy) {
  Tensor x = randomTensor(DType::f64, {2, 5}, -1e6, 1e6);
  auto out =
      run(bitcastModule("i64", "tensor<?x5xf64>", "tensor<?x5xi64>"), {x});
  ASSERT_EQ(out.size(), 1u);
  // Compared as integers: a double cannot hold every 64-bit pattern.
  for (int64_t i = 0; i < 10; ++i) {
    double d = x.get(i);
    int64_t bits;
    std::memcpy(&bits, &d, sizeof bits);
    EXPECT_EQ(out[0].getInt(i), bits) << i;
  }
  // And back: the same doubles.
  auto back =
      run(bitcastModule("f64", "tensor<2x5xi64>", "tensor<2x5xf64>"), {out[0]});
  expectTensorNear(back[0], {2, 5}, x.toDoubles(), 0);

  Tensor f = randomTensor(DType::f32, {7});
  out = run(bitcastModule("ui32", "tensor<7xf32>", "tensor<7xui32>"), {f});
  for (int64_t i = 0; i < 7; ++i) {
    float v = static_cast<float>(f.get(i));
    uint32_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    EXPECT_EQ(out[0].getInt(i), static_cast<int64_t>(bits)) << i;
  }
}

TEST_F(StructureTest, BitcastErrors) {
  // 0x7F800001 is a signalling NaN of f32.
  std::string err =
      runError(bitcastModule("f32", "tensor<2xi32>", "tensor<2xf32>"),
               {Tensor::fromInts(DType::i32, {2}, {0, 0x7F800001})});
  EXPECT_NE(err.find("element 1 is a signalling NaN bit pattern"),
            std::string::npos)
      << err;
  // A quiet NaN (0x7FC00001) keeps its payload.
  auto out = run(bitcastModule("f32", "tensor<1xi32>", "tensor<1xf32>"),
                 {Tensor::fromInts(DType::i32, {1}, {0x7FC00001})});
  EXPECT_TRUE(std::isnan(out[0].get(0)));
  out = run(bitcastModule("i32", "tensor<1xf32>", "tensor<1xi32>"), {out[0]});
  EXPECT_EQ(out[0].getInt(0), 0x7FC00001);
  err = runError(bitcastModule("i1", "tensor<2xui8>", "tensor<2xi1>"),
                 {Tensor::fromInts(DType::u8, {2}, {1, 2})});
  EXPECT_NE(err.find("element 1 is 2, not a bool byte (0 or 1)"),
            std::string::npos)
      << err;
}

/// The value of an 8-bit float code with `e` exponent and `m` mantissa bits,
/// exponent bias `bias`, decoded by hand (normal and subnormal numbers only).
double decodeFloat(unsigned bits, int e, int m, int bias) {
  int sign = (bits >> (e + m)) & 1;
  int exp = (bits >> m) & ((1 << e) - 1);
  int mant = bits & ((1 << m) - 1);
  double v = exp == 0 ? std::ldexp(mant, 1 - bias - m)
                      : std::ldexp(mant + (1 << m), exp - bias - m);
  return sign ? -v : v;
}

void expectExactly(const Tensor &t, const std::vector<double> &want) {
  ASSERT_EQ(t.numElements(), static_cast<int64_t>(want.size()));
  for (size_t i = 0; i < want.size(); ++i) {
    if (std::isnan(want[i]))
      EXPECT_TRUE(std::isnan(t.get(i))) << "element " << i;
    else
      EXPECT_EQ(t.get(i), want[i]) << "element " << i;
  }
}

TEST_F(StructureTest, CastToFloat8RoundsToNearestEvenAndSaturates) {
  const double inf = INFINITY, nan = NAN;
  // 0.3, a tie between 16 and 18 and one between 18 and 20, a tie between
  // the subnormals 1 and 2 (x 2^-9), 470 (beyond E4M3FN's 448 after
  // rounding), 1e5 (beyond E5M2's 57344), -inf, NaN.
  Tensor x = Tensor::fromDoubles(
      DType::f32, {9},
      {0.3, 17, 19, 1.5 * std::ldexp(1, -9), 470, 1e5, -inf, nan, -0.0});
  auto out = run(R"(func.func @main(%x: tensor<9xf32>)
      -> (tensor<9xf8E4M3FN>, tensor<9xf8E4M3FN>, tensor<9xf8E5M2>,
          tensor<9xf8E5M2>, tensor<9xf8E4M3FNUZ>, tensor<9xf8E5M2FNUZ>) {
    %0 = strata.cast %x : (tensor<9xf32>) -> tensor<9xf8E4M3FN>
    %1 = strata.cast %x {saturate = true} : (tensor<9xf32>) -> tensor<9xf8E4M3FN>
    %2 = strata.cast %x : (tensor<9xf32>) -> tensor<9xf8E5M2>
    %3 = strata.cast %x {saturate = true} : (tensor<9xf32>) -> tensor<9xf8E5M2>
    %4 = strata.cast %x {saturate = true} : (tensor<9xf32>) -> tensor<9xf8E4M3FNUZ>
    %5 = strata.cast %x : (tensor<9xf32>) -> tensor<9xf8E5M2FNUZ>
    return %0, %1, %2, %3, %4, %5 : tensor<9xf8E4M3FN>, tensor<9xf8E4M3FN>,
        tensor<9xf8E5M2>, tensor<9xf8E5M2>, tensor<9xf8E4M3FNUZ>,
        tensor<9xf8E5M2FNUZ>
  })",
                 {x});
  ASSERT_EQ(out.size(), 6u);
  // E4M3FN (bias 7): 0.3 -> 0 0101 010 = 0x2A = 0.3125; 17 -> 0x58 = 16;
  // 19 -> 0x5A = 20; 1.5 * 2^-9 -> 0x02; 448 = 0x7E; 0x7F is NaN.
  auto e4m3 = [](unsigned b) { return decodeFloat(b, 4, 3, 7); };
  EXPECT_EQ(e4m3(0x2A), 0.3125);
  EXPECT_EQ(e4m3(0x7E), 448);
  expectExactly(out[0], {e4m3(0x2A), e4m3(0x58), e4m3(0x5A), e4m3(0x02), nan,
                         nan, nan, nan, -0.0});
  expectExactly(out[1], {e4m3(0x2A), 16, 20, std::ldexp(2, -9), 448, 448, -448,
                         nan, -0.0});
  EXPECT_TRUE(std::signbit(out[0].get(8)));
  // E5M2 (bias 15): 0.3 -> 0 01101 01 = 0x35 = 0.3125; 17 -> 16 (0x4C);
  // 19 -> 20 (0x4D); 470 -> 448 (0x5F, mantissa 11); 57344 = 0x7B.
  auto e5m2 = [](unsigned b) { return decodeFloat(b, 5, 2, 15); };
  EXPECT_EQ(e5m2(0x7B), 57344);
  // 1.5 * 2^-9 is a normal E5M2 number (0x1A) and an exact E4M3FNUZ
  // subnormal (3 x 2^-10).
  EXPECT_EQ(e5m2(0x1A), 1.5 * std::ldexp(1, -9));
  expectExactly(out[2], {e5m2(0x35), e5m2(0x4C), e5m2(0x4D), e5m2(0x1A),
                         e5m2(0x5F), inf, -inf, nan, -0.0});
  expectExactly(out[3],
                {0.3125, 16, 20, e5m2(0x1A), 448, 57344, -57344, nan, -0.0});
  // E4M3FNUZ (bias 8): largest 0x7F = 240; no negative zero.
  auto e4m3fnuz = [](unsigned b) { return decodeFloat(b, 4, 3, 8); };
  EXPECT_EQ(e4m3fnuz(0x7F), 240);
  expectExactly(out[4],
                {0.3125, 16, 20, e4m3fnuz(0x03), 240, 240, -240, nan, 0.0});
  EXPECT_FALSE(std::signbit(out[4].get(8)));
  // E5M2FNUZ (bias 16): no infinity, overflow is NaN.
  expectExactly(out[5], {0.3125, 16, 20, e5m2(0x1A), 448, nan, nan, nan, 0.0});
}

TEST_F(StructureTest, CastToFloat4AndSmallIntegers) {
  Tensor x =
      Tensor::fromDoubles(DType::f32, {8}, {2.5, 5, 7, -0.3, 9, -9, 2.7, NAN});
  auto out = run(R"(func.func @main(%x: tensor<8xf32>)
      -> (tensor<8xf4E2M1FN>, tensor<8xi4>, tensor<8xui4>, tensor<8xi2>,
          tensor<8xui2>) {
    %0 = strata.cast %x : (tensor<8xf32>) -> tensor<8xf4E2M1FN>
    %1 = strata.cast %x : (tensor<8xf32>) -> tensor<8xi4>
    %2 = strata.cast %x : (tensor<8xf32>) -> tensor<8xui4>
    %3 = strata.cast %x : (tensor<8xf32>) -> tensor<8xi2>
    %4 = strata.cast %x : (tensor<8xf32>) -> tensor<8xui2>
    return %0, %1, %2, %3, %4 : tensor<8xf4E2M1FN>, tensor<8xi4>,
        tensor<8xui4>, tensor<8xi2>, tensor<8xui2>
  })",
                 {x});
  ASSERT_EQ(out.size(), 5u);
  // E2M1 (bias 1): 0, 0.5, 1, 1.5, 2, 3, 4, 6. 2.5 ties to 2 (0x4), 5 ties to
  // 4 (0x6), 7 and 9 saturate to 6 (0x7), -0.3 -> -0.5 (0x9); NaN -> -0.
  auto e2m1 = [](unsigned b) { return decodeFloat(b, 2, 1, 1); };
  expectExactly(out[0],
                {e2m1(0x4), e2m1(0x6), e2m1(0x7), e2m1(0x9), 6, -6, 3, -0.0});
  // Integers truncate toward zero, then wrap: 9 = 0b1001 is -7 in i4.
  expectExactly(out[1], {2, 5, 7, 0, -7, 7, 2, 0});
  expectExactly(out[2], {2, 5, 7, 0, 9, 7, 2, 0});
  // i2: 2 -> -2, 5 = 0b01 -> 1, 7 = 0b11 -> -1, 9 -> 1, -9 = ...0111 -> -1.
  expectExactly(out[3], {-2, 1, -1, 0, 1, -1, -2, 0});
  expectExactly(out[4], {2, 1, 3, 0, 1, 3, 2, 0});
}

TEST_F(StructureTest, CastToFloat8E8M0ByRoundMode) {
  const double nan = NAN;
  Tensor x = Tensor::fromDoubles(
      DType::f32, {10},
      {0, 0.124, 0.25, 1.1, 1.5, 1.4, -3, 3e38, INFINITY, nan});
  auto out = run(R"(func.func @main(%x: tensor<10xf32>)
      -> (tensor<10xf8E8M0FNU>, tensor<10xf8E8M0FNU>, tensor<10xf8E8M0FNU>,
          tensor<10xf8E8M0FNU>) {
    %0 = strata.cast %x : (tensor<10xf32>) -> tensor<10xf8E8M0FNU>
    %1 = strata.cast %x {saturate = true} : (tensor<10xf32>) -> tensor<10xf8E8M0FNU>
    %2 = strata.cast %x {round_mode = "down", saturate = true} : (tensor<10xf32>) -> tensor<10xf8E8M0FNU>
    %3 = strata.cast %x {round_mode = "nearest"} : (tensor<10xf32>) -> tensor<10xf8E8M0FNU>
    return %0, %1, %2, %3 : tensor<10xf8E8M0FNU>, tensor<10xf8E8M0FNU>,
        tensor<10xf8E8M0FNU>, tensor<10xf8E8M0FNU>
  })",
                 {x});
  ASSERT_EQ(out.size(), 4u);
  // Powers of two only; 3e38 = 1.76 x 2^127 rounds up to 2^128 (overflow).
  const double min = std::ldexp(1, -127), max = std::ldexp(1, 127);
  expectExactly(out[0], {nan, 0.125, 0.25, 2, 2, 2, 4, nan, nan, nan});
  expectExactly(out[1], {min, 0.125, 0.25, 2, 2, 2, 4, max, max, nan});
  expectExactly(out[2], {min, 0.0625, 0.25, 1, 1, 1, 2, max, max, nan});
  // nearest: up from 1.5 x 2^k on (ties up): 0.124 = 1.984 x 2^-4 -> 2^-3.
  expectExactly(out[3], {nan, 0.125, 0.25, 1, 2, 1, 4, nan, nan, nan});
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
