//===- JobNet.cpp - Resolve and check the net of each phase ---------------===//

#include "frontends/singa/JobNet.h"

#include "llvm/ADT/STLExtras.h"

#include <functional>
#include <set>

namespace strata::singa {

const char *phaseName(Phase phase) {
  switch (phase) {
  case kTrain:
    return "train";
  case kVal:
    return "val";
  case kTest:
    return "test";
  case kPositive:
    return "positive";
  case kNegative:
    return "negative";
  case kForward:
    return "forward";
  case kBackward:
    return "backward";
  case kLoss:
    return "loss";
  case kDeploy:
    return "deploy";
  default:
    return "unknown";
  }
}

bool inPhase(const LayerProto &layer, Phase phase) {
  if (layer.include_size() > 0 &&
      !llvm::is_contained(layer.include(), static_cast<int>(phase)))
    return false;
  return !llvm::is_contained(layer.exclude(), static_cast<int>(phase));
}

std::vector<Phase> phasesOf(const JobProto &job) {
  std::vector<Phase> phases = {kTrain};
  bool test = job.test_steps() > 0, val = job.validate_steps() > 0;
  for (const LayerProto &layer : job.neuralnet().layer()) {
    test |= llvm::is_contained(layer.include(), static_cast<int>(kTest));
    val |= llvm::is_contained(layer.include(), static_cast<int>(kVal));
  }
  if (val)
    phases.push_back(kVal);
  if (test)
    phases.push_back(kTest);
  return phases;
}

namespace {

/// The most time steps a net is unrolled to (each step is a copy of the
/// net in the IR).
constexpr int kMaxUnroll = 1000;

/// "" if every size is positive, else a message naming `what`.
template <typename Sizes>
std::string checkSizes(const Sizes &sizes, const char *what) {
  for (int d : sizes)
    if (d <= 0)
      return std::string(what) + " sizes must be positive, got " +
             std::to_string(d);
  return "";
}

/// Required confs and unsupported kinds: the message, or "" if fine.
std::string checkLayerConf(const LayerProto &l) {
  if (l.has_unroll_len() && (l.unroll_len() < 1 || l.unroll_len() > kMaxUnroll))
    return "unroll_len " + std::to_string(l.unroll_len()) +
           " is out of range [1, " + std::to_string(kMaxUnroll) + "]";
  switch (l.type()) {
  case kInnerProduct:
    if (!l.innerproduct_conf().has_num_output() ||
        l.innerproduct_conf().num_output() <= 0)
      return "kInnerProduct needs innerproduct_conf { num_output: N > 0 }";
    return "";
  case kConvolution:
  case kCConvolution:
  case kCudnnConv:
    if (!l.convolution_conf().has_num_filters() ||
        l.convolution_conf().num_filters() <= 0)
      return "convolution needs convolution_conf { num_filters: N > 0 }";
    return "";
  case kPooling:
  case kCPooling:
  case kCudnnPool: {
    const PoolingProto &p = l.pooling_conf();
    if (!p.has_kernel() && !(p.has_kernel_x() && p.has_kernel_y()))
      return "pooling needs pooling_conf { kernel: K } (or kernel_x and "
             "kernel_y)";
    return "";
  }
  case kRBMVis:
  case kRBMHid:
    if (!l.rbm_conf().has_hdim() || l.rbm_conf().hdim() <= 0)
      return "RBM layers need rbm_conf { hdim: N > 0 }";
    return "";
  case kGRU:
    if (!l.gru_conf().has_dim_hidden() || l.gru_conf().dim_hidden() <= 0)
      return "kGRU needs gru_conf { dim_hidden: N > 0 }";
    return "";
  case kEmbedding:
    if (l.embedding_conf().vocab_size() <= 0)
      return "kEmbedding needs embedding_conf { vocab_size: N > 0 }";
    return "";
  case kOneHot:
    if (l.onehot_conf().vocab_size() <= 0)
      return "kOneHot needs onehot_conf { vocab_size: N > 0 }";
    return "";
  case kRecordInput:
  case kCSVInput: {
    const StoreProto &s = l.store_conf();
    if (!l.has_store_conf())
      return "input layer needs store_conf { path, batchsize, shape }";
    if (!s.has_path())
      return "store_conf needs a path";
    if (s.batchsize_size() == 0 || s.batchsize(0) <= 0)
      return "store_conf needs batchsize > 0";
    if (s.shape_size() == 0)
      return "store_conf needs the record shape (shape: ...)";
    return checkSizes(s.shape(), "store_conf shape");
  }
  case kCharRNN:
    if (!l.char_rnn_conf().has_path() || !l.char_rnn_conf().has_vocab_path())
      return "kCharRNN needs char_rnn_conf { path, vocab_path }";
    if (l.char_rnn_conf().batchsize() <= 0 ||
        l.char_rnn_conf().unroll_len() < 1 ||
        l.char_rnn_conf().unroll_len() > kMaxUnroll)
      return "char_rnn_conf needs batchsize > 0 and unroll_len in [1, " +
             std::to_string(kMaxUnroll) + "]";
    return "";
  case kDummy:
    return checkSizes(l.dummy_conf().shape(), "dummy_conf shape");
  case kRNNDummy:
    return checkSizes(l.rnn_dummy_conf().shape(), "rnn_dummy_conf shape");
  case kUserLayer:
    return "user layer type '" + l.user_type() +
           "' is not registered (kUserLayer needs a registered user layer)";
  case kLMDBData:
  case kLabel:
  case kMnist:
  case kRGBImage:
  case kShardData:
    return "layer type " + LayerType_Name(l.type()) +
           " is deprecated in SINGA v0.3 and not supported; use kRecordInput";
  default:
    return "";
  }
}

} // namespace

bool isRBMFeedback(const LayerProto &layer, const LayerProto &src) {
  // Only the hidden layer of this RBM (the one reading this visible layer);
  // another RBM's hidden layer is a data source (stacked RBMs).
  return layer.type() == kRBMVis && src.type() == kRBMHid &&
         llvm::is_contained(src.srclayers(), layer.name());
}

llvm::Expected<std::vector<PhaseNet>> resolvePhases(const JobFile &file) {
  const JobProto &job = file.job();
  // Each error with its position, so they can be reported in file order.
  std::vector<std::pair<std::pair<int, int>, std::string>> errors;
  auto errorAt = [&](SourcePos pos, const std::string &message) {
    errors.push_back({{pos.line, pos.column}, file.formatError(pos, message)});
  };
  auto error = [&](int layer, const std::string &message) {
    errorAt(file.layerPos(layer), message);
  };
  // Errors of a phase's net: one message for all the phases it occurs in,
  // "{phase}" in `message` standing for "phase train" / "phases train, test".
  std::map<std::pair<int, std::string>, std::vector<std::string>> phaseErrors;
  std::vector<std::pair<int, std::string>> phaseErrorOrder;
  auto errorIn = [&](int layer, Phase phase, const std::string &message) {
    auto key = std::make_pair(layer, message);
    auto &phases = phaseErrors[key];
    if (phases.empty())
      phaseErrorOrder.push_back(key);
    phases.push_back(phaseName(phase));
  };
  const auto &layers = job.neuralnet().layer();
  int unroll = job.neuralnet().unroll_len();
  if (unroll < 1 || unroll > kMaxUnroll)
    errorAt(file.topFieldPos("neuralnet"),
            "neuralnet unroll_len " + std::to_string(unroll) +
                " is out of range [1, " + std::to_string(kMaxUnroll) + "]");
  if (layers.empty())
    errorAt(file.topFieldPos("neuralnet"), "the job has no layers");
  int netDim = job.neuralnet().partition_dim();
  if (netDim != 0 && netDim != 1)
    errorAt(file.topFieldPos("neuralnet"),
            "neuralnet: partition_dim must be 0 (batch) or 1 (features), got " +
                std::to_string(netDim));
  for (int i = 0; i < layers.size(); ++i) {
    if (!layers[i].has_name() || layers[i].name().empty()) {
      error(i, "layer without a name");
      continue;
    }
    if (layers[i].partition_dim() < -1 || layers[i].partition_dim() > 1)
      error(i, "layer '" + layers[i].name() + "': partition_dim must be 0 " +
                   "(batch), 1 (features) or -1 (the net's), got " +
                   std::to_string(layers[i].partition_dim()));
    std::string msg = checkLayerConf(layers[i]);
    if (!msg.empty())
      error(i, "layer '" + layers[i].name() + "': " + msg);
  }

  std::vector<PhaseNet> nets;
  for (Phase phase : phasesOf(job)) {
    PhaseNet net;
    net.phase = phase;
    std::vector<int> members;
    for (int i = 0; i < layers.size(); ++i) {
      // A layer without a name is reported above; it joins no net.
      if (!inPhase(layers[i], phase) || layers[i].name().empty())
        continue;
      auto [it, inserted] = net.byName.emplace(layers[i].name(), i);
      if (!inserted) {
        errorIn(i, phase,
                "layer '" + layers[i].name() +
                    "' is defined twice in {phase} (first at line " +
                    std::to_string(file.layerPos(it->second).line) + ")");
        continue;
      }
      members.push_back(i);
    }
    for (int i : members)
      for (const std::string &src : layers[i].srclayers())
        if (!net.byName.count(src))
          errorIn(i, phase,
                  "layer '" + layers[i].name() + "': srclayer '" + src +
                      "' does not exist in {phase}");
    // Depth-first topological order; a back edge is a cycle.
    std::map<int, int> state; // 0 new, 1 on stack, 2 done
    std::vector<int> stack;
    bool cycle = false;
    std::function<void(int)> visit = [&](int i) {
      if (state[i] == 2 || cycle)
        return;
      if (state[i] == 1) {
        std::string path;
        auto from = llvm::find(stack, i);
        for (auto it = from; it != stack.end(); ++it)
          path += "'" + layers[*it].name() + "' -> ";
        errorIn(i, phase,
                "layers form a cycle in {phase}: " + path + "'" +
                    layers[i].name() + "'");
        cycle = true;
        return;
      }
      state[i] = 1;
      stack.push_back(i);
      for (const std::string &src : layers[i].srclayers()) {
        auto it = net.byName.find(src);
        if (it != net.byName.end() &&
            !isRBMFeedback(layers[i], layers[it->second]))
          visit(it->second);
      }
      stack.pop_back();
      state[i] = 2;
      net.layers.push_back(i);
    };
    for (int i : members)
      visit(i);
    nets.push_back(std::move(net));
  }
  for (const auto &key : phaseErrorOrder) {
    const std::vector<std::string> &phases = phaseErrors[key];
    std::string where = phases.size() == 1 ? "phase " : "phases ";
    for (size_t k = 0; k < phases.size(); ++k)
      where += (k ? ", " : "") + phases[k];
    std::string message = key.second;
    message.replace(message.find("{phase}"), 7, where);
    error(key.first, message);
  }
  if (!errors.empty()) {
    // One message per line, each once, in file order.
    llvm::stable_sort(errors, llvm::less_first());
    std::set<std::string> seen;
    std::string text;
    for (const auto &[pos, e] : errors)
      if (seen.insert(e).second)
        text += (text.empty() ? "" : "\n") + e;
    return llvm::createStringError(text);
  }
  return nets;
}

} // namespace strata::singa
