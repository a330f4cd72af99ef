//===- ElementwiseOps.td - Elementwise arithmetic, math, comparison -------===//
//
// Binary ops broadcast their operands numpy-style (ONNX multidirectional
// broadcasting); both operands have the same element type. Comparisons return
// i1 tensors.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_ELEMENTWISE_OPS_TD
#define STRATA_ELEMENTWISE_OPS_TD

include "ir/StrataAttrs.td"

class Strata_UnaryOp<string mnemonic, Type tensorType, string summaryText>
    : Strata_Op<mnemonic, [Pure]> {
  let summary = summaryText;
  let arguments = (ins tensorType:$input);
  let results = (outs tensorType:$output);
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(::mlir::MLIRContext *,
        std::optional<::mlir::Location>, Adaptor adaptor,
        ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      types.push_back(adaptor.getInput().getType());
      return ::mlir::success();
    }
  }];
}

// `resultBool`: the result has the operands' shape and element type i1.
class Strata_BinaryOp<string mnemonic, Type tensorType, string summaryText,
                      bit resultBool = 0, list<Trait> traits = []>
    : Strata_Op<mnemonic, !listconcat(traits, [Pure])> {
  let summary = summaryText;
  let arguments = (ins tensorType:$lhs, tensorType:$rhs);
  let results = (outs !if(resultBool, Strata_BoolTensor, tensorType):$output);
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(::mlir::MLIRContext *,
        std::optional<::mlir::Location> loc, Adaptor adaptor,
        ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      return ::strata::inferBroadcastResult(loc, "}] # mnemonic # [{",
          adaptor.getLhs().getType(), adaptor.getRhs().getType(),
          }] # !if(resultBool, "true", "false") # [{, types);
    }
  }];
}

// Arithmetic.
def Strata_AddOp : Strata_BinaryOp<"add", Strata_Tensor, "x + y", 0, [Commutative]>;
def Strata_SubOp : Strata_BinaryOp<"sub", Strata_Tensor, "x - y">;
def Strata_MulOp : Strata_BinaryOp<"mul", Strata_Tensor, "x * y", 0, [Commutative]>;
def Strata_DivOp : Strata_BinaryOp<"div", Strata_Tensor,
    "x / y (integers: truncating; division by zero is an evaluation error)">;
def Strata_ModOp : Strata_BinaryOp<"mod", Strata_Tensor,
    "remainder with the sign of the divisor (floats: fmod if `fmod`)"> {
  let arguments = (ins Strata_Tensor:$lhs, Strata_Tensor:$rhs,
                       DefaultValuedAttr<BoolAttr, "false">:$fmod);
}
def Strata_PowOp : Strata_BinaryOp<"pow", Strata_Tensor, "x ** y">;
def Strata_MaxOp : Strata_BinaryOp<"max", Strata_Tensor, "max(x, y)", 0, [Commutative]>;
def Strata_MinOp : Strata_BinaryOp<"min", Strata_Tensor, "min(x, y)", 0, [Commutative]>;

// Comparisons.
def Strata_EqualOp : Strata_BinaryOp<"equal", Strata_Tensor, "x == y", 1, [Commutative]>;
def Strata_NotEqualOp : Strata_BinaryOp<"not_equal", Strata_Tensor, "x != y", 1, [Commutative]>;
def Strata_LessOp : Strata_BinaryOp<"less", Strata_Tensor, "x < y", 1>;
def Strata_LessEqualOp : Strata_BinaryOp<"less_equal", Strata_Tensor, "x <= y", 1>;
def Strata_GreaterOp : Strata_BinaryOp<"greater", Strata_Tensor, "x > y", 1>;
def Strata_GreaterEqualOp : Strata_BinaryOp<"greater_equal", Strata_Tensor, "x >= y", 1>;

// Logic on i1 and bitwise ops on integers.
def Strata_AndOp : Strata_BinaryOp<"and", Strata_IntTensor, "x and y (bitwise on integers)", 0, [Commutative]>;
def Strata_OrOp : Strata_BinaryOp<"or", Strata_IntTensor, "x or y (bitwise on integers)", 0, [Commutative]>;
def Strata_XorOp : Strata_BinaryOp<"xor", Strata_IntTensor, "x xor y (bitwise on integers)", 0, [Commutative]>;
def Strata_NotOp : Strata_UnaryOp<"not", Strata_IntTensor, "logical not on i1, bitwise not on integers">;
// Shifts by y bits. Left shifts drop the bits moved out of the type; right
// shifts are arithmetic on signed types, logical on unsigned ones. A shift
// by y < 0 or y >= the bit width gives what the sign fill alone gives: 0, or
// -1 for a right shift of a negative value.
def Strata_ShiftLeftOp : Strata_BinaryOp<"shift_left", Strata_IntTensor, "x << y">;
def Strata_ShiftRightOp : Strata_BinaryOp<"shift_right", Strata_IntTensor, "x >> y">;

// Unary math.
def Strata_NegOp : Strata_UnaryOp<"neg", Strata_Tensor, "-x">;
def Strata_AbsOp : Strata_UnaryOp<"abs", Strata_Tensor, "|x|">;
def Strata_SignOp : Strata_UnaryOp<"sign", Strata_Tensor, "-1, 0 or 1">;
def Strata_ExpOp : Strata_UnaryOp<"exp", Strata_FloatTensor, "e ** x">;
def Strata_LogOp : Strata_UnaryOp<"log", Strata_FloatTensor, "natural logarithm">;
def Strata_SqrtOp : Strata_UnaryOp<"sqrt", Strata_FloatTensor, "square root">;
def Strata_RsqrtOp : Strata_UnaryOp<"rsqrt", Strata_FloatTensor, "1 / sqrt(x)">;
def Strata_ReciprocalOp : Strata_UnaryOp<"reciprocal", Strata_FloatTensor, "1 / x">;
def Strata_FloorOp : Strata_UnaryOp<"floor", Strata_FloatTensor, "round toward -inf">;
def Strata_CeilOp : Strata_UnaryOp<"ceil", Strata_FloatTensor, "round toward +inf">;
def Strata_RoundOp : Strata_UnaryOp<"round", Strata_FloatTensor, "round half to even">;
def Strata_ErfOp : Strata_UnaryOp<"erf", Strata_FloatTensor, "error function">;
def Strata_SinOp : Strata_UnaryOp<"sin", Strata_FloatTensor, "sine">;
def Strata_CosOp : Strata_UnaryOp<"cos", Strata_FloatTensor, "cosine">;
def Strata_AsinOp : Strata_UnaryOp<"asin", Strata_FloatTensor, "arcsine (NaN outside [-1, 1])">;
def Strata_AcosOp : Strata_UnaryOp<"acos", Strata_FloatTensor, "arccosine (NaN outside [-1, 1])">;
def Strata_AtanOp : Strata_UnaryOp<"atan", Strata_FloatTensor, "arctangent">;
def Strata_IsNaNOp : Strata_Op<"is_nan", [Pure]> {
  let summary = "x is NaN";
  let arguments = (ins Strata_FloatTensor:$input);
  let results = (outs Strata_BoolTensor:$output);
}

def Strata_ClipOp : Strata_Op<"clip", [Pure]> {
  let summary = "min(max(x, min), max)";
  let arguments = (ins Strata_Tensor:$input, F64Attr:$min, F64Attr:$max);
  let results = (outs Strata_Tensor:$output);
  let hasVerifier = 1;
}

def Strata_WhereOp : Strata_Op<"where", [Pure]> {
  let summary = "select x where cond, else y (all three broadcast)";
  let arguments = (ins Strata_BoolTensor:$condition, Strata_Tensor:$lhs,
                       Strata_Tensor:$rhs);
  let results = (outs Strata_Tensor:$output);
}

#endif // STRATA_ELEMENTWISE_OPS_TD
