//===- LinearAlgebraOps.td - (to be filled) ------------------------------*- tablegen -*-===//

#ifndef STRATA_LINEARALGEBRA_OPS_TD
#define STRATA_LINEARALGEBRA_OPS_TD

include "ir/StrataAttrs.td"

#endif
