//===- GradientBuilder.cpp - Building gradients as strata ops -------------===//

#include "ir/gradients/GradientBuilder.h"
#include "ir/gradients/Gradients.h"

#include "ir/Shapes.h"

using namespace mlir;

namespace strata {

void attachGradientModels(MLIRContext *ctx) {
  gradients::attachStructureGradients(ctx);
  gradients::attachElementwiseGradients(ctx);
  gradients::attachActivationGradients(ctx);
  gradients::attachLinearAlgebraGradients(ctx);
  gradients::attachReductionGradients(ctx);
  gradients::attachShapeGradients(ctx);
  gradients::attachLossGradients(ctx);
  gradients::attachConvolutionGradients(ctx);
  gradients::attachNormalizationGradients(ctx);
  gradients::attachIndexingGradients(ctx);
  gradients::attachRecurrentGradients(ctx);
  gradients::attachRandomGradients(ctx);
}

std::vector<std::string> differentiableOpNames(MLIRContext *ctx) {
  std::vector<std::string> names;
  for (RegisteredOperationName name : ctx->getRegisteredOperations())
    if (name.getDialectNamespace() == "strata" &&
        name.hasInterface<GradientOpInterface>())
      names.push_back(name.getStringRef().str());
  return names;
}

namespace gradients {

Value GradientBuilder::fail(const Twine &message) {
  if (!failed_)
    op_->emitError(message);
  failed_ = true;
  return {};
}

Operation *GradientBuilder::create(StringRef name, ValueRange operands,
                                   ArrayRef<NamedAttribute> attrs,
                                   unsigned numResults) {
  if (failed_)
    return nullptr;
  for (Value v : operands)
    if (!v) {
      failed_ = true;
      return nullptr;
    }
  std::string full = ("strata." + name).str();
  auto created =
      createWithInferredTypes(b_, loc_, full, operands, attrs, numResults);
  if (failed(created)) {
    fail("cannot build " + full);
    return nullptr;
  }
  return *created;
}

Value GradientBuilder::op(StringRef name, ValueRange operands,
                          ArrayRef<NamedAttribute> attrs) {
  Operation *o = create(name, operands, attrs);
  return o ? o->getResult(0) : Value();
}

Value GradientBuilder::scalar(Value like, double v) {
  if (!like)
    return {};
  return scalar(cast<ShapedType>(like.getType()).getElementType(), v);
}

Value GradientBuilder::scalar(Type element, double v) {
  auto type = RankedTensorType::get({}, element);
  Attribute value;
  if (auto ft = dyn_cast<FloatType>(element))
    value = DenseElementsAttr::get(type, b_.getFloatAttr(ft, v));
  else
    value = DenseElementsAttr::get(
        type, b_.getIntegerAttr(element, static_cast<int64_t>(v)));
  return op("constant", {}, {attr("value", value)});
}

Value GradientBuilder::zerosLike(Value like) {
  if (!like)
    return {};
  auto type = cast<RankedTensorType>(like.getType());
  if (type.hasStaticShape()) {
    auto element = type.getElementType();
    Attribute zero = isa<FloatType>(element)
                         ? Attribute(b_.getFloatAttr(element, 0.0))
                         : Attribute(b_.getIntegerAttr(element, 0));
    return op("constant", {},
              {attr("value", DenseElementsAttr::get(type, zero))});
  }
  return mul(like, scalar(like, 0.0));
}

Value GradientBuilder::select01(Value cond, Value like) {
  return castLike(cond, like);
}

Value GradientBuilder::castLike(Value v, Value like) {
  if (!like)
    return {};
  return castTo(v, cast<ShapedType>(like.getType()).getElementType());
}

Value GradientBuilder::castTo(Value v, Type element) {
  if (!v)
    return {};
  auto from = cast<RankedTensorType>(v.getType());
  if (from.getElementType() == element)
    return v;
  OperationState state(loc_, "strata.cast");
  state.addOperands(v);
  state.addTypes(from.clone(element));
  return b_.create(state)->getResult(0);
}

Value GradientBuilder::sumToShape(Value grad, Value operand) {
  if (!grad || !operand)
    return {};
  auto g = cast<RankedTensorType>(grad.getType());
  auto t = cast<RankedTensorType>(operand.getType());
  int64_t lead = g.getRank() - t.getRank();
  if (lead < 0)
    return fail("gradient of rank " + Twine(g.getRank()) +
                " for an operand of rank " + Twine(t.getRank()));
  SmallVector<int64_t> axes;
  for (int64_t i = 0; i < lead; ++i)
    axes.push_back(i);
  for (int64_t i = 0; i < t.getRank(); ++i)
    if (t.getDimSize(i) == 1 && g.getDimSize(lead + i) != 1)
      axes.push_back(lead + i);
  Value v = grad;
  if (!axes.empty())
    v = op("reduce_sum", v, {array("axes", axes), flag("keepdims", true)});
  if (!v)
    return {};
  if (cast<RankedTensorType>(v.getType()).getRank() != t.getRank() ||
      !cast<RankedTensorType>(v.getType()).hasStaticShape()) {
    if (!t.hasStaticShape() && lead == 0)
      return v; // same rank, sizes agree where not reduced
    if (!t.hasStaticShape())
      return fail("cannot sum a gradient to a dynamic shape");
    v = op("reshape", v, {array("shape", t.getShape())});
  }
  return v;
}

} // namespace gradients
} // namespace strata
