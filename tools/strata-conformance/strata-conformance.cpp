//===- strata-conformance.cpp - ONNX node tests on a backend --------------===//
//
// For each test folder of an ONNX node-test directory (model.onnx plus
// test_data_set_*/input_*.pb and output_*.pb), imports the model, runs @main
// on every data set and compares each output. Backends: `reference` (the
// reference evaluator) and `cpu` (the compiled path: shape inference,
// canonicalization, --strata-lower-to-linalg and LLVM to a shared object,
// loaded and called as the runtime does; an op without a lowering makes the
// test "unsupported"). Prints one status line per test and a summary; with
// --expected, fails when a test recorded as passing no longer passes.
//
//===----------------------------------------------------------------------===//

#include "codegen/cpu/CompiledCall.h"
#include "codegen/cpu/CpuCompiler.h"
#include "frontends/onnx/ImportOnnx.h"
#include "ir/StrataDialect.h"
#include "ir/reference/Evaluator.h"
#include "passes/Passes.h"
#include "runtime/cpu/KernelLibrary.h"
#include "runtime/support/Error.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <string>
#include <vector>

namespace cl = llvm::cl;
using namespace mlir;
using strata::reference::Tensor;
namespace onnx_import = strata::onnx_import;

static cl::OptionCategory category("strata-conformance options");
static cl::opt<std::string> testDir(cl::Positional,
                                    cl::desc("<ONNX node test directory>"),
                                    cl::Required, cl::cat(category));
static cl::opt<std::string>
    backend("backend",
            cl::desc("Backend to run on: reference (default) "
                     "or cpu (compiled)"),
            cl::init("reference"), cl::cat(category));
static cl::opt<std::string>
    expectedFile("expected",
                 cl::desc("File of `test_name status` lines: fail when a "
                          "test listed as passed no longer passes"),
                 cl::value_desc("file"), cl::cat(category));
static cl::opt<std::string> filter("filter",
                                   cl::desc("Only tests whose name contains "
                                            "this substring"),
                                   cl::cat(category));
static cl::opt<int64_t>
    maxElements("max-elements",
                cl::desc("Skip tests whose inputs and outputs together hold "
                         "more elements (keeps each test bounded)"),
                cl::init(1 << 20), cl::cat(category));

static cl::opt<int64_t> parallelLoopsAbove(
    "parallel-loops-above",
    cl::desc("cpu: split loop nests of at least N iterations among the "
             "OpenMP threads (default: the compiler's threshold; 1: every "
             "nest whose outer dimension is parallel)"),
    cl::value_desc("N"), cl::init(0), cl::cat(category));
static cl::opt<int>
    threads("kernel-threads",
            cl::desc("cpu: threads of the compiled kernels' parallel loops "
                     "(default: OMP_NUM_THREADS, else one per core)"),
            cl::init(0), cl::cat(category));

namespace {

struct Result {
  std::string status; // passed, failed, unsupported, import-error, skipped
  std::string detail;
};

/// Files `prefix*.pb` in `dir`, in numeric order (input_10 after input_9).
std::vector<std::string> protoFiles(const std::string &dir,
                                    llvm::StringRef prefix) {
  std::vector<std::pair<int, std::string>> files;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    llvm::StringRef name = llvm::sys::path::filename(it->path());
    if (!name.starts_with(prefix) || !name.ends_with(".pb"))
      continue;
    int index = 0;
    name.drop_front(prefix.size()).drop_back(3).getAsInteger(10, index);
    files.emplace_back(index, it->path());
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> paths;
  for (auto &f : files)
    paths.push_back(f.second);
  return paths;
}

std::vector<std::string> subdirs(const std::string &dir,
                                 llvm::StringRef prefix = "") {
  std::vector<std::string> out;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    // is_directory follows symbolic links (a folder of linked tests).
    if (!llvm::sys::fs::is_directory(it->path()))
      continue;
    if (llvm::sys::path::filename(it->path()).starts_with(prefix))
      out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// Why `got` differs from `want`; empty when they match.
std::string compare(const Tensor &got, const Tensor &want) {
  if (got.shape() != want.shape())
    return "shape " + strata::reference::shapeString(got.shape()) +
           ", expected " + strata::reference::shapeString(want.shape());
  if (got.dtype() != want.dtype())
    return std::string("element type ") + dtypeName(got.dtype()) +
           ", expected " + dtypeName(want.dtype());
  for (int64_t i = 0; i < got.numElements(); ++i) {
    if (got.isFloat()) {
      double g = got.get(i), w = want.get(i);
      if (std::isnan(w) && std::isnan(g))
        continue;
      if (std::isinf(w) && g == w)
        continue;
      if (!(std::fabs(g - w) <= 1e-5 + 1e-4 * std::fabs(w)))
        return "element " + std::to_string(i) + " is " + std::to_string(g) +
               ", expected " + std::to_string(w);
    } else if (got.getInt(i) != want.getInt(i)) {
      return "element " + std::to_string(i) + " is " +
             std::to_string(got.getInt(i)) + ", expected " +
             std::to_string(want.getInt(i));
    }
  }
  return "";
}

std::string firstLine(std::string s) {
  size_t nl = s.find('\n');
  if (nl != std::string::npos)
    s = s.substr(0, nl);
  if (s.size() > 300)
    s = s.substr(0, 300) + "...";
  return s;
}

/// Imports `model`; when the importer needs a runtime input as a constant
/// (a shape, a bound) and `inputs` has it, imports again with that input
/// bound to its test value (so it is no longer an argument of @main).
OwningOpRef<ModuleOp> importFor(const std::string &model,
                                const std::vector<Tensor> *inputs,
                                MLIRContext &context,
                                onnx_import::OnnxImportOptions &options,
                                Result &failure) {
  for (;;) {
    onnx_import::OnnxImportError error;
    auto module =
        onnx_import::importOnnxModelFile(model, context, options, error);
    if (module)
      return module;
    int k = error.nonConstantInput;
    if (inputs && k >= 0 && k < static_cast<int>(inputs->size()) &&
        (k >= static_cast<int>(options.boundInputs.size()) ||
         !options.boundInputs[k])) {
      options.boundInputs.resize(inputs->size());
      options.boundInputs[k] = (*inputs)[k];
      continue;
    }
    if (error.kind == onnx_import::OnnxImportError::Kind::Unsupported) {
      std::string detail = error.op.empty() ? error.message : error.op;
      size_t at = error.message.find(" at node ");
      size_t colon =
          at == std::string::npos ? at : error.message.find(": ", at);
      if (!error.op.empty() && colon != std::string::npos)
        detail += ": " + error.message.substr(colon + 2);
      failure = {"unsupported", firstLine(detail)};
    } else {
      failure = {"import-error", firstLine(error.message)};
    }
    return nullptr;
  }
}

/// The node tests store bfloat16 data as UINT16 bit patterns.
void fixBf16(Tensor &t, Type want) {
  if (t.dtype() != strata::reference::DType::u16 || !want.isBF16())
    return;
  std::vector<double> values;
  for (int64_t i = 0; i < t.numElements(); ++i) {
    uint32_t bits = static_cast<uint32_t>(t.getInt(i)) << 16;
    float f;
    std::memcpy(&f, &bits, sizeof(f));
    values.push_back(f);
  }
  t = Tensor::fromDoubles(strata::reference::DType::bf16, t.shape(), values);
}

/// Compiles @main of `module` for the CPU and calls it on `inputs`; on
/// failure, `why` says what kept it from running.
std::optional<std::vector<Tensor>>
runCompiled(ModuleOp module, const std::vector<Tensor> &inputs, Result &why) {
  auto fn = module.lookupSymbol<func::FuncOp>("main");
  for (Type t :
       llvm::concat<const Type>(fn.getArgumentTypes(), fn.getResultTypes())) {
    auto st = dyn_cast<RankedTensorType>(t);
    auto dtype =
        st ? strata::reference::dtypeOf(st.getElementType()) : std::nullopt;
    if (!dtype || !strata::codegen::isNativeDType(*dtype)) {
      std::string text;
      llvm::raw_string_ostream os(text);
      os << "cpu: element type " << (st ? st.getElementType() : t);
      why = {"unsupported", text};
      return std::nullopt;
    }
  }
  std::string first;
  ScopedDiagnosticHandler handler(module.getContext(), [&](Diagnostic &d) {
    if (first.empty() && d.getSeverity() == DiagnosticSeverity::Error)
      first = d.str();
    return success();
  });
  PassManager pm(module.getContext());
  pm.addPass(strata::createStrataInferShapes());
  pm.addPass(strata::createStrataCanonicalize());
  if (failed(pm.run(module))) {
    why = {"failed", "cpu: " + firstLine(first)};
    return std::nullopt;
  }
  std::vector<Tensor> shapes;
  for (Type t : fn.getResultTypes()) {
    auto st = cast<RankedTensorType>(t);
    if (!st.hasStaticShape()) {
      why = {"unsupported", "cpu: a result of dynamic shape"};
      return std::nullopt;
    }
    shapes.emplace_back(
        *strata::reference::dtypeOf(st.getElementType()),
        std::vector<int64_t>(st.getShape().begin(), st.getShape().end()));
  }
  strata::codegen::CpuOptions options;
  if (parallelLoopsAbove > 0)
    options.parallelMinIterations = parallelLoopsAbove;
  auto object = strata::codegen::compileToSharedObject(module, options);
  if (failed(object)) {
    bool unlowered = first.find("has no lowering") != std::string::npos;
    why = {unlowered ? "unsupported" : "failed", "cpu: " + firstLine(first)};
    return std::nullopt;
  }
  try {
    strata::runtime::KernelLibrary library(object->bytes.data(),
                                           object->bytes.size(), "main");
    return strata::codegen::runEntry(library.entry("main"), inputs, shapes);
  } catch (const strata::runtime::RuntimeError &e) {
    why = {"failed", std::string("cpu: ") + e.what()};
    return std::nullopt;
  }
}

Result runTest(const std::string &dir, MLIRContext &context) {
  std::string model = dir + "/model.onnx";
  std::vector<std::string> sets = subdirs(dir, "test_data_set_");
  if (sets.empty()) {
    Result failure;
    onnx_import::OnnxImportOptions options;
    if (!importFor(model, nullptr, context, options, failure))
      return failure;
    return {"failed", "no test_data_set_* folders"};
  }
  for (const std::string &set : sets) {
    std::vector<Tensor> inputs, outputs;
    int64_t elements = 0;
    for (auto [files, tensors] :
         {std::pair(protoFiles(set, "input_"), &inputs),
          std::pair(protoFiles(set, "output_"), &outputs)}) {
      for (const std::string &file : files) {
        std::string why;
        auto t = onnx_import::readTensorProtoFile(file, why);
        if (!t) {
          // Sequences, optionals and strings: report what the importer says
          // about the model first, the test data second.
          Result failure;
          onnx_import::OnnxImportOptions options;
          if (!importFor(model, nullptr, context, options, failure))
            return failure;
          return {"unsupported", "test data: " + firstLine(why)};
        }
        elements += t->numElements();
        tensors->push_back(std::move(*t));
      }
    }
    if (elements > maxElements)
      return {"skipped", "size limit: " + std::to_string(elements) +
                             " elements > " + std::to_string(maxElements)};
    // Each data set gets its own import: bound inputs differ between sets.
    Result failure;
    onnx_import::OnnxImportOptions options;
    auto module = importFor(model, &inputs, context, options, failure);
    if (!module)
      return failure;
    std::vector<Tensor> runtimeInputs;
    for (size_t i = 0; i < inputs.size(); ++i)
      if (i >= options.boundInputs.size() || !options.boundInputs[i])
        runtimeInputs.push_back(inputs[i]);
    inputs = std::move(runtimeInputs);
    auto fn = module->lookupSymbol<func::FuncOp>("main");
    for (size_t i = 0; i < inputs.size() && i < fn.getNumArguments(); ++i)
      fixBf16(inputs[i],
              cast<ShapedType>(fn.getArgumentTypes()[i]).getElementType());
    for (size_t i = 0; i < outputs.size() && i < fn.getNumResults(); ++i)
      fixBf16(outputs[i],
              cast<ShapedType>(fn.getResultTypes()[i]).getElementType());
    if (inputs.size() != fn.getNumArguments())
      return {"failed", std::to_string(inputs.size()) + " inputs for " +
                            std::to_string(fn.getNumArguments()) +
                            " arguments"};
    std::optional<std::vector<Tensor>> got;
    if (backend == "cpu") {
      Result why;
      got = runCompiled(*module, inputs, why);
      if (!got)
        return why;
    } else {
      strata::reference::Environment env;
      auto values = strata::reference::evaluateFunction(fn, inputs, env);
      if (!values)
        return {"failed", firstLine(llvm::toString(values.takeError()))};
      got = std::move(*values);
    }
    if (got->size() != outputs.size())
      return {"failed", std::to_string(got->size()) + " results, expected " +
                            std::to_string(outputs.size())};
    for (size_t i = 0; i < outputs.size(); ++i) {
      std::string why = compare((*got)[i], outputs[i]);
      if (!why.empty())
        return {"failed", "output " + std::to_string(i) + ": " + why + " (" +
                              llvm::sys::path::filename(set).str() + ")"};
    }
  }
  return {"passed", ""};
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "strata-conformance: runs ONNX node tests through the ONNX frontend\n\n"
      "  strata-conformance DIR [--backend=reference|cpu] [--expected FILE] "
      "[--filter SUBSTR]\n");
  if (threads > 0)
    strata::runtime::setKernelThreads(threads);
  if (backend != "reference" && backend != "cpu") {
    llvm::errs() << "strata-conformance: unknown backend '" << backend
                 << "' (available: reference, cpu)\n";
    return 1;
  }
  if (!llvm::sys::fs::is_directory(testDir)) {
    llvm::errs() << "strata-conformance: " << testDir << ": not a directory\n";
    return 1;
  }
  std::map<std::string, std::string> expected;
  if (!expectedFile.empty()) {
    auto buffer = llvm::MemoryBuffer::getFile(expectedFile);
    if (!buffer) {
      llvm::errs() << "strata-conformance: " << expectedFile << ": "
                   << buffer.getError().message() << "\n";
      return 1;
    }
    llvm::SmallVector<llvm::StringRef> lines;
    (*buffer)->getBuffer().split(lines, '\n', -1, false);
    for (llvm::StringRef line : lines) {
      line = line.trim();
      if (line.empty() || line.starts_with("#"))
        continue;
      auto [name, status] = line.split(' ');
      expected[name.str()] = status.trim().str();
    }
  }

  DialectRegistry registry;
  registry.insert<strata::StrataDialect, func::FuncDialect>();
  if (backend == "cpu")
    strata::codegen::registerCpuCodegenDialects(registry);
  std::map<std::string, int> counts;
  std::vector<std::string> regressions, newlyPassing;
  for (const std::string &dir : subdirs(testDir)) {
    std::string name = llvm::sys::path::filename(dir).str();
    if (!filter.empty() && name.find(filter) == std::string::npos)
      continue;
    if (!llvm::sys::fs::exists(dir + "/model.onnx"))
      continue;
    // A fresh context per test keeps one model's constants from piling up.
    MLIRContext context(registry);
    context.printOpOnDiagnostic(false);
    Result r = runTest(dir, context);
    ++counts[r.status];
    llvm::outs() << name << ": " << r.status;
    if (!r.detail.empty())
      llvm::outs() << " (" << r.detail << ")";
    llvm::outs() << "\n";
    llvm::outs().flush();
    auto it = expected.find(name);
    if (it != expected.end()) {
      if (it->second == "passed" && r.status != "passed")
        regressions.push_back(name);
      if (it->second != "passed" && r.status == "passed")
        newlyPassing.push_back(name);
    }
  }
  llvm::outs() << counts["passed"] << " passed, " << counts["failed"]
               << " failed, " << counts["unsupported"] << " unsupported, "
               << counts["import-error"] << " import-error, "
               << counts["skipped"] << " skipped\n";
  for (const std::string &name : newlyPassing)
    llvm::outs() << "newly passing (update the expected file): " << name
                 << "\n";
  for (const std::string &name : regressions)
    llvm::outs() << "REGRESSION: " << name << " was passed\n";
  return regressions.empty() ? 0 : 1;
}
