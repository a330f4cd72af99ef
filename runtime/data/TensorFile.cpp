//===- TensorFile.cpp - Whole tensors in .npy and ONNX TensorProto files --===//

#include "runtime/data/TensorFile.h"

#include "runtime/support/AtomicFile.h"
#include "runtime/support/Error.h"

#include "onnx/onnx_pb.h"

#include <cstring>
#include <fstream>
#include <sstream>

namespace strata::runtime {

namespace {

bool endsWith(const std::string &s, const std::string &suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Expected<std::string> readBytes(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Error(path + ": cannot open: " + std::strerror(errno));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Status writeBytes(const std::string &path, const std::string &bytes) {
  try {
    writeFileAtomically(path, {{bytes.data(), bytes.size()}});
  } catch (const RuntimeError &e) {
    return Error(e.what());
  }
  return Status::success();
}

/// The value of `key` in a .npy header dict ("{'descr': '<f4', ...}").
std::string npyField(const std::string &header, const std::string &key) {
  size_t at = header.find("'" + key + "'");
  if (at == std::string::npos)
    return "";
  size_t colon = header.find(':', at);
  if (colon == std::string::npos)
    return "";
  size_t start = header.find_first_not_of(" ", colon + 1);
  if (start == std::string::npos)
    return "";
  char open = header[start];
  if (open == '\'') {
    size_t end = header.find('\'', start + 1);
    return end == std::string::npos ? ""
                                    : header.substr(start + 1, end - start - 1);
  }
  if (open == '(') {
    size_t end = header.find(')', start);
    return end == std::string::npos ? ""
                                    : header.substr(start, end - start + 1);
  }
  size_t end = header.find_first_of(",}", start);
  return header.substr(start, end - start);
}

Expected<HostTensor> readNpy(const std::string &path) {
  Expected<std::string> file = readBytes(path);
  if (!file)
    return file.error();
  const std::string &b = *file;
  auto bad = [&](const std::string &why) {
    return Error(path + ": not a .npy file this reader takes: " + why);
  };
  if (b.size() < 10 || b.compare(0, 6, "\x93NUMPY") != 0)
    return bad("no \\x93NUMPY magic");
  int major = static_cast<unsigned char>(b[6]);
  size_t headerLen, offset;
  if (major == 1) {
    headerLen = static_cast<unsigned char>(b[8]) |
                static_cast<size_t>(static_cast<unsigned char>(b[9])) << 8;
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (b.size() < 12)
      return bad("truncated header");
    headerLen = 0;
    for (int i = 0; i < 4; ++i)
      headerLen |= static_cast<size_t>(static_cast<unsigned char>(b[8 + i]))
                   << (8 * i);
    offset = 12;
  } else {
    return bad("version " + std::to_string(major));
  }
  if (headerLen > b.size() - offset)
    return bad("the header runs past the end of the file");
  std::string header = b.substr(offset, headerLen);
  offset += headerLen;
  std::string descr = npyField(header, "descr");
  DType dtype;
  if (descr == "<f4" || descr == "|f4")
    dtype = DType::F32;
  else if (descr == "<i4")
    dtype = DType::I32;
  else if (descr == "<i8")
    dtype = DType::I64;
  else
    return bad("element type '" + descr + "' (expected <f4, <i4 or <i8)");
  if (npyField(header, "fortran_order") != "False")
    return bad("fortran_order is not False");
  std::string shapeText = npyField(header, "shape");
  if (shapeText.size() < 2)
    return bad("no shape");
  std::vector<int64_t> shape;
  std::stringstream dims(shapeText.substr(1, shapeText.size() - 2));
  std::string dim;
  while (std::getline(dims, dim, ',')) {
    size_t first = dim.find_first_not_of(" ");
    if (first == std::string::npos)
      continue;
    char *end = nullptr;
    long long d = std::strtoll(dim.c_str() + first, &end, 10);
    if (d < 0 || (*end && *end != ' ' && *end != 'L'))
      return bad("shape " + shapeText);
    shape.push_back(d);
  }
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d != 0 && n > (int64_t(1) << 40) / d)
      return bad("shape " + shapeText + " is too large");
    n *= d;
  }
  size_t bytes = static_cast<size_t>(n) * dtypeSize(dtype);
  if (b.size() - offset != bytes)
    return bad("shape " + shapeText + " needs " + std::to_string(bytes) +
               " data bytes, the file has " +
               std::to_string(b.size() - offset));
  HostTensor t(dtype, shape);
  std::memcpy(t.raw(), b.data() + offset, bytes);
  return t;
}

Status writeNpy(const std::string &path, const HostTensor &t) {
  const char *descr = t.dtype() == DType::F32   ? "<f4"
                      : t.dtype() == DType::I32 ? "<i4"
                                                : "<i8";
  std::string shape = "(";
  for (int64_t d : t.shape())
    shape += std::to_string(d) + ",";
  if (t.shape().size() > 1)
    shape.pop_back();
  shape += ")";
  std::string header = std::string("{'descr': '") + descr +
                       "', 'fortran_order': False, 'shape': " + shape + ", }";
  // Magic (6) + version (2) + length (2) + header + '\n', padded to 64.
  size_t total = 10 + header.size() + 1;
  header += std::string((64 - total % 64) % 64, ' ') + "\n";
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  out += header;
  out.append(static_cast<const char *>(t.raw()), t.byteSize());
  return writeBytes(path, out);
}

Expected<HostTensor> readProto(const std::string &path) {
  Expected<std::string> file = readBytes(path);
  if (!file)
    return file.error();
  onnx::TensorProto p;
  if (!p.ParseFromString(*file))
    return Error(path + ": not a serialized onnx.TensorProto");
  std::vector<int64_t> shape(p.dims().begin(), p.dims().end());
  for (int64_t d : shape)
    if (d < 0)
      return Error(path + ": negative dimension");
  DType dtype;
  switch (p.data_type()) {
  case onnx::TensorProto::FLOAT:
    dtype = DType::F32;
    break;
  case onnx::TensorProto::INT32:
    dtype = DType::I32;
    break;
  case onnx::TensorProto::INT64:
    dtype = DType::I64;
    break;
  default:
    return Error(path + ": element type " +
                 onnx::TensorProto::DataType_Name(
                     static_cast<onnx::TensorProto::DataType>(p.data_type())) +
                 " (expected FLOAT, INT32 or INT64)");
  }
  HostTensor t(dtype, shape);
  size_t bytes = t.byteSize();
  size_t n = static_cast<size_t>(t.numElements());
  if (p.has_raw_data()) {
    if (p.raw_data().size() != bytes)
      return Error(path + ": raw_data has " +
                   std::to_string(p.raw_data().size()) + " bytes, the shape " +
                   formatShape(shape) + " needs " + std::to_string(bytes));
    std::memcpy(t.raw(), p.raw_data().data(), bytes);
    return t;
  }
  size_t have = dtype == DType::F32   ? p.float_data_size()
                : dtype == DType::I32 ? p.int32_data_size()
                                      : p.int64_data_size();
  if (have != n)
    return Error(path + ": " + std::to_string(have) + " values, the shape " +
                 formatShape(shape) + " needs " + std::to_string(n));
  for (size_t i = 0; i < n; ++i) {
    if (dtype == DType::F32)
      t.data<float>()[i] = p.float_data(static_cast<int>(i));
    else if (dtype == DType::I32)
      t.data<int32_t>()[i] = p.int32_data(static_cast<int>(i));
    else
      t.data<int64_t>()[i] = p.int64_data(static_cast<int>(i));
  }
  return t;
}

Status writeProto(const std::string &path, const HostTensor &t,
                  const std::string &name) {
  onnx::TensorProto p;
  for (int64_t d : t.shape())
    p.add_dims(d);
  p.set_data_type(t.dtype() == DType::F32   ? onnx::TensorProto::FLOAT
                  : t.dtype() == DType::I32 ? onnx::TensorProto::INT32
                                            : onnx::TensorProto::INT64);
  if (!name.empty())
    p.set_name(name);
  p.set_raw_data(std::string(static_cast<const char *>(t.raw()), t.byteSize()));
  std::string bytes;
  if (!p.SerializeToString(&bytes))
    return Error(path + ": cannot serialize the tensor");
  return writeBytes(path, bytes);
}

} // namespace

Expected<HostTensor> readTensorFile(const std::string &path) {
  if (endsWith(path, ".npy"))
    return readNpy(path);
  if (endsWith(path, ".pb"))
    return readProto(path);
  return Error(path + ": unknown tensor file type (expected .npy or .pb)");
}

Status writeTensorFile(const std::string &path, const HostTensor &t,
                       const std::string &name) {
  if (endsWith(path, ".npy"))
    return writeNpy(path, t);
  if (endsWith(path, ".pb"))
    return writeProto(path, t, name);
  return Error(path + ": unknown tensor file type (expected .npy or .pb)");
}

} // namespace strata::runtime
