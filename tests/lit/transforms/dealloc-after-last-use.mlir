// RUN: needle-opt %s --needle-dealloc-after-last-use --split-input-file | FileCheck %s

// Deallocs at the block's end move right after the last use of their
// buffer; two freed after the same use keep their order.
// CHECK-LABEL: func.func @chain
// CHECK:         %[[A:.*]] = memref.alloc
// CHECK:         linalg.fill {{.*}} outs(%[[A]]
// CHECK:         %[[B:.*]] = memref.alloc
// CHECK:         linalg.copy ins(%[[A]] {{.*}} outs(%[[B]]
// CHECK-NEXT:    memref.dealloc %[[A]]
// CHECK:         %[[C:.*]] = memref.alloc
// CHECK:         linalg.add ins(%[[B]], %[[B]] {{.*}} outs(%[[C]]
// CHECK-NEXT:    memref.dealloc %[[B]]
// CHECK:         linalg.copy ins(%[[C]] {{.*}} outs(%arg0
// CHECK-NEXT:    memref.dealloc %[[C]]
// CHECK-NEXT:    return
func.func @chain(%out: memref<8xf32>) {
  %cst = arith.constant 1.0 : f32
  %a = memref.alloc() : memref<8xf32>
  linalg.fill ins(%cst : f32) outs(%a : memref<8xf32>)
  %b = memref.alloc() : memref<8xf32>
  linalg.copy ins(%a : memref<8xf32>) outs(%b : memref<8xf32>)
  %c = memref.alloc() : memref<8xf32>
  linalg.add ins(%b, %b : memref<8xf32>, memref<8xf32>) outs(%c : memref<8xf32>)
  linalg.copy ins(%c : memref<8xf32>) outs(%out : memref<8xf32>)
  memref.dealloc %a : memref<8xf32>
  memref.dealloc %b : memref<8xf32>
  memref.dealloc %c : memref<8xf32>
  return
}

// -----

// A use through a view, or inside a region, keeps the buffer alive.
// CHECK-LABEL: func.func @views_and_regions
// CHECK:         %[[A:.*]] = memref.alloc
// CHECK:         %[[V:.*]] = memref.collapse_shape %[[A]]
// CHECK:         %[[B:.*]] = memref.alloc
// CHECK:         scf.for
// CHECK:           memref.load %[[B]]
// CHECK:         }
// CHECK-NEXT:    memref.dealloc %[[B]]
// CHECK:         linalg.copy ins(%[[V]]
// CHECK-NEXT:    memref.dealloc %[[A]]
func.func @views_and_regions(%out: memref<8xf32>, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %a = memref.alloc() : memref<2x4xf32>
  %v = memref.collapse_shape %a [[0, 1]] : memref<2x4xf32> into memref<8xf32>
  %b = memref.alloc() : memref<8xf32>
  %s = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> f32 {
    %x = memref.load %b[%c0] : memref<8xf32>
    %y = arith.addf %acc, %x : f32
    scf.yield %y : f32
  }
  linalg.copy ins(%v : memref<8xf32>) outs(%out : memref<8xf32>)
  memref.dealloc %a : memref<2x4xf32>
  memref.dealloc %b : memref<8xf32>
  return %s : f32
}

// -----

// A buffer that may escape through an op returning a memref keeps its
// dealloc; so does one not allocated in the block.
// CHECK-LABEL: func.func @escapes
// CHECK:         memref.alloc
// CHECK:         memref.load
// CHECK:         arith.select
// CHECK:         memref.store
// CHECK:         memref.dealloc %{{.*}} : memref<8xf32>
// CHECK-NEXT:    memref.dealloc %arg1
func.func @escapes(%other: memref<8xf32>, %arg: memref<8xf32>, %p: i1) {
  %c0 = arith.constant 0 : index
  %a = memref.alloc() : memref<8xf32>
  %x = memref.load %other[%c0] : memref<8xf32>
  %m = arith.select %p, %a, %other : memref<8xf32>
  memref.store %x, %m[%c0] : memref<8xf32>
  memref.dealloc %a : memref<8xf32>
  memref.dealloc %arg : memref<8xf32>
  return
}
