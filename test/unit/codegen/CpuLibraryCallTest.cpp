//===- CpuLibraryCallTest.cpp - oneDNN calls against the reference --------===//
//
// Each form --strata-lower-to-linalg hands to oneDNN (library-calls: conv
// and conv_transpose with groups, strides, dilations, pads, 1-3 spatial
// dims; 2-D matmul, inner_product, gemm with transposes and alpha / beta;
// avg_pool in 1-3 spatial dims with strides, pads, auto_pad, ceil_mode,
// count_include_pad; lrn of odd size; batch_norm) is
// compiled, loaded by the runtime (which provides the strata_onednn_*
// functions the object calls), run on random inputs and compared with the
// reference evaluator on the same inputs within 1e-4 * (1 + |want|): oneDNN
// sums in float, in its own order, over up to a few hundred terms. Each case
// also checks that the object really calls the library (the function is an
// undefined symbol of the object) or, for forms left to linalg, that it
// does not.
//
//===----------------------------------------------------------------------===//

#include "EvaluatorTesting.h"
#include "codegen/CompiledTesting.h"

#include "codegen/cpu/CpuCompiler.h"
#include "runtime/cpu/KernelLibrary.h"
#include "runtime/support/Error.h"

#include "mlir/IR/DialectRegistry.h"

#include <cmath>

namespace strata::testing {
namespace {

using reference::Tensor;

struct Case {
  std::string name;
  std::string op;                    // generic-form op name, e.g. "strata.conv"
  std::vector<std::string> operands; // types, e.g. "tensor<2x3xf32>"
  std::string resultType;
  std::string attributes = "";
  /// The runtime function the object must call; empty: none (linalg).
  std::string callee;
  /// An operand drawn from [0.1, 2) instead of [-2, 2) (a variance); -1:
  /// none.
  int positiveOperand = -1;
};

/// The shape of "tensor<2x3xf32>"; the element type must be f32 or f64.
std::vector<int64_t> shapeOf(const std::string &type, reference::DType &dtype) {
  Parsed p = parseType(type);
  dtype = p.dtype;
  return p.shape;
}

class CpuLibraryCallTest : public EvaluatorTest {
protected:
  CpuLibraryCallTest() {
    mlir::DialectRegistry registry;
    codegen::registerCpuCodegenDialects(registry);
    context()->appendDialectRegistry(registry);
    context()->loadAllAvailableDialects();
  }

  static std::string moduleText(const Case &c) {
    std::string args, uses, types;
    for (size_t i = 0; i < c.operands.size(); ++i) {
      std::string sep = i ? ", " : "";
      args += sep + "%a" + std::to_string(i) + ": " + c.operands[i];
      uses += sep + "%a" + std::to_string(i);
      types += sep + c.operands[i];
    }
    return "func.func @main(" + args + ") -> " + c.resultType + " {\n" +
           "  %0 = \"" + c.op + "\"(" + uses + ") " + c.attributes + " : (" +
           types + ") -> " + c.resultType + "\n  return %0 : " + c.resultType +
           "\n}\n";
  }

  static bool mentions(const std::vector<unsigned char> &bytes,
                       const std::string &symbol) {
    std::string text(bytes.begin(), bytes.end());
    return text.find(symbol) != std::string::npos;
  }

  void check(const Case &c) {
    SCOPED_TRACE(c.name);
    std::string source = moduleText(c);
    std::vector<Tensor> args;
    for (size_t i = 0; i < c.operands.size(); ++i) {
      reference::DType dtype;
      std::vector<int64_t> shape = shapeOf(c.operands[i], dtype);
      bool positive = static_cast<int>(i) == c.positiveOperand;
      args.push_back(randomTensor(dtype, shape, positive ? 0.1 : -2, 2));
    }
    std::vector<Tensor> want = run(source, args);
    ASSERT_EQ(want.size(), 1u);

    auto module = mlir::parseSourceString<mlir::ModuleOp>(source, context());
    ASSERT_TRUE(module);
    auto so = codegen::compileToSharedObject(*module, codegen::CpuOptions{});
    ASSERT_TRUE(succeeded(so)) << "compilation failed:\n" << source;
    if (c.callee.empty())
      EXPECT_FALSE(mentions(so->bytes, "strata_onednn_"));
    else
      EXPECT_TRUE(mentions(so->bytes, c.callee)) << "no call to " << c.callee;
    runtime::KernelLibrary library(so->bytes.data(), so->bytes.size(), "test");
    reference::DType dtype;
    std::vector<int64_t> shape = shapeOf(c.resultType, dtype);
    Tensor got =
        runEntry(library.entry("main"), args, {Tensor(dtype, shape)})[0];
    ASSERT_EQ(got.shape(), want[0].shape());
    for (int64_t i = 0; i < got.numElements(); ++i) {
      double g = got.get(i), w = want[0].get(i);
      EXPECT_LE(std::fabs(g - w), 1e-4 * (1 + std::fabs(w)))
          << c.name << " element " << i << ": got " << g << ", want " << w;
    }
  }
};

const char *kConv = "strata_onednn_conv_f32";
const char *kDeconv = "strata_onednn_deconv_f32";
const char *kGemm = "strata_onednn_gemm_f32";
const char *kAvgPool = "strata_onednn_avg_pool_f32";
const char *kLrn = "strata_onednn_lrn_f32";
const char *kBatchNorm = "strata_onednn_batch_norm_f32";

TEST_F(CpuLibraryCallTest, Convolution) {
  check({"2-D, bias",
         "strata.conv",
         {"tensor<2x3x7x6xf32>", "tensor<4x3x3x3xf32>", "tensor<4xf32>"},
         "tensor<2x4x5x4xf32>",
         "",
         kConv});
  // out 4 = (7 + 1 + 2 - 3) / 2 + 1 and 5 = (6 + 0 + 1 - 3) / 1 + 1.
  check({"groups 2, strides, dilations, asymmetric pads, no bias",
         "strata.conv",
         {"tensor<2x4x7x6xf32>", "tensor<6x2x3x2xf32>"},
         "tensor<2x6x4x5xf32>",
         "{groups = 2 : i64, strides = array<i64: 2, 1>, dilations = "
         "array<i64: 1, 2>, pads = array<i64: 1, 0, 2, 1>}",
         kConv});
  check({"depthwise",
         "strata.conv",
         {"tensor<1x4x5x5xf32>", "tensor<4x1x3x3xf32>", "tensor<4xf32>"},
         "tensor<1x4x5x5xf32>",
         "{groups = 4 : i64, pads = array<i64: 1, 1, 1, 1>}",
         kConv});
  check({"1-D, stride, dilation, pads",
         "strata.conv",
         {"tensor<2x3x9xf32>", "tensor<5x3x3xf32>", "tensor<5xf32>"},
         "tensor<2x5x4xf32>",
         "{strides = array<i64: 2>, dilations = array<i64: 2>, pads = "
         "array<i64: 1, 1>}",
         kConv});
  check({"3-D, asymmetric pads",
         "strata.conv",
         {"tensor<1x2x4x5x6xf32>", "tensor<3x2x2x3x2xf32>", "tensor<3xf32>"},
         "tensor<1x3x4x5x6xf32>",
         "{pads = array<i64: 0, 1, 0, 1, 1, 1>}",
         kConv});
  check({"auto_pad same_upper, stride 2",
         "strata.conv",
         {"tensor<1x2x5x5xf32>", "tensor<3x2x2x2xf32>"},
         "tensor<1x3x3x3xf32>",
         "{auto_pad = #strata.auto_pad<same_upper>, strides = array<i64: 2, "
         "2>}",
         kConv});
  check({"a CNN layer (144 terms per output)",
         "strata.conv",
         {"tensor<4x16x12x12xf32>", "tensor<32x16x3x3xf32>", "tensor<32xf32>"},
         "tensor<4x32x12x12xf32>",
         "{pads = array<i64: 1, 1, 1, 1>}",
         kConv});
}

TEST_F(CpuLibraryCallTest, ConvTranspose) {
  // O = (D - 1) * stride + output_padding + eff - pads.
  check({"2-D, bias",
         "strata.conv_transpose",
         {"tensor<1x2x3x3xf32>", "tensor<2x3x3x3xf32>", "tensor<3xf32>"},
         "tensor<1x3x5x5xf32>",
         "",
         kDeconv});
  check({"strides, pads, output_padding",
         "strata.conv_transpose",
         {"tensor<2x3x4x4xf32>", "tensor<3x2x3x3xf32>"},
         "tensor<2x2x8x8xf32>",
         "{strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, "
         "output_padding = array<i64: 1, 1>}",
         kDeconv});
  check({"groups 2, dilations",
         "strata.conv_transpose",
         {"tensor<1x4x3x3xf32>", "tensor<4x2x2x2xf32>", "tensor<4xf32>"},
         "tensor<1x4x5x5xf32>",
         "{groups = 2 : i64, dilations = array<i64: 2, 2>}",
         kDeconv});
  // Full extent 2 * 3 + 3 = 9 < 10: the last position holds the bias only.
  check({"1-D, output_shape past the full extent",
         "strata.conv_transpose",
         {"tensor<1x2x4xf32>", "tensor<2x3x3xf32>", "tensor<3xf32>"},
         "tensor<1x3x10xf32>",
         "{strides = array<i64: 2>, output_shape = array<i64: 10>}",
         kDeconv});
  // oneDNN's end pad would be 3 * 2 + 2 - 10 = -2.
  check({"1-D, output_padding 2",
         "strata.conv_transpose",
         {"tensor<1x2x3xf32>", "tensor<2x2x2xf32>", "tensor<2xf32>"},
         "tensor<1x2x10xf32>",
         "{strides = array<i64: 3>, output_padding = array<i64: 2>}",
         kDeconv});
  check({"3-D, strides",
         "strata.conv_transpose",
         {"tensor<1x2x2x3x2xf32>", "tensor<2x2x2x2x2xf32>"},
         "tensor<1x2x4x4x4xf32>",
         "{strides = array<i64: 2, 1, 2>}",
         kDeconv});
  check({"auto_pad same_upper",
         "strata.conv_transpose",
         {"tensor<1x2x3x3xf32>", "tensor<2x2x3x3xf32>"},
         "tensor<1x2x6x6xf32>",
         "{auto_pad = #strata.auto_pad<same_upper>, strides = array<i64: 2, "
         "2>}",
         kDeconv});
  check({"grouped, output_shape, asymmetric padding",
         "strata.conv_transpose",
         {"tensor<2x4x3x4xf32>", "tensor<4x3x3x3xf32>", "tensor<6xf32>"},
         "tensor<2x6x5x8xf32>",
         "{groups = 2 : i64, strides = array<i64: 2, 2>, output_shape = "
         "array<i64: 5, 8>}",
         kDeconv});
}

TEST_F(CpuLibraryCallTest, MatrixProducts) {
  check({"matmul",
         "strata.matmul",
         {"tensor<3x5xf32>", "tensor<5x4xf32>"},
         "tensor<3x4xf32>",
         "",
         kGemm});
  check({"matmul, larger",
         "strata.matmul",
         {"tensor<64x100xf32>", "tensor<100x30xf32>"},
         "tensor<64x30xf32>",
         "",
         kGemm});
  check({"inner_product",
         "strata.inner_product",
         {"tensor<3x20xf32>", "tensor<4x20xf32>", "tensor<4xf32>"},
         "tensor<3x4xf32>",
         "",
         kGemm});
  check({"inner_product transpose, no bias",
         "strata.inner_product",
         {"tensor<3x20xf32>", "tensor<20x4xf32>"},
         "tensor<3x4xf32>",
         "{transpose = true}",
         kGemm});
  check({"inner_product transpose, bias",
         "strata.inner_product",
         {"tensor<8x50xf32>", "tensor<50x10xf32>", "tensor<10xf32>"},
         "tensor<8x10xf32>",
         "{transpose = true}",
         kGemm});
  check({"gemm alpha, beta, row c",
         "strata.gemm",
         {"tensor<3x5xf32>", "tensor<5x4xf32>", "tensor<4xf32>"},
         "tensor<3x4xf32>",
         "{alpha = 0.5 : f64, beta = 2.0 : f64}",
         kGemm});
  check({"gemm transposed, column c",
         "strata.gemm",
         {"tensor<5x3xf32>", "tensor<4x5xf32>", "tensor<3x1xf32>"},
         "tensor<3x4xf32>",
         "{trans_a = true, trans_b = true}",
         kGemm});
  check({"gemm trans_a, full c, beta 0.25",
         "strata.gemm",
         {"tensor<5x3xf32>", "tensor<5x4xf32>", "tensor<3x4xf32>"},
         "tensor<3x4xf32>",
         "{trans_a = true, beta = 0.25 : f64}",
         kGemm});
  check({"gemm trans_b, scalar c",
         "strata.gemm",
         {"tensor<3x5xf32>", "tensor<4x5xf32>", "tensor<f32>"},
         "tensor<3x4xf32>",
         "{trans_b = true, alpha = -1.5 : f64}",
         kGemm});
  check({"matmul, empty batch",
         "strata.matmul",
         {"tensor<0x5xf32>", "tensor<5x4xf32>"},
         "tensor<0x4xf32>",
         "",
         kGemm});
  check({"gemm no c",
         "strata.gemm",
         {"tensor<3x5xf32>", "tensor<5x4xf32>"},
         "tensor<3x4xf32>",
         "{alpha = 3.0 : f64}",
         kGemm});
}

TEST_F(CpuLibraryCallTest, AveragePooling) {
  check({"2-D, strides, pads not counted",
         "strata.avg_pool",
         {"tensor<2x3x7x6xf32>"},
         "tensor<2x3x4x3xf32>",
         "{kernel_shape = array<i64: 3, 2>, strides = array<i64: 2, 2>, "
         "pads = array<i64: 1, 0, 1, 1>}",
         kAvgPool});
  check({"2-D, pads counted",
         "strata.avg_pool",
         {"tensor<2x3x7x6xf32>"},
         "tensor<2x3x4x3xf32>",
         "{kernel_shape = array<i64: 3, 2>, strides = array<i64: 2, 2>, "
         "pads = array<i64: 1, 0, 1, 1>, count_include_pad = true}",
         kAvgPool});
  check({"ceil_mode, overhang not counted",
         "strata.avg_pool",
         {"tensor<1x2x6x6xf32>"},
         "tensor<1x2x3x3xf32>",
         "{kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, "
         "ceil_mode = true}",
         kAvgPool});
  check({"stride past the last window",
         "strata.avg_pool",
         {"tensor<2x3x9xf32>"},
         "tensor<2x3x4xf32>",
         "{kernel_shape = array<i64: 2>, strides = array<i64: 2>}",
         kAvgPool});
  check({"3-D, auto_pad same_upper",
         "strata.avg_pool",
         {"tensor<1x2x5x4x5xf32>"},
         "tensor<1x2x3x2x3xf32>",
         "{kernel_shape = array<i64: 3, 2, 2>, strides = array<i64: 2, 2, 2>, "
         "auto_pad = #strata.auto_pad<same_upper>}",
         kAvgPool});
  check({"1-D, pads counted",
         "strata.avg_pool",
         {"tensor<2x3x8xf32>"},
         "tensor<2x3x5xf32>",
         "{kernel_shape = array<i64: 3>, strides = array<i64: 2>, "
         "pads = array<i64: 2, 1>, count_include_pad = true}",
         kAvgPool});
}

TEST_F(CpuLibraryCallTest, LrnAndBatchNorm) {
  check({"lrn size 3",
         "strata.lrn",
         {"tensor<2x5x3x4xf32>"},
         "tensor<2x5x3x4xf32>",
         "{size = 3 : i64, alpha = 0.5 : f64, beta = 0.75 : f64, "
         "bias = 2.0 : f64}",
         kLrn});
  check({"lrn size 5, 1-D image",
         "strata.lrn",
         {"tensor<1x7x6xf32>"},
         "tensor<1x7x6xf32>",
         "{size = 5 : i64}",
         kLrn});
  check({"batch_norm NCHW",
         "strata.batch_norm",
         {"tensor<2x3x4x5xf32>", "tensor<3xf32>", "tensor<3xf32>",
          "tensor<3xf32>", "tensor<3xf32>"},
         "tensor<2x3x4x5xf32>",
         "{epsilon = 1.0e-3 : f64}",
         kBatchNorm,
         4});
  check({"batch_norm NC",
         "strata.batch_norm",
         {"tensor<4x3xf32>", "tensor<3xf32>", "tensor<3xf32>", "tensor<3xf32>",
          "tensor<3xf32>"},
         "tensor<4x3xf32>",
         "",
         kBatchNorm,
         4});
}

TEST_F(CpuLibraryCallTest, OtherFormsStayInLinalg) {
  // oneDNN's max pooling drops NaN; the reference propagates it.
  check({"max_pool",
         "strata.max_pool",
         {"tensor<2x3x7x6xf32>"},
         "tensor<2x3x4x3xf32>",
         "{kernel_shape = array<i64: 3, 2>, strides = array<i64: 2, 2>, "
         "pads = array<i64: 1, 0, 1, 1>}",
         ""});
  check({"avg_pool with dilations",
         "strata.avg_pool",
         {"tensor<1x2x8x7xf32>"},
         "tensor<1x2x6x5xf32>",
         "{kernel_shape = array<i64: 2, 2>, dilations = array<i64: 2, 2>}",
         ""});
  check({"avg_pool counting pads with a ceil_mode overhang",
         "strata.avg_pool",
         {"tensor<1x2x6x6xf32>"},
         "tensor<1x2x3x3xf32>",
         "{kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, "
         "ceil_mode = true, count_include_pad = true}",
         ""});
  check({"lrn of even size",
         "strata.lrn",
         {"tensor<2x5x3x4xf32>"},
         "tensor<2x5x3x4xf32>",
         "{size = 4 : i64}",
         ""});
  check({"batched matmul",
         "strata.matmul",
         {"tensor<2x3x5xf32>", "tensor<2x5x4xf32>"},
         "tensor<2x3x4xf32>",
         "",
         ""});
  check({"f64 matmul",
         "strata.matmul",
         {"tensor<3x5xf64>", "tensor<5x4xf64>"},
         "tensor<3x4xf64>",
         "",
         ""});
  check({"f64 conv",
         "strata.conv",
         {"tensor<1x2x5x5xf64>", "tensor<3x2x3x3xf64>"},
         "tensor<1x3x3x3xf64>",
         "",
         ""});
}

TEST_F(CpuLibraryCallTest, AMissingLibraryFunctionIsAClearError) {
  // An object calling a runtime function this process does not have (as a
  // kernel compiled by a newer compiler would) fails to load, naming it.
  auto module = mlir::parseSourceString<mlir::ModuleOp>(
      "func.func private @strata_onednn_missing_f32(!llvm.ptr)\n"
      "func.func @main(%a: tensor<4xf32>) -> tensor<4xf32> {\n"
      "  %b = bufferization.to_buffer %a read_only : tensor<4xf32> to "
      "memref<4xf32>\n"
      "  %i = memref.extract_aligned_pointer_as_index %b : memref<4xf32> -> "
      "index\n"
      "  %l = arith.index_cast %i : index to i64\n"
      "  %p = llvm.inttoptr %l : i64 to !llvm.ptr\n"
      "  func.call @strata_onednn_missing_f32(%p) : (!llvm.ptr) -> ()\n"
      "  return %a : tensor<4xf32>\n}\n",
      context());
  ASSERT_TRUE(module);
  auto so = codegen::compileToSharedObject(*module, codegen::CpuOptions{});
  ASSERT_TRUE(succeeded(so));
  try {
    runtime::KernelLibrary library(so->bytes.data(), so->bytes.size(),
                                   "m.strata");
    FAIL() << "loaded an object with an unresolved call";
  } catch (const runtime::RuntimeError &e) {
    std::string message = e.what();
    EXPECT_NE(message.find("m.strata: cannot load the kernel library"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("strata_onednn_missing_f32"), std::string::npos)
        << message;
  }
}

} // namespace
} // namespace strata::testing
