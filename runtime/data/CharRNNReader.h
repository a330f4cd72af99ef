//===- CharRNNReader.h - Character sequences for a kCharRNN layer ---------===//
//
// The input of a kCharRNN layer (char_rnn_conf: path, vocab_path, batchsize,
// unroll_len). Exact semantics (docs/DATA.md has a worked example):
//
// - Vocabulary: every byte of the vocab file, in order, is one character; its
//   id is its position (a trailing newline is the character '\n'). A byte may
//   appear only once.
// - Text: every byte of the text file must be in the vocabulary.
// - Streams: with L text bytes and batch size B, the text is cut into B
//   streams of S = floor(L / B) bytes; stream b is bytes [b*S, (b+1)*S) (the
//   last L - B*S bytes are not used). S must be at least unroll_len + 1.
// - Batches: batch k has offset o = k*U (U = unroll_len) within every stream
//   and is the i32 tensor [U + 1, B] with element [t, b] = id(text[b*S + o +
//   t]), t = 0..U: row t is step t's input and row t + 1 its label, so
//   consecutive batches share one row (the last row of one is the first of
//   the next).
// - An epoch is floor((S - 1) / U) batches (every window stays inside its
//   stream); then the offset goes back to 0 and the batches repeat.
//
//===----------------------------------------------------------------------===//
#ifndef STRATA_RUNTIME_DATA_CHARRNNREADER_H
#define STRATA_RUNTIME_DATA_CHARRNNREADER_H

#include "runtime/data/Error.h"
#include "runtime/data/HostTensor.h"

#include <array>

namespace strata::runtime {

struct CharRNNConfig {
  std::string path;
  std::string vocabPath;
  int64_t batchSize = 1;
  int64_t unrollLen = 50;
};

class CharRNNReader {
public:
  /// Reads the vocabulary and the text and checks every text byte.
  static Expected<CharRNNReader> open(const CharRNNConfig &config);

  /// The next [unrollLen + 1, batchSize] i32 batch. Cannot fail: open()
  /// checked everything.
  HostTensor next();

  int64_t vocabSize() const { return static_cast<int64_t>(vocab_.size()); }
  /// The vocabulary, in id order.
  const std::string &vocab() const { return vocab_; }
  int64_t streamLength() const { return streamLength_; }
  int64_t batchesPerEpoch() const {
    return (streamLength_ - 1) / config_.unrollLen;
  }
  /// The index (within the epoch) of the batch next() returns.
  int64_t position() const { return batch_; }
  /// Makes next() return batch `position` (modulo an epoch) of the epoch.
  void seek(int64_t position) {
    int64_t n = batchesPerEpoch();
    batch_ = n > 0 ? ((position % n) + n) % n : 0;
  }

private:
  CharRNNReader(CharRNNConfig config) : config_(std::move(config)) {}

  CharRNNConfig config_;
  std::string vocab_;
  /// The text as character ids.
  std::vector<int32_t> ids_;
  int64_t streamLength_ = 0;
  int64_t batch_ = 0;
};

} // namespace strata::runtime

#endif // STRATA_RUNTIME_DATA_CHARRNNREADER_H
