// RUN: strata-opt %s --strata-canonicalize | FileCheck %s

// CHECK-LABEL: func @reshape_of_reshape
// CHECK-SAME: (%[[X:.*]]: tensor<?x3x4xf32>)
// CHECK-NEXT: %[[R:.*]] = strata.reshape %[[X]] {shape = array<i64: 0, 2, 6>} : (tensor<?x3x4xf32>) -> tensor<?x2x6xf32>
// CHECK-NEXT: return %[[R]]
func.func @reshape_of_reshape(%x: tensor<?x3x4xf32>) -> tensor<?x2x6xf32> {
  %0 = strata.reshape %x {shape = array<i64: 0, -1>} : (tensor<?x3x4xf32>) -> tensor<?x12xf32>
  %1 = strata.reshape %0 {shape = array<i64: 0, 2, 6>} : (tensor<?x12xf32>) -> tensor<?x2x6xf32>
  return %1 : tensor<?x2x6xf32>
}

// A 0 that copies a static intermediate size becomes that size.
// CHECK-LABEL: func @reshape_static_copy
// CHECK-NEXT: strata.reshape %{{.*}} {shape = array<i64: 6, 2, 2>} : (tensor<2x3x4xf32>) -> tensor<6x2x2xf32>
// CHECK-NEXT: return
func.func @reshape_static_copy(%x: tensor<2x3x4xf32>) -> tensor<6x2x2xf32> {
  %0 = strata.reshape %x {shape = array<i64: 6, 4>} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %1 = strata.reshape %0 {shape = array<i64: 0, 2, 2>} : (tensor<6x4xf32>) -> tensor<6x2x2xf32>
  return %1 : tensor<6x2x2xf32>
}

// A 0 that copies a dynamic size x has not at that position blocks it.
// CHECK-LABEL: func @reshape_keeps_unnamed_copy
// CHECK-NEXT: strata.reshape %{{.*}} {shape = array<i64: -1, 3>}
// CHECK-NEXT: strata.reshape %{{.*}} {shape = array<i64: 0, 1, 3>}
// CHECK-NEXT: return
func.func @reshape_keeps_unnamed_copy(%x: tensor<3x?xf32>) -> tensor<?x1x3xf32> {
  %0 = strata.reshape %x {shape = array<i64: -1, 3>} : (tensor<3x?xf32>) -> tensor<?x3xf32>
  %1 = strata.reshape %0 {shape = array<i64: 0, 1, 3>} : (tensor<?x3xf32>) -> tensor<?x1x3xf32>
  return %1 : tensor<?x1x3xf32>
}

// Identity reshapes fold away, also after composition.
// CHECK-LABEL: func @reshape_round_trip
// CHECK-SAME: (%[[X:.*]]: tensor<?x3x4xf32>)
// CHECK-NEXT: return %[[X]]
func.func @reshape_round_trip(%x: tensor<?x3x4xf32>) -> tensor<?x3x4xf32> {
  %0 = strata.reshape %x {shape = array<i64: 0, -1>} : (tensor<?x3x4xf32>) -> tensor<?x12xf32>
  %1 = strata.reshape %0 {shape = array<i64: 0, 3, 4>} : (tensor<?x12xf32>) -> tensor<?x3x4xf32>
  return %1 : tensor<?x3x4xf32>
}

// CHECK-LABEL: func @identities
// CHECK-SAME: (%[[X:.*]]: tensor<?x3x4xi32>)
// CHECK-NEXT: return %[[X]], %[[X]], %[[X]]
func.func @identities(%x: tensor<?x3x4xi32>) -> (tensor<?x3x4xi32>, tensor<?x3x4xi32>, tensor<?x3x4xi32>) {
  %0 = strata.reshape %x {shape = array<i64: -1, 3, 4>} : (tensor<?x3x4xi32>) -> tensor<?x3x4xi32>
  %1 = strata.transpose %x {perm = array<i64: 0, 1, 2>} : (tensor<?x3x4xi32>) -> tensor<?x3x4xi32>
  %2 = strata.broadcast_to %x {shape = array<i64: 1, 4>} : (tensor<?x3x4xi32>) -> tensor<?x3x4xi32>
  return %0, %1, %2 : tensor<?x3x4xi32>, tensor<?x3x4xi32>, tensor<?x3x4xi32>
}

// A reshape or broadcast to a different type is kept.
// CHECK-LABEL: func @not_identities
// CHECK-NEXT: strata.reshape
// CHECK-NEXT: strata.broadcast_to
// CHECK-NEXT: return
func.func @not_identities(%x: tensor<?x3x4xi32>) -> (tensor<?x12xi32>, tensor<2x?x3x4xi32>) {
  %0 = strata.reshape %x {shape = array<i64: 0, 12>} : (tensor<?x3x4xi32>) -> tensor<?x12xi32>
  %1 = strata.broadcast_to %x {shape = array<i64: 2, 1, 1, 1>} : (tensor<?x3x4xi32>) -> tensor<2x?x3x4xi32>
  return %0, %1 : tensor<?x12xi32>, tensor<2x?x3x4xi32>
}

// transpose(transpose(x, p1), p2) = transpose(x, p1[p2[i]]).
// CHECK-LABEL: func @transpose_of_transpose
// CHECK-NEXT: strata.transpose %{{.*}} {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
// CHECK-NEXT: return
func.func @transpose_of_transpose(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = strata.transpose %x {perm = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
  %1 = strata.transpose %0 : (tensor<3x4x2xf32>) -> tensor<2x4x3xf32>
  %2 = strata.transpose %1 {perm = array<i64: 1, 0, 2>} : (tensor<2x4x3xf32>) -> tensor<4x2x3xf32>
  return %2 : tensor<4x2x3xf32>
}

// Inverse transposes cancel.
// CHECK-LABEL: func @transpose_inverse
// CHECK-SAME: (%[[X:.*]]: tensor<?x3x4xf32>)
// CHECK-NEXT: return %[[X]]
func.func @transpose_inverse(%x: tensor<?x3x4xf32>) -> tensor<?x3x4xf32> {
  %0 = strata.transpose %x {perm = array<i64: 0, 2, 1>} : (tensor<?x3x4xf32>) -> tensor<?x4x3xf32>
  %1 = strata.transpose %0 {perm = array<i64: 0, 2, 1>} : (tensor<?x4x3xf32>) -> tensor<?x3x4xf32>
  return %1 : tensor<?x3x4xf32>
}

// Ops that keep every element in place fold to their input.
// CHECK-LABEL: func @trivial_ops
// CHECK-SAME: (%[[X:.*]]: tensor<?x3xf32>)
// CHECK-NEXT: return %[[X]], %[[X]], %[[X]], %[[X]], %[[X]], %[[X]]
func.func @trivial_ops(%x: tensor<?x3xf32>) -> (tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>) {
  %0 = strata.concat %x {axis = 0 : i64} : (tensor<?x3xf32>) -> tensor<?x3xf32>
  %1 = strata.split %x {axis = 1 : i64, sizes = array<i64: 3>} : (tensor<?x3xf32>) -> tensor<?x3xf32>
  %2 = strata.pad %x {pads = array<i64: 0, 0, 0, 0>, mode = #strata.pad_mode<reflect>} : (tensor<?x3xf32>) -> tensor<?x3xf32>
  %3 = strata.tile %x {repeats = array<i64: 1, 1>} : (tensor<?x3xf32>) -> tensor<?x3xf32>
  %4 = strata.slice %x {starts = array<i64: 0, -5>, ends = array<i64: 9223372036854775807, 3>} : (tensor<?x3xf32>) -> tensor<?x3xf32>
  %5 = strata.slice %x {starts = array<i64: 0>, ends = array<i64: 100>, axes = array<i64: 1>, steps = array<i64: 1>} : (tensor<?x3xf32>) -> tensor<?x3xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>
}

// Same types, different elements: kept.
// CHECK-LABEL: func @nontrivial_ops
// CHECK-NEXT: strata.slice %{{.*}} {axes = array<i64: 1>, ends = array<i64: -100>, starts = array<i64: -1>, steps = array<i64: -1>}
// CHECK-NEXT: strata.slice %{{.*}} {ends = array<i64: 5>, starts = array<i64: 0>}
// CHECK-NEXT: strata.pad
// CHECK-NEXT: return
func.func @nontrivial_ops(%x: tensor<?x3xf32>) -> (tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>) {
  // Reversal.
  %0 = strata.slice %x {starts = array<i64: -1>, ends = array<i64: -100>, axes = array<i64: 1>, steps = array<i64: -1>} : (tensor<?x3xf32>) -> tensor<?x3xf32>
  // May cut a dynamic batch.
  %1 = strata.slice %x {starts = array<i64: 0>, ends = array<i64: 5>} : (tensor<?x3xf32>) -> tensor<?x3xf32>
  // Shifts by one column.
  %2 = strata.pad %x {pads = array<i64: 0, 1, 0, -1>} : (tensor<?x3xf32>) -> tensor<?x3xf32>
  return %0, %1, %2 : tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>
}
