//===- TensorFile.h - Whole tensors in .npy and ONNX TensorProto files ----===//
//
// strata-run infer reads its inputs from, and writes its outputs to, single
// tensor files, chosen by extension:
//
// - `.npy`: NumPy's format, versions 1.0 to 3.0 on reading (version 1.0
//   written): little-endian f4 / i4 / i8 ('<f4', '<i4', '<i8'; '|' byte
//   order for none), C order (fortran_order False), any shape.
// - `.pb`: a serialized onnx.TensorProto (the ONNX node tests' format),
//   FLOAT / INT32 / INT64, values in raw_data or the typed fields; written
//   with raw_data.
//
// Bad files give an Error naming the file and what is wrong; writes are
// atomic (temporary file, fsync, rename).
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_DATA_TENSORFILE_H
#define STRATA_RUNTIME_DATA_TENSORFILE_H

#include "runtime/data/Error.h"
#include "runtime/data/HostTensor.h"

namespace strata::runtime {

/// Reads a .npy or .pb file.
Expected<HostTensor> readTensorFile(const std::string &path);

/// Writes `t` as .npy or .pb, by the extension of `path`.
Status writeTensorFile(const std::string &path, const HostTensor &t,
                       const std::string &name = "");

} // namespace strata::runtime

#endif // STRATA_RUNTIME_DATA_TENSORFILE_H
