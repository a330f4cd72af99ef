// RUN: strata-opt --strata-lower-to-linalg=library-calls=false --split-input-file %s | FileCheck %s

// dropout: the state is read before one linalg.generic that computes, per
// element, its row-major index i from linalg.index, the Philox4x32-10 block
// at (key, counter + i) (ten rounds of two 32x32->64 products), the uniform
// (w0 + 0.5) / 2^32 in f64, the mask u >= ratio and x * mask / (1 - ratio)
// in f64, rounded once; the new state is [key, counter + 6].
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @dropout
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[RNG:.*]]: tensor<2xi64>)
func.func @dropout(%x: tensor<2x3xf32>, %rng: tensor<2xi64>) -> (tensor<2x3xf32>, tensor<2x3xi1>, tensor<2xi64>) {
  // CHECK-DAG: %[[SIX:.*]] = arith.constant 6 : i64
  // CHECK-DAG: %[[KEEP_SCALE:.*]] = arith.constant 7.500000e-01 : f64
  // CHECK-DAG: %[[RATIO:.*]] = arith.constant 2.500000e-01 : f64
  // CHECK-DAG: %[[M0:.*]] = arith.constant -766435501 : i32
  // CHECK-DAG: %[[M1:.*]] = arith.constant -845247145 : i32
  // CHECK-DAG: %[[W0:.*]] = arith.constant -1640531527 : i32
  // CHECK-DAG: %[[W1:.*]] = arith.constant -1150833019 : i32
  // CHECK: %[[KEY:.*]] = tensor.extract %[[RNG]][%{{.*}}] : tensor<2xi64>
  // CHECK: %[[COUNTER:.*]] = tensor.extract %[[RNG]][%{{.*}}] : tensor<2xi64>
  // CHECK: %[[R:.*]]:2 = linalg.generic {indexing_maps = [#[[ID]], #[[ID]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[X]] : tensor<2x3xf32>) outs(%{{.*}}, %{{.*}} : tensor<2x3xf32>, tensor<2x3xi1>)
  // CHECK: %[[XD:.*]] = arith.extf %{{.*}} : f32 to f64
  // CHECK: linalg.index 0
  // CHECK: linalg.index 1
  // CHECK: %[[C:.*]] = arith.addi %[[COUNTER]], %{{.*}} : i64
  // CHECK: arith.mului_extended %[[M0]], %{{.*}} : i32
  // CHECK: arith.addi %{{.*}}, %[[W0]] : i32
  // CHECK: arith.addi %{{.*}}, %[[W1]] : i32
  // CHECK-COUNT-8: arith.mului_extended %[[M0]]
  // CHECK: %[[WD:.*]] = arith.uitofp %{{.*}} : i32 to f64
  // CHECK: %[[HALF:.*]] = arith.addf %[[WD]], %{{.*}} : f64
  // CHECK: %[[U:.*]] = arith.mulf %[[HALF]], %{{.*}} : f64
  // CHECK: %[[KEEP:.*]] = arith.cmpf oge, %[[U]], %[[RATIO]] : f64
  // CHECK: %[[MASK:.*]] = arith.select %[[KEEP]]
  // CHECK: %[[P:.*]] = arith.mulf %[[XD]], %[[MASK]] : f64
  // CHECK: %[[Y:.*]] = arith.divf %[[P]], %[[KEEP_SCALE]] : f64
  // CHECK: %[[YF:.*]] = arith.truncf %[[Y]] : f64 to f32
  // CHECK: linalg.yield %[[YF]], %[[KEEP]] : f32, i1
  // CHECK: %[[NEXT:.*]] = arith.addi %[[COUNTER]], %[[SIX]] : i64
  // CHECK: %[[STATE:.*]] = tensor.from_elements %[[KEY]], %[[NEXT]] : tensor<2xi64>
  // CHECK: return %[[R]]#0, %[[R]]#1, %[[STATE]]
  %y, %m, %r = strata.dropout %x, %rng {ratio = 0.25} : (tensor<2x3xf32>, tensor<2xi64>) -> (tensor<2x3xf32>, tensor<2x3xi1>, tensor<2xi64>)
  return %y, %m, %r : tensor<2x3xf32>, tensor<2x3xi1>, tensor<2xi64>
}

// -----

// bernoulli_sample: u < p in f64, 1 or 0 in the element type.
// CHECK-LABEL: func.func @bernoulli
func.func @bernoulli(%p: tensor<4xf32>, %rng: tensor<2xi64>) -> (tensor<4xf32>, tensor<2xi64>) {
  // CHECK: linalg.generic
  // CHECK: %[[PD:.*]] = arith.extf %{{.*}} : f32 to f64
  // CHECK: %[[HIT:.*]] = arith.cmpf olt, %{{.*}}, %[[PD]] : f64
  // CHECK: arith.select %[[HIT]], %{{.*}}, %{{.*}} : f32
  // CHECK: tensor.from_elements
  // CHECK-NOT: strata.
  %s, %r = strata.bernoulli_sample %p, %rng : (tensor<4xf32>, tensor<2xi64>) -> (tensor<4xf32>, tensor<2xi64>)
  return %s, %r : tensor<4xf32>, tensor<2xi64>
}

// -----

// concat inserts each input after the previous ones; split extracts views;
// a slice with a negative step reads through a map that walks backwards.
// CHECK-DAG: #[[BACK:.*]] = affine_map<(d0, d1) -> (d0, d1 * -2 + 3)>
// CHECK-LABEL: func.func @shapes
func.func @shapes(%a: tensor<2x3xf32>, %b: tensor<2x1xf32>) -> (tensor<2x4xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<1x2xf32>) {
  // CHECK: %[[E:.*]] = tensor.empty() : tensor<2x4xf32>
  // CHECK: %[[I0:.*]] = tensor.insert_slice %arg0 into %[[E]][0, 0] [2, 3] [1, 1]
  // CHECK: %[[C:.*]] = tensor.insert_slice %arg1 into %[[I0]][0, 3] [2, 1] [1, 1]
  %0 = strata.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  // CHECK: tensor.extract_slice %[[C]][0, 0] [2, 2] [1, 1]
  // CHECK: tensor.extract_slice %[[C]][0, 2] [2, 2] [1, 1]
  %1:2 = strata.split %0 {axis = -1 : i64, sizes = array<i64: 2, 2>} : (tensor<2x4xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>)
  // CHECK: linalg.generic {indexing_maps = [#[[BACK]], #{{.*}}]
  %2 = strata.slice %0 {starts = array<i64: 3>, ends = array<i64: 0>, axes = array<i64: 1>, steps = array<i64: -2>} : (tensor<2x4xf32>) -> tensor<2x2xf32>
  // CHECK: tensor.extract_slice %[[C]][1, 0] [1, 2] [1, 2]
  %3 = strata.slice %0 {starts = array<i64: -1, 0>, ends = array<i64: 100, 4>, steps = array<i64: 1, 2>} : (tensor<2x4xf32>) -> tensor<1x2xf32>
  return %0, %1#0, %1#1, %2, %3 : tensor<2x4xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<1x2xf32>
}

// -----

// gru_cell becomes strata ops that lower in the same pass: no strata op is
// left, and the three gate products are contractions.
// CHECK-LABEL: func.func @gru
func.func @gru(%x: tensor<2x3xf32>, %h: tensor<2x4xf32>, %w: tensor<12x3xf32>, %r: tensor<12x4xf32>, %b: tensor<24xf32>) -> tensor<2x4xf32> {
  // CHECK-COUNT-3: iterator_types = ["parallel", "parallel", "reduction"]
  // CHECK: math.tanh
  // CHECK-NOT: strata.
  %0 = strata.gru_cell %x, %h, %w, %r, %b : (tensor<2x3xf32>, tensor<2x4xf32>, tensor<12x3xf32>, tensor<12x4xf32>, tensor<24xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// lstm_cell becomes strata ops too: two contractions (x W^T + Wb and
// h R^T + Rb, all four gates at once), the gates sliced off their sum,
// each clipped, three sigmoids and tanh for c~ and for c'.
// CHECK-LABEL: func.func @lstm
func.func @lstm(%x: tensor<2x3xf32>, %h: tensor<2x4xf32>, %c: tensor<2x4xf32>, %w: tensor<16x3xf32>, %r: tensor<16x4xf32>, %b: tensor<32xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>) {
  // CHECK-COUNT-2: iterator_types = ["parallel", "parallel", "reduction"]
  // CHECK-COUNT-4: tensor.extract_slice %{{.*}} : tensor<2x16xf32> to tensor<2x4xf32>
  // CHECK: arith.minimumf
  // CHECK: math.exp
  // CHECK: math.tanh
  // CHECK: math.tanh
  // CHECK: return %[[H:.*]], %[[C:.*]] : tensor<2x4xf32>, tensor<2x4xf32>
  // CHECK-NOT: strata.
  %0:2 = strata.lstm_cell %x, %h, %c, %w, %r, %b {clip = 2.0 : f64} : (tensor<2x3xf32>, tensor<2x4xf32>, tensor<2x4xf32>, tensor<16x3xf32>, tensor<16x4xf32>, tensor<32xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>)
  return %0#0, %0#1 : tensor<2x4xf32>, tensor<2x4xf32>
}

// -----

// rnn_cell: tanh(x W^T + h R^T), two contractions and no bias.
// CHECK-LABEL: func.func @rnn
func.func @rnn(%x: tensor<2x3xf32>, %h: tensor<2x4xf32>, %w: tensor<4x3xf32>, %r: tensor<4x4xf32>) -> tensor<2x4xf32> {
  // CHECK-COUNT-2: iterator_types = ["parallel", "parallel", "reduction"]
  // CHECK-NOT: tensor.extract_slice
  // CHECK: math.tanh
  // CHECK-NOT: strata.
  %0 = strata.rnn_cell %x, %h, %w, %r : (tensor<2x3xf32>, tensor<2x4xf32>, tensor<4x3xf32>, tensor<4x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}
