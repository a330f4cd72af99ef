//===- OnnxTrainingGradientTest.cpp - BPTT through an ONNX LSTM ------------===//
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
// h = 1e-6.
//
//===----------------------------------------------------------------------===//

#include "gradients/GradientChecking.h"

#include "frontends/onnx/ImportOnnx.h"
#include "frontends/onnx/TrainingGraph.h"
#include "passes/Passes.h"

#include "mlir/Pass/PassManager.h"

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
    auto param =
        module->lookupSymbol<strata::ParameterOp>(of.getAttr());
    ASSERT_TRUE(param);
    std::string onnxName =
        param->getAttrOfType<mlir::StringAttr>("onnx.name").getValue().str();
    checked.insert(onnxName);
    Tensor &value = env.parameters.at(of.getValue().str());
    const Tensor &g = (*analytic)[r];
    ASSERT_EQ(g.shape(), value.shape()) << onnxName;
    for (int64_t j = 0; j < value.numElements(); ++j) {
      double x0 = value.get(j);
      // GradientCheckTest's central difference, on a parameter.
      value.set(j, x0 + options.h);
      double plus = lossAt();
      value.set(j, x0 - options.h);
      double minus = lossAt();
      value.set(j, x0);
      double numeric = (plus - minus) / (2 * options.h);
      EXPECT_NEAR(g.get(j), numeric, options.tol * (1 + std::fabs(numeric)))
          << "d loss / d " << onnxName << "[" << j << "]";
    }
  }
  EXPECT_EQ(checked, (std::set<std::string>{"W", "R", "B", "Wc", "bc"}));
}

} // namespace
