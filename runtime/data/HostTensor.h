//===- HostTensor.h - Dense tensors in host memory ------------------------===//
//
// The runtime's tensor on the host: an element type, a shape and one
// contiguous, row-major, zero-initialised buffer. Input layers fill batches of
// them; the executor copies them to a device. Nothing more: no strides, no
// views, no device memory.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_RUNTIME_DATA_HOSTTENSOR_H
#define STRATA_RUNTIME_DATA_HOSTTENSOR_H

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace strata::runtime {

enum class DType { F32, I32, I64 };

/// "f32", "i32", "i64".
const char *dtypeName(DType dtype);
/// Bytes per element.
size_t dtypeSize(DType dtype);

template <typename T> constexpr DType dtypeOf();
template <> constexpr DType dtypeOf<float>() { return DType::F32; }
template <> constexpr DType dtypeOf<int32_t>() { return DType::I32; }
template <> constexpr DType dtypeOf<int64_t>() { return DType::I64; }

/// "[2, 3]"; "[]" for a scalar.
std::string formatShape(const std::vector<int64_t> &shape);
/// The number of elements of a shape (1 for a scalar).
int64_t numElements(const std::vector<int64_t> &shape);

class HostTensor {
public:
  /// An empty f32 tensor of shape [0].
  HostTensor() : HostTensor(DType::F32, {0}) {}
  /// A zero-filled tensor. Every size must be >= 0.
  HostTensor(DType dtype, std::vector<int64_t> shape);

  DType dtype() const { return dtype_; }
  const std::vector<int64_t> &shape() const { return shape_; }
  int64_t numElements() const { return runtime::numElements(shape_); }
  size_t byteSize() const { return bytes_.size(); }

  void *raw() { return bytes_.data(); }
  const void *raw() const { return bytes_.data(); }
  /// The elements; T must be the tensor's element type.
  template <typename T> T *data() {
    assert(dtypeOf<T>() == dtype_ && "HostTensor::data<T>: wrong element type");
    return reinterpret_cast<T *>(bytes_.data());
  }
  template <typename T> const T *data() const {
    assert(dtypeOf<T>() == dtype_ && "HostTensor::data<T>: wrong element type");
    return reinterpret_cast<const T *>(bytes_.data());
  }

private:
  DType dtype_;
  std::vector<int64_t> shape_;
  // operator new aligns to at least 16 bytes, enough for every DType.
  std::vector<std::byte> bytes_;
};

/// One batch of a record input layer: data [batch, shape...] f32 and, when
/// the layer has labels, labels [batch] i32.
struct Batch {
  HostTensor data;
  std::optional<HostTensor> labels;
};

} // namespace strata::runtime

#endif // STRATA_RUNTIME_DATA_HOSTTENSOR_H
