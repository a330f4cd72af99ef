//===- ShapeOps.td - (to be filled) ------------------------------*- tablegen -*-===//

#ifndef STRATA_SHAPE_OPS_TD
#define STRATA_SHAPE_OPS_TD

include "ir/StrataAttrs.td"

#endif
