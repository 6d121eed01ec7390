// RUN: needle-opt %s --needle-fold-transpose-into-contraction --split-input-file | FileCheck %s

// x^T @ dy: the lhs is read as x(k, i); the transpose is gone.
// CHECK-DAG: #[[XT:.*]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-DAG: #[[DY:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @weight_gradient
// CHECK-SAME:    (%[[X:.*]]: tensor<?x784xf32>, %[[G:.*]]: tensor<?x100xf32>
// CHECK-NOT:     linalg.transpose
// CHECK:         linalg.generic {indexing_maps = [#[[XT]], #[[DY]], #[[OUT]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME:      ins(%[[X]], %[[G]] : tensor<?x784xf32>, tensor<?x100xf32>)
// CHECK:           arith.mulf
// CHECK:           arith.addf
func.func @weight_gradient(%x: tensor<?x784xf32>, %dy: tensor<?x100xf32>, %init: tensor<784x?xf32>,
                           %acc: tensor<784x100xf32>) -> tensor<784x100xf32> {
  %t = linalg.transpose ins(%x : tensor<?x784xf32>) outs(%init : tensor<784x?xf32>) permutation = [1, 0]
  %0 = linalg.matmul ins(%t, %dy : tensor<784x?xf32>, tensor<?x100xf32>) outs(%acc : tensor<784x100xf32>) -> tensor<784x100xf32>
  return %0 : tensor<784x100xf32>
}

// -----

// dy @ w^T: the rhs runs along the result's rows; its copy stays.
// CHECK-LABEL: func.func @input_gradient
// CHECK:         %[[T:.*]] = linalg.transpose
// CHECK:         linalg.matmul ins(%{{.*}}, %[[T]]
func.func @input_gradient(%dy: tensor<?x50xf32>, %w: tensor<100x50xf32>, %init: tensor<50x100xf32>,
                          %acc: tensor<?x100xf32>) -> tensor<?x100xf32> {
  %t = linalg.transpose ins(%w : tensor<100x50xf32>) outs(%init : tensor<50x100xf32>) permutation = [1, 0]
  %0 = linalg.matmul ins(%dy, %t : tensor<?x50xf32>, tensor<50x100xf32>) outs(%acc : tensor<?x100xf32>) -> tensor<?x100xf32>
  return %0 : tensor<?x100xf32>
}

// -----

// A generic contraction in (i, k, j) order with a 3-D transpose of its batch
// lhs: the composed map follows the permutation. The transpose has another
// use, so it stays for that one.
// CHECK-DAG: #[[LHS:.*]] = affine_map<(d0, d1, d2, d3) -> (d2, d0, d1)>
// CHECK-LABEL: func.func @batched_other_use
// CHECK-SAME:    (%[[A:[a-z0-9]+]]: tensor<3x2x4xf32>
// CHECK:         %[[T:.*]] = linalg.transpose
// CHECK:         linalg.generic {indexing_maps = [#[[LHS]],
// CHECK-SAME:      ins(%[[A]], %{{.*}} : tensor<3x2x4xf32>, tensor<2x3x5xf32>)
// CHECK:         return %{{.*}}, %[[T]]
#lhs = affine_map<(b, i, k, j) -> (b, i, k)>
#rhs = affine_map<(b, i, k, j) -> (b, k, j)>
#out = affine_map<(b, i, k, j) -> (b, i, j)>
func.func @batched_other_use(%a: tensor<3x2x4xf32>, %b: tensor<2x3x5xf32>, %init: tensor<2x4x3xf32>,
                             %acc: tensor<2x4x5xf32>) -> (tensor<2x4x5xf32>, tensor<2x4x3xf32>) {
  %t = linalg.transpose ins(%a : tensor<3x2x4xf32>) outs(%init : tensor<2x4x3xf32>) permutation = [1, 2, 0]
  %0 = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction", "parallel"]}
      ins(%t, %b : tensor<2x4x3xf32>, tensor<2x3x5xf32>) outs(%acc : tensor<2x4x5xf32>) {
  ^bb0(%x: f32, %y: f32, %s: f32):
    %p = arith.mulf %x, %y : f32
    %r = arith.addf %s, %p : f32
    linalg.yield %r : f32
  } -> tensor<2x4x5xf32>
  return %0, %t : tensor<2x4x5xf32>, tensor<2x4x3xf32>
}

// -----

// An element-wise consumer is not a contraction: left alone.
// CHECK-LABEL: func.func @elementwise
// CHECK:         linalg.transpose
// CHECK:         linalg.add
func.func @elementwise(%a: tensor<4x3xf32>, %b: tensor<3x4xf32>, %init: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %t = linalg.transpose ins(%a : tensor<4x3xf32>) outs(%init : tensor<3x4xf32>) permutation = [1, 0]
  %0 = linalg.add ins(%t, %b : tensor<3x4xf32>, tensor<3x4xf32>) outs(%init : tensor<3x4xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}
