// RUN: strata-opt %s | strata-opt | FileCheck %s
// Round trip of every random op, with default and explicit attributes.

// CHECK-LABEL: func @samples
func.func @samples(%p: tensor<?x5xf32>, %rng: tensor<2xi64>) {
  // CHECK: %{{.*}}, %[[S1:.*]] = strata.bernoulli_sample %{{.*}}, %{{.*}} : (tensor<?x5xf32>, tensor<2xi64>) -> (tensor<?x5xf32>, tensor<2xi64>)
  %s, %rng1 = strata.bernoulli_sample %p, %rng : (tensor<?x5xf32>, tensor<2xi64>) -> (tensor<?x5xf32>, tensor<2xi64>)
  // CHECK: strata.gaussian_sample %{{.*}}, %[[S1]] : (tensor<?x5xf32>, tensor<2xi64>) -> (tensor<?x5xf32>, tensor<2xi64>)
  %g, %rng2 = strata.gaussian_sample %p, %rng1 : (tensor<?x5xf32>, tensor<2xi64>) -> (tensor<?x5xf32>, tensor<2xi64>)
  // CHECK: strata.gaussian_sample %{{.*}}, %{{.*}} {std = 5.000000e-01 : f64}
  %g2, %rng3 = strata.gaussian_sample %p, %rng2 {std = 0.5} : (tensor<?x5xf32>, tensor<2xi64>) -> (tensor<?x5xf32>, tensor<2xi64>)
  return
}

// CHECK-LABEL: func @noise
func.func @noise(%like: tensor<3x4xf16>, %rng: tensor<?xi64>) {
  // CHECK: strata.random_uniform %{{.*}}, %{{.*}} : (tensor<3x4xf16>, tensor<?xi64>) -> (tensor<3x4xf16>, tensor<?xi64>)
  %u, %rng1 = strata.random_uniform %like, %rng : (tensor<3x4xf16>, tensor<?xi64>) -> (tensor<3x4xf16>, tensor<?xi64>)
  // CHECK: strata.random_uniform %{{.*}}, %{{.*}} {high = 2.000000e+00 : f64, low = -1.000000e+00 : f64}
  %u2, %rng2 = strata.random_uniform %like, %rng1 {low = -1.0, high = 2.0} : (tensor<3x4xf16>, tensor<?xi64>) -> (tensor<3x4xf16>, tensor<?xi64>)
  // CHECK: strata.random_normal %{{.*}}, %{{.*}} : (tensor<3x4xf16>, tensor<?xi64>) -> (tensor<3x4xf16>, tensor<?xi64>)
  %n, %rng3 = strata.random_normal %like, %rng2 : (tensor<3x4xf16>, tensor<?xi64>) -> (tensor<3x4xf16>, tensor<?xi64>)
  // CHECK: strata.random_normal %{{.*}}, %{{.*}} {mean = 1.000000e+00 : f64, std = 3.000000e+00 : f64}
  %n2, %rng4 = strata.random_normal %like, %rng3 {mean = 1.0, std = 3.0} : (tensor<3x4xf16>, tensor<?xi64>) -> (tensor<3x4xf16>, tensor<?xi64>)
  return
}

// CHECK-LABEL: func @dropout
func.func @dropout(%x: tensor<?x8xf32>, %rng: tensor<2xi64>) {
  // CHECK: strata.dropout %{{.*}}, %{{.*}} : (tensor<?x8xf32>, tensor<2xi64>) -> (tensor<?x8xf32>, tensor<?x8xi1>, tensor<2xi64>)
  %y, %mask, %rng1 = strata.dropout %x, %rng : (tensor<?x8xf32>, tensor<2xi64>) -> (tensor<?x8xf32>, tensor<?x8xi1>, tensor<2xi64>)
  // CHECK: strata.dropout %{{.*}}, %{{.*}} {ratio = 0.000000e+00 : f64}
  %y2, %mask2, %rng2 = strata.dropout %x, %rng1 {ratio = 0.0} : (tensor<?x8xf32>, tensor<2xi64>) -> (tensor<?x8xf32>, tensor<?x8xi1>, tensor<2xi64>)
  return
}
