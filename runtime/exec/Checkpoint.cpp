//===- Checkpoint.cpp - Saving and restoring a training run ---------------===//

#include "runtime/exec/Checkpoint.h"

#include "runtime/artifact/ArtifactFormat.h"
#include "runtime/support/AtomicFile.h"
#include "runtime/support/Error.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <map>

namespace strata::runtime {

namespace {

constexpr char kCheckpointMagic[8] = {'S', 'T', 'R', 'A', 'T', 'A', 'C', 'K'};
constexpr uint32_t kCheckpointVersion = 1;
constexpr size_t kCheckpointHeader = 64;

class Writer {
public:
  void u32(uint32_t v) {
    uint8_t b[4];
    artifact::storeLE32(b, v);
    bytes.insert(bytes.end(), b, b + 4);
  }
  void u64(uint64_t v) {
    uint8_t b[8];
    artifact::storeLE64(b, v);
    bytes.insert(bytes.end(), b, b + 8);
  }
  void raw(const void *p, size_t n) {
    const auto *c = static_cast<const unsigned char *>(p);
    bytes.insert(bytes.end(), c, c + n);
  }
  std::vector<unsigned char> bytes;
};

class Reader {
public:
  Reader(const unsigned char *p, size_t n, const std::string &file)
      : p_(p), n_(n), file_(file) {}
  uint32_t u32() { return artifact::loadLE32(take(4)); }
  uint64_t u64() { return artifact::loadLE64(take(8)); }
  const unsigned char *take(size_t n) {
    if (n > n_ - at_)
      throw RuntimeError(file_ + ": checkpoint body ends early");
    const unsigned char *p = p_ + at_;
    at_ += n;
    return p;
  }
  bool done() const { return at_ == n_; }

private:
  const unsigned char *p_;
  size_t n_, at_ = 0;
  const std::string &file_;
};

} // namespace

void saveCheckpoint(const std::string &path, Session &session,
                    const std::vector<DataFeed *> &feeds) {
  Writer body;
  const std::string &hash = session.artifact().contentHash();
  body.raw(hash.data(), hash.size());
  body.u64(static_cast<uint64_t>(session.step()));
  body.u32(static_cast<uint32_t>(feeds.size()));
  for (DataFeed *f : feeds)
    body.u64(static_cast<uint64_t>(f ? f->position() : -1));
  std::vector<StateTensor> tensors = session.stateTensors();
  body.u32(static_cast<uint32_t>(tensors.size()));
  for (const StateTensor &t : tensors) {
    body.u32(static_cast<uint32_t>(t.name.size()));
    body.raw(t.name.data(), t.name.size());
    body.u64(t.bytes->size());
    body.raw(t.bytes->data(), t.bytes->size());
  }
  std::array<uint8_t, kCheckpointHeader> header{};
  std::memcpy(header.data(), kCheckpointMagic, 8);
  artifact::storeLE32(header.data() + 8, kCheckpointVersion);
  artifact::storeLE64(header.data() + 16, body.bytes.size());
  auto digest = artifact::Sha256::of(body.bytes.data(), body.bytes.size());
  std::memcpy(header.data() + 24, digest.data(), 32);
  writeFileAtomically(path, {{header.data(), header.size()},
                             {body.bytes.data(), body.bytes.size()}});
}

void loadCheckpoint(const std::string &path, Session &session,
                    const std::vector<DataFeed *> &feeds) {
  std::vector<unsigned char> file = readWholeFile(path);
  auto fail = [&](const std::string &m) {
    return RuntimeError(path + ": " + m);
  };
  if (file.size() < kCheckpointHeader ||
      std::memcmp(file.data(), kCheckpointMagic, 8) != 0)
    throw fail("not a Strata checkpoint");
  if (artifact::loadLE32(file.data() + 8) != kCheckpointVersion)
    throw fail("checkpoint format version " +
               std::to_string(artifact::loadLE32(file.data() + 8)) +
               ", this runtime reads version " +
               std::to_string(kCheckpointVersion));
  uint64_t size = artifact::loadLE64(file.data() + 16);
  if (size != file.size() - kCheckpointHeader)
    throw fail("truncated checkpoint (the header announces " +
               std::to_string(size) + " body bytes, the file has " +
               std::to_string(file.size() - kCheckpointHeader) + ")");
  const unsigned char *bodyStart = file.data() + kCheckpointHeader;
  auto digest = artifact::Sha256::of(bodyStart, size);
  if (std::memcmp(digest.data(), file.data() + 24, 32) != 0)
    throw fail("checkpoint content hash mismatch: the file is corrupt");
  Reader in(bodyStart, size, path);
  std::string hash(reinterpret_cast<const char *>(in.take(64)), 64);
  if (hash != session.artifact().contentHash())
    throw fail("the checkpoint belongs to another artifact (content hash " +
               hash.substr(0, 12) + "..., this artifact's is " +
               session.artifact().contentHash().substr(0, 12) + "...)");
  int64_t step = static_cast<int64_t>(in.u64());
  uint32_t nFeeds = in.u32();
  if (nFeeds != feeds.size())
    throw fail("the checkpoint has " + std::to_string(nFeeds) +
               " data feeds, the artifact " + std::to_string(feeds.size()));
  std::vector<int64_t> positions(nFeeds);
  for (auto &p : positions)
    p = static_cast<int64_t>(in.u64());
  std::map<std::string, std::pair<const unsigned char *, uint64_t>> saved;
  uint32_t nTensors = in.u32();
  for (uint32_t i = 0; i < nTensors; ++i) {
    uint32_t len = in.u32();
    std::string name(reinterpret_cast<const char *>(in.take(len)), len);
    uint64_t bytes = in.u64();
    saved[name] = {in.take(bytes), bytes};
  }
  if (!in.done())
    throw fail("trailing bytes after the checkpoint body");
  // Check everything before changing anything.
  std::vector<StateTensor> tensors = session.stateTensors();
  for (const StateTensor &t : tensors) {
    auto it = saved.find(t.name);
    if (it == saved.end())
      throw fail("the checkpoint lacks '" + t.name + "'");
    if (it->second.second != t.bytes->size())
      throw fail("'" + t.name + "' has " + std::to_string(it->second.second) +
                 " bytes, the model's has " + std::to_string(t.bytes->size()));
  }
  for (const StateTensor &t : tensors) {
    auto [data, bytes] = saved[t.name];
    std::memcpy(t.bytes->data(), data, bytes);
  }
  session.setStep(step);
  for (size_t i = 0; i < feeds.size(); ++i)
    if (feeds[i] && positions[i] >= 0)
      feeds[i]->seek(positions[i]);
}

std::vector<std::pair<int64_t, std::string>>
listCheckpoints(const std::string &dir) {
  std::vector<std::pair<int64_t, std::string>> found;
  std::error_code ec;
  for (const auto &entry : std::filesystem::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.size() <= 10 || name.rfind("step-", 0) != 0 ||
        name.substr(name.size() - 5) != ".ckpt")
      continue;
    std::string digits = name.substr(5, name.size() - 10);
    if (digits.empty() ||
        !std::all_of(digits.begin(), digits.end(),
                     [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    found.emplace_back(std::stoll(digits), entry.path().string());
  }
  std::sort(found.begin(), found.end(),
            [](const auto &a, const auto &b) { return a.first > b.first; });
  return found;
}

} // namespace strata::runtime
