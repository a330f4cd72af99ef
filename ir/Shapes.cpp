//===- Shapes.cpp - Shape rules shared by type inference ------------------===//

#include "ir/Shapes.h"

#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace strata {

bool areCompatibleResultTypes(TypeRange declared, TypeRange inferred) {
  if (declared.size() != inferred.size())
    return false;
  for (auto [d, i] : llvm::zip(declared, inferred)) {
    if (d == i)
      continue;
    auto dt = dyn_cast<RankedTensorType>(d);
    auto it = dyn_cast<RankedTensorType>(i);
    if (!dt || !it || dt.getElementType() != it.getElementType() ||
        dt.getRank() != it.getRank())
      return false;
    for (auto [a, b] : llvm::zip(dt.getShape(), it.getShape()))
      if (a != b && !ShapedType::isDynamic(a) && !ShapedType::isDynamic(b))
        return false;
  }
  return true;
}

std::optional<SmallVector<int64_t>> broadcastShapes(ArrayRef<int64_t> a,
                                                    ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  SmallVector<int64_t> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t x = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t y = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (x == 1)
      out[i] = y;
    else if (y == 1)
      out[i] = x;
    else if (ShapedType::isDynamic(x))
      out[i] = y; // y is static (!= 1) or dynamic; either way the result is y
    else if (ShapedType::isDynamic(y) || x == y)
      out[i] = x;
    else
      return std::nullopt;
  }
  return out;
}

LogicalResult emitShapeError(std::optional<Location> loc,
                             const Twine &message) {
  return emitOptionalError(loc, message);
}

std::string formatShape(ArrayRef<int64_t> shape) {
  std::string s;
  llvm::raw_string_ostream os(s);
  llvm::interleave(
      shape, os,
      [&](int64_t d) {
        if (ShapedType::isDynamic(d))
          os << '?';
        else
          os << d;
      },
      "x");
  return s;
}

std::string shapeString(ArrayRef<int64_t> shape) {
  return shape.empty() ? "[]" : formatShape(shape);
}

std::string typeString(Type type) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << type;
  return s;
}

LogicalResult inferBroadcastResult(std::optional<Location> loc,
                                   StringRef opName, Type lhs, Type rhs,
                                   bool resultBool,
                                   SmallVectorImpl<Type> &types) {
  auto l = cast<RankedTensorType>(lhs);
  auto r = cast<RankedTensorType>(rhs);
  if (l.getElementType() != r.getElementType())
    return emitShapeError(loc, "'strata." + opName +
                                   "' operands have different element types");
  auto shape = broadcastShapes(l.getShape(), r.getShape());
  if (!shape)
    return emitShapeError(loc, "'strata." + opName + "' operand shapes " +
                                   formatShape(l.getShape()) + " and " +
                                   formatShape(r.getShape()) +
                                   " do not broadcast");
  Type element =
      resultBool ? IntegerType::get(l.getContext(), 1) : l.getElementType();
  types.push_back(RankedTensorType::get(*shape, element));
  return success();
}

FailureOr<Operation *> createWithInferredTypes(OpBuilder &builder, Location loc,
                                               StringRef name,
                                               ValueRange operands,
                                               ArrayRef<NamedAttribute> attrs,
                                               unsigned numResults) {
  OperationState state(loc, name);
  state.addOperands(operands);
  state.addAttributes(attrs);
  // Placeholder result types until inference has run on the built op (its
  // attributes are only in their final form, properties, once built).
  state.addTypes(SmallVector<Type>(numResults, builder.getNoneType()));
  Operation *op = builder.create(state);
  SmallVector<Type> types;
  auto infer = dyn_cast<InferTypeOpInterface>(op);
  if (!infer ||
      failed(infer.inferReturnTypes(
          op->getContext(), loc, op->getOperands(), op->getRawDictionaryAttrs(),
          op->getPropertiesStorage(), op->getRegions(), types)) ||
      types.size() != numResults) {
    op->erase();
    return failure();
  }
  for (auto [result, type] : llvm::zip(op->getResults(), types))
    result.setType(type);
  return op;
}

std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

int64_t productOfSizes(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (ShapedType::isDynamic(d))
      return ShapedType::kDynamic;
    n *= d;
  }
  return n;
}

} // namespace strata
