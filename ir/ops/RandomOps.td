//===- RandomOps.td - (to be filled) ------------------------------*- tablegen -*-===//

#ifndef STRATA_RANDOM_OPS_TD
#define STRATA_RANDOM_OPS_TD

include "ir/StrataAttrs.td"

#endif
