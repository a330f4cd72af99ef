//===- RecurrentLowering.cpp - Cells as compositions of strata ops --------===//
//
// gru_cell, lstm_cell and rnn_cell are rewritten into the strata ops their
// descriptions are written in (split, inner_product, add, mul, sub, clip,
// sigmoid, tanh), which the other families' patterns of the same pass then
// lower: the gates' matrix products are inner products with the bias blocks
// of `b` as their biases, in the ONNX gate orders (GRU z, r, h; LSTM i, o,
// f, c). The reference computes the cells in double; these forms compute in
// the element type.
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"
#include "passes/lowering/Lowering.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;

namespace strata::lowering {
namespace {

/// Builds strata ops of one float element type.
struct CellBuilder {
  PatternRewriter &b;
  Location loc;
  Type element;

  RankedTensorType type(ArrayRef<int64_t> shape) const {
    return RankedTensorType::get(shape, element);
  }
  /// `v` cut into consecutive pieces of `sizes` along `axis`.
  SmallVector<Value> split(Value v, int64_t axis,
                           ArrayRef<int64_t> sizes) const {
    auto t = cast<RankedTensorType>(v.getType());
    SmallVector<Type> types;
    for (int64_t s : sizes) {
      SmallVector<int64_t> shape(t.getShape());
      shape[axis] = s;
      types.push_back(type(shape));
    }
    auto op = SplitOp::create(b, loc, types, v, b.getI64IntegerAttr(axis),
                              b.getDenseI64ArrayAttr(sizes));
    return SmallVector<Value>(op.getResults());
  }
  /// x w^T + bias (bias may be null): [N, rows of w].
  Value product(Value x, Value w, Value bias) const {
    int64_t n = cast<RankedTensorType>(x.getType()).getDimSize(0);
    int64_t m = cast<RankedTensorType>(w.getType()).getDimSize(0);
    return InnerProductOp::create(b, loc, type({n, m}), x, w, bias,
                                  b.getBoolAttr(false));
  }
  /// The result has the type of the operand of higher rank (a scalar
  /// broadcasts).
  template <typename OpTy> Value binary(Value x, Value y) const {
    Type t = cast<RankedTensorType>(x.getType()).getRank() >=
                     cast<RankedTensorType>(y.getType()).getRank()
                 ? x.getType()
                 : y.getType();
    return OpTy::create(b, loc, t, x, y);
  }
  template <typename OpTy> Value unary(Value x) const {
    return OpTy::create(b, loc, x.getType(), x);
  }
  Value clamp(Value v, std::optional<APFloat> clip) const {
    if (!clip)
      return v;
    double c = clip->convertToDouble();
    return ClipOp::create(b, loc, v.getType(), v, b.getF64FloatAttr(-c),
                          b.getF64FloatAttr(c));
  }
  Value scalar(double v) const {
    auto t = type({});
    return ConstantOp::create(
        b, loc, t, DenseElementsAttr::get(t, b.getFloatAttr(element, v)));
  }
};

class GruCellLowering : public OpRewritePattern<GruCellOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GruCellOp op,
                                PatternRewriter &rewriter) const override {
    for (Type t : op->getOperandTypes()) {
      auto rt = dyn_cast<RankedTensorType>(t);
      if (!rt || !rt.hasStaticShape())
        return rewriter.notifyMatchFailure(op, "dynamic shape");
    }
    auto hType = cast<RankedTensorType>(op.getH().getType());
    int64_t hidden = hType.getDimSize(1);
    CellBuilder c{rewriter, op.getLoc(), hType.getElementType()};
    // b = [Wb (z r h), Rb (z r h)]: the input products' bias is Wb, the
    // recurrent products' are Rb's z, r blocks and its h block.
    Value wb, rbZR, rbH;
    if (Value bias = op.getB()) {
      auto parts = c.split(bias, 0, {3 * hidden, 2 * hidden, hidden});
      wb = parts[0];
      rbZR = parts[1];
      rbH = parts[2];
    }
    auto r = c.split(op.getR(), 0, {2 * hidden, hidden});
    auto xw = c.split(c.product(op.getX(), op.getW(), wb), 1,
                      {hidden, hidden, hidden});
    auto hr = c.split(c.product(op.getH(), r[0], rbZR), 1, {hidden, hidden});
    std::optional<APFloat> clip = op.getClip();
    Value z = c.unary<SigmoidOp>(c.clamp(c.binary<AddOp>(xw[0], hr[0]), clip));
    Value reset =
        c.unary<SigmoidOp>(c.clamp(c.binary<AddOp>(xw[1], hr[1]), clip));
    Value recurrent =
        op.getLinearBeforeReset()
            ? c.binary<MulOp>(reset, c.product(op.getH(), r[1], rbH))
            : c.product(c.binary<MulOp>(reset, op.getH()), r[1], rbH);
    Value candidate =
        c.unary<TanhOp>(c.clamp(c.binary<AddOp>(xw[2], recurrent), clip));
    // (1 - z) . h~ + z . h
    Value keep = c.binary<SubOp>(c.scalar(1.0), z);
    Value result = c.binary<AddOp>(c.binary<MulOp>(keep, candidate),
                                   c.binary<MulOp>(z, op.getH()));
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Static shapes for every operand of a cell.
LogicalResult staticCell(Operation *op, PatternRewriter &rewriter) {
  for (Type t : op->getOperandTypes()) {
    auto rt = dyn_cast<RankedTensorType>(t);
    if (!rt || !rt.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shape");
  }
  return success();
}

class LstmCellLowering : public OpRewritePattern<LstmCellOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LstmCellOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(staticCell(op, rewriter)))
      return failure();
    auto hType = cast<RankedTensorType>(op.getH().getType());
    int64_t hidden = hType.getDimSize(1);
    CellBuilder c{rewriter, op.getLoc(), hType.getElementType()};
    // b = [Wb, Rb]: both are biases of the four gates' products, so the
    // input product takes Wb and the recurrent one Rb.
    Value wb, rb;
    if (Value bias = op.getB()) {
      auto parts = c.split(bias, 0, {4 * hidden, 4 * hidden});
      wb = parts[0];
      rb = parts[1];
    }
    Value pre = c.binary<AddOp>(c.product(op.getX(), op.getW(), wb),
                                c.product(op.getH(), op.getR(), rb));
    auto g = c.split(pre, 1, {hidden, hidden, hidden, hidden});
    std::optional<APFloat> clip = op.getClip();
    Value in = c.unary<SigmoidOp>(c.clamp(g[0], clip));
    Value out = c.unary<SigmoidOp>(c.clamp(g[1], clip));
    Value forget = c.unary<SigmoidOp>(c.clamp(g[2], clip));
    Value candidate = c.unary<TanhOp>(c.clamp(g[3], clip));
    Value cell = c.binary<AddOp>(c.binary<MulOp>(forget, op.getC()),
                                 c.binary<MulOp>(in, candidate));
    Value h = c.binary<MulOp>(out, c.unary<TanhOp>(cell));
    rewriter.replaceOp(op, ValueRange{h, cell});
    return success();
  }
};

class RnnCellLowering : public OpRewritePattern<RnnCellOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RnnCellOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(staticCell(op, rewriter)))
      return failure();
    auto hType = cast<RankedTensorType>(op.getH().getType());
    int64_t hidden = hType.getDimSize(1);
    CellBuilder c{rewriter, op.getLoc(), hType.getElementType()};
    Value wb, rb;
    if (Value bias = op.getB()) {
      auto parts = c.split(bias, 0, {hidden, hidden});
      wb = parts[0];
      rb = parts[1];
    }
    Value pre = c.binary<AddOp>(c.product(op.getX(), op.getW(), wb),
                                c.product(op.getH(), op.getR(), rb));
    rewriter.replaceOp(op, c.unary<TanhOp>(c.clamp(pre, op.getClip())));
    return success();
  }
};

} // namespace

void populateRecurrentLowering(RewritePatternSet &patterns) {
  patterns.add<GruCellLowering, LstmCellLowering, RnnCellLowering>(
      patterns.getContext());
}

} // namespace strata::lowering
