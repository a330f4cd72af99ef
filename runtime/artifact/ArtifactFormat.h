//===- ArtifactFormat.h - The framing of a Strata artifact file -----------===//
//
// An artifact file is a 64-byte header followed by a FlatBuffers payload
// (artifact.fbs):
//
//   offset  size  field
//        0     8  magic "STRATA\x00\x1a"
//        8     4  format version (little-endian u32)
//       12     4  reserved, 0
//       16     8  payload size in bytes (little-endian u64)
//       24    32  SHA-256 of the payload
//       56     8  reserved, 0
//       64     -  payload
//
// Header-only and dependency-free: the compiler's artifact writer and the
// runtime's loader both include it (the runtime owns the format).
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_ARTIFACT_ARTIFACTFORMAT_H
#define STRATA_RUNTIME_ARTIFACT_ARTIFACTFORMAT_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

namespace strata::artifact {

inline constexpr char kMagic[8] = {'S', 'T', 'R', 'A', 'T', 'A', '\0', '\x1a'};
/// Bumped whenever a reader of the previous version would misread a file.
inline constexpr uint32_t kFormatVersion = 1;
inline constexpr size_t kHeaderSize = 64;

/// SHA-256 (FIPS 180-4) of a byte string.
class Sha256 {
public:
  Sha256() { reset(); }

  void reset() {
    static constexpr uint32_t init[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                         0xa54ff53a, 0x510e527f, 0x9b05688c,
                                         0x1f83d9ab, 0x5be0cd19};
    std::memcpy(state_, init, sizeof(state_));
    bufferLen_ = 0;
    totalLen_ = 0;
  }

  void update(const void *data, size_t size) {
    const auto *p = static_cast<const uint8_t *>(data);
    totalLen_ += size;
    while (size > 0) {
      size_t n = 64 - bufferLen_;
      if (n > size)
        n = size;
      std::memcpy(buffer_ + bufferLen_, p, n);
      bufferLen_ += n;
      p += n;
      size -= n;
      if (bufferLen_ == 64) {
        compress(buffer_);
        bufferLen_ = 0;
      }
    }
  }

  std::array<uint8_t, 32> finish() {
    uint64_t bits = totalLen_ * 8;
    uint8_t pad = 0x80;
    update(&pad, 1);
    uint8_t zero = 0;
    while (bufferLen_ != 56)
      update(&zero, 1);
    uint8_t length[8];
    for (int i = 0; i < 8; ++i)
      length[i] = static_cast<uint8_t>(bits >> (56 - 8 * i));
    update(length, 8);
    std::array<uint8_t, 32> digest;
    for (int i = 0; i < 8; ++i)
      for (int j = 0; j < 4; ++j)
        digest[4 * i + j] = static_cast<uint8_t>(state_[i] >> (24 - 8 * j));
    reset();
    return digest;
  }

  static std::array<uint8_t, 32> of(const void *data, size_t size) {
    Sha256 h;
    h.update(data, size);
    return h.finish();
  }

  static std::string hex(const std::array<uint8_t, 32> &digest) {
    static const char digits[] = "0123456789abcdef";
    std::string s;
    for (uint8_t b : digest) {
      s += digits[b >> 4];
      s += digits[b & 15];
    }
    return s;
  }

private:
  static uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

  void compress(const uint8_t *block) {
    static constexpr uint32_t k[64] = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
        0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
        0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
        0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
        0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
        0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
        0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
        0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
    uint32_t w[64];
    for (int i = 0; i < 16; ++i)
      w[i] = (uint32_t(block[4 * i]) << 24) |
             (uint32_t(block[4 * i + 1]) << 16) |
             (uint32_t(block[4 * i + 2]) << 8) | uint32_t(block[4 * i + 3]);
    for (int i = 16; i < 64; ++i) {
      uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
      uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = state_[0], b = state_[1], c = state_[2], d = state_[3],
             e = state_[4], f = state_[5], g = state_[6], h = state_[7];
    for (int i = 0; i < 64; ++i) {
      uint32_t s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
      uint32_t ch = (e & f) ^ (~e & g);
      uint32_t t1 = h + s1 + ch + k[i] + w[i];
      uint32_t s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
      uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
      uint32_t t2 = s0 + maj;
      h = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    state_[0] += a;
    state_[1] += b;
    state_[2] += c;
    state_[3] += d;
    state_[4] += e;
    state_[5] += f;
    state_[6] += g;
    state_[7] += h;
  }

  uint32_t state_[8];
  uint8_t buffer_[64];
  size_t bufferLen_;
  uint64_t totalLen_;
};

inline void storeLE32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    p[i] = static_cast<uint8_t>(v >> (8 * i));
}
inline void storeLE64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; ++i)
    p[i] = static_cast<uint8_t>(v >> (8 * i));
}
inline uint32_t loadLE32(const uint8_t *p) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i)
    v |= uint32_t(p[i]) << (8 * i);
  return v;
}
inline uint64_t loadLE64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i)
    v |= uint64_t(p[i]) << (8 * i);
  return v;
}

/// The header for a payload.
inline std::array<uint8_t, kHeaderSize> makeHeader(const void *payload,
                                                   size_t size) {
  std::array<uint8_t, kHeaderSize> h{};
  std::memcpy(h.data(), kMagic, 8);
  storeLE32(h.data() + 8, kFormatVersion);
  storeLE64(h.data() + 16, size);
  auto digest = Sha256::of(payload, size);
  std::memcpy(h.data() + 24, digest.data(), 32);
  return h;
}

} // namespace strata::artifact

#endif // STRATA_RUNTIME_ARTIFACT_ARTIFACTFORMAT_H
