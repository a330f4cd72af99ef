//===- RecurrentLowering.cpp - ONNX RNN, GRU, LSTM ------------------------===//
//
// Unrolled over the sequence.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"

#include <cmath>
#include <limits>

namespace strata::onnx_import {

LogicalResult Importer::lowerRecurrent(const ::onnx::NodeProto &node,
                                       SmallVector<Value> &outs) {
  // The sequence is unrolled into one strata cell per time step and
  // direction; Y stacks the hidden states, Y_h (Y_c) are the last ones.
  StringRef op = node.op_type();
  bool isLstm = op == "LSTM";
  int64_t gates = op == "RNN" ? 1 : op == "GRU" ? 3 : 4;
  STRATA_TRY(x0, required(0));
  STRATA_TRY(w, required(1));
  STRATA_TRY(r, required(2));
  if (findAttr("activations"))
    return unsupported("non-default activations");
  if (isLstm && (attrI("input_forget", 0) || hasInput(7)))
    return unsupported("peepholes or input_forget");
  auto xType = typeOf(x0);
  if (!xType.hasStaticShape() || xType.getRank() != 3)
    return unsupported("needs a static 3-D input");
  bool batchMajor = attrI("layout", 0) == 1;
  Value x = x0;
  if (batchMajor) {
    STRATA_TRY(t, create1("strata.transpose", x, {array("perm", {1, 0, 2})}));
    x = t;
  }
  auto seqType = typeOf(x);
  int64_t seq = seqType.getDimSize(0), batch = seqType.getDimSize(1),
          inputSize = seqType.getDimSize(2);
  int64_t hidden = attrI("hidden_size", 0);
  if (hidden <= 0) {
    auto rType = typeOf(r);
    if (rType.getRank() != 3 || rType.isDynamicDim(2))
      return failNode("needs hidden_size");
    hidden = rType.getDimSize(2);
  }
  if (hasInput(4)) { // sequence_lens: only full-length sequences.
    const Tensor *lens = constInput(4);
    if (!lens)
      return notConstant(4, "sequence_lens");
    for (int64_t i = 0; i < lens->numElements(); ++i)
      if (lens->getInt(i) != seq)
        return unsupported("sequence_lens shorter than the sequence");
  }
  std::string direction = attrS("direction", "forward");
  int64_t dirs = direction == "bidirectional" ? 2 : 1;
  SmallVector<NamedAttribute> cellAttrs;
  if (const auto *clip = findAttr("clip"))
    cellAttrs.push_back(f64("clip", clip->f()));
  if (op == "GRU")
    cellAttrs.push_back(
        flag("linear_before_reset", attrI("linear_before_reset", 0)));
  auto sliceDir = [&](Value v, int64_t d,
                      ArrayRef<int64_t> shape) -> FailureOr<Value> {
    auto sl = create1(
        "strata.slice", v,
        {array("starts", {d}), array("ends", {d + 1}), array("axes", {0})});
    if (failed(sl))
      return failure();
    return reshape(*sl, shape);
  };
  auto dtype = *reference::dtypeOf(xType.getElementType());
  SmallVector<Value> ys, lastH, lastC;
  for (int64_t d = 0; d < dirs; ++d) {
    bool reverse = direction == "reverse" || d == 1;
    STRATA_TRY(wd, sliceDir(w, d, {gates * hidden, inputSize}));
    STRATA_TRY(rd, sliceDir(r, d, {gates * hidden, hidden}));
    Value bd;
    if (Value b = input(3)) {
      STRATA_TRY(bs, sliceDir(b, d, {2 * gates * hidden}));
      bd = bs;
    }
    Value h, c;
    if (Value h0 = input(5)) {
      STRATA_TRY(hs, sliceDir(h0, d, {batch, hidden}));
      h = hs;
    } else {
      STRATA_TRY(z, constant(Tensor(dtype, {batch, hidden})));
      h = z;
    }
    if (isLstm) {
      if (Value c0 = input(6)) {
        STRATA_TRY(cs, sliceDir(c0, d, {batch, hidden}));
        c = cs;
      } else {
        STRATA_TRY(z, constant(Tensor(dtype, {batch, hidden})));
        c = z;
      }
    }
    SmallVector<Value> steps(seq);
    for (int64_t i = 0; i < seq; ++i) {
      int64_t t = reverse ? seq - 1 - i : i;
      STRATA_TRY(xt, sliceDir(x, t, {batch, inputSize}));
      SmallVector<Value> operands = {xt, h};
      if (isLstm)
        operands.push_back(c);
      operands.append({wd, rd});
      if (bd)
        operands.push_back(bd);
      StringRef cell = op == "RNN"   ? "strata.rnn_cell"
                       : op == "GRU" ? "strata.gru_cell"
                                     : "strata.lstm_cell";
      auto stepOp = create(cell, operands, cellAttrs, isLstm ? 2 : 1);
      if (failed(stepOp))
        return failure();
      h = (*stepOp)->getResult(0);
      if (isLstm)
        c = (*stepOp)->getResult(1);
      STRATA_TRY(y, reshape(h, {1, 1, batch, hidden}));
      steps[t] = y;
    }
    STRATA_TRY(yd, create1("strata.concat", steps, {i64("axis", 0)}));
    ys.push_back(yd);
    STRATA_TRY(hLast, reshape(h, {1, batch, hidden}));
    lastH.push_back(hLast);
    if (isLstm) {
      STRATA_TRY(cLast, reshape(c, {1, batch, hidden}));
      lastC.push_back(cLast);
    }
  }
  STRATA_TRY(y, create1("strata.concat", ys, {i64("axis", 1)}));
  STRATA_TRY(yh, create1("strata.concat", lastH, {i64("axis", 0)}));
  Value yc;
  if (isLstm) {
    STRATA_TRY(c, create1("strata.concat", lastC, {i64("axis", 0)}));
    yc = c;
  }
  if (batchMajor) {
    STRATA_TRY(yt,
               create1("strata.transpose", y, {array("perm", {2, 0, 1, 3})}));
    y = yt;
    STRATA_TRY(yht,
               create1("strata.transpose", yh, {array("perm", {1, 0, 2})}));
    yh = yht;
    if (yc) {
      STRATA_TRY(yct,
                 create1("strata.transpose", yc, {array("perm", {1, 0, 2})}));
      yc = yct;
    }
  }
  outs.append({y, yh});
  if (isLstm)
    outs.push_back(yc);
  return success();
}

} // namespace strata::onnx_import
