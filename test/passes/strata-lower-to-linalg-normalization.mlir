// RUN: strata-opt --strata-lower-to-linalg=library-calls=false %s | FileCheck %s

// batch_norm (inference): one pointwise generic over the input seen as
// [N, C, S], the parameters as [C, 1] columns; computed in f64 (the
// reference's precision), rounded once.
// CHECK-DAG: #[[X3:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-DAG: #[[CHAN:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-DAG: #[[INST:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[LPIN:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1, d2) -> (d0, 0, 0)>
// CHECK-DAG: #[[TRAIL:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[X4:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[GPARAM:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d2, 0)>
// CHECK-DAG: #[[GSTAT:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, 0)>
// CHECK-LABEL: func.func @batch_norm
// CHECK: %[[EPS:.*]] = arith.constant 1.000000e-03 : f64
// CHECK: tensor.expand_shape %{{.*}} output_shape [2, 3, 20]
// CHECK: linalg.generic {indexing_maps = [#[[X3]], #[[COL]], #[[COL]], #[[COL]], #[[COL]], #[[X3]]], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK: arith.addf %{{.*}}, %[[EPS]] : f64
// CHECK: math.sqrt
// CHECK: arith.divf
// CHECK: arith.truncf %{{.*}} : f64 to f32
// CHECK-NOT: strata.
func.func @batch_norm(%x: tensor<2x3x4x5xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<2x3x4x5xf32> {
  %0 = strata.batch_norm %x, %s, %b, %m, %v {epsilon = 1.0e-3 : f64} : (tensor<2x3x4x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4x5xf32>
  return %0 : tensor<2x3x4x5xf32>
}

// batch_norm_train: per channel, the f64 sum over (N, S), / R = 8, then
// the sum of squared deviations from that mean, / 8; the output from them;
// running statistics as running * momentum + batch * (1 - momentum).
// CHECK-LABEL: func.func @batch_norm_train
// CHECK-DAG: %[[KEEP:.*]] = arith.constant 7.500000e-01 : f64
// CHECK-DAG: %[[ADD:.*]] = arith.constant 2.500000e-01 : f64
// CHECK-DAG: %[[R:.*]] = arith.constant 8.000000e+00 : f64
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[X3]], #[[CHAN]]], iterator_types = ["reduction", "parallel", "reduction"]} ins(%arg0 : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<3xf64>)
// CHECK: %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<3xf64>)
// CHECK: arith.divf %{{.*}}, %[[R]] : f64
// CHECK: %[[SQ:.*]] = linalg.generic {indexing_maps = [#[[X3]], #[[CHAN]], #[[CHAN]]], iterator_types = ["reduction", "parallel", "reduction"]} ins(%arg0, %[[MEAN]] : tensor<2x3x4xf32>, tensor<3xf64>)
// CHECK: arith.subf
// CHECK: arith.mulf
// CHECK: %[[VAR:.*]] = linalg.generic {{.*}} ins(%[[SQ]] : tensor<3xf64>)
// CHECK: %[[Y:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<2x3x4xf32>)
// CHECK: %[[RM:.*]] = linalg.generic {{.*}} ins(%arg3, %[[MEAN]] : tensor<3xf32>, tensor<3xf64>)
// CHECK: arith.mulf %{{.*}}, %[[KEEP]] : f64
// CHECK: arith.mulf %{{.*}}, %[[ADD]] : f64
// CHECK: %[[RV:.*]] = linalg.generic {{.*}} ins(%arg4, %[[VAR]] : tensor<3xf32>, tensor<3xf64>)
// CHECK: %[[BM:.*]] = linalg.generic {{.*}} ins(%[[MEAN]] : tensor<3xf64>) outs(%{{.*}} : tensor<3xf32>)
// CHECK: %[[BV:.*]] = linalg.generic {{.*}} ins(%[[VAR]] : tensor<3xf64>) outs(%{{.*}} : tensor<3xf32>)
// CHECK: return %[[Y]], %[[RM]], %[[RV]], %[[BM]], %[[BV]]
func.func @batch_norm_train(%x: tensor<2x3x4xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %0:5 = strata.batch_norm_train %x, %s, %b, %m, %v {momentum = 0.75 : f64} : (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
  return %0#0, %0#1, %0#2, %0#3, %0#4 : tensor<2x3x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// instance_norm: the statistics per (n, c), over S only.
// CHECK-LABEL: func.func @instance_norm
// CHECK: linalg.generic {indexing_maps = [#[[X3]], #[[INST]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}} : tensor<2x3x20xf32>) outs(%{{.*}} : tensor<2x3xf64>)
// CHECK: linalg.generic {indexing_maps = [#[[X3]], #[[INST]], #[[INST]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK: tensor.expand_shape %{{.*}} output_shape [2, 3, 1] : tensor<6xf64> into tensor<2x3x1xf64>
// CHECK-NOT: strata.
func.func @instance_norm(%x: tensor<2x3x4x5xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<2x3x4x5xf32> {
  %0 = strata.instance_norm %x, %s, %b : (tensor<2x3x4x5xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3x4x5xf32>
  return %0 : tensor<2x3x4x5xf32>
}

// lp_normalization (p = 1, axis 1): |x| in f64, summed along the axis of
// the [outer, len, inner] view; a zero norm gives 0.
// CHECK-LABEL: func.func @lp_normalization
// CHECK: math.absf %{{.*}} : f64
// CHECK: linalg.generic {indexing_maps = [#[[X3]], #[[LPIN]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK: arith.cmpf oeq
// CHECK: arith.select
// CHECK-NOT: strata.
func.func @lp_normalization(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = strata.lp_normalization %x {axis = 1 : i64, p = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// layer_norm (axis 1): the statistics over [3, 20], as [3, 1, 1] for the
// pointwise result over the input's shape; scale [4, 5] broadcasts from the
// right.
// CHECK-LABEL: func.func @layer_norm
// CHECK: tensor.expand_shape %{{.*}} output_shape [3, 20]
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%{{.*}} : tensor<3x20xf32>) outs(%{{.*}} : tensor<3xf64>)
// CHECK: tensor.expand_shape %{{.*}} output_shape [3, 1, 1] : tensor<3xf64> into tensor<3x1x1xf64>
// CHECK: linalg.generic {indexing_maps = [#[[X3]], #[[ROW]], #[[ROW]], #[[TRAIL]], #[[X3]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg0, %{{.*}}, %{{.*}}, %arg1 : tensor<3x4x5xf32>, tensor<3x1x1xf64>, tensor<3x1x1xf64>, tensor<4x5xf32>)
// CHECK-NOT: strata.
func.func @layer_norm(%x: tensor<3x4x5xf32>, %s: tensor<4x5xf32>) -> tensor<3x4x5xf32> {
  %0 = strata.layer_norm %x, %s {axis = 1 : i64} : (tensor<3x4x5xf32>, tensor<4x5xf32>) -> tensor<3x4x5xf32>
  return %0 : tensor<3x4x5xf32>
}

// group_norm (3 groups of 2 channels): the statistics over [2, 3, 12]; the
// result over [2, 3, 2, 6] with scale and bias [3, 2, 1] and the
// statistics [2, 3, 1, 1].
// CHECK-LABEL: func.func @group_norm
// CHECK: tensor.expand_shape %{{.*}} output_shape [2, 3, 12]
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}} : tensor<2x3x12xf32>) outs(%{{.*}} : tensor<2x3xf64>)
// CHECK: tensor.expand_shape %{{.*}} output_shape [2, 3, 2, 6]
// CHECK: linalg.generic {indexing_maps = [#[[X4]], #[[GPARAM]], #[[GPARAM]], #[[GSTAT]], #[[GSTAT]], #[[X4]]]
// CHECK-NOT: strata.
func.func @group_norm(%x: tensor<2x6x3x2xf32>, %s: tensor<6xf32>, %b: tensor<6xf32>) -> tensor<2x6x3x2xf32> {
  %0 = strata.group_norm %x, %s, %b {num_groups = 3 : i64} : (tensor<2x6x3x2xf32>, tensor<6xf32>, tensor<6xf32>) -> tensor<2x6x3x2xf32>
  return %0 : tensor<2x6x3x2xf32>
}
