//===- ReductionOps.td - (to be filled) ------------------------------*- tablegen -*-===//

#ifndef STRATA_REDUCTION_OPS_TD
#define STRATA_REDUCTION_OPS_TD

include "ir/StrataAttrs.td"

#endif
