// RUN: strata-opt %s --strata-infer-shapes | FileCheck %s

// Draws take their input's type; the state keeps its own.
// CHECK-LABEL: func @refine
func.func @refine(%p: tensor<4x5xf32>, %d: tensor<?x5xf32>, %rng: tensor<2xi64>) {
  // CHECK: strata.bernoulli_sample {{.*}} -> (tensor<4x5xf32>, tensor<2xi64>)
  %s, %r1 = strata.bernoulli_sample %p, %rng : (tensor<4x5xf32>, tensor<2xi64>) -> (tensor<?x?xf32>, tensor<?xi64>)
  // CHECK: strata.gaussian_sample {{.*}} -> (tensor<4x5xf32>, tensor<2xi64>)
  %g, %r2 = strata.gaussian_sample %s, %r1 : (tensor<?x?xf32>, tensor<?xi64>) -> (tensor<?x?xf32>, tensor<?xi64>)
  // CHECK: strata.random_uniform {{.*}} -> (tensor<4x5xf32>, tensor<2xi64>)
  %u, %r3 = strata.random_uniform %p, %r2 : (tensor<4x5xf32>, tensor<?xi64>) -> (tensor<?x5xf32>, tensor<?xi64>)
  // CHECK: strata.random_normal {{.*}} -> (tensor<4x5xf32>, tensor<2xi64>)
  %n, %r4 = strata.random_normal %p, %r3 : (tensor<4x5xf32>, tensor<?xi64>) -> (tensor<4x?xf32>, tensor<?xi64>)
  // A dynamic batch stays dynamic.
  // CHECK: strata.dropout {{.*}} -> (tensor<?x5xf32>, tensor<?x5xi1>, tensor<2xi64>)
  %y, %m, %r5 = strata.dropout %d, %r4 : (tensor<?x5xf32>, tensor<?xi64>) -> (tensor<?x?xf32>, tensor<?x?xi1>, tensor<?xi64>)
  return
}

// A state of unknown size is not given one.
// CHECK-LABEL: func @dynamic_state
func.func @dynamic_state(%p: tensor<3xf32>, %rng: tensor<?xi64>) {
  // CHECK: strata.bernoulli_sample {{.*}} -> (tensor<3xf32>, tensor<?xi64>)
  %s, %r = strata.bernoulli_sample %p, %rng : (tensor<3xf32>, tensor<?xi64>) -> (tensor<?xf32>, tensor<?xi64>)
  return
}
