//===- ConvolutionLowering.cpp - conv and max_pool to linalg --------------===//
//
// 2-D conv (NCHW input, [M, C, kh, kw] weight, groups 1) becomes a zero pad
// (tensor.pad) and linalg.conv_2d_nchw_fchw into a zero-filled accumulator,
// then the bias; 2-D max_pool becomes a -inf pad and
// linalg.pooling_nchw_max. The padded extent is what the result type needs,
// so ceil_mode windows that reach past the input see only padding (ignored
// by max). Explicit pads only (auto_pad notset); other forms are left to
// later work and reported as not lowered.
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"
#include "passes/lowering/Lowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

namespace strata::lowering {
namespace {

/// Attribute list of a 2-D window: its value, or `fill` for each dim when
/// empty.
SmallVector<int64_t> orDefault(ArrayRef<int64_t> v, size_t n, int64_t fill) {
  if (v.empty())
    return SmallVector<int64_t>(n, fill);
  return SmallVector<int64_t>(v.begin(), v.end());
}

/// Pads the spatial dims of an NCHW tensor with `value`: `begin` before, and
/// after whatever makes `outSize` windows of `kernel` (with `strides`,
/// `dilations`) fit.
Value padSpatial(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> begin,
                 ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                 ArrayRef<int64_t> dilations, ArrayRef<int64_t> outSize,
                 Value value) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> shape(type.getShape());
  SmallVector<OpFoldResult> low(4, b.getIndexAttr(0)),
      high(4, b.getIndexAttr(0));
  bool any = false;
  for (int d = 0; d < 2; ++d) {
    int64_t needed =
        (outSize[d] - 1) * strides[d] + dilations[d] * (kernel[d] - 1) + 1;
    int64_t after = std::max<int64_t>(0, needed - shape[2 + d] - begin[d]);
    low[2 + d] = b.getIndexAttr(begin[d]);
    high[2 + d] = b.getIndexAttr(after);
    any |= begin[d] != 0 || after != 0;
    shape[2 + d] += begin[d] + after;
  }
  if (!any)
    return x;
  auto padded = RankedTensorType::get(shape, type.getElementType());
  return tensor::PadOp::create(b, loc, padded, x, low, high, value);
}

SmallVector<NamedAttribute> windowAttrs(OpBuilder &b, ArrayRef<int64_t> s,
                                        ArrayRef<int64_t> d) {
  return {b.getNamedAttr("strides", b.getI64VectorAttr(s)),
          b.getNamedAttr("dilations", b.getI64VectorAttr(d))};
}

bool static2d(Operation *op) {
  for (Type t :
       llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes())) {
    auto rt = dyn_cast<RankedTensorType>(t);
    if (!rt || !rt.hasStaticShape() || !isa<FloatType>(rt.getElementType()))
      return false;
  }
  return cast<RankedTensorType>(op->getOperand(0).getType()).getRank() == 4;
}

class ConvLowering : public OpRewritePattern<ConvOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConvOp op,
                                PatternRewriter &rewriter) const override {
    if (!static2d(op) || op.getGroups() != 1 ||
        op.getAutoPad() != AutoPad::notset)
      return rewriter.notifyMatchFailure(
          op, "only 2-D, groups 1, explicit pads are lowered");
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    auto w = cast<RankedTensorType>(op.getWeight().getType());
    Type t = type.getElementType();
    SmallVector<int64_t> kernel = {w.getDimSize(2), w.getDimSize(3)};
    SmallVector<int64_t> strides = orDefault(op.getStrides(), 2, 1);
    SmallVector<int64_t> dilations = orDefault(op.getDilations(), 2, 1);
    SmallVector<int64_t> pads = orDefault(op.getPads(), 4, 0);
    Value x =
        padSpatial(rewriter, loc, op.getInput(), {pads[0], pads[1]}, kernel,
                   strides, dilations, {type.getDimSize(2), type.getDimSize(3)},
                   floatConstant(rewriter, loc, t, 0));
    Value empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(), t);
    Value acc = linalg::FillOp::create(
                    rewriter, loc, floatConstant(rewriter, loc, t, 0), empty)
                    .getResult(0);
    Value y = linalg::Conv2DNchwFchwOp::create(
                  rewriter, loc, TypeRange{type}, ValueRange{x, op.getWeight()},
                  ValueRange{acc}, windowAttrs(rewriter, strides, dilations))
                  ->getResult(0);
    if (Value bias = op.getBias()) {
      // The bias [M] broadcasts along the channel dim.
      auto column = RankedTensorType::get({type.getDimSize(1), 1, 1}, t);
      Value b3 = reshapeStatic(rewriter, loc, bias, column);
      y = buildPointwise(rewriter, loc, type, ValueRange{y, b3},
                         [](OpBuilder &b, Location l, ValueRange a) -> Value {
                           return arith::AddFOp::create(b, l, a[0], a[1]);
                         });
    }
    rewriter.replaceOp(op, y);
    return success();
  }
};

class MaxPoolLowering : public OpRewritePattern<MaxPoolOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MaxPoolOp op,
                                PatternRewriter &rewriter) const override {
    if (!static2d(op) || op->getNumResults() != 1 ||
        op.getAutoPad() != AutoPad::notset)
      return rewriter.notifyMatchFailure(op,
                                         "only 2-D, explicit pads are lowered");
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op->getResult(0).getType());
    Type t = type.getElementType();
    SmallVector<int64_t> kernel(op.getKernelShape());
    SmallVector<int64_t> strides = orDefault(op.getStrides(), 2, 1);
    SmallVector<int64_t> dilations = orDefault(op.getDilations(), 2, 1);
    SmallVector<int64_t> pads = orDefault(op.getPads(), 4, 0);
    Value lowest = floatConstant(rewriter, loc, t, -INFINITY);
    Value x = padSpatial(rewriter, loc, op.getInput(), {pads[0], pads[1]},
                         kernel, strides, dilations,
                         {type.getDimSize(2), type.getDimSize(3)}, lowest);
    Value empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(), t);
    Value acc =
        linalg::FillOp::create(rewriter, loc, lowest, empty).getResult(0);
    Value window = tensor::EmptyOp::create(rewriter, loc, kernel, t);
    Value y = linalg::PoolingNchwMaxOp::create(
                  rewriter, loc, TypeRange{type}, ValueRange{x, window},
                  ValueRange{acc}, windowAttrs(rewriter, strides, dilations))
                  ->getResult(0);
    rewriter.replaceOp(op, y);
    return success();
  }
};

} // namespace

void populateConvolutionLowering(RewritePatternSet &patterns) {
  patterns.add<ConvLowering, MaxPoolLowering>(patterns.getContext());
}

} // namespace strata::lowering
