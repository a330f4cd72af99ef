//===- CpuNormalizationKernelTest.cpp - Compiled norms vs reference -------===//
//
// batch_norm, batch_norm_train (all five results), instance_norm,
// layer_norm, group_norm and lp_normalization are compiled (codegen/cpu, the
// linalg lowerings: library calls off), loaded by the runtime, run on random
// inputs and compared with the reference evaluator on the same inputs. Both
// compute the statistics and the results in double and round once; only the
// order of the sums differs, so floats agree within 1e-6 (1 + |want|) in f32 (a
// rounding boundary may fall between the two) and 1e-12 (1 + |want|) in f64.
// Variances are drawn from [0.1, 2), so every square root is of a positive
// number.
//
//===----------------------------------------------------------------------===//

#include "EvaluatorTesting.h"
#include "codegen/CompiledTesting.h"

#include "codegen/cpu/CpuCompiler.h"
#include "runtime/cpu/KernelLibrary.h"

#include "mlir/IR/DialectRegistry.h"

#include <cmath>

namespace strata::testing {
namespace {

using reference::Tensor;

class CpuNormalizationKernelTest : public EvaluatorTest {
protected:
  CpuNormalizationKernelTest() {
    mlir::DialectRegistry registry;
    codegen::registerCpuCodegenDialects(registry);
    context()->appendDialectRegistry(registry);
    context()->loadAllAvailableDialects();
  }

  /// A random tensor of `type` ("tensor<2x3xf32>"), uniform in [lo, hi).
  Tensor randomOf(const std::string &type, double lo = -2, double hi = 2) {
    Parsed p = parseType(type);
    int64_t n = 1;
    for (int64_t d : p.shape)
      n *= d;
    return Tensor::fromDoubles(p.dtype, p.shape, random(n, lo, hi));
  }

  /// Runs `op` on `args` compiled and in the reference; compares every
  /// result within tol (1 + |want|).
  void check(const std::string &name, const std::string &op,
             const std::vector<std::string> &argTypes,
             const std::vector<Tensor> &args,
             const std::vector<std::string> &resultTypes,
             const std::string &attributes, double tol) {
    SCOPED_TRACE(name);
    std::string params, uses, types, results, resultList;
    for (size_t i = 0; i < argTypes.size(); ++i) {
      std::string sep = i ? ", " : "";
      params += sep + "%a" + std::to_string(i) + ": " + argTypes[i];
      uses += sep + "%a" + std::to_string(i);
      types += sep + argTypes[i];
    }
    for (size_t i = 0; i < resultTypes.size(); ++i) {
      std::string sep = i ? ", " : "";
      results += sep + "%0#" + std::to_string(i);
      resultList += sep + resultTypes[i];
    }
    std::string source =
        "func.func @main(" + params + ") -> (" + resultList +
        ") {\n  %0:" + std::to_string(resultTypes.size()) + " = \"" + op +
        "\"(" + uses + ") " + attributes + " : (" + types + ") -> (" +
        resultList + ")\n  return " + results + " : " + resultList + "\n}\n";
    std::vector<Tensor> want = run(source, args);
    auto module = mlir::parseSourceString<mlir::ModuleOp>(source, context());
    ASSERT_TRUE(module);
    codegen::CpuOptions options;
    options.libraryCalls = false; // CpuLibraryCallTest checks oneDNN's
    auto so = codegen::compileToSharedObject(*module, options);
    ASSERT_TRUE(succeeded(so)) << "compilation failed:\n" << source;
    runtime::KernelLibrary library(so->bytes.data(), so->bytes.size(), "test");
    std::vector<Tensor> shapes;
    for (const std::string &t : resultTypes) {
      Parsed p = parseType(t);
      shapes.emplace_back(p.dtype, p.shape);
    }
    std::vector<Tensor> got = runEntry(library.entry("main"), args, shapes);
    ASSERT_EQ(got.size(), want.size());
    for (size_t r = 0; r < got.size(); ++r) {
      ASSERT_EQ(got[r].shape(), want[r].shape()) << "result " << r;
      for (int64_t i = 0; i < got[r].numElements(); ++i) {
        double g = got[r].get(i), w = want[r].get(i);
        ASSERT_FALSE(std::isnan(w)) << "result " << r << " element " << i;
        EXPECT_LE(std::fabs(g - w), tol * (1 + std::fabs(w)))
            << "result " << r << " element " << i << ": got " << g << ", want "
            << w;
      }
    }
  }
};

/// "tensor<AxBx...xE>".
std::string tensorType(const std::vector<int64_t> &shape,
                       const std::string &element) {
  std::string s = "tensor<";
  for (int64_t d : shape)
    s += std::to_string(d) + "x";
  return s + element + ">";
}

double tolerance(const std::string &element) {
  return element == "f32" ? 1e-6 : 1e-12;
}

struct Shape {
  std::string name;
  std::vector<int64_t> input;
  std::string element, attributes;
};

TEST_F(CpuNormalizationKernelTest, BatchNorm) {
  for (const Shape &s : std::vector<Shape>{
           {"NCHW", {2, 3, 4, 5}, "f32", ""},
           {"NC (no spatial dims)", {4, 3}, "f32", ""},
           {"NCL, epsilon", {3, 2, 7}, "f32", "{epsilon = 0.01 : f64}"},
           {"NCDHW", {1, 2, 3, 2, 2}, "f32", ""},
           {"f64", {2, 3, 3, 2}, "f64", "{epsilon = 1.0e-3 : f64}"},
       }) {
    std::string x = tensorType(s.input, s.element);
    std::string c = tensorType({s.input[1]}, s.element);
    std::vector<Tensor> args = {randomOf(x), randomOf(c), randomOf(c),
                                randomOf(c), randomOf(c, 0.1, 2)};
    check("batch_norm " + s.name, "strata.batch_norm", {x, c, c, c, c}, args,
          {x}, s.attributes, tolerance(s.element));
  }
}

TEST_F(CpuNormalizationKernelTest, BatchNormTrain) {
  for (const Shape &s : std::vector<Shape>{
           {"NCHW", {2, 3, 4, 5}, "f32", ""},
           {"NC (no spatial dims)", {5, 3}, "f32", "{momentum = 0.5 : f64}"},
           {"N = 1, NCL, epsilon and momentum",
            {1, 4, 6},
            "f32",
            "{epsilon = 0.01 : f64, momentum = 0.99 : f64}"},
           {"momentum 0", {2, 2, 3, 3}, "f32", "{momentum = 0.0 : f64}"},
           {"momentum 1", {2, 2, 3}, "f32", "{momentum = 1.0 : f64}"},
           {"f64", {3, 2, 2, 3}, "f64", "{momentum = 0.8 : f64}"},
       }) {
    std::string x = tensorType(s.input, s.element);
    std::string c = tensorType({s.input[1]}, s.element);
    std::vector<Tensor> args = {randomOf(x), randomOf(c), randomOf(c),
                                randomOf(c), randomOf(c, 0.1, 2)};
    check("batch_norm_train " + s.name, "strata.batch_norm_train",
          {x, c, c, c, c}, args, {x, c, c, c, c}, s.attributes,
          tolerance(s.element));
  }
}

TEST_F(CpuNormalizationKernelTest, InstanceNorm) {
  for (const Shape &s : std::vector<Shape>{
           {"NCHW", {2, 3, 4, 5}, "f32", ""},
           {"NCL, epsilon", {3, 2, 7}, "f32", "{epsilon = 0.1 : f64}"},
           {"NC: every slice one element, y = bias", {2, 3}, "f32", ""},
           {"NCDHW", {1, 2, 3, 2, 2}, "f32", ""},
           {"f64", {2, 2, 3, 3}, "f64", ""},
       }) {
    std::string x = tensorType(s.input, s.element);
    std::string c = tensorType({s.input[1]}, s.element);
    check("instance_norm " + s.name, "strata.instance_norm", {x, c, c},
          {randomOf(x), randomOf(c), randomOf(c)}, {x}, s.attributes,
          tolerance(s.element));
  }
}

TEST_F(CpuNormalizationKernelTest, LayerNorm) {
  struct S {
    std::string name, element;
    std::vector<int64_t> x, scale, bias; // no bias when empty
    std::string attributes;
  };
  for (const S &s : std::vector<S>{
           {"last axis", "f32", {3, 4, 5}, {5}, {5}, ""},
           {"axis 1, no bias",
            "f32",
            {3, 4, 5},
            {4, 5},
            {},
            "{axis = 1 : i64}"},
           {"axis 0, broadcast scale and bias",
            "f32",
            {3, 4, 5},
            {4, 1},
            {1, 5},
            "{axis = 0 : i64, epsilon = 0.1 : f64}"},
           {"axis -2 of rank 4",
            "f64",
            {2, 3, 4, 2},
            {4, 2},
            {1},
            "{axis = -2 : i64}"},
       }) {
    std::vector<std::string> types = {tensorType(s.x, s.element),
                                      tensorType(s.scale, s.element)};
    if (!s.bias.empty())
      types.push_back(tensorType(s.bias, s.element));
    std::vector<Tensor> args;
    for (const std::string &t : types)
      args.push_back(randomOf(t));
    check("layer_norm " + s.name, "strata.layer_norm", types, args, {types[0]},
          s.attributes, tolerance(s.element));
  }
}

TEST_F(CpuNormalizationKernelTest, GroupNorm) {
  struct S {
    std::vector<int64_t> input;
    int64_t groups;
    std::string element;
  };
  for (const S &s : std::vector<S>{
           {{2, 6, 3, 2}, 3, "f32"},
           {{2, 4, 5}, 2, "f32"},
           {{3, 4}, 2, "f32"},
           {{1, 3, 2, 2}, 1, "f32"},
           {{2, 4, 3}, 4, "f64"},
       }) {
    std::string x = tensorType(s.input, s.element);
    std::string c = tensorType({s.input[1]}, s.element);
    check("group_norm " + x + ", " + std::to_string(s.groups) + " groups",
          "strata.group_norm", {x, c, c},
          {randomOf(x), randomOf(c), randomOf(c)}, {x},
          "{num_groups = " + std::to_string(s.groups) +
              " : i64, epsilon = 0.01 : f64}",
          tolerance(s.element));
  }
}

TEST_F(CpuNormalizationKernelTest, LpNormalization) {
  for (const Shape &s : std::vector<Shape>{
           {"p 2, last axis", {3, 4}, "f32", ""},
           {"p 1, last axis", {3, 4}, "f32", "{p = 1 : i64}"},
           {"p 2, axis 1 of rank 3", {2, 5, 3}, "f32", "{axis = 1 : i64}"},
           {"p 1, axis 0", {4, 2, 3}, "f32", "{axis = 0 : i64, p = 1 : i64}"},
           {"p 2, axis -2", {2, 3, 4}, "f32", "{axis = -2 : i64}"},
           {"f64", {3, 5}, "f64", "{axis = 0 : i64}"},
       }) {
    std::string x = tensorType(s.input, s.element);
    check("lp_normalization " + s.name, "strata.lp_normalization", {x},
          {randomOf(x)}, {x}, s.attributes, tolerance(s.element));
  }
  // A vector of zeros has norm 0 and gives zeros (not NaN), p = 1 and 2.
  Tensor x = Tensor::fromDoubles(reference::DType::f32, {3, 2},
                                 {0.5, -1.5, 0, 0, 3, 4});
  check("zero vector, p 2", "strata.lp_normalization", {"tensor<3x2xf32>"}, {x},
        {"tensor<3x2xf32>"}, "", 0);
  check("zero vector, p 1", "strata.lp_normalization", {"tensor<3x2xf32>"}, {x},
        {"tensor<3x2xf32>"}, "{p = 1 : i64}", 0);
}

} // namespace
} // namespace strata::testing
