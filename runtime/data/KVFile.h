//===- KVFile.h - kvfile data files: read and write -----------------------===//
//
// A kvfile is a sequence of tuples
//   [8-byte little-endian key length][key][8-byte little-endian value
//   length][value]
// whose values are serialized Record messages (record.proto). A path naming a
// folder means `<path>/shard.dat`. Opening a file checks the framing of every
// tuple (lengths against the file size) without parsing the values, so a
// truncated or corrupt file fails at open with the tuple index and byte
// offset; a value that is not a valid record fails when it is read.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_RUNTIME_DATA_KVFILE_H
#define STRATA_RUNTIME_DATA_KVFILE_H

#include "runtime/data/Record.h"

#include <cstdio>
#include <memory>

namespace strata::runtime {

/// `path`, or `path/shard.dat` when `path` is a folder.
std::string resolveKVFilePath(const std::string &path);

class KVFileReader : public RecordSource {
public:
  KVFileReader(const KVFileReader &) = delete;
  KVFileReader &operator=(const KVFileReader &) = delete;
  ~KVFileReader() override;

  /// Opens `path` (a file or a folder holding shard.dat) and checks the
  /// framing of every tuple. Fails on a missing, empty or truncated file.
  static Expected<std::unique_ptr<KVFileReader>> open(const std::string &path);

  const std::string &path() const override { return path_; }
  int64_t size() const override { return static_cast<int64_t>(tuples_.size()); }
  /// Parses record `index`; fails when the value is not a valid record, holds
  /// both pixel and data, or its stored shape does not hold its values.
  Expected<Record> read(int64_t index) override;
  std::string describe(int64_t index) const override;
  /// The key of tuple `index`.
  Expected<std::string> key(int64_t index);

private:
  struct Tuple {
    uint64_t offset; // of the tuple's first byte
    uint64_t keyLength;
    uint64_t valueLength; // the value follows the key and its length
  };
  KVFileReader(std::string path, int fd, std::vector<Tuple> tuples)
      : path_(std::move(path)), fd_(fd), tuples_(std::move(tuples)) {}
  Status readAt(uint64_t offset, uint64_t length, std::string &bytes);

  std::string path_;
  int fd_; // read with pread: no file position to keep
  std::vector<Tuple> tuples_;
};

/// Writes a kvfile atomically: tuples go to a temporary file beside the
/// target, and commit() flushes, fsyncs and renames it over the target. A
/// writer destroyed without commit() removes its temporary file, so the
/// target is either the old file or the complete new one.
class KVFileWriter {
public:
  static Expected<KVFileWriter> create(const std::string &path);
  KVFileWriter(KVFileWriter &&other) noexcept;
  KVFileWriter &operator=(KVFileWriter &&) = delete;
  ~KVFileWriter();

  /// Appends one tuple. The record's shape sizes must fit in int32.
  Status append(const std::string &key, const Record &record);
  Status commit();
  int64_t size() const { return count_; }

private:
  KVFileWriter(std::string path, std::string tempPath, std::FILE *file)
      : path_(std::move(path)), tempPath_(std::move(tempPath)), file_(file) {}
  Status fail(const std::string &what);

  std::string path_;
  std::string tempPath_;
  std::FILE *file_;
  int64_t count_ = 0;
};

} // namespace strata::runtime

#endif // STRATA_RUNTIME_DATA_KVFILE_H
