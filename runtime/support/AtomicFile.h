//===- AtomicFile.h - Whole-file writes that never leave half a file ------===//
//
// writeFileAtomically writes the bytes to a temporary file in the target's
// folder, fsyncs it, renames it over the target and fsyncs the folder: a
// reader (or a crash at any point) sees either the old file or the new one,
// never a mix. Artifacts, checkpoints and converted data files go through it.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_SUPPORT_ATOMICFILE_H
#define STRATA_RUNTIME_SUPPORT_ATOMICFILE_H

#include <cstddef>
#include <string>
#include <vector>

namespace strata::runtime {

/// One piece of the file's contents.
struct ByteSpan {
  const void *data;
  size_t size;
};

/// Writes the concatenation of `pieces` to `path` atomically. Throws
/// RuntimeError naming the path and the failing system call; the target is
/// untouched and the temporary file removed on failure.
void writeFileAtomically(const std::string &path,
                         const std::vector<ByteSpan> &pieces);

/// Reads a whole file. Throws RuntimeError naming the path.
std::vector<unsigned char> readWholeFile(const std::string &path);

} // namespace strata::runtime

#endif // STRATA_RUNTIME_SUPPORT_ATOMICFILE_H
