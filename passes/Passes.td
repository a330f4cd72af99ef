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

#endif // STRATA_PASSES_TD
