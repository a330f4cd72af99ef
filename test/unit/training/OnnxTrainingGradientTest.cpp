//===- OnnxTrainingGradientTest.cpp - BPTT through an ONNX LSTM -----------===//
//
// `stratac --train` end to end, in float64: an ONNX LSTM classifier (seq 6,
// batch 4, input 5, hidden 8, a Gemm to 3 classes on the last hidden state;
// test/frontends/onnx/Inputs/train-lstm-f64.onnx) is imported with trainable
// initializers, turned into @train with softmax cross-entropy, and
// differentiated by --strata-autodiff. Every element of every parameter's
// gradient in @train_grad (the LSTM's W, R, B included, so the recurrent
// weights' gradient is back-propagation through the six unrolled time steps)
// is compared with the central difference of @train's loss, both evaluated in
// the reference evaluator: |analytic - numeric| <= 1e-6 (1 + |numeric|) with
// h = 1e-6. A second test computes the MLP model's losses and metrics with
// plain loops.
//
//===----------------------------------------------------------------------===//

#include "gradients/GradientChecking.h"

#include "frontends/onnx/ImportOnnx.h"
#include "frontends/onnx/TrainingGraph.h"
#include "passes/Passes.h"

#include "mlir/Pass/PassManager.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

using namespace strata::testing;

namespace {

class OnnxTrainingGradientTest : public GradientCheckTest {};

TEST_F(OnnxTrainingGradientTest, LstmClassifierGradientsMatchCentralDiff) {
  mlir::DialectRegistry registry;
  registry.insert<strata::StrataDialect, mlir::func::FuncDialect>();
  mlir::MLIRContext context(registry);
  context.loadAllAvailableDialects();

  strata::onnx_import::OnnxImportOptions importOptions;
  importOptions.paramsTrainable = true;
  strata::onnx_import::OnnxImportError importError;
  auto module = strata::onnx_import::importOnnxModelFile(
      STRATA_ONNX_TEST_INPUTS "/train-lstm-f64.onnx", context, importOptions,
      importError);
  ASSERT_TRUE(module) << importError.message;
  std::string error;
  ASSERT_TRUE(strata::onnx_import::buildTrainingFunction(
      *module, strata::onnx_import::TrainingOptions(), error))
      << error;
  mlir::PassManager pm(&context);
  pm.addPass(strata::createStrataInferShapes());
  pm.addPass(strata::createStrataCanonicalize());
  pm.addPass(strata::createStrataAutodiff());
  ASSERT_TRUE(mlir::succeeded(pm.run(*module)));

  auto train = module->lookupSymbol<mlir::func::FuncOp>("train");
  auto grad = module->lookupSymbol<mlir::func::FuncOp>("train_grad");
  ASSERT_TRUE(train && grad);
  // The LSTM really is unrolled into cells: one per time step.
  int cells = 0;
  train.walk([&](mlir::Operation *op) {
    cells += op->getName().getStringRef() == "strata.lstm_cell";
  });
  EXPECT_EQ(cells, 6);

  // Parameters from the initializers; one fixed batch and labels.
  ASSERT_FALSE(static_cast<bool>(env.initializeParameters(*module, 1)));
  env.dataInputs["x"] = {randomTensor(DType::f64, {6, 4, 5})};
  env.dataInputs["labels"] = {
      Tensor::fromInts(DType::i32, {4}, std::vector<int64_t>{2, 0, 1, 2})};
  auto analytic = strata::reference::evaluateFunction(grad, {}, env);
  ASSERT_TRUE(static_cast<bool>(analytic))
      << llvm::toString(analytic.takeError());

  auto lossAt = [&]() {
    auto out = strata::reference::evaluateFunction(train, {}, env);
    EXPECT_TRUE(static_cast<bool>(out)) << llvm::toString(out.takeError());
    return out ? (*out)[0].get(0) : 0.0;
  };
  Options options;
  std::set<std::string> checked;
  for (unsigned r = 0; r < grad.getNumResults(); ++r) {
    auto of =
        grad.getResultAttrOfType<mlir::FlatSymbolRefAttr>(r, "strata.grad_of");
    if (!of)
      continue;
    auto param = module->lookupSymbol<strata::ParameterOp>(of.getAttr());
    ASSERT_TRUE(param);
    std::string onnxName =
        param->getAttrOfType<mlir::StringAttr>("onnx.name").getValue().str();
    checked.insert(onnxName);
    Tensor &value = env.parameters.at(of.getValue().str());
    const Tensor &g = (*analytic)[r];
    ASSERT_EQ(g.shape(), value.shape()) << onnxName;
    for (int64_t j = 0; j < value.numElements(); ++j) {
      double x0 = value.get(j);
      double numeric = centralDifference(
          [&](double x) {
            value.set(j, x);
            return lossAt();
          },
          x0, options.h);
      value.set(j, x0);
      EXPECT_NEAR(g.get(j), numeric, options.tol * (1 + std::fabs(numeric)))
          << "d loss / d " << onnxName << "[" << j << "]";
    }
  }
  EXPECT_EQ(checked, (std::set<std::string>{"W", "R", "B", "Wc", "bc"}));
}

/// @train of Inputs/train-mlp.onnx (x [8, 20] -> Gemm(W1 [16, 20]^T, b1) ->
/// Relu -> MatMul(W2 [16, 5]) + b2 = logits; probs = softmax(logits)) for
/// each loss, against the same quantities computed here with plain loops from
/// the parameters' values: the loss each --loss builds and its metric.
TEST_F(OnnxTrainingGradientTest, MlpLossesAndMetricsMatchPlainLoops) {
  mlir::DialectRegistry registry;
  registry.insert<strata::StrataDialect, mlir::func::FuncDialect>();
  mlir::MLIRContext context(registry);
  context.loadAllAvailableDialects();
  const int64_t n = 8, in = 20, hidden = 16, classes = 5;
  Tensor x = randomTensor(DType::f32, {n, in});
  std::vector<int64_t> labelValues{0, 4, 1, 3, 2, 2, 4, 0};
  Tensor labels = Tensor::fromInts(DType::i32, {n}, labelValues);
  Tensor targets = randomTensor(DType::f32, {n, classes});

  using strata::onnx_import::LossKind;
  struct Case {
    LossKind loss;
    const char *output;
  };
  for (Case c : {Case{LossKind::SoftmaxCrossEntropy, "logits"},
                 Case{LossKind::CrossEntropy, "probs"},
                 Case{LossKind::MeanSquaredError, "logits"}}) {
    strata::onnx_import::OnnxImportOptions importOptions;
    importOptions.paramsTrainable = true;
    strata::onnx_import::OnnxImportError importError;
    auto module = strata::onnx_import::importOnnxModelFile(
        STRATA_ONNX_TEST_INPUTS "/train-mlp.onnx", context, importOptions,
        importError);
    ASSERT_TRUE(module) << importError.message;
    strata::onnx_import::TrainingOptions options;
    options.loss = c.loss;
    options.lossOutput = c.output;
    std::string error;
    ASSERT_TRUE(
        strata::onnx_import::buildTrainingFunction(*module, options, error))
        << error;
    strata::reference::Environment runEnv;
    ASSERT_FALSE(static_cast<bool>(runEnv.initializeParameters(*module, 1)));
    std::map<std::string, Tensor> byOnnxName;
    for (auto p : module->getOps<strata::ParameterOp>())
      byOnnxName.emplace(
          p->getAttrOfType<mlir::StringAttr>("onnx.name").getValue().str(),
          runEnv.parameters.at(p.getSymName().str()));
    ASSERT_EQ(byOnnxName.size(), 4u);
    const Tensor &w1 = byOnnxName.at("W1"), &b1 = byOnnxName.at("b1"),
                 &w2 = byOnnxName.at("W2"), &b2 = byOnnxName.at("b2");
    runEnv.dataInputs["x"] = {x};
    if (c.loss == LossKind::MeanSquaredError)
      runEnv.dataInputs["targets"] = {targets};
    else
      runEnv.dataInputs["labels"] = {labels};
    auto train = module->lookupSymbol<mlir::func::FuncOp>("train");
    ASSERT_TRUE(train);
    auto out = strata::reference::evaluateFunction(train, {}, runEnv);
    ASSERT_TRUE(static_cast<bool>(out)) << llvm::toString(out.takeError());
    ASSERT_EQ(out->size(), 2u);

    // The forward pass, the loss and the metric with loops.
    double loss = 0, metric = 0;
    for (int64_t r = 0; r < n; ++r) {
      std::vector<double> h(hidden), z(classes);
      for (int64_t j = 0; j < hidden; ++j) {
        double v = b1.get(j);
        for (int64_t k = 0; k < in; ++k)
          v += x.get(r * in + k) * w1.get(j * in + k);
        h[j] = v > 0 ? v : 0;
      }
      for (int64_t j = 0; j < classes; ++j) {
        z[j] = b2.get(j);
        for (int64_t k = 0; k < hidden; ++k)
          z[j] += h[k] * w2.get(k * classes + j);
      }
      double mx = *std::max_element(z.begin(), z.end()), sum = 0;
      for (double v : z)
        sum += std::exp(v - mx);
      int64_t label = labelValues[r];
      int64_t best = std::max_element(z.begin(), z.end()) - z.begin();
      switch (c.loss) {
      case LossKind::SoftmaxCrossEntropy:
        loss += (mx + std::log(sum) - z[label]) / n;
        metric += (best == label) / static_cast<double>(n);
        break;
      case LossKind::CrossEntropy:
        loss += -std::log(std::exp(z[label] - mx) / sum) / n;
        metric += (best == label) / static_cast<double>(n);
        break;
      default:
        for (int64_t j = 0; j < classes; ++j) {
          double d = z[j] - targets.get(r * classes + j);
          loss += d * d / (n * classes);
          metric += std::fabs(d) / (n * classes);
        }
      }
    }
    EXPECT_NEAR((*out)[0].get(0), loss, 1e-5 * (1 + std::fabs(loss)))
        << "loss, " << c.output;
    EXPECT_NEAR((*out)[1].get(0), metric, 1e-5 * (1 + std::fabs(metric)))
        << "metric, " << c.output;
  }
}

} // namespace
