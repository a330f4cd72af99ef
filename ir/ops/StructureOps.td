//===- StructureOps.td - Parameters, data inputs, constants, casts --------===//
//
// Ops that make a job's training structure explicit: trainable parameters
// (module-level symbols with an init spec), reads of them, data inputs,
// constants, element-type casts and bit casts.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_STRUCTURE_OPS_TD
#define STRATA_STRUCTURE_OPS_TD

include "ir/StrataAttrs.td"
include "mlir/IR/SymbolInterfaces.td"

// Ops whose result type is declared rather than inferred (it comes from a
// symbol, a data source or a target type).
class Strata_DeclaredTypeOp<string mnemonic, list<Trait> traits = []>
    : Op<Strata_Dialect, mnemonic, traits>;

def Strata_ParameterOp : Strata_DeclaredTypeOp<"parameter", [Symbol,
    HasParent<"::mlir::ModuleOp">]> {
  let summary = "a trainable (or state) tensor of the model";
  let description = [{
    Declares a named parameter with its shape, element type and initializer.
    Functions read it with `strata.param_value`. `lr_scale` / `wd_scale` scale
    the updater's learning rate and weight decay for this parameter;
    `share_from` ties it to another parameter (same storage, e.g. an RBM's or
    auto-encoder's transposed weights are tied through the layer that uses it);
    `trainable = false` marks state that no updater touches (running means).

    ```mlir
    strata.parameter @fc1_w : tensor<784x100xf32>
        {init = #strata.init<kind = uniform, low = -0.05, high = 0.05>}
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
      TypeAttrOf<AnyRankedTensor>:$type,
      Strata_InitAttr:$init,
      DefaultValuedAttr<F64Attr, "1.0">:$lr_scale,
      DefaultValuedAttr<F64Attr, "1.0">:$wd_scale,
      DefaultValuedAttr<BoolAttr, "true">:$trainable,
      OptionalAttr<FlatSymbolRefAttr>:$share_from);
  let assemblyFormat = "$sym_name `:` $type attr-dict";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The parameter whose storage this one uses: itself, or the end of its
    /// share_from chain; null if the chain names a missing symbol or loops.
    ParameterOp getStorageOwner();
  }];
}

def Strata_ParamValueOp : Strata_DeclaredTypeOp<"param_value", [Pure,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "the current value of a parameter";
  let arguments = (ins FlatSymbolRefAttr:$param);
  let results = (outs AnyRankedTensor:$value);
  let assemblyFormat = "$param attr-dict `:` type($value)";
  let extraClassDeclaration = [{
    /// The parameter whose storage this read uses (ParameterOp's
    /// getStorageOwner of the one it names); null if there is none.
    ParameterOp getStorageOwner();
  }];
}

def Strata_DataInputOp : Strata_DeclaredTypeOp<"data_input", [
    MemoryEffects<[MemRead]>]> {
  let summary = "one batch from a named data input layer";
  let description = [{
    Produces the tensors of the data input layer `name` (for example a
    SINGA record input gives the batch and its labels). Its source (file,
    format, preprocessing) is described by the frontend's attributes and
    consumed by the runtime; the reference evaluator takes the tensors from
    its environment.

    ```mlir
    %x, %y = strata.data_input "data" : tensor<64x784xf32>, tensor<64xi32>
    ```
  }];
  let arguments = (ins StrAttr:$name);
  let results = (outs Variadic<AnyRankedTensor>:$outputs);
  let assemblyFormat = "$name attr-dict `:` type($outputs)";
  let hasVerifier = 1;
}

def Strata_ConstantOp : Strata_Op<"constant", [ConstantLike, Pure]> {
  let summary = "a constant tensor";
  let arguments = (ins ElementsAttr:$value);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

def Strata_CastOp : Strata_DeclaredTypeOp<"cast", [Pure]> {
  let summary = "element type conversion";
  let description = [{
    Converts every element to the result's element type: float to integer
    truncates toward zero, to i1 is `x != 0`, integer widths wrap (also the
    2- and 4-bit ones). To a float type values round to nearest, ties to even;
    out of range they become infinity where the type has one (f8E5M2), else
    NaN (f8E4M3FN, f8E4M3FNUZ, f8E5M2FNUZ), and f4E2M1FN, which has neither,
    saturates to its largest finite value (NaN becomes -0). With `saturate`
    (ONNX Cast's attribute for float8 targets) a value beyond the largest
    finite one of a float result type, infinities included, becomes that
    largest finite value of its sign; NaN stays NaN; integer results ignore
    it. f8E8M0FNU (powers of two 2^-127..2^127, NaN; no zero, no sign) takes
    |x| to a power of two by `round_mode` (ONNX Cast's: `up` to the next,
    `down` to the one below, `nearest` in linear distance with ties up);
    zero, infinities and exponents out of range become NaN, or with
    `saturate` the nearest bound (zero to 2^-127, infinity to 2^127). The
    shapes of operand and result must be compatible.
  }];
  let arguments = (ins Strata_Tensor:$input,
                       DefaultValuedAttr<BoolAttr, "false">:$saturate,
                       DefaultValuedAttr<StrAttr, "\"up\"">:$round_mode);
  let results = (outs Strata_Tensor:$output);
  let assemblyFormat = "operands attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Strata_BitcastOp : Strata_Op<"bitcast", [Pure]> {
  let summary = "reinterprets the bits of every element (ONNX BitCast)";
  let description = [{
    The result has the input's shape and element type `to`; each element is
    the input element's bit pattern (little-endian, two's complement for
    signed integers, IEEE encodings for floats) read as `to`. Both element
    types have the same bit width, where i1 counts as a byte holding 0 or 1
    (so i1 pairs with 8-bit integers). Evaluation errors: a bit pattern that
    is a signalling NaN of a float `to` (the evaluator holds floats as
    doubles, which would quiet it) and a byte other than 0 or 1 for i1.
  }];
  let arguments = (ins Strata_Tensor:$input, TypeAttr:$to);
  let results = (outs Strata_Tensor:$output);
}

#endif // STRATA_STRUCTURE_OPS_TD
