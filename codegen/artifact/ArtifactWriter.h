//===- ArtifactWriter.h - A compiled module as an artifact file -----------===//
//
// buildArtifact describes a module of strata IR that has been through the
// training pipeline (autodiff or CD, the updater, inputs-to-arguments) and
// its compiled kernel as the bytes of one artifact file (header + FlatBuffers
// payload, runtime/artifact/artifact.fbs):
//
//  * parameters: every strata.parameter, in declaration order, with its type,
//    init spec, lr / wd scales, trainable flag, share_from index and, for an
//    ONNX initializer, its value;
//  * schedules: one per requested function, its arguments and results
//    classified from their attributes (strata.param / strata.state,
//    strata.step, strata.rng, strata.data_input + strata.output,
//    strata.loss; other results are metrics when scalar, outputs otherwise,
//    and always outputs in an inference schedule);
//  * data inputs: one per (phase, name) of a data argument, with the
//    strata.source it reads from;
//  * the job (strata.job, strata.alg, the cluster's workspace) and the
//    updater (strata.updater) as descriptions (the update itself is in the
//    compiled train step).
//
// Errors (a function missing, an argument the runtime could not fill, an
// element type the artifact cannot hold) are emitted as diagnostics.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_CODEGEN_ARTIFACT_ARTIFACTWRITER_H
#define STRATA_CODEGEN_ARTIFACT_ARTIFACTWRITER_H

#include "codegen/cpu/CpuCompiler.h"

#include "mlir/IR/BuiltinOps.h"

#include <string>
#include <vector>

namespace strata::codegen {

/// A function of the module that becomes a schedule of a phase.
struct ScheduleRequest {
  enum class Phase { train, validate, test, infer };
  Phase phase;
  std::string function;
};

/// The artifact file's bytes, or failure (with diagnostics).
mlir::FailureOr<std::vector<unsigned char>>
buildArtifact(mlir::ModuleOp module, const SharedObject &kernel,
              llvm::ArrayRef<ScheduleRequest> schedules,
              llvm::StringRef producer);

} // namespace strata::codegen

#endif // STRATA_CODEGEN_ARTIFACT_ARTIFACTWRITER_H
