//===- ConvolutionOps.td - (to be filled) ------------------------------*- tablegen -*-===//

#ifndef STRATA_CONVOLUTION_OPS_TD
#define STRATA_CONVOLUTION_OPS_TD

include "ir/StrataAttrs.td"

#endif
