//===- TextFileTest.cpp - textfile (CSV) records --------------------------===//
#include "DataTesting.h"

#include "runtime/data/RecordReader.h"
#include "runtime/data/TextFile.h"

using namespace strata::runtime;
using namespace strata::runtime::testing;

namespace {

TEST(TextFileTest, LabelFirst) {
  TempDir dir;
  std::string path = dir.file("data.csv");
  writeBytes(path, "3,1.5,2\n\n1, -2 ,0.25\r\n  \n-4,1e3,0");
  auto reader = TextFileReader::open(path);
  ASSERT_TRUE(reader) << reader.error().message();
  ASSERT_EQ((*reader)->size(), 3); // blank lines are not records
  auto record = (*reader)->read(1);
  ASSERT_TRUE(record) << record.error().message();
  EXPECT_EQ(record->label, std::optional<int32_t>(1));
  EXPECT_EQ(record->data, std::vector<float>({-2.0f, 0.25f}));
  EXPECT_TRUE(record->shape.empty());
  EXPECT_EQ((*reader)->describe(1), "record 1 (line 3)");
  record = (*reader)->read(2);
  ASSERT_TRUE(record);
  EXPECT_EQ(record->label, std::optional<int32_t>(-4));
  EXPECT_EQ(record->data, std::vector<float>({1000.0f, 0.0f}));
  EXPECT_EQ((*reader)->describe(2), "record 2 (line 5)");
}

TEST(TextFileTest, SeparatorWithoutLabel) {
  TempDir dir;
  std::string path = dir.file("data.txt");
  writeBytes(path, "1;2;3\n4;5;6\n");
  auto reader = TextFileReader::open(path, ";", false);
  ASSERT_TRUE(reader);
  auto record = (*reader)->read(1);
  ASSERT_TRUE(record);
  EXPECT_FALSE(record->label);
  EXPECT_EQ(record->data, std::vector<float>({4, 5, 6}));
}

TEST(TextFileTest, ThroughTheRecordReader) {
  TempDir dir;
  std::string path = dir.file("data.csv");
  writeBytes(path, "0,1,2\n1,3,4\n2,5,6\n");
  StoreConfig config;
  config.backend = "textfile";
  config.path = path;
  config.batchSize = 2;
  config.meanValue = 1;
  config.stdValue = 2;
  auto reader = RecordReader::open(config);
  ASSERT_TRUE(reader) << reader.error().message();
  EXPECT_EQ(reader->shape(), std::vector<int64_t>({2}));
  ASSERT_TRUE(reader->next());
  auto batch = reader->next(); // records 2, 0
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->labels->data<int32_t>()[0], 2);
  EXPECT_EQ(batch->labels->data<int32_t>()[1], 0);
  const float *x = batch->data.data<float>();
  EXPECT_FLOAT_EQ(x[0], 2.0f); // (5-1)/2
  EXPECT_FLOAT_EQ(x[1], 2.5f); // (6-1)/2
  EXPECT_FLOAT_EQ(x[2], 0.0f); // (1-1)/2
  EXPECT_FLOAT_EQ(x[3], 0.5f); // (2-1)/2
}

TEST(TextFileTest, Errors) {
  TempDir dir;
  std::string path = dir.file("bad.csv");
  auto readError = [&](const std::string &contents, int64_t index) {
    writeBytes(path, contents);
    auto reader = TextFileReader::open(path);
    if (!reader)
      return reader.error().message();
    auto record = (*reader)->read(index);
    return record ? std::string("(read)") : record.error().message();
  };
  EXPECT_EQ(readError("", 0), path + ": empty file (no records)");
  EXPECT_EQ(readError("\n \n", 0), path + ": empty file (no records)");
  EXPECT_EQ(readError("1,2\n\nx,3\n", 1),
            path + ": record 1 (line 3), field 1: 'x' is not an integer label");
  EXPECT_EQ(readError("1.5,2\n", 0),
            path + ": record 0 (line 1), field 1: '1.5' is not an integer "
                   "label");
  EXPECT_EQ(readError("1,2,abc\n", 0),
            path + ": record 0 (line 1), field 3: 'abc' is not a number");
  EXPECT_EQ(readError("1,2,,3\n", 0),
            path + ": record 0 (line 1), field 3: '' is not a number");
  EXPECT_EQ(readError("99999999999,1\n", 0),
            path + ": record 0 (line 1), field 1: '99999999999' is out of "
                   "the int32 range of labels");

  // Records of another length than the first.
  writeBytes(path, "0,1,2\n1,3\n");
  StoreConfig config;
  config.backend = "textfile";
  config.path = path;
  config.batchSize = 2;
  auto batch = RecordReader::open(config)->next();
  ASSERT_FALSE(batch);
  EXPECT_EQ(batch.error().message(),
            path + ": record 1 (line 2): shape [1] (1 values) does not match "
                   "the expected shape [2] (2 values)");
  config.path = dir.file("missing.csv");
  auto reader = RecordReader::open(config);
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().message().rfind(
                "cannot open " + dir.file("missing.csv"), 0),
            0u);
}

} // namespace
