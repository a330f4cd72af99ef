// RUN: strata-opt %s --strata-contrastive-divergence --split-input-file | FileCheck %s

// CD-1 on one binary RBM (B = 3, vdim = 4, hdim = 2), as the SINGA frontend
// describes it: the train function returns v0 and the positive phase h0 and
// threads the random state. The chain samples h0 once; the statistics of
// the negative phase are v1 and h1.
module attributes {strata.alg = {alg = "cd", cd_k = 1 : i64}} {
  strata.parameter @w : tensor<2x4xf32> {init = #strata.init<kind = constant, value = 0.0>}
  strata.parameter @b : tensor<4xf32> {init = #strata.init<kind = constant, value = 0.0>}
  strata.parameter @wt : tensor<2x4xf32> {init = #strata.init<kind = constant>, share_from = @w}
  strata.parameter @c : tensor<2xf32> {init = #strata.init<kind = constant, value = 0.0>}
  func.func @train(%rng: tensor<2xi64> {strata.name = "rng"}, %v: tensor<3x4xf32>) -> (tensor<3x4xf32> {strata.name = "vis.visible"}, tensor<3x2xf32> {strata.name = "hid.hidden"}, tensor<2xi64> {strata.name = "rng"}) attributes {strata.phase = #strata.phase<train>, strata.rbm = [{visible = 0 : i64, hidden = 1 : i64, weight = @w, hidden_weight = @wt, visible_bias = @b, hidden_bias = @c, gaussian = false, visible_layer = "vis", hidden_layer = "hid"}]} {
    %wt = strata.param_value @wt : tensor<2x4xf32>
    %c = strata.param_value @c : tensor<2xf32>
    %0 = strata.inner_product %v, %wt, %c : (tensor<3x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<3x2xf32>
    %h = strata.sigmoid %0 : (tensor<3x2xf32>) -> tensor<3x2xf32>
    return %v, %h, %rng : tensor<3x4xf32>, tensor<3x2xf32>, tensor<2xi64>
  }
}
// The train function stays as it was (with its description).
// CHECK-LABEL: func.func @train(
// CHECK-SAME: strata.rbm = [{
// The gradient function: the same arguments; the reconstruction error
// (strata.loss), the train function's results with the state after the
// chain, then the gradients of @w (the owner of the tied @wt), @b and @c in
// declaration order.
// CHECK-LABEL: func.func @train_grad(
// CHECK-SAME: %[[RNG:[^:]*]]: tensor<2xi64> {strata.name = "rng"}, %[[V0:[^:]*]]: tensor<3x4xf32>)
// CHECK-SAME: -> (tensor<f32> {strata.loss, strata.name = "vis.reconstruction_error"}, tensor<3x4xf32> {strata.name = "vis.visible"}, tensor<3x2xf32> {strata.name = "hid.hidden"}, tensor<2xi64> {strata.name = "rng"}, tensor<2x4xf32> {strata.grad_of = @w}, tensor<4xf32> {strata.grad_of = @b}, tensor<2xf32> {strata.grad_of = @c})
// CHECK-SAME: attributes {strata.gradient_of = @train, strata.phase = #strata.phase<train>} {
// CHECK: %[[H0:.*]] = strata.sigmoid
// CHECK: %[[W:.*]] = strata.param_value @w : tensor<2x4xf32>
// CHECK: %[[WT:.*]] = strata.param_value @wt : tensor<2x4xf32>
// CHECK: %[[B:.*]] = strata.param_value @b : tensor<4xf32>
// CHECK: %[[C:.*]] = strata.param_value @c : tensor<2xf32>
// v1 = sigmoid(sample(h0) W + b), h1 = sigmoid(v1 W^T + c).
// CHECK: %[[HS:.*]], %[[RNG1:.*]] = strata.bernoulli_sample %[[H0]], %[[RNG]] : (tensor<3x2xf32>, tensor<2xi64>) -> (tensor<3x2xf32>, tensor<2xi64>)
// CHECK: %[[PV:.*]] = strata.inner_product %[[HS]], %[[W]], %[[B]] {transpose = true} : (tensor<3x2xf32>, tensor<2x4xf32>, tensor<4xf32>) -> tensor<3x4xf32>
// CHECK: %[[V1:.*]] = strata.sigmoid %[[PV]]
// CHECK: %[[PH:.*]] = strata.inner_product %[[V1]], %[[WT]], %[[C]] : (tensor<3x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<3x2xf32>
// CHECK: %[[H1:.*]] = strata.sigmoid %[[PH]]
// CHECK-NOT: strata.bernoulli_sample
// gW = (h1^T v1 - h0^T v0) / 3.
// CHECK: %[[POS:.*]] = strata.gemm %[[H0]], %[[V0]] {trans_a = true} : (tensor<3x2xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
// CHECK: %[[GW:.*]] = strata.gemm %[[H1]], %[[V1]], %[[POS]] {alpha = 0.33333333333333331 : f64, beta = -0.33333333333333331 : f64, trans_a = true} : (tensor<3x2xf32>, tensor<3x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
// gb = (sum_rows v1 - sum_rows v0) / 3; gc likewise with h1, h0.
// CHECK: %[[SV1:.*]] = strata.reduce_sum %[[V1]] {axes = array<i64: 0>, keepdims = false} : (tensor<3x4xf32>) -> tensor<4xf32>
// CHECK: %[[SV0:.*]] = strata.reduce_sum %[[V0]] {axes = array<i64: 0>, keepdims = false}
// CHECK: %[[DV:.*]] = strata.sub %[[SV1]], %[[SV0]]
// CHECK: %[[GB:.*]] = strata.mul %[[DV]], %{{.*}} : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
// CHECK: %[[SH1:.*]] = strata.reduce_sum %[[H1]] {axes = array<i64: 0>, keepdims = false} : (tensor<3x2xf32>) -> tensor<2xf32>
// CHECK: %[[SH0:.*]] = strata.reduce_sum %[[H0]] {axes = array<i64: 0>, keepdims = false}
// CHECK: %[[DH:.*]] = strata.sub %[[SH1]], %[[SH0]]
// CHECK: %[[GC:.*]] = strata.mul %[[DH]], %{{.*}} : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>
// Reconstruction error sum((v0 - v1)^2) / 3.
// CHECK: %[[D:.*]] = strata.sub %[[V0]], %[[V1]]
// CHECK: %[[SQ:.*]] = strata.reduce_sum_square %[[D]] {keepdims = false} : (tensor<3x4xf32>) -> tensor<f32>
// CHECK: %[[ERR:.*]] = strata.mul %[[SQ]], %{{.*}} : (tensor<f32>, tensor<f32>) -> tensor<f32>
// CHECK: return %[[ERR]], %[[V0]], %[[H0]], %[[RNG1]], %[[GW]], %[[GB]], %[[GC]] :

// -----

// CD-2: two samples; the second is drawn from h1 with the state the first
// returned, and the statistics use v2 and h2.
module attributes {strata.alg = {alg = "cd", cd_k = 2 : i64}} {
  strata.parameter @w : tensor<2x4xf32> {init = #strata.init<kind = constant, value = 0.0>}
  strata.parameter @b : tensor<4xf32> {init = #strata.init<kind = constant, value = 0.0>}
  strata.parameter @wt : tensor<2x4xf32> {init = #strata.init<kind = constant>, share_from = @w}
  strata.parameter @c : tensor<2xf32> {init = #strata.init<kind = constant, value = 0.0>}
  func.func @train(%rng: tensor<2xi64> {strata.name = "rng"}, %v: tensor<3x4xf32>) -> (tensor<3x4xf32>, tensor<3x2xf32>, tensor<2xi64> {strata.name = "rng"}) attributes {strata.phase = #strata.phase<train>, strata.rbm = [{visible = 0 : i64, hidden = 1 : i64, weight = @w, hidden_weight = @wt, visible_bias = @b, hidden_bias = @c}]} {
    %wt = strata.param_value @wt : tensor<2x4xf32>
    %c = strata.param_value @c : tensor<2xf32>
    %0 = strata.inner_product %v, %wt, %c : (tensor<3x4xf32>, tensor<2x4xf32>, tensor<2xf32>) -> tensor<3x2xf32>
    %h = strata.sigmoid %0 : (tensor<3x2xf32>) -> tensor<3x2xf32>
    return %v, %h, %rng : tensor<3x4xf32>, tensor<3x2xf32>, tensor<2xi64>
  }
}
// Without layer names the loss is named after the entry.
// CHECK-LABEL: func.func @train_grad(
// CHECK-SAME: %[[RNG:[^:]*]]: tensor<2xi64> {strata.name = "rng"}, %[[V0:[^:]*]]: tensor<3x4xf32>)
// CHECK-SAME: -> (tensor<f32> {strata.loss, strata.name = "rbm0.reconstruction_error"}, tensor<3x4xf32>, tensor<3x2xf32>, tensor<2xi64> {strata.name = "rng"}, tensor<2x4xf32> {strata.grad_of = @w}, tensor<4xf32> {strata.grad_of = @b}, tensor<2xf32> {strata.grad_of = @c})
// CHECK: %[[H0:.*]] = strata.sigmoid
// CHECK: %[[W:.*]] = strata.param_value @w
// CHECK: %[[WT:.*]] = strata.param_value @wt
// CHECK: %[[B:.*]] = strata.param_value @b
// CHECK: %[[C:.*]] = strata.param_value @c
// CHECK: %[[HS0:.*]], %[[RNG1:.*]] = strata.bernoulli_sample %[[H0]], %[[RNG]]
// CHECK: %[[PV1:.*]] = strata.inner_product %[[HS0]], %[[W]], %[[B]] {transpose = true}
// CHECK: %[[V1:.*]] = strata.sigmoid %[[PV1]]
// CHECK: %[[PH1:.*]] = strata.inner_product %[[V1]], %[[WT]], %[[C]] :
// CHECK: %[[H1:.*]] = strata.sigmoid %[[PH1]]
// CHECK: %[[HS1:.*]], %[[RNG2:.*]] = strata.bernoulli_sample %[[H1]], %[[RNG1]]
// CHECK: %[[PV2:.*]] = strata.inner_product %[[HS1]], %[[W]], %[[B]] {transpose = true}
// CHECK: %[[V2:.*]] = strata.sigmoid %[[PV2]]
// CHECK: %[[PH2:.*]] = strata.inner_product %[[V2]], %[[WT]], %[[C]] :
// CHECK: %[[H2:.*]] = strata.sigmoid %[[PH2]]
// CHECK-NOT: strata.bernoulli_sample
// CHECK: %[[POS:.*]] = strata.gemm %[[H0]], %[[V0]] {trans_a = true}
// CHECK: %[[GW:.*]] = strata.gemm %[[H2]], %[[V2]], %[[POS]] {alpha = 0.33333333333333331 : f64, beta = -0.33333333333333331 : f64, trans_a = true}
// CHECK: strata.reduce_sum %[[V2]] {axes = array<i64: 0>, keepdims = false}
// CHECK: strata.reduce_sum %[[V0]] {axes = array<i64: 0>, keepdims = false}
// CHECK: strata.reduce_sum %[[H2]] {axes = array<i64: 0>, keepdims = false}
// CHECK: strata.reduce_sum %[[H0]] {axes = array<i64: 0>, keepdims = false}
// CHECK: strata.sub %[[V0]], %[[V2]]
// CHECK: return %{{.*}}, %[[V0]], %[[H0]], %[[RNG2]], %[[GW]], %{{.*}}, %{{.*}} :

// -----

// Gaussian hidden units (linear, sampled with unit-variance noise), no
// biases, and no random state in the train function: the gradient function
// takes it as a new last argument and returns it last. The visible input is
// computed by a layer below (@fc_w), which gets no gradient.
module attributes {strata.alg = {alg = "cd", cd_k = 1 : i64}} {
  strata.parameter @fc_w : tensor<4x5xf32> {init = #strata.init<kind = constant>}
  strata.parameter @w : tensor<2x4xf32> {init = #strata.init<kind = constant, value = 0.0>}
  strata.parameter @wt : tensor<2x4xf32> {init = #strata.init<kind = constant>, share_from = @w}
  func.func @train(%x: tensor<3x5xf32>) -> (tensor<3x4xf32>, tensor<3x2xf32>) attributes {strata.phase = #strata.phase<train>, strata.rbm = [{visible = 0 : i64, hidden = 1 : i64, weight = @w, hidden_weight = @wt, gaussian = true, visible_layer = "v"}]} {
    %fc = strata.param_value @fc_w : tensor<4x5xf32>
    %0 = strata.inner_product %x, %fc : (tensor<3x5xf32>, tensor<4x5xf32>) -> tensor<3x4xf32>
    %v = strata.sigmoid %0 : (tensor<3x4xf32>) -> tensor<3x4xf32>
    %wt = strata.param_value @wt : tensor<2x4xf32>
    %h = strata.inner_product %v, %wt : (tensor<3x4xf32>, tensor<2x4xf32>) -> tensor<3x2xf32>
    return %v, %h : tensor<3x4xf32>, tensor<3x2xf32>
  }
}
// CHECK-LABEL: func.func @train_grad(
// CHECK-SAME: %{{[^:]*}}: tensor<3x5xf32>, %[[RNG:[^:]*]]: tensor<2xi64> {strata.name = "rng"})
// CHECK-SAME: -> (tensor<f32> {strata.loss, strata.name = "v.reconstruction_error"}, tensor<3x4xf32>, tensor<3x2xf32>, tensor<2xi64> {strata.name = "rng"}, tensor<2x4xf32> {strata.grad_of = @w})
// CHECK: %[[V0:.*]] = strata.sigmoid
// CHECK: %[[H0:.*]] = strata.inner_product %[[V0]]
// CHECK: %[[W:.*]] = strata.param_value @w
// CHECK: %[[WT:.*]] = strata.param_value @wt
// CHECK: %[[HS:.*]], %[[RNG1:.*]] = strata.gaussian_sample %[[H0]], %[[RNG]] : (tensor<3x2xf32>, tensor<2xi64>) -> (tensor<3x2xf32>, tensor<2xi64>)
// CHECK: %[[PV:.*]] = strata.inner_product %[[HS]], %[[W]] {transpose = true} : (tensor<3x2xf32>, tensor<2x4xf32>) -> tensor<3x4xf32>
// CHECK: %[[V1:.*]] = strata.sigmoid %[[PV]]
// CHECK: %[[H1:.*]] = strata.inner_product %[[V1]], %[[WT]] : (tensor<3x4xf32>, tensor<2x4xf32>) -> tensor<3x2xf32>
// CHECK-NOT: strata.sigmoid
// CHECK: %[[GW:.*]] = strata.gemm %[[H1]], %[[V1]], %{{.*}} {alpha
// CHECK: return %{{.*}}, %[[V0]], %[[H0]], %[[RNG1]], %[[GW]] :

// -----

// Stacked RBMs trained together: the second one's visible input is the
// first one's hidden layer. One chain per RBM, the random state threaded
// from the first to the second; one reconstruction error each.
module attributes {strata.alg = {alg = "cd", cd_k = 1 : i64}} {
  strata.parameter @w1 : tensor<3x4xf32> {init = #strata.init<kind = constant, value = 0.0>}
  strata.parameter @w1t : tensor<3x4xf32> {init = #strata.init<kind = constant>, share_from = @w1}
  strata.parameter @w2 : tensor<2x3xf32> {init = #strata.init<kind = constant, value = 0.0>}
  strata.parameter @w2t : tensor<2x3xf32> {init = #strata.init<kind = constant>, share_from = @w2}
  func.func @train(%rng: tensor<2xi64> {strata.name = "rng"}, %v: tensor<5x4xf32>) -> (tensor<5x4xf32>, tensor<5x3xf32>, tensor<5x3xf32>, tensor<5x2xf32>, tensor<2xi64> {strata.name = "rng"}) attributes {strata.phase = #strata.phase<train>, strata.rbm = [{visible = 0 : i64, hidden = 1 : i64, weight = @w1, hidden_weight = @w1t, visible_layer = "v1"}, {visible = 2 : i64, hidden = 3 : i64, weight = @w2, hidden_weight = @w2t, visible_layer = "v2"}]} {
    %w1t = strata.param_value @w1t : tensor<3x4xf32>
    %0 = strata.inner_product %v, %w1t : (tensor<5x4xf32>, tensor<3x4xf32>) -> tensor<5x3xf32>
    %h1 = strata.sigmoid %0 : (tensor<5x3xf32>) -> tensor<5x3xf32>
    %w2t = strata.param_value @w2t : tensor<2x3xf32>
    %1 = strata.inner_product %h1, %w2t : (tensor<5x3xf32>, tensor<2x3xf32>) -> tensor<5x2xf32>
    %h2 = strata.sigmoid %1 : (tensor<5x2xf32>) -> tensor<5x2xf32>
    return %v, %h1, %h1, %h2, %rng : tensor<5x4xf32>, tensor<5x3xf32>, tensor<5x3xf32>, tensor<5x2xf32>, tensor<2xi64>
  }
}
// CHECK-LABEL: func.func @train_grad(
// CHECK-SAME: -> (tensor<f32> {strata.loss, strata.name = "v1.reconstruction_error"}, tensor<f32> {strata.loss, strata.name = "v2.reconstruction_error"}, tensor<5x4xf32>, tensor<5x3xf32>, tensor<5x3xf32>, tensor<5x2xf32>, tensor<2xi64> {strata.name = "rng"}, tensor<3x4xf32> {strata.grad_of = @w1}, tensor<2x3xf32> {strata.grad_of = @w2})
// CHECK: %[[H1:.*]] = strata.sigmoid
// CHECK: %[[H2:.*]] = strata.sigmoid
// CHECK: %{{.*}}, %[[RNG1:.*]] = strata.bernoulli_sample %[[H1]], %arg0 :
// CHECK: %[[E1:.*]] = strata.mul %{{.*}} : (tensor<f32>, tensor<f32>) -> tensor<f32>
// CHECK: %{{.*}}, %[[RNG2:.*]] = strata.bernoulli_sample %[[H2]], %[[RNG1]] :
// CHECK: %[[E2:.*]] = strata.mul %{{.*}} : (tensor<f32>, tensor<f32>) -> tensor<f32>
// CHECK: return %[[E1]], %[[E2]], %arg1, %[[H1]], %[[H1]], %[[H2]], %[[RNG2]], %{{.*}}, %{{.*}} :
