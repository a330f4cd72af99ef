//===- ArtifactWriter.cpp - A compiled module as an artifact file ---------===//

#include "codegen/artifact/ArtifactWriter.h"

#include "ir/StrataDialect.h"
#include "runtime/artifact/ArtifactFormat.h"
#include "runtime/artifact/artifact_generated.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"

#include <map>

namespace strata::codegen {

namespace fb = artifact::fb;
using namespace mlir;

namespace {

std::optional<fb::DType> dtypeOf(Type t) {
  if (t.isF32())
    return fb::DType::f32;
  if (t.isF64())
    return fb::DType::f64;
  if (t.isF16())
    return fb::DType::f16;
  if (t.isBF16())
    return fb::DType::bf16;
  if (t.isInteger(1))
    return fb::DType::i1;
  if (t.isUnsignedInteger(8))
    return fb::DType::u8;
  if (t.isInteger(8))
    return fb::DType::i8;
  if (t.isInteger(16))
    return fb::DType::i16;
  if (t.isInteger(32))
    return fb::DType::i32;
  if (t.isInteger(64))
    return fb::DType::i64;
  return std::nullopt;
}

fb::InitKind initKindOf(InitKind kind) {
  switch (kind) {
  case InitKind::constant:
    return fb::InitKind::constant;
  case InitKind::gaussian:
    return fb::InitKind::gaussian;
  case InitKind::uniform:
    return fb::InitKind::uniform;
  case InitKind::gaussian_sqrt_fan_in:
    return fb::InitKind::gaussian_sqrt_fan_in;
  case InitKind::uniform_sqrt_fan_in:
    return fb::InitKind::uniform_sqrt_fan_in;
  case InitKind::uniform_sqrt_fan_in_out:
    return fb::InitKind::uniform_sqrt_fan_in_out;
  }
  return fb::InitKind::constant;
}

fb::Phase phaseOf(ScheduleRequest::Phase p) {
  switch (p) {
  case ScheduleRequest::Phase::train:
    return fb::Phase::train;
  case ScheduleRequest::Phase::validate:
    return fb::Phase::validate;
  case ScheduleRequest::Phase::test:
    return fb::Phase::test;
  case ScheduleRequest::Phase::infer:
    return fb::Phase::infer;
  }
  return fb::Phase::infer;
}

/// Dictionary field readers with defaults.
std::string str(DictionaryAttr d, StringRef name) {
  if (auto a = d ? d.getAs<StringAttr>(name) : StringAttr())
    return a.getValue().str();
  return "";
}
int64_t i64(DictionaryAttr d, StringRef name, int64_t def = 0) {
  if (auto a = d ? d.getAs<IntegerAttr>(name) : IntegerAttr())
    return a.getInt();
  return def;
}
double f64(DictionaryAttr d, StringRef name, double def = 0) {
  if (auto a = d ? d.getAs<FloatAttr>(name) : FloatAttr())
    return a.getValueAsDouble();
  if (auto a = d ? d.getAs<IntegerAttr>(name) : IntegerAttr())
    return static_cast<double>(a.getInt());
  return def;
}
bool flag(DictionaryAttr d, StringRef name) {
  if (auto a = d ? d.getAs<BoolAttr>(name) : BoolAttr())
    return a.getValue();
  return false;
}

class Writer {
public:
  Writer(ModuleOp module) : module_(module) {}

  FailureOr<std::vector<unsigned char>> run(const SharedObject &kernel,
                                            ArrayRef<ScheduleRequest> requests,
                                            StringRef producer) {
    kernel_ = &kernel;
    if (failed(collectParameters()))
      return failure();
    std::vector<flatbuffers::Offset<fb::Schedule>> schedules;
    for (const ScheduleRequest &r : requests) {
      auto fn = module_.lookupSymbol<func::FuncOp>(r.function);
      if (!fn || fn.isExternal())
        return module_.emitError("the artifact needs a function @")
               << r.function << ", which the module does not define";
      auto s = schedule(fn, phaseOf(r.phase));
      if (failed(s))
        return failure();
      schedules.push_back(*s);
    }
    std::vector<flatbuffers::Offset<fb::Kernel>> kernels = {
        fb::CreateKernelDirect(b_, "cpu", fb::KernelFormat::elf_shared_object,
                               kernel.targetTriple.c_str(), kernel.cpu.c_str(),
                               &kernel.bytes)};
    std::vector<flatbuffers::Offset<fb::DataInput>> inputs;
    for (const Input &in : inputs_) {
      std::vector<flatbuffers::Offset<fb::TensorType>> outputs;
      for (Type t : in.outputs)
        outputs.push_back(*tensorType(t, module_));
      inputs.push_back(fb::CreateDataInputDirect(
          b_, in.name.c_str(), in.phase, &outputs, dataSource(in.source)));
    }
    auto root = fb::CreateArtifactDirect(b_, producer.str().c_str(), "cpu",
                                         job(), &parameters_, &kernels,
                                         &schedules, &inputs, updater());
    fb::FinishArtifactBuffer(b_, root);
    std::vector<unsigned char> file(artifact::kHeaderSize + b_.GetSize());
    auto header = artifact::makeHeader(b_.GetBufferPointer(), b_.GetSize());
    std::copy(header.begin(), header.end(), file.begin());
    std::copy(b_.GetBufferPointer(), b_.GetBufferPointer() + b_.GetSize(),
              file.begin() + artifact::kHeaderSize);
    return file;
  }

private:
  struct Input {
    fb::Phase phase;
    std::string name;
    std::vector<Type> outputs;
    DictionaryAttr source;
  };

  FailureOr<flatbuffers::Offset<fb::TensorType>> tensorType(Type t,
                                                            Operation *at) {
    auto rt = dyn_cast<RankedTensorType>(t);
    if (!rt || !rt.hasStaticShape())
      return at->emitError("the artifact needs static shapes, not ") << t;
    auto dtype = dtypeOf(rt.getElementType());
    if (!dtype)
      return at->emitError("the artifact cannot hold the element type ")
             << rt.getElementType();
    std::vector<int64_t> shape(rt.getShape().begin(), rt.getShape().end());
    return fb::CreateTensorTypeDirect(b_, *dtype, &shape);
  }

  LogicalResult collectParameters() {
    std::vector<ParameterOp> params(module_.getOps<ParameterOp>().begin(),
                                    module_.getOps<ParameterOp>().end());
    for (auto [i, p] : llvm::enumerate(params))
      paramIndex_[p.getSymName().str()] = static_cast<int>(i);
    for (ParameterOp p : params) {
      auto type = tensorType(p.getType(), p);
      if (failed(type))
        return failure();
      InitAttr init = p.getInit();
      auto spec = fb::CreateInitSpec(
          b_, initKindOf(init.getKind()), init.getValue().convertToDouble(),
          init.getMean().convertToDouble(), init.getStd().convertToDouble(),
          init.getLow().convertToDouble(), init.getHigh().convertToDouble());
      std::vector<uint8_t> value;
      if (auto v = p->getAttrOfType<DenseElementsAttr>("onnx.initializer")) {
        ArrayRef<char> raw = v.getRawData();
        if (v.isSplat() || v.getElementType().isInteger(1))
          return p.emitError("the artifact cannot hold this initializer "
                             "(splat or boolean)");
        value.assign(raw.begin(), raw.end());
      }
      int shareFrom = -1;
      if (auto from = p.getShareFrom()) {
        auto it = paramIndex_.find(from->str());
        if (it == paramIndex_.end())
          return p.emitError("share_from names no parameter");
        shareFrom = it->second;
      }
      parameters_.push_back(fb::CreateParameterDirect(
          b_, p.getSymName().str().c_str(), *type, spec,
          value.empty() ? nullptr : &value, p.getTrainable(),
          p.getLrScale().convertToDouble(), p.getWdScale().convertToDouble(),
          shareFrom));
    }
    return success();
  }

  /// The slot of argument / result `i` of `fn`.
  FailureOr<flatbuffers::Offset<fb::Slot>> slot(func::FuncOp fn,
                                                DictionaryAttr attrs, Type type,
                                                bool isResult, unsigned i,
                                                fb::Phase phase) {
    auto t = tensorType(type, fn);
    if (failed(t))
      return failure();
    std::string name = str(attrs, "strata.name");
    int param = -1, input = -1, output = -1;
    std::string stateSlot;
    fb::SlotKind kind;
    if (auto p = attrs ? attrs.getAs<FlatSymbolRefAttr>("strata.param")
                       : FlatSymbolRefAttr()) {
      auto it = paramIndex_.find(p.getValue().str());
      if (it == paramIndex_.end())
        return fn.emitError() << (isResult ? "result " : "argument ") << i
                              << " names a missing parameter " << p;
      param = it->second;
      stateSlot = str(attrs, "strata.state");
      kind = stateSlot.empty() ? fb::SlotKind::parameter
                               : fb::SlotKind::optimizer_state;
      if (name.empty())
        name = p.getValue().str() + (stateSlot.empty() ? "" : ":" + stateSlot);
    } else if (attrs && attrs.get("strata.step")) {
      kind = fb::SlotKind::step;
      name = "step";
    } else if (attrs && attrs.get("strata.rng")) {
      kind = fb::SlotKind::rng;
      name = "rng";
    } else if (auto d = attrs ? attrs.getAs<StringAttr>("strata.data_input")
                              : StringAttr()) {
      if (isResult)
        return fn.emitError() << "result " << i << " is marked as a data input";
      kind = fb::SlotKind::data;
      name = d.getValue().str();
      output = static_cast<int>(i64(attrs, "strata.output"));
      input = dataInput(phase, name, output, type,
                        attrs.getAs<DictionaryAttr>("strata.source"));
    } else if (!isResult) {
      kind = fb::SlotKind::input;
      if (name.empty())
        name = "input" + std::to_string(i);
    } else if (attrs && attrs.get("strata.loss")) {
      kind = fb::SlotKind::loss;
      if (name.empty())
        name = "loss";
    } else {
      // Inference returns outputs; a training or test step's other
      // one-element results are its metrics.
      kind = phase != fb::Phase::infer &&
                     (cast<RankedTensorType>(type).getRank() == 0 ||
                      cast<RankedTensorType>(type).getNumElements() == 1)
                 ? fb::SlotKind::metric
                 : fb::SlotKind::output;
      if (name.empty())
        name = "output" + std::to_string(i);
    }
    return fb::CreateSlotDirect(b_, kind, name.c_str(), *t, param,
                                stateSlot.empty() ? nullptr : stateSlot.c_str(),
                                input, output);
  }

  /// The index of data input (phase, name), made on first use; its output
  /// `output` has `type`.
  int dataInput(fb::Phase phase, const std::string &name, int output, Type type,
                DictionaryAttr source) {
    int index = -1;
    for (auto [i, in] : llvm::enumerate(inputs_))
      if (in.phase == phase && in.name == name)
        index = static_cast<int>(i);
    if (index < 0) {
      inputs_.push_back({phase, name, {}, source});
      index = static_cast<int>(inputs_.size()) - 1;
    }
    Input &in = inputs_[index];
    if (in.outputs.size() <= static_cast<size_t>(output))
      in.outputs.resize(output + 1);
    in.outputs[output] = type;
    if (!in.source)
      in.source = source;
    return index;
  }

  FailureOr<flatbuffers::Offset<fb::Schedule>> schedule(func::FuncOp fn,
                                                        fb::Phase phase) {
    std::vector<flatbuffers::Offset<fb::Slot>> args, results;
    for (unsigned i = 0; i < fn.getNumArguments(); ++i) {
      auto s = slot(fn, fn.getArgAttrDict(i), fn.getArgumentTypes()[i], false,
                    i, phase);
      if (failed(s))
        return failure();
      args.push_back(*s);
    }
    for (unsigned i = 0; i < fn.getNumResults(); ++i) {
      auto s = slot(fn, fn.getResultAttrDict(i), fn.getResultTypes()[i], true,
                    i, phase);
      if (failed(s))
        return failure();
      results.push_back(*s);
    }
    // Every data output the function reads must be described.
    for (const Input &in : inputs_)
      for (auto [k, t] : llvm::enumerate(in.outputs))
        if (!t)
          return fn.emitError("data input '")
                 << in.name << "' has no argument for its output " << k;
    std::string name = fn.getName().str();
    std::string entry = entrySymbol(fn.getName());
    flatbuffers::Offset<fb::MemoryPlan> memory = 0;
    auto plan = kernel_->memoryPlans.find(name);
    if (plan != kernel_->memoryPlans.end())
      memory = fb::CreateMemoryPlan(b_, plan->second.arenaBytes,
                                    plan->second.naiveBytes);
    return fb::CreateScheduleDirect(b_, phase, name.c_str(), 0, entry.c_str(),
                                    &args, &results, memory);
  }

  flatbuffers::Offset<fb::DataSource> dataSource(DictionaryAttr s) {
    if (!s)
      return 0;
    return fb::CreateDataSourceDirect(
        b_, str(s, "kind").c_str(), str(s, "backend").c_str(),
        str(s, "path").c_str(), str(s, "separator").c_str(),
        flag(s, "has_label"), flag(s, "encoded"), str(s, "mean_file").c_str(),
        f64(s, "mean_value"), str(s, "std_file").c_str(),
        f64(s, "std_value", 1.0), i64(s, "random_skip"), flag(s, "prefetching"),
        str(s, "vocab_path").c_str(), i64(s, "unroll_len"));
  }

  flatbuffers::Offset<fb::Job> job() {
    auto j = module_->getAttrOfType<DictionaryAttr>("strata.job");
    auto alg = module_->getAttrOfType<DictionaryAttr>("strata.alg");
    auto cluster = module_->getAttrOfType<DictionaryAttr>("strata.cluster");
    if (!j && !alg)
      return 0;
    return fb::CreateJobDirect(
        b_, str(j, "name").c_str(), str(alg, "alg").c_str(),
        i64(j, "train_steps"), i64(j, "test_steps"), i64(j, "test_freq"),
        i64(j, "test_after"), i64(j, "validate_steps"), i64(j, "validate_freq"),
        i64(j, "validate_after"), i64(j, "disp_freq"), i64(j, "disp_after"),
        i64(j, "checkpoint_freq"), i64(j, "checkpoint_after"),
        i64(j, "warmup_steps"), str(cluster, "workspace").c_str());
  }

  flatbuffers::Offset<fb::Updater> updater() {
    auto u = module_->getAttrOfType<DictionaryAttr>("strata.updater");
    if (!u)
      return 0;
    auto lr = u.getAs<DictionaryAttr>("learning_rate");
    std::vector<int64_t> steps;
    std::vector<double> stepLrs;
    if (auto a = lr ? lr.getAs<DenseI64ArrayAttr>("fixed_steps")
                    : DenseI64ArrayAttr())
      steps.assign(a.asArrayRef().begin(), a.asArrayRef().end());
    if (auto a = lr ? lr.getAs<DenseF64ArrayAttr>("fixed_step_lrs")
                    : DenseF64ArrayAttr())
      stepLrs.assign(a.asArrayRef().begin(), a.asArrayRef().end());
    auto rate = fb::CreateLearningRateDirect(
        b_, str(lr, "type").c_str(), f64(lr, "base_lr"),
        i64(lr, "step_change_freq"), f64(lr, "step_gamma"), &steps, &stepLrs,
        i64(lr, "linear_change_freq"), f64(lr, "linear_final_lr"),
        i64(lr, "exponential_change_freq"), f64(lr, "inverse_gamma"),
        f64(lr, "inverse_pow"), f64(lr, "inverset_final_lr"));
    return fb::CreateUpdaterDirect(
        b_, str(u, "type").c_str(), rate, f64(u, "momentum"),
        f64(u, "weight_decay"), f64(u, "rho"), f64(u, "delta"), f64(u, "beta1"),
        f64(u, "beta2"), f64(u, "clip_low"), f64(u, "clip_high"));
  }

  ModuleOp module_;
  const SharedObject *kernel_ = nullptr;
  flatbuffers::FlatBufferBuilder b_;
  std::map<std::string, int> paramIndex_;
  std::vector<flatbuffers::Offset<fb::Parameter>> parameters_;
  std::vector<Input> inputs_;
};

} // namespace

FailureOr<std::vector<unsigned char>>
buildArtifact(ModuleOp module, const SharedObject &kernel,
              ArrayRef<ScheduleRequest> schedules, StringRef producer) {
  return Writer(module).run(kernel, schedules, producer);
}

} // namespace strata::codegen
