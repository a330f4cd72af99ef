//===- StructureOps.cpp - Parameters, data inputs, constants, casts -------===//

#include "ir/StrataDialect.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace strata;

#define GET_OP_CLASSES
#include "ir/ops/StructureOps.cpp.inc"

LogicalResult ParameterOp::verify() {
  auto type = cast<RankedTensorType>(getType());
  if (!type.hasStaticShape())
    return emitOpError("parameter @")
           << getSymName() << " must have a static shape, got " << type;
  if (getLrScale().convertToDouble() < 0 || getWdScale().convertToDouble() < 0)
    return emitOpError("lr_scale and wd_scale must be >= 0");
  if (auto from = getShareFromAttr()) {
    if (from.getValue() == getSymName())
      return emitOpError("parameter @")
             << getSymName() << " shares from itself";
    auto module = (*this)->getParentOfType<ModuleOp>();
    auto source = SymbolTable::lookupSymbolIn(module, from.getAttr());
    auto sourceParam = dyn_cast_or_null<ParameterOp>(source);
    if (!sourceParam)
      return emitOpError("share_from names ")
             << from << ", which is not a strata.parameter";
    if (sourceParam.getType() != getType())
      return emitOpError("share_from ")
             << from << " has type " << sourceParam.getType()
             << ", but this parameter has type " << getType();
  }
  return success();
}

ParameterOp ParameterOp::getStorageOwner() {
  auto module = (*this)->getParentOfType<ModuleOp>();
  ParameterOp p = *this;
  for (int hops = 0; p && p.getShareFrom(); ++hops) {
    if (hops == 64 || !module)
      return nullptr;
    p = dyn_cast_or_null<ParameterOp>(
        SymbolTable::lookupSymbolIn(module, p.getShareFromAttr().getAttr()));
  }
  return p;
}

ParameterOp ParamValueOp::getStorageOwner() {
  auto module = (*this)->getParentOfType<ModuleOp>();
  auto param = dyn_cast_or_null<ParameterOp>(
      module ? SymbolTable::lookupSymbolIn(module, getParamAttr().getAttr())
             : nullptr);
  return param ? param.getStorageOwner() : nullptr;
}

LogicalResult
ParamValueOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  auto param =
      symbolTable.lookupNearestSymbolFrom<ParameterOp>(*this, getParamAttr());
  if (!param)
    return emitOpError("'")
           << getParam() << "' does not name a strata.parameter";
  if (!areCompatibleResultTypes(getType(), param.getType()))
    return emitOpError("result type ")
           << getType() << " does not match parameter type " << param.getType();
  return success();
}

LogicalResult DataInputOp::verify() {
  if (getName().empty())
    return emitOpError("data input name must not be empty");
  if (getOutputs().empty())
    return emitOpError("data input '") << getName() << "' has no results";
  return success();
}

LogicalResult ConstantOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  auto type = dyn_cast<RankedTensorType>(adaptor.getValue().getType());
  if (!type)
    return emitShapeError(loc, "'strata.constant' value must be a ranked "
                               "tensor");
  types.push_back(type);
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

LogicalResult CastOp::verify() {
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getOutput().getType());
  if (!areCompatibleResultTypes(
          out, RankedTensorType::get(in.getShape(), out.getElementType())))
    return emitOpError("result shape ")
           << formatShape(out.getShape()) << " differs from operand shape "
           << formatShape(in.getShape());
  StringRef mode = getRoundMode();
  if (mode != "up" && mode != "down" && mode != "nearest")
    return emitOpError("round_mode must be up, down or nearest, not '")
           << mode << "'";
  return success();
}

OpFoldResult CastOp::fold(FoldAdaptor) {
  // A saturating cast to the same float type still clamps infinities.
  if (getInput().getType() == getOutput().getType() && !getSaturate())
    return getInput();
  return {};
}

/// Bits per element for strata.bitcast: i1 is stored as a byte.
static unsigned bitcastWidth(Type t) {
  unsigned w = t.getIntOrFloatBitWidth();
  return w == 1 ? 8 : w;
}

LogicalResult BitcastOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  auto in = cast<RankedTensorType>(adaptor.getInput().getType());
  Type to = adaptor.getTo();
  if (!isa<IntegerType, FloatType>(to))
    return emitShapeError(loc, "'strata.bitcast' to must be an integer or "
                               "float type, got " +
                                   typeString(to));
  unsigned from = bitcastWidth(in.getElementType()), width = bitcastWidth(to);
  if (from != width)
    return emitShapeError(loc, "'strata.bitcast' cannot reinterpret " +
                                   typeString(in.getElementType()) + " (" +
                                   Twine(from) + " bits) as " + typeString(to) +
                                   " (" + Twine(width) + " bits)");
  types.push_back(in.clone(to));
  return success();
}
