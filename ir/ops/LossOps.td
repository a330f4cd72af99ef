//===- LossOps.td - (to be filled) ------------------------------*- tablegen -*-===//

#ifndef STRATA_LOSS_OPS_TD
#define STRATA_LOSS_OPS_TD

include "ir/StrataAttrs.td"

#endif
