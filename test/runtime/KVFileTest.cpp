//===- KVFileTest.cpp - kvfile framing, records, writer, corruption -------===//
//
// Files are framed and encoded by hand here (little-endian lengths, protobuf
// wire bytes written out), so the reader and writer are checked against the
// format, not against each other.
//
//===----------------------------------------------------------------------===//
#include "DataTesting.h"

#include "runtime/data/KVFile.h"

#include <sys/stat.h>

using namespace strata::runtime;
using namespace strata::runtime::testing;

namespace {

// shape [2], label 3, data [1.5, -2] (packed floats, little-endian).
const std::string kFloatRecord = std::string("\x08\x02\x10\x03\x22\x08"
                                             "\x00\x00\xc0\x3f\x00\x00\x00\xc0",
                                             14);
// shape [1, 2], label 9, pixel bytes 0x00 0xff.
const std::string kPixelRecord =
    std::string("\x08\x01\x08\x02\x10\x09\x1a\x02\x00\xff", 10);

std::string errorOf(const std::string &path) {
  auto reader = KVFileReader::open(path);
  return reader ? std::string("(opened)") : reader.error().message();
}

TEST(KVFileTest, ReadsHandFramedFile) {
  TempDir dir;
  std::string path = dir.file("hand.bin");
  writeBytes(path, tuple("key0", kFloatRecord) + tuple("k1", kPixelRecord));
  auto reader = KVFileReader::open(path);
  ASSERT_TRUE(reader) << reader.error().message();
  ASSERT_EQ((*reader)->size(), 2);

  auto first = (*reader)->read(0);
  ASSERT_TRUE(first) << first.error().message();
  EXPECT_EQ(first->shape, std::vector<int64_t>({2}));
  EXPECT_EQ(first->label, std::optional<int32_t>(3));
  EXPECT_TRUE(first->pixel.empty());
  EXPECT_EQ(first->data, std::vector<float>({1.5f, -2.0f}));

  auto second = (*reader)->read(1);
  ASSERT_TRUE(second) << second.error().message();
  EXPECT_EQ(second->shape, std::vector<int64_t>({1, 2}));
  EXPECT_EQ(second->label, std::optional<int32_t>(9));
  ASSERT_EQ(second->numValues(), 2);
  EXPECT_EQ(second->value(0), 0.0f);
  EXPECT_EQ(second->value(1), 255.0f);

  auto key = (*reader)->key(1);
  ASSERT_TRUE(key);
  EXPECT_EQ(*key, "k1");
  // Reading out of order reads the same record.
  auto again = (*reader)->read(0);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->data, first->data);
}

TEST(KVFileTest, WriterWritesTheFormatBytes) {
  TempDir dir;
  std::string path = dir.file("out.bin");
  auto writer = KVFileWriter::create(path);
  ASSERT_TRUE(writer) << writer.error().message();
  Record labelOnly;
  labelOnly.label = 7;
  Record floats;
  floats.shape = {2};
  floats.label = 3;
  floats.data = {1.5f, -2.0f};
  ASSERT_TRUE(writer->append("k", labelOnly));
  ASSERT_TRUE(writer->append("key0", floats));
  ASSERT_TRUE(writer->commit());
  EXPECT_EQ(readBytes(path), tuple("k", std::string("\x10\x07", 2)) +
                                 tuple("key0", kFloatRecord));
}

TEST(KVFileTest, RoundTrip) {
  TempDir dir;
  std::string path = dir.file("round.bin");
  std::vector<Record> records(3);
  records[0].shape = {2, 2};
  records[0].label = 0;
  records[0].pixel = std::string("\x01\x02\x03\xfe", 4);
  records[1].label = -5;
  records[1].data = {0.25f, 1e30f, -7.0f};
  records[2].shape = {1};
  records[2].data = {42.0f}; // no label
  {
    auto writer = KVFileWriter::create(path);
    ASSERT_TRUE(writer);
    for (size_t i = 0; i < records.size(); ++i)
      ASSERT_TRUE(writer->append("r" + std::to_string(i), records[i]));
    ASSERT_TRUE(writer->commit());
  }
  auto reader = KVFileReader::open(path);
  ASSERT_TRUE(reader) << reader.error().message();
  ASSERT_EQ((*reader)->size(), 3);
  for (int64_t i = 0; i < 3; ++i) {
    auto record = (*reader)->read(i);
    ASSERT_TRUE(record) << record.error().message();
    EXPECT_EQ(record->shape, records[i].shape) << i;
    EXPECT_EQ(record->label, records[i].label) << i;
    EXPECT_EQ(record->pixel, records[i].pixel) << i;
    EXPECT_EQ(record->data, records[i].data) << i;
    EXPECT_EQ(*(*reader)->key(i), "r" + std::to_string(i));
  }
}

TEST(KVFileTest, FolderMeansShardDat) {
  TempDir dir;
  ASSERT_EQ(::mkdir(dir.file("shard").c_str(), 0755), 0);
  writeBytes(dir.file("shard/shard.dat"), tuple("a", kFloatRecord));
  auto reader = KVFileReader::open(dir.file("shard"));
  ASSERT_TRUE(reader) << reader.error().message();
  EXPECT_EQ((*reader)->size(), 1);
  EXPECT_EQ((*reader)->path(), dir.file("shard") + "/shard.dat");
  // A folder without shard.dat names the file it looked for.
  ASSERT_EQ(::mkdir(dir.file("none").c_str(), 0755), 0);
  EXPECT_NE(errorOf(dir.file("none")).find("none/shard.dat"),
            std::string::npos);
}

TEST(KVFileTest, WriterIsAtomic) {
  TempDir dir;
  std::string path = dir.file("atomic.bin");
  writeBytes(path, "old");
  {
    auto writer = KVFileWriter::create(path);
    ASSERT_TRUE(writer);
    Record record;
    record.label = 1;
    ASSERT_TRUE(writer->append("k", record));
    // Not committed: the old file stays.
    EXPECT_EQ(readBytes(path), "old");
  }
  EXPECT_EQ(readBytes(path), "old");
  // ... and no temporary file is left behind.
  int entries = 0;
  for ([[maybe_unused]] auto &entry :
       std::filesystem::directory_iterator(dir.path()))
    ++entries;
  EXPECT_EQ(entries, 1);
  // The file gets the permissions a new file gets, not mkstemp's 0600.
  {
    auto writer = KVFileWriter::create(path);
    ASSERT_TRUE(writer);
    ASSERT_TRUE(writer->commit());
  }
  mode_t mask = ::umask(0);
  ::umask(mask);
  struct stat info;
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0666 & ~mask);
}

TEST(KVFileTest, WriterReportsAMissingFolder) {
  TempDir dir;
  auto writer = KVFileWriter::create(dir.file("no/such/folder/out.bin"));
  ASSERT_FALSE(writer);
  EXPECT_NE(writer.error().message().find("no/such/folder/out.bin"),
            std::string::npos);
}

TEST(KVFileTest, MissingFile) {
  TempDir dir;
  std::string message = errorOf(dir.file("missing.bin"));
  EXPECT_NE(message.find("cannot open " + dir.file("missing.bin")),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("No such file"), std::string::npos) << message;
}

TEST(KVFileTest, EmptyFile) {
  TempDir dir;
  writeBytes(dir.file("empty.bin"), "");
  EXPECT_EQ(errorOf(dir.file("empty.bin")),
            dir.file("empty.bin") + ": empty file (no records)");
}

// Every cut of a three-tuple file: at a tuple boundary the file opens with
// the tuples before the cut; anywhere else it fails naming the cut tuple and
// its byte offset.
TEST(KVFileTest, TruncatedAtEveryOffset) {
  TempDir dir;
  std::vector<std::string> tuples = {tuple("key0", kFloatRecord),
                                     tuple("k1", kPixelRecord),
                                     tuple("", kFloatRecord)};
  std::string whole;
  std::vector<size_t> starts;
  for (const std::string &t : tuples) {
    starts.push_back(whole.size());
    whole += t;
  }
  std::string path = dir.file("cut.bin");
  for (size_t cut = 1; cut < whole.size(); ++cut) {
    writeBytes(path, whole.substr(0, cut));
    size_t index = 0;
    while (index + 1 < starts.size() && starts[index + 1] <= cut)
      ++index;
    auto reader = KVFileReader::open(path);
    if (cut == starts[index]) {
      ASSERT_TRUE(reader) << "cut " << cut << ": " << reader.error().message();
      EXPECT_EQ((*reader)->size(), static_cast<int64_t>(index));
      continue;
    }
    ASSERT_FALSE(reader) << "cut " << cut;
    std::string message = reader.error().message();
    std::string where = path + ": tuple " + std::to_string(index) +
                        " at byte offset " + std::to_string(starts[index]);
    EXPECT_EQ(message.rfind(where, 0), 0u) << "cut " << cut << ": " << message;
    size_t inTuple = cut - starts[index];
    size_t keyLength = index == 0 ? 4 : index == 1 ? 2 : 0;
    // A cut inside a length field says which; a cut inside a key or value
    // says its length exceeds what is left.
    const char *expected = inTuple < 8 ? "of the 8 bytes of its key length"
                           : inTuple < 8 + keyLength ? "key length"
                           : inTuple < 16 + keyLength
                               ? "of the 8 bytes of its value length"
                               : "value length";
    EXPECT_NE(message.find(expected), std::string::npos)
        << "cut " << cut << ": " << message;
  }
}

TEST(KVFileTest, FlippedLengthBytes) {
  TempDir dir;
  std::string whole = tuple("key0", kFloatRecord) + tuple("k1", kPixelRecord);
  std::string path = dir.file("flip.bin");

  // The high byte of tuple 0's key length.
  std::string bad = whole;
  bad[7] = '\x80';
  writeBytes(path, bad);
  EXPECT_EQ(errorOf(path),
            path + ": tuple 0 at byte offset 0: key length " +
                std::to_string((uint64_t(0x80) << 56) + 4) + " exceeds the " +
                std::to_string(whole.size() - 8) + " bytes left in the file");

  // The low byte of tuple 1's value length.
  size_t second = 16 + 4 + kFloatRecord.size();
  bad = whole;
  bad[second + 10] = '\x7f';
  writeBytes(path, bad);
  EXPECT_EQ(errorOf(path), path + ": tuple 1 at byte offset " +
                               std::to_string(second) +
                               ": value length 127 exceeds the " +
                               std::to_string(kPixelRecord.size()) +
                               " bytes left in the file");
}

TEST(KVFileTest, CorruptValue) {
  TempDir dir;
  std::string path = dir.file("value.bin");
  // Wire type 7 does not exist: no protobuf message parses from this.
  writeBytes(path, tuple("a", kFloatRecord) +
                       tuple("b", std::string("\x0f\xff\xff", 3)));
  auto reader = KVFileReader::open(path);
  ASSERT_TRUE(reader);
  EXPECT_TRUE((*reader)->read(0));
  auto record = (*reader)->read(1);
  ASSERT_FALSE(record);
  EXPECT_EQ(record.error().message(),
            path + ": record 1 (tuple at byte offset " +
                std::to_string(17 + kFloatRecord.size()) +
                "): not a valid record message");
}

TEST(KVFileTest, ShapeThatDoesNotHoldTheValues) {
  TempDir dir;
  std::string path = dir.file("shape.bin");
  // shape [2, 3] with two floats.
  writeBytes(path, tuple("a", std::string("\x08\x02\x08\x03\x22\x08"
                                          "\x00\x00\x80\x3f\x00\x00\x80\x3f",
                                          14)));
  auto reader = KVFileReader::open(path);
  ASSERT_TRUE(reader);
  auto record = (*reader)->read(0);
  ASSERT_FALSE(record);
  EXPECT_EQ(record.error().message(),
            path + ": record 0 (tuple at byte offset 0): its shape [2, 3] "
                   "does not hold its 2 values");
}

TEST(KVFileTest, PixelAndData) {
  TempDir dir;
  std::string path = dir.file("both.bin");
  writeBytes(path, tuple("a", std::string("\x1a\x01\x05\x22\x04"
                                          "\x00\x00\x80\x3f",
                                          9)));
  auto reader = KVFileReader::open(path);
  ASSERT_TRUE(reader);
  auto record = (*reader)->read(0);
  ASSERT_FALSE(record);
  EXPECT_NE(record.error().message().find("both pixel and data"),
            std::string::npos);
}

} // namespace
