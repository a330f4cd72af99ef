//===- ReductionTest.cpp - Reference semantics of the Reduction ops -------===//
//
// Hand-worked values with literal results, and random inputs against this
// file's own loops. Float results: 1e-12 (relative + absolute) on f64, 1e-6
// on f32; integer results exact.
//
//===----------------------------------------------------------------------===//

#include "EvaluatorTesting.h"

#include <cmath>
#include <functional>
#include <limits>
#include <map>

namespace strata::testing {
namespace {

class ReductionTest : public EvaluatorTest {
protected:
  /// Runs `op attrs` on `x` declared as `argType`, result `resultType`.
  std::vector<Tensor> runOp(const std::string &op, const std::string &attrs,
                            const std::string &argType,
                            const std::string &resultType, const Tensor &x) {
    return run("func.func @main(%a: " + argType + ") -> " + resultType +
                   " {\n  %0 = " + op + " %a " + attrs + " : (" + argType +
                   ") -> " + resultType + "\n  return %0 : " + resultType +
                   "\n}",
               {x});
  }
};

const std::vector<double> k2x3 = {1, 2, 3, 4, 5, 6};

TEST_F(ReductionTest, SumAxesAndKeepdims) {
  Tensor x = Tensor::fromDoubles(DType::f32, {2, 3}, k2x3);
  const char *t = "tensor<2x3xf32>";
  auto out = runOp("strata.reduce_sum", "", t, "tensor<1x1xf32>", x);
  expectTensorNear(out[0], {1, 1}, {21});
  out = runOp("strata.reduce_sum", "{axes = array<i64: 1>}", t,
              "tensor<2x1xf32>", x);
  expectTensorNear(out[0], {2, 1}, {6, 15});
  out = runOp("strata.reduce_sum", "{axes = array<i64: 0>, keepdims = false}",
              t, "tensor<3xf32>", x);
  expectTensorNear(out[0], {3}, {5, 7, 9});
  out = runOp("strata.reduce_sum", "{axes = array<i64: -1>, keepdims = false}",
              t, "tensor<2xf32>", x);
  expectTensorNear(out[0], {2}, {6, 15});
  out =
      runOp("strata.reduce_sum", "{axes = array<i64: 1, 0>, keepdims = false}",
            t, "tensor<f32>", x);
  expectTensorNear(out[0], {}, {21});
  // Empty axes with noop_with_empty_axes: the identity.
  out = runOp("strata.reduce_sum", "{noop_with_empty_axes = true}", t, t, x);
  expectTensorNear(out[0], {2, 3}, k2x3);
}

TEST_F(ReductionTest, EveryReductionHandWorked) {
  const char *t = "tensor<2x3xf64>";
  const char *r = "tensor<2x1xf64>";
  const char *axes = "{axes = array<i64: 1>}";
  Tensor x = Tensor::fromDoubles(DType::f64, {2, 3}, {1, -2, 3, -4, 5, -6});
  auto check = [&](const std::string &op, std::vector<double> want) {
    SCOPED_TRACE(op);
    auto out = runOp(op, axes, t, r, x);
    ASSERT_EQ(out.size(), 1u);
    expectTensorNear(out[0], {2, 1}, want, 1e-12);
  };
  check("strata.reduce_sum", {2, -5});
  check("strata.reduce_mean", {2.0 / 3, -5.0 / 3});
  check("strata.reduce_max", {3, 5});
  check("strata.reduce_min", {-2, -6});
  check("strata.reduce_prod", {-6, 120});
  check("strata.reduce_l1", {6, 15});
  check("strata.reduce_l2", {std::sqrt(14.0), std::sqrt(77.0)});
  check("strata.reduce_sum_square", {14, 77});

  // Logarithmic ones: log(1 + 2 + 3) = log 6, log(0.5 + 1.5 + 2) = log 4.
  Tensor p = Tensor::fromDoubles(DType::f64, {2, 3}, {1, 2, 3, 0.5, 1.5, 2});
  auto out = runOp("strata.reduce_log_sum", axes, t, r, p);
  expectTensorNear(out[0], {2, 1}, {1.791759469228055, 1.3862943611198906},
                   1e-12);
  // exp(0) + exp(ln 3) + exp(0) = 5; log(e + e^2 + e^3) = 3.4076...
  Tensor q =
      Tensor::fromDoubles(DType::f64, {2, 3}, {0, std::log(3.0), 0, 1, 2, 3});
  out = runOp("strata.reduce_log_sum_exp", axes, t, r, q);
  expectTensorNear(out[0], {2, 1}, {1.6094379124341003, 3.40760596444438},
                   1e-12);
}

TEST_F(ReductionTest, LogSumExpDoesNotOverflow) {
  Tensor x = Tensor::fromDoubles(DType::f64, {2, 2}, {1000, 1000, -1000, 0});
  auto out = runOp("strata.reduce_log_sum_exp",
                   "{axes = array<i64: 1>, keepdims = false}",
                   "tensor<2x2xf64>", "tensor<2xf64>", x);
  ASSERT_EQ(out.size(), 1u);
  expectTensorNear(out[0], {2}, {1000.6931471805599, 0}, 1e-12);
}

TEST_F(ReductionTest, EmptySetsGiveTheIdentities) {
  // Reducing a 0x3 tensor over axis 0: every output reduces nothing.
  Tensor x(DType::f32, {0, 3});
  const char *t = "tensor<0x3xf32>";
  const char *r = "tensor<1x3xf32>";
  const char *axes = "{axes = array<i64: 0>}";
  auto value = [&](const std::string &op) {
    auto out = runOp(op, axes, t, r, x);
    EXPECT_EQ(out.size(), 1u) << op;
    if (out.empty())
      return std::numeric_limits<double>::quiet_NaN();
    EXPECT_EQ(out[0].shape(), (std::vector<int64_t>{1, 3})) << op;
    return out[0].get(2);
  };
  EXPECT_EQ(value("strata.reduce_sum"), 0);
  EXPECT_EQ(value("strata.reduce_prod"), 1);
  EXPECT_EQ(value("strata.reduce_max"), -INFINITY);
  EXPECT_EQ(value("strata.reduce_min"), INFINITY);
  EXPECT_EQ(value("strata.reduce_l1"), 0);
  EXPECT_EQ(value("strata.reduce_l2"), 0);
  EXPECT_EQ(value("strata.reduce_sum_square"), 0);
  EXPECT_EQ(value("strata.reduce_log_sum"), -INFINITY);
  EXPECT_EQ(value("strata.reduce_log_sum_exp"), -INFINITY);
  EXPECT_TRUE(std::isnan(value("strata.reduce_mean")));
}

TEST_F(ReductionTest, IntegerReductions) {
  Tensor x = Tensor::fromInts(DType::i32, {2, 3}, {1, -2, 3, 4, 5, -6});
  const char *t = "tensor<2x3xi32>";
  const char *r = "tensor<2xi32>";
  const char *axes = "{axes = array<i64: 1>, keepdims = false}";
  auto check = [&](const std::string &op, std::vector<int64_t> want) {
    auto out = runOp(op, axes, t, r, x);
    ASSERT_EQ(out.size(), 1u) << op;
    ASSERT_EQ(out[0].shape(), (std::vector<int64_t>{2})) << op;
    EXPECT_EQ(out[0].dtype(), DType::i32) << op;
    for (int i = 0; i < 2; ++i)
      EXPECT_EQ(out[0].getInt(i), want[i]) << op << " element " << i;
  };
  check("strata.reduce_sum", {2, 3});
  check("strata.reduce_mean", {0, 1}); // 2/3 and 3/3, truncated
  check("strata.reduce_max", {3, 5});
  check("strata.reduce_min", {-2, -6});
  check("strata.reduce_prod", {-6, -120});
  check("strata.reduce_l1", {6, 15});
  check("strata.reduce_sum_square", {14, 77});

  Tensor neg = Tensor::fromInts(DType::i32, {1, 3}, {-7, 0, 0});
  auto out = runOp("strata.reduce_mean", "", "tensor<1x3xi32>",
                   "tensor<1x1xi32>", neg);
  EXPECT_EQ(out[0].getInt(0), -2); // -7/3 truncates toward zero
}

TEST_F(ReductionTest, IntegerSumsWrapAndEmptyMaxIsTheTypeMinimum) {
  auto out = runOp("strata.reduce_sum", "", "tensor<2xi8>", "tensor<1xi8>",
                   Tensor::fromInts(DType::i8, {2}, {100, 100}));
  EXPECT_EQ(out[0].getInt(0), -56);

  Tensor e8(DType::i8, {0, 2});
  out = runOp("strata.reduce_max", "{axes = array<i64: 0>}", "tensor<0x2xi8>",
              "tensor<1x2xi8>", e8);
  EXPECT_EQ(out[0].getInt(1), -128);
  out = runOp("strata.reduce_min", "{axes = array<i64: 0>}", "tensor<0x2xi8>",
              "tensor<1x2xi8>", e8);
  EXPECT_EQ(out[0].getInt(1), 127);
  Tensor eu(DType::u8, {0, 2});
  out = runOp("strata.reduce_min", "{axes = array<i64: 0>}", "tensor<0x2xui8>",
              "tensor<1x2xui8>", eu);
  EXPECT_EQ(out[0].getInt(1), 255);
  out = runOp("strata.reduce_max", "{axes = array<i64: 0>}", "tensor<0x2xui8>",
              "tensor<1x2xui8>", eu);
  EXPECT_EQ(out[0].getInt(1), 0);

  std::string err =
      runError("func.func @main(%a: tensor<0x2xi8>) -> tensor<1x2xi8> {\n"
               "  %0 = strata.reduce_mean %a {axes = array<i64: 0>} : "
               "(tensor<0x2xi8>) -> tensor<1x2xi8>\n"
               "  return %0 : tensor<1x2xi8>\n}",
               {e8});
  EXPECT_NE(err.find("'strata.reduce_mean' of an empty set of integers"),
            std::string::npos)
      << err;
}

TEST_F(ReductionTest, UnsignedMaxComparesUnsigned) {
  // 2^63 + 5 is held as a negative int64 but is the largest u64 here.
  Tensor x = Tensor::fromInts(DType::u64, {3},
                              {7, static_cast<int64_t>((1ull << 63) + 5), 9});
  auto out =
      runOp("strata.reduce_max", "", "tensor<3xui64>", "tensor<1xui64>", x);
  EXPECT_EQ(static_cast<uint64_t>(out[0].getInt(0)), (1ull << 63) + 5);
  out = runOp("strata.argmin", "", "tensor<3xui64>", "tensor<1xi64>", x);
  EXPECT_EQ(out[0].getInt(0), 0);
}

TEST_F(ReductionTest, MaxAndMinPropagateNaN) {
  Tensor x = Tensor::fromDoubles(DType::f32, {3}, {1, NAN, 3});
  auto out =
      runOp("strata.reduce_max", "", "tensor<3xf32>", "tensor<1xf32>", x);
  EXPECT_TRUE(std::isnan(out[0].get(0)));
  out = runOp("strata.reduce_min", "", "tensor<3xf32>", "tensor<1xf32>", x);
  EXPECT_TRUE(std::isnan(out[0].get(0)));
}

/// Reduces a 2x3x4 tensor over every subset of axes, with and without
/// keepdims, and compares with loops written here.
TEST_F(ReductionTest, RandomAgainstLoops) {
  using Fold = std::function<double(const std::vector<double> &)>;
  auto sum = [](const std::vector<double> &v) {
    double s = 0;
    for (double x : v)
      s += x;
    return s;
  };
  std::vector<std::pair<std::string, Fold>> ops = {
      {"strata.reduce_sum", sum},
      {"strata.reduce_mean",
       [&](const std::vector<double> &v) { return sum(v) / v.size(); }},
      {"strata.reduce_max",
       [](const std::vector<double> &v) {
         return *std::max_element(v.begin(), v.end());
       }},
      {"strata.reduce_min",
       [](const std::vector<double> &v) {
         return *std::min_element(v.begin(), v.end());
       }},
      {"strata.reduce_prod",
       [](const std::vector<double> &v) {
         double p = 1;
         for (double x : v)
           p *= x;
         return p;
       }},
      {"strata.reduce_l1",
       [](const std::vector<double> &v) {
         double s = 0;
         for (double x : v)
           s += std::fabs(x);
         return s;
       }},
      {"strata.reduce_l2",
       [](const std::vector<double> &v) {
         double s = 0;
         for (double x : v)
           s += x * x;
         return std::sqrt(s);
       }},
      {"strata.reduce_sum_square",
       [](const std::vector<double> &v) {
         double s = 0;
         for (double x : v)
           s += x * x;
         return s;
       }},
      {"strata.reduce_log_sum",
       [&](const std::vector<double> &v) { return std::log(sum(v)); }},
      {"strata.reduce_log_sum_exp",
       [](const std::vector<double> &v) {
         double s = 0;
         for (double x : v)
           s += std::exp(x);
         return std::log(s);
       }},
  };
  // Mixed signs (so that l1 differs from sum), but positive inputs for
  // log_sum, whose log needs a positive sum.
  Tensor mixed = randomTensor(DType::f64, {2, 3, 4}, -2, 2);
  Tensor positive = randomTensor(DType::f64, {2, 3, 4}, 0.5, 2);
  const int dims[3] = {2, 3, 4};
  for (int mask = 1; mask < 8; ++mask) {
    for (bool keep : {true, false}) {
      std::string axes, resultType = "tensor<";
      std::vector<int64_t> shape;
      for (int d = 0; d < 3; ++d) {
        bool reduced = mask & (1 << d);
        if (reduced)
          axes += (axes.empty() ? "" : ", ") + std::to_string(d);
        if (!reduced || keep) {
          shape.push_back(reduced ? 1 : dims[d]);
          resultType += std::to_string(shape.back()) + "x";
        }
      }
      resultType += "f64>";
      std::string attrs = "{axes = array<i64: " + axes +
                          ">, keepdims = " + (keep ? "true" : "false") + "}";
      for (auto &[op, fold] : ops) {
        SCOPED_TRACE(op + " " + attrs);
        const Tensor &x = op == "strata.reduce_log_sum" ? positive : mixed;
        // Group the elements by their kept coordinates, row-major.
        std::map<std::vector<int>, std::vector<double>> groups;
        for (int i = 0; i < 2; ++i)
          for (int j = 0; j < 3; ++j)
            for (int k = 0; k < 4; ++k) {
              int idx[3] = {i, j, k};
              std::vector<int> key;
              for (int d = 0; d < 3; ++d)
                key.push_back(mask & (1 << d) ? 0 : idx[d]);
              groups[key].push_back(x.get((i * 3 + j) * 4 + k));
            }
        auto out = runOp(op, attrs, "tensor<2x3x4xf64>", resultType, x);
        ASSERT_EQ(out.size(), 1u);
        std::vector<double> want;
        for (auto &[key, values] : groups)
          want.push_back(fold(values));
        expectTensorNear(out[0], shape, want, 1e-12);
      }
    }
  }
}

TEST_F(ReductionTest, DynamicBatchReduction) {
  Tensor x = randomTensor(DType::f32, {5, 3});
  auto out = runOp("strata.reduce_mean", "{axes = array<i64: 1>}",
                   "tensor<?x3xf32>", "tensor<?x1xf32>", x);
  ASSERT_EQ(out.size(), 1u);
  std::vector<double> want;
  for (int i = 0; i < 5; ++i)
    want.push_back((x.get(i * 3) + x.get(i * 3 + 1) + x.get(i * 3 + 2)) / 3);
  expectTensorNear(out[0], {5, 1}, want, 1e-6);
}

TEST_F(ReductionTest, ArgMaxArgMinHandWorked) {
  Tensor x = Tensor::fromDoubles(DType::f32, {2, 3}, {1, 3, 3, 2, 0, 2});
  const char *t = "tensor<2x3xf32>";
  auto ints = [](const Tensor &r) {
    std::vector<int64_t> v;
    for (int64_t i = 0; i < r.numElements(); ++i)
      v.push_back(r.getInt(i));
    return v;
  };
  using V = std::vector<int64_t>;
  auto out = runOp("strata.argmax", "{axis = 1}", t, "tensor<2x1xi64>", x);
  EXPECT_EQ(out[0].dtype(), DType::i64);
  EXPECT_EQ(out[0].shape(), V({2, 1}));
  EXPECT_EQ(ints(out[0]), V({1, 0}));
  out = runOp("strata.argmax", "{axis = 1, select_last_index = true}", t,
              "tensor<2x1xi64>", x);
  EXPECT_EQ(ints(out[0]), V({2, 2}));
  out = runOp("strata.argmin", "{axis = -1}", t, "tensor<2x1xi64>", x);
  EXPECT_EQ(ints(out[0]), V({0, 1}));
  out = runOp("strata.argmin", "{axis = -1, select_last_index = true}", t,
              "tensor<2x1xi64>", x);
  EXPECT_EQ(ints(out[0]), V({0, 1}));
  out = runOp("strata.argmax", "{keepdims = false}", t, "tensor<3xi64>", x);
  EXPECT_EQ(out[0].shape(), V({3}));
  EXPECT_EQ(ints(out[0]), V({1, 0, 0}));
  out = runOp("strata.argmin", "", t, "tensor<1x3xi64>", x);
  EXPECT_EQ(ints(out[0]), V({0, 1, 1}));

  // NaN is the most extreme value for both.
  Tensor n = Tensor::fromDoubles(DType::f64, {4}, {1, NAN, 5, NAN});
  out = runOp("strata.argmax", "", "tensor<4xf64>", "tensor<1xi64>", n);
  EXPECT_EQ(ints(out[0]), V({1}));
  out = runOp("strata.argmax", "{select_last_index = true}", "tensor<4xf64>",
              "tensor<1xi64>", n);
  EXPECT_EQ(ints(out[0]), V({3}));
  out = runOp("strata.argmin", "", "tensor<4xf64>", "tensor<1xi64>", n);
  EXPECT_EQ(ints(out[0]), V({1}));

  Tensor i = Tensor::fromInts(DType::i8, {5}, {-3, 7, -8, 7, -8});
  out = runOp("strata.argmax", "{select_last_index = true}", "tensor<5xi8>",
              "tensor<1xi64>", i);
  EXPECT_EQ(ints(out[0]), V({3}));
  out = runOp("strata.argmin", "", "tensor<5xi8>", "tensor<1xi64>", i);
  EXPECT_EQ(ints(out[0]), V({2}));
}

TEST_F(ReductionTest, ArgMaxRandomAgainstLoops) {
  Tensor x = randomTensor(DType::f32, {3, 4, 5});
  auto out = run(
      R"(func.func @main(%a: tensor<?x4x5xf32>) -> (tensor<?x5xi64>, tensor<?x4x1xi64>) {
    %0 = strata.argmax %a {axis = 1, keepdims = false} : (tensor<?x4x5xf32>) -> tensor<?x5xi64>
    %1 = strata.argmin %a {axis = 2} : (tensor<?x4x5xf32>) -> tensor<?x4x1xi64>
    return %0, %1 : tensor<?x5xi64>, tensor<?x4x1xi64>
  })",
      {x});
  ASSERT_EQ(out.size(), 2u);
  ASSERT_EQ(out[0].shape(), (std::vector<int64_t>{3, 5}));
  ASSERT_EQ(out[1].shape(), (std::vector<int64_t>{3, 4, 1}));
  auto at = [](int i, int j, int k) { return (i * 4 + j) * 5 + k; };
  for (int i = 0; i < 3; ++i) {
    for (int k = 0; k < 5; ++k) {
      int best = 0;
      for (int j = 1; j < 4; ++j)
        if (x.get(at(i, j, k)) > x.get(at(i, best, k)))
          best = j;
      EXPECT_EQ(out[0].getInt(i * 5 + k), best);
    }
    for (int j = 0; j < 4; ++j) {
      int best = 0;
      for (int k = 1; k < 5; ++k)
        if (x.get(at(i, j, k)) < x.get(at(i, j, best)))
          best = k;
      EXPECT_EQ(out[1].getInt(i * 4 + j), best);
    }
  }
}

TEST_F(ReductionTest, ArgMaxOfAnEmptyDynamicAxisIsAnError) {
  std::string err = runError(
      R"(func.func @main(%a: tensor<?x3xf32>) -> tensor<1x3xi64> {
    %0 = strata.argmax %a : (tensor<?x3xf32>) -> tensor<1x3xi64>
    return %0 : tensor<1x3xi64>
  })",
      {Tensor(DType::f32, {0, 3})});
  EXPECT_NE(err.find("'strata.argmax' of an empty axis"), std::string::npos)
      << err;
}

TEST_F(ReductionTest, CumSumHandWorked) {
  Tensor x = Tensor::fromDoubles(DType::f32, {4}, {1, 2, 3, 4});
  const char *t = "tensor<4xf32>";
  auto out = runOp("strata.cumsum", "{axis = 0}", t, t, x);
  expectTensorNear(out[0], {4}, {1, 3, 6, 10});
  out = runOp("strata.cumsum", "{axis = 0, exclusive = true}", t, t, x);
  expectTensorNear(out[0], {4}, {0, 1, 3, 6});
  out = runOp("strata.cumsum", "{axis = -1, reverse = true}", t, t, x);
  expectTensorNear(out[0], {4}, {10, 9, 7, 4});
  out = runOp("strata.cumsum", "{axis = 0, exclusive = true, reverse = true}",
              t, t, x);
  expectTensorNear(out[0], {4}, {9, 7, 4, 0});

  Tensor m = Tensor::fromInts(DType::i32, {2, 3}, {1, 2, 3, 4, 5, 6});
  out = runOp("strata.cumsum", "{axis = 0}", "tensor<2x3xi32>",
              "tensor<2x3xi32>", m);
  expectTensorNear(out[0], {2, 3}, {1, 2, 3, 5, 7, 9});
  out = runOp("strata.cumsum", "{axis = 1}", "tensor<2x3xi32>",
              "tensor<2x3xi32>", m);
  expectTensorNear(out[0], {2, 3}, {1, 3, 6, 4, 9, 15});
  out = runOp("strata.cumsum", "{axis = 0}", "tensor<2xi8>", "tensor<2xi8>",
              Tensor::fromInts(DType::i8, {2}, {100, 100}));
  EXPECT_EQ(out[0].getInt(1), -56); // wraps like the element type
}

TEST_F(ReductionTest, CumSumRandomAgainstLoops) {
  Tensor x = randomTensor(DType::f64, {3, 5, 2});
  for (bool exclusive : {false, true}) {
    for (bool reverse : {false, true}) {
      std::string attrs = std::string("{axis = 1, exclusive = ") +
                          (exclusive ? "true" : "false") +
                          ", reverse = " + (reverse ? "true" : "false") + "}";
      SCOPED_TRACE(attrs);
      auto out = runOp("strata.cumsum", attrs, "tensor<?x5x2xf64>",
                       "tensor<?x5x2xf64>", x);
      ASSERT_EQ(out.size(), 1u);
      std::vector<double> want;
      for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 5; ++j)
          for (int k = 0; k < 2; ++k) {
            double s = 0;
            for (int l = 0; l < 5; ++l) {
              bool in = reverse ? (exclusive ? l > j : l >= j)
                                : (exclusive ? l < j : l <= j);
              if (in)
                s += x.get((i * 5 + l) * 2 + k);
            }
            want.push_back(s);
          }
      expectTensorNear(out[0], {3, 5, 2}, want, 1e-12);
    }
  }
}

TEST_F(ReductionTest, CumProdHandWorked) {
  Tensor x = Tensor::fromDoubles(DType::f32, {4}, {1, 2, 3, 4});
  const char *t = "tensor<4xf32>";
  auto out = runOp("strata.cumprod", "{axis = 0}", t, t, x);
  expectTensorNear(out[0], {4}, {1, 2, 6, 24});
  out = runOp("strata.cumprod", "{axis = 0, exclusive = true}", t, t, x);
  expectTensorNear(out[0], {4}, {1, 1, 2, 6});
  out = runOp("strata.cumprod", "{axis = -1, reverse = true}", t, t, x);
  expectTensorNear(out[0], {4}, {24, 24, 12, 4});
  out = runOp("strata.cumprod", "{axis = 0, exclusive = true, reverse = true}",
              t, t, x);
  expectTensorNear(out[0], {4}, {24, 12, 4, 1});

  Tensor m = Tensor::fromInts(DType::i32, {2, 3}, {1, 2, 3, 4, 5, 6});
  out = runOp("strata.cumprod", "{axis = 0}", "tensor<2x3xi32>",
              "tensor<2x3xi32>", m);
  expectTensorNear(out[0], {2, 3}, {1, 2, 3, 4, 10, 18});
  out = runOp("strata.cumprod", "{axis = 1}", "tensor<2x3xi32>",
              "tensor<2x3xi32>", m);
  expectTensorNear(out[0], {2, 3}, {1, 2, 6, 4, 20, 120});
  out = runOp("strata.cumprod", "{axis = 0}", "tensor<2xi8>", "tensor<2xi8>",
              Tensor::fromInts(DType::i8, {2}, {16, 20}));
  EXPECT_EQ(out[0].getInt(1), 64); // 320 wraps like the element type
}

TEST_F(ReductionTest, CumProdRandomAgainstLoops) {
  Tensor x = randomTensor(DType::f64, {3, 5, 2});
  for (bool exclusive : {false, true}) {
    for (bool reverse : {false, true}) {
      std::string attrs = std::string("{axis = 1, exclusive = ") +
                          (exclusive ? "true" : "false") +
                          ", reverse = " + (reverse ? "true" : "false") + "}";
      SCOPED_TRACE(attrs);
      auto out = runOp("strata.cumprod", attrs, "tensor<?x5x2xf64>",
                       "tensor<?x5x2xf64>", x);
      ASSERT_EQ(out.size(), 1u);
      std::vector<double> want;
      for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 5; ++j)
          for (int k = 0; k < 2; ++k) {
            double p = 1;
            for (int l = 0; l < 5; ++l) {
              bool in = reverse ? (exclusive ? l > j : l >= j)
                                : (exclusive ? l < j : l <= j);
              if (in)
                p *= x.get((i * 5 + l) * 2 + k);
            }
            want.push_back(p);
          }
      expectTensorNear(out[0], {3, 5, 2}, want, 1e-12);
    }
  }
}

} // namespace
} // namespace strata::testing
