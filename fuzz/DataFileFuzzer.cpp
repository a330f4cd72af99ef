//===- DataFileFuzzer.cpp - libFuzzer target: the runtime's data readers --===//
//
// Feeds arbitrary bytes to the runtime's data readers as a file: byte 0 picks
// the format (kvfile, textfile, idx images + labels, char-RNN text +
// vocabulary), byte 1 where a two-file input is split, the rest is the file.
// Every record is read, summarised and averaged, and a few batches are drawn
// (with the file as its own mean file). Any input must end in data or in
// reported errors; a crash, a sanitizer report or a hang is a bug.
//
//===----------------------------------------------------------------------===//

#include "runtime/data/CharRNNReader.h"
#include "runtime/data/Conversion.h"
#include "runtime/data/RecordReader.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

using namespace strata::runtime;

namespace {

// A plain array: it outlives the exit handler that removes the folder.
char tempPattern[] = "/tmp/strata-data-fuzz-XXXXXX";

const std::string &tempDir() {
  static const std::string dir = [] {
    if (!::mkdtemp(tempPattern))
      std::abort();
    std::atexit([] { std::filesystem::remove_all(tempPattern); });
    return std::string(tempPattern);
  }();
  return dir;
}

std::string writeFile(const std::string &name, const std::string &bytes) {
  std::string path = tempDir() + "/" + name;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return path;
}

void readEverything(const StoreConfig &config, uint8_t knobs) {
  auto source = openRecordSource(config);
  if (!source)
    return;
  for (int64_t i = 0; i < (*source)->size(); ++i)
    (void)(*source)->read(i);
  (void)summarize(**source);
  (void)computeMeanRecord(**source);

  StoreConfig batches = config;
  batches.batchSize = 1 + knobs % 5;
  batches.randomSkip = knobs / 8;
  batches.seed = knobs;
  batches.numLabels = knobs % 3 == 0 ? 10 : 0;
  if (knobs & 1)
    batches.meanFile = config.path; // one record or an error
  auto reader = RecordReader::open(batches);
  if (!reader)
    return;
  for (int step = 0; step < 3; ++step)
    if (!reader->next())
      return;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2)
    return 0;
  const uint8_t kind = data[0], knobs = data[1];
  std::string body(reinterpret_cast<const char *>(data) + 2, size - 2);
  size_t split = body.size() * knobs / 256;

  StoreConfig config;
  switch (kind % 4) {
  case 0:
    config.backend = "kvfile";
    config.path = writeFile("data.bin", body);
    readEverything(config, knobs);
    break;
  case 1:
    config.backend = "textfile";
    config.path = writeFile("data.csv", body);
    config.hasLabel = kind & 4;
    config.separator = kind & 8 ? ";" : ",";
    readEverything(config, knobs);
    break;
  case 2:
    config.backend = "idx";
    config.path = writeFile("images", body.substr(0, split));
    config.labelPath = writeFile("labels", body.substr(split));
    config.hasLabel = kind & 4;
    readEverything(config, knobs);
    break;
  case 3: {
    CharRNNConfig rnn;
    rnn.vocabPath = writeFile("vocab.txt", body.substr(0, split));
    rnn.path = writeFile("input.txt", body.substr(split));
    rnn.batchSize = 1 + (kind >> 2) % 4;
    rnn.unrollLen = 1 + knobs % 8;
    auto reader = CharRNNReader::open(rnn);
    if (reader)
      for (int step = 0; step < 4; ++step)
        (void)reader->next();
    break;
  }
  }
  return 0;
}
