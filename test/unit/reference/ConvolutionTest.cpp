//===- ConvolutionTest.cpp - Reference semantics of the Convolution ops -===//
//
// Hand-worked cases with literal results, and random inputs compared with
// this file's own computations, written differently from the kernels: conv
// by explicit padding + im2col + matrix product, conv_transpose as a conv of
// the zero-upsampled, padded input with the flipped kernel, pooling on an
// explicitly padded buffer. Tolerances: 1e-12 (relative + absolute) for f64
// results, 1e-6 for f32 results (one rounding to f32).
//
//===----------------------------------------------------------------------===//

#include "EvaluatorTesting.h"

#include <cmath>
#include <functional>
#include <limits>

namespace strata::testing {
namespace {

std::string ty(const std::vector<int64_t> &shape, const std::string &elt) {
  std::string s = "tensor<";
  for (int64_t d : shape)
    s += std::to_string(d) + "x";
  return s + elt + ">";
}

/// A function @main applying one op to `args` (their types), returning one
/// result of type `result`.
std::string unaryFn(const std::string &op, const std::string &attrs,
                    const std::vector<std::string> &argTypes,
                    const std::string &result) {
  std::string params, operands, types;
  for (size_t i = 0; i < argTypes.size(); ++i) {
    std::string sep = i ? ", " : "";
    params += sep + "%a" + std::to_string(i) + ": " + argTypes[i];
    operands += sep + "%a" + std::to_string(i);
    types += sep + argTypes[i];
  }
  return "func.func @main(" + params + ") -> " + result + " {\n  %0 = " + op +
         " " + operands + " " + attrs + " : (" + types + ") -> " + result +
         "\n  return %0 : " + result + "\n}";
}

struct Conv2dParams {
  int64_t sh = 1, sw = 1, dh = 1, dw = 1;
  int64_t pt = 0, pl = 0, pb = 0, pr = 0; // top, left, bottom, right
  int64_t groups = 1;
};

/// 2-D convolution by explicit zero padding, im2col and a matrix product per
/// group. Returns [N, M, OH, OW] row-major; sets OH, OW.
std::vector<double> im2colConv(const Tensor &x, const Tensor &w,
                               const Tensor *bias, const Conv2dParams &p,
                               int64_t &oh, int64_t &ow) {
  int64_t n = x.dim(0), c = x.dim(1), h = x.dim(2), wd = x.dim(3);
  int64_t m = w.dim(0), cg = w.dim(1), kh = w.dim(2), kw = w.dim(3);
  int64_t hp = h + p.pt + p.pb, wp = wd + p.pl + p.pr;
  std::vector<double> padded(n * c * hp * wp, 0.0);
  for (int64_t i = 0; i < n * c; ++i)
    for (int64_t y = 0; y < h; ++y)
      for (int64_t z = 0; z < wd; ++z)
        padded[(i * hp + y + p.pt) * wp + z + p.pl] =
            x.get((i * h + y) * wd + z);
  oh = (hp - ((kh - 1) * p.dh + 1)) / p.sh + 1;
  ow = (wp - ((kw - 1) * p.dw + 1)) / p.sw + 1;
  int64_t mg = m / p.groups, rows = cg * kh * kw, cols = oh * ow;
  std::vector<double> out(n * m * cols, 0.0);
  std::vector<double> col(rows * cols);
  for (int64_t b = 0; b < n; ++b)
    for (int64_t g = 0; g < p.groups; ++g) {
      for (int64_t ci = 0; ci < cg; ++ci)
        for (int64_t a = 0; a < kh; ++a)
          for (int64_t e = 0; e < kw; ++e)
            for (int64_t y = 0; y < oh; ++y)
              for (int64_t z = 0; z < ow; ++z)
                col[((ci * kh + a) * kw + e) * cols + y * ow + z] =
                    padded[((b * c + g * cg + ci) * hp + y * p.sh + a * p.dh) *
                               wp +
                           z * p.sw + e * p.dw];
      for (int64_t mi = 0; mi < mg; ++mi) {
        int64_t oc = g * mg + mi;
        for (int64_t q = 0; q < cols; ++q) {
          double acc = bias ? bias->get(oc) : 0.0;
          for (int64_t r = 0; r < rows; ++r)
            acc += w.get(oc * rows + r) * col[r * cols + q];
          out[(b * m + oc) * cols + q] = acc;
        }
      }
    }
  return out;
}

class ConvolutionTest : public EvaluatorTest {
protected:
  Tensor runOne(const std::string &op, const std::string &attrs,
                const std::vector<Tensor> &args, const std::string &elt,
                const std::string &result) {
    std::vector<std::string> types;
    for (const Tensor &t : args)
      types.push_back(ty(t.shape(), elt));
    auto out = run(unaryFn(op, attrs, types, result), args);
    EXPECT_EQ(out.size(), 1u);
    return out.empty() ? Tensor() : out[0];
  }
};

//===----------------------------------------------------------------------===//
// strata.conv
//===----------------------------------------------------------------------===//

TEST_F(ConvolutionTest, ConvHandWorked) {
  Tensor x = Tensor::fromDoubles(DType::f32, {1, 1, 3, 3},
                                 {1, 2, 3, 4, 5, 6, 7, 8, 9});
  Tensor w = Tensor::fromDoubles(DType::f32, {1, 1, 2, 2}, {1, 2, 3, 4});
  Tensor b = Tensor::fromDoubles(DType::f32, {1}, {0.5});
  // 1*1 + 2*2 + 4*3 + 5*4 = 37, ...
  Tensor y = runOne("strata.conv", "", {x, w, b}, "f32", "tensor<1x1x2x2xf32>");
  expectTensorNear(y, {1, 1, 2, 2}, {37.5, 47.5, 67.5, 77.5});
  // Pads 1, stride 2: windows at rows/cols {-1, 0} and {1, 2}.
  y = runOne("strata.conv",
             "{pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}",
             {x, w}, "f32", "tensor<1x1x2x2xf32>");
  expectTensorNear(y, {1, 1, 2, 2}, {4, 2 * 3 + 3 * 4, 4 * 2 + 7 * 4, 77});
}

TEST_F(ConvolutionTest, Conv1dHandWorked) {
  // Dilation 2: y[o] = x[o] * 1 + x[o + 2] * -1.
  Tensor x = Tensor::fromDoubles(DType::f64, {1, 1, 5}, {1, 4, 9, 16, 25});
  Tensor w = Tensor::fromDoubles(DType::f64, {1, 1, 2}, {1, -1});
  Tensor y = runOne("strata.conv", "{dilations = array<i64: 2>}", {x, w}, "f64",
                    "tensor<1x1x3xf64>");
  expectTensorNear(y, {1, 1, 3}, {-8, -12, -16});
}

TEST_F(ConvolutionTest, ConvRandomMatchesIm2col) {
  Tensor x = randomTensor(DType::f64, {2, 4, 7, 6});
  Tensor w = randomTensor(DType::f64, {6, 2, 3, 2});
  Tensor b = randomTensor(DType::f64, {6});
  Conv2dParams p;
  p.sh = 2, p.sw = 1, p.dh = 1, p.dw = 2, p.pt = 1, p.pl = 0, p.pb = 2,
  p.pr = 1, p.groups = 2;
  int64_t oh, ow;
  std::vector<double> want = im2colConv(x, w, &b, p, oh, ow);
  ASSERT_EQ(oh, 4);
  ASSERT_EQ(ow, 5);
  // The declared result is dynamic: the kernel's sizes are checked here.
  Tensor y = runOne("strata.conv",
                    "{strides = array<i64: 2, 1>, dilations = array<i64: 1, "
                    "2>, pads = array<i64: 1, 0, 2, 1>, groups = 2}",
                    {x, w, b}, "f64", "tensor<2x6x?x?xf64>");
  expectTensorNear(y, {2, 6, oh, ow}, want, 1e-12);

  // f32, no bias, depthwise (groups = channels).
  Tensor xf = randomTensor(DType::f32, {1, 3, 5, 5});
  Tensor wf = randomTensor(DType::f32, {3, 1, 3, 3});
  Conv2dParams q;
  q.groups = 3, q.pt = q.pl = q.pb = q.pr = 1;
  want = im2colConv(xf, wf, nullptr, q, oh, ow);
  y = runOne("strata.conv", "{pads = array<i64: 1, 1, 1, 1>, groups = 3}",
             {xf, wf}, "f32", "tensor<1x3x5x5xf32>");
  expectTensorNear(y, {1, 3, 5, 5}, want, 1e-6);
}

TEST_F(ConvolutionTest, ConvAutoPadMatchesExplicitPads) {
  // 6 wide, kernel 3, stride 2: out 3, total padding 1, at the end for
  // same_upper and at the beginning for same_lower.
  Tensor x = randomTensor(DType::f64, {1, 2, 6, 6});
  Tensor w = randomTensor(DType::f64, {2, 2, 3, 3});
  Conv2dParams p;
  p.sh = p.sw = 2;
  p.pb = p.pr = 1;
  int64_t oh, ow;
  std::vector<double> upper = im2colConv(x, w, nullptr, p, oh, ow);
  Tensor y = runOne("strata.conv",
                    "{auto_pad = #strata.auto_pad<same_upper>, strides = "
                    "array<i64: 2, 2>}",
                    {x, w}, "f64", "tensor<1x2x3x3xf64>");
  expectTensorNear(y, {1, 2, 3, 3}, upper, 1e-12);
  p.pb = p.pr = 0;
  p.pt = p.pl = 1;
  std::vector<double> lower = im2colConv(x, w, nullptr, p, oh, ow);
  y = runOne("strata.conv",
             "{auto_pad = #strata.auto_pad<same_lower>, strides = "
             "array<i64: 2, 2>}",
             {x, w}, "f64", "tensor<1x2x3x3xf64>");
  expectTensorNear(y, {1, 2, 3, 3}, lower, 1e-12);
  p.pt = p.pl = 0;
  std::vector<double> valid = im2colConv(x, w, nullptr, p, oh, ow);
  ASSERT_EQ(oh, 2);
  y = runOne("strata.conv",
             "{auto_pad = #strata.auto_pad<valid>, strides = "
             "array<i64: 2, 2>}",
             {x, w}, "f64", "tensor<1x2x2x2xf64>");
  expectTensorNear(y, {1, 2, 2, 2}, valid, 1e-12);
}

TEST_F(ConvolutionTest, Conv3dMatchesNestedLoops) {
  Tensor x = randomTensor(DType::f64, {1, 2, 4, 5, 3});
  Tensor w = randomTensor(DType::f64, {3, 2, 2, 3, 2});
  // pads: depth 1/0, height 0/1, width 1/1; strides 1, 2, 1.
  Tensor y = runOne("strata.conv",
                    "{pads = array<i64: 1, 0, 1, 0, 1, 1>, strides = "
                    "array<i64: 1, 2, 1>}",
                    {x, w}, "f64", "tensor<1x3x4x2x4xf64>");
  std::vector<double> want;
  for (int m = 0; m < 3; ++m)
    for (int od = 0; od < 4; ++od)
      for (int oh = 0; oh < 2; ++oh)
        for (int ow = 0; ow < 4; ++ow) {
          double acc = 0;
          for (int c = 0; c < 2; ++c)
            for (int a = 0; a < 2; ++a)
              for (int b = 0; b < 3; ++b)
                for (int e = 0; e < 2; ++e) {
                  int d = od + a - 1, h = oh * 2 + b, wi = ow + e - 1;
                  if (d < 0 || d >= 4 || h >= 5 || wi < 0 || wi >= 3)
                    continue;
                  acc += x.at({0, c, d, h, wi}) * w.at({m, c, a, b, e});
                }
          want.push_back(acc);
        }
  expectTensorNear(y, {1, 3, 4, 2, 4}, want, 1e-12);
}

TEST_F(ConvolutionTest, ConvRuntimeOutputSizeError) {
  // The input size is only known at run time; too small for the kernel.
  std::string err = runError(
      unaryFn("strata.conv", "", {"tensor<1x1x?x3xf32>", "tensor<1x1x3x3xf32>"},
              "tensor<1x1x?x1xf32>"),
      {randomTensor(DType::f32, {1, 1, 2, 3}),
       randomTensor(DType::f32, {1, 1, 3, 3})});
  EXPECT_NE(err.find("output size 0 along spatial dim 0 is not positive"),
            std::string::npos)
      << err;
}

TEST_F(ConvolutionTest, ConvRuntimeChannelMismatchError) {
  // Channels declared `?` turn out to disagree with the weight.
  std::string err = runError(
      unaryFn("strata.conv", "", {"tensor<1x?x3x3xf32>", "tensor<2x3x1x1xf32>"},
              "tensor<1x2x3x3xf32>"),
      {randomTensor(DType::f32, {1, 2, 3, 3}),
       randomTensor(DType::f32, {2, 3, 1, 1})});
  EXPECT_NE(err.find("channels do not match: input has 2"), std::string::npos)
      << err;
  err = runError(
      unaryFn("strata.conv_transpose", "",
              {"tensor<1x?x3xf32>", "tensor<2x3x1xf32>", "tensor<?xf32>"},
              "tensor<1x3x3xf32>"),
      {randomTensor(DType::f32, {1, 2, 3}), randomTensor(DType::f32, {2, 3, 1}),
       randomTensor(DType::f32, {4})});
  EXPECT_NE(err.find("bias has 4"), std::string::npos) << err;
}

//===----------------------------------------------------------------------===//
// strata.conv_transpose
//===----------------------------------------------------------------------===//

TEST_F(ConvolutionTest, ConvTransposeHandWorked) {
  // 1-D, stride 2: each input scatters [x, 10 x] at 2 i.
  Tensor x = Tensor::fromDoubles(DType::f32, {1, 1, 2}, {1, 2});
  Tensor w = Tensor::fromDoubles(DType::f32, {1, 1, 2}, {1, 10});
  Tensor b = Tensor::fromDoubles(DType::f32, {1}, {0.25});
  Tensor y = runOne("strata.conv_transpose", "{strides = array<i64: 2>}",
                    {x, w, b}, "f32", "tensor<1x1x4xf32>");
  expectTensorNear(y, {1, 1, 4}, {1.25, 10.25, 2.25, 20.25});
  // Stride 1 overlaps: [1, 10 + 2, 20].
  y = runOne("strata.conv_transpose", "", {x, w}, "f32", "tensor<1x1x3xf32>");
  expectTensorNear(y, {1, 1, 3}, {1, 12, 20});

  // ONNX's test_convtranspose_pads (published expected values).
  Tensor x2 = Tensor::fromDoubles(DType::f32, {1, 1, 3, 3},
                                  {0, 1, 2, 3, 4, 5, 6, 7, 8});
  Tensor w2 = Tensor::fromDoubles(DType::f32, {1, 2, 3, 3},
                                  std::vector<double>(18, 1.0));
  y = runOne("strata.conv_transpose",
             "{strides = array<i64: 3, 2>, pads = array<i64: 1, 2, 1, 2>}",
             {x2, w2}, "f32", "tensor<1x2x7x3xf32>");
  std::vector<double> channel = {1, 1, 3, 1, 1,  3, 7,  4,  9, 7, 4,
                                 9, 7, 4, 9, 13, 7, 15, 13, 7, 15};
  std::vector<double> want = channel;
  want.insert(want.end(), channel.begin(), channel.end());
  expectTensorNear(y, {1, 2, 7, 3}, want);
}

/// Transposed 2-D convolution computed as a convolution: insert stride - 1
/// zeros between input elements, pad by eff - 1 - pad_begin before and
/// eff - 1 - pad_end + output_padding after, and correlate with the
/// spatially flipped kernel (channels transposed). Needs pads <= eff - 1.
std::vector<double> transposeAsConv(const Tensor &x, const Tensor &w,
                                    const Tensor *bias, int64_t groups,
                                    const int64_t s[2], const int64_t d[2],
                                    const int64_t pb[2], const int64_t pe[2],
                                    const int64_t op[2], int64_t out[2]) {
  int64_t n = x.dim(0), c = x.dim(1), cg = c / groups, mg = w.dim(1),
          m = mg * groups;
  int64_t in[2] = {x.dim(2), x.dim(3)}, k[2] = {w.dim(2), w.dim(3)};
  int64_t before[2], len[2];
  for (int i = 0; i < 2; ++i) {
    int64_t eff = (k[i] - 1) * d[i] + 1;
    before[i] = eff - 1 - pb[i];
    len[i] = (in[i] - 1) * s[i] + 1 + before[i] + eff - 1 - pe[i] + op[i];
    out[i] = len[i] - eff + 1;
  }
  std::vector<double> up(n * c * len[0] * len[1], 0.0);
  for (int64_t i = 0; i < n * c; ++i)
    for (int64_t a = 0; a < in[0]; ++a)
      for (int64_t e = 0; e < in[1]; ++e)
        up[(i * len[0] + before[0] + a * s[0]) * len[1] + before[1] +
           e * s[1]] = x.get((i * in[0] + a) * in[1] + e);
  std::vector<double> y;
  for (int64_t b = 0; b < n; ++b)
    for (int64_t oc = 0; oc < m; ++oc) {
      int64_t g = oc / mg, mi = oc % mg;
      for (int64_t oy = 0; oy < out[0]; ++oy)
        for (int64_t oz = 0; oz < out[1]; ++oz) {
          double acc = bias ? bias->get(oc) : 0.0;
          for (int64_t ci = 0; ci < cg; ++ci)
            for (int64_t a = 0; a < k[0]; ++a)
              for (int64_t e = 0; e < k[1]; ++e)
                acc += up[((b * c + g * cg + ci) * len[0] + oy + a * d[0]) *
                              len[1] +
                          oz + e * d[1]] *
                       w.at({g * cg + ci, mi, k[0] - 1 - a, k[1] - 1 - e});
          y.push_back(acc);
        }
    }
  return y;
}

TEST_F(ConvolutionTest, ConvTransposeRandomMatchesUpsampledConv) {
  Tensor x = randomTensor(DType::f64, {2, 4, 3, 4});
  Tensor w = randomTensor(DType::f64, {4, 3, 3, 2});
  Tensor b = randomTensor(DType::f64, {6});
  int64_t s[2] = {2, 3}, d[2] = {2, 1}, pb[2] = {1, 0}, pe[2] = {3, 1},
          op[2] = {1, 0}, out[2];
  std::vector<double> want =
      transposeAsConv(x, w, &b, 2, s, d, pb, pe, op, out);
  ASSERT_EQ(out[0], 2 * 2 + 1 + 5 - 4);
  ASSERT_EQ(out[1], 3 * 3 + 2 - 1);
  Tensor y = runOne("strata.conv_transpose",
                    "{strides = array<i64: 2, 3>, dilations = array<i64: 2, "
                    "1>, pads = array<i64: 1, 0, 3, 1>, output_padding = "
                    "array<i64: 1, 0>, groups = 2}",
                    {x, w, b}, "f64", "tensor<2x6x?x?xf64>");
  expectTensorNear(y, {2, 6, out[0], out[1]}, want, 1e-12);
}

TEST_F(ConvolutionTest, ConvTransposeOutputShapeAndAutoPad) {
  Tensor x = randomTensor(DType::f64, {1, 2, 3, 3});
  Tensor w = randomTensor(DType::f64, {2, 1, 3, 3});
  int64_t s[2] = {2, 2}, d[2] = {1, 1}, op[2] = {0, 0}, out[2];
  // Full size 2 * 2 + 3 = 7. same_upper: 6 = 3 * 2, total padding 1 at the
  // end; same_lower: at the beginning.
  int64_t zero[2] = {0, 0}, one[2] = {1, 1};
  std::vector<double> upper =
      transposeAsConv(x, w, nullptr, 1, s, d, zero, one, op, out);
  ASSERT_EQ(out[0], 6);
  Tensor y = runOne("strata.conv_transpose",
                    "{strides = array<i64: 2, 2>, auto_pad = "
                    "#strata.auto_pad<same_upper>}",
                    {x, w}, "f64", "tensor<1x1x6x6xf64>");
  expectTensorNear(y, {1, 1, 6, 6}, upper, 1e-12);
  std::vector<double> lower =
      transposeAsConv(x, w, nullptr, 1, s, d, one, zero, op, out);
  y = runOne("strata.conv_transpose",
             "{strides = array<i64: 2, 2>, auto_pad = "
             "#strata.auto_pad<same_lower>}",
             {x, w}, "f64", "tensor<1x1x6x6xf64>");
  expectTensorNear(y, {1, 1, 6, 6}, lower, 1e-12);
  // output_shape 5x4: total padding 2 and 3; notset puts the larger half at
  // the beginning: begins (1, 2), ends (1, 1).
  int64_t b2[2] = {1, 2}, e2[2] = {1, 1};
  std::vector<double> given =
      transposeAsConv(x, w, nullptr, 1, s, d, b2, e2, op, out);
  ASSERT_EQ(out[0], 5);
  ASSERT_EQ(out[1], 4);
  y = runOne("strata.conv_transpose",
             "{strides = array<i64: 2, 2>, output_shape = array<i64: 5, 4>}",
             {x, w}, "f64", "tensor<1x1x5x4xf64>");
  expectTensorNear(y, {1, 1, 5, 4}, given, 1e-12);
  // With same_upper the larger half goes to the end.
  y = runOne("strata.conv_transpose",
             "{strides = array<i64: 2, 2>, output_shape = array<i64: 5, 4>, "
             "auto_pad = #strata.auto_pad<same_upper>}",
             {x, w}, "f64", "tensor<1x1x5x4xf64>");
  int64_t b3[2] = {1, 1}, e3[2] = {1, 2};
  expectTensorNear(y, {1, 1, 5, 4},
                   transposeAsConv(x, w, nullptr, 1, s, d, b3, e3, op, out),
                   1e-12);
}

//===----------------------------------------------------------------------===//
// strata.max_pool, strata.avg_pool
//===----------------------------------------------------------------------===//

TEST_F(ConvolutionTest, PoolHandWorked) {
  std::vector<double> v(16);
  for (int i = 0; i < 16; ++i)
    v[i] = i + 1;
  Tensor x = Tensor::fromDoubles(DType::f32, {1, 1, 4, 4}, v);
  const char *attrs =
      "{kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>}";
  expectTensorNear(
      runOne("strata.max_pool", attrs, {x}, "f32", "tensor<1x1x2x2xf32>"),
      {1, 1, 2, 2}, {6, 8, 14, 16});
  expectTensorNear(
      runOne("strata.avg_pool", attrs, {x}, "f32", "tensor<1x1x2x2xf32>"),
      {1, 1, 2, 2}, {3.5, 5.5, 11.5, 13.5});

  // Padding 1, kernel 2, stride 2 on 3x3 [1..9]: corner windows hold one
  // element (count_include_pad false: divide by 1; true: by 4).
  Tensor x3 = Tensor::fromDoubles(DType::f32, {1, 1, 3, 3},
                                  {1, 2, 3, 4, 5, 6, 7, 8, 9});
  const char *padded = "kernel_shape = array<i64: 2, 2>, strides = "
                       "array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>";
  expectTensorNear(runOne("strata.avg_pool", std::string("{") + padded + "}",
                          {x3}, "f32", "tensor<1x1x2x2xf32>"),
                   {1, 1, 2, 2}, {1, 2.5, 5.5, 7});
  expectTensorNear(
      runOne("strata.avg_pool",
             std::string("{") + padded + ", count_include_pad = true}", {x3},
             "f32", "tensor<1x1x2x2xf32>"),
      {1, 1, 2, 2}, {0.25, 1.25, 2.75, 7});
  expectTensorNear(runOne("strata.max_pool", std::string("{") + padded + "}",
                          {x3}, "f32", "tensor<1x1x2x2xf32>"),
                   {1, 1, 2, 2}, {1, 3, 7, 9});
}

TEST_F(ConvolutionTest, Pool1dCeilModeAndDilation) {
  Tensor x = Tensor::fromDoubles(DType::f64, {1, 1, 5}, {1, 2, 3, 4, 5});
  const char *ceil =
      "{kernel_shape = array<i64: 2>, strides = array<i64: 2>, ceil_mode = "
      "true";
  // Windows {0, 1}, {2, 3}, {4}: the last overhangs the input.
  expectTensorNear(runOne("strata.max_pool", std::string(ceil) + "}", {x},
                          "f64", "tensor<1x1x3xf64>"),
                   {1, 1, 3}, {2, 4, 5});
  expectTensorNear(runOne("strata.avg_pool", std::string(ceil) + "}", {x},
                          "f64", "tensor<1x1x3xf64>"),
                   {1, 1, 3}, {1.5, 3.5, 5});
  // The overhang past the (zero) end padding never counts.
  expectTensorNear(runOne("strata.avg_pool",
                          std::string(ceil) + ", count_include_pad = true}",
                          {x}, "f64", "tensor<1x1x3xf64>"),
                   {1, 1, 3}, {1.5, 3.5, 5});
  // Without ceil_mode the partial window is dropped.
  expectTensorNear(runOne("strata.max_pool",
                          "{kernel_shape = array<i64: 2>, strides = "
                          "array<i64: 2>}",
                          {x}, "f64", "tensor<1x1x2xf64>"),
                   {1, 1, 2}, {2, 4});

  // Dilation 2: windows {o, o + 2}.
  Tensor xd = Tensor::fromDoubles(DType::f64, {1, 1, 6}, {1, 5, 2, 4, 3, 0});
  expectTensorNear(runOne("strata.max_pool",
                          "{kernel_shape = array<i64: 2>, dilations = "
                          "array<i64: 2>}",
                          {xd}, "f64", "tensor<1x1x4xf64>"),
                   {1, 1, 4}, {2, 5, 3, 4});
}

/// Pools 2-D by first copying the input into a padded buffer whose padding
/// holds NaN (never a value), then scanning every window of that buffer.
/// `extra` rows/cols past the end padding are added for ceil_mode.
std::vector<double> paddedPool(const Tensor &x, bool isMax, int64_t k,
                               int64_t s, int64_t d, const int64_t pb[2],
                               const int64_t pe[2], int64_t oh, int64_t ow,
                               bool includePad) {
  int64_t nc = x.dim(0) * x.dim(1), h = x.dim(2), w = x.dim(3);
  // Large enough for any window of the output.
  int64_t hp = (oh - 1) * s + (k - 1) * d + 1,
          wp = (ow - 1) * s + (k - 1) * d + 1;
  hp = std::max(hp, pb[0] + h + pe[0]);
  wp = std::max(wp, pb[1] + w + pe[1]);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // 0: outside the padded input, 1: padding, 2: input.
  std::vector<double> buf(nc * hp * wp, nan);
  std::vector<int> kind(hp * wp, 0);
  for (int64_t a = 0; a < hp; ++a)
    for (int64_t e = 0; e < wp; ++e) {
      bool inPadded = a < pb[0] + h + pe[0] && e < pb[1] + w + pe[1];
      bool inInput = a >= pb[0] && a < pb[0] + h && e >= pb[1] && e < pb[1] + w;
      kind[a * wp + e] = inInput ? 2 : (inPadded ? 1 : 0);
      if (inInput)
        for (int64_t i = 0; i < nc; ++i)
          buf[(i * hp + a) * wp + e] =
              x.get((i * h + a - pb[0]) * w + e - pb[1]);
    }
  std::vector<double> out;
  for (int64_t i = 0; i < nc; ++i)
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t z = 0; z < ow; ++z) {
        std::vector<double> vals;
        int64_t count = 0;
        for (int64_t a = 0; a < k; ++a)
          for (int64_t e = 0; e < k; ++e) {
            int64_t r = y * s + a * d, c = z * s + e * d;
            if (kind[r * wp + c] == 2)
              vals.push_back(buf[(i * hp + r) * wp + c]);
            count +=
                kind[r * wp + c] == 2 || (includePad && kind[r * wp + c] == 1);
          }
        double acc = isMax ? *std::max_element(vals.begin(), vals.end()) : 0.0;
        if (!isMax) {
          for (double v : vals)
            acc += v;
          acc /= count;
        }
        out.push_back(acc);
      }
  return out;
}

TEST_F(ConvolutionTest, PoolRandomMatchesPaddedBuffer) {
  Tensor x = randomTensor(DType::f64, {2, 3, 8, 7});
  int64_t pb[2] = {1, 0}, pe[2] = {2, 1};
  // floor: (8 + 3 - 3) / 2 + 1 = 5, (7 + 1 - 3) / 2 + 1 = 3.
  const char *attrs = "kernel_shape = array<i64: 3, 3>, strides = array<i64: "
                      "2, 2>, pads = array<i64: 1, 0, 2, 1>";
  expectTensorNear(runOne("strata.max_pool", std::string("{") + attrs + "}",
                          {x}, "f64", "tensor<2x3x?x?xf64>"),
                   {2, 3, 5, 3},
                   paddedPool(x, true, 3, 2, 1, pb, pe, 5, 3, false), 1e-12);
  expectTensorNear(runOne("strata.avg_pool", std::string("{") + attrs + "}",
                          {x}, "f64", "tensor<2x3x5x3xf64>"),
                   {2, 3, 5, 3},
                   paddedPool(x, false, 3, 2, 1, pb, pe, 5, 3, false), 1e-12);
  expectTensorNear(
      runOne("strata.avg_pool",
             std::string("{") + attrs + ", count_include_pad = true}", {x},
             "f64", "tensor<2x3x5x3xf64>"),
      {2, 3, 5, 3}, paddedPool(x, false, 3, 2, 1, pb, pe, 5, 3, true), 1e-12);
  // ceil_mode: ceil(8 / 2) + 1 = 5 (its start 8 < 8 + 1 is kept), and
  // ceil(5 / 2) + 1 = 4 (start 6 < 7).
  expectTensorNear(runOne("strata.avg_pool",
                          std::string("{") + attrs +
                              ", ceil_mode = true, count_include_pad = true}",
                          {x}, "f64", "tensor<2x3x5x4xf64>"),
                   {2, 3, 5, 4},
                   paddedPool(x, false, 3, 2, 1, pb, pe, 5, 4, true), 1e-12);
  expectTensorNear(
      runOne("strata.max_pool",
             std::string("{") + attrs +
                 ", ceil_mode = true, dilations = array<i64: 1, 1>}",
             {x}, "f64", "tensor<2x3x5x4xf64>"),
      {2, 3, 5, 4}, paddedPool(x, true, 3, 2, 1, pb, pe, 5, 4, false), 1e-12);
  // Dilated max pool, auto_pad same_lower: 7 wide, kernel 2 dilated 2
  // (extent 3), stride 2: out 4, total (4 - 1) * 2 + 3 - 7 = 2: 1 and 1;
  // 8 high: out 4, total 1: at the beginning.
  int64_t lb[2] = {1, 1}, le[2] = {0, 1};
  expectTensorNear(
      runOne("strata.max_pool",
             "{kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, "
             "dilations = array<i64: 2, 2>, auto_pad = "
             "#strata.auto_pad<same_lower>}",
             {x}, "f64", "tensor<2x3x4x4xf64>"),
      {2, 3, 4, 4}, paddedPool(x, true, 2, 2, 2, lb, le, 4, 4, false), 1e-12);
}

TEST_F(ConvolutionTest, MaxPoolPropagatesNaNAndRejectsEmptyWindows) {
  Tensor x =
      Tensor::fromDoubles(DType::f32, {1, 1, 4},
                          {1, std::numeric_limits<double>::quiet_NaN(), 3, 4});
  Tensor y = runOne("strata.max_pool",
                    "{kernel_shape = array<i64: 2>, strides = array<i64: 2>}",
                    {x}, "f32", "tensor<1x1x2xf32>");
  ASSERT_EQ(y.shape(), (std::vector<int64_t>{1, 1, 2}));
  EXPECT_TRUE(std::isnan(y.get(0)));
  EXPECT_EQ(y.get(1), 4);
  // Size 2, kernel 2 dilated 3 (taps o - 3 and o), pads 3: window 2 has taps
  // -1 and 2, both outside the input.
  std::string err = runError(
      unaryFn("strata.max_pool",
              "{kernel_shape = array<i64: 2>, dilations = array<i64: 3>, pads "
              "= array<i64: 3, 3>}",
              {"tensor<1x1x2xf32>"}, "tensor<1x1x5xf32>"),
      {Tensor::fromDoubles(DType::f32, {1, 1, 2}, {1, 2})});
  EXPECT_NE(err.find("pooling window that covers no input element"),
            std::string::npos)
      << err;
}

TEST_F(ConvolutionTest, Pool3d) {
  Tensor x = randomTensor(DType::f64, {1, 2, 4, 4, 4});
  Tensor y = runOne("strata.avg_pool",
                    "{kernel_shape = array<i64: 2, 2, 2>, strides = "
                    "array<i64: 2, 2, 2>}",
                    {x}, "f64", "tensor<1x2x2x2x2xf64>");
  Tensor m = runOne("strata.max_pool",
                    "{kernel_shape = array<i64: 2, 2, 2>, strides = "
                    "array<i64: 2, 2, 2>}",
                    {x}, "f64", "tensor<1x2x2x2x2xf64>");
  std::vector<double> avg, mx;
  for (int c = 0; c < 2; ++c)
    for (int a = 0; a < 2; ++a)
      for (int b = 0; b < 2; ++b)
        for (int e = 0; e < 2; ++e) {
          double sum = 0, best = -1e300;
          for (int i = 0; i < 8; ++i) {
            double v = x.at({0, c, 2 * a + (i >> 2), 2 * b + ((i >> 1) & 1),
                             2 * e + (i & 1)});
            sum += v;
            best = std::max(best, v);
          }
          avg.push_back(sum / 8);
          mx.push_back(best);
        }
  expectTensorNear(y, {1, 2, 2, 2, 2}, avg, 1e-12);
  expectTensorNear(m, {1, 2, 2, 2, 2}, mx, 1e-12);
}

//===----------------------------------------------------------------------===//
// strata.global_max_pool, strata.global_avg_pool
//===----------------------------------------------------------------------===//

TEST_F(ConvolutionTest, GlobalPools) {
  Tensor x = Tensor::fromDoubles(DType::f32, {1, 2, 2, 2},
                                 {1, -2, 3, 0.5, -1, -7, -3, -0.5});
  expectTensorNear(
      runOne("strata.global_max_pool", "", {x}, "f32", "tensor<1x2x1x1xf32>"),
      {1, 2, 1, 1}, {3, -0.5});
  expectTensorNear(
      runOne("strata.global_avg_pool", "", {x}, "f32", "tensor<1x2x1x1xf32>"),
      {1, 2, 1, 1}, {0.625, -2.875});

  Tensor r = randomTensor(DType::f64, {3, 4, 5});
  Tensor mx =
      runOne("strata.global_max_pool", "", {r}, "f64", "tensor<?x4x1xf64>");
  Tensor av =
      runOne("strata.global_avg_pool", "", {r}, "f64", "tensor<3x4x1xf64>");
  std::vector<double> wantMax, wantAvg;
  for (int n = 0; n < 3; ++n)
    for (int c = 0; c < 4; ++c) {
      std::vector<double> v;
      for (int i = 0; i < 5; ++i)
        v.push_back(r.at({n, c, i}));
      wantMax.push_back(*std::max_element(v.begin(), v.end()));
      double sum = 0;
      for (double e : v)
        sum += e;
      wantAvg.push_back(sum / 5);
    }
  expectTensorNear(mx, {3, 4, 1}, wantMax, 1e-12);
  expectTensorNear(av, {3, 4, 1}, wantAvg, 1e-12);
}

TEST_F(ConvolutionTest, GlobalPoolRuntimeEmptyExtentError) {
  std::string err =
      runError(unaryFn("strata.global_max_pool", "", {"tensor<1x2x?xf32>"},
                       "tensor<1x2x1xf32>"),
               {Tensor(DType::f32, {1, 2, 0})});
  EXPECT_NE(err.find("has an empty spatial extent"), std::string::npos) << err;
}

//===----------------------------------------------------------------------===//
// strata.lrn
//===----------------------------------------------------------------------===//

TEST_F(ConvolutionTest, LRNHandWorked) {
  // size 2: window [c, c + 1]; alpha / size = 1.5, beta 1, bias 1.
  Tensor x = Tensor::fromDoubles(DType::f64, {1, 3, 1, 1}, {1, 2, 3});
  Tensor y =
      runOne("strata.lrn", "{size = 2, alpha = 3.0, beta = 1.0, bias = 1.0}",
             {x}, "f64", "tensor<1x3x1x1xf64>");
  expectTensorNear(y, {1, 3, 1, 1},
                   {1 / (1 + 1.5 * 5), 2 / (1 + 1.5 * 13), 3 / (1 + 1.5 * 9)},
                   1e-12);
}

TEST_F(ConvolutionTest, LRNRandomMatchesZeroPaddedChannels) {
  Tensor x = randomTensor(DType::f32, {2, 7, 3, 2}, -2, 2);
  for (int64_t size : {5, 4, 1}) {
    Tensor y = runOne("strata.lrn",
                      "{size = " + std::to_string(size) +
                          ", alpha = 0.5, beta = 0.75, bias = 2.0}",
                      {x}, "f32", "tensor<2x7x3x2xf32>");
    // Squares of the channels padded with zeros: floor((size-1)/2) before,
    // ceil((size-1)/2) after.
    int64_t before = (size - 1) / 2, after = size - 1 - before;
    std::vector<double> want;
    for (int n = 0; n < 2; ++n)
      for (int c = 0; c < 7; ++c)
        for (int h = 0; h < 3; ++h)
          for (int w = 0; w < 2; ++w) {
            std::vector<double> sq(7 + before + after, 0.0);
            for (int j = 0; j < 7; ++j)
              sq[j + before] = x.at({n, j, h, w}) * x.at({n, j, h, w});
            double sum = 0;
            for (int64_t j = 0; j < size; ++j)
              sum += sq[c + j];
            want.push_back(x.at({n, c, h, w}) /
                           std::pow(2.0 + 0.5 / size * sum, 0.75));
          }
    expectTensorNear(y, {2, 7, 3, 2}, want, 1e-6);
  }
  // Defaults alpha 1e-4, beta 0.75, bias 1.
  Tensor one = Tensor::fromDoubles(DType::f64, {1, 1, 1}, {10});
  expectTensorNear(
      runOne("strata.lrn", "{size = 3}", {one}, "f64", "tensor<1x1x1xf64>"),
      {1, 1, 1}, {10 / std::pow(1 + 1e-4 / 3 * 100, 0.75)}, 1e-12);
}

//===----------------------------------------------------------------------===//
// avg_pool with dilations
//===----------------------------------------------------------------------===//

TEST_F(ConvolutionTest, AvgPoolDilations) {
  // Dilation 2: windows {o, o + 2}.
  Tensor x = Tensor::fromDoubles(DType::f64, {1, 1, 6}, {1, 5, 2, 4, 3, 0});
  expectTensorNear(runOne("strata.avg_pool",
                          "{kernel_shape = array<i64: 2>, dilations = "
                          "array<i64: 2>}",
                          {x}, "f64", "tensor<1x1x4xf64>"),
                   {1, 1, 4}, {1.5, 4.5, 2.5, 2}, 1e-12);
  // Pads 1, 1: windows {o - 1, o + 1}; the first and the last hold one
  // input element, divided by 1 (or by 2 with count_include_pad).
  const char *padded = "kernel_shape = array<i64: 2>, dilations = array<i64: "
                       "2>, pads = array<i64: 1, 1>";
  expectTensorNear(runOne("strata.avg_pool", std::string("{") + padded + "}",
                          {x}, "f64", "tensor<1x1x6xf64>"),
                   {1, 1, 6}, {5, 1.5, 4.5, 2.5, 2, 3}, 1e-12);
  expectTensorNear(
      runOne("strata.avg_pool",
             std::string("{") + padded + ", count_include_pad = true}", {x},
             "f64", "tensor<1x1x6xf64>"),
      {1, 1, 6}, {2.5, 1.5, 4.5, 2.5, 2, 1.5}, 1e-12);
}

TEST_F(ConvolutionTest, AvgPoolDilatedRandomMatchesPaddedBuffer) {
  Tensor x = randomTensor(DType::f64, {2, 3, 8, 7});
  // As the dilated max pool above: same_lower, kernel 2 dilated 2, stride 2.
  int64_t lb[2] = {1, 1}, le[2] = {0, 1};
  const char *attrs =
      "kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, "
      "dilations = array<i64: 2, 2>, auto_pad = #strata.auto_pad<same_lower>";
  expectTensorNear(runOne("strata.avg_pool", std::string("{") + attrs + "}",
                          {x}, "f64", "tensor<2x3x4x4xf64>"),
                   {2, 3, 4, 4},
                   paddedPool(x, false, 2, 2, 2, lb, le, 4, 4, false), 1e-12);
  expectTensorNear(
      runOne("strata.avg_pool",
             std::string("{") + attrs + ", count_include_pad = true}", {x},
             "f64", "tensor<2x3x4x4xf64>"),
      {2, 3, 4, 4}, paddedPool(x, false, 2, 2, 2, lb, le, 4, 4, true), 1e-12);
}

//===----------------------------------------------------------------------===//
// col2im
//===----------------------------------------------------------------------===//

TEST_F(ConvolutionTest, Col2ImHandWorked) {
  // 1-D image of 4, blocks of 2, stride 1: column l covers l and l + 1.
  Tensor x = Tensor::fromDoubles(DType::f64, {1, 2, 3}, {1, 2, 3, 10, 20, 30});
  expectTensorNear(runOne("strata.col2im",
                          "{image_shape = array<i64: 4>, block_shape = "
                          "array<i64: 2>}",
                          {x}, "f64", "tensor<1x1x4xf64>"),
                   {1, 1, 4}, {1, 12, 23, 30}, 1e-12);
  // Stride 2, pads 1, 1 on an image of 3: block positions -1 and 1; the
  // offsets at -1 fall in the padding.
  x = Tensor::fromDoubles(DType::f64, {1, 2, 2}, {1, 2, 10, 20});
  expectTensorNear(runOne("strata.col2im",
                          "{image_shape = array<i64: 3>, block_shape = "
                          "array<i64: 2>, strides = array<i64: 2>, pads = "
                          "array<i64: 1, 1>}",
                          {x}, "f64", "tensor<1x1x3xf64>"),
                   {1, 1, 3}, {10, 2, 20}, 1e-12);
  // ONNX's example: 5x5 image, blocks 1x5: column l is image row l.
  std::vector<double> v(25);
  for (int i = 0; i < 25; ++i)
    v[i] = i;
  Tensor rows = Tensor::fromDoubles(DType::f32, {1, 5, 5}, v);
  std::vector<double> want(25);
  for (int r = 0; r < 5; ++r)
    for (int c = 0; c < 5; ++c)
      want[r * 5 + c] = v[c * 5 + r];
  expectTensorNear(runOne("strata.col2im",
                          "{image_shape = array<i64: 5, 5>, block_shape = "
                          "array<i64: 1, 5>}",
                          {rows}, "f32", "tensor<1x1x5x5xf32>"),
                   {1, 1, 5, 5}, want);
}

TEST_F(ConvolutionTest, Col2ImIsTheAdjointOfIm2col) {
  // <col2im(X), Y> = <X, im2col(Y)> for all X, Y; im2col here by explicit
  // loops over a zero-padded copy of Y.
  int64_t n = 2, c = 3, h = 6, w = 7, kh = 2, kw = 3, sh = 2, sw = 1, dh = 1,
          dw = 2, pt = 1, pl = 0, pb = 1, pr = 2;
  int64_t hp = h + pt + pb, wp = w + pl + pr;
  int64_t lh = (hp - ((kh - 1) * dh + 1)) / sh + 1;
  int64_t lw = (wp - ((kw - 1) * dw + 1)) / sw + 1;
  Tensor x = randomTensor(DType::f64, {n, c * kh * kw, lh * lw});
  Tensor img = randomTensor(DType::f64, {n, c, h, w});
  std::string attrs =
      "{image_shape = array<i64: 6, 7>, block_shape = array<i64: 2, 3>, "
      "strides = array<i64: 2, 1>, dilations = array<i64: 1, 2>, pads = "
      "array<i64: 1, 0, 1, 2>}";
  Tensor y = runOne("strata.col2im", attrs, {x}, "f64", "tensor<2x3x6x7xf64>");
  ASSERT_EQ(y.shape(), (std::vector<int64_t>{n, c, h, w}));
  std::vector<double> padded(n * c * hp * wp, 0.0);
  for (int64_t i = 0; i < n * c; ++i)
    for (int64_t r = 0; r < h; ++r)
      for (int64_t q = 0; q < w; ++q)
        padded[(i * hp + r + pt) * wp + q + pl] = img.get((i * h + r) * w + q);
  double lhs = 0, rhs = 0;
  for (int64_t i = 0; i < y.numElements(); ++i)
    lhs += y.get(i) * img.get(i);
  for (int64_t b = 0; b < n; ++b)
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t a = 0; a < kh; ++a)
        for (int64_t e = 0; e < kw; ++e)
          for (int64_t r = 0; r < lh; ++r)
            for (int64_t q = 0; q < lw; ++q) {
              int64_t row = (ch * kh + a) * kw + e, col = r * lw + q;
              rhs += x.get((b * c * kh * kw + row) * lh * lw + col) *
                     padded[((b * c + ch) * hp + r * sh + a * dh) * wp +
                            q * sw + e * dw];
            }
  EXPECT_NEAR(lhs, rhs, 1e-10);
}

//===----------------------------------------------------------------------===//
// grid_sample
//===----------------------------------------------------------------------===//

TEST_F(ConvolutionTest, GridSampleHandWorked) {
  Tensor x = Tensor::fromDoubles(DType::f64, {1, 1, 2, 2}, {1, 2, 3, 4});
  // Grid entries are (x, y): x indexes columns.
  Tensor g = Tensor::fromDoubles(DType::f64, {1, 1, 4, 2},
                                 {-1, -1, 1, 1, 0, 0, 1, -1});
  expectTensorNear(runOne("strata.grid_sample", "{align_corners = true}",
                          {x, g}, "f64", "tensor<1x1x1x4xf64>"),
                   {1, 1, 1, 4}, {1, 4, 2.5, 2}, 1e-12);
  // Without align_corners, -1 is the outer edge (pixel coordinate -0.5):
  // half of each tap is outside. (0.5, 0) is column 1, between the rows.
  // (-2, 0) is at column -1.5, outside.
  g = Tensor::fromDoubles(DType::f64, {1, 1, 4, 2},
                          {-1, -1, 0, 0, 0.5, 0, -2, 0});
  expectTensorNear(
      runOne("strata.grid_sample", "", {x, g}, "f64", "tensor<1x1x1x4xf64>"),
      {1, 1, 1, 4}, {0.25, 2.5, 3, 0}, 1e-12);
  // border: taps outside read the edge; -1.5 is clamped to column 0.
  expectTensorNear(runOne("strata.grid_sample", "{padding_mode = \"border\"}",
                          {x, g}, "f64", "tensor<1x1x1x4xf64>"),
                   {1, 1, 1, 4}, {1, 2.5, 3, 2}, 1e-12);
  // reflection: tap -1 reflects at -0.5 to 0; -1.5 reflects to 0.5.
  expectTensorNear(runOne("strata.grid_sample",
                          "{padding_mode = \"reflection\"}", {x, g}, "f64",
                          "tensor<1x1x1x4xf64>"),
                   {1, 1, 1, 4}, {1, 2.5, 3, 2.5}, 1e-12);
  // nearest: column 0.7 -> 1, row -0.1 -> 0; 0.5 rounds to even (0).
  g = Tensor::fromDoubles(DType::f64, {1, 1, 2, 2}, {0.2, -0.6, 0, 0});
  expectTensorNear(runOne("strata.grid_sample", "{mode = \"nearest\"}", {x, g},
                          "f64", "tensor<1x1x1x2xf64>"),
                   {1, 1, 1, 2}, {2, 1}, 1e-12);
  // cubic, 1-D [0, 1, 4, 9], align_corners: g = 0 is pixel 1.5, taps 0..3
  // with Keys weights -0.09375, 0.59375, 0.59375, -0.09375; g = -1/3 is
  // pixel 1 exactly.
  Tensor x1 = Tensor::fromDoubles(DType::f64, {1, 1, 4}, {0, 1, 4, 9});
  Tensor g1 = Tensor::fromDoubles(DType::f64, {1, 2, 1}, {0, -1.0 / 3});
  expectTensorNear(runOne("strata.grid_sample",
                          "{mode = \"cubic\", align_corners = true}", {x1, g1},
                          "f64", "tensor<1x1x2xf64>"),
                   {1, 1, 2}, {0.59375 * 5 - 0.09375 * 9, 1}, 1e-12);
}

/// Hat (linear) and Keys cubic (a = -0.75) kernels of a distance.
double hat(double d) { return std::max(0.0, 1 - std::fabs(d)); }
double keys(double d) {
  d = std::fabs(d);
  const double a = -0.75;
  if (d <= 1)
    return (a + 2) * d * d * d - (a + 3) * d * d + 1;
  if (d < 2)
    return a * d * d * d - 5 * a * d * d + 8 * a * d - 4 * a;
  return 0;
}

/// grid_sample with zeros padding in 2-D, linear or cubic, as the sum over
/// all pixels of value * kernel(distance) per dim ([N, C, OH, OW]).
std::vector<double> gridSampleKernelSums(const Tensor &x, const Tensor &g,
                                         bool align, bool cubic) {
  int64_t n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
  int64_t oh = g.dim(1), ow = g.dim(2);
  std::vector<double> out;
  for (int64_t b = 0; b < n; ++b)
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t r = 0; r < oh; ++r)
        for (int64_t q = 0; q < ow; ++q) {
          double gx = g.get(((b * oh + r) * ow + q) * 2);
          double gy = g.get(((b * oh + r) * ow + q) * 2 + 1);
          double ux = align ? (gx + 1) * (w - 1) / 2 : (gx + 1) * w / 2 - 0.5;
          double uy = align ? (gy + 1) * (h - 1) / 2 : (gy + 1) * h / 2 - 0.5;
          double acc = 0;
          for (int64_t i = 0; i < h; ++i)
            for (int64_t j = 0; j < w; ++j)
              acc += x.get(((b * c + ch) * h + i) * w + j) *
                     (cubic ? keys(uy - i) * keys(ux - j)
                            : hat(uy - i) * hat(ux - j));
          out.push_back(acc);
        }
  return out;
}

TEST_F(ConvolutionTest, GridSampleRandomMatchesKernelSums) {
  // With zeros padding, linear / cubic sampling is the sum over all pixels
  // of value * kernel(distance) per dim.
  int64_t n = 2, c = 2, h = 4, w = 5, oh = 3, ow = 4;
  Tensor x = randomTensor(DType::f64, {n, c, h, w});
  Tensor g = randomTensor(DType::f64, {n, oh, ow, 2}, -1.2, 1.2);
  for (bool align : {false, true})
    for (bool cubic : {false, true}) {
      std::string attrs =
          std::string("{mode = \"") + (cubic ? "cubic" : "linear") +
          "\", align_corners = " + (align ? "true" : "false") + "}";
      expectTensorNear(runOne("strata.grid_sample", attrs, {x, g}, "f64",
                              "tensor<2x2x3x4xf64>"),
                       {n, c, oh, ow}, gridSampleKernelSums(x, g, align, cubic),
                       1e-12);
    }
}

TEST_F(ConvolutionTest, GridSample3d) {
  // Trilinear: at the center of a 2x2x2 cube (align_corners) the mean; grid
  // entries are (x, y, z) = (last dim, middle, first).
  Tensor x = Tensor::fromDoubles(DType::f32, {1, 1, 2, 2, 2},
                                 {0, 1, 2, 3, 4, 5, 6, 7});
  Tensor g = Tensor::fromDoubles(DType::f32, {1, 1, 1, 3, 3},
                                 {0, 0, 0, 1, -1, -1, -1, -1, 1});
  expectTensorNear(runOne("strata.grid_sample", "{align_corners = true}",
                          {x, g}, "f32", "tensor<1x1x1x1x3xf32>"),
                   {1, 1, 1, 1, 3}, {3.5, 1, 4});
  expectTensorNear(runOne("strata.grid_sample",
                          "{align_corners = true, mode = \"nearest\"}", {x, g},
                          "f32", "tensor<1x1x1x1x3xf32>"),
                   {1, 1, 1, 1, 3}, {0, 1, 4});
}

//===----------------------------------------------------------------------===//
// roi_align
//===----------------------------------------------------------------------===//

/// @main applying strata.roi_align with `attrs` to input, rois (f64) and
/// batch indices (i64).
std::string roiAlignFn(const std::vector<int64_t> &x, int64_t boxes,
                       const std::string &attrs,
                       const std::vector<int64_t> &result) {
  return unaryFn("strata.roi_align", attrs,
                 {ty(x, "f64"), ty({boxes, 4}, "f64"), ty({boxes}, "i64")},
                 ty(result, "f64"));
}

TEST_F(ConvolutionTest, RoiAlignHandWorked) {
  // Two 4x4 images v = 4 * row + col (+ 100 in the second): bilinear
  // interpolation reproduces the plane exactly inside the image.
  std::vector<double> v(32);
  for (int i = 0; i < 32; ++i)
    v[i] = (i % 16) + (i >= 16 ? 100 : 0);
  Tensor x = Tensor::fromDoubles(DType::f64, {2, 1, 4, 4}, v);
  Tensor rois = Tensor::fromDoubles(
      DType::f64, {5, 4},
      {0, 0, 2, 2, 0, 0, 2, 2, 2, 2, 4, 4, 10, 10, 12, 12, 0, 0, 4, 4});
  Tensor batch = Tensor::fromInts(DType::i64, {5}, {0, 1, 0, 0, 0});
  // output_half_pixel, 2x2 samples: box (0, 0, 2, 2) samples rows and cols
  // {0.5, 1.5} (mean 4 * 1 + 1); the third box's samples at 3.5 read the
  // last row / col only (means 2.75); the fourth lies outside (0); the
  // fifth samples {1, 3}.
  auto out = run(roiAlignFn({2, 1, 4, 4}, 5,
                            "{coordinate_transformation_mode = "
                            "\"output_half_pixel\", sampling_ratio = 2}",
                            {5, 1, 1, 1}),
                 {x, rois, batch});
  ASSERT_EQ(out.size(), 1u);
  expectTensorNear(out[0], {5, 1, 1, 1}, {5, 105, 13.75, 0, 10}, 1e-12);
  // half_pixel shifts the box by -0.5: samples {0, 1}; spatial_scale 0.5
  // halves the fifth box to the first.
  out = run(roiAlignFn({2, 1, 4, 4}, 5,
                       "{sampling_ratio = 2, spatial_scale = 5.000000e-01}",
                       {5, 1, 1, 1}),
            {x, rois, batch});
  ASSERT_EQ(out.size(), 1u);
  // Box 1 scaled: (0, 0, 1, 1) - 0.5: samples {-0.25, 0.25} -> clamped
  // {0, 0.25}; box 3: (1, 1, 2, 2) - 0.5: {0.75, 1.25}; box 4: (5, 5, 6, 6)
  // - 0.5: {4.75, 5.25} outside; box 5 = (0, 0, 2, 2) - 0.5: {0, 1}.
  expectTensorNear(out[0], {5, 1, 1, 1},
                   {0.125 * 5, 100 + 0.125 * 5, 5, 0, 2.5}, 1e-12);
  // 2x2 bins of box (0, 0, 2, 2), output_half_pixel: samples {0.25, 0.75}
  // and {1.25, 1.75}.
  out = run(roiAlignFn({2, 1, 4, 4}, 1,
                       "{coordinate_transformation_mode = "
                       "\"output_half_pixel\", sampling_ratio = 2, "
                       "output_height = 2, output_width = 2}",
                       {1, 1, 2, 2}),
            {x, Tensor::fromDoubles(DType::f64, {1, 4}, {0, 0, 2, 2}),
             Tensor::fromInts(DType::i64, {1}, {0})});
  ASSERT_EQ(out.size(), 1u);
  expectTensorNear(out[0], {1, 1, 2, 2}, {2.5, 3.5, 6.5, 7.5}, 1e-12);
  // max: per sample the largest weighted corner (0.25 * the largest of the
  // four neighbours), then the largest over samples: 0.25 * 10.
  out = run(roiAlignFn({2, 1, 4, 4}, 1,
                       "{coordinate_transformation_mode = "
                       "\"output_half_pixel\", sampling_ratio = 2, mode = "
                       "\"max\"}",
                       {1, 1, 1, 1}),
            {x, Tensor::fromDoubles(DType::f64, {1, 4}, {0, 0, 2, 2}),
             Tensor::fromInts(DType::i64, {1}, {0})});
  ASSERT_EQ(out.size(), 1u);
  expectTensorNear(out[0], {1, 1, 1, 1}, {2.5}, 1e-12);
}

/// roi_align (avg, half_pixel, adaptive sampling) as sums over all pixels
/// of value * hat(dy) * hat(dx) at each sample clamped into the image
/// ([R, C, oh, ow]).
std::vector<double> roiAlignHatSums(const Tensor &x, const Tensor &rois,
                                    const Tensor &batch, double scale,
                                    int64_t oh, int64_t ow) {
  int64_t c = x.dim(1), h = x.dim(2), w = x.dim(3);
  std::vector<double> out;
  for (int64_t k = 0; k < rois.dim(0); ++k) {
    double x0 = rois.get(k * 4) * scale - 0.5;
    double y0 = rois.get(k * 4 + 1) * scale - 0.5;
    double bw = (rois.get(k * 4 + 2) - rois.get(k * 4)) * scale;
    double bh = (rois.get(k * 4 + 3) - rois.get(k * 4 + 1)) * scale;
    int64_t gh = static_cast<int64_t>(std::ceil(bh / oh));
    int64_t gw = static_cast<int64_t>(std::ceil(bw / ow));
    int64_t b = batch.getInt(k);
    for (int64_t ch = 0; ch < c; ++ch)
      for (int64_t ph = 0; ph < oh; ++ph)
        for (int64_t pw = 0; pw < ow; ++pw) {
          double acc = 0;
          for (int64_t iy = 0; iy < gh; ++iy)
            for (int64_t ix = 0; ix < gw; ++ix) {
              double sy = y0 + (ph + (iy + 0.5) / gh) * bh / oh;
              double sx = x0 + (pw + (ix + 0.5) / gw) * bw / ow;
              if (sy < -1 || sy > h || sx < -1 || sx > w)
                continue;
              sy = std::clamp(sy, 0.0, h - 1.0);
              sx = std::clamp(sx, 0.0, w - 1.0);
              for (int64_t i = 0; i < h; ++i)
                for (int64_t j = 0; j < w; ++j)
                  acc += x.get(((b * c + ch) * h + i) * w + j) * hat(sy - i) *
                         hat(sx - j);
            }
          out.push_back(acc / std::max<int64_t>(gh * gw, 1));
        }
  }
  return out;
}

/// Boxes [R, 4] from R * 4 values: corners ordered (x1 <= x2, y1 <= y2).
Tensor orderedBoxes(const std::vector<double> &p) {
  std::vector<double> r;
  for (size_t k = 0; k + 3 < p.size(); k += 4)
    r.insert(r.end(), {std::min(p[k], p[k + 2]), std::min(p[k + 1], p[k + 3]),
                       std::max(p[k], p[k + 2]), std::max(p[k + 1], p[k + 3])});
  return Tensor::fromDoubles(DType::f64,
                             {static_cast<int64_t>(p.size() / 4), 4}, r);
}

TEST_F(ConvolutionTest, RoiAlignRandomMatchesHatSums) {
  // Average mode, adaptive sampling: each sample is the sum over all pixels
  // of value * hat(dy) * hat(dx) at the sample clamped into the image.
  int64_t n = 2, c = 2, h = 6, w = 7, boxes = 4, oh = 2, ow = 3;
  Tensor x = randomTensor(DType::f64, {n, c, h, w});
  Tensor rois = orderedBoxes(random(boxes * 4, 0, 14));
  Tensor batch = Tensor::fromInts(DType::i64, {boxes}, {1, 0, 1, 0});
  auto out = run(roiAlignFn({n, c, h, w}, boxes,
                            "{output_height = 2, output_width = 3, "
                            "spatial_scale = 5.000000e-01}",
                            {boxes, c, oh, ow}),
                 {x, rois, batch});
  ASSERT_EQ(out.size(), 1u);
  expectTensorNear(out[0], {boxes, c, oh, ow},
                   roiAlignHatSums(x, rois, batch, 0.5, oh, ow), 1e-10);
}

TEST_F(ConvolutionTest, RoiAlignBatchIndexOutOfRange) {
  std::string err =
      runError(roiAlignFn({1, 1, 4, 4}, 1, "", {1, 1, 1, 1}),
               {randomTensor(DType::f64, {1, 1, 4, 4}),
                Tensor::fromDoubles(DType::f64, {1, 4}, {0, 0, 2, 2}),
                Tensor::fromInts(DType::i64, {1}, {1})});
  EXPECT_NE(err.find("batch index 1 of box 0 is outside [0, 1)"),
            std::string::npos)
      << err;
}

TEST_F(ConvolutionTest, SamplingAnEmptyInputIsAnEvaluationError) {
  std::string err =
      runError(unaryFn("strata.grid_sample", "{padding_mode = \"border\"}",
                       {"tensor<1x1x?x2xf64>", "tensor<1x1x1x2xf64>"},
                       "tensor<1x1x1x1xf64>"),
               {Tensor(DType::f64, {1, 1, 0, 2}),
                Tensor::fromDoubles(DType::f64, {1, 1, 1, 2}, {0, 0})});
  EXPECT_NE(err.find("cannot sample the empty input 1x1x0x2"),
            std::string::npos)
      << err;
  err = runError(roiAlignFn({1, 1, 0, 4}, 1, "", {1, 1, 1, 1}),
                 {Tensor(DType::f64, {1, 1, 0, 4}),
                  Tensor::fromDoubles(DType::f64, {1, 4}, {0, 0, 2, 2}),
                  Tensor::fromInts(DType::i64, {1}, {0})});
  EXPECT_NE(err.find("cannot sample the empty input 1x1x0x4"),
            std::string::npos)
      << err;
}

//===----------------------------------------------------------------------===//
// deform_conv
//===----------------------------------------------------------------------===//

TEST_F(ConvolutionTest, DeformConvHandWorked1d) {
  // Kernel of one tap, weight 1: y[o] = mask[o] * x(o + offset[o]), linear
  // between neighbours, 0 past the end.
  Tensor x = Tensor::fromDoubles(DType::f64, {1, 1, 4}, {1, 2, 4, 8});
  Tensor w = Tensor::fromDoubles(DType::f64, {1, 1, 1}, {1});
  Tensor off = Tensor::fromDoubles(DType::f64, {1, 1, 4}, {0.5, 0.5, 0.5, 0.5});
  Tensor mask = Tensor::fromDoubles(DType::f64, {1, 1, 4}, {2, 1, 1, 1});
  Tensor y = runOne("strata.deform_conv", "", {x, w, off, mask}, "f64",
                    "tensor<1x1x4xf64>");
  expectTensorNear(y, {1, 1, 4}, {3, 3, 6, 4}, 1e-12);
  // Two taps [1, -1], offsets -1 for tap 0 and +0.25 for tap 1:
  // y[o] = x(o - 1) - x(o + 1.25).
  Tensor w2 = Tensor::fromDoubles(DType::f64, {1, 1, 2}, {1, -1});
  Tensor off2 = Tensor::fromDoubles(DType::f64, {1, 2, 3},
                                    {-1, -1, -1, 0.25, 0.25, 0.25});
  Tensor ones = Tensor::fromDoubles(DType::f64, {1, 2, 3}, {1, 1, 1, 1, 1, 1});
  Tensor b = Tensor::fromDoubles(DType::f64, {1}, {10});
  y = runOne("strata.deform_conv", "", {x, w2, off2, ones, b}, "f64",
             "tensor<1x1x3xf64>");
  expectTensorNear(y, {1, 1, 3}, {10 + 0 - 2.5, 10 + 1 - 5, 10 + 2 - 8 * 0.75},
                   1e-12);
}

TEST_F(ConvolutionTest, DeformConvZeroOffsetsMatchConv) {
  Tensor x = randomTensor(DType::f64, {2, 4, 7, 6});
  Tensor w = randomTensor(DType::f64, {6, 2, 3, 2});
  Tensor b = randomTensor(DType::f64, {6});
  Conv2dParams p;
  p.sh = 2;
  p.dw = 2;
  p.pt = 1;
  p.pb = 1;
  p.pl = 1;
  p.groups = 2;
  int64_t oh, ow;
  std::vector<double> want = im2colConv(x, w, &b, p, oh, ow);
  // offset_group 2: offsets [2, 2 * 6 * 2, oh, ow], mask [2, 2 * 6, oh, ow].
  Tensor off(DType::f64, {2, 24, oh, ow});
  Tensor mask(DType::f64, {2, 12, oh, ow});
  for (int64_t i = 0; i < mask.numElements(); ++i)
    mask.set(i, 1.0);
  std::string out =
      "tensor<2x6x" + std::to_string(oh) + "x" + std::to_string(ow) + "xf64>";
  Tensor y = runOne("strata.deform_conv",
                    "{strides = array<i64: 2, 1>, dilations = array<i64: 1, "
                    "2>, pads = array<i64: 1, 1, 1, 0>, groups = 2, "
                    "offset_group = 2}",
                    {x, w, off, mask, b}, "f64", out);
  expectTensorNear(y, {2, 6, oh, ow}, want, 1e-12);
}

/// deform_conv (2-D, unit strides and dilations, no pads, groups 1,
/// offset groups `og`) with each tap the sum over all pixels of
/// value * hat(dy) * hat(dx) ([N, M, OH, OW]).
std::vector<double> deformConvHatSums(const Tensor &x, const Tensor &w,
                                      const Tensor &off, const Tensor &mask,
                                      int64_t og) {
  int64_t n = x.dim(0), c = x.dim(1), h = x.dim(2), wd = x.dim(3);
  int64_t m = w.dim(0), kh = w.dim(2), kw = w.dim(3);
  int64_t oh = h - kh + 1, ow = wd - kw + 1, k = kh * kw;
  std::vector<double> out;
  for (int64_t b = 0; b < n; ++b)
    for (int64_t oc = 0; oc < m; ++oc)
      for (int64_t r = 0; r < oh; ++r)
        for (int64_t q = 0; q < ow; ++q) {
          double acc = 0;
          for (int64_t ic = 0; ic < c; ++ic) {
            int64_t g = ic / (c / og);
            for (int64_t a = 0; a < kh; ++a)
              for (int64_t e = 0; e < kw; ++e) {
                int64_t tap = (g * kh + a) * kw + e;
                auto plane = [&](int64_t ch) {
                  return (b * off.dim(1) + ch) * oh * ow + r * ow + q;
                };
                double py = r + a + off.get(plane(tap * 2));
                double px = q + e + off.get(plane(tap * 2 + 1));
                double v = 0;
                for (int64_t i = 0; i < h; ++i)
                  for (int64_t j = 0; j < wd; ++j)
                    v += x.get(((b * c + ic) * h + i) * wd + j) * hat(py - i) *
                         hat(px - j);
                acc += w.get(((oc * c + ic) * kh + a) * kw + e) *
                       mask.get(((b * og * k + tap) * oh + r) * ow + q) * v;
              }
          }
          out.push_back(acc);
        }
  return out;
}

TEST_F(ConvolutionTest, DeformConvRandomMatchesHatSums) {
  // Random offsets and mask: each tap is the sum over all pixels of
  // value * hat(dy) * hat(dx).
  int64_t n = 1, c = 4, h = 5, wd = 6, m = 2, kh = 2, kw = 2, og = 2;
  int64_t oh = h - 1, ow = wd - 1;
  Tensor x = randomTensor(DType::f64, {n, c, h, wd});
  Tensor w = randomTensor(DType::f64, {m, c, kh, kw});
  Tensor off = randomTensor(DType::f64, {n, og * kh * kw * 2, oh, ow}, -2, 2);
  Tensor mask = randomTensor(DType::f64, {n, og * kh * kw, oh, ow}, 0, 1);
  Tensor y = runOne("strata.deform_conv", "{offset_group = 2}",
                    {x, w, off, mask}, "f64", "tensor<1x2x4x5xf64>");
  expectTensorNear(y, {n, m, oh, ow}, deformConvHatSums(x, w, off, mask, og),
                   1e-12);
}

//===----------------------------------------------------------------------===//
// Gradient ops: hand-worked cases, and random inputs against central
// differences of this file's own forward computations above.
//===----------------------------------------------------------------------===//

/// @main applying a multi-result op to `args`, returning all its results.
std::string multiFn(const std::string &op, const std::string &attrs,
                    const std::vector<std::string> &argTypes,
                    const std::vector<std::string> &resultTypes) {
  std::string params, operands, types, results, values;
  for (size_t i = 0; i < argTypes.size(); ++i) {
    std::string sep = i ? ", " : "";
    params += sep + "%a" + std::to_string(i) + ": " + argTypes[i];
    operands += sep + "%a" + std::to_string(i);
    types += sep + argTypes[i];
  }
  for (size_t i = 0; i < resultTypes.size(); ++i) {
    std::string sep = i ? ", " : "";
    results += sep + resultTypes[i];
    values += sep + "%0#" + std::to_string(i);
  }
  return "func.func @main(" + params + ") -> (" + results +
         ") {\n  %0:" + std::to_string(resultTypes.size()) + " = " + op + " " +
         operands + " " + attrs + " : (" + types + ") -> (" + results +
         ")\n  return " + values + " : " + results + "\n}";
}

/// Central differences (step 1e-6) of sum(dy * f(args)) with respect to
/// every element of args[which].
std::vector<double> centralDifferences(
    const std::function<std::vector<double>(const std::vector<Tensor> &)> &f,
    std::vector<Tensor> args, const std::vector<double> &dy, size_t which) {
  auto loss = [&](const std::vector<Tensor> &at) {
    std::vector<double> y = f(at);
    double l = 0;
    for (size_t i = 0; i < y.size(); ++i)
      l += dy[i] * y[i];
    return l;
  };
  const double h = 1e-6;
  std::vector<double> out;
  for (int64_t e = 0; e < args[which].numElements(); ++e) {
    double v = args[which].get(e);
    args[which].set(e, v + h);
    double up = loss(args);
    args[which].set(e, v - h);
    double down = loss(args);
    args[which].set(e, v);
    out.push_back((up - down) / (2 * h));
  }
  return out;
}

TEST_F(ConvolutionTest, GridSampleGradHandWorked) {
  // 1-D [0, 1, 4, 9], align_corners: g maps to u = 1.5 (g + 1).
  Tensor x = Tensor::fromDoubles(DType::f64, {1, 1, 4}, {0, 1, 4, 9});
  Tensor dy = Tensor::fromDoubles(DType::f64, {1, 1, 1}, {1});
  std::vector<std::string> types = {"tensor<1x1x4xf64>", "tensor<1x1x1xf64>",
                                    "tensor<1x1x1xf64>"};
  std::vector<std::string> results = {"tensor<1x1x4xf64>", "tensor<1x1x1xf64>"};
  auto grads = [&](const std::string &attrs, double g) {
    return run(multiFn("strata.grid_sample_grad", attrs, types, results),
               {x, Tensor::fromDoubles(DType::f64, {1, 1, 1}, {g}), dy});
  };
  // Linear at u = 1.5: taps 1, 2 with weights 0.5; dy/dg = (4 - 1) * 1.5.
  auto out = grads("{align_corners = true}", 0);
  ASSERT_EQ(out.size(), 2u);
  expectTensorNear(out[0], {1, 1, 4}, {0, 0.5, 0.5, 0}, 1e-12);
  expectTensorNear(out[1], {1, 1, 1}, {4.5}, 1e-12);
  // Nearest: all to the rounded tap, no grid gradient.
  out = grads("{align_corners = true, mode = \"nearest\"}", 0.1);
  ASSERT_EQ(out.size(), 2u);
  expectTensorNear(out[0], {1, 1, 4}, {0, 0, 1, 0}, 1e-12);
  expectTensorNear(out[1], {1, 1, 1}, {0}, 1e-12);
  // Border: u = 3.75 is clamped to 3, so the grid gradient is 0.
  out = grads("{align_corners = true, padding_mode = \"border\"}", 1.5);
  ASSERT_EQ(out.size(), 2u);
  expectTensorNear(out[0], {1, 1, 4}, {0, 0, 0, 1}, 1e-12);
  expectTensorNear(out[1], {1, 1, 1}, {0}, 1e-12);
  // Reflection: u = 3.3 reflects to 2.7 (slope -1): taps 2, 3 with weights
  // 0.3, 0.7; dy/dg = (9 - 4) * -1 * 1.5.
  out = grads("{align_corners = true, padding_mode = \"reflection\"}", 1.2);
  ASSERT_EQ(out.size(), 2u);
  expectTensorNear(out[0], {1, 1, 4}, {0, 0, 0.3, 0.7}, 1e-12);
  expectTensorNear(out[1], {1, 1, 1}, {-7.5}, 1e-12);
  // Cubic at u = 1.5 (align_corners): the Keys kernel's slopes at distances
  // 1.5 and 0.5 are 0.1875 and -1.3125; the taps right of u get closer as u
  // grows (sign -1): d weights / du = 0.1875, -1.3125, 1.3125, -0.1875,
  // times du/dg = 1.5.
  out = grads("{align_corners = true, mode = \"cubic\"}", 0);
  ASSERT_EQ(out.size(), 2u);
  expectTensorNear(out[0], {1, 1, 4}, {-0.09375, 0.59375, 0.59375, -0.09375},
                   1e-12);
  expectTensorNear(out[1], {1, 1, 1},
                   {1.5 * (0.1875 * 0 - 1.3125 * 1 + 1.3125 * 4 - 0.1875 * 9)},
                   1e-12);
}

TEST_F(ConvolutionTest, GridSampleGradMatchesCentralDifferences) {
  int64_t n = 2, c = 2, h = 4, w = 5, oh = 3, ow = 4;
  Tensor x = randomTensor(DType::f64, {n, c, h, w});
  Tensor g = randomTensor(DType::f64, {n, oh, ow, 2}, -1.2, 1.2);
  Tensor dy = randomTensor(DType::f64, {n, c, oh, ow});
  std::vector<double> dys(dy.floatData(), dy.floatData() + dy.numElements());
  for (bool align : {false, true})
    for (bool cubic : {false, true}) {
      SCOPED_TRACE(std::string(cubic ? "cubic" : "linear") +
                   (align ? " align_corners" : ""));
      std::string attrs =
          std::string("{mode = \"") + (cubic ? "cubic" : "linear") +
          "\", align_corners = " + (align ? "true" : "false") + "}";
      auto out =
          run(multiFn("strata.grid_sample_grad", attrs,
                      {ty({n, c, h, w}, "f64"), ty({n, oh, ow, 2}, "f64"),
                       ty({n, c, oh, ow}, "f64")},
                      {ty({n, c, h, w}, "f64"), ty({n, oh, ow, 2}, "f64")}),
              {x, g, dy});
      ASSERT_EQ(out.size(), 2u);
      auto f = [&](const std::vector<Tensor> &a) {
        return gridSampleKernelSums(a[0], a[1], align, cubic);
      };
      expectTensorNear(out[0], {n, c, h, w},
                       centralDifferences(f, {x, g}, dys, 0), 1e-6);
      expectTensorNear(out[1], {n, oh, ow, 2},
                       centralDifferences(f, {x, g}, dys, 1), 1e-6);
    }
}

TEST_F(ConvolutionTest, RoiAlignGradHandWorked) {
  // The plane v = 4 * row + col: inside the image a sample reads
  // 4 * y + x, so d / d(x1, y1, x2, y2) of a bin average is
  // (1, 4, 1, 4) times the mean of d sample / d corner.
  std::vector<double> v(32);
  for (int i = 0; i < 32; ++i)
    v[i] = (i % 16) + (i >= 16 ? 100 : 0);
  Tensor x = Tensor::fromDoubles(DType::f64, {2, 1, 4, 4}, v);
  Tensor rois = Tensor::fromDoubles(DType::f64, {1, 4}, {0, 0, 2, 2});
  Tensor batch = Tensor::fromInts(DType::i64, {1}, {1});
  Tensor dy = Tensor::fromDoubles(DType::f64, {1, 1, 1, 1}, {1});
  std::vector<std::string> types = {ty({2, 1, 4, 4}, "f64"), ty({1, 4}, "f64"),
                                    ty({1}, "i64"), ty({1, 1, 1, 1}, "f64")};
  std::vector<std::string> results = {ty({2, 1, 4, 4}, "f64"),
                                      ty({1, 4}, "f64")};
  // Samples {0.5, 1.5}^2 (output_half_pixel, 2x2), each 1/4 of the bin,
  // each spreading 1/4 to its four corners; sample coordinate
  // y1 + (iy + 0.5) / 2 * (y2 - y1): mean weights 1/2 on either corner.
  auto out = run(multiFn("strata.roi_align_grad",
                         "{coordinate_transformation_mode = "
                         "\"output_half_pixel\", sampling_ratio = 2}",
                         types, results),
                 {x, rois, batch, dy});
  ASSERT_EQ(out.size(), 2u);
  std::vector<double> image1 = {1, 2, 1, 0, 2, 4, 2, 0, 1, 2, 1, 0, 0, 0, 0, 0};
  std::vector<double> want(16, 0.0);
  for (double e : image1)
    want.push_back(e / 16);
  expectTensorNear(out[0], {2, 1, 4, 4}, want, 1e-12);
  expectTensorNear(out[1], {1, 4}, {0.5, 2, 0.5, 2}, 1e-12);
  // max: the largest term is 0.25 * 110 at corner (2, 2) of sample
  // (1.5, 1.5), i.e. ly * lx * v(2, 2) with ly = y1 + 0.75 * (y2 - y1) - 1:
  // d / d y1 = lx * v * 0.25, d / d y2 = lx * v * 0.75 (x alike).
  out = run(multiFn("strata.roi_align_grad",
                    "{coordinate_transformation_mode = "
                    "\"output_half_pixel\", sampling_ratio = 2, mode = "
                    "\"max\"}",
                    types, results),
            {x, rois, batch, dy});
  ASSERT_EQ(out.size(), 2u);
  want.assign(32, 0.0);
  want[16 + 10] = 0.25;
  expectTensorNear(out[0], {2, 1, 4, 4}, want, 1e-12);
  expectTensorNear(
      out[1], {1, 4},
      {0.5 * 110 * 0.25, 0.5 * 110 * 0.25, 0.5 * 110 * 0.75, 0.5 * 110 * 0.75},
      1e-12);
}

TEST_F(ConvolutionTest, RoiAlignGradMatchesCentralDifferences) {
  int64_t n = 2, c = 2, h = 6, w = 7, boxes = 4, oh = 2, ow = 3;
  Tensor x = randomTensor(DType::f64, {n, c, h, w});
  Tensor rois = orderedBoxes(random(boxes * 4, 0, 14));
  Tensor batch = Tensor::fromInts(DType::i64, {boxes}, {1, 0, 1, 0});
  Tensor dy = randomTensor(DType::f64, {boxes, c, oh, ow});
  std::vector<double> dys(dy.floatData(), dy.floatData() + dy.numElements());
  auto out = run(multiFn("strata.roi_align_grad",
                         "{output_height = 2, output_width = 3, "
                         "spatial_scale = 5.000000e-01}",
                         {ty({n, c, h, w}, "f64"), ty({boxes, 4}, "f64"),
                          ty({boxes}, "i64"), ty({boxes, c, oh, ow}, "f64")},
                         {ty({n, c, h, w}, "f64"), ty({boxes, 4}, "f64")}),
                 {x, rois, batch, dy});
  ASSERT_EQ(out.size(), 2u);
  auto f = [&](const std::vector<Tensor> &a) {
    return roiAlignHatSums(a[0], a[1], batch, 0.5, oh, ow);
  };
  expectTensorNear(out[0], {n, c, h, w},
                   centralDifferences(f, {x, rois}, dys, 0), 1e-6);
  expectTensorNear(out[1], {boxes, 4}, centralDifferences(f, {x, rois}, dys, 1),
                   1e-6);
}

TEST_F(ConvolutionTest, DeformConvGradHandWorked1d) {
  // One tap of weight 1, offsets 0.5: y[o] = mask[o] * x(o + 0.5), the last
  // reading 0.5 * x[3] (its right neighbour is outside).
  Tensor x = Tensor::fromDoubles(DType::f64, {1, 1, 4}, {1, 2, 4, 8});
  Tensor w = Tensor::fromDoubles(DType::f64, {1, 1, 1}, {1});
  Tensor off = Tensor::fromDoubles(DType::f64, {1, 1, 4}, {0.5, 0.5, 0.5, 0.5});
  Tensor mask = Tensor::fromDoubles(DType::f64, {1, 1, 4}, {2, 1, 1, 1});
  Tensor dy = Tensor::fromDoubles(DType::f64, {1, 1, 4}, {1, 1, 1, 1});
  std::string t4 = "tensor<1x1x4xf64>";
  auto out = run(multiFn("strata.deform_conv_grad", "",
                         {t4, "tensor<1x1x1xf64>", t4, t4, t4},
                         {t4, "tensor<1x1x1xf64>", t4, t4}),
                 {x, w, off, mask, dy});
  ASSERT_EQ(out.size(), 4u);
  expectTensorNear(out[0], {1, 1, 4}, {1, 1.5, 1, 1}, 1e-12);
  expectTensorNear(out[1], {1, 1, 1}, {2 * 1.5 + 3 + 6 + 4}, 1e-12);
  // d x(p) / d p: the right neighbour minus the left (0 outside).
  expectTensorNear(out[2], {1, 1, 4}, {2 * 1, 2, 4, -8}, 1e-12);
  expectTensorNear(out[3], {1, 1, 4}, {1.5, 3, 6, 4}, 1e-12);
}

TEST_F(ConvolutionTest, DeformConvGradMatchesCentralDifferences) {
  int64_t n = 2, c = 4, h = 4, wd = 5, m = 2, kh = 2, kw = 2, og = 2;
  int64_t oh = h - 1, ow = wd - 1;
  Tensor x = randomTensor(DType::f64, {n, c, h, wd});
  Tensor w = randomTensor(DType::f64, {m, c, kh, kw});
  Tensor off = randomTensor(DType::f64, {n, og * kh * kw * 2, oh, ow}, -2, 2);
  Tensor mask = randomTensor(DType::f64, {n, og * kh * kw, oh, ow}, 0, 1);
  Tensor dy = randomTensor(DType::f64, {n, m, oh, ow});
  std::vector<double> dys(dy.floatData(), dy.floatData() + dy.numElements());
  std::vector<std::vector<int64_t>> shapes = {
      {n, c, h, wd}, {m, c, kh, kw}, off.shape(), mask.shape()};
  std::vector<std::string> types;
  for (const auto &s : shapes)
    types.push_back(ty(s, "f64"));
  std::vector<std::string> argTypes = types;
  argTypes.push_back(ty({n, m, oh, ow}, "f64"));
  auto out = run(
      multiFn("strata.deform_conv_grad", "{offset_group = 2}", argTypes, types),
      {x, w, off, mask, dy});
  ASSERT_EQ(out.size(), 4u);
  auto f = [&](const std::vector<Tensor> &a) {
    return deformConvHatSums(a[0], a[1], a[2], a[3], og);
  };
  for (size_t i = 0; i < 4; ++i)
    expectTensorNear(out[i], shapes[i],
                     centralDifferences(f, {x, w, off, mask}, dys, i), 1e-6);
}

} // namespace
} // namespace strata::testing
