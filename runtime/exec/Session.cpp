//===- Session.cpp - Running an artifact's schedules on the CPU -----------===//

#include "runtime/exec/Session.h"

#include "runtime/support/Error.h"
#include "runtime/support/ParameterInit.h"

#include <cstring>

namespace strata::runtime {

namespace fb = artifact::fb;

namespace {

const char *phaseName(fb::Phase phase) { return fb::EnumNamePhase(phase); }

std::vector<int64_t> shapeOf(const fb::TensorType &t) {
  if (!t.shape())
    return {};
  return std::vector<int64_t>(t.shape()->begin(), t.shape()->end());
}

size_t byteSize(const fb::TensorType &t) {
  return static_cast<size_t>(artifact::elementCount(t)) *
         artifact::elementSize(t.dtype());
}

/// Stores `v` as element i of a buffer of `dtype`.
void storeValue(fb::DType dtype, unsigned char *p, int64_t i, double v) {
  switch (dtype) {
  case fb::DType::f32: {
    float f = static_cast<float>(v);
    std::memcpy(p + 4 * i, &f, 4);
    break;
  }
  case fb::DType::f64:
    std::memcpy(p + 8 * i, &v, 8);
    break;
  default:
    throw RuntimeError("parameters of element type " +
                       std::string(fb::EnumNameDType(dtype)) +
                       " cannot be initialized from an init spec");
  }
}

/// Element i of a float or integer buffer as a double.
double loadValue(fb::DType dtype, const unsigned char *p, int64_t i) {
  switch (dtype) {
  case fb::DType::f32: {
    float f;
    std::memcpy(&f, p + 4 * i, 4);
    return f;
  }
  case fb::DType::f64: {
    double d;
    std::memcpy(&d, p + 8 * i, 8);
    return d;
  }
  case fb::DType::i32: {
    int32_t v;
    std::memcpy(&v, p + 4 * i, 4);
    return v;
  }
  case fb::DType::i64: {
    int64_t v;
    std::memcpy(&v, p + 8 * i, 8);
    return static_cast<double>(v);
  }
  default:
    return 0;
  }
}

} // namespace

DType hostDType(fb::DType dtype, const std::string &what) {
  switch (dtype) {
  case fb::DType::f32:
    return DType::F32;
  case fb::DType::i32:
    return DType::I32;
  case fb::DType::i64:
    return DType::I64;
  default:
    throw RuntimeError(what + ": element type " +
                       std::string(fb::EnumNameDType(dtype)) +
                       " is not one the runtime exchanges (f32, i32, i64)");
  }
}

Session::Session(const artifact::Artifact &artifact, uint64_t seed)
    : artifact_(artifact) {
  const fb::Artifact &a = artifact.root();
  if (a.kernels())
    for (const fb::Kernel *k : *a.kernels())
      kernels_.push_back(std::make_unique<KernelLibrary>(
          k->code()->data(), k->code()->size(),
          artifact.name() + " kernel '" + k->name()->str() + "'"));

  int n = a.parameters() ? static_cast<int>(a.parameters()->size()) : 0;
  owner_.resize(n);
  params_.resize(n);
  for (int i = 0; i < n; ++i) {
    // The loader checked share_from indices; a cycle ends at the first
    // repeat.
    int o = i;
    for (int hops = 0; hops <= n; ++hops) {
      int next = a.parameters()->Get(o)->share_from();
      if (next < 0)
        break;
      o = next;
    }
    owner_[i] = o;
  }
  for (int i = 0; i < n; ++i) {
    const fb::Parameter *p = a.parameters()->Get(i);
    if (owner_[i] != i)
      continue;
    std::vector<unsigned char> &bytes = params_[i];
    bytes.assign(byteSize(*p->type()), 0);
    if (p->initial_value() && p->initial_value()->size() == bytes.size() &&
        !bytes.empty()) {
      std::memcpy(bytes.data(), p->initial_value()->data(), bytes.size());
      continue;
    }
    random::InitSpec spec;
    if (const fb::InitSpec *s = p->init()) {
      spec.kind = static_cast<random::InitSpec::Kind>(s->kind());
      spec.value = s->value();
      spec.mean = s->mean();
      spec.std = s->std();
      spec.low = s->low();
      spec.high = s->high();
    } else {
      spec.kind = random::InitSpec::Kind::constant;
      spec.value = 0;
    }
    fb::DType dtype = p->type()->dtype();
    unsigned char *data = bytes.data();
    // Streams are 1-based in declaration order, as in the evaluator.
    random::initialValues(
        spec, shapeOf(*p->type()), seed, static_cast<uint64_t>(i) + 1,
        [&](int64_t e, double v) { storeValue(dtype, data, e, v); });
  }
  rng_.assign(16, 0);
  int64_t key = static_cast<int64_t>(seed);
  std::memcpy(rng_.data(), &key, 8);
}

std::vector<unsigned char> &Session::storage(const fb::Slot &slot) {
  switch (slot.kind()) {
  case fb::SlotKind::parameter:
    return params_[owner_[slot.parameter()]];
  case fb::SlotKind::optimizer_state: {
    auto key = std::make_pair(owner_[slot.parameter()],
                              slot.state_slot() ? slot.state_slot()->str()
                                                : std::string());
    auto it = state_.find(key);
    if (it == state_.end())
      it = state_
               .emplace(key,
                        std::vector<unsigned char>(byteSize(*slot.type()), 0))
               .first;
    return it->second;
  }
  case fb::SlotKind::rng:
    return rng_;
  default:
    throw RuntimeError("internal: slot '" +
                       (slot.name() ? slot.name()->str() : "") +
                       "' has no session storage");
  }
}

StepResult Session::run(fb::Phase phase, const std::vector<DataFeed *> &feeds,
                        const std::map<std::string, HostTensor> &inputs) {
  const fb::Schedule *s = artifact_.schedule(phase);
  if (!s)
    throw RuntimeError(artifact_.name() + ": the artifact has no " +
                       phaseName(phase) + " schedule");
  const fb::Artifact &a = artifact_.root();
  KernelEntry entry = kernels_.at(s->kernel())->entry(s->name()->str());
  unsigned nArgs = s->arguments() ? s->arguments()->size() : 0;
  unsigned nResults = s->results() ? s->results()->size() : 0;
  std::vector<void *> buffers(nArgs + nResults);
  StepResult out;

  // Arguments. Each data input is read once per call.
  std::map<int, std::vector<HostTensor>> batches;
  std::vector<int64_t> stepValue(1, step_);
  bool sawData = false;
  for (unsigned i = 0; i < nArgs; ++i) {
    const fb::Slot &slot = *s->arguments()->Get(i);
    std::string name = slot.name() ? slot.name()->str() : "";
    switch (slot.kind()) {
    case fb::SlotKind::parameter:
    case fb::SlotKind::optimizer_state:
    case fb::SlotKind::rng:
      buffers[i] = storage(slot).data();
      break;
    case fb::SlotKind::step:
      buffers[i] = stepValue.data();
      break;
    case fb::SlotKind::data: {
      int input = slot.data_input();
      const fb::DataInput &d = *a.data_inputs()->Get(input);
      std::string what = std::string("data input '") + d.name()->str() + "' (" +
                         phaseName(phase) + " phase)";
      auto it = batches.find(input);
      if (it == batches.end()) {
        if (input >= static_cast<int>(feeds.size()) || !feeds[input])
          throw RuntimeError(what + " has no data: name its file with --data " +
                             d.name()->str() + "=PATH");
        it = batches.emplace(input, feeds[input]->next()).first;
      }
      std::vector<HostTensor> &batch = it->second;
      if (slot.output() < 0 || slot.output() >= static_cast<int>(batch.size()))
        throw RuntimeError(what + ": " + feeds[input]->describe() +
                           " yields no output " +
                           std::to_string(slot.output()));
      HostTensor &t = batch[slot.output()];
      DType want = hostDType(slot.type()->dtype(), what);
      if (t.dtype() != want || t.shape() != shapeOf(*slot.type()))
        throw RuntimeError(
            what + ": " + feeds[input]->describe() + " yields a batch " +
            formatShape(t.shape()) + " " + dtypeName(t.dtype()) +
            " for output " + std::to_string(slot.output()) +
            ", the model takes " + formatShape(shapeOf(*slot.type())) + " " +
            dtypeName(want));
      buffers[i] = t.raw();
      if (!sawData && !t.shape().empty()) {
        out.samples = t.shape()[0];
        sawData = true;
      }
      break;
    }
    case fb::SlotKind::input: {
      auto it = inputs.find(name);
      if (it == inputs.end())
        throw RuntimeError("input '" + name + "' was not given");
      const HostTensor &t = it->second;
      DType want = hostDType(slot.type()->dtype(), "input '" + name + "'");
      if (t.dtype() != want || t.shape() != shapeOf(*slot.type()))
        throw RuntimeError("input '" + name + "' is " + formatShape(t.shape()) +
                           " " + dtypeName(t.dtype()) + ", the model takes " +
                           formatShape(shapeOf(*slot.type())) + " " +
                           dtypeName(want));
      buffers[i] = const_cast<void *>(t.raw());
      if (!sawData && !t.shape().empty()) {
        out.samples = t.shape()[0];
        sawData = true;
      }
      break;
    }
    default:
      throw RuntimeError("schedule '" + s->name()->str() + "' argument " +
                         std::to_string(i) + " ('" + name +
                         "') is of a kind the runtime cannot fill");
    }
  }

  // Results go to fresh buffers.
  std::vector<std::vector<unsigned char>> results(nResults);
  for (unsigned r = 0; r < nResults; ++r) {
    results[r].assign(byteSize(*s->results()->Get(r)->type()), 0);
    buffers[nArgs + r] = results[r].data();
  }
  entry(buffers.data());

  // The new state replaces the old; losses and metrics are read out.
  for (unsigned r = 0; r < nResults; ++r) {
    const fb::Slot &slot = *s->results()->Get(r);
    std::string name = slot.name() ? slot.name()->str() : "";
    switch (slot.kind()) {
    case fb::SlotKind::parameter:
    case fb::SlotKind::optimizer_state:
    case fb::SlotKind::rng:
      storage(slot).swap(results[r]);
      break;
    case fb::SlotKind::loss:
      out.loss += loadValue(slot.type()->dtype(), results[r].data(), 0);
      out.hasLoss = true;
      break;
    case fb::SlotKind::metric:
      out.metrics.emplace_back(
          name, loadValue(slot.type()->dtype(), results[r].data(), 0));
      break;
    default: {
      DType dtype = hostDType(slot.type()->dtype(), "result '" + name + "'");
      HostTensor t(dtype, shapeOf(*slot.type()));
      std::memcpy(t.raw(), results[r].data(), t.byteSize());
      out.outputs.emplace_back(name, std::move(t));
      break;
    }
    }
  }
  if (phase == fb::Phase::train)
    ++step_;
  return out;
}

std::vector<StateTensor> Session::stateTensors() {
  std::vector<StateTensor> tensors;
  const fb::Artifact &a = artifact_.root();
  for (size_t i = 0; i < params_.size(); ++i)
    if (owner_[i] == static_cast<int>(i))
      tensors.push_back(
          {"param:" + a.parameters()->Get(i)->name()->str(), &params_[i]});
  // Optimizer state exists once a train step ran or a checkpoint created
  // it: make every slot of the train schedule exist now.
  if (const fb::Schedule *s = artifact_.schedule(fb::Phase::train);
      s && s->arguments())
    for (const fb::Slot *slot : *s->arguments())
      if (slot->kind() == fb::SlotKind::optimizer_state)
        storage(*slot);
  for (auto &[key, bytes] : state_)
    tensors.push_back(
        {"state:" + a.parameters()->Get(key.first)->name()->str() + ":" +
             key.second,
         &bytes});
  tensors.push_back({"rng", &rng_});
  return tensors;
}

} // namespace strata::runtime
