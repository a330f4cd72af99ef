//===- AttentionLowering.cpp - ONNX transformer operators -----------------===//
//
// The opset 23+ transformer building blocks (Attention, RMSNormalization,
// RotaryEmbedding) with Swish (opset 24) and SwiGLU (opset 28), built from
// existing strata ops.
//
// Attention works on 4-D (batch, heads, seq, head_size) tensors; 3-D inputs
// (batch, seq, heads * head_size) are split into heads first and joined
// again at the end. The additive bias that masks the scores is the sum of
// the attention mask (a boolean mask becomes 0 / -inf) and a structural part
// (is_causal, the sliding window of opset 25, and the padding implied by
// nonpad_kv_seqlen): the structural part is a constant when the cache offset
// is known at import (no cache, or past_key) and is computed at run time
// from nonpad_kv_seqlen otherwise. Query rows whose bias is -inf everywhere
// attend to no key: their probabilities (and so their output) are zero.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"

#include <cmath>

namespace strata::onnx_import {

namespace {
/// Whether every size of `v` but the first (the batch) is static.
bool staticButBatch(Value v) {
  auto type = cast<RankedTensorType>(v.getType());
  for (int64_t d = 1; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      return false;
  return true;
}

/// Whether two sizes may be equal (a dynamic size may be anything).
bool mayEqual(int64_t a, int64_t b) {
  return ShapedType::isDynamic(a) || ShapedType::isDynamic(b) || a == b;
}
} // namespace

FailureOr<Value> Importer::zeroOrNegInf(Value allowed, Value like) {
  STRATA_TRY(zero, scalarLike(like, 0.0));
  STRATA_TRY(negInf, scalarLike(like, -INFINITY));
  return create1("strata.where", {allowed, zero, negInf});
}

FailureOr<Value> Importer::softmaxLastAxis(Value x) {
  auto type = typeOf(x);
  Type elem = type.getElementType();
  if (elem.getIntOrFloatBitWidth() > 16)
    return create1("strata.softmax", x, {i64("axis", -1)});
  // In a 16-bit type every step is rounded to it, as ONNX's reference
  // computes it (strata.softmax rounds only its result): the shifted
  // exponentials, their sum, the quotient. bfloat16 sums accumulate in
  // bfloat16 from the first key to the last.
  int64_t last = type.getRank() - 1, n = type.getDimSize(last);
  STRATA_TRY(max, create1("strata.reduce_max", x,
                          {array("axes", {last}), flag("keepdims", true)}));
  STRATA_TRY(negInf, scalarLike(x, -INFINITY));
  STRATA_TRY(zero, scalarLike(x, 0.0));
  STRATA_TRY(noMax, create1("strata.equal", {max, negInf}));
  STRATA_TRY(shift, create1("strata.where", {noMax, zero, max}));
  STRATA_TRY(d, create1("strata.sub", {x, shift}));
  STRATA_TRY(e, create1("strata.exp", d));
  Value sum;
  if (elem.isBF16()) {
    for (int64_t j = 0; j < n; ++j) {
      STRATA_TRY(term, create1("strata.slice", e,
                               {array("starts", {j}), array("ends", {j + 1}),
                                array("axes", {last})}));
      if (sum) {
        STRATA_TRY(acc, create1("strata.add", {sum, term}));
        sum = acc;
      } else {
        sum = term;
      }
    }
  } else {
    STRATA_TRY(s, create1("strata.reduce_sum", e,
                          {array("axes", {last}), flag("keepdims", true)}));
    sum = s;
  }
  if (!sum)
    return e; // No keys.
  return create1("strata.div", {e, sum});
}

LogicalResult Importer::lowerAttentionOp(SmallVector<Value> &outs) {
  STRATA_TRY(q, required(0));
  STRATA_TRY(k, required(1));
  STRATA_TRY(v, required(2));
  Value mask = input(3), pastKey = input(4), pastValue = input(5),
        nonpad = input(6);
  int64_t rank = rankOf(q);
  if (rank != 3 && rank != 4)
    return failNode("Q must be 3-D or 4-D, not " + Twine(rank) + "-D");
  if (rankOf(k) != rank || rankOf(v) != rank)
    return failNode("Q, K and V must have the same rank");
  for (auto [i, value] : llvm::enumerate(
           SmallVector<Value>{q, k, v, mask, pastKey, pastValue, nonpad})) {
    if (value && !staticButBatch(value))
      return unsupported("input " + Twine(i) + " ('" + node_->input(i) +
                         "') has a dynamic size past the first (batch) "
                         "dimension; Attention needs them static");
  }
  if (!pastKey != !pastValue)
    return failNode("past_key and past_value must be given together");
  if (pastKey && nonpad)
    return failNode("nonpad_kv_seqlen cannot be used with past_key/past_value");
  Type elem = typeOf(q).getElementType();
  if (!isa<FloatType>(elem))
    return failNode("Q must be a floating-point tensor");
  if (typeOf(k).getElementType() != elem || typeOf(v).getElementType() != elem)
    return unsupported("Q, K and V of different element types");

  // Split 3-D inputs into heads: (B, S, N * D) -> (B, N, S, D).
  int64_t batch = typeOf(q).getDimSize(0);
  int64_t qHeads, kvHeads;
  auto toHeads = [&](Value x, int64_t heads,
                     StringRef name) -> FailureOr<Value> {
    auto shape = typeOf(x).getShape();
    if (heads <= 0 || shape[2] % heads != 0) {
      (void)failNode(name + " hidden size " + Twine(shape[2]) +
                     " is not a multiple of the head count " + Twine(heads));
      return failure();
    }
    STRATA_TRY(split,
               reshapeTo(x, {shape[0], shape[1], heads, shape[2] / heads}));
    return create1("strata.transpose", split, {array("perm", {0, 2, 1, 3})});
  };
  if (rank == 3) {
    qHeads = attrI("q_num_heads", 0);
    kvHeads = attrI("kv_num_heads", 0);
    if (!findAttr("q_num_heads") || !findAttr("kv_num_heads"))
      return failNode("3-D inputs need the q_num_heads and kv_num_heads "
                      "attributes");
    STRATA_TRY(q4, toHeads(q, qHeads, "Q"));
    STRATA_TRY(k4, toHeads(k, kvHeads, "K"));
    STRATA_TRY(v4, toHeads(v, kvHeads, "V"));
    q = q4;
    k = k4;
    v = v4;
  } else {
    qHeads = typeOf(q).getDimSize(1);
    kvHeads = typeOf(k).getDimSize(1);
    if ((findAttr("q_num_heads") && attrI("q_num_heads", 0) != qHeads) ||
        (findAttr("kv_num_heads") && attrI("kv_num_heads", 0) != kvHeads))
      return failNode("q_num_heads / kv_num_heads disagree with the 4-D "
                      "input shapes");
  }
  auto qShape = typeOf(q).getShape(), kShape = typeOf(k).getShape(),
       vShape = typeOf(v).getShape();
  int64_t qLen = qShape[2], headSize = qShape[3];
  if (!mayEqual(kShape[0], batch) || !mayEqual(vShape[0], batch))
    return failNode("Q, K and V have different batch sizes");
  if (kShape[1] != kvHeads || vShape[1] != kvHeads)
    return failNode("K and V have different head counts");
  if (kShape[3] != headSize)
    return failNode("Q and K have different head sizes (" + Twine(headSize) +
                    " and " + Twine(kShape[3]) + ")");
  if (kShape[2] != vShape[2])
    return failNode("K and V have different sequence lengths");
  if (kvHeads <= 0 || qHeads % kvHeads != 0)
    return failNode("q_num_heads " + Twine(qHeads) +
                    " is not a multiple of kv_num_heads " + Twine(kvHeads));

  // The key/value cache: present = concat(past, new) on the sequence axis.
  int64_t pastLen = 0;
  if (pastKey) {
    if (rankOf(pastKey) != 4 || rankOf(pastValue) != 4)
      return failNode("past_key and past_value must be 4-D");
    pastLen = typeOf(pastKey).getDimSize(2);
    STRATA_TRY(pk, castTo(pastKey, elem));
    STRATA_TRY(pv, castTo(pastValue, elem));
    STRATA_TRY(kc, create1("strata.concat", {pk, k}, {i64("axis", 2)}));
    STRATA_TRY(vc, create1("strata.concat", {pv, v}, {i64("axis", 2)}));
    k = kc;
    v = vc;
  }
  Value presentKey = k, presentValue = v;
  int64_t kvLen = typeOf(k).getDimSize(2);

  // Grouped-query attention: each key/value head serves qHeads / kvHeads
  // consecutive query heads.
  if (qHeads != kvHeads) {
    int64_t group = qHeads / kvHeads;
    std::vector<int64_t> heads;
    for (int64_t h = 0; h < qHeads; ++h)
      heads.push_back(h / group);
    STRATA_TRY(idx, constant(Tensor::fromInts(DType::i64, {qHeads}, heads)));
    STRATA_TRY(kr, create1("strata.gather", {k, idx}, {i64("axis", 1)}));
    STRATA_TRY(vr, create1("strata.gather", {v, idx}, {i64("axis", 1)}));
    k = kr;
    v = vr;
  }

  // Scores: (Q * sqrt(scale)) @ (K * sqrt(scale))^T.
  double scale = findAttr("scale")
                     ? attrF("scale", 1.0)
                     : 1.0 / std::sqrt(static_cast<double>(headSize));
  STRATA_TRY(rootScale, scalarLike(q, std::sqrt(scale)));
  STRATA_TRY(qs, create1("strata.mul", {q, rootScale}));
  STRATA_TRY(ks, create1("strata.mul", {k, rootScale}));
  STRATA_TRY(kt,
             create1("strata.transpose", ks, {array("perm", {0, 1, 3, 2})}));
  STRATA_TRY(qk, create1("strata.matmul", {qs, kt}));
  Value rawScores = qk, scores = qk;
  double softcap = attrF("softcap", 0.0);
  if (softcap > 0) {
    STRATA_TRY(cap, scalarLike(q, softcap));
    STRATA_TRY(d, create1("strata.div", {scores, cap}));
    STRATA_TRY(t, create1("strata.tanh", d));
    STRATA_TRY(m, create1("strata.mul", {t, cap}));
    scores = m;
  }
  Value cappedScores = scores;

  // The additive bias: first the mask, as 0 / -inf for a boolean one, padded
  // with -inf up to the total sequence length.
  Value bias;
  if (mask) {
    if (rankOf(mask) < 1)
      return failNode("attn_mask must have at least one dimension");
    Type maskElem = typeOf(mask).getElementType();
    Value m = mask;
    if (maskElem.isInteger(1)) {
      STRATA_TRY(b, zeroOrNegInf(mask, q));
      m = b;
    } else if (isa<FloatType>(maskElem)) {
      STRATA_TRY(c, castTo(mask, elem));
      m = c;
    } else {
      return failNode("attn_mask must be boolean or floating-point");
    }
    int64_t maskRank = rankOf(m), maskLen = typeOf(m).getDimSize(maskRank - 1);
    if (maskLen > kvLen)
      return failNode("attn_mask's last dimension " + Twine(maskLen) +
                      " is longer than the total sequence length " +
                      Twine(kvLen));
    if (maskLen < kvLen) {
      SmallVector<int64_t> pads(2 * maskRank, 0);
      pads[2 * maskRank - 1] = kvLen - maskLen;
      STRATA_TRY(p, create1("strata.pad", m,
                            {array("pads", pads), f64("value", -INFINITY)}));
      m = p;
    }
    bias = m;
  }

  // Then the structure: causality and the sliding window (relative to the
  // cache offset) and the padding of nonpad_kv_seqlen.
  bool causal = attrI("is_causal", 0) != 0;
  int64_t left = attrI("left_window_size", -1),
          right = attrI("right_window_size", -1);
  if (left < -1 || right < -1)
    return failNode("window sizes must be -1 or nonnegative");
  bool window = left >= 0 || right >= 0;
  Value structure;
  if (!nonpad && (causal || window)) {
    // query i (absolute position i + offset) attends key j iff allowed.
    Tensor t = Tensor::fromDoubles(*reference::dtypeOf(elem), {qLen, kvLen},
                                   std::vector<double>(qLen * kvLen, 0.0));
    for (int64_t i = 0; i < qLen; ++i) {
      for (int64_t j = 0; j < kvLen; ++j) {
        int64_t diff = i + pastLen - j;
        bool allowed = (!causal || diff >= 0) && (left < 0 || diff <= left) &&
                       (right < 0 || -diff <= right);
        t.set(i * kvLen + j, allowed ? 0.0 : -INFINITY);
      }
    }
    STRATA_TRY(c, constant(t));
    structure = c;
  } else if (nonpad) {
    // Per batch b: offset[b] = nonpad[b] - qLen, and keys j >= nonpad[b] are
    // padding. With d = j - i: causal needs d <= offset, the window
    // offset - left <= d <= offset + right.
    if (typeOf(nonpad).getRank() != 1 ||
        !mayEqual(typeOf(nonpad).getDimSize(0), batch))
      return failNode("nonpad_kv_seqlen must have shape (batch_size,)");
    STRATA_TRY(lens, castTo(nonpad, b_.getI64Type()));
    STRATA_TRY(lens4, reshapeTo(lens, {typeOf(lens).getDimSize(0), 1, 1, 1}));
    std::vector<int64_t> d, keys;
    for (int64_t i = 0; i < qLen; ++i)
      for (int64_t j = 0; j < kvLen; ++j)
        d.push_back(j - i);
    for (int64_t j = 0; j < kvLen; ++j)
      keys.push_back(j);
    STRATA_TRY(keyIdx,
               constant(Tensor::fromInts(DType::i64, {1, 1, 1, kvLen}, keys)));
    STRATA_TRY(allowed, create1("strata.less", {keyIdx, lens4}));
    if (causal || window) {
      STRATA_TRY(dc, constant(Tensor::fromInts(DType::i64, {qLen, kvLen}, d)));
      STRATA_TRY(qLenC, constant(Tensor::fromInts(DType::i64, {}, {qLen})));
      STRATA_TRY(offset, create1("strata.sub", {lens4, qLenC}));
      auto bound = [&](int64_t delta, StringRef cmp) -> FailureOr<Value> {
        STRATA_TRY(dv, constant(Tensor::fromInts(DType::i64, {}, {delta})));
        STRATA_TRY(limit, create1("strata.add", {offset, dv}));
        return create1(cmp, {dc, limit});
      };
      SmallVector<Value> conds;
      if (causal) {
        STRATA_TRY(c, bound(0, "strata.less_equal"));
        conds.push_back(c);
      }
      if (left >= 0) {
        STRATA_TRY(c, bound(-left, "strata.greater_equal"));
        conds.push_back(c);
      }
      if (right >= 0) {
        STRATA_TRY(c, bound(right, "strata.less_equal"));
        conds.push_back(c);
      }
      for (Value c : conds) {
        STRATA_TRY(a, create1("strata.and", {allowed, c}));
        allowed = a;
      }
    }
    STRATA_TRY(s, zeroOrNegInf(allowed, q));
    structure = s;
  }
  if (structure) {
    if (bias) {
      STRATA_TRY(sum, create1("strata.add", {bias, structure}));
      bias = sum;
    } else {
      bias = structure;
    }
  }
  if (bias) {
    STRATA_TRY(withBias, create1("strata.add", {scores, bias}));
    scores = withBias;
  }
  Value biasedScores = scores;

  // Softmax over the keys, in softmax_precision when given.
  Value probs = scores;
  if (const auto *p = findAttr("softmax_precision")) {
    auto precision = elementTypeOf(static_cast<int32_t>(p->i()), ctx_);
    if (!precision || !isa<FloatType>(*precision))
      return failNode("softmax_precision " +
                      onnxTypeName(static_cast<int32_t>(p->i())) +
                      " is not a floating-point type");
    STRATA_TRY(c, castTo(probs, *precision));
    probs = c;
  }
  STRATA_TRY(sm, softmaxLastAxis(probs));
  probs = sm;
  if (bias) {
    // Fully masked rows (bias -inf everywhere) attend to nothing: zero.
    STRATA_TRY(rowMax, create1("strata.reduce_max", bias,
                               {array("axes", {rankOf(bias) - 1}),
                                flag("keepdims", true)}));
    STRATA_TRY(negInf, scalarLike(bias, -INFINITY));
    STRATA_TRY(empty, create1("strata.equal", {rowMax, negInf}));
    STRATA_TRY(zero, scalarLike(probs, 0.0));
    STRATA_TRY(guarded, create1("strata.where", {empty, zero, probs}));
    probs = guarded;
  }
  STRATA_TRY(probsT1, castTo(probs, elem));
  STRATA_TRY(y, create1("strata.matmul", {probsT1, v}));
  if (rank == 3) {
    // (B, N, S, Dv) -> (B, S, N * Dv).
    STRATA_TRY(t,
               create1("strata.transpose", y, {array("perm", {0, 2, 1, 3})}));
    STRATA_TRY(r, reshapeTo(t, {batch, qLen, qHeads * vShape[3]}));
    y = r;
  }

  Value qkOut;
  if (wantsOutput(3)) {
    switch (attrI("qk_matmul_output_mode", 0)) {
    case 0:
      qkOut = rawScores;
      break;
    case 1:
      qkOut = cappedScores;
      break;
    case 2:
      qkOut = biasedScores;
      break;
    case 3:
      qkOut = probsT1;
      break;
    default:
      return failNode("qk_matmul_output_mode must be 0, 1, 2 or 3");
    }
  }
  outs.append({y, wantsOutput(1) ? presentKey : Value(),
               wantsOutput(2) ? presentValue : Value(), qkOut});
  return success();
}

LogicalResult Importer::lowerRmsNormalization(SmallVector<Value> &outs) {
  STRATA_TRY(x, required(0));
  STRATA_TRY(scale, required(1));
  Type elem = typeOf(x).getElementType();
  if (!isa<FloatType>(elem))
    return failNode("X must be a floating-point tensor");
  int64_t rank = rankOf(x), axis = attrI("axis", -1);
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    return failNode("axis " + Twine(attrI("axis", -1)) +
                    " is out of range for rank " + Twine(rank));
  auto stash =
      elementTypeOf(static_cast<int32_t>(attrI("stash_type", 1)), ctx_);
  if (!stash || !isa<FloatType>(*stash))
    return failNode("stash_type must be a floating-point type");
  SmallVector<int64_t> axes;
  for (int64_t i = axis; i < rank; ++i)
    axes.push_back(i);
  // y = x / sqrt(mean(x^2) + epsilon) * scale, the first part in stash_type.
  STRATA_TRY(xs, castTo(x, *stash));
  STRATA_TRY(sq, create1("strata.mul", {xs, xs}));
  STRATA_TRY(mean, create1("strata.reduce_mean", sq,
                           {array("axes", axes), flag("keepdims", true)}));
  STRATA_TRY(eps, scalarLike(xs, attrF("epsilon", 1e-5)));
  STRATA_TRY(meanEps, create1("strata.add", {mean, eps}));
  STRATA_TRY(rms, create1("strata.sqrt", meanEps));
  STRATA_TRY(norm, create1("strata.div", {xs, rms}));
  STRATA_TRY(normT, castTo(norm, elem));
  STRATA_TRY(s, castTo(scale, elem));
  STRATA_TRY(y, create1("strata.mul", {normT, s}));
  if (typeOf(y).getShape() != typeOf(x).getShape())
    return failNode("scale does not broadcast to X's shape");
  outs.push_back(y);
  return success();
}

LogicalResult Importer::lowerRotaryEmbedding(SmallVector<Value> &outs) {
  STRATA_TRY(x, required(0));
  STRATA_TRY(cosCache, required(1));
  STRATA_TRY(sinCache, required(2));
  Value positions = input(3);
  for (int i = 0; i < 4; ++i)
    if (Value value = input(i); value && !staticButBatch(value))
      return unsupported("input " + Twine(i) + " ('" + node_->input(i) +
                         "') has a dynamic size past the first (batch) "
                         "dimension; RotaryEmbedding needs them static");
  int64_t rank = rankOf(x);
  if (rank != 3 && rank != 4)
    return failNode("input must be 3-D or 4-D, not " + Twine(rank) + "-D");
  SmallVector<int64_t> inShape(typeOf(x).getShape());
  int64_t batch = inShape[0];
  // Work on (B, S, N, D) for 3-D input and on (B, N, S, D) for 4-D input;
  // the caches become (B, S, 1, R/2) and (B, 1, S, R/2) to match.
  Value x4 = x;
  int64_t seq;
  if (rank == 3) {
    seq = inShape[1];
    int64_t heads = attrI("num_heads", 0);
    if (heads <= 0 || inShape[2] % heads != 0)
      return failNode("3-D input needs num_heads dividing the hidden size " +
                      Twine(inShape[2]));
    STRATA_TRY(r, reshapeTo(x, {batch, seq, heads, inShape[2] / heads}));
    x4 = r;
  } else {
    seq = inShape[2];
  }
  int64_t headSize = typeOf(x4).getDimSize(3);
  int64_t rotary = attrI("rotary_embedding_dim", 0);
  if (rotary == 0)
    rotary = headSize;
  if (rotary < 0 || rotary > headSize || rotary % 2 != 0)
    return failNode("rotary_embedding_dim " + Twine(rotary) +
                    " must be even and at most the head size " +
                    Twine(headSize));
  int64_t half = rotary / 2;
  Type elem = typeOf(x).getElementType();

  // The caches per token: (B, S, R/2).
  auto perToken = [&](Value cache) -> FailureOr<Value> {
    STRATA_TRY(c, castTo(cache, elem));
    if (positions) {
      if (rankOf(c) != 2)
        return failNode("with position_ids the caches must be 2-D");
      STRATA_TRY(g, create1("strata.gather", {c, positions}, {i64("axis", 0)}));
      c = g;
    }
    auto shape = typeOf(c).getShape();
    if (shape.size() != 3 || !mayEqual(shape[0], batch) || shape[1] != seq ||
        shape[2] != half)
      return failNode("caches must give (batch, " + Twine(seq) + ", " +
                      Twine(half) + ") = (batch, sequence length, " +
                      "rotary_embedding_dim / 2) values");
    return reshapeTo(c, rank == 3
                            ? SmallVector<int64_t>{shape[0], seq, 1, half}
                            : SmallVector<int64_t>{shape[0], 1, seq, half});
  };
  STRATA_TRY(cosT, perToken(cosCache));
  STRATA_TRY(sinT, perToken(sinCache));

  auto slice = [&](Value in, int64_t start, int64_t end,
                   int64_t step) -> FailureOr<Value> {
    return create1("strata.slice", in,
                   {array("starts", {start}), array("ends", {end}),
                    array("axes", {3}), array("steps", {step})});
  };
  bool interleaved = attrI("interleaved", 0) != 0;
  STRATA_TRY(x1, interleaved ? slice(x4, 0, rotary, 2) : slice(x4, 0, half, 1));
  STRATA_TRY(x2, interleaved ? slice(x4, 1, rotary, 2)
                             : slice(x4, half, rotary, 1));
  // (x1 + i x2) * (cos + i sin).
  STRATA_TRY(c1, create1("strata.mul", {cosT, x1}));
  STRATA_TRY(s2, create1("strata.mul", {sinT, x2}));
  STRATA_TRY(real, create1("strata.sub", {c1, s2}));
  STRATA_TRY(s1, create1("strata.mul", {sinT, x1}));
  STRATA_TRY(c2, create1("strata.mul", {cosT, x2}));
  STRATA_TRY(imag, create1("strata.add", {s1, c2}));
  SmallVector<int64_t> partShape(typeOf(real).getShape());
  Value rotated;
  if (interleaved) {
    SmallVector<int64_t> pairShape(partShape);
    pairShape.push_back(1);
    STRATA_TRY(r5, reshapeTo(real, pairShape));
    STRATA_TRY(i5, reshapeTo(imag, pairShape));
    STRATA_TRY(pairs, create1("strata.concat", {r5, i5}, {i64("axis", 4)}));
    partShape[3] = rotary;
    STRATA_TRY(r, reshapeTo(pairs, partShape));
    rotated = r;
  } else {
    STRATA_TRY(r, create1("strata.concat", {real, imag}, {i64("axis", 3)}));
    rotated = r;
  }
  if (rotary < headSize) {
    STRATA_TRY(rest, slice(x4, rotary, headSize, 1));
    STRATA_TRY(r, create1("strata.concat", {rotated, rest}, {i64("axis", 3)}));
    rotated = r;
  }
  if (rank == 3) {
    STRATA_TRY(r, reshapeTo(rotated, inShape));
    rotated = r;
  }
  outs.push_back(rotated);
  return success();
}

LogicalResult Importer::lowerAttention(const ::onnx::NodeProto &node,
                                       SmallVector<Value> &outs) {
  StringRef op = node.op_type();
  if (op == "Attention")
    return lowerAttentionOp(outs);
  if (op == "RMSNormalization")
    return lowerRmsNormalization(outs);
  if (op == "RotaryEmbedding")
    return lowerRotaryEmbedding(outs);
  if (op == "Swish" || op == "SwiGLU") {
    // Swish: a * sigmoid(alpha * a); SwiGLU: swish(a) * b, a and b of the
    // same shape.
    STRATA_TRY(a, required(0));
    if (!isa<FloatType>(typeOf(a).getElementType()))
      return failNode("input must be a floating-point tensor");
    STRATA_TRY(alpha, scalarLike(a, attrF("alpha", 1.0)));
    STRATA_TRY(scaled, create1("strata.mul", {a, alpha}));
    STRATA_TRY(gate, create1("strata.sigmoid", scaled));
    STRATA_TRY(swish, create1("strata.mul", {a, gate}));
    if (op == "Swish") {
      outs.push_back(swish);
      return success();
    }
    STRATA_TRY(b, required(1));
    if (typeOf(a) != typeOf(b))
      return failNode("A and B must have the same shape and element type");
    STRATA_TRY(y, create1("strata.mul", {swish, b}));
    outs.push_back(y);
    return success();
  }
  return unsupported();
}

} // namespace strata::onnx_import
