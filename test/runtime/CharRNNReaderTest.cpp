//===- CharRNNReaderTest.cpp - Char-RNN batches against a worked example --===//
#include "DataTesting.h"

#include "runtime/data/CharRNNReader.h"

using namespace strata::runtime;
using namespace strata::runtime::testing;

namespace {

std::vector<int32_t> elements(const HostTensor &tensor) {
  const int32_t *data = tensor.data<int32_t>();
  return std::vector<int32_t>(data, data + tensor.numElements());
}

// The example of docs/DATA.md: vocabulary "abcd" (a=0 b=1 c=2 d=3), text
// "abcddcbaabc" (L = 11), batch 2, unroll_len 2. Streams of S = 5:
// "abcdd" = 0 1 2 3 3 and "cbaab" = 2 1 0 0 1; the last 'c' is unused. An
// epoch is floor(4 / 2) = 2 batches, at offsets 0 and 2.
TEST(CharRNNReaderTest, WorkedExample) {
  TempDir dir;
  writeBytes(dir.file("vocab.txt"), "abcd");
  writeBytes(dir.file("input.txt"), "abcddcbaabc");
  CharRNNConfig config{dir.file("input.txt"), dir.file("vocab.txt"), 2, 2};
  auto reader = CharRNNReader::open(config);
  ASSERT_TRUE(reader) << reader.error().message();
  EXPECT_EQ(reader->vocabSize(), 4);
  EXPECT_EQ(reader->streamLength(), 5);
  EXPECT_EQ(reader->batchesPerEpoch(), 2);

  // [t, b] = stream b at offset + t.
  const std::vector<int32_t> batch0 = {0, 2, /**/ 1, 1, /**/ 2, 0};
  const std::vector<int32_t> batch1 = {2, 0, /**/ 3, 0, /**/ 3, 1};
  HostTensor first = reader->next();
  EXPECT_EQ(first.dtype(), DType::I32);
  EXPECT_EQ(first.shape(), std::vector<int64_t>({3, 2}));
  EXPECT_EQ(elements(first), batch0);
  EXPECT_EQ(elements(reader->next()), batch1);
  // The epoch ends: back to offset 0.
  EXPECT_EQ(reader->position(), 0);
  EXPECT_EQ(elements(reader->next()), batch0);
  EXPECT_EQ(elements(reader->next()), batch1);
}

TEST(CharRNNReaderTest, NewlineIsACharacter) {
  TempDir dir;
  writeBytes(dir.file("vocab.txt"), "ab\n");
  writeBytes(dir.file("input.txt"), "ab\nba\n");
  // One stream of 6, unroll_len 5: one batch, the whole text.
  auto reader =
      CharRNNReader::open({dir.file("input.txt"), dir.file("vocab.txt"), 1, 5});
  ASSERT_TRUE(reader) << reader.error().message();
  EXPECT_EQ(reader->batchesPerEpoch(), 1);
  EXPECT_EQ(elements(reader->next()), std::vector<int32_t>({0, 1, 2, 1, 0, 2}));
}

TEST(CharRNNReaderTest, Errors) {
  TempDir dir;
  writeBytes(dir.file("vocab.txt"), "abcd");
  writeBytes(dir.file("input.txt"), "abcdabcd");
  auto openError = [&](CharRNNConfig config) {
    auto reader = CharRNNReader::open(config);
    return reader ? std::string("(opened)") : reader.error().message();
  };
  CharRNNConfig config{dir.file("input.txt"), dir.file("vocab.txt"), 2, 3};
  EXPECT_EQ(openError(config), "(opened)");

  config.unrollLen = 4; // streams of 4 < 5
  EXPECT_EQ(openError(config),
            "path " + dir.file("input.txt") +
                ": 8 characters make 2 streams of 4; unroll_len 4 needs "
                "streams of at least 5");
  config.unrollLen = 0;
  EXPECT_EQ(openError(config),
            "char_rnn_conf: unroll_len must be positive, not 0");
  config.unrollLen = 3;
  config.batchSize = -1;
  EXPECT_EQ(openError(config),
            "char_rnn_conf: batchsize must be positive, not -1");
  config.batchSize = 2;

  writeBytes(dir.file("other.txt"), "abcdabXd");
  config.path = dir.file("other.txt");
  EXPECT_EQ(openError(config), "path " + dir.file("other.txt") +
                                   ": byte offset 6: character 'X' (0x58) "
                                   "is not in the vocabulary " +
                                   dir.file("vocab.txt"));
  writeBytes(dir.file("other.txt"), "ab\ncd");
  EXPECT_EQ(openError(config), "path " + dir.file("other.txt") +
                                   ": byte offset 2: character 0x0a is not "
                                   "in the vocabulary " +
                                   dir.file("vocab.txt"));
  writeBytes(dir.file("other.txt"), "");
  EXPECT_EQ(openError(config),
            "path " + dir.file("other.txt") + ": empty file (no text)");
  config.path = dir.file("missing.txt");
  EXPECT_EQ(openError(config).rfind(
                "path: cannot open " + dir.file("missing.txt"), 0),
            0u);

  config.path = dir.file("input.txt");
  writeBytes(dir.file("dup.txt"), "abca");
  config.vocabPath = dir.file("dup.txt");
  EXPECT_EQ(openError(config), "vocab_path " + dir.file("dup.txt") +
                                   ": character 'a' (0x61) at byte offset 3 "
                                   "is already id 0");
  writeBytes(dir.file("dup.txt"), "");
  EXPECT_EQ(openError(config), "vocab_path " + dir.file("dup.txt") +
                                   ": empty file (no characters)");
  config.vocabPath = dir.file("missing.txt");
  EXPECT_EQ(openError(config).rfind(
                "vocab_path: cannot open " + dir.file("missing.txt"), 0),
            0u);
}

} // namespace
