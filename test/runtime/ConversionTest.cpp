//===- ConversionTest.cpp - kvfile writing, mean images, summaries --------===//
#include "DataTesting.h"

#include "runtime/data/Conversion.h"
#include "runtime/data/HostTensor.h"
#include "runtime/data/KVFile.h"
#include "runtime/data/TextFile.h"

using namespace strata::runtime;
using namespace strata::runtime::testing;

namespace {

TEST(ConversionTest, RecordKey) {
  EXPECT_EQ(recordKey(0), "00000000");
  EXPECT_EQ(recordKey(1234), "00001234");
  EXPECT_EQ(recordKey(123456789), "123456789");
}

TEST(ConversionTest, CsvToKVFileMeanAndSummary) {
  TempDir dir;
  writeBytes(dir.file("data.csv"), "1,1,2,3\n0,3,4,5\n1,-1,0,10\n");
  auto text = TextFileReader::open(dir.file("data.csv"));
  ASSERT_TRUE(text);
  auto written = writeKVFile(**text, dir.file("data.bin"));
  ASSERT_TRUE(written) << written.error().message();
  EXPECT_EQ(*written, 3);

  auto kv = KVFileReader::open(dir.file("data.bin"));
  ASSERT_TRUE(kv) << kv.error().message();
  ASSERT_EQ((*kv)->size(), 3);
  auto record = (*kv)->read(1);
  ASSERT_TRUE(record);
  EXPECT_EQ(record->label, std::optional<int32_t>(0));
  EXPECT_EQ(record->data, std::vector<float>({3, 4, 5}));
  EXPECT_EQ(*(*kv)->key(2), "00000002");

  // (1+3-1)/3, (2+4+0)/3, (3+5+10)/3.
  auto mean = computeMeanRecord(**kv);
  ASSERT_TRUE(mean) << mean.error().message();
  EXPECT_EQ(mean->shape, std::vector<int64_t>({3}));
  EXPECT_FALSE(mean->label);
  ASSERT_EQ(mean->data.size(), 3u);
  EXPECT_FLOAT_EQ(mean->data[0], 1.0f);
  EXPECT_FLOAT_EQ(mean->data[1], 2.0f);
  EXPECT_FLOAT_EQ(mean->data[2], 6.0f);

  auto summary = summarize(**kv);
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->records, 3);
  EXPECT_EQ(summary->shapes.size(), 1u);
  EXPECT_EQ(summary->shapes[std::vector<int64_t>({3})], 3);
  EXPECT_EQ(summary->floatRecords, 3);
  EXPECT_EQ(summary->pixelRecords, 0);
  EXPECT_EQ(summary->minValue, -1.0f);
  EXPECT_EQ(summary->maxValue, 10.0f);
  EXPECT_EQ(summary->labels, (std::map<int32_t, int64_t>{{0, 1}, {1, 2}}));
  EXPECT_EQ(summary->unlabeled, 0);
}

TEST(ConversionTest, MeanOfRecordsOfDifferentSizes) {
  TempDir dir;
  writeBytes(dir.file("data.csv"), "1,1,2\n0,3\n");
  auto text = TextFileReader::open(dir.file("data.csv"));
  ASSERT_TRUE(text);
  auto mean = computeMeanRecord(**text);
  ASSERT_FALSE(mean);
  EXPECT_EQ(mean.error().message(),
            dir.file("data.csv") + ": record 1 (line 2): shape [1] (1 values) "
                                   "differs from record 0's [2] (2 values)");
}

TEST(ConversionTest, FailedConversionLeavesNoFile) {
  TempDir dir;
  writeBytes(dir.file("data.csv"), "1,1\n0,x\n");
  auto text = TextFileReader::open(dir.file("data.csv"));
  ASSERT_TRUE(text);
  auto written = writeKVFile(**text, dir.file("out.bin"));
  ASSERT_FALSE(written);
  EXPECT_NE(written.error().message().find("'x' is not a number"),
            std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir.file("out.bin")));
  int entries = 0;
  for ([[maybe_unused]] auto &entry :
       std::filesystem::directory_iterator(dir.path()))
    ++entries;
  EXPECT_EQ(entries, 1); // data.csv only: no temporary file left
}

TEST(HostTensorTest, ShapeSizeAndZeroes) {
  HostTensor tensor(DType::I64, {2, 3});
  EXPECT_EQ(tensor.numElements(), 6);
  EXPECT_EQ(tensor.byteSize(), 48u);
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(tensor.data<int64_t>()[i], 0);
  EXPECT_STREQ(dtypeName(tensor.dtype()), "i64");
  HostTensor scalar(DType::F32, {});
  EXPECT_EQ(scalar.numElements(), 1);
  EXPECT_EQ(scalar.byteSize(), 4u);
  EXPECT_EQ(formatShape({}), "[]");
  EXPECT_EQ(formatShape({4, 1}), "[4, 1]");
  HostTensor empty;
  EXPECT_EQ(empty.numElements(), 0);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(tensor.raw()) % 8, 0u);
}

} // namespace
