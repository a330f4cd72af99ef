//===- JobFile.cpp - Parse SINGA job configurations with locations --------===//

#include "frontends/singa/JobFile.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

namespace strata::singa {
namespace {

namespace pb = google::protobuf;

/// Collects the text parser's messages as "path:line:col: error: ...".
class CollectErrors : public pb::io::ErrorCollector {
public:
  explicit CollectErrors(std::string path) : path_(std::move(path)) {}
  void AddError(int line, pb::io::ColumnNumber column,
                const std::string &message) override {
    add("error", line, column, message);
  }
  void AddWarning(int line, pb::io::ColumnNumber column,
                  const std::string &message) override {
    add("warning", line, column, message);
  }
  const std::string &text() const { return text_; }
  bool hasErrors() const { return errors_ > 0; }

private:
  void add(const char *kind, int line, int column, const std::string &message) {
    llvm::raw_string_ostream os(text_);
    if (!text_.empty())
      os << "\n";
    // The tokenizer counts lines and columns from 0.
    os << path_ << ":" << line + 1 << ":" << column + 1 << ": " << kind << ": "
       << message;
    if (kind[0] == 'e')
      ++errors_;
  }
  std::string path_;
  std::string text_;
  int errors_ = 0;
};

SourcePos toPos(const pb::TextFormat::ParseLocation &loc) {
  if (loc.line < 0)
    return {1, 1};
  return {loc.line + 1, loc.column + 1};
}

} // namespace

llvm::Expected<std::unique_ptr<JobFile>> JobFile::parse(llvm::StringRef text,
                                                        llvm::StringRef path) {
  std::unique_ptr<JobFile> file(new JobFile());
  file->path_ = path.str();
  CollectErrors errors(file->path_);
  pb::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  // User layers carry their conf as an extension ([name] { ... }) that no
  // schema here defines; kUserLayer itself is reported after parsing.
  parser.AllowUnknownExtension(true);
  parser.WriteLocationsTo(&file->tree_);
  pb::io::ArrayInputStream input(text.data(), static_cast<int>(text.size()));
  bool ok = parser.Parse(&input, &file->job_);
  if (!ok || errors.hasErrors())
    return llvm::createStringError(errors.text().empty()
                                       ? file->path_ + ": error: cannot parse"
                                       : errors.text());
  return file;
}

llvm::Expected<std::unique_ptr<JobFile>> JobFile::read(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return llvm::createStringError(
        path.str() + ": error: cannot read: " + buffer.getError().message());
  return parse((*buffer)->getBuffer(), path);
}

static const pb::FieldDescriptor *field(const pb::Descriptor *d,
                                        llvm::StringRef name) {
  return d->FindFieldByName(std::string(name));
}

SourcePos JobFile::topFieldPos(llvm::StringRef name) const {
  const pb::FieldDescriptor *f = field(JobProto::descriptor(), name);
  if (!f)
    return {1, 1};
  return toPos(tree_.GetLocation(f, f->is_repeated() ? 0 : -1));
}

SourcePos JobFile::layerPos(int layer) const {
  const pb::FieldDescriptor *net = field(JobProto::descriptor(), "neuralnet");
  const pb::FieldDescriptor *layers = field(NetProto::descriptor(), "layer");
  auto *netTree = tree_.GetTreeForNested(net, -1);
  if (!netTree)
    return {1, 1};
  return toPos(netTree->GetLocation(layers, layer));
}

static const pb::TextFormat::ParseInfoTree *
layerTree(const pb::TextFormat::ParseInfoTree &tree, int layer) {
  const pb::FieldDescriptor *net = field(JobProto::descriptor(), "neuralnet");
  const pb::FieldDescriptor *layers = field(NetProto::descriptor(), "layer");
  auto *netTree = tree.GetTreeForNested(net, -1);
  return netTree ? netTree->GetTreeForNested(layers, layer) : nullptr;
}

SourcePos JobFile::paramPos(int layer, int param) const {
  auto *t = layerTree(tree_, layer);
  const pb::FieldDescriptor *params = field(LayerProto::descriptor(), "param");
  if (!t)
    return layerPos(layer);
  SourcePos pos = toPos(t->GetLocation(params, param));
  return pos.line == 1 && pos.column == 1 ? layerPos(layer) : pos;
}

SourcePos JobFile::layerFieldPos(int layer, llvm::StringRef name) const {
  auto *t = layerTree(tree_, layer);
  const pb::FieldDescriptor *f = field(LayerProto::descriptor(), name);
  if (!t || !f)
    return layerPos(layer);
  auto loc = t->GetLocation(f, f->is_repeated() ? 0 : -1);
  if (loc.line < 0)
    return layerPos(layer);
  return toPos(loc);
}

std::string JobFile::formatError(SourcePos pos, llvm::StringRef message) const {
  return path_ + ":" + std::to_string(pos.line) + ":" +
         std::to_string(pos.column) + ": error: " + message.str();
}

} // namespace strata::singa
