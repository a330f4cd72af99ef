//===- ActivationLowering.cpp - ONNX activations --------------------------===//
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"

#include <cmath>
#include <limits>

namespace strata::onnx_import {

LogicalResult Importer::lowerActivation(const ::onnx::NodeProto &node,
                                        SmallVector<Value> &outs) {
  StringRef op = node.op_type();
  auto x = required(0);
  if (failed(x))
    return failure();
  FailureOr<Value> r = failure();
  if (op == "Relu")
    r = create1("strata.relu", *x);
  else if (op == "Sigmoid")
    r = create1("strata.sigmoid", *x);
  else if (op == "Tanh")
    r = create1("strata.tanh", *x);
  else if (op == "Softplus")
    r = create1("strata.softplus", *x);
  else if (op == "Softsign")
    r = create1("strata.softsign", *x);
  else if (op == "HardSwish")
    r = create1("strata.hard_swish", *x);
  else if (op == "Mish")
    r = create1("strata.mish", *x);
  else if (op == "LeakyRelu")
    r = create1("strata.leaky_relu", *x, {f64("alpha", attrF("alpha", 0.01))});
  else if (op == "Elu")
    r = create1("strata.elu", *x, {f64("alpha", attrF("alpha", 1.0))});
  else if (op == "Celu")
    r = create1("strata.celu", *x, {f64("alpha", attrF("alpha", 1.0))});
  else if (op == "ThresholdedRelu")
    r = create1("strata.thresholded_relu", *x,
                {f64("alpha", attrF("alpha", 1.0))});
  else if (op == "Selu")
    r = create1("strata.selu", *x,
                {f64("alpha", attrF("alpha", 1.67326319217681884765625)),
                 f64("gamma", attrF("gamma", 1.05070102214813232421875))});
  else if (op == "HardSigmoid")
    r = create1(
        "strata.hard_sigmoid", *x,
        {f64("alpha", attrF("alpha", 0.2)), f64("beta", attrF("beta", 0.5))});
  else if (op == "Shrink")
    r = create1(
        "strata.shrink", *x,
        {f64("bias", attrF("bias", 0.0)), f64("lambd", attrF("lambd", 0.5))});
  else if (op == "Gelu")
    r = create1(
        "strata.gelu", *x,
        {attr("approximate", b_.getStringAttr(attrS("approximate", "none")))});
  else if (op == "PRelu") {
    auto slope = required(1);
    if (failed(slope))
      return failure();
    Value s = *slope;
    // Before opset 7 a 1-D slope of C values is per channel (dimension 1),
    // not broadcast from the right.
    int64_t rank = rankOf(*x);
    if (opset_ < 7 && rankOf(s) == 1 && rank > 2 &&
        typeOf(s).getDimSize(0) != 1) {
      SmallVector<int64_t> shape(rank - 1, 1);
      shape[0] = typeOf(s).getDimSize(0);
      auto c = reshape(s, shape);
      if (failed(c))
        return failure();
      s = *c;
    }
    r = create1("strata.prelu", {*x, s});
  } else if (op == "Softmax" || op == "LogSoftmax") {
    StringRef name = op == "Softmax" ? "strata.softmax" : "strata.log_softmax";
    int64_t rank = rankOf(*x);
    if (opset_ >= 13) {
      r = create1(name, *x, {i64("axis", attrI("axis", -1))});
    } else {
      // Before opset 13 the input is seen as a 2-D matrix split at `axis`.
      int64_t axis = attrI("axis", 1);
      if (axis < 0)
        axis += rank;
      if (axis == rank - 1) {
        r = create1(name, *x, {i64("axis", -1)});
      } else {
        auto type = typeOf(*x);
        if (!type.hasStaticShape())
          return unsupported("coerced 2-D softmax needs a static shape");
        int64_t inner = 1;
        for (int64_t i = axis; i < rank; ++i)
          inner *= type.getDimSize(i);
        auto flat = reshape(*x, {-1, inner});
        if (failed(flat))
          return failure();
        auto s = create1(name, *flat, {i64("axis", 1)});
        if (failed(s))
          return failure();
        r = reshape(*s, type.getShape());
      }
    }
  } else {
    return unsupported();
  }
  if (failed(r))
    return failure();
  outs.push_back(*r);
  return success();
}

} // namespace strata::onnx_import
