// RUN: needle-opt %s --needle-forward-copied-buffers --split-input-file | FileCheck %s

#id = affine_map<(d0, d1) -> (d0, d1)>

// An optimizer moment: the new value is computed element-wise from the old
// one into a temporary copied back at the end. It is computed in place.
// CHECK-LABEL: func.func @moment
// CHECK-SAME:    (%[[M:.*]]: memref<4x8xf32>, %[[G:.*]]: memref<4x8xf32>, %[[OUT:.*]]: memref<4x8xf32>)
// CHECK-NOT:     memref.alloc
// CHECK:         linalg.generic {{.*}} ins(%[[M]], %[[G]] : {{.*}}) outs(%[[M]] : memref<4x8xf32>)
// CHECK:         linalg.copy ins(%[[M]] : memref<4x8xf32>) outs(%[[OUT]]
// CHECK-NOT:     memref.copy
// CHECK-NOT:     memref.dealloc
func.func @moment(%m: memref<4x8xf32>, %g: memref<4x8xf32>, %out: memref<4x8xf32>) {
  %t = memref.alloc() : memref<4x8xf32>
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%m, %g : memref<4x8xf32>, memref<4x8xf32>) outs(%t : memref<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }
  linalg.copy ins(%t : memref<4x8xf32>) outs(%out : memref<4x8xf32>)
  memref.copy %t, %m : memref<4x8xf32> to memref<4x8xf32>
  memref.dealloc %t : memref<4x8xf32>
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// A weight whose temporary first holds the gradient: the old weight is read
// after that first write, so the copy stays.
// CHECK-LABEL: func.func @weight
// CHECK:         %[[T:.*]] = memref.alloc
// CHECK:         memref.copy %[[T]], %arg0
// CHECK:         memref.dealloc %[[T]]
func.func @weight(%w: memref<4x8xf32>, %g: memref<4x8xf32>) {
  %t = memref.alloc() : memref<4x8xf32>
  linalg.copy ins(%g : memref<4x8xf32>) outs(%t : memref<4x8xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%w : memref<4x8xf32>) outs(%t : memref<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.subf %a, %o : f32
    linalg.yield %s : f32
  }
  memref.copy %t, %w : memref<4x8xf32> to memref<4x8xf32>
  memref.dealloc %t : memref<4x8xf32>
  return
}

// -----

// The first write reads the destination at other elements (a matmul):
// computing in place would read values already overwritten.
// CHECK-LABEL: func.func @read_elsewhere
// CHECK:         memref.alloc
// CHECK:         memref.copy
func.func @read_elsewhere(%a: memref<8x8xf32>, %b: memref<8x8xf32>) {
  %t = memref.alloc() : memref<8x8xf32>
  linalg.matmul ins(%a, %b : memref<8x8xf32>, memref<8x8xf32>) outs(%t : memref<8x8xf32>)
  memref.copy %t, %a : memref<8x8xf32> to memref<8x8xf32>
  memref.dealloc %t : memref<8x8xf32>
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>

// Read through another map, through a view, or with the temporary read by a
// non-linalg op: the copies stay.
// CHECK-LABEL: func.func @not_forwarded
// CHECK-COUNT-3: memref.copy
func.func @not_forwarded(%x: memref<4x4xf32>, %y: memref<16xf32>, %z: memref<4x4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %t = memref.alloc() : memref<4x4xf32>
  linalg.generic {indexing_maps = [#tr, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<4x4xf32>) outs(%t : memref<4x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  }
  memref.copy %t, %x : memref<4x4xf32> to memref<4x4xf32>
  %v = memref.expand_shape %y [[0, 1]] output_shape [4, 4] : memref<16xf32> into memref<4x4xf32>
  %u = memref.alloc() : memref<16xf32>
  linalg.copy ins(%y : memref<16xf32>) outs(%u : memref<16xf32>)
  memref.copy %u, %y : memref<16xf32> to memref<16xf32>
  %s = memref.alloc() : memref<4x4xf32>
  linalg.copy ins(%v : memref<4x4xf32>) outs(%s : memref<4x4xf32>)
  %e = memref.load %s[%c0, %c0] : memref<4x4xf32>
  memref.copy %s, %z : memref<4x4xf32> to memref<4x4xf32>
  return %e : f32
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// A weight whose temporary first holds the gradient (weight decay and the
// moment read it), then the new weight, computed without reading the
// temporary: that last write goes to the weight, and the copy goes.
// CHECK-LABEL: func.func @last_write_in_place
// CHECK-SAME:    (%[[W:.*]]: memref<4x8xf32>, %[[G:.*]]: memref<4x8xf32>, %[[M:.*]]: memref<4x8xf32>)
// CHECK:         %[[T:.*]] = memref.alloc
// CHECK:         linalg.generic {{.*}} ins(%[[M]], %[[T]] : {{.*}}) outs(%[[M]] :
// CHECK-NEXT:    ^bb0
// CHECK:         linalg.generic {{.*}} ins(%[[W]], %[[M]] : {{.*}}) outs(%[[W]] :
// CHECK-NOT:     memref.copy
// CHECK:         memref.dealloc %[[T]]
func.func @last_write_in_place(%w: memref<4x8xf32>, %g: memref<4x8xf32>, %m: memref<4x8xf32>) {
  %t = memref.alloc() : memref<4x8xf32>
  linalg.copy ins(%g : memref<4x8xf32>) outs(%t : memref<4x8xf32>)
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%t, %w : memref<4x8xf32>, memref<4x8xf32>) outs(%t : memref<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%m, %t : memref<4x8xf32>, memref<4x8xf32>) outs(%m : memref<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%w, %m : memref<4x8xf32>, memref<4x8xf32>) outs(%t : memref<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.subf %a, %b : f32
    linalg.yield %s : f32
  }
  memref.copy %t, %w : memref<4x8xf32> to memref<4x8xf32>
  memref.dealloc %t : memref<4x8xf32>
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// The same last write stays in the temporary when the weight is read between
// it and the copy, or when the temporary is read after the copy.
// CHECK-LABEL: func.func @read_between
// CHECK:         memref.copy
// CHECK-LABEL: func.func @read_after
// CHECK:         memref.copy
func.func @read_between(%w: memref<4x8xf32>, %g: memref<4x8xf32>, %out: memref<4x8xf32>) {
  %t = memref.alloc() : memref<4x8xf32>
  linalg.copy ins(%g : memref<4x8xf32>) outs(%t : memref<4x8xf32>)
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%w, %g : memref<4x8xf32>, memref<4x8xf32>) outs(%t : memref<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.subf %a, %b : f32
    linalg.yield %s : f32
  }
  linalg.copy ins(%w : memref<4x8xf32>) outs(%out : memref<4x8xf32>)
  memref.copy %t, %w : memref<4x8xf32> to memref<4x8xf32>
  memref.dealloc %t : memref<4x8xf32>
  return
}
func.func @read_after(%w: memref<4x8xf32>, %g: memref<4x8xf32>, %out: memref<4x8xf32>) {
  %t = memref.alloc() : memref<4x8xf32>
  linalg.copy ins(%g : memref<4x8xf32>) outs(%t : memref<4x8xf32>)
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%w, %g : memref<4x8xf32>, memref<4x8xf32>) outs(%t : memref<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.subf %a, %b : f32
    linalg.yield %s : f32
  }
  memref.copy %t, %w : memref<4x8xf32> to memref<4x8xf32>
  linalg.copy ins(%t : memref<4x8xf32>) outs(%out : memref<4x8xf32>)
  memref.dealloc %t : memref<4x8xf32>
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// A view of the temporary, made before its last write and written through
// after it: the write goes through the view, so the last write stays put.
// CHECK-LABEL: func.func @viewed_temporary
// CHECK:         memref.copy
func.func @viewed_temporary(%w: memref<4x8xf32>, %g: memref<4x8xf32>) {
  %cst = arith.constant 0.0 : f32
  %t = memref.alloc() : memref<4x8xf32>
  %row = memref.subview %t[0, 0] [1, 8] [1, 1] : memref<4x8xf32> to memref<8xf32, strided<[1]>>
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%w, %g : memref<4x8xf32>, memref<4x8xf32>) outs(%t : memref<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.subf %a, %b : f32
    linalg.yield %s : f32
  }
  linalg.fill ins(%cst : f32) outs(%row : memref<8xf32, strided<[1]>>)
  memref.copy %t, %w : memref<4x8xf32> to memref<4x8xf32>
  memref.dealloc %t : memref<4x8xf32>
  return
}
