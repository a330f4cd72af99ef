//===- PlanMemory.cpp - --strata-plan-memory ------------------------------===//
//
// Runs on bufferized functions (memrefs; before deallocation is inserted).
// Every static-shaped memref.alloc in a function's entry block whose buffer
// does not escape (it is not returned, and only view-like ops derive other
// memrefs from it) gets a live range: from the alloc to the last op of the
// entry block that uses the buffer, one of its views, or a value computed
// from its address (memref.extract_aligned_pointer_as_index and what follows
// from it: a library call's pointer argument); an op holding a use in a
// nested region counts as a use. Buffers are then placed, largest
// first, at the lowest 64-byte-aligned offset where they overlap no buffer
// whose live range meets theirs. One arena (memref.alloc of i8, aligned 64)
// replaces them; each buffer becomes a memref.view into it. The arena's
// size is the planned peak; the naive size is the sum of all the buffers.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/DataLayoutInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

namespace strata {

#define GEN_PASS_DEF_STRATAPLANMEMORY
#include "passes/Passes.h.inc"

namespace {

using namespace mlir;

constexpr uint64_t kAlignment = 64;

uint64_t alignUp(uint64_t v) {
  return (v + kAlignment - 1) / kAlignment * kAlignment;
}

struct Buffer {
  memref::AllocOp alloc;
  uint64_t size = 0;
  unsigned start = 0, end = 0;
  uint64_t offset = 0;
};

class PlanMemoryPass : public impl::StrataPlanMemoryBase<PlanMemoryPass> {
public:
  using StrataPlanMemoryBase::StrataPlanMemoryBase;

  void runOnOperation() override {
    for (auto fn : getOperation().getOps<func::FuncOp>())
      if (!fn.isExternal())
        plan(fn);
  }

private:
  /// The live range's end of `value`'s buffer (the position of the last
  /// entry-block op using it or a view of it), or nullopt if it escapes.
  std::optional<unsigned>
  lastUse(Value value, Block &entry,
          const llvm::DenseMap<Operation *, unsigned> &position) {
    unsigned last = 0;
    SmallVector<Value> work = {value};
    while (!work.empty()) {
      Value v = work.pop_back_val();
      for (OpOperand &use : v.getUses()) {
        Operation *user = use.getOwner();
        if (isa<func::ReturnOp>(user))
          return std::nullopt;
        Operation *top = entry.findAncestorOpInBlock(*user);
        if (!top)
          return std::nullopt;
        last = std::max(last, position.lookup(top));
        if (auto view = dyn_cast<ViewLikeOpInterface>(user)) {
          if (view.getViewSource() == v)
            for (Value r : user->getResults())
              work.push_back(r);
        } else if (isa<memref::ExtractAlignedPointerAsIndexOp>(user) ||
                   (!isa<BaseMemRefType>(v.getType()) &&
                    !isa<FloatType>(v.getType()))) {
          // The buffer's address as a number or pointer (library calls take
          // it so): the buffer lives as long as anything computed from the
          // address is used.
          for (Value r : user->getResults())
            work.push_back(r);
        } else if (user->getNumResults() > 0 &&
                   llvm::any_of(user->getResultTypes(), [](Type t) {
                     return isa<BaseMemRefType>(t);
                   })) {
          // An op that derives a memref from this one in another way: the
          // buffer may live on through it; leave it unplanned.
          return std::nullopt;
        }
      }
    }
    return last;
  }

  void plan(func::FuncOp fn) {
    Block &entry = fn.getBody().front();
    llvm::DenseMap<Operation *, unsigned> position;
    unsigned index = 0;
    for (Operation &op : entry)
      position[&op] = index++;
    DataLayout layout = DataLayout::closest(fn);
    std::vector<Buffer> buffers;
    for (Operation &op : entry) {
      auto alloc = dyn_cast<memref::AllocOp>(op);
      if (!alloc)
        continue;
      MemRefType type = alloc.getType();
      if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
          type.getMemorySpace() || !alloc.getDynamicSizes().empty() ||
          !alloc.getSymbolOperands().empty())
        continue;
      auto end = lastUse(alloc.getResult(), entry, position);
      if (!end)
        continue;
      Buffer b;
      b.alloc = alloc;
      uint64_t elementBytes = layout.getTypeSize(type.getElementType());
      b.size = std::max<uint64_t>(
          alignUp(static_cast<uint64_t>(type.getNumElements()) * elementBytes),
          kAlignment);
      b.start = position.lookup(&op);
      b.end = std::max(*end, b.start);
      buffers.push_back(b);
    }
    if (buffers.empty())
      return;

    // Largest first, each at the lowest offset free of every placed buffer
    // whose live range meets its own.
    std::vector<Buffer *> order;
    for (Buffer &b : buffers)
      order.push_back(&b);
    std::stable_sort(order.begin(), order.end(),
                     [](Buffer *a, Buffer *b) { return a->size > b->size; });
    std::vector<Buffer *> placed;
    uint64_t arena = 0, naive = 0;
    for (Buffer *b : order) {
      naive += b->size;
      std::vector<std::pair<uint64_t, uint64_t>> taken;
      for (Buffer *p : placed)
        if (p->start <= b->end && b->start <= p->end)
          taken.emplace_back(p->offset, p->offset + p->size);
      std::sort(taken.begin(), taken.end());
      uint64_t offset = 0;
      for (auto [lo, hi] : taken) {
        if (offset + b->size <= lo)
          break;
        offset = std::max(offset, hi);
      }
      b->offset = offset;
      arena = std::max(arena, offset + b->size);
      placed.push_back(b);
    }

    OpBuilder builder(&entry, entry.begin());
    Location loc = fn.getLoc();
    auto arenaType =
        MemRefType::get({static_cast<int64_t>(arena)}, builder.getI8Type());
    Value base = memref::AllocOp::create(builder, loc, arenaType,
                                         builder.getI64IntegerAttr(kAlignment));
    for (Buffer &b : buffers) {
      OpBuilder at(b.alloc);
      Value offset = arith::ConstantIndexOp::create(
          at, b.alloc.getLoc(), static_cast<int64_t>(b.offset));
      Value view = memref::ViewOp::create(
          at, b.alloc.getLoc(), b.alloc.getType(), base, offset, ValueRange{});
      b.alloc.getResult().replaceAllUsesWith(view);
      b.alloc.erase();
    }
    MLIRContext *ctx = fn.getContext();
    fn->setAttr("strata.arena_bytes",
                IntegerAttr::get(IntegerType::get(ctx, 64), arena));
    fn->setAttr("strata.naive_bytes",
                IntegerAttr::get(IntegerType::get(ctx, 64), naive));
    if (report)
      llvm::errs() << "memory plan @" << fn.getName() << ": " << buffers.size()
                   << " buffers, naive " << naive << " bytes, planned peak "
                   << arena << " bytes ("
                   << llvm::format("%.1f", naive ? 100.0 * arena / naive : 0.0)
                   << "%)\n";
  }
};

} // namespace
} // namespace strata
