//===- Feeds.cpp - Data feeds for an artifact's data inputs ---------------===//

#include "runtime/exec/Feeds.h"

#include "runtime/data/CharRNNReader.h"
#include "runtime/data/RecordReader.h"
#include "runtime/support/Error.h"

#include <fstream>

namespace strata::runtime {

namespace fb = artifact::fb;

namespace {

std::string str(const flatbuffers::String *s) { return s ? s->str() : ""; }

class RecordFeed : public DataFeed {
public:
  RecordFeed(RecordReader reader, std::string what, bool labels)
      : reader_(std::move(reader)), what_(std::move(what)), labels_(labels) {}

  std::vector<HostTensor> next() override {
    Expected<Batch> batch = reader_.next();
    if (!batch)
      throw RuntimeError(what_ + ": " + batch.error().message());
    std::vector<HostTensor> out;
    out.push_back(std::move(batch->data));
    if (labels_) {
      if (!batch->labels)
        throw RuntimeError(what_ + ": the records hold no labels");
      out.push_back(std::move(*batch->labels));
    }
    return out;
  }
  int64_t position() const override { return reader_.position(); }
  void seek(int64_t position) override { reader_.seek(position); }
  std::string describe() const override { return what_; }

private:
  RecordReader reader_;
  std::string what_;
  bool labels_;
};

class CharRNNFeed : public DataFeed {
public:
  CharRNNFeed(CharRNNReader reader, std::string what)
      : reader_(std::move(reader)), what_(std::move(what)) {}

  std::vector<HostTensor> next() override {
    std::vector<HostTensor> out;
    out.push_back(reader_.next());
    return out;
  }
  int64_t position() const override { return reader_.position(); }
  void seek(int64_t position) override { reader_.seek(position); }
  std::string describe() const override { return what_; }

private:
  CharRNNReader reader_;
  std::string what_;
};

} // namespace

bool isIdxFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char magic[4] = {1, 1, 1, 1};
  in.read(reinterpret_cast<char *>(magic), 4);
  if (!in)
    return false;
  if (magic[0] == 0x1f && magic[1] == 0x8b)
    return path.find("idx") != std::string::npos;
  bool type = magic[2] == 0x08 || magic[2] == 0x09 || magic[2] == 0x0B ||
              magic[2] == 0x0C || magic[2] == 0x0D || magic[2] == 0x0E;
  return magic[0] == 0 && magic[1] == 0 && type && magic[3] >= 1 &&
         magic[3] <= 4;
}

std::string idxLabelsFor(const std::string &imagesPath) {
  size_t slash = imagesPath.find_last_of('/');
  size_t start = slash == std::string::npos ? 0 : slash + 1;
  size_t at = imagesPath.find("images-idx", start);
  if (at == std::string::npos || at + 11 >= imagesPath.size() + 1)
    return "";
  std::string out = imagesPath;
  // "images-idxN" -> "labels-idx1".
  out.replace(at, 11, "labels-idx1");
  return out;
}

std::unique_ptr<DataFeed> openFeed(const fb::DataInput &input,
                                   const std::string &path,
                                   const PathResolver &resolve, uint64_t seed) {
  std::string what = "data input '" + input.name()->str() + "' (" +
                     fb::EnumNamePhase(input.phase()) + " phase, " + path + ")";
  const fb::DataSource *source = input.source();
  std::string kind = source ? str(source->kind()) : "";
  if (kind == "char_rnn") {
    const fb::TensorType *ids = input.outputs() && input.outputs()->size() == 1
                                    ? input.outputs()->Get(0)
                                    : nullptr;
    if (!ids || !ids->shape() || ids->shape()->size() != 2)
      throw RuntimeError(what + ": a char-RNN input needs one [unroll_len + "
                                "1, batch] output");
    CharRNNConfig config;
    config.path = path;
    config.vocabPath = resolve("vocab", str(source->vocab_path()));
    config.unrollLen = ids->shape()->Get(0) - 1;
    config.batchSize = ids->shape()->Get(1);
    Expected<CharRNNReader> reader = CharRNNReader::open(config);
    if (!reader)
      throw RuntimeError(what + ": " + reader.error().message());
    return std::make_unique<CharRNNFeed>(reader.take(), what);
  }
  if (kind != "record" && kind != "csv")
    throw RuntimeError("data input '" + input.name()->str() +
                       "': reading kind '" + kind +
                       "' is not supported by strata-run yet (record, csv, "
                       "char_rnn)");
  if (!input.outputs() || input.outputs()->size() == 0 ||
      !input.outputs()->Get(0)->shape() ||
      input.outputs()->Get(0)->shape()->size() == 0)
    throw RuntimeError(what + ": the artifact gives no batch shape");
  const fb::TensorType &data = *input.outputs()->Get(0);
  StoreConfig config;
  std::string backend = str(source->backend());
  config.backend = kind == "csv"     ? "textfile"
                   : backend.empty() ? "kvfile"
                                     : backend;
  config.path = path;
  std::string separator = str(source->separator());
  if (!separator.empty())
    config.separator = separator;
  std::string meanFile = str(source->mean_file());
  std::string stdFile = str(source->std_file());
  config.meanFile = meanFile.empty() ? "" : resolve("mean", meanFile);
  config.stdFile = stdFile.empty() ? "" : resolve("std", stdFile);
  config.meanValue = static_cast<float>(source->mean_value());
  config.stdValue = static_cast<float>(source->std_value());
  config.batchSize = data.shape()->Get(0);
  config.shape.assign(data.shape()->begin() + 1, data.shape()->end());
  config.randomSkip = source->random_skip();
  config.seed = seed;
  bool labels = input.outputs()->size() > 1;
  config.hasLabel = labels;
  if (isIdxFile(path)) {
    config.backend = "idx";
    if (labels) {
      config.labelPath = resolve("labels", idxLabelsFor(path));
      if (config.labelPath.empty())
        throw RuntimeError(what +
                           ": an idx images file; name its labels file "
                           "with --data " +
                           input.name()->str() + ".labels=PATH");
    }
  }
  Expected<RecordReader> reader = RecordReader::open(config);
  if (!reader)
    throw RuntimeError(what + ": " + reader.error().message());
  return std::make_unique<RecordFeed>(reader.take(), what, labels);
}

} // namespace strata::runtime
