//===- stratac.cpp - The Strata compiler driver ---------------------------===//
//
// Reads a model (a SINGA job configuration, .conf, an ONNX model, .onnx, or
// strata IR, .mlir) and writes it in the strata dialect, or compiles it to an
// artifact (-o model.strata or --emit=artifact) that strata-run runs.
//
//===----------------------------------------------------------------------===//

#include "codegen/artifact/ArtifactWriter.h"
#include "codegen/cpu/CpuCompiler.h"
#include "frontends/onnx/ImportOnnx.h"
#include "frontends/onnx/TrainingGraph.h"
#include "frontends/singa/ImportJob.h"
#include "ir/StrataDialect.h"
#include "passes/Passes.h"
#include "runtime/support/AtomicFile.h"
#include "runtime/support/Error.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
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
enum class Emit { Mlir, MlirTrain, Artifact };
static cl::opt<Emit> emit(
    "emit", cl::desc("What to write"),
    cl::values(clEnumValN(Emit::Mlir, "mlir", "strata dialect IR (default)"),
               clEnumValN(Emit::MlirTrain, "mlir-train",
                          "strata IR with the gradient function of each "
                          "training function (--strata-autodiff, or "
                          "--strata-contrastive-divergence for kCD jobs)"),
               clEnumValN(Emit::Artifact, "artifact",
                          "a compiled artifact for strata-run (the default "
                          "when -o names a .strata file)")),
    cl::init(Emit::Mlir), cl::cat(category));
static cl::opt<bool> noOptimize("no-canonicalize",
                                cl::desc("Skip shape inference and "
                                         "canonicalization"),
                                cl::init(false), cl::cat(category));

static cl::opt<std::string>
    target("target", cl::desc("Artifact target: cpu (the only one so far)"),
           cl::value_desc("target"), cl::init("cpu"), cl::cat(category));
static cl::opt<std::string>
    cpu("cpu",
        cl::desc("Artifact: the CPU the kernels are compiled for (default "
                 "x86-64, runs on any x86-64 machine; native: this machine's)"),
        cl::value_desc("name"), cl::init("x86-64"), cl::cat(category));

static cl::opt<int64_t>
    batchSize("batch",
              cl::desc("Artifact: the size of every dynamic dimension of the "
                       "model's inputs (an artifact has static shapes; "
                       "default 1)"),
              cl::value_desc("N"), cl::init(1), cl::cat(category));

static cl::opt<bool> memoryReport(
    "strata-memory-report",
    cl::desc("Artifact: print each compiled function's memory plan (the "
             "arena's planned peak against the sum of its buffers)"),
    cl::init(false), cl::cat(category));

static cl::opt<bool> timing(
    "timing",
    cl::desc("Artifact: print how long each compilation stage took (the "
             "strata passes, lowering, LLVM optimization, code generation)"),
    cl::init(false), cl::cat(category));

static cl::opt<uint64_t> extractLoopsAbove(
    "extract-loops-above",
    cl::desc("Artifact: move every outermost loop nest into a function of "
             "its own when the kernels have more LLVM instructions than "
             "this (compile time of long unrolled nets; default 10000)"),
    cl::value_desc("N"), cl::init(10000), cl::Hidden, cl::cat(category));

static cl::opt<bool> noParallelLoops(
    "no-parallel-loops",
    cl::desc("Artifact: run every loop nest on one thread instead of "
             "splitting the big ones among the runtime's OpenMP threads (to "
             "compare)"),
    cl::init(false), cl::cat(category));

static cl::opt<bool> noPlanMemory(
    "no-plan-memory",
    cl::desc("Artifact: allocate every intermediate separately instead of "
             "planning one arena (to compare)"),
    cl::init(false), cl::cat(category));
static cl::opt<bool> noLibraryCalls(
    "no-library-calls",
    cl::desc("Artifact: compile convolutions and matrix products as loops "
             "instead of calling oneDNN (to compare)"),
    cl::init(false), cl::cat(category));

static cl::opt<bool> onnxParamsTrainable(
    "onnx-params-trainable",
    cl::desc("ONNX: initializers become trainable strata.parameter "
             "declarations (value in `onnx.initializer`) instead of "
             "strata.constant"),
    cl::init(false), cl::cat(category));

static cl::OptionCategory
    trainCategory("ONNX training (stratac model.onnx --train)");
static cl::opt<bool> train(
    "train",
    cl::desc("ONNX: build @train, one training step's forward pass: "
             "initializers become trainable parameters, graph inputs and the "
             "labels / targets data inputs (strata.data_input, named after "
             "the inputs; \"labels\", \"targets\"), results the loss "
             "(strata.loss) and a metric. With --emit=mlir-train also "
             "@train_grad; `strata-opt --strata-updater` then builds "
             "@train_step"),
    cl::init(false), cl::cat(trainCategory));
static cl::opt<std::string> loss(
    "loss",
    cl::desc("With --train: softmax-cross-entropy (default; [N, C] logits, "
             "i32 labels [N]), cross-entropy ([N, C] probabilities, i32 "
             "labels [N]), mse (mean of (output - targets)^2, targets of the "
             "output's type) or none (the output is the loss: one element)"),
    cl::value_desc("kind"), cl::init("softmax-cross-entropy"),
    cl::cat(trainCategory));
static cl::opt<std::string>
    lossOutput("loss-output",
               cl::desc("With --train: the graph output the loss applies to "
                        "(default: the first)"),
               cl::value_desc("name"), cl::cat(trainCategory));
static cl::opt<std::string> updater(
    "updater",
    cl::desc("With --train: the module's strata.updater: sgd (default), "
             "nesterov, adagrad, rmsprop, adadelta, adam or adammax"),
    cl::value_desc("type"), cl::init("sgd"), cl::cat(trainCategory));
static cl::opt<double>
    learningRate("lr",
                 cl::desc("With --train: the fixed learning rate (default "
                          "0.01; adam, adammax 0.001; adadelta 1)"),
                 cl::value_desc("rate"), cl::cat(trainCategory));
static cl::opt<double>
    momentum("momentum",
             cl::desc("With --train: momentum of sgd and nesterov (default 0; "
                      "nesterov 0.9)"),
             cl::value_desc("m"), cl::cat(trainCategory));
static cl::opt<double>
    weightDecay("weight-decay",
                cl::desc("With --train: L2 weight decay (default 0)"),
                cl::value_desc("wd"), cl::init(0.0), cl::cat(trainCategory));

/// --train's options are refused without it, and --train on a non-ONNX file.
static bool checkTrainingOptions(llvm::StringRef ext) {
  if (train) {
    if (ext != ".onnx") {
      llvm::errs() << "stratac: " << inputFile
                   << ": --train takes an ONNX model (.onnx); a SINGA job "
                      "(.conf) brings its own @train, and strata IR (.mlir) "
                      "is trained with --emit=mlir-train\n";
      return false;
    }
    if (!strata::onnx_import::parseLossKind(loss)) {
      llvm::errs() << "stratac: --loss=" << loss
                   << ": unknown loss (expected softmax-cross-entropy, "
                      "cross-entropy, mse or none)\n";
      return false;
    }
    if (!strata::onnx_import::isUpdaterName(updater)) {
      llvm::errs() << "stratac: --updater=" << updater
                   << ": unknown updater (expected sgd, nesterov, adagrad, "
                      "rmsprop, adadelta, adam or adammax)\n";
      return false;
    }
    return true;
  }
  for (cl::Option *o : std::initializer_list<cl::Option *>{
           &loss, &lossOutput, &updater, &learningRate, &momentum,
           &weightDecay})
    if (o->getNumOccurrences()) {
      llvm::errs() << "stratac: --" << o->ArgStr << " needs --train\n";
      return false;
    }
  return true;
}

/// Whether `module` holds a training function (SINGA's @train, ONNX --train).
static bool hasTrainFunction(mlir::ModuleOp module) {
  auto fn = module.lookupSymbol<mlir::func::FuncOp>("train");
  return fn && !fn.isExternal();
}

/// Builds what the runtime runs (the training step, inputs as arguments),
/// compiles the scheduled functions and writes the artifact atomically.
static bool writeArtifact(mlir::ModuleOp module) {
  using strata::codegen::ScheduleRequest;
  if (target != "cpu") {
    llvm::errs() << "stratac: --target=" << target
                 << ": unknown target (expected cpu)\n";
    return false;
  }
  if (outputFile == "-") {
    llvm::errs() << "stratac: an artifact is binary: name a file with -o "
                    "FILE.strata\n";
    return false;
  }
  mlir::MLIRContext *context = module.getContext();
  mlir::DialectRegistry registry;
  strata::codegen::registerCpuCodegenDialects(registry);
  context->appendDialectRegistry(registry);
  context->loadAllAvailableDialects();

  if (batchSize < 1) {
    llvm::errs() << "stratac: --batch=" << batchSize
                 << ": must be at least 1\n";
    return false;
  }
  // Dynamic input sizes become --batch; shape inference carries them on.
  for (auto fn : module.getOps<mlir::func::FuncOp>()) {
    if (fn.isExternal())
      continue;
    llvm::SmallVector<mlir::Type> args;
    for (mlir::BlockArgument arg : fn.getArguments()) {
      auto t = llvm::dyn_cast<mlir::RankedTensorType>(arg.getType());
      if (t && !t.hasStaticShape()) {
        llvm::SmallVector<int64_t> shape(t.getShape());
        for (int64_t &d : shape)
          if (mlir::ShapedType::isDynamic(d))
            d = batchSize;
        arg.setType(t.clone(shape));
      }
      args.push_back(arg.getType());
    }
    fn.setType(mlir::FunctionType::get(context, args, fn.getResultTypes()));
  }
  // The report goes to stderr when the manager is destroyed.
  mlir::DefaultTimingManager timingManager;
  timingManager.setEnabled(timing);
  mlir::TimingScope rootTiming = timingManager.getRootScope();
  bool training = hasTrainFunction(module);
  mlir::PassManager pm(context);
  mlir::TimingScope strataTiming = rootTiming.nest("strata passes");
  pm.enableTiming(strataTiming);
  pm.addPass(strata::createStrataInferShapes());
  if (training) {
    bool cd = false;
    if (auto alg = module->getAttrOfType<mlir::DictionaryAttr>("strata.alg"))
      if (auto name = alg.getAs<mlir::StringAttr>("alg"))
        cd = name.getValue() == "cd";
    if (cd)
      pm.addPass(strata::createStrataContrastiveDivergence());
    else
      pm.addPass(strata::createStrataAutodiff());
    pm.addPass(strata::createStrataCanonicalize());
    pm.addPass(strata::createStrataUpdater());
  }
  pm.addPass(strata::createStrataInputsToArguments());
  pm.addPass(strata::createStrataCanonicalize());
  if (mlir::failed(pm.run(module)))
    return false;
  strataTiming.stop();

  // The schedules: SINGA's phases, or an ONNX graph's inference.
  std::vector<ScheduleRequest> requests;
  auto add = [&](ScheduleRequest::Phase phase, llvm::StringRef name) {
    if (auto fn = module.lookupSymbol<mlir::func::FuncOp>(name))
      if (!fn.isExternal())
        requests.push_back({phase, name.str()});
  };
  add(ScheduleRequest::Phase::train, "train_step");
  add(ScheduleRequest::Phase::validate, "val");
  add(ScheduleRequest::Phase::test, "test");
  if (!training)
    add(ScheduleRequest::Phase::infer, "main");
  if (requests.empty()) {
    llvm::errs() << "stratac: " << inputFile
                 << ": nothing to compile (no @train, @test or @main)\n";
    return false;
  }

  // Compile a copy holding only the scheduled functions (compilation lowers
  // in place; the original keeps the attributes the writer describes).
  mlir::OwningOpRef<mlir::ModuleOp> copy(module.clone());
  for (auto fn : llvm::make_early_inc_range(copy->getOps<mlir::func::FuncOp>()))
    if (llvm::none_of(requests, [&](const ScheduleRequest &r) {
          return r.function == fn.getName();
        }))
      fn.erase();
  strata::codegen::CpuOptions options;
  options.cpu = cpu;
  options.memoryReport = memoryReport;
  options.planMemory = !noPlanMemory;
  options.libraryCalls = !noLibraryCalls;
  options.extractLoopsAbove = extractLoopsAbove;
  if (noParallelLoops)
    options.parallelMinIterations = 0;
  mlir::TimingScope compileTiming = rootTiming.nest("CPU compilation");
  options.timing = &compileTiming;
  auto object = strata::codegen::compileToSharedObject(*copy, options);
  if (mlir::failed(object))
    return false;
  compileTiming.stop();
  if (timing)
    llvm::errs() << "stratac: the kernels have " << object->llvmInstructions
                 << " LLVM instructions; " << object->extractedLoops
                 << " loop nests were compiled as functions of their own; "
                 << object->parallelLoops << " run on parallel threads\n";
  auto bytes =
      strata::codegen::buildArtifact(module, *object, requests, "stratac");
  if (mlir::failed(bytes))
    return false;
  try {
    strata::runtime::writeFileAtomically(outputFile,
                                         {{bytes->data(), bytes->size()}});
  } catch (const strata::runtime::RuntimeError &e) {
    llvm::errs() << "stratac: " << e.what() << "\n";
    return false;
  }
  return true;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions({&category, &trainCategory});
  cl::ParseCommandLineOptions(
      argc, argv,
      "stratac: compiles a model to Strata's IR\n\n"
      "  stratac model.conf|model.onnx|model.mlir [--emit=mlir|mlir-train] "
      "[-o out.mlir]\n"
      "  stratac model.conf|model.onnx -o model.strata [--target=cpu] "
      "[--cpu=NAME]   (an artifact for strata-run)\n"
      "  stratac model.onnx --train [--loss=KIND] [--loss-output=NAME] "
      "[--updater=TYPE --lr=R --momentum=M --weight-decay=WD] "
      "--emit=mlir-train\n\n"
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
  if (!checkTrainingOptions(ext))
    return 1;
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
    options.paramsTrainable = onnxParamsTrainable || train;
    strata::onnx_import::OnnxImportError error;
    module = strata::onnx_import::importOnnxModelFile(inputFile, context,
                                                      options, error);
    if (!module) {
      llvm::errs() << "stratac: " << inputFile << ": " << error.message << "\n";
      return 1;
    }
    if (train) {
      strata::onnx_import::TrainingOptions training;
      training.loss = *strata::onnx_import::parseLossKind(loss);
      training.lossOutput = lossOutput;
      strata::onnx_import::UpdaterOptions update;
      update.type = updater;
      if (learningRate.getNumOccurrences())
        update.learningRate = learningRate;
      if (momentum.getNumOccurrences())
        update.momentum = momentum;
      update.weightDecay = weightDecay;
      std::string message;
      if (!strata::onnx_import::buildTrainingFunction(*module, training,
                                                      message) ||
          !strata::onnx_import::setUpdater(*module, update, message)) {
        llvm::errs() << "stratac: " << inputFile << ": " << message << "\n";
        return 1;
      }
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
  bool artifactOut = emit == Emit::Artifact ||
                     (!emit.getNumOccurrences() &&
                      llvm::StringRef(outputFile).ends_with(".strata"));
  if (artifactOut)
    return writeArtifact(*module) ? 0 : 1;
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
