//===- QuantizationLowering.cpp - ONNX QuantizeLinear, DequantizeLinear ---===//
//
// Composites of strata ops, computed as onnx.reference does:
//   QuantizeLinear:   y = saturate(round_half_even(x / scale) + zero_point)
//                     (integer targets: clamped to the target's range; float8
//                     targets: a cast honouring `saturate`; float4: a cast,
//                     which saturates)
//   DequantizeLinear: y = (f32(x) - f32(zero_point)) * scale
//   DynamicQuantizeLinear: uint8 with the scale and zero point of x's range
// Per-tensor (scalar scale) and per-axis (1-D scale along `axis`) only;
// blocked quantization (block_size) is unsupported.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"

#include <cmath>

namespace strata::onnx_import {

static bool isFloat8(Type t) {
  return isa<Float8E4M3FNType, Float8E4M3FNUZType, Float8E5M2Type,
             Float8E5M2FNUZType>(t);
}

/// DynamicQuantizeLinear (uint8), as onnx.reference computes it in f32:
///   lo = min(0, min(x)), hi = max(0, max(x))
///   scale = (hi == lo ? 1 : hi - lo) / 255
///   zp = round_half_even(clip(0 - lo / scale, 0, 255))
///   y = uint8(clip(round_half_even(x / scale) + zp, 0, 255))
LogicalResult Importer::lowerDynamicQuantization(SmallVector<Value> &outs) {
  auto x = required(0);
  if (failed(x))
    return failure();
  if (!typeOf(*x).getElementType().isF32())
    return failNode("x must be a float tensor");
  auto reduce = [&](StringRef op) {
    return create1(op, {*x},
                   {array("axes", {}), flag("keepdims", false),
                    flag("noop_with_empty_axes", false)});
  };
  auto scalar = [&](double v) {
    return constant(Tensor::scalar(DType::f32, v));
  };
  STRATA_TRY(mx, reduce("strata.reduce_max"));
  STRATA_TRY(mn, reduce("strata.reduce_min"));
  STRATA_TRY(zero, scalar(0));
  STRATA_TRY(one, scalar(1));
  STRATA_TRY(qmax, scalar(255));
  STRATA_TRY(hi, create1("strata.max", {mx, zero}));
  STRATA_TRY(lo, create1("strata.min", {mn, zero}));
  STRATA_TRY(range, create1("strata.sub", {hi, lo}));
  STRATA_TRY(same, create1("strata.equal", {hi, lo}));
  STRATA_TRY(span, create1("strata.where", {same, one, range}));
  STRATA_TRY(scale, create1("strata.div", {span, qmax}));
  STRATA_TRY(loScaled, create1("strata.div", {lo, scale}));
  STRATA_TRY(izp, create1("strata.sub", {zero, loScaled}));
  STRATA_TRY(zpClipped,
             create1("strata.clip", {izp}, {f64("min", 0), f64("max", 255)}));
  STRATA_TRY(zp, create1("strata.round", {zpClipped}));
  STRATA_TRY(q, create1("strata.div", {*x, scale}));
  STRATA_TRY(qr, create1("strata.round", {q}));
  STRATA_TRY(shifted, create1("strata.add", {qr, zp}));
  STRATA_TRY(clipped, create1("strata.clip", {shifted},
                              {f64("min", 0), f64("max", 255)}));
  Type u8 = IntegerType::get(&ctx_, 8, IntegerType::Unsigned);
  STRATA_TRY(y, castTo(clipped, u8));
  STRATA_TRY(zpOut, castTo(zp, u8));
  outs.push_back(y);
  outs.push_back(scale);
  outs.push_back(zpOut);
  return success();
}

LogicalResult Importer::lowerQuantization(const ::onnx::NodeProto &node,
                                          SmallVector<Value> &outs) {
  if (node.op_type() == "DynamicQuantizeLinear")
    return lowerDynamicQuantization(outs);
  bool quantize = node.op_type() == "QuantizeLinear";
  auto x = required(0), scale = required(1);
  if (failed(x) || failed(scale))
    return failure();
  Value zp = input(2);
  if (attrI("block_size", 0) != 0)
    return unsupported("blocked quantization (block_size)");
  auto xType = typeOf(*x), sType = typeOf(*scale);
  if (sType.getRank() > 1)
    return unsupported("a scale of rank " + std::to_string(sType.getRank()) +
                       " (blocked quantization)");
  // Equal shapes, or one element each (a scalar scale, a [1] zero point).
  auto single = [](RankedTensorType t) {
    return t.hasStaticShape() && t.getNumElements() == 1;
  };
  if (zp && typeOf(zp).getShape() != sType.getShape() &&
      !(single(typeOf(zp)) && single(sType)))
    return failNode("zero point and scale have different shapes");
  if (!isa<FloatType>(sType.getElementType()))
    return failNode("the scale is not a float tensor");
  int64_t rank = xType.getRank();
  int64_t axis = attrI("axis", 1);
  if (axis < 0)
    axis += rank;

  // Scale and zero point as tensors that broadcast against x.
  auto broadcastable = [&](Value v) -> FailureOr<Value> {
    auto t = typeOf(v);
    if (t.getRank() == 0)
      return v;
    if (t.isDynamicDim(0))
      return unsupported("a scale of dynamic size");
    if (t.getDimSize(0) == 1)
      return reshape(v, {});
    if (axis < 0 || axis >= rank)
      return failNode("axis " + std::to_string(attrI("axis", 1)) +
                      " is out of range for rank " + std::to_string(rank));
    if (!xType.isDynamicDim(axis) && xType.getDimSize(axis) != t.getDimSize(0))
      return failNode("a scale of " + std::to_string(t.getDimSize(0)) +
                      " elements for axis " + std::to_string(axis) +
                      " of size " + std::to_string(xType.getDimSize(axis)));
    SmallVector<int64_t> shape(rank, 1);
    shape[axis] = t.getDimSize(0);
    return reshape(v, shape);
  };
  auto s = broadcastable(*scale);
  if (failed(s))
    return failure();
  FailureOr<Value> z = Value();
  if (zp) {
    z = broadcastable(zp);
    if (failed(z))
      return failure();
  }
  Type f32Type = b_.getF32Type(), f64Type = b_.getF64Type();

  if (!quantize) {
    // (f32(x) - f32(zp)) * scale, in f32 (f64 for an f64 scale), then to
    // output_dtype (default: the scale's type).
    Type outType = sType.getElementType();
    if (int64_t dt = attrI("output_dtype", 0)) {
      auto e = elementTypeOf(static_cast<int32_t>(dt), ctx_);
      if (!e || !isa<FloatType>(*e))
        return unsupported("output_dtype " +
                           onnxTypeName(static_cast<int32_t>(dt)));
      outType = *e;
    }
    Type compute = sType.getElementType().isF64() ? f64Type : f32Type;
    auto dx = castTo(*x, f32Type);
    if (failed(dx))
      return failure();
    if (*z) {
      auto zf = castTo(*z, f32Type);
      if (failed(zf))
        return failure();
      dx = create1("strata.sub", {*dx, *zf});
      if (failed(dx))
        return failure();
    }
    auto dc = castTo(*dx, compute), sc = castTo(*s, compute);
    if (failed(dc) || failed(sc))
      return failure();
    auto y = create1("strata.mul", {*dc, *sc});
    if (failed(y))
      return failure();
    auto r = castTo(*y, outType);
    if (failed(r))
      return failure();
    outs.push_back(*r);
    return success();
  }

  // The quantized type: the zero point's, else output_dtype, else uint8.
  Type target = zp ? typeOf(zp).getElementType() : Type();
  if (int64_t dt = attrI("output_dtype", 0)) {
    auto e = elementTypeOf(static_cast<int32_t>(dt), ctx_);
    if (!e)
      return unsupported("output_dtype " +
                         onnxTypeName(static_cast<int32_t>(dt)));
    if (target && target != *e)
      return failNode("output_dtype differs from the zero point's type");
    target = *e;
  }
  if (!target)
    target = IntegerType::get(&ctx_, 8, IntegerType::Unsigned);
  auto intTarget = dyn_cast<IntegerType>(target);
  bool isQuantInt =
      intTarget && intTarget.getWidth() != 1 && intTarget.getWidth() <= 16;
  if (!isQuantInt && !isFloat8(target) && !isa<Float4E2M1FNType>(target))
    return unsupported("quantization to " + typeToString(target));

  // x / scale in the precision attribute's type, else numpy's promotion of
  // the two (equal types stay, f64 or an integer x gives f64, other mixes
  // compute in f32).
  Type xe = xType.getElementType(), se = sType.getElementType();
  Type compute = xe == se                                             ? xe
                 : (xe.isF64() || se.isF64() || isa<IntegerType>(xe)) ? f64Type
                                                                      : f32Type;
  if (int64_t p = attrI("precision", 0)) {
    auto e = elementTypeOf(static_cast<int32_t>(p), ctx_);
    if (!e || !isa<FloatType>(*e))
      return unsupported("precision " + onnxTypeName(static_cast<int32_t>(p)));
    compute = *e;
  }
  if (!isa<FloatType>(compute))
    return failNode("x is not a float tensor");
  auto xc = castTo(*x, compute), sc = castTo(*s, compute);
  if (failed(xc) || failed(sc))
    return failure();
  auto q = create1("strata.div", {*xc, *sc});
  if (failed(q))
    return failure();

  FailureOr<Value> r = failure();
  if (isQuantInt) {
    // round half to even, to i64, + zero point, clamp to the target's range.
    auto rounded = create1("strata.round", {*q});
    if (failed(rounded))
      return failure();
    Type i64 = b_.getI64Type();
    auto qi = castTo(*rounded, i64);
    if (failed(qi))
      return failure();
    if (*z) {
      auto zi = castTo(*z, i64);
      if (failed(zi))
        return failure();
      qi = create1("strata.add", {*qi, *zi});
      if (failed(qi))
        return failure();
    }
    unsigned w = intTarget.getWidth();
    double lo = intTarget.isUnsigned() ? 0.0 : -std::ldexp(1.0, w - 1);
    double hi = intTarget.isUnsigned() ? std::ldexp(1.0, w) - 1
                                       : std::ldexp(1.0, w - 1) - 1;
    auto clipped =
        create1("strata.clip", {*qi}, {f64("min", lo), f64("max", hi)});
    if (failed(clipped))
      return failure();
    r = castTo(*clipped, target);
  } else {
    Value v = *q;
    if (*z) {
      auto zc = castTo(*z, compute);
      if (failed(zc))
        return failure();
      auto sum = create1("strata.add", {v, *zc});
      if (failed(sum))
        return failure();
      v = *sum;
    }
    r = castTo(v, target, isFloat8(target) && attrI("saturate", 1) != 0);
  }
  if (failed(r))
    return failure();
  outs.push_back(*r);
  return success();
}

} // namespace strata::onnx_import
