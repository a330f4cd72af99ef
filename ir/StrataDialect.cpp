//===- StrataDialect.cpp - Dialect registration, attributes ---------------===//

#include "ir/StrataDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace strata;

#include "ir/GradientOpInterface.cpp.inc"
#include "ir/StrataDialect.cpp.inc"
#include "ir/StrataEnums.cpp.inc"
#include "ir/gradients/Gradients.h"

namespace strata {
/// Parses a real number (integer literals accepted) for attribute parameters.
static FailureOr<llvm::APFloat> parseReal(AsmParser &parser) {
  double value;
  if (parser.parseFloat(value))
    return failure();
  return llvm::APFloat(value);
}
} // namespace strata

#define GET_ATTRDEF_CLASSES
#include "ir/StrataAttrs.cpp.inc"

void StrataDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "ir/StrataAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "ir/ops/StructureOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "ir/ops/ElementwiseOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "ir/ops/ActivationOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "ir/ops/ConvolutionOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "ir/ops/LinearAlgebraOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "ir/ops/NormalizationOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "ir/ops/ReductionOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "ir/ops/ShapeOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "ir/ops/IndexingOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "ir/ops/RecurrentOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "ir/ops/RandomOps.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "ir/ops/LossOps.cpp.inc"
      >();
  attachGradientModels(getContext());
}

Operation *StrataDialect::materializeConstant(OpBuilder &builder,
                                              Attribute value, Type type,
                                              Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, type, elements);
}

/// strata.rbm: an array of dictionaries on a function, each with the
/// indices of the function results holding the RBM's visible input and
/// positive-phase hidden probabilities (`visible`, `hidden`), its parameters
/// (`weight`, `hidden_weight`, optional `visible_bias`, `hidden_bias`), and
/// optionally `gaussian` and the layer names (`visible_layer`,
/// `hidden_layer`).
static LogicalResult verifyRBMAttribute(Operation *op, Attribute value) {
  auto rbms = dyn_cast<ArrayAttr>(value);
  if (!rbms || !isa<func::FuncOp>(op) ||
      !llvm::all_of(rbms, [](Attribute a) { return isa<DictionaryAttr>(a); }))
    return op->emitError(
        "'strata.rbm' must be an array of dictionaries on a function");
  for (auto [i, a] : llvm::enumerate(rbms)) {
    auto rbm = cast<DictionaryAttr>(a);
    for (StringRef required : {"visible", "hidden", "weight", "hidden_weight"})
      if (!rbm.get(required))
        return op->emitError("'strata.rbm' entry ")
               << i << " has no field '" << required << "'";
    for (NamedAttribute field : rbm) {
      StringRef key = field.getName().getValue();
      Attribute v = field.getValue();
      const char *expected = nullptr;
      if (key == "visible" || key == "hidden") {
        auto index = dyn_cast<IntegerAttr>(v);
        if (!index || index.getInt() < 0)
          expected = "a result index (an integer >= 0)";
      } else if (key == "weight" || key == "hidden_weight" ||
                 key == "visible_bias" || key == "hidden_bias") {
        if (!isa<FlatSymbolRefAttr>(v))
          expected = "a parameter symbol (@name)";
      } else if (key == "gaussian") {
        if (!isa<BoolAttr>(v))
          expected = "a bool";
      } else if (key == "visible_layer" || key == "hidden_layer") {
        if (!isa<StringAttr>(v))
          expected = "a string";
      } else {
        return op->emitError("'strata.rbm' entry ")
               << i << " has an unknown field '" << key << "'";
      }
      if (expected)
        return op->emitError("'strata.rbm' entry ")
               << i << ": field '" << key << "' must be " << expected;
    }
  }
  return success();
}

LogicalResult StrataDialect::verifyOperationAttribute(Operation *op,
                                                      NamedAttribute attr) {
  StringRef name = attr.getName().getValue();
  Attribute value = attr.getValue();
  if (name == kPhaseAttrName) {
    if (!isa<PhaseAttr>(value))
      return op->emitError("'")
             << kPhaseAttrName << "' must be a #strata.phase<...> attribute";
    if (!isa<func::FuncOp>(op))
      return op->emitError("'")
             << kPhaseAttrName << "' is only valid on a function";
    return success();
  }
  // A gradient function (--strata-autodiff): the function it differentiates.
  if (name == "strata.gradient_of" || name == "strata.step_of") {
    if (!isa<FlatSymbolRefAttr>(value) || !isa<func::FuncOp>(op))
      return op->emitError("'")
             << name << "' must be a symbol reference on a function";
    return success();
  }
  // Provenance of an op: the model layer it came from.
  if (name == kLayerAttrName) {
    if (!isa<StringAttr>(value))
      return op->emitError("'") << name << "' must be a string";
    return success();
  }
  // The dimension partitioning splits this op's work on: -1 none, 0 the
  // batch, 1 the features.
  if (name == kPartitionDimAttrName) {
    auto dim = dyn_cast<IntegerAttr>(value);
    if (!dim || dim.getInt() < -1 || dim.getInt() > 1)
      return op->emitError("'") << name << "' must be an integer in [-1, 1]";
    return success();
  }
  // Where a data input reads from (consumed by the runtime).
  if (name == kSourceAttrName) {
    if (!isa<DictionaryAttr>(value) || !isa<DataInputOp>(op))
      return op->emitError("'")
             << name << "' must be a dictionary on a strata.data_input";
    return success();
  }
  // The RBMs a contrastive-divergence train function trains
  // (--strata-contrastive-divergence): one dictionary per RBM.
  if (name == "strata.rbm")
    return verifyRBMAttribute(op, value);
  // A function's memory plan (--strata-plan-memory): arena and naive bytes.
  if (name == "strata.arena_bytes" || name == "strata.naive_bytes") {
    if (!isa<IntegerAttr>(value) || !isa<FunctionOpInterface>(op))
      return op->emitError("'") << name << "' must be an integer on a function";
    return success();
  }
  // Job-level settings for later stages, on the module.
  if (llvm::is_contained(kJobAttrNames, name)) {
    if (!isa<DictionaryAttr>(value) || !isa<ModuleOp>(op))
      return op->emitError("'") << name << "' must be a dictionary on a module";
    return success();
  }
  return op->emitError("unknown strata attribute '") << name << "'";
}

LogicalResult InitAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                               InitKind kind, llvm::APFloat value,
                               llvm::APFloat mean, llvm::APFloat std,
                               llvm::APFloat low, llvm::APFloat high) {
  if (std.convertToDouble() < 0)
    return emitError() << "init std must be >= 0, got "
                       << std.convertToDouble();
  if (kind == InitKind::uniform &&
      low.convertToDouble() > high.convertToDouble())
    return emitError() << "init range is empty: low " << low.convertToDouble()
                       << " > high " << high.convertToDouble();
  return success();
}
