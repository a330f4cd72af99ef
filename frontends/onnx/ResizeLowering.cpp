//===- ResizeLowering.cpp - ONNX Resize -----------------------------------===//
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"

#include <cmath>
#include <limits>

namespace strata::onnx_import {

/// The weights of one axis of ONNX Resize (onnx 1.12's reference
/// implementation, which the node tests were generated with): output
/// position x reads input positions idx with coefficients; edges are
/// replicated.
static std::vector<double> resizeWeights(int64_t in, int64_t out, double scale,
                                         StringRef coordMode, StringRef mode,
                                         StringRef nearestMode, double cubicA,
                                         bool excludeOutside) {
  std::vector<double> w(out * in, 0.0);
  double outWidth = scale * static_cast<double>(in);
  for (int64_t x = 0; x < out; ++x) {
    double xd = static_cast<double>(x), xo;
    if (coordMode == "align_corners")
      xo = outWidth == 1 ? 0 : xd * (in - 1) / (outWidth - 1);
    else if (coordMode == "asymmetric")
      xo = xd / scale;
    else if (coordMode == "pytorch_half_pixel")
      xo = outWidth == 1 ? -0.5 : (xd + 0.5) / scale - 0.5;
    else if (coordMode == "tf_half_pixel_for_nn")
      xo = (xd + 0.5) / scale;
    else // half_pixel
      xo = (xd + 0.5) / scale - 0.5;
    double ratio = xo == std::floor(xo) ? 1.0 : xo - std::floor(xo);
    std::vector<double> coeffs;
    if (mode == "nearest") {
      bool second;
      if (ratio == 1.0)
        second = true;
      else if (nearestMode == "round_prefer_ceil")
        second = ratio >= 0.5;
      else if (nearestMode == "floor")
        second = false;
      else if (nearestMode == "ceil")
        second = true;
      else // round_prefer_floor
        second = ratio > 0.5;
      coeffs = {second ? 0.0 : 1.0, second ? 1.0 : 0.0};
    } else if (mode == "linear") {
      coeffs = {1 - ratio, ratio};
    } else { // cubic
      double a = cubicA, r = ratio, q = 1 - ratio;
      coeffs = {((a * (r + 1) - 5 * a) * (r + 1) + 8 * a) * (r + 1) - 4 * a,
                ((a + 2) * r - (a + 3)) * r * r + 1,
                ((a + 2) * q - (a + 3)) * q * q + 1,
                ((a * (q + 1) - 5 * a) * (q + 1) + 8 * a) * (q + 1) - 4 * a};
    }
    int64_t n = static_cast<int64_t>(coeffs.size()), pad = (n + 1) / 2;
    // The n padded positions nearest to xo, ties to the smaller one.
    std::vector<int64_t> idx;
    for (int64_t i = 0; i < in + 2 * pad; ++i)
      idx.push_back(i);
    double xp = xo + pad;
    std::stable_sort(idx.begin(), idx.end(), [&](int64_t a, int64_t b) {
      return std::fabs(xp - a) < std::fabs(xp - b);
    });
    idx.resize(std::min<int64_t>(n, idx.size()));
    std::sort(idx.begin(), idx.end());
    if (excludeOutside) {
      double sum = 0;
      for (int64_t k = 0; k < n; ++k) {
        int64_t i = idx[k] - pad;
        if (i < 0 || i >= in)
          coeffs[k] = 0;
        sum += coeffs[k];
      }
      for (double &c : coeffs)
        c /= sum;
    }
    for (int64_t k = 0; k < static_cast<int64_t>(idx.size()); ++k) {
      int64_t i = std::clamp<int64_t>(idx[k] - pad, 0, in - 1);
      w[x * in + i] += coeffs[k];
    }
  }
  return w;
}

LogicalResult Importer::lowerResize(const ::onnx::NodeProto &node,
                                    SmallVector<Value> &outs) {
  // Resize is separable: each resized axis is a matrix product with a
  // constant out x in weight matrix computed here.
  STRATA_TRY(x, required(0));
  auto type = typeOf(x);
  if (!type.hasStaticShape())
    return unsupported("needs a static input shape");
  if (!isa<FloatType>(type.getElementType()))
    return unsupported("integer data");
  int64_t rank = type.getRank();
  bool upsample = node.op_type() == "Upsample";
  std::string mode = attrS("mode", "nearest");
  // Opset 10 Resize and Upsample have only `mode`, with asymmetric
  // coordinates and floor-rounded nearest neighbours.
  bool legacy = upsample || opset_ < 11;
  std::string coordMode =
      legacy ? "asymmetric"
             : attrS("coordinate_transformation_mode", "half_pixel");
  std::string nearestMode =
      legacy ? "floor" : attrS("nearest_mode", "round_prefer_floor");
  if (coordMode == "tf_crop_and_resize")
    return unsupported("coordinate_transformation_mode tf_crop_and_resize");
  if (mode != "nearest" && mode != "linear" && mode != "cubic")
    return failNode("unknown mode '" + mode + "'");
  SmallVector<double> scales;
  SmallVector<int64_t> sizes;
  if (upsample && opset_ < 9) {
    auto *a = findAttr("scales");
    if (!a)
      return failNode("missing scales");
    scales.assign(a->floats().begin(), a->floats().end());
  } else {
    int scalesInput = legacy ? 1 : 2;
    if (hasInput(scalesInput)) {
      const Tensor *t = constInput(scalesInput);
      if (!t)
        return notConstant(scalesInput, "scales");
      for (int64_t i = 0; i < t->numElements(); ++i)
        scales.push_back(t->get(i));
    }
    if (!legacy && hasInput(3)) {
      auto v = constInts(3, "sizes");
      if (failed(v))
        return failure();
      sizes = *v;
    }
  }
  if (sizes.empty() && static_cast<int64_t>(scales.size()) != rank)
    return failNode("needs " + std::to_string(rank) + " scales or sizes");
  if (!sizes.empty() && static_cast<int64_t>(sizes.size()) != rank)
    return failNode("needs " + std::to_string(rank) + " sizes");
  Value v = x;
  auto dtype = *reference::dtypeOf(type.getElementType());
  for (int64_t k = 0; k < rank; ++k) {
    int64_t in = type.getDimSize(k);
    int64_t out = sizes.empty()
                      ? static_cast<int64_t>(std::floor(in * scales[k]))
                      : sizes[k];
    double scale = sizes.empty()
                       ? scales[k]
                       : static_cast<double>(out) / static_cast<double>(in);
    if (in <= 0 || out <= 0 || scale <= 0)
      return unsupported("empty input or output");
    std::vector<double> w = resizeWeights(
        in, out, scale, coordMode, mode, nearestMode,
        attrF("cubic_coeff_a", -0.75), attrI("exclude_outside", 0));
    bool identity = in == out;
    for (int64_t i = 0; identity && i < out; ++i)
      for (int64_t j = 0; j < in; ++j)
        if (w[i * in + j] != (i == j ? 1.0 : 0.0))
          identity = false;
    if (identity)
      continue;
    // [in, out]: the transpose of the weights, for v(..., in) x W^T.
    std::vector<double> wt(in * out);
    for (int64_t i = 0; i < out; ++i)
      for (int64_t j = 0; j < in; ++j)
        wt[j * out + i] = w[i * in + j];
    STRATA_TRY(weights, constant(Tensor::fromDoubles(dtype, {in, out}, wt)));
    SmallVector<int64_t> perm;
    for (int64_t i = 0; i < rank; ++i)
      if (i != k)
        perm.push_back(i);
    perm.push_back(k);
    SmallVector<int64_t> inverse(rank);
    for (int64_t i = 0; i < rank; ++i)
      inverse[perm[i]] = i;
    bool last = k == rank - 1;
    Value t = v;
    if (!last) {
      STRATA_TRY(tr, create1("strata.transpose", v, {array("perm", perm)}));
      t = tr;
    }
    STRATA_TRY(mm, create1("strata.matmul", {t, weights}));
    t = mm;
    if (!last) {
      STRATA_TRY(back,
                 create1("strata.transpose", t, {array("perm", inverse)}));
      t = back;
    }
    v = t;
  }
  outs.push_back(v);
  return success();
}

} // namespace strata::onnx_import
