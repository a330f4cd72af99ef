//===- StructureLowering.cpp - ONNX Identity, Cast, BitCast ---------------===//
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"

#include <cmath>
#include <limits>

namespace strata::onnx_import {

LogicalResult Importer::lowerStructure(const ::onnx::NodeProto &node,
                                       SmallVector<Value> &outs) {
  StringRef op = node.op_type();
  auto x = required(0);
  if (failed(x))
    return failure();
  if (op == "Identity") {
    outs.push_back(*x);
  } else if (op == "Dropout") {
    // Inference: the identity. A mask output or training mode needs the
    // random state, which this slice does not thread yet.
    if (hasInput(2)) {
      const Tensor *t = constInput(2);
      if (!t)
        return notConstant(2, "training_mode");
      // Training with ratio 0 drops nothing; other ratios need the random
      // state, which this slice does not thread.
      const Tensor *ratio = constInput(1);
      if (t->getInt(0) != 0 && hasInput(1) && !ratio)
        return notConstant(1, "ratio");
      if (t->getInt(0) != 0 && (!ratio || ratio->get(0) != 0.0))
        return unsupported("training_mode with a nonzero ratio");
    }
    outs.push_back(*x);
    if (wantsOutput(1)) { // Nothing is dropped: the mask is all true.
      auto type = typeOf(*x);
      if (!type.hasStaticShape())
        return unsupported("the mask output of a dynamic shape");
      Tensor mask(DType::i1, std::vector<int64_t>(type.getShape()));
      for (int64_t i = 0; i < mask.numElements(); ++i)
        mask.setInt(i, 1);
      auto m = constant(mask);
      if (failed(m))
        return failure();
      outs.push_back(*m);
    }
  } else if (op == "Cast" || op == "CastLike") {
    Type to;
    if (op == "Cast") {
      auto elem = elementTypeOf(static_cast<int32_t>(attrI("to", 0)), ctx_);
      if (!elem)
        return unsupported("cast to " +
                           onnxTypeName(static_cast<int32_t>(attrI("to", 0))));
      to = *elem;
    } else {
      auto like = required(1);
      if (failed(like))
        return failure();
      to = typeOf(*like).getElementType();
    }
    // `saturate` (opset 19+, default 1) applies to float8 targets only;
    // `round_mode` (opset 24+, default up) to FLOAT8E8M0.
    bool saturate = isa<Float8E4M3FNType, Float8E4M3FNUZType, Float8E5M2Type,
                        Float8E5M2FNUZType, Float8E8M0FNUType>(to) &&
                    attrI("saturate", 1) != 0;
    std::string roundMode;
    if (isa<Float8E8M0FNUType>(to)) {
      roundMode = attrS("round_mode", "up");
      if (roundMode != "up" && roundMode != "down" && roundMode != "nearest")
        return unsupported("round_mode '" + roundMode + "'");
    }
    auto r = castTo(*x, to, saturate, roundMode);
    if (failed(r))
      return failure();
    outs.push_back(*r);
  } else if (op == "BitCast") {
    int32_t onnxTo = static_cast<int32_t>(attrI("to", 0));
    auto to = elementTypeOf(onnxTo, ctx_);
    if (!to)
      return unsupported("bit cast to " + onnxTypeName(onnxTo));
    STRATA_TRY(r,
               create1("strata.bitcast", *x, {attr("to", TypeAttr::get(*to))}));
    outs.push_back(r);
  } else {
    return unsupported();
  }
  return success();
}

} // namespace strata::onnx_import
