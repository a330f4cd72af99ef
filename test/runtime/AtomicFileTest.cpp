//===- AtomicFileTest.cpp - Whole-file atomic writes ----------------------===//

#include "runtime/support/AtomicFile.h"
#include "runtime/support/Error.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <dirent.h>
#include <string>
#include <unistd.h>

using namespace strata::runtime;

namespace {

std::string makeTempFolder() {
  char pattern[] = "/tmp/strata-atomic-XXXXXX";
  char *dir = mkdtemp(pattern);
  EXPECT_NE(dir, nullptr);
  return dir ? dir : "";
}

std::vector<std::string> entries(const std::string &folder) {
  std::vector<std::string> names;
  DIR *d = opendir(folder.c_str());
  while (dirent *e = readdir(d))
    if (std::string(e->d_name) != "." && std::string(e->d_name) != "..")
      names.push_back(e->d_name);
  closedir(d);
  return names;
}

TEST(AtomicFile, WritesAndReplaces) {
  std::string folder = makeTempFolder();
  std::string path = folder + "/f.bin";
  std::string a = "first", b = "second, longer";
  writeFileAtomically(path, {{a.data(), a.size()}});
  auto read = readWholeFile(path);
  EXPECT_EQ(std::string(read.begin(), read.end()), "first");
  std::string c = "!";
  writeFileAtomically(path, {{b.data(), b.size()}, {c.data(), c.size()}});
  read = readWholeFile(path);
  EXPECT_EQ(std::string(read.begin(), read.end()), "second, longer!");
  // No temporary file is left behind.
  EXPECT_EQ(entries(folder), std::vector<std::string>{"f.bin"});
  unlink(path.c_str());
  rmdir(folder.c_str());
}

TEST(AtomicFile, FailureNamesThePathAndLeavesNothing) {
  std::string folder = makeTempFolder();
  std::string missing = folder + "/no/such/folder/f.bin";
  std::string a = "x";
  try {
    writeFileAtomically(missing, {{a.data(), a.size()}});
    FAIL() << "no error";
  } catch (const RuntimeError &e) {
    EXPECT_NE(std::string(e.what()).find(missing), std::string::npos)
        << e.what();
  }
  EXPECT_TRUE(entries(folder).empty());
  rmdir(folder.c_str());
}

TEST(AtomicFile, ReadErrorsNameThePath) {
  try {
    readWholeFile("/nonexistent/strata/file");
    FAIL() << "no error";
  } catch (const RuntimeError &e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot open '/nonexistent/strata/file': No such file or "
              "directory");
  }
  try {
    readWholeFile("/tmp");
    FAIL() << "no error";
  } catch (const RuntimeError &e) {
    EXPECT_EQ(std::string(e.what()), "'/tmp' is a folder, not a file");
  }
}

} // namespace
