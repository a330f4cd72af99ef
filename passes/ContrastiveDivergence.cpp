//===- ContrastiveDivergence.cpp - --strata-contrastive-divergence --------===//
//
// Builds `@<f>_grad` for the RBMs a train function describes (strata.rbm):
// the Gibbs chain of CD-k unrolled from the positive phase, the parameter
// gradients as differences of the chain's statistics, and the reconstruction
// error as the loss. The result has the contract of --strata-autodiff's
// gradient functions, so --strata-updater builds the training step from it.
//
// A test or validation function that returns an RBM's visible and
// positive-phase hidden units (results named as the train function's) gains
// a strata.loss result: the mean-field reconstruction error
// sum((v0 - sigmoid(h0 W + b))^2) / B, with the hidden probabilities in
// place of samples, so evaluation is deterministic.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "ir/gradients/GradientBuilder.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/MapVector.h"

namespace strata {
#define GEN_PASS_DEF_STRATACONTRASTIVEDIVERGENCE
#include "passes/Passes.h.inc"
} // namespace strata

using namespace mlir;

namespace {

using strata::ParameterOp;
using strata::gradients::GradientBuilder;

/// One RBM of strata.rbm, resolved against the module.
struct RBM {
  unsigned visible = 0, hidden = 0;
  ParameterOp weight, hiddenWeight, visibleBias, hiddenBias;
  bool gaussian = false;
  std::string name; // the visible layer's name, or "rbm<i>"
};

struct StrataContrastiveDivergence
    : public strata::impl::StrataContrastiveDivergenceBase<
          StrataContrastiveDivergence> {
  using StrataContrastiveDivergenceBase::StrataContrastiveDivergenceBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<func::FuncOp> targets;
    for (auto fn : module.getOps<func::FuncOp>()) {
      if (fn.isExternal() || fn->hasAttr("strata.gradient_of"))
        continue;
      auto phase = fn->getAttrOfType<strata::PhaseAttr>(strata::kPhaseAttrName);
      if (phase && phase.getValue() == strata::Phase::train)
        targets.push_back(fn);
    }
    if (targets.empty())
      return;
    auto alg = module->getAttrOfType<DictionaryAttr>("strata.alg");
    auto algName = alg ? alg.getAs<StringAttr>("alg") : StringAttr();
    auto cdK = alg ? alg.getAs<IntegerAttr>("cd_k") : IntegerAttr();
    if (!algName || algName.getValue() != "cd" || !cdK) {
      module.emitError("--strata-contrastive-divergence: the module does not "
                       "train with contrastive divergence (it needs "
                       "strata.alg = {alg = \"cd\", cd_k = K})");
      return signalPassFailure();
    }
    if (cdK.getInt() < 1) {
      module.emitError("--strata-contrastive-divergence: cd_k must be >= 1, "
                       "got ")
          << cdK.getInt();
      return signalPassFailure();
    }
    for (func::FuncOp fn : targets) {
      if (failed(build(fn, cdK.getInt(), symbols)))
        return signalPassFailure();
      SmallVector<RBM> rbms;
      if (failed(resolve(fn, symbols, rbms)) ||
          failed(addEvaluationLosses(fn, rbms, module)))
        return signalPassFailure();
    }
  }

  static StringRef resultName(func::FuncOp fn, unsigned i) {
    DictionaryAttr d = fn.getResultAttrDict(i);
    auto n = d ? d.getAs<StringAttr>("strata.name") : StringAttr();
    return n ? n.getValue() : StringRef();
  }

  /// The reconstruction error of each RBM of `train` as a loss of the test
  /// and validation functions that return its units.
  LogicalResult addEvaluationLosses(func::FuncOp train, ArrayRef<RBM> rbms,
                                    ModuleOp module) {
    auto find = [](func::FuncOp fn, StringRef name) -> int {
      if (name.empty())
        return -1;
      for (unsigned i = 0; i < fn.getNumResults(); ++i)
        if (resultName(fn, i) == name)
          return static_cast<int>(i);
      return -1;
    };
    for (auto fn : module.getOps<func::FuncOp>()) {
      auto phase = fn->getAttrOfType<strata::PhaseAttr>(strata::kPhaseAttrName);
      if (fn.isExternal() || !phase ||
          (phase.getValue() != strata::Phase::test &&
           phase.getValue() != strata::Phase::val) ||
          !fn.getBody().hasOneBlock())
        continue;
      auto ret = cast<func::ReturnOp>(fn.getBody().front().getTerminator());
      OpBuilder b(ret);
      GradientBuilder m(b, fn);
      SmallVector<Value> results(ret.getOperands());
      SmallVector<DictionaryAttr> attrs;
      for (unsigned i = 0; i < fn.getNumResults(); ++i)
        attrs.push_back(fn.getResultAttrDict(i) ? fn.getResultAttrDict(i)
                                                : b.getDictionaryAttr({}));
      for (RBM rbm : rbms) {
        int vi = find(fn, resultName(train, rbm.visible));
        int hi = find(fn, resultName(train, rbm.hidden));
        if (vi < 0 || hi < 0)
          continue;
        Value v0 = ret.getOperand(vi), h0 = ret.getOperand(hi);
        auto vt = dyn_cast<RankedTensorType>(v0.getType());
        auto ht = dyn_cast<RankedTensorType>(h0.getType());
        if (!vt || !ht || vt.getRank() != 2 || ht.getRank() != 2 ||
            !vt.hasStaticShape() || !ht.hasStaticShape() ||
            vt.getDimSize(0) != ht.getDimSize(0) ||
            vt.getDimSize(1) !=
                cast<RankedTensorType>(rbm.weight.getType()).getDimSize(1) ||
            ht.getDimSize(1) !=
                cast<RankedTensorType>(rbm.weight.getType()).getDimSize(0))
          return fn.emitError("@")
                 << fn.getName() << " returns RBM '" << rbm.name
                 << "''s units as " << v0.getType() << " and " << h0.getType()
                 << ", which do not fit its weight " << rbm.weight.getType();
        auto read = [&](ParameterOp p) -> Value {
          return strata::ParamValueOp::create(
              b, fn.getLoc(), p.getType(),
              FlatSymbolRefAttr::get(p.getSymNameAttr()));
        };
        SmallVector<Value> operands = {h0, read(rbm.weight)};
        if (rbm.visibleBias)
          operands.push_back(read(rbm.visibleBias));
        Value v1 = m.op("sigmoid", m.op("inner_product", operands,
                                        {m.flag("transpose", true)}));
        double inv = 1.0 / static_cast<double>(vt.getDimSize(0));
        Value err = m.scale(m.op("reduce_sum_square", m.sub(v0, v1),
                                 {m.flag("keepdims", false)}),
                            inv);
        if (failed(m.status()))
          return failure();
        results.push_back(err);
        attrs.push_back(b.getDictionaryAttr(
            {b.getNamedAttr("strata.loss", b.getUnitAttr()),
             b.getNamedAttr(
                 "strata.name",
                 b.getStringAttr(rbm.name + ".reconstruction_error"))}));
      }
      if (results.size() == ret.getNumOperands())
        continue;
      ret->setOperands(results);
      fn.setType(b.getFunctionType(fn.getArgumentTypes(),
                                   ValueRange(results).getTypes()));
      fn.setAllResultAttrs(attrs);
    }
    return success();
  }

  /// Resolves strata.rbm of `fn` and checks the RBMs' shapes.
  LogicalResult resolve(func::FuncOp fn, SymbolTable &symbols,
                        SmallVectorImpl<RBM> &rbms) {
    auto list = fn->getAttrOfType<ArrayAttr>("strata.rbm");
    if (!list || list.empty())
      return fn.emitError("contrastive divergence needs the RBMs this train "
                          "function trains: it has no strata.rbm description "
                          "(kRBMVis / kRBMHid pairs)");
    auto ret = cast<func::ReturnOp>(fn.getBody().front().getTerminator());
    for (auto [i, a] : llvm::enumerate(list)) {
      auto d = cast<DictionaryAttr>(a); // the dialect verified the form
      RBM rbm;
      auto layer = d.getAs<StringAttr>("visible_layer");
      rbm.name = layer ? layer.str() : "rbm" + std::to_string(i);
      auto err = [&, i = i]() {
        return fn.emitError("strata.rbm entry ")
               << i << " ('" << rbm.name << "'): ";
      };
      std::pair<StringRef, unsigned *> indices[] = {{"visible", &rbm.visible},
                                                    {"hidden", &rbm.hidden}};
      for (auto [key, index] : indices) {
        int64_t v = d.getAs<IntegerAttr>(key).getInt();
        if (v >= static_cast<int64_t>(fn.getNumResults()))
          return err() << key << " result " << v << " is out of range (@"
                       << fn.getName() << " has " << fn.getNumResults()
                       << " results)";
        *index = static_cast<unsigned>(v);
      }
      std::pair<StringRef, ParameterOp *> params[] = {
          {"weight", &rbm.weight},
          {"hidden_weight", &rbm.hiddenWeight},
          {"visible_bias", &rbm.visibleBias},
          {"hidden_bias", &rbm.hiddenBias}};
      for (auto [key, param] : params) {
        auto ref = d.getAs<FlatSymbolRefAttr>(key);
        if (!ref)
          continue;
        *param = symbols.lookup<ParameterOp>(ref.getValue());
        if (!*param)
          return err() << key << " @" << ref.getValue()
                       << " is not a strata.parameter";
        if (!param->getStorageOwner())
          return err() << key << " @" << ref.getValue()
                       << " has no storage (its share_from chain is broken)";
      }
      if (auto g = d.getAs<BoolAttr>("gaussian"))
        rbm.gaussian = g.getValue();

      // Shapes: v0 [B, V], W [H, V], tied W [H, V], b [V], c [H], h0 [B, H].
      Value v0 = ret.getOperand(rbm.visible);
      auto vt = dyn_cast<RankedTensorType>(v0.getType());
      if (!vt || vt.getRank() != 2 || !vt.hasStaticShape() ||
          !isa<FloatType>(vt.getElementType()))
        return err() << "the visible input (result " << rbm.visible
                     << ") must be a [batch, features] float tensor with "
                        "static sizes, got "
                     << v0.getType();
      int64_t vdim = vt.getDimSize(1);
      auto wt = cast<RankedTensorType>(rbm.weight.getType());
      if (wt.getRank() != 2 || wt.getDimSize(1) != vdim ||
          wt.getElementType() != vt.getElementType())
        return err() << "weight @" << rbm.weight.getSymName() << " has type "
                     << wt << " but the visible input " << vt
                     << " needs [hdim, " << vdim << "] of its element type";
      int64_t hdim = wt.getDimSize(0);
      if (rbm.hiddenWeight.getType() != wt)
        return err() << "hidden_weight @" << rbm.hiddenWeight.getSymName()
                     << " has type " << rbm.hiddenWeight.getType()
                     << " but weight @" << rbm.weight.getSymName() << " has "
                     << wt;
      if (rbm.hiddenWeight.getStorageOwner() != rbm.weight.getStorageOwner())
        return err() << "hidden_weight @" << rbm.hiddenWeight.getSymName()
                     << " is not tied to weight @" << rbm.weight.getSymName()
                     << " (share_from): an RBM has one weight";
      auto vecOf = [&](int64_t n) {
        return RankedTensorType::get({n}, vt.getElementType());
      };
      if (rbm.visibleBias && rbm.visibleBias.getType() != vecOf(vdim))
        return err() << "visible_bias @" << rbm.visibleBias.getSymName()
                     << " has type " << rbm.visibleBias.getType()
                     << " but the visible units need " << vecOf(vdim);
      if (rbm.hiddenBias && rbm.hiddenBias.getType() != vecOf(hdim))
        return err() << "hidden_bias @" << rbm.hiddenBias.getSymName()
                     << " has type " << rbm.hiddenBias.getType()
                     << " but the hidden units need " << vecOf(hdim);
      auto ht =
          RankedTensorType::get({vt.getDimSize(0), hdim}, vt.getElementType());
      if (ret.getOperand(rbm.hidden).getType() != ht)
        return err() << "the positive-phase hidden units (result " << rbm.hidden
                     << ") have type " << ret.getOperand(rbm.hidden).getType()
                     << " but need " << ht;
      rbms.push_back(rbm);
    }
    return success();
  }

  LogicalResult build(func::FuncOp fn, int64_t k, SymbolTable &symbols) {
    if (!fn.getBody().hasOneBlock())
      return fn.emitError("contrastive divergence needs a function with one "
                          "block");
    SmallVector<RBM> rbms;
    if (failed(resolve(fn, symbols, rbms)))
      return failure();
    std::string name = (fn.getName() + "_grad").str();
    if (symbols.lookup(name))
      return fn.emitError("a function @") << name << " exists already";

    OpBuilder b(fn);
    b.setInsertionPointAfter(fn);
    auto grad = cast<func::FuncOp>(b.clone(*fn));
    grad.setName(name);
    symbols.insert(grad);
    grad->removeAttr("strata.rbm");
    grad->setAttr("strata.gradient_of",
                  FlatSymbolRefAttr::get(fn.getSymNameAttr()));
    MLIRContext *ctx = fn.getContext();
    auto ret = cast<func::ReturnOp>(grad.getBody().front().getTerminator());

    // The random state: the function's result named "rng" (the state after
    // its own draws), else its argument named "rng", else a new argument.
    auto rngType = RankedTensorType::get({2}, IntegerType::get(ctx, 64));
    auto isRng = [&](DictionaryAttr attrs, Type type) {
      auto n = attrs ? attrs.getAs<StringAttr>("strata.name") : StringAttr();
      return n && n.getValue() == "rng" && type == rngType;
    };
    int rngResult = -1;
    for (unsigned i = 0; i < grad.getNumResults(); ++i)
      if (isRng(grad.getResultAttrDict(i), grad.getResultTypes()[i]))
        rngResult = i;
    Value rng;
    if (rngResult >= 0) {
      rng = ret.getOperand(rngResult);
    } else {
      for (unsigned i = 0; i < grad.getNumArguments(); ++i)
        if (isRng(grad.getArgAttrDict(i), grad.getArgumentTypes()[i]))
          rng = grad.getArgument(i);
      if (!rng) {
        unsigned index = grad.getNumArguments();
        if (failed(
                grad.insertArgument(index, rngType,
                                    b.getDictionaryAttr(b.getNamedAttr(
                                        "strata.name", b.getStringAttr("rng"))),
                                    grad.getLoc())))
          return failure();
        rng = grad.getArgument(index);
      }
    }

    b.setInsertionPoint(ret);
    GradientBuilder m(b, grad);
    SmallVector<Value> losses;
    SmallVector<std::string> lossNames;
    // Gradients summed per storage owner (an owner's reads share storage).
    llvm::MapVector<Operation *, Value> grads;
    auto addGrad = [&](ParameterOp p, Value g) {
      ParameterOp owner = p.getStorageOwner();
      if (!owner.getTrainable())
        return;
      Value &sum = grads[owner.getOperation()];
      sum = sum ? m.add(sum, g) : g;
    };
    auto read = [&](ParameterOp p) -> Value {
      if (!p)
        return Value();
      return strata::ParamValueOp::create(
          b, grad.getLoc(), p.getType(),
          FlatSymbolRefAttr::get(p.getSymNameAttr()));
    };
    for (const RBM &rbm : rbms) {
      Value v0 = ret.getOperand(rbm.visible);
      Value h0 = ret.getOperand(rbm.hidden);
      Value w = read(rbm.weight), wt = read(rbm.hiddenWeight);
      Value bv = read(rbm.visibleBias), bh = read(rbm.hiddenBias);
      auto sample = [&](Value h) -> Value {
        Operation *op = rbm.gaussian
                            ? m.create("gaussian_sample", {h, rng}, {}, 2)
                            : m.create("bernoulli_sample", {h, rng}, {}, 2);
        if (!op)
          return Value();
        rng = op->getResult(1);
        return op->getResult(0);
      };
      auto affine = [&](Value x, Value weight, Value bias, bool transpose) {
        SmallVector<Value> operands = {x, weight};
        if (bias)
          operands.push_back(bias);
        return m.op("inner_product", operands,
                    {m.flag("transpose", transpose)});
      };
      // Gibbs chain: v_i = sigmoid(hs W + b), h_i = sigmoid(v_i W^T + c)
      // (linear for gaussian hidden units), hs sampled from h_{i-1}.
      Value v = v0, h = h0;
      for (int64_t i = 1; i <= k; ++i) {
        Value hs = sample(h);
        v = m.op("sigmoid", affine(hs, w, bv, /*transpose=*/true));
        h = affine(v, wt, bh, /*transpose=*/false);
        if (!rbm.gaussian)
          h = m.op("sigmoid", h);
      }
      if (failed(m.status()))
        return failure();
      int64_t batch = cast<RankedTensorType>(v0.getType()).getDimSize(0);
      double inv = 1.0 / static_cast<double>(batch);
      // gW = (h_k^T v_k - h_0^T v_0) / B.
      Value pos = m.op("gemm", {h0, v0}, {m.flag("trans_a", true)});
      Value gw = m.op(
          "gemm", {h, v, pos},
          {m.flag("trans_a", true), m.f64("alpha", inv), m.f64("beta", -inv)});
      auto rowSum = [&](Value x) {
        return m.op("reduce_sum", x,
                    {m.array("axes", {0}), m.flag("keepdims", false)});
      };
      // (Named steps: the order of the ops does not depend on the
      // compiler's order of evaluating arguments.)
      Value sumV = rowSum(v);
      Value sumV0 = rowSum(v0);
      Value gb = m.scale(m.sub(sumV, sumV0), inv);
      Value sumH = rowSum(h);
      Value sumH0 = rowSum(h0);
      Value gc = m.scale(m.sub(sumH, sumH0), inv);
      // Reconstruction error: sum((v_0 - v_k)^2) / B.
      Value err = m.scale(
          m.op("reduce_sum_square", m.sub(v0, v), {m.flag("keepdims", false)}),
          inv);
      if (failed(m.status()))
        return failure();
      addGrad(rbm.weight, gw);
      if (rbm.visibleBias)
        addGrad(rbm.visibleBias, gb);
      if (rbm.hiddenBias)
        addGrad(rbm.hiddenBias, gc);
      losses.push_back(err);
      lossNames.push_back(rbm.name + ".reconstruction_error");
    }
    if (failed(m.status()))
      return failure();

    // Results: the reconstruction errors (strata.loss), the function's own
    // results (its random state now the chain's), then one gradient per
    // trainable parameter in declaration order.
    SmallVector<Value> results(losses);
    SmallVector<DictionaryAttr> resultAttrs;
    for (const std::string &n : lossNames)
      resultAttrs.push_back(b.getDictionaryAttr(
          {b.getNamedAttr("strata.loss", b.getUnitAttr()),
           b.getNamedAttr("strata.name", b.getStringAttr(n))}));
    for (unsigned i = 0; i < grad.getNumResults(); ++i) {
      results.push_back(static_cast<int>(i) == rngResult ? rng
                                                         : ret.getOperand(i));
      resultAttrs.push_back(grad.getResultAttrDict(i)
                                ? grad.getResultAttrDict(i)
                                : b.getDictionaryAttr({}));
    }
    if (rngResult < 0) {
      results.push_back(rng);
      resultAttrs.push_back(b.getDictionaryAttr(
          {b.getNamedAttr("strata.name", b.getStringAttr("rng"))}));
    }
    for (auto p : symbols.getOp()->getRegion(0).getOps<ParameterOp>())
      if (auto it = grads.find(p.getOperation()); it != grads.end()) {
        results.push_back(it->second);
        resultAttrs.push_back(b.getDictionaryAttr(b.getNamedAttr(
            "strata.grad_of", FlatSymbolRefAttr::get(p.getSymNameAttr()))));
      }
    ret->setOperands(results);
    grad.setType(b.getFunctionType(grad.getArgumentTypes(),
                                   ValueRange(results).getTypes()));
    grad.setAllResultAttrs(resultAttrs);
    return success();
  }
};

} // namespace
