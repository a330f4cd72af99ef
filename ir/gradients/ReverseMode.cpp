//===- ReverseMode.cpp - Differentiating a function body ------------------===//
//
// Reverse-mode accumulation over one block: the ops between the
// differentiated values and the loss are visited last to first; each asks its
// GradientOpInterface for the gradients of its operands, which are summed
// per value. Ops the loss does not depend on, or that do not depend on a
// differentiated value, are skipped, so metrics and integer index
// computations need no gradient.
//
//===----------------------------------------------------------------------===//

#include "ir/gradients/GradientBuilder.h"
#include "ir/gradients/Gradients.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

using namespace mlir;
using strata::gradients::GradientBuilder;

namespace strata {

static bool isFloatTensor(Value v) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return t && isa<FloatType>(t.getElementType());
}

FailureOr<SmallVector<Value>> appendGradients(func::FuncOp fn, Value loss,
                                              ArrayRef<Value> wrt) {
  Block &body = fn.getBody().front();
  Operation *terminator = body.getTerminator();
  if (!isFloatTensor(loss))
    return fn.emitError("the loss must be a float tensor, not ")
           << loss.getType();

  // Values that depend on a differentiated value (forward) ...
  llvm::DenseSet<Value> varied(wrt.begin(), wrt.end());
  for (Operation &op : body.without_terminator())
    if (llvm::any_of(op.getOperands(),
                     [&](Value v) { return varied.contains(v); }))
      for (Value r : op.getResults())
        if (isFloatTensor(r))
          varied.insert(r);
  // ... and the ops the loss depends on (backward).
  llvm::DenseSet<Operation *> needed;
  SmallVector<Value> work{loss};
  llvm::DenseSet<Value> seen{loss};
  while (!work.empty()) {
    Value v = work.pop_back_val();
    Operation *def = v.getDefiningOp();
    if (!def || !needed.insert(def).second)
      continue;
    for (Value o : def->getOperands())
      if (seen.insert(o).second)
        work.push_back(o);
  }

  OpBuilder b(terminator);
  GradientBuilder seed(b, terminator);
  llvm::DenseMap<Value, Value> grads;
  // d loss / d loss = 1 (a non-scalar loss is summed, so its seed is ones).
  Value one = seed.scalar(loss, 1.0);
  auto lossType = cast<RankedTensorType>(loss.getType());
  grads[loss] =
      lossType.getRank() == 0 ? one : seed.add(seed.zerosLike(loss), one);
  if (failed(seed.status()))
    return failure();

  SmallVector<Operation *> order;
  for (Operation &op : body.without_terminator())
    if (needed.contains(&op))
      order.push_back(&op);
  for (Operation *op : llvm::reverse(order)) {
    SmallVector<Value> resultGrads;
    bool any = false;
    for (Value r : op->getResults()) {
      Value g = grads.lookup(r);
      resultGrads.push_back(g);
      any |= static_cast<bool>(g);
    }
    bool reached = llvm::any_of(op->getOperands(),
                                [&](Value v) { return varied.contains(v); });
    if (!any || !reached)
      continue;
    auto iface = dyn_cast<GradientOpInterface>(op);
    if (!iface)
      return op->emitError("'")
             << op->getName()
             << "' has no gradient: the loss depends on it through a "
                "differentiated value";
    SmallVector<Value> operandGrads;
    if (failed(iface.buildGradient(b, resultGrads, operandGrads)))
      return failure();
    for (auto [operand, g] : llvm::zip(op->getOperands(), operandGrads)) {
      if (!g || !varied.contains(operand))
        continue;
      Value &acc = grads[operand];
      if (!acc) {
        acc = g;
        continue;
      }
      GradientBuilder sum(b, op);
      acc = sum.add(acc, g);
      if (failed(sum.status()))
        return failure();
    }
  }

  SmallVector<Value> out;
  for (Value w : wrt) {
    Value g = grads.lookup(w);
    if (!g) {
      GradientBuilder zero(b, terminator);
      g = zero.zerosLike(w);
      if (failed(zero.status()))
        return failure();
    }
    out.push_back(g);
  }
  return out;
}

} // namespace strata
