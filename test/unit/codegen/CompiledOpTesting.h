//===- CompiledOpTesting.h - One op compiled and compared -----------------===//
//
// The fixture of the compiled-kernel tests that check one op at a time: a
// Case (the op, its arguments, types and attributes) becomes a one-op @main,
// which the reference evaluator runs and the CPU compiler compiles; the
// runtime loads the object and runs it on the same arguments, and check
// compares every result: floats within tol * (1 + |want|), NaN where the
// reference has NaN, integers and booleans exactly.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_TEST_UNIT_CODEGEN_COMPILEDOPTESTING_H
#define STRATA_TEST_UNIT_CODEGEN_COMPILEDOPTESTING_H

#include "EvaluatorTesting.h"
#include "codegen/CompiledTesting.h"

#include "codegen/cpu/CpuCompiler.h"
#include "runtime/cpu/KernelLibrary.h"

#include "mlir/IR/DialectRegistry.h"

#include <cmath>
#include <string>
#include <vector>

namespace strata::testing {

using reference::Tensor;

inline std::string join(const std::vector<std::string> &v,
                        const std::string &sep) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i)
    s += (i ? sep : "") + v[i];
  return s;
}

/// One op applied to the function's arguments, all its results returned.
struct Case {
  std::string name;
  std::string op; // generic-form name, e.g. "strata.gather"
  std::vector<Tensor> args;
  std::vector<std::string> argTypes, resultTypes;
  std::string attributes;
  double tol = 0; // floats: |got - want| <= tol (1 + |want|)
};

class CompiledOpTest : public EvaluatorTest {
protected:
  CompiledOpTest() {
    mlir::DialectRegistry registry;
    codegen::registerCpuCodegenDialects(registry);
    context()->appendDialectRegistry(registry);
    context()->loadAllAvailableDialects();
  }

  static std::string moduleText(const Case &c) {
    std::vector<std::string> args, uses, results;
    for (size_t i = 0; i < c.argTypes.size(); ++i) {
      args.push_back("%a" + std::to_string(i) + ": " + c.argTypes[i]);
      uses.push_back("%a" + std::to_string(i));
    }
    for (size_t i = 0; i < c.resultTypes.size(); ++i)
      results.push_back("%0#" + std::to_string(i));
    std::string resultList = join(c.resultTypes, ", ");
    return "func.func @main(" + join(args, ", ") + ") -> (" + resultList +
           ") {\n  %0:" + std::to_string(c.resultTypes.size()) + " = \"" +
           c.op + "\"(" + join(uses, ", ") + ") " + c.attributes + " : (" +
           join(c.argTypes, ", ") + ") -> (" + resultList + ")\n  return " +
           join(results, ", ") + " : " + resultList + "\n}\n";
  }

  std::vector<Tensor> runCompiled(const std::string &source,
                                  const std::vector<Tensor> &args,
                                  const std::vector<std::string> &types) {
    auto module = mlir::parseSourceString<mlir::ModuleOp>(source, context());
    EXPECT_TRUE(module);
    if (!module)
      return {};
    auto so = codegen::compileToSharedObject(*module, codegen::CpuOptions{});
    EXPECT_TRUE(succeeded(so)) << "compilation failed:\n" << source;
    if (failed(so))
      return {};
    runtime::KernelLibrary library(so->bytes.data(), so->bytes.size(), "test");
    std::vector<Tensor> shapes;
    for (const std::string &t : types) {
      Parsed p = parseType(t);
      shapes.emplace_back(p.dtype, p.shape);
    }
    return runEntry(library.entry("main"), args, shapes);
  }

  /// The compiled results (also compared with the reference's).
  std::vector<Tensor> check(const Case &c) {
    SCOPED_TRACE(c.name);
    std::string source = moduleText(c);
    std::vector<Tensor> want = run(source, c.args);
    std::vector<Tensor> got = runCompiled(source, c.args, c.resultTypes);
    EXPECT_EQ(got.size(), want.size());
    if (got.size() != want.size())
      return got;
    for (size_t r = 0; r < got.size(); ++r) {
      EXPECT_EQ(got[r].shape(), want[r].shape()) << "result " << r;
      if (got[r].shape() != want[r].shape())
        continue;
      for (int64_t i = 0; i < got[r].numElements(); ++i) {
        if (got[r].isFloat()) {
          double g = got[r].get(i), w = want[r].get(i);
          if (std::isnan(w)) {
            EXPECT_TRUE(std::isnan(g)) << "result " << r << " element " << i;
            continue;
          }
          EXPECT_LE(std::fabs(g - w), c.tol * (1 + std::fabs(w)))
              << "result " << r << " element " << i << ": got " << g
              << ", want " << w;
        } else {
          EXPECT_EQ(got[r].getInt(i), want[r].getInt(i))
              << "result " << r << " element " << i;
        }
      }
    }
    return got;
  }
};

} // namespace strata::testing

#endif // STRATA_TEST_UNIT_CODEGEN_COMPILEDOPTESTING_H
