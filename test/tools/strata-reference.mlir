// RUN: strata-reference %s --batch 3 --function main | FileCheck %s
// RUN: not strata-reference %s --function nothing 2>&1 | FileCheck %s --check-prefix=NOFN
// RUN: not strata-reference %t.missing 2>&1 | FileCheck %s --check-prefix=NOFILE
// RUN: strata-reference %s --function exact --exact | FileCheck %s --check-prefix=EXACT

// The constant parameter makes the result exact: x * 0 + 2.5.
// CHECK: @main: 1 result(s)
// CHECK-NEXT: #0 tensor<3x2xf32> [2.5, 2.5, 2.5, 2.5, 2.5, 2.5]  sum 15
// NOFN: strata-reference: {{.*}}strata-reference.mlir: no function @nothing
// NOFILE: strata-reference: cannot open input file '{{.*}}.missing'

// --exact: sums to 17 digits (f32 0.1 is 0.100000001490116119384765625, so
// two of them sum to 0.2000000029802322387...; f64 0.1 + 0.1 is
// 0.2000000000000000111...), and a digest that is equal for equal results
// and differs when the dtype and bits differ.
// EXACT: #0 tensor<2xf32> [0.1, 0.1]  sum 0.20000000298023224  digest [[D:0x[0-9a-f]{16}]]
// EXACT-NEXT: #1 tensor<2xf32> [0.1, 0.1]  sum 0.20000000298023224  digest [[D]]
// EXACT-NEXT: #2 tensor<2xf64> [0.1, 0.1]  sum 0.20000000000000001  digest
// EXACT-NOT: [[D]]

strata.parameter @b : tensor<2xf32> {init = #strata.init<kind = constant, value = 2.5>}
func.func @main(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %z = strata.constant dense<0.0> : tensor<2xf32>
  %0 = strata.mul %x, %z : (tensor<?x2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  %b = strata.param_value @b : tensor<2xf32>
  %1 = strata.add %0, %b : (tensor<?x2xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  return %1 : tensor<?x2xf32>
}

func.func @exact() -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf64>) {
  %a = strata.constant dense<0.1> : tensor<2xf32>
  %b = strata.constant dense<0.1> : tensor<2xf32>
  %c = strata.constant dense<0.1> : tensor<2xf64>
  return %a, %b, %c : tensor<2xf32>, tensor<2xf32>, tensor<2xf64>
}
