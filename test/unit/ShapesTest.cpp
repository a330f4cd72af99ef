//===- ShapesTest.cpp - Shape rules
//-----------------------------------------===//

#include "ir/Shapes.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

namespace {

constexpr int64_t kDyn = mlir::ShapedType::kDynamic;

TEST(ShapesTest, Broadcast) {
  using V = llvm::SmallVector<int64_t>;
  EXPECT_EQ(*strata::broadcastShapes({2, 3}, {3}), (V{2, 3}));
  EXPECT_EQ(*strata::broadcastShapes({4, 1, 3}, {5, 1}), (V{4, 5, 3}));
  EXPECT_EQ(*strata::broadcastShapes({kDyn, 3}, {1, 3}), (V{kDyn, 3}));
  EXPECT_EQ(*strata::broadcastShapes({kDyn, 3}, {7, 3}), (V{7, 3}));
  EXPECT_EQ(*strata::broadcastShapes({}, {2}), (V{2}));
  EXPECT_FALSE(strata::broadcastShapes({2, 3}, {4}).has_value());
}

TEST(ShapesTest, CompatibleResultTypes) {
  mlir::MLIRContext ctx;
  auto f32 = mlir::Float32Type::get(&ctx);
  auto t = [&](llvm::ArrayRef<int64_t> s) {
    return mlir::RankedTensorType::get(s, f32);
  };
  EXPECT_TRUE(strata::areCompatibleResultTypes({t({kDyn, 3})}, {t({2, 3})}));
  EXPECT_TRUE(strata::areCompatibleResultTypes({t({2, 3})}, {t({kDyn, 3})}));
  EXPECT_FALSE(strata::areCompatibleResultTypes({t({2, 4})}, {t({2, 3})}));
  EXPECT_FALSE(strata::areCompatibleResultTypes({t({2, 3, 1})}, {t({2, 3})}));
  EXPECT_FALSE(strata::areCompatibleResultTypes(
      {mlir::RankedTensorType::get({2}, mlir::Float64Type::get(&ctx))},
      {t({2})}));
}

} // namespace
