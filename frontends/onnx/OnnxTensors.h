//===- OnnxTensors.h - onnx::TensorProto to host tensors --------*- C++ -*-===//
//
// Internal to the ONNX frontend: the only place that decodes TensorProto
// payloads (raw_data and the typed repeated fields).
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_FRONTENDS_ONNX_ONNXTENSORS_H
#define STRATA_FRONTENDS_ONNX_ONNXTENSORS_H

#include "ir/reference/Tensor.h"

#include "onnx/onnx_pb.h"

#include <optional>
#include <string>

namespace strata::onnx_import {

/// The evaluator dtype of an ONNX TensorProto::DataType; std::nullopt for
/// types Strata has none for (string, complex, ...).
std::optional<reference::DType> dtypeOfOnnx(int32_t onnxType);
/// A printable name of an ONNX element type.
std::string onnxTypeName(int32_t onnxType);

/// The value of `proto`; on failure std::nullopt and `error` says why.
std::optional<reference::Tensor>
tensorFromProto(const ::onnx::TensorProto &proto, std::string &error);

} // namespace strata::onnx_import

#endif // STRATA_FRONTENDS_ONNX_ONNXTENSORS_H
