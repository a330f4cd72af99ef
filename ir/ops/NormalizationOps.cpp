//===- NormalizationOps.cpp - Normalizations: verifiers, type inference ---===//
//
// Parameter sizes are checked against the input's when both are static; a
// dynamic size is checked by the reference kernel at run time. Attribute
// checks that do not affect types (epsilon, momentum, p) are in verify().
//
//===----------------------------------------------------------------------===//

#include "ir/StrataDialect.h"

#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace strata;

#define GET_OP_CLASSES
#include "ir/ops/NormalizationOps.cpp.inc"

/// Checks that operand `name` has the element type of `input`.
static LogicalResult checkElementType(std::optional<Location> loc, StringRef op,
                                      StringRef name, RankedTensorType input,
                                      Type operand) {
  Type e = cast<RankedTensorType>(operand).getElementType();
  if (e == input.getElementType())
    return success();
  return emitShapeError(loc, "'strata." + op + "' " + name + " element type " +
                                 typeString(e) +
                                 " differs from input element type " +
                                 typeString(input.getElementType()));
}

/// Checks an input of layout [N, C, ...] (rank >= 2).
static LogicalResult checkChannelInput(std::optional<Location> loc,
                                       StringRef op, RankedTensorType input) {
  if (input.getRank() >= 2)
    return success();
  return emitShapeError(loc, "'strata." + op +
                                 "' input must have rank >= 2 ([N, C, ...]), "
                                 "got shape " +
                                 shapeString(input.getShape()));
}

/// Checks the per-channel parameters `params` (named `names`) of an input
/// [N, C, ...]: each is 1-D with a size compatible with C and has the input's
/// element type. Returns C, made static by a parameter when the input's is
/// dynamic.
static FailureOr<int64_t> checkChannelParams(std::optional<Location> loc,
                                             StringRef op,
                                             RankedTensorType input,
                                             ArrayRef<StringRef> names,
                                             ValueRange params) {
  int64_t channels = input.getDimSize(1);
  for (auto [name, value] : llvm::zip(names, params)) {
    auto t = cast<RankedTensorType>(value.getType());
    if (failed(checkElementType(loc, op, name, input, t)))
      return failure();
    if (t.getRank() != 1 || !compatibleSizes(t.getDimSize(0), channels))
      return emitShapeError(loc, "'strata." + op + "' " + name + " shape " +
                                     shapeString(t.getShape()) +
                                     " is not [C] = [" +
                                     shapeString({channels}) + "] for input " +
                                     shapeString(input.getShape()));
    channels = mergeSizes(channels, t.getDimSize(0));
  }
  return channels;
}

/// `input` with its channel dim set to `channels` (static when a parameter
/// pinned it).
static RankedTensorType withChannels(RankedTensorType input, int64_t channels) {
  SmallVector<int64_t> shape(input.getShape());
  shape[1] = channels;
  return RankedTensorType::get(shape, input.getElementType());
}

/// Emits the verifier error of a negative epsilon.
static LogicalResult verifyEpsilon(Operation *op, const APFloat &epsilon) {
  double e = epsilon.convertToDouble();
  if (e >= 0)
    return success();
  return op->emitOpError("epsilon ") << e << " must be >= 0";
}

LogicalResult BatchNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto x = cast<RankedTensorType>(adaptor.getInput().getType());
  if (failed(checkChannelInput(loc, "batch_norm", x)))
    return failure();
  FailureOr<int64_t> channels = checkChannelParams(
      loc, "batch_norm", x, {"scale", "bias", "mean", "variance"},
      {adaptor.getScale(), adaptor.getBias(), adaptor.getMean(),
       adaptor.getVariance()});
  if (failed(channels))
    return failure();
  types.push_back(withChannels(x, *channels));
  return success();
}

LogicalResult BatchNormOp::verify() {
  return verifyEpsilon(*this, getEpsilon());
}

LogicalResult BatchNormTrainOp::inferReturnTypes(MLIRContext *,
                                                 std::optional<Location> loc,
                                                 Adaptor adaptor,
                                                 SmallVectorImpl<Type> &types) {
  auto x = cast<RankedTensorType>(adaptor.getInput().getType());
  if (failed(checkChannelInput(loc, "batch_norm_train", x)))
    return failure();
  FailureOr<int64_t> channels =
      checkChannelParams(loc, "batch_norm_train", x,
                         {"scale", "bias", "running_mean", "running_var"},
                         {adaptor.getScale(), adaptor.getBias(),
                          adaptor.getRunningMean(), adaptor.getRunningVar()});
  if (failed(channels))
    return failure();
  types.push_back(withChannels(x, *channels));
  auto stat = RankedTensorType::get({*channels}, x.getElementType());
  types.append(4, stat);
  return success();
}

LogicalResult BatchNormTrainOp::verify() {
  if (failed(verifyEpsilon(*this, getEpsilon())))
    return failure();
  double m = getMomentum().convertToDouble();
  if (!(m >= 0 && m <= 1))
    return emitOpError("momentum ") << m << " must be in [0, 1]";
  return success();
}

LogicalResult LayerNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto x = cast<RankedTensorType>(adaptor.getInput().getType());
  int64_t axisAttr = static_cast<int64_t>(adaptor.getAxis());
  std::optional<int64_t> axis = normalizeAxis(axisAttr, x.getRank());
  if (!axis)
    return emitShapeError(loc, "'strata.layer_norm' axis " + Twine(axisAttr) +
                                   " is out of range for input of rank " +
                                   Twine(x.getRank()));
  ArrayRef<int64_t> normalized = x.getShape().drop_front(*axis);
  SmallVector<std::pair<StringRef, Value>> params = {
      {"scale", adaptor.getScale()}};
  if (adaptor.getBias())
    params.push_back({"bias", adaptor.getBias()});
  for (auto [name, value] : params) {
    auto t = cast<RankedTensorType>(value.getType());
    if (failed(checkElementType(loc, "layer_norm", name, x, t)))
      return failure();
    // Unidirectional broadcast to the normalized shape, right-aligned.
    ArrayRef<int64_t> s = t.getShape();
    bool ok = s.size() <= normalized.size();
    for (size_t i = 0; ok && i < s.size(); ++i)
      ok = s[i] == 1 ||
           compatibleSizes(s[i], normalized[normalized.size() - s.size() + i]);
    if (!ok)
      return emitShapeError(
          loc, "'strata.layer_norm' " + name + " shape " + shapeString(s) +
                   " does not broadcast to the normalized shape " +
                   shapeString(normalized) + " (input " +
                   shapeString(x.getShape()) + ", axis " + Twine(axisAttr) +
                   ")");
  }
  types.push_back(x);
  return success();
}

LogicalResult LayerNormOp::verify() {
  return verifyEpsilon(*this, getEpsilon());
}

LogicalResult InstanceNormOp::inferReturnTypes(MLIRContext *,
                                               std::optional<Location> loc,
                                               Adaptor adaptor,
                                               SmallVectorImpl<Type> &types) {
  auto x = cast<RankedTensorType>(adaptor.getInput().getType());
  if (failed(checkChannelInput(loc, "instance_norm", x)))
    return failure();
  FailureOr<int64_t> channels =
      checkChannelParams(loc, "instance_norm", x, {"scale", "bias"},
                         {adaptor.getScale(), adaptor.getBias()});
  if (failed(channels))
    return failure();
  types.push_back(withChannels(x, *channels));
  return success();
}

LogicalResult InstanceNormOp::verify() {
  return verifyEpsilon(*this, getEpsilon());
}

LogicalResult GroupNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  auto x = cast<RankedTensorType>(adaptor.getInput().getType());
  if (failed(checkChannelInput(loc, "group_norm", x)))
    return failure();
  FailureOr<int64_t> channels =
      checkChannelParams(loc, "group_norm", x, {"scale", "bias"},
                         {adaptor.getScale(), adaptor.getBias()});
  if (failed(channels))
    return failure();
  // Checked here, not in verify(): the divisibility check below needs it.
  int64_t groups = static_cast<int64_t>(adaptor.getNumGroups());
  if (groups < 1)
    return emitShapeError(loc, "'strata.group_norm' num_groups " +
                                   Twine(groups) + " must be >= 1");
  if (!ShapedType::isDynamic(*channels) && *channels % groups != 0)
    return emitShapeError(loc, "'strata.group_norm' " + Twine(*channels) +
                                   " channels do not split into " +
                                   Twine(groups) + " groups");
  types.push_back(withChannels(x, *channels));
  return success();
}

LogicalResult GroupNormOp::verify() {
  return verifyEpsilon(*this, getEpsilon());
}

LogicalResult
LpNormalizationOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                    Adaptor adaptor,
                                    SmallVectorImpl<Type> &types) {
  auto x = cast<RankedTensorType>(adaptor.getInput().getType());
  int64_t axis = static_cast<int64_t>(adaptor.getAxis());
  if (!normalizeAxis(axis, x.getRank()))
    return emitShapeError(loc, "'strata.lp_normalization' axis " + Twine(axis) +
                                   " is out of range for input of rank " +
                                   Twine(x.getRank()));
  types.push_back(x);
  return success();
}

LogicalResult LpNormalizationOp::verify() {
  int64_t p = static_cast<int64_t>(getP());
  if (p != 1 && p != 2)
    return emitOpError("p ") << p << " must be 1 or 2";
  return success();
}
