//===- EvaluatorTest.cpp - The evaluator's own contract -------------------===//

#include "EvaluatorTesting.h"

#include "runtime/support/Philox.h"

#include <set>

namespace strata::testing {
namespace {

TEST_F(EvaluatorTest, EveryStrataOpHasReferenceSemantics) {
  mlir::DialectRegistry registry;
  registry.insert<strata::StrataDialect>();
  mlir::MLIRContext ctx(registry);
  ctx.loadAllAvailableDialects();
  auto names = reference::KernelRegistry::get().opNames();
  std::set<std::string> withKernel(names.begin(), names.end());
  int ops = 0;
  for (mlir::RegisteredOperationName name : ctx.getRegisteredOperations()) {
    if (name.getDialectNamespace() != "strata" ||
        name.getStringRef() == "strata.parameter")
      continue;
    ++ops;
    EXPECT_TRUE(withKernel.count(name.getStringRef().str()))
        << name.getStringRef().str() << " has no reference kernel";
  }
  EXPECT_GT(ops, 30);
}

TEST_F(EvaluatorTest, RejectsArgumentsThatDoNotMatchTheSignature) {
  const char *src = R"(func.func @main(%a: tensor<2x?xf32>) -> tensor<2x?xf32> {
    %0 = strata.neg %a : (tensor<2x?xf32>) -> tensor<2x?xf32>
    return %0 : tensor<2x?xf32>
  })";
  EXPECT_EQ(runError(src, {randomTensor(DType::f32, {2, 7})}), "");
  std::string err = runError(src, {randomTensor(DType::f32, {3, 7})});
  EXPECT_NE(err.find("argument #0 is tensor<3x7xf32>"), std::string::npos)
      << err;
  err = runError(src, {randomTensor(DType::f64, {2, 7})});
  EXPECT_NE(err.find("argument #0 is tensor<2x7xf64>"), std::string::npos)
      << err;
  err = runError(src, {});
  EXPECT_NE(err.find("takes 1 arguments, given 0"), std::string::npos) << err;
}

TEST_F(EvaluatorTest, CallsEvaluateTheCallee) {
  auto out = run(R"(
    func.func @twice(%a: tensor<2xf32>) -> tensor<2xf32> {
      %0 = strata.add %a, %a : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
      return %0 : tensor<2xf32>
    }
    func.func @main(%a: tensor<2xf32>) -> tensor<2xf32> {
      %0 = func.call @twice(%a) : (tensor<2xf32>) -> tensor<2xf32>
      %1 = func.call @twice(%0) : (tensor<2xf32>) -> tensor<2xf32>
      return %1 : tensor<2xf32>
    })",
                 {Tensor::fromDoubles(DType::f32, {2}, {1, -2})});
  expectTensorNear(out[0], {2}, {4, -8});
}

TEST(TensorTest, StoresRoundToTheElementType) {
  Tensor f = Tensor::fromDoubles(DType::f32, {1}, {0.1});
  EXPECT_EQ(f.get(0), static_cast<double>(0.1f));
  Tensor h = Tensor::fromDoubles(DType::f16, {2}, {1.0009765625, 70000});
  EXPECT_EQ(h.get(0), 1.0009765625); // exactly representable in f16
  EXPECT_TRUE(std::isinf(h.get(1))); // beyond f16's range
  Tensor u = Tensor::fromInts(DType::u8, {2}, {256 + 3, -1});
  EXPECT_EQ(u.getInt(0), 3);
  EXPECT_EQ(u.getInt(1), 255);
  // f8E4M3FN: 0.3 -> 0.3125 (1.25 x 2^-2), beyond 448 -> NaN (no infinity).
  Tensor f8 = Tensor::fromDoubles(DType::f8e4m3fn, {2}, {0.3, 1000});
  EXPECT_EQ(f8.get(0), 0.3125);
  EXPECT_TRUE(std::isnan(f8.get(1)));
  Tensor i4 = Tensor::fromInts(DType::i4, {3}, {7, 8, -9});
  EXPECT_EQ(i4.getInt(0), 7);
  EXPECT_EQ(i4.getInt(1), -8);
  EXPECT_EQ(i4.getInt(2), 7);
  Tensor u2 = Tensor::fromInts(DType::u2, {2}, {4 + 3, -1});
  EXPECT_EQ(u2.getInt(0), 3);
  EXPECT_EQ(u2.getInt(1), 3);
  Tensor b = Tensor::fromDoubles(DType::i1, {2}, {0.0, -3.0});
  EXPECT_EQ(b.getInt(0), 0);
  EXPECT_EQ(b.getInt(1), 1);
}

// Known-answer vectors of Philox4x32-10 published with Random123.
TEST(PhiloxTest, KnownAnswers) {
  using random::philox4x32;
  EXPECT_EQ(philox4x32({0, 0, 0, 0}, {0, 0}),
            (std::array<uint32_t, 4>{0x6627e8d5, 0xe169c58d, 0xbc57ac4c,
                                     0x9b00dbd8}));
  EXPECT_EQ(philox4x32({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
                       {0xffffffff, 0xffffffff}),
            (std::array<uint32_t, 4>{0x408f276d, 0x41c83b0e, 0xa20bc7c6,
                                     0x6d5451fd}));
  EXPECT_EQ(philox4x32({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344},
                       {0xa4093822, 0x299f31d0}),
            (std::array<uint32_t, 4>{0xd16cfe09, 0x94fdcceb, 0x5001e420,
                                     0x24126ea1}));
}

} // namespace
} // namespace strata::testing
