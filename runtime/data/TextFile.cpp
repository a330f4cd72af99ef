//===- TextFile.cpp - textfile (CSV) data files ---------------------------===//
#include "runtime/data/TextFile.h"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace strata::runtime {

namespace {

std::string trim(const std::string &text) {
  size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string::npos)
    return "";
  size_t end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
}

} // namespace

Expected<std::unique_ptr<TextFileReader>>
TextFileReader::open(const std::string &path, const std::string &separator,
                     bool hasLabel) {
  if (separator.empty())
    return Error(path + ": the field separator is empty");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Error("cannot open " + path + ": " + std::strerror(errno));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad())
    return Error(path + ": read error");
  std::string contents = buffer.str();

  std::vector<Line> lines;
  size_t offset = 0;
  int64_t number = 1;
  while (offset < contents.size()) {
    size_t end = contents.find('\n', offset);
    if (end == std::string::npos)
      end = contents.size();
    if (!trim(contents.substr(offset, end - offset)).empty())
      lines.push_back({offset, end - offset, number});
    offset = end + 1;
    ++number;
  }
  if (lines.empty())
    return Error(path + ": empty file (no records)");
  return std::unique_ptr<TextFileReader>(new TextFileReader(
      path, separator, hasLabel, std::move(contents), std::move(lines)));
}

std::string TextFileReader::describe(int64_t index) const {
  return "record " + std::to_string(index) + " (line " +
         std::to_string(lines_.at(static_cast<size_t>(index)).number) + ")";
}

Expected<Record> TextFileReader::read(int64_t index) {
  const Line &line = lines_.at(static_cast<size_t>(index));
  std::string text = contents_.substr(line.offset, line.length);
  std::vector<std::string> fields;
  size_t start = 0;
  while (true) {
    size_t end = text.find(separator_, start);
    fields.push_back(trim(text.substr(
        start, end == std::string::npos ? std::string::npos : end - start)));
    if (end == std::string::npos)
      break;
    start = end + separator_.size();
  }

  auto fieldError = [&](size_t field, const std::string &what) {
    return Error(path_ + ": " + describe(index) + ", field " +
                 std::to_string(field + 1) + ": '" + fields[field] + "' " +
                 what);
  };
  Record record;
  size_t first = 0;
  if (hasLabel_) {
    const std::string &field = fields[0];
    char *end = nullptr;
    errno = 0;
    long long label = std::strtoll(field.c_str(), &end, 10);
    if (field.empty() || *end != '\0')
      return fieldError(0, "is not an integer label");
    if (errno == ERANGE || label < INT32_MIN || label > INT32_MAX)
      return fieldError(0, "is out of the int32 range of labels");
    record.label = static_cast<int32_t>(label);
    first = 1;
  }
  for (size_t i = first; i < fields.size(); ++i) {
    const std::string &field = fields[i];
    char *end = nullptr;
    float value = std::strtof(field.c_str(), &end);
    if (field.empty() || *end != '\0')
      return fieldError(i, "is not a number");
    record.data.push_back(value);
  }
  return record;
}

} // namespace strata::runtime
