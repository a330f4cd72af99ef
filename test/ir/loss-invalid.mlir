// RUN: strata-opt %s -split-input-file -verify-diagnostics

func.func @logits_rank(%l: tensor<10xf32>, %y: tensor<4xi32>) {
  // expected-error @+2 {{'strata.softmax_cross_entropy' logits must be 2-D [N, C], got shape 10}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.softmax_cross_entropy %l, %y : (tensor<10xf32>, tensor<4xi32>) -> tensor<f32>
  return
}

// -----

func.func @labels_rank(%l: tensor<4x10xf32>, %y: tensor<4x1xi32>) {
  // expected-error @+2 {{'strata.accuracy' labels must be 1-D [N], got shape 4x1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.accuracy %l, %y : (tensor<4x10xf32>, tensor<4x1xi32>) -> tensor<f32>
  return
}

// -----

func.func @batch(%l: tensor<4x10xf32>, %y: tensor<3xi64>) {
  // expected-error @+2 {{'strata.softmax_cross_entropy' batch sizes disagree: logits have N = 4, labels have N = 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.softmax_cross_entropy %l, %y : (tensor<4x10xf32>, tensor<3xi64>) -> tensor<f32>
  return
}

// -----

func.func @float_labels(%l: tensor<4x10xf32>, %y: tensor<4xf32>) {
  // expected-error @+1 {{'strata.softmax_cross_entropy' op operand #1 must be ranked tensor of signless integer values}}
  %0 = strata.softmax_cross_entropy %l, %y : (tensor<4x10xf32>, tensor<4xf32>) -> tensor<f32>
  return
}

// -----

func.func @euclidean_types(%a: tensor<2x3xf32>, %b: tensor<2x3xf64>) {
  // expected-error @+2 {{'strata.euclidean_loss' operands have different element types}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.euclidean_loss %a, %b : (tensor<2x3xf32>, tensor<2x3xf64>) -> tensor<f32>
  return
}

// -----

func.func @euclidean_rank(%a: tensor<f32>) {
  // expected-error @+2 {{'strata.euclidean_loss' operands must have rank >= 1 ([N, ...]), got rank 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.euclidean_loss %a, %a : (tensor<f32>, tensor<f32>) -> tensor<f32>
  return
}

// -----

func.func @euclidean_shapes(%a: tensor<?x3xf32>, %b: tensor<2x4xf32>) {
  // expected-error @+2 {{'strata.euclidean_loss' operand shapes ?x3 and 2x4 differ}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.euclidean_loss %a, %b : (tensor<?x3xf32>, tensor<2x4xf32>) -> tensor<f32>
  return
}

// -----

func.func @top_k_zero(%l: tensor<4x10xf32>, %y: tensor<4xi32>) {
  // expected-error @+2 {{'strata.accuracy' top_k must be >= 1, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.accuracy %l, %y {top_k = 0} : (tensor<4x10xf32>, tensor<4xi32>) -> tensor<f32>
  return
}

// -----

func.func @top_k_classes(%l: tensor<4x10xf32>, %y: tensor<4xi32>) {
  // expected-error @+2 {{'strata.accuracy' top_k = 11 exceeds the number of classes 10}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.accuracy %l, %y {top_k = 11} : (tensor<4x10xf32>, tensor<4xi32>) -> tensor<f32>
  return
}

// -----

func.func @accuracy_f32(%l: tensor<4x10xf64>, %y: tensor<4xi32>) {
  // expected-error @+1 {{'strata.accuracy' op result #0 must be ranked tensor of 32-bit float values, but got 'tensor<f64>'}}
  %0 = strata.accuracy %l, %y : (tensor<4x10xf64>, tensor<4xi32>) -> tensor<f64>
  return
}

// -----

func.func @top_k_axis(%x: tensor<4x6xf32>) {
  // expected-error @+2 {{'strata.top_k' axis 2 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %v, %i = strata.top_k %x {k = 2, axis = 2} : (tensor<4x6xf32>) -> (tensor<4x2xf32>, tensor<4x2xi64>)
  return
}

// -----

func.func @top_k_k(%x: tensor<4x6xf32>) {
  // expected-error @+2 {{'strata.top_k' k must be >= 1, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %v, %i = strata.top_k %x {k = 0} : (tensor<4x6xf32>) -> (tensor<4x0xf32>, tensor<4x0xi64>)
  return
}

// -----

func.func @top_k_size(%x: tensor<?x6xf32>) {
  // expected-error @+2 {{'strata.top_k' k = 7 exceeds the size 6 of axis 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %v, %i = strata.top_k %x {k = 7} : (tensor<?x6xf32>) -> (tensor<?x7xf32>, tensor<?x7xi64>)
  return
}

// -----

func.func @argsort_axis(%x: tensor<4x6xf32>) {
  // expected-error @+2 {{'strata.argsort' axis -3 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.argsort %x {axis = -3} : (tensor<4x6xf32>) -> tensor<4x6xi64>
  return
}
