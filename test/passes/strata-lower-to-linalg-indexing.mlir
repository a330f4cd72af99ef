// RUN: strata-opt --strata-lower-to-linalg=library-calls=false --split-input-file %s | FileCheck %s

// The indexing and data-movement ops (passes/lowering/IndexingLowering.cpp
// and, for ops of other families, Shape-, Reduction-, Elementwise-, Loss-
// and StructureLowering.cpp). Compiled against the evaluator in
// test/unit/codegen/CpuIndexingKernelTest.cpp.

// gather: one generic over the result; each position reads its index
// (tensor.extract), adds the size when negative, clamps it into [0, d) and
// reads the data there.
// CHECK-LABEL: func.func @gather
// CHECK-SAME: (%[[D:[a-zA-Z0-9_]+]]: tensor<4x5xf32>, %[[I:[a-zA-Z0-9_]+]]: tensor<2x3xi64>)
// CHECK-DAG: %[[C4:[a-zA-Z0-9_]+]] = arith.constant 4 : index
// CHECK-DAG: %[[C5:[a-zA-Z0-9_]+]] = arith.constant 5 : index
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<4x2x3xf32>)
// CHECK: %[[P0:[a-zA-Z0-9_]+]] = linalg.index 0
// CHECK: %[[P1:[a-zA-Z0-9_]+]] = linalg.index 1
// CHECK: %[[P2:[a-zA-Z0-9_]+]] = linalg.index 2
// CHECK: %[[V:[a-zA-Z0-9_]+]] = tensor.extract %[[I]][%[[P1]], %[[P2]]]
// CHECK: %[[X:[a-zA-Z0-9_]+]] = arith.index_cast %[[V]] : i64 to index
// CHECK: %[[NEG:[a-zA-Z0-9_]+]] = arith.cmpi slt, %[[X]]
// CHECK: %[[UP:[a-zA-Z0-9_]+]] = arith.addi %[[X]], %[[C5]] : index
// CHECK: %[[A:[a-zA-Z0-9_]+]] = arith.select %[[NEG]], %[[UP]], %[[X]]
// CHECK: %[[LO:[a-zA-Z0-9_]+]] = arith.minsi %[[A]], %[[C4]] : index
// CHECK: %[[J:[a-zA-Z0-9_]+]] = arith.maxsi %[[LO]], %{{.*}} : index
// CHECK: %[[E:[a-zA-Z0-9_]+]] = tensor.extract %[[D]][%[[P0]], %[[J]]] : tensor<4x5xf32>
// CHECK: linalg.yield %[[E]]
func.func @gather(%d: tensor<4x5xf32>, %i: tensor<2x3xi64>) -> tensor<4x2x3xf32> {
  %0 = strata.gather %d, %i {axis = 1 : i64} : (tensor<4x5xf32>, tensor<2x3xi64>) -> tensor<4x2x3xf32>
  return %0 : tensor<4x2x3xf32>
}

// -----

// CHECK-LABEL: func.func @gather_elements
// CHECK-SAME: (%[[D:[a-zA-Z0-9_]+]]: tensor<4x5xf32>, %[[I:[a-zA-Z0-9_]+]]: tensor<3x5xi32>)
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<3x5xf32>)
// CHECK: %[[P0:[a-zA-Z0-9_]+]] = linalg.index 0
// CHECK: %[[P1:[a-zA-Z0-9_]+]] = linalg.index 1
// CHECK: %[[V:[a-zA-Z0-9_]+]] = tensor.extract %[[I]][%[[P0]], %[[P1]]]
// CHECK: arith.index_cast %[[V]] : i32 to index
// CHECK: %[[J:[a-zA-Z0-9_]+]] = arith.maxsi
// CHECK: %[[E:[a-zA-Z0-9_]+]] = tensor.extract %[[D]][%[[J]], %[[P1]]]
// CHECK: linalg.yield %[[E]]
func.func @gather_elements(%d: tensor<4x5xf32>, %i: tensor<3x5xi32>) -> tensor<3x5xf32> {
  %0 = strata.gather_elements %d, %i : (tensor<4x5xf32>, tensor<3x5xi32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

// gather_nd with batch_dims 1: the batch index, then the tuple's entries.
// CHECK-LABEL: func.func @gather_nd
// CHECK-SAME: (%[[D:[a-zA-Z0-9_]+]]: tensor<2x3x4xf32>, %[[I:[a-zA-Z0-9_]+]]: tensor<2x5x1xi64>)
// CHECK: %[[P0:[a-zA-Z0-9_]+]] = linalg.index 0
// CHECK: %[[P1:[a-zA-Z0-9_]+]] = linalg.index 1
// CHECK: %[[P2:[a-zA-Z0-9_]+]] = linalg.index 2
// CHECK: %[[V:[a-zA-Z0-9_]+]] = tensor.extract %[[I]][%[[P0]], %[[P1]], %{{.*}}]
// CHECK: arith.index_cast %[[V]]
// CHECK: %[[J:[a-zA-Z0-9_]+]] = arith.maxsi
// CHECK: %[[E:[a-zA-Z0-9_]+]] = tensor.extract %[[D]][%[[P0]], %[[J]], %[[P2]]]
// CHECK: linalg.yield %[[E]]
func.func @gather_nd(%d: tensor<2x3x4xf32>, %i: tensor<2x5x1xi64>) -> tensor<2x5x4xf32> {
  %0 = strata.gather_nd %d, %i {batch_dims = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x5x1xi64>) -> tensor<2x5x4xf32>
  return %0 : tensor<2x5x4xf32>
}

// -----

// embedding: row indices[p...] (clamped into [0, V)), column p[-1].
// CHECK-LABEL: func.func @embedding
// CHECK-SAME: (%[[T:[a-zA-Z0-9_]+]]: tensor<6x4xf32>, %[[I:[a-zA-Z0-9_]+]]: tensor<2x3xi64>)
// CHECK: %[[P0:[a-zA-Z0-9_]+]] = linalg.index 0
// CHECK: %[[P1:[a-zA-Z0-9_]+]] = linalg.index 1
// CHECK: %[[P2:[a-zA-Z0-9_]+]] = linalg.index 2
// CHECK: %[[V:[a-zA-Z0-9_]+]] = tensor.extract %[[I]][%[[P0]], %[[P1]]]
// CHECK: %[[X:[a-zA-Z0-9_]+]] = arith.index_cast %[[V]] : i64 to index
// CHECK: %[[LO:[a-zA-Z0-9_]+]] = arith.minsi %[[X]]
// CHECK: %[[R:[a-zA-Z0-9_]+]] = arith.maxsi %[[LO]]
// CHECK: tensor.extract %[[T]][%[[R]], %[[P2]]] : tensor<6x4xf32>
func.func @embedding(%t: tensor<6x4xf32>, %i: tensor<2x3xi64>) -> tensor<2x3x4xf32> {
  %0 = strata.embedding %t, %i : (tensor<6x4xf32>, tensor<2x3xi64>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// scatter_elements: a copy of the data, then loops over the updates that
// read, combine and write back; an index out of range writes the current
// element back.
// CHECK-LABEL: func.func @scatter_elements
// CHECK-SAME: (%[[D:[a-zA-Z0-9_]+]]: tensor<4x5xf32>, %[[I:[a-zA-Z0-9_]+]]: tensor<2x5xi64>, %[[U:[a-zA-Z0-9_]+]]: tensor<2x5xf32>)
// CHECK: %[[COPY:[a-zA-Z0-9_]+]] = linalg.copy ins(%[[D]] : tensor<4x5xf32>)
// CHECK: scf.for %[[R:[a-zA-Z0-9_]+]] = {{.*}} iter_args(%[[T0:[a-zA-Z0-9_]+]] = %[[COPY]])
// CHECK: scf.for %[[C:[a-zA-Z0-9_]+]] = {{.*}} iter_args(%[[T:[a-zA-Z0-9_]+]] = %[[T0]])
// CHECK: tensor.extract %[[I]][%[[R]], %[[C]]]
// CHECK: %[[OK:[a-zA-Z0-9_]+]] = arith.andi
// CHECK: %[[J:[a-zA-Z0-9_]+]] = arith.maxsi
// CHECK: %[[CUR:[a-zA-Z0-9_]+]] = tensor.extract %[[T]][%[[J]], %[[C]]]
// CHECK: %[[UPD:[a-zA-Z0-9_]+]] = tensor.extract %[[U]][%[[R]], %[[C]]]
// CHECK: %[[SUM:[a-zA-Z0-9_]+]] = arith.addf %[[CUR]], %[[UPD]]
// CHECK: %[[NEW:[a-zA-Z0-9_]+]] = arith.select %[[OK]], %[[SUM]], %[[CUR]]
// CHECK: %[[INS:[a-zA-Z0-9_]+]] = tensor.insert %[[NEW]] into %[[T]][%[[J]], %[[C]]]
// CHECK: scf.yield %[[INS]]
func.func @scatter_elements(%d: tensor<4x5xf32>, %i: tensor<2x5xi64>, %u: tensor<2x5xf32>) -> tensor<4x5xf32> {
  %0 = strata.scatter_elements %d, %i, %u {reduction = "add"} : (tensor<4x5xf32>, tensor<2x5xi64>, tensor<2x5xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

// CHECK-LABEL: func.func @scatter_nd
// CHECK-SAME: (%[[D:[a-zA-Z0-9_]+]]: tensor<4x5xi32>, %[[I:[a-zA-Z0-9_]+]]: tensor<3x1xi64>, %[[U:[a-zA-Z0-9_]+]]: tensor<3x5xi32>)
// CHECK: %[[COPY:[a-zA-Z0-9_]+]] = linalg.copy ins(%[[D]] : tensor<4x5xi32>)
// CHECK: scf.for %[[R:[a-zA-Z0-9_]+]] = {{.*}} iter_args(%{{.*}} = %[[COPY]])
// CHECK: scf.for %[[C:[a-zA-Z0-9_]+]] = {{.*}} iter_args(%[[T:[a-zA-Z0-9_]+]] = %{{.*}})
// CHECK: tensor.extract %[[I]][%[[R]], %{{.*}}]
// CHECK: %[[J:[a-zA-Z0-9_]+]] = arith.maxsi
// CHECK: %[[CUR:[a-zA-Z0-9_]+]] = tensor.extract %[[T]][%[[J]], %[[C]]]
// CHECK: %[[UPD:[a-zA-Z0-9_]+]] = tensor.extract %[[U]][%[[R]], %[[C]]]
// CHECK: %[[M:[a-zA-Z0-9_]+]] = arith.maxsi %[[CUR]], %[[UPD]] : i32
// CHECK: arith.select %{{.*}}, %[[M]], %[[CUR]]
// CHECK: tensor.insert
func.func @scatter_nd(%d: tensor<4x5xi32>, %i: tensor<3x1xi64>, %u: tensor<3x5xi32>) -> tensor<4x5xi32> {
  %0 = strata.scatter_nd %d, %i, %u {reduction = "max"} : (tensor<4x5xi32>, tensor<3x1xi64>, tensor<3x5xi32>) -> tensor<4x5xi32>
  return %0 : tensor<4x5xi32>
}

// -----

// broadcast_to: a pointwise copy of the broadcast input.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-LABEL: func.func @broadcast_to
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #{{.*}}], {{.*}} ins(%{{.*}} : tensor<3x1xf32>) outs(%{{.*}} : tensor<2x3x4xf32>)
// CHECK-NEXT: ^bb0(%[[X:[a-zA-Z0-9_]+]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[X]]
func.func @broadcast_to(%x: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  %0 = strata.broadcast_to %x {shape = array<i64: 2, 1, 4>} : (tensor<3x1xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @tile
// CHECK: %[[P0:[a-zA-Z0-9_]+]] = linalg.index 0
// CHECK: %[[P1:[a-zA-Z0-9_]+]] = linalg.index 1
// CHECK: %[[S0:[a-zA-Z0-9_]+]] = arith.remui %[[P0]], %{{.*}} : index
// CHECK: %[[S1:[a-zA-Z0-9_]+]] = arith.remui %[[P1]], %{{.*}} : index
// CHECK: tensor.extract %{{.*}}[%[[S0]], %[[S1]]] : tensor<2x3xf32>
func.func @tile(%x: tensor<2x3xf32>) -> tensor<4x3xf32> {
  %0 = strata.tile %x {repeats = array<i64: 2, 1>} : (tensor<2x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// depth_to_space CRD: channel c * 4 + i * 2 + j at (h / 2, w / 2).
// CHECK-LABEL: func.func @depth_to_space
// CHECK: %[[N:[a-zA-Z0-9_]+]] = linalg.index 0
// CHECK: %[[C:[a-zA-Z0-9_]+]] = linalg.index 1
// CHECK: %[[H:[a-zA-Z0-9_]+]] = linalg.index 2
// CHECK: %[[W:[a-zA-Z0-9_]+]] = linalg.index 3
// CHECK: %[[I:[a-zA-Z0-9_]+]] = arith.remui %[[H]], %[[TWO:[a-zA-Z0-9_]+]] : index
// CHECK: %[[J:[a-zA-Z0-9_]+]] = arith.remui %[[W]], %[[TWO]] : index
// CHECK: %[[I2:[a-zA-Z0-9_]+]] = arith.muli %[[I]], %[[TWO]] : index
// CHECK: %[[BLOCK:[a-zA-Z0-9_]+]] = arith.addi %[[I2]], %[[J]] : index
// CHECK: %[[C4:[a-zA-Z0-9_]+]] = arith.muli %[[C]], %{{.*}} : index
// CHECK: %[[CH:[a-zA-Z0-9_]+]] = arith.addi %[[C4]], %[[BLOCK]] : index
// CHECK: %[[Y:[a-zA-Z0-9_]+]] = arith.divui %[[H]], %[[TWO]] : index
// CHECK: %[[X:[a-zA-Z0-9_]+]] = arith.divui %[[W]], %[[TWO]] : index
// CHECK: tensor.extract %{{.*}}[%[[N]], %[[CH]], %[[Y]], %[[X]]] : tensor<1x8x2x3xf32>
func.func @depth_to_space(%x: tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32> {
  %0 = strata.depth_to_space %x {blocksize = 2 : i64, mode = "CRD"} : (tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32>
  return %0 : tensor<1x2x4x6xf32>
}

// -----

// space_to_depth: channel (i * 2 + j) * C + c reads (c, h * 2 + i, w * 2 + j).
// CHECK-LABEL: func.func @space_to_depth
// CHECK: %[[N:[a-zA-Z0-9_]+]] = linalg.index 0
// CHECK: %[[OC:[a-zA-Z0-9_]+]] = linalg.index 1
// CHECK: %[[H:[a-zA-Z0-9_]+]] = linalg.index 2
// CHECK: %[[W:[a-zA-Z0-9_]+]] = linalg.index 3
// CHECK: %[[BLOCK:[a-zA-Z0-9_]+]] = arith.divui %[[OC]], %[[TWO:[a-zA-Z0-9_]+]] : index
// CHECK: %[[I:[a-zA-Z0-9_]+]] = arith.divui %[[BLOCK]], %[[TWO]] : index
// CHECK: %[[J:[a-zA-Z0-9_]+]] = arith.remui %[[BLOCK]], %[[TWO]] : index
// CHECK: %[[C:[a-zA-Z0-9_]+]] = arith.remui %[[OC]], %[[TWO]] : index
// CHECK: %[[H2:[a-zA-Z0-9_]+]] = arith.muli %[[H]], %[[TWO]] : index
// CHECK: %[[Y:[a-zA-Z0-9_]+]] = arith.addi %[[H2]], %[[I]] : index
// CHECK: %[[W2:[a-zA-Z0-9_]+]] = arith.muli %[[W]], %[[TWO]] : index
// CHECK: %[[X:[a-zA-Z0-9_]+]] = arith.addi %[[W2]], %[[J]] : index
// CHECK: tensor.extract %{{.*}}[%[[N]], %[[C]], %[[Y]], %[[X]]] : tensor<1x2x4x6xf32>
func.func @space_to_depth(%x: tensor<1x2x4x6xf32>) -> tensor<1x8x2x3xf32> {
  %0 = strata.space_to_depth %x {blocksize = 2 : i64} : (tensor<1x2x4x6xf32>) -> tensor<1x8x2x3xf32>
  return %0 : tensor<1x8x2x3xf32>
}

// -----

// argmax (select_last_index, keepdims false): a loop over the axis keeps
// the best index and value; an element takes over when it beats the best
// (NaN beats a number) or, with select_last_index, when the best does not
// beat it.
// CHECK-LABEL: func.func @argmax
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<3xi64>)
// CHECK: %[[ROW:[a-zA-Z0-9_]+]] = linalg.index 0
// CHECK: %[[FIRST:[a-zA-Z0-9_]+]] = tensor.extract %[[X:[a-zA-Z0-9_]+]][%[[ROW]], %[[C0:[a-zA-Z0-9_]+]]]
// CHECK: %[[R:[a-zA-Z0-9_]+]]:2 = scf.for %[[K:[a-zA-Z0-9_]+]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[BI:[a-zA-Z0-9_]+]] = %[[C0]], %[[BV:[a-zA-Z0-9_]+]] = %[[FIRST]]) -> (index, f32)
// CHECK: %[[V:[a-zA-Z0-9_]+]] = tensor.extract %[[X]][%[[ROW]], %[[K]]]
// CHECK: arith.cmpf uno, %[[V]], %[[V]]
// CHECK: arith.cmpf ogt, %[[V]], %[[BV]]
// CHECK: %[[BEATS:[a-zA-Z0-9_]+]] = arith.ori
// CHECK: arith.cmpf ogt, %[[BV]], %[[V]]
// CHECK: %[[LOST:[a-zA-Z0-9_]+]] = arith.ori
// CHECK: %[[NOTLOST:[a-zA-Z0-9_]+]] = arith.xori %[[LOST]], %{{.*}} : i1
// CHECK: %[[TAKE:[a-zA-Z0-9_]+]] = arith.ori %[[BEATS]], %[[NOTLOST]]
// CHECK: %[[NI:[a-zA-Z0-9_]+]] = arith.select %[[TAKE]], %[[K]], %[[BI]]
// CHECK: %[[NV:[a-zA-Z0-9_]+]] = arith.select %[[TAKE]], %[[V]], %[[BV]]
// CHECK: scf.yield %[[NI]], %[[NV]]
// CHECK: %[[OUT:[a-zA-Z0-9_]+]] = arith.index_cast %[[R]]#0 : index to i64
// CHECK: linalg.yield %[[OUT]]
func.func @argmax(%x: tensor<3x4xf32>) -> tensor<3xi64> {
  %0 = strata.argmax %x {axis = 1 : i64, keepdims = false, select_last_index = true} : (tensor<3x4xf32>) -> tensor<3xi64>
  return %0 : tensor<3xi64>
}

// -----

// CHECK-LABEL: func.func @argmin
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x4xi64>)
// CHECK: %[[COL:[a-zA-Z0-9_]+]] = linalg.index 1
// CHECK: scf.for
// CHECK: %[[V:[a-zA-Z0-9_]+]] = tensor.extract %{{.*}}[%{{.*}}, %[[COL]]]
// CHECK: %[[LESS:[a-zA-Z0-9_]+]] = arith.cmpi slt, %[[V]], %{{.*}} : i32
// CHECK: arith.select %[[LESS]]
func.func @argmin(%x: tensor<3x4xi32>) -> tensor<1x4xi64> {
  %0 = strata.argmin %x : (tensor<3x4xi32>) -> tensor<1x4xi64>
  return %0 : tensor<1x4xi64>
}

// -----

// cumsum (exclusive, reverse): position i sums x[n-1], ..., x[i+1] in f64.
// CHECK-LABEL: func.func @cumsum
// CHECK: %[[I:[a-zA-Z0-9_]+]] = linalg.index 1
// CHECK: %[[REST:[a-zA-Z0-9_]+]] = arith.subi %{{.*}}, %[[I]] : index
// CHECK: %[[COUNT:[a-zA-Z0-9_]+]] = arith.subi %[[REST]], %{{.*}} : index
// CHECK: %[[S:[a-zA-Z0-9_]+]] = scf.for %[[STEP:[a-zA-Z0-9_]+]] = %{{.*}} to %[[COUNT]] step %{{.*}} iter_args(%[[ACC:[a-zA-Z0-9_]+]] = %{{.*}}) -> (f64)
// CHECK: %[[K:[a-zA-Z0-9_]+]] = arith.subi %{{.*}}, %[[STEP]] : index
// CHECK: %[[V:[a-zA-Z0-9_]+]] = tensor.extract %{{.*}}[%{{.*}}, %[[K]]]
// CHECK: %[[W:[a-zA-Z0-9_]+]] = arith.extf %[[V]] : f32 to f64
// CHECK: arith.addf %[[ACC]], %[[W]] : f64
// CHECK: arith.truncf %[[S]] : f64 to f32
func.func @cumsum(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %0 = strata.cumsum %x {axis = 1 : i64, exclusive = true, reverse = true} : (tensor<3x4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// CHECK-LABEL: func.func @cumprod
// CHECK: %[[I:[a-zA-Z0-9_]+]] = linalg.index 0
// CHECK: %[[COUNT:[a-zA-Z0-9_]+]] = arith.addi %[[I]], %{{.*}} : index
// CHECK: scf.for %[[K:[a-zA-Z0-9_]+]] = %{{.*}} to %[[COUNT]] step %{{.*}} iter_args(%[[ACC:[a-zA-Z0-9_]+]] = %{{.*}}) -> (i64)
// CHECK: %[[V:[a-zA-Z0-9_]+]] = tensor.extract %{{.*}}[%[[K]]]
// CHECK: arith.muli %[[ACC]], %[[V]] : i64
func.func @cumprod(%x: tensor<5xi64>) -> tensor<5xi64> {
  %0 = strata.cumprod %x {axis = 0 : i64} : (tensor<5xi64>) -> tensor<5xi64>
  return %0 : tensor<5xi64>
}

// -----

// mod (integers): a divisor of 0 or -1 becomes 1; a non-zero remainder
// whose sign differs from the divisor's moves by the divisor.
// CHECK-LABEL: func.func @mod
// CHECK: ^bb0(%[[X:[a-zA-Z0-9_]+]]: i32, %[[Y:[a-zA-Z0-9_]+]]: i32, %{{.*}}: i32):
// CHECK: %[[TRIVIAL:[a-zA-Z0-9_]+]] = arith.ori
// CHECK: %[[SAFE:[a-zA-Z0-9_]+]] = arith.select %[[TRIVIAL]], %{{.*}}, %[[Y]] : i32
// CHECK: %[[M:[a-zA-Z0-9_]+]] = arith.remsi %[[X]], %[[SAFE]] : i32
// CHECK: %[[NZ:[a-zA-Z0-9_]+]] = arith.cmpi ne, %[[M]]
// CHECK: %[[MN:[a-zA-Z0-9_]+]] = arith.cmpi slt, %[[M]]
// CHECK: %[[YN:[a-zA-Z0-9_]+]] = arith.cmpi slt, %[[Y]]
// CHECK: %[[DIFF:[a-zA-Z0-9_]+]] = arith.xori %[[MN]], %[[YN]]
// CHECK: %[[FIX:[a-zA-Z0-9_]+]] = arith.andi %[[NZ]], %[[DIFF]]
// CHECK: %[[MOVED:[a-zA-Z0-9_]+]] = arith.addi %[[M]], %[[Y]]
// CHECK: arith.select %[[FIX]], %[[MOVED]], %[[M]]
func.func @mod(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = strata.mod %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// CHECK-LABEL: func.func @fmod
// CHECK: ^bb0(%[[X:[a-zA-Z0-9_]+]]: f32, %[[Y:[a-zA-Z0-9_]+]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[M:[a-zA-Z0-9_]+]] = arith.remf %[[X]], %[[Y]] : f32
// CHECK-NEXT: linalg.yield %[[M]]
func.func @fmod(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = strata.mod %a, %b {fmod = true} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// shift_right: amounts outside [0, 32) (unsigned compare) give the sign
// fill: -1 for a negative x, else 0.
// CHECK-LABEL: func.func @shift_right
// CHECK: %[[C32:[a-zA-Z0-9_]+]] = arith.constant 32 : i32
// CHECK: ^bb0(%[[X:[a-zA-Z0-9_]+]]: i32, %[[Y:[a-zA-Z0-9_]+]]: i32, %{{.*}}: i32):
// CHECK: %[[IN:[a-zA-Z0-9_]+]] = arith.cmpi ult, %[[Y]], %[[C32]] : i32
// CHECK: %[[AMOUNT:[a-zA-Z0-9_]+]] = arith.select %[[IN]], %[[Y]], %{{.*}}
// CHECK: %[[S:[a-zA-Z0-9_]+]] = arith.shrsi %[[X]], %[[AMOUNT]]
// CHECK: %[[NEG:[a-zA-Z0-9_]+]] = arith.cmpi slt, %[[X]], %{{.*}}
// CHECK: %[[FILL:[a-zA-Z0-9_]+]] = arith.select %[[NEG]], %{{.*}}, %{{.*}}
// CHECK: arith.select %[[IN]], %[[S]], %[[FILL]]
func.func @shift_right(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = strata.shift_right %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// top_k: both results from one generic; for each output position j, the
// element whose rank (count of elements before it in the stable order)
// is j.
// CHECK-LABEL: func.func @top_k
// CHECK: %{{.*}}:2 = linalg.generic {{.*}} outs(%{{.*}}, %{{.*}} : tensor<3x2xf32>, tensor<3x2xi64>)
// CHECK: %[[ROW:[a-zA-Z0-9_]+]] = linalg.index 0
// CHECK: %[[J:[a-zA-Z0-9_]+]] = linalg.index 1
// CHECK: %[[SEL:[a-zA-Z0-9_]+]]:2 = scf.for %[[E:[a-zA-Z0-9_]+]] = {{.*}} iter_args(%[[CHOSEN:[a-zA-Z0-9_]+]] = %{{.*}}, %{{.*}} = %{{.*}}) -> (index, index)
// CHECK: %[[RANK:[a-zA-Z0-9_]+]] = scf.for %[[F:[a-zA-Z0-9_]+]] = {{.*}} -> (index)
// CHECK: arith.cmpi ult, %[[F]], %[[E]] : index
// CHECK: scf.yield
// CHECK: %[[HIT:[a-zA-Z0-9_]+]] = arith.cmpi eq, %[[RANK]], %[[J]] : index
// CHECK: arith.select %[[HIT]], %[[E]], %[[CHOSEN]]
// CHECK: %[[I:[a-zA-Z0-9_]+]] = arith.index_cast %[[SEL]]#0 : index to i64
// CHECK: %[[V:[a-zA-Z0-9_]+]] = tensor.extract %{{.*}}[%[[ROW]], %[[SEL]]#0]
// CHECK: linalg.yield %[[V]], %[[I]] : f32, i64
func.func @top_k(%x: tensor<3x6xf32>) -> (tensor<3x2xf32>, tensor<3x2xi64>) {
  %0:2 = strata.top_k %x {k = 2 : i64} : (tensor<3x6xf32>) -> (tensor<3x2xf32>, tensor<3x2xi64>)
  return %0#0, %0#1 : tensor<3x2xf32>, tensor<3x2xi64>
}

// -----

// argsort: the same selection as sorted top_k with k = n, indices only.
// CHECK-LABEL: func.func @argsort
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<3x6xi64>)
// CHECK: %[[J:[a-zA-Z0-9_]+]] = linalg.index 1
// CHECK: %[[SEL:[a-zA-Z0-9_]+]]:2 = scf.for %[[E:[a-zA-Z0-9_]+]] = {{.*}} -> (index, index)
// CHECK: %[[RANK:[a-zA-Z0-9_]+]] = scf.for
// CHECK: %[[HIT:[a-zA-Z0-9_]+]] = arith.cmpi eq, %[[RANK]], %[[J]] : index
// CHECK: %[[I:[a-zA-Z0-9_]+]] = arith.index_cast %[[SEL]]#0 : index to i64
// CHECK-NEXT: linalg.yield %[[I]] : i64
func.func @argsort(%x: tensor<3x6xf32>) -> tensor<3x6xi64> {
  %0 = strata.argsort %x {descending = true} : (tensor<3x6xf32>) -> tensor<3x6xi64>
  return %0 : tensor<3x6xi64>
}

// -----

// CHECK-LABEL: func.func @bitcast
// CHECK: arith.bitcast %{{.*}} : f32 to i32
func.func @bitcast(%x: tensor<2x3xf32>) -> tensor<2x3xi32> {
  %0 = strata.bitcast %x {to = i32} : (tensor<2x3xf32>) -> tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}
