//===- ParameterInit.h - Initial parameter values from an init spec -------===//
//
// The one definition of how a parameter's initial values are drawn, shared
// by the reference evaluator (ir/reference) and the runtime, so a compiled
// run and the evaluator start from the same values for the same seed.
// Header-only and dependency-free.
//
// Parameter number `stream` (1-based, in declaration order) draws from the
// Philox key seed * 0x9E3779B97F4A7C15 + stream; element i takes uniform or
// normal draw i at counter 0. fan_in = the product of all dims but the
// first, fan_out = the first dim (SINGA's convention for [out, in] weights).
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_SUPPORT_PARAMETERINIT_H
#define STRATA_RUNTIME_SUPPORT_PARAMETERINIT_H

#include "runtime/support/Philox.h"

#include <cmath>
#include <cstdint>
#include <vector>

namespace strata::random {

/// strata's #strata.init (and the artifact's InitSpec).
struct InitSpec {
  enum class Kind {
    constant,
    gaussian,
    uniform,
    gaussian_sqrt_fan_in,
    uniform_sqrt_fan_in,
    uniform_sqrt_fan_in_out
  };
  Kind kind = Kind::constant;
  double value = 1.0, mean = 0.0, std = 1.0, low = -1.0, high = 1.0;
};

/// Calls `store(i, v)` with the initial value v of every element i of a
/// parameter of `shape`.
template <typename Store>
void initialValues(const InitSpec &spec, const std::vector<int64_t> &shape,
                   uint64_t seed, uint64_t stream, Store store) {
  double fanOut = shape.empty() ? 1.0 : static_cast<double>(shape[0]);
  double fanIn = 1.0;
  int64_t n = 1;
  for (size_t i = 0; i < shape.size(); ++i) {
    n *= shape[i];
    if (i > 0)
      fanIn *= static_cast<double>(shape[i]);
  }
  uint64_t key = seed * 0x9E3779B97F4A7C15ull + stream;
  double sqrtFanIn = std::sqrt(fanIn);
  using Kind = InitSpec::Kind;
  for (int64_t i = 0; i < n; ++i) {
    double v = 0;
    uint64_t e = static_cast<uint64_t>(i);
    switch (spec.kind) {
    case Kind::constant:
      v = spec.value;
      break;
    case Kind::gaussian:
      v = spec.mean + spec.std * philoxNormal(key, 0, e);
      break;
    case Kind::uniform:
      v = spec.low + (spec.high - spec.low) * philoxUniform(key, 0, e);
      break;
    case Kind::gaussian_sqrt_fan_in:
      v = (spec.mean + spec.std * philoxNormal(key, 0, e)) / sqrtFanIn;
      break;
    case Kind::uniform_sqrt_fan_in: {
      double r = std::sqrt(3.0) / sqrtFanIn;
      v = -r + 2 * r * philoxUniform(key, 0, e);
      break;
    }
    case Kind::uniform_sqrt_fan_in_out: {
      double r = spec.value * std::sqrt(6.0) / std::sqrt(fanIn + fanOut);
      v = -r + 2 * r * philoxUniform(key, 0, e);
      break;
    }
    }
    store(i, v);
  }
}

} // namespace strata::random

#endif // STRATA_RUNTIME_SUPPORT_PARAMETERINIT_H
