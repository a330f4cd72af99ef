//===- RecurrentOps.cpp - Verifiers and type inference of the Recurrent ops
//===//
//
// The three cells share one shape rule, parameterized by their gate count:
// x [N, I], h (and c) [N, H], w [g*H, I], r [g*H, H], b [2*g*H] -> [N, H].
// N, I and H are each taken from every operand that determines them, so a
// static size anywhere refines a `?` elsewhere (they must be equal anyway).
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"

#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace strata;

#define GET_OP_CLASSES
#include "ir/ops/RecurrentOps.cpp.inc"

namespace {

std::string typeString(Type t) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << t;
  return s;
}

/// Folds the sizes that one dimension (N, I or H) gets from several operands
/// into one, remembering which operand gave the static size.
class SizeMerger {
public:
  explicit SizeMerger(StringRef what) : what(what) {}

  /// Adds `size` as given by `source`; emits an error when it contradicts an
  /// earlier static size.
  LogicalResult add(std::optional<Location> loc, StringRef op, int64_t size,
                    StringRef source) {
    if (ShapedType::isDynamic(size))
      return success();
    if (ShapedType::isDynamic(merged)) {
      merged = size;
      mergedSource = source.str();
      return success();
    }
    if (merged == size)
      return success();
    return emitShapeError(loc, "'strata." + op + "' " + what +
                                   " sizes disagree: " + mergedSource +
                                   " implies " + std::to_string(merged) + ", " +
                                   source + " implies " + std::to_string(size));
  }
  int64_t get() const { return merged; }

private:
  std::string what;
  int64_t merged = ShapedType::kDynamic;
  std::string mergedSource;
};

/// The shared rule of the cells; `c` is null except for the LSTM, `b` when
/// the bias is absent. Pushes `numResults` types [N, H].
LogicalResult inferCell(std::optional<Location> loc, StringRef op,
                        int64_t gates, Value x, Value h, Value c, Value w,
                        Value r, Value b, unsigned numResults,
                        SmallVectorImpl<Type> &types) {
  struct Operand {
    const char *name;
    Value value;
    int64_t rank;
    std::string layout;
  };
  std::string g = gates == 1 ? "" : std::to_string(gates);
  SmallVector<Operand> operands = {
      {"x", x, 2, "[N, I]"},
      {"h", h, 2, "[N, H]"},
      {"c", c, 2, "[N, H]"},
      {"w", w, 2, "[" + g + "H, I]"},
      {"r", r, 2, "[" + g + "H, H]"},
      {"b", b, 1, "[" + std::to_string(2 * gates) + "H]"}};
  auto xType = cast<RankedTensorType>(x.getType());
  for (const Operand &o : operands) {
    if (!o.value)
      continue;
    auto t = cast<RankedTensorType>(o.value.getType());
    if (t.getRank() != o.rank)
      return emitShapeError(loc, "'strata." + op + "' " + o.name + " must be " +
                                     std::to_string(o.rank) + "-D " + o.layout +
                                     ", got shape " +
                                     formatShape(t.getShape()));
    if (t.getElementType() != xType.getElementType())
      return emitShapeError(
          loc, "'strata." + op + "' " + o.name + " has element type " +
                   typeString(t.getElementType()) + ", x has " +
                   typeString(xType.getElementType()));
  }
  auto shape = [](Value v) {
    return cast<RankedTensorType>(v.getType()).getShape();
  };

  SizeMerger batch("batch"), input("input"), hidden("hidden");
  if (failed(batch.add(loc, op, shape(x)[0], "x")) ||
      failed(batch.add(loc, op, shape(h)[0], "h")) ||
      (c && failed(batch.add(loc, op, shape(c)[0], "c"))))
    return failure();
  if (failed(input.add(loc, op, shape(x)[1], "x")) ||
      failed(input.add(loc, op, shape(w)[1], "w")))
    return failure();

  // Row counts of w, r and b are multiples of H.
  auto rows = [&](Value v, int64_t multiple, StringRef name,
                  int64_t &size) -> LogicalResult {
    int64_t d = shape(v)[0];
    size = ShapedType::kDynamic;
    if (ShapedType::isDynamic(d))
      return success();
    if (d % multiple != 0)
      return emitShapeError(
          loc, "'strata." + op + "' " + name + " dim 0 (" + std::to_string(d) +
                   ") is not a multiple of " + std::to_string(multiple));
    size = d / multiple;
    return success();
  };
  int64_t fromW, fromR, fromB = ShapedType::kDynamic;
  if (failed(rows(w, gates, "w", fromW)) ||
      failed(rows(r, gates, "r", fromR)) ||
      (b && failed(rows(b, 2 * gates, "b", fromB))))
    return failure();
  if (failed(hidden.add(loc, op, shape(h)[1], "h")) ||
      (c && failed(hidden.add(loc, op, shape(c)[1], "c"))) ||
      failed(hidden.add(loc, op, fromW, "w")) ||
      failed(hidden.add(loc, op, fromR, "r (dim 0)")) ||
      failed(hidden.add(loc, op, shape(r)[1], "r (dim 1)")) ||
      failed(hidden.add(loc, op, fromB, "b")))
    return failure();

  auto result = RankedTensorType::get({batch.get(), hidden.get()},
                                      xType.getElementType());
  for (unsigned i = 0; i < numResults; ++i)
    types.push_back(result);
  return success();
}

LogicalResult verifyClip(Operation *op, std::optional<APFloat> clip) {
  if (clip && !(clip->convertToDouble() > 0))
    return op->emitOpError("clip must be positive, got ")
           << clip->convertToDouble();
  return success();
}

} // namespace

LogicalResult GruCellOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  return inferCell(loc, "gru_cell", 3, adaptor.getX(), adaptor.getH(), nullptr,
                   adaptor.getW(), adaptor.getR(), adaptor.getB(), 1, types);
}

LogicalResult GruCellOp::verify() { return verifyClip(*this, getClip()); }

LogicalResult LstmCellOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  return inferCell(loc, "lstm_cell", 4, adaptor.getX(), adaptor.getH(),
                   adaptor.getC(), adaptor.getW(), adaptor.getR(),
                   adaptor.getB(), 2, types);
}

LogicalResult LstmCellOp::verify() { return verifyClip(*this, getClip()); }

LogicalResult RnnCellOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  return inferCell(loc, "rnn_cell", 1, adaptor.getX(), adaptor.getH(), nullptr,
                   adaptor.getW(), adaptor.getR(), adaptor.getB(), 1, types);
}

LogicalResult RnnCellOp::verify() { return verifyClip(*this, getClip()); }
