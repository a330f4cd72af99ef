// RUN: strata-opt --strata-lower-to-linalg=library-calls=false --split-input-file %s | FileCheck %s

// numpy matmul forms: a 1-D operand has no loop of its own (lhs [K] reads
// only k), and a size-1 batch dim of one operand reads index 0. The loops
// are the result's dims, then k.
// CHECK-DAG: #[[V:.*]] = affine_map<(d0, d1, d2) -> (d2)>
// CHECK-DAG: #[[M:.*]] = affine_map<(d0, d1, d2) -> (d0, d2, d1)>
// CHECK-DAG: #[[VO:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2, d3) -> (0, d3, d2)>
// CHECK-DAG: #[[O:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @matmul_vector_batch
func.func @matmul_vector_batch(%v: tensor<5xf32>, %m: tensor<1x5x4xf32>) -> tensor<1x4xf32> {
  // CHECK: linalg.generic {indexing_maps = [#[[V]], #[[M]], #[[VO]]], iterator_types = ["parallel", "parallel", "reduction"]}
  %0 = strata.matmul %v, %m : (tensor<5xf32>, tensor<1x5x4xf32>) -> tensor<1x4xf32>
  return %0 : tensor<1x4xf32>
}
// CHECK-LABEL: func.func @matmul_broadcast
func.func @matmul_broadcast(%a: tensor<2x3x5xf32>, %b: tensor<1x5x4xf32>) -> tensor<2x3x4xf32> {
  // CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[B]], #[[O]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
  // CHECK: arith.mulf
  // CHECK: arith.addf
  %0 = strata.matmul %a, %b : (tensor<2x3x5xf32>, tensor<1x5x4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}
// CHECK-LABEL: func.func @matmul_int
func.func @matmul_int(%a: tensor<3x5xi32>, %b: tensor<5xi32>) -> tensor<3xi32> {
  // CHECK: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}, #{{.*}}], iterator_types = ["parallel", "reduction"]}
  // CHECK: arith.muli
  // CHECK: arith.addi
  %0 = strata.matmul %a, %b : (tensor<3x5xi32>, tensor<5xi32>) -> tensor<3xi32>
  return %0 : tensor<3xi32>
}

// -----

// Unsigned integers: the ops read them as unsigned, and the lowered
// function is signless throughout (signature, tensors, constants).
// CHECK-LABEL: func.func @unsigned
// CHECK-SAME: (%{{.*}}: tensor<4xi8>, %{{.*}}: tensor<4xi8>) -> (tensor<4xi8>, tensor<4xi1>, tensor<4xi8>, tensor<4xi8>, tensor<4xf32>, tensor<i8>)
func.func @unsigned(%x: tensor<4xui8>, %y: tensor<4xui8>) -> (tensor<4xui8>, tensor<4xi1>, tensor<4xui8>, tensor<4xui8>, tensor<4xf32>, tensor<ui8>) {
  // CHECK-NOT: ui8
  // CHECK-NOT: tensor.bitcast
  // CHECK: arith.divui
  %0 = strata.div %x, %y : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  // CHECK: arith.cmpi ult
  %1 = strata.less %x, %y : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xi1>
  // CHECK: arith.maxui
  %2 = strata.max %0, %y : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  // A shift by the width or more gives 0.
  // CHECK: arith.cmpi ult
  // CHECK: arith.shrui
  %3 = strata.shift_right %2, %y : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  // CHECK: arith.uitofp
  %4 = strata.cast %3 : (tensor<4xui8>) -> tensor<4xf32>
  // CHECK: linalg.fill ins(%c0_i8 : i8)
  // CHECK: arith.maxui
  %5 = strata.reduce_max %3 {keepdims = false} : (tensor<4xui8>) -> tensor<ui8>
  return %3, %1, %2, %0, %4, %5 : tensor<4xui8>, tensor<4xi1>, tensor<4xui8>, tensor<4xui8>, tensor<4xf32>, tensor<ui8>
}

// -----

// Signed integers keep the signed forms; mod takes the divisor's sign.
// CHECK-LABEL: func.func @signed
func.func @signed(%x: tensor<4xi16>, %y: tensor<4xi16>) -> (tensor<4xi16>, tensor<4xi16>) {
  // CHECK: arith.remsi
  // CHECK: arith.select
  %0 = strata.mod %x, %y : (tensor<4xi16>, tensor<4xi16>) -> tensor<4xi16>
  // CHECK: arith.shrsi
  %1 = strata.shift_right %x, %y : (tensor<4xi16>, tensor<4xi16>) -> tensor<4xi16>
  return %0, %1 : tensor<4xi16>, tensor<4xi16>
}

// -----

// Unsigned constants keep their bits: 200 as ui8 is -56 as i8.
// CHECK-LABEL: func.func @unsigned_constant
// CHECK: arith.constant dense<[-56, 1]> : tensor<2xi8>
func.func @unsigned_constant() -> tensor<2xui8> {
  %0 = strata.constant dense<[200, 1]> : tensor<2xui8>
  return %0 : tensor<2xui8>
}

// -----

// f16 / bf16 bodies compute in f32 and round once; matmul accumulates in f32.
// CHECK-LABEL: func.func @half
func.func @half(%x: tensor<4xf16>, %a: tensor<2x3xbf16>, %b: tensor<3x2xbf16>) -> (tensor<4xf16>, tensor<2x2xbf16>) {
  // CHECK: arith.extf %{{.*}} : f16 to f32
  // CHECK: math.exp %{{.*}} : f32
  // CHECK: arith.truncf %{{.*}} : f32 to f16
  %0 = strata.sigmoid %x : (tensor<4xf16>) -> tensor<4xf16>
  // CHECK: linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<2x2xf32>)
  // CHECK: arith.extf %{{.*}} : bf16 to f32
  // CHECK: arith.truncf %{{.*}} : f32 to bf16
  %1 = strata.matmul %a, %b : (tensor<2x3xbf16>, tensor<3x2xbf16>) -> tensor<2x2xbf16>
  return %0, %1 : tensor<4xf16>, tensor<2x2xbf16>
}

// -----

// CHECK-LABEL: func.func @bits_and_powers
func.func @bits_and_powers(%x: tensor<4xf32>, %n: tensor<4xi32>) -> (tensor<4xi32>, tensor<4xi32>) {
  // CHECK: arith.bitcast %{{.*}} : f32 to i32
  %0 = strata.bitcast %x {to = i32} : (tensor<4xf32>) -> tensor<4xi32>
  // CHECK: math.ipowi
  %1 = strata.pow %0, %n : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0, %1 : tensor<4xi32>, tensor<4xi32>
}

// -----

// 2- and 4-bit integers: casts as for the wider ones (float to integer
// through i64, then truncated: wraps), ui4 extended unsigned and made i4.
// CHECK-LABEL: func.func @sub_byte
// CHECK-SAME: (%{{.*}}: tensor<4xf32>, %{{.*}}: tensor<4xi4>) -> (tensor<4xi2>, tensor<4xf32>)
func.func @sub_byte(%x: tensor<4xf32>, %u: tensor<4xui4>) -> (tensor<4xi2>, tensor<4xf32>) {
  // CHECK: arith.fptosi %{{.*}} : f32 to i64
  // CHECK: arith.trunci %{{.*}} : i64 to i2
  %0 = strata.cast %x : (tensor<4xf32>) -> tensor<4xi2>
  // CHECK: arith.uitofp %{{.*}} : i4 to f32
  %1 = strata.cast %u : (tensor<4xui4>) -> tensor<4xf32>
  return %0, %1 : tensor<4xi2>, tensor<4xf32>
}

// -----

// top_k on unsigned integers compares unsigned.
// CHECK-LABEL: func.func @top_k_unsigned
func.func @top_k_unsigned(%x: tensor<2x5xui64>) -> (tensor<2x2xui64>, tensor<2x2xi64>) {
  // CHECK: arith.cmpi ugt, %{{.*}}, %{{.*}} : i64
  // CHECK-NOT: arith.cmpi sgt
  %0:2 = strata.top_k %x {k = 2} : (tensor<2x5xui64>) -> (tensor<2x2xui64>, tensor<2x2xi64>)
  return %0#0, %0#1 : tensor<2x2xui64>, tensor<2x2xi64>
}

// -----

// The 8- and 4-bit floats: casts decode and encode the bits with integer
// arithmetic (f32 sources in i32, f64 in i64; decoding builds an f64).
// Encoding rounds to nearest even by adding half a unit less one plus the
// kept low bit; without saturate an overflow of f8E5M2 is its infinity
// (0x7c, 124), with it the largest finite code (0x7b, 123).
// CHECK-LABEL: func.func @minifloats
func.func @minifloats(%x: tensor<4xf32>, %y: tensor<4xf8E4M3FNUZ>, %z: tensor<4xf64>)
    -> (tensor<4xf8E5M2>, tensor<4xf8E5M2>, tensor<4xf16>, tensor<4xf8E8M0FNU>) {
  // CHECK: linalg.generic
  // CHECK: arith.bitcast %{{.*}} : f32 to i32
  // CHECK: arith.minui
  // CHECK: %[[OVER:.*]] = arith.cmpi ugt, %{{.*}}, %c123_i32 : i32
  // CHECK: arith.select %[[OVER]], %c124_i32, %{{.*}} : i32
  // CHECK: arith.cmpf uno
  // CHECK: arith.trunci %{{.*}} : i32 to i8
  // CHECK: arith.bitcast %{{.*}} : i8 to f8E5M2
  %0 = strata.cast %x : (tensor<4xf32>) -> tensor<4xf8E5M2>
  // CHECK: linalg.generic
  // CHECK: %[[SAT:.*]] = arith.cmpi ugt, %{{.*}}, %c123_i32 : i32
  // CHECK: arith.select %[[SAT]], %c123_i32, %{{.*}} : i32
  // CHECK: arith.bitcast %{{.*}} : i8 to f8E5M2
  %1 = strata.cast %x {saturate = true} : (tensor<4xf32>) -> tensor<4xf8E5M2>
  // CHECK: linalg.generic
  // CHECK: arith.bitcast %{{.*}} : f8E4M3FNUZ to i8
  // CHECK: arith.extui %{{.*}} : i8 to i64
  // CHECK: arith.bitcast %{{.*}} : i64 to f64
  // CHECK: arith.truncf %{{.*}} : f64 to f16
  %2 = strata.cast %y : (tensor<4xf8E4M3FNUZ>) -> tensor<4xf16>
  // CHECK: linalg.generic
  // CHECK: arith.bitcast %{{.*}} : f64 to i64
  // CHECK: arith.trunci %{{.*}} : i64 to i8
  // CHECK: arith.bitcast %{{.*}} : i8 to f8E8M0FNU
  %3 = strata.cast %z {round_mode = "nearest"} : (tensor<4xf64>) -> tensor<4xf8E8M0FNU>
  return %0, %1, %2, %3 : tensor<4xf8E5M2>, tensor<4xf8E5M2>, tensor<4xf16>, tensor<4xf8E8M0FNU>
}
