//===- strata-run.cpp - Runs a compiled Strata artifact -------------------===//
//
//   strata-run train model.strata [options]   train (and test) a model
//   strata-run test model.strata [options]    test a trained checkpoint
//   strata-run infer model.strata --input FILE --output FILE
//   strata-run info model.strata              what the artifact holds
//
// Links the runtime only, never MLIR or LLVM. docs/RUNNING.md describes the
// options, the files it writes and its output.
//
//===----------------------------------------------------------------------===//

#include "runtime/artifact/Artifact.h"
#include "runtime/cpu/KernelLibrary.h"
#include "runtime/data/TensorFile.h"
#include "runtime/exec/Checkpoint.h"
#include "runtime/exec/Feeds.h"
#include "runtime/exec/Session.h"
#include "runtime/support/Error.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <malloc.h>
#include <map>
#include <optional>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;
namespace fb = strata::artifact::fb;
using strata::runtime::DataFeed;
using strata::runtime::RuntimeError;
using strata::runtime::Session;
using strata::runtime::StepResult;

namespace {

const char *kUsage =
    R"(strata-run: runs a compiled Strata artifact (stratac model -o model.strata)

usage:
  strata-run train model.strata [options]   train, testing every test_freq steps
  strata-run test  model.strata [options]   test the newest (or a given) checkpoint
  strata-run infer model.strata --input [NAME=]FILE... --output [NAME=]FILE...
                                            run the inference schedule (an ONNX
                                            model) on .npy / .pb tensors
  strata-run info  model.strata             the artifact's schedules, inputs and parameters

options:
  --steps N              train: steps to run in all (default: the job's
                         train_steps); test: test batches (default: test_steps)
  --data [PHASE:]NAME=PATH
                         the file data input NAME reads (PHASE: train, test,
                         validate; without it every phase's NAME). Default:
                         the path in the model, relative to --data-dir;
                         NAME.mean=, NAME.std=, NAME.vocab=PATH: its
                         mean_file, std_file, char-RNN vocabulary. An idx
                         file (MNIST's format, .gz too) is read directly,
                         its labels from NAME.labels=PATH (default: the
                         matching *-labels-idx1-* file beside it)
  --data-dir DIR         where relative data paths start (default: .)
  --workspace DIR        where metrics.csv and checkpoints go (default: the
                         job's cluster workspace, else ./workspace)
  --checkpoint-dir DIR   default: WORKSPACE/checkpoints
  --checkpoint-freq N    write a checkpoint every N steps (default: the job's
                         checkpoint_freq; 0: only at the end)
  --checkpoint FILE      test: the checkpoint to test
  --resume               train: continue from the newest loadable checkpoint
  --seed S               initialization, dropout and random_skip seed (default 0)
  --threads N            threads of the kernels' parallel loops and of oneDNN
                         (default: OMP_NUM_THREADS, else one per core)
  --test-freq N, --test-steps N, --validate-freq N, --validate-steps N,
  --disp-freq N          override the job's values (a frequency of 0 turns
                         that phase off); tests and validations run every
                         FREQ steps after test_after / validate_after
  --input [NAME=]FILE    infer: the input NAME (default: the next one in
                         order) from a .npy or ONNX TensorProto .pb file
  --output [NAME=]FILE   infer: where output NAME (default: the next one)
                         goes, .npy or .pb
  --checkpoint FILE      infer: trained parameters (default: the artifact's)
  --help                 this text

Training prints one line per disp_freq steps (a progress bar on a terminal)
with the mean loss, accuracy and samples/s, and appends them to
WORKSPACE/metrics.csv (step,phase,loss,accuracy,samples_per_s; phase train,
validate or test).
)";

[[noreturn]] void usageError(const std::string &message) {
  std::cerr << "strata-run: " << message << "\n(strata-run --help for usage)\n";
  std::exit(2);
}

struct Options {
  std::string command, artifact;
  std::optional<int64_t> steps, checkpointFreq, testFreq, testSteps, dispFreq,
      validateFreq, validateSteps, threads;
  std::vector<std::pair<std::string, std::string>> data; // [phase:]name, path
  std::vector<std::pair<std::string, std::string>> inputs, outputs;
  std::string dataDir = ".", workspace, checkpointDir, checkpoint;
  bool resume = false;
  uint64_t seed = 0;
};

int64_t parseCount(const std::string &flag, const std::string &v) {
  char *end = nullptr;
  errno = 0;
  long long n = std::strtoll(v.c_str(), &end, 10);
  if (v.empty() || *end || errno || n < 0)
    usageError(flag + " takes a non-negative integer, not '" + v + "'");
  return n;
}

Options parseOptions(int argc, char **argv) {
  Options o;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      size_t eq = a.find('=');
      if (a.rfind("--", 0) == 0 && eq != std::string::npos &&
          a.substr(0, eq) != "--data")
        return a.substr(eq + 1);
      if (i + 1 >= argc)
        usageError(a + " needs a value");
      return argv[++i];
    };
    std::string flag = a.substr(0, a.find('='));
    if (a == "--help" || a == "-h") {
      std::cout << kUsage;
      std::exit(0);
    } else if (flag == "--steps") {
      o.steps = parseCount(flag, value());
    } else if (flag == "--checkpoint-freq") {
      o.checkpointFreq = parseCount(flag, value());
    } else if (flag == "--test-freq") {
      o.testFreq = parseCount(flag, value());
    } else if (flag == "--test-steps") {
      o.testSteps = parseCount(flag, value());
    } else if (flag == "--validate-freq") {
      o.validateFreq = parseCount(flag, value());
    } else if (flag == "--validate-steps") {
      o.validateSteps = parseCount(flag, value());
    } else if (flag == "--disp-freq") {
      o.dispFreq = parseCount(flag, value());
    } else if (flag == "--threads") {
      o.threads = parseCount(flag, value());
      if (*o.threads < 1)
        usageError("--threads takes a count of at least 1");
    } else if (flag == "--seed") {
      o.seed = static_cast<uint64_t>(parseCount(flag, value()));
    } else if (a == "--data") {
      if (i + 1 >= argc)
        usageError("--data needs NAME=PATH");
      std::string spec = argv[++i];
      size_t eq = spec.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
        usageError("--data takes [PHASE:]NAME=PATH, not '" + spec + "'");
      o.data.emplace_back(spec.substr(0, eq), spec.substr(eq + 1));
    } else if (flag == "--input" || flag == "--output") {
      std::string spec = value();
      size_t eq = spec.find('=');
      auto &list = flag == "--input" ? o.inputs : o.outputs;
      if (eq == std::string::npos)
        list.emplace_back("", spec);
      else
        list.emplace_back(spec.substr(0, eq), spec.substr(eq + 1));
    } else if (flag == "--data-dir") {
      o.dataDir = value();
    } else if (flag == "--workspace") {
      o.workspace = value();
    } else if (flag == "--checkpoint-dir") {
      o.checkpointDir = value();
    } else if (flag == "--checkpoint") {
      o.checkpoint = value();
    } else if (a == "--resume") {
      o.resume = true;
    } else if (a.rfind("-", 0) == 0) {
      usageError("unknown option '" + a + "'");
    } else {
      positional.push_back(a);
    }
  }
  if (positional.size() != 2)
    usageError("expected a command and an artifact: strata-run "
               "train|test|info model.strata");
  o.command = positional[0];
  o.artifact = positional[1];
  if (o.command != "train" && o.command != "test" && o.command != "info" &&
      o.command != "infer")
    usageError("unknown command '" + o.command +
               "' (expected train, test, infer or info)");
  if (o.command == "infer" && (o.inputs.empty() || o.outputs.empty()))
    usageError("infer needs --input FILE and --output FILE");
  return o;
}

std::string str(const flatbuffers::String *s) { return s ? s->str() : ""; }

/// One feed per data input of the artifact (null for inputs of phases the
/// command does not run).
class Feeds {
public:
  Feeds(const strata::artifact::Artifact &a, const Options &o,
        std::initializer_list<fb::Phase> phases) {
    const fb::Artifact &root = a.root();
    size_t n = root.data_inputs() ? root.data_inputs()->size() : 0;
    owned_.resize(n);
    feeds_.assign(n, nullptr);
    for (size_t i = 0; i < n; ++i) {
      const fb::DataInput &d = *root.data_inputs()->Get(i);
      if (std::find(phases.begin(), phases.end(), d.phase()) == phases.end())
        continue;
      std::string name = d.name()->str();
      std::string phase = fb::EnumNamePhase(d.phase());
      std::string path = d.source() ? str(d.source()->path()) : "";
      bool overridden = false;
      for (const auto &[key, file] : o.data)
        if (key == name || key == phase + ":" + name) {
          path = file;
          overridden = true;
        }
      if (path.empty())
        throw RuntimeError("data input '" + name + "' (" + phase +
                           " phase) names no file: give one with --data " +
                           phase + ":" + name + "=PATH");
      if (!overridden && fs::path(path).is_relative())
        path = (fs::path(o.dataDir) / path).string();
      if (!fs::exists(path))
        throw RuntimeError("data input '" + name + "' (" + phase +
                           " phase): no such file '" + path +
                           "' (give it with --data " + phase + ":" + name +
                           "=PATH or --data-dir DIR)");
      // The source's other files (mean_file, std_file, vocab_path, an idx
      // file's labels): NAME.KEY in --data, else under --data-dir (an idx
      // labels file: beside the images file).
      auto resolve = [&, name = name, phase = phase](const std::string &key,
                                                     const std::string &p) {
        for (const auto &[k, file] : o.data)
          if (k == name + "." + key || k == phase + ":" + name + "." + key)
            return file;
        // The labels path derives from the images path, already resolved.
        if (key == "labels" || p.empty() || fs::path(p).is_absolute())
          return p;
        return (fs::path(o.dataDir) / p).string();
      };
      owned_[i] = strata::runtime::openFeed(d, path, resolve, o.seed);
      feeds_[i] = owned_[i].get();
    }
  }
  const std::vector<DataFeed *> &all() const { return feeds_; }

private:
  std::vector<std::unique_ptr<DataFeed>> owned_;
  std::vector<DataFeed *> feeds_;
};

/// Whether a metric is an accuracy ("accuracy", or a layer's
/// "<layer>.accuracy").
bool isAccuracy(const std::string &name) {
  const std::string suffix = "accuracy";
  return name.size() >= suffix.size() &&
         name.compare(name.size() - suffix.size(), suffix.size(), suffix) ==
             0 &&
         (name.size() == suffix.size() ||
          name[name.size() - suffix.size() - 1] == '.');
}

/// Running means of loss and accuracy over a display window.
struct Window {
  double loss = 0, accuracy = 0;
  int64_t steps = 0, samples = 0, withAccuracy = 0;
  void add(const StepResult &r) {
    loss += r.loss;
    for (const auto &[name, v] : r.metrics)
      if (isAccuracy(name)) {
        accuracy += v;
        ++withAccuracy;
      }
    ++steps;
    samples += r.samples;
  }
  double meanLoss() const { return steps ? loss / steps : 0; }
  std::optional<double> meanAccuracy() const {
    if (!withAccuracy)
      return std::nullopt;
    return accuracy / withAccuracy;
  }
};

class MetricsFile {
public:
  explicit MetricsFile(const std::string &path) {
    bool fresh = !fs::exists(path) || fs::file_size(path) == 0;
    out_.open(path, std::ios::app);
    if (!out_)
      throw RuntimeError(path +
                         ": cannot open for writing: " + std::strerror(errno));
    if (fresh)
      out_ << "step,phase,loss,accuracy,samples_per_s\n";
    out_.flush();
  }
  void row(int64_t step, const char *phase, const Window &w, double rate) {
    out_ << step << "," << phase << "," << w.meanLoss() << ",";
    if (auto acc = w.meanAccuracy())
      out_ << *acc;
    out_ << "," << rate << "\n";
    out_.flush();
  }

private:
  std::ofstream out_;
};

std::string formatLine(const char *phase, int64_t step, int64_t total,
                       const Window &w, double rate) {
  char buf[256];
  int n = std::snprintf(buf, sizeof(buf), "%s step %lld/%lld  loss %.4f", phase,
                        static_cast<long long>(step),
                        static_cast<long long>(total), w.meanLoss());
  std::string s(buf, n);
  if (auto acc = w.meanAccuracy()) {
    n = std::snprintf(buf, sizeof(buf), "  accuracy %.4f", *acc);
    s.append(buf, n);
  }
  if (rate > 0) {
    n = std::snprintf(buf, sizeof(buf), "  %.0f samples/s", rate);
    s.append(buf, n);
  }
  return s;
}

/// Runs `steps` batches of the test (or validate) schedule.
Window testPhase(Session &session, const std::vector<DataFeed *> &feeds,
                 fb::Phase phase, int64_t steps) {
  Window w;
  for (int64_t i = 0; i < steps; ++i)
    w.add(session.run(phase, feeds));
  return w;
}

int64_t jobField(const fb::Job *job, int64_t (fb::Job::*get)() const) {
  return job ? (job->*get)() : 0;
}

int info(const Options &o) {
  auto a = strata::artifact::Artifact::load(o.artifact);
  const fb::Artifact &r = a.root();
  std::cout << o.artifact << ": Strata artifact, target " << str(r.target())
            << ", produced by " << str(r.producer()) << "\n"
            << "content hash " << a.contentHash() << "\n";
  if (const fb::Job *j = r.job())
    std::cout << "job '" << str(j->name()) << "': " << str(j->algorithm())
              << ", train_steps " << j->train_steps() << ", test_steps "
              << j->test_steps() << ", test_freq " << j->test_freq()
              << ", disp_freq " << j->disp_freq() << "\n";
  if (r.schedules())
    for (const fb::Schedule *s : *r.schedules()) {
      std::cout << "schedule " << fb::EnumNamePhase(s->phase()) << ": @"
                << str(s->name()) << ", "
                << (s->arguments() ? s->arguments()->size() : 0)
                << " arguments, " << (s->results() ? s->results()->size() : 0)
                << " results";
      if (const fb::MemoryPlan *m = s->memory())
        std::cout << ", memory plan " << m->arena_bytes() << " bytes (naive "
                  << m->naive_bytes() << ")";
      std::cout << "\n";
    }
  if (r.data_inputs())
    for (const fb::DataInput *d : *r.data_inputs()) {
      std::cout << "data input '" << str(d->name()) << "' ("
                << fb::EnumNamePhase(d->phase()) << ")";
      if (d->source())
        std::cout << ": " << str(d->source()->kind()) << " "
                  << str(d->source()->path());
      std::cout << "\n";
    }
  int64_t count = 0;
  if (r.parameters())
    for (const fb::Parameter *p : *r.parameters())
      if (p->share_from() < 0)
        count += strata::artifact::elementCount(*p->type());
  std::cout << (r.parameters() ? r.parameters()->size() : 0) << " parameters, "
            << count << " values\n";
  return 0;
}

int train(const Options &o) {
  auto a = strata::artifact::Artifact::load(o.artifact);
  const fb::Artifact &r = a.root();
  if (!a.schedule(fb::Phase::train))
    throw RuntimeError(o.artifact + ": the artifact has no train schedule "
                                    "(compile a model with a training phase)");
  const fb::Job *job = r.job();
  int64_t total = o.steps ? *o.steps : jobField(job, &fb::Job::train_steps);
  if (total <= 0)
    throw RuntimeError("no steps to run: the job has no train_steps; give "
                       "--steps N");
  int64_t dispFreq =
      o.dispFreq ? *o.dispFreq : jobField(job, &fb::Job::disp_freq);
  if (dispFreq <= 0)
    dispFreq = 100;
  // Test and validation passes: every FREQ steps after AFTER, STEPS batches
  // each (SINGA's test_* / validate_* fields).
  struct Evaluation {
    fb::Phase phase;
    const char *label;
    bool present;
    int64_t freq, steps, after;
  };
  auto evaluation = [&](fb::Phase phase, const char *label,
                        const std::optional<int64_t> &freqOption,
                        const std::optional<int64_t> &stepsOption,
                        int64_t (fb::Job::*freqField)() const,
                        int64_t (fb::Job::*stepsField)() const,
                        int64_t (fb::Job::*afterField)() const) {
    Evaluation e{phase,
                 label,
                 a.schedule(phase) != nullptr,
                 freqOption ? *freqOption : jobField(job, freqField),
                 stepsOption ? *stepsOption : jobField(job, stepsField),
                 jobField(job, afterField)};
    if (e.steps <= 0)
      e.steps = 1;
    return e;
  };
  Evaluation evaluations[] = {
      evaluation(fb::Phase::validate, "valid", o.validateFreq, o.validateSteps,
                 &fb::Job::validate_freq, &fb::Job::validate_steps,
                 &fb::Job::validate_after),
      evaluation(fb::Phase::test, "test ", o.testFreq, o.testSteps,
                 &fb::Job::test_freq, &fb::Job::test_steps,
                 &fb::Job::test_after)};
  bool hasTest = evaluations[1].present;
  int64_t checkpointFreq = o.checkpointFreq
                               ? *o.checkpointFreq
                               : jobField(job, &fb::Job::checkpoint_freq);

  std::string workspace = o.workspace;
  if (workspace.empty())
    workspace = job && job->workspace() && job->workspace()->size()
                    ? job->workspace()->str()
                    : "workspace";
  std::string checkpointDir =
      o.checkpointDir.empty() ? (fs::path(workspace) / "checkpoints").string()
                              : o.checkpointDir;
  fs::create_directories(workspace);
  fs::create_directories(checkpointDir);

  Session session(a, o.seed);
  Feeds feeds(a, o, {fb::Phase::train, fb::Phase::test, fb::Phase::validate});
  if (o.resume) {
    bool loaded = false;
    for (const auto &[step, path] :
         strata::runtime::listCheckpoints(checkpointDir)) {
      try {
        strata::runtime::loadCheckpoint(path, session, feeds.all());
        std::cerr << "resumed from " << path << " (step " << session.step()
                  << ")\n";
        loaded = true;
        break;
      } catch (const RuntimeError &e) {
        std::cerr << "strata-run: skipping " << e.what() << "\n";
      }
    }
    if (!loaded)
      std::cerr << "strata-run: no loadable checkpoint in " << checkpointDir
                << ": starting from step 0\n";
  }
  MetricsFile metrics((fs::path(workspace) / "metrics.csv").string());
  bool tty = isatty(STDERR_FILENO);
  auto checkpoint = [&]() {
    std::string path = (fs::path(checkpointDir) /
                        ("step-" + std::to_string(session.step()) + ".ckpt"))
                           .string();
    strata::runtime::saveCheckpoint(path, session, feeds.all());
  };
  auto evaluate = [&](const Evaluation &e) {
    auto t0 = std::chrono::steady_clock::now();
    Window w = testPhase(session, feeds.all(), e.phase, e.steps);
    double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0)
            .count();
    double rate = secs > 0 ? w.samples / secs : 0;
    if (tty)
      std::cerr << "\r\033[K";
    std::cerr << formatLine(e.label, session.step(), total, w, rate) << "\n";
    metrics.row(session.step(), fb::EnumNamePhase(e.phase), w, rate);
    return w;
  };

  Window window;
  auto start = std::chrono::steady_clock::now();
  auto windowStart = start;
  while (session.step() < total) {
    window.add(session.run(fb::Phase::train, feeds.all()));
    int64_t step = session.step();
    if (!std::isfinite(window.loss))
      throw RuntimeError("the loss is not finite at step " +
                         std::to_string(step) +
                         " (diverged: try a smaller learning rate)");
    auto now = std::chrono::steady_clock::now();
    double secs = std::chrono::duration<double>(now - windowStart).count();
    double rate = secs > 0 ? window.samples / secs : 0;
    if (tty) {
      int width = 30;
      int done = static_cast<int>(width * step / total);
      std::cerr << "\r\033[K[" << std::string(done, '=')
                << std::string(width - done, ' ') << "] "
                << formatLine("train", step, total, window, rate) << std::flush;
    }
    if (step % dispFreq == 0 || step == total) {
      if (!tty)
        std::cerr << formatLine("train", step, total, window, rate) << "\n";
      metrics.row(step, "train", window, rate);
      window = Window();
      windowStart = std::chrono::steady_clock::now();
    }
    if (checkpointFreq > 0 && step % checkpointFreq == 0 && step < total)
      checkpoint();
    for (const Evaluation &e : evaluations)
      if (e.present && e.freq > 0 && step % e.freq == 0 && step > e.after &&
          step < total)
        evaluate(e);
  }
  if (tty)
    std::cerr << "\n";
  checkpoint();
  double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  std::cout << "trained " << total << " steps in " << std::fixed
            << std::setprecision(1) << secs << " s\n";
  if (hasTest) {
    Window w = evaluate(evaluations[1]);
    std::cout << std::setprecision(4) << "test loss " << w.meanLoss();
    if (auto acc = w.meanAccuracy())
      std::cout << ", test accuracy " << *acc;
    std::cout << " (" << w.samples << " samples)\n";
  }
  return 0;
}

int test(const Options &o) {
  auto a = strata::artifact::Artifact::load(o.artifact);
  if (!a.schedule(fb::Phase::test))
    throw RuntimeError(o.artifact + ": the artifact has no test schedule");
  const fb::Job *job = a.root().job();
  int64_t steps = o.steps ? *o.steps : jobField(job, &fb::Job::test_steps);
  if (steps <= 0)
    steps = 1;
  Session session(a, o.seed);
  Feeds feeds(a, o, {fb::Phase::test});
  std::string path = o.checkpoint;
  if (path.empty()) {
    std::string workspace = o.workspace;
    if (workspace.empty())
      workspace = job && job->workspace() && job->workspace()->size()
                      ? job->workspace()->str()
                      : "workspace";
    std::string dir = o.checkpointDir.empty()
                          ? (fs::path(workspace) / "checkpoints").string()
                          : o.checkpointDir;
    auto found = strata::runtime::listCheckpoints(dir);
    if (found.empty())
      throw RuntimeError("no checkpoint in " + dir +
                         " (train first, or give --checkpoint FILE)");
    path = found.front().second;
  }
  // The feeds' positions in a checkpoint are the training run's; testing
  // starts at the test file's beginning.
  std::vector<DataFeed *> none(feeds.all().size(), nullptr);
  strata::runtime::loadCheckpoint(path, session, none);
  Window w = testPhase(session, feeds.all(), fb::Phase::test, steps);
  std::cout << std::fixed << std::setprecision(4) << "checkpoint " << path
            << " (step " << session.step() << "): test loss " << w.meanLoss();
  if (auto acc = w.meanAccuracy())
    std::cout << ", test accuracy " << *acc;
  std::cout << " (" << w.samples << " samples)\n";
  return 0;
}

/// Matches `given` ([NAME=]FILE pairs) to the slots of `kind` in order; a
/// pair without a name takes the next slot not yet named.
std::vector<std::pair<const fb::Slot *, std::string>>
matchSlots(const flatbuffers::Vector<flatbuffers::Offset<fb::Slot>> *slots,
           fb::SlotKind kind,
           const std::vector<std::pair<std::string, std::string>> &given,
           const char *what) {
  std::vector<const fb::Slot *> candidates;
  if (slots)
    for (const fb::Slot *s : *slots)
      if (s->kind() == kind)
        candidates.push_back(s);
  std::vector<std::pair<const fb::Slot *, std::string>> out;
  std::vector<bool> used(candidates.size(), false);
  for (const auto &[name, file] : given) {
    if (name.empty())
      continue;
    bool found = false;
    for (size_t i = 0; i < candidates.size(); ++i)
      if (str(candidates[i]->name()) == name) {
        out.emplace_back(candidates[i], file);
        used[i] = found = true;
      }
    if (!found) {
      std::string names;
      for (const fb::Slot *s : candidates)
        names += (names.empty() ? "" : ", ") + str(s->name());
      throw RuntimeError(std::string("the model has no ") + what + " '" + name +
                         "' (its " + what + "s: " + names + ")");
    }
  }
  size_t next = 0;
  for (const auto &[name, file] : given) {
    if (!name.empty())
      continue;
    while (next < candidates.size() && used[next])
      ++next;
    if (next == candidates.size())
      throw RuntimeError(std::string("more --") + what +
                         " files than the "
                         "model has " +
                         what + "s (" + std::to_string(candidates.size()) +
                         ")");
    used[next] = true;
    out.emplace_back(candidates[next], file);
  }
  return out;
}

int infer(const Options &o) {
  auto a = strata::artifact::Artifact::load(o.artifact);
  const fb::Schedule *s = a.schedule(fb::Phase::infer);
  if (!s)
    throw RuntimeError(o.artifact +
                       ": the artifact has no inference schedule (compile an "
                       "ONNX model without --train)");
  Session session(a, o.seed);
  if (!o.checkpoint.empty())
    strata::runtime::loadCheckpoint(o.checkpoint, session, {});
  std::map<std::string, strata::runtime::HostTensor> inputs;
  for (const auto &[slot, file] :
       matchSlots(s->arguments(), fb::SlotKind::input, o.inputs, "input")) {
    auto t = strata::runtime::readTensorFile(file);
    if (!t)
      throw RuntimeError(t.error().message());
    inputs[str(slot->name())] = t.take();
  }
  StepResult r = session.run(fb::Phase::infer, {}, inputs);
  std::map<std::string, const strata::runtime::HostTensor *> byName;
  for (const auto &[name, t] : r.outputs)
    byName[name] = &t;
  for (const auto &[slot, file] :
       matchSlots(s->results(), fb::SlotKind::output, o.outputs, "output")) {
    const strata::runtime::HostTensor *t = byName.at(str(slot->name()));
    auto status = strata::runtime::writeTensorFile(file, *t, str(slot->name()));
    if (!status)
      throw RuntimeError(status.error().message());
    std::cout << "wrote " << str(slot->name()) << " "
              << strata::runtime::formatShape(t->shape()) << " to " << file
              << "\n";
  }
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  Options o = parseOptions(argc, argv);
  // Until the memory planner places a step's intermediates in one arena, the
  // compiled code allocates them with malloc on every call. Keep freed blocks
  // in the heap (no munmap / mmap and fresh page faults each step).
  mallopt(M_MMAP_THRESHOLD, 512 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  try {
    if (o.threads)
      strata::runtime::setKernelThreads(static_cast<int>(*o.threads));
    if (o.command == "info")
      return info(o);
    if (o.command == "train")
      return train(o);
    if (o.command == "infer")
      return infer(o);
    return test(o);
  } catch (const RuntimeError &e) {
    std::cerr << "strata-run: " << e.what() << "\n";
    return 1;
  } catch (const std::filesystem::filesystem_error &e) {
    std::cerr << "strata-run: " << e.what() << "\n";
    return 1;
  }
}
