//===- IndexingOps.td - (to be filled) ------------------------------*- tablegen -*-===//

#ifndef STRATA_INDEXING_OPS_TD
#define STRATA_INDEXING_OPS_TD

include "ir/StrataAttrs.td"

#endif
