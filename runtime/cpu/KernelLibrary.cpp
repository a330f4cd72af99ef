//===- KernelLibrary.cpp - Compiled CPU kernels, loaded from memory -------===//

#include "runtime/cpu/KernelLibrary.h"
#include "runtime/support/Error.h"

#include <cerrno>
#include <cstring>
#include <dlfcn.h>
#include <sys/mman.h>
#include <unistd.h>

// The OpenMP runtime's interface (libomp, linked by the runtime library).
extern "C" {
void omp_set_num_threads(int);
int omp_get_max_threads(void);
}

namespace strata::runtime {

void setKernelThreads(int n) {
  if (n < 1)
    throw RuntimeError("the thread count must be at least 1, not " +
                       std::to_string(n));
  omp_set_num_threads(n);
}

int kernelThreads() { return omp_get_max_threads(); }

KernelLibrary::KernelLibrary(const void *bytes, size_t size,
                             const std::string &name)
    : name_(name) {
  fd_ = memfd_create("strata-kernel", MFD_CLOEXEC);
  if (fd_ < 0)
    throw RuntimeError(name +
                       ": cannot create a memory file for the kernel "
                       "library: " +
                       std::strerror(errno));
  const char *p = static_cast<const char *>(bytes);
  size_t left = size;
  while (left > 0) {
    ssize_t n = write(fd_, p, left);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      close(fd_);
      throw RuntimeError(name + ": cannot write the kernel library to memory");
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  std::string path = "/proc/self/fd/" + std::to_string(fd_);
  handle_ = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle_) {
    const char *error = dlerror();
    std::string why = error ? error : "unknown error";
    close(fd_);
    // Compiled kernels call the runtime's library functions
    // (strata_onednn_*, runtime/cpu/OneDnnKernels.h), found in the process
    // at load time.
    if (why.find("undefined symbol") != std::string::npos)
      why += " (the kernels call functions of the Strata runtime library; "
             "this process does not provide that one)";
    throw RuntimeError(name + ": cannot load the kernel library: " + why);
  }
}

KernelLibrary::~KernelLibrary() {
  if (handle_)
    dlclose(handle_);
  if (fd_ >= 0)
    close(fd_);
}

KernelEntry KernelLibrary::entry(const std::string &function) const {
  std::string symbol = "strata_entry_" + function;
  void *p = dlsym(handle_, symbol.c_str());
  if (!p)
    throw RuntimeError(name_ +
                       ": the kernel library has no entry for "
                       "function '" +
                       function + "' (" + symbol + ")");
  return reinterpret_cast<KernelEntry>(p);
}

} // namespace strata::runtime
