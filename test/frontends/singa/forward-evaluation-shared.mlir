// The three shared SINGA jobs compile unchanged, and the
// reference evaluator runs each phase's forward pass on random inputs with
// the expected result shapes.

// RUN: stratac %shared/singa-confs/mnist-mlp.conf -o %t.mlp.mlir
// RUN: strata-reference %t.mlp.mlir --function train | FileCheck %s --check-prefix=MLP
// RUN: strata-reference %t.mlp.mlir --function test | FileCheck %s --check-prefix=MLP-TEST
// MLP: @train: 2 result(s)
// MLP-NEXT: #0 loss.loss tensor<f32>
// MLP-NEXT: #1 loss.accuracy tensor<f32>
// MLP-TEST: @test: 2 result(s)

// RUN: stratac %shared/singa-confs/cifar10-cnn.conf -o %t.cifar.mlir
// RUN: strata-reference %t.cifar.mlir --function train | FileCheck %s --check-prefix=CIFAR
// CIFAR: @train: 2 result(s)
// CIFAR-NEXT: #0 loss.loss tensor<f32> [2.30
// CIFAR-NEXT: #1 loss.accuracy tensor<f32>

// RUN: stratac %shared/singa-confs/char-rnn-gru.conf -o %t.charrnn.mlir
// RUN: strata-reference %t.charrnn.mlir --function train --show 1 | FileCheck %s --check-prefix=CHARRNN
// 50 unrolled steps: a loss and an accuracy per step.
// CHARRNN: @train: 100 result(s)
// CHARRNN-NEXT: #0 loss[0].loss tensor<f32>
// CHARRNN: #49 loss[49].loss tensor<f32>
// CHARRNN-NEXT: #50 loss[0].accuracy tensor<f32>

