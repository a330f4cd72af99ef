//===- IdxFile.cpp - idx files (the MNIST / Fashion-MNIST format) ---------===//
#include "runtime/data/IdxFile.h"

#include "runtime/data/HostTensor.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <zlib.h>

namespace strata::runtime {

namespace {

uint64_t readBigEndian(const unsigned char *bytes, int count) {
  uint64_t value = 0;
  for (int i = 0; i < count; ++i)
    value = (value << 8) | bytes[i];
  return value;
}

/// The whole file, decompressed when it is gzip (zlib reads other files as
/// they are).
Expected<std::string> readWholeFile(const std::string &path) {
  gzFile file = ::gzopen(path.c_str(), "rb");
  if (!file)
    return Error("cannot open " + path + ": " +
                 (errno ? std::strerror(errno) : "out of memory"));
  std::string contents;
  char buffer[1 << 16];
  while (true) {
    int got = ::gzread(file, buffer, sizeof(buffer));
    if (got < 0) {
      int code = 0;
      std::string message = ::gzerror(file, &code);
      ::gzclose(file);
      return Error(path + ": read error: " + message);
    }
    if (got == 0)
      break;
    contents.append(buffer, static_cast<size_t>(got));
  }
  // A gzip stream cut short ends without error from gzread on some zlib
  // versions; gzclose_r reports it.
  int code = ::gzclose(file);
  if (code != Z_OK)
    return Error(path + ": corrupt or truncated gzip data");
  return contents;
}

} // namespace

size_t IdxArray::elementSize(Type type) {
  switch (type) {
  case U8:
  case I8:
    return 1;
  case I16:
    return 2;
  case I32:
  case F32:
    return 4;
  case F64:
    return 8;
  }
  return 0;
}

double IdxArray::element(int64_t i) const {
  const auto *p = reinterpret_cast<const unsigned char *>(bytes.data()) +
                  static_cast<size_t>(i) * elementSize(type);
  switch (type) {
  case U8:
    return p[0];
  case I8:
    return static_cast<int8_t>(p[0]);
  case I16:
    return static_cast<int16_t>(readBigEndian(p, 2));
  case I32:
    return static_cast<int32_t>(readBigEndian(p, 4));
  case F32: {
    uint32_t bits = static_cast<uint32_t>(readBigEndian(p, 4));
    float value;
    std::memcpy(&value, &bits, 4);
    return value;
  }
  case F64: {
    uint64_t bits = readBigEndian(p, 8);
    double value;
    std::memcpy(&value, &bits, 8);
    return value;
  }
  }
  return 0;
}

Expected<IdxArray> readIdxFile(const std::string &path) {
  Expected<std::string> contents = readWholeFile(path);
  if (!contents)
    return contents.error();
  const std::string &file = *contents;
  const auto *bytes = reinterpret_cast<const unsigned char *>(file.data());
  if (file.empty())
    return Error(path + ": empty file");
  if (file.size() < 4 || bytes[0] != 0 || bytes[1] != 0)
    return Error(path + ": not an idx file (it does not start with the "
                        "magic bytes 0x00 0x00 <type> <rank>)");
  IdxArray array;
  switch (bytes[2]) {
  case IdxArray::U8:
  case IdxArray::I8:
  case IdxArray::I16:
  case IdxArray::I32:
  case IdxArray::F32:
  case IdxArray::F64:
    array.type = static_cast<IdxArray::Type>(bytes[2]);
    break;
  default: {
    char hex[8];
    std::snprintf(hex, sizeof(hex), "0x%02x", bytes[2]);
    return Error(path + ": unknown idx element type " + hex);
  }
  }
  int rank = bytes[3];
  if (rank == 0)
    return Error(path + ": idx rank 0 (no record dimension)");
  size_t header = 4 + 4 * static_cast<size_t>(rank);
  if (file.size() < header)
    return Error(path + ": truncated header: rank " + std::to_string(rank) +
                 " needs " + std::to_string(header) + " bytes, the file has " +
                 std::to_string(file.size()));
  uint64_t count = IdxArray::elementSize(array.type);
  bool overflow = false;
  for (int i = 0; i < rank; ++i) {
    int64_t size = static_cast<int64_t>(readBigEndian(bytes + 4 + 4 * i, 4));
    array.dims.push_back(size);
    overflow |= __builtin_mul_overflow(count, uint64_t(size), &count);
  }
  // Records of no values would make a tiny file of billions of records.
  for (int i = 1; i < rank; ++i)
    if (array.dims[i] == 0)
      return Error(path + ": sizes " + formatShape(array.dims) +
                   ": records hold no values");
  uint64_t payload = file.size() - header;
  if (overflow || count != payload)
    return Error(path + ": sizes " + formatShape(array.dims) + " need " +
                 (overflow ? std::string("more") : std::to_string(count)) +
                 " bytes of elements after the " + std::to_string(header) +
                 "-byte header; the file has " + std::to_string(payload) +
                 (overflow || count > payload ? " (truncated)" : ""));
  if (array.dims[0] == 0)
    return Error(path + ": empty file (no records)");
  array.bytes = file.substr(header);
  return array;
}

Expected<std::unique_ptr<IdxReader>>
IdxReader::open(const std::string &imagesPath, const std::string &labelsPath) {
  Expected<IdxArray> images = readIdxFile(imagesPath);
  if (!images)
    return images.error();
  std::optional<IdxArray> labels;
  if (!labelsPath.empty()) {
    Expected<IdxArray> read = readIdxFile(labelsPath);
    if (!read)
      return read.error();
    if (read->dims.size() != 1 || !read->isInteger())
      return Error(labelsPath +
                   ": labels must be a rank-1 idx file of an "
                   "integer type; it has sizes " +
                   formatShape(read->dims) +
                   (read->isInteger() ? "" : " and float elements"));
    if (read->dims[0] != images->dims[0])
      return Error(labelsPath + ": " + std::to_string(read->dims[0]) +
                   " labels for the " + std::to_string(images->dims[0]) +
                   " records of " + imagesPath);
    labels = read.take();
  }
  return std::unique_ptr<IdxReader>(
      new IdxReader(imagesPath, images.take(), std::move(labels)));
}

Expected<Record> IdxReader::read(int64_t index) {
  Record record;
  record.shape.assign(images_.dims.begin() + 1, images_.dims.end());
  int64_t count = numElements(record.shape);
  if (images_.type == IdxArray::U8) {
    record.pixel = images_.bytes.substr(static_cast<size_t>(index * count),
                                        static_cast<size_t>(count));
  } else {
    record.data.resize(static_cast<size_t>(count));
    for (int64_t i = 0; i < count; ++i)
      record.data[i] = static_cast<float>(images_.element(index * count + i));
  }
  if (labels_)
    record.label = static_cast<int32_t>(labels_->element(index));
  return record;
}

} // namespace strata::runtime
