//===- TrainingGraph.cpp - ONNX models as training functions --------------===//
//
// See TrainingGraph.h. The loss and the metric are built with the gradient
// builder (strata ops with inferred types) after the model's last op.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/TrainingGraph.h"

#include "ir/StrataDialect.h"
#include "ir/gradients/GradientBuilder.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"

#include <cstdio>

namespace strata::onnx_import {

using namespace mlir;
using gradients::GradientBuilder;

std::optional<LossKind> parseLossKind(llvm::StringRef name) {
  if (name == "softmax-cross-entropy")
    return LossKind::SoftmaxCrossEntropy;
  if (name == "cross-entropy")
    return LossKind::CrossEntropy;
  if (name == "mse")
    return LossKind::MeanSquaredError;
  if (name == "none")
    return LossKind::None;
  return std::nullopt;
}

static const char *lossOptionName(LossKind kind) {
  switch (kind) {
  case LossKind::SoftmaxCrossEntropy:
    return "softmax-cross-entropy";
  case LossKind::CrossEntropy:
    return "cross-entropy";
  case LossKind::MeanSquaredError:
    return "mse";
  case LossKind::None:
    return "none";
  }
  return "?";
}

static std::string typeString(Type type) {
  std::string s;
  llvm::raw_string_ostream os(s);
  type.print(os);
  return s;
}

/// A data input name not taken by a graph input: `preferred`, else
/// "<output>.<preferred>".
static std::string freshInputName(const llvm::StringSet<> &taken,
                                  StringRef preferred, StringRef output) {
  if (!taken.contains(preferred))
    return preferred.str();
  std::string name = (output + "." + preferred).str();
  for (int k = 1; taken.contains(name); ++k)
    name = (output + "." + preferred + std::to_string(k)).str();
  return name;
}

bool buildTrainingFunction(ModuleOp module, const TrainingOptions &options,
                           std::string &error) {
  MLIRContext *ctx = module.getContext();
  auto fn = module.lookupSymbol<func::FuncOp>("main");
  if (!fn || fn.isExternal()) {
    error = "the imported module has no @main";
    return false;
  }
  if (module.getOps<ParameterOp>().empty()) {
    error = "--train: the model has no float initializers, so nothing to "
            "train (its weights must be ONNX initializers)";
    return false;
  }
  if (module.lookupSymbol("train")) {
    error = "--train: the module already has a symbol named 'train'";
    return false;
  }

  // The output the loss applies to.
  unsigned numResults = fn.getNumResults();
  if (numResults == 0) {
    error = "--train: the model has no outputs";
    return false;
  }
  auto outputName = [&](unsigned i) -> std::string {
    if (auto n = fn.getResultAttrOfType<StringAttr>(i, "strata.name"))
      return n.getValue().str();
    return "#" + std::to_string(i);
  };
  unsigned outIndex = 0;
  if (!options.lossOutput.empty()) {
    std::optional<unsigned> found;
    std::string names;
    for (unsigned i = 0; i < numResults; ++i) {
      if (outputName(i) == options.lossOutput)
        found = i;
      names += (i ? ", '" : "'") + outputName(i) + "'";
    }
    if (!found) {
      error = "--loss-output=" + options.lossOutput +
              ": the model has no output of that name (its outputs: " + names +
              ")";
      return false;
    }
    outIndex = *found;
  }
  std::string outName = outputName(outIndex);
  auto ret = cast<func::ReturnOp>(fn.getBody().front().getTerminator());
  Value y = ret.getOperand(outIndex);
  auto yType = dyn_cast<RankedTensorType>(y.getType());
  std::string lossName = lossOptionName(options.loss);
  std::string where = "--loss=" + lossName + ": output '" + outName + "' (" +
                      typeString(y.getType()) + ")";
  if (!yType || !isa<FloatType>(yType.getElementType())) {
    error = where + " is not a float tensor";
    return false;
  }
  bool classification = options.loss == LossKind::SoftmaxCrossEntropy ||
                        options.loss == LossKind::CrossEntropy;
  if (classification && yType.getRank() != 2) {
    error = where + " must be 2-D [batch, classes]";
    return false;
  }
  if (options.loss == LossKind::None &&
      (!yType.hasStaticShape() || yType.getNumElements() != 1)) {
    error = where + " must be the loss: a tensor of one element";
    return false;
  }

  // Graph inputs become data inputs named after them.
  Block &body = fn.getBody().front();
  OpBuilder b(ctx);
  b.setInsertionPointToStart(&body);
  llvm::StringSet<> taken;
  for (unsigned i = 0; i < fn.getNumArguments(); ++i) {
    auto name = fn.getArgAttrOfType<StringAttr>(i, "strata.name");
    std::string n = name ? name.getValue().str() : "input" + std::to_string(i);
    taken.insert(n);
    auto input = DataInputOp::create(b, fn.getLoc(),
                                     TypeRange{fn.getArgument(i).getType()},
                                     b.getStringAttr(n));
    input->setAttr("strata.source",
                   b.getDictionaryAttr(b.getNamedAttr(
                       "kind", b.getStringAttr("onnx_graph_input"))));
    fn.getArgument(i).replaceAllUsesWith(input.getResult(0));
  }
  OpBuilder inputs = b; // after the graph inputs: the labels or targets
  llvm::BitVector all(fn.getNumArguments(), true);
  if (failed(fn.eraseArguments(all))) {
    error = "cannot remove @main's arguments";
    return false;
  }

  // The loss and the metric, after the model.
  std::string diagnostics;
  ScopedDiagnosticHandler handler(ctx, [&](Diagnostic &diag) {
    if (!diagnostics.empty())
      diagnostics += "; ";
    diagnostics += diag.str();
    return success();
  });
  b.setInsertionPoint(ret);
  GradientBuilder g(b, ret);
  auto dataInput = [&](StringRef preferred, Type type,
                       StringRef kind) -> Value {
    std::string n = freshInputName(taken, preferred, outName);
    auto input = DataInputOp::create(inputs, fn.getLoc(), TypeRange{type},
                                     b.getStringAttr(n));
    input->setAttr("strata.source",
                   b.getDictionaryAttr(
                       {b.getNamedAttr("kind", b.getStringAttr(kind)),
                        b.getNamedAttr("output", b.getStringAttr(outName))}));
    return input.getResult(0);
  };
  auto meanAll = [&](Value v) {
    return g.op("reduce_mean", v, {g.flag("keepdims", false)});
  };
  Value loss, metric;
  std::string metricName;
  switch (options.loss) {
  case LossKind::SoftmaxCrossEntropy:
  case LossKind::CrossEntropy: {
    auto labelType =
        RankedTensorType::get({yType.getDimSize(0)}, IntegerType::get(ctx, 32));
    Value labels = dataInput("labels", labelType, "labels");
    if (options.loss == LossKind::SoftmaxCrossEntropy) {
      loss = g.op("softmax_cross_entropy", {y, labels});
    } else {
      // -mean_n log(p[n, labels[n]]): gather each row's labelled entry.
      Value column = g.op("reshape", labels, {g.array("shape", {-1, 1})});
      Value picked = g.op("gather_elements", {y, column}, {g.i64("axis", 1)});
      loss = g.neg(meanAll(g.op("log", picked)));
    }
    metric = g.op("accuracy", {y, labels});
    metricName = outName + ".accuracy";
    break;
  }
  case LossKind::MeanSquaredError: {
    Value target = dataInput("targets", yType, "targets");
    Value diff = g.sub(y, target);
    loss = meanAll(g.mul(diff, diff));
    metric = meanAll(g.op("abs", diff));
    metricName = outName + ".mean_absolute_error";
    break;
  }
  case LossKind::None:
    loss =
        yType.getRank() == 0 ? y : g.op("reshape", y, {g.array("shape", {})});
    break;
  }
  if (failed(g.status()) || !loss) {
    error = where + ": cannot build the loss: " + diagnostics;
    return false;
  }

  SmallVector<Value> results{loss};
  if (metric)
    results.push_back(metric);
  ret->setOperands(results);
  fn.setType(b.getFunctionType({}, ValueRange(results).getTypes()));
  fn.removeResAttrsAttr();
  fn.setResultAttr(0, "strata.name", b.getStringAttr(outName + ".loss"));
  fn.setResultAttr(0, "strata.loss", b.getUnitAttr());
  if (metric)
    fn.setResultAttr(1, "strata.name", b.getStringAttr(metricName));
  fn.setSymName("train");
  fn->setAttr(kPhaseAttrName, PhaseAttr::get(ctx, Phase::train));
  return true;
}

/// The command-line updater names and the `type` the updater pass reads
/// (SINGA's enum names in lower case).
static std::optional<StringRef> updaterTypeName(StringRef option) {
  return llvm::StringSwitch<std::optional<StringRef>>(option)
      .Case("sgd", StringRef("sgd"))
      .Case("nesterov", StringRef("nesterov"))
      .Case("adagrad", StringRef("ada_grad"))
      .Case("rmsprop", StringRef("rmsprop"))
      .Case("adadelta", StringRef("ada_delta"))
      .Case("adam", StringRef("adam"))
      .Case("adammax", StringRef("adam_max"))
      .Default(std::nullopt);
}

bool isUpdaterName(StringRef name) { return updaterTypeName(name).has_value(); }

/// A number as written on the command line (%g).
static std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

double defaultLearningRate(StringRef type) {
  if (type == "adam" || type == "adammax")
    return 0.001;
  if (type == "adadelta")
    return 1.0;
  return 0.01;
}

double defaultMomentum(StringRef type) {
  return type == "nesterov" ? 0.9 : 0.0;
}

bool setUpdater(ModuleOp module, const UpdaterOptions &options,
                std::string &error) {
  auto type = updaterTypeName(options.type);
  if (!type) {
    error = "--updater=" + options.type +
            ": unknown updater (expected sgd, nesterov, adagrad, rmsprop, "
            "adadelta, adam or adammax)";
    return false;
  }
  double lr = options.learningRate.value_or(defaultLearningRate(options.type));
  double momentum = options.momentum.value_or(defaultMomentum(options.type));
  if (!(lr > 0)) {
    error = "--lr=" + number(lr) + ": must be positive";
    return false;
  }
  if (!(momentum >= 0) || !(momentum < 1)) {
    error = "--momentum=" + number(momentum) + ": must be in [0, 1)";
    return false;
  }
  if (!(options.weightDecay >= 0)) {
    error = "--weight-decay=" + number(options.weightDecay) + ": must be >= 0";
    return false;
  }
  Builder b(module.getContext());
  auto f64 = [&](double v) { return b.getF64FloatAttr(v); };
  auto i64 = [&](int64_t v) { return b.getI64IntegerAttr(v); };
  NamedAttrList rate;
  rate.append("type", b.getStringAttr("fixed"));
  rate.append("base_lr", f64(lr));
  rate.append("fixed_steps", b.getDenseI64ArrayAttr({}));
  rate.append("fixed_step_lrs", b.getDenseF64ArrayAttr({}));
  rate.append("step_gamma", f64(0));
  rate.append("step_change_freq", i64(0));
  rate.append("linear_change_freq", i64(0));
  rate.append("linear_final_lr", f64(0));
  rate.append("exponential_change_freq", i64(0));
  rate.append("inverse_gamma", f64(0));
  rate.append("inverse_pow", f64(0));
  rate.append("inverset_final_lr", f64(0));
  NamedAttrList updater;
  updater.append("type", b.getStringAttr(*type));
  updater.append("momentum", f64(momentum));
  updater.append("weight_decay", f64(options.weightDecay));
  updater.append("delta", f64(1e-8));
  updater.append("clip_low", f64(0));
  updater.append("clip_high", f64(0));
  updater.append("rho", f64(*type == "ada_delta" ? 0.95 : 0.9));
  updater.append("beta1", f64(0.9));
  updater.append("beta2", f64(0.999));
  updater.append("learning_rate", rate.getDictionary(module.getContext()));
  module->setAttr("strata.updater", updater.getDictionary(module.getContext()));
  return true;
}

} // namespace strata::onnx_import
