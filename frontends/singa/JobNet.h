//===- JobNet.h - The net of each phase of a job, checked -----------------===//
//
// Resolves which layers run in which phase (include / exclude), orders them
// so every layer follows its source layers, and checks what can be checked
// before shapes are known: unique names, known source layers, no cycles,
// required confs present, supported layer kinds. Every error names the file,
// line and layer.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_FRONTENDS_SINGA_JOBNET_H
#define STRATA_FRONTENDS_SINGA_JOBNET_H

#include "frontends/singa/JobFile.h"

#include <map>
#include <string>
#include <vector>

namespace strata::singa {

struct PhaseNet {
  Phase phase;
  /// Indices into job.neuralnet.layer, in topological order.
  std::vector<int> layers;
  /// Layer name -> index into job.neuralnet.layer.
  std::map<std::string, int> byName;
};

/// The phases a job's algorithm runs, each with its checked net. All errors
/// found are reported together, one line each.
llvm::Expected<std::vector<PhaseNet>> resolvePhases(const JobFile &file);

/// The phases a job runs: train always, test / val when any layer or the job
/// asks for them.
std::vector<Phase> phasesOf(const JobProto &job);

/// Whether `layer` runs in `phase`.
bool inPhase(const LayerProto &layer, Phase phase);

/// An RBM's visible layer lists its hidden layer (which reads it) as a
/// source: the link of the negative phase, which is not a data dependency of
/// the forward pass (the only cycle a net may have).
bool isRBMFeedback(const LayerProto &layer, const LayerProto &src);

/// "train", "test", ... for messages and function names.
const char *phaseName(Phase phase);

} // namespace strata::singa

#endif // STRATA_FRONTENDS_SINGA_JOBNET_H
