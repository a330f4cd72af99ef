//===- RecurrentOps.td - (to be filled) ------------------------------*- tablegen -*-===//

#ifndef STRATA_RECURRENT_OPS_TD
#define STRATA_RECURRENT_OPS_TD

include "ir/StrataAttrs.td"

#endif
