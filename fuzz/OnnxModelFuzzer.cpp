//===- OnnxModelFuzzer.cpp - libFuzzer target: ONNX model bytes to IR -----===//
//
// Feeds arbitrary bytes through the ONNX frontend: protobuf parsing, the ONNX
// checker and shape inference, lowering to the strata dialect and the
// verifier. Any input must end in IR or in a reported error; a crash, an
// assertion, a sanitizer report or a hang is a bug.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/ImportOnnx.h"

#include "ir/StrataDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::MLIRContext context(mlir::MLIRContext::Threading::DISABLED);
  context.loadDialect<strata::StrataDialect, mlir::func::FuncDialect>();
  mlir::ScopedDiagnosticHandler quiet(
      &context, [](mlir::Diagnostic &) { return mlir::success(); });
  strata::onnx_import::OnnxImportOptions options;
  strata::onnx_import::OnnxImportError error;
  auto module = strata::onnx_import::importOnnxModelBytes(
      llvm::StringRef(reinterpret_cast<const char *>(data), size), "fuzz.onnx",
      context, options, error);
  if (module)
    (void)mlir::verify(*module);
  return 0;
}
