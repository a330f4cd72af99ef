//===- LinearAlgebraOps.cpp - Matrix products: type inference -------------===//
//
// Sizes that must agree (contraction dims, bias sizes) are checked only when
// both are static; a dynamic size is checked by the reference kernel at run
// time.
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"

#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace strata;

#define GET_OP_CLASSES
#include "ir/ops/LinearAlgebraOps.cpp.inc"

/// Checks that every type in `types` has the element type of the first.
static LogicalResult checkSameElementType(std::optional<Location> loc,
                                          StringRef op, TypeRange types) {
  Type first = cast<RankedTensorType>(types.front()).getElementType();
  for (Type t : types.drop_front()) {
    Type e = cast<RankedTensorType>(t).getElementType();
    if (e != first)
      return emitShapeError(loc, "'strata." + op +
                                     "' operands have different element "
                                     "types " +
                                     typeString(first) + " and " +
                                     typeString(e));
  }
  return success();
}

LogicalResult MatMulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  auto lhs = cast<RankedTensorType>(adaptor.getLhs().getType());
  auto rhs = cast<RankedTensorType>(adaptor.getRhs().getType());
  if (failed(checkSameElementType(loc, "matmul", {lhs, rhs})))
    return failure();
  if (lhs.getRank() == 0 || rhs.getRank() == 0)
    return emitShapeError(loc, "'strata.matmul' operands must have rank >= 1, "
                               "got ranks " +
                                   Twine(lhs.getRank()) + " and " +
                                   Twine(rhs.getRank()));
  // Promote 1-D operands to matrices; the added dims are dropped below.
  SmallVector<int64_t> a(lhs.getShape()), b(rhs.getShape());
  if (a.size() == 1)
    a.insert(a.begin(), 1);
  if (b.size() == 1)
    b.push_back(1);
  int64_t ka = a.back(), kb = b[b.size() - 2];
  if (!compatibleSizes(ka, kb))
    return emitShapeError(loc, "'strata.matmul' contraction dims differ: lhs " +
                                   shapeString(lhs.getShape()) +
                                   " has K = " + Twine(ka) + ", rhs " +
                                   shapeString(rhs.getShape()) +
                                   " has K = " + Twine(kb));
  ArrayRef<int64_t> batchA = ArrayRef<int64_t>(a).drop_back(2);
  ArrayRef<int64_t> batchB = ArrayRef<int64_t>(b).drop_back(2);
  auto batch = broadcastShapes(batchA, batchB);
  if (!batch)
    return emitShapeError(
        loc, "'strata.matmul' batch dims " + shapeString(batchA) + " and " +
                 shapeString(batchB) + " of lhs " +
                 shapeString(lhs.getShape()) + " and rhs " +
                 shapeString(rhs.getShape()) + " do not broadcast");
  SmallVector<int64_t> shape = *batch;
  if (lhs.getRank() >= 2)
    shape.push_back(a[a.size() - 2]);
  if (rhs.getRank() >= 2)
    shape.push_back(b.back());
  types.push_back(RankedTensorType::get(shape, lhs.getElementType()));
  return success();
}

LogicalResult GemmOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &types) {
  auto a = cast<RankedTensorType>(adaptor.getA().getType());
  auto b = cast<RankedTensorType>(adaptor.getB().getType());
  RankedTensorType c;
  if (adaptor.getC())
    c = cast<RankedTensorType>(adaptor.getC().getType());
  SmallVector<Type> all = {a, b};
  if (c)
    all.push_back(c);
  if (failed(checkSameElementType(loc, "gemm", all)))
    return failure();
  for (auto [name, t] : {std::pair<StringRef, RankedTensorType>{"a", a},
                         std::pair<StringRef, RankedTensorType>{"b", b}})
    if (t.getRank() != 2)
      return emitShapeError(loc, "'strata.gemm' " + name +
                                     " must have rank 2, got shape " +
                                     shapeString(t.getShape()));
  bool transA = adaptor.getTransA(), transB = adaptor.getTransB();
  int64_t m = a.getDimSize(transA ? 1 : 0), ka = a.getDimSize(transA ? 0 : 1);
  int64_t kb = b.getDimSize(transB ? 1 : 0), n = b.getDimSize(transB ? 0 : 1);
  if (!compatibleSizes(ka, kb))
    return emitShapeError(
        loc, "'strata.gemm' inner dims differ: op(a) is " +
                 shapeString({m, ka}) + ", op(b) is " + shapeString({kb, n}) +
                 " (trans_a = " + (transA ? "true" : "false") +
                 ", trans_b = " + (transB ? "true" : "false") + ")");
  SmallVector<int64_t> shape = {m, n};
  if (c) {
    // Unidirectional broadcast of c to [M, N]: right-aligned, each size of c
    // is 1 or M (resp. N). A static size other than 1 pins a dynamic M or N.
    ArrayRef<int64_t> cs = c.getShape();
    bool ok = cs.size() <= 2;
    for (size_t i = 0; ok && i < cs.size(); ++i) {
      int64_t &target = shape[2 - cs.size() + i];
      if (cs[i] == 1)
        continue;
      if (!compatibleSizes(cs[i], target))
        ok = false;
      else
        target = mergeSizes(target, cs[i]);
    }
    if (!ok)
      return emitShapeError(
          loc, "'strata.gemm' c shape " + shapeString(cs) +
                   " does not broadcast to [M, N] = " + shapeString({m, n}));
  }
  types.push_back(RankedTensorType::get(shape, a.getElementType()));
  return success();
}

LogicalResult InnerProductOp::inferReturnTypes(MLIRContext *,
                                               std::optional<Location> loc,
                                               Adaptor adaptor,
                                               SmallVectorImpl<Type> &types) {
  auto x = cast<RankedTensorType>(adaptor.getInput().getType());
  auto w = cast<RankedTensorType>(adaptor.getWeight().getType());
  RankedTensorType bias;
  if (adaptor.getBias())
    bias = cast<RankedTensorType>(adaptor.getBias().getType());
  SmallVector<Type> all = {x, w};
  if (bias)
    all.push_back(bias);
  if (failed(checkSameElementType(loc, "inner_product", all)))
    return failure();
  if (x.getRank() != 2)
    return emitShapeError(loc, "'strata.inner_product' input must have rank 2 "
                               "([N, K]), got shape " +
                                   shapeString(x.getShape()));
  if (w.getRank() != 2)
    return emitShapeError(loc, "'strata.inner_product' weight must have rank "
                               "2, got shape " +
                                   shapeString(w.getShape()));
  bool transpose = adaptor.getTranspose();
  int64_t k = x.getDimSize(1);
  int64_t wk = w.getDimSize(transpose ? 0 : 1);
  int64_t m = w.getDimSize(transpose ? 1 : 0);
  if (!compatibleSizes(k, wk))
    return emitShapeError(
        loc, "'strata.inner_product' weight " + shapeString(w.getShape()) +
                 " does not match input " + shapeString(x.getShape()) +
                 ": expected " +
                 (transpose ? "[K, M] = [" + shapeString({k}) + ", M]"
                            : "[M, K] = [M, " + shapeString({k}) + "]") +
                 " (transpose = " + (transpose ? "true" : "false") + ")");
  if (bias) {
    if (bias.getRank() != 1 || !compatibleSizes(bias.getDimSize(0), m))
      return emitShapeError(loc, "'strata.inner_product' bias shape " +
                                     shapeString(bias.getShape()) +
                                     " is not [M] = [" + shapeString({m}) +
                                     "]");
    m = mergeSizes(m, bias.getDimSize(0));
  }
  types.push_back(
      RankedTensorType::get({x.getDimSize(0), m}, x.getElementType()));
  return success();
}
