//===- Artifact.cpp - Loading and verifying a Strata artifact -------------===//

#include "runtime/artifact/Artifact.h"
#include "runtime/artifact/ArtifactFormat.h"
#include "runtime/support/AtomicFile.h"
#include "runtime/support/Error.h"

#include <cstring>
#include <limits>

namespace strata::artifact {

using runtime::RuntimeError;

size_t elementSize(fb::DType dtype) {
  switch (dtype) {
  case fb::DType::f64:
  case fb::DType::i64:
    return 8;
  case fb::DType::f32:
  case fb::DType::i32:
    return 4;
  case fb::DType::f16:
  case fb::DType::bf16:
  case fb::DType::i16:
    return 2;
  case fb::DType::i1:
  case fb::DType::i8:
  case fb::DType::u8:
    return 1;
  }
  return 0;
}

int64_t elementCount(const fb::TensorType &type) {
  int64_t n = 1;
  if (type.shape())
    for (int64_t d : *type.shape())
      n *= d;
  return n;
}

namespace {

/// Semantic checks after the structural verification. Each failure names
/// the element it is about.
class Checker {
public:
  Checker(const fb::Artifact &a, const std::string &file)
      : a_(a), file_(file) {}

  void run() {
    if (a_.target()->str() != "cpu")
      fail("target '" + a_.target()->str() +
           "' is not one this runtime runs (cpu)");
    int nParams = a_.parameters() ? a_.parameters()->size() : 0;
    int nKernels = a_.kernels() ? a_.kernels()->size() : 0;
    int nInputs = a_.data_inputs() ? a_.data_inputs()->size() : 0;
    for (int i = 0; i < nParams; ++i) {
      const fb::Parameter *p = a_.parameters()->Get(i);
      std::string what = "parameter '" + p->name()->str() + "'";
      int64_t count = checkType(*p->type(), what);
      if (p->initial_value() && p->initial_value()->size() != 0 &&
          p->initial_value()->size() !=
              uint64_t(count) * elementSize(p->type()->dtype()))
        fail(what + ": initial value has " +
             std::to_string(p->initial_value()->size()) + " bytes, its type " +
             std::to_string(count * elementSize(p->type()->dtype())));
      if (p->share_from() != -1) {
        if (p->share_from() < 0 || p->share_from() >= nParams ||
            p->share_from() == i)
          fail(what + ": share_from index " + std::to_string(p->share_from()) +
               " is not another parameter");
        if (elementCount(*a_.parameters()->Get(p->share_from())->type()) !=
            count)
          fail(what + ": shares storage with a parameter of another size");
      }
      if (p->init() &&
          (p->init()->std() < 0 || p->init()->low() > p->init()->high()))
        fail(what + ": invalid init spec");
    }
    for (int i = 0; i < nKernels; ++i)
      if (a_.kernels()->Get(i)->code()->size() == 0)
        fail("kernel '" + a_.kernels()->Get(i)->name()->str() +
             "' has no code");
    for (int i = 0; i < nInputs; ++i) {
      const fb::DataInput *d = a_.data_inputs()->Get(i);
      if (d->outputs())
        for (const fb::TensorType *t : *d->outputs())
          checkType(*t, "data input '" + d->name()->str() + "'");
    }
    if (a_.schedules())
      for (const fb::Schedule *s : *a_.schedules())
        checkSchedule(*s, nParams, nKernels, nInputs);
  }

private:
  [[noreturn]] void fail(const std::string &message) {
    throw RuntimeError(file_ + ": invalid artifact: " + message);
  }

  int64_t checkType(const fb::TensorType &t, const std::string &what) {
    if (elementSize(t.dtype()) == 0)
      fail(what + ": unknown element type " +
           std::to_string(static_cast<int>(t.dtype())));
    int64_t n = 1;
    if (t.shape())
      for (int64_t d : *t.shape()) {
        if (d < 0)
          fail(what + ": negative dimension " + std::to_string(d));
        if (d != 0 && n > std::numeric_limits<int64_t>::max() / 8 / d)
          fail(what + ": too many elements");
        n *= d;
      }
    return n;
  }

  void
  checkSlots(const flatbuffers::Vector<flatbuffers::Offset<fb::Slot>> *slots,
             const std::string &where, int nParams, int nInputs) {
    if (!slots)
      return;
    for (unsigned i = 0; i < slots->size(); ++i) {
      const fb::Slot *s = slots->Get(i);
      std::string what = where + " " + std::to_string(i) +
                         (s->name() ? " ('" + s->name()->str() + "')" : "");
      checkType(*s->type(), what);
      switch (s->kind()) {
      case fb::SlotKind::parameter:
      case fb::SlotKind::optimizer_state:
        if (s->parameter() < 0 || s->parameter() >= nParams)
          fail(what + ": parameter index " + std::to_string(s->parameter()) +
               " out of range");
        break;
      case fb::SlotKind::data:
        if (s->data_input() < 0 || s->data_input() >= nInputs)
          fail(what + ": data input index " + std::to_string(s->data_input()) +
               " out of range");
        break;
      default:
        break;
      }
    }
  }

  void checkSchedule(const fb::Schedule &s, int nParams, int nKernels,
                     int nInputs) {
    std::string what = "schedule '" + s.name()->str() + "'";
    if (s.kernel() < 0 || s.kernel() >= nKernels)
      fail(what + ": kernel index " + std::to_string(s.kernel()) +
           " out of range");
    if (s.entry()->size() == 0)
      fail(what + ": empty entry symbol");
    checkSlots(s.arguments(), what + " argument", nParams, nInputs);
    checkSlots(s.results(), what + " result", nParams, nInputs);
    if (const fb::MemoryPlan *m = s.memory(); m && m->buffers())
      for (const fb::Buffer *b : *m->buffers())
        if (b->offset() > m->arena_bytes() ||
            b->size() > m->arena_bytes() - b->offset())
          fail(what + ": buffer '" + (b->name() ? b->name()->str() : "") +
               "' [" + std::to_string(b->offset()) + ", +" +
               std::to_string(b->size()) + ") lies outside the arena of " +
               std::to_string(m->arena_bytes()) + " bytes");
  }

  const fb::Artifact &a_;
  const std::string &file_;
};

} // namespace

Artifact Artifact::load(const std::string &path) {
  return fromBytes(runtime::readWholeFile(path), path);
}

Artifact Artifact::fromBytes(std::vector<unsigned char> bytes,
                             const std::string &name) {
  auto fail = [&](const std::string &message) -> RuntimeError {
    return RuntimeError(name + ": " + message);
  };
  if (bytes.size() < kHeaderSize || std::memcmp(bytes.data(), kMagic, 8) != 0)
    throw fail("not a Strata artifact (no artifact header; compile a model "
               "with stratac -o FILE.strata)");
  uint32_t version = loadLE32(bytes.data() + 8);
  if (version != kFormatVersion)
    throw fail("artifact format version " + std::to_string(version) +
               ", this runtime reads version " +
               std::to_string(kFormatVersion) + ": recompile the model");
  uint64_t size = loadLE64(bytes.data() + 16);
  if (size != bytes.size() - kHeaderSize)
    throw fail("truncated or padded: the header announces " +
               std::to_string(size) + " payload bytes, the file has " +
               std::to_string(bytes.size() - kHeaderSize));
  const uint8_t *payload = bytes.data() + kHeaderSize;
  auto digest = Sha256::of(payload, size);
  if (std::memcmp(digest.data(), bytes.data() + 24, 32) != 0)
    throw fail("content hash mismatch: the file is corrupt (SHA-256 of the "
               "payload is " +
               Sha256::hex(digest) + ")");
  // FlatBuffers payloads are aligned to 8 in the file (the header is 64
  // bytes); std::vector's storage is aligned for any scalar.
  flatbuffers::Verifier verifier(payload, size);
  if (!fb::ArtifactBufferHasIdentifier(payload) ||
      !fb::VerifyArtifactBuffer(verifier))
    throw fail("malformed artifact payload (FlatBuffers verification failed)");
  Artifact a;
  a.bytes_ = std::move(bytes);
  a.root_ = fb::GetArtifact(a.bytes_.data() + kHeaderSize);
  a.name_ = name;
  a.hash_ = Sha256::hex(digest);
  Checker(*a.root_, name).run();
  return a;
}

const fb::Schedule *Artifact::schedule(fb::Phase phase) const {
  if (!root_->schedules())
    return nullptr;
  for (const fb::Schedule *s : *root_->schedules())
    if (s->phase() == phase)
      return s;
  return nullptr;
}

} // namespace strata::artifact
