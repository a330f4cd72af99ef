// The built-in example compiles, and its train phase evaluates to a loss near
// ln(10) (an untrained 10-class classifier) and an accuracy in [0, 1].
// RUN: stratac %strata_src/examples/models/fashion-mnist-mlp.mlir | FileCheck %s
// RUN: strata-reference %strata_src/examples/models/fashion-mnist-mlp.mlir --function train --batch 64 | FileCheck %s --check-prefix=EVAL

// CHECK: strata.inner_product {{.*}} -> tensor<?x256xf32>
// CHECK: func.func @train() -> (tensor<f32>, tensor<f32>) attributes {strata.phase = #strata.phase<train>}
// CHECK: func.func @test()
// EVAL: @train: 2 result(s)
// EVAL-NEXT: #0 tensor<f32> [2.{{[1-4]}}
// EVAL-NEXT: #1 tensor<f32> [0.{{[0-9]+}}]
