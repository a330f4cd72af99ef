//===- NormalizationLowering.cpp - ONNX normalizations --------------------===//
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"

#include <cmath>
#include <limits>

namespace strata::onnx_import {

LogicalResult Importer::lowerNormalization(const ::onnx::NodeProto &node,
                                           SmallVector<Value> &outs) {
  StringRef op = node.op_type();
  auto x = required(0);
  if (failed(x))
    return failure();
  if (op == "LayerNormalization" && (wantsOutput(1) || wantsOutput(2)))
    return lowerLayerNormWithStats(*x, outs);
  if (op == "BatchNormalization" && attrI("training_mode", 0)) {
    // Opset 14+: outputs Y, running_mean, running_var (the updated ones).
    SmallVector<Value> operands = {*x};
    for (int i = 1; i < 5; ++i) {
      auto v = required(i);
      if (failed(v))
        return failure();
      operands.push_back(*v);
    }
    auto bn = create("strata.batch_norm_train", operands,
                     {f64("epsilon", attrF("epsilon", 1e-5)),
                      f64("momentum", attrF("momentum", 0.9))},
                     5);
    if (failed(bn))
      return failure();
    for (int i = 0; i < 3; ++i)
      outs.push_back((*bn)->getResult(i));
    return success();
  }
  for (int i = 1; i < node.output_size(); ++i)
    if (wantsOutput(i))
      return unsupported("output " + std::to_string(i));
  FailureOr<Value> r = failure();
  if (op == "BatchNormalization") {
    if (attrI("training_mode", 0))
      return unsupported("training_mode = 1");
    SmallVector<Value> operands = {*x};
    for (int i = 1; i < 5; ++i) {
      auto v = required(i);
      if (failed(v))
        return failure();
      operands.push_back(*v);
    }
    r = create1("strata.batch_norm", operands,
                {f64("epsilon", attrF("epsilon", 1e-5))});
  } else if (op == "InstanceNormalization") {
    auto s = required(1), bias = required(2);
    if (failed(s) || failed(bias))
      return failure();
    r = create1("strata.instance_norm", {*x, *s, *bias},
                {f64("epsilon", attrF("epsilon", 1e-5))});
  } else if (op == "LayerNormalization") {
    auto s = required(1);
    if (failed(s))
      return failure();
    SmallVector<Value> operands = {*x, *s};
    if (Value bias = input(2))
      operands.push_back(bias);
    r = create1("strata.layer_norm", operands,
                {i64("axis", attrI("axis", -1)),
                 f64("epsilon", attrF("epsilon", 1e-5))});
  } else if (op == "LpNormalization") {
    r = create1("strata.lp_normalization", *x,
                {i64("axis", attrI("axis", -1)), i64("p", attrI("p", 2))});
  } else {
    return unsupported();
  }
  if (failed(r))
    return failure();
  outs.push_back(*r);
  return success();
}

} // namespace strata::onnx_import
