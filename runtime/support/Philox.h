//===- Philox.h - The counter-based generator behind every random op ------===//
//
// Strata's random ops carry explicit state `tensor<2xi64>` = [key, counter].
// Element i of a draw reads the Philox4x32-10 block at (key, counter + i);
// the op returns the state [key, counter + n]. So a draw is a pure function
// of its state, and every backend can reproduce it element by element.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_SUPPORT_PHILOX_H
#define STRATA_RUNTIME_SUPPORT_PHILOX_H

#include <array>
#include <cmath>
#include <cstdint>

namespace strata::random {

/// Philox4x32 with 10 rounds (Salmon et al., SC'11) on a 128-bit counter and
/// a 64-bit key.
inline std::array<uint32_t, 4> philox4x32(std::array<uint32_t, 4> c,
                                          std::array<uint32_t, 2> k) {
  const uint32_t m0 = 0xD2511F53u, m1 = 0xCD9E8D57u;
  const uint32_t w0 = 0x9E3779B9u, w1 = 0xBB67AE85u;
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {
      k[0] += w0;
      k[1] += w1;
    }
    uint64_t p0 = static_cast<uint64_t>(m0) * c[0];
    uint64_t p1 = static_cast<uint64_t>(m1) * c[2];
    uint32_t hi0 = static_cast<uint32_t>(p0 >> 32),
             lo0 = static_cast<uint32_t>(p0);
    uint32_t hi1 = static_cast<uint32_t>(p1 >> 32),
             lo1 = static_cast<uint32_t>(p1);
    c = {hi1 ^ c[1] ^ k[0], lo1, hi0 ^ c[3] ^ k[1], lo0};
  }
  return c;
}

/// The block at 64-bit `counter` (high counter words zero) under `key`.
inline std::array<uint32_t, 4> philox4x32(uint64_t key, uint64_t counter) {
  return philox4x32(
      {static_cast<uint32_t>(counter), static_cast<uint32_t>(counter >> 32), 0u,
       0u},
      {static_cast<uint32_t>(key), static_cast<uint32_t>(key >> 32)});
}

/// A uniform double in the open interval (0, 1) from one 32-bit word.
inline double uniformFromWord(uint32_t w) {
  return (static_cast<double>(w) + 0.5) * (1.0 / 4294967296.0);
}

/// Element `i` of a uniform (0, 1) draw from state (key, counter).
inline double philoxUniform(uint64_t key, uint64_t counter, uint64_t i) {
  return uniformFromWord(philox4x32(key, counter + i)[0]);
}

/// Element `i` of a standard normal draw from state (key, counter):
/// Box-Muller on the first two words of the block.
inline double philoxNormal(uint64_t key, uint64_t counter, uint64_t i) {
  auto block = philox4x32(key, counter + i);
  double u1 = uniformFromWord(block[0]), u2 = uniformFromWord(block[1]);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

} // namespace strata::random

#endif // STRATA_RUNTIME_SUPPORT_PHILOX_H
