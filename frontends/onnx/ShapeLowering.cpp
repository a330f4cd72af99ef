//===- ShapeLowering.cpp - ONNX shape operators ---------------------------===//
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"

#include <cmath>
#include <limits>

namespace strata::onnx_import {

LogicalResult Importer::lowerShape(const ::onnx::NodeProto &node,
                                   SmallVector<Value> &outs) {
  StringRef op = node.op_type();
  auto xr = required(0);
  if (failed(xr))
    return failure();
  Value x = *xr;
  auto type = typeOf(x);
  int64_t rank = type.getRank();
  FailureOr<Value> r = failure();
  if (op == "Reshape") {
    SmallVector<int64_t> shape;
    if (opset_ < 5) {
      shape = attrInts("shape").value_or(SmallVector<int64_t>());
    } else {
      auto v = constInts(1, "shape");
      if (failed(v))
        return failure();
      shape = *v;
    }
    if (attrI("allowzero", 0) && llvm::is_contained(shape, 0))
      return unsupported("allowzero = 1 with a 0 in the shape");
    r = reshape(x, shape);
  } else if (op == "Flatten") {
    int64_t axis = attrI("axis", 1);
    if (axis < 0)
      axis += rank;
    if (axis < 0 || axis > rank)
      return failNode("axis out of range");
    int64_t outer = 1, inner = 1;
    for (int64_t i = 0; i < rank; ++i) {
      int64_t d = type.getDimSize(i);
      int64_t &acc = i < axis ? outer : inner;
      acc = (ShapedType::isDynamic(d) || ShapedType::isDynamic(acc))
                ? ShapedType::kDynamic
                : acc * d;
    }
    r = reshapeTo(x, {outer, inner});
  } else if (op == "Squeeze" || op == "Unsqueeze") {
    SmallVector<int64_t> axes;
    if (opset_ < 13) {
      axes = attrInts("axes").value_or(SmallVector<int64_t>());
    } else if (hasInput(1)) {
      auto v = constInts(1, "axes");
      if (failed(v))
        return failure();
      axes = *v;
    }
    SmallVector<int64_t> shape;
    if (op == "Squeeze") {
      for (int64_t &a : axes)
        a = a < 0 ? a + rank : a;
      for (int64_t i = 0; i < rank; ++i) {
        bool drop = axes.empty() ? type.getDimSize(i) == 1
                                 : llvm::is_contained(axes, i);
        if (drop && type.getDimSize(i) != 1 && !type.isDynamicDim(i))
          return failNode("cannot squeeze dimension " + std::to_string(i) +
                          " of size " + std::to_string(type.getDimSize(i)));
        if (!drop)
          shape.push_back(type.getDimSize(i));
      }
    } else {
      int64_t outRank = rank + static_cast<int64_t>(axes.size());
      for (int64_t &a : axes)
        a = a < 0 ? a + outRank : a;
      int64_t next = 0;
      for (int64_t i = 0; i < outRank; ++i)
        shape.push_back(llvm::is_contained(axes, i) ? 1
                                                    : type.getDimSize(next++));
      if (next != rank)
        return failNode("invalid axes");
    }
    r = reshapeTo(x, shape);
  } else if (op == "Transpose") {
    SmallVector<NamedAttribute> attrs;
    if (auto perm = attrInts("perm"))
      attrs.push_back(array("perm", *perm));
    r = create1("strata.transpose", x, attrs);
  } else if (op == "Concat") {
    SmallVector<Value> inputs;
    for (int i = 0; i < node.input_size(); ++i) {
      auto v = required(i);
      if (failed(v))
        return failure();
      inputs.push_back(*v);
    }
    r = create1("strata.concat", inputs, {i64("axis", attrI("axis", 0))});
  } else if (op == "Slice") {
    SmallVector<int64_t> starts, ends, axes, steps;
    if (opset_ < 10) {
      starts = attrInts("starts").value_or(SmallVector<int64_t>());
      ends = attrInts("ends").value_or(SmallVector<int64_t>());
      axes = attrInts("axes").value_or(SmallVector<int64_t>());
    } else {
      auto s = constInts(1, "starts");
      if (failed(s))
        return failure();
      auto e = constInts(2, "ends");
      if (failed(e))
        return failure();
      starts = *s;
      ends = *e;
      if (hasInput(3)) {
        auto a = constInts(3, "axes");
        if (failed(a))
          return failure();
        axes = *a;
      }
      if (hasInput(4)) {
        auto st = constInts(4, "steps");
        if (failed(st))
          return failure();
        steps = *st;
      }
    }
    SmallVector<NamedAttribute> attrs = {array("starts", starts),
                                         array("ends", ends)};
    if (!axes.empty())
      attrs.push_back(array("axes", axes));
    if (!steps.empty())
      attrs.push_back(array("steps", steps));
    r = create1("strata.slice", x, attrs);
  } else if (op == "Split") {
    int64_t axis = attrI("axis", 0);
    int64_t a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank)
      return failNode("axis " + std::to_string(axis) + " out of range");
    SmallVector<int64_t> sizes;
    if (opset_ < 13) {
      sizes = attrInts("split").value_or(SmallVector<int64_t>());
    } else if (hasInput(1)) {
      auto v = constInts(1, "split");
      if (failed(v))
        return failure();
      sizes = *v;
    }
    if (sizes.empty()) {
      int64_t n = attrI("num_outputs", node.output_size());
      int64_t d = type.getDimSize(a);
      if (ShapedType::isDynamic(d) || n <= 0)
        return unsupported("an even split of a dynamic size");
      int64_t chunk = (d + n - 1) / n;
      for (int64_t i = 0; i < n; ++i)
        sizes.push_back(std::max<int64_t>(0, std::min(chunk, d - i * chunk)));
    }
    auto split =
        create("strata.split", x, {i64("axis", axis), array("sizes", sizes)},
               sizes.size());
    if (failed(split))
      return failure();
    for (Value v : (*split)->getResults())
      outs.push_back(v);
    return success();
  } else if (op == "Pad") {
    SmallVector<int64_t> pads;
    double value = 0.0;
    if (opset_ < 11) {
      pads = attrInts("pads").value_or(SmallVector<int64_t>());
      value = attrF("value", 0.0);
    } else {
      auto p = constInts(1, "pads");
      if (failed(p))
        return failure();
      pads = *p;
      if (hasInput(2)) {
        const Tensor *t = constInput(2);
        if (!t)
          return notConstant(2, "constant_value");
        if (t->numElements() != 1)
          return failNode("constant_value must be a scalar");
        value = t->get(0);
      }
      if (hasInput(3)) {
        auto axes = constInts(3, "axes");
        if (failed(axes))
          return failure();
        // Pads for the listed axes only: spread them over every dimension.
        SmallVector<int64_t> full(2 * rank, 0);
        for (auto [k, ax] : llvm::enumerate(*axes)) {
          int64_t d = ax < 0 ? ax + rank : ax;
          if (d < 0 || d >= rank || 2 * axes->size() != pads.size())
            return failNode("invalid axes");
          full[d] = pads[k];
          full[d + rank] = pads[k + axes->size()];
        }
        pads = full;
      }
    }
    std::string mode = attrS("mode", "constant");
    std::optional<PadMode> m =
        mode == "constant"  ? std::optional(PadMode::constant)
        : mode == "reflect" ? std::optional(PadMode::reflect)
        : mode == "edge"    ? std::optional(PadMode::edge)
        : mode == "wrap"    ? std::optional(PadMode::wrap)
                            : std::nullopt;
    if (!m)
      return failNode("unknown mode '" + mode + "'");
    r = create1("strata.pad", x,
                {array("pads", pads), attr("mode", PadModeAttr::get(&ctx_, *m)),
                 f64("value", value)});
  } else if (op == "Expand") {
    auto shape = constInts(1, "shape");
    if (failed(shape))
      return failure();
    // Expand broadcasts both ways: the result is the broadcast of the input's
    // shape and `shape`.
    SmallVector<int64_t> out(*shape);
    if (rank > static_cast<int64_t>(out.size()))
      out.insert(out.begin(), rank - out.size(), 1);
    for (int64_t i = 0; i < rank; ++i) {
      int64_t &o = out[out.size() - rank + i];
      int64_t d = type.getDimSize(i);
      if (o == 1)
        o = d;
      else if (d != 1 && d != o && !ShapedType::isDynamic(d))
        return failNode("cannot expand size " + std::to_string(d) + " to " +
                        std::to_string(o));
    }
    if (llvm::any_of(out, ShapedType::isDynamic))
      return unsupported("expanding a dynamic size");
    r = create1("strata.broadcast_to", x, {array("shape", out)});
  } else if (op == "Tile") {
    auto repeats = constInts(1, "repeats");
    if (failed(repeats))
      return failure();
    r = create1("strata.tile", x, {array("repeats", *repeats)});
  } else if (op == "DepthToSpace") {
    r = create1("strata.depth_to_space", x,
                {i64("blocksize", attrI("blocksize", 1)),
                 attr("mode", b_.getStringAttr(attrS("mode", "DCR")))});
  } else if (op == "SpaceToDepth") {
    int64_t bs = attrI("blocksize", 1);
    std::string mode = attrS("mode", "DCR");
    if (mode != "DCR" && mode != "CRD")
      return failNode("mode must be DCR or CRD, not '" + mode + "'");
    r = create1("strata.space_to_depth", x, {i64("blocksize", bs)});
    if (succeeded(r) && mode == "CRD") {
      // strata.space_to_depth orders the new channels (block row, block
      // column, channel); CRD wants (channel, block row, block column):
      // swap the two groups of the channel dimension.
      auto t = typeOf(*r);
      if (t.getRank() != 4 || t.isDynamicDim(1))
        return unsupported("CRD mode needs a 4-D input with a static channel "
                           "count");
      int64_t c = t.getDimSize(1) / (bs * bs);
      auto s = t.getShape();
      auto split = reshapeTo(*r, {s[0], bs * bs, c, s[2], s[3]});
      if (failed(split))
        return failure();
      auto swapped =
          create1("strata.transpose", *split, {array("perm", {0, 2, 1, 3, 4})});
      if (failed(swapped))
        return failure();
      r = reshapeTo(*swapped, s);
    }
  } else {
    return unsupported();
  }
  if (failed(r))
    return failure();
  outs.push_back(*r);
  return success();
}

} // namespace strata::onnx_import
