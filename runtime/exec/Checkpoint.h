//===- Checkpoint.h - Saving and restoring a training run -----------------===//
//
// A checkpoint holds everything that makes resuming bit-exact: the step
// counter, every parameter, the optimizer state, the RNG state and the read
// position of every data feed, tied to the artifact by its content hash.
//
// File layout (little-endian):
//   0   8  magic "STRATACK"
//   8   4  format version (1)
//  12   4  reserved, 0
//  16   8  body size
//  24  32  SHA-256 of the body
//  56   8  reserved, 0
//  64   -  body: artifact hash (64 hex chars), step (i64), feed count (u32)
//          and positions (i64 each, -1 for none), tensor count (u32) and per
//          tensor: name length (u32), name, byte count (u64), bytes.
//
// saveCheckpoint writes through writeFileAtomically (temporary file, fsync,
// rename): a process killed while writing leaves the previous file intact.
// loadCheckpoint verifies everything before changing the session and throws
// RuntimeError naming the file and the problem.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_EXEC_CHECKPOINT_H
#define STRATA_RUNTIME_EXEC_CHECKPOINT_H

#include "runtime/exec/Session.h"

namespace strata::runtime {

void saveCheckpoint(const std::string &path, Session &session,
                    const std::vector<DataFeed *> &feeds);

/// Restores `session` (and the feeds' positions) from `path`.
void loadCheckpoint(const std::string &path, Session &session,
                    const std::vector<DataFeed *> &feeds);

/// The checkpoint files of a folder ("step-<N>.ckpt"), newest step first.
std::vector<std::pair<int64_t, std::string>>
listCheckpoints(const std::string &dir);

} // namespace strata::runtime

#endif // STRATA_RUNTIME_EXEC_CHECKPOINT_H
