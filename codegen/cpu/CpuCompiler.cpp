//===- CpuCompiler.cpp - strata functions to a CPU shared object ----------===//

#include "codegen/cpu/CpuCompiler.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Linalg/Utils/Utils.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/Transforms/IPO/LoopExtractor.h"
#include "llvm/Transforms/Utils/LoopSimplify.h"

#include <map>
#include <mutex>

using namespace mlir;

namespace strata::codegen {

std::string entrySymbol(llvm::StringRef function) {
  return ("strata_entry_" + function).str();
}

void registerCpuCodegenDialects(DialectRegistry &registry) {
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
}

namespace {

/// After strata-lower-to-linalg: tensors -> buffers. Then the memory planner
/// (--strata-plan-memory) places the static intermediates of each function
/// in one arena; deallocation of the arena and of anything it could not
/// place is explicit (ownership-based).
constexpr const char *kBufferizePipeline =
    "one-shot-bufferize{bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map},"
    "buffer-results-to-out-params{hoist-static-allocs "
    "modify-public-functions},";
constexpr const char *kDeallocationPipeline = "buffer-deallocation-pipeline,"
                                              "convert-bufferization-to-memref";

/// After copies between strided views became linalg.copy (see
/// copyViewsWithLoops) and the big loop nests got an scf.parallel outer loop
/// (parallelize): loops, and math functions of f16 / bf16 computed in f32
/// and rounded to the type (f16 and bf16 arithmetic: see bfloat16InFloat32).
constexpr const char *kLoopsPipeline =
    "func.func(convert-linalg-to-loops),"
    "math-extend-to-supported-types{target-type=f32}";

/// After bf16 arithmetic became f32 arithmetic and integer conversions
/// (bfloat16InFloat32) and the scf.parallel loops OpenMP work-sharing loops
/// (inlineAllocaScopes): everything becomes the LLVM dialect.
constexpr const char *kLoweringPipeline =
    "lower-affine,"
    "convert-scf-to-cf,"
    "expand-strided-metadata,"
    "convert-math-to-funcs,"
    "convert-math-to-llvm,"
    "convert-math-to-libm,"
    "finalize-memref-to-llvm,"
    "convert-arith-to-llvm,"
    "convert-index-to-llvm,"
    "convert-cf-to-llvm,"
    "convert-func-to-llvm{use-bare-ptr-memref-call-conv},"
    "convert-openmp-to-llvm,"
    "reconcile-unrealized-casts";

/// A memref.copy between non-contiguous views (a pad's interior, say) would
/// lower to a call into MLIR's C runner library, which the runtime does not
/// have; as linalg.copy it becomes plain loops.
void copyViewsWithLoops(ModuleOp module) {
  SmallVector<memref::CopyOp> copies;
  module.walk([&](memref::CopyOp copy) {
    auto src = cast<MemRefType>(copy.getSource().getType());
    auto dst = cast<MemRefType>(copy.getTarget().getType());
    if (!src.getLayout().isIdentity() || !dst.getLayout().isIdentity())
      copies.push_back(copy);
  });
  for (memref::CopyOp copy : copies) {
    OpBuilder b(copy);
    linalg::CopyOp::create(b, copy.getLoc(), copy.getSource(),
                           copy.getTarget());
    copy.erase();
  }
}

/// The loop nests of the linalg ops doing at least `minIterations`
/// iterations (the product of their static loop ranges) whose outermost
/// dimension is parallel become loops whose outermost loop is an
/// scf.parallel, which convert-scf-to-openmp turns into an OpenMP
/// work-sharing loop: the runtime's OpenMP threads split its range. Only the
/// outermost loop is split, so the inner loops keep plain induction
/// variables (a collapsed nest would recompute every index by division).
/// Smaller nests stay sequential (a fork and join costs microseconds), and
/// so do nests over bf16 buffers: the values an OpenMP region captures are
/// passed to its outlined function, and LLVM moves a bf16 scalar between
/// registers with libgcc's __truncsfbf2, which GCC 12's libgcc lacks on
/// x86-64. Returns how many nests were parallelized.
unsigned parallelize(ModuleOp module, int64_t minIterations) {
  SmallVector<linalg::LinalgOp> ops;
  module.walk([&](linalg::LinalgOp op) {
    if (!op.hasPureBufferSemantics() || op.getNumLoops() == 0)
      return;
    for (Value v : op->getOperands())
      if (auto t = dyn_cast<MemRefType>(v.getType());
          t && t.getElementType().isBF16())
        return;
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    int64_t iterations = 1;
    for (int64_t range : ranges) {
      if (ShapedType::isDynamic(range))
        return;
      iterations *= range;
    }
    if (iterations >= minIterations && ranges[0] >= 2 &&
        linalg::isParallelIterator(op.getIteratorTypesArray()[0]))
      ops.push_back(op);
  });
  IRRewriter rewriter(module.getContext());
  unsigned made = 0;
  for (linalg::LinalgOp op : ops) {
    rewriter.setInsertionPoint(op);
    FailureOr<linalg::LinalgLoops> loops =
        linalg::linalgOpToLoops(rewriter, op);
    if (failed(loops) || loops->empty())
      continue;
    rewriter.eraseOp(op);
    auto outer = dyn_cast<scf::ForOp>(loops->front());
    if (!outer || outer.getNumRegionIterArgs() != 0)
      continue;
    rewriter.setInsertionPoint(outer);
    auto parallel = scf::ParallelOp::create(
        rewriter, outer.getLoc(), ValueRange{outer.getLowerBound()},
        ValueRange{outer.getUpperBound()}, ValueRange{outer.getStep()});
    Block *from = outer.getBody();
    Block *to = parallel.getBody();
    rewriter.replaceAllUsesWith(outer.getInductionVar(),
                                parallel.getInductionVars()[0]);
    // Everything but the scf.yield, before the scf.reduce terminator.
    rewriter.eraseOp(from->getTerminator());
    to->getOperations().splice(to->getTerminator()->getIterator(),
                               from->getOperations());
    rewriter.eraseOp(outer);
    ++made;
  }
  return made;
}

/// MLIR's bare-pointer calling convention (convert-func-to-llvm) takes only
/// memrefs with static strides, and the identity layout of a shape with a
/// zero-size dim after the first has none (the strides before the 0 are left
/// dynamic), so such a function would stay a func.func. A buffer with no
/// elements carries nothing: its argument becomes memref<0xT> and the body
/// uses an empty local buffer of the original type instead (calls pass an
/// empty one of the new type).
void passEmptyBuffersAsFlat(ModuleOp module) {
  auto needsFlat = [](Type t) {
    auto m = dyn_cast<MemRefType>(t);
    return m && m.hasStaticShape() && m.getNumElements() == 0 &&
           m.getRank() != 1;
  };
  auto flat = [](Type t) {
    auto m = cast<MemRefType>(t);
    return MemRefType::get({0}, m.getElementType(), MemRefLayoutAttrInterface(),
                           m.getMemorySpace());
  };
  llvm::StringSet<> changed;
  for (auto fn : module.getOps<func::FuncOp>()) {
    if (fn.isExternal() || !llvm::any_of(fn.getArgumentTypes(), needsFlat))
      continue;
    changed.insert(fn.getSymName());
    Block &entry = fn.getBody().front();
    OpBuilder b = OpBuilder::atBlockBegin(&entry);
    SmallVector<Type> inputs;
    for (BlockArgument arg : entry.getArguments()) {
      Type t = arg.getType();
      if (needsFlat(t)) {
        auto m = cast<MemRefType>(t);
        Value local = memref::AllocaOp::create(
            b, fn.getLoc(),
            MemRefType::get(m.getShape(), m.getElementType(),
                            MemRefLayoutAttrInterface(), m.getMemorySpace()));
        if (!m.getLayout().isIdentity())
          local = memref::CastOp::create(b, fn.getLoc(), m, local);
        arg.replaceAllUsesWith(local);
        t = flat(t);
        arg.setType(t);
      }
      inputs.push_back(t);
    }
    fn.setType(
        FunctionType::get(module.getContext(), inputs, fn.getResultTypes()));
  }
  module.walk([&](func::CallOp call) {
    if (!changed.contains(call.getCallee()))
      return;
    OpBuilder b(call);
    for (OpOperand &operand : call->getOpOperands())
      if (needsFlat(operand.get().getType()))
        operand.set(memref::AllocaOp::create(
            b, call.getLoc(), cast<MemRefType>(flat(operand.get().getType()))));
  });
}

/// Each arith op on bf16 computes in f32 and rounds its result to bf16, and
/// the conversions between bf16 and f32 become integer arithmetic (round to
/// nearest even): LLVM would call compiler-rt's __truncsfbf2 for them on CPUs
/// without bf16 instructions, which the kernels' shared object cannot link.
/// Rounding after each op is what the evaluator does, and for + - * / the
/// double rounding (f32, then bf16) cannot differ from rounding once: f32
/// has more than twice bf16's precision plus two bits. f16 needs none of
/// this: LLVM computes half arithmetic the same way (in f32, rounded per op)
/// and its conversions are in the C runtime the process already loads.
LogicalResult bfloat16InFloat32(ModuleOp module) {
  MLIRContext *ctx = module->getContext();
  Type bf16 = BFloat16Type::get(ctx), f32 = Float32Type::get(ctx);
  SmallVector<Operation *> ops;
  module.walk([&](Operation *op) {
    if (!isa_and_nonnull<arith::ArithDialect>(op->getDialect()) ||
        isa<arith::ExtFOp, arith::TruncFOp, arith::BitcastOp, arith::ConstantOp,
            arith::SelectOp>(op))
      return;
    if (llvm::is_contained(op->getOperandTypes(), bf16) ||
        llvm::is_contained(op->getResultTypes(), bf16))
      ops.push_back(op);
  });
  for (Operation *op : ops) {
    OpBuilder b(op);
    OperationState state(op->getLoc(), op->getName());
    state.addAttributes(op->getAttrs());
    for (Value v : op->getOperands())
      state.addOperands(v.getType() == bf16 ? Value(arith::ExtFOp::create(
                                                  b, op->getLoc(), f32, v))
                                            : v);
    for (Type t : op->getResultTypes())
      state.addTypes(t == bf16 ? f32 : t);
    Operation *wide = b.create(state);
    SmallVector<Value> results;
    for (auto [old, now] : llvm::zip(op->getResults(), wide->getResults()))
      results.push_back(old.getType() == bf16 ? Value(arith::TruncFOp::create(
                                                    b, op->getLoc(), bf16, now))
                                              : now);
    op->replaceAllUsesWith(results);
    op->erase();
  }
  // Conversions between bf16 and f64 go through f32 (the expansion below
  // handles only f32): exact upwards; downwards the f64 is first rounded to
  // f32 to odd (an inexact result with an even last bit moves one step
  // towards the value), which makes the second rounding the correct one.
  Type f64 = Float64Type::get(ctx), i32 = IntegerType::get(ctx, 32);
  module.walk([&](arith::ExtFOp ext) {
    if (ext.getIn().getType() != bf16 || ext.getType() != f64)
      return;
    OpBuilder b(ext);
    Value wide = arith::ExtFOp::create(b, ext.getLoc(), f32, ext.getIn());
    ext.replaceAllUsesWith(
        arith::ExtFOp::create(b, ext.getLoc(), f64, wide).getResult());
    ext.erase();
  });
  module.walk([&](arith::TruncFOp trunc) {
    if (trunc.getIn().getType() != f64 || trunc.getType() != bf16)
      return;
    OpBuilder b(trunc);
    Location loc = trunc.getLoc();
    Value x = trunc.getIn();
    Value rounded = arith::TruncFOp::create(b, loc, f32, x);
    Value back = arith::ExtFOp::create(b, loc, f64, rounded);
    Value bits = arith::BitcastOp::create(b, loc, i32, rounded);
    auto c = [&](int64_t v) -> Value {
      return arith::ConstantOp::create(b, loc, i32, b.getI32IntegerAttr(v));
    };
    Value inexact =
        arith::CmpFOp::create(b, loc, arith::CmpFPredicate::ONE, back, x);
    Value even =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                              arith::AndIOp::create(b, loc, bits, c(1)), c(0));
    Value larger = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT,
                                         math::AbsFOp::create(b, loc, back),
                                         math::AbsFOp::create(b, loc, x));
    Value step = arith::SelectOp::create(b, loc, larger, c(-1), c(1));
    Value odd = arith::AddIOp::create(b, loc, bits, step);
    Value adjust = arith::AndIOp::create(b, loc, inexact, even);
    Value toOdd = arith::BitcastOp::create(
        b, loc, f32, arith::SelectOp::create(b, loc, adjust, odd, bits));
    trunc.replaceAllUsesWith(
        arith::TruncFOp::create(b, loc, bf16, toOdd).getResult());
    trunc.erase();
  });
  RewritePatternSet patterns(ctx);
  arith::populateExpandBFloat16Patterns(patterns);
  return applyPatternsGreedily(module, std::move(patterns));
}

/// convert-scf-to-openmp wraps each parallel loop's body in a
/// memref.alloca_scope, whose region must stay one block, which the loops
/// inside it stop being once lowered to control flow. The bodies allocate
/// nothing on the stack (buffers are planned or heap-allocated), so each
/// scope is inlined into its parent; one that holds an alloca is kept.
/// (canonicalize would inline them too, but also refolds the integer form
/// of bf16 conversions into arith.truncf, which LLVM lowers to a libgcc call
/// the runtime does not have.)
void inlineAllocaScopes(ModuleOp module) {
  SmallVector<memref::AllocaScopeOp> scopes;
  module.walk([&](memref::AllocaScopeOp scope) {
    bool allocates = false;
    scope.getBodyRegion().walk([&](memref::AllocaOp) { allocates = true; });
    if (!allocates && scope.getBodyRegion().hasOneBlock())
      scopes.push_back(scope);
  });
  for (memref::AllocaScopeOp scope : scopes) {
    Block &body = scope.getBodyRegion().front();
    Operation *ret = body.getTerminator();
    scope->replaceAllUsesWith(ret->getOperands());
    ret->erase();
    scope->getBlock()->getOperations().splice(scope->getIterator(),
                                              body.getOperations());
    scope->erase();
  }
}

void initializeOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    registerAllPasses();
    strata::registerStrataPasses();
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
}

/// Adds `void strata_entry_f(void **buffers)` calling f with the pointers.
LogicalResult addEntryPoints(ModuleOp module, llvm::Module &llvmModule,
                             ArrayRef<std::string> functions) {
  llvm::LLVMContext &ctx = llvmModule.getContext();
  llvm::Type *ptr = llvm::PointerType::getUnqual(ctx);
  for (const std::string &name : functions) {
    llvm::Function *fn = llvmModule.getFunction(name);
    if (!fn)
      return module.emitError("function @") << name << " vanished in lowering";
    for (llvm::Argument &arg : fn->args()) {
      if (!arg.getType()->isPointerTy())
        return module.emitError("function @")
               << name << ": argument " << arg.getArgNo()
               << " is not a buffer after lowering (only tensors are passed)";
      // The calling contract (CpuCompiler.h): arguments are only read (they
      // are not writable to bufferization) and every result buffer is
      // distinct from all others, so no buffer is written through one
      // pointer and read through another: noalias holds, and lets LLVM keep
      // accumulators in registers and vectorize.
      arg.addAttr(llvm::Attribute::NoAlias);
    }
    auto *type = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptr},
                                         /*isVarArg=*/false);
    auto *entry =
        llvm::Function::Create(type, llvm::GlobalValue::ExternalLinkage,
                               entrySymbol(name), llvmModule);
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", entry));
    SmallVector<llvm::Value *> args;
    for (unsigned i = 0; i < fn->arg_size(); ++i) {
      llvm::Value *slot = b.CreateConstGEP1_64(ptr, entry->getArg(0), i);
      args.push_back(b.CreateLoad(ptr, slot));
    }
    b.CreateCall(fn, args);
    b.CreateRetVoid();
    // Only the entries are the library's interface.
    fn->setLinkage(llvm::GlobalValue::InternalLinkage);
  }
  return success();
}

/// The number of instructions of `m`'s function definitions.
size_t instructionCount(const llvm::Module &m) {
  size_t n = 0;
  for (const llvm::Function &f : m)
    n += f.getInstructionCount();
  return n;
}

/// Moves every outermost loop of the module's functions into a function of
/// its own that is never inlined. LLVM's loop passes (IndVarSimplify,
/// LoopRotate, the vectorizer) and instruction selection take time that
/// grows faster than linearly with the size of the function holding the
/// loops; a step of a long unrolled network is one function of thousands of
/// loop nests (a 20-step GRU: 2236), and compiles about 7x faster as one
/// function per nest. The price is the `noalias` of the step's arguments,
/// which the extracted functions do not inherit (their pointers may alias:
/// an in-place update reads and writes one buffer).
/// Returns the number of functions made.
unsigned extractLoops(llvm::Module &m, llvm::ModuleAnalysisManager &mam,
                      llvm::FunctionAnalysisManager &fam) {
  llvm::SmallPtrSet<const llvm::Function *, 16> before;
  for (const llvm::Function &f : m)
    before.insert(&f);
  llvm::ModulePassManager mpm;
  mpm.addPass(
      llvm::createModuleToFunctionPassAdaptor(llvm::LoopSimplifyPass()));
  mpm.addPass(llvm::LoopExtractorPass());
  mpm.run(m, mam);
  unsigned made = 0;
  for (llvm::Function &f : m)
    if (!before.contains(&f) && !f.isDeclaration()) {
      f.addFnAttr(llvm::Attribute::NoInline);
      ++made;
    }
  return made;
}

/// Optimizes `m` at `level`; returns the number of loops extracted.
unsigned optimize(llvm::Module &m, llvm::TargetMachine &tm, unsigned level,
                  size_t instructions, size_t extractAbove) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb(&tm);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  unsigned extracted = 0;
  if (instructions > extractAbove)
    extracted = extractLoops(m, mam, fam);
  llvm::OptimizationLevel opt = level == 0   ? llvm::OptimizationLevel::O0
                                : level == 1 ? llvm::OptimizationLevel::O1
                                : level == 2 ? llvm::OptimizationLevel::O2
                                             : llvm::OptimizationLevel::O3;
  llvm::ModulePassManager mpm = level == 0
                                    ? pb.buildO0DefaultPipeline(opt)
                                    : pb.buildPerModuleDefaultPipeline(opt);
  mpm.run(m, mam);
  return extracted;
}

/// Links an object file into a shared object with ld.lld.
FailureOr<std::vector<unsigned char>> link(ModuleOp module,
                                           llvm::StringRef object) {
  auto lld = llvm::sys::findProgramByName("ld.lld");
  if (!lld)
    lld = llvm::sys::findProgramByName("ld.lld-14");
  if (!lld)
    return module.emitError("cannot find ld.lld on PATH: the CPU backend "
                            "links its kernels with it (apt install lld)");
  llvm::SmallString<128> objPath, soPath;
  int fd;
  if (llvm::sys::fs::createTemporaryFile("strata-kernel", "o", fd, objPath))
    return module.emitError("cannot create a temporary object file");
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << object;
  }
  if (llvm::sys::fs::createTemporaryFile("strata-kernel", "so", soPath)) {
    llvm::sys::fs::remove(objPath);
    return module.emitError("cannot create a temporary shared object");
  }
  std::string error;
  llvm::StringRef args[] = {*lld, "-shared", "--hash-style=gnu",
                            "-o", soPath,    objPath};
  int rc =
      llvm::sys::ExecuteAndWait(*lld, args, std::nullopt, {}, 0, 0, &error);
  llvm::sys::fs::remove(objPath);
  if (rc != 0) {
    llvm::sys::fs::remove(soPath);
    return module.emitError("linking the kernels with ")
           << *lld << " failed (status " << rc << ") " << error;
  }
  auto buffer = llvm::MemoryBuffer::getFile(soPath);
  llvm::sys::fs::remove(soPath);
  if (!buffer)
    return module.emitError("cannot read the linked shared object");
  llvm::StringRef bytes = (*buffer)->getBuffer();
  return std::vector<unsigned char>(bytes.begin(), bytes.end());
}

} // namespace

FailureOr<SharedObject> compileToSharedObject(ModuleOp module,
                                              const CpuOptions &options) {
  initializeOnce();
  TimingScope untimed;
  TimingScope &timing = options.timing ? *options.timing : untimed;
  SmallVector<std::string> functions;
  for (auto fn : module.getOps<func::FuncOp>()) {
    if (fn.isExternal())
      continue;
    functions.push_back(fn.getSymName().str());
    // The strata attributes of a function (phase, gradient_of, argument
    // roles) describe it for the artifact, which reads them before this; the
    // lowered llvm.func cannot carry them.
    for (NamedAttribute attr : llvm::to_vector(fn->getDiscardableAttrs()))
      if (attr.getName().getValue().starts_with("strata."))
        fn->removeDiscardableAttr(attr.getName());
    fn.removeArgAttrsAttr();
    fn.removeResAttrsAttr();
    // Arguments are read only: the caller may pass one buffer for several
    // (a tied parameter and its owner) and keeps them.
    for (unsigned i = 0; i < fn.getNumArguments(); ++i)
      fn.setArgAttr(i, "bufferization.writable",
                    BoolAttr::get(module->getContext(), false));
  }

  // Parameter declarations and the job's module attributes go to the
  // artifact, not into the object code.
  for (Operation &op : llvm::make_early_inc_range(*module.getBody()))
    if (!isa<func::FuncOp>(op))
      op.erase();
  for (NamedAttribute attr : llvm::to_vector(module->getDiscardableAttrs()))
    if (attr.getName().getValue().starts_with("strata."))
      module->removeDiscardableAttr(attr.getName());

  PassManager bufferize(module->getContext());
  std::string pipeline =
      std::string(options.libraryCalls
                      ? "strata-lower-to-linalg,"
                      : "strata-lower-to-linalg{library-calls=false},") +
      kBufferizePipeline +
      (options.planMemory
           ? std::string(options.memoryReport ? "strata-plan-memory{report},"
                                              : "strata-plan-memory,")
           : std::string()) +
      kDeallocationPipeline;
  if (failed(parsePassPipeline(pipeline, bufferize)))
    return module.emitError("internal error: bad CPU pass pipeline");
  TimingScope bufferizeTiming = timing.nest("lower to linalg, bufferize");
  bufferize.enableTiming(bufferizeTiming);
  if (failed(bufferize.run(module)))
    return failure();
  // The plan's sizes go to the artifact.
  std::map<std::string, MemoryPlanSize> plans;
  for (auto fn : module.getOps<func::FuncOp>()) {
    auto arena = fn->getAttrOfType<IntegerAttr>("strata.arena_bytes");
    auto naive = fn->getAttrOfType<IntegerAttr>("strata.naive_bytes");
    if (arena && naive)
      plans[fn.getSymName().str()] = {
          static_cast<uint64_t>(arena.getValue().getZExtValue()),
          static_cast<uint64_t>(naive.getValue().getZExtValue())};
    fn->removeAttr("strata.arena_bytes");
    fn->removeAttr("strata.naive_bytes");
  }
  copyViewsWithLoops(module);
  passEmptyBuffersAsFlat(module);
  unsigned parallelLoops =
      options.parallelMinIterations > 0
          ? parallelize(module, options.parallelMinIterations)
          : 0;
  PassManager loops(module->getContext());
  if (failed(parsePassPipeline(kLoopsPipeline, loops)))
    return module.emitError("internal error: bad CPU pass pipeline");
  bufferizeTiming.stop();
  TimingScope loopsTiming = timing.nest("lower to loops");
  loops.enableTiming(loopsTiming);
  if (failed(loops.run(module)) || failed(bfloat16InFloat32(module)))
    return failure();
  if (parallelLoops > 0) {
    PassManager openmp(module->getContext());
    if (failed(parsePassPipeline("convert-scf-to-openmp", openmp)))
      return module.emitError("internal error: bad CPU pass pipeline");
    if (failed(openmp.run(module)))
      return failure();
    inlineAllocaScopes(module);
  }
  loopsTiming.stop();
  PassManager lower(module->getContext());
  if (failed(parsePassPipeline(kLoweringPipeline, lower)))
    return module.emitError("internal error: bad CPU pass pipeline");
  TimingScope lowerTiming = timing.nest("lower to the LLVM dialect");
  lower.enableTiming(lowerTiming);
  if (failed(lower.run(module)))
    return failure();
  lowerTiming.stop();

  TimingScope translateTiming = timing.nest("translate to LLVM IR");
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext, "strata-kernels");
  translateTiming.stop();
  if (!llvmModule)
    return module.emitError("translation to LLVM IR failed");

  llvm::Triple triple(llvm::sys::getDefaultTargetTriple());
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return module.emitError("no LLVM target for ")
           << triple.str() << ": " << error;
  std::string cpu =
      options.cpu == "native" ? llvm::sys::getHostCPUName().str() : options.cpu;
  llvm::TargetOptions targetOptions;
  std::unique_ptr<llvm::TargetMachine> tm(target->createTargetMachine(
      triple, cpu, "", targetOptions, llvm::Reloc::PIC_, std::nullopt,
      options.optLevel >= 2 ? llvm::CodeGenOptLevel::Default
                            : llvm::CodeGenOptLevel::None));
  if (!tm)
    return module.emitError("cannot create a target machine for CPU '")
           << cpu << "'";
  llvmModule->setDataLayout(tm->createDataLayout());
  llvmModule->setTargetTriple(triple);

  if (failed(addEntryPoints(module, *llvmModule, functions)))
    return failure();
  TimingScope optimizeTiming = timing.nest("LLVM optimization");
  size_t instructions = instructionCount(*llvmModule);
  unsigned extracted = optimize(*llvmModule, *tm, options.optLevel,
                                instructions, options.extractLoopsAbove);
  optimizeTiming.stop();

  TimingScope codegenTiming = timing.nest("LLVM code generation");
  llvm::SmallVector<char, 0> object;
  {
    llvm::raw_svector_ostream os(object);
    llvm::legacy::PassManager codegen;
    if (tm->addPassesToEmitFile(codegen, os, nullptr,
                                llvm::CodeGenFileType::ObjectFile))
      return module.emitError("the target cannot emit object files");
    codegen.run(*llvmModule);
  }
  codegenTiming.stop();
  TimingScope linkTiming = timing.nest("link");
  auto so = link(module, llvm::StringRef(object.data(), object.size()));
  if (failed(so))
    return failure();
  return SharedObject{std::move(*so),   triple.str(), cpu,
                      std::move(plans), instructions, extracted,
                      parallelLoops};
}

} // namespace strata::codegen
