// RUN: strata-opt %s -split-input-file -verify-diagnostics

func.func @gather_axis(%d: tensor<4x5xf32>, %i: tensor<3xi64>) {
  // expected-error @+2 {{'strata.gather' axis 2 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.gather %d, %i {axis = 2 : i64} : (tensor<4x5xf32>, tensor<3xi64>) -> tensor<4x3xf32>
  return
}

// -----

func.func @gather_elements_rank(%d: tensor<4x5xf32>, %i: tensor<3xi64>) {
  // expected-error @+2 {{'strata.gather_elements' indices rank 1 differs from data rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.gather_elements %d, %i : (tensor<4x5xf32>, tensor<3xi64>) -> tensor<3xf32>
  return
}

// -----

func.func @gather_elements_size(%d: tensor<4x5xf32>, %i: tensor<2x6xi64>) {
  // expected-error @+2 {{'strata.gather_elements' indices size 6 on dimension 1 exceeds data size 5}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.gather_elements %d, %i : (tensor<4x5xf32>, tensor<2x6xi64>) -> tensor<2x6xf32>
  return
}

// -----

func.func @gather_nd_rank(%d: tensor<4x5xf32>, %i: tensor<i64>) {
  // expected-error @+2 {{'strata.gather_nd' data and indices must have rank >= 1, got 2 and 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.gather_nd %d, %i : (tensor<4x5xf32>, tensor<i64>) -> tensor<5xf32>
  return
}

// -----

func.func @gather_nd_batch(%d: tensor<4x5xf32>, %i: tensor<4x1xi64>) {
  // expected-error @+2 {{'strata.gather_nd' batch_dims 2 must be in [0, 2)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.gather_nd %d, %i {batch_dims = 2 : i64} : (tensor<4x5xf32>, tensor<4x1xi64>) -> tensor<4xf32>
  return
}

// -----

func.func @gather_nd_dynamic(%d: tensor<4x5xf32>, %i: tensor<3x?xi64>) {
  // expected-error @+2 {{'strata.gather_nd' the last size of indices 3x? must be static}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.gather_nd %d, %i : (tensor<4x5xf32>, tensor<3x?xi64>) -> tensor<3xf32>
  return
}

// -----

func.func @gather_nd_tuple(%d: tensor<4x5xf32>, %i: tensor<4x2xi64>) {
  // expected-error @+2 {{'strata.gather_nd' index tuples of length 2 must be in [1, 1] for data 4x5 and batch_dims 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.gather_nd %d, %i {batch_dims = 1 : i64} : (tensor<4x5xf32>, tensor<4x2xi64>) -> tensor<4xf32>
  return
}

// -----

func.func @gather_nd_batch_size(%d: tensor<4x5xf32>, %i: tensor<3x1xi64>) {
  // expected-error @+2 {{'strata.gather_nd' batch dimension 0 has size 4 in data and 3 in indices}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.gather_nd %d, %i {batch_dims = 1 : i64} : (tensor<4x5xf32>, tensor<3x1xi64>) -> tensor<3xf32>
  return
}

// -----

func.func @scatter_axis(%d: tensor<4x5xf32>, %i: tensor<4x2xi64>, %u: tensor<4x2xf32>) {
  // expected-error @+2 {{'strata.scatter_elements' axis -3 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.scatter_elements %d, %i, %u {axis = -3 : i64} : (tensor<4x5xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x5xf32>
  return
}

// -----

func.func @scatter_types(%d: tensor<4x5xf32>, %i: tensor<4x2xi64>, %u: tensor<4x2xf16>) {
  // expected-error @+2 {{'strata.scatter_elements' updates element type f16 differs from data's f32}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.scatter_elements %d, %i, %u {axis = 1 : i64} : (tensor<4x5xf32>, tensor<4x2xi64>, tensor<4x2xf16>) -> tensor<4x5xf32>
  return
}

// -----

func.func @scatter_shapes(%d: tensor<4x5xf32>, %i: tensor<4x2xi64>, %u: tensor<4x3xf32>) {
  // expected-error @+2 {{'strata.scatter_elements' indices 4x2 and updates 4x3 have different shapes}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.scatter_elements %d, %i, %u {axis = 1 : i64} : (tensor<4x5xf32>, tensor<4x2xi64>, tensor<4x3xf32>) -> tensor<4x5xf32>
  return
}

// -----

func.func @scatter_rank(%d: tensor<4x5xf32>, %i: tensor<2xi64>, %u: tensor<2xf32>) {
  // expected-error @+2 {{'strata.scatter_elements' indices rank 1 differs from data rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.scatter_elements %d, %i, %u : (tensor<4x5xf32>, tensor<2xi64>, tensor<2xf32>) -> tensor<4x5xf32>
  return
}

// -----

func.func @scatter_size(%d: tensor<4x5xf32>, %i: tensor<5x2xi64>, %u: tensor<5x2xf32>) {
  // expected-error @+2 {{'strata.scatter_elements' indices size 5 on dimension 0 exceeds data size 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.scatter_elements %d, %i, %u {axis = 1 : i64} : (tensor<4x5xf32>, tensor<5x2xi64>, tensor<5x2xf32>) -> tensor<4x5xf32>
  return
}

// -----

func.func @scatter_reduction(%d: tensor<4x5xf32>, %i: tensor<4x2xi64>, %u: tensor<4x2xf32>) {
  // expected-error @+1 {{'strata.scatter_elements' op reduction must be one of none, add, mul, max, min, got "sum"}}
  %0 = strata.scatter_elements %d, %i, %u {axis = 1 : i64, reduction = "sum"} : (tensor<4x5xf32>, tensor<4x2xi64>, tensor<4x2xf32>) -> tensor<4x5xf32>
  return
}

// -----

func.func @embedding_table(%t: tensor<10xf32>, %i: tensor<3xi32>) {
  // expected-error @+2 {{'strata.embedding' table must have rank 2 ([V, D]), got 10}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.embedding %t, %i : (tensor<10xf32>, tensor<3xi32>) -> tensor<3x10xf32>
  return
}

// -----

func.func @one_hot_depth(%i: tensor<3xi32>, %v: tensor<2xf32>) {
  // expected-error @+2 {{'strata.one_hot' depth must be >= 1, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.one_hot %i, %v {depth = 0 : i64} : (tensor<3xi32>, tensor<2xf32>) -> tensor<3x0xf32>
  return
}

// -----

func.func @one_hot_axis(%i: tensor<3xi32>, %v: tensor<2xf32>) {
  // expected-error @+2 {{'strata.one_hot' axis 2 is out of range [-2, 1] for rank-1 indices}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.one_hot %i, %v {depth = 4 : i64, axis = 2 : i64} : (tensor<3xi32>, tensor<2xf32>) -> tensor<3x4xf32>
  return
}

// -----

func.func @one_hot_values(%i: tensor<3xi32>, %v: tensor<3xf32>) {
  // expected-error @+2 {{'strata.one_hot' values must be [off, on] (2 elements), got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.one_hot %i, %v {depth = 4 : i64} : (tensor<3xi32>, tensor<3xf32>) -> tensor<3x4xf32>
  return
}

// -----

func.func @gather_float_indices(%d: tensor<4x5xf32>, %i: tensor<3xf32>) {
  // expected-error @+1 {{'strata.gather' op operand #1 must be ranked tensor of signless integer values}}
  %0 = strata.gather %d, %i : (tensor<4x5xf32>, tensor<3xf32>) -> tensor<3x5xf32>
  return
}

// -----

func.func @one_hot_scalar_values(%i: tensor<3xi32>, %v: tensor<f32>) {
  // expected-error @+2 {{'strata.one_hot' values must be [off, on] (2 elements), got a scalar}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.one_hot %i, %v {depth = 4 : i64} : (tensor<3xi32>, tensor<f32>) -> tensor<3x4xf32>
  return
}

// -----

func.func @scatter_nd_rank(%d: tensor<4x5xf32>, %i: tensor<i64>, %u: tensor<5xf32>) {
  // expected-error @+2 {{'strata.scatter_nd' data and indices must have rank >= 1, got 2 and 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.scatter_nd %d, %i, %u : (tensor<4x5xf32>, tensor<i64>, tensor<5xf32>) -> tensor<4x5xf32>
  return
}

// -----

func.func @scatter_nd_types(%d: tensor<4x5xf32>, %i: tensor<3x1xi64>, %u: tensor<3x5xi32>) {
  // expected-error @+2 {{'strata.scatter_nd' updates element type i32 differs from data's f32}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.scatter_nd %d, %i, %u : (tensor<4x5xf32>, tensor<3x1xi64>, tensor<3x5xi32>) -> tensor<4x5xf32>
  return
}

// -----

func.func @scatter_nd_dynamic(%d: tensor<4x5xf32>, %i: tensor<3x?xi64>, %u: tensor<3xf32>) {
  // expected-error @+2 {{'strata.scatter_nd' the last size of indices 3x? must be static}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.scatter_nd %d, %i, %u : (tensor<4x5xf32>, tensor<3x?xi64>, tensor<3xf32>) -> tensor<4x5xf32>
  return
}

// -----

func.func @scatter_nd_tuple(%d: tensor<4x5xf32>, %i: tensor<3x3xi64>, %u: tensor<3xf32>) {
  // expected-error @+2 {{'strata.scatter_nd' index tuples of length 3 must be in [1, 2] for data 4x5}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.scatter_nd %d, %i, %u : (tensor<4x5xf32>, tensor<3x3xi64>, tensor<3xf32>) -> tensor<4x5xf32>
  return
}

// -----

func.func @scatter_nd_updates(%d: tensor<4x5xf32>, %i: tensor<3x1xi64>, %u: tensor<3x4xf32>) {
  // expected-error @+2 {{'strata.scatter_nd' updates 3x4 must have shape 3x5 (indices.shape[:-1] + data.shape[1:])}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.scatter_nd %d, %i, %u : (tensor<4x5xf32>, tensor<3x1xi64>, tensor<3x4xf32>) -> tensor<4x5xf32>
  return
}

// -----

func.func @scatter_nd_reduction(%d: tensor<4x5xf32>, %i: tensor<3x1xi64>, %u: tensor<3x5xf32>) {
  // expected-error @+1 {{'strata.scatter_nd' op reduction must be one of none, add, mul, max, min, got "sum"}}
  %0 = strata.scatter_nd %d, %i, %u {reduction = "sum"} : (tensor<4x5xf32>, tensor<3x1xi64>, tensor<3x5xf32>) -> tensor<4x5xf32>
  return
}
