// RUN: strata-opt %s | strata-opt | FileCheck %s
// Parameters, data inputs, constants, casts and the phase attribute.

// CHECK: strata.parameter @w : tensor<784x100xf32> {init = #strata.init<kind = uniform, low = -5.000000e-02, high = 5.000000e-02>}
strata.parameter @w : tensor<784x100xf32> {init = #strata.init<kind = uniform, low = -0.05, high = 0.05>}
// CHECK: strata.parameter @b : tensor<100xf32> {init = #strata.init<kind = constant, value = 0.000000e+00>, lr_scale = 2.000000e+00 : f64, wd_scale = 0.000000e+00 : f64}
strata.parameter @b : tensor<100xf32> {init = #strata.init<kind = constant, value = 0.0>, lr_scale = 2.0, wd_scale = 0.0}
// CHECK: strata.parameter @g : tensor<100x784xf32> {init = #strata.init<kind = gaussian, mean = 1.000000e+00, std = 2.000000e-01>}
strata.parameter @g : tensor<100x784xf32> {init = #strata.init<kind = gaussian, mean = 1.0, std = 0.2>}
// CHECK: init = #strata.init<kind = gaussian_sqrt_fan_in>
strata.parameter @g2 : tensor<10x10xf32> {init = #strata.init<kind = gaussian_sqrt_fan_in>}
// CHECK: init = #strata.init<kind = uniform_sqrt_fan_in>
strata.parameter @u2 : tensor<10x10xf32> {init = #strata.init<kind = uniform_sqrt_fan_in>}
// CHECK: init = #strata.init<kind = uniform_sqrt_fan_in_out, value = 2.000000e+00>
strata.parameter @u3 : tensor<10x10xf32> {init = #strata.init<kind = uniform_sqrt_fan_in_out, value = 2.0>}
// CHECK: strata.parameter @running_mean : tensor<100xf32> {init = #strata.init<kind = constant, value = 0.000000e+00>, trainable = false}
strata.parameter @running_mean : tensor<100xf32> {init = #strata.init<kind = constant, value = 0.0>, trainable = false}
// CHECK: strata.parameter @wt : tensor<784x100xf32> {init = #strata.init<kind = constant>, share_from = @w}
strata.parameter @wt : tensor<784x100xf32> {init = #strata.init<kind = constant>, share_from = @w}

// CHECK-LABEL: func @train
// CHECK-SAME: attributes {strata.phase = #strata.phase<train>}
func.func @train() -> (tensor<?x784xf32>, tensor<784x100xf32>) attributes {strata.phase = #strata.phase<train>} {
  // CHECK: %{{.*}}:2 = strata.data_input "data" : tensor<?x784xf32>, tensor<?xi32>
  %x, %y = strata.data_input "data" : tensor<?x784xf32>, tensor<?xi32>
  // CHECK: strata.param_value @w : tensor<784x100xf32>
  %w = strata.param_value @w : tensor<784x100xf32>
  return %x, %w : tensor<?x784xf32>, tensor<784x100xf32>
}

// CHECK-LABEL: func @phases
// CHECK: #strata.phase<test>
func.func @phases() attributes {strata.phase = #strata.phase<test>} { return }
func.func @p1() attributes {strata.phase = #strata.phase<val>} { return }
func.func @p2() attributes {strata.phase = #strata.phase<positive>} { return }
func.func @p3() attributes {strata.phase = #strata.phase<negative>} { return }
func.func @p4() attributes {strata.phase = #strata.phase<deploy>} { return }

// CHECK-LABEL: func @constants
func.func @constants() -> (tensor<2xf32>, tensor<2x2xi64>, tensor<2xi32>) {
  // CHECK: strata.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
  %0 = strata.constant dense<[1.0, 2.0]> : tensor<2xf32>
  // CHECK: strata.constant dense<{{\[\[}}1, 2], [3, 4]]> : tensor<2x2xi64>
  %1 = strata.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi64>
  // CHECK: strata.cast %{{.*}} : (tensor<2xf32>) -> tensor<2xi32>
  %2 = strata.cast %0 : (tensor<2xf32>) -> tensor<2xi32>
  return %0, %1, %2 : tensor<2xf32>, tensor<2x2xi64>, tensor<2xi32>
}

// CHECK-LABEL: func @bitcasts
func.func @bitcasts(%f: tensor<?x3xf32>, %h: tensor<2xbf16>, %b: tensor<4xi1>, %u: tensor<4xui8>) {
  // CHECK: strata.bitcast %{{.*}} {to = i32} : (tensor<?x3xf32>) -> tensor<?x3xi32>
  %0 = strata.bitcast %f {to = i32} : (tensor<?x3xf32>) -> tensor<?x3xi32>
  // CHECK: strata.bitcast %{{.*}} {to = f16} : (tensor<2xbf16>) -> tensor<2xf16>
  %1 = strata.bitcast %h {to = f16} : (tensor<2xbf16>) -> tensor<2xf16>
  // CHECK: strata.bitcast %{{.*}} {to = ui8} : (tensor<4xi1>) -> tensor<4xui8>
  %2 = strata.bitcast %b {to = ui8} : (tensor<4xi1>) -> tensor<4xui8>
  // CHECK: strata.bitcast %{{.*}} {to = i1} : (tensor<4xui8>) -> tensor<4xi1>
  %3 = strata.bitcast %u {to = i1} : (tensor<4xui8>) -> tensor<4xi1>
  return
}

// Small element types: float8 / float4 constants and casts, `saturate`.
// CHECK-LABEL: func @small_types
func.func @small_types(%x: tensor<2xf32>) -> (tensor<2xf8E4M3FN>, tensor<2xf8E5M2>, tensor<2xi4>, tensor<2xui4>, tensor<2xf4E2M1FN>, tensor<2xf8E4M3FNUZ>, tensor<2xf8E8M0FNU>, tensor<2xf8E8M0FNU>) {
  // CHECK: strata.cast %{{.*}} {saturate = true} : (tensor<2xf32>) -> tensor<2xf8E4M3FN>
  %0 = strata.cast %x {saturate = true} : (tensor<2xf32>) -> tensor<2xf8E4M3FN>
  // CHECK: strata.cast %{{.*}} : (tensor<2xf32>) -> tensor<2xf8E5M2>
  %1 = strata.cast %x {saturate = false} : (tensor<2xf32>) -> tensor<2xf8E5M2>
  // CHECK: strata.cast %{{.*}} : (tensor<2xf32>) -> tensor<2xi4>
  %2 = strata.cast %x : (tensor<2xf32>) -> tensor<2xi4>
  // CHECK: strata.constant dense<[1, 15]> : tensor<2xui4>
  %3 = strata.constant dense<[1, 15]> : tensor<2xui4>
  // CHECK: strata.constant dense<[5.000000e-01, -6.000000e+00]> : tensor<2xf4E2M1FN>
  %4 = strata.constant dense<[0.5, -6.0]> : tensor<2xf4E2M1FN>
  // CHECK: strata.cast %{{.*}} {saturate = true} : (tensor<2xf8E4M3FN>) -> tensor<2xf8E4M3FNUZ>
  %5 = strata.cast %0 {saturate = true} : (tensor<2xf8E4M3FN>) -> tensor<2xf8E4M3FNUZ>
  // CHECK: strata.cast %{{.*}} {round_mode = "down", saturate = true} : (tensor<2xf32>) -> tensor<2xf8E8M0FNU>
  %6 = strata.cast %x {round_mode = "down", saturate = true} : (tensor<2xf32>) -> tensor<2xf8E8M0FNU>
  // CHECK: strata.cast %{{.*}} : (tensor<2xf32>) -> tensor<2xf8E8M0FNU>
  %7 = strata.cast %x {round_mode = "up"} : (tensor<2xf32>) -> tensor<2xf8E8M0FNU>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<2xf8E4M3FN>, tensor<2xf8E5M2>, tensor<2xi4>, tensor<2xui4>, tensor<2xf4E2M1FN>, tensor<2xf8E4M3FNUZ>, tensor<2xf8E8M0FNU>, tensor<2xf8E8M0FNU>
}

// Provenance and partitioning attributes, job attributes on the module.
// CHECK-LABEL: func @annotated
// CHECK: strata.data_input "data" {strata.layer = "data", strata.partition_dim = 0 : i64, strata.source = {path = "train.bin"}}
func.func @annotated() -> tensor<4x2xf32> {
  %0 = strata.data_input "data" {strata.layer = "data", strata.partition_dim = 0 : i64, strata.source = {path = "train.bin"}} : tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}
module attributes {strata.job = {train_steps = 10 : i64}, strata.alg = {alg = "bp"}, strata.updater = {type = "sgd"}, strata.cluster = {}} {}
