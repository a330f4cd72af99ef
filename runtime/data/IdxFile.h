//===- IdxFile.h - idx files (the MNIST / Fashion-MNIST format) -----------===//
//
// An idx file is a 4-byte magic (0, 0, element type, rank), the sizes as
// big-endian uint32, then the elements, big-endian, row-major. Element types:
// 0x08 u8, 0x09 i8, 0x0B i16, 0x0C i32, 0x0D f32, 0x0E f64. gzip-compressed
// files (the form datasets ship in) are read as well.
//
// IdxReader pairs an images file [N, d...] with a labels file [N] of an
// integer type: record i holds image i (as bytes when the file is u8, else as
// floats) with shape [d...] and label i.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_RUNTIME_DATA_IDXFILE_H
#define STRATA_RUNTIME_DATA_IDXFILE_H

#include "runtime/data/Record.h"

namespace strata::runtime {

struct IdxArray {
  enum Type : uint8_t {
    U8 = 0x08,
    I8 = 0x09,
    I16 = 0x0B,
    I32 = 0x0C,
    F32 = 0x0D,
    F64 = 0x0E
  };
  Type type;
  std::vector<int64_t> dims;
  /// The elements as stored (big-endian).
  std::string bytes;

  static size_t elementSize(Type type);
  bool isInteger() const { return type != F32 && type != F64; }
  /// Element `i` (flat, row-major) converted to double.
  double element(int64_t i) const;
};

/// Reads a whole idx file (plain or gzip) and checks its header and size.
Expected<IdxArray> readIdxFile(const std::string &path);

class IdxReader : public RecordSource {
public:
  /// `labelsPath` may be empty: records then have no label.
  static Expected<std::unique_ptr<IdxReader>>
  open(const std::string &imagesPath, const std::string &labelsPath);

  const std::string &path() const override { return path_; }
  int64_t size() const override { return images_.dims[0]; }
  Expected<Record> read(int64_t index) override;

private:
  IdxReader(std::string path, IdxArray images, std::optional<IdxArray> labels)
      : path_(std::move(path)), images_(std::move(images)),
        labels_(std::move(labels)) {}

  std::string path_;
  IdxArray images_;
  std::optional<IdxArray> labels_;
};

} // namespace strata::runtime

#endif // STRATA_RUNTIME_DATA_IDXFILE_H
