//===- stratac.cpp - The Strata compiler driver ---------------------------===//
//
// Reads a model and writes it in the strata dialect. Today the input is strata
// IR (.mlir); the SINGA job.conf and ONNX frontends plug in here.
//
//===----------------------------------------------------------------------===//

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
static cl::opt<std::string> inputFile(cl::Positional,
                                      cl::desc("<model file (.mlir)>"),
                                      cl::Required, cl::cat(category));
static cl::opt<std::string> outputFile("o", cl::desc("Output file (default: stdout)"),
                                       cl::value_desc("file"), cl::init("-"),
                                       cl::cat(category));
enum class Emit { Mlir };
static cl::opt<Emit> emit("emit", cl::desc("What to write"),
                          cl::values(clEnumValN(Emit::Mlir, "mlir",
                                                "strata dialect IR (default)")),
                          cl::init(Emit::Mlir), cl::cat(category));
static cl::opt<bool> noOptimize("no-canonicalize",
                                cl::desc("Skip shape inference and "
                                         "canonicalization"),
                                cl::init(false), cl::cat(category));

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "stratac: compiles a model to Strata's IR\n\n"
      "  stratac model.mlir [--emit=mlir] [-o out.mlir]\n");

  if (llvm::sys::path::extension(inputFile) != ".mlir") {
    llvm::errs() << "stratac: " << inputFile
                 << ": unsupported model format (expected .mlir; the job.conf "
                    "and ONNX frontends are not built yet)\n";
    return 1;
  }
  mlir::DialectRegistry registry;
  registry.insert<strata::StrataDialect, mlir::func::FuncDialect>();
  mlir::MLIRContext context(registry);
  std::string error;
  auto file = mlir::openInputFile(inputFile, &error);
  if (!file) {
    llvm::errs() << "stratac: " << error << "\n";
    return 1;
  }
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  mlir::SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;
  if (!noOptimize) {
    mlir::PassManager pm(&context);
    pm.addPass(strata::createStrataInferShapes());
    pm.addPass(strata::createStrataCanonicalize());
    if (mlir::failed(pm.run(*module)))
      return 1;
  }
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
