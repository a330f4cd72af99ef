//===- Constants.cpp - Host tensors to and from dense attributes ----------===//

#include "ir/reference/Constants.h"

#include "llvm/ADT/APFloat.h"

using namespace mlir;

namespace strata::reference {

std::optional<Tensor> tensorFromAttr(ElementsAttr attr) {
  auto type = cast<ShapedType>(attr.getType());
  auto dtype = dtypeOf(type.getElementType());
  auto dense = dyn_cast<DenseElementsAttr>(attr);
  if (!dtype || !dense)
    return std::nullopt;
  std::vector<int64_t> shape(type.getShape().begin(), type.getShape().end());
  Tensor t(*dtype, shape);
  int64_t i = 0;
  if (t.isFloat()) {
    for (llvm::APFloat v : dense.getValues<llvm::APFloat>()) {
      bool losesInfo;
      v.convert(llvm::APFloat::IEEEdouble(), llvm::APFloat::rmNearestTiesToEven,
                &losesInfo);
      t.set(i++, v.convertToDouble());
    }
  } else {
    bool zext = isUnsignedDType(*dtype) || *dtype == DType::i1;
    for (const llvm::APInt &v : dense.getValues<llvm::APInt>())
      t.setInt(i++, zext ? static_cast<int64_t>(v.getZExtValue())
                         : v.getSExtValue());
  }
  return t;
}

DenseElementsAttr attrFromTensor(const Tensor &t, RankedTensorType type) {
  Type element = type.getElementType();
  int64_t n = t.numElements();
  if (auto ft = dyn_cast<FloatType>(element)) {
    SmallVector<llvm::APFloat> values;
    values.reserve(n);
    for (int64_t i = 0; i < n; ++i) {
      llvm::APFloat v(t.get(i));
      bool losesInfo;
      v.convert(ft.getFloatSemantics(), llvm::APFloat::rmNearestTiesToEven,
                &losesInfo);
      values.push_back(v);
    }
    return DenseElementsAttr::get(type, values);
  }
  unsigned width = element.getIntOrFloatBitWidth();
  SmallVector<llvm::APInt> values;
  values.reserve(n);
  for (int64_t i = 0; i < n; ++i)
    values.push_back(llvm::APInt(width, static_cast<uint64_t>(t.getInt(i)),
                                 /*isSigned=*/false, /*implicitTrunc=*/true));
  return DenseElementsAttr::get(type, values);
}

} // namespace strata::reference
