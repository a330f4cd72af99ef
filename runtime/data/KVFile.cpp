//===- KVFile.cpp - kvfile data files: read and write ---------------------===//
#include "runtime/data/KVFile.h"

#include "runtime/data/HostTensor.h"
#include "runtime/data/record.pb.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace strata::runtime {

namespace {

std::string systemError() { return std::strerror(errno); }

uint64_t decodeLength(const unsigned char *bytes) {
  uint64_t value = 0;
  for (int i = 7; i >= 0; --i)
    value = (value << 8) | bytes[i];
  return value;
}

void encodeLength(uint64_t value, std::string &out) {
  for (int i = 0; i < 8; ++i)
    out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

/// Reads exactly `length` bytes at `offset`; false on a short read.
bool preadAll(int fd, uint64_t offset, uint64_t length, char *out) {
  while (length > 0) {
    ssize_t got = ::pread(fd, out, length, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      return false;
    out += got;
    offset += static_cast<uint64_t>(got);
    length -= static_cast<uint64_t>(got);
  }
  return true;
}

std::string directoryOf(const std::string &path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos)
    return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

} // namespace

std::string resolveKVFilePath(const std::string &path) {
  struct stat info;
  if (::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode))
    return path + "/shard.dat";
  return path;
}

//===----------------------------------------------------------------------===//
// KVFileReader
//===----------------------------------------------------------------------===//

Expected<std::unique_ptr<KVFileReader>>
KVFileReader::open(const std::string &givenPath) {
  std::string path = resolveKVFilePath(givenPath);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return Error("cannot open " + path + ": " + systemError());
  struct stat info;
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return Error(path + ": not a regular file");
  }
  auto fail = [&](const std::string &message) {
    ::close(fd);
    return Error(path + ": " + message);
  };

  const uint64_t fileSize = static_cast<uint64_t>(info.st_size);
  std::vector<Tuple> tuples;
  uint64_t offset = 0;
  unsigned char lengthBytes[8];
  while (offset < fileSize) {
    std::string where = "tuple " + std::to_string(tuples.size()) +
                        " at byte offset " + std::to_string(offset);
    uint64_t left = fileSize - offset;
    if (left < 8)
      return fail(where + " is truncated: " + std::to_string(left) +
                  " of the 8 bytes of its key length");
    if (!preadAll(fd, offset, 8, reinterpret_cast<char *>(lengthBytes)))
      return fail(where + ": read error: " + systemError());
    uint64_t keyLength = decodeLength(lengthBytes);
    left -= 8;
    if (keyLength > left)
      return fail(where + ": key length " + std::to_string(keyLength) +
                  " exceeds the " + std::to_string(left) +
                  " bytes left in the file");
    left -= keyLength;
    uint64_t valueLengthOffset = offset + 8 + keyLength;
    if (left < 8)
      return fail(where + " is truncated: " + std::to_string(left) +
                  " of the 8 bytes of its value length (at byte offset " +
                  std::to_string(valueLengthOffset) + ")");
    if (!preadAll(fd, valueLengthOffset, 8,
                  reinterpret_cast<char *>(lengthBytes)))
      return fail(where + ": read error: " + systemError());
    uint64_t valueLength = decodeLength(lengthBytes);
    left -= 8;
    if (valueLength > left)
      return fail(where + ": value length " + std::to_string(valueLength) +
                  " exceeds the " + std::to_string(left) +
                  " bytes left in the file");
    tuples.push_back({offset, keyLength, valueLength});
    offset = valueLengthOffset + 8 + valueLength;
  }
  if (tuples.empty())
    return fail("empty file (no records)");
  return std::unique_ptr<KVFileReader>(
      new KVFileReader(path, fd, std::move(tuples)));
}

KVFileReader::~KVFileReader() { ::close(fd_); }

Status KVFileReader::readAt(uint64_t offset, uint64_t length,
                            std::string &bytes) {
  bytes.resize(length);
  if (!preadAll(fd_, offset, length, bytes.data()))
    return Error(path_ + ": cannot read " + std::to_string(length) +
                 " bytes at byte offset " + std::to_string(offset) +
                 " (was the file changed since it was opened?)");
  return Status::success();
}

std::string KVFileReader::describe(int64_t index) const {
  return "record " + std::to_string(index) + " (tuple at byte offset " +
         std::to_string(tuples_.at(static_cast<size_t>(index)).offset) + ")";
}

Expected<std::string> KVFileReader::key(int64_t index) {
  const Tuple &tuple = tuples_.at(static_cast<size_t>(index));
  std::string bytes;
  if (Status status = readAt(tuple.offset + 8, tuple.keyLength, bytes); !status)
    return status.error();
  return bytes;
}

Expected<Record> KVFileReader::read(int64_t index) {
  const Tuple &tuple = tuples_.at(static_cast<size_t>(index));
  uint64_t valueOffset = tuple.offset + 16 + tuple.keyLength;
  std::string bytes;
  if (Status status = readAt(valueOffset, tuple.valueLength, bytes); !status)
    return status.error();
  std::string where = path_ + ": " + describe(index);
  proto::Record message;
  if (!message.ParseFromString(bytes))
    return Error(where + ": not a valid record message");

  Record record;
  if (message.has_label())
    record.label = message.label();
  if (!message.pixel().empty() && message.data_size() > 0)
    return Error(where + ": holds both pixel and data values");
  record.pixel = message.pixel();
  record.data.assign(message.data().begin(), message.data().end());
  int64_t product = 1;
  bool overflow = false;
  for (int32_t size : message.shape()) {
    if (size < 0)
      return Error(where + ": negative size in its shape");
    record.shape.push_back(size);
    overflow |= __builtin_mul_overflow(product, int64_t(size), &product);
  }
  if (!record.shape.empty() && (overflow || product != record.numValues()))
    return Error(where + ": its shape " + formatShape(record.shape) +
                 " does not hold its " + std::to_string(record.numValues()) +
                 " values");
  return record;
}

//===----------------------------------------------------------------------===//
// KVFileWriter
//===----------------------------------------------------------------------===//

Expected<KVFileWriter> KVFileWriter::create(const std::string &givenPath) {
  std::string path = resolveKVFilePath(givenPath);
  std::string tempPath = path + ".tmp-XXXXXX";
  int fd = ::mkstemp(tempPath.data());
  if (fd < 0)
    return Error("cannot create a temporary file beside " + path + ": " +
                 systemError());
  // mkstemp creates the file 0600; give it the mode a new file would get.
  mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  std::FILE *file = ::fdopen(fd, "wb");
  if (!file) {
    std::string message = systemError();
    ::close(fd);
    ::unlink(tempPath.c_str());
    return Error("cannot write " + tempPath + ": " + message);
  }
  return KVFileWriter(path, tempPath, file);
}

KVFileWriter::KVFileWriter(KVFileWriter &&other) noexcept
    : path_(std::move(other.path_)), tempPath_(std::move(other.tempPath_)),
      file_(other.file_), count_(other.count_) {
  other.file_ = nullptr;
  other.tempPath_.clear();
}

KVFileWriter::~KVFileWriter() {
  if (file_)
    std::fclose(file_);
  if (!tempPath_.empty())
    ::unlink(tempPath_.c_str());
}

Status KVFileWriter::fail(const std::string &what) {
  return Error("cannot write " + path_ + " (" + what + "): " + systemError());
}

Status KVFileWriter::append(const std::string &key, const Record &record) {
  if (!file_)
    return Error("cannot write " + path_ + ": the writer is closed");
  if (!record.pixel.empty() && !record.data.empty())
    return Error(path_ + ": record " + std::to_string(count_) +
                 " holds both pixel and data values");
  proto::Record message;
  for (int64_t size : record.shape) {
    if (size < 0 || size > INT32_MAX)
      return Error(path_ + ": record " + std::to_string(count_) + ": shape " +
                   formatShape(record.shape) +
                   " does not fit a record's int32 sizes");
    message.add_shape(static_cast<int32_t>(size));
  }
  if (record.label)
    message.set_label(*record.label);
  if (!record.pixel.empty())
    message.set_pixel(record.pixel);
  message.mutable_data()->Add(record.data.begin(), record.data.end());
  std::string value;
  if (!message.SerializeToString(&value))
    return Error(path_ + ": record " + std::to_string(count_) +
                 " cannot be serialized");

  std::string tuple;
  encodeLength(key.size(), tuple);
  tuple += key;
  encodeLength(value.size(), tuple);
  tuple += value;
  if (std::fwrite(tuple.data(), 1, tuple.size(), file_) != tuple.size())
    return fail("write");
  ++count_;
  return Status::success();
}

Status KVFileWriter::commit() {
  if (!file_)
    return Error("cannot write " + path_ + ": the writer is closed");
  std::FILE *file = file_;
  file_ = nullptr;
  if (std::fflush(file) != 0 || ::fsync(::fileno(file)) != 0) {
    Status status = fail("flush");
    std::fclose(file);
    return status;
  }
  if (std::fclose(file) != 0)
    return fail("close");
  if (::rename(tempPath_.c_str(), path_.c_str()) != 0)
    return fail("rename from " + tempPath_);
  tempPath_.clear();
  // The rename is durable once the folder's entry is.
  int dir = ::open(directoryOf(path_).c_str(), O_RDONLY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return Status::success();
}

} // namespace strata::runtime
