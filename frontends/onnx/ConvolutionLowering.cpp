//===- ConvolutionLowering.cpp - ONNX conv, pooling, LRN ------------------===//
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"

#include <cmath>
#include <limits>

namespace strata::onnx_import {

LogicalResult Importer::lowerConvolution(const ::onnx::NodeProto &node,
                                         SmallVector<Value> &outs) {
  StringRef op = node.op_type();
  auto x = required(0);
  if (failed(x))
    return failure();
  SmallVector<NamedAttribute> attrs;
  std::string autoPad = attrS("auto_pad", "NOTSET");
  std::optional<AutoPad> pad =
      autoPad == "NOTSET"       ? std::optional(AutoPad::notset)
      : autoPad == "SAME_UPPER" ? std::optional(AutoPad::same_upper)
      : autoPad == "SAME_LOWER" ? std::optional(AutoPad::same_lower)
      : autoPad == "VALID"      ? std::optional(AutoPad::valid)
                                : std::nullopt;
  if (!pad)
    return failNode("unknown auto_pad '" + autoPad + "'");
  attrs.push_back(attr("auto_pad", AutoPadAttr::get(&ctx_, *pad)));
  for (StringRef name : {"strides", "pads", "dilations"})
    if (auto v = attrInts(name))
      attrs.push_back(array(name, *v));
  FailureOr<Value> r = failure();
  if (op == "Conv" || op == "ConvTranspose") {
    auto w = required(1);
    if (failed(w))
      return failure();
    SmallVector<Value> operands = {*x, *w};
    if (Value bias = input(2))
      operands.push_back(bias);
    attrs.push_back(i64("groups", attrI("group", 1)));
    if (op == "ConvTranspose") {
      for (StringRef name : {"output_padding", "output_shape"})
        if (auto v = attrInts(name))
          attrs.push_back(array(name, *v));
    }
    r = create1(op == "Conv" ? "strata.conv" : "strata.conv_transpose",
                operands, attrs);
  } else if (op == "MaxPool" || op == "AveragePool") {
    if (wantsOutput(1))
      return unsupported("the Indices output");
    auto kernel = attrInts("kernel_shape");
    if (!kernel)
      return failNode("missing kernel_shape");
    attrs.push_back(array("kernel_shape", *kernel));
    attrs.push_back(flag("ceil_mode", attrI("ceil_mode", 0)));
    if (op == "AveragePool") {
      attrs.push_back(flag("count_include_pad", attrI("count_include_pad", 0)));
    }
    Type elem = typeOf(*x).getElementType();
    if (op == "MaxPool" && isa<IntegerType>(elem)) {
      // strata.max_pool takes floats; f64 holds every 8/16/32-bit integer
      // exactly, so the maximum is the same.
      if (elem.getIntOrFloatBitWidth() > 32)
        return unsupported("64-bit integer data");
      auto wide = castTo(*x, b_.getF64Type());
      if (failed(wide))
        return failure();
      auto pooled = create1("strata.max_pool", *wide, attrs);
      if (failed(pooled))
        return failure();
      r = castTo(*pooled, elem);
    } else {
      r = create1(op == "MaxPool" ? "strata.max_pool" : "strata.avg_pool", *x,
                  attrs);
    }
  } else if (op == "DeformConv") {
    STRATA_TRY(w, required(1));
    STRATA_TRY(offset, required(2));
    if (*pad != AutoPad::notset)
      return failNode("DeformConv has no auto_pad");
    if (auto kernel = attrInts("kernel_shape")) {
      ArrayRef<int64_t> ws = typeOf(w).getShape();
      if (ws.size() != kernel->size() + 2 ||
          ArrayRef<int64_t>(*kernel) != ws.drop_front(2))
        return failNode("kernel_shape does not match the weight shape " +
                        formatShape(ws));
    }
    Value mask = input(4);
    if (!mask) {
      // ONNX's default mask is ones: [N, offset_group * K, O...], i.e. the
      // offset's shape with dim 1 divided by the spatial rank.
      auto offType = typeOf(offset);
      int64_t s = offType.getRank() - 2;
      if (s < 1 || !offType.hasStaticShape() || offType.getDimSize(1) % s)
        return unsupported("a default mask for offset shape " +
                           formatShape(offType.getShape()));
      SmallVector<int64_t> shape(offType.getShape());
      shape[1] /= s;
      auto dtype = reference::dtypeOf(offType.getElementType());
      if (!dtype)
        return unsupported("offset element type");
      Tensor ones(*dtype, std::vector<int64_t>(shape.begin(), shape.end()));
      for (int64_t i = 0; i < ones.numElements(); ++i)
        ones.set(i, 1.0);
      STRATA_TRY(c, constant(ones));
      mask = c;
    }
    SmallVector<Value> operands = {*x, w, offset, mask};
    if (Value bias = input(3))
      operands.push_back(bias);
    SmallVector<NamedAttribute> convAttrs;
    for (StringRef name : {"strides", "pads", "dilations"})
      if (auto v = attrInts(name))
        convAttrs.push_back(array(name, *v));
    convAttrs.push_back(i64("groups", attrI("group", 1)));
    convAttrs.push_back(i64("offset_group", attrI("offset_group", 1)));
    r = create1("strata.deform_conv", operands, convAttrs);
  } else if (op == "LpPool") {
    // y = (sum over the window of |x|^p)^(1/p), padding contributing 0: the
    // window sum is avg_pool with count_include_pad times the kernel volume,
    // exact while every window lies inside the padded input, i.e. without
    // ceil_mode.
    if (attrI("ceil_mode", 0))
      return unsupported("ceil_mode (a window overhanging the padding has no "
                         "exact sum through avg_pool)");
    auto kernel = attrInts("kernel_shape");
    if (!kernel)
      return failNode("missing kernel_shape");
    if (!isa<FloatType>(typeOf(*x).getElementType()))
      return unsupported("non-float data");
    int64_t p = attrI("p", 2);
    if (p < 1)
      return failNode("p must be positive, got " + Twine(p));
    int64_t volume = 1;
    for (int64_t k : *kernel)
      volume *= k;
    attrs.push_back(array("kernel_shape", *kernel));
    attrs.push_back(flag("count_include_pad", true));
    STRATA_TRY(absX, create1("strata.abs", *x));
    Value powered = absX;
    if (p != 1) {
      STRATA_TRY(pv, scalarLike(*x, static_cast<double>(p)));
      STRATA_TRY(pw, create1("strata.pow", {absX, pv}));
      powered = pw;
    }
    STRATA_TRY(avg, create1("strata.avg_pool", powered, attrs));
    STRATA_TRY(vol, scalarLike(*x, static_cast<double>(volume)));
    STRATA_TRY(sum, create1("strata.mul", {avg, vol}));
    if (p == 1) {
      r = sum;
    } else if (p == 2) {
      r = create1("strata.sqrt", sum);
    } else {
      STRATA_TRY(inv, scalarLike(*x, 1.0 / static_cast<double>(p)));
      r = create1("strata.pow", {sum, inv});
    }
  } else if (op == "GlobalAveragePool") {
    r = create1("strata.global_avg_pool", *x);
  } else if (op == "GlobalMaxPool") {
    r = create1("strata.global_max_pool", *x);
  } else if (op == "LRN") {
    r = create1(
        "strata.lrn", *x,
        {i64("size", attrI("size", 1)), f64("alpha", attrF("alpha", 1e-4)),
         f64("beta", attrF("beta", 0.75)), f64("bias", attrF("bias", 1.0))});
  } else {
    return unsupported();
  }
  if (failed(r))
    return failure();
  outs.push_back(*r);
  return success();
}

} // namespace strata::onnx_import
