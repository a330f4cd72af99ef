//===- OnnxTensors.cpp - onnx::TensorProto to host tensors ----------------===//

#include "frontends/onnx/OnnxTensors.h"
#include "frontends/onnx/ImportOnnx.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cmath>
#include <cstring>

using strata::reference::DType;
using strata::reference::Tensor;

namespace strata::onnx_import {

std::optional<DType> dtypeOfOnnx(int32_t t) {
  using TP = ::onnx::TensorProto;
  switch (t) {
  case TP::FLOAT:
    return DType::f32;
  case TP::DOUBLE:
    return DType::f64;
  case TP::FLOAT16:
    return DType::f16;
  case TP::BFLOAT16:
    return DType::bf16;
  case TP::BOOL:
    return DType::i1;
  case TP::INT8:
    return DType::i8;
  case TP::INT16:
    return DType::i16;
  case TP::INT32:
    return DType::i32;
  case TP::INT64:
    return DType::i64;
  case TP::UINT8:
    return DType::u8;
  case TP::UINT16:
    return DType::u16;
  case TP::UINT32:
    return DType::u32;
  case TP::UINT64:
    return DType::u64;
  // libonnx 1.12's enum stops at BFLOAT16 (16): the newer codes by number.
  case kFloat8E4M3FN:
    return DType::f8e4m3fn;
  case kFloat8E4M3FNUZ:
    return DType::f8e4m3fnuz;
  case kFloat8E5M2:
    return DType::f8e5m2;
  case kFloat8E5M2FNUZ:
    return DType::f8e5m2fnuz;
  case kUInt4:
    return DType::u4;
  case kInt4:
    return DType::i4;
  case kFloat4E2M1:
    return DType::f4e2m1fn;
  case kUInt2:
    return DType::u2;
  case kInt2:
    return DType::i2;
  case kFloat8E8M0:
    return DType::f8e8m0fnu;
  default:
    return std::nullopt;
  }
}

/// The ONNX names of the element types newer than libonnx 1.12's enum.
static const char *newerOnnxTypeName(int32_t t) {
  switch (t) {
  case kFloat8E4M3FN:
    return "FLOAT8E4M3FN";
  case kFloat8E4M3FNUZ:
    return "FLOAT8E4M3FNUZ";
  case kFloat8E5M2:
    return "FLOAT8E5M2";
  case kFloat8E5M2FNUZ:
    return "FLOAT8E5M2FNUZ";
  case kUInt4:
    return "UINT4";
  case kInt4:
    return "INT4";
  case kFloat4E2M1:
    return "FLOAT4E2M1";
  case kFloat8E8M0:
    return "FLOAT8E8M0";
  case kUInt2:
    return "UINT2";
  case kInt2:
    return "INT2";
  case kFloat6E2M3:
    return "FLOAT6E2M3";
  case kFloat6E3M2:
    return "FLOAT6E3M2";
  default:
    return nullptr;
  }
}

std::string onnxTypeName(int32_t t) {
  if (::onnx::TensorProto::DataType_IsValid(t))
    return ::onnx::TensorProto::DataType_Name(
        static_cast<::onnx::TensorProto::DataType>(t));
  if (const char *name = newerOnnxTypeName(t))
    return name;
  return "type " + std::to_string(t);
}

/// IEEE half bits to a double.
static double halfToDouble(uint16_t h) {
  int sign = (h >> 15) & 1, exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
  double v;
  if (exp == 0)
    v = std::ldexp(static_cast<double>(mant), -24);
  else if (exp == 31)
    v = mant ? NAN : INFINITY;
  else
    v = std::ldexp(static_cast<double>(mant | 0x400), exp - 25);
  return sign ? -v : v;
}

static double bf16ToDouble(uint16_t h) {
  uint32_t bits = static_cast<uint32_t>(h) << 16;
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}

template <typename T> static T load(const char *p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

static bool isSmallDType(DType t) {
  return reference::bitWidth(t) < 16 && t != DType::i1 && t != DType::i8 &&
         t != DType::u8;
}

/// The value of the element code `bits` (the low bitWidth(t) bits) of a small
/// dtype: a two's complement or unsigned integer, or a float encoding.
static double decodeSmall(DType t, uint64_t bits) {
  unsigned w = reference::bitWidth(t);
  bits &= (uint64_t(1) << w) - 1;
  if (!reference::isFloatDType(t)) {
    if (reference::isUnsignedDType(t))
      return static_cast<double>(bits);
    return static_cast<double>(reference::wrapToDType(t, bits));
  }
  llvm::APFloat f(reference::floatSemantics(t), llvm::APInt(w, bits));
  bool losesInfo = false;
  f.convert(llvm::APFloat::IEEEdouble(), llvm::APFloat::rmNearestTiesToEven,
            &losesInfo);
  return f.convertToDouble();
}

/// Small dtypes (float8, 4- and 2-bit types): the bytes of raw_data, or one
/// byte per int32_data entry, hold 8 / bitWidth elements each, the first in
/// the least significant bits.
static std::optional<Tensor>
smallTensorFromProto(const ::onnx::TensorProto &proto, DType dtype,
                     std::vector<int64_t> shape, int64_t n,
                     std::string &error) {
  unsigned w = reference::bitWidth(dtype), perByte = 8 / w;
  std::vector<uint8_t> bytes;
  if (proto.has_raw_data())
    bytes.assign(proto.raw_data().begin(), proto.raw_data().end());
  else
    for (int32_t v : proto.int32_data())
      bytes.push_back(static_cast<uint8_t>(v));
  int64_t want = (n + perByte - 1) / perByte;
  if (static_cast<int64_t>(bytes.size()) != want) {
    error = "tensor '" + proto.name() + "' holds " +
            std::to_string(bytes.size()) + " bytes of " +
            onnxTypeName(proto.data_type()) + " data, its shape needs " +
            std::to_string(want);
    return std::nullopt;
  }
  Tensor t(dtype, std::move(shape));
  for (int64_t i = 0; i < n; ++i) {
    uint64_t code = bytes[i / perByte] >> ((i % perByte) * w);
    t.set(i, decodeSmall(dtype, code));
  }
  return t;
}

std::optional<Tensor> tensorFromProto(const ::onnx::TensorProto &proto,
                                      std::string &error) {
  using TP = ::onnx::TensorProto;
  std::optional<DType> dtype = dtypeOfOnnx(proto.data_type());
  if (!dtype) {
    error = "tensor '" + proto.name() + "' has unsupported element type " +
            onnxTypeName(proto.data_type());
    return std::nullopt;
  }
  if (proto.data_location() == TP::EXTERNAL) {
    error = "tensor '" + proto.name() + "' uses external data (unsupported)";
    return std::nullopt;
  }
  std::vector<int64_t> shape(proto.dims().begin(), proto.dims().end());
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0) {
      error = "tensor '" + proto.name() + "' has a negative dimension";
      return std::nullopt;
    }
    n *= d;
  }
  if (isSmallDType(*dtype))
    return smallTensorFromProto(proto, *dtype, std::move(shape), n, error);
  int32_t t = proto.data_type();
  bool isFloat = reference::isFloatDType(*dtype);
  std::vector<double> floats;
  std::vector<int64_t> ints;
  auto count = [&]() -> int64_t {
    return isFloat ? static_cast<int64_t>(floats.size())
                   : static_cast<int64_t>(ints.size());
  };
  if (proto.has_raw_data()) {
    const std::string &raw = proto.raw_data();
    unsigned width = *dtype == DType::i1 ? 1 : reference::bitWidth(*dtype) / 8;
    if (static_cast<int64_t>(raw.size()) != n * static_cast<int64_t>(width)) {
      error = "tensor '" + proto.name() + "' has " +
              std::to_string(raw.size()) + " bytes of raw data, expected " +
              std::to_string(n * width);
      return std::nullopt;
    }
    for (int64_t i = 0; i < n; ++i) {
      const char *p = raw.data() + i * width;
      switch (t) {
      case TP::FLOAT:
        floats.push_back(load<float>(p));
        break;
      case TP::DOUBLE:
        floats.push_back(load<double>(p));
        break;
      case TP::FLOAT16:
        floats.push_back(halfToDouble(load<uint16_t>(p)));
        break;
      case TP::BFLOAT16:
        floats.push_back(bf16ToDouble(load<uint16_t>(p)));
        break;
      case TP::BOOL:
        ints.push_back(load<uint8_t>(p) != 0);
        break;
      case TP::INT8:
        ints.push_back(load<int8_t>(p));
        break;
      case TP::INT16:
        ints.push_back(load<int16_t>(p));
        break;
      case TP::INT32:
        ints.push_back(load<int32_t>(p));
        break;
      case TP::INT64:
        ints.push_back(load<int64_t>(p));
        break;
      case TP::UINT8:
        ints.push_back(load<uint8_t>(p));
        break;
      case TP::UINT16:
        ints.push_back(load<uint16_t>(p));
        break;
      case TP::UINT32:
        ints.push_back(load<uint32_t>(p));
        break;
      case TP::UINT64:
        ints.push_back(static_cast<int64_t>(load<uint64_t>(p)));
        break;
      default:
        break;
      }
    }
  } else {
    switch (t) {
    case TP::FLOAT:
      floats.assign(proto.float_data().begin(), proto.float_data().end());
      break;
    case TP::DOUBLE:
      floats.assign(proto.double_data().begin(), proto.double_data().end());
      break;
    case TP::FLOAT16:
      for (int32_t v : proto.int32_data())
        floats.push_back(halfToDouble(static_cast<uint16_t>(v)));
      break;
    case TP::BFLOAT16:
      for (int32_t v : proto.int32_data())
        floats.push_back(bf16ToDouble(static_cast<uint16_t>(v)));
      break;
    case TP::INT64:
      ints.assign(proto.int64_data().begin(), proto.int64_data().end());
      break;
    case TP::UINT32:
    case TP::UINT64:
      for (uint64_t v : proto.uint64_data())
        ints.push_back(static_cast<int64_t>(v));
      break;
    default: // BOOL, INT8/16/32, UINT8/16 live in int32_data.
      ints.assign(proto.int32_data().begin(), proto.int32_data().end());
      break;
    }
  }
  if (count() != n) {
    error = "tensor '" + proto.name() + "' holds " + std::to_string(count()) +
            " values, its shape needs " + std::to_string(n);
    return std::nullopt;
  }
  if (isFloat)
    return Tensor::fromDoubles(*dtype, shape, floats);
  return Tensor::fromInts(*dtype, shape, ints);
}

std::optional<Tensor> readTensorProtoFile(llvm::StringRef path,
                                          std::string &error) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) {
    error = path.str() + ": " + buffer.getError().message();
    return std::nullopt;
  }
  ::onnx::TensorProto proto;
  if (!proto.ParseFromArray((*buffer)->getBufferStart(),
                            static_cast<int>((*buffer)->getBufferSize()))) {
    error = path.str() + ": not a valid serialized ONNX TensorProto";
    return std::nullopt;
  }
  std::optional<Tensor> t = tensorFromProto(proto, error);
  if (!t)
    error = path.str() + ": " + error;
  return t;
}

} // namespace strata::onnx_import
