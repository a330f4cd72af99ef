//===- TrainingGraph.h - ONNX models as training functions ----*- C++ -*-===//
//
// `stratac model.onnx --train`: turns the imported @main (initializers as
// trainable parameters) into @train, the forward pass of one training step
// in the convention of the SINGA frontend's @train:
//
//  - no arguments: each graph input is read with `strata.data_input "<input
//    name>"`, the labels (or regression targets) with `strata.data_input
//    "labels"` (`"targets"`);
//  - results: the loss (marked `strata.loss`), then a metric;
//  - `strata.phase = #strata.phase<train>`, so --strata-autodiff writes
//    @train_grad.
//
// setUpdater writes the module's `strata.updater` dictionary (the fields the
// SINGA frontend writes) for --strata-updater.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_FRONTENDS_ONNX_TRAININGGRAPH_H
#define STRATA_FRONTENDS_ONNX_TRAININGGRAPH_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace strata::onnx_import {

enum class LossKind {
  /// strata.softmax_cross_entropy of [N, C] logits and i32 labels [N];
  /// metric: strata.accuracy.
  SoftmaxCrossEntropy,
  /// -mean_n log(p[n, labels[n]]) of [N, C] probabilities; metric: accuracy.
  CrossEntropy,
  /// mean over all elements of (y - target)^2, the target of y's type;
  /// metric: the mean absolute error.
  MeanSquaredError,
  /// The output is the loss already (one element); no metric.
  None,
};

/// "softmax-cross-entropy", "cross-entropy", "mse" or "none".
std::optional<LossKind> parseLossKind(llvm::StringRef name);

struct TrainingOptions {
  LossKind loss = LossKind::SoftmaxCrossEntropy;
  /// The graph output the loss applies to; empty: the first.
  std::string lossOutput;
};

/// Rewrites @main of `module` (imported with paramsTrainable) into @train as
/// described above. On failure returns false and sets `error` (one line,
/// naming the option or output).
bool buildTrainingFunction(mlir::ModuleOp module,
                           const TrainingOptions &options, std::string &error);

struct UpdaterOptions {
  /// sgd, nesterov, adagrad, rmsprop, adadelta, adam or adammax.
  std::string type = "sgd";
  /// Unset: the updater's default (defaultLearningRate, defaultMomentum).
  std::optional<double> learningRate;
  std::optional<double> momentum;
  double weightDecay = 0;
};

/// Whether `name` is one of UpdaterOptions::type's names.
bool isUpdaterName(llvm::StringRef name);
/// The fixed learning rate used when none is given: 0.001 for adam and
/// adammax, 1.0 for adadelta (whose update does not scale by it), else 0.01.
double defaultLearningRate(llvm::StringRef type);
/// 0.9 for nesterov, else 0.
double defaultMomentum(llvm::StringRef type);

/// Sets the module's `strata.updater` dictionary (a fixed learning rate). On
/// an unknown type or a negative rate, momentum or weight decay returns false
/// with `error` set.
bool setUpdater(mlir::ModuleOp module, const UpdaterOptions &options,
                std::string &error);

} // namespace strata::onnx_import

#endif // STRATA_FRONTENDS_ONNX_TRAININGGRAPH_H
