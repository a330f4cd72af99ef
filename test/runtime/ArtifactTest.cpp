//===- ArtifactTest.cpp - Loading and verifying artifacts -----------------===//
//
// Artifacts are built here with the FlatBuffers builder directly (not with
// the compiler's writer), framed, then loaded; every kind of damage must be
// refused with a message naming the file and the problem.
//
//===----------------------------------------------------------------------===//

#include "runtime/artifact/Artifact.h"
#include "runtime/artifact/ArtifactFormat.h"
#include "runtime/support/Error.h"

#include <gtest/gtest.h>

#include <cstring>
#include <functional>

using namespace strata::artifact;
using strata::runtime::RuntimeError;

namespace {

std::string digestOf(const std::string &s) {
  return Sha256::hex(Sha256::of(s.data(), s.size()));
}

// FIPS 180-4 example messages and their published digests.
TEST(Sha256, KnownDigests) {
  EXPECT_EQ(digestOf(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(digestOf("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(
      digestOf("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // A million 'a's, fed in uneven pieces.
  Sha256 h;
  std::string chunk(997, 'a');
  size_t left = 1000000;
  while (left > 0) {
    size_t n = std::min(left, chunk.size());
    h.update(chunk.data(), n);
    left -= n;
  }
  EXPECT_EQ(Sha256::hex(h.finish()),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/// A small valid artifact: two parameters (one tied), a kernel, a train
/// schedule with a memory plan, a data input. `edit` may change the pieces
/// before they are assembled.
struct Pieces {
  int shareFrom = 0;
  int scheduleKernel = 0;
  int slotParameter = 1;
  uint64_t bufferOffset = 64;
  uint64_t bufferSize = 128;
  int64_t dim = 3;
  size_t initialBytes = 3 * 4 * 4;
  std::string target = "cpu";
};

std::vector<uint8_t> payloadOf(const Pieces &p) {
  flatbuffers::FlatBufferBuilder b;
  auto type = [&](fb::DType dtype, std::vector<int64_t> shape) {
    return fb::CreateTensorTypeDirect(b, dtype, &shape);
  };
  std::vector<uint8_t> initial(p.initialBytes, 0);
  std::vector<flatbuffers::Offset<fb::Parameter>> params;
  params.push_back(fb::CreateParameterDirect(
      b, "w", type(fb::DType::f32, {p.dim, 4}),
      fb::CreateInitSpec(b, fb::InitKind::gaussian, 1.0, 0.0, 0.1), &initial));
  params.push_back(
      fb::CreateParameterDirect(b, "w_tied", type(fb::DType::f32, {3, 4}), 0,
                                nullptr, true, 1.0, 1.0, p.shareFrom));
  std::vector<uint8_t> code = {0x7f, 'E', 'L', 'F'};
  std::vector<flatbuffers::Offset<fb::Kernel>> kernels = {
      fb::CreateKernelDirect(b, "step", fb::KernelFormat::elf_shared_object,
                             "x86_64-unknown-linux-gnu", "generic", &code)};
  std::vector<flatbuffers::Offset<fb::Slot>> args = {
      fb::CreateSlotDirect(b, fb::SlotKind::parameter, "w",
                           type(fb::DType::f32, {3, 4}), p.slotParameter),
      fb::CreateSlotDirect(b, fb::SlotKind::step, "step",
                           type(fb::DType::i64, {}))};
  std::vector<flatbuffers::Offset<fb::Slot>> results = {fb::CreateSlotDirect(
      b, fb::SlotKind::loss, "loss", type(fb::DType::f32, {}))};
  std::vector<flatbuffers::Offset<fb::Buffer>> buffers = {
      fb::CreateBufferDirect(b, "t0", p.bufferOffset, p.bufferSize)};
  auto plan = fb::CreateMemoryPlanDirect(b, 256, 512, &buffers);
  std::vector<flatbuffers::Offset<fb::Schedule>> schedules = {
      fb::CreateScheduleDirect(b, fb::Phase::train, "train_step",
                               p.scheduleKernel, "strata_train_step", &args,
                               &results, plan)};
  std::vector<flatbuffers::Offset<fb::TensorType>> outs = {
      type(fb::DType::f32, {4, 12}), type(fb::DType::i32, {4})};
  auto source = fb::CreateDataSourceDirect(b, "record", "kvfile", "train.bin");
  std::vector<flatbuffers::Offset<fb::DataInput>> inputs = {
      fb::CreateDataInputDirect(b, "data", fb::Phase::train, &outs, source)};
  auto job = fb::CreateJobDirect(b, "job", "bp", 100);
  auto root = fb::CreateArtifactDirect(b, "test", p.target.c_str(), job,
                                       &params, &kernels, &schedules, &inputs);
  fb::FinishArtifactBuffer(b, root);
  return std::vector<uint8_t>(b.GetBufferPointer(),
                              b.GetBufferPointer() + b.GetSize());
}

std::vector<unsigned char> frame(const std::vector<uint8_t> &payload) {
  auto header = makeHeader(payload.data(), payload.size());
  std::vector<unsigned char> file(kHeaderSize + payload.size());
  std::memcpy(file.data(), header.data(), kHeaderSize);
  if (!payload.empty())
    std::memcpy(file.data() + kHeaderSize, payload.data(), payload.size());
  return file;
}

std::string loadError(std::vector<unsigned char> bytes) {
  try {
    Artifact::fromBytes(std::move(bytes), "m.strata");
  } catch (const RuntimeError &e) {
    return e.what();
  }
  return "";
}

TEST(Artifact, LoadsAValidFile) {
  Artifact a = Artifact::fromBytes(frame(payloadOf({})), "m.strata");
  const fb::Artifact &r = a.root();
  ASSERT_EQ(r.parameters()->size(), 2u);
  EXPECT_EQ(r.parameters()->Get(0)->name()->str(), "w");
  EXPECT_EQ(r.parameters()->Get(0)->init()->kind(), fb::InitKind::gaussian);
  EXPECT_DOUBLE_EQ(r.parameters()->Get(0)->init()->std(), 0.1);
  EXPECT_EQ(r.parameters()->Get(1)->share_from(), 0);
  EXPECT_EQ(elementCount(*r.parameters()->Get(0)->type()), 12);
  const fb::Schedule *train = a.schedule(fb::Phase::train);
  ASSERT_NE(train, nullptr);
  EXPECT_EQ(train->entry()->str(), "strata_train_step");
  EXPECT_EQ(train->memory()->arena_bytes(), 256u);
  EXPECT_EQ(a.schedule(fb::Phase::infer), nullptr);
  EXPECT_EQ(r.job()->train_steps(), 100);
  EXPECT_EQ(a.contentHash().size(), 64u);
}

TEST(Artifact, RefusesWhatIsNotAnArtifact) {
  EXPECT_NE(loadError({}).find("m.strata: not a Strata artifact"),
            std::string::npos);
  std::vector<unsigned char> onnxLike(200, 0x08);
  EXPECT_NE(loadError(onnxLike).find("not a Strata artifact"),
            std::string::npos);
}

TEST(Artifact, RefusesAnotherFormatVersion) {
  auto file = frame(payloadOf({}));
  storeLE32(file.data() + 8, kFormatVersion + 1);
  EXPECT_NE(loadError(file).find("artifact format version 2, this runtime "
                                 "reads version 1"),
            std::string::npos);
}

TEST(Artifact, RefusesEveryTruncation) {
  auto file = frame(payloadOf({}));
  for (size_t keep : {size_t(0), size_t(10), kHeaderSize - 1, kHeaderSize,
                      kHeaderSize + 1, file.size() / 2, file.size() - 1}) {
    std::vector<unsigned char> cut(file.begin(), file.begin() + keep);
    std::string error = loadError(cut);
    EXPECT_TRUE(error.find("not a Strata artifact") != std::string::npos ||
                error.find("truncated") != std::string::npos)
        << "kept " << keep << " bytes: '" << error << "'";
  }
}

TEST(Artifact, RefusesEveryFlippedPayloadByte) {
  auto file = frame(payloadOf({}));
  for (size_t i = kHeaderSize; i < file.size(); i += 7) {
    auto bad = file;
    bad[i] ^= 0x40;
    EXPECT_NE(loadError(bad).find("content hash mismatch"), std::string::npos)
        << "byte " << i;
  }
}

TEST(Artifact, RefusesAMalformedPayloadWithAValidHash) {
  // A damaged payload whose header was recomputed: the hash matches, the
  // FlatBuffers verifier must catch it.
  auto payload = payloadOf({});
  std::vector<uint8_t> garbage(payload.size(), 0xff);
  std::memcpy(garbage.data() + 4, "STRA", 4);
  EXPECT_NE(loadError(frame(garbage)).find("malformed artifact payload"),
            std::string::npos);
  std::vector<uint8_t> noIdentifier = payload;
  std::memcpy(noIdentifier.data() + 4, "XXXX", 4);
  EXPECT_NE(loadError(frame(noIdentifier)).find("malformed artifact payload"),
            std::string::npos);
}

TEST(Artifact, RefusesInconsistentContents) {
  struct Case {
    std::function<void(Pieces &)> edit;
    std::string message;
  };
  std::vector<Case> cases = {
      {[](Pieces &p) { p.shareFrom = 7; },
       "parameter 'w_tied': share_from index 7 is not another parameter"},
      {[](Pieces &p) { p.shareFrom = 1; },
       "parameter 'w_tied': share_from index 1 is not another parameter"},
      {[](Pieces &p) { p.scheduleKernel = 1; },
       "schedule 'train_step': kernel index 1 out of range"},
      {[](Pieces &p) { p.slotParameter = 2; },
       "schedule 'train_step' argument 0 ('w'): parameter index 2 out of "
       "range"},
      {[](Pieces &p) { p.bufferOffset = 200; },
       "schedule 'train_step': buffer 't0' [200, +128) lies outside the "
       "arena of 256 bytes"},
      {[](Pieces &p) { p.dim = -3; }, "parameter 'w': negative dimension -3"},
      {[](Pieces &p) { p.initialBytes = 5; },
       "parameter 'w': initial value has 5 bytes, its type 48"},
      {[](Pieces &p) { p.target = "tpu"; },
       "target 'tpu' is not one this runtime runs (cpu)"},
  };
  for (const Case &c : cases) {
    Pieces p;
    c.edit(p);
    EXPECT_EQ(loadError(frame(payloadOf(p))),
              "m.strata: invalid artifact: " + c.message);
  }
}

} // namespace
