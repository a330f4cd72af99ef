// Every example job compiles unchanged, and the
// reference evaluator runs each phase's forward pass on random inputs with
// the expected result shapes.

// RUN: stratac %strata_src/examples/singa/fashion-mnist-mlp.conf -o %t.fmlp.mlir
// RUN: strata-reference %t.fmlp.mlir --function train | FileCheck %s --check-prefix=FMLP
// FMLP: #0 loss.loss tensor<f32>
// FMLP-NEXT: #1 loss.accuracy tensor<f32>

// RUN: stratac %strata_src/examples/singa/fashion-mnist-cnn.conf -o %t.fcnn.mlir
// RUN: strata-reference %t.fcnn.mlir --function train | FileCheck %s --check-prefix=FCNN
// RUN: strata-reference %t.fcnn.mlir --function test | FileCheck %s --check-prefix=FCNN-TEST
// Dropout threads the random state through the train phase only.
// FCNN: @train: 3 result(s)
// FCNN: #2 rng tensor<2xi64>
// FCNN-TEST: @test: 2 result(s)

// RUN: stratac %strata_src/examples/singa/rbm.conf -o %t.rbm.mlir
// RUN: strata-reference %t.rbm.mlir --function train | FileCheck %s --check-prefix=RBM
// RBM: #0 RBMVis.visible tensor<100x784xf32>
// RBM-NEXT: #1 RBMHid.hidden tensor<100x500xf32>

// RUN: stratac %strata_src/examples/singa/autoencoder.conf -o %t.ae.mlir
// RUN: strata-reference %t.ae.mlir --function train | FileCheck %s --check-prefix=AE
// AE: #0 loss.loss tensor<f32>

// RUN: stratac %strata_src/examples/singa/char-rnn-gru.conf -o %t.gru.mlir
// RUN: strata-reference %t.gru.mlir --function train --show 1 | FileCheck %s --check-prefix=GRU
// GRU: @train: 40 result(s)

// RUN: stratac %strata_src/examples/singa/cnn-hybrid.conf -o %t.hybrid.mlir
// RUN: strata-reference %t.hybrid.mlir --function test | FileCheck %s --check-prefix=HYBRID
// HYBRID: #0 loss.loss tensor<f32>
