//===- strata-data.cpp - Convert and inspect data files -------------------===//
//
// strata-data convert | mean | info | dump: writes idx and CSV data as
// kvfiles, computes mean images, summarises and prints records. The work is
// runtime library code (runtime/data/); this file parses the command line.
// Links the runtime only, never MLIR or LLVM. Errors print one line and exit
// with status 1; usage errors exit with status 2.
//
//===----------------------------------------------------------------------===//

#include "runtime/data/Conversion.h"
#include "runtime/data/HostTensor.h"
#include "runtime/data/KVFile.h"
#include "runtime/data/RecordReader.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <new>
#include <string>
#include <vector>

using namespace strata::runtime;

namespace {

const char *const kUsage =
    "usage: strata-data <command> [options]\n"
    "\n"
    "commands:\n"
    "  convert  write idx or CSV data as a kvfile\n"
    "  mean     write the mean image of a data file as a one-record kvfile\n"
    "  info     print a data file's record count, shapes and label histogram\n"
    "  dump     print the first records of a data file\n"
    "\n"
    "`strata-data <command> --help` describes each. docs/DATA.md describes\n"
    "the formats.\n";

const char *const kSourceOptions =
    "input options:\n"
    "  --from kvfile|csv|idx   the input format (default kvfile)\n"
    "  --images FILE           idx: the images file (or give it as INPUT)\n"
    "  --labels FILE           idx: the labels file (records have no label "
    "without it)\n"
    "  --separator S           csv: the field separator (default ,)\n"
    "  --no-label              csv: lines have no label field\n";

const std::map<std::string, std::string> kHelp = {
    {"convert", "usage: strata-data convert [input options] [INPUT] -o OUT\n"
                "\n"
                "Writes every record of INPUT to the kvfile OUT (atomically:\n"
                "a temporary file, fsync, rename). idx u8 images keep their\n"
                "values as bytes (pixel), other inputs as floats (data).\n"
                "\n"
                "examples:\n"
                "  strata-data convert --from idx --images t10k-images-idx3-"
                "ubyte.gz \\\n"
                "      --labels t10k-labels-idx1-ubyte.gz -o test.bin\n"
                "  strata-data convert --from csv data.csv -o data.bin\n"},
    {"mean", "usage: strata-data mean [input options] INPUT -o OUT\n"
             "\n"
             "Writes the element-wise mean of INPUT's records to the kvfile\n"
             "OUT as one record (floats in data, the records' shape, no\n"
             "label): a store_conf mean_file.\n"},
    {"info", "usage: strata-data info [input options] INPUT\n"
             "\n"
             "Reads every record of INPUT and prints the record count, the\n"
             "shapes, how values are stored, their range and the number of\n"
             "records per label.\n"},
    {"dump", "usage: strata-data dump [input options] INPUT [--records N]\n"
             "\n"
             "Prints the first N records (default 1) of INPUT: shape, label\n"
             "and values.\n"},
};

struct Options {
  std::string command;
  std::string input, output, from = "kvfile", labels, separator = ",";
  bool hasLabel = true;
  int64_t records = 1;
};

[[noreturn]] void usageError(const std::string &message,
                             const std::string &command) {
  std::fprintf(stderr, "strata-data: %s\n", message.c_str());
  std::fprintf(stderr, "run `strata-data %s--help` for usage\n",
               command.empty() ? "" : (command + " ").c_str());
  std::exit(2);
}

int fail(const Error &error) {
  std::fprintf(stderr, "strata-data: error: %s\n", error.message().c_str());
  return 1;
}

Options parseOptions(int argc, char **argv) {
  Options options;
  if (argc < 2)
    usageError("no command given", "");
  options.command = argv[1];
  if (options.command == "--help" || options.command == "-h") {
    std::fputs(kUsage, stdout);
    std::exit(0);
  }
  auto help = kHelp.find(options.command);
  if (help == kHelp.end())
    usageError("unknown command '" + options.command + "'", "");

  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(help->second.c_str(), stdout);
      std::fputs(("\n" + std::string(kSourceOptions)).c_str(), stdout);
      std::exit(0);
    }
    if (arg.empty() || arg[0] != '-') {
      if (!options.input.empty())
        usageError("more than one input: '" + options.input + "' and '" + arg +
                       "'",
                   options.command);
      options.input = arg;
      continue;
    }
    std::string name = arg, value;
    bool hasValue = false;
    if (size_t equals = arg.find('='); equals != std::string::npos) {
      name = arg.substr(0, equals);
      value = arg.substr(equals + 1);
      hasValue = true;
    }
    if (name == "--no-label") {
      options.hasLabel = false;
      continue;
    }
    static const char *const withValue[] = {
        "-o", "--output", "--from", "--images", "--labels", "--separator"};
    bool known = std::find(std::begin(withValue), std::end(withValue), name) !=
                 std::end(withValue);
    if (!known && !(name == "--records" && options.command == "dump"))
      usageError("unknown option '" + name + "'", options.command);
    if (!hasValue) {
      if (i + 1 >= argc)
        usageError("option " + name + " needs a value", options.command);
      value = argv[++i];
    }
    if (name == "-o" || name == "--output")
      options.output = value;
    else if (name == "--from")
      options.from = value;
    else if (name == "--images") {
      if (!options.input.empty())
        usageError("more than one input: '" + options.input + "' and '" +
                       value + "'",
                   options.command);
      options.input = value;
    } else if (name == "--labels")
      options.labels = value;
    else if (name == "--separator")
      options.separator = value;
    else {
      char *end = nullptr;
      options.records = std::strtoll(value.c_str(), &end, 10);
      if (value.empty() || *end != '\0' || options.records < 0)
        usageError("--records needs a count, not '" + value + "'",
                   options.command);
    }
  }

  if (options.input.empty())
    usageError("no input file given", options.command);
  if (options.from != "kvfile" && options.from != "csv" &&
      options.from != "idx")
    usageError("unknown input format '" + options.from +
                   "' (expected kvfile, csv or idx)",
               options.command);
  if (!options.labels.empty() && options.from != "idx")
    usageError("--labels is an option of --from idx", options.command);
  if ((!options.hasLabel || options.separator != ",") && options.from != "csv")
    usageError("--separator and --no-label are options of --from csv",
               options.command);
  bool writes = options.command == "convert" || options.command == "mean";
  if (writes && options.output.empty())
    usageError("no output file given (-o OUT)", options.command);
  if (!writes && !options.output.empty())
    usageError(options.command + " writes no file (-o given)", options.command);
  return options;
}

Expected<std::unique_ptr<RecordSource>> openInput(const Options &options) {
  StoreConfig config;
  config.backend = options.from == "csv" ? "textfile" : options.from;
  config.path = options.input;
  config.labelPath = options.labels;
  config.separator = options.separator;
  config.hasLabel = options.hasLabel;
  return openRecordSource(config);
}

void printValues(const Record &record) {
  std::printf("%s:", record.pixel.empty() ? "data" : "pixel");
  for (int64_t i = 0; i < record.numValues(); ++i)
    std::printf(" %g", static_cast<double>(record.value(i)));
  std::printf("\n");
}

int runInfo(RecordSource &source) {
  Expected<DataSummary> summary = summarize(source);
  if (!summary)
    return fail(summary.error());
  std::printf("file: %s\n", source.path().c_str());
  std::printf("records: %lld\n", static_cast<long long>(summary->records));
  for (const auto &[shape, count] : summary->shapes)
    std::printf("shape %s: %lld records\n", formatShape(shape).c_str(),
                static_cast<long long>(count));
  std::printf("values: %lld records as pixel bytes, %lld as floats, in [%g, "
              "%g]\n",
              static_cast<long long>(summary->pixelRecords),
              static_cast<long long>(summary->floatRecords),
              static_cast<double>(summary->minValue),
              static_cast<double>(summary->maxValue));
  std::printf("labels: %zu distinct\n", summary->labels.size());
  for (const auto &[label, count] : summary->labels)
    std::printf("label %d: %lld records\n", label,
                static_cast<long long>(count));
  if (summary->unlabeled)
    std::printf("unlabeled: %lld records\n",
                static_cast<long long>(summary->unlabeled));
  return 0;
}

int runDump(RecordSource &source, int64_t records) {
  for (int64_t i = 0; i < std::min(records, source.size()); ++i) {
    Expected<Record> record = source.read(i);
    if (!record)
      return fail(record.error());
    std::printf("record %lld: shape %s", static_cast<long long>(i),
                formatShape(record->shapeOrFlat()).c_str());
    if (record->label)
      std::printf(", label %d", *record->label);
    std::printf(", ");
    printValues(*record);
  }
  return 0;
}

} // namespace

int run(int argc, char **argv) {
  Options options = parseOptions(argc, argv);
  Expected<std::unique_ptr<RecordSource>> source = openInput(options);
  if (!source)
    return fail(source.error());

  if (options.command == "convert") {
    Expected<int64_t> written = writeKVFile(**source, options.output);
    if (!written)
      return fail(written.error());
    std::printf("wrote %lld records to %s\n", static_cast<long long>(*written),
                options.output.c_str());
    return 0;
  }
  if (options.command == "mean") {
    Expected<Record> mean = computeMeanRecord(**source);
    if (!mean)
      return fail(mean.error());
    Expected<KVFileWriter> writer = KVFileWriter::create(options.output);
    if (!writer)
      return fail(writer.error());
    if (Status status = writer->append(recordKey(0), *mean); !status)
      return fail(status.error());
    if (Status status = writer->commit(); !status)
      return fail(status.error());
    std::printf("wrote the mean of %lld records, shape %s, to %s\n",
                static_cast<long long>((*source)->size()),
                formatShape(mean->shape).c_str(), options.output.c_str());
    return 0;
  }
  if (options.command == "info")
    return runInfo(**source);
  return runDump(**source, options.records);
}

int main(int argc, char **argv) {
  // The runtime reports bad input as values; the one exception left is
  // running out of memory (a file or batch too large for this machine).
  try {
    return run(argc, argv);
  } catch (const std::bad_alloc &) {
    return fail(Error("out of memory"));
  }
}
