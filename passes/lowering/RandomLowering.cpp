//===- RandomLowering.cpp - Philox draws as linalg.generic ----------------===//
//
// bernoulli_sample, gaussian_sample, random_uniform, random_normal and
// dropout become one linalg.generic each whose body computes Philox4x32-10
// at (key, counter + i) with arith ops, i the element's row-major index from
// linalg.index, exactly as runtime/support/Philox.h does: the draw is bit for
// bit the reference evaluator's. The uniform (w + 0.5) / 2^32 and everything
// after it is computed in f64 and rounded once to the element type, as the
// reference does, so masks and Bernoulli samples agree exactly; normals
// differ only by libm's rounding of log / cos / sqrt. The new state is
// tensor.from_elements(key, counter + n).
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"
#include "passes/lowering/Lowering.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <array>
#include <cmath>

using namespace mlir;

namespace strata::lowering {
namespace {

Value i32Constant(OpBuilder &b, Location loc, uint32_t v) {
  return arith::ConstantOp::create(
      b, loc, b.getI32Type(), b.getI32IntegerAttr(static_cast<int32_t>(v)));
}

Value i64Constant(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantOp::create(b, loc, b.getI64Type(),
                                   b.getI64IntegerAttr(v));
}

/// The low and high 32-bit words of an i64.
std::array<Value, 2> words(OpBuilder &b, Location loc, Value v) {
  Type i32 = b.getI32Type();
  Value hi = arith::ShRUIOp::create(b, loc, v, i64Constant(b, loc, 32));
  return {arith::TruncIOp::create(b, loc, i32, v),
          arith::TruncIOp::create(b, loc, i32, hi)};
}

/// philox4x32(key, counter) of Philox.h: ten rounds on the counter words
/// (counter lo, counter hi, 0, 0) under the key words (key lo, key hi).
std::array<Value, 4> philoxBlock(OpBuilder &b, Location loc, Value key,
                                 Value counter) {
  auto [k0, k1] = words(b, loc, key);
  auto [c0, c1] = words(b, loc, counter);
  Value zero = i32Constant(b, loc, 0);
  std::array<Value, 4> c = {c0, c1, zero, zero};
  Value m0 = i32Constant(b, loc, 0xD2511F53u);
  Value m1 = i32Constant(b, loc, 0xCD9E8D57u);
  Value w0 = i32Constant(b, loc, 0x9E3779B9u);
  Value w1 = i32Constant(b, loc, 0xBB67AE85u);
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      k0 = arith::AddIOp::create(b, loc, k0, w0);
      k1 = arith::AddIOp::create(b, loc, k1, w1);
    }
    auto p0 = arith::MulUIExtendedOp::create(b, loc, m0, c[0]);
    auto p1 = arith::MulUIExtendedOp::create(b, loc, m1, c[2]);
    Value x0 = arith::XOrIOp::create(
        b, loc, arith::XOrIOp::create(b, loc, p1.getHigh(), c[1]), k0);
    Value x2 = arith::XOrIOp::create(
        b, loc, arith::XOrIOp::create(b, loc, p0.getHigh(), c[3]), k1);
    c = {x0, p1.getLow(), x2, p0.getLow()};
  }
  return c;
}

/// uniformFromWord of Philox.h: (w + 0.5) / 2^32 in f64, exact.
Value uniformFromWord(OpBuilder &b, Location loc, Value w) {
  Type f64 = b.getF64Type();
  Value d = arith::UIToFPOp::create(b, loc, f64, w);
  d = arith::AddFOp::create(b, loc, d, floatConstant(b, loc, f64, 0.5));
  return arith::MulFOp::create(b, loc, d,
                               floatConstant(b, loc, f64, 1.0 / 4294967296.0));
}

/// The scalars a draw's body reads: the state, read before the generic.
struct Draw {
  Value key, counter; // i64

  /// The Philox block of the current element (row-major index i from
  /// linalg.index over `shape`): philox4x32(key, counter + i).
  std::array<Value, 4> block(OpBuilder &b, Location loc,
                             ArrayRef<int64_t> shape) const {
    Value i = i64Constant(b, loc, 0);
    for (int64_t d = 0, e = shape.size(); d < e; ++d) {
      Value id = arith::IndexCastOp::create(b, loc, b.getI64Type(),
                                            linalg::IndexOp::create(b, loc, d));
      i = d == 0 ? id
                 : Value(arith::AddIOp::create(
                       b, loc,
                       arith::MulIOp::create(b, loc, i,
                                             i64Constant(b, loc, shape[d])),
                       id));
    }
    return philoxBlock(b, loc, key, arith::AddIOp::create(b, loc, counter, i));
  }
  /// philoxUniform, in f64.
  Value uniform(OpBuilder &b, Location loc, ArrayRef<int64_t> shape) const {
    return uniformFromWord(b, loc, block(b, loc, shape)[0]);
  }
  /// philoxNormal: Box-Muller on the first two words, in f64.
  Value normal(OpBuilder &b, Location loc, ArrayRef<int64_t> shape) const {
    std::array<Value, 4> w = block(b, loc, shape);
    Type f64 = b.getF64Type();
    Value u1 = uniformFromWord(b, loc, w[0]),
          u2 = uniformFromWord(b, loc, w[1]);
    Value radius = math::SqrtOp::create(
        b, loc,
        arith::MulFOp::create(b, loc, floatConstant(b, loc, f64, -2.0),
                              math::LogOp::create(b, loc, u1)));
    Value angle = arith::MulFOp::create(
        b, loc, floatConstant(b, loc, f64, 2.0 * M_PI), u2);
    return arith::MulFOp::create(b, loc, radius,
                                 math::CosOp::create(b, loc, angle));
  }
};

/// Static shapes, a plain float element type (f64 arithmetic narrows to it).
LogicalResult checkDraw(Operation *op, PatternRewriter &rewriter) {
  for (Type t :
       llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes())) {
    auto rt = dyn_cast<RankedTensorType>(t);
    if (!rt || !rt.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shape");
  }
  Type e = cast<RankedTensorType>(op->getOperand(0).getType()).getElementType();
  if (!(e.isF16() || e.isBF16() || e.isF32() || e.isF64()))
    return rewriter.notifyMatchFailure(op, "element type not lowered");
  return success();
}

Value toElement(OpBuilder &b, Location loc, Value v, Type element) {
  if (element.isF64())
    return v;
  return arith::TruncFOp::create(b, loc, element, v);
}

/// Element `f` of a draw over `x`'s shape, reading x's element (as f64)
/// when `readsInput`; results of `resultTypes` (each of x's shape), then the
/// advanced state. `f` returns one value per result.
using DrawBody = llvm::function_ref<SmallVector<Value>(
    OpBuilder &, Location, const Draw &, Value /*x as f64 or null*/,
    ArrayRef<int64_t> shape)>;

SmallVector<Value> buildDraw(PatternRewriter &rewriter, Location loc, Value x,
                             Value rng, TypeRange resultTypes, bool readsInput,
                             DrawBody f) {
  auto xType = cast<RankedTensorType>(x.getType());
  int64_t rank = xType.getRank();
  ArrayRef<int64_t> shape = xType.getShape();
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(rewriter, loc, v);
  };
  Draw draw{tensor::ExtractOp::create(rewriter, loc, rng, index(0)),
            tensor::ExtractOp::create(rewriter, loc, rng, index(1))};
  SmallVector<Value> inits;
  for (Type t : resultTypes) {
    auto rt = cast<RankedTensorType>(t);
    inits.push_back(tensor::EmptyOp::create(rewriter, loc, rt.getShape(),
                                            rt.getElementType()));
  }
  AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
  SmallVector<Value> inputs;
  if (readsInput)
    inputs.push_back(x);
  SmallVector<AffineMap> maps(inputs.size() + inits.size(), identity);
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      rewriter, loc, resultTypes, inputs, inits, maps, iterators,
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value in;
        if (readsInput)
          in =
              isa<Float64Type>(args[0].getType())
                  ? args[0]
                  : Value(arith::ExtFOp::create(b, l, b.getF64Type(), args[0]));
        SmallVector<Value> out = f(b, l, draw, in, shape);
        linalg::YieldOp::create(b, l, out);
      });
  SmallVector<Value> results(generic->getResults());
  Value next =
      arith::AddIOp::create(rewriter, loc, draw.counter,
                            i64Constant(rewriter, loc, xType.getNumElements()));
  results.push_back(tensor::FromElementsOp::create(rewriter, loc, rng.getType(),
                                                   ValueRange{draw.key, next}));
  return results;
}

Value f64Constant(OpBuilder &b, Location loc, double v) {
  return floatConstant(b, loc, b.getF64Type(), v);
}

class BernoulliSampleLowering : public OpRewritePattern<BernoulliSampleOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BernoulliSampleOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(checkDraw(op, rewriter)))
      return failure();
    Type element = op.getSample().getType().getElementType();
    rewriter.replaceOp(
        op, buildDraw(rewriter, op.getLoc(), op.getP(), op.getRng(),
                      op.getSample().getType(), /*readsInput=*/true,
                      [&](OpBuilder &b, Location l, const Draw &d, Value p,
                          ArrayRef<int64_t> shape) {
                        Value u = d.uniform(b, l, shape);
                        Value hit = arith::CmpFOp::create(
                            b, l, arith::CmpFPredicate::OLT, u, p);
                        Value s = arith::SelectOp::create(
                            b, l, hit, floatConstant(b, l, element, 1.0),
                            floatConstant(b, l, element, 0.0));
                        return SmallVector<Value>{s};
                      }));
    return success();
  }
};

class GaussianSampleLowering : public OpRewritePattern<GaussianSampleOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GaussianSampleOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(checkDraw(op, rewriter)))
      return failure();
    Type element = op.getOutput().getType().getElementType();
    double std = op.getStd().convertToDouble();
    rewriter.replaceOp(
        op, buildDraw(rewriter, op.getLoc(), op.getMean(), op.getRng(),
                      op.getOutput().getType(), /*readsInput=*/true,
                      [&](OpBuilder &b, Location l, const Draw &d, Value mean,
                          ArrayRef<int64_t> shape) {
                        Value z =
                            arith::MulFOp::create(b, l, f64Constant(b, l, std),
                                                  d.normal(b, l, shape));
                        Value v = arith::AddFOp::create(b, l, mean, z);
                        return SmallVector<Value>{toElement(b, l, v, element)};
                      }));
    return success();
  }
};

class RandomUniformLowering : public OpRewritePattern<RandomUniformOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RandomUniformOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(checkDraw(op, rewriter)))
      return failure();
    Type element = op.getOutput().getType().getElementType();
    double low = op.getLow().convertToDouble();
    double high = op.getHigh().convertToDouble();
    rewriter.replaceOp(
        op, buildDraw(rewriter, op.getLoc(), op.getLike(), op.getRng(),
                      op.getOutput().getType(), /*readsInput=*/false,
                      [&](OpBuilder &b, Location l, const Draw &d, Value,
                          ArrayRef<int64_t> shape) {
                        Value v = arith::MulFOp::create(
                            b, l, f64Constant(b, l, high - low),
                            d.uniform(b, l, shape));
                        v = arith::AddFOp::create(b, l, f64Constant(b, l, low),
                                                  v);
                        return SmallVector<Value>{toElement(b, l, v, element)};
                      }));
    return success();
  }
};

class RandomNormalLowering : public OpRewritePattern<RandomNormalOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RandomNormalOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(checkDraw(op, rewriter)))
      return failure();
    Type element = op.getOutput().getType().getElementType();
    double mean = op.getMean().convertToDouble();
    double std = op.getStd().convertToDouble();
    rewriter.replaceOp(
        op,
        buildDraw(rewriter, op.getLoc(), op.getLike(), op.getRng(),
                  op.getOutput().getType(), /*readsInput=*/false,
                  [&](OpBuilder &b, Location l, const Draw &d, Value,
                      ArrayRef<int64_t> shape) {
                    Value v = arith::MulFOp::create(
                        b, l, f64Constant(b, l, std), d.normal(b, l, shape));
                    v = arith::AddFOp::create(b, l, f64Constant(b, l, mean), v);
                    return SmallVector<Value>{toElement(b, l, v, element)};
                  }));
    return success();
  }
};

/// mask = u >= ratio; output = x * mask / (1 - ratio), a product in f64 as
/// in the reference (a dropped NaN stays NaN).
class DropoutLowering : public OpRewritePattern<DropoutOp> {
public:
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DropoutOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(checkDraw(op, rewriter)))
      return failure();
    Type element = op.getOutput().getType().getElementType();
    double ratio = op.getRatio().convertToDouble();
    rewriter.replaceOp(
        op,
        buildDraw(
            rewriter, op.getLoc(), op.getX(), op.getRng(),
            TypeRange{op.getOutput().getType(), op.getMask().getType()},
            /*readsInput=*/true,
            [&](OpBuilder &b, Location l, const Draw &d, Value x,
                ArrayRef<int64_t> shape) {
              Value u = d.uniform(b, l, shape);
              Value keep = arith::CmpFOp::create(
                  b, l, arith::CmpFPredicate::OGE, u, f64Constant(b, l, ratio));
              Value m = arith::SelectOp::create(
                  b, l, keep, f64Constant(b, l, 1.0), f64Constant(b, l, 0.0));
              Value y =
                  arith::DivFOp::create(b, l, arith::MulFOp::create(b, l, x, m),
                                        f64Constant(b, l, 1.0 - ratio));
              return SmallVector<Value>{toElement(b, l, y, element), keep};
            }));
    return success();
  }
};

} // namespace

void populateRandomLowering(RewritePatternSet &patterns) {
  patterns.add<BernoulliSampleLowering, GaussianSampleLowering,
               RandomUniformLowering, RandomNormalLowering, DropoutLowering>(
      patterns.getContext());
}

} // namespace strata::lowering
