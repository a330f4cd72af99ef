//===- OneDnnKernels.cpp - oneDNN calls of compiled CPU kernels -----------===//
//
// Convolutions run as oneDNN primitives created with format `any`, so oneDNN
// picks its fastest (blocked) layouts; the row-major buffers of the kernel
// are reordered into and out of them. Each distinct geometry builds its
// primitive and reorders once (a mutex-protected cache); a training loop
// then only executes them. Matrix products call dnnl_sgemm, which needs no
// primitive. Average pooling, LRN and batch normalization run on the row-major
// buffers directly (plain layouts, no reorders), one cached primitive per
// geometry too.
//
// The compiled code cannot take a C++ exception: a oneDNN failure (which
// means the compiler emitted a geometry oneDNN cannot run) is reported on
// stderr and aborts the process.
//
//===----------------------------------------------------------------------===//

#include "runtime/cpu/OneDnnKernels.h"

#include "oneapi/dnnl/dnnl.hpp"
#include "oneapi/dnnl/dnnl_debug.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace {

using dnnl::memory;
using Dims = memory::dims;

dnnl::engine &cpuEngine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

dnnl::stream &cpuStream() {
  thread_local dnnl::stream stream(cpuEngine());
  return stream;
}

[[noreturn]] void fail(const char *what, const char *message) {
  std::fprintf(stderr, "strata: oneDNN %s failed: %s\n", what, message);
  std::abort();
}

/// Row-major strides of `dims`.
Dims rowMajor(const Dims &dims) {
  Dims strides(dims.size(), 1);
  for (size_t i = dims.size(); i-- > 1;)
    strides[i - 1] = strides[i] * dims[i];
  return strides;
}

memory::desc plain(const Dims &dims) {
  return memory::desc(dims, memory::data_type::f32, rowMajor(dims));
}

/// The geometry of a (transposed) convolution, decoded.
struct Window {
  int64_t s, n, c, m, groups;
  bool hasBias;
  Dims in, kernel, out, strides, dilations, padBegin, padEnd;

  explicit Window(const int64_t *g)
      : s(g[0]), n(g[1]), c(g[2]), m(g[3]), groups(g[4]), hasBias(g[5] != 0) {
    const int64_t *p = g + 6;
    for (Dims *d :
         {&in, &kernel, &out, &strides, &dilations, &padBegin, &padEnd}) {
      d->assign(p, p + s);
      p += s;
    }
    // oneDNN counts dilation from 0 (dense = 0).
    for (auto &d : dilations)
      d -= 1;
  }

  static size_t length(const int64_t *g) { return 6 + 7 * g[0]; }

  Dims image(int64_t channels, const Dims &sizes) const {
    Dims d = {n, channels};
    d.insert(d.end(), sizes.begin(), sizes.end());
    return d;
  }

  int64_t kernelVolume() const {
    int64_t v = 1;
    for (int64_t k : kernel)
      v *= k;
    return v;
  }

  /// The weight as oneDNN sees it ([G,] O, I, k...), over the buffer's
  /// layout: [M, C / G, k...] for conv, [C, M / G, k...] for deconv.
  memory::desc weight(bool transposed) const {
    int64_t kv = kernelVolume();
    Dims kd(kernel), ks = rowMajor(kernel);
    int64_t og = m / groups, ig = c / groups;
    Dims dims, strides;
    if (groups > 1)
      dims = {groups, og, ig};
    else
      dims = {og, ig};
    if (!transposed) {
      // [G, O/G, I/G, k...] row-major.
      dims.insert(dims.end(), kd.begin(), kd.end());
      return plain(dims);
    }
    // The buffer is [G, I/G, O/G, k...].
    if (groups > 1)
      strides = {ig * og * kv, kv, og * kv};
    else
      strides = {kv, og * kv};
    dims.insert(dims.end(), kd.begin(), kd.end());
    strides.insert(strides.end(), ks.begin(), ks.end());
    return memory::desc(dims, memory::data_type::f32, strides);
  }
};

/// A converted operand: the buffer's layout, the primitive's, and the
/// reorder between them when they differ.
struct Operand {
  memory::desc user, chosen;
  dnnl::reorder convert;
  bool reordered = false;

  void choose(const memory::desc &u, const memory::desc &c, bool toUser) {
    user = u;
    chosen = c;
    reordered = u != c;
    if (!reordered)
      return;
    auto &e = cpuEngine();
    convert = toUser ? dnnl::reorder(dnnl::reorder::primitive_desc(e, c, e, u))
                     : dnnl::reorder(dnnl::reorder::primitive_desc(e, u, e, c));
  }

  /// The primitive's memory for an input buffer.
  memory in(const float *p) const {
    memory m(user, cpuEngine(), const_cast<float *>(p));
    if (!reordered)
      return m;
    memory c(chosen, cpuEngine());
    convert.execute(cpuStream(), m, c);
    return c;
  }
};

struct WindowPlan {
  dnnl::primitive primitive;
  Operand src, weights, dst;
  memory::desc bias;
  bool hasBias = false;
};

WindowPlan buildPlan(const Window &w, bool transposed) {
  auto any = [](const Dims &d) {
    return memory::desc(d, memory::data_type::f32, memory::format_tag::any);
  };
  Dims src = w.image(w.c, w.in), dst = w.image(w.m, w.out);
  memory::desc weightUser = w.weight(transposed);
  memory::desc bias = w.hasBias ? plain({w.m}) : memory::desc();
  WindowPlan plan;
  plan.hasBias = w.hasBias;
  plan.bias = bias;
  auto &e = cpuEngine();
  auto finish = [&](const auto &pd) {
    plan.src.choose(plain(src), pd.src_desc(), false);
    plan.weights.choose(weightUser, pd.weights_desc(), false);
    plan.dst.choose(plain(dst), pd.dst_desc(), true);
  };
  auto kind = dnnl::prop_kind::forward_inference;
  if (!transposed) {
    dnnl::convolution_forward::desc d(kind, dnnl::algorithm::convolution_direct,
                                      any(src), any(weightUser.dims()), bias,
                                      any(dst), w.strides, w.dilations,
                                      w.padBegin, w.padEnd);
    dnnl::convolution_forward::primitive_desc pd(d, e);
    finish(pd);
    plan.primitive = dnnl::convolution_forward(pd);
  } else {
    dnnl::deconvolution_forward::desc d(
        kind, dnnl::algorithm::deconvolution_direct, any(src),
        any(weightUser.dims()), bias, any(dst), w.strides, w.dilations,
        w.padBegin, w.padEnd);
    dnnl::deconvolution_forward::primitive_desc pd(d, e);
    finish(pd);
    plan.primitive = dnnl::deconvolution_forward(pd);
  }
  return plan;
}

/// The cached plan of a geometry (built on first use).
const WindowPlan &planFor(const int64_t *geometry, bool transposed) {
  static std::mutex mutex;
  static std::map<std::vector<int64_t>, std::unique_ptr<WindowPlan>> cache;
  std::vector<int64_t> key(geometry, geometry + Window::length(geometry));
  key.push_back(transposed);
  std::lock_guard<std::mutex> lock(mutex);
  auto &slot = cache[key];
  if (!slot)
    slot =
        std::make_unique<WindowPlan>(buildPlan(Window(geometry), transposed));
  return *slot;
}

void runWindow(const char *what, bool transposed, const float *x,
               const float *w, const float *b, float *y,
               const int64_t *geometry) {
  try {
    const WindowPlan &plan = planFor(geometry, transposed);
    memory src = plan.src.in(x);
    memory weights = plan.weights.in(w);
    memory user(plan.dst.user, cpuEngine(), y);
    memory dst =
        plan.dst.reordered ? memory(plan.dst.chosen, cpuEngine()) : user;
    std::unordered_map<int, memory> args = {
        {DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, weights}, {DNNL_ARG_DST, dst}};
    if (plan.hasBias)
      args[DNNL_ARG_BIAS] =
          memory(plan.bias, cpuEngine(), const_cast<float *>(b));
    plan.primitive.execute(cpuStream(), args);
    if (plan.dst.reordered)
      plan.dst.convert.execute(cpuStream(), dst, user);
    cpuStream().wait();
  } catch (const dnnl::error &e) {
    fail(what, e.what());
  }
}

/// A primitive over row-major buffers, built once per key (its Kind, then
/// its geometry).
const dnnl::primitive &
cachedPrimitive(const std::vector<int64_t> &key,
                const std::function<dnnl::primitive()> &build) {
  static std::mutex mutex;
  static std::map<std::vector<int64_t>, std::unique_ptr<dnnl::primitive>> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto &slot = cache[key];
  if (!slot)
    slot = std::make_unique<dnnl::primitive>(build());
  return *slot;
}

/// The key part of a float scalar (its bits).
int64_t bitsOf(float v) {
  uint32_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return bits;
}

/// The first element of a cachedPrimitive key.
enum Kind : int64_t { kAvgPool, kLrn, kBatchNorm };

void execute(const dnnl::primitive &primitive,
             const std::unordered_map<int, memory> &args) {
  primitive.execute(cpuStream(), args);
  cpuStream().wait();
}

} // namespace

extern "C" {

void strata_onednn_conv_f32(const float *x, const float *w, const float *b,
                            float *y, const int64_t *geometry) {
  runWindow("convolution", false, x, w, b, y, geometry);
}

void strata_onednn_deconv_f32(const float *x, const float *w, const float *b,
                              float *y, const int64_t *geometry) {
  int64_t s = geometry[0];
  const int64_t *outSizes = geometry + 6 + 2 * s;
  const int64_t *padEnd = geometry + 6 + 6 * s;
  if (std::all_of(padEnd, padEnd + s, [](int64_t p) { return p >= 0; })) {
    runWindow("deconvolution", true, x, w, b, y, geometry);
    return;
  }
  // A negative end pad extends the output past the last position any input
  // reaches (those positions hold the bias only). oneDNN takes small
  // negative pads only, so the deconvolution runs without them into a
  // smaller image that is then copied into place.
  std::vector<int64_t> inner(geometry, geometry + 6 + 7 * s);
  int64_t *innerOut = inner.data() + 6 + 2 * s;
  int64_t *innerPad = inner.data() + 6 + 6 * s;
  for (int64_t i = 0; i < s; ++i)
    if (innerPad[i] < 0) {
      innerOut[i] += innerPad[i];
      innerPad[i] = 0;
    }
  int64_t planes = geometry[1] * geometry[3], m = geometry[3];
  int64_t innerVolume = 1, volume = 1;
  for (int64_t i = 0; i < s; ++i) {
    innerVolume *= innerOut[i];
    volume *= outSizes[i];
  }
  bool hasBias = geometry[5] != 0;
  std::vector<float> part(planes * std::max<int64_t>(innerVolume, 0));
  // No input reaches the output at all when a begin pad swallows it.
  bool reached =
      std::all_of(innerOut, innerOut + s, [](int64_t o) { return o > 0; });
  if (reached)
    runWindow("deconvolution", true, x, w, b, part.data(), inner.data());
  for (int64_t plane = 0; plane < planes; ++plane) {
    float fill = hasBias ? b[plane % m] : 0.0f;
    float *dst = y + plane * volume;
    const float *src = reached ? part.data() + plane * innerVolume : nullptr;
    for (int64_t flat = 0; flat < volume; ++flat) {
      // Position of `flat` in the output and, when inside, in `part`.
      int64_t rest = flat, innerFlat = 0, scale = 1;
      bool inside = true;
      for (int64_t i = s; i-- > 0;) {
        int64_t p = rest % outSizes[i];
        rest /= outSizes[i];
        inside &= p < innerOut[i];
        innerFlat += p * scale;
        scale *= innerOut[i];
      }
      dst[flat] = reached && inside ? src[innerFlat] : fill;
    }
  }
}

void strata_onednn_gemm_f32(const float *a, const float *b, const float *c,
                            float *y, const int64_t *geometry, float alpha,
                            float beta) {
  int64_t m = geometry[0], n = geometry[1], k = geometry[2];
  bool transA = geometry[3] != 0, transB = geometry[4] != 0;
  bool hasC = geometry[5] != 0;
  int64_t rows = geometry[6], cols = geometry[7];
  if (m == 0 || n == 0)
    return; // dnnl_sgemm rejects empty matrices; there is nothing to write.
  // y starts as beta * c' (so that a non-finite c propagates as in the
  // reference even when beta is 0), and the product accumulates onto it.
  if (hasC) {
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j)
        y[i * n + j] =
            beta * c[(rows == 1 ? 0 : i) * cols + (cols == 1 ? 0 : j)];
  }
  if (k == 0) {
    if (!hasC)
      for (int64_t i = 0; i < m * n; ++i)
        y[i] = 0;
    return;
  }
  dnnl_status_t status =
      dnnl_sgemm(transA ? 'T' : 'N', transB ? 'T' : 'N', m, n, k, alpha, a,
                 transA ? m : k, b, transB ? k : n, hasC ? 1.0f : 0.0f, y, n);
  if (status != dnnl_success)
    fail("sgemm", dnnl_status2str(status));
}

void strata_onednn_avg_pool_f32(const float *x, float *y,
                                const int64_t *geometry) {
  int64_t s = geometry[0];
  std::vector<int64_t> key = {kAvgPool};
  key.insert(key.end(), geometry, geometry + 4 + 6 * s);
  const int64_t *p = geometry + 4;
  auto next = [&] {
    Dims d(p, p + s);
    p += s;
    return d;
  };
  Dims in = next(), kernel = next(), out = next(), strides = next(),
       padBegin = next(), padEnd = next();
  Dims src = {geometry[1], geometry[2]}, dst = src;
  src.insert(src.end(), in.begin(), in.end());
  dst.insert(dst.end(), out.begin(), out.end());
  try {
    const dnnl::primitive &primitive = cachedPrimitive(key, [&] {
      dnnl::pooling_forward::desc d(
          dnnl::prop_kind::forward_inference,
          geometry[3] != 0 ? dnnl::algorithm::pooling_avg_include_padding
                           : dnnl::algorithm::pooling_avg_exclude_padding,
          plain(src), plain(dst), strides, kernel, padBegin, padEnd);
      return dnnl::pooling_forward(
          dnnl::pooling_forward::primitive_desc(d, cpuEngine()));
    });
    execute(primitive, {{DNNL_ARG_SRC, memory(plain(src), cpuEngine(),
                                              const_cast<float *>(x))},
                        {DNNL_ARG_DST, memory(plain(dst), cpuEngine(), y)}});
  } catch (const dnnl::error &e) {
    fail("pooling", e.what());
  }
}

void strata_onednn_lrn_f32(const float *x, float *y, const int64_t *geometry,
                           float alpha, float beta, float bias) {
  // [N, C, S] as the 4-D image [N, C, 1, S]: the window runs along C only.
  Dims dims = {geometry[0], geometry[1], 1, geometry[2]};
  int64_t size = geometry[3];
  std::vector<int64_t> key = {kLrn, geometry[0],   geometry[1],  geometry[2],
                              size, bitsOf(alpha), bitsOf(beta), bitsOf(bias)};
  try {
    const dnnl::primitive &primitive = cachedPrimitive(key, [&] {
      dnnl::lrn_forward::desc d(dnnl::prop_kind::forward_inference,
                                dnnl::algorithm::lrn_across_channels,
                                plain(dims), size, alpha, beta, bias);
      return dnnl::lrn_forward(
          dnnl::lrn_forward::primitive_desc(d, cpuEngine()));
    });
    execute(primitive, {{DNNL_ARG_SRC, memory(plain(dims), cpuEngine(),
                                              const_cast<float *>(x))},
                        {DNNL_ARG_DST, memory(plain(dims), cpuEngine(), y)}});
  } catch (const dnnl::error &e) {
    fail("LRN", e.what());
  }
}

void strata_onednn_batch_norm_f32(const float *x, const float *scale,
                                  const float *bias, const float *mean,
                                  const float *variance, float *y,
                                  const int64_t *geometry, float epsilon) {
  Dims dims = {geometry[0], geometry[1], 1, geometry[2]};
  Dims channels = {geometry[1]};
  std::vector<int64_t> key = {kBatchNorm, geometry[0], geometry[1], geometry[2],
                              bitsOf(epsilon)};
  auto in = [&](const Dims &d, const float *p) {
    return memory(plain(d), cpuEngine(), const_cast<float *>(p));
  };
  try {
    const dnnl::primitive &primitive = cachedPrimitive(key, [&] {
      dnnl::batch_normalization_forward::desc d(
          dnnl::prop_kind::forward_inference, plain(dims), epsilon,
          dnnl::normalization_flags::use_global_stats |
              dnnl::normalization_flags::use_scale |
              dnnl::normalization_flags::use_shift);
      return dnnl::batch_normalization_forward(
          dnnl::batch_normalization_forward::primitive_desc(d, cpuEngine()));
    });
    execute(primitive, {{DNNL_ARG_SRC, in(dims, x)},
                        {DNNL_ARG_SCALE, in(channels, scale)},
                        {DNNL_ARG_SHIFT, in(channels, bias)},
                        {DNNL_ARG_MEAN, in(channels, mean)},
                        {DNNL_ARG_VARIANCE, in(channels, variance)},
                        {DNNL_ARG_DST, memory(plain(dims), cpuEngine(), y)}});
  } catch (const dnnl::error &e) {
    fail("batch normalization", e.what());
  }
}
}
