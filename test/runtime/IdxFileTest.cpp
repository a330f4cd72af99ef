//===- IdxFileTest.cpp - idx files written byte by byte -------------------===//
#include "DataTesting.h"

#include "runtime/data/IdxFile.h"
#include "runtime/data/RecordReader.h"

#include <zlib.h>

using namespace strata::runtime;
using namespace strata::runtime::testing;

namespace {

std::string magic(uint8_t type, uint8_t rank) {
  return std::string("\0\0", 2) + char(type) + char(rank);
}

// Images u8 [3, 2, 2]: image i holds 10 i + 0..3. Labels u8 [3]: 7, 0, 9.
std::string images() {
  std::string bytes = magic(0x08, 3) + be32(3) + be32(2) + be32(2);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 4; ++j)
      bytes.push_back(char(10 * i + j));
  return bytes;
}
std::string labels() {
  return magic(0x08, 1) + be32(3) + std::string("\x07\x00\x09", 3);
}

std::string gzip(const std::string &path, const std::string &bytes) {
  gzFile file = gzopen(path.c_str(), "wb");
  gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(file);
  return path;
}

std::string readError(const std::string &path) {
  auto array = readIdxFile(path);
  return array ? std::string("(read)") : array.error().message();
}

void expectFashionLikeRecords(IdxReader &reader) {
  ASSERT_EQ(reader.size(), 3);
  const int32_t expectedLabels[] = {7, 0, 9};
  for (int i = 0; i < 3; ++i) {
    auto record = reader.read(i);
    ASSERT_TRUE(record) << record.error().message();
    EXPECT_EQ(record->shape, std::vector<int64_t>({2, 2}));
    EXPECT_EQ(record->label, std::optional<int32_t>(expectedLabels[i]));
    ASSERT_EQ(record->pixel.size(), 4u); // u8 stays bytes
    for (int j = 0; j < 4; ++j)
      EXPECT_EQ(record->value(j), float(10 * i + j));
  }
}

TEST(IdxFileTest, ImagesAndLabels) {
  TempDir dir;
  writeBytes(dir.file("images"), images());
  writeBytes(dir.file("labels"), labels());
  auto reader = IdxReader::open(dir.file("images"), dir.file("labels"));
  ASSERT_TRUE(reader) << reader.error().message();
  expectFashionLikeRecords(**reader);
}

TEST(IdxFileTest, Gzip) {
  TempDir dir;
  auto reader = IdxReader::open(gzip(dir.file("images.gz"), images()),
                                gzip(dir.file("labels.gz"), labels()));
  ASSERT_TRUE(reader) << reader.error().message();
  expectFashionLikeRecords(**reader);
}

TEST(IdxFileTest, WiderTypesAreBigEndian) {
  TempDir dir;
  // f32 [1, 2]: 1.5 = 0x3fc00000, -2 = 0xc0000000.
  writeBytes(dir.file("f32"), magic(0x0d, 2) + be32(1) + be32(2) +
                                  std::string("\x3f\xc0\0\0\xc0\0\0\0", 8));
  // i16 [1, 2]: -2, 256.
  writeBytes(dir.file("i16"), magic(0x0b, 2) + be32(1) + be32(2) +
                                  std::string("\xff\xfe\x01\x00", 4));
  // i32 labels [1]: -1.
  writeBytes(dir.file("i32"),
             magic(0x0c, 1) + be32(1) + std::string("\xff\xff\xff\xff", 4));
  // f64 [1]: 0.25 = 0x3fd0000000000000.
  writeBytes(dir.file("f64"),
             magic(0x0e, 1) + be32(1) + std::string("\x3f\xd0\0\0\0\0\0\0", 8));

  auto reader = IdxReader::open(dir.file("f32"), dir.file("i32"));
  ASSERT_TRUE(reader) << reader.error().message();
  auto record = (*reader)->read(0);
  ASSERT_TRUE(record);
  EXPECT_TRUE(record->pixel.empty());
  EXPECT_EQ(record->data, std::vector<float>({1.5f, -2.0f}));
  EXPECT_EQ(record->label, std::optional<int32_t>(-1));

  reader = IdxReader::open(dir.file("i16"), "");
  ASSERT_TRUE(reader);
  record = (*reader)->read(0);
  EXPECT_EQ(record->data, std::vector<float>({-2.0f, 256.0f}));
  EXPECT_FALSE(record->label);

  auto f64 = readIdxFile(dir.file("f64"));
  ASSERT_TRUE(f64);
  EXPECT_EQ(f64->element(0), 0.25);
}

TEST(IdxFileTest, ThroughTheRecordReader) {
  TempDir dir;
  writeBytes(dir.file("images"), images());
  writeBytes(dir.file("labels"), labels());
  StoreConfig config;
  config.backend = "idx";
  config.path = dir.file("images");
  config.labelPath = dir.file("labels");
  config.batchSize = 2;
  config.shape = {4};
  config.meanValue = 10;
  config.stdValue = 2;
  auto reader = RecordReader::open(config);
  ASSERT_TRUE(reader) << reader.error().message();
  ASSERT_TRUE(reader->next());
  auto batch = reader->next(); // records 2, 0
  ASSERT_TRUE(batch);
  EXPECT_EQ(batch->labels->data<int32_t>()[0], 9);
  EXPECT_EQ(batch->labels->data<int32_t>()[1], 7);
  const float *x = batch->data.data<float>();
  // Record 2: (20 + j - 10) / 2; record 0: (j - 10) / 2.
  for (int j = 0; j < 4; ++j) {
    EXPECT_FLOAT_EQ(x[j], (10 + j) / 2.0f);
    EXPECT_FLOAT_EQ(x[4 + j], (j - 10) / 2.0f);
  }
}

TEST(IdxFileTest, Errors) {
  TempDir dir;
  std::string path = dir.file("bad");
  writeBytes(path, "");
  EXPECT_EQ(readError(path), path + ": empty file");
  writeBytes(path, "\x01\x00\x08\x01" + be32(1) + "x");
  EXPECT_EQ(readError(path), path + ": not an idx file (it does not start "
                                    "with the magic bytes 0x00 0x00 <type> "
                                    "<rank>)");
  writeBytes(path, magic(0x0a, 1) + be32(1) + "x");
  EXPECT_EQ(readError(path), path + ": unknown idx element type 0x0a");
  writeBytes(path, magic(0x08, 3) + be32(3));
  EXPECT_EQ(readError(path), path + ": truncated header: rank 3 needs 16 "
                                    "bytes, the file has 8");
  writeBytes(path, images().substr(0, 26));
  EXPECT_EQ(readError(path), path + ": sizes [3, 2, 2] need 12 bytes of "
                                    "elements after the 16-byte header; the "
                                    "file has 10 (truncated)");
  writeBytes(path, images() + "x");
  EXPECT_EQ(readError(path), path + ": sizes [3, 2, 2] need 12 bytes of "
                                    "elements after the 16-byte header; the "
                                    "file has 13");
  writeBytes(path, magic(0x08, 2) + be32(0) + be32(4));
  EXPECT_EQ(readError(path), path + ": empty file (no records)");
  // 2^27 records of no values in 16 bytes (found by the fuzzer: a hang).
  writeBytes(path, magic(0x08, 3) + be32(0x08000004) + be32(0) + be32(7));
  EXPECT_EQ(readError(path),
            path + ": sizes [134217732, 0, 7]: records hold no values");
  writeBytes(path, magic(0x08, 0));
  EXPECT_EQ(readError(path), path + ": idx rank 0 (no record dimension)");
  // Sizes whose product overflows.
  writeBytes(path, magic(0x08, 3) + be32(0xffffffff) + be32(0xffffffff) +
                       be32(0xffffffff));
  EXPECT_NE(readError(path).find("need more bytes"), std::string::npos);
  EXPECT_EQ(
      readError(dir.file("missing"))
          .rfind("cannot open " + dir.file("missing") + ": No such file", 0),
      0u);

  // A gzip file cut short.
  std::string compressed = readBytes(gzip(dir.file("whole.gz"), images()));
  writeBytes(dir.file("cut.gz"), compressed.substr(0, compressed.size() / 2));
  std::string message = readError(dir.file("cut.gz"));
  EXPECT_EQ(message.rfind(dir.file("cut.gz") + ": ", 0), 0u) << message;
  EXPECT_NE(message, "(read)");

  // Labels that do not fit the images.
  writeBytes(dir.file("images"), images());
  writeBytes(dir.file("two"), magic(0x08, 1) + be32(2) + "\x01\x02");
  auto reader = IdxReader::open(dir.file("images"), dir.file("two"));
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().message(), dir.file("two") +
                                          ": 2 labels for the 3 records of " +
                                          dir.file("images"));
  writeBytes(dir.file("float"),
             magic(0x0d, 1) + be32(3) + std::string(12, '\0'));
  reader = IdxReader::open(dir.file("images"), dir.file("float"));
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().message(),
            dir.file("float") + ": labels must be a rank-1 idx file of an "
                                "integer type; it has sizes [3] and float "
                                "elements");
}

} // namespace
