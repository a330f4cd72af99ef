//===- Passes.td - Every strata pass, with its options --------------------===//

#ifndef STRATA_PASSES_TD
#define STRATA_PASSES_TD

include "mlir/Pass/PassBase.td"

def StrataCanonicalize : Pass<"strata-canonicalize"> {
  let summary = "Simplify strata ops (folds and rewrite patterns)";
  let description = [{
    Applies the folders and canonicalization patterns of the strata dialect
    (reshape/transpose/cast chains, identity ops, constant folding of
    elementwise ops) plus those of func, greedily until a fixed point.
  }];
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
