//===- Feeds.h - Data feeds for an artifact's data inputs -----------------===//
//
// openFeed turns an artifact's data input (its DataSource: SINGA's
// store_conf) into a DataFeed the Session reads batches from. The batch
// shape comes from the artifact: data [batch, shape...] f32, labels [batch]
// i32 when the input has them; a char-RNN input yields [unroll_len + 1,
// batch] i32 character ids. Kinds: record (kvfile records, textfile / CSV
// lines), csv, char_rnn (docs/DATA.md). A record input whose file is an idx
// file (MNIST's format, plain or gzip: isIdxFile) reads it directly, with
// its labels from the "labels" file.
//
// `path` is the file to read (the data source's own path, or what the user
// gave for it); `resolve(key, path)` maps the source's other files (keys
// "mean", "std", "vocab" with the source's mean_file, std_file, vocab_path;
// "labels" with the idx labels file derived from the images file's name:
// idxLabelsFor) to files (strata-run: relative to --data-dir, or NAME.KEY in
// its --data). A
// missing or unreadable file or records of another size throw RuntimeError
// naming the input, the phase and the file.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_EXEC_FEEDS_H
#define STRATA_RUNTIME_EXEC_FEEDS_H

#include "runtime/exec/Session.h"

#include <functional>

namespace strata::runtime {

using PathResolver =
    std::function<std::string(const std::string &key, const std::string &path)>;

/// Whether `path` holds an idx file: the magic (0, 0, an idx element type, a
/// rank of 1 to 4), or a gzip file whose name contains "idx".
bool isIdxFile(const std::string &path);

/// The labels file that goes with an idx images file by the MNIST naming
/// ("train-images-idx3-ubyte.gz" -> "train-labels-idx1-ubyte.gz"); empty
/// when the name does not follow it.
std::string idxLabelsFor(const std::string &imagesPath);

std::unique_ptr<DataFeed> openFeed(const artifact::fb::DataInput &input,
                                   const std::string &path,
                                   const PathResolver &resolve, uint64_t seed);

} // namespace strata::runtime

#endif // STRATA_RUNTIME_EXEC_FEEDS_H
