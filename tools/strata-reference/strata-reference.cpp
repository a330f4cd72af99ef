//===- strata-reference.cpp - Run IR in the reference evaluator -----------===//
//
// Evaluates one function of a strata module with the reference evaluator:
// parameters from their init specs, arguments and data inputs random (or
// zero), and prints every result. A debugging and testing aid: the oracle on
// the command line, never a way to train.
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"
#include "ir/reference/Evaluator.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"

#include <cstring>
#include <optional>
#include <random>

namespace cl = llvm::cl;
using namespace mlir;
using strata::reference::DType;
using strata::reference::Tensor;

static cl::OptionCategory category("strata-reference options");
static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<module.mlir>"),
                                      cl::Required, cl::cat(category));
static cl::opt<std::string> function("function",
                                     cl::desc("Function to evaluate (default: "
                                              "the first one with a body)"),
                                     cl::cat(category));
static cl::opt<int64_t> batch("batch",
                              cl::desc("Size given to dynamic dimensions"),
                              cl::init(2), cl::cat(category));
static cl::opt<uint64_t> seed("seed", cl::desc("Seed of parameters and inputs"),
                              cl::init(1), cl::cat(category));
static cl::opt<int64_t> classes("int-range",
                                cl::desc("Integer inputs are drawn from "
                                         "[0, N)"),
                                cl::init(10), cl::cat(category));
static cl::opt<int64_t> show("show", cl::desc("Elements printed per result"),
                             cl::init(8), cl::cat(category));
static cl::opt<int64_t>
    steps("steps",
          cl::desc("For a training step function (--strata-updater's "
                   "@<f>_step): run N steps on one fixed random batch, "
                   "feeding parameters, state and the RNG state (strata.rng) "
                   "back, and print the loss (the sum of the strata.loss "
                   "results) of each"),
          cl::init(0), cl::cat(category));
static cl::opt<bool>
    exact("exact",
          cl::desc("Print values exactly, to compare runs bit for bit: "
                   "losses and sums with 17 significant digits, and per "
                   "result a 64-bit FNV-1a digest of its dtype, shape and "
                   "element bits (with --steps: of the last step's results)"),
          cl::init(false), cl::cat(category));

/// FNV-1a over a tensor's dtype, shape and the bits of every element.
static uint64_t digest(const Tensor &t) {
  uint64_t h = 14695981039346656037ull;
  auto mix = [&](uint64_t word) {
    for (int i = 0; i < 8; ++i) {
      h ^= (word >> (8 * i)) & 0xff;
      h *= 1099511628211ull;
    }
  };
  mix(static_cast<uint64_t>(t.dtype()));
  for (int64_t d : t.shape())
    mix(static_cast<uint64_t>(d));
  for (int64_t i = 0; i < t.numElements(); ++i) {
    if (t.isFloat()) {
      double v = t.get(i);
      uint64_t bits;
      std::memcpy(&bits, &v, sizeof bits);
      mix(bits);
    } else {
      mix(static_cast<uint64_t>(t.getInt(i)));
    }
  }
  return h;
}

/// A random tensor of `type`; dynamic sizes become --batch.
static llvm::Expected<Tensor> randomTensor(Type type, std::mt19937_64 &rng) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  auto dtype = ranked ? strata::reference::dtypeOf(ranked.getElementType())
                      : std::nullopt;
  if (!dtype)
    return llvm::createStringError("cannot make a random value of this type");
  std::vector<int64_t> shape;
  for (int64_t d : ranked.getShape())
    shape.push_back(ShapedType::isDynamic(d) ? batch : d);
  Tensor t(*dtype, shape);
  std::uniform_real_distribution<double> real(-1, 1);
  std::uniform_int_distribution<int64_t> integer(
      0, std::max<int64_t>(classes - 1, 0));
  for (int64_t i = 0; i < t.numElements(); ++i) {
    if (t.isFloat())
      t.set(i, real(rng));
    else if (*dtype == DType::i1)
      t.setInt(i, integer(rng) % 2);
    else
      t.setInt(i, integer(rng));
  }
  return t;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "strata-reference: evaluates a strata function with the reference "
      "evaluator on random inputs and prints its results\n");

  DialectRegistry registry;
  registry.insert<strata::StrataDialect, func::FuncDialect>();
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  std::string error;
  auto file = openInputFile(inputFile, &error);
  if (!file) {
    llvm::errs() << "strata-reference: " << error << "\n";
    return 1;
  }
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;

  func::FuncOp fn;
  for (auto f : module->getOps<func::FuncOp>())
    if (!f.isExternal() && (function.empty() || f.getSymName() == function)) {
      fn = f;
      break;
    }
  if (!fn) {
    llvm::errs() << "strata-reference: " << inputFile << ": no function "
                 << (function.empty() ? std::string("with a body")
                                      : "@" + function.getValue())
                 << "\n";
    return 1;
  }

  std::mt19937_64 rng(seed);
  strata::reference::Environment env;
  if (llvm::Error err = env.initializeParameters(*module, seed)) {
    llvm::errs() << "strata-reference: " << llvm::toString(std::move(err))
                 << "\n";
    return 1;
  }
  std::vector<Tensor> args;
  for (Type type : fn.getArgumentTypes()) {
    auto t = randomTensor(type, rng);
    if (!t) {
      llvm::errs() << "strata-reference: @" << fn.getSymName() << ": "
                   << llvm::toString(t.takeError()) << "\n";
      return 1;
    }
    args.push_back(std::move(*t));
  }
  bool inputError = false;
  fn.walk([&](strata::DataInputOp input) {
    std::vector<Tensor> values;
    for (Type type : input.getResultTypes()) {
      auto t = randomTensor(type, rng);
      if (!t) {
        llvm::consumeError(t.takeError());
        inputError = true;
        return;
      }
      values.push_back(std::move(*t));
    }
    env.dataInputs[input.getName().str()] = std::move(values);
  });
  if (inputError) {
    llvm::errs() << "strata-reference: a data input has a type without "
                    "random values\n";
    return 1;
  }

  if (steps > 0) {
    if (!fn->hasAttr("strata.step_of")) {
      llvm::errs() << "strata-reference: --steps needs a training step "
                      "function (from --strata-updater); @"
                   << fn.getSymName() << " is not one\n";
      return 1;
    }
    // Parameters start from their init specs, state from zeros, the step
    // counter from 0 and the RNG state (strata.rng) from [seed, 0].
    unsigned nCarried = 0;
    std::optional<unsigned> rngArg, rngResult;
    for (unsigned i = 0; i < fn.getNumArguments(); ++i) {
      if (auto p = fn.getArgAttrOfType<FlatSymbolRefAttr>(i, "strata.param")) {
        ++nCarried;
        if (fn.getArgAttr(i, "strata.state")) {
          Tensor zeros(args[i].dtype(), args[i].shape());
          args[i] = zeros;
        } else {
          args[i] = env.parameters.at(p.getValue().str());
        }
      } else if (fn.getArgAttr(i, "strata.step")) {
        args[i] = Tensor::fromInts(DType::i64, {}, {0});
      } else if (fn.getArgAttr(i, "strata.rng")) {
        rngArg = i;
        args[i] =
            Tensor::fromInts(DType::i64, {2}, {static_cast<int64_t>(seed), 0});
      }
    }
    // The loss is the sum of the results marked strata.loss (what autodiff
    // differentiates), else the first result after the carried ones.
    SmallVector<unsigned> lossResults;
    for (unsigned i = nCarried; i < fn.getNumResults(); ++i) {
      if (fn.getResultAttr(i, "strata.loss"))
        lossResults.push_back(i);
      if (fn.getResultAttr(i, "strata.rng"))
        rngResult = i;
    }
    if (lossResults.empty() && fn.getNumResults() > nCarried)
      lossResults.push_back(nCarried);
    if (lossResults.empty()) {
      llvm::errs() << "strata-reference: @" << fn.getSymName()
                   << " returns no loss\n";
      return 1;
    }
    if (rngArg.has_value() != rngResult.has_value()) {
      llvm::errs() << "strata-reference: @" << fn.getSymName()
                   << " takes a strata.rng argument but returns no strata.rng "
                      "result (or the reverse)\n";
      return 1;
    }
    double first = 0, last = 0;
    for (int64_t k = 0; k < steps; ++k) {
      for (unsigned i = 0; i < fn.getNumArguments(); ++i)
        if (fn.getArgAttr(i, "strata.step"))
          args[i] = Tensor::fromInts(DType::i64, {}, {k});
      auto out = strata::reference::evaluateFunction(fn, args, env);
      if (!out) {
        llvm::errs() << "strata-reference: step " << k << ": "
                     << llvm::toString(out.takeError()) << "\n";
        return 1;
      }
      double loss = 0;
      for (unsigned i : lossResults)
        loss += (*out)[i].get(0);
      llvm::outs() << "step " << k << ": loss "
                   << llvm::format(exact ? "%.17g" : "%.6f", loss) << "\n";
      if (exact && k == steps - 1)
        for (auto [i, t] : llvm::enumerate(*out))
          llvm::outs() << "  #" << i << " digest "
                       << llvm::format_hex(digest(t), 18) << "\n";
      if (k == 0)
        first = loss;
      last = loss;
      if (rngArg)
        args[*rngArg] = std::move((*out)[*rngResult]);
      for (unsigned i = 0; i < nCarried; ++i)
        args[i] = std::move((*out)[i]);
    }
    if (last < first)
      llvm::outs() << "loss fell from " << llvm::format("%.6f", first) << " to "
                   << llvm::format("%.6f", last) << " in " << steps
                   << " steps\n";
    else
      llvm::outs() << "loss did not fall: " << llvm::format("%.6f", first)
                   << " to " << llvm::format("%.6f", last) << "\n";
    return 0;
  }

  auto results = strata::reference::evaluateFunction(fn, args, env);
  if (!results) {
    llvm::errs() << "strata-reference: " << llvm::toString(results.takeError())
                 << "\n";
    return 1;
  }
  llvm::outs() << "@" << fn.getSymName() << ": " << results->size()
               << " result(s)\n";
  for (auto [i, t] : llvm::enumerate(*results)) {
    double sum = 0;
    for (int64_t k = 0; k < t.numElements(); ++k)
      sum += t.get(k);
    llvm::outs() << "  #" << i << " ";
    if (auto name = fn.getResultAttrOfType<StringAttr>(i, "strata.name"))
      llvm::outs() << name.getValue() << " ";
    llvm::outs() << t.toString(show) << "  sum "
                 << llvm::format(exact ? "%.17g" : "%.6g", sum);
    if (exact)
      llvm::outs() << "  digest " << llvm::format_hex(digest(t), 18);
    llvm::outs() << "\n";
  }
  return 0;
}
