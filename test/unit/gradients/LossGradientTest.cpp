//===- LossGradientTest.cpp - Gradient checks: top_k ----------------------===//
//
// strata.top_k's values, whose gradient is scattered back to the selected
// positions, over axes, k, largest / smallest and sorted, by central
// differences in f64 (GradientChecking.h). Its indices, accuracy and argsort
// are not differentiable.
//
//===----------------------------------------------------------------------===//

#include "gradients/GradientChecking.h"

using namespace strata::testing;

namespace {

std::string tensor(const std::vector<int64_t> &shape, const char *type) {
  std::string s = "tensor<";
  for (int64_t d : shape)
    s += std::to_string(d) + "x";
  return s + type + ">";
}

class LossGradient : public GradientCheckTest {};

TEST_F(LossGradient, TopKValues) {
  struct Case {
    std::vector<int64_t> in;
    int64_t k, axis;
    std::vector<int64_t> out;
  };
  std::vector<Case> cases{{{6}, 3, -1, {3}},
                          {{3, 5}, 2, -1, {3, 2}},
                          {{3, 5}, 1, 1, {3, 1}},
                          {{4, 3}, 4, 0, {4, 3}},
                          {{2, 4, 3}, 2, 1, {2, 2, 3}},
                          {{2, 3, 4}, 3, -1, {2, 3, 3}}};
  for (const Case &c : cases)
    for (const char *flags : {"", "largest = false, ", "sorted = false, ",
                              "largest = false, sorted = false, "}) {
      std::string in = tensor(c.in, "f64"), out = tensor(c.out, "f64"),
                  idx = tensor(c.out, "i64");
      std::string attrs =
          "{" + std::string(flags) + "k = " + std::to_string(c.k) +
          " : i64, axis = " + std::to_string(c.axis) + " : i64}";
      SCOPED_TRACE(in + " " + attrs);
      // Distinct values (ties would make the selection a kink).
      check("func.func @f(%x: " + in + ") -> " + out +
                " {\n  %0:2 = strata.top_k %x " + attrs + " : (" + in +
                ") -> (" + out + ", " + idx + ")\n  return %0#0 : " + out +
                "\n}",
            {randomTensor(DType::f64, c.in, -3, 3)});
    }
}

} // namespace
