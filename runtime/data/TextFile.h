//===- TextFile.h - textfile (CSV) data files -----------------------------===//
//
// One record per line, fields separated by `separator` (a string, "," by
// default), the label first when `hasLabel`. Labels are integers, values are
// decimal floats; spaces and tabs around a field and a trailing "\r" are
// ignored; empty lines are skipped (they are not records). Records hold their
// values in `data` and no stored shape.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_RUNTIME_DATA_TEXTFILE_H
#define STRATA_RUNTIME_DATA_TEXTFILE_H

#include "runtime/data/Record.h"

namespace strata::runtime {

class TextFileReader : public RecordSource {
public:
  /// Reads the file and finds its lines; fields are parsed by read().
  static Expected<std::unique_ptr<TextFileReader>>
  open(const std::string &path, const std::string &separator = ",",
       bool hasLabel = true);

  const std::string &path() const override { return path_; }
  int64_t size() const override { return static_cast<int64_t>(lines_.size()); }
  Expected<Record> read(int64_t index) override;
  /// "record 3 (line 5)".
  std::string describe(int64_t index) const override;

private:
  struct Line {
    size_t offset, length;
    int64_t number; // 1-based
  };
  TextFileReader(std::string path, std::string separator, bool hasLabel,
                 std::string contents, std::vector<Line> lines)
      : path_(std::move(path)), separator_(std::move(separator)),
        hasLabel_(hasLabel), contents_(std::move(contents)),
        lines_(std::move(lines)) {}

  std::string path_;
  std::string separator_;
  bool hasLabel_;
  std::string contents_;
  std::vector<Line> lines_;
};

} // namespace strata::runtime

#endif // STRATA_RUNTIME_DATA_TEXTFILE_H
