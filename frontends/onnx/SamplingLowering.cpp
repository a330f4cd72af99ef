//===- SamplingLowering.cpp - ONNX GridSample, AffineGrid, Col2Im, ... ----===//
//
// Resampling and rearranging images: GridSample, Col2Im and RoiAlign have
// strata ops; AffineGrid is a matrix product with a constant base grid,
// CenterCropPad a strata.pad whose negative pads crop.
//
//===----------------------------------------------------------------------===//

#include "frontends/onnx/Importer.h"

namespace strata::onnx_import {

LogicalResult Importer::lowerSampling(const ::onnx::NodeProto &node,
                                      SmallVector<Value> &outs) {
  StringRef op = node.op_type();
  STRATA_TRY(x, required(0));
  FailureOr<Value> r = failure();
  if (op == "GridSample") {
    STRATA_TRY(grid, required(1));
    std::string mode = attrS("mode", "linear");
    // Opset 16 spells the modes bilinear / bicubic.
    if (mode == "bilinear")
      mode = "linear";
    else if (mode == "bicubic")
      mode = "cubic";
    if (mode != "linear" && mode != "nearest" && mode != "cubic")
      return failNode("unknown mode '" + mode + "'");
    std::string padding = attrS("padding_mode", "zeros");
    if (padding != "zeros" && padding != "border" && padding != "reflection")
      return failNode("unknown padding_mode '" + padding + "'");
    if (!isa<FloatType>(typeOf(x).getElementType()))
      return unsupported("non-float data");
    r = create1("strata.grid_sample", {x, grid},
                {attr("mode", b_.getStringAttr(mode)),
                 attr("padding_mode", b_.getStringAttr(padding)),
                 flag("align_corners", attrI("align_corners", 0))});
  } else if (op == "Col2Im") {
    auto image = constInts(1, "image_shape");
    if (failed(image))
      return failure();
    auto block = constInts(2, "block_shape");
    if (failed(block))
      return failure();
    SmallVector<NamedAttribute> attrs = {array("image_shape", *image),
                                         array("block_shape", *block)};
    for (StringRef name : {"strides", "pads", "dilations"})
      if (auto v = attrInts(name))
        attrs.push_back(array(name, *v));
    r = create1("strata.col2im", x, attrs);
  } else if (op == "AffineGrid") {
    // grid[n, p, k] = sum_j theta[n, k, j] * base[p, j] with base[p] =
    // (x, y, [z,] 1), the normalized coordinates of spatial position p, x
    // along the last dim.
    auto size = constInts(1, "size");
    if (failed(size))
      return failure();
    int64_t s = static_cast<int64_t>(size->size()) - 2;
    if (s != 2 && s != 3)
      return failNode("size must have 4 or 5 entries, got " +
                      Twine(size->size()));
    auto elem = reference::dtypeOf(typeOf(x).getElementType());
    if (!elem || !isa<FloatType>(typeOf(x).getElementType()))
      return unsupported("non-float theta");
    bool align = attrI("align_corners", 0);
    ArrayRef<int64_t> sizes = ArrayRef<int64_t>(*size).drop_front(2);
    int64_t points = 1;
    for (int64_t d : sizes) {
      if (d <= 0)
        return failNode("size entries must be positive");
      points *= d;
    }
    auto coord = [&](int64_t i, int64_t d) -> double {
      if (align)
        return d == 1 ? 0.0 : -1.0 + 2.0 * i / (d - 1);
      return -1.0 + (2.0 * i + 1.0) / d;
    };
    std::vector<double> base;
    base.reserve(points * (s + 1));
    SmallVector<int64_t> idx(s, 0);
    for (int64_t p = 0; p < points; ++p) {
      for (int64_t k = s - 1; k >= 0; --k)
        base.push_back(coord(idx[k], sizes[k]));
      base.push_back(1.0);
      for (int64_t k = s - 1; k >= 0; --k) {
        if (++idx[k] < sizes[k])
          break;
        idx[k] = 0;
      }
    }
    STRATA_TRY(baseGrid,
               constant(Tensor::fromDoubles(*elem, {points, s + 1}, base)));
    STRATA_TRY(thetaT,
               create1("strata.transpose", x, {array("perm", {0, 2, 1})}));
    STRATA_TRY(flat, create1("strata.matmul", {baseGrid, thetaT}));
    SmallVector<int64_t> shape = {(*size)[0]};
    shape.append(sizes.begin(), sizes.end());
    shape.push_back(s);
    r = reshape(flat, shape);
  } else if (op == "RoiAlign") {
    STRATA_TRY(rois, required(1));
    STRATA_TRY(batch, required(2));
    if (!isa<FloatType>(typeOf(x).getElementType()))
      return unsupported("non-float data");
    // Opset 10 had no coordinate_transformation_mode and behaved as
    // output_half_pixel; opset 16 added it with the default half_pixel.
    std::string coords =
        attrS("coordinate_transformation_mode",
              opset_ < 16 ? "output_half_pixel" : "half_pixel");
    if (coords != "half_pixel" && coords != "output_half_pixel")
      return failNode("unknown coordinate_transformation_mode '" + coords +
                      "'");
    std::string mode = attrS("mode", "avg");
    if (mode != "avg" && mode != "max")
      return failNode("unknown mode '" + mode + "'");
    r = create1(
        "strata.roi_align", {x, rois, batch},
        {attr("mode", b_.getStringAttr(mode)),
         attr("coordinate_transformation_mode", b_.getStringAttr(coords)),
         i64("output_height", attrI("output_height", 1)),
         i64("output_width", attrI("output_width", 1)),
         i64("sampling_ratio", attrI("sampling_ratio", 0)),
         f64("spatial_scale", attrF("spatial_scale", 1.0))});
  } else if (op == "CenterCropPad") {
    auto shape = constInts(1, "shape");
    if (failed(shape))
      return failure();
    int64_t rank = rankOf(x);
    SmallVector<int64_t> axes;
    if (auto a = attrInts("axes"))
      axes = *a;
    else
      for (int64_t i = 0; i < rank; ++i)
        axes.push_back(i);
    if (axes.size() != shape->size())
      return failNode("shape has " + Twine(shape->size()) + " entries for " +
                      Twine(axes.size()) + " axes");
    SmallVector<int64_t> pads(2 * rank, 0);
    for (size_t i = 0; i < axes.size(); ++i) {
      int64_t a = axes[i] < 0 ? axes[i] + rank : axes[i];
      if (a < 0 || a >= rank)
        return failNode("axis " + Twine(axes[i]) + " out of range");
      int64_t d = typeOf(x).getDimSize(a);
      if (ShapedType::isDynamic(d))
        return unsupported("a dynamic size along axis " + Twine(a));
      // Centered: the smaller half of the difference goes before.
      int64_t diff = (*shape)[i] - d;
      int64_t before = diff >= 0 ? diff / 2 : -((-diff) / 2);
      pads[a] = before;
      pads[rank + a] = diff - before;
    }
    r = create1("strata.pad", x, {array("pads", pads)});
  } else {
    return unsupported();
  }
  if (failed(r))
    return failure();
  outs.push_back(*r);
  return success();
}

} // namespace strata::onnx_import
