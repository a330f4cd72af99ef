//===- RecordReader.h - Batches of records for a record input layer -------===//
//
// The input of a kRecordInput / kCSVInput layer: a StoreConfig (the layer's
// store_conf) opens a RecordSource for its backend, and next() yields batches
// of (data [batchSize, shape...] f32, labels [batchSize] i32).
//
// Order: records in file order from a start record, wrapping around to record
// 0 after the last one (the reader loops over the file forever). The start
// record is 0, or with randomSkip > 0 the first output of std::mt19937_64
// seeded with `seed`, modulo randomSkip (so in [0, randomSkip)), modulo the
// number of records.
//
// Values: a record matches the expected shape when it holds as many values as
// the shape has elements (the shape it was stored with may differ, e.g.
// [28, 28] for an expected [784]). Each value becomes
//   x = (x - mean) / std
// where mean is the mean_file's image (element-wise) if given, else
// meanValue; std is the std_file's image if given, else stdValue.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_RUNTIME_DATA_RECORDREADER_H
#define STRATA_RUNTIME_DATA_RECORDREADER_H

#include "runtime/data/HostTensor.h"
#include "runtime/data/Record.h"

namespace strata::runtime {

/// The fields of a store_conf that reading uses (plus Strata's own: seed,
/// labelPath, numLabels).
struct StoreConfig {
  /// "kvfile", "textfile" or "idx".
  std::string backend = "kvfile";
  /// kvfile: a file, or a folder holding shard.dat; textfile: the text file;
  /// idx: the images file.
  std::string path;
  /// idx only: the labels file.
  std::string labelPath;
  /// textfile only.
  std::string separator = ",";
  /// A kvfile holding one record: the mean / standard deviation image.
  std::string meanFile;
  std::string stdFile;
  float meanValue = 0;
  float stdValue = 1;
  int64_t batchSize = 0;
  /// The shape of one record; empty: the shape of record 0 (its stored shape,
  /// or [number of values] when it stores none).
  std::vector<int64_t> shape;
  int64_t randomSkip = 0;
  uint64_t seed = 0;
  bool hasLabel = true;
  /// When > 0, every label must be in [0, numLabels).
  int32_t numLabels = 0;
};

/// Opens the RecordSource of `config.backend`.
Expected<std::unique_ptr<RecordSource>>
openRecordSource(const StoreConfig &config);

class RecordReader {
public:
  /// Opens the source, reads the mean / std files and record 0 (to check the
  /// shape), and applies random_skip.
  static Expected<RecordReader> open(const StoreConfig &config);

  /// The next batchSize records. Fails on a record that is corrupt, has the
  /// wrong number of values, or lacks a label / has one out of range; the
  /// position is then unchanged.
  Expected<Batch> next();

  /// The index of the record the next batch starts with.
  int64_t position() const { return position_; }
  /// Makes the next batch start with record `position` modulo the number of
  /// records (a checkpoint's saved position).
  void seek(int64_t position) {
    int64_t n = numRecords();
    position_ = n > 0 ? ((position % n) + n) % n : 0;
  }
  int64_t numRecords() const { return source_->size(); }
  const std::vector<int64_t> &shape() const { return shape_; }

private:
  RecordReader(StoreConfig config, std::unique_ptr<RecordSource> source)
      : config_(std::move(config)), source_(std::move(source)) {}

  StoreConfig config_;
  std::unique_ptr<RecordSource> source_;
  std::vector<int64_t> shape_;
  /// One value (broadcast) or one per element.
  std::vector<float> mean_, std_;
  int64_t position_ = 0;
};

} // namespace strata::runtime

#endif // STRATA_RUNTIME_DATA_RECORDREADER_H
