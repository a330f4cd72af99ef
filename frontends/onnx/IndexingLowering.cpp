//===- IndexingLowering.cpp - ONNX gather, scatter ------------------------===//
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"

#include <cmath>
#include <limits>

namespace strata::onnx_import {

LogicalResult Importer::lowerIndexing(const ::onnx::NodeProto &node,
                                      SmallVector<Value> &outs) {
  StringRef op = node.op_type();
  auto data = required(0), indices = required(1);
  if (failed(data) || failed(indices))
    return failure();
  FailureOr<Value> r = failure();
  if (op == "Gather")
    r = create1("strata.gather", {*data, *indices},
                {i64("axis", attrI("axis", 0))});
  else if (op == "GatherElements")
    r = create1("strata.gather_elements", {*data, *indices},
                {i64("axis", attrI("axis", 0))});
  else if (op == "GatherND")
    r = create1("strata.gather_nd", {*data, *indices},
                {i64("batch_dims", attrI("batch_dims", 0))});
  else if (op == "ScatterElements" || op == "Scatter") {
    auto updates = required(2);
    if (failed(updates))
      return failure();
    r = create1(
        "strata.scatter_elements", {*data, *indices, *updates},
        {i64("axis", attrI("axis", 0)),
         attr("reduction", b_.getStringAttr(attrS("reduction", "none")))});
  } else if (op == "ScatterND") {
    auto updates = required(2);
    if (failed(updates))
      return failure();
    r = create1(
        "strata.scatter_nd", {*data, *indices, *updates},
        {attr("reduction", b_.getStringAttr(attrS("reduction", "none")))});
  } else if (op == "OneHot") {
    // OneHot(indices, depth, values): `data` is the indices here.
    auto values = required(2);
    if (failed(values))
      return failure();
    const Tensor *depth = constInput(1);
    if (!depth)
      return notConstant(1, "depth");
    if (depth->numElements() != 1)
      return failNode("depth must hold one value");
    Value idx = *data;
    if (isa<FloatType>(typeOf(idx).getElementType())) {
      auto c = castTo(idx, b_.getI64Type());
      if (failed(c))
        return failure();
      idx = *c;
    }
    r = create1("strata.one_hot", {idx, *values},
                {i64("depth", static_cast<int64_t>(depth->get(0))),
                 i64("axis", attrI("axis", -1)),
                 // ONNX: an out-of-range index gives an all-off row.
                 flag("drop_out_of_range", true)});
  } else {
    return unsupported();
  }
  if (failed(r))
    return failure();
  outs.push_back(*r);
  return success();
}

} // namespace strata::onnx_import
