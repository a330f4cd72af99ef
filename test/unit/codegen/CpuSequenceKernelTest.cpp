//===- CpuSequenceKernelTest.cpp - Compiled shape, random and GRU ops
//------===//
//
// The lowerings a char-RNN, a dropout net and an RBM need: concat, slice,
// split, the random ops and the recurrent cells, compiled (codegen/cpu), loaded
// by the runtime, run on random inputs and compared with the reference
// evaluator on the same inputs. Every result of the op is compared:
// - concat / slice / split copy elements: exactly;
// - the random ops draw Philox in the compiled body and compute the rest in
//   f64, as the reference does: samples, masks, uniforms, dropout outputs
//   and the returned state exactly; normals within 1e-6 (1 + |want|) in f32
//   and 1e-12 (1 + |want|) in f64 (libm's log / cos may differ in the last
//   bit);
// - gru_cell, lstm_cell and rnn_cell compute in the element type, the
//   reference in double: within 1e-5 (1 + |want|) in f32, 1e-12 (1 + |want|)
//   in f64.
// One draw is also checked against the published Philox4x32-10 answer for
// counter 0 and key 0 (Salmon et al., Random123's kat_vectors).
//
//===----------------------------------------------------------------------===//

#include "codegen/CompiledOpTesting.h"

#include <cmath>
#include <cstdint>

namespace strata::testing {
namespace {

using reference::Tensor;

class CpuSequenceKernelTest : public CompiledOpTest {
protected:
  Tensor randomOf(const std::string &type, double lo = -2, double hi = 2) {
    Parsed p = parseType(type);
    int64_t n = 1;
    for (int64_t d : p.shape)
      n *= d;
    std::vector<double> v = random(n, lo, hi);
    if (p.dtype == reference::DType::i32 || p.dtype == reference::DType::i64) {
      std::vector<int64_t> ints;
      for (double x : v)
        ints.push_back(static_cast<int64_t>(std::floor(x * 1000)));
      return Tensor::fromInts(p.dtype, p.shape, ints);
    }
    return Tensor::fromDoubles(p.dtype, p.shape, v);
  }

  /// A case whose arguments are random tensors of `argTypes`.
  Case randomCase(std::string name, std::string op,
                  std::vector<std::string> argTypes,
                  std::vector<std::string> resultTypes,
                  std::string attributes = "", double tol = 0) {
    Case c{std::move(name),        std::move(op),         {}, argTypes,
           std::move(resultTypes), std::move(attributes), tol};
    for (const std::string &t : argTypes)
      c.args.push_back(randomOf(t));
    return c;
  }
};

const std::string Rng = "tensor<2xi64>";

Tensor state(uint64_t key, uint64_t counter) {
  return Tensor::fromInts(
      reference::DType::i64, {2},
      {static_cast<int64_t>(key), static_cast<int64_t>(counter)});
}

TEST_F(CpuSequenceKernelTest, Concat) {
  check(randomCase("axis 0", "strata.concat",
                   {"tensor<2x3xf32>", "tensor<1x3xf32>", "tensor<4x3xf32>"},
                   {"tensor<7x3xf32>"}, "{axis = 0 : i64}"));
  check(randomCase("axis 1", "strata.concat",
                   {"tensor<2x3xf32>", "tensor<2x5xf32>"}, {"tensor<2x8xf32>"},
                   "{axis = 1 : i64}"));
  check(randomCase(
      "axis -1 of rank 3, i32", "strata.concat",
      {"tensor<2x3x1xi32>", "tensor<2x3x4xi32>", "tensor<2x3x2xi32>"},
      {"tensor<2x3x7xi32>"}, "{axis = -1 : i64}"));
  check(randomCase("middle axis f64", "strata.concat",
                   {"tensor<2x1x3xf64>", "tensor<2x2x3xf64>"},
                   {"tensor<2x3x3xf64>"}, "{axis = 1 : i64}"));
  check(randomCase("one input", "strata.concat", {"tensor<3x2xf32>"},
                   {"tensor<3x2xf32>"}, "{axis = 0 : i64}"));
}

TEST_F(CpuSequenceKernelTest, Split) {
  check(randomCase("axis 1 equal", "strata.split", {"tensor<3x6xf32>"},
                   {"tensor<3x2xf32>", "tensor<3x2xf32>", "tensor<3x2xf32>"},
                   "{axis = 1 : i64, sizes = array<i64: 2, 2, 2>}"));
  check(randomCase("axis 0 unequal", "strata.split", {"tensor<7x2xf32>"},
                   {"tensor<1x2xf32>", "tensor<4x2xf32>", "tensor<2x2xf32>"},
                   "{axis = 0 : i64, sizes = array<i64: 1, 4, 2>}"));
  check(randomCase("axis -2 of rank 3, i64", "strata.split",
                   {"tensor<2x5x3xi64>"},
                   {"tensor<2x3x3xi64>", "tensor<2x2x3xi64>"},
                   "{axis = -2 : i64, sizes = array<i64: 3, 2>}"));
}

TEST_F(CpuSequenceKernelTest, Slice) {
  const std::string X = "tensor<5x6xf32>";
  struct S {
    std::string name, attributes, result;
  };
  for (const S &s : std::vector<S>{
           {"leading axes",
            "{starts = array<i64: 1, 2>, ends = array<i64: 4, "
            "5>}",
            "tensor<3x3xf32>"},
           {"one axis given",
            "{starts = array<i64: 1>, ends = array<i64: 3>, "
            "axes = array<i64: 1>}",
            "tensor<5x2xf32>"},
           {"negative bounds and axis",
            "{starts = array<i64: -4>, ends = array<i64: -1>, axes = "
            "array<i64: -1>}",
            "tensor<5x3xf32>"},
           {"clamped bounds",
            "{starts = array<i64: -100, 2>, ends = "
            "array<i64: 100, 1000>}",
            "tensor<5x4xf32>"},
           {"steps",
            "{starts = array<i64: 0, 1>, ends = array<i64: 5, 6>, "
            "steps = array<i64: 2, 3>}",
            "tensor<3x2xf32>"},
           {"reversed",
            "{starts = array<i64: -1>, ends = array<i64: "
            "-100>, axes = array<i64: 1>, steps = array<i64: -1>}",
            "tensor<5x6xf32>"},
           {"negative step 2 and a positive one",
            "{starts = array<i64: 4, 0>, ends = array<i64: 0, 6>, steps = "
            "array<i64: -2, 2>}",
            "tensor<2x3xf32>"},
           {"step beyond the size",
            "{starts = array<i64: 3>, ends = array<i64: -10>, steps = "
            "array<i64: -50>}",
            "tensor<1x6xf32>"},
           {"empty", "{starts = array<i64: 3>, ends = array<i64: 1>}",
            "tensor<0x6xf32>"},
       })
    check(randomCase(s.name, "strata.slice", {X}, {s.result}, s.attributes));
  check(randomCase("rank 3, i32", "strata.slice", {"tensor<2x4x3xi32>"},
                   {"tensor<2x2x3xi32>"},
                   "{starts = array<i64: 3>, ends = array<i64: 0>, axes = "
                   "array<i64: 1>, steps = array<i64: -2>}"));
}

/// A random-op case: `op` on `x` (of `type`) and the state `rng`.
Case drawCase(std::string name, std::string op, Tensor x, std::string type,
              Tensor rng, std::vector<std::string> results,
              std::string attributes, double tol) {
  return Case{std::move(name),
              std::move(op),
              {std::move(x), rng},
              {type, Rng},
              std::move(results),
              std::move(attributes),
              tol};
}

TEST_F(CpuSequenceKernelTest, KnownPhiloxAnswer) {
  // philox4x32_10(counter 0, key 0) word 0 = 0x6627e8d5.
  Case c{"uniform at key 0, counter 0",
         "strata.random_uniform",
         {Tensor(reference::DType::f64, {1}), state(0, 0)},
         {"tensor<1xf64>", Rng},
         {"tensor<1xf64>", Rng},
         "",
         0};
  auto got = check(c);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].get(0), (0x6627e8d5u + 0.5) / 4294967296.0);
  EXPECT_EQ(got[1].getInt(1), 1);
}

TEST_F(CpuSequenceKernelTest, BernoulliSample) {
  struct S {
    std::string type;
    uint64_t key, counter;
  };
  for (const S &s : std::vector<S>{
           {"tensor<4x5xf32>", 0, 0},
           {"tensor<3x7xf64>", 0x0123456789abcdefull, 42},
           // The counter's low word carries into its high word mid-draw.
           {"tensor<2x3x4xf32>", 7, 0xfffffff5ull},
           // counter + i wraps modulo 2^64, and so does the returned state.
           {"tensor<16xf32>", 0xfedcba9876543210ull, ~0ull - 5},
       })
    // p covers [-0.2, 1.2): below 0 never, above 1 always.
    check(drawCase("bernoulli " + s.type, "strata.bernoulli_sample",
                   randomOf(s.type, -0.2, 1.2), s.type, state(s.key, s.counter),
                   {s.type, Rng}, "", 0));
}

TEST_F(CpuSequenceKernelTest, Dropout) {
  struct S {
    std::string type, ratio;
    uint64_t key, counter;
  };
  for (const S &s : std::vector<S>{
           {"tensor<4x6xf32>", "0.5", 1, 0},
           {"tensor<3x5xf32>", "0.1", 0xdeadbeefcafef00dull, 1000},
           {"tensor<2x2x5xf64>", "0.9", 3, 0xfffffff0ull},
           {"tensor<7xf32>", "0.0", 5, ~0ull - 2},
       }) {
    std::string mask = s.type.substr(0, s.type.size() - 4) + "i1>";
    check(drawCase("dropout " + s.ratio + " " + s.type, "strata.dropout",
                   randomOf(s.type), s.type, state(s.key, s.counter),
                   {s.type, mask, Rng}, "{ratio = " + s.ratio + " : f64}", 0));
  }
}

TEST_F(CpuSequenceKernelTest, UniformAndNormalDraws) {
  Tensor f32 = randomOf("tensor<5x4xf32>");
  Tensor f64 = randomOf("tensor<3x6xf64>");
  check(drawCase("uniform", "strata.random_uniform", f32, "tensor<5x4xf32>",
                 state(11, 3), {"tensor<5x4xf32>", Rng},
                 "{low = -3.0 : f64, high = 5.0 : f64}", 0));
  check(drawCase("uniform f64 wrapping", "strata.random_uniform", f64,
                 "tensor<3x6xf64>", state(12, ~0ull - 7),
                 {"tensor<3x6xf64>", Rng}, "", 0));
  check(drawCase("normal", "strata.random_normal", f32, "tensor<5x4xf32>",
                 state(13, 0xfffffffeull), {"tensor<5x4xf32>", Rng},
                 "{mean = 1.5 : f64, std = 2.0 : f64}", 1e-6));
  check(drawCase("normal f64", "strata.random_normal", f64, "tensor<3x6xf64>",
                 state(14, 99), {"tensor<3x6xf64>", Rng}, "", 1e-12));
  check(drawCase("gaussian_sample", "strata.gaussian_sample", f32,
                 "tensor<5x4xf32>", state(15, 1), {"tensor<5x4xf32>", Rng},
                 "{std = 0.5 : f64}", 1e-6));
  check(drawCase("gaussian_sample f64", "strata.gaussian_sample", f64,
                 "tensor<3x6xf64>", state(16, ~0ull), {"tensor<3x6xf64>", Rng},
                 "", 1e-12));
}

TEST_F(CpuSequenceKernelTest, GruCell) {
  struct S {
    std::string name;
    int64_t n, in, hidden;
    bool bias;
    std::string attributes, element;
  };
  for (const S &s : std::vector<S>{
           {"plain", 3, 4, 5, true, "", "f32"},
           {"no bias", 2, 3, 4, false, "", "f32"},
           {"linear before reset", 3, 4, 5, true,
            "{linear_before_reset = true}", "f32"},
           {"linear before reset, no bias", 1, 6, 3, false,
            "{linear_before_reset = true}", "f32"},
           {"clip", 4, 5, 3, true, "{clip = 0.5 : f64}", "f32"},
           {"clip, linear before reset", 2, 2, 6, true,
            "{clip = 0.75 : f64, linear_before_reset = true}", "f32"},
           {"f64", 3, 5, 4, true, "", "f64"},
           {"f64 linear before reset", 2, 3, 3, true,
            "{linear_before_reset = true}", "f64"},
       }) {
    auto t = [&](std::vector<int64_t> shape) {
      std::string s2 = "tensor<";
      for (int64_t d : shape)
        s2 += std::to_string(d) + "x";
      return s2 + s.element + ">";
    };
    std::vector<std::string> types = {t({s.n, s.in}), t({s.n, s.hidden}),
                                      t({3 * s.hidden, s.in}),
                                      t({3 * s.hidden, s.hidden})};
    if (s.bias)
      types.push_back(t({6 * s.hidden}));
    check(randomCase("gru " + s.name, "strata.gru_cell", types,
                     {t({s.n, s.hidden})}, s.attributes,
                     s.element == "f32" ? 1e-5 : 1e-12));
  }
}

/// lstm_cell (four gate blocks, two results) and rnn_cell (one block).
TEST_F(CpuSequenceKernelTest, LstmAndRnnCells) {
  struct S {
    std::string name;
    int64_t n, in, hidden;
    bool bias;
    std::string attributes, element;
  };
  for (const S &s : std::vector<S>{
           {"plain", 3, 4, 5, true, "", "f32"},
           {"no bias", 2, 3, 4, false, "", "f32"},
           {"clip", 4, 5, 3, true, "{clip = 0.5 : f64}", "f32"},
           {"one row, hidden 1", 1, 6, 1, true, "", "f32"},
           {"f64", 3, 5, 4, true, "", "f64"},
           {"f64 clip, no bias", 2, 3, 3, false, "{clip = 1.0 : f64}", "f64"},
       }) {
    auto t = [&](std::vector<int64_t> shape) {
      std::string s2 = "tensor<";
      for (int64_t d : shape)
        s2 += std::to_string(d) + "x";
      return s2 + s.element + ">";
    };
    double tol = s.element == "f32" ? 1e-5 : 1e-12;
    std::string state = t({s.n, s.hidden});
    std::vector<std::string> lstm = {t({s.n, s.in}), state, state,
                                     t({4 * s.hidden, s.in}),
                                     t({4 * s.hidden, s.hidden})};
    if (s.bias)
      lstm.push_back(t({8 * s.hidden}));
    check(randomCase("lstm " + s.name, "strata.lstm_cell", lstm, {state, state},
                     s.attributes, tol));
    std::vector<std::string> rnn = {t({s.n, s.in}), state, t({s.hidden, s.in}),
                                    t({s.hidden, s.hidden})};
    if (s.bias)
      rnn.push_back(t({2 * s.hidden}));
    check(randomCase("rnn " + s.name, "strata.rnn_cell", rnn, {state},
                     s.attributes, tol));
  }
}

} // namespace
} // namespace strata::testing
