//===- Updater.cpp - --strata-updater
//--------------------------------------===//
//
// Turns `@<f>_grad` into the pure training step `@<f>_step`: parameters and
// optimizer state in, updated parameters and state out, the learning-rate
// schedule and the update rule written as strata ops.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "ir/gradients/GradientBuilder.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"

namespace strata {
#define GEN_PASS_DEF_STRATAUPDATER
#include "passes/Passes.h.inc"
} // namespace strata

using namespace mlir;

namespace {

using strata::gradients::GradientBuilder;

double getF(DictionaryAttr d, StringRef name, double def) {
  if (auto a = d ? d.getAs<FloatAttr>(name) : FloatAttr())
    return a.getValueAsDouble();
  if (auto a = d ? d.getAs<IntegerAttr>(name) : IntegerAttr())
    return static_cast<double>(a.getInt());
  return def;
}

/// The learning rate at `step` (f32 scalar) as SINGA's LRGenerator defines
/// it; `s` is the step as an f32 scalar.
FailureOr<Value> learningRate(GradientBuilder &m, DictionaryAttr lr, Value s,
                              Operation *anchor) {
  Type f32 = Float32Type::get(anchor->getContext());
  StringRef type = "fixed";
  if (auto t = lr ? lr.getAs<StringAttr>("type") : StringAttr())
    type = t.getValue();
  double base = getF(lr, "base_lr", 0.01);
  auto freqOf = [&](StringRef name) -> FailureOr<double> {
    double f = getF(lr, name, 0);
    if (f <= 0) {
      anchor->emitError("learning rate schedule '")
          << type << "' needs a positive " << name;
      return failure();
    }
    return f;
  };
  if (type == "fixed")
    return m.scalar(f32, base);
  if (type == "linear") {
    auto freq = freqOf("linear_change_freq");
    if (failed(freq))
      return failure();
    Value r = m.div(s, m.scalar(f32, *freq));
    double final = getF(lr, "linear_final_lr", 0);
    // (1 - r) base + r final = base + r (final - base)
    return m.add(m.scalar(f32, base), m.scale(r, final - base));
  }
  if (type == "exponential") {
    auto freq = freqOf("exponential_change_freq");
    if (failed(freq))
      return failure();
    return m.div(
        m.scalar(f32, base),
        m.op("pow", {m.scalar(f32, 2), m.div(s, m.scalar(f32, *freq))}));
  }
  if (type == "inverse_t") {
    double final = getF(lr, "inverset_final_lr", 0);
    if (final <= 0) {
      anchor->emitError("learning rate schedule 'inverse_t' needs a positive "
                        "inverset_final_lr");
      return failure();
    }
    return m.div(m.scalar(f32, base),
                 m.add(m.scalar(f32, 1), m.div(s, m.scalar(f32, final))));
  }
  if (type == "inverse") {
    double gamma = getF(lr, "inverse_gamma", 1),
           pw = getF(lr, "inverse_pow", 0);
    return m.mul(m.scalar(f32, base),
                 m.op("pow", {m.add(m.scalar(f32, 1), m.scale(s, gamma)),
                              m.scalar(f32, -pw)}));
  }
  if (type == "step") {
    auto freq = freqOf("step_change_freq");
    if (failed(freq))
      return failure();
    // gamma ^ floor(step / freq): integer division, as SINGA's.
    Value k = m.op("floor", m.div(s, m.scalar(f32, *freq)));
    return m.mul(m.scalar(f32, base),
                 m.op("pow", {m.scalar(f32, getF(lr, "step_gamma", 1)), k}));
  }
  if (type == "fixed_step") {
    auto steps = lr.getAs<DenseI64ArrayAttr>("fixed_steps");
    auto lrs = lr.getAs<DenseF64ArrayAttr>("fixed_step_lrs");
    if (!steps || !lrs || steps.size() != lrs.size()) {
      anchor->emitError("learning rate schedule 'fixed_step' needs as many "
                        "fixed_steps as fixed_step_lrs");
      return failure();
    }
    // The rate of the last listed step that `step` is past; 0 before the
    // first (SINGA's rule).
    Value rate = m.scalar(f32, 0);
    for (auto [at, value] : llvm::zip(steps.asArrayRef(), lrs.asArrayRef())) {
      Value past = m.op("greater", {s, m.scalar(f32, static_cast<double>(at))});
      rate = m.op("where", {past, m.scalar(f32, value), rate});
    }
    return rate;
  }
  anchor->emitError("unknown learning rate schedule '") << type << "'";
  return failure();
}

/// The updater's state slots per parameter.
SmallVector<StringRef> stateSlots(StringRef type, double momentum) {
  if (type == "sgd")
    return momentum > 0 ? SmallVector<StringRef>{"history"}
                        : SmallVector<StringRef>{};
  if (type == "nesterov" || type == "ada_grad" || type == "rmsprop")
    return {"history"};
  if (type == "ada_delta")
    return {"history", "update"};
  if (type == "adam")
    return {"m", "v"};
  if (type == "adam_max")
    return {"m", "u"};
  return {};
}

struct StrataUpdater : public strata::impl::StrataUpdaterBase<StrataUpdater> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> grads;
    for (auto fn : module.getOps<func::FuncOp>())
      if (fn->hasAttr("strata.gradient_of"))
        grads.push_back(fn);
    SymbolTable symbols(module);
    for (func::FuncOp g : grads)
      if (failed(buildStep(g, symbols)))
        return signalPassFailure();
  }

  LogicalResult buildStep(func::FuncOp grad, SymbolTable &symbols) {
    ModuleOp module = getOperation();
    auto updater = module->getAttrOfType<DictionaryAttr>("strata.updater");
    StringRef type = "sgd";
    if (auto t = updater ? updater.getAs<StringAttr>("type") : StringAttr())
      type = t.getValue();
    double momentum = getF(updater, "momentum", 0);
    double weightDecay = getF(updater, "weight_decay", 0);
    double delta = getF(updater, "delta", 1e-8);
    double rho = getF(updater, "rho", 0.9);
    double beta1 = getF(updater, "beta1", 0.9),
           beta2 = getF(updater, "beta2", 0.999);
    double clipLow = getF(updater, "clip_low", 0),
           clipHigh = getF(updater, "clip_high", 0);
    static const StringRef known[] = {"sgd",     "nesterov",  "ada_grad",
                                      "rmsprop", "ada_delta", "adam",
                                      "adam_max"};
    if (!llvm::is_contained(known, type))
      return grad.emitError("--strata-updater: unsupported updater '")
             << type << "'";
    auto slots = stateSlots(type, momentum);
    DictionaryAttr lr = updater ? updater.getAs<DictionaryAttr>("learning_rate")
                                : DictionaryAttr();

    // The gradient results: strata.grad_of = @p, in declaration order.
    unsigned nOrig = 0;
    SmallVector<std::pair<strata::ParameterOp, unsigned>> gradResult;
    for (unsigned i = 0; i < grad.getNumResults(); ++i) {
      auto of =
          grad.getResultAttrOfType<FlatSymbolRefAttr>(i, "strata.grad_of");
      if (!of) {
        if (grad.getResultAttr(i, "strata.grad_of_arg"))
          continue;
        nOrig = i + 1;
        continue;
      }
      gradResult.push_back(
          {symbols.lookup<strata::ParameterOp>(of.getValue()), i});
    }
    // Every parameter the function reads, by owner, in declaration order.
    llvm::SmallDenseSet<Operation *> readSet;
    for (auto pv : grad.getOps<strata::ParamValueOp>())
      if (auto owner = pv.getStorageOwner())
        readSet.insert(owner);
    SmallVector<strata::ParameterOp> params;
    for (auto p : module.getOps<strata::ParameterOp>())
      if (readSet.contains(p))
        params.push_back(p);

    OpBuilder b(grad);
    b.setInsertionPointAfter(grad);
    MLIRContext *ctx = grad.getContext();
    std::string name = grad.getName().str();
    if (StringRef(name).ends_with("_grad"))
      name = name.substr(0, name.size() - 5);
    name += "_step";
    if (symbols.lookup(name))
      return grad.emitError("a function @") << name << " exists already";

    // Signature.
    SmallVector<Type> argTypes;
    SmallVector<DictionaryAttr> argAttrs;
    auto dict = [&](ArrayRef<NamedAttribute> attrs) {
      return DictionaryAttr::get(ctx, attrs);
    };
    auto paramRef = [&](strata::ParameterOp p) {
      return b.getNamedAttr("strata.param",
                            FlatSymbolRefAttr::get(p.getSymNameAttr()));
    };
    for (auto p : params) {
      argTypes.push_back(p.getType());
      argAttrs.push_back(dict({paramRef(p)}));
    }
    SmallVector<std::pair<strata::ParameterOp, StringRef>> states;
    for (auto [p, index] : gradResult)
      for (StringRef slot : slots) {
        states.push_back({p, slot});
        argTypes.push_back(p.getType());
        argAttrs.push_back(
            dict({paramRef(p),
                  b.getNamedAttr("strata.state", b.getStringAttr(slot))}));
      }
    auto stepType = RankedTensorType::get({}, b.getI64Type());
    argTypes.push_back(stepType);
    argAttrs.push_back(dict({b.getNamedAttr("strata.step", b.getUnitAttr())}));
    unsigned firstOrigArg = argTypes.size();
    for (unsigned i = 0; i < grad.getNumArguments(); ++i) {
      argTypes.push_back(grad.getArgument(i).getType());
      argAttrs.push_back(grad.getArgAttrDict(i) ? grad.getArgAttrDict(i)
                                                : dict({}));
    }
    auto step = func::FuncOp::create(b, grad.getLoc(), name,
                                     b.getFunctionType(argTypes, {}));
    symbols.insert(step);
    Block *body = step.addEntryBlock();
    IRMapping map;
    for (unsigned i = 0; i < grad.getNumArguments(); ++i)
      map.map(grad.getArgument(i), body->getArgument(firstOrigArg + i));
    OpBuilder ib = OpBuilder::atBlockEnd(body);
    // The body of @<f>_grad with parameter reads replaced by the arguments.
    llvm::DenseMap<Operation *, Value> paramArg;
    for (auto [i, p] : llvm::enumerate(params))
      paramArg[p] = body->getArgument(i);
    func::ReturnOp ret;
    for (Operation &op : grad.getBody().front()) {
      if (auto r = dyn_cast<func::ReturnOp>(op)) {
        ret = r;
        break;
      }
      if (auto pv = dyn_cast<strata::ParamValueOp>(op)) {
        Value arg = paramArg.lookup(pv.getStorageOwner());
        if (arg.getType() != pv.getType())
          return pv.emitError("reads parameter @")
                 << pv.getParam() << " as " << pv.getType()
                 << " but its owner is " << arg.getType();
        map.map(pv.getValue(), arg);
        continue;
      }
      ib.clone(op, map);
    }

    GradientBuilder m(ib, grad);
    Type f32 = Float32Type::get(ctx);
    Value stepArg = body->getArgument(firstOrigArg - 1);
    Value s = m.castTo(stepArg, f32);
    auto rate = learningRate(m, lr, s, grad);
    if (failed(rate))
      return failure();
    // Adam / AdaMax bias corrections use t = step + 1.
    Value t = m.add(s, m.scalar(f32, 1));

    SmallVector<Value> newParams, newStates;
    llvm::DenseMap<Operation *, Value> updated;
    unsigned stateArg = params.size();
    for (auto [p, index] : gradResult) {
      Value w = paramArg.lookup(p);
      Value g = map.lookup(ret.getOperand(index));
      Type et = cast<ShapedType>(w.getType()).getElementType();
      Value lrP =
          m.castTo(m.scale(*rate, p.getLrScale().convertToDouble()), et);
      double wd = weightDecay * p.getWdScale().convertToDouble();
      if (clipHigh > clipLow)
        g = m.op("clip", g,
                 {b.getNamedAttr("min", b.getF64FloatAttr(clipLow)),
                  b.getNamedAttr("max", b.getF64FloatAttr(clipHigh))});
      Value raw = g; // AdaGrad / RMSProp accumulate the gradient before decay
      if (wd > 0)
        g = m.add(g, m.scale(w, wd));
      SmallVector<Value> st;
      for (size_t k = 0; k < slots.size(); ++k)
        st.push_back(body->getArgument(stateArg++));
      auto one = [&](Value like) { return m.scalar(like, 1); };
      Value wNew;
      SmallVector<Value> stNew;
      if (type == "sgd") {
        if (momentum > 0) {
          Value h = m.sub(m.scale(st[0], momentum), m.mul(lrP, g));
          stNew.push_back(h);
          wNew = m.add(w, h);
        } else {
          wNew = m.sub(w, m.mul(lrP, g));
        }
      } else if (type == "nesterov") {
        Value h = m.add(m.scale(st[0], momentum), m.mul(lrP, g));
        stNew.push_back(h);
        wNew =
            m.sub(w, m.sub(m.scale(h, 1 + momentum), m.scale(st[0], momentum)));
      } else if (type == "ada_grad" || type == "rmsprop") {
        Value sq = m.mul(raw, raw);
        Value h = type == "ada_grad"
                      ? m.add(st[0], sq)
                      : m.add(m.scale(st[0], rho), m.scale(sq, 1 - rho));
        stNew.push_back(h);
        wNew = m.sub(w, m.div(m.mul(lrP, g),
                              m.op("sqrt", m.add(h, m.scalar(h, delta)))));
      } else if (type == "ada_delta") {
        Value h = m.add(m.scale(st[0], rho), m.scale(m.mul(g, g), 1 - rho));
        Value d =
            m.div(m.mul(g, m.op("sqrt", m.add(st[1], m.scalar(h, delta)))),
                  m.op("sqrt", m.add(h, m.scalar(h, delta))));
        Value u = m.add(m.scale(st[1], rho), m.scale(m.mul(d, d), 1 - rho));
        stNew.append({h, u});
        wNew = m.sub(w, d);
      } else { // adam, adam_max
        Value tt = m.castTo(t, et);
        Value mNew = m.add(m.scale(st[0], beta1), m.scale(g, 1 - beta1));
        Value c1 = m.sub(one(tt), m.op("pow", {m.scalar(tt, beta1), tt}));
        if (type == "adam") {
          Value vNew =
              m.add(m.scale(st[1], beta2), m.scale(m.mul(g, g), 1 - beta2));
          Value c2 = m.sub(one(tt), m.op("pow", {m.scalar(tt, beta2), tt}));
          Value mHat = m.div(mNew, c1), vHat = m.div(vNew, c2);
          wNew =
              m.sub(w, m.div(m.mul(lrP, mHat),
                             m.add(m.op("sqrt", vHat), m.scalar(vHat, delta))));
          stNew.append({mNew, vNew});
        } else {
          Value uNew = m.op("max", {m.scale(st[1], beta2), m.op("abs", g)});
          wNew = m.sub(w, m.div(m.mul(m.div(lrP, c1), mNew),
                                m.add(uNew, m.scalar(uNew, delta))));
          stNew.append({mNew, uNew});
        }
      }
      if (failed(m.status()))
        return grad.emitError("--strata-updater: cannot build the ")
               << type << " update of @" << p.getSymName();
      updated[p] = wNew;
      llvm::append_range(newStates, stNew);
    }
    for (auto p : params)
      newParams.push_back(updated.count(p) ? updated[p] : paramArg.lookup(p));

    SmallVector<Value> results(newParams);
    SmallVector<DictionaryAttr> resultAttrs;
    for (auto p : params)
      resultAttrs.push_back(dict({paramRef(p)}));
    results.append(newStates);
    for (auto [p, slot] : states)
      resultAttrs.push_back(
          dict({paramRef(p),
                b.getNamedAttr("strata.state", b.getStringAttr(slot))}));
    for (unsigned i = 0; i < nOrig; ++i) {
      results.push_back(map.lookup(ret.getOperand(i)));
      resultAttrs.push_back(
          grad.getResultAttrDict(i) ? grad.getResultAttrDict(i) : dict({}));
    }
    func::ReturnOp::create(ib, grad.getLoc(), results);
    step.setType(b.getFunctionType(argTypes, ValueRange(results).getTypes()));
    step.setAllArgAttrs(argAttrs);
    step.setAllResultAttrs(resultAttrs);
    if (auto phase = grad->getAttr(strata::kPhaseAttrName))
      step->setAttr(strata::kPhaseAttrName, phase);
    step->setAttr("strata.step_of", grad->getAttr("strata.gradient_of"));
    return success();
  }
};

} // namespace
