//===- Conversion.cpp - Whole-file operations on data files ---------------===//
#include "runtime/data/Conversion.h"

#include "runtime/data/HostTensor.h"
#include "runtime/data/KVFile.h"

#include <algorithm>
#include <cstdio>

namespace strata::runtime {

std::string recordKey(int64_t index) {
  char key[32];
  std::snprintf(key, sizeof(key), "%08lld", static_cast<long long>(index));
  return key;
}

Expected<int64_t> writeKVFile(RecordSource &source, const std::string &path) {
  Expected<KVFileWriter> writer = KVFileWriter::create(path);
  if (!writer)
    return writer.error();
  for (int64_t i = 0; i < source.size(); ++i) {
    Expected<Record> record = source.read(i);
    if (!record)
      return record.error();
    if (Status status = writer->append(recordKey(i), *record); !status)
      return status.error();
  }
  if (Status status = writer->commit(); !status)
    return status.error();
  return source.size();
}

Expected<Record> computeMeanRecord(RecordSource &source) {
  std::vector<double> sum;
  Record mean;
  for (int64_t i = 0; i < source.size(); ++i) {
    Expected<Record> record = source.read(i);
    if (!record)
      return record.error();
    if (i == 0) {
      mean.shape = record->shapeOrFlat();
      sum.assign(static_cast<size_t>(record->numValues()), 0.0);
    } else if (record->numValues() != static_cast<int64_t>(sum.size())) {
      return Error(source.path() + ": " + source.describe(i) + ": shape " +
                   formatShape(record->shapeOrFlat()) + " (" +
                   std::to_string(record->numValues()) +
                   " values) differs from record 0's " +
                   formatShape(mean.shape) + " (" + std::to_string(sum.size()) +
                   " values)");
    }
    for (size_t j = 0; j < sum.size(); ++j)
      sum[j] += record->value(static_cast<int64_t>(j));
  }
  mean.data.resize(sum.size());
  for (size_t j = 0; j < sum.size(); ++j)
    mean.data[j] =
        static_cast<float>(sum[j] / static_cast<double>(source.size()));
  return mean;
}

Expected<DataSummary> summarize(RecordSource &source) {
  DataSummary summary;
  bool anyValue = false;
  for (int64_t i = 0; i < source.size(); ++i) {
    Expected<Record> record = source.read(i);
    if (!record)
      return record.error();
    ++summary.records;
    ++summary.shapes[record->shapeOrFlat()];
    if (record->pixel.empty())
      ++summary.floatRecords;
    else
      ++summary.pixelRecords;
    for (int64_t j = 0; j < record->numValues(); ++j) {
      float value = record->value(j);
      summary.minValue = anyValue ? std::min(summary.minValue, value) : value;
      summary.maxValue = anyValue ? std::max(summary.maxValue, value) : value;
      anyValue = true;
    }
    if (record->label)
      ++summary.labels[*record->label];
    else
      ++summary.unlabeled;
  }
  return summary;
}

} // namespace strata::runtime
