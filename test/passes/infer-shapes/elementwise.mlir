// RUN: strata-opt %s --strata-infer-shapes | FileCheck %s

// CHECK-LABEL: func @refine
// CHECK-SAME: -> (tensor<2x3xf32>, tensor<2x3xi1>, tensor<?x3xf32>, tensor<4xf32>, tensor<2x3xf32>, tensor<4xi1>, tensor<4xf32>)
func.func @refine(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %d: tensor<?x3xf32>, %u: tensor<4xf32>, %c: tensor<4xi1>)
    -> (tensor<?x?xf32>, tensor<?x?xi1>, tensor<?x?xf32>, tensor<?xf32>, tensor<?x?xf32>, tensor<?xi1>, tensor<?xf32>) {
  // CHECK: strata.add {{.*}} -> tensor<2x3xf32>
  %0 = strata.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.less {{.*}} -> tensor<2x3xi1>
  %1 = strata.less %0, %b : (tensor<?x?xf32>, tensor<3xf32>) -> tensor<?x?xi1>
  // A dynamic batch stays dynamic.
  // CHECK: strata.mul {{.*}} -> tensor<?x3xf32>
  %2 = strata.mul %d, %b : (tensor<?x3xf32>, tensor<3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.exp {{.*}} -> tensor<4xf32>
  %3 = strata.exp %u : (tensor<4xf32>) -> tensor<?xf32>
  // CHECK: strata.where {{.*}} -> tensor<2x3xf32>
  %4 = strata.where %1, %0, %b : (tensor<?x?xi1>, tensor<?x?xf32>, tensor<3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.is_nan {{.*}} -> tensor<4xi1>
  %5 = strata.is_nan %u : (tensor<4xf32>) -> tensor<?xi1>
  // CHECK: strata.clip {{.*}} -> tensor<4xf32>
  %6 = strata.clip %u {min = 0.0, max = 1.0} : (tensor<4xf32>) -> tensor<?xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<?x?xf32>, tensor<?x?xi1>, tensor<?x?xf32>, tensor<?xf32>, tensor<?x?xf32>, tensor<?xi1>, tensor<?xf32>
}

// CHECK-LABEL: func @every_op
func.func @every_op(%a: tensor<?x3xf32>, %b: tensor<1x3xf32>, %i: tensor<4x1xi32>, %j: tensor<5xi32>) {
  // CHECK: strata.sub {{.*}} -> tensor<?x3xf32>
  %0 = strata.sub %a, %b : (tensor<?x3xf32>, tensor<1x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.div {{.*}} -> tensor<?x3xf32>
  %1 = strata.div %a, %b : (tensor<?x3xf32>, tensor<1x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.mod {{.*}} -> tensor<?x3xf32>
  %2 = strata.mod %a, %b : (tensor<?x3xf32>, tensor<1x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.pow {{.*}} -> tensor<?x3xf32>
  %3 = strata.pow %a, %b : (tensor<?x3xf32>, tensor<1x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.max {{.*}} -> tensor<?x3xf32>
  %4 = strata.max %a, %b : (tensor<?x3xf32>, tensor<1x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.min {{.*}} -> tensor<?x3xf32>
  %5 = strata.min %a, %b : (tensor<?x3xf32>, tensor<1x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.equal {{.*}} -> tensor<?x3xi1>
  %6 = strata.equal %a, %b : (tensor<?x3xf32>, tensor<1x3xf32>) -> tensor<?x?xi1>
  // CHECK: strata.not_equal {{.*}} -> tensor<?x3xi1>
  %7 = strata.not_equal %a, %b : (tensor<?x3xf32>, tensor<1x3xf32>) -> tensor<?x?xi1>
  // CHECK: strata.less_equal {{.*}} -> tensor<?x3xi1>
  %8 = strata.less_equal %a, %b : (tensor<?x3xf32>, tensor<1x3xf32>) -> tensor<?x?xi1>
  // CHECK: strata.greater {{.*}} -> tensor<?x3xi1>
  %9 = strata.greater %a, %b : (tensor<?x3xf32>, tensor<1x3xf32>) -> tensor<?x?xi1>
  // CHECK: strata.greater_equal {{.*}} -> tensor<?x3xi1>
  %10 = strata.greater_equal %a, %b : (tensor<?x3xf32>, tensor<1x3xf32>) -> tensor<?x?xi1>
  // CHECK: strata.and {{.*}} -> tensor<4x5xi32>
  %11 = strata.and %i, %j : (tensor<4x1xi32>, tensor<5xi32>) -> tensor<?x?xi32>
  // CHECK: strata.or {{.*}} -> tensor<4x5xi32>
  %12 = strata.or %i, %j : (tensor<4x1xi32>, tensor<5xi32>) -> tensor<?x?xi32>
  // CHECK: strata.xor {{.*}} -> tensor<4x5xi32>
  %13 = strata.xor %i, %j : (tensor<4x1xi32>, tensor<5xi32>) -> tensor<?x?xi32>
  // CHECK: strata.shift_left {{.*}} -> tensor<4x5xi32>
  %sl = strata.shift_left %i, %j : (tensor<4x1xi32>, tensor<5xi32>) -> tensor<?x?xi32>
  // CHECK: strata.shift_right {{.*}} -> tensor<4x5xi32>
  %sr = strata.shift_right %i, %j : (tensor<4x1xi32>, tensor<5xi32>) -> tensor<?x5xi32>
  // CHECK: strata.not {{.*}} -> tensor<5xi32>
  %14 = strata.not %j : (tensor<5xi32>) -> tensor<?xi32>
  // CHECK: strata.neg {{.*}} -> tensor<1x3xf32>
  %15 = strata.neg %b : (tensor<1x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.abs {{.*}} -> tensor<1x3xf32>
  %16 = strata.abs %b : (tensor<1x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.sign {{.*}} -> tensor<1x3xf32>
  %17 = strata.sign %b : (tensor<1x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.log {{.*}} -> tensor<1x3xf32>
  %18 = strata.log %b : (tensor<1x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.sqrt {{.*}} -> tensor<1x3xf32>
  %19 = strata.sqrt %b : (tensor<1x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.rsqrt {{.*}} -> tensor<1x3xf32>
  %20 = strata.rsqrt %b : (tensor<1x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.reciprocal {{.*}} -> tensor<1x3xf32>
  %21 = strata.reciprocal %b : (tensor<1x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.floor {{.*}} -> tensor<1x3xf32>
  %22 = strata.floor %b : (tensor<1x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.ceil {{.*}} -> tensor<1x3xf32>
  %23 = strata.ceil %b : (tensor<1x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.round {{.*}} -> tensor<1x3xf32>
  %24 = strata.round %b : (tensor<1x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.erf {{.*}} -> tensor<1x3xf32>
  %25 = strata.erf %b : (tensor<1x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.sin {{.*}} -> tensor<1x3xf32>
  %26 = strata.sin %b : (tensor<1x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.cos {{.*}} -> tensor<1x3xf32>
  %27 = strata.cos %b : (tensor<1x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.asin {{.*}} -> tensor<1x3xf32>
  %28 = strata.asin %b : (tensor<1x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.acos {{.*}} -> tensor<1x3xf32>
  %29 = strata.acos %b : (tensor<1x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.atan {{.*}} -> tensor<1x3xf32>
  %30 = strata.atan %b : (tensor<1x3xf32>) -> tensor<?x3xf32>
  return
}
