// RUN: strata-reference %s --batch 3 --function main | FileCheck %s
// RUN: not strata-reference %s --function nothing 2>&1 | FileCheck %s --check-prefix=NOFN
// RUN: not strata-reference %t.missing 2>&1 | FileCheck %s --check-prefix=NOFILE

// The constant parameter makes the result exact: x * 0 + 2.5.
// CHECK: @main: 1 result(s)
// CHECK-NEXT: #0 tensor<3x2xf32> [2.5, 2.5, 2.5, 2.5, 2.5, 2.5]  sum 15
// NOFN: strata-reference: {{.*}}strata-reference.mlir: no function @nothing
// NOFILE: strata-reference: cannot open input file '{{.*}}.missing'

strata.parameter @b : tensor<2xf32> {init = #strata.init<kind = constant, value = 2.5>}
func.func @main(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %z = strata.constant dense<0.0> : tensor<2xf32>
  %0 = strata.mul %x, %z : (tensor<?x2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  %b = strata.param_value @b : tensor<2xf32>
  %1 = strata.add %0, %b : (tensor<?x2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  return %1 : tensor<?x2xf32>
}
