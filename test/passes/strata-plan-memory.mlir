// RUN: strata-opt %s --strata-plan-memory=report 2>%t.report | FileCheck %s
// RUN: FileCheck %s --check-prefix=REPORT < %t.report

// Three 4 KiB intermediates (1024 x f32): %a dies at the op that writes %c,
// so %c takes %a's place; %b overlaps both. Arena: 8 KiB of 12 naive.
// REPORT: memory plan @chain: 3 buffers, naive 12288 bytes, planned peak 8192 bytes (66.7%)
// CHECK-LABEL: func.func @chain
// CHECK-SAME: strata.arena_bytes = 8192 : i64, strata.naive_bytes = 12288 : i64
// CHECK:      %[[ARENA:.*]] = memref.alloc() {alignment = 64 : i64} : memref<8192xi8>
// CHECK-NOT:  memref.alloc()
// CHECK:      memref.view %[[ARENA]][%{{.*}}][] : memref<8192xi8> to memref<1024xf32>
// CHECK:      memref.view %[[ARENA]][%{{.*}}][] : memref<8192xi8> to memref<1024xf32>
// CHECK:      memref.view %[[ARENA]][%{{.*}}][] : memref<8192xi8> to memref<1024xf32>
func.func @chain(%x: memref<1024xf32>, %out: memref<1024xf32>) {
  %a = memref.alloc() : memref<1024xf32>
  linalg.copy ins(%x : memref<1024xf32>) outs(%a : memref<1024xf32>)
  %b = memref.alloc() : memref<1024xf32>
  linalg.copy ins(%a : memref<1024xf32>) outs(%b : memref<1024xf32>)
  %c = memref.alloc() : memref<1024xf32>
  linalg.copy ins(%b : memref<1024xf32>) outs(%c : memref<1024xf32>)
  linalg.copy ins(%c : memref<1024xf32>) outs(%out : memref<1024xf32>)
  return
}

// A buffer used through a view lives until the view's last use; one that is
// returned is not planned.
// CHECK-LABEL: func.func @views
// CHECK-SAME: strata.arena_bytes = 8192 : i64, strata.naive_bytes = 8192 : i64
// CHECK:      %[[KEPT:.*]] = memref.alloc() : memref<4xf32>
// CHECK:      return %[[KEPT]]
func.func @views(%x: memref<1024xf32>, %out: memref<1024xf32>) -> memref<4xf32> {
  %a = memref.alloc() : memref<1024xf32>
  %v = memref.subview %a[0] [512] [1] : memref<1024xf32> to memref<512xf32, strided<[1]>>
  %b = memref.alloc() : memref<1024xf32>
  linalg.copy ins(%x : memref<1024xf32>) outs(%b : memref<1024xf32>)
  %bv = memref.subview %b[0] [512] [1] : memref<1024xf32> to memref<512xf32, strided<[1]>>
  linalg.copy ins(%bv : memref<512xf32, strided<[1]>>) outs(%v : memref<512xf32, strided<[1]>>)
  linalg.copy ins(%a : memref<1024xf32>) outs(%out : memref<1024xf32>)
  %r = memref.alloc() : memref<4xf32>
  return %r : memref<4xf32>
}

// A library call takes buffer addresses: %x's address is taken before %y is
// allocated, but the call reads %x while it writes %y, so %x lives until the
// call and %y may not take its place.
// CHECK-LABEL: func.func @address_taken
// CHECK-SAME: strata.arena_bytes = 8192 : i64, strata.naive_bytes = 8192 : i64
// CHECK:      memref.view %{{.*}}[%[[X:c[0-9_a-z]*]]][] : memref<8192xi8> to memref<1024xf32>
// CHECK:      memref.view %{{.*}}[%[[Y:c[0-9_a-z]*]]][] : memref<8192xi8> to memref<1024xf32>
func.func private @library(i64, i64)
func.func @address_taken(%in: memref<1024xf32>, %out: memref<1024xf32>) {
  %x = memref.alloc() : memref<1024xf32>
  linalg.copy ins(%in : memref<1024xf32>) outs(%x : memref<1024xf32>)
  %px = memref.extract_aligned_pointer_as_index %x : memref<1024xf32> -> index
  %ix = arith.index_cast %px : index to i64
  %y = memref.alloc() : memref<1024xf32>
  %py = memref.extract_aligned_pointer_as_index %y : memref<1024xf32> -> index
  %iy = arith.index_cast %py : index to i64
  func.call @library(%ix, %iy) : (i64, i64) -> ()
  linalg.copy ins(%y : memref<1024xf32>) outs(%out : memref<1024xf32>)
  return
}
