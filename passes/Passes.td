//===- Passes.td - Every strata pass, with its options --------------------===//

#ifndef STRATA_PASSES_TD
#define STRATA_PASSES_TD

include "mlir/Pass/PassBase.td"

def StrataCanonicalize : Pass<"strata-canonicalize"> {
  let summary = "Simplify strata ops (folds and rewrite patterns)";
  let description = [{
    Applies the folders and canonicalization patterns of the strata dialect
    (reshape / transpose / cast chains, identity ops) and those of func, and
    folds every pure strata op whose operands are all constants by evaluating
    it with the reference evaluator, greedily until a fixed point. Ops whose
    evaluation fails (integer division by zero) are left in place.
  }];
  let options = [
    Option<"foldLimit", "fold-limit", "int64_t", /*default=*/"65536",
           "Largest result (in elements) that constant folding creates">
  ];
  let dependentDialects = ["::strata::StrataDialect"];
}

def StrataInferShapes : Pass<"strata-infer-shapes", "::mlir::ModuleOp"> {
  let summary = "Refine result shapes of strata ops and function signatures";
  let description = [{
    Re-infers every strata op's result types in program order and replaces
    dynamic sizes (`?`) that inference knows. Functions' result types are
    refined to what their func.return yields; callers are updated. Declared
    static sizes are never changed: a conflict is a verifier error.
  }];
  let dependentDialects = ["::strata::StrataDialect"];
}

def StrataAutodiff : Pass<"strata-autodiff", "::mlir::ModuleOp"> {
  let summary = "Build gradient functions by reverse-mode differentiation (BP)";
  let description = [{
    For every function whose `strata.phase` is `train` (or only `function`
    when given), adds `@<name>_grad` after it: the same arguments; as results,
    the function's own results followed by the gradient of the loss with
    respect to every trainable parameter the function
    reads through `strata.param_value` (reads of one parameter, and of the
    parameters tied to it by `share_from`, add up to one gradient for the
    owner), in the order the module declares the parameters. Each gradient
    result carries `strata.grad_of = @parameter`. With `wrt-arguments`, the
    float arguments are differentiated too (`strata.grad_of_arg = index`).
    The loss is result `loss-result` when given; otherwise the sum of the
    results marked `strata.loss` (the SINGA frontend marks its loss layers'
    outputs, one per unrolled step in a recurrent net), or result 0.

    The gradient of each op is its GradientOpInterface rule
    (ir/gradients/<Family>Gradients.cpp). An op between a parameter and the
    loss that has no gradient is an error naming it; metrics and integer
    computations off that path need none.
  }];
  let options = [
    Option<"function", "function", "std::string", /*default=*/"\"\"",
           "Differentiate only this function (default: every train function)">,
    Option<"lossResult", "loss-result", "int", /*default=*/"-1",
           "Index of the result to differentiate (default: the sum of the "
           "results marked strata.loss, else result 0)">,
    Option<"wrtArguments", "wrt-arguments", "bool", /*default=*/"false",
           "Also differentiate with respect to the float arguments">
  ];
  let dependentDialects = ["::strata::StrataDialect"];
}

def StrataContrastiveDivergence
    : Pass<"strata-contrastive-divergence", "::mlir::ModuleOp"> {
  let summary = "Build the gradient functions of RBMs by contrastive divergence (CD-k)";
  let description = [{
    For every function whose `strata.phase` is `train`, adds `@<name>_grad`
    for the RBMs its `strata.rbm` attribute describes (one dictionary per RBM:
    the results holding the visible input v0 and the positive-phase hidden
    units h0, the parameters `weight` W [hdim, vdim], `hidden_weight` (tied
    to W by share_from), optional `visible_bias` b and `hidden_bias` c, and
    `gaussian`). k = `cd_k` of the module's `strata.alg` (alg = "cd"). The
    Gibbs chain is unrolled k times from h0: a sample hs of h
    (strata.bernoulli_sample; strata.gaussian_sample with unit variance for
    gaussian hidden units), v_i = sigmoid(hs W + b), h_i = sigmoid(v_i W^T +
    c) (no sigmoid for gaussian units). With B the batch size:

      gW = (h_k^T v_k - h_0^T v_0) / B
      gb = (sum_rows v_k - sum_rows v_0) / B
      gc = (sum_rows h_k - sum_rows h_0) / B

    Results: each RBM's reconstruction error sum((v_0 - v_k)^2) / B (marked
    `strata.loss`), the function's results (its result named "rng" replaced
    by the state after the chain's draws; the random state is the result or
    argument named "rng", else a new argument, and is returned), then one
    gradient per trainable parameter owner in declaration order, marked
    `strata.grad_of = @p`: the contract of --strata-autodiff's gradient
    functions, so --strata-updater builds the training step unchanged.
    Parameters of layers below an RBM get no gradient.
  }];
  let dependentDialects = ["::strata::StrataDialect"];
}

def StrataUpdater : Pass<"strata-updater", "::mlir::ModuleOp"> {
  let summary = "Build the training step: the job's updater applied to the gradients";
  let description = [{
    For every gradient function `@<f>_grad` (from --strata-autodiff) adds
    `@<f>_step`, a pure function

      (params..., state..., step: tensor<i64>, <f>'s arguments...)
        -> (params'..., state'..., <f>'s results...)

    The parameters are those `@<f>` reads (owners of share_from ties), in the
    module's declaration order, passed in instead of read through
    strata.param_value; non-trainable ones come back unchanged. `state` is the
    updater's per-parameter history (none for plain SGD; one tensor for SGD
    with momentum, Nesterov, AdaGrad and RMSProp; two for AdaDelta, Adam and
    AdaMax), zero at step 0. The learning rate of step `step` follows the
    module's `strata.updater.learning_rate` schedule (fixed, step,
    fixed_step, linear, exponential, inverse, inverse_t), scaled by each
    parameter's `lr_scale`; weight decay (`weight_decay * wd_scale`, L2) and
    gradient clipping to [clip_low, clip_high] (when clip_high > clip_low)
    apply first. The formulas are SINGA's and are spelled out in
    docs/TRAINING.md. Arguments and results carry `strata.param = @p`,
    `strata.state = "<slot>"` with `strata.param`, or `strata.step`.
  }];
  let dependentDialects = ["::strata::StrataDialect"];
}

def StrataInputsToArguments : Pass<"strata-inputs-to-arguments",
                                   "::mlir::ModuleOp"> {
  let summary = "Make every input of a function an argument (for codegen)";
  let description = [{
    Compiled functions receive everything they read from the caller. In
    every function with a body, each `strata.data_input "name"` becomes one
    new argument per output, marked `strata.data_input = "name"` and
    `strata.output = i` and carrying the op's `strata.source` (where it
    reads from; two reads of one input share the arguments), and
    each `strata.param_value @p` becomes an argument marked
    `strata.param = @p` (reads of one parameter share it; a tied parameter
    is read through its own name). The runtime fills these arguments from
    its input layers and parameter store.
  }];
}

def StrataLowerToLinalg : Pass<"strata-lower-to-linalg", "::mlir::ModuleOp"> {
  let summary = "Lower strata ops to linalg / tensor / arith / math";
  let description = [{
    The first step of code generation: every strata op in a function body
    becomes linalg, tensor, arith and math ops on tensors (patterns by op
    family in passes/lowering/). Shapes must be static. An op without a
    lowering (its family not done yet, or a form the family does not handle:
    dynamic sizes, unsigned elements) is an error naming it; with
    `allow-unlowered` it is left in place instead, for inspecting partial
    results.

    With `library-calls` (the default) the heavy ops of the forms oneDNN
    takes (f32 conv and conv_transpose with 1-3 spatial dims, 2-D matmul,
    inner_product and gemm) become `func.call`s to the runtime's
    `strata_onednn_*` functions on their buffers instead
    (passes/lowering/OneDnnLowering.cpp, docs/CODEGEN.md);
    `library-calls=false` keeps everything in linalg.
  }];
  let options = [
    Option<"allowUnlowered", "allow-unlowered", "bool", /*default=*/"false",
           "Leave ops without a lowering in place instead of failing">,
    Option<"libraryCalls", "library-calls", "bool", /*default=*/"true",
           "Call oneDNN (through the runtime) for conv, conv_transpose and "
           "2-D matrix products">
  ];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::bufferization::BufferizationDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::scf::SCFDialect"];
}

def StrataPlanMemory : Pass<"strata-plan-memory", "::mlir::ModuleOp"> {
  let summary = "Place a function's intermediate buffers in one arena";
  let description = [{
    Code generation's memory planner, on bufferized functions (memref
    values, before deallocation is inserted). Every static-shaped
    `memref.alloc` of a function's entry block whose buffer does not escape
    gets a live range, from the alloc to the last entry-block op that uses
    the buffer or a view of it. Buffers are placed largest first at the
    lowest 64-byte-aligned offset that overlaps no buffer live at the same
    time, in one arena (a single `memref.alloc` of i8 at the function's
    start); each becomes a `memref.view` into it. The function gets
    `strata.arena_bytes` (the planned peak) and `strata.naive_bytes` (the sum
    of the buffers); with `report` both are printed.
  }];
  let options = [
    Option<"report", "report", "bool", /*default=*/"false",
           "Print each function's planned peak against the naive sum">
  ];
  let dependentDialects = ["::mlir::memref::MemRefDialect",
                           "::mlir::arith::ArithDialect"];
}

#endif // STRATA_PASSES_TD
