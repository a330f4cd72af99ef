//===- RecordReaderTest.cpp - Batching, wrap-around, skip, normalisation --===//
#include "DataTesting.h"

#include "runtime/data/KVFile.h"
#include "runtime/data/RecordReader.h"

#include <random>
#include <set>

using namespace strata::runtime;
using namespace strata::runtime::testing;

namespace {

/// Writes `records` as a kvfile at `path`.
void writeRecords(const std::string &path, const std::vector<Record> &records) {
  auto writer = KVFileWriter::create(path);
  ASSERT_TRUE(writer) << writer.error().message();
  for (size_t i = 0; i < records.size(); ++i)
    ASSERT_TRUE(writer->append(std::to_string(i), records[i]));
  ASSERT_TRUE(writer->commit());
}

/// Record i: data [i, 10 i], shape [2], label i.
std::vector<Record> countingRecords(int count) {
  std::vector<Record> records(count);
  for (int i = 0; i < count; ++i) {
    records[i].shape = {2};
    records[i].label = i;
    records[i].data = {float(i), float(10 * i)};
  }
  return records;
}

StoreConfig configFor(const std::string &path, int64_t batchSize) {
  StoreConfig config;
  config.path = path;
  config.batchSize = batchSize;
  return config;
}

std::vector<int32_t> labelsOf(const Batch &batch) {
  const int32_t *labels = batch.labels->data<int32_t>();
  return std::vector<int32_t>(labels, labels + batch.labels->numElements());
}

std::string openError(const StoreConfig &config) {
  auto reader = RecordReader::open(config);
  return reader ? std::string("(opened)") : reader.error().message();
}

TEST(RecordReaderTest, BatchesWrapAroundTheFile) {
  TempDir dir;
  std::string path = dir.file("five.bin");
  writeRecords(path, countingRecords(5));
  auto reader = RecordReader::open(configFor(path, 3));
  ASSERT_TRUE(reader) << reader.error().message();
  EXPECT_EQ(reader->numRecords(), 5);
  EXPECT_EQ(reader->shape(), std::vector<int64_t>({2}));

  const std::vector<std::vector<int32_t>> expected = {
      {0, 1, 2}, {3, 4, 0}, {1, 2, 3}, {4, 0, 1}};
  for (const auto &labels : expected) {
    auto batch = reader->next();
    ASSERT_TRUE(batch) << batch.error().message();
    EXPECT_EQ(batch->data.shape(), std::vector<int64_t>({3, 2}));
    EXPECT_EQ(batch->data.dtype(), DType::F32);
    EXPECT_EQ(batch->labels->shape(), std::vector<int64_t>({3}));
    EXPECT_EQ(batch->labels->dtype(), DType::I32);
    EXPECT_EQ(labelsOf(*batch), labels);
    const float *data = batch->data.data<float>();
    for (int b = 0; b < 3; ++b) {
      EXPECT_EQ(data[2 * b], float(labels[b]));
      EXPECT_EQ(data[2 * b + 1], float(10 * labels[b]));
    }
  }
  EXPECT_EQ(reader->position(), 2);
}

TEST(RecordReaderTest, BatchLargerThanTheFile) {
  TempDir dir;
  std::string path = dir.file("two.bin");
  writeRecords(path, countingRecords(2));
  auto reader = RecordReader::open(configFor(path, 5));
  ASSERT_TRUE(reader);
  auto batch = reader->next();
  ASSERT_TRUE(batch);
  EXPECT_EQ(labelsOf(*batch), std::vector<int32_t>({0, 1, 0, 1, 0}));
}

// The start record is the first std::mt19937_64 output for the seed, modulo
// random_skip, modulo the record count. std::mt19937_64's first output for
// its default seed 5489 is 14514284786278117030 (a published value).
TEST(RecordReaderTest, RandomSkip) {
  TempDir dir;
  std::string path = dir.file("hundred.bin");
  writeRecords(path, countingRecords(100));
  StoreConfig config = configFor(path, 2);
  config.randomSkip = 1000;
  config.seed = 5489;
  auto reader = RecordReader::open(config);
  ASSERT_TRUE(reader) << reader.error().message();
  // 14514284786278117030 % 1000 = 30; 30 % 100 = 30.
  EXPECT_EQ(reader->position(), 30);
  auto batch = reader->next();
  ASSERT_TRUE(batch);
  EXPECT_EQ(labelsOf(*batch), std::vector<int32_t>({30, 31}));

  // random_skip 70 over 100 records: 14514284786278117030 % 70 = 50.
  config.randomSkip = 70;
  EXPECT_EQ(RecordReader::open(config)->position(), 50);

  // Same seed, same start; every start is below random_skip; several seeds
  // give several starts.
  config.randomSkip = 50;
  std::set<int64_t> starts;
  for (uint64_t seed = 0; seed < 20; ++seed) {
    config.seed = seed;
    int64_t first = RecordReader::open(config)->position();
    EXPECT_EQ(RecordReader::open(config)->position(), first);
    EXPECT_LT(first, 50);
    EXPECT_EQ(first, int64_t(std::mt19937_64(seed)() % 50));
    starts.insert(first);
  }
  EXPECT_GT(starts.size(), 5u);

  // random_skip 1 skips nothing.
  config.randomSkip = 1;
  EXPECT_EQ(RecordReader::open(config)->position(), 0);
}

TEST(RecordReaderTest, RandomSkipBeyondTheFileWraps) {
  TempDir dir;
  std::string path = dir.file("seven.bin");
  writeRecords(path, countingRecords(7));
  StoreConfig config = configFor(path, 1);
  config.randomSkip = 1000;
  config.seed = 5489;
  // 14514284786278117030 % 1000 = 30; 30 % 7 = 2.
  EXPECT_EQ(RecordReader::open(config)->position(), 2);
}

TEST(RecordReaderTest, MeanAndStdValues) {
  TempDir dir;
  std::string path = dir.file("pixels.bin");
  Record record;
  record.shape = {4};
  record.label = 1;
  record.pixel = std::string("\x00\xff\x80\x40", 4); // 0, 255, 128, 64
  writeRecords(path, {record});
  StoreConfig config = configFor(path, 1);
  config.meanValue = 127.5f;
  config.stdValue = 127.5f;
  auto reader = RecordReader::open(config);
  ASSERT_TRUE(reader);
  auto batch = reader->next();
  ASSERT_TRUE(batch);
  const float *x = batch->data.data<float>();
  // (x - 127.5) / 127.5 by hand.
  EXPECT_FLOAT_EQ(x[0], -1.0f);
  EXPECT_FLOAT_EQ(x[1], 1.0f);
  EXPECT_NEAR(x[2], 0.5 / 127.5, 1e-7);
  EXPECT_NEAR(x[3], -63.5 / 127.5, 1e-7);
}

TEST(RecordReaderTest, MeanAndStdFiles) {
  TempDir dir;
  Record record;
  record.shape = {3};
  record.label = 0;
  record.data = {5, 6, 7};
  writeRecords(dir.file("data.bin"), {record});
  Record mean;
  mean.shape = {3};
  mean.data = {1, 2, 3};
  writeRecords(dir.file("mean.bin"), {mean});
  Record deviation;
  deviation.data = {2, 4, 0.5};
  writeRecords(dir.file("std.bin"), {deviation});

  StoreConfig config = configFor(dir.file("data.bin"), 1);
  config.meanFile = dir.file("mean.bin");
  config.stdFile = dir.file("std.bin");
  // The files win over the values.
  config.meanValue = 100;
  config.stdValue = 100;
  auto reader = RecordReader::open(config);
  ASSERT_TRUE(reader) << reader.error().message();
  auto batch = reader->next();
  ASSERT_TRUE(batch);
  const float *x = batch->data.data<float>();
  // (5-1)/2, (6-2)/4, (7-3)/0.5.
  EXPECT_FLOAT_EQ(x[0], 2.0f);
  EXPECT_FLOAT_EQ(x[1], 1.0f);
  EXPECT_FLOAT_EQ(x[2], 8.0f);

  // A mean file alone, with std_value.
  config.stdFile.clear();
  config.stdValue = 2;
  batch = RecordReader::open(config)->next();
  ASSERT_TRUE(batch);
  x = batch->data.data<float>();
  EXPECT_FLOAT_EQ(x[0], 2.0f);
  EXPECT_FLOAT_EQ(x[1], 2.0f);
  EXPECT_FLOAT_EQ(x[2], 2.0f);
}

TEST(RecordReaderTest, BadMeanAndStdFiles) {
  TempDir dir;
  writeRecords(dir.file("data.bin"), countingRecords(2));
  writeRecords(dir.file("two.bin"), countingRecords(2));
  Record three;
  three.data = {1, 2, 3};
  writeRecords(dir.file("three.bin"), {three});
  Record zero;
  zero.data = {1, 0};
  writeRecords(dir.file("zero.bin"), {zero});

  StoreConfig config = configFor(dir.file("data.bin"), 1);
  config.meanFile = dir.file("two.bin");
  EXPECT_EQ(openError(config), "mean_file " + dir.file("two.bin") +
                                   " holds 2 records; expected one (the "
                                   "image)");
  config.meanFile = dir.file("three.bin");
  EXPECT_EQ(openError(config), "mean_file " + dir.file("three.bin") +
                                   ": its image has 3 values; records of "
                                   "shape [2] have 2");
  config.meanFile = dir.file("missing.bin");
  EXPECT_EQ(openError(config).rfind(
                "mean_file: cannot open " + dir.file("missing.bin"), 0),
            0u);
  config.meanFile.clear();
  config.stdFile = dir.file("zero.bin");
  EXPECT_EQ(openError(config),
            "std_file " + dir.file("zero.bin") + ": element 1 is 0");
  config.stdFile.clear();
  config.stdValue = 0;
  EXPECT_EQ(openError(config), "store_conf: std_value is 0");
}

TEST(RecordReaderTest, ShapeMismatch) {
  TempDir dir;
  std::string path = dir.file("shapes.bin");
  std::vector<Record> records = countingRecords(3);
  records[1].shape = {2, 3};
  records[1].data = {1, 2, 3, 4, 5, 6};
  writeRecords(path, records);
  StoreConfig config = configFor(path, 3);
  config.shape = {2};
  auto reader = RecordReader::open(config);
  ASSERT_TRUE(reader);
  auto batch = reader->next();
  ASSERT_FALSE(batch);
  EXPECT_EQ(batch.error().message(),
            // Tuple 0 is 16 + 1 (key "0") + 14 (08 02, 10 00, 22 08 + 8).
            path + ": record 1 (tuple at byte offset 31): shape [2, 3] (6 "
                   "values) does not match the expected shape [2] (2 "
                   "values)");
  // The position is unchanged by a failed batch.
  EXPECT_EQ(reader->position(), 0);
}

TEST(RecordReaderTest, SameCountDifferentStoredShapeMatches) {
  TempDir dir;
  std::string path = dir.file("image.bin");
  Record record;
  record.shape = {2, 2};
  record.label = 4;
  record.pixel = std::string("\x01\x02\x03\x04", 4);
  writeRecords(path, {record});
  StoreConfig config = configFor(path, 2);
  config.shape = {4};
  auto batch = RecordReader::open(config)->next();
  ASSERT_TRUE(batch) << batch.error().message();
  EXPECT_EQ(batch->data.shape(), std::vector<int64_t>({2, 4}));
  EXPECT_EQ(batch->data.data<float>()[7], 4.0f);
  // Without a configured shape, record 0's stored shape is used.
  config.shape.clear();
  auto reader = RecordReader::open(config);
  EXPECT_EQ(reader->shape(), std::vector<int64_t>({2, 2}));
  EXPECT_EQ(reader->next()->data.shape(), std::vector<int64_t>({2, 2, 2}));
}

TEST(RecordReaderTest, Labels) {
  TempDir dir;
  std::string path = dir.file("labels.bin");
  std::vector<Record> records = countingRecords(4);
  records[3].label = std::nullopt;
  writeRecords(path, records);

  StoreConfig config = configFor(path, 3);
  config.numLabels = 2;
  auto batch = RecordReader::open(config)->next();
  ASSERT_FALSE(batch);
  EXPECT_NE(batch.error().message().find(": record 2 (tuple at byte offset "),
            std::string::npos);
  EXPECT_NE(batch.error().message().find("): label 2 is outside [0, 2)"),
            std::string::npos)
      << batch.error().message();

  config.numLabels = 0;
  config.batchSize = 4;
  batch = RecordReader::open(config)->next();
  ASSERT_FALSE(batch);
  EXPECT_NE(batch.error().message().find("record 3"), std::string::npos);
  EXPECT_NE(batch.error().message().find("no label"), std::string::npos);

  // Without labels: no label tensor, unlabeled records are fine.
  config.hasLabel = false;
  batch = RecordReader::open(config)->next();
  ASSERT_TRUE(batch);
  EXPECT_FALSE(batch->labels);
}

TEST(RecordReaderTest, ConfigErrors) {
  TempDir dir;
  std::string path = dir.file("one.bin");
  writeRecords(path, countingRecords(1));
  StoreConfig config = configFor(path, 0);
  EXPECT_EQ(openError(config), "store_conf: batchsize must be positive, not 0");
  config.batchSize = 1;
  config.backend = "lmdb";
  EXPECT_EQ(openError(config), "store_conf: unknown backend 'lmdb' (expected "
                               "kvfile, textfile or idx)");
  config.backend = "kvfile";
  config.shape = {2, 0};
  EXPECT_EQ(openError(config),
            "store_conf: shape [2, 0] has a size that is not positive");
  config.shape.clear();
  config.path = dir.file("missing.bin");
  EXPECT_EQ(
      openError(config).rfind("cannot open " + dir.file("missing.bin"), 0), 0u);
  config.backend = "idx";
  EXPECT_EQ(openError(config),
            "store_conf: the idx backend needs a labels file");
}

} // namespace
