//===- Session.h - Running an artifact's schedules on the CPU -------------===//
//
// A Session holds everything a run of an artifact keeps between steps: the
// loaded kernels, the parameters (initialized from their init specs with a
// seed, or from the artifact's values; a tied parameter uses its owner's
// storage), the optimizer state (zeros at the start), the step counter and
// the RNG state ([seed, 0] at the start).
//
// run(phase) calls the phase's compiled schedule once. Its arguments are
// filled from that state and from the data feeds (one per data input of the
// artifact); its results are written to fresh buffers, after which the new
// parameters, optimizer state and RNG state replace the old ones (buffer
// swaps, no copies) and the step counter advances (train phase). Losses and
// metrics come back as numbers.
//
// Errors (a feed yielding a batch of another shape or type, a missing feed)
// throw RuntimeError naming the data input and the phase.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_EXEC_SESSION_H
#define STRATA_RUNTIME_EXEC_SESSION_H

#include "runtime/artifact/Artifact.h"
#include "runtime/cpu/KernelLibrary.h"
#include "runtime/data/HostTensor.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace strata::runtime {

/// Where a data input's batches come from.
class DataFeed {
public:
  virtual ~DataFeed() = default;
  /// The next batch: one tensor per output of the data input.
  virtual std::vector<HostTensor> next() = 0;
  /// The reading position (saved in checkpoints) and setting it back.
  virtual int64_t position() const = 0;
  virtual void seek(int64_t position) = 0;
  /// The file it reads, for messages.
  virtual std::string describe() const = 0;
};

/// What one call of a schedule computed.
struct StepResult {
  /// The sum of the loss results (0 when there are none).
  double loss = 0;
  bool hasLoss = false;
  /// Scalar metrics by name (accuracy, ...), in result order.
  std::vector<std::pair<std::string, double>> metrics;
  /// Other results by name.
  std::vector<std::pair<std::string, HostTensor>> outputs;
  /// The batch size (first dim of the first data argument; 1 without one).
  int64_t samples = 1;
};

/// One tensor of a session's state, for checkpoints.
struct StateTensor {
  std::string name;
  std::vector<unsigned char> *bytes;
};

class Session {
public:
  /// Loads the artifact's kernels and initializes the state for `seed`.
  Session(const artifact::Artifact &artifact, uint64_t seed);

  const artifact::Artifact &artifact() const { return artifact_; }
  bool hasPhase(artifact::fb::Phase phase) const {
    return artifact_.schedule(phase) != nullptr;
  }
  /// Runs the schedule of `phase` once. `feeds[i]` serves data input i (may
  /// be null for inputs the schedule does not read). `inputs` are the user
  /// inputs (infer) by slot name.
  StepResult run(artifact::fb::Phase phase,
                 const std::vector<DataFeed *> &feeds,
                 const std::map<std::string, HostTensor> &inputs = {});

  int64_t step() const { return step_; }
  void setStep(int64_t step) { step_ = step; }
  const std::vector<unsigned char> &rngState() const { return rng_; }
  /// Every tensor a checkpoint holds: parameters (owners of their storage),
  /// optimizer state, RNG state; stable names.
  std::vector<StateTensor> stateTensors();

private:
  std::vector<unsigned char> &storage(const artifact::fb::Slot &slot);

  const artifact::Artifact &artifact_;
  std::vector<std::unique_ptr<KernelLibrary>> kernels_;
  /// Per parameter: its storage's owner (itself or its share_from chain's
  /// end).
  std::vector<int> owner_;
  std::vector<std::vector<unsigned char>> params_;
  std::map<std::pair<int, std::string>, std::vector<unsigned char>> state_;
  std::vector<unsigned char> rng_;
  int64_t step_ = 0;
};

/// The artifact's element type as a host tensor's, or throws.
DType hostDType(artifact::fb::DType dtype, const std::string &what);

} // namespace strata::runtime

#endif // STRATA_RUNTIME_EXEC_SESSION_H
