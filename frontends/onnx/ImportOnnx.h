//===- ImportOnnx.h - ONNX models to the strata dialect ---------*- C++ -*-===//
//
// Reads an ONNX ModelProto (binary protobuf) with libonnx's classes, checks it
// (onnx::checker) and lowers its graph, node by node, to one
// function `@main` of strata ops. Errors never abort: they come back as an
// OnnxImportError whose kind lets tools tell unsupported operators apart from
// bad files.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_FRONTENDS_ONNX_IMPORTONNX_H
#define STRATA_FRONTENDS_ONNX_IMPORTONNX_H

#include "ir/reference/Tensor.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace strata::onnx_import {

struct OnnxImportOptions {
  /// Initializers become trainable strata.parameter declarations (their
  /// values in the discardable attribute `onnx.initializer`) read with
  /// strata.param_value, instead of strata.constant.
  bool paramsTrainable = false;
  /// Values for runtime graph inputs (indexed like @main's arguments would
  /// be: the graph inputs that are not initializers, in order). A bound
  /// input becomes a constant instead of an argument: the conformance runner
  /// uses this to specialize a model whose shape inputs (Reshape's shape,
  /// Clip's bounds, ...) are fed at run time.
  std::vector<std::optional<reference::Tensor>> boundInputs;
};

struct OnnxImportError {
  enum class Kind { None, Io, Parse, Invalid, Unsupported };
  Kind kind = Kind::None;
  std::string message;
  /// For Kind::Unsupported: the ONNX op_type.
  std::string op;
  /// For Kind::Unsupported: the index of the runtime graph input that would
  /// have to be constant (see OnnxImportOptions::boundInputs); -1 if none.
  int nonConstantInput = -1;
};

/// Imports the model file at `path`. On failure returns null and fills
/// `error`.
mlir::OwningOpRef<mlir::ModuleOp>
importOnnxModelFile(llvm::StringRef path, mlir::MLIRContext &context,
                    const OnnxImportOptions &options, OnnxImportError &error);

/// Imports a serialized ModelProto; `name` is used in locations.
mlir::OwningOpRef<mlir::ModuleOp>
importOnnxModelBytes(llvm::StringRef bytes, llvm::StringRef name,
                     mlir::MLIRContext &context,
                     const OnnxImportOptions &options, OnnxImportError &error);

/// Reads a serialized onnx::TensorProto file (as in the ONNX node tests).
std::optional<reference::Tensor> readTensorProtoFile(llvm::StringRef path,
                                                     std::string &error);

} // namespace strata::onnx_import

#endif // STRATA_FRONTENDS_ONNX_IMPORTONNX_H
