//===- CpuIndexingKernelTest.cpp - Compiled indexing / data-movement ops --===//
//
// The gathers, embedding and the scatters, broadcast_to, tile, depth_to_space,
// space_to_depth, argmax / argmin, cumsum / cumprod, mod, the shifts, top_k,
// argsort and bitcast, compiled (codegen/cpu), loaded by the runtime, run on
// random inputs (indices drawn over [-d, d), so negative ones too; values drawn
// from a few numbers, with NaN, where ties and NaN order matter) and
// compared with the reference evaluator on the same inputs. Every result of
// the op is compared:
// - the ops that move elements, argmax / argmin, top_k, argsort, bitcast, the
//   shifts and integer results: exactly;
// - cumsum / cumprod accumulate in f64 as the reference does, then round
//   once: exactly;
// - float scatter reductions and float mod (the reference computes in
//   double and rounds once, compiled code in the element type): within
//   1e-6 (1 + |want|).
// A few cases are also checked against hand-derived values.
//
//===----------------------------------------------------------------------===//

#include "codegen/CompiledOpTesting.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

namespace strata::testing {
namespace {

using reference::DType;
using reference::Tensor;

class CpuIndexingKernelTest : public CompiledOpTest {
protected:
  /// Uniform values in [lo, hi) (integer types: whole numbers in [lo, hi)).
  Tensor randomOf(const std::string &type, double lo = -2, double hi = 2) {
    Parsed p = parseType(type);
    int64_t n = 1;
    for (int64_t d : p.shape)
      n *= d;
    if (p.dtype == DType::i32 || p.dtype == DType::i64) {
      std::uniform_int_distribution<int64_t> dist(static_cast<int64_t>(lo),
                                                  static_cast<int64_t>(hi) - 1);
      std::vector<int64_t> ints(n);
      for (int64_t &x : ints)
        x = dist(rng_);
      return Tensor::fromInts(p.dtype, p.shape, ints);
    }
    return Tensor::fromDoubles(p.dtype, p.shape, random(n, lo, hi));
  }

  /// Values drawn from `choices` (to make ties, NaN, zeros).
  Tensor choiceOf(const std::string &type, std::vector<double> choices) {
    Parsed p = parseType(type);
    int64_t n = 1;
    for (int64_t d : p.shape)
      n *= d;
    std::uniform_int_distribution<size_t> dist(0, choices.size() - 1);
    std::vector<double> v(n);
    for (double &x : v)
      x = choices[dist(rng_)];
    if (p.dtype == DType::i32 || p.dtype == DType::i64) {
      std::vector<int64_t> ints(v.begin(), v.end());
      return Tensor::fromInts(p.dtype, p.shape, ints);
    }
    return Tensor::fromDoubles(p.dtype, p.shape, v);
  }

  Case make(std::string name, std::string op, std::vector<Tensor> args,
            std::vector<std::string> argTypes,
            std::vector<std::string> resultTypes, std::string attributes = "",
            double tol = 0) {
    return Case{std::move(name),
                std::move(op),
                std::move(args),
                std::move(argTypes),
                std::move(resultTypes),
                std::move(attributes),
                tol};
  }

  /// A case whose arguments are random tensors of `argTypes`.
  Case randomCase(std::string name, std::string op,
                  std::vector<std::string> argTypes,
                  std::vector<std::string> resultTypes,
                  std::string attributes = "", double tol = 0) {
    std::vector<Tensor> args;
    for (const std::string &t : argTypes)
      args.push_back(randomOf(t));
    return make(std::move(name), std::move(op), std::move(args), argTypes,
                std::move(resultTypes), std::move(attributes), tol);
  }

private:
  std::mt19937_64 rng_{20261203};
};

const double NaN = std::nan("");

// --- gathers -----------------------------------------------------------------

TEST_F(CpuIndexingKernelTest, GatherByHand) {
  // data [[1, 2, 3], [4, 5, 6]], indices [2, -3, -1] along axis 1.
  std::string src = moduleText(make("", "strata.gather", {},
                                    {"tensor<2x3xf32>", "tensor<3xi64>"},
                                    {"tensor<2x3xf32>"}, "{axis = 1 : i64}"));
  std::vector<Tensor> got =
      runCompiled(src,
                  {Tensor::fromDoubles(DType::f32, {2, 3}, {1, 2, 3, 4, 5, 6}),
                   Tensor::fromInts(DType::i64, {3}, {2, -3, -1})},
                  {"tensor<2x3xf32>"});
  ASSERT_EQ(got.size(), 1u);
  expectTensorNear(got[0], {2, 3}, {3, 1, 3, 6, 4, 6}, 0);
}

TEST_F(CpuIndexingKernelTest, Gather) {
  struct G {
    std::string data, indices, result;
    int64_t axis, d;
  };
  for (const G &g : std::vector<G>{
           {"tensor<5x3xf32>", "tensor<4xi64>", "tensor<4x3xf32>", 0, 5},
           {"tensor<5x3xf32>", "tensor<2x2xi64>", "tensor<5x2x2xf32>", 1, 3},
           {"tensor<2x3x4xf64>", "tensor<3x2xi32>", "tensor<2x3x2x4xf64>", 1,
            3},
           {"tensor<2x3x4xi64>", "tensor<5xi64>", "tensor<2x3x5xi64>", -1, 4},
           {"tensor<4x3xf32>", "tensor<i64>", "tensor<3xf32>", 0, 4},
           {"tensor<6xi32>", "tensor<2x3xi64>", "tensor<2x3xi32>", 0, 6}}) {
    check(make("gather " + g.data + " " + g.indices + " axis " +
                   std::to_string(g.axis),
               "strata.gather",
               {randomOf(g.data), randomOf(g.indices, -g.d, g.d)},
               {g.data, g.indices}, {g.result},
               "{axis = " + std::to_string(g.axis) + " : i64}"));
  }
}

TEST_F(CpuIndexingKernelTest, GatherElements) {
  struct G {
    std::string data, indices;
    int64_t axis, d;
  };
  for (const G &g :
       std::vector<G>{{"tensor<4x3xf32>", "tensor<6x3xi64>", 0, 4},
                      {"tensor<4x3xf32>", "tensor<2x5xi64>", 1, 3},
                      {"tensor<3x4x5xf64>", "tensor<2x4x3xi32>", -2, 4},
                      {"tensor<3x4x5xi64>", "tensor<3x2x7xi64>", 2, 5},
                      {"tensor<7xi32>", "tensor<9xi64>", 0, 7}}) {
    std::string result = g.indices.substr(0, g.indices.size() - 4) +
                         g.data.substr(g.data.size() - 4);
    check(make(
        "gather_elements " + g.data + " " + g.indices, "strata.gather_elements",
        {randomOf(g.data), randomOf(g.indices, -g.d, g.d)}, {g.data, g.indices},
        {result}, "{axis = " + std::to_string(g.axis) + " : i64}"));
  }
}

TEST_F(CpuIndexingKernelTest, GatherND) {
  // k = 1 and 2, batch_dims 0 and 1; indices over [-4, 4) against dims of
  // size 4 (and 3 for the second tuple entry of the k = 2 case).
  check(make("k 1", "strata.gather_nd",
             {randomOf("tensor<4x3xf32>"), randomOf("tensor<5x1xi64>", -4, 4)},
             {"tensor<4x3xf32>", "tensor<5x1xi64>"}, {"tensor<5x3xf32>"}));
  check(make("k 2", "strata.gather_nd",
             {randomOf("tensor<4x3x2xf32>"),
              choiceOf("tensor<2x3x2xi64>", {-3, -2, -1, 0, 1, 2})},
             {"tensor<4x3x2xf32>", "tensor<2x3x2xi64>"},
             {"tensor<2x3x2xf32>"}));
  check(make(
      "batch 1", "strata.gather_nd",
      {randomOf("tensor<2x4x3xi64>"), randomOf("tensor<2x5x1xi32>", -4, 4)},
      {"tensor<2x4x3xi64>", "tensor<2x5x1xi32>"}, {"tensor<2x5x3xi64>"},
      "{batch_dims = 1 : i64}"));
  check(make("k = rank", "strata.gather_nd",
             {randomOf("tensor<3x3xf64>"), randomOf("tensor<4x2xi64>", -3, 3)},
             {"tensor<3x3xf64>", "tensor<4x2xi64>"}, {"tensor<4xf64>"}));
}

TEST_F(CpuIndexingKernelTest, Embedding) {
  check(make("rows of a [6, 4] table", "strata.embedding",
             {randomOf("tensor<6x4xf32>"), randomOf("tensor<2x3xi64>", 0, 6)},
             {"tensor<6x4xf32>", "tensor<2x3xi64>"}, {"tensor<2x3x4xf32>"}));
  check(make("i32 indices, f64 table", "strata.embedding",
             {randomOf("tensor<5x2xf64>"), randomOf("tensor<7xi32>", 0, 5)},
             {"tensor<5x2xf64>", "tensor<7xi32>"}, {"tensor<7x2xf64>"}));
}

// --- scatters ----------------------------------------------------------------

TEST_F(CpuIndexingKernelTest, ScatterElementsByHand) {
  // data zeros [3], updates [1, 2, 4, 8] at [0, -1, 0, 2] with add.
  std::string src = moduleText(
      make("", "strata.scatter_elements", {},
           {"tensor<3xf32>", "tensor<4xi64>", "tensor<4xf32>"},
           {"tensor<3xf32>"}, "{axis = 0 : i64, reduction = \"add\"}"));
  std::vector<Tensor> got =
      runCompiled(src,
                  {Tensor::fromDoubles(DType::f32, {3}, {0, 0, 0}),
                   Tensor::fromInts(DType::i64, {4}, {0, -1, 0, 2}),
                   Tensor::fromDoubles(DType::f32, {4}, {1, 2, 4, 8})},
                  {"tensor<3xf32>"});
  ASSERT_EQ(got.size(), 1u);
  expectTensorNear(got[0], {3}, {5, 0, 10}, 0);
}

TEST_F(CpuIndexingKernelTest, ScatterElements) {
  for (std::string reduction : {"none", "add", "mul", "max", "min"}) {
    for (std::string t : {"f32", "i64"}) {
      double tol = t == "f32" ? 1e-6 : 0;
      std::string d = "tensor<4x3x" + t + ">", u = "tensor<5x3x" + t + ">";
      check(make(reduction + " axis 0 " + t, "strata.scatter_elements",
                 {randomOf(d), randomOf("tensor<5x3xi64>", -4, 4), randomOf(u)},
                 {d, "tensor<5x3xi64>", u}, {d},
                 "{axis = 0 : i64, reduction = \"" + reduction + "\"}", tol));
      std::string d3 = "tensor<2x3x4x" + t + ">",
                  u3 = "tensor<2x2x6x" + t + ">";
      check(make(
          reduction + " axis -1 rank 3 " + t, "strata.scatter_elements",
          {randomOf(d3), randomOf("tensor<2x2x6xi32>", -4, 4), randomOf(u3)},
          {d3, "tensor<2x2x6xi32>", u3}, {d3},
          "{axis = -1 : i64, reduction = \"" + reduction + "\"}", tol));
    }
  }
  // NaN on either side of max / min gives NaN.
  std::string d = "tensor<3x4xf64>";
  for (std::string reduction : {"max", "min"})
    check(
        make("NaN " + reduction, "strata.scatter_elements",
             {choiceOf(d, {NaN, -1, 0, 2}), randomOf("tensor<3x4xi64>", -4, 4),
              choiceOf(d, {NaN, 1, -2, 3})},
             {d, "tensor<3x4xi64>", d}, {d},
             "{axis = 1 : i64, reduction = \"" + reduction + "\"}"));
}

TEST_F(CpuIndexingKernelTest, ScatterND) {
  for (std::string reduction : {"none", "add", "mul", "max", "min"}) {
    check(make(reduction + " k 1", "strata.scatter_nd",
               {randomOf("tensor<4x3xf32>"), randomOf("tensor<6x1xi64>", -4, 4),
                randomOf("tensor<6x3xf32>")},
               {"tensor<4x3xf32>", "tensor<6x1xi64>", "tensor<6x3xf32>"},
               {"tensor<4x3xf32>"}, "{reduction = \"" + reduction + "\"}",
               1e-6));
    check(make(reduction + " k 2 i32", "strata.scatter_nd",
               {randomOf("tensor<3x3x2xi32>", -50, 50),
                randomOf("tensor<2x4x2xi64>", -3, 3),
                randomOf("tensor<2x4x2xi32>", -50, 50)},
               {"tensor<3x3x2xi32>", "tensor<2x4x2xi64>", "tensor<2x4x2xi32>"},
               {"tensor<3x3x2xi32>"}, "{reduction = \"" + reduction + "\"}"));
  }
}

// --- shape ops ---------------------------------------------------------------

TEST_F(CpuIndexingKernelTest, BroadcastTo) {
  check(randomCase("rank up", "strata.broadcast_to", {"tensor<3x1xf32>"},
                   {"tensor<2x3x4xf32>"}, "{shape = array<i64: 2, 1, 4>}"));
  check(randomCase("lower-rank shape", "strata.broadcast_to",
                   {"tensor<2x1x4xi64>"}, {"tensor<2x3x4xi64>"},
                   "{shape = array<i64: 3, 1>}"));
  check(randomCase("scalar", "strata.broadcast_to", {"tensor<f64>"},
                   {"tensor<2x2xf64>"}, "{shape = array<i64: 2, 2>}"));
}

TEST_F(CpuIndexingKernelTest, Tile) {
  check(randomCase("2-D", "strata.tile", {"tensor<2x3xf32>"},
                   {"tensor<6x6xf32>"}, "{repeats = array<i64: 3, 2>}"));
  check(randomCase("rank 3 i32", "strata.tile", {"tensor<2x1x3xi32>"},
                   {"tensor<2x4x3xi32>"}, "{repeats = array<i64: 1, 4, 1>}"));
}

TEST_F(CpuIndexingKernelTest, DepthToSpaceAndBack) {
  for (std::string mode : {"DCR", "CRD"})
    check(randomCase("depth_to_space " + mode, "strata.depth_to_space",
                     {"tensor<2x8x2x3xf32>"}, {"tensor<2x2x4x6xf32>"},
                     "{blocksize = 2 : i64, mode = \"" + mode + "\"}"));
  check(randomCase("depth_to_space b 3", "strata.depth_to_space",
                   {"tensor<1x9x2x2xi64>"}, {"tensor<1x1x6x6xi64>"},
                   "{blocksize = 3 : i64}"));
  check(randomCase("space_to_depth", "strata.space_to_depth",
                   {"tensor<2x3x4x6xf32>"}, {"tensor<2x12x2x3xf32>"},
                   "{blocksize = 2 : i64}"));
}

// --- arg reductions, cumulative ops
// -------------------------------------------

TEST_F(CpuIndexingKernelTest, ArgMaxArgMin) {
  for (std::string op : {"strata.argmax", "strata.argmin"}) {
    for (bool last : {false, true}) {
      std::string attrs =
          std::string("select_last_index = ") + (last ? "true" : "false");
      // Ties and NaN: values from a small set.
      check(make(op + " axis 1 NaN ties", op,
                 {choiceOf("tensor<6x5xf32>", {NaN, -1, 0, 1})},
                 {"tensor<6x5xf32>"}, {"tensor<6x1xi64>"},
                 "{axis = 1 : i64, " + attrs + "}"));
      check(make(op + " axis 0 keepdims false", op,
                 {choiceOf("tensor<5x3x2xf64>", {-2, 0, 2})},
                 {"tensor<5x3x2xf64>"}, {"tensor<3x2xi64>"},
                 "{axis = 0 : i64, keepdims = false, " + attrs + "}"));
      check(make(op + " axis -1 i32", op,
                 {choiceOf("tensor<3x4x5xi32>", {-3, 0, 3, 7})},
                 {"tensor<3x4x5xi32>"}, {"tensor<3x4xi64>"},
                 "{axis = -1 : i64, keepdims = false, " + attrs + "}"));
      check(make(op + " axis 1 rank 3 i64", op,
                 {randomOf("tensor<2x7x3xi64>", -5, 5)}, {"tensor<2x7x3xi64>"},
                 {"tensor<2x1x3xi64>"}, "{axis = 1 : i64, " + attrs + "}"));
    }
  }
}

TEST_F(CpuIndexingKernelTest, CumSumCumProd) {
  for (std::string op : {"strata.cumsum", "strata.cumprod"}) {
    for (int flags = 0; flags < 4; ++flags) {
      std::string attrs = std::string("exclusive = ") +
                          (flags & 1 ? "true" : "false") +
                          ", reverse = " + (flags & 2 ? "true" : "false");
      check(randomCase(op + " f32 axis 1 " + attrs, op, {"tensor<3x6xf32>"},
                       {"tensor<3x6xf32>"}, "{axis = 1 : i64, " + attrs + "}"));
      check(randomCase(op + " f64 axis -3 " + attrs, op, {"tensor<4x2x3xf64>"},
                       {"tensor<4x2x3xf64>"},
                       "{axis = -3 : i64, " + attrs + "}"));
      check(make(op + " i64 axis 0 " + attrs, op,
                 {randomOf("tensor<5x2xi64>", -9, 9)}, {"tensor<5x2xi64>"},
                 {"tensor<5x2xi64>"}, "{axis = 0 : i64, " + attrs + "}"));
    }
  }
}

// --- elementwise -------------------------------------------------------------

TEST_F(CpuIndexingKernelTest, Mod) {
  for (std::string fmod : {"false", "true"}) {
    // Integer divisors avoid 0 (an evaluation error).
    for (std::string t : {"i32", "i64"})
      check(make("int " + t + " fmod " + fmod, "strata.mod",
                 {randomOf("tensor<4x5x" + t + ">", -50, 50),
                  choiceOf("tensor<5x" + t + ">", {-7, -3, -1, 1, 2, 5})},
                 {"tensor<4x5x" + t + ">", "tensor<5x" + t + ">"},
                 {"tensor<4x5x" + t + ">"}, "{fmod = " + fmod + "}"));
    for (std::string t : {"f32", "f64"})
      check(make("float " + t + " fmod " + fmod, "strata.mod",
                 {randomOf("tensor<4x5x" + t + ">", -10, 10),
                  choiceOf("tensor<4x5x" + t + ">", {-3.5, -1, 0.75, 2, 4})},
                 {"tensor<4x5x" + t + ">", "tensor<4x5x" + t + ">"},
                 {"tensor<4x5x" + t + ">"}, "{fmod = " + fmod + "}", 1e-6));
  }
}

TEST_F(CpuIndexingKernelTest, Shifts) {
  for (std::string op : {"strata.shift_left", "strata.shift_right"})
    for (std::pair<std::string, int> t :
         {std::pair<std::string, int>{"i32", 32}, {"i64", 64}}) {
      std::string x = "tensor<6x4x" + t.first + ">",
                  y = "tensor<4x" + t.first + ">";
      // Shift amounts below 0 and at or past the width too.
      check(
          make(op + " " + t.first, op,
               {randomOf(x, -1000000, 1000000), randomOf(y, -3, t.second + 3)},
               {x, y}, {x}));
    }
}

TEST_F(CpuIndexingKernelTest, ShiftByHand) {
  std::string src =
      moduleText(make("", "strata.shift_right", {},
                      {"tensor<4xi32>", "tensor<4xi32>"}, {"tensor<4xi32>"}));
  std::vector<Tensor> got =
      runCompiled(src,
                  {Tensor::fromInts(DType::i32, {4}, {-16, -16, 16, 7}),
                   Tensor::fromInts(DType::i32, {4}, {2, 40, 40, -1})},
                  {"tensor<4xi32>"});
  ASSERT_EQ(got.size(), 1u);
  for (int64_t i = 0; i < 4; ++i)
    EXPECT_EQ(got[0].getInt(i), (std::vector<int64_t>{-4, -1, 0, 0}[i]));
}

// --- top_k, bitcast ----------------------------------------------------------

TEST_F(CpuIndexingKernelTest, TopK) {
  for (std::string largest : {"true", "false"})
    for (std::string sorted : {"true", "false"}) {
      std::string attrs = "largest = " + largest + ", sorted = " + sorted;
      check(make("f32 axis -1 NaN ties " + attrs, "strata.top_k",
                 {choiceOf("tensor<4x7xf32>", {NaN, -1, 0, 0.5, 2})},
                 {"tensor<4x7xf32>"}, {"tensor<4x3xf32>", "tensor<4x3xi64>"},
                 "{k = 3 : i64, " + attrs + "}"));
      check(make("f64 axis 0 " + attrs, "strata.top_k",
                 {randomOf("tensor<5x2x3xf64>")}, {"tensor<5x2x3xf64>"},
                 {"tensor<2x2x3xf64>", "tensor<2x2x3xi64>"},
                 "{k = 2 : i64, axis = 0 : i64, " + attrs + "}"));
      check(make("i64 all " + attrs, "strata.top_k",
                 {choiceOf("tensor<3x4xi64>", {-2, 1, 5})}, {"tensor<3x4xi64>"},
                 {"tensor<3x4xi64>", "tensor<3x4xi64>"},
                 "{k = 4 : i64, axis = 1 : i64, " + attrs + "}"));
    }
}

// ui64 compares unsigned: values at and above 2^63 (negative as i64) rank
// above the small ones.
TEST_F(CpuIndexingKernelTest, TopKUnsigned) {
  const int64_t top = std::numeric_limits<int64_t>::min(); // 2^63
  std::vector<int64_t> v = {5,  top, -1, 0, 7,  top + 3, 5,   -2, 1,
                            -1, 2,   3,  0, -7, top,     100, 4,  -1};
  Tensor x = Tensor::fromInts(reference::DType::u64, {3, 6}, v);
  for (std::string largest : {"true", "false"})
    for (std::string sorted : {"true", "false"}) {
      std::string attrs = "largest = " + largest + ", sorted = " + sorted;
      check(make("ui64 " + attrs, "strata.top_k", {x}, {"tensor<3x6xui64>"},
                 {"tensor<3x4xui64>", "tensor<3x4xi64>"},
                 "{k = 4 : i64, axis = 1 : i64, " + attrs + "}"));
    }
}

TEST_F(CpuIndexingKernelTest, ArgSort) {
  for (std::string descending : {"false", "true"}) {
    check(make("f32 NaN ties descending " + descending, "strata.argsort",
               {choiceOf("tensor<3x6xf32>", {NaN, -1, 0, 2})},
               {"tensor<3x6xf32>"}, {"tensor<3x6xi64>"},
               "{descending = " + descending + "}"));
    check(make("i32 axis 0 descending " + descending, "strata.argsort",
               {choiceOf("tensor<5x2xi32>", {-4, 0, 9})}, {"tensor<5x2xi32>"},
               {"tensor<5x2xi64>"},
               "{axis = 0 : i64, descending = " + descending + "}"));
  }
}

TEST_F(CpuIndexingKernelTest, Bitcast) {
  check(randomCase("f32 to i32", "strata.bitcast", {"tensor<2x3xf32>"},
                   {"tensor<2x3xi32>"}, "{to = i32}"));
  check(randomCase("f64 to i64", "strata.bitcast", {"tensor<4xf64>"},
                   {"tensor<4xi64>"}, "{to = i64}"));
  // Integers whose bit patterns are ordinary floats (no signalling NaN).
  check(make("i32 to f32", "strata.bitcast",
             {choiceOf("tensor<5xi32>",
                       {0, 1065353216, -1082130432, 1078530011, 8388608})},
             {"tensor<5xi32>"}, {"tensor<5xf32>"}, "{to = f32}"));
  // 1.0 is 0x3FF0000000000000.
  std::string src = moduleText(make("", "strata.bitcast", {}, {"tensor<1xf64>"},
                                    {"tensor<1xi64>"}, "{to = i64}"));
  std::vector<Tensor> got = runCompiled(
      src, {Tensor::fromDoubles(DType::f64, {1}, {1.0})}, {"tensor<1xi64>"});
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].getInt(0), int64_t{0x3FF0000000000000});
}

} // namespace
} // namespace strata::testing
