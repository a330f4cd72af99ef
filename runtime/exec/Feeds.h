//===- Feeds.h - Data feeds for an artifact's data inputs -----------------===//
//
// openFeed turns an artifact's data input (its DataSource: SINGA's
// store_conf) into a DataFeed the Session reads batches from. The batch
// shape comes from the artifact: data [batch, shape...] f32, labels [batch]
// i32 when the input has them. Backends: kvfile records and textfile / CSV
// lines (docs/DATA.md).
//
// `path` is the file to read: the data source's own path, resolved by the
// caller (strata-run's --data and --data-dir). A missing or unreadable file
// or records of another size throw RuntimeError naming the input, the phase
// and the file.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_EXEC_FEEDS_H
#define STRATA_RUNTIME_EXEC_FEEDS_H

#include "runtime/exec/Session.h"

namespace strata::runtime {

std::unique_ptr<DataFeed> openFeed(const artifact::fb::DataInput &input,
                                   const std::string &path, uint64_t seed);

} // namespace strata::runtime

#endif // STRATA_RUNTIME_EXEC_FEEDS_H
