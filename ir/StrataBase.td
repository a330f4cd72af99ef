//===- StrataBase.td - The strata dialect, base op class, constraints -----===//
//
// Every strata op works on ranked tensors (a dimension may be dynamic, `?`),
// verifies its operands and attributes, and infers its result types through
// InferTypeOpInterface. Declared result types need only be *compatible* with
// the inferred ones (a `?` may stand for a known size); --strata-infer-shapes
// refines them.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_BASE_TD
#define STRATA_BASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/CommonAttrConstraints.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Strata_Dialect : Dialect {
  let name = "strata";
  let cppNamespace = "::strata";
  let summary = "Layers and tensor operations of Strata's deep-learning compiler";
  let description = [{
    One op per layer or tensor operation, on ranked tensors. Parameters and data
    inputs are explicit ops; phases, partitioning and training structure are
    attributes. The reference evaluator (ir/reference) is the executable
    definition of every op.
  }];
  let useDefaultAttributePrinterParser = 1;
  let hasConstantMaterializer = 1;
  let hasOperationAttrVerify = 1;
}

// Result types are inferred; declared ones must be compatible (same element
// type and rank, equal sizes where both are static).
def Strata_InferTypes : InferTypeOpAdaptorBase<[{
    static bool isCompatibleReturnTypes(::mlir::TypeRange l, ::mlir::TypeRange r) {
      return ::strata::areCompatibleResultTypes(l, r);
    }
  }]>;

class Strata_Op<string mnemonic, list<Trait> traits = []>
    : Op<Strata_Dialect, mnemonic, !listconcat(traits, [Strata_InferTypes])> {
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

def Strata_FloatTensor : RankedTensorOf<[AnyFloat]>;
def Strata_IntTensor : RankedTensorOf<[AnyInteger]>;
def Strata_IndexTensor : RankedTensorOf<[AnySignlessInteger]>;
def Strata_BoolTensor : RankedTensorOf<[I1]>;
def Strata_Tensor : RankedTensorOf<[AnyFloat, AnyInteger]>;
// Explicit random-number state: [key, counter] of a Philox4x32-10 stream.
def Strata_RngState : 1DTensorOf<[I64]>;


#endif // STRATA_BASE_TD
