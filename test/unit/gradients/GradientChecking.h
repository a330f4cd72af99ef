//===- GradientChecking.h - Central-difference gradient checks --*- C++ -*-===//
//
// A test writes `func.func @f(...) -> tensor<...>` in f64 and gives inputs.
// The check builds L = sum(f(x) * r) for a fixed random r, differentiates it
// with strata::appendGradients (the autodiff pass's core), evaluates the
// gradients in the reference evaluator, and compares every element of every
// float argument's gradient with the central difference
// (L(x + h) - L(x - h)) / 2h, within |a - n| <= tol * (1 + |n|).
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_TEST_UNIT_GRADIENTS_GRADIENTCHECKING_H
#define STRATA_TEST_UNIT_GRADIENTS_GRADIENTCHECKING_H

#include "EvaluatorTesting.h"

#include "ir/Shapes.h"
#include "ir/gradients/Gradients.h"

#include "mlir/IR/IRMapping.h"

#include <functional>

namespace strata::testing {

/// The central difference (L(x + h) - L(x - h)) / 2h, where `lossAt(v)` is
/// the loss with the checked element set to v.
inline double centralDifference(const std::function<double(double)> &lossAt,
                                double x, double h) {
  return (lossAt(x + h) - lossAt(x - h)) / (2 * h);
}

class GradientCheckTest : public EvaluatorTest {
protected:
  struct Options {
    double tol = 1e-6; // relative + absolute
    double h = 1e-6;   // central-difference step
  };

  /// Checks the gradient of `source`'s @f with respect to each float
  /// argument at `args`.
  void check(const std::string &source, std::vector<Tensor> args) {
    check(source, std::move(args), Options());
  }
  void check(const std::string &source, std::vector<Tensor> args,
             Options options) {
    mlir::ModuleOp module = parse(source);
    ASSERT_TRUE(module);
    auto f = module.lookupSymbol<mlir::func::FuncOp>("f");
    ASSERT_TRUE(f) << "no @f";
    ASSERT_EQ(f.getNumResults(), 1u) << "@f must return one tensor";
    auto resultType = mlir::cast<mlir::RankedTensorType>(f.getResultTypes()[0]);
    ASSERT_TRUE(resultType.hasStaticShape());

    // @loss(args..., r) = reduce_sum(f(args) * r).
    mlir::OpBuilder b(module.getBodyRegion());
    b.setInsertionPointToEnd(module.getBody());
    llvm::SmallVector<mlir::Type> argTypes(f.getArgumentTypes());
    argTypes.push_back(resultType);
    auto scalar = mlir::RankedTensorType::get({}, resultType.getElementType());
    auto loss = mlir::func::FuncOp::create(
        b, f.getLoc(), "loss", b.getFunctionType(argTypes, {scalar}));
    mlir::Block *block = loss.addEntryBlock();
    mlir::IRMapping map;
    for (unsigned i = 0; i < f.getNumArguments(); ++i)
      map.map(f.getArgument(i), block->getArgument(i));
    b.setInsertionPointToEnd(block);
    mlir::Value y;
    for (mlir::Operation &op : f.getBody().front()) {
      if (auto ret = mlir::dyn_cast<mlir::func::ReturnOp>(op)) {
        y = map.lookup(ret.getOperand(0));
        break;
      }
      b.clone(op, map);
    }
    mlir::Value r = block->getArgument(f.getNumArguments());
    auto prod =
        createWithInferredTypes(b, f.getLoc(), "strata.mul", {y, r}, {}, 1);
    ASSERT_TRUE(mlir::succeeded(prod));
    auto sum = createWithInferredTypes(
        b, f.getLoc(), "strata.reduce_sum", {(*prod)->getResult(0)},
        {b.getNamedAttr("keepdims", b.getBoolAttr(false))}, 1);
    ASSERT_TRUE(mlir::succeeded(sum));
    mlir::Value l = (*sum)->getResult(0);
    mlir::func::ReturnOp::create(b, f.getLoc(), l);

    // @grad: @loss's body with the gradients of every float argument.
    b.setInsertionPointToEnd(module.getBody());
    auto grad = mlir::cast<mlir::func::FuncOp>(b.clone(*loss));
    grad.setName("grad");
    llvm::SmallVector<mlir::Value> wrt;
    std::vector<unsigned> wrtIndex;
    for (unsigned i = 0; i < f.getNumArguments(); ++i)
      if (args[i].isFloat()) {
        wrt.push_back(grad.getArgument(i));
        wrtIndex.push_back(i);
      }
    auto ret = mlir::cast<mlir::func::ReturnOp>(
        grad.getBody().front().getTerminator());
    auto grads = appendGradients(grad, ret.getOperand(0), wrt);
    ASSERT_TRUE(mlir::succeeded(grads)) << "appendGradients failed";
    llvm::SmallVector<mlir::Value> results{ret.getOperand(0)};
    results.append(grads->begin(), grads->end());
    ret->setOperands(results);
    grad.setType(b.getFunctionType(grad.getArgumentTypes(),
                                   mlir::ValueRange(results).getTypes()));
    ASSERT_TRUE(mlir::succeeded(mlir::verify(module)));

    Tensor weights =
        randomTensor(*reference::dtypeOf(resultType.getElementType()),
                     std::vector<int64_t>(resultType.getShape()));
    std::vector<Tensor> inputs = args;
    inputs.push_back(weights);
    auto analytic = reference::evaluateFunction(grad, inputs, env);
    ASSERT_TRUE(static_cast<bool>(analytic))
        << llvm::toString(analytic.takeError());
    auto lossAt = [&](const std::vector<Tensor> &in) {
      auto out = reference::evaluateFunction(loss, in, env);
      EXPECT_TRUE(static_cast<bool>(out)) << llvm::toString(out.takeError());
      return out ? (*out)[0].get(0) : 0.0;
    };
    for (size_t k = 0; k < wrtIndex.size(); ++k) {
      unsigned i = wrtIndex[k];
      const Tensor &g = (*analytic)[1 + k];
      ASSERT_EQ(g.shape(), args[i].shape()) << "gradient of argument " << i;
      for (int64_t j = 0; j < args[i].numElements(); ++j) {
        double numeric = centralDifference(
            [&](double x) {
              std::vector<Tensor> at = inputs;
              at[i].set(j, x);
              return lossAt(at);
            },
            args[i].get(j), options.h);
        EXPECT_NEAR(g.get(j), numeric, options.tol * (1 + std::fabs(numeric)))
            << "d loss / d arg" << i << "[" << j << "]";
      }
    }
  }
};

} // namespace strata::testing

#endif // STRATA_TEST_UNIT_GRADIENTS_GRADIENTCHECKING_H
