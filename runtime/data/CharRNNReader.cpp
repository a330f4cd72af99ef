//===- CharRNNReader.cpp - Character sequences for a kCharRNN layer -------===//
#include "runtime/data/CharRNNReader.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace strata::runtime {

namespace {

Expected<std::string> readBytes(const std::string &path, const char *field) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Error(std::string(field) + ": cannot open " + path + ": " +
                 std::strerror(errno));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad())
    return Error(std::string(field) + ": " + path + ": read error");
  return buffer.str();
}

/// 'a' (0x61), or just (0x0a) for a byte that does not print.
std::string describeByte(unsigned char byte) {
  char text[16];
  if (byte >= 0x20 && byte < 0x7f)
    std::snprintf(text, sizeof(text), "'%c' (0x%02x)", byte, byte);
  else
    std::snprintf(text, sizeof(text), "0x%02x", byte);
  return text;
}

} // namespace

Expected<CharRNNReader> CharRNNReader::open(const CharRNNConfig &config) {
  if (config.batchSize <= 0)
    return Error("char_rnn_conf: batchsize must be positive, not " +
                 std::to_string(config.batchSize));
  if (config.unrollLen <= 0)
    return Error("char_rnn_conf: unroll_len must be positive, not " +
                 std::to_string(config.unrollLen));
  CharRNNReader reader(config);

  Expected<std::string> vocab = readBytes(config.vocabPath, "vocab_path");
  if (!vocab)
    return vocab.error();
  if (vocab->empty())
    return Error("vocab_path " + config.vocabPath +
                 ": empty file (no characters)");
  std::array<int32_t, 256> idOf;
  idOf.fill(-1);
  for (size_t i = 0; i < vocab->size(); ++i) {
    unsigned char byte = static_cast<unsigned char>((*vocab)[i]);
    if (idOf[byte] >= 0)
      return Error("vocab_path " + config.vocabPath + ": character " +
                   describeByte(byte) + " at byte offset " + std::to_string(i) +
                   " is already id " + std::to_string(idOf[byte]));
    idOf[byte] = static_cast<int32_t>(i);
  }
  reader.vocab_ = vocab.take();

  Expected<std::string> text = readBytes(config.path, "path");
  if (!text)
    return text.error();
  if (text->empty())
    return Error("path " + config.path + ": empty file (no text)");
  reader.ids_.resize(text->size());
  for (size_t i = 0; i < text->size(); ++i) {
    unsigned char byte = static_cast<unsigned char>((*text)[i]);
    if (idOf[byte] < 0)
      return Error("path " + config.path + ": byte offset " +
                   std::to_string(i) + ": character " + describeByte(byte) +
                   " is not in the vocabulary " + config.vocabPath);
    reader.ids_[i] = idOf[byte];
  }

  int64_t length = static_cast<int64_t>(reader.ids_.size());
  reader.streamLength_ = length / config.batchSize;
  if (reader.streamLength_ < config.unrollLen + 1)
    return Error("path " + config.path + ": " + std::to_string(length) +
                 " characters make " + std::to_string(config.batchSize) +
                 " streams of " + std::to_string(reader.streamLength_) +
                 "; unroll_len " + std::to_string(config.unrollLen) +
                 " needs streams of at least " +
                 std::to_string(config.unrollLen + 1));
  return reader;
}

HostTensor CharRNNReader::next() {
  const int64_t steps = config_.unrollLen + 1, batchSize = config_.batchSize;
  HostTensor batch(DType::I32, {steps, batchSize});
  int32_t *out = batch.data<int32_t>();
  const int64_t offset = batch_ * config_.unrollLen;
  for (int64_t t = 0; t < steps; ++t)
    for (int64_t b = 0; b < batchSize; ++b)
      out[t * batchSize + b] = ids_[b * streamLength_ + offset + t];
  batch_ = (batch_ + 1) % batchesPerEpoch();
  return batch;
}

} // namespace strata::runtime
