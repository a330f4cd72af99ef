//===- CpuCompiler.h - strata functions to a CPU shared object ------------===//
//
// compileToSharedObject lowers every function of a module of strata IR
// (static shapes) to native code and links it into one ELF shared object,
// the form a CPU kernel takes in the artifact:
//
//   strata-lower-to-linalg -> one-shot bufferization (results become
//   out-parameters) -> loops -> LLVM dialect (bare-pointer calling
//   convention) -> LLVM IR -> optimized object code -> ld.lld -shared
//
// Each function @f gets a C entry point
//
//   void strata_entry_f(void **buffers);
//
// where buffers[0..n) point to f's arguments and buffers[n..n+m) to its
// results, each a row-major contiguous array of the element type (i1 takes
// a byte). The entry only reads the argument buffers (two arguments may
// share one buffer) and writes the result buffers, which must be distinct
// from each other and from the arguments. The runtime loads the object
// (runtime/cpu/KernelLibrary.h) and calls the entries; it never links MLIR or
// LLVM.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_CODEGEN_CPU_CPUCOMPILER_H
#define STRATA_CODEGEN_CPU_CPUCOMPILER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"
#include "mlir/Support/Timing.h"

#include <map>
#include <string>
#include <vector>

namespace strata::codegen {

struct CpuOptions {
  /// The CPU the code is tuned for and may use instructions of. The default
  /// runs on any x86-64 machine; "native" is the compiling machine's CPU.
  std::string cpu = "x86-64";
  unsigned optLevel = 2;
  /// A module of more LLVM instructions than this has each outermost loop
  /// moved into a function of its own before optimization (compile time
  /// grows faster than linearly with function size; see extractLoops).
  size_t extractLoopsAbove = 10000;
  /// Loop nests of at least this many iterations run on the runtime's
  /// OpenMP threads (their parallel dimensions split among them); 0 keeps
  /// every nest sequential.
  int64_t parallelMinIterations = 1 << 16;
  /// Conv, conv_transpose and 2-D matrix products call oneDNN through the
  /// runtime (strata-lower-to-linalg's library-calls); false keeps them in
  /// compiled loops.
  bool libraryCalls = true;
  /// Place each function's static intermediates in one arena
  /// (--strata-plan-memory); with memoryReport, print each plan.
  bool planMemory = true;
  bool memoryReport = false;
  /// When set, each stage (MLIR passes, translation, LLVM optimization,
  /// instruction selection, linking) is timed under this scope.
  mlir::TimingScope *timing = nullptr;
};

/// A function's memory plan: the arena (planned peak) and the sum of the
/// buffers it holds.
struct MemoryPlanSize {
  uint64_t arenaBytes = 0;
  uint64_t naiveBytes = 0;
};

struct SharedObject {
  std::vector<unsigned char> bytes;
  std::string targetTriple;
  std::string cpu;
  /// By function name, for the functions the planner placed buffers of.
  std::map<std::string, MemoryPlanSize> memoryPlans;
  /// The size of the kernels before optimization, in LLVM instructions.
  size_t llvmInstructions = 0;
  /// How many loop nests were moved into functions of their own
  /// (CpuOptions::extractLoopsAbove).
  unsigned extractedLoops = 0;
  /// How many loop nests run in parallel (CpuOptions::parallelMinIterations).
  unsigned parallelLoops = 0;
};

/// The entry symbol of a function.
std::string entrySymbol(llvm::StringRef function);

/// Compiles `module` (consumed: it is lowered in place). Errors are emitted
/// as diagnostics at the failing op or the module.
mlir::FailureOr<SharedObject> compileToSharedObject(mlir::ModuleOp module,
                                                    const CpuOptions &options);

/// Registers the dialects, interfaces and translations the CPU pipeline
/// needs with a context's registry. Call before parsing the module.
void registerCpuCodegenDialects(mlir::DialectRegistry &registry);

} // namespace strata::codegen

#endif // STRATA_CODEGEN_CPU_CPUCOMPILER_H
