//===- LinearAlgebraLowering.cpp - ONNX MatMul, Gemm ----------------------===//
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"

#include <cmath>
#include <limits>

namespace strata::onnx_import {

LogicalResult Importer::lowerLinearAlgebra(const ::onnx::NodeProto &node,
                                           SmallVector<Value> &outs) {
  auto a = required(0), b = required(1);
  if (failed(a) || failed(b))
    return failure();
  FailureOr<Value> r = failure();
  if (node.op_type() == "MatMul") {
    r = create1("strata.matmul", {*a, *b});
  } else {
    SmallVector<Value> operands = {*a, *b};
    if (Value c = input(2))
      operands.push_back(c);
    r = create1("strata.gemm", operands,
                {f64("alpha", attrF("alpha", 1.0)),
                 f64("beta", attrF("beta", 1.0)),
                 flag("trans_a", attrI("transA", 0)),
                 flag("trans_b", attrI("transB", 0))});
  }
  if (failed(r))
    return failure();
  outs.push_back(*r);
  return success();
}

} // namespace strata::onnx_import
