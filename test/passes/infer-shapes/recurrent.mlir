// RUN: strata-opt %s --strata-infer-shapes | FileCheck %s

// Sizes come from every operand that fixes them: H from r, N from h.
// CHECK-LABEL: func @refine
// CHECK-SAME: -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>)
func.func @refine(%x: tensor<?x4xf32>, %h: tensor<2x?xf32>, %c: tensor<?x?xf32>, %wg: tensor<9x4xf32>, %rg: tensor<9x3xf32>,
                  %wl: tensor<?x4xf32>, %rl: tensor<12x?xf32>, %wr: tensor<3x4xf32>, %rr: tensor<?x?xf32>, %br: tensor<6xf32>)
    -> (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) {
  // CHECK: strata.gru_cell {{.*}} -> tensor<2x3xf32>
  %0 = strata.gru_cell %x, %h, %wg, %rg : (tensor<?x4xf32>, tensor<2x?xf32>, tensor<9x4xf32>, tensor<9x3xf32>) -> tensor<?x?xf32>
  // CHECK: strata.lstm_cell {{.*}} -> (tensor<2x3xf32>, tensor<2x3xf32>)
  %1:2 = strata.lstm_cell %x, %h, %c, %wl, %rl : (tensor<?x4xf32>, tensor<2x?xf32>, tensor<?x?xf32>, tensor<?x4xf32>, tensor<12x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>)
  // CHECK: strata.rnn_cell {{.*}} -> tensor<2x3xf32>
  %2 = strata.rnn_cell %x, %h, %wr, %rr, %br : (tensor<?x4xf32>, tensor<2x?xf32>, tensor<3x4xf32>, tensor<?x?xf32>, tensor<6xf32>) -> tensor<?x?xf32>
  return %0, %1#0, %1#1, %2 : tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>
}

// A dynamic batch stays dynamic.
// CHECK-LABEL: func @dynamic_batch
// CHECK-SAME: -> tensor<?x3xf32>
func.func @dynamic_batch(%x: tensor<?x4xf32>, %h: tensor<?x?xf32>, %w: tensor<9x4xf32>, %r: tensor<9x3xf32>, %b: tensor<18xf32>) -> tensor<?x?xf32> {
  // CHECK: strata.gru_cell {{.*}} -> tensor<?x3xf32>
  %0 = strata.gru_cell %x, %h, %w, %r, %b {linear_before_reset = true} : (tensor<?x4xf32>, tensor<?x?xf32>, tensor<9x4xf32>, tensor<9x3xf32>, tensor<18xf32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}
