//===- SpectralLowering.cpp - ONNX DFT
//-------------------------------------===//
//
// A DFT along one axis is a matrix product with constant cosine and sine
// matrices computed here (the signal length is static), for the real and
// imaginary parts separately: no strata op of its own is needed.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"

#include <cmath>

namespace strata::onnx_import {

LogicalResult Importer::lowerSpectral(const ::onnx::NodeProto &node,
                                      SmallVector<Value> &outs) {
  STRATA_TRY(x, required(0));
  auto type = typeOf(x);
  int64_t rank = type.getRank();
  if (!type.hasStaticShape())
    return unsupported("needs a static input shape");
  if (!isa<FloatType>(type.getElementType()))
    return failNode("input must be a float tensor");
  int64_t parts = rank >= 2 ? type.getDimSize(rank - 1) : 0;
  if (parts != 1 && parts != 2)
    return failNode("the last dimension must be 1 (real) or 2 (complex), "
                    "not " +
                    std::to_string(parts));
  bool inverse = attrI("inverse", 0) != 0;
  bool onesided = attrI("onesided", 0) != 0;
  bool rfft = onesided && !inverse, irfft = onesided && inverse;
  if (rfft && parts != 1)
    return failNode("a one-sided forward DFT takes a real input");
  if (irfft && parts != 2)
    return failNode("a one-sided inverse DFT takes a complex input");

  // The axis: an attribute (default 1) before opset 20, an input (default
  // -2) from opset 20 on.
  int64_t axis;
  if (opset_ >= 20) {
    axis = -2;
    if (hasInput(2)) {
      auto a = constInts(2, "axis");
      if (failed(a))
        return failure();
      if (a->size() != 1)
        return failNode("axis must be a scalar");
      axis = (*a)[0];
    }
  } else {
    axis = attrI("axis", 1);
  }
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis > rank - 2)
    return failNode("axis " + std::to_string(axis) +
                    " is not a signal axis of a rank-" + std::to_string(rank) +
                    " input");
  int64_t nIn = type.getDimSize(axis);
  int64_t n = irfft ? 2 * (nIn - 1) : nIn;
  if (hasInput(1)) {
    auto len = constInts(1, "dft_length");
    if (failed(len))
      return failure();
    if (len->size() != 1)
      return failNode("dft_length must be a scalar");
    n = (*len)[0];
  }
  if (n <= 0)
    return failNode("the DFT length must be positive, not " +
                    std::to_string(n));
  int64_t nOut = rfft ? n / 2 + 1 : n;

  // Move the signal axis next to the last: [..., nIn, parts].
  SmallVector<int64_t> perm;
  for (int64_t i = 0; i < rank - 1; ++i)
    if (i != axis)
      perm.push_back(i);
  perm.push_back(axis);
  perm.push_back(rank - 1);
  SmallVector<int64_t> inversePerm(rank);
  for (int64_t i = 0; i < rank; ++i)
    inversePerm[perm[i]] = i;
  Value v = x;
  bool moved = axis != rank - 2;
  if (moved) {
    STRATA_TRY(t, create1("strata.transpose", x, {array("perm", perm)}));
    v = t;
  }
  SmallVector<int64_t> signalShape(typeOf(v).getShape());
  signalShape.pop_back(); // [..., nIn]
  auto part = [&](int64_t p) -> FailureOr<Value> {
    auto s = create1("strata.slice", v,
                     {array("starts", {p}), array("ends", {p + 1}),
                      array("axes", {rank - 1})});
    if (failed(s))
      return failure();
    return reshape(*s, signalShape);
  };
  STRATA_TRY(re, part(0));
  Value im;
  if (parts == 2) {
    STRATA_TRY(i, part(1));
    im = i;
  }

  // Out = Re(x) * A + Im(x) * B for each output part, A and B [nIn, nOut].
  // Input positions at or past n are dropped (a shorter DFT); a longer one
  // zero-pads, which adds nothing to the sums.
  auto dtype = *reference::dtypeOf(type.getElementType());
  auto matrix = [&](auto entry) {
    std::vector<double> m(nIn * nOut, 0.0);
    for (int64_t i = 0; i < std::min(nIn, n); ++i)
      for (int64_t k = 0; k < nOut; ++k) {
        double theta = 2 * M_PI * static_cast<double>((i * k) % n) /
                       static_cast<double>(n);
        m[i * nOut + k] = entry(i, theta);
      }
    return constant(Tensor::fromDoubles(dtype, {nIn, nOut}, m));
  };
  double norm = inverse ? 1.0 / static_cast<double>(n) : 1.0;
  double sign = inverse ? 1.0 : -1.0; // e^{sign * j * theta}
  // The one-sided inverse (IRFFT) reads X[k] for k <= n / 2 and counts the
  // conjugate-symmetric X[n - k] through a weight of 2 (k = 0 and k = n / 2
  // appear once).
  auto weight = [&](int64_t k) {
    if (!irfft)
      return 1.0;
    if (k > n / 2)
      return 0.0;
    return k == 0 || 2 * k == n ? 1.0 : 2.0;
  };
  // (a + jb) e^{j s theta} = a cos - b s sin + j (a s sin + b cos).
  STRATA_TRY(aRe, matrix([&](int64_t i, double t) {
               return weight(i) * norm * std::cos(t);
             }));
  STRATA_TRY(bRe, matrix([&](int64_t i, double t) {
               return -weight(i) * norm * sign * std::sin(t);
             }));
  STRATA_TRY(aIm, matrix([&](int64_t i, double t) {
               return norm * sign * std::sin(t);
             }));
  STRATA_TRY(bIm,
             matrix([&](int64_t i, double t) { return norm * std::cos(t); }));
  auto combine = [&](Value a, Value b) -> FailureOr<Value> {
    auto y = create1("strata.matmul", {re, a});
    if (failed(y) || !im)
      return y;
    auto z = create1("strata.matmul", {im, b});
    if (failed(z))
      return failure();
    return create1("strata.add", {*y, *z});
  };
  SmallVector<int64_t> partShape(signalShape);
  partShape.back() = nOut;
  partShape.push_back(1);
  STRATA_TRY(yRe0, combine(aRe, bRe));
  STRATA_TRY(yRe, reshape(yRe0, partShape));
  Value y = yRe;
  if (!irfft) {
    STRATA_TRY(yIm0, combine(aIm, bIm));
    STRATA_TRY(yIm, reshape(yIm0, partShape));
    STRATA_TRY(both,
               create1("strata.concat", {yRe, yIm}, {i64("axis", rank - 1)}));
    y = both;
  }
  if (moved) {
    STRATA_TRY(back,
               create1("strata.transpose", y, {array("perm", inversePerm)}));
    y = back;
  }
  outs.push_back(y);
  return success();
}

} // namespace strata::onnx_import
