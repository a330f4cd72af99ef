//===- CpuKernelTest.cpp - Compiled CPU kernels against the reference -----===//
//
// Every op the CPU backend lowers is compiled (codegen/cpu: linalg, LLVM,
// ld.lld), loaded from memory by the runtime (runtime/cpu/KernelLibrary),
// run on random inputs, and compared with the reference evaluator on the
// same inputs: floats within |got - want| <= 1e-5 (1 + |want|) (the
// evaluator computes in double, compiled code in float; sums of up to 20
// terms and libm's float functions stay well inside that), booleans and
// integers exactly.
//
//===----------------------------------------------------------------------===//

#include "EvaluatorTesting.h"
#include "codegen/CompiledTesting.h"

#include "codegen/cpu/CpuCompiler.h"
#include "runtime/cpu/KernelLibrary.h"
#include "runtime/support/Error.h"

#include "mlir/IR/DialectRegistry.h"

#include <algorithm>
#include <cmath>

namespace strata::testing {
namespace {

using reference::Tensor;

/// One operand: its type and the range its random values come from.
struct Operand {
  std::string type; // e.g. "tensor<4x3xf32>"
  double lo = -2, hi = 2;
  bool integral = false; // floats rounded down to integers (to make ties)
};

struct Case {
  std::string name;
  std::string op; // generic-form op name, e.g. "strata.add"
  std::vector<Operand> operands;
  std::string resultType;
  std::string attributes = ""; // e.g. "{alpha = 0.2 : f64}"
  double tolerance = 1e-5;     // floats: |got - want| <= tolerance (1 + |want|)
};

class CpuKernelTest : public EvaluatorTest {
protected:
  CpuKernelTest() {
    mlir::DialectRegistry registry;
    codegen::registerCpuCodegenDialects(registry);
    context()->appendDialectRegistry(registry);
    context()->loadAllAvailableDialects();
  }

  std::string moduleText(const Case &c) {
    std::string args, types;
    for (size_t i = 0; i < c.operands.size(); ++i) {
      args += (i ? ", " : "") + std::string("%a") + std::to_string(i) + ": " +
              c.operands[i].type;
    }
    std::string uses, useTypes;
    for (size_t i = 0; i < c.operands.size(); ++i) {
      uses += (i ? ", " : "") + std::string("%a") + std::to_string(i);
      useTypes += (i ? ", " : "") + c.operands[i].type;
    }
    return "func.func @main(" + args + ") -> " + c.resultType + " {\n" +
           "  %0 = \"" + c.op + "\"(" + uses + ") " + c.attributes + " : (" +
           useTypes + ") -> " + c.resultType +
           "\n  return %0 : " + c.resultType + "\n}\n";
  }

  Tensor randomTensor(const Operand &o) {
    Parsed p = parseType(o.type);
    int64_t n = 1;
    for (int64_t d : p.shape)
      n *= d;
    std::vector<double> v = random(n, o.lo, o.hi);
    if (o.integral)
      for (double &x : v)
        x = std::floor(x);
    if (p.dtype == reference::DType::i1) {
      std::vector<int64_t> bits;
      for (double x : v)
        bits.push_back(x > 0);
      return Tensor::fromInts(p.dtype, p.shape, bits);
    }
    bool isFloat =
        p.dtype == reference::DType::f16 || p.dtype == reference::DType::bf16 ||
        p.dtype == reference::DType::f32 || p.dtype == reference::DType::f64;
    if (!isFloat) {
      std::vector<int64_t> ints;
      for (double x : v)
        ints.push_back(static_cast<int64_t>(std::floor(x)));
      return Tensor::fromInts(p.dtype, p.shape, ints);
    }
    return Tensor::fromDoubles(p.dtype, p.shape, v);
  }

  /// Compiles @main of `source`, runs it on `args`, returns the result.
  Tensor runCompiled(const std::string &source, const std::vector<Tensor> &args,
                     const std::string &resultType) {
    auto module = mlir::parseSourceString<mlir::ModuleOp>(source, context());
    EXPECT_TRUE(module);
    // The linalg lowering is what this file checks; the oneDNN calls have
    // CpuLibraryCallTest.
    codegen::CpuOptions options;
    options.libraryCalls = false;
    auto so = codegen::compileToSharedObject(*module, options);
    EXPECT_TRUE(succeeded(so)) << "compilation failed:\n" << source;
    if (failed(so))
      return Tensor();
    runtime::KernelLibrary library(so->bytes.data(), so->bytes.size(), "test");
    auto entry = library.entry("main");
    Parsed r = parseType(resultType);
    return runEntry(entry, args, {Tensor(r.dtype, r.shape)})[0];
  }

  void check(const Case &c) {
    SCOPED_TRACE(c.name);
    std::string source = moduleText(c);
    std::vector<Tensor> args;
    for (const Operand &o : c.operands)
      args.push_back(randomTensor(o));
    std::vector<Tensor> want = run(source, args);
    ASSERT_EQ(want.size(), 1u);
    Tensor got = runCompiled(source, args, c.resultType);
    ASSERT_EQ(got.shape(), want[0].shape());
    for (int64_t i = 0; i < got.numElements(); ++i) {
      if (got.isFloat()) {
        double g = got.get(i), w = want[0].get(i);
        if (g == w) // infinities too
          continue;
        if (std::isnan(w)) {
          EXPECT_TRUE(std::isnan(g)) << c.name << " element " << i;
          continue;
        }
        EXPECT_LE(std::fabs(g - w), c.tolerance * (1 + std::fabs(w)))
            << c.name << " element " << i << ": got " << g << ", want " << w;
      } else {
        EXPECT_EQ(got.getInt(i), want[0].getInt(i))
            << c.name << " element " << i;
      }
    }
  }
};

const std::string F = "tensor<3x4xf32>";
const std::string Row = "tensor<4xf32>";
const std::string Col = "tensor<3x1xf32>";
const std::string B = "tensor<3x4xi1>";
const std::string I = "tensor<3x4xi32>";

TEST_F(CpuKernelTest, BinaryElementwiseWithBroadcasting) {
  for (std::string op : {"add", "sub", "mul", "div", "max", "min"}) {
    check({op + " f32", "strata." + op, {{F}, {Row}}, F});
    check({op + " f32 column", "strata." + op, {{Col}, {F}}, F});
  }
  for (std::string op : {"add", "sub", "mul", "max", "min"})
    check({op + " i32", "strata." + op, {{I, -50, 50}, {I, -50, 50}}, I});
  check({"div i32", "strata.div", {{I, -50, 50}, {I, 1, 9}}, I});
  // mod: the divisor's sign; fmod: the dividend's.
  check({"mod f32", "strata.mod", {{F, -5, 5}, {Row, -3, 3}}, F});
  check({"mod f32 fmod",
         "strata.mod",
         {{F, -5, 5}, {Row, -3, 3}},
         F,
         "{fmod = true}"});
  check({"mod i32", "strata.mod", {{I, -50, 50}, {I, -9, -1}}, I});
  check({"pow", "strata.pow", {{F, 0.1, 3}, {Row, -2, 2}}, F});
  // Integer powers wrap; negative exponents give 0 except for bases 1, -1.
  check({"pow i32", "strata.pow", {{I, -3, 4}, {I, -3, 40}}, I});
  check({"pow i64",
         "strata.pow",
         {{"tensor<3x4xi64>", -3, 4}, {"tensor<3x4xi64>", -3, 70}},
         "tensor<3x4xi64>"});
}

TEST_F(CpuKernelTest, Comparisons) {
  for (std::string op : {"equal", "not_equal", "less", "less_equal", "greater",
                         "greater_equal"}) {
    check({op + " f32", "strata." + op, {{F}, {Row}}, B});
    // Small integers make ties common.
    check({op + " i32", "strata." + op, {{I, -2, 2}, {I, -2, 2}}, B});
  }
}

TEST_F(CpuKernelTest, LogicalAndBitwise) {
  for (std::string op : {"and", "or", "xor"}) {
    check({op + " i1", "strata." + op, {{B}, {B}}, B});
    check({op + " i32", "strata." + op, {{I, -100, 100}, {I, -100, 100}}, I});
  }
  check({"not i1", "strata.not", {{B}}, B});
  check({"not i32", "strata.not", {{I, -100, 100}}, I});
  check({"where", "strata.where", {{B}, {F}, {Row}}, F});
}

TEST_F(CpuKernelTest, UnaryElementwise) {
  struct U {
    std::string op;
    double lo, hi;
  };
  for (U u : std::vector<U>{{"neg", -3, 3},
                            {"abs", -3, 3},
                            {"sign", -3, 3},
                            {"exp", -5, 5},
                            {"log", 0.01, 10},
                            {"sqrt", 0, 10},
                            {"rsqrt", 0.05, 10},
                            {"reciprocal", 0.1, 10},
                            {"floor", -5, 5},
                            {"ceil", -5, 5},
                            {"round", -5, 5},
                            {"erf", -3, 3},
                            {"sin", -6, 6},
                            {"cos", -6, 6},
                            {"asin", -1, 1},
                            {"acos", -1, 1},
                            {"atan", -6, 6},
                            {"tanh", -5, 5}})
    check({u.op, "strata." + u.op, {{F, u.lo, u.hi}}, F});
  check({"neg i32", "strata.neg", {{I, -50, 50}}, I});
  check({"abs i32", "strata.abs", {{I, -50, 50}}, I});
  check({"is_nan", "strata.is_nan", {{F}}, B});
  // Values outside asin's domain give NaN in both.
  check({"asin outside", "strata.asin", {{F, -2, 2}}, F});
  check({"clip",
         "strata.clip",
         {{F}},
         F,
         "{min = -0.5 : f64, max = 0.75 : f64}"});
}

TEST_F(CpuKernelTest, Activations) {
  for (std::string op :
       {"relu", "sigmoid", "softplus", "softsign", "stanh", "elu"})
    check({op, "strata." + op, {{F, -6, 6}}, F});
  check({"leaky_relu", "strata.leaky_relu", {{F}}, F, "{alpha = 0.2 : f64}"});
  check({"elu alpha", "strata.elu", {{F}}, F, "{alpha = 0.5 : f64}"});
  check({"softplus large", "strata.softplus", {{F, -80, 80}}, F});
  for (std::string op : {"selu", "celu", "gelu", "hard_sigmoid", "hard_swish",
                         "thresholded_relu", "mish", "shrink"})
    check({op, "strata." + op, {{F, -6, 6}}, F});
  check({"gelu tanh",
         "strata.gelu",
         {{F, -6, 6}},
         F,
         "{approximate = \"tanh\"}"});
  check({"celu alpha", "strata.celu", {{F, -6, 6}}, F, "{alpha = 2.0 : f64}"});
  check({"shrink bias",
         "strata.shrink",
         {{F}},
         F,
         "{bias = 0.25 : f64, lambd = 0.75 : f64}"});
  check({"prelu", "strata.prelu", {{F}, {Row}}, F});
  check({"prelu per channel", "strata.prelu", {{F}, {Col}}, F});
}

TEST_F(CpuKernelTest, MatrixProducts) {
  check({"matmul",
         "strata.matmul",
         {{"tensor<3x5xf32>"}, {"tensor<5x4xf32>"}},
         "tensor<3x4xf32>"});
  check({"matmul batched",
         "strata.matmul",
         {{"tensor<2x3x5xf32>"}, {"tensor<2x5x4xf32>"}},
         "tensor<2x3x4xf32>"});
  check({"inner_product",
         "strata.inner_product",
         {{"tensor<3x20xf32>"}, {"tensor<4x20xf32>"}, {"tensor<4xf32>"}},
         "tensor<3x4xf32>"});
  check({"inner_product transpose, no bias",
         "strata.inner_product",
         {{"tensor<3x20xf32>"}, {"tensor<20x4xf32>"}},
         "tensor<3x4xf32>",
         "{transpose = true}"});
  check({"gemm",
         "strata.gemm",
         {{"tensor<3x5xf32>"}, {"tensor<5x4xf32>"}, {"tensor<4xf32>"}},
         "tensor<3x4xf32>",
         "{alpha = 0.5 : f64, beta = 2.0 : f64}"});
  check({"gemm transposed",
         "strata.gemm",
         {{"tensor<5x3xf32>"}, {"tensor<4x5xf32>"}, {"tensor<3x1xf32>"}},
         "tensor<3x4xf32>",
         "{trans_a = true, trans_b = true}"});
  check({"gemm no c",
         "strata.gemm",
         {{"tensor<3x5xf32>"}, {"tensor<5x4xf32>"}},
         "tensor<3x4xf32>"});
}

// numpy matmul's other forms: 1-D operands (promoted, the added dim
// dropped) and broadcast batch dims.
TEST_F(CpuKernelTest, MatMulForms) {
  check({"matmul 1-D x 1-D",
         "strata.matmul",
         {{"tensor<5xf32>"}, {"tensor<5xf32>"}},
         "tensor<f32>"});
  check({"matmul 1-D x 3-D",
         "strata.matmul",
         {{"tensor<5xf32>"}, {"tensor<2x5x4xf32>"}},
         "tensor<2x4xf32>"});
  check({"matmul 4-D x 1-D",
         "strata.matmul",
         {{"tensor<2x3x4x5xf32>"}, {"tensor<5xf32>"}},
         "tensor<2x3x4xf32>"});
  check({"matmul 2-D x 3-D",
         "strata.matmul",
         {{"tensor<3x5xf32>"}, {"tensor<2x5x4xf32>"}},
         "tensor<2x3x4xf32>"});
  check({"matmul broadcast batch",
         "strata.matmul",
         {{"tensor<2x1x3x5xf32>"}, {"tensor<4x5x2xf32>"}},
         "tensor<2x4x3x2xf32>"});
  check({"matmul f64",
         "strata.matmul",
         {{"tensor<3x5xf64>"}, {"tensor<5x4xf64>"}},
         "tensor<3x4xf64>"});
  check({"matmul i32 batched",
         "strata.matmul",
         {{"tensor<2x3x5xi32>", -20, 20}, {"tensor<1x5x4xi32>", -20, 20}},
         "tensor<2x3x4xi32>"});
  check({"matmul ui8 wraps",
         "strata.matmul",
         {{"tensor<3x5xui8>", 0, 255}, {"tensor<5x4xui8>", 0, 255}},
         "tensor<3x4xui8>"});
}

// A dim of size 0 anywhere (not only first): such buffers reach the
// compiled function as arguments and results.
TEST_F(CpuKernelTest, ZeroSizeDims) {
  check({"add, 0 inside",
         "strata.add",
         {{"tensor<2x0x3xf32>"}, {"tensor<3xf32>"}},
         "tensor<2x0x3xf32>"});
  check({"reduce_sum of an empty set",
         "strata.reduce_sum",
         {{"tensor<2x0x4xf32>"}},
         "tensor<2x1x4xf32>",
         "{axes = array<i64: 1>}"});
  check({"reduce_max of an empty set",
         "strata.reduce_max",
         {{"tensor<3x0xf32>"}},
         "tensor<3xf32>",
         "{axes = array<i64: 1>, keepdims = false}"});
  check({"matmul with K = 0",
         "strata.matmul",
         {{"tensor<3x0xf32>"}, {"tensor<0x4xf32>"}},
         "tensor<3x4xf32>"});
  check({"matmul with N = 0",
         "strata.matmul",
         {{"tensor<3x2xf32>"}, {"tensor<2x0xf32>"}},
         "tensor<3x0xf32>"});
}

// Integers of every width, signless and unsigned: unsigned ones divide,
// compare, shift and take max / min as unsigned. The ranges reach the top
// of each unsigned type, where signed semantics would read negatives.
TEST_F(CpuKernelTest, IntegerElementTypes) {
  struct Type {
    std::string name;
    double lo, hi;
  };
  for (const Type &t : {Type{"i8", -128, 128}, Type{"i16", -3e4, 3e4},
                        Type{"ui8", 0, 256}, Type{"ui16", 0, 65536},
                        Type{"ui32", 0, 4.2e9}, Type{"ui64", 0, 9e18}}) {
    std::string X = "tensor<3x4x" + t.name + ">";
    std::string R = "tensor<4x" + t.name + ">";
    std::string Bt = "tensor<3x4xi1>";
    for (std::string op :
         {"add", "sub", "mul", "max", "min", "and", "or", "xor"})
      check({op + " " + t.name,
             "strata." + op,
             {{X, t.lo, t.hi}, {R, t.lo, t.hi}},
             X});
    check({"not " + t.name, "strata.not", {{X, t.lo, t.hi}}, X});
    for (std::string op : {"div", "mod"}) {
      check({op + " " + t.name,
             "strata." + op,
             {{X, t.lo, t.hi}, {R, 1, 100}},
             X});
      if (t.lo < 0)
        check({op + " " + t.name + " negative divisor",
               "strata." + op,
               {{X, t.lo, t.hi}, {R, -100, -1}},
               X});
    }
    for (std::string op : {"equal", "not_equal", "less", "less_equal",
                           "greater", "greater_equal"})
      check({op + " " + t.name,
             "strata." + op,
             {{X, t.lo, t.hi}, {R, t.lo, t.hi}},
             Bt});
    for (std::string op : {"shift_left", "shift_right"})
      check({op + " " + t.name,
             "strata." + op,
             {{X, t.lo, t.hi}, {R, t.lo < 0 ? -3.0 : 0.0, 70}},
             X});
    check({"clip " + t.name,
           "strata.clip",
           {{X, t.lo, t.hi}},
           X,
           "{min = 5.5 : f64, max = 1.0e5 : f64}"});
    check({"reduce_max " + t.name,
           "strata.reduce_max",
           {{X, t.lo, t.hi}},
           R,
           "{axes = array<i64: 0>, keepdims = false}"});
    check({"reduce_min " + t.name,
           "strata.reduce_min",
           {{X, t.lo, t.hi}},
           R,
           "{axes = array<i64: 0>, keepdims = false}"});
    check({"reduce_sum " + t.name,
           "strata.reduce_sum",
           {{X, t.lo, t.hi}},
           R,
           "{axes = array<i64: 0>, keepdims = false}"});
    check({"cast " + t.name + " to f32",
           "strata.cast",
           {{X, t.lo, t.hi}},
           "tensor<3x4xf32>"});
    check({"cast f32 to " + t.name,
           "strata.cast",
           {{"tensor<3x4xf32>", 0, 120}},
           X});
    check({"cast " + t.name + " to i64",
           "strata.cast",
           {{X, t.lo, t.hi}},
           "tensor<3x4xi64>"});
  }
}

// bitcast reads the same bits as another type of the width: checked
// against hand-derived bit patterns (1.0f is 0x3f800000, -2.0 is
// 0xc000000000000000, 200 as ui8 is -56 as i8).
TEST_F(CpuKernelTest, Bitcast) {
  auto run1 = [&](const std::string &from, const std::string &to,
                  const Tensor &x) {
    std::string source =
        "func.func @main(%a: tensor<2x" + from + ">) -> tensor<2x" + to +
        "> {\n  %0 = strata.bitcast %a {to = " + to + "} : (tensor<2x" + from +
        ">) -> tensor<2x" + to + ">\n  return %0 : tensor<2x" + to + ">\n}\n";
    return runCompiled(source, {x}, "tensor<2x" + to + ">");
  };
  Tensor f = run1("f32", "i32",
                  Tensor::fromDoubles(reference::DType::f32, {2}, {1.0, -2.0}));
  EXPECT_EQ(f.getInt(0), 0x3f800000);
  EXPECT_EQ(f.getInt(1), static_cast<int32_t>(0xc0000000u));
  Tensor d = run1("i64", "f64",
                  Tensor::fromInts(reference::DType::i64, {2},
                                   {static_cast<int64_t>(0xc000000000000000ull),
                                    0x3ff0000000000000}));
  EXPECT_EQ(d.get(0), -2.0);
  EXPECT_EQ(d.get(1), 1.0);
  Tensor u =
      run1("ui8", "i8", Tensor::fromInts(reference::DType::u8, {2}, {200, 1}));
  EXPECT_EQ(u.getInt(0), -56);
  EXPECT_EQ(u.getInt(1), 1);
  Tensor b =
      run1("i1", "ui8", Tensor::fromInts(reference::DType::i1, {2}, {1, 0}));
  EXPECT_EQ(b.getInt(0), 1);
  EXPECT_EQ(b.getInt(1), 0);
}

// i2, i4, ui2, ui4: a byte per element between caller and compiled code,
// arithmetic wrapping to the width. Every encoding (and every pair, for the
// binary ops) against hand-derived values: `wrap` reads the low bits as the
// type does (i4: 7 + 1 is -8; ui4: 0 - 1 is 15), casts from f32 truncate
// toward zero and then wrap. The evaluator agrees on each case too.
TEST_F(CpuKernelTest, SubByteIntegers) {
  struct Sub {
    std::string name;
    reference::DType dtype;
    unsigned width;
    bool isSigned;
  };
  for (const Sub &t : {Sub{"i2", reference::DType::i2, 2, true},
                       Sub{"i4", reference::DType::i4, 4, true},
                       Sub{"ui2", reference::DType::u2, 2, false},
                       Sub{"ui4", reference::DType::u4, 4, false}}) {
    SCOPED_TRACE(t.name);
    int64_t n = int64_t(1) << t.width;
    auto wrap = [&](int64_t v) {
      int64_t low = ((v % n) + n) % n;
      return t.isSigned && low >= n / 2 ? low - n : low;
    };
    // Every encoding as its value; pairs: (a, b) over all encodings.
    std::vector<int64_t> all, as, bs;
    for (int64_t e = 0; e < n; ++e)
      all.push_back(wrap(e));
    for (int64_t a : all)
      for (int64_t b : all) {
        as.push_back(a);
        bs.push_back(b);
      }
    std::string N = std::to_string(n), NN = std::to_string(n * n);
    std::string X = "tensor<" + N + "x" + t.name + ">";
    std::string XX = "tensor<" + NN + "x" + t.name + ">";
    auto unary = [&](const std::string &op, const std::string &from,
                     const std::string &to, const std::string &attrs,
                     const Tensor &x) {
      std::string source = "func.func @main(%a: " + from + ") -> " + to +
                           " {\n  %0 = \"" + op + "\"(%a) " + attrs + " : (" +
                           from + ") -> " + to + "\n  return %0 : " + to +
                           "\n}\n";
      Tensor got = runCompiled(source, {x}, to);
      std::vector<Tensor> want = run(source, {x});
      EXPECT_EQ(got.toDoubles(), want[0].toDoubles()) << op << " " << to;
      return got;
    };
    auto binary = [&](const std::string &op, const std::string &to,
                      const Tensor &a, const Tensor &b) {
      std::string source = "func.func @main(%a: " + XX + ", %b: " + XX +
                           ") -> " + to + " {\n  %0 = \"" + op +
                           "\"(%a, %b) : (" + XX + ", " + XX + ") -> " + to +
                           "\n  return %0 : " + to + "\n}\n";
      Tensor got = runCompiled(source, {a, b}, to);
      std::vector<Tensor> want = run(source, {a, b});
      EXPECT_EQ(got.toDoubles(), want[0].toDoubles()) << op;
      return got;
    };
    Tensor x = Tensor::fromInts(t.dtype, {n}, all);
    for (std::string to : {"i8", "i32", "f32"}) {
      Tensor got =
          unary("strata.cast", X, "tensor<" + N + "x" + to + ">", "", x);
      for (int64_t i = 0; i < n; ++i)
        EXPECT_EQ(got.get(i), static_cast<double>(all[i])) << "to " << to;
    }
    // From f32: -9.75 ... 9.75 by quarters (past both ends of each range).
    std::vector<double> fs;
    for (int q = -39; q <= 39; ++q)
      fs.push_back(q / 4.0);
    Tensor f = Tensor::fromDoubles(reference::DType::f32,
                                   {static_cast<int64_t>(fs.size())}, fs);
    std::string FT = "tensor<" + std::to_string(fs.size()) + "x";
    Tensor fromF = unary("strata.cast", FT + "f32>", FT + t.name + ">", "", f);
    for (size_t i = 0; i < fs.size(); ++i)
      EXPECT_EQ(fromF.getInt(i), wrap(static_cast<int64_t>(std::trunc(fs[i]))))
          << "from " << fs[i];
    Tensor a = Tensor::fromInts(t.dtype, {n * n}, as);
    Tensor b = Tensor::fromInts(t.dtype, {n * n}, bs);
    Tensor sum = binary("strata.add", XX, a, b);
    Tensor diff = binary("strata.sub", XX, a, b);
    Tensor prod = binary("strata.mul", XX, a, b);
    Tensor big = binary("strata.max", XX, a, b);
    Tensor less = binary("strata.less", "tensor<" + NN + "xi1>", a, b);
    for (int64_t i = 0; i < n * n; ++i) {
      EXPECT_EQ(sum.getInt(i), wrap(as[i] + bs[i])) << as[i] << " + " << bs[i];
      EXPECT_EQ(diff.getInt(i), wrap(as[i] - bs[i])) << as[i] << " - " << bs[i];
      EXPECT_EQ(prod.getInt(i), wrap(as[i] * bs[i])) << as[i] << " * " << bs[i];
      EXPECT_EQ(big.getInt(i), std::max(as[i], bs[i]));
      EXPECT_EQ(less.getInt(i), as[i] < bs[i] ? 1 : 0);
    }
  }
}

// f16 and bf16: + - * / round once per op in both, so they agree exactly;
// math functions and bodies of several ops are computed in f32 (compiled) or
// double (evaluator) and rounded once, so they may differ by one unit in the
// last place (2^-10 relative for f16, 2^-7 for bf16).
TEST_F(CpuKernelTest, HalfPrecisionFloats) {
  for (auto [t, ulp] : {std::pair<std::string, double>{"f16", 0x1p-10},
                        std::pair<std::string, double>{"bf16", 0x1p-7}}) {
    std::string X = "tensor<3x4x" + t + ">";
    std::string R = "tensor<4x" + t + ">";
    for (std::string op : {"add", "sub", "mul", "div", "max", "min"})
      check({op + " " + t, "strata." + op, {{X}, {R}}, X, "", 0});
    check({"sqrt " + t, "strata.sqrt", {{X, 0, 4}}, X, "", 0});
    // Bodies of several ops (celu, gelu, softplus) and softmax compute in f32
    // and round once, as the evaluator does in double.
    for (std::string op :
         {"exp", "tanh", "sigmoid", "erf", "celu", "gelu", "softplus", "mish"})
      check({op + " " + t, "strata." + op, {{X, -4, 4}}, X, "", ulp});
    for (std::string op : {"softmax", "log_softmax"})
      check({op + " " + t,
             "strata." + op,
             {{X, -4, 4}},
             X,
             "{axis = 1 : i64}",
             ulp});
    check({"less " + t, "strata.less", {{X}, {R}}, "tensor<3x4xi1>"});
    check({"cast " + t + " to f32",
           "strata.cast",
           {{X}},
           "tensor<3x4xf32>",
           "",
           0});
    check({"cast f64 to " + t,
           "strata.cast",
           {{"tensor<3x4xf64>", -1e3, 1e3}},
           X,
           "",
           0});
    check({"cast f32 to " + t,
           "strata.cast",
           {{"tensor<3x4xf32>", -1e3, 1e3}},
           X,
           "",
           0});
    check({"cast " + t + " to i32",
           "strata.cast",
           {{X, -100, 100}},
           "tensor<3x4xi32>"});
    check({"cast i32 to " + t,
           "strata.cast",
           {{"tensor<3x4xi32>", -3000, 3000}},
           X,
           "",
           0});
    // Sums of products accumulate in f32 and round once.
    check({"matmul " + t,
           "strata.matmul",
           {{"tensor<3x5x" + t + ">"}, {"tensor<5x4x" + t + ">"}},
           "tensor<3x4x" + t + ">",
           "",
           ulp});
    check({"conv " + t,
           "strata.conv",
           {{"tensor<1x2x5x5x" + t + ">"},
            {"tensor<3x2x3x3x" + t + ">"},
            {"tensor<3x" + t + ">"}},
           "tensor<1x3x3x3x" + t + ">",
           "",
           ulp});
    check({"reduce_sum " + t,
           "strata.reduce_sum",
           {{X}},
           R,
           "{axes = array<i64: 0>, keepdims = false}",
           2 * ulp});
  }
}

TEST_F(CpuKernelTest, Reductions) {
  const std::string X = "tensor<3x4x5xf32>";
  for (std::string op :
       {"reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod",
        "reduce_l1", "reduce_l2", "reduce_sum_square", "reduce_log_sum_exp"}) {
    check({op + " axis 1 keepdims",
           "strata." + op,
           {{X}},
           "tensor<3x1x5xf32>",
           "{axes = array<i64: 1>}"});
    check({op + " axes 0,2",
           "strata." + op,
           {{X}},
           "tensor<4xf32>",
           "{axes = array<i64: 0, -1>, keepdims = false}"});
    check({op + " all",
           "strata." + op,
           {{X}},
           "tensor<f32>",
           "{keepdims = false}"});
  }
  check({"reduce_log_sum",
         "strata.reduce_log_sum",
         {{X, 0.1, 2}},
         "tensor<3x5xf32>",
         "{axes = array<i64: 1>, keepdims = false}"});
  check({"reduce_log_sum_exp large",
         "strata.reduce_log_sum_exp",
         {{X, 80, 120}},
         "tensor<3x5xf32>",
         "{axes = array<i64: 1>, keepdims = false}"});
  check({"reduce_sum noop",
         "strata.reduce_sum",
         {{X}},
         X,
         "{noop_with_empty_axes = true}"});
  for (std::string op : {"reduce_sum", "reduce_max", "reduce_min"})
    check({op + " i32",
           "strata." + op,
           {{I, -50, 50}},
           "tensor<3xi32>",
           "{axes = array<i64: 1>, keepdims = false}"});
}

TEST_F(CpuKernelTest, Softmax) {
  for (std::string op : {"softmax", "log_softmax"}) {
    check({op, "strata." + op, {{F, -5, 5}}, F});
    check(
        {op + " axis 0", "strata." + op, {{F, -5, 5}}, F, "{axis = 0 : i64}"});
    check({op + " large logits", "strata." + op, {{F, 50, 150}}, F});
  }
}

TEST_F(CpuKernelTest, ShapeAndStructure) {
  check({"reshape",
         "strata.reshape",
         {{"tensor<3x4x2xf32>"}},
         "tensor<4x6xf32>",
         "{shape = array<i64: 4, -1>}"});
  check({"reshape to scalar",
         "strata.reshape",
         {{"tensor<1x1xf32>"}},
         "tensor<f32>",
         "{shape = array<i64>}"});
  check({"reshape from scalar",
         "strata.reshape",
         {{"tensor<f32>"}},
         "tensor<1x1xf32>",
         "{shape = array<i64: 1, 1>}"});
  check({"transpose",
         "strata.transpose",
         {{"tensor<2x3x4xf32>"}},
         "tensor<4x2x3xf32>",
         "{perm = array<i64: 2, 0, 1>}"});
  check({"transpose default",
         "strata.transpose",
         {{"tensor<2x3xf32>"}},
         "tensor<3x2xf32>"});
  check({"constant",
         "strata.constant",
         {},
         "tensor<2x2xf32>",
         "{value = dense<[[1.5, -2.0], [0.25, 3.0]]> : tensor<2x2xf32>}"});
  check({"cast f32 to i32", "strata.cast", {{F, -50, 50}}, I});
  check({"cast i32 to f32", "strata.cast", {{I, -50, 50}}, F});
  check({"cast f32 to i1", "strata.cast", {{F, -1, 1}}, B});
  check({"cast i1 to f32", "strata.cast", {{B}}, F});
  check({"cast i32 to i1", "strata.cast", {{I, -2, 2}}, B});
  check({"cast i1 to i32", "strata.cast", {{B}}, I});
  check({"cast f32 to f64", "strata.cast", {{F}}, "tensor<3x4xf64>"});
  check({"cast f64 to f32", "strata.cast", {{"tensor<3x4xf64>"}}, F});
  check({"cast i32 to i64", "strata.cast", {{I, -50, 50}}, "tensor<3x4xi64>"});
  check({"cast i64 to i32", "strata.cast", {{"tensor<3x4xi64>", -50, 50}}, I});
}

TEST_F(CpuKernelTest, LossesAndMetrics) {
  const std::string X = "tensor<6x5xf32>", Y = "tensor<6xi32>";
  check({"softmax_cross_entropy",
         "strata.softmax_cross_entropy",
         {{X, -4, 4}, {Y, 0, 5}},
         "tensor<f32>"});
  check({"softmax_cross_entropy scaled, large",
         "strata.softmax_cross_entropy",
         {{X, 60, 160}, {Y, 0, 5}},
         "tensor<f32>",
         "{scale = 0.5 : f64}"});
  check({"softmax_cross_entropy i64 labels",
         "strata.softmax_cross_entropy",
         {{X}, {"tensor<6xi64>", 0, 5}},
         "tensor<f32>"});
  // Integral logits make ties, which rank the lower index first.
  for (int k : {1, 2, 3})
    check({"accuracy top " + std::to_string(k),
           "strata.accuracy",
           {{X, 0, 3, true}, {Y, 0, 5}},
           "tensor<f32>",
           "{top_k = " + std::to_string(k) + " : i64}"});
  check({"euclidean_loss", "strata.euclidean_loss", {{X}, {X}}, "tensor<f32>"});
}

TEST_F(CpuKernelTest, OneHot) {
  check({"one_hot last axis",
         "strata.one_hot",
         {{"tensor<3x2xi32>", -4, 4}, {"tensor<2xf32>"}},
         "tensor<3x2x4xf32>",
         "{depth = 4 : i64}"});
  check({"one_hot axis 0",
         "strata.one_hot",
         {{"tensor<3xi64>", 0, 5}, {"tensor<2xf32>"}},
         "tensor<5x3xf32>",
         "{depth = 5 : i64, axis = 0 : i64}"});
  check({"one_hot out of range dropped",
         "strata.one_hot",
         {{"tensor<6xi32>", -8, 8}, {"tensor<2xf32>"}},
         "tensor<6x3xf32>",
         "{depth = 3 : i64, drop_out_of_range = true}"});
}

TEST_F(CpuKernelTest, ConvolutionAndPooling) {
  const std::string X = "tensor<2x3x7x6xf32>";
  check({"conv",
         "strata.conv",
         {{X}, {"tensor<4x3x3x3xf32>"}, {"tensor<4xf32>"}},
         "tensor<2x4x5x4xf32>"});
  check({"conv pads, strides, no bias",
         "strata.conv",
         {{X}, {"tensor<4x3x3x2xf32>"}},
         "tensor<2x4x4x3xf32>",
         "{pads = array<i64: 1, 0, 1, 1>, strides = array<i64: 2, 2>}"});
  check({"conv dilations",
         "strata.conv",
         {{X}, {"tensor<2x3x2x2xf32>"}, {"tensor<2xf32>"}},
         "tensor<2x2x5x4xf32>",
         "{dilations = array<i64: 2, 2>}"});
  check({"max_pool",
         "strata.max_pool",
         {{X}},
         "tensor<2x3x3x3xf32>",
         "{kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>}"});
  check({"max_pool pads",
         "strata.max_pool",
         {{X}},
         "tensor<2x3x4x3xf32>",
         "{kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, "
         "pads = array<i64: 1, 1, 1, 0>}"});
  check({"max_pool ceil_mode",
         "strata.max_pool",
         {{X}},
         "tensor<2x3x3x3xf32>",
         "{kernel_shape = array<i64: 3, 2>, strides = array<i64: 2, 2>, "
         "ceil_mode = true}"});
}

TEST_F(CpuKernelTest, UnloweredOpIsAnErrorNamingIt) {
  auto module = mlir::parseSourceString<mlir::ModuleOp>(
      "func.func @main(%x: tensor<1x1x4x4xf32>, %r: tensor<2x4xf32>, "
      "%b: tensor<2xi64>, %dy: tensor<2x1x1x1xf32>) -> tensor<1x1x4x4xf32> "
      "{\n"
      "  %0:2 = strata.roi_align_grad %x, %r, %b, %dy : (tensor<1x1x4x4xf32>, "
      "tensor<2x4xf32>, tensor<2xi64>, tensor<2x1x1x1xf32>) -> "
      "(tensor<1x1x4x4xf32>, tensor<2x4xf32>)\n"
      "  return %0#0 : tensor<1x1x4x4xf32>\n}\n",
      context());
  ASSERT_TRUE(module);
  std::string message;
  mlir::ScopedDiagnosticHandler handler(context(), [&](mlir::Diagnostic &d) {
    message = d.str();
    return mlir::success();
  });
  EXPECT_TRUE(
      failed(codegen::compileToSharedObject(*module, codegen::CpuOptions{})));
  EXPECT_EQ(message,
            "'strata.roi_align_grad' has no lowering to linalg for this form "
            "yet");
}

TEST_F(CpuKernelTest, LoadingGarbageIsAClearError) {
  std::vector<unsigned char> garbage(100, 0x42);
  try {
    runtime::KernelLibrary library(garbage.data(), garbage.size(), "m.strata");
    FAIL() << "loaded garbage";
  } catch (const runtime::RuntimeError &e) {
    EXPECT_NE(
        std::string(e.what()).find("m.strata: cannot load the kernel library"),
        std::string::npos)
        << e.what();
  }
}

} // namespace
} // namespace strata::testing
