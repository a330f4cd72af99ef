//===- CpuMinifloatKernelTest.cpp - Compiled 8- and 4-bit float casts -----===//
//
// strata.cast from and to f8E4M3FN, f8E5M2, f8E4M3FNUZ, f8E5M2FNUZ, f4E2M1FN
// and f8E8M0FNU, compiled (integer arithmetic on the encodings,
// passes/lowering/MinifloatConversion.h), against the evaluator (APFloat)
// on the same inputs, exactly (equal values with the same sign, or both
// NaN):
// - decoding: every encoding of each format, given to the compiled code as
//   raw bytes (so also the NaN codes the evaluator cannot hold), and
//   compared with APFloat's value of the code as well;
// - encoding from f32, f16, bf16 and f64 with saturate false and true:
//   every value of the format, the ties halfway between neighbours and one
//   source unit either side of them, the overflow threshold, infinities,
//   NaN, signed zeros, subnormals of the source and of the format, and
//   random values over the format's range of magnitudes; f8E8M0FNU also in
//   its three rounding modes;
// - floats to integers beyond their range (what NaN and 2^127 decode to).
//
//===----------------------------------------------------------------------===//

#include "EvaluatorTesting.h"
#include "codegen/CompiledTesting.h"

#include "codegen/cpu/CpuCompiler.h"
#include "runtime/cpu/KernelLibrary.h"

#include "mlir/IR/DialectRegistry.h"
#include "llvm/ADT/APFloat.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

namespace strata::testing {
namespace {

using llvm::APFloat;

struct Format {
  std::string name; // the MLIR type
  DType dtype;
};

const std::vector<Format> kFormats = {
    {"f8E4M3FN", DType::f8e4m3fn},     {"f8E5M2", DType::f8e5m2},
    {"f8E4M3FNUZ", DType::f8e4m3fnuz}, {"f8E5M2FNUZ", DType::f8e5m2fnuz},
    {"f4E2M1FN", DType::f4e2m1fn},     {"f8E8M0FNU", DType::f8e8m0fnu}};

/// The value of code `c` of `t`, by APFloat (whose conversion to double
/// makes f8E8M0FNU's NaN an infinity: NaN is checked first).
double valueOf(DType t, uint64_t c) {
  APFloat f(reference::floatSemantics(t),
            llvm::APInt(reference::bitWidth(t), c));
  if (f.isNaN())
    return std::nan("");
  bool lost;
  f.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
  return f.convertToDouble();
}

/// `x` in the float type `t` and its neighbours one unit below and above.
std::vector<double> around(DType t, double x) {
  APFloat f(x);
  bool lost;
  f.convert(reference::floatSemantics(t), APFloat::rmNearestTiesToEven, &lost);
  std::vector<double> out;
  for (int step : {0, -1, 1}) {
    APFloat g = f;
    if (step)
      g.next(/*nextDown=*/step < 0);
    g.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
    out.push_back(g.convertToDouble());
  }
  return out;
}

/// Equal values with the same sign (zeros too), or both NaN.
bool same(double got, double want) {
  if (std::isnan(want))
    return std::isnan(got);
  return got == want && std::signbit(got) == std::signbit(want);
}

class CpuMinifloatKernelTest : public EvaluatorTest {
protected:
  CpuMinifloatKernelTest() {
    mlir::DialectRegistry registry;
    codegen::registerCpuCodegenDialects(registry);
    context()->appendDialectRegistry(registry);
    context()->loadAllAvailableDialects();
  }

  static std::string castSource(const std::string &from, const std::string &to,
                                int64_t n, const std::string &attributes) {
    std::string in = "tensor<" + std::to_string(n) + "x" + from + ">";
    std::string out = "tensor<" + std::to_string(n) + "x" + to + ">";
    return "func.func @main(%a: " + in + ") -> " + out +
           " {\n  %0 = strata.cast %a " + attributes + " : (" + in + ") -> " +
           out + "\n  return %0 : " + out + "\n}\n";
  }

  /// Compiles @main of `source`; null (and a failure) if it does not.
  std::unique_ptr<runtime::KernelLibrary> compile(const std::string &source) {
    auto module = mlir::parseSourceString<mlir::ModuleOp>(source, context());
    EXPECT_TRUE(module) << source;
    if (!module)
      return nullptr;
    auto so = codegen::compileToSharedObject(*module, codegen::CpuOptions{});
    EXPECT_TRUE(succeeded(so)) << "compilation failed:\n" << source;
    if (failed(so))
      return nullptr;
    return std::make_unique<runtime::KernelLibrary>(so->bytes.data(),
                                                    so->bytes.size(), "test");
  }

  /// Compiles and evaluates the cast of `in` to `to`; compares elementwise.
  void checkCast(const std::string &from, const Tensor &in,
                 const std::string &to, DType toType,
                 const std::string &attributes) {
    std::string source = castSource(from, to, in.numElements(), attributes);
    SCOPED_TRACE(source);
    auto library = compile(source);
    if (!library)
      return;
    std::vector<Tensor> want = run(source, {in});
    ASSERT_EQ(want.size(), 1u);
    Tensor got = runEntry(library->entry("main"), {in},
                          {Tensor(toType, {in.numElements()})})[0];
    int failures = 0;
    for (int64_t i = 0; i < in.numElements() && failures < 10; ++i)
      if (!same(got.get(i), want[0].get(i))) {
        ADD_FAILURE() << from << " " << in.get(i) << " to " << to << " "
                      << attributes << ": got " << got.get(i) << ", want "
                      << want[0].get(i);
        ++failures;
      }
  }
};

/// Every code of every format, as raw bytes, to the plain float types, an
/// integer, and the other small floats.
TEST_F(CpuMinifloatKernelTest, DecodeEveryEncoding) {
  struct Target {
    std::string name;
    DType dtype;
    std::string attributes;
  };
  std::vector<Target> targets = {
      {"f64", DType::f64, ""},
      {"f32", DType::f32, ""},
      {"f16", DType::f16, ""},
      {"bf16", DType::bf16, ""},
      {"f16", DType::f16, "{saturate = true}"},
      {"i32", DType::i32, ""},
      {"i1", DType::i1, ""},
      {"f8E4M3FN", DType::f8e4m3fn, ""},
      {"f8E5M2FNUZ", DType::f8e5m2fnuz, "{saturate = true}"},
      {"f4E2M1FN", DType::f4e2m1fn, ""},
      {"f8E8M0FNU", DType::f8e8m0fnu, ""}};
  for (const Format &format : kFormats) {
    int64_t n = int64_t(1) << reference::bitWidth(format.dtype);
    std::vector<unsigned char> codes(n);
    std::vector<double> values(n);
    for (int64_t c = 0; c < n; ++c) {
      codes[c] = static_cast<unsigned char>(c);
      values[c] = valueOf(format.dtype, c);
    }
    Tensor in = Tensor::fromDoubles(format.dtype, {n}, values);
    for (const Target &target : targets) {
      if (target.name == format.name)
        continue;
      std::string source =
          castSource(format.name, target.name, n, target.attributes);
      SCOPED_TRACE(source);
      auto library = compile(source);
      if (!library)
        continue;
      std::vector<Tensor> want = run(source, {in});
      ASSERT_EQ(want.size(), 1u);
      std::vector<unsigned char> out(n * nativeElementBytes(target.dtype));
      void *buffers[] = {codes.data(), out.data()};
      library->entry("main")(buffers);
      Tensor got(target.dtype, {n});
      fromNative(out.data(), got);
      for (int64_t c = 0; c < n; ++c) {
        if (target.dtype == DType::i32 || target.dtype == DType::i1) {
          EXPECT_EQ(got.getInt(c), want[0].getInt(c))
              << format.name << " code " << c;
          continue;
        }
        EXPECT_TRUE(same(got.get(c), want[0].get(c)))
            << format.name << " code " << c << " (" << values[c] << ") to "
            << target.name << ": got " << got.get(c) << ", want "
            << want[0].get(c);
        if (target.dtype == DType::f64) {
          EXPECT_TRUE(same(got.get(c), values[c]))
              << format.name << " code " << c << ": got " << got.get(c)
              << ", APFloat " << values[c];
        }
      }
    }
  }
}

/// Values that probe the rounding to `format` from the source type `source`.
std::vector<double> edgeValues(DType format, DType source) {
  std::vector<double> finite;
  for (uint64_t c = 0; c < (uint64_t(1) << reference::bitWidth(format)); ++c) {
    double v = valueOf(format, c);
    if (std::isfinite(v) && v >= 0)
      finite.push_back(v);
  }
  std::sort(finite.begin(), finite.end());
  double largest = finite.back();
  std::vector<double> probes = finite;
  for (size_t k = 0; k + 1 < finite.size(); ++k)
    probes.push_back((finite[k] + finite[k + 1]) / 2);
  // Past the largest value: its successor would be largest + gap.
  double gap = largest - finite[finite.size() - 2];
  for (double x : {largest + gap / 2, largest + gap, 2 * largest, 1e30, 1e300})
    probes.push_back(x);
  // Below the smallest nonzero value (the tie with zero rounds to zero).
  double smallest = finite[0] > 0 ? finite[0] : finite[1];
  for (double x : {smallest / 2, smallest / 4, smallest * 0.75, 1e-40, 1e-300})
    probes.push_back(x);
  std::vector<double> out;
  for (double p : probes)
    for (double x : around(source, p)) {
      out.push_back(x);
      out.push_back(-x);
    }
  double inf = std::numeric_limits<double>::infinity();
  for (double x : {0.0, -0.0, inf, -inf, std::nan(""), -std::nan("")})
    out.push_back(x);
  return out;
}

/// Random values: magnitudes uniform in the logarithm from a quarter of the
/// smallest subnormal to four times the largest value, random signs.
std::vector<double> randomValues(DType format, std::mt19937 &rng, int n) {
  double lo = 1e300, hi = 0;
  for (uint64_t c = 0; c < (uint64_t(1) << reference::bitWidth(format)); ++c) {
    double v = std::fabs(valueOf(format, c));
    if (std::isfinite(v) && v > 0) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  }
  std::uniform_real_distribution<double> exponent(std::log2(lo) - 2,
                                                  std::log2(hi) + 2);
  std::bernoulli_distribution negative(0.5);
  std::vector<double> out;
  for (int k = 0; k < n; ++k) {
    double x = std::exp2(exponent(rng));
    out.push_back(negative(rng) ? -x : x);
  }
  return out;
}

struct Source {
  std::string name;
  DType dtype;
};
const std::vector<Source> kSources = {{"f32", DType::f32},
                                      {"f16", DType::f16},
                                      {"bf16", DType::bf16},
                                      {"f64", DType::f64}};

TEST_F(CpuMinifloatKernelTest, EncodeWithAndWithoutSaturate) {
  std::mt19937 rng(7);
  for (const Format &format : kFormats) {
    if (format.dtype == DType::f8e8m0fnu)
      continue;
    for (const Source &source : kSources) {
      std::vector<double> values = edgeValues(format.dtype, source.dtype);
      for (double x : randomValues(format.dtype, rng, 300))
        values.push_back(x);
      Tensor in = Tensor::fromDoubles(
          source.dtype, {static_cast<int64_t>(values.size())}, values);
      for (const char *attributes : {"", "{saturate = true}"})
        checkCast(source.name, in, format.name, format.dtype, attributes);
    }
  }
}

// f8E8M0FNU: powers of two, the linear midpoints between them (the ties of
// `nearest`) and their neighbours, 0.75 * 2^k, both ends of the range and
// beyond, zeros, infinities, NaN, negative values (the sign is dropped).
TEST_F(CpuMinifloatKernelTest, EncodeE8M0) {
  std::mt19937 rng(11);
  for (const Source &source : kSources) {
    std::vector<double> probes;
    for (int k = -132; k <= 130; ++k)
      for (double m : {1.0, 1.5, 0.75, 1.25, 1.875})
        probes.push_back(std::ldexp(m, k));
    for (double x : randomValues(DType::f8e8m0fnu, rng, 200))
      probes.push_back(x);
    std::vector<double> values;
    for (double p : probes)
      for (double x : around(source.dtype, p)) {
        values.push_back(x);
        values.push_back(-x);
      }
    double inf = std::numeric_limits<double>::infinity();
    for (double x : {0.0, -0.0, inf, -inf, std::nan(""), 1e-300, 1e300})
      values.push_back(x);
    Tensor in = Tensor::fromDoubles(
        source.dtype, {static_cast<int64_t>(values.size())}, values);
    for (const char *mode : {"up", "down", "nearest"})
      for (const char *saturate : {"false", "true"})
        checkCast(source.name, in, "f8E8M0FNU", DType::f8e8m0fnu,
                  std::string("{round_mode = \"") + mode +
                      "\", saturate = " + saturate + "}");
  }
}

/// Integers to the small floats (through the evaluator's double).
TEST_F(CpuMinifloatKernelTest, EncodeIntegers) {
  std::vector<int64_t> ints;
  for (int64_t v = -600; v <= 600; v += 3)
    ints.push_back(v);
  for (int64_t v : {int64_t(1) << 40, -(int64_t(1) << 40), int64_t(57344),
                    int64_t(61440), int64_t(448), int64_t(464), int64_t(0)})
    ints.push_back(v);
  Tensor in =
      Tensor::fromInts(DType::i64, {static_cast<int64_t>(ints.size())}, ints);
  for (const Format &format : kFormats)
    for (const char *attributes : {"", "{saturate = true}"})
      checkCast("i64", in, format.name, format.dtype, attributes);
}

// saturate on plain float results: beyond the largest finite value (and
// infinities) to that value of its sign.
TEST_F(CpuMinifloatKernelTest, SaturateToHalf) {
  double inf = std::numeric_limits<double>::infinity();
  std::vector<double> values = {65504, 65519, 65520, 7e4,  -7e4, inf,
                                -inf,  1.5,   -0.0,  1e-8, 1e10, std::nan("")};
  Tensor in = Tensor::fromDoubles(
      DType::f32, {static_cast<int64_t>(values.size())}, values);
  for (const char *attributes : {"", "{saturate = true}"}) {
    checkCast("f32", in, "f16", DType::f16, attributes);
    checkCast("f32", in, "bf16", DType::bf16, attributes);
  }
  Tensor d = Tensor::fromDoubles(DType::f64,
                                 {static_cast<int64_t>(values.size())}, values);
  checkCast("f64", d, "f32", DType::f32, "{saturate = true}");
}

// Floats beyond the integers' range (where the small floats' NaN and 2^127
// decode to): the evaluator truncates to int64 (NaN to 0, beyond the range
// the bound of its sign) and wraps; ui64 also holds [2^63, 2^64).
TEST_F(CpuMinifloatKernelTest, FloatToIntegerOutOfRange) {
  double inf = std::numeric_limits<double>::infinity();
  std::vector<double> values = {
      std::nan(""), inf,     -inf, 0x1p63, -0x1p63, 0x1p64, 1.5e19, 1e30,
      -1e30,        0x1p127, -2.5, 3e9,    -3e9,    65504,  -65504, 0.0};
  int64_t n = values.size();
  for (const Source &source : kSources) {
    Tensor in = Tensor::fromDoubles(source.dtype, {n}, values);
    for (auto [name, dtype] : {std::pair<std::string, DType>{"i64", DType::i64},
                               {"i32", DType::i32},
                               {"i8", DType::i8},
                               {"ui16", DType::u16},
                               {"ui64", DType::u64}}) {
      std::string text = castSource(source.name, name, n, "");
      SCOPED_TRACE(text);
      auto library = compile(text);
      if (!library)
        continue;
      Tensor want = run(text, {in})[0];
      Tensor got =
          runEntry(library->entry("main"), {in}, {Tensor(dtype, {n})})[0];
      for (int64_t i = 0; i < n; ++i)
        EXPECT_EQ(got.getInt(i), want.getInt(i)) << in.get(i) << " to " << name;
    }
  }
}

// A few encodings worked out by hand from the formats' definitions: 448 =
// 1.75 * 2^8 is f8E4M3FN's largest value (0x7e); 464 is the tie between it
// and 480 (1.875 * 2^8, the NaN code 0x7f), which rounds to the even
// mantissa 110, and 465 rounds up to the NaN code (or saturates to 0x7e);
// 2^-10 is half of f8E4M3FN's smallest subnormal 2^-9 (0x01), a tie that
// rounds to the even 0; 61440 = 1.875 * 2^15 is the tie between f8E5M2's
// largest value 57344 (0x7b) and infinity (0x7c), which rounds to
// infinity; f8E4M3FNUZ has no -0 (-2^-20 gives 0x00) and its NaN is 0x80;
// f4E2M1FN's NaN becomes -0 (0x8) and 1e9 saturates to 6 (0x7); 3 in
// f8E8M0FNU is 2^1 (code 128) down, 2^2 (129) up and nearest (3 is the
// midpoint 1.5 * 2^1: ties up).
TEST_F(CpuMinifloatKernelTest, HandDerivedEncodings) {
  struct Case {
    std::string to, attributes;
    double x;
    unsigned code;
  };
  double nan = std::nan("");
  std::vector<Case> cases = {
      {"f8E4M3FN", "", 448, 0x7e},
      {"f8E4M3FN", "", 464, 0x7e},
      {"f8E4M3FN", "", 465, 0x7f},
      {"f8E4M3FN", "{saturate = true}", 465, 0x7e},
      {"f8E4M3FN", "{saturate = true}", -1e9, 0xfe},
      {"f8E4M3FN", "", 0x1p-10, 0x00},
      {"f8E4M3FN", "", -0x1.2p-10, 0x81},
      {"f8E4M3FN", "", -0.0, 0x80},
      {"f8E5M2", "", 61440, 0x7c},
      {"f8E5M2", "", -61439, 0xfb},
      {"f8E5M2", "{saturate = true}", -61440, 0xfb},
      {"f8E4M3FNUZ", "", -0x1p-20, 0x00},
      {"f8E4M3FNUZ", "", nan, 0x80},
      {"f8E4M3FNUZ", "", 1e9, 0x80},
      {"f8E5M2FNUZ", "{saturate = true}", 1e9, 0x7f},
      {"f4E2M1FN", "", nan, 0x8},
      {"f4E2M1FN", "", 1e9, 0x7},
      {"f4E2M1FN", "", 2.5, 0x4},
      {"f8E8M0FNU", "{round_mode = \"down\"}", 3, 128},
      {"f8E8M0FNU", "{round_mode = \"up\"}", 3, 129},
      {"f8E8M0FNU", "{round_mode = \"nearest\"}", 3, 129},
      {"f8E8M0FNU", "{round_mode = \"nearest\"}", 2.9, 128},
      {"f8E8M0FNU", "", 0, 0xff},
      {"f8E8M0FNU", "{saturate = true}", 0, 0x00},
  };
  for (const Case &c : cases) {
    std::string source = castSource("f32", c.to, 1, c.attributes);
    SCOPED_TRACE(source);
    auto library = compile(source);
    if (!library)
      continue;
    float x = static_cast<float>(c.x);
    unsigned char out = 0xaa;
    void *buffers[] = {&x, &out};
    library->entry("main")(buffers);
    EXPECT_EQ(unsigned(out), c.code) << c.x << " to " << c.to;
  }
}

} // namespace
} // namespace strata::testing
