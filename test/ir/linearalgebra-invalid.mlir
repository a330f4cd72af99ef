// RUN: strata-opt %s -split-input-file -verify-diagnostics

func.func @matmul_types(%a: tensor<2x3xf32>, %b: tensor<3x4xf64>) {
  // expected-error @+2 {{'strata.matmul' operands have different element types f32 and f64}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.matmul %a, %b : (tensor<2x3xf32>, tensor<3x4xf64>) -> tensor<2x4xf32>
  return
}

// -----

func.func @matmul_scalar(%a: tensor<f32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{'strata.matmul' operands must have rank >= 1, got ranks 0 and 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.matmul %a, %b : (tensor<f32>, tensor<3xf32>) -> tensor<f32>
  return
}

// -----

func.func @matmul_k(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+2 {{'strata.matmul' contraction dims differ: lhs 2x3 has K = 3, rhs 4x5 has K = 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.matmul %a, %b : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @matmul_batch(%a: tensor<2x2x3xf32>, %b: tensor<3x3x4xf32>) {
  // expected-error @+2 {{'strata.matmul' batch dims 2 and 3 of lhs 2x2x3 and rhs 3x3x4 do not broadcast}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.matmul %a, %b : (tensor<2x2x3xf32>, tensor<3x3x4xf32>) -> tensor<2x2x4xf32>
  return
}

// -----

func.func @matmul_result(%a: tensor<?x2x3xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+2 {{'strata.matmul' op inferred type(s) 'tensor<?x2x4xf32>' are incompatible with return type(s) of operation 'tensor<?x2x5xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.matmul %a, %b : (tensor<?x2x3xf32>, tensor<3x4xf32>) -> tensor<?x2x5xf32>
  return
}

// -----

func.func @gemm_types(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>, %c: tensor<4xf16>) {
  // expected-error @+2 {{'strata.gemm' operands have different element types f32 and f16}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.gemm %a, %b, %c : (tensor<2x3xf32>, tensor<3x4xf32>, tensor<4xf16>) -> tensor<2x4xf32>
  return
}

// -----

func.func @gemm_rank_a(%a: tensor<3xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+2 {{'strata.gemm' a must have rank 2, got shape 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.gemm %a, %b : (tensor<3xf32>, tensor<3x4xf32>) -> tensor<1x4xf32>
  return
}

// -----

func.func @gemm_rank_b(%a: tensor<2x3xf32>, %b: tensor<2x3x4xf32>) {
  // expected-error @+2 {{'strata.gemm' b must have rank 2, got shape 2x3x4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.gemm %a, %b : (tensor<2x3xf32>, tensor<2x3x4xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @gemm_inner(%a: tensor<2x3xf32>, %b: tensor<5x4xf32>) {
  // expected-error @+2 {{'strata.gemm' inner dims differ: op(a) is 3x2, op(b) is 4x5 (trans_a = true, trans_b = true)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.gemm %a, %b {trans_a = true, trans_b = true} : (tensor<2x3xf32>, tensor<5x4xf32>) -> tensor<3x5xf32>
  return
}

// -----

func.func @gemm_c(%a: tensor<2x3xf32>, %b: tensor<3x5xf32>, %c: tensor<3x5xf32>) {
  // expected-error @+2 {{'strata.gemm' c shape 3x5 does not broadcast to [M, N] = 2x5}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.gemm %a, %b, %c : (tensor<2x3xf32>, tensor<3x5xf32>, tensor<3x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @gemm_int(%a: tensor<2x3xi32>, %b: tensor<3x5xi32>) {
  // expected-error @+1 {{'strata.gemm' op operand #0 must be ranked tensor of floating-point values}}
  %0 = strata.gemm %a, %b : (tensor<2x3xi32>, tensor<3x5xi32>) -> tensor<2x5xi32>
  return
}

// -----

func.func @ip_types(%x: tensor<2x3xf32>, %w: tensor<4x3xf64>) {
  // expected-error @+2 {{'strata.inner_product' operands have different element types f32 and f64}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.inner_product %x, %w : (tensor<2x3xf32>, tensor<4x3xf64>) -> tensor<2x4xf32>
  return
}

// -----

func.func @ip_input_rank(%x: tensor<2x3x4xf32>, %w: tensor<4x12xf32>) {
  // expected-error @+2 {{'strata.inner_product' input must have rank 2 ([N, K]), got shape 2x3x4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.inner_product %x, %w : (tensor<2x3x4xf32>, tensor<4x12xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @ip_weight_rank(%x: tensor<2x3xf32>, %w: tensor<3xf32>) {
  // expected-error @+2 {{'strata.inner_product' weight must have rank 2, got shape 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.inner_product %x, %w : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x1xf32>
  return
}

// -----

func.func @ip_weight(%x: tensor<?x3xf32>, %w: tensor<3x4xf32>) {
  // expected-error @+2 {{'strata.inner_product' weight 3x4 does not match input ?x3: expected [M, K] = [M, 3] (transpose = false)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.inner_product %x, %w : (tensor<?x3xf32>, tensor<3x4xf32>) -> tensor<?x3xf32>
  return
}

// -----

func.func @ip_weight_t(%x: tensor<?x3xf32>, %w: tensor<4x3xf32>) {
  // expected-error @+2 {{'strata.inner_product' weight 4x3 does not match input ?x3: expected [K, M] = [3, M] (transpose = true)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.inner_product %x, %w {transpose = true} : (tensor<?x3xf32>, tensor<4x3xf32>) -> tensor<?x3xf32>
  return
}

// -----

func.func @ip_bias(%x: tensor<?x3xf32>, %w: tensor<4x3xf32>, %b: tensor<5xf32>) {
  // expected-error @+2 {{'strata.inner_product' bias shape 5 is not [M] = [4]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = strata.inner_product %x, %w, %b : (tensor<?x3xf32>, tensor<4x3xf32>, tensor<5xf32>) -> tensor<?x4xf32>
  return
}
