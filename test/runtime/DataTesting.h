//===- DataTesting.h - Files for the runtime's data tests -----------------===//
#ifndef STRATA_TEST_RUNTIME_DATATESTING_H
#define STRATA_TEST_RUNTIME_DATATESTING_H

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace strata::runtime::testing {

/// A fresh folder, removed with everything in it at the end of the test.
class TempDir {
public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "strata-runtime-XXXXXX")
            .string();
    if (!::mkdtemp(pattern.data()))
      ADD_FAILURE() << "mkdtemp failed";
    path_ = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string &name) const {
    return (std::filesystem::path(path_) / name).string();
  }
  const std::string &path() const { return path_; }

private:
  std::string path_;
};

inline void writeBytes(const std::string &path, const std::string &bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

inline std::string readBytes(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

/// `value` as 8 little-endian bytes (a kvfile length).
inline std::string le64(uint64_t value) {
  std::string bytes;
  for (int i = 0; i < 8; ++i)
    bytes.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
  return bytes;
}

/// `value` as 4 big-endian bytes (an idx size).
inline std::string be32(uint32_t value) {
  std::string bytes;
  for (int i = 3; i >= 0; --i)
    bytes.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
  return bytes;
}

/// One kvfile tuple, framed by hand.
inline std::string tuple(const std::string &key, const std::string &value) {
  return le64(key.size()) + key + le64(value.size()) + value;
}

} // namespace strata::runtime::testing

#endif // STRATA_TEST_RUNTIME_DATATESTING_H
