//===- Conversion.h - Whole-file operations on data files -----------------===//
//
// What strata-data does, as library functions: write any RecordSource as a
// kvfile, compute the mean image of a file, summarise a file.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_RUNTIME_DATA_CONVERSION_H
#define STRATA_RUNTIME_DATA_CONVERSION_H

#include "runtime/data/Record.h"

#include <map>

namespace strata::runtime {

/// The key of record `index` in the kvfiles Strata writes: the index in
/// decimal, zero-padded to 8 digits.
std::string recordKey(int64_t index);

/// Writes every record of `source` to the kvfile `path` (atomically: the
/// file appears complete or not at all). Returns the number of records.
Expected<int64_t> writeKVFile(RecordSource &source, const std::string &path);

/// The element-wise mean of every record's values, as a record holding
/// floats in `data`, with record 0's shape and no label. All records must
/// hold the same number of values.
Expected<Record> computeMeanRecord(RecordSource &source);

struct DataSummary {
  int64_t records = 0;
  /// Records per stored shape ([n] for records that store none).
  std::map<std::vector<int64_t>, int64_t> shapes;
  int64_t pixelRecords = 0, floatRecords = 0;
  float minValue = 0, maxValue = 0;
  /// Records per label.
  std::map<int32_t, int64_t> labels;
  int64_t unlabeled = 0;
};

/// Reads every record; fails on the first corrupt one.
Expected<DataSummary> summarize(RecordSource &source);

} // namespace strata::runtime

#endif // STRATA_RUNTIME_DATA_CONVERSION_H
