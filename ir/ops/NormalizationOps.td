//===- NormalizationOps.td - (to be filled) ------------------------------*- tablegen -*-===//

#ifndef STRATA_NORMALIZATION_OPS_TD
#define STRATA_NORMALIZATION_OPS_TD

include "ir/StrataAttrs.td"

#endif
