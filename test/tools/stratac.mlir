// RUN: stratac %s | FileCheck %s
// RUN: stratac %s --emit=mlir -o %t.out.mlir && FileCheck %s < %t.out.mlir
// RUN: not stratac %t.unknown.pt 2>&1 | FileCheck %s --check-prefix=FORMAT
// RUN: not stratac %t.missing.conf 2>&1 | FileCheck %s --check-prefix=MISSING-CONF
// RUN: not stratac %t.missing.mlir 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not stratac %S/Inputs/invalid.mlir 2>&1 | FileCheck %s --check-prefix=INVALID
// RUN: stratac --help | FileCheck %s --check-prefix=HELP

// stratac infers shapes and canonicalizes.
// CHECK-LABEL: func @main
// CHECK-SAME: -> tensor<4x3xf32>
// CHECK: strata.add {{.*}} -> tensor<4x3xf32>
func.func @main(%a: tensor<4x3xf32>, %b: tensor<3xf32>) -> tensor<?x?xf32> {
  %0 = strata.add %a, %b : (tensor<4x3xf32>, tensor<3xf32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// FORMAT: stratac: {{.*}}.unknown.pt: unsupported model format '.pt' (expected .conf, .onnx or .mlir)
// MISSING-CONF: {{.*}}.missing.conf: error: cannot read: No such file or directory
// MISSING: stratac: cannot open input file '{{.*}}.missing.mlir'
// INVALID: invalid.mlir:4:8: error: 'strata.add' operand shapes 2 and 3 do not broadcast
// HELP: --emit=<value>
// HELP: -o <file>
