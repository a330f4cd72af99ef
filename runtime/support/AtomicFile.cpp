//===- AtomicFile.cpp - Whole-file writes that never leave half a file ----===//

#include "runtime/support/AtomicFile.h"
#include "runtime/support/Error.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace strata::runtime {
namespace {

std::string systemError(const std::string &what, const std::string &path) {
  return what + " '" + path + "': " + std::strerror(errno);
}

std::string folderOf(const std::string &path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos)
    return ".";
  if (slash == 0)
    return "/";
  return path.substr(0, slash);
}

/// A test hook: when STRATA_TEST_PAUSE_WRITING is set and occurs in the
/// target's path, the writer stops after the first piece (the temporary file
/// half-written), says so on stderr and waits to be killed. The crash test
/// (test/tools/strata-run-crash.test) kills it there with SIGKILL.
void pauseForCrashTest(const std::string &path, const std::string &tmp) {
  const char *match = std::getenv("STRATA_TEST_PAUSE_WRITING");
  if (!match || !*match || path.find(match) == std::string::npos)
    return;
  std::string line = "strata: test pause while writing " + tmp + "\n";
  ssize_t ignored = write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
  for (;;)
    pause();
}

} // namespace

void writeFileAtomically(const std::string &path,
                         const std::vector<ByteSpan> &pieces) {
  std::string folder = folderOf(path);
  std::string pattern = path + ".tmp.XXXXXX";
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  int fd = mkstemp(name.data());
  if (fd < 0)
    throw RuntimeError(
        systemError("cannot create a temporary file beside", path));
  std::string tmp(name.data());
  auto fail = [&](const std::string &what) {
    std::string message = systemError(what, tmp);
    if (fd >= 0)
      close(fd);
    unlink(tmp.c_str());
    throw RuntimeError(message + " (writing '" + path + "'; left unchanged)");
  };
  for (const ByteSpan &piece : pieces) {
    const char *p = static_cast<const char *>(piece.data);
    size_t left = piece.size;
    while (left > 0) {
      ssize_t n = write(fd, p, left);
      if (n < 0) {
        if (errno == EINTR)
          continue;
        fail("cannot write");
      }
      p += n;
      left -= static_cast<size_t>(n);
    }
    pauseForCrashTest(path, tmp);
  }
  // The mode a new file would get (mkstemp creates 0600).
  mode_t mask = umask(0);
  umask(mask);
  if (fchmod(fd, 0666 & ~mask) != 0)
    fail("cannot set the mode of");
  if (fsync(fd) != 0)
    fail("cannot fsync");
  if (close(fd) != 0) {
    fd = -1;
    fail("cannot close");
  }
  fd = -1;
  if (rename(tmp.c_str(), path.c_str()) != 0)
    fail("cannot rename into place");
  // Make the rename itself durable.
  int dir = open(folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (dir >= 0) {
    fsync(dir);
    close(dir);
  }
}

std::vector<unsigned char> readWholeFile(const std::string &path) {
  int fd = open(path.c_str(), O_RDONLY);
  if (fd < 0)
    throw RuntimeError(systemError("cannot open", path));
  struct stat st;
  if (fstat(fd, &st) != 0) {
    std::string message = systemError("cannot stat", path);
    close(fd);
    throw RuntimeError(message);
  }
  if (S_ISDIR(st.st_mode)) {
    close(fd);
    throw RuntimeError("'" + path + "' is a folder, not a file");
  }
  std::vector<unsigned char> bytes;
  unsigned char buffer[1 << 16];
  while (true) {
    ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n < 0) {
      if (errno == EINTR)
        continue;
      std::string message = systemError("cannot read", path);
      close(fd);
      throw RuntimeError(message);
    }
    if (n == 0)
      break;
    bytes.insert(bytes.end(), buffer, buffer + n);
  }
  close(fd);
  return bytes;
}

} // namespace strata::runtime
