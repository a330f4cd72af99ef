//===- CpuConvolutionKernelTest.cpp - Compiled conv family vs reference ---===//
//
// The lowered forms of conv (groups, depthwise, strides, dilations,
// asymmetric and automatic pads, 1-D images), conv_transpose (every
// attribute), avg_pool, max_pool (1-3 spatial dims), global pooling, lrn,
// col2im, grid_sample, deform_conv, roi_align and pad (every mode), with
// library-calls off (all of it in linalg), are compiled (codegen/cpu), loaded
// by the runtime, run on random inputs and compared with the reference
// evaluator on the same inputs: floats within |got - want| <= 1e-5 (1 + |want|)
// (the evaluator accumulates in double, compiled code in float; the sums here
// have at most about 60 terms of magnitude <= 4), integers exactly. A small
// CNN's whole training step (conv, max_pool, LRN, avg_pool, pad forward and
// back, SGD) is compiled and compared with the evaluator within 1e-4 (1 +
// |want|), as CpuTrainStepTest does for an MLP.
//
//===----------------------------------------------------------------------===//

#include "EvaluatorTesting.h"
#include "codegen/CompiledTesting.h"

#include "codegen/cpu/CpuCompiler.h"
#include "frontends/singa/ImportJob.h"
#include "passes/Passes.h"
#include "runtime/cpu/KernelLibrary.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include <cmath>

namespace strata::testing {
namespace {

using reference::Tensor;

/// One op applied to random operands of the given types, e.g.
/// {"strata.conv", {"tensor<2x3x7x6xf32>", ...}, "tensor<...>", "{...}"}.
struct Case {
  std::string name;
  std::string op;
  std::vector<std::string> operandTypes;
  std::string resultType;
  std::string attributes = "";
};

class CpuConvolutionKernelTest : public EvaluatorTest {
protected:
  CpuConvolutionKernelTest() {
    mlir::DialectRegistry registry;
    codegen::registerCpuCodegenDialects(registry);
    context()->appendDialectRegistry(registry);
    context()->loadAllAvailableDialects();
    strata::registerStrataPasses();
  }

  static std::string moduleText(const Case &c) {
    std::string args, uses, types;
    for (size_t i = 0; i < c.operandTypes.size(); ++i) {
      std::string sep = i ? ", " : "";
      args += sep + "%a" + std::to_string(i) + ": " + c.operandTypes[i];
      uses += sep + "%a" + std::to_string(i);
      types += sep + c.operandTypes[i];
    }
    return "func.func @main(" + args + ") -> " + c.resultType + " {\n" +
           "  %0 = \"" + c.op + "\"(" + uses + ") " + c.attributes + " : (" +
           types + ") -> " + c.resultType + "\n  return %0 : " + c.resultType +
           "\n}\n";
  }

  /// Uniform in [-2, 2); integers in [-50, 50).
  Tensor randomOperand(const std::string &type) {
    Parsed p = parseType(type);
    int64_t n = 1;
    for (int64_t d : p.shape)
      n *= d;
    if (p.dtype == reference::DType::i32) {
      std::vector<int64_t> ints;
      for (double x : random(n, -50, 50))
        ints.push_back(static_cast<int64_t>(std::floor(x)));
      return Tensor::fromInts(p.dtype, p.shape, ints);
    }
    return Tensor::fromDoubles(p.dtype, p.shape, random(n, -2, 2));
  }

  void check(const Case &c) {
    std::vector<Tensor> args;
    for (const std::string &t : c.operandTypes)
      args.push_back(randomOperand(t));
    check(c, args);
  }

  /// `c` on the given operands.
  void check(const Case &c, const std::vector<Tensor> &args) {
    SCOPED_TRACE(c.name);
    std::string source = moduleText(c);
    std::vector<Tensor> want = run(source, args);
    ASSERT_EQ(want.size(), 1u) << source;
    auto module = mlir::parseSourceString<mlir::ModuleOp>(source, context());
    ASSERT_TRUE(module);
    // The linalg lowerings: CpuLibraryCallTest checks the oneDNN calls.
    codegen::CpuOptions options;
    options.libraryCalls = false;
    auto so = codegen::compileToSharedObject(*module, options);
    ASSERT_TRUE(succeeded(so)) << "compilation failed:\n" << source;
    runtime::KernelLibrary library(so->bytes.data(), so->bytes.size(), "test");
    Parsed r = parseType(c.resultType);
    Tensor got =
        runEntry(library.entry("main"), args, {Tensor(r.dtype, r.shape)})[0];
    ASSERT_EQ(got.shape(), want[0].shape());
    for (int64_t i = 0; i < got.numElements(); ++i) {
      if (got.isFloat()) {
        double g = got.get(i), w = want[0].get(i);
        if (std::isnan(w)) {
          EXPECT_TRUE(std::isnan(g)) << c.name << " element " << i;
          continue;
        }
        EXPECT_LE(std::fabs(g - w), 1e-5 * (1 + std::fabs(w)))
            << c.name << " element " << i << ": got " << g << ", want " << w;
      } else {
        EXPECT_EQ(got.getInt(i), want[0].getInt(i))
            << c.name << " element " << i;
      }
    }
  }
};

TEST_F(CpuConvolutionKernelTest, GroupedAndDepthwiseConv) {
  check({"groups 2, bias",
         "strata.conv",
         {"tensor<2x4x7x6xf32>", "tensor<6x2x3x3xf32>", "tensor<6xf32>"},
         "tensor<2x6x5x4xf32>",
         "{groups = 2 : i64}"});
  check({"groups 3, strides, asymmetric pads",
         "strata.conv",
         {"tensor<2x6x7x6xf32>", "tensor<3x2x3x2xf32>"},
         "tensor<2x3x3x3xf32>",
         "{groups = 3 : i64, strides = array<i64: 2, 2>, "
         "pads = array<i64: 1, 0, 0, 1>}"});
  check({"groups 2, dilations, two output channels per group",
         "strata.conv",
         {"tensor<1x4x8x7xf32>", "tensor<4x2x2x3xf32>", "tensor<4xf32>"},
         "tensor<1x4x6x3xf32>",
         "{groups = 2 : i64, dilations = array<i64: 2, 2>}"});
  check({"depthwise, same padding",
         "strata.conv",
         {"tensor<2x3x7x6xf32>", "tensor<3x1x3x3xf32>", "tensor<3xf32>"},
         "tensor<2x3x7x6xf32>",
         "{groups = 3 : i64, pads = array<i64: 1, 1, 1, 1>}"});
  check({"depthwise, strides, dilations, asymmetric pads",
         "strata.conv",
         {"tensor<1x4x8x7xf32>", "tensor<4x1x3x3xf32>"},
         "tensor<1x4x4x3xf32>",
         "{groups = 4 : i64, strides = array<i64: 2, 3>, "
         "dilations = array<i64: 2, 1>, pads = array<i64: 2, 0, 1, 2>}"});
  check({"depthwise with channel multiplier 2",
         "strata.conv",
         {"tensor<2x3x7x6xf32>", "tensor<6x1x2x2xf32>"},
         "tensor<2x6x5x5xf32>",
         "{groups = 3 : i64, dilations = array<i64: 2, 1>}"});
}

TEST_F(CpuConvolutionKernelTest, ConvOtherForms) {
  check({"auto_pad same_upper, strides",
         "strata.conv",
         {"tensor<2x3x7x6xf32>", "tensor<4x3x3x2xf32>"},
         "tensor<2x4x4x3xf32>",
         "{auto_pad = #strata.auto_pad<same_upper>, "
         "strides = array<i64: 2, 2>}"});
  check({"auto_pad same_lower, groups",
         "strata.conv",
         {"tensor<1x4x6x5xf32>", "tensor<2x2x2x2xf32>"},
         "tensor<1x2x6x5xf32>",
         "{auto_pad = #strata.auto_pad<same_lower>, groups = 2 : i64}"});
  check({"1-D, strides, pads, bias",
         "strata.conv",
         {"tensor<2x3x9xf32>", "tensor<4x3x3xf32>", "tensor<4xf32>"},
         "tensor<2x4x5xf32>",
         "{strides = array<i64: 2>, pads = array<i64: 1, 1>}"});
  check({"1-D depthwise, dilations",
         "strata.conv",
         {"tensor<2x3x9xf32>", "tensor<3x1x3xf32>"},
         "tensor<2x3x5xf32>",
         "{groups = 3 : i64, dilations = array<i64: 2>}"});
  // The weight gradient's form: batch and channels exchanged, a kernel as
  // large as the output, strides and dilations swapped.
  check({"weight-gradient form",
         "strata.conv",
         {"tensor<3x2x9x8xf32>", "tensor<4x2x4x3xf32>"},
         "tensor<3x4x4x3xf32>",
         "{dilations = array<i64: 2, 2>, strides = array<i64: 1, 2>, "
         "pads = array<i64: 1, 0, 0, 1>}"});
  check({"f64",
         "strata.conv",
         {"tensor<1x4x5x5xf64>", "tensor<2x2x3x3xf64>", "tensor<2xf64>"},
         "tensor<1x2x3x3xf64>",
         "{groups = 2 : i64}"});
}

TEST_F(CpuConvolutionKernelTest, ConvTranspose) {
  check({"plain, bias",
         "strata.conv_transpose",
         {"tensor<2x3x4x5xf32>", "tensor<3x2x3x3xf32>", "tensor<2xf32>"},
         "tensor<2x2x6x7xf32>"});
  check({"strides, asymmetric pads",
         "strata.conv_transpose",
         {"tensor<2x3x4x5xf32>", "tensor<3x4x3x3xf32>"},
         "tensor<2x4x7x9xf32>",
         "{strides = array<i64: 2, 2>, pads = array<i64: 1, 0, 1, 2>}"});
  check({"dilations, strides, output_padding",
         "strata.conv_transpose",
         {"tensor<1x2x3x4xf32>", "tensor<2x3x2x3xf32>"},
         "tensor<1x3x5x10xf32>",
         "{dilations = array<i64: 2, 1>, strides = array<i64: 1, 2>, "
         "output_padding = array<i64: 0, 1>}"});
  check({"groups 2, strides, pads, bias",
         "strata.conv_transpose",
         {"tensor<2x4x3x3xf32>", "tensor<4x3x3x3xf32>", "tensor<6xf32>"},
         "tensor<2x6x5x5xf32>",
         "{groups = 2 : i64, strides = array<i64: 2, 2>, "
         "pads = array<i64: 1, 1, 1, 1>}"});
  // avg_pool's gradient: depthwise, strides, begin pads only.
  check({"depthwise, strides, begin pads",
         "strata.conv_transpose",
         {"tensor<2x3x3x3xf32>", "tensor<3x1x3x3xf32>"},
         "tensor<2x3x6x6xf32>",
         "{groups = 3 : i64, strides = array<i64: 2, 2>, "
         "pads = array<i64: 1, 1, 0, 0>}"});
  check({"pads beyond the kernel extent (crops the input)",
         "strata.conv_transpose",
         {"tensor<1x2x5x5xf32>", "tensor<2x2x2x2xf32>"},
         "tensor<1x2x7x7xf32>",
         "{strides = array<i64: 2, 2>, pads = array<i64: 2, 3, 1, 0>}"});
  check({"no input inside the output (bias only)",
         "strata.conv_transpose",
         {"tensor<1x2x2x2xf32>", "tensor<2x1x1x1xf32>", "tensor<1xf32>"},
         "tensor<1x1x1x1xf32>",
         "{strides = array<i64: 3, 3>, pads = array<i64: 1, 1, 2, 2>}"});
  check({"output_shape",
         "strata.conv_transpose",
         {"tensor<1x2x4x4xf32>", "tensor<2x2x3x3xf32>"},
         "tensor<1x2x8x9xf32>",
         "{strides = array<i64: 2, 2>, output_shape = array<i64: 8, 9>}"});
  check({"output_shape past the full output (bias only there)",
         "strata.conv_transpose",
         {"tensor<1x2x3x3xf32>", "tensor<2x2x2x2xf32>", "tensor<2xf32>"},
         "tensor<1x2x10x8xf32>",
         "{strides = array<i64: 2, 2>, output_shape = array<i64: 10, 8>}"});
  check({"auto_pad same_upper",
         "strata.conv_transpose",
         {"tensor<1x2x3x3xf32>", "tensor<2x2x3x3xf32>"},
         "tensor<1x2x6x6xf32>",
         "{auto_pad = #strata.auto_pad<same_upper>, "
         "strides = array<i64: 2, 2>}"});
  check({"1-D, strides",
         "strata.conv_transpose",
         {"tensor<2x3x5xf32>", "tensor<3x2x3xf32>"},
         "tensor<2x2x11xf32>",
         "{strides = array<i64: 2>}"});
}

TEST_F(CpuConvolutionKernelTest, AveragePooling) {
  const std::string X = "tensor<2x3x7x6xf32>";
  for (std::string include : {"false", "true"}) {
    std::string cip = "count_include_pad = " + include;
    check({"2x2 stride 2, " + cip,
           "strata.avg_pool",
           {X},
           "tensor<2x3x3x3xf32>",
           "{kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, " +
               cip + "}"});
    check({"3x3 stride 2, asymmetric pads, " + cip,
           "strata.avg_pool",
           {X},
           "tensor<2x3x4x3xf32>",
           "{kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, "
           "pads = array<i64: 1, 1, 1, 0>, " +
               cip + "}"});
    check({"ceil_mode, pads, " + cip,
           "strata.avg_pool",
           {X},
           "tensor<2x3x4x3xf32>",
           "{kernel_shape = array<i64: 3, 2>, strides = array<i64: 2, 2>, "
           "pads = array<i64: 1, 0, 1, 1>, ceil_mode = true, " +
               cip + "}"});
    check({"dilations, pads, " + cip,
           "strata.avg_pool",
           {X},
           "tensor<2x3x7x6xf32>",
           "{kernel_shape = array<i64: 2, 2>, dilations = array<i64: 2, 2>, "
           "pads = array<i64: 1, 1, 1, 1>, " +
               cip + "}"});
    check({"1-D, " + cip,
           "strata.avg_pool",
           {"tensor<2x3x9xf32>"},
           "tensor<2x3x5xf32>",
           "{kernel_shape = array<i64: 3>, strides = array<i64: 2>, "
           "pads = array<i64: 1, 1>, " +
               cip + "}"});
  }
  check({"auto_pad same_upper",
         "strata.avg_pool",
         {X},
         "tensor<2x3x4x3xf32>",
         "{kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, "
         "auto_pad = #strata.auto_pad<same_upper>}"});
}

TEST_F(CpuConvolutionKernelTest, MaxPoolingOtherForms) {
  check({"1-D",
         "strata.max_pool",
         {"tensor<2x3x9xf32>"},
         "tensor<2x3x4xf32>",
         "{kernel_shape = array<i64: 3>, strides = array<i64: 2>}"});
  check({"dilations, pads",
         "strata.max_pool",
         {"tensor<2x3x7x6xf32>"},
         "tensor<2x3x7x6xf32>",
         "{kernel_shape = array<i64: 2, 2>, dilations = array<i64: 2, 2>, "
         "pads = array<i64: 1, 1, 1, 1>}"});
  check({"auto_pad same_lower",
         "strata.max_pool",
         {"tensor<2x3x7x6xf32>"},
         "tensor<2x3x4x3xf32>",
         "{kernel_shape = array<i64: 2, 3>, strides = array<i64: 2, 2>, "
         "auto_pad = #strata.auto_pad<same_lower>}"});
}

TEST_F(CpuConvolutionKernelTest, VolumePooling) {
  check({"max 3-D, strides, asymmetric pads",
         "strata.max_pool",
         {"tensor<1x2x5x6x5xf32>"},
         "tensor<1x2x3x5x3xf32>",
         "{kernel_shape = array<i64: 2, 3, 2>, strides = array<i64: 2, 1, 2>, "
         "pads = array<i64: 1, 0, 0, 0, 1, 1>}"});
  check({"max 3-D, dilations, ceil_mode",
         "strata.max_pool",
         {"tensor<1x2x6x6x6xf32>"},
         "tensor<1x2x3x3x3xf32>",
         "{kernel_shape = array<i64: 2, 2, 2>, strides = array<i64: 2, 2, 2>, "
         "dilations = array<i64: 2, 2, 2>, ceil_mode = true}"});
  for (std::string include : {"false", "true"}) {
    std::string cip = "count_include_pad = " + include;
    check({"avg 3-D, strides, asymmetric pads, " + cip,
           "strata.avg_pool",
           {"tensor<2x2x5x4x6xf32>"},
           "tensor<2x2x3x2x3xf32>",
           "{kernel_shape = array<i64: 3, 2, 3>, "
           "strides = array<i64: 2, 2, 2>, "
           "pads = array<i64: 1, 0, 1, 1, 1, 0>, " +
               cip + "}"});
    check({"avg 3-D, dilations, ceil_mode, " + cip,
           "strata.avg_pool",
           {"tensor<1x2x7x6x5xf32>"},
           "tensor<1x2x3x3x2xf32>",
           "{kernel_shape = array<i64: 2, 2, 2>, "
           "strides = array<i64: 2, 2, 2>, dilations = array<i64: 2, 1, 2>, "
           "ceil_mode = true, " +
               cip + "}"});
  }
}

/// col2im: overlapping blocks summed, padding dropped, 1-3 spatial dims.
TEST_F(CpuConvolutionKernelTest, Col2Im) {
  check({"2-D, overlapping blocks",
         "strata.col2im",
         {"tensor<2x12x12xf32>"},
         "tensor<2x3x5x4xf32>",
         "{image_shape = array<i64: 5, 4>, block_shape = array<i64: 2, 2>}"});
  check({"2-D, strides, dilations, asymmetric pads",
         "strata.col2im",
         {"tensor<1x18x16xf32>"},
         "tensor<1x2x6x7xf32>",
         "{image_shape = array<i64: 6, 7>, block_shape = array<i64: 3, 3>, "
         "strides = array<i64: 2, 1>, dilations = array<i64: 1, 2>, "
         "pads = array<i64: 1, 0, 2, 1>}"});
  check({"1-D, stride 2",
         "strata.col2im",
         {"tensor<2x6x4xf32>"},
         "tensor<2x2x9xf32>",
         "{image_shape = array<i64: 9>, block_shape = array<i64: 3>, "
         "strides = array<i64: 2>}"});
  check({"3-D, f64",
         "strata.col2im",
         {"tensor<1x16x8xf64>"},
         "tensor<1x2x3x4x5xf64>",
         "{image_shape = array<i64: 3, 4, 5>, "
         "block_shape = array<i64: 2, 2, 2>, strides = array<i64: 1, 2, 2>}"});
}

/// grid_sample: every mode, padding mode and align_corners, 2-D and 3-D;
/// the grid in [-2, 2), so many samples fall outside and exercise the
/// padding.
TEST_F(CpuConvolutionKernelTest, GridSample) {
  for (std::string mode : {"linear", "nearest", "cubic"})
    for (std::string padding : {"zeros", "border", "reflection"})
      for (std::string align : {"false", "true"})
        check({"2-D " + mode + ", " + padding + ", align_corners " + align,
               "strata.grid_sample",
               {"tensor<2x3x4x5xf32>", "tensor<2x3x6x2xf32>"},
               "tensor<2x3x3x6xf32>",
               "{mode = \"" + mode + "\", padding_mode = \"" + padding +
                   "\", align_corners = " + align + "}"});
  for (std::string mode : {"linear", "nearest"})
    check({"3-D " + mode + ", reflection",
           "strata.grid_sample",
           {"tensor<1x2x3x4x3xf32>", "tensor<1x2x3x2x3xf32>"},
           "tensor<1x2x2x3x2xf32>",
           "{mode = \"" + mode + "\", padding_mode = \"reflection\"}"});
  check({"a size-1 dim with align_corners, reflection",
         "strata.grid_sample",
         {"tensor<1x2x1x4xf32>", "tensor<1x3x2x2xf32>"},
         "tensor<1x2x3x2xf32>",
         "{padding_mode = \"reflection\", align_corners = true}"});
  check({"1-D cubic, f64",
         "strata.grid_sample",
         {"tensor<2x2x6xf64>", "tensor<2x5x1xf64>"},
         "tensor<2x2x5xf64>",
         "{mode = \"cubic\", padding_mode = \"border\"}"});
}

/// deform_conv: 1-3 spatial dims, groups and offset groups, strides,
/// dilations, pads, with and without bias; offsets in [-2, 2) move many taps
/// between pixels and some outside the input (zeros).
TEST_F(CpuConvolutionKernelTest, DeformConv) {
  check({"2-D, bias",
         "strata.deform_conv",
         {"tensor<2x3x5x6xf32>", "tensor<4x3x3x2xf32>", "tensor<2x12x3x5xf32>",
          "tensor<2x6x3x5xf32>", "tensor<4xf32>"},
         "tensor<2x4x3x5xf32>"});
  check({"2-D groups 2, offset groups 2, strides, dilations, pads",
         "strata.deform_conv",
         {"tensor<1x4x7x7xf32>", "tensor<6x2x2x3xf32>", "tensor<1x24x4x2xf32>",
          "tensor<1x12x4x2xf32>"},
         "tensor<1x6x4x2xf32>",
         "{groups = 2, offset_group = 2, strides = array<i64: 2, 2>, "
         "dilations = array<i64: 1, 2>, pads = array<i64: 1, 0, 1, 0>}"});
  check({"1-D, f64, pads",
         "strata.deform_conv",
         {"tensor<2x2x7xf64>", "tensor<3x2x2xf64>", "tensor<2x2x8xf64>",
          "tensor<2x2x8xf64>", "tensor<3xf64>"},
         "tensor<2x3x8xf64>",
         "{pads = array<i64: 1, 1>}"});
  check({"3-D",
         "strata.deform_conv",
         {"tensor<1x2x3x4x3xf32>", "tensor<2x2x2x2x2xf32>",
          "tensor<1x24x2x3x2xf32>", "tensor<1x8x2x3x2xf32>"},
         "tensor<1x2x2x3x2xf32>"});
}

/// roi_align: both modes and coordinate modes, a fixed and a box-derived
/// number of samples, scaled boxes; box corners in [-1, 9) on an 8 x 7 image,
/// so some boxes are inverted or reach outside it.
TEST_F(CpuConvolutionKernelTest, RoiAlign) {
  Tensor x = randomOperand("tensor<2x3x8x7xf32>");
  Tensor rois =
      Tensor::fromDoubles(reference::DType::f32, {5, 4}, random(20, -1.0, 9.0));
  Tensor batch = Tensor::fromInts(reference::DType::i64, {5}, {0, 1, 1, 0, 1});
  for (std::string mode : {"avg", "max"})
    for (std::string coords : {"half_pixel", "output_half_pixel"})
      for (std::string ratio : {"0", "2"})
        check({mode + ", " + coords + ", sampling_ratio " + ratio,
               "strata.roi_align",
               {"tensor<2x3x8x7xf32>", "tensor<5x4xf32>", "tensor<5xi64>"},
               "tensor<5x3x3x2xf32>",
               "{mode = \"" + mode + "\", coordinate_transformation_mode = \"" +
                   coords +
                   "\", output_height = 3, output_width = 2, "
                   "sampling_ratio = " +
                   ratio + ", spatial_scale = 0.75}"},
              {x, rois, batch});
}

TEST_F(CpuConvolutionKernelTest, GlobalPooling) {
  for (std::string op : {"global_max_pool", "global_avg_pool"}) {
    check({op + " 2-D",
           "strata." + op,
           {"tensor<2x3x7x6xf32>"},
           "tensor<2x3x1x1xf32>"});
    check({op + " 1-D",
           "strata." + op,
           {"tensor<2x3x9xf32>"},
           "tensor<2x3x1xf32>"});
    check({op + " 3-D",
           "strata." + op,
           {"tensor<1x2x3x4x5xf32>"},
           "tensor<1x2x1x1x1xf32>"});
  }
}

TEST_F(CpuConvolutionKernelTest, LocalResponseNormalization) {
  check({"size 5, defaults",
         "strata.lrn",
         {"tensor<2x7x3x4xf32>"},
         "tensor<2x7x3x4xf32>",
         "{size = 5 : i64}"});
  check({"size 3, large alpha",
         "strata.lrn",
         {"tensor<2x4x3x3xf32>"},
         "tensor<2x4x3x3xf32>",
         "{size = 3 : i64, alpha = 2.0 : f64, beta = 0.75 : f64, "
         "bias = 1.0 : f64}"});
  check({"even size, 1-D",
         "strata.lrn",
         {"tensor<2x6x5xf32>"},
         "tensor<2x6x5xf32>",
         "{size = 4 : i64, alpha = 0.5 : f64, beta = 0.6 : f64, "
         "bias = 2.0 : f64}"});
  check({"size past the channels, 3-D",
         "strata.lrn",
         {"tensor<1x3x2x2x3xf32>"},
         "tensor<1x3x2x2x3xf32>",
         "{size = 7 : i64, alpha = 1.0 : f64, beta = 1.5 : f64, "
         "bias = 0.5 : f64}"});
}

TEST_F(CpuConvolutionKernelTest, Pad) {
  check({"constant 0",
         "strata.pad",
         {"tensor<3x4xf32>"},
         "tensor<6x7xf32>",
         "{pads = array<i64: 1, 0, 2, 3>}"});
  check({"constant 1.5, crops and pads",
         "strata.pad",
         {"tensor<2x3x4x5xf32>"},
         "tensor<2x4x4x5xf32>",
         "{pads = array<i64: 0, 0, -1, 2, 0, 1, 1, -2>, value = 1.5 : f64}"});
  check({"constant, the gradient's end crop",
         "strata.pad",
         {"tensor<2x3x8x8xf32>"},
         "tensor<2x3x7x9xf32>",
         "{pads = array<i64: 0, 0, 0, 0, 0, 0, -1, 1>}"});
  check({"constant i32",
         "strata.pad",
         {"tensor<3x4xi32>"},
         "tensor<5x6xi32>",
         "{pads = array<i64: 1, 1, 1, 1>, value = 7.9 : f64}"});
  check({"reflect",
         "strata.pad",
         {"tensor<3x4xf32>"},
         "tensor<7x8xf32>",
         "{pads = array<i64: 2, 1, 2, 3>, mode = #strata.pad_mode<reflect>}"});
  check(
      {"reflect, other side cropped",
       "strata.pad",
       {"tensor<4x5xf32>"},
       "tensor<4x7xf32>",
       "{pads = array<i64: -2, 3, 2, -1>, mode = #strata.pad_mode<reflect>}"});
  check({"edge",
         "strata.pad",
         {"tensor<3x4xf32>"},
         "tensor<9x8xf32>",
         "{pads = array<i64: 4, -1, 2, 5>, mode = #strata.pad_mode<edge>}"});
  check({"wrap, more than the size",
         "strata.pad",
         {"tensor<3x4xf32>"},
         "tensor<7x13xf32>",
         "{pads = array<i64: 5, 2, -1, 7>, mode = #strata.pad_mode<wrap>}"});
  check({"edge i32",
         "strata.pad",
         {"tensor<2x3xi32>"},
         "tensor<4x4xi32>",
         "{pads = array<i64: 1, 0, 1, 1>, mode = #strata.pad_mode<edge>}"});
}

TEST_F(CpuConvolutionKernelTest, SmallCnnTrainStepMatchesTheReference) {
  std::string diagnostics;
  llvm::raw_string_ostream errs(diagnostics);
  auto module = singa::importJobFile(
      STRATA_CODEGEN_TEST_DIR "/Inputs/small-cnn.conf", *context(), errs);
  ASSERT_TRUE(module) << diagnostics;
  mlir::PassManager pm(context());
  ASSERT_TRUE(succeeded(mlir::parsePassPipeline(
      "strata-infer-shapes,strata-canonicalize,strata-autodiff,"
      "strata-canonicalize,strata-updater,strata-inputs-to-arguments",
      pm)));
  ASSERT_TRUE(succeeded(pm.run(*module)));
  auto step = module->lookupSymbol<mlir::func::FuncOp>("train_step");
  ASSERT_TRUE(step);

  // Parameters and state in [-0.5, 0.5), the batch in [-1, 1), labels in
  // [0, 3), step 3.
  std::vector<Tensor> args;
  for (unsigned i = 0; i < step.getNumArguments(); ++i) {
    auto type = mlir::cast<mlir::RankedTensorType>(step.getArgumentTypes()[i]);
    auto dtype = reference::dtypeOf(type.getElementType());
    ASSERT_TRUE(dtype);
    std::vector<int64_t> shape(type.getShape().begin(), type.getShape().end());
    int64_t n = type.getNumElements();
    if (step.getArgAttr(i, "strata.step")) {
      args.push_back(Tensor::fromInts(*dtype, shape, {3}));
    } else if (*dtype == reference::DType::i32) {
      std::vector<int64_t> labels;
      for (double v : random(n, 0, 3))
        labels.push_back(static_cast<int64_t>(v));
      args.push_back(Tensor::fromInts(*dtype, shape, labels));
    } else {
      bool param = static_cast<bool>(step.getArgAttr(i, "strata.param"));
      args.push_back(Tensor::fromDoubles(
          *dtype, shape, param ? random(n, -0.5, 0.5) : random(n, -1, 1)));
    }
  }
  auto want = reference::evaluateFunction(step, args, env);
  ASSERT_TRUE(static_cast<bool>(want)) << llvm::toString(want.takeError());

  mlir::OwningOpRef<mlir::ModuleOp> copy(module->clone());
  auto so = codegen::compileToSharedObject(*copy, codegen::CpuOptions{});
  ASSERT_TRUE(succeeded(so));
  runtime::KernelLibrary library(so->bytes.data(), so->bytes.size(),
                                 "small-cnn");
  std::vector<Tensor> got = runEntry(library.entry("train_step"), args, *want);

  // New parameters and momenta of six tensors, loss and accuracy, within
  // 1e-4 (1 + |want|) (float through two convolutions forward and back).
  ASSERT_EQ(want->size(), step.getNumResults());
  int compared = 0;
  for (unsigned r = 0; r < want->size(); ++r) {
    const Tensor &w = (*want)[r];
    for (int64_t i = 0; i < w.numElements(); ++i, ++compared)
      EXPECT_LE(std::fabs(got[r].get(i) - w.get(i)),
                1e-4 * (1 + std::fabs(w.get(i))))
          << "result " << r << " element " << i << ": got " << got[r].get(i)
          << ", want " << w.get(i);
  }
  EXPECT_EQ(compared, 2 * (4 * 3 * 9 + 4 + 4 * 4 * 9 + 4 + 3 * 16 + 3) + 2);
}

} // namespace
} // namespace strata::testing
