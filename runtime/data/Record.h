//===- Record.h - One data record and the sources that yield them ---------===//
//
// A record is one example of a data file: its values (bytes or floats), the
// shape they were stored with and a label. Every file format (kvfile, text,
// idx) is read through a RecordSource: random access by index, errors naming
// the file and the record. RecordReader (RecordReader.h) batches any source.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_RUNTIME_DATA_RECORD_H
#define STRATA_RUNTIME_DATA_RECORD_H

#include "runtime/data/Error.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace strata::runtime {

struct Record {
  /// The shape stored with the record; empty when the file stores none.
  std::vector<int64_t> shape;
  std::optional<int32_t> label;
  /// The values: bytes 0..255 in `pixel`, or floats in `data` (one of the two
  /// is empty).
  std::string pixel;
  std::vector<float> data;

  int64_t numValues() const {
    return pixel.empty() ? static_cast<int64_t>(data.size())
                         : static_cast<int64_t>(pixel.size());
  }
  float value(int64_t i) const {
    return pixel.empty() ? data[i]
                         : static_cast<float>(static_cast<uint8_t>(pixel[i]));
  }
  /// The stored shape, or [numValues()] when none is stored.
  std::vector<int64_t> shapeOrFlat() const {
    return shape.empty() ? std::vector<int64_t>{numValues()} : shape;
  }
};

/// Records of one file, by index.
class RecordSource {
public:
  virtual ~RecordSource() = default;
  /// The file read (for messages).
  virtual const std::string &path() const = 0;
  /// The number of records (at least 1: opening an empty file fails).
  virtual int64_t size() const = 0;
  /// Record `index` (0 <= index < size()).
  virtual Expected<Record> read(int64_t index) = 0;
  /// Where record `index` is, for messages: "record 3", and the line or
  /// byte offset where the format has one.
  virtual std::string describe(int64_t index) const {
    return "record " + std::to_string(index);
  }
};

} // namespace strata::runtime

#endif // STRATA_RUNTIME_DATA_RECORD_H
