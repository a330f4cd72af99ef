//===- JobFile.h - A parsed SINGA job configuration with its locations ----===//
//
// Reads the protobuf text format of a job configuration with protobuf's own
// TextFormat parser into Strata's schema (job.proto), keeping where each
// layer, param and conf was written so later errors can name file:line:col.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_FRONTENDS_SINGA_JOBFILE_H
#define STRATA_FRONTENDS_SINGA_JOBFILE_H

#include "frontends/singa/job.pb.h"

#include <google/protobuf/text_format.h>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>

namespace strata::singa {

/// A 1-based position in a job file.
struct SourcePos {
  int line = 0;
  int column = 0;
};

class JobFile {
public:
  /// Parses `text` (named `path` in messages). Syntax errors come back as one
  /// llvm::Error with a "path:line:col: error: message" line per error.
  static llvm::Expected<std::unique_ptr<JobFile>> parse(llvm::StringRef text,
                                                        llvm::StringRef path);
  /// Reads and parses a file; a missing or unreadable file is an error naming
  /// it.
  static llvm::Expected<std::unique_ptr<JobFile>> read(llvm::StringRef path);

  const JobProto &job() const { return job_; }
  const std::string &path() const { return path_; }

  /// Where layer `layer` (index into neuralnet.layer) starts.
  SourcePos layerPos(int layer) const;
  /// Where param `param` of layer `layer` starts.
  SourcePos paramPos(int layer, int param) const;
  /// Where field `field` of layer `layer` is written (the layer's start if the
  /// field is absent).
  SourcePos layerFieldPos(int layer, llvm::StringRef field) const;
  /// Where top-level field `field` (e.g. "updater") is written, or 1:1.
  SourcePos topFieldPos(llvm::StringRef field) const;

  /// "path:line:col: error: message" for a position.
  std::string formatError(SourcePos pos, llvm::StringRef message) const;

private:
  JobFile() = default;
  std::string path_;
  JobProto job_;
  google::protobuf::TextFormat::ParseInfoTree tree_;
};

} // namespace strata::singa

#endif // STRATA_FRONTENDS_SINGA_JOBFILE_H
