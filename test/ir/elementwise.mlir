// RUN: strata-opt %s | strata-opt | FileCheck %s
// Round trip of every elementwise op.

// CHECK-LABEL: func @binary
func.func @binary(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // CHECK: strata.add %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %0 = strata.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: strata.sub
  %1 = strata.sub %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: strata.mul
  %2 = strata.mul %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: strata.div
  %3 = strata.div %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: strata.mod %{{.*}}, %{{.*}} {fmod = true}
  %4 = strata.mod %a, %b {fmod = true} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: strata.pow
  %5 = strata.pow %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: strata.max
  %6 = strata.max %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: strata.min
  %7 = strata.min %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return
}

// CHECK-LABEL: func @compare
func.func @compare(%a: tensor<?x3xf32>, %b: tensor<3xf32>, %i: tensor<4xi32>) {
  // CHECK: strata.equal %{{.*}} -> tensor<?x3xi1>
  %0 = strata.equal %a, %b : (tensor<?x3xf32>, tensor<3xf32>) -> tensor<?x3xi1>
  // CHECK: strata.not_equal
  %1 = strata.not_equal %a, %b : (tensor<?x3xf32>, tensor<3xf32>) -> tensor<?x3xi1>
  // CHECK: strata.less
  %2 = strata.less %a, %b : (tensor<?x3xf32>, tensor<3xf32>) -> tensor<?x3xi1>
  // CHECK: strata.less_equal
  %3 = strata.less_equal %a, %b : (tensor<?x3xf32>, tensor<3xf32>) -> tensor<?x3xi1>
  // CHECK: strata.greater
  %4 = strata.greater %a, %b : (tensor<?x3xf32>, tensor<3xf32>) -> tensor<?x3xi1>
  // CHECK: strata.greater_equal
  %5 = strata.greater_equal %a, %b : (tensor<?x3xf32>, tensor<3xf32>) -> tensor<?x3xi1>
  // CHECK: strata.and %{{.*}} : (tensor<?x3xi1>, tensor<?x3xi1>) -> tensor<?x3xi1>
  %6 = strata.and %0, %1 : (tensor<?x3xi1>, tensor<?x3xi1>) -> tensor<?x3xi1>
  // CHECK: strata.or
  %7 = strata.or %i, %i : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  // CHECK: strata.xor
  %8 = strata.xor %i, %i : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  // CHECK: strata.shift_left %{{.*}} : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %sl = strata.shift_left %i, %i : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  // CHECK: strata.shift_right %{{.*}} : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %sr = strata.shift_right %i, %i : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  // CHECK: strata.not
  %9 = strata.not %6 : (tensor<?x3xi1>) -> tensor<?x3xi1>
  // CHECK: strata.where
  %10 = strata.where %9, %a, %b : (tensor<?x3xi1>, tensor<?x3xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  return
}

// CHECK-LABEL: func @unary
func.func @unary(%a: tensor<4xf32>, %i: tensor<4xi64>) {
  // CHECK: strata.neg
  %0 = strata.neg %i : (tensor<4xi64>) -> tensor<4xi64>
  // CHECK: strata.abs
  %1 = strata.abs %a : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: strata.sign
  %2 = strata.sign %a : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: strata.exp
  %3 = strata.exp %a : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: strata.log
  %4 = strata.log %a : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: strata.sqrt
  %5 = strata.sqrt %a : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: strata.rsqrt
  %6 = strata.rsqrt %a : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: strata.reciprocal
  %7 = strata.reciprocal %a : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: strata.floor
  %8 = strata.floor %a : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: strata.ceil
  %9 = strata.ceil %a : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: strata.round
  %10 = strata.round %a : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: strata.erf
  %11 = strata.erf %a : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: strata.sin
  %12 = strata.sin %a : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: strata.cos
  %13 = strata.cos %a : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: strata.asin
  %as = strata.asin %a : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: strata.acos
  %ac = strata.acos %a : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: strata.atan
  %at = strata.atan %a : (tensor<4xf32>) -> tensor<4xf32>
  // CHECK: strata.is_nan %{{.*}} : (tensor<4xf32>) -> tensor<4xi1>
  %14 = strata.is_nan %a : (tensor<4xf32>) -> tensor<4xi1>
  // CHECK: strata.clip %{{.*}} {max = 6.000000e+00 : f64, min = 0.000000e+00 : f64}
  %15 = strata.clip %a {min = 0.0, max = 6.0} : (tensor<4xf32>) -> tensor<4xf32>
  return
}
