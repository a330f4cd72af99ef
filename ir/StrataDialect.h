//===- StrataDialect.h - The strata dialect: attributes and every op ------===//
//
// Include this to use the dialect. The ops are split by family in ir/ops/.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_IR_STRATADIALECT_H
#define STRATA_IR_STRATADIALECT_H

#include "ir/Shapes.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "ir/GradientOpInterface.h.inc"
#include "ir/StrataDialect.h.inc"
#include "ir/StrataEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "ir/StrataAttrs.h.inc"

#define GET_OP_CLASSES
#include "ir/ops/StructureOps.h.inc"
#define GET_OP_CLASSES
#include "ir/ops/ElementwiseOps.h.inc"
#define GET_OP_CLASSES
#include "ir/ops/ActivationOps.h.inc"
#define GET_OP_CLASSES
#include "ir/ops/ConvolutionOps.h.inc"
#define GET_OP_CLASSES
#include "ir/ops/LinearAlgebraOps.h.inc"
#define GET_OP_CLASSES
#include "ir/ops/NormalizationOps.h.inc"
#define GET_OP_CLASSES
#include "ir/ops/ReductionOps.h.inc"
#define GET_OP_CLASSES
#include "ir/ops/ShapeOps.h.inc"
#define GET_OP_CLASSES
#include "ir/ops/IndexingOps.h.inc"
#define GET_OP_CLASSES
#include "ir/ops/RecurrentOps.h.inc"
#define GET_OP_CLASSES
#include "ir/ops/RandomOps.h.inc"
#define GET_OP_CLASSES
#include "ir/ops/LossOps.h.inc"

namespace strata {
/// Name of the function attribute that holds a function's phase.
inline constexpr llvm::StringLiteral kPhaseAttrName = "strata.phase";
/// Op attribute: the model layer an op was created for.
inline constexpr llvm::StringLiteral kLayerAttrName = "strata.layer";
/// Op attribute: the dimension partitioning splits the op on (-1, 0, 1).
inline constexpr llvm::StringLiteral kPartitionDimAttrName =
    "strata.partition_dim";
/// strata.data_input attribute: the data source description.
inline constexpr llvm::StringLiteral kSourceAttrName = "strata.source";
/// Module attributes: the job's schedule, algorithm, updater and cluster.
inline constexpr llvm::StringLiteral kJobAttrNames[] = {
    "strata.job", "strata.alg", "strata.updater", "strata.cluster"};
} // namespace strata

#endif // STRATA_IR_STRATADIALECT_H
