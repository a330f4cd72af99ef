//===- Artifact.h - Loading and verifying a Strata artifact ---------------===//
//
// Artifact::load reads a file and verifies it before anything uses it, in
// this order: the header (magic, format version, payload size), the SHA-256
// of the payload, the FlatBuffers structure (flatbuffers::Verifier), then the
// meaning (every index in range, every shape and type valid, memory plans
// inside their arenas). Any failure throws RuntimeError naming the file and
// the first problem found. A loaded artifact owns its bytes; `root()` gives
// the generated FlatBuffers accessors (artifact_generated.h).
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_ARTIFACT_ARTIFACT_H
#define STRATA_RUNTIME_ARTIFACT_ARTIFACT_H

#include "runtime/artifact/artifact_generated.h"

#include <cstdint>
#include <string>
#include <vector>

namespace strata::artifact {

class Artifact {
public:
  Artifact(Artifact &&) = default;
  Artifact &operator=(Artifact &&) = default;
  Artifact(const Artifact &) = delete;
  Artifact &operator=(const Artifact &) = delete;

  /// Reads and verifies `path`.
  static Artifact load(const std::string &path);
  /// Verifies a whole file's bytes; `name` is used in messages.
  static Artifact fromBytes(std::vector<unsigned char> bytes,
                            const std::string &name);

  const fb::Artifact &root() const { return *root_; }
  const std::string &name() const { return name_; }
  /// The SHA-256 of the payload, hex: identifies the artifact's contents.
  const std::string &contentHash() const { return hash_; }

  /// The schedule of a phase, or nullptr.
  const fb::Schedule *schedule(fb::Phase phase) const;

private:
  Artifact() = default;

  std::vector<unsigned char> bytes_;
  const fb::Artifact *root_ = nullptr;
  std::string name_;
  std::string hash_;
};

/// Bytes per element of a dtype (i1 takes a byte).
size_t elementSize(fb::DType dtype);
/// The element count of a tensor type.
int64_t elementCount(const fb::TensorType &type);

} // namespace strata::artifact

#endif // STRATA_RUNTIME_ARTIFACT_ARTIFACT_H
