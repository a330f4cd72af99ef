//===- CompositeLowering.cpp - ONNX composites ----------------------------===//
//
// ONNX operators without a strata op of their own, built from several.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"

#include <cmath>
#include <limits>

namespace strata::onnx_import {

LogicalResult Importer::lowerLayerNormWithStats(Value x,
                                                SmallVector<Value> &outs) {
  // Mean and InvStdDev are outputs too: spell the normalization out.
  int64_t rank = rankOf(x);
  int64_t axis = attrI("axis", -1);
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    return failNode("axis out of range");
  SmallVector<int64_t> axes;
  for (int64_t i = axis; i < rank; ++i)
    axes.push_back(i);
  auto reduceAttrs =
      SmallVector<NamedAttribute>{array("axes", axes), flag("keepdims", true)};
  STRATA_TRY(scale, required(1));
  STRATA_TRY(mean, create1("strata.reduce_mean", x, reduceAttrs));
  STRATA_TRY(d, create1("strata.sub", {x, mean}));
  STRATA_TRY(sq, create1("strata.mul", {d, d}));
  STRATA_TRY(var, create1("strata.reduce_mean", sq, reduceAttrs));
  STRATA_TRY(eps, scalarLike(x, attrF("epsilon", 1e-5)));
  STRATA_TRY(varEps, create1("strata.add", {var, eps}));
  STRATA_TRY(invStd, create1("strata.rsqrt", varEps));
  STRATA_TRY(norm, create1("strata.mul", {d, invStd}));
  STRATA_TRY(y, create1("strata.mul", {norm, scale}));
  if (Value bias = input(2)) {
    STRATA_TRY(biased, create1("strata.add", {y, bias}));
    y = biased;
  }
  outs.append({y, mean, invStd});
  return success();
}

FailureOr<Value> Importer::negativeLogLikelihood(Value logProb, Value target,
                                                 Value weight) {
  // loss[n, d...] = -logProb[n, target[n, d...], d...] * weight[target];
  // targets equal to ignore_index contribute 0 (and no weight).
  auto targetType = typeOf(target);
  auto floatType = typeOf(logProb).getElementType();
  // The class dimension is dim 1 of the scores: targets are [N, d...] and
  // the scores [N, C, d...].
  if (targetType.getRank() < 1 ||
      typeOf(logProb).getRank() != targetType.getRank() + 1)
    return failNode("target of rank " + Twine(targetType.getRank()) +
                    " does not fit scores of rank " +
                    Twine(typeOf(logProb).getRank()) +
                    " (expected [N, d...] and [N, C, d...])");
  Value safe = target, valid;
  if (const auto *ii = findAttr("ignore_index")) {
    auto dtype = reference::dtypeOf(targetType.getElementType());
    auto iiConst = constant(Tensor::fromInts(*dtype, {}, {ii->i()}));
    auto zero = constant(Tensor::fromInts(*dtype, {}, {0}));
    if (failed(iiConst) || failed(zero))
      return failure();
    STRATA_TRY(ne, create1("strata.not_equal", {target, *iiConst}));
    valid = ne;
    STRATA_TRY(s2, create1("strata.where", {valid, target, *zero}));
    safe = s2;
  }
  SmallVector<int64_t> idxShape(targetType.getShape());
  idxShape.insert(idxShape.begin() + 1, 1);
  STRATA_TRY(idx, reshapeTo(safe, idxShape));
  STRATA_TRY(picked, create1("strata.gather_elements", {logProb, idx},
                             {i64("axis", 1)}));
  STRATA_TRY(flat, reshapeTo(picked, targetType.getShape()));
  STRATA_TRY(loss, create1("strata.neg", flat));
  Value w;
  if (weight) {
    STRATA_TRY(g, create1("strata.gather", {weight, safe}, {i64("axis", 0)}));
    w = g;
  }
  if (valid) {
    STRATA_TRY(vf, castTo(valid, floatType));
    if (w) {
      STRATA_TRY(m, create1("strata.mul", {w, vf}));
      w = m;
    } else {
      w = vf;
    }
  }
  if (w) {
    STRATA_TRY(m, create1("strata.mul", {loss, w}));
    loss = m;
  }
  std::string reduction = attrS("reduction", "mean");
  auto all =
      SmallVector<NamedAttribute>{array("axes", {}), flag("keepdims", false)};
  if (reduction == "none")
    return loss;
  STRATA_TRY(sum, create1("strata.reduce_sum", loss, all));
  if (reduction == "sum")
    return sum;
  if (reduction != "mean") {
    (void)failNode("unknown reduction '" + reduction + "'");
    return failure();
  }
  if (!w)
    return create1("strata.reduce_mean", loss, all);
  STRATA_TRY(wsum, create1("strata.reduce_sum", w, all));
  return create1("strata.div", {sum, wsum});
}

FailureOr<Value> Importer::hardmax(Value x, int64_t axis) {
  auto type = typeOf(x);
  int64_t rank = type.getRank();
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank || type.isDynamicDim(axis)) {
    (void)failNode("axis out of range or dynamic");
    return failure();
  }
  auto dtype = reference::dtypeOf(type.getElementType());
  STRATA_TRY(am, create1("strata.argmax", x,
                         {i64("axis", axis), flag("keepdims", false)}));
  auto values = constant(Tensor::fromDoubles(*dtype, {2}, {0.0, 1.0}));
  if (failed(values))
    return failure();
  return create1("strata.one_hot", {am, *values},
                 {i64("depth", type.getDimSize(axis)), i64("axis", axis)});
}

LogicalResult Importer::lowerComposite(const ::onnx::NodeProto &node,
                                       SmallVector<Value> &outs) {
  StringRef op = node.op_type();
  STRATA_TRY(x, required(0));
  auto type = typeOf(x);
  Value r;
  if (op == "Trilu") {
    if (!type.hasStaticShape() || type.getRank() < 2)
      return unsupported("needs a static shape of rank >= 2");
    int64_t k = 0;
    if (hasInput(1)) {
      auto v = constInts(1, "k");
      if (failed(v))
        return failure();
      k = v->empty() ? 0 : (*v)[0];
    }
    bool upper = attrI("upper", 1);
    int64_t rows = type.getDimSize(type.getRank() - 2),
            cols = type.getDimSize(type.getRank() - 1);
    Tensor mask(DType::i1, {rows, cols});
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j)
        mask.setInt(i * cols + j, upper ? j - i >= k : j - i <= k);
    STRATA_TRY(m, constant(mask));
    STRATA_TRY(zero, scalarLike(x, 0.0));
    STRATA_TRY(w, create1("strata.where", {m, x, zero}));
    r = w;
  } else if (op == "NegativeLogLikelihoodLoss") {
    STRATA_TRY(target, required(1));
    STRATA_TRY(loss, negativeLogLikelihood(x, target, input(2)));
    r = loss;
  } else if (op == "SoftmaxCrossEntropyLoss") {
    STRATA_TRY(labels, required(1));
    STRATA_TRY(logProb, create1("strata.log_softmax", x, {i64("axis", 1)}));
    STRATA_TRY(loss, negativeLogLikelihood(logProb, labels, input(2)));
    outs.append({loss, logProb});
    return success();
  } else if (op == "Hardmax") {
    if (opset_ >= 13) {
      STRATA_TRY(h, hardmax(x, attrI("axis", -1)));
      r = h;
    } else {
      // Before opset 13 the input is seen as a 2-D matrix split at `axis`.
      int64_t rank = type.getRank(), axis = attrI("axis", 1);
      if (axis < 0)
        axis += rank;
      if (!type.hasStaticShape())
        return unsupported("coerced 2-D hardmax needs a static shape");
      int64_t inner = 1;
      for (int64_t i = axis; i < rank; ++i)
        inner *= type.getDimSize(i);
      STRATA_TRY(flat, reshape(x, {-1, inner}));
      STRATA_TRY(h, hardmax(flat, 1));
      STRATA_TRY(back, reshape(h, type.getShape()));
      r = back;
    }
  } else if (op == "EyeLike") {
    if (!type.hasStaticShape() || type.getRank() != 2)
      return unsupported("needs a static 2-D shape");
    Type elem = type.getElementType();
    if (const auto *dt = findAttr("dtype")) {
      auto e = elementTypeOf(static_cast<int32_t>(dt->i()), ctx_);
      if (!e)
        return unsupported("dtype " +
                           onnxTypeName(static_cast<int32_t>(dt->i())));
      elem = *e;
    }
    int64_t k = attrI("k", 0);
    Tensor eye(*reference::dtypeOf(elem),
               std::vector<int64_t>(type.getShape()));
    for (int64_t i = 0; i < type.getDimSize(0); ++i)
      if (i + k >= 0 && i + k < type.getDimSize(1))
        eye.set(i * type.getDimSize(1) + i + k, 1.0);
    STRATA_TRY(c, constant(eye));
    r = c;
  } else if (op == "IsInf") {
    if (!isa<FloatType>(type.getElementType()))
      return unsupported("integer input");
    STRATA_TRY(pos, scalarLike(x, INFINITY));
    STRATA_TRY(neg, scalarLike(x, -INFINITY));
    STRATA_TRY(isPos, create1("strata.equal", {x, pos}));
    STRATA_TRY(isNeg, create1("strata.equal", {x, neg}));
    bool detectPos = attrI("detect_positive", 1),
         detectNeg = attrI("detect_negative", 1);
    if (detectPos && detectNeg) {
      STRATA_TRY(both, create1("strata.or", {isPos, isNeg}));
      r = both;
    } else if (detectPos) {
      r = isPos;
    } else if (detectNeg) {
      r = isNeg;
    } else {
      STRATA_TRY(never, create1("strata.and", {isPos, isNeg}));
      r = never;
    }
  } else if (op == "Tan") {
    STRATA_TRY(sin, create1("strata.sin", x));
    STRATA_TRY(cos, create1("strata.cos", x));
    STRATA_TRY(t, create1("strata.div", {sin, cos}));
    r = t;
  } else if (op == "Sinh" || op == "Cosh") {
    STRATA_TRY(e, create1("strata.exp", x));
    STRATA_TRY(nx, create1("strata.neg", x));
    STRATA_TRY(en, create1("strata.exp", nx));
    STRATA_TRY(c, create1(op == "Sinh" ? "strata.sub" : "strata.add", {e, en}));
    STRATA_TRY(half, scalarLike(x, 0.5));
    STRATA_TRY(h, create1("strata.mul", {c, half}));
    r = h;
  } else if (op == "Asinh" || op == "Acosh") {
    STRATA_TRY(sq, create1("strata.mul", {x, x}));
    STRATA_TRY(one, scalarLike(x, 1.0));
    STRATA_TRY(t,
               create1(op == "Asinh" ? "strata.add" : "strata.sub", {sq, one}));
    STRATA_TRY(root, create1("strata.sqrt", t));
    STRATA_TRY(sum, create1("strata.add", {x, root}));
    STRATA_TRY(l, create1("strata.log", sum));
    r = l;
  } else if (op == "Atanh") {
    STRATA_TRY(one, scalarLike(x, 1.0));
    STRATA_TRY(num, create1("strata.add", {one, x}));
    STRATA_TRY(den, create1("strata.sub", {one, x}));
    STRATA_TRY(q, create1("strata.div", {num, den}));
    STRATA_TRY(l, create1("strata.log", q));
    STRATA_TRY(half, scalarLike(x, 0.5));
    STRATA_TRY(h, create1("strata.mul", {l, half}));
    r = h;
  } else if (op == "HannWindow" || op == "HammingWindow" ||
             op == "BlackmanWindow") {
    const Tensor *size = constInput(0);
    if (!size)
      return notConstant(0, "size");
    int64_t n = size->getInt(0);
    if (n < 0)
      return failNode("negative size");
    auto elem =
        elementTypeOf(static_cast<int32_t>(attrI("output_datatype", 1)), ctx_);
    if (!elem)
      return unsupported("output_datatype");
    double period = static_cast<double>(attrI("periodic", 1) ? n : n - 1);
    std::vector<double> values;
    for (int64_t i = 0; i < n; ++i) {
      double a = 2 * M_PI * static_cast<double>(i) / period;
      if (op == "HannWindow")
        values.push_back(0.5 - 0.5 * std::cos(a));
      else if (op == "HammingWindow")
        values.push_back(25.0 / 46 - 21.0 / 46 * std::cos(a));
      else
        values.push_back(0.42 - 0.5 * std::cos(a) + 0.08 * std::cos(2 * a));
    }
    STRATA_TRY(c, constant(Tensor::fromDoubles(*reference::dtypeOf(*elem), {n},
                                               values)));
    r = c;
  } else if (op == "BitShift") {
    STRATA_TRY(y, required(1));
    std::string dir = attrS("direction", "");
    if (dir != "LEFT" && dir != "RIGHT")
      return failNode("direction must be LEFT or RIGHT");
    STRATA_TRY(
        v, create1(dir == "LEFT" ? "strata.shift_left" : "strata.shift_right",
                   {x, y}));
    r = v;
  } else if (op == "Compress") {
    // The kept positions are known at import: a gather of them.
    const Tensor *cond = constInput(1);
    if (!cond)
      return notConstant(1, "condition");
    Value data = x;
    int64_t axis;
    if (const auto *a = findAttr("axis")) {
      axis = a->i() < 0 ? a->i() + type.getRank() : a->i();
    } else {
      STRATA_TRY(flat,
                 reshapeTo(x, {type.hasStaticShape() ? type.getNumElements()
                                                     : ShapedType::kDynamic}));
      data = flat;
      axis = 0;
    }
    std::vector<int64_t> keep;
    for (int64_t i = 0; i < cond->numElements(); ++i)
      if (cond->getInt(i))
        keep.push_back(i);
    STRATA_TRY(idx,
               constant(Tensor::fromInts(
                   DType::i64, {static_cast<int64_t>(keep.size())}, keep)));
    STRATA_TRY(g, create1("strata.gather", {data, idx}, {i64("axis", axis)}));
    r = g;
  } else if (op == "ReverseSequence") {
    // Reverses the first len[b] steps of each batch entry: a gather along
    // the time axis with indices computed here.
    const Tensor *lens = constInput(1);
    if (!lens)
      return notConstant(1, "sequence_lens");
    if (!type.hasStaticShape())
      return unsupported("needs a static shape");
    int64_t timeAxis = attrI("time_axis", 0),
            batchAxis = attrI("batch_axis", 1);
    std::vector<int64_t> shape(type.getShape());
    Tensor idx(DType::i64, shape);
    int64_t k = 0;
    reference::forEachIndex(shape, [&](ArrayRef<int64_t> index) {
      int64_t t = index[timeAxis], len = lens->getInt(index[batchAxis]);
      idx.setInt(k++, t < len ? len - 1 - t : t);
    });
    STRATA_TRY(ic, constant(idx));
    STRATA_TRY(
        g, create1("strata.gather_elements", {x, ic}, {i64("axis", timeAxis)}));
    r = g;
  } else if (op == "MeanVarianceNormalization") {
    // ONNX's function body: (x - E[x]) / (sqrt(E[x^2] - E[x]^2) + 1e-9).
    SmallVector<int64_t> axes =
        attrInts("axes").value_or(SmallVector<int64_t>{0, 2, 3});
    auto reduce = SmallVector<NamedAttribute>{array("axes", axes),
                                              flag("keepdims", true)};
    STRATA_TRY(mean, create1("strata.reduce_mean", x, reduce));
    STRATA_TRY(meanSq, create1("strata.mul", {mean, mean}));
    STRATA_TRY(sq, create1("strata.mul", {x, x}));
    STRATA_TRY(sqMean, create1("strata.reduce_mean", sq, reduce));
    STRATA_TRY(var, create1("strata.sub", {sqMean, meanSq}));
    STRATA_TRY(stdDev, create1("strata.sqrt", var));
    STRATA_TRY(eps, scalarLike(x, 1e-9));
    STRATA_TRY(den, create1("strata.add", {stdDev, eps}));
    STRATA_TRY(num, create1("strata.sub", {x, mean}));
    STRATA_TRY(y, create1("strata.div", {num, den}));
    r = y;
  } else if (op == "Range") {
    const Tensor *start = constInput(0), *limit = constInput(1),
                 *delta = constInput(2);
    for (int i = 0; i < 3; ++i)
      if (!constInput(i))
        return notConstant(i, i == 0 ? "start" : i == 1 ? "limit" : "delta");
    double d = delta->get(0);
    if (d == 0)
      return failNode("delta is 0");
    int64_t n = std::max<int64_t>(0, static_cast<int64_t>(std::ceil(
                                         (limit->get(0) - start->get(0)) / d)));
    std::vector<double> values;
    for (int64_t i = 0; i < n; ++i)
      values.push_back(start->get(0) + static_cast<double>(i) * d);
    Tensor t = Tensor::fromDoubles(start->dtype(), {n}, values);
    STRATA_TRY(c, constant(t));
    r = c;
  } else {
    return unsupported();
  }
  outs.push_back(r);
  return success();
}

} // namespace strata::onnx_import
