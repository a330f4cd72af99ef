//===- ConvolutionGradientTest.cpp - Gradient checks: conv, pools, LRN ----===//
//
// conv, conv_transpose, max_pool, avg_pool, the global pools, lrn, col2im,
// grid_sample, roi_align and deform_conv, each on several shapes and
// attributes, by central differences in f64 (GradientChecking.h). Random
// inputs are continuous, so max-pool ties and the sampling ops' kinks and
// jumps (integer sample coordinates, the clamps, roi_align's bounds and
// ceil'd sample counts, nearest rounding) are within h = 1e-6 of a checked
// point with negligible probability.
//
//===----------------------------------------------------------------------===//

#include "gradients/GradientChecking.h"

using namespace strata::testing;

namespace {

using Shape = std::vector<int64_t>;

std::string type(const Shape &shape) {
  std::string s = "tensor<";
  for (int64_t d : shape)
    s += std::to_string(d) + "x";
  return s + "f64>";
}

/// @f(args) = op(args) {attrs} with result shape `out`.
std::string single(const std::string &op, const std::vector<Shape> &args,
                   const Shape &out, const std::string &attrs = "") {
  std::string params, operands, types;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string sep = i ? ", " : "";
    params += sep + "%a" + std::to_string(i) + ": " + type(args[i]);
    operands += sep + "%a" + std::to_string(i);
    types += sep + type(args[i]);
  }
  return "func.func @f(" + params + ") -> " + type(out) + " {\n  %0 = " + op +
         " " + operands + " " + attrs + " : (" + types + ") -> " + type(out) +
         "\n  return %0 : " + type(out) + "\n}";
}

class ConvolutionGradient : public GradientCheckTest {
protected:
  void checkOp(const std::string &op, const std::vector<Shape> &args,
               const Shape &out, const std::string &attrs = "", double lo = -1,
               double hi = 1) {
    SCOPED_TRACE(op + " " + attrs);
    std::vector<Tensor> values;
    for (const Shape &s : args)
      values.push_back(randomTensor(DType::f64, s, lo, hi));
    check(single(op, args, out, attrs), values);
  }
};

TEST_F(ConvolutionGradient, Conv) {
  checkOp("strata.conv", {{2, 3, 5, 5}, {4, 3, 3, 3}, {4}}, {2, 4, 3, 3});
  checkOp("strata.conv", {{1, 2, 6, 7}, {3, 2, 3, 2}}, {1, 3, 3, 4},
          "{strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>}");
  checkOp("strata.conv", {{2, 4, 7, 6}, {6, 2, 2, 3}, {6}}, {2, 6, 6, 5},
          "{dilations = array<i64: 2, 1>, pads = array<i64: 0, 1, 1, 0>, "
          "groups = 2 : i64}");
  checkOp("strata.conv", {{2, 2, 9}, {2, 2, 3}}, {2, 2, 3},
          "{strides = array<i64: 3>, dilations = array<i64: 2>, pads = "
          "array<i64: 2, 1>}");
  checkOp("strata.conv", {{1, 1, 5, 5}, {2, 1, 3, 3}}, {1, 2, 3, 3},
          "{auto_pad = #strata.auto_pad<same_upper>, strides = array<i64: 2, "
          "2>}");
  checkOp("strata.conv", {{1, 2, 3, 4, 3}, {2, 1, 2, 2, 2}}, {1, 2, 2, 2, 2},
          "{strides = array<i64: 1, 2, 1>, groups = 2 : i64}");
  // Depthwise, with a stride larger than the kernel (skipped inputs).
  checkOp("strata.conv", {{1, 3, 7, 7}, {3, 1, 2, 2}}, {1, 3, 2, 2},
          "{strides = array<i64: 3, 3>, groups = 3 : i64}");
}

TEST_F(ConvolutionGradient, ConvTranspose) {
  checkOp("strata.conv_transpose", {{1, 2, 3, 3}, {2, 3, 3, 3}, {3}},
          {1, 3, 5, 5});
  checkOp("strata.conv_transpose", {{2, 2, 3, 4}, {2, 2, 3, 2}}, {2, 2, 7, 7},
          "{strides = array<i64: 2, 2>, pads = array<i64: 1, 0, 0, 1>, "
          "output_padding = array<i64: 1, 0>}");
  checkOp("strata.conv_transpose", {{1, 4, 3, 3}, {4, 1, 2, 2}}, {1, 2, 5, 5},
          "{dilations = array<i64: 2, 2>, groups = 2 : i64}");
  checkOp("strata.conv_transpose", {{1, 1, 4}, {1, 2, 4}, {2}}, {1, 2, 9},
          "{strides = array<i64: 3>, pads = array<i64: 2, 2>}");
  checkOp("strata.conv_transpose", {{1, 2, 3, 3}, {2, 1, 3, 3}}, {1, 1, 6, 6},
          "{auto_pad = #strata.auto_pad<same_upper>, strides = array<i64: 2, "
          "2>}");
}

TEST_F(ConvolutionGradient, MaxPool) {
  checkOp("strata.max_pool", {{2, 2, 5, 5}}, {2, 2, 4, 4},
          "{kernel_shape = array<i64: 2, 2>}");
  checkOp("strata.max_pool", {{1, 2, 5, 6}}, {1, 2, 3, 3},
          "{kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, "
          "pads = array<i64: 1, 1, 1, 1>}");
  checkOp("strata.max_pool", {{1, 1, 6, 6}}, {1, 1, 3, 3},
          "{kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, "
          "ceil_mode = true}");
  checkOp("strata.max_pool", {{1, 2, 5, 5}}, {1, 2, 3, 3},
          "{kernel_shape = array<i64: 2, 2>, dilations = array<i64: 2, 2>}");
  checkOp("strata.max_pool", {{2, 3, 8}}, {2, 3, 4},
          "{kernel_shape = array<i64: 3>, strides = array<i64: 2>, pads = "
          "array<i64: 1, 0>}");
  // Negative inputs: the zero padding must never win.
  checkOp("strata.max_pool", {{1, 1, 5, 5}}, {1, 1, 6, 6},
          "{kernel_shape = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>}",
          -2, -1);
  checkOp("strata.max_pool", {{1, 1, 6, 6}}, {1, 1, 4, 4},
          "{kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, "
          "pads = array<i64: 1, 1, 1, 1>, ceil_mode = true}",
          -2, -1);
  checkOp("strata.max_pool", {{1, 2, 2, 3, 4}}, {1, 2, 1, 2, 3},
          "{kernel_shape = array<i64: 2, 2, 2>}");
}

TEST_F(ConvolutionGradient, AvgPool) {
  checkOp("strata.avg_pool", {{2, 2, 5, 5}}, {2, 2, 4, 4},
          "{kernel_shape = array<i64: 2, 2>}");
  for (const char *include : {"false", "true"}) {
    std::string c = std::string(", count_include_pad = ") + include;
    checkOp("strata.avg_pool", {{1, 2, 5, 6}}, {1, 2, 3, 3},
            "{kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, "
            "pads = array<i64: 1, 1, 1, 1>" +
                c + "}");
    checkOp("strata.avg_pool", {{1, 1, 6, 6}}, {1, 1, 4, 4},
            "{kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, "
            "pads = array<i64: 1, 1, 1, 1>, ceil_mode = true" +
                c + "}");
    checkOp("strata.avg_pool", {{1, 2, 7, 4}}, {1, 2, 5, 4},
            "{kernel_shape = array<i64: 2, 2>, dilations = array<i64: 2, 1>, "
            "pads = array<i64: 0, 0, 0, 1>" +
                c + "}");
    checkOp("strata.avg_pool", {{2, 1, 7}}, {2, 1, 3},
            "{kernel_shape = array<i64: 3>, strides = array<i64: 3>, pads = "
            "array<i64: 1, 0>, ceil_mode = true" +
                c + "}");
  }
  checkOp("strata.avg_pool", {{1, 1, 4, 4, 4}}, {1, 1, 2, 2, 2},
          "{kernel_shape = array<i64: 2, 2, 2>, strides = array<i64: 2, 2, "
          "2>}");
  checkOp("strata.avg_pool", {{1, 2, 5, 5}}, {1, 2, 3, 3},
          "{kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, "
          "auto_pad = #strata.auto_pad<same_lower>}");
}

TEST_F(ConvolutionGradient, GlobalPools) {
  for (const char *op : {"strata.global_avg_pool", "strata.global_max_pool"}) {
    checkOp(op, {{2, 3, 4, 5}}, {2, 3, 1, 1});
    checkOp(op, {{2, 3, 6}}, {2, 3, 1});
    checkOp(op, {{1, 2, 2, 3, 2}}, {1, 2, 1, 1, 1});
  }
}

TEST_F(ConvolutionGradient, LRN) {
  checkOp("strata.lrn", {{2, 5, 3, 3}}, {2, 5, 3, 3},
          "{size = 3 : i64, alpha = 0.5, beta = 0.75, bias = 1.0}");
  checkOp("strata.lrn", {{1, 6, 4}}, {1, 6, 4},
          "{size = 4 : i64, alpha = 0.3, beta = 0.6, bias = 2.0}");
  checkOp("strata.lrn", {{2, 7, 2, 2}}, {2, 7, 2, 2}, "{size = 5 : i64}");
  checkOp("strata.lrn", {{1, 3, 2, 2}}, {1, 3, 2, 2},
          "{size = 1 : i64, alpha = 2.0, beta = 1.5, bias = 0.5}");
  checkOp("strata.lrn", {{1, 4, 3}}, {1, 4, 3},
          "{size = 6 : i64, alpha = 1.0, beta = 0.5}");
}

TEST_F(ConvolutionGradient, Col2Im) {
  checkOp("strata.col2im", {{1, 8, 9}}, {1, 2, 4, 4},
          "{image_shape = array<i64: 4, 4>, block_shape = array<i64: 2, 2>}");
  checkOp("strata.col2im", {{2, 9, 9}}, {2, 1, 5, 5},
          "{image_shape = array<i64: 5, 5>, block_shape = array<i64: 3, 3>, "
          "strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>}");
  checkOp("strata.col2im", {{1, 6, 2}}, {1, 3, 7},
          "{image_shape = array<i64: 7>, block_shape = array<i64: 2>, "
          "strides = array<i64: 2>, dilations = array<i64: 3>}");
}

TEST_F(ConvolutionGradient, GridSample) {
  // Grid values in [-1.3, 1.3]: some samples outside the image, so every
  // padding mode acts (reflection: up to one reflection).
  for (const char *mode : {"linear", "nearest", "cubic"})
    for (const char *padding : {"zeros", "border", "reflection"})
      for (const char *align : {"false", "true"}) {
        std::string attrs = std::string("{mode = \"") + mode +
                            "\", padding_mode = \"" + padding +
                            "\", align_corners = " + align + "}";
        checkOp("strata.grid_sample", {{2, 2, 4, 5}, {2, 3, 4, 2}},
                {2, 2, 3, 4}, attrs, -1.3, 1.3);
      }
  // 1-D and 3-D; wider grid values reflect several times.
  checkOp("strata.grid_sample", {{2, 2, 6}, {2, 5, 1}}, {2, 2, 5},
          "{mode = \"cubic\", padding_mode = \"reflection\"}", -3, 3);
  checkOp("strata.grid_sample", {{1, 2, 3, 4, 3}, {1, 2, 2, 3, 3}},
          {1, 2, 2, 2, 3},
          "{padding_mode = \"reflection\", align_corners = true}", -1.5, 1.5);
  checkOp("strata.grid_sample", {{1, 1, 3, 3, 4}, {1, 2, 3, 2, 3}},
          {1, 1, 2, 3, 2}, "{padding_mode = \"border\"}", -1.3, 1.3);
}

TEST_F(ConvolutionGradient, RoiAlign) {
  // Four boxes over two 6x7 images; coordinates in [-3, 17] scaled by 0.5,
  // so some boxes reach past the image (samples outside read 0, samples near
  // the edges are clamped) and some are thinner than a pixel (the minimum
  // extent of output_half_pixel).
  int64_t boxes = 4;
  for (const char *mode : {"avg", "max"})
    for (const char *coords : {"half_pixel", "output_half_pixel"})
      for (int ratio : {0, 2}) {
        std::string attrs = std::string("{mode = \"") + mode +
                            "\", coordinate_transformation_mode = \"" + coords +
                            "\", sampling_ratio = " + std::to_string(ratio) +
                            ", output_height = 2, output_width = 3, "
                            "spatial_scale = 5.000000e-01}";
        SCOPED_TRACE(attrs);
        std::vector<double> p = random(boxes * 4, -3, 17);
        std::vector<double> r;
        for (int64_t k = 0; k < boxes; ++k) {
          const double *q = p.data() + 4 * k;
          r.insert(r.end(), {std::min(q[0], q[2]), std::min(q[1], q[3]),
                             std::max(q[0], q[2]), std::max(q[1], q[3])});
        }
        // A thin box (width under one pixel after scaling).
        r[4 * 3 + 2] = r[4 * 3] + 1.3;
        check(
            R"(func.func @f(%x: tensor<2x2x6x7xf64>, %r: tensor<4x4xf64>, %b: tensor<4xi64>) -> tensor<4x2x2x3xf64> {
  %0 = strata.roi_align %x, %r, %b )" +
                attrs +
                R"( : (tensor<2x2x6x7xf64>, tensor<4x4xf64>, tensor<4xi64>) -> tensor<4x2x2x3xf64>
  return %0 : tensor<4x2x2x3xf64>
})",
            {randomTensor(DType::f64, {2, 2, 6, 7}),
             Tensor::fromDoubles(DType::f64, {boxes, 4}, r),
             Tensor::fromInts(DType::i64, {boxes}, {1, 0, 0, 1})});
      }
}

TEST_F(ConvolutionGradient, DeformConv) {
  // Offsets in [-1.5, 1.5]: taps move across pixels and past the border.
  checkOp("strata.deform_conv",
          {{1, 4, 5, 5}, {4, 2, 3, 3}, {1, 36, 3, 3}, {1, 18, 3, 3}, {4}},
          {1, 4, 3, 3}, "{groups = 2 : i64, offset_group = 2 : i64}", -1.5,
          1.5);
  checkOp("strata.deform_conv",
          {{2, 2, 6, 5}, {3, 2, 2, 2}, {2, 8, 4, 4}, {2, 4, 4, 4}, {3}},
          {2, 3, 4, 4},
          "{strides = array<i64: 2, 1>, pads = array<i64: 1, 0, 1, 1>, "
          "dilations = array<i64: 1, 2>}",
          -1.5, 1.5);
  checkOp("strata.deform_conv",
          {{2, 4, 5, 4}, {2, 4, 2, 2}, {2, 16, 4, 3}, {2, 8, 4, 3}},
          {2, 2, 4, 3}, "{offset_group = 2 : i64}", -1.5, 1.5);
  // 1-D.
  checkOp("strata.deform_conv", {{1, 2, 7}, {3, 2, 2}, {1, 2, 7}, {1, 2, 7}},
          {1, 3, 7}, "{pads = array<i64: 1, 0>}", -1.5, 1.5);
}

TEST_F(ConvolutionGradient, SmallConvNet) {
  // conv -> relu-free tanh -> max_pool -> global avg: end to end.
  check(
      R"(func.func @f(%x: tensor<2x2x6x6xf64>, %w: tensor<3x2x3x3xf64>, %b: tensor<3xf64>) -> tensor<2x3x1x1xf64> {
  %0 = strata.conv %x, %w, %b {pads = array<i64: 1, 1, 1, 1>} : (tensor<2x2x6x6xf64>, tensor<3x2x3x3xf64>, tensor<3xf64>) -> tensor<2x3x6x6xf64>
  %1 = strata.tanh %0 : (tensor<2x3x6x6xf64>) -> tensor<2x3x6x6xf64>
  %2 = strata.max_pool %1 {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<2x3x6x6xf64>) -> tensor<2x3x3x3xf64>
  %3 = strata.global_avg_pool %2 : (tensor<2x3x3x3xf64>) -> tensor<2x3x1x1xf64>
  return %3 : tensor<2x3x1x1xf64>
})",
      {randomTensor(DType::f64, {2, 2, 6, 6}),
       randomTensor(DType::f64, {3, 2, 3, 3}), randomTensor(DType::f64, {3})});
}

} // namespace
