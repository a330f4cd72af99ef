//===- ReductionLowering.cpp - ONNX reductions ----------------------------===//
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"

#include <cmath>
#include <limits>

namespace strata::onnx_import {

LogicalResult Importer::lowerReduction(const ::onnx::NodeProto &node,
                                       SmallVector<Value> &outs) {
  static const llvm::StringMap<StringRef> reductions = {
      {"ReduceSum", "strata.reduce_sum"},
      {"ReduceMean", "strata.reduce_mean"},
      {"ReduceMax", "strata.reduce_max"},
      {"ReduceMin", "strata.reduce_min"},
      {"ReduceProd", "strata.reduce_prod"},
      {"ReduceL1", "strata.reduce_l1"},
      {"ReduceL2", "strata.reduce_l2"},
      {"ReduceLogSum", "strata.reduce_log_sum"},
      {"ReduceLogSumExp", "strata.reduce_log_sum_exp"},
      {"ReduceSumSquare", "strata.reduce_sum_square"}};
  StringRef op = node.op_type();
  auto x = required(0);
  if (failed(x))
    return failure();
  FailureOr<Value> r = failure();
  if (auto it = reductions.find(op); it != reductions.end()) {
    // Axes moved from an attribute to an input: ReduceSum in opset 13, the
    // others in opset 18.
    bool axesInput = opset_ >= (op == "ReduceSum" ? 13 : 18);
    SmallVector<int64_t> axes;
    if (axesInput) {
      if (hasInput(1)) {
        auto v = constInts(1, "axes");
        if (failed(v))
          return failure();
        axes = *v;
      }
    } else if (auto v = attrInts("axes")) {
      axes = *v;
    }
    r = create1(it->second, *x,
                {array("axes", axes), flag("keepdims", attrI("keepdims", 1)),
                 flag("noop_with_empty_axes",
                      axesInput && attrI("noop_with_empty_axes", 0))});
  } else if (op == "ArgMax" || op == "ArgMin") {
    r = create1(op == "ArgMax" ? "strata.argmax" : "strata.argmin", *x,
                {i64("axis", attrI("axis", 0)),
                 flag("keepdims", attrI("keepdims", 1)),
                 flag("select_last_index", attrI("select_last_index", 0))});
  } else if (op == "CumSum" || op == "CumProd") {
    auto axis = constInts(1, "axis");
    if (failed(axis))
      return failure();
    if (axis->size() != 1)
      return failNode("axis must hold one value");
    r = create1(op == "CumSum" ? "strata.cumsum" : "strata.cumprod", *x,
                {i64("axis", (*axis)[0]),
                 flag("exclusive", attrI("exclusive", 0)),
                 flag("reverse", attrI("reverse", 0))});
  } else if (op == "TopK") {
    int64_t k;
    if (opset_ < 10) {
      k = attrI("k", 1);
    } else {
      auto v = constInts(1, "K");
      if (failed(v))
        return failure();
      if (v->size() != 1)
        return failNode("K must hold one value");
      k = (*v)[0];
    }
    auto top = create("strata.top_k", *x,
                      {i64("k", k), i64("axis", attrI("axis", -1)),
                       flag("largest", attrI("largest", 1)),
                       flag("sorted", attrI("sorted", 1))},
                      2);
    if (failed(top))
      return failure();
    outs.push_back((*top)->getResult(0));
    outs.push_back((*top)->getResult(1));
    return success();
  } else {
    return unsupported();
  }
  if (failed(r))
    return failure();
  outs.push_back(*r);
  return success();
}

} // namespace strata::onnx_import
