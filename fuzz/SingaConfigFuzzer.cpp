//===- SingaConfigFuzzer.cpp - libFuzzer target: job.conf to strata IR ----===//
//
// Feeds arbitrary bytes through the whole SINGA frontend: the TextFormat
// parser, phase resolution and checks, lowering to the strata dialect and the
// verifier. Any input must end in IR or in reported errors; a crash, an
// assertion, a sanitizer report or a hang is a bug.
//
//===----------------------------------------------------------------------===//

#include "frontends/singa/ImportJob.h"
#include "frontends/singa/JobFile.h"
#include "frontends/singa/JobNet.h"

#include "ir/StrataDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  auto file = strata::singa::JobFile::parse(text, "fuzz.conf");
  if (!file) {
    llvm::consumeError(file.takeError());
    return 0;
  }
  auto phases = strata::singa::resolvePhases(**file);
  if (!phases) {
    llvm::consumeError(phases.takeError());
    return 0;
  }
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  context.loadDialect<strata::StrataDialect, mlir::func::FuncDialect>();
  mlir::ScopedDiagnosticHandler quiet(
      &context, [](mlir::Diagnostic &) { return mlir::success(); });
  auto module = strata::singa::importJob(**file, *phases, context);
  if (module)
    (void)mlir::verify(*module);
  return 0;
}
