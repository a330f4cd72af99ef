// RUN: strata-opt %s | strata-opt | FileCheck %s
// Round trip of every recurrent cell, with and without bias and attributes.

// CHECK-LABEL: func @gru
func.func @gru(%x: tensor<?x4xf32>, %h: tensor<?x3xf32>, %w: tensor<9x4xf32>, %r: tensor<9x3xf32>, %b: tensor<18xf32>) {
  // CHECK: strata.gru_cell %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<?x4xf32>, tensor<?x3xf32>, tensor<9x4xf32>, tensor<9x3xf32>) -> tensor<?x3xf32>
  %0 = strata.gru_cell %x, %h, %w, %r : (tensor<?x4xf32>, tensor<?x3xf32>, tensor<9x4xf32>, tensor<9x3xf32>) -> tensor<?x3xf32>
  // CHECK: strata.gru_cell %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {clip = 5.000000e+00 : f64, linear_before_reset = true} : (tensor<?x4xf32>, tensor<?x3xf32>, tensor<9x4xf32>, tensor<9x3xf32>, tensor<18xf32>) -> tensor<?x3xf32>
  %1 = strata.gru_cell %x, %h, %w, %r, %b {linear_before_reset = true, clip = 5.0} : (tensor<?x4xf32>, tensor<?x3xf32>, tensor<9x4xf32>, tensor<9x3xf32>, tensor<18xf32>) -> tensor<?x3xf32>
  // CHECK: strata.gru_cell %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : {{.*}} -> tensor<?x3xf32>
  %2 = strata.gru_cell %x, %h, %w, %r, %b {linear_before_reset = false} : (tensor<?x4xf32>, tensor<?x3xf32>, tensor<9x4xf32>, tensor<9x3xf32>, tensor<18xf32>) -> tensor<?x3xf32>
  return
}

// CHECK-LABEL: func @lstm
func.func @lstm(%x: tensor<2x4xf64>, %h: tensor<2x3xf64>, %c: tensor<2x3xf64>, %w: tensor<12x4xf64>, %r: tensor<12x3xf64>, %b: tensor<24xf64>) {
  // CHECK: %{{.*}}, %{{.*}} = strata.lstm_cell %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x4xf64>, tensor<2x3xf64>, tensor<2x3xf64>, tensor<12x4xf64>, tensor<12x3xf64>) -> (tensor<2x3xf64>, tensor<2x3xf64>)
  %0:2 = strata.lstm_cell %x, %h, %c, %w, %r : (tensor<2x4xf64>, tensor<2x3xf64>, tensor<2x3xf64>, tensor<12x4xf64>, tensor<12x3xf64>) -> (tensor<2x3xf64>, tensor<2x3xf64>)
  // CHECK: strata.lstm_cell %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {clip = 2.500000e+00 : f64} : (tensor<2x4xf64>, tensor<2x3xf64>, tensor<2x3xf64>, tensor<12x4xf64>, tensor<12x3xf64>, tensor<24xf64>) -> (tensor<2x3xf64>, tensor<2x3xf64>)
  %1:2 = strata.lstm_cell %x, %h, %c, %w, %r, %b {clip = 2.5} : (tensor<2x4xf64>, tensor<2x3xf64>, tensor<2x3xf64>, tensor<12x4xf64>, tensor<12x3xf64>, tensor<24xf64>) -> (tensor<2x3xf64>, tensor<2x3xf64>)
  return
}

// CHECK-LABEL: func @rnn
func.func @rnn(%x: tensor<?x4xf32>, %h: tensor<?x3xf32>, %w: tensor<3x4xf32>, %r: tensor<3x3xf32>, %b: tensor<6xf32>) {
  // CHECK: strata.rnn_cell %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<?x4xf32>, tensor<?x3xf32>, tensor<3x4xf32>, tensor<3x3xf32>) -> tensor<?x3xf32>
  %0 = strata.rnn_cell %x, %h, %w, %r : (tensor<?x4xf32>, tensor<?x3xf32>, tensor<3x4xf32>, tensor<3x3xf32>) -> tensor<?x3xf32>
  // CHECK: strata.rnn_cell %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {clip = 1.000000e+00 : f64} : (tensor<?x4xf32>, tensor<?x3xf32>, tensor<3x4xf32>, tensor<3x3xf32>, tensor<6xf32>) -> tensor<?x3xf32>
  %1 = strata.rnn_cell %x, %h, %w, %r, %b {clip = 1.0} : (tensor<?x4xf32>, tensor<?x3xf32>, tensor<3x4xf32>, tensor<3x3xf32>, tensor<6xf32>) -> tensor<?x3xf32>
  return
}
