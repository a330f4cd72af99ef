//===- KernelLibrary.h - Compiled CPU kernels, loaded from memory ---------===//
//
// A CPU kernel of an artifact is an ELF shared object. KernelLibrary loads
// one from bytes without writing it anywhere: the bytes go to an anonymous
// memory file (memfd_create) that dlopen opens through /proc/self/fd. Each
// compiled function has an entry `void strata_entry_<f>(void **buffers)`
// (codegen/cpu/CpuCompiler.h). The parallel loops of the kernels run on
// the OpenMP runtime the Strata runtime links (LLVM's libomp, which serves
// oneDNN's calls too); setKernelThreads sets its thread count.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_CPU_KERNELLIBRARY_H
#define STRATA_RUNTIME_CPU_KERNELLIBRARY_H

#include <cstddef>
#include <string>

namespace strata::runtime {

using KernelEntry = void (*)(void **buffers);

class KernelLibrary {
public:
  /// Loads a shared object from memory; `name` is used in messages. Throws
  /// RuntimeError when the bytes are not a loadable object.
  KernelLibrary(const void *bytes, size_t size, const std::string &name);
  ~KernelLibrary();
  KernelLibrary(const KernelLibrary &) = delete;
  KernelLibrary &operator=(const KernelLibrary &) = delete;

  /// The entry of compiled function `function`. Throws RuntimeError naming
  /// the function when the library has none.
  KernelEntry entry(const std::string &function) const;

private:
  void *handle_ = nullptr;
  int fd_ = -1;
  std::string name_;
};

/// The number of threads the kernels' parallel loops and oneDNN's
/// primitives use from now on (n >= 1); the default is OMP_NUM_THREADS, else
/// one per core.
void setKernelThreads(int n);
/// The number of threads a parallel loop would use now.
int kernelThreads();

} // namespace strata::runtime

#endif // STRATA_RUNTIME_CPU_KERNELLIBRARY_H
