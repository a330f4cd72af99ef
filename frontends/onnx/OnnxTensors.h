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

/// ONNX element type codes newer than libonnx 1.12's TensorProto enum.
enum NewerOnnxType : int32_t {
  kFloat8E4M3FN = 17,
  kFloat8E4M3FNUZ = 18,
  kFloat8E5M2 = 19,
  kFloat8E5M2FNUZ = 20,
  kUInt4 = 21,
  kInt4 = 22,
  kFloat4E2M1 = 23,
  kFloat8E8M0 = 24,
  kUInt2 = 25,
  kInt2 = 26,
  kFloat6E2M3 = 27,
  kFloat6E3M2 = 28,
};

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
