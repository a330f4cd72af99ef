//===- Feeds.h - Data feeds for an artifact's data inputs -----------------===//
//
// openFeed turns an artifact's data input (its DataSource: SINGA's
// store_conf) into a DataFeed the Session reads batches from. The batch
// shape comes from the artifact: data [batch, shape...] f32, labels [batch]
// i32 when the input has them; a char-RNN input yields [unroll_len + 1,
// batch] i32 character ids. Kinds: record (kvfile records, textfile / CSV
// lines), csv, char_rnn (docs/DATA.md).
//
// `path` is the file to read (the data source's own path, or what the user
// gave for it); `resolve` maps the source's other paths (mean_file,
// std_file, vocab_path) to files (strata-run: relative to --data-dir). A
// missing or unreadable file or records of another size throw RuntimeError
// naming the input, the phase and the file.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_EXEC_FEEDS_H
#define STRATA_RUNTIME_EXEC_FEEDS_H

#include "runtime/exec/Session.h"

#include <functional>

namespace strata::runtime {

using PathResolver = std::function<std::string(const std::string &)>;

std::unique_ptr<DataFeed> openFeed(const artifact::fb::DataInput &input,
                                   const std::string &path,
                                   const PathResolver &resolve, uint64_t seed);

} // namespace strata::runtime

#endif // STRATA_RUNTIME_EXEC_FEEDS_H
