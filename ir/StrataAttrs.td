//===- StrataAttrs.td - Enums and attributes of the strata dialect --------===//

#ifndef STRATA_ATTRS_TD
#define STRATA_ATTRS_TD

include "ir/StrataBase.td"

class Strata_I32Enum<string name, string summary, list<I32EnumAttrCase> cases>
    : I32EnumAttr<name, summary, cases> {
  let cppNamespace = "::strata";
  let genSpecializedAttr = 0;
}

class Strata_EnumAttr<EnumAttrInfo info, string mnemonic>
    : EnumAttr<Strata_Dialect, info, mnemonic> {
  let assemblyFormat = "`<` $value `>`";
}

// Phases of a job (SINGA's Phase): which function a layer belongs to.
def Strata_Phase : Strata_I32Enum<"Phase", "job phase", [
  I32EnumAttrCase<"train", 0>, I32EnumAttrCase<"val", 1>,
  I32EnumAttrCase<"test", 2>, I32EnumAttrCase<"positive", 3>,
  I32EnumAttrCase<"negative", 4>, I32EnumAttrCase<"forward", 5>,
  I32EnumAttrCase<"backward", 6>, I32EnumAttrCase<"loss", 7>,
  I32EnumAttrCase<"deploy", 8>]>;
def Strata_PhaseAttr : Strata_EnumAttr<Strata_Phase, "phase">;

// How a parameter's initial value is drawn (SINGA's ParamGen types).
def Strata_InitKind : Strata_I32Enum<"InitKind", "parameter initializer", [
  I32EnumAttrCase<"constant", 0>, I32EnumAttrCase<"gaussian", 1>,
  I32EnumAttrCase<"uniform", 2>,
  I32EnumAttrCase<"gaussian_sqrt_fan_in", 3>,
  I32EnumAttrCase<"uniform_sqrt_fan_in", 4>,
  I32EnumAttrCase<"uniform_sqrt_fan_in_out", 5>]>;
def Strata_InitKindAttr : Strata_EnumAttr<Strata_InitKind, "init_kind">;

// Padding of convolution and pooling windows (ONNX auto_pad).
def Strata_AutoPad : Strata_I32Enum<"AutoPad", "window padding mode", [
  I32EnumAttrCase<"notset", 0>, I32EnumAttrCase<"same_upper", 1>,
  I32EnumAttrCase<"same_lower", 2>, I32EnumAttrCase<"valid", 3>]>;
def Strata_AutoPadAttr : Strata_EnumAttr<Strata_AutoPad, "auto_pad">;

// Border handling of the pad op.
def Strata_PadMode : Strata_I32Enum<"PadMode", "pad mode", [
  I32EnumAttrCase<"constant", 0>, I32EnumAttrCase<"reflect", 1>,
  I32EnumAttrCase<"edge", 2>, I32EnumAttrCase<"wrap", 3>]>;
def Strata_PadModeAttr : Strata_EnumAttr<Strata_PadMode, "pad_mode">;

// A real number parameter of an attribute, printed as a plain decimal.
class Strata_RealParameter<string default>
    : APFloatParameter<"real number"> {
  let parser = "::strata::parseReal($_parser)";
  let printer = "$_printer << $_self.convertToDouble()";
  let defaultValue = "::llvm::APFloat(" # default # ")";
}

// Initializer spec of a trainable parameter. Defaults are SINGA's.
def Strata_InitAttr : AttrDef<Strata_Dialect, "Init"> {
  let mnemonic = "init";
  let summary = "initializer of a trainable parameter";
  let description = [{
    `kind` picks the distribution; `value` is the constant (or, for
    uniform_sqrt_fan_in_out, a scale), `mean`/`std` the gaussian, `low`/`high`
    the uniform range. Fan-in / fan-out come from the parameter's shape:
    fan_in = product of all dims but the first, fan_out = the first dim.
  }];
  let parameters = (ins "InitKind":$kind,
      Strata_RealParameter<"1.0">:$value,
      Strata_RealParameter<"0.0">:$mean,
      Strata_RealParameter<"1.0">:$std,
      Strata_RealParameter<"-1.0">:$low,
      Strata_RealParameter<"1.0">:$high);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

#endif // STRATA_ATTRS_TD
