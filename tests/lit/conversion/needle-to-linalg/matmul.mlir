// RUN: needle-opt %s --convert-needle-to-linalg --split-input-file | FileCheck %s
// RUN: needle-opt %s --convert-needle-to-linalg --split-input-file \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries" --convert-linalg-to-loops \
// RUN:   | FileCheck %s --check-prefix=BUF

// Rank 2 x rank 2: linalg.matmul on a zero-filled init sized (lhs rows, rhs
// columns).
// CHECK-LABEL: func.func @matmul
// CHECK-SAME:    (%[[A:.*]]: tensor<?x784xf32>, %[[B:.*]]: tensor<784x100xf32>)
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[N:.*]] = tensor.dim %[[A]], %{{.*}}
// CHECK:         %[[EMPTY:.*]] = tensor.empty(%[[N]]) : tensor<?x100xf32>
// CHECK:         %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<?x100xf32>)
// CHECK:         %[[R:.*]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<?x784xf32>, tensor<784x100xf32>) outs(%[[INIT]] : tensor<?x100xf32>)
// CHECK:         return %[[R]]
// BUF-LABEL: func.func @matmul
// BUF:         scf.for
// BUF:           scf.for
// BUF:             scf.for
// BUF:               arith.mulf
// BUF:               arith.addf
func.func @matmul(%a: tensor<?x784xf32>, %b: tensor<784x100xf32>) -> tensor<?x100xf32> {
  %0 = needle.matmul %a, %b : tensor<?x784xf32>, tensor<784x100xf32> -> tensor<?x100xf32>
  return %0 : tensor<?x100xf32>
}

// -----

// A batch times a matrix folds the batch into the rows: one matmul between
// a collapse and an expand, no copy of the matrix per batch element.
// CHECK-LABEL: func.func @matmul_rows
// CHECK-SAME:    (%[[A:.*]]: tensor<?x5x3xf32>, %[[B:.*]]: tensor<3x4xf32>)
// CHECK:         %[[FLAT:.*]] = tensor.collapse_shape %[[A]] {{\[}}[0, 1], [2]] : tensor<?x5x3xf32> into tensor<?x3xf32>
// CHECK:         %[[INIT:.*]] = linalg.fill {{.*}} -> tensor<?x4xf32>
// CHECK:         %[[P:.*]] = linalg.matmul ins(%[[FLAT]], %[[B]] : tensor<?x3xf32>, tensor<3x4xf32>) outs(%[[INIT]] : tensor<?x4xf32>)
// CHECK:         %[[N:.*]] = tensor.dim %[[A]], %{{.*}} : tensor<?x5x3xf32>
// CHECK:         %[[R:.*]] = tensor.expand_shape %[[P]] {{\[}}[0, 1], [2]] output_shape [%[[N]], 5, 4] : tensor<?x4xf32> into tensor<?x5x4xf32>
// CHECK:         return %[[R]]
func.func @matmul_rows(%a: tensor<?x5x3xf32>, %b: tensor<3x4xf32>) -> tensor<?x5x4xf32> {
  %0 = needle.matmul %a, %b : tensor<?x5x3xf32>, tensor<3x4xf32> -> tensor<?x5x4xf32>
  return %0 : tensor<?x5x4xf32>
}

// -----

// Equal batch shapes: linalg.batch_matmul (f64 kept).
// CHECK-LABEL: func.func @batch_matmul
// CHECK-SAME:    (%[[A:.*]]: tensor<?x5x3xf64>, %[[B:.*]]: tensor<?x3x4xf64>)
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK:         %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f64) outs(%{{.*}} : tensor<?x5x4xf64>)
// CHECK:         %[[R:.*]] = linalg.batch_matmul ins(%[[A]], %[[B]] : tensor<?x5x3xf64>, tensor<?x3x4xf64>) outs(%[[INIT]] : tensor<?x5x4xf64>)
// CHECK:         return %[[R]]
func.func @batch_matmul(%a: tensor<?x5x3xf64>, %b: tensor<?x3x4xf64>) -> tensor<?x5x4xf64> {
  %0 = needle.matmul %a, %b : tensor<?x5x3xf64>, tensor<?x3x4xf64> -> tensor<?x5x4xf64>
  return %0 : tensor<?x5x4xf64>
}

// -----

// Several equal batch dimensions are flattened into one for batch_matmul and
// expanded back.
// CHECK-LABEL: func.func @batch_matmul_4d
// CHECK-SAME:    (%[[A:.*]]: tensor<2x?x5x3xf32>, %[[B:.*]]: tensor<2x?x3x4xf32>)
// CHECK:         %[[D1:.*]] = tensor.dim %[[A]], %{{.*}} : tensor<2x?x5x3xf32>
// CHECK:         %[[FA:.*]] = tensor.collapse_shape %[[A]] {{\[}}[0, 1], [2], [3]] : tensor<2x?x5x3xf32> into tensor<?x5x3xf32>
// CHECK:         %[[FB:.*]] = tensor.collapse_shape %[[B]] {{\[}}[0, 1], [2], [3]] : tensor<2x?x3x4xf32> into tensor<?x3x4xf32>
// CHECK:         %[[P:.*]] = linalg.batch_matmul ins(%[[FA]], %[[FB]] : tensor<?x5x3xf32>, tensor<?x3x4xf32>)
// CHECK:         %[[R:.*]] = tensor.expand_shape %[[P]] {{\[}}[0, 1], [2], [3]] output_shape [2, %[[D1]], 5, 4] : tensor<?x5x4xf32> into tensor<2x?x5x4xf32>
// CHECK:         return %[[R]]
func.func @batch_matmul_4d(%a: tensor<2x?x5x3xf32>, %b: tensor<2x?x3x4xf32>) -> tensor<2x?x5x4xf32> {
  %0 = needle.matmul %a, %b : tensor<2x?x5x3xf32>, tensor<2x?x3x4xf32> -> tensor<2x?x5x4xf32>
  return %0 : tensor<2x?x5x4xf32>
}

// -----

// Batch dimensions that broadcast: one contraction generic, loops
// (batch..., m, n, k); the lhs' size-1 batch dimension reads index 0 and the
// rhs' missing leading dimension is dropped, so nothing is materialised at
// the broadcast shape.
// CHECK-DAG: #[[LHS:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, 0, d2, d4)>
// CHECK-DAG: #[[RHS:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d4, d3)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @matmul_broadcast
// CHECK-SAME:    (%[[A:.*]]: tensor<?x1x5x3xf32>, %[[B:.*]]: tensor<7x3x4xf32>)
// CHECK:         %[[N:.*]] = tensor.dim %[[A]], %{{.*}}
// CHECK:         %[[EMPTY:.*]] = tensor.empty(%[[N]]) : tensor<?x7x5x4xf32>
// CHECK:         %[[INIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[EMPTY]] : tensor<?x7x5x4xf32>)
// CHECK:         %[[R:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[LHS]], #[[RHS]], #[[OUT]]]
// CHECK-SAME:      iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]
// CHECK-SAME:      ins(%[[A]], %[[B]] : tensor<?x1x5x3xf32>, tensor<7x3x4xf32>) outs(%[[INIT]] : tensor<?x7x5x4xf32>)
// CHECK:         ^bb0(%[[X:[a-z0-9_]+]]: f32, %[[Y:[a-z0-9_]+]]: f32, %[[ACC:[a-z0-9_]+]]: f32):
// CHECK-NEXT:      %[[P:.*]] = arith.mulf %[[X]], %[[Y]]
// CHECK-NEXT:      %[[S:.*]] = arith.addf %[[ACC]], %[[P]]
// CHECK-NEXT:      linalg.yield %[[S]]
// CHECK:         return %[[R]]
// BUF-LABEL: func.func @matmul_broadcast
// BUF-NOT:     linalg.generic
// BUF:         return
func.func @matmul_broadcast(%a: tensor<?x1x5x3xf32>, %b: tensor<7x3x4xf32>) -> tensor<?x7x5x4xf32> {
  %0 = needle.matmul %a, %b : tensor<?x1x5x3xf32>, tensor<7x3x4xf32> -> tensor<?x7x5x4xf32>
  return %0 : tensor<?x7x5x4xf32>
}

// -----

// A matrix times a batch: the batch size comes from the rhs.
// CHECK-DAG: #[[LHS:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
// CHECK-DAG: #[[RHS:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @matmul_rhs_batch
// CHECK-SAME:    (%[[A:.*]]: tensor<5x3xf32>, %[[B:.*]]: tensor<?x3x4xf32>)
// CHECK:         %[[N:.*]] = tensor.dim %[[B]], %{{.*}}
// CHECK:         tensor.empty(%[[N]]) : tensor<?x5x4xf32>
// CHECK:         linalg.generic
// CHECK-SAME:      indexing_maps = [#[[LHS]], #[[RHS]], #[[OUT]]]
// CHECK-SAME:      iterator_types = ["parallel", "parallel", "parallel", "reduction"]
func.func @matmul_rhs_batch(%a: tensor<5x3xf32>, %b: tensor<?x3x4xf32>) -> tensor<?x5x4xf32> {
  %0 = needle.matmul %a, %b : tensor<5x3xf32>, tensor<?x3x4xf32> -> tensor<?x5x4xf32>
  return %0 : tensor<?x5x4xf32>
}
