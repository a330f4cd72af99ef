//===- ResizeLowering.cpp - ONNX Resize -----------------------------------===//
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace strata::onnx_import {

namespace {
/// How one axis is resized (ONNX Resize's attributes, per axis).
struct ResizeAxis {
  int64_t in, out;
  double scale; // out / in as ONNX defines it (may differ from out / in)
  StringRef coordMode, mode, nearestMode;
  double cubicA;
  bool excludeOutside, antialias;
  double roiStart = 0, roiEnd = 1; // tf_crop_and_resize only
};
} // namespace

/// Interpolation coefficients for the taps around a source position whose
/// fractional part is `ratio`. Antialiasing (linear and cubic, downsampling
/// only) stretches the kernel by 1 / scale, so it has more taps.
static std::vector<double> resizeCoefficients(const ResizeAxis &a,
                                              double ratio) {
  if (a.mode == "nearest") {
    bool second;
    if (ratio == 1.0)
      second = true;
    else if (a.nearestMode == "round_prefer_ceil")
      second = ratio >= 0.5;
    else if (a.nearestMode == "floor")
      second = false;
    else if (a.nearestMode == "ceil")
      second = true;
    else // round_prefer_floor
      second = ratio > 0.5;
    return {second ? 0.0 : 1.0, second ? 1.0 : 0.0};
  }
  double A = a.cubicA;
  auto cubic = [A](double x) {
    x = std::fabs(x);
    if (x <= 1)
      return ((A + 2) * x - (A + 3)) * x * x + 1;
    if (x < 2)
      return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
    return 0.0;
  };
  if (!a.antialias) {
    if (a.mode == "linear")
      return {1 - ratio, ratio};
    return {cubic(ratio + 1), cubic(ratio), cubic(1 - ratio), cubic(2 - ratio)};
  }
  // Taps i in [start, 2 - start) around the source position, weighted by the
  // kernel at scale * (i - ratio), then normalised.
  double scale = std::min(a.scale, 1.0);
  double support = a.mode == "linear" ? 1.0 : 2.0;
  int64_t start = static_cast<int64_t>(std::floor(-support / scale)) + 1;
  std::vector<double> coeffs;
  double sum = 0;
  for (int64_t i = start; i < 2 - start; ++i) {
    double t = scale * (static_cast<double>(i) - ratio);
    double c =
        a.mode == "linear" ? std::clamp(1 - std::fabs(t), 0.0, 1.0) : cubic(t);
    coeffs.push_back(c);
    sum += c;
  }
  for (double &c : coeffs)
    c /= sum;
  return coeffs;
}

/// The out x in weight matrix of one axis of ONNX Resize: output position x
/// reads the taps nearest to its source position; edges are replicated.
/// With tf_crop_and_resize, `extrapolated` marks the outputs whose source
/// lies outside the input: their row of weights is zero.
static std::vector<double> resizeWeights(const ResizeAxis &a,
                                         std::vector<bool> &extrapolated) {
  int64_t in = a.in, out = a.out;
  std::vector<double> w(out * in, 0.0);
  extrapolated.assign(out, false);
  double outWidth = a.scale * static_cast<double>(in);
  for (int64_t x = 0; x < out; ++x) {
    double xd = static_cast<double>(x), xo;
    if (a.coordMode == "align_corners") {
      xo = outWidth == 1 ? 0 : xd * (in - 1) / (outWidth - 1);
    } else if (a.coordMode == "asymmetric") {
      xo = xd / a.scale;
    } else if (a.coordMode == "pytorch_half_pixel") {
      xo = outWidth == 1 ? -0.5 : (xd + 0.5) / a.scale - 0.5;
    } else if (a.coordMode == "tf_half_pixel_for_nn") {
      xo = (xd + 0.5) / a.scale;
    } else if (a.coordMode == "tf_crop_and_resize") {
      double span = (a.roiEnd - a.roiStart) * static_cast<double>(in - 1);
      xo = (outWidth == 1 ? span / 2 : xd * span / (outWidth - 1)) +
           a.roiStart * static_cast<double>(in - 1);
      if (xo < 0 || xo > static_cast<double>(in - 1)) {
        extrapolated[x] = true;
        continue;
      }
    } else if (a.coordMode == "half_pixel_symmetric") {
      // Centred: the rounding of the output size is split over both ends.
      double adjustment = static_cast<double>(out) / outWidth;
      double offset = static_cast<double>(in) / 2 * (1 - adjustment);
      xo = offset + (xd + 0.5) / a.scale - 0.5;
    } else { // half_pixel
      xo = (xd + 0.5) / a.scale - 0.5;
    }
    double ratio = xo == std::floor(xo) ? 1.0 : xo - std::floor(xo);
    std::vector<double> coeffs = resizeCoefficients(a, ratio);
    int64_t n = static_cast<int64_t>(coeffs.size()), pad = (n + 1) / 2;
    // The n padded positions nearest to xo, ties to the smaller one.
    std::vector<int64_t> idx;
    for (int64_t i = 0; i < in + 2 * pad; ++i)
      idx.push_back(i);
    double xp = xo + pad;
    std::stable_sort(idx.begin(), idx.end(), [&](int64_t p, int64_t q) {
      return std::fabs(xp - p) < std::fabs(xp - q);
    });
    idx.resize(std::min<int64_t>(n, idx.size()));
    std::sort(idx.begin(), idx.end());
    if (a.excludeOutside) {
      double sum = 0;
      for (int64_t k = 0; k < static_cast<int64_t>(idx.size()); ++k) {
        int64_t i = idx[k] - pad;
        if (i < 0 || i >= in)
          coeffs[k] = 0;
        sum += coeffs[k];
      }
      for (double &c : coeffs)
        c = sum == 0 ? c : c / sum;
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
  // Opset 18: scales / sizes may cover only the listed `axes`.
  SmallVector<int64_t> axes;
  if (auto given = attrInts("axes"); given && !legacy) {
    for (int64_t a : *given) {
      if (a < -rank || a >= rank)
        return failNode("axis " + std::to_string(a) +
                        " out of range for rank " + std::to_string(rank));
      axes.push_back(a < 0 ? a + rank : a);
    }
  } else {
    for (int64_t k = 0; k < rank; ++k)
      axes.push_back(k);
  }
  int64_t naxes = static_cast<int64_t>(axes.size());
  if (sizes.empty() && static_cast<int64_t>(scales.size()) != naxes)
    return failNode("needs " + std::to_string(naxes) + " scales or sizes");
  if (!sizes.empty() && static_cast<int64_t>(sizes.size()) != naxes)
    return failNode("needs " + std::to_string(naxes) + " sizes");
  SmallVector<double> scaleOf(rank, 1.0);
  SmallVector<int64_t> outOf(type.getShape());
  for (auto [i, k] : llvm::enumerate(axes)) {
    double in = static_cast<double>(type.getDimSize(k));
    if (sizes.empty()) {
      scaleOf[k] = scales[i];
      outOf[k] = static_cast<int64_t>(std::floor(in * scales[i]));
    } else {
      scaleOf[k] = static_cast<double>(sizes[i]) / in;
      outOf[k] = sizes[i];
    }
  }
  std::string policy = attrS("keep_aspect_ratio_policy", "stretch");
  if (!sizes.empty() && policy != "stretch") {
    if (policy != "not_larger" && policy != "not_smaller")
      return failNode("unknown keep_aspect_ratio_policy '" + policy + "'");
    // One scale for every listed axis, the smallest or largest of them; the
    // sizes are rounded half up.
    double scale = scaleOf[axes[0]];
    for (int64_t k : axes)
      scale = policy == "not_larger" ? std::min(scale, scaleOf[k])
                                     : std::max(scale, scaleOf[k]);
    for (int64_t k : axes) {
      scaleOf[k] = scale;
      outOf[k] = static_cast<int64_t>(
          scale * static_cast<double>(type.getDimSize(k)) + 0.5);
    }
  }
  // tf_crop_and_resize: the region of interest, [starts..., ends...] over
  // the listed axes.
  SmallVector<double> roiStart(rank, 0.0), roiEnd(rank, 1.0);
  if (coordMode == "tf_crop_and_resize") {
    const Tensor *roi = constInput(1);
    if (!roi)
      return notConstant(1, "roi");
    if (roi->numElements() != 2 * naxes)
      return failNode("roi needs " + std::to_string(2 * naxes) + " values");
    for (auto [i, k] : llvm::enumerate(axes)) {
      roiStart[k] = roi->get(i);
      roiEnd[k] = roi->get(naxes + i);
    }
  }
  double extrapolation = attrF("extrapolation_value", 0.0);
  bool antialias = attrI("antialias", 0) != 0;
  if (antialias && mode == "nearest")
    return unsupported("antialias with mode nearest");
  Value v = x;
  auto dtype = *reference::dtypeOf(type.getElementType());
  for (int64_t k = 0; k < rank; ++k) {
    int64_t in = type.getDimSize(k), out = outOf[k];
    double scale = scaleOf[k];
    if (in <= 0 || out <= 0 || scale <= 0)
      return unsupported("empty input or output");
    ResizeAxis axis{in,
                    out,
                    scale,
                    coordMode,
                    mode,
                    nearestMode,
                    attrF("cubic_coeff_a", -0.75),
                    attrI("exclude_outside", 0) != 0,
                    antialias,
                    roiStart[k],
                    roiEnd[k]};
    std::vector<bool> extrapolated;
    std::vector<double> w = resizeWeights(axis, extrapolated);
    bool anyExtrapolated = std::find(extrapolated.begin(), extrapolated.end(),
                                     true) != extrapolated.end();
    bool identity = in == out && !anyExtrapolated;
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
    if (anyExtrapolated) {
      // Rows of extrapolated outputs are zero: add the fill value there.
      std::vector<double> fill(out);
      for (int64_t i = 0; i < out; ++i)
        fill[i] = extrapolated[i] ? extrapolation : 0.0;
      STRATA_TRY(bias, constant(Tensor::fromDoubles(dtype, {out}, fill)));
      STRATA_TRY(filled, create1("strata.add", {t, bias}));
      t = filled;
    }
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
