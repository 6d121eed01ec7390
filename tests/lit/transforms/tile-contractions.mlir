// RUN: needle-opt %s --needle-tile-contractions="tile-rows=4 tile-vectors=2" --split-input-file | FileCheck %s
// RUN: needle-opt %s --needle-tile-contractions --split-input-file | FileCheck %s --check-prefix=DEFAULT
// RUN: needle-opt %s --needle-tile-contractions="tile-rows=2 tile-vectors=1" --split-input-file | FileCheck %s --check-prefix=SMALL

// Blocks of 4 rows x 2 vectors: 8 accumulators loaded from C, carried by the
// k loop, stored after it; rows left over by the blocks run one at a time.
// CHECK-LABEL: func.func @matmul
// CHECK-SAME:    (%[[A:.*]]: memref<?x7xf32>, %[[B:.*]]: memref<7x20xf32>, %[[C:.*]]: memref<?x20xf32>)
// CHECK-DAG:     %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG:     %[[C32:.*]] = arith.constant 32 : index
// CHECK:         %[[M:.*]] = memref.dim %[[A]]
// CHECK:         %[[REM:.*]] = arith.remui %[[M]], %[[C4]]
// CHECK:         %[[FULL:.*]] = arith.subi %[[M]], %[[REM]]
// CHECK:         scf.for %[[I:[a-z0-9_]+]] = %{{.*}} to %[[FULL]] step %[[C4]]
// CHECK:           scf.for %[[J:[a-z0-9_]+]] = %{{.*}} to %{{.*}} step %[[C32]]
// CHECK:             %[[MASK0:.*]] = vector.create_mask %{{.*}} : vector<16xi1>
// CHECK:             %[[MASK1:.*]] = vector.create_mask %{{.*}} : vector<16xi1>
// CHECK-COUNT-8:     vector.maskedload %[[C]]
// CHECK:             %{{.*}}:8 = scf.for %[[K:[a-z0-9_]+]] = {{.*}} iter_args
// CHECK:               vector.maskedload %[[B]][%[[K]], %[[J]]], %[[MASK0]]
// CHECK:               vector.maskedload %[[B]][%[[K]], %{{.*}}], %[[MASK1]]
// CHECK:               memref.load %[[A]][%[[I]], %[[K]]]
// CHECK:               vector.broadcast
// CHECK:               arith.mulf
// CHECK:               arith.addf
// CHECK-COUNT-3:       memref.load %[[A]]
// CHECK:               scf.yield
// CHECK-COUNT-8:     vector.maskedstore %[[C]]
// CHECK:         scf.for %{{.*}} = %[[FULL]] to %[[M]] step %{{.*}}
// CHECK:           %{{.*}}:2 = scf.for
// CHECK-NOT:     linalg.matmul
// DEFAULT-LABEL: func.func @matmul
// DEFAULT:         arith.remui %{{.*}}, %c4
// DEFAULT:         scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// DEFAULT:         scf.for {{.*}} -> (vector<16xf32>) {
// SMALL-LABEL: func.func @matmul
// SMALL:         arith.remui %{{.*}}, %c2
// SMALL:         scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>)
// SMALL:         scf.for {{.*}} -> (vector<16xf32>) {
func.func @matmul(%a: memref<?x7xf32>, %b: memref<7x20xf32>, %c: memref<?x20xf32>) {
  linalg.matmul ins(%a, %b : memref<?x7xf32>, memref<7x20xf32>) outs(%c : memref<?x20xf32>)
  return
}

// -----

// The (i, k, j) generic of needle-contraction-loop-order, with the lhs read
// transposed, A(k, i): loads of A swap their indices.
// CHECK-LABEL: func.func @transposed_lhs
// CHECK-SAME:    (%[[A:.*]]: memref<?x13xf32>
// CHECK:         scf.for %[[I:[a-z0-9_]+]] =
// CHECK:           scf.for
// CHECK:             scf.for %[[K:[a-z0-9_]+]] =
// CHECK:               memref.load %[[A]][%[[K]], %[[I]]]
// CHECK-NOT:     linalg.generic
#lhs = affine_map<(i, k, j) -> (k, i)>
#rhs = affine_map<(i, k, j) -> (k, j)>
#out = affine_map<(i, k, j) -> (i, j)>
func.func @transposed_lhs(%a: memref<?x13xf32>, %b: memref<?x40xf32>, %c: memref<13x40xf32>) {
  linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "reduction", "parallel"]}
      ins(%a, %b : memref<?x13xf32>, memref<?x40xf32>) outs(%c : memref<13x40xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A rhs read along k (B(j, k)) has no contiguous column vectors: left alone.
// CHECK-LABEL: func.func @transposed_rhs
// CHECK:         linalg.generic
// CHECK-NOT:     vector.
#lhs = affine_map<(i, j, k) -> (i, k)>
#rhs = affine_map<(i, j, k) -> (j, k)>
#out = affine_map<(i, j, k) -> (i, j)>
func.func @transposed_rhs(%a: memref<4x8xf32>, %b: memref<5x8xf32>, %c: memref<4x5xf32>) {
  linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x8xf32>, memref<5x8xf32>) outs(%c : memref<4x5xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Other element types, tensors and batched contractions are left alone.
// CHECK-LABEL: func.func @left_alone
// CHECK:         linalg.matmul {{.*}} memref<3x5xf64>
// CHECK:         linalg.matmul {{.*}} tensor<4x5xf32>
// CHECK:         linalg.batch_matmul
// CHECK-NOT:     vector.
func.func @left_alone(%a: memref<3x4xf64>, %b: memref<4x5xf64>, %c: memref<3x5xf64>,
                      %ta: tensor<4x8xf32>, %tb: tensor<8x5xf32>, %tc: tensor<4x5xf32>,
                      %ba: memref<2x3x4xf32>, %bb: memref<2x4x5xf32>, %bc: memref<2x3x5xf32>) -> tensor<4x5xf32> {
  linalg.matmul ins(%a, %b : memref<3x4xf64>, memref<4x5xf64>) outs(%c : memref<3x5xf64>)
  %r = linalg.matmul ins(%ta, %tb : tensor<4x8xf32>, tensor<8x5xf32>) outs(%tc : tensor<4x5xf32>) -> tensor<4x5xf32>
  linalg.batch_matmul ins(%ba, %bb : memref<2x3x4xf32>, memref<2x4x5xf32>) outs(%bc : memref<2x3x5xf32>)
  return %r : tensor<4x5xf32>
}

// -----

// A strided result (a column slice of a wider buffer) has unit stride along
// j and is tiled; one whose rows are strided along j is not.
// CHECK-LABEL: func.func @strided
// CHECK:         scf.for
// CHECK:         linalg.matmul {{.*}} outs(%{{.*}} : memref<4x5xf32, strided<[1, 4]>>)
func.func @strided(%a: memref<4x8xf32>, %b: memref<8x5xf32>, %c: memref<4x5xf32, strided<[10, 1], offset: 2>>,
                   %d: memref<4x5xf32, strided<[1, 4]>>) {
  linalg.matmul ins(%a, %b : memref<4x8xf32>, memref<8x5xf32>) outs(%c : memref<4x5xf32, strided<[10, 1], offset: 2>>)
  linalg.matmul ins(%a, %b : memref<4x8xf32>, memref<8x5xf32>) outs(%d : memref<4x5xf32, strided<[1, 4]>>)
  return
}
