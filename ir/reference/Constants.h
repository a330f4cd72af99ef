//===- Constants.h - Host tensors to and from dense attributes ------------===//

#ifndef STRATA_IR_REFERENCE_CONSTANTS_H
#define STRATA_IR_REFERENCE_CONSTANTS_H

#include "ir/reference/Tensor.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"

#include <optional>

namespace strata::reference {

/// The value of a dense elements attribute; std::nullopt for element types the
/// evaluator has no dtype for, or non-dense attributes.
std::optional<Tensor> tensorFromAttr(mlir::ElementsAttr attr);

/// A dense attribute of `type` holding `t` (dtype and shape must match).
mlir::DenseElementsAttr attrFromTensor(const Tensor &t,
                                       mlir::RankedTensorType type);

} // namespace strata::reference

#endif // STRATA_IR_REFERENCE_CONSTANTS_H
