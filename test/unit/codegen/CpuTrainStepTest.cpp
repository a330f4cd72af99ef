//===- CpuTrainStepTest.cpp - A whole training step, compiled -------------===//
//
// A SINGA job goes through the frontend, autodiff, the updater and
// --strata-inputs-to-arguments; its @train_step is then both evaluated by the
// reference evaluator and compiled for the CPU, on the same random
// parameters, optimizer state, batch and step number. Every result (new
// parameters, new state, loss, accuracy) must agree within
// 1e-4 * (1 + |want|): the evaluator computes in double, the compiled step
// in float, through two layers forward and back and the update. The step is
// compiled three ways: as one function; with every loop nest moved into a
// function of its own (the form long unrolled networks are compiled in); and
// with every loop nest whose outer dimension is parallel split among the
// OpenMP threads, run on 3 threads.
//
//===----------------------------------------------------------------------===//

#include "EvaluatorTesting.h"
#include "codegen/CompiledTesting.h"

#include "codegen/cpu/CpuCompiler.h"
#include "frontends/singa/ImportJob.h"
#include "passes/Passes.h"
#include "runtime/cpu/KernelLibrary.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include <cmath>

namespace strata::testing {
namespace {

using reference::DType;
using reference::Tensor;

/// How the step is compiled.
enum class Form { OneFunction, Extracted, Parallel };

class CpuTrainStepTest : public EvaluatorTest,
                         public ::testing::WithParamInterface<Form> {
protected:
  CpuTrainStepTest() {
    mlir::DialectRegistry registry;
    codegen::registerCpuCodegenDialects(registry);
    context()->appendDialectRegistry(registry);
    context()->loadAllAvailableDialects();
    strata::registerStrataPasses();
  }
};

std::vector<int64_t> shapeOf(mlir::Type t) {
  auto rt = mlir::cast<mlir::RankedTensorType>(t);
  return std::vector<int64_t>(rt.getShape().begin(), rt.getShape().end());
}

TEST_P(CpuTrainStepTest, SmallMlpStepMatchesTheReference) {
  std::string diagnostics;
  llvm::raw_string_ostream errs(diagnostics);
  auto module = singa::importJobFile(
      STRATA_CODEGEN_TEST_DIR "/Inputs/small-mlp.conf", *context(), errs);
  ASSERT_TRUE(module) << diagnostics;
  mlir::PassManager pm(context());
  ASSERT_TRUE(succeeded(mlir::parsePassPipeline(
      "strata-infer-shapes,strata-canonicalize,strata-autodiff,"
      "strata-canonicalize,strata-updater,strata-inputs-to-arguments",
      pm)));
  ASSERT_TRUE(succeeded(pm.run(*module)));
  auto step = module->lookupSymbol<mlir::func::FuncOp>("train_step");
  ASSERT_TRUE(step);

  // Random inputs: parameters and state in [-0.5, 0.5), the batch in
  // [-1, 1), labels in [0, 5), step 3 (after the first rate change).
  std::vector<Tensor> args;
  for (unsigned i = 0; i < step.getNumArguments(); ++i) {
    mlir::Type type = step.getArgumentTypes()[i];
    auto dtype = reference::dtypeOf(
        mlir::cast<mlir::RankedTensorType>(type).getElementType());
    ASSERT_TRUE(dtype);
    std::vector<int64_t> shape = shapeOf(type);
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    if (step.getArgAttr(i, "strata.step")) {
      args.push_back(Tensor::fromInts(*dtype, shape, {3}));
    } else if (*dtype == DType::i32) {
      std::vector<int64_t> labels;
      for (double v : random(n, 0, 5))
        labels.push_back(static_cast<int64_t>(v));
      args.push_back(Tensor::fromInts(*dtype, shape, labels));
    } else {
      bool param = static_cast<bool>(step.getArgAttr(i, "strata.param"));
      args.push_back(Tensor::fromDoubles(
          *dtype, shape, param ? random(n, -0.5, 0.5) : random(n, -1, 1)));
    }
  }
  auto want = reference::evaluateFunction(step, args, env);
  ASSERT_TRUE(static_cast<bool>(want)) << llvm::toString(want.takeError());

  // Compile a copy (compilation lowers in place).
  mlir::OwningOpRef<mlir::ModuleOp> copy(module->clone());
  codegen::CpuOptions options;
  if (GetParam() == Form::Extracted)
    options.extractLoopsAbove = 0;
  options.parallelMinIterations = GetParam() == Form::Parallel ? 1 : 0;
  auto so = codegen::compileToSharedObject(*copy, options);
  ASSERT_TRUE(succeeded(so));
  // The small step stays one function unless extraction is forced.
  if (GetParam() == Form::Extracted)
    EXPECT_GT(so->extractedLoops, 10u);
  else
    EXPECT_EQ(so->extractedLoops, 0u);
  if (GetParam() == Form::Parallel)
    EXPECT_GT(so->parallelLoops, 10u);
  else
    EXPECT_EQ(so->parallelLoops, 0u);
  int threads = runtime::kernelThreads();
  runtime::setKernelThreads(3);
  runtime::KernelLibrary library(so->bytes.data(), so->bytes.size(),
                                 "small-mlp");
  auto entry = library.entry("train_step");

  std::vector<Tensor> got = runEntry(entry, args, *want);
  runtime::setKernelThreads(threads);

  ASSERT_EQ(want->size(), step.getNumResults());
  int compared = 0;
  for (unsigned r = 0; r < want->size(); ++r) {
    const Tensor &w = (*want)[r];
    ASSERT_EQ(w.dtype(), DType::f32) << "result " << r;
    for (int64_t i = 0; i < w.numElements(); ++i, ++compared)
      EXPECT_LE(std::fabs(got[r].get(i) - w.get(i)),
                1e-4 * (1 + std::fabs(w.get(i))))
          << "result " << r << " element " << i << ": got " << got[r].get(i)
          << ", want " << w.get(i);
  }
  // Parameters and momentum of four tensors, loss and accuracy.
  EXPECT_EQ(compared, 2 * (16 * 20 + 16 + 5 * 16 + 5) + 2);
}

INSTANTIATE_TEST_SUITE_P(LoopNests, CpuTrainStepTest,
                         ::testing::Values(Form::OneFunction, Form::Extracted,
                                           Form::Parallel),
                         [](const ::testing::TestParamInfo<Form> &info) {
                           return info.param == Form::OneFunction
                                      ? "OneFunction"
                                  : info.param == Form::Extracted ? "Extracted"
                                                                  : "Parallel";
                         });

} // namespace
} // namespace strata::testing
