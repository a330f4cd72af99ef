//===- ElementwiseLowering.cpp - ONNX elementwise operators ---------------===//
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"

#include <cmath>
#include <limits>

namespace strata::onnx_import {

LogicalResult Importer::lowerElementwise(const ::onnx::NodeProto &node,
                                         SmallVector<Value> &outs) {
  static const llvm::StringMap<StringRef> unary = {
      {"Abs", "strata.abs"},
      {"Neg", "strata.neg"},
      {"Sign", "strata.sign"},
      {"Exp", "strata.exp"},
      {"Log", "strata.log"},
      {"Sqrt", "strata.sqrt"},
      {"Reciprocal", "strata.reciprocal"},
      {"Floor", "strata.floor"},
      {"Ceil", "strata.ceil"},
      {"Round", "strata.round"},
      {"Erf", "strata.erf"},
      {"Sin", "strata.sin"},
      {"Cos", "strata.cos"},
      {"Asin", "strata.asin"},
      {"Acos", "strata.acos"},
      {"Atan", "strata.atan"},
      {"Not", "strata.not"},
      {"BitwiseNot", "strata.not"},
      {"IsNaN", "strata.is_nan"}};
  static const llvm::StringMap<StringRef> binary = {
      {"Add", "strata.add"},         {"Sub", "strata.sub"},
      {"Mul", "strata.mul"},         {"Div", "strata.div"},
      {"Pow", "strata.pow"},         {"Equal", "strata.equal"},
      {"Less", "strata.less"},       {"LessOrEqual", "strata.less_equal"},
      {"Greater", "strata.greater"}, {"GreaterOrEqual", "strata.greater_equal"},
      {"And", "strata.and"},         {"Or", "strata.or"},
      {"Xor", "strata.xor"},         {"BitwiseAnd", "strata.and"},
      {"BitwiseOr", "strata.or"},    {"BitwiseXor", "strata.xor"}};
  StringRef op = node.op_type();
  // strata.and / or / xor / not are bitwise on integers; ONNX's Bitwise*
  // take integer tensors only (And / Or / Xor / Not take bool).
  if (op.starts_with("Bitwise")) {
    Value x = input(0);
    if (x && !isa<IntegerType>(typeOf(x).getElementType()))
      return failNode("expects integer operands, got " +
                      typeToString(typeOf(x).getElementType()));
  }
  FailureOr<Value> r = failure();
  if (auto it = unary.find(op); it != unary.end()) {
    auto x = required(0);
    if (failed(x))
      return failure();
    r = create1(it->second, *x);
  } else if (auto it = binary.find(op); it != binary.end()) {
    auto x = required(0), y = required(1);
    if (failed(x) || failed(y))
      return failure();
    Value rhs = *y;
    if (op == "Pow") { // The exponent may have another type than the base.
      Type baseType = typeOf(*x).getElementType();
      Type expType = typeOf(rhs).getElementType();
      if (isa<IntegerType>(baseType) && isa<FloatType>(expType)) {
        // An integer base with a fractional exponent: the power is taken in
        // floating point and truncated to the base's type (as a cast).
        auto base = castTo(*x, b_.getF64Type());
        auto e = castTo(rhs, b_.getF64Type());
        if (failed(base) || failed(e))
          return failure();
        auto p = create1("strata.pow", {*base, *e});
        if (failed(p))
          return failure();
        auto back = castTo(*p, baseType);
        if (failed(back))
          return failure();
        outs.push_back(*back);
        return success();
      }
      auto c = castTo(rhs, baseType);
      if (failed(c))
        return failure();
      rhs = *c;
    }
    // Opset < 7 broadcasts only with broadcast=1: y's dimensions match x's
    // from `axis` on (without an axis, from the right: numpy's rule).
    if (opset_ < 7 && attrI("broadcast", 0) && findAttr("axis")) {
      int64_t rank = rankOf(*x), yRank = rankOf(rhs);
      int64_t axis = attrI("axis", 0);
      if (axis < 0)
        axis += rank;
      if (axis < 0 || axis + yRank > rank)
        return failNode("broadcast axis " + std::to_string(axis) +
                        " does not fit a rank-" + std::to_string(yRank) +
                        " operand into rank " + std::to_string(rank));
      if (!typeOf(rhs).hasStaticShape())
        return unsupported("legacy broadcast of a dynamic operand");
      SmallVector<int64_t> shape(axis, 1);
      llvm::append_range(shape, typeOf(rhs).getShape());
      shape.resize(rank, 1);
      auto aligned = reshape(rhs, shape);
      if (failed(aligned))
        return failure();
      rhs = *aligned;
    }
    r = create1(it->second, {*x, rhs});
  } else if (op == "Mod") {
    auto x = required(0), y = required(1);
    if (failed(x) || failed(y))
      return failure();
    r = create1("strata.mod", {*x, *y}, {flag("fmod", attrI("fmod", 0))});
  } else if (op == "Max" || op == "Min" || op == "Sum" || op == "Mean") {
    StringRef name = op == "Max"   ? "strata.max"
                     : op == "Min" ? "strata.min"
                                   : "strata.add";
    auto acc = required(0);
    if (failed(acc))
      return failure();
    Value v = *acc;
    for (int i = 1; i < node.input_size(); ++i) {
      auto y = required(i);
      if (failed(y))
        return failure();
      auto n = create1(name, {v, *y});
      if (failed(n))
        return failure();
      v = *n;
    }
    if (op == "Mean" && node.input_size() > 1) {
      auto count = scalarLike(v, node.input_size());
      if (failed(count))
        return failure();
      r = create1("strata.div", {v, *count});
    } else {
      r = v;
    }
  } else if (op == "Where") {
    auto c = required(0), x = required(1), y = required(2);
    if (failed(c) || failed(x) || failed(y))
      return failure();
    r = create1("strata.where", {*c, *x, *y});
  } else if (op == "Clip") {
    auto x = required(0);
    if (failed(x))
      return failure();
    bool isFloat = isa<FloatType>(typeOf(*x).getElementType());
    double lo =
        isFloat ? -INFINITY : (double)std::numeric_limits<int64_t>::min();
    double hi =
        isFloat ? INFINITY : (double)std::numeric_limits<int64_t>::max();
    if (opset_ < 11) {
      lo = attrF("min", lo);
      hi = attrF("max", hi);
    } else {
      for (int i : {1, 2}) {
        if (!hasInput(i))
          continue;
        const Tensor *t = constInput(i);
        if (!t)
          return notConstant(i, i == 1 ? "min" : "max");
        if (t->numElements() != 1)
          return failNode("min/max must be scalars");
        (i == 1 ? lo : hi) = t->get(0);
      }
    }
    r = create1("strata.clip", *x, {f64("min", lo), f64("max", hi)});
  } else {
    return unsupported();
  }
  if (failed(r))
    return failure();
  outs.push_back(*r);
  return success();
}

} // namespace strata::onnx_import
