//===- RecurrentGradients.cpp - Gradients of recurrent ops ----------------===//
//
// One time step of an RNN / GRU / LSTM cell (RecurrentOps.td), differentiated
// with respect to x, the state(s), w, r and the bias. The rules recompute the
// gate pre-activations from the operands (ONNX gate order, row blocks of H),
// then, with dA [N, gates*H] the gradients of the pre-activations in the gate
// order of w:
//   dx = dA w,   dw = dA^T x,   dh (through r) = dA_r r,   dr = dA_r^T u,
//   db = concat(sum_N dA, sum_N dA_r)
// where dA_r / u are the gradients / left operands of the recurrent products
// (dA and h except in GRU's candidate gate). A clipped pre-activation passes
// no gradient where it is clamped (as strata.clip: strictly inside passes).
//
//===----------------------------------------------------------------------===//

#include "ir/gradients/GradientBuilder.h"

namespace strata::gradients {
namespace {

using Dx = SmallVectorImpl<Value>;

/// Swaps the two dimensions of a matrix.
Value transpose2(GradientBuilder &g, Value v) {
  return g.op("transpose", v, {g.array("perm", {1, 0})});
}

/// Rows [k * size, (k + 1) * size) of `v` along `axis`.
Value block(GradientBuilder &g, Value v, int64_t axis, int64_t k,
            int64_t size) {
  return g.op("slice", v,
              {g.array("starts", {k * size}), g.array("ends", {(k + 1) * size}),
               g.array("axes", {axis})});
}

/// Sum over the batch (dimension 0): [N, M] -> [M].
Value sumBatch(GradientBuilder &g, Value v) {
  return g.op("reduce_sum", v,
              {g.array("axes", {0}), g.flag("keepdims", false)});
}

Value concat(GradientBuilder &g, mlir::ValueRange vs, int64_t axis) {
  return g.op("concat", vs, {g.i64("axis", axis)});
}

/// The hidden size H of a cell whose state `h` is [N, H] and whose `w` has
/// `gates` * H rows; 0 (with an error) if neither is static.
int64_t hiddenSize(mlir::Operation *op, Value h, Value w, int64_t gates) {
  auto ht = llvm::cast<mlir::RankedTensorType>(h.getType());
  if (!ht.isDynamicDim(1))
    return ht.getDimSize(1);
  auto wt = llvm::cast<mlir::RankedTensorType>(w.getType());
  if (!wt.isDynamicDim(0))
    return wt.getDimSize(0) / gates;
  op->emitError("gradient needs a static hidden size");
  return 0;
}

/// The gate pre-activations' shared parts: xw = x w^T and hr = h r^T, both
/// [N, gates*H], and the bias blocks Wb_k, Rb_k (null without a bias).
struct CellProducts {
  Value xw, hr;
  llvm::SmallVector<Value> wb, rb;
};

CellProducts products(GradientBuilder &g, Value x, Value h, Value w, Value r,
                      Value b, int64_t gates, int64_t hidden) {
  CellProducts p;
  p.xw = g.op("matmul", {x, transpose2(g, w)});
  p.hr = g.op("matmul", {h, transpose2(g, r)});
  for (int64_t k = 0; k < gates; ++k) {
    p.wb.push_back(b ? block(g, b, 0, k, hidden) : Value());
    p.rb.push_back(b ? block(g, b, 0, gates + k, hidden) : Value());
  }
  return p;
}

/// a + bias, or a without a bias.
Value addBias(GradientBuilder &g, Value a, Value bias) {
  return bias ? g.add(a, bias) : a;
}

/// The clamped pre-activation (what the activation sees) and the 0/1 mask of
/// where the clamp passes gradient (null without clip).
struct Clipped {
  Value value, pass;
};

Clipped clip(GradientBuilder &g, Value a, std::optional<llvm::APFloat> c) {
  if (!c)
    return {a, {}};
  double v = c->convertToDouble();
  Value inside = g.op("and", {g.op("greater", {a, g.scalar(a, -v)}),
                              g.op("less", {a, g.scalar(a, v)})});
  return {g.op("clip", a, {g.f64("min", -v), g.f64("max", v)}),
          g.select01(inside, a)};
}

/// d pre-activation from d activation output `d`, derivative `deriv`.
Value throughActivation(GradientBuilder &g, Value d, Value deriv,
                        const Clipped &a) {
  Value da = g.mul(d, deriv);
  return a.pass ? g.mul(da, a.pass) : da;
}

Value dSigmoid(GradientBuilder &g, Value y) {
  return g.mul(y, g.sub(g.scalar(y, 1), y));
}
Value dTanh(GradientBuilder &g, Value y) {
  return g.sub(g.scalar(y, 1), g.mul(y, y));
}

/// Gradients of x, w and the Wb half of the bias from dA [N, gates*H]; and
/// of h (through r), r and the Rb half from dAr, when h is the left operand
/// of every recurrent product.
void linearGrads(GradientBuilder &g, Value x, Value h, Value w, Value r,
                 Value dA, Value dAr, Value &dx, Value &dh, Value &dw,
                 Value &dr, Value &dWb, Value &dRb) {
  dx = g.op("matmul", {dA, w});
  dw = g.op("matmul", {transpose2(g, dA), x});
  dWb = sumBatch(g, dA);
  dh = g.op("matmul", {dAr, r});
  dr = g.op("matmul", {transpose2(g, dAr), h});
  dRb = sumBatch(g, dAr);
}

/// Null gradients for every operand (no result gradient flows).
LogicalResult noGrads(mlir::Operation *op, Dx &dx) {
  dx.assign(op->getNumOperands(), Value());
  return mlir::success();
}

LogicalResult rnnCellGrad(RnnCellOp op, GradientBuilder &g, ArrayRef<Value> dy,
                          Dx &dx) {
  if (!dy[0])
    return noGrads(op, dx);
  // h' = tanh(clip(x W^T + h R^T + Wb + Rb)).
  Value x = op.getX(), h = op.getH(), w = op.getW(), r = op.getR(),
        b = op.getB();
  Value y = op.getHNew();
  Clipped a{};
  if (op.getClip()) {
    int64_t hidden = hiddenSize(op, h, w, 1);
    if (!hidden)
      return mlir::failure();
    CellProducts p = products(g, x, h, w, r, b, 1, hidden);
    a = clip(g, addBias(g, addBias(g, g.add(p.xw, p.hr), p.wb[0]), p.rb[0]),
             op.getClip());
  }
  Value dA = throughActivation(g, dy[0], dTanh(g, y), a);
  Value gx, gh, gw, gr, gWb, gRb;
  linearGrads(g, x, h, w, r, dA, dA, gx, gh, gw, gr, gWb, gRb);
  dx.append({gx, gh, gw, gr});
  if (b)
    dx.push_back(concat(g, {gWb, gRb}, 0));
  return mlir::success();
}

LogicalResult gruCellGrad(GruCellOp op, GradientBuilder &g, ArrayRef<Value> dy,
                          Dx &dx) {
  if (!dy[0])
    return noGrads(op, dx);
  Value x = op.getX(), h = op.getH(), w = op.getW(), r = op.getR(),
        b = op.getB();
  int64_t hidden = hiddenSize(op, h, w, 3);
  if (!hidden)
    return mlir::failure();
  bool lbr = op.getLinearBeforeReset();
  auto clipValue = op.getClip();
  CellProducts p = products(g, x, h, w, r, b, 3, hidden);
  auto gate = [&](int64_t k) { // x Wk^T + Wbk (+ h Rk^T + Rbk for z, r)
    Value a = addBias(g, block(g, p.xw, 1, k, hidden), p.wb[k]);
    if (k == 2)
      return a;
    return addBias(g, g.add(a, block(g, p.hr, 1, k, hidden)), p.rb[k]);
  };
  Clipped az = clip(g, gate(0), clipValue);
  Clipped ar = clip(g, gate(1), clipValue);
  Value z = g.op("sigmoid", az.value);
  Value rg = g.op("sigmoid", ar.value);
  Value rh, q; // r . h (before), h Rh^T + Rbh (linear_before_reset)
  Value rCand, ahPre;
  if (lbr) {
    q = addBias(g, block(g, p.hr, 1, 2, hidden), p.rb[2]);
    ahPre = g.add(gate(2), g.mul(rg, q));
  } else {
    rh = g.mul(rg, h);
    rCand = block(g, r, 0, 2, hidden);
    Value rhR = g.op("matmul", {rh, transpose2(g, rCand)});
    ahPre = addBias(g, g.add(gate(2), rhR), p.rb[2]);
  }
  Clipped ah = clip(g, ahPre, clipValue);
  Value hc = g.op("tanh", ah.value);

  // h' = (1 - z) . h~ + z . h.
  Value d = dy[0];
  Value dhc = g.mul(d, g.sub(g.scalar(z, 1), z));
  Value dz = g.mul(d, g.sub(h, hc));
  Value dhDirect = g.mul(d, z);
  Value dah = throughActivation(g, dhc, dTanh(g, hc), ah);
  Value daz = throughActivation(g, dz, dSigmoid(g, z), az);
  Value dr;
  if (lbr) {
    Value dq = g.mul(dah, rg);
    dr = g.mul(dah, q);
    Value dar = throughActivation(g, dr, dSigmoid(g, rg), ar);
    Value dA = concat(g, {daz, dar, dah}, 1);
    Value dAr = concat(g, {daz, dar, dq}, 1);
    Value gx, gh, gw, gr, gWb, gRb;
    linearGrads(g, x, h, w, r, dA, dAr, gx, gh, gw, gr, gWb, gRb);
    dx.append({gx, g.add(gh, dhDirect), gw, gr});
    if (b)
      dx.push_back(concat(g, {gWb, gRb}, 0));
    return mlir::success();
  }
  // Candidate: (r . h) Rh^T.
  Value drh = g.op("matmul", {dah, rCand});
  dr = g.mul(drh, h);
  Value dar = throughActivation(g, dr, dSigmoid(g, rg), ar);
  Value dA = concat(g, {daz, dar, dah}, 1);
  Value dAzr = concat(g, {daz, dar}, 1);
  Value rzr = g.op("slice", r,
                   {g.array("starts", {0}), g.array("ends", {2 * hidden}),
                    g.array("axes", {0})});
  Value gx = g.op("matmul", {dA, w});
  Value gw = g.op("matmul", {transpose2(g, dA), x});
  Value gh =
      g.add(g.add(g.op("matmul", {dAzr, rzr}), g.mul(drh, rg)), dhDirect);
  Value gr = concat(g,
                    {g.op("matmul", {transpose2(g, dAzr), h}),
                     g.op("matmul", {transpose2(g, dah), rh})},
                    0);
  dx.append({gx, gh, gw, gr});
  if (b) {
    Value s = sumBatch(g, dA);
    dx.push_back(concat(g, {s, s}, 0));
  }
  return mlir::success();
}

LogicalResult lstmCellGrad(LstmCellOp op, GradientBuilder &g,
                           ArrayRef<Value> dy, Dx &dx) {
  Value dhNew = dy[0], dcNew = dy[1];
  if (!dhNew && !dcNew)
    return noGrads(op, dx);
  Value x = op.getX(), h = op.getH(), c = op.getC(), w = op.getW(),
        r = op.getR(), b = op.getB();
  int64_t hidden = hiddenSize(op, h, w, 4);
  if (!hidden)
    return mlir::failure();
  auto clipValue = op.getClip();
  CellProducts p = products(g, x, h, w, r, b, 4, hidden);
  Value pre = g.add(p.xw, p.hr);
  Clipped a[4];
  Value act[4]; // i, o, f, c~
  for (int64_t k = 0; k < 4; ++k) {
    a[k] = clip(
        g,
        addBias(g, addBias(g, block(g, pre, 1, k, hidden), p.wb[k]), p.rb[k]),
        clipValue);
    act[k] = g.op(k == 3 ? "tanh" : "sigmoid", a[k].value);
  }
  // c' = f . c + i . c~, h' = o . tanh(c').
  Value tc = g.op("tanh", op.getCNew());
  Value dct = dcNew;
  Value d[4];
  if (dhNew) {
    d[1] = g.mul(dhNew, tc);
    Value viaH = g.mul(g.mul(dhNew, act[1]), dTanh(g, tc));
    dct = dct ? g.add(dct, viaH) : viaH;
  } else {
    d[1] = g.zerosLike(act[1]);
  }
  d[0] = g.mul(dct, act[3]);
  d[2] = g.mul(dct, c);
  d[3] = g.mul(dct, act[0]);
  Value dc = g.mul(dct, act[2]);
  llvm::SmallVector<Value, 4> da;
  for (int64_t k = 0; k < 4; ++k)
    da.push_back(throughActivation(
        g, d[k], k == 3 ? dTanh(g, act[k]) : dSigmoid(g, act[k]), a[k]));
  Value dA = concat(g, da, 1);
  Value gx, gh, gw, gr, gWb, gRb;
  linearGrads(g, x, h, w, r, dA, dA, gx, gh, gw, gr, gWb, gRb);
  dx.append({gx, gh, dc, gw, gr});
  if (b)
    dx.push_back(concat(g, {gWb, gRb}, 0));
  return mlir::success();
}

} // namespace

void attachRecurrentGradients(mlir::MLIRContext *ctx) {
  attach<RnnCellOp, rnnCellGrad>(ctx);
  attach<GruCellOp, gruCellGrad>(ctx);
  attach<LstmCellOp, lstmCellGrad>(ctx);
}

} // namespace strata::gradients
