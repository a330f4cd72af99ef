//===- RecordReader.cpp - Batches of records for a record input layer -----===//
#include "runtime/data/RecordReader.h"

#include "runtime/data/IdxFile.h"
#include "runtime/data/KVFile.h"
#include "runtime/data/TextFile.h"

#include <random>

namespace strata::runtime {

namespace {

template <typename Reader>
Expected<std::unique_ptr<RecordSource>>
asSource(Expected<std::unique_ptr<Reader>> reader) {
  if (!reader)
    return reader.error();
  return std::unique_ptr<RecordSource>(reader.take());
}

/// The single image of a mean_file / std_file, as `count` floats.
Expected<std::vector<float>> readImageFile(const std::string &path,
                                           const char *field, int64_t count,
                                           const std::vector<int64_t> &shape) {
  Expected<std::unique_ptr<KVFileReader>> reader = KVFileReader::open(path);
  if (!reader)
    return Error(std::string(field) + ": " + reader.error().message());
  if ((*reader)->size() != 1)
    return Error(std::string(field) + " " + (*reader)->path() + " holds " +
                 std::to_string((*reader)->size()) +
                 " records; expected one (the image)");
  Expected<Record> record = (*reader)->read(0);
  if (!record)
    return Error(std::string(field) + ": " + record.error().message());
  if (record->numValues() != count)
    return Error(std::string(field) + " " + (*reader)->path() +
                 ": its image has " + std::to_string(record->numValues()) +
                 " values; records of shape " + formatShape(shape) + " have " +
                 std::to_string(count));
  std::vector<float> values(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i)
    values[i] = record->value(i);
  return values;
}

} // namespace

Expected<std::unique_ptr<RecordSource>>
openRecordSource(const StoreConfig &config) {
  if (config.path.empty())
    return Error("store_conf: no path");
  if (config.backend == "kvfile")
    return asSource(KVFileReader::open(config.path));
  if (config.backend == "textfile")
    return asSource(
        TextFileReader::open(config.path, config.separator, config.hasLabel));
  if (config.backend == "idx")
    return asSource(IdxReader::open(
        config.path, config.hasLabel ? config.labelPath : std::string()));
  return Error("store_conf: unknown backend '" + config.backend +
               "' (expected kvfile, textfile or idx)");
}

Expected<RecordReader> RecordReader::open(const StoreConfig &config) {
  if (config.batchSize <= 0)
    return Error("store_conf: batchsize must be positive, not " +
                 std::to_string(config.batchSize));
  if (config.randomSkip < 0)
    return Error("store_conf: random_skip must not be negative");
  if (config.backend == "idx" && config.hasLabel && config.labelPath.empty())
    return Error("store_conf: the idx backend needs a labels file");
  Expected<std::unique_ptr<RecordSource>> source = openRecordSource(config);
  if (!source)
    return source.error();
  RecordReader reader(config, source.take());

  reader.shape_ = config.shape;
  if (reader.shape_.empty()) {
    Expected<Record> first = reader.source_->read(0);
    if (!first)
      return first.error();
    reader.shape_ = first->shapeOrFlat();
  }
  for (int64_t size : reader.shape_)
    if (size <= 0)
      return Error("store_conf: shape " + formatShape(reader.shape_) +
                   " has a size that is not positive");
  int64_t count = numElements(reader.shape_);

  if (!config.meanFile.empty()) {
    Expected<std::vector<float>> mean =
        readImageFile(config.meanFile, "mean_file", count, reader.shape_);
    if (!mean)
      return mean.error();
    reader.mean_ = mean.take();
  } else {
    reader.mean_ = {config.meanValue};
  }
  if (!config.stdFile.empty()) {
    Expected<std::vector<float>> deviation =
        readImageFile(config.stdFile, "std_file", count, reader.shape_);
    if (!deviation)
      return deviation.error();
    reader.std_ = deviation.take();
  } else {
    reader.std_ = {config.stdValue};
  }
  for (size_t i = 0; i < reader.std_.size(); ++i)
    if (reader.std_[i] == 0)
      return Error(config.stdFile.empty()
                       ? std::string("store_conf: std_value is 0")
                       : "std_file " + config.stdFile + ": element " +
                             std::to_string(i) + " is 0");

  if (config.randomSkip > 0) {
    std::mt19937_64 engine(config.seed);
    uint64_t skip = engine() % static_cast<uint64_t>(config.randomSkip);
    reader.position_ = static_cast<int64_t>(
        skip % static_cast<uint64_t>(reader.source_->size()));
  }
  return reader;
}

Expected<Batch> RecordReader::next() {
  const int64_t batchSize = config_.batchSize;
  const int64_t count = numElements(shape_);
  std::vector<int64_t> dataShape{batchSize};
  dataShape.insert(dataShape.end(), shape_.begin(), shape_.end());
  Batch batch{HostTensor(DType::F32, dataShape), std::nullopt};
  if (config_.hasLabel)
    batch.labels = HostTensor(DType::I32, {batchSize});

  const bool meanPerElement = mean_.size() > 1;
  const bool stdPerElement = std_.size() > 1;
  int64_t index = position_;
  for (int64_t b = 0; b < batchSize; ++b) {
    Expected<Record> record = source_->read(index);
    if (!record)
      return record.error();
    std::string where = source_->path() + ": " + source_->describe(index);
    if (record->numValues() != count) {
      std::vector<int64_t> got = record->shapeOrFlat();
      return Error(where + ": shape " + formatShape(got) + " (" +
                   std::to_string(record->numValues()) +
                   " values) does not match the expected shape " +
                   formatShape(shape_) + " (" + std::to_string(count) +
                   " values)");
    }
    if (config_.hasLabel) {
      if (!record->label)
        return Error(where + ": no label");
      int32_t label = *record->label;
      if (config_.numLabels > 0 && (label < 0 || label >= config_.numLabels))
        return Error(where + ": label " + std::to_string(label) +
                     " is outside [0, " + std::to_string(config_.numLabels) +
                     ")");
      batch.labels->data<int32_t>()[b] = label;
    }
    float *out = batch.data.data<float>() + b * count;
    for (int64_t i = 0; i < count; ++i) {
      float mean = mean_[meanPerElement ? i : 0];
      float deviation = std_[stdPerElement ? i : 0];
      out[i] = (record->value(i) - mean) / deviation;
    }
    index = (index + 1) % source_->size();
  }
  position_ = index;
  return batch;
}

} // namespace strata::runtime
