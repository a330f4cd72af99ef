//===- UpdaterTest.cpp - Learning-rate schedules and updaters -------------===//
//
// --strata-autodiff then --strata-updater on a one-parameter model whose
// loss is 0.5 * sum(w * w) (so the gradient is w), evaluated in the
// reference evaluator; the expected values are worked by hand from the
// formulas in docs/TRAINING.md.
//
//===----------------------------------------------------------------------===//

#include "EvaluatorTesting.h"

#include "passes/Passes.h"

#include "mlir/Pass/PassManager.h"

using namespace strata::testing;

namespace {

class UpdaterTest : public EvaluatorTest {
protected:
  /// @train_step's results for w (1 element) and the given state values at
  /// `step`, under `updater` (the inside of strata.updater's dictionary).
  std::vector<Tensor> step(const std::string &updater, double w,
                           std::vector<double> state, int64_t stepIndex) {
    std::string src =
        "module attributes {strata.updater = {" + updater +
        "}} {\n"
        "  strata.parameter @w : tensor<1xf32> {init = "
        "#strata.init<kind = constant, value = 1.0>}\n"
        "  func.func @train() -> tensor<f32> attributes {strata.phase = "
        "#strata.phase<train>} {\n"
        "    %w = strata.param_value @w : tensor<1xf32>\n"
        "    %0 = strata.mul %w, %w : (tensor<1xf32>, tensor<1xf32>) -> "
        "tensor<1xf32>\n"
        "    %1 = strata.reduce_sum %0 {keepdims = false} : (tensor<1xf32>) "
        "-> tensor<f32>\n"
        "    %h = strata.constant dense<0.5> : tensor<f32>\n"
        "    %2 = strata.mul %1, %h : (tensor<f32>, tensor<f32>) -> "
        "tensor<f32>\n"
        "    return %2 : tensor<f32>\n"
        "  }\n"
        "}\n";
    mlir::ModuleOp module = parse(src);
    if (!module)
      return {};
    mlir::PassManager pm(module.getContext());
    pm.addPass(strata::createStrataAutodiff());
    pm.addPass(strata::createStrataUpdater());
    if (mlir::failed(pm.run(module))) {
      ADD_FAILURE() << "passes failed for " << updater;
      return {};
    }
    auto fn = module.lookupSymbol<mlir::func::FuncOp>("train_step");
    EXPECT_TRUE(fn);
    if (!fn)
      return {};
    std::vector<Tensor> args{Tensor::fromDoubles(DType::f32, {1}, {w})};
    for (double s : state)
      args.push_back(Tensor::fromDoubles(DType::f32, {1}, {s}));
    args.push_back(Tensor::fromInts(DType::i64, {}, {stepIndex}));
    EXPECT_EQ(fn.getNumArguments(), args.size()) << updater;
    auto out = strata::reference::evaluateFunction(fn, args, env);
    if (!out) {
      ADD_FAILURE() << llvm::toString(out.takeError());
      return {};
    }
    return std::move(*out);
  }

  /// The learning rate at `stepIndex`: plain SGD from w = 1 with gradient 1
  /// gives w' = 1 - lr.
  double rate(const std::string &schedule, int64_t stepIndex) {
    auto out = step("type = \"sgd\", learning_rate = {" + schedule + "}", 1.0,
                    {}, stepIndex);
    return out.empty() ? -1 : 1.0 - out[0].get(0);
  }
};

TEST_F(UpdaterTest, Schedules) {
  const double tol = 1e-6;
  EXPECT_NEAR(rate("type = \"fixed\", base_lr = 0.1", 7), 0.1, tol);
  // step: base * gamma^floor(step / freq) = 0.1 * 0.5^2 at step 25.
  std::string stepSchedule =
      "type = \"step\", base_lr = 0.1, step_gamma = 0.5, step_change_freq = "
      "10 : i64";
  EXPECT_NEAR(rate(stepSchedule, 25), 0.025, tol);
  EXPECT_NEAR(rate(stepSchedule, 9), 0.1, tol);
  EXPECT_NEAR(rate(stepSchedule, 10), 0.05, tol);
  // fixed_step: the rate of the last step passed (strictly), 0 before.
  std::string fixed = "type = \"fixed_step\", fixed_steps = array<i64: 5, "
                      "10>, fixed_step_lrs = array<f64: 0.1, 0.01>";
  EXPECT_NEAR(rate(fixed, 3), 0.0, tol);
  EXPECT_NEAR(rate(fixed, 7), 0.1, tol);
  EXPECT_NEAR(rate(fixed, 10), 0.1, tol);
  EXPECT_NEAR(rate(fixed, 12), 0.01, tol);
  // linear: (1 - r) base + r final, r = step / freq = 0.5.
  EXPECT_NEAR(rate("type = \"linear\", base_lr = 0.1, linear_final_lr = "
                   "0.01, linear_change_freq = 100 : i64",
                   50),
              0.055, tol);
  // exponential: base / 2^(step / freq) = 0.1 / 4.
  EXPECT_NEAR(rate("type = \"exponential\", base_lr = 0.1, "
                   "exponential_change_freq = 10 : i64",
                   20),
              0.025, tol);
  // inverse: base (1 + gamma step)^-pow = 0.1 * 4^-0.5.
  EXPECT_NEAR(rate("type = \"inverse\", base_lr = 0.1, inverse_gamma = 0.01, "
                   "inverse_pow = 0.5",
                   300),
              0.05, tol);
  // inverse_t: base / (1 + step / final) = 0.1 / 101.
  EXPECT_NEAR(rate("type = \"inverse_t\", base_lr = 0.1, inverset_final_lr = "
                   "0.05",
                   5),
              0.1 / 101, tol);
}

TEST_F(UpdaterTest, Updaters) {
  const double tol = 1e-5;
  const std::string lr = "learning_rate = {type = \"fixed\", base_lr = 0.1}";
  // SGD with momentum 0.9 and weight decay 0.01 from w = 2, history 0.5:
  // g = 2 + 0.01 * 2 = 2.02; h' = 0.9 * 0.5 - 0.1 * 2.02 = 0.248; w' = 2.248.
  auto out = step("type = \"sgd\", momentum = 0.9, weight_decay = 0.01, " + lr,
                  2, {0.5}, 0);
  ASSERT_EQ(out.size(), 3u); // w', h', loss
  EXPECT_NEAR(out[0].get(0), 2.248, tol);
  EXPECT_NEAR(out[1].get(0), 0.248, tol);
  EXPECT_NEAR(out[2].get(0), 2.0, tol); // the loss of w = 2
  // Plain SGD: w' = 2 - 0.1 * 2.
  out = step("type = \"sgd\", " + lr, 2, {}, 0);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_NEAR(out[0].get(0), 1.8, tol);
  // Nesterov: h' = 0.9 * 0.5 + 0.1 * 2 = 0.65; w' = 2 - (1.9 * 0.65 - 0.45).
  out = step("type = \"nesterov\", momentum = 0.9, " + lr, 2, {0.5}, 0);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_NEAR(out[1].get(0), 0.65, tol);
  EXPECT_NEAR(out[0].get(0), 1.215, tol);
  // AdaGrad: h' = 0.5 + 4 = 4.5; w' = 2 - 0.2 / sqrt(4.5 + 1e-8).
  out = step("type = \"ada_grad\", delta = 1.0e-8, " + lr, 2, {0.5}, 0);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_NEAR(out[1].get(0), 4.5, tol);
  EXPECT_NEAR(out[0].get(0), 2 - 0.2 / std::sqrt(4.5), tol);
  // RMSProp (rho 0.9): h' = 0.45 + 0.4 = 0.85; w' = 2 - 0.2 / sqrt(0.85).
  out =
      step("type = \"rmsprop\", rho = 0.9, delta = 1.0e-8, " + lr, 2, {0.5}, 0);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_NEAR(out[1].get(0), 0.85, tol);
  EXPECT_NEAR(out[0].get(0), 2 - 0.2 / std::sqrt(0.85), tol);
  // AdaDelta (rho 0.9), history 0.5, update 0.04: h' = 0.85,
  // d = 2 sqrt(0.04) / sqrt(0.85), u' = 0.9 * 0.04 + 0.1 d^2, w' = 2 - d.
  out = step("type = \"ada_delta\", rho = 0.9, delta = 1.0e-8, " + lr, 2,
             {0.5, 0.04}, 0);
  ASSERT_EQ(out.size(), 4u);
  double d = 2 * 0.2 / std::sqrt(0.85);
  EXPECT_NEAR(out[0].get(0), 2 - d, tol);
  EXPECT_NEAR(out[1].get(0), 0.85, tol);
  EXPECT_NEAR(out[2].get(0), 0.036 + 0.1 * d * d, tol);
  // Adam at step 0 (t = 1) from m = v = 0: m' = 0.2, v' = 0.004, the
  // corrected m / sqrt(v) = 2 / 2: w' = 2 - 0.1.
  out =
      step("type = \"adam\", beta1 = 0.9, beta2 = 0.999, delta = 1.0e-8, " + lr,
           2, {0, 0}, 0);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_NEAR(out[0].get(0), 1.9, tol);
  EXPECT_NEAR(out[1].get(0), 0.2, tol);
  EXPECT_NEAR(out[2].get(0), 0.004, tol);
  // Adam at step 1 (t = 2) from m = 0.2, v = 0.004, w = 1.9 (g = 1.9):
  // m' = 0.18 + 0.19 = 0.37, v' = 0.003996 + 0.001 * 3.61 = 0.007606,
  // w' = 1.9 - 0.1 (0.37 / 0.19) / (sqrt(0.007606 / 0.001999) + 1e-8).
  out =
      step("type = \"adam\", beta1 = 0.9, beta2 = 0.999, delta = 1.0e-8, " + lr,
           1.9, {0.2, 0.004}, 1);
  ASSERT_EQ(out.size(), 4u);
  double mh = 0.37 / 0.19, vh = 0.007606 / (1 - 0.999 * 0.999);
  EXPECT_NEAR(out[0].get(0), 1.9 - 0.1 * mh / std::sqrt(vh), tol);
  // AdaMax at step 0: m' = 0.2, u' = max(0, |2|) = 2, w' = 2 - (0.1 / 0.1)
  // * 0.2 / 2.
  out = step("type = \"adam_max\", beta1 = 0.9, beta2 = 0.999, delta = "
             "1.0e-8, " +
                 lr,
             2, {0, 0}, 0);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_NEAR(out[0].get(0), 1.9, tol);
  EXPECT_NEAR(out[2].get(0), 2.0, tol);
}

TEST_F(UpdaterTest, Clipping) {
  // lr_scale and wd_scale come from the parameter; with clip_high >
  // clip_low the gradient (2) is clipped to 0.5 first: w' = 2 - 0.1 * 0.5.
  auto out = step("type = \"sgd\", clip_low = -0.5, clip_high = 0.5, "
                  "learning_rate = {type = \"fixed\", base_lr = 0.1}",
                  2, {}, 0);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_NEAR(out[0].get(0), 1.95, 1e-6);
}

} // namespace
