//===- ContrastiveDivergenceTest.cpp - CD-k gradients of an RBM -----------===//
//
// --strata-contrastive-divergence on a tiny RBM (B = 3, vdim = 4, hdim = 2),
// its @train_grad evaluated in the reference evaluator and compared with the
// same CD-k chain computed here in plain loops: the samples are drawn from
// the same Philox stream (runtime/support/Philox.h, the semantics of
// strata.bernoulli_sample / strata.gaussian_sample), so the chain is the same
// one and the gradients and reconstruction error must match the formulas of
// docs/TRAINING.md.
//
//===----------------------------------------------------------------------===//

#include "EvaluatorTesting.h"

#include "passes/Passes.h"
#include "runtime/support/Philox.h"

#include "mlir/Pass/PassManager.h"

#include <cmath>

using namespace strata::testing;

namespace {

constexpr int64_t B = 3, V = 4, H = 2;

/// What the plain loops compute.
struct Expected {
  std::vector<double> gw, gb, gc;
  double error = 0;
  int64_t counter = 0;
  /// Every sample drawn, to check the chain is not degenerate.
  std::vector<double> samples;
};

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

/// CD-k in plain loops. `round` rounds each op's result to the element type
/// (the evaluator computes each op in double and rounds once on store).
Expected cdByHand(const std::vector<double> &v0, const std::vector<double> &w,
                  const std::vector<double> &b, const std::vector<double> &c,
                  int64_t k, bool gaussian, uint64_t key, uint64_t counter,
                  double (*round)(double)) {
  // h = act(v W^T + c), v = sigmoid(hs W + b); W is [H, V].
  auto hidden = [&](const std::vector<double> &v) {
    std::vector<double> h(B * H);
    for (int64_t n = 0; n < B; ++n)
      for (int64_t j = 0; j < H; ++j) {
        double s = 0;
        for (int64_t i = 0; i < V; ++i)
          s += v[n * V + i] * w[j * V + i];
        double pre = round(s + c[j]);
        h[n * H + j] = gaussian ? pre : round(sigmoid(pre));
      }
    return h;
  };
  auto visible = [&](const std::vector<double> &hs) {
    std::vector<double> v(B * V);
    for (int64_t n = 0; n < B; ++n)
      for (int64_t i = 0; i < V; ++i) {
        double s = 0;
        for (int64_t j = 0; j < H; ++j)
          s += hs[n * H + j] * w[j * V + i];
        v[n * V + i] = round(sigmoid(round(s + b[i])));
      }
    return v;
  };
  Expected e;
  std::vector<double> h0 = hidden(v0), h = h0, v = v0;
  for (int64_t step = 0; step < k; ++step) {
    std::vector<double> hs(B * H);
    for (int64_t idx = 0; idx < B * H; ++idx) {
      hs[idx] =
          gaussian
              ? round(h[idx] + strata::random::philoxNormal(key, counter, idx))
              : (strata::random::philoxUniform(key, counter, idx) < h[idx]
                     ? 1.0
                     : 0.0);
      e.samples.push_back(hs[idx]);
    }
    counter += B * H;
    v = visible(hs);
    h = hidden(v);
  }
  e.counter = static_cast<int64_t>(counter);
  e.gw.assign(H * V, 0);
  for (int64_t j = 0; j < H; ++j)
    for (int64_t i = 0; i < V; ++i) {
      double s = 0;
      for (int64_t n = 0; n < B; ++n)
        s += h[n * H + j] * v[n * V + i] - h0[n * H + j] * v0[n * V + i];
      e.gw[j * V + i] = s / B;
    }
  e.gb.assign(V, 0);
  for (int64_t i = 0; i < V; ++i) {
    for (int64_t n = 0; n < B; ++n)
      e.gb[i] += v[n * V + i] - v0[n * V + i];
    e.gb[i] /= B;
  }
  e.gc.assign(H, 0);
  for (int64_t j = 0; j < H; ++j) {
    for (int64_t n = 0; n < B; ++n)
      e.gc[j] += h[n * H + j] - h0[n * H + j];
    e.gc[j] /= B;
  }
  for (int64_t x = 0; x < B * V; ++x)
    e.error += (v0[x] - v[x]) * (v0[x] - v[x]);
  e.error /= B;
  return e;
}

double exact(double x) { return x; }
double toFloat(double x) { return static_cast<float>(x); }

class ContrastiveDivergenceTest : public EvaluatorTest {
protected:
  /// The train function as the SINGA frontend writes it for one RBM:
  /// v0 and the positive phase h0 as results, the random state threaded.
  /// With `test`, the units are named and a @test function returns them
  /// for the test batch.
  std::string module(const std::string &t, int64_t k, bool gaussian,
                     const std::string &updater = "", bool test = false) {
    auto ty = [&](const std::string &shape) {
      return "tensor<" + shape + "x" + t + ">";
    };
    std::string vt = ty("3x4"), ht = ty("3x2"), wt = ty("2x4"), bt = ty("4"),
                ct = ty("2");
    std::string init = "{init = #strata.init<kind = constant>}";
    std::string s =
        "module attributes {strata.alg = {alg = \"cd\", cd_k = " +
        std::to_string(k) + " : i64}" + updater +
        "} {\n"
        "  strata.parameter @w : " +
        wt + " " + init + "\n  strata.parameter @b : " + bt + " " + init +
        "\n  strata.parameter @wt : " + wt +
        " {init = #strata.init<kind = constant>, share_from = @w}\n"
        "  strata.parameter @c : " +
        ct + " " + init +
        "\n"
        "  func.func @train(%rng: tensor<2xi64> {strata.name = \"rng\"}, %v: " +
        vt + ") -> (" + vt + (test ? " {strata.name = \"vis\"}" : "") + ", " +
        ht + (test ? " {strata.name = \"hid\"}" : "") +
        ", tensor<2xi64> {strata.name = \"rng\"}) attributes {strata.phase = "
        "#strata.phase<train>, strata.rbm = [{visible = 0 : i64, hidden = 1 : "
        "i64, weight = @w, hidden_weight = @wt, visible_bias = @b, "
        "hidden_bias = @c, gaussian = " +
        (gaussian ? "true" : "false") +
        "}]} {\n"
        "    %wt = strata.param_value @wt : " +
        wt + "\n    %c = strata.param_value @c : " + ct +
        "\n    %0 = strata.inner_product %v, %wt, %c : (" + vt + ", " + wt +
        ", " + ct + ") -> " + ht + "\n";
    if (gaussian)
      s += "    return %v, %0, %rng : " + vt + ", " + ht + ", tensor<2xi64>\n";
    else
      s += "    %h = strata.sigmoid %0 : (" + ht + ") -> " + ht +
           "\n    return %v, %h, %rng : " + vt + ", " + ht +
           ", tensor<2xi64>\n";
    s += "  }\n";
    if (test) {
      // The test batch of 5 records; the hidden probabilities as in @train.
      std::string tv = ty("5x4"), th = ty("5x2");
      s += "  func.func @test(%v: " + tv + ") -> (" + tv +
           " {strata.name = \"vis\"}, " + th +
           " {strata.name = \"hid\"}) attributes {strata.phase = "
           "#strata.phase<test>} {\n"
           "    %wt = strata.param_value @wt : " +
           wt + "\n    %c = strata.param_value @c : " + ct +
           "\n    %0 = strata.inner_product %v, %wt, %c : (" + tv + ", " + wt +
           ", " + ct + ") -> " + th + "\n    %h = strata.sigmoid %0 : (" + th +
           ") -> " + th + "\n    return %v, %h : " + tv + ", " + th + "\n  }\n";
    }
    return s + "}\n";
  }

  /// Runs the pass (and the updater when asked) and evaluates `function`.
  std::vector<Tensor> evaluate(const std::string &src, bool updater,
                               const std::string &function,
                               std::vector<Tensor> args) {
    mlir::ModuleOp m = parse(src);
    if (!m)
      return {};
    mlir::PassManager pm(m.getContext());
    pm.addPass(strata::createStrataContrastiveDivergence());
    if (updater)
      pm.addPass(strata::createStrataUpdater());
    if (mlir::failed(pm.run(m))) {
      ADD_FAILURE() << "passes failed on\n" << src;
      return {};
    }
    auto fn = m.lookupSymbol<mlir::func::FuncOp>(function);
    EXPECT_TRUE(fn) << "no @" << function;
    if (!fn)
      return {};
    auto out = strata::reference::evaluateFunction(fn, args, env);
    if (!out) {
      ADD_FAILURE() << llvm::toString(out.takeError());
      return {};
    }
    return std::move(*out);
  }

  /// Checks @train_grad against the loops for CD-k.
  void check(DType dtype, int64_t k, bool gaussian, double tol) {
    std::string t = dtype == DType::f64 ? "f64" : "f32";
    SCOPED_TRACE(t + " CD-" + std::to_string(k) +
                 (gaussian ? " gaussian" : " binary"));
    auto rounded = [&](std::vector<double> x) {
      if (dtype == DType::f32)
        for (double &e : x)
          e = toFloat(e);
      return x;
    };
    // Visible data in [0, 1]; weights and biases so that the hidden
    // probabilities are away from 0 and 1 (the samples vary).
    std::vector<double> v0 = rounded(random(B * V, 0, 1));
    std::vector<double> w = rounded(random(H * V, -1, 1));
    std::vector<double> b = rounded(random(V, -0.5, 0.5));
    std::vector<double> c = rounded(random(H, -0.5, 0.5));
    env.parameters["w"] = Tensor::fromDoubles(dtype, {H, V}, w);
    env.parameters["b"] = Tensor::fromDoubles(dtype, {V}, b);
    env.parameters["c"] = Tensor::fromDoubles(dtype, {H}, c);
    const uint64_t key = 0x5eed, counter = 1000;
    auto out = evaluate(module(t, k, gaussian), false, "train_grad",
                        {Tensor::fromInts(DType::i64, {2},
                                          {static_cast<int64_t>(key),
                                           static_cast<int64_t>(counter)}),
                         Tensor::fromDoubles(dtype, {B, V}, v0)});
    // error, v0, h0, rng', gW, gb, gc
    ASSERT_EQ(out.size(), 7u);
    Expected e = cdByHand(v0, w, b, c, k, gaussian, key, counter,
                          dtype == DType::f64 ? exact : toFloat);
    EXPECT_NEAR(out[0].get(0), e.error, tol * (1 + e.error));
    expectTensorNear(out[1], {B, V}, v0, 0);
    ASSERT_EQ(out[3].numElements(), 2);
    EXPECT_EQ(out[3].getInt(0), static_cast<int64_t>(key));
    EXPECT_EQ(out[3].getInt(1), e.counter);
    EXPECT_EQ(e.counter, static_cast<int64_t>(counter + k * B * H));
    expectTensorNear(out[4], {H, V}, e.gw, tol);
    expectTensorNear(out[5], {V}, e.gb, tol);
    expectTensorNear(out[6], {H}, e.gc, tol);
    // The chain really sampled: binary samples take both values.
    if (!gaussian) {
      double ones = 0;
      for (double s : e.samples)
        ones += s;
      EXPECT_GT(ones, 0);
      EXPECT_LT(ones, static_cast<double>(e.samples.size()));
    }
    // The gradients are not trivially zero.
    double norm = 0;
    for (double g : e.gw)
      norm += g * g;
    EXPECT_GT(norm, 1e-6);
  }
};

// f64: the evaluator and the loops compute the same sums in double; only
// the order of additions may differ (tolerance 1e-12, absolute + relative).
TEST_F(ContrastiveDivergenceTest, BinaryCD1F64) {
  check(DType::f64, 1, false, 1e-12);
}
TEST_F(ContrastiveDivergenceTest, BinaryCD2F64) {
  check(DType::f64, 2, false, 1e-12);
}
TEST_F(ContrastiveDivergenceTest, BinaryCD3F64) {
  check(DType::f64, 3, false, 1e-12);
}
TEST_F(ContrastiveDivergenceTest, GaussianCD1F64) {
  check(DType::f64, 1, true, 1e-12);
}
TEST_F(ContrastiveDivergenceTest, GaussianCD2F64) {
  check(DType::f64, 2, true, 1e-12);
}
// f32 (the frontend's type): the loops round to float where the evaluator
// stores an op's result; the gradients' own arithmetic differs in rounding,
// so the tolerance is 1e-5.
TEST_F(ContrastiveDivergenceTest, BinaryCD1F32) {
  check(DType::f32, 1, false, 1e-5);
}
TEST_F(ContrastiveDivergenceTest, BinaryCD2F32) {
  check(DType::f32, 2, false, 1e-5);
}

// A test function returning the RBM's units gains the mean-field
// reconstruction error sum((v0 - sigmoid(h0 W + b))^2) / B as a loss, h0 the
// hidden probabilities (no sampling): computed here in plain loops.
TEST_F(ContrastiveDivergenceTest, TestFunctionReconstructionError) {
  const int64_t T = 5;
  std::vector<double> v0 = random(T * V, 0, 1), w = random(H * V, -1, 1),
                      b = random(V, -0.5, 0.5), c = random(H, -0.5, 0.5);
  env.parameters["w"] = Tensor::fromDoubles(DType::f64, {H, V}, w);
  env.parameters["b"] = Tensor::fromDoubles(DType::f64, {V}, b);
  env.parameters["c"] = Tensor::fromDoubles(DType::f64, {H}, c);
  auto out = evaluate(module("f64", 1, false, "", /*test=*/true), false, "test",
                      {Tensor::fromDoubles(DType::f64, {T, V}, v0)});
  // v0, h0, then the error.
  ASSERT_EQ(out.size(), 3u);
  double error = 0;
  for (int64_t n = 0; n < T; ++n) {
    std::vector<double> h(H);
    for (int64_t j = 0; j < H; ++j) {
      double s = c[j];
      for (int64_t i = 0; i < V; ++i)
        s += v0[n * V + i] * w[j * V + i];
      h[j] = sigmoid(s);
    }
    for (int64_t i = 0; i < V; ++i) {
      double s = b[i];
      for (int64_t j = 0; j < H; ++j)
        s += h[j] * w[j * V + i];
      double d = v0[n * V + i] - sigmoid(s);
      error += d * d;
    }
  }
  error /= T;
  EXPECT_GT(error, 0.01);
  EXPECT_NEAR(out[2].get(0), error, 1e-12 * (1 + error));
}

// The updater takes the CD gradients unchanged: plain SGD with rate 0.5
// gives w' = w - 0.5 gW, b' = b - 0.5 gb, c' = c - 0.5 gc, and the step
// returns the reconstruction error.
TEST_F(ContrastiveDivergenceTest, UpdaterStep) {
  std::vector<double> v0 = random(B * V, 0, 1), w = random(H * V, -1, 1),
                      b = random(V, -0.5, 0.5), c = random(H, -0.5, 0.5);
  const uint64_t key = 7, counter = 0;
  auto out = evaluate(
      module("f64", 1, false,
             ", strata.updater = {type = \"sgd\", learning_rate = {type = "
             "\"fixed\", base_lr = 0.5}}"),
      true, "train_step",
      {Tensor::fromDoubles(DType::f64, {H, V}, w),
       Tensor::fromDoubles(DType::f64, {V}, b),
       Tensor::fromDoubles(DType::f64, {H}, c),
       Tensor::fromInts(DType::i64, {}, {0}),
       Tensor::fromInts(
           DType::i64, {2},
           {static_cast<int64_t>(key), static_cast<int64_t>(counter)}),
       Tensor::fromDoubles(DType::f64, {B, V}, v0)});
  // w', b', c' (the parameters read, owners, in declaration order), then
  // the gradient function's own results: error, v0, h0, rng'.
  ASSERT_EQ(out.size(), 7u);
  Expected e = cdByHand(v0, w, b, c, 1, false, key, counter, exact);
  std::vector<double> w1(w), b1(b), c1(c);
  for (size_t i = 0; i < w.size(); ++i)
    w1[i] -= 0.5 * e.gw[i];
  for (size_t i = 0; i < b.size(); ++i)
    b1[i] -= 0.5 * e.gb[i];
  for (size_t i = 0; i < c.size(); ++i)
    c1[i] -= 0.5 * e.gc[i];
  expectTensorNear(out[0], {H, V}, w1, 1e-12);
  expectTensorNear(out[1], {V}, b1, 1e-12);
  expectTensorNear(out[2], {H}, c1, 1e-12);
  EXPECT_NEAR(out[3].get(0), e.error, 1e-12);
}

} // namespace
