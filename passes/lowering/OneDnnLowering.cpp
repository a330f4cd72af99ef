//===- OneDnnLowering.cpp - heavy ops as calls into oneDNN ----------------===//
//
// With `library-calls` (the default), f32 conv and conv_transpose (1-3
// spatial dims), 2-D matmul / inner_product / gemm, and the forms of
// avg_pool, lrn and batch_norm that oneDNN computes as the reference does
// become a call to the runtime's oneDNN functions
// (runtime/cpu/OneDnnKernels.h) instead of linalg loops:
//
//   %xb = bufferization.to_buffer %x read_only   (each operand)
//   %y  = memref.alloc()                         (the result)
//   func.call @strata_onednn_conv_f32(%xp, ..., %yp, %geometry)
//   %r  = bufferization.to_tensor %y restrict writable
//
// where %xp is the address of %xb as an !llvm.ptr (extracted with
// memref.extract_aligned_pointer_as_index); the problem's sizes are a
// constant i64 array, passed the same way, whose layout the runtime header
// documents. The compiled object leaves the callees undefined; the
// runtime resolves them when it loads the object. These patterns outrank
// the linalg ones; a form they do not take (another element type, batched
// matmul) falls through to linalg.
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"
#include "passes/lowering/Lowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/SymbolTable.h"

using namespace mlir;

namespace strata::lowering {
namespace {

/// Above the linalg patterns (benefit 1).
constexpr unsigned kLibraryBenefit = 2;

bool staticF32(Operation *op) {
  for (Type t :
       llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes())) {
    auto rt = dyn_cast<RankedTensorType>(t);
    if (!rt || !rt.hasStaticShape() || !rt.getElementType().isF32())
      return false;
  }
  return true;
}

/// `@name` declared (private, no body) in the module of `op`.
FlatSymbolRefAttr declareLibraryFunction(Operation *op, StringRef name,
                                         FunctionType type) {
  auto module = op->getParentOfType<ModuleOp>();
  if (!SymbolTable::lookupSymbolIn(module, name)) {
    OpBuilder b(module.getBodyRegion());
    auto fn = func::FuncOp::create(b, module.getLoc(), name, type);
    fn.setPrivate();
  }
  return FlatSymbolRefAttr::get(op->getContext(), name);
}

/// The address of a buffer's first element as a plain pointer. The callee
/// takes pointers, not memrefs: the bare-pointer convention would need a
/// static shape in its declaration, which differs from call to call.
Value pointerTo(OpBuilder &b, Location loc, Value buffer) {
  Value address =
      memref::ExtractAlignedPointerAsIndexOp::create(b, loc, buffer);
  Value i64 = arith::IndexCastOp::create(b, loc, b.getI64Type(), address);
  return LLVM::IntToPtrOp::create(
      b, loc, LLVM::LLVMPointerType::get(b.getContext()), i64);
}

/// The buffer of tensor `x` (row-major: a strided one is copied), as a
/// pointer.
Value bufferPointer(OpBuilder &b, Location loc, Value x) {
  auto type = cast<RankedTensorType>(x.getType());
  Value buffer = bufferization::ToBufferOp::create(
      b, loc, MemRefType::get(type.getShape(), type.getElementType()), x,
      /*read_only=*/true);
  return pointerTo(b, loc, buffer);
}

/// Calls `name(inputs..., result, geometry, scalars...)` with pointers to
/// the buffers and replaces `op` with the result, which the callee writes
/// whole. A null input (an absent optional operand, which the geometry
/// marks) passes the pointer before it again. The geometry is a constant
/// i64 array.
void replaceWithCall(PatternRewriter &rewriter, Operation *op, StringRef name,
                     ArrayRef<Value> inputs, ArrayRef<int64_t> geometry,
                     ArrayRef<Value> scalars = {}) {
  Location loc = op->getLoc();
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  SmallVector<Value> operands;
  for (Value x : inputs)
    operands.push_back(x ? bufferPointer(rewriter, loc, x) : operands.back());
  Value result = memref::AllocOp::create(
      rewriter, loc,
      MemRefType::get(resultType.getShape(), resultType.getElementType()));
  operands.push_back(pointerTo(rewriter, loc, result));
  auto geometryType = RankedTensorType::get(
      {static_cast<int64_t>(geometry.size())}, rewriter.getI64Type());
  Value geometryValue = arith::ConstantOp::create(
      rewriter, loc, DenseIntElementsAttr::get(geometryType, geometry));
  operands.push_back(bufferPointer(rewriter, loc, geometryValue));
  operands.append(scalars.begin(), scalars.end());
  auto type =
      FunctionType::get(op->getContext(), ValueRange(operands).getTypes(), {});
  func::CallOp::create(rewriter, loc, declareLibraryFunction(op, name, type),
                       TypeRange{}, operands);
  rewriter.replaceOp(op, bufferization::ToTensorOp::create(
                             rewriter, loc, resultType, result,
                             /*restrict=*/true, /*writable=*/true));
}

/// The geometry of runtime/cpu/OneDnnKernels.h for a (transposed)
/// convolution.
template <typename WindowOp>
SmallVector<int64_t> windowGeometry(WindowOp op, bool transposed) {
  auto x = cast<RankedTensorType>(op.getInput().getType());
  auto w = cast<RankedTensorType>(op.getWeight().getType());
  auto y = cast<RankedTensorType>(op.getType());
  int64_t s = x.getRank() - 2;
  ArrayRef<int64_t> in = x.getShape().drop_front(2);
  ArrayRef<int64_t> kernel = w.getShape().drop_front(2);
  ArrayRef<int64_t> out = y.getShape().drop_front(2);
  SmallVector<int64_t> pads, outSizes;
  op.getWindowGeometry(in, kernel, pads, outSizes);
  auto orOne = [&](ArrayRef<int64_t> v) {
    return v.empty() ? SmallVector<int64_t>(s, 1) : SmallVector<int64_t>(v);
  };
  SmallVector<int64_t> strides = orOne(op.getStrides());
  SmallVector<int64_t> dilations = orOne(op.getDilations());
  SmallVector<int64_t> padBegin(pads.begin(), pads.begin() + s);
  SmallVector<int64_t> padEnd(pads.begin() + s, pads.end());
  if (transposed) {
    // oneDNN's deconvolution has no output_padding or output size of its
    // own: the end pad is what makes its output size the op's (negative
    // when the output reaches past the last input's window).
    for (int64_t i = 0; i < s; ++i) {
      int64_t eff = (kernel[i] - 1) * dilations[i] + 1;
      padEnd[i] = strides[i] * (in[i] - 1) + eff - padBegin[i] - out[i];
    }
  }
  SmallVector<int64_t> g = {s,
                            x.getDimSize(0),
                            x.getDimSize(1),
                            y.getDimSize(1),
                            static_cast<int64_t>(op.getGroups()),
                            op.getBias() ? 1 : 0};
  for (ArrayRef<int64_t> part :
       {in, kernel, out, ArrayRef<int64_t>(strides),
        ArrayRef<int64_t>(dilations), ArrayRef<int64_t>(padBegin),
        ArrayRef<int64_t>(padEnd)})
    g.append(part.begin(), part.end());
  return g;
}

template <typename WindowOp>
class WindowLibraryCall : public OpRewritePattern<WindowOp> {
public:
  WindowLibraryCall(MLIRContext *context, StringRef function, bool transposed)
      : OpRewritePattern<WindowOp>(context, kLibraryBenefit),
        function(function), transposed(transposed) {}

  LogicalResult matchAndRewrite(WindowOp op,
                                PatternRewriter &rewriter) const override {
    if (!staticF32(op))
      return rewriter.notifyMatchFailure(op, "needs static f32 tensors");
    int64_t rank = cast<RankedTensorType>(op.getInput().getType()).getRank();
    if (rank < 3 || rank > 5)
      return rewriter.notifyMatchFailure(op, "1-3 spatial dims only");
    replaceWithCall(rewriter, op, function,
                    {op.getInput(), op.getWeight(), op.getBias()},
                    windowGeometry(op, transposed));
    return success();
  }

private:
  std::string function;
  bool transposed;
};

/// y = alpha * op(a) op(b) + beta * c' through strata_onednn_gemm_f32; `c`
/// may be null, or of rank <= 2 (broadcast).
void replaceWithGemm(PatternRewriter &rewriter, Operation *op, Value a, Value b,
                     Value c, bool transA, bool transB, double alpha,
                     double beta) {
  auto at = cast<RankedTensorType>(a.getType());
  auto y = cast<RankedTensorType>(op->getResult(0).getType());
  int64_t m = y.getDimSize(0), n = y.getDimSize(1);
  int64_t k = transA ? at.getDimSize(0) : at.getDimSize(1);
  int64_t rows = 1, cols = 1;
  if (c) {
    ArrayRef<int64_t> cs = cast<RankedTensorType>(c.getType()).getShape();
    if (cs.size() == 2)
      rows = cs[0];
    if (!cs.empty())
      cols = cs.back();
  }
  Location loc = op->getLoc();
  Type f32 = rewriter.getF32Type();
  Value alphaValue = floatConstant(rewriter, loc, f32, alpha);
  Value betaValue = floatConstant(rewriter, loc, f32, beta);
  replaceWithCall(rewriter, op, "strata_onednn_gemm_f32", {a, b, c},
                  {m, n, k, transA, transB, c ? 1 : 0, rows, cols},
                  {alphaValue, betaValue});
}

bool isMatrix(Value v) {
  return cast<RankedTensorType>(v.getType()).getRank() == 2;
}

class MatMulLibraryCall : public OpRewritePattern<MatMulOp> {
public:
  MatMulLibraryCall(MLIRContext *context)
      : OpRewritePattern(context, kLibraryBenefit) {}
  LogicalResult matchAndRewrite(MatMulOp op,
                                PatternRewriter &rewriter) const override {
    if (!staticF32(op) || !isMatrix(op.getLhs()) || !isMatrix(op.getRhs()))
      return rewriter.notifyMatchFailure(op, "needs 2-D static f32 operands");
    replaceWithGemm(rewriter, op, op.getLhs(), op.getRhs(), nullptr, false,
                    false, 1.0, 0.0);
    return success();
  }
};

class InnerProductLibraryCall : public OpRewritePattern<InnerProductOp> {
public:
  InnerProductLibraryCall(MLIRContext *context)
      : OpRewritePattern(context, kLibraryBenefit) {}
  LogicalResult matchAndRewrite(InnerProductOp op,
                                PatternRewriter &rewriter) const override {
    if (!staticF32(op) || !isMatrix(op.getInput()) || !isMatrix(op.getWeight()))
      return rewriter.notifyMatchFailure(op, "needs 2-D static f32 operands");
    // W is [M, K] (y = x W^T) unless transpose ([K, M], y = x W).
    replaceWithGemm(rewriter, op, op.getInput(), op.getWeight(), op.getBias(),
                    false, !op.getTranspose(), 1.0, 1.0);
    return success();
  }
};

class GemmLibraryCall : public OpRewritePattern<GemmOp> {
public:
  GemmLibraryCall(MLIRContext *context)
      : OpRewritePattern(context, kLibraryBenefit) {}
  LogicalResult matchAndRewrite(GemmOp op,
                                PatternRewriter &rewriter) const override {
    if (!staticF32(op))
      return rewriter.notifyMatchFailure(op, "needs static f32 operands");
    replaceWithGemm(rewriter, op, op.getA(), op.getB(), op.getC(),
                    op.getTransA(), op.getTransB(),
                    op.getAlpha().convertToDouble(),
                    op.getBeta().convertToDouble());
    return success();
  }
};

/// avg_pool through strata_onednn_avg_pool_f32, for the forms oneDNN
/// computes as the reference does: dilations 1, every window covering an
/// input element, and counting the padding only where no window reaches
/// past the end padding (ceil_mode's overhang, which the reference does not
/// count, while oneDNN divides by the kernel volume). The end pads oneDNN
/// gets are those that make its (floor) output size the op's. max_pool
/// stays in linalg: oneDNN's max pooling drops NaN (a window of NaNs gives
/// -FLT_MAX, and so does one of -inf), the reference propagates it.
class AvgPoolLibraryCall : public OpRewritePattern<AvgPoolOp> {
public:
  AvgPoolLibraryCall(MLIRContext *context)
      : OpRewritePattern(context, kLibraryBenefit) {}

  LogicalResult matchAndRewrite(AvgPoolOp op,
                                PatternRewriter &rewriter) const override {
    if (!staticF32(op))
      return rewriter.notifyMatchFailure(op, "needs static f32 tensors");
    auto x = cast<RankedTensorType>(op.getInput().getType());
    int64_t rank = x.getRank(), s = rank - 2;
    if (rank < 3 || rank > 5)
      return rewriter.notifyMatchFailure(op, "1-3 spatial dims only");
    if (llvm::any_of(op.getDilations(), [](int64_t d) { return d != 1; }))
      return rewriter.notifyMatchFailure(op, "dilations");
    ArrayRef<int64_t> in = x.getShape().drop_front(2);
    ArrayRef<int64_t> kernel = op.getKernelShape();
    SmallVector<int64_t> pads, out;
    op.getWindowGeometry(in, kernel, pads, out);
    SmallVector<int64_t> strides = op.getStrides().empty()
                                       ? SmallVector<int64_t>(s, 1)
                                       : SmallVector<int64_t>(op.getStrides());
    SmallVector<int64_t> padBegin(pads.begin(), pads.begin() + s);
    SmallVector<int64_t> padEnd(s);
    bool includePad = op.getCountIncludePad();
    for (int64_t i = 0; i < s; ++i) {
      // The end pad after the last window's last position.
      int64_t reach =
          (out[i] - 1) * strides[i] + kernel[i] - in[i] - padBegin[i];
      padEnd[i] = std::max<int64_t>(reach, 0);
      if ((in[i] + padBegin[i] + padEnd[i] - kernel[i]) / strides[i] + 1 !=
          out[i])
        return rewriter.notifyMatchFailure(op, "output size off oneDNN's");
      if (includePad && reach > pads[s + i])
        return rewriter.notifyMatchFailure(
            op, "counted padding with a ceil_mode overhang");
      // The last window starts past the input: it covers no input element.
      if ((out[i] - 1) * strides[i] - padBegin[i] >= in[i] ||
          kernel[i] <= padBegin[i])
        return rewriter.notifyMatchFailure(op,
                                           "a window covers no input element");
    }
    SmallVector<int64_t> g = {s, x.getDimSize(0), x.getDimSize(1),
                              includePad ? 1 : 0};
    for (ArrayRef<int64_t> part :
         {in, kernel, ArrayRef<int64_t>(out), ArrayRef<int64_t>(strides),
          ArrayRef<int64_t>(padBegin), ArrayRef<int64_t>(padEnd)})
      g.append(part.begin(), part.end());
    replaceWithCall(rewriter, op, "strata_onednn_avg_pool_f32", {op.getInput()},
                    g);
    return success();
  }
};

/// [N, C, S] of an [N, C, ...] tensor type.
SmallVector<int64_t> channelGeometry(Value input) {
  auto t = cast<RankedTensorType>(input.getType());
  return {t.getDimSize(0), t.getDimSize(1),
          t.getNumElements() /
              std::max<int64_t>(1, t.getDimSize(0) * t.getDimSize(1))};
}

/// lrn through strata_onednn_lrn_f32 (across channels), for odd sizes: the
/// reference's window of an even size reaches one channel further up than
/// down, which oneDNN does not promise.
class LRNLibraryCall : public OpRewritePattern<LRNOp> {
public:
  LRNLibraryCall(MLIRContext *context)
      : OpRewritePattern(context, kLibraryBenefit) {}
  LogicalResult matchAndRewrite(LRNOp op,
                                PatternRewriter &rewriter) const override {
    if (!staticF32(op) ||
        cast<RankedTensorType>(op.getType()).getNumElements() == 0)
      return rewriter.notifyMatchFailure(op, "needs static non-empty f32");
    int64_t size = static_cast<int64_t>(op.getSize());
    if (size % 2 == 0)
      return rewriter.notifyMatchFailure(op, "an even window size");
    SmallVector<int64_t> g = channelGeometry(op.getInput());
    g.push_back(size);
    Location loc = op.getLoc();
    Type f32 = rewriter.getF32Type();
    replaceWithCall(
        rewriter, op, "strata_onednn_lrn_f32", {op.getInput()}, g,
        {floatConstant(rewriter, loc, f32, op.getAlpha().convertToDouble()),
         floatConstant(rewriter, loc, f32, op.getBeta().convertToDouble()),
         floatConstant(rewriter, loc, f32, op.getBias().convertToDouble())});
    return success();
  }
};

/// batch_norm (inference) through strata_onednn_batch_norm_f32 (global
/// statistics, scale and shift).
class BatchNormLibraryCall : public OpRewritePattern<BatchNormOp> {
public:
  BatchNormLibraryCall(MLIRContext *context)
      : OpRewritePattern(context, kLibraryBenefit) {}
  LogicalResult matchAndRewrite(BatchNormOp op,
                                PatternRewriter &rewriter) const override {
    if (!staticF32(op) ||
        cast<RankedTensorType>(op.getType()).getNumElements() == 0)
      return rewriter.notifyMatchFailure(op, "needs static non-empty f32");
    Location loc = op.getLoc();
    replaceWithCall(rewriter, op, "strata_onednn_batch_norm_f32",
                    {op.getInput(), op.getScale(), op.getBias(), op.getMean(),
                     op.getVariance()},
                    channelGeometry(op.getInput()),
                    {floatConstant(rewriter, loc, rewriter.getF32Type(),
                                   op.getEpsilon().convertToDouble())});
    return success();
  }
};

} // namespace

void populateOneDnnLowering(RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  patterns.add<WindowLibraryCall<ConvOp>>(context, "strata_onednn_conv_f32",
                                          false);
  patterns.add<WindowLibraryCall<ConvTransposeOp>>(
      context, "strata_onednn_deconv_f32", true);
  patterns.add<MatMulLibraryCall, InnerProductLibraryCall, GemmLibraryCall,
               AvgPoolLibraryCall, LRNLibraryCall, BatchNormLibraryCall>(
      context);
}

} // namespace strata::lowering
