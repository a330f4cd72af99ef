//===- stratac.cpp - The Strata compiler driver ---------------------------===//
//
// Reads a model (a SINGA job configuration, .conf, an ONNX model, .onnx, or
// strata IR, .mlir) and writes it in the strata dialect.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/ImportOnnx.h"
#include "frontends/singa/ImportJob.h"
#include "ir/StrataDialect.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

namespace cl = llvm::cl;

static cl::OptionCategory category("stratac options");
static cl::opt<std::string>
    inputFile(cl::Positional, cl::desc("<model file (.conf, .onnx or .mlir)>"),
              cl::Required, cl::cat(category));
static cl::opt<std::string>
    outputFile("o", cl::desc("Output file (default: stdout)"),
               cl::value_desc("file"), cl::init("-"), cl::cat(category));
enum class Emit { Mlir, MlirTrain };
static cl::opt<Emit> emit(
    "emit", cl::desc("What to write"),
    cl::values(clEnumValN(Emit::Mlir, "mlir", "strata dialect IR (default)"),
               clEnumValN(Emit::MlirTrain, "mlir-train",
                          "strata IR with the gradient function of each "
                          "training function (--strata-autodiff, or "
                          "--strata-contrastive-divergence for kCD jobs)")),
    cl::init(Emit::Mlir), cl::cat(category));
static cl::opt<bool> noOptimize("no-canonicalize",
                                cl::desc("Skip shape inference and "
                                         "canonicalization"),
                                cl::init(false), cl::cat(category));

static cl::opt<bool> onnxParamsTrainable(
    "onnx-params-trainable",
    cl::desc("ONNX: initializers become trainable strata.parameter "
             "declarations (value in `onnx.initializer`) instead of "
             "strata.constant"),
    cl::init(false), cl::cat(category));

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "stratac: compiles a model to Strata's IR\n\n"
      "  stratac model.conf|model.onnx|model.mlir [--emit=mlir|mlir-train] "
      "[-o out.mlir]\n\n"
      "  .conf: a SINGA v0.3 job configuration (protobuf text format)\n"
      "  .onnx: an ONNX model (binary ModelProto); see "
      "--onnx-params-trainable\n"
      "  .mlir: strata IR\n");

  llvm::StringRef ext = llvm::sys::path::extension(inputFile);
  if (ext != ".mlir" && ext != ".conf" && ext != ".onnx") {
    llvm::errs() << "stratac: " << inputFile << ": unsupported model format '"
                 << ext << "' (expected .conf, .onnx or .mlir)\n";
    return 1;
  }
  mlir::DialectRegistry registry;
  registry.insert<strata::StrataDialect, mlir::func::FuncDialect>();
  mlir::MLIRContext context(registry);
  mlir::OwningOpRef<mlir::ModuleOp> module;
  llvm::SourceMgr sourceMgr;
  std::unique_ptr<mlir::SourceMgrDiagnosticHandler> handler;
  if (ext == ".conf") {
    module = strata::singa::importJobFile(inputFile, context, llvm::errs());
    if (!module)
      return 1;
  } else if (ext == ".onnx") {
    strata::onnx_import::OnnxImportOptions options;
    options.paramsTrainable = onnxParamsTrainable;
    strata::onnx_import::OnnxImportError error;
    module = strata::onnx_import::importOnnxModelFile(inputFile, context,
                                                      options, error);
    if (!module) {
      llvm::errs() << "stratac: " << inputFile << ": " << error.message << "\n";
      return 1;
    }
  } else {
    std::string error;
    auto file = mlir::openInputFile(inputFile, &error);
    if (!file) {
      llvm::errs() << "stratac: " << error << "\n";
      return 1;
    }
    sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
    handler =
        std::make_unique<mlir::SourceMgrDiagnosticHandler>(sourceMgr, &context);
    module = mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
    if (!module)
      return 1;
  }
  if (!noOptimize) {
    mlir::PassManager pm(&context);
    pm.addPass(strata::createStrataInferShapes());
    pm.addPass(strata::createStrataCanonicalize());
    if (mlir::failed(pm.run(*module)))
      return 1;
  }
  if (emit == Emit::MlirTrain) {
    // Contrastive-divergence jobs (RBMs) are not back-propagation.
    bool cd = false;
    if (auto alg = (*module)->getAttrOfType<mlir::DictionaryAttr>("strata.alg"))
      if (auto name = alg.getAs<mlir::StringAttr>("alg"))
        cd = name.getValue() == "cd";
    mlir::PassManager pm(&context);
    if (cd)
      pm.addPass(strata::createStrataContrastiveDivergence());
    else
      pm.addPass(strata::createStrataAutodiff());
    if (!noOptimize)
      pm.addPass(strata::createStrataCanonicalize());
    if (mlir::failed(pm.run(*module)))
      return 1;
  }
  std::string error;
  auto output = mlir::openOutputFile(outputFile, &error);
  if (!output) {
    llvm::errs() << "stratac: " << error << "\n";
    return 1;
  }
  module->print(output->os());
  output->os() << "\n";
  output->keep();
  return 0;
}
