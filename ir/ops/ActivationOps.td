//===- ActivationOps.td - (to be filled) ------------------------------*- tablegen -*-===//

#ifndef STRATA_ACTIVATION_OPS_TD
#define STRATA_ACTIVATION_OPS_TD

include "ir/StrataAttrs.td"

#endif
