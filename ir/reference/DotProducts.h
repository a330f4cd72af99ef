//===- DotProducts.h - Many dot products in a fixed summation order -------===//
//
// The matrix products of the reference kernels (matmul, gemm, inner_product,
// the recurrent cells) as one loop nest over contiguous rows. Every result is
// a single double sum accumulated in the order p = 0, 1, ..., k - 1, exactly
// what a plain loop over p gives; the nest only computes several independent
// sums side by side (two rows by four columns at a time, over blocks of rows
// that stay in cache), which changes no result.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_IR_REFERENCE_DOTPRODUCTS_H
#define STRATA_IR_REFERENCE_DOTPRODUCTS_H

#include <algorithm>
#include <cstdint>

namespace strata::reference {

/// sums[i * n + j] = init[j] + a[i * k + 0] * bt[j * k + 0] + ... +
/// a[i * k + k - 1] * bt[j * k + k - 1], added left to right in double, for
/// i < m, j < n. `a` is [m, k] and `bt` is [n, k] (the right operand
/// transposed: its row j is column j), both row-major; a null `init` starts
/// every sum at 0.
inline void dotProducts(const double *a, const double *bt, int64_t m, int64_t n,
                        int64_t k, const double *init, double *sums) {
  const int64_t rowBlock = 16;
  for (int64_t i0 = 0; i0 < m; i0 += rowBlock) {
    int64_t i1 = std::min(m, i0 + rowBlock);
    int64_t j = 0;
    for (; j + 4 <= n; j += 4) {
      const double *b0 = bt + j * k, *b1 = b0 + k, *b2 = b1 + k, *b3 = b2 + k;
      double i0s[4], i1s[4];
      for (int c = 0; c < 4; ++c)
        i0s[c] = init ? init[j + c] : 0.0;
      std::copy(i0s, i0s + 4, i1s);
      int64_t i = i0;
      // Two rows by four columns: eight independent sums.
      for (; i + 2 <= i1; i += 2) {
        const double *a0 = a + i * k, *a1 = a0 + k;
        double s00 = i0s[0], s01 = i0s[1], s02 = i0s[2], s03 = i0s[3];
        double s10 = i1s[0], s11 = i1s[1], s12 = i1s[2], s13 = i1s[3];
        for (int64_t p = 0; p < k; ++p) {
          double x0 = a0[p], x1 = a1[p];
          double y0 = b0[p], y1 = b1[p], y2 = b2[p], y3 = b3[p];
          s00 += x0 * y0;
          s01 += x0 * y1;
          s02 += x0 * y2;
          s03 += x0 * y3;
          s10 += x1 * y0;
          s11 += x1 * y1;
          s12 += x1 * y2;
          s13 += x1 * y3;
        }
        double *r0 = sums + i * n + j, *r1 = r0 + n;
        r0[0] = s00;
        r0[1] = s01;
        r0[2] = s02;
        r0[3] = s03;
        r1[0] = s10;
        r1[1] = s11;
        r1[2] = s12;
        r1[3] = s13;
      }
      for (; i < i1; ++i) {
        const double *ai = a + i * k;
        double s0 = i0s[0], s1 = i0s[1], s2 = i0s[2], s3 = i0s[3];
        for (int64_t p = 0; p < k; ++p) {
          double x = ai[p];
          s0 += x * b0[p];
          s1 += x * b1[p];
          s2 += x * b2[p];
          s3 += x * b3[p];
        }
        double *row = sums + i * n + j;
        row[0] = s0;
        row[1] = s1;
        row[2] = s2;
        row[3] = s3;
      }
    }
    for (; j < n; ++j) {
      const double *bj = bt + j * k;
      for (int64_t i = i0; i < i1; ++i) {
        const double *ai = a + i * k;
        double s = init ? init[j] : 0.0;
        for (int64_t p = 0; p < k; ++p)
          s += ai[p] * bj[p];
        sums[i * n + j] = s;
      }
    }
  }
}

} // namespace strata::reference

#endif // STRATA_IR_REFERENCE_DOTPRODUCTS_H
