// RUN: needle-opt %s --convert-needle-to-linalg --split-input-file | FileCheck %s
// RUN: needle-opt %s --convert-needle-to-linalg --split-input-file \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries" --convert-linalg-to-loops \
// RUN:   | FileCheck %s --check-prefix=BUF

// Kept dimensions are the outer parallel loops, reduced ones the inner
// reduction loops; the accumulator is a zero-filled tensor of the result shape
// (reduced axes removed), sized from the operand's batch.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2) -> (d0, d2, d1)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @sum_axis
// CHECK-SAME:    (%[[X:.*]]: tensor<?x3x4xf32>)
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[N:.*]] = tensor.dim %[[X]], %{{.*}}
// CHECK:         %[[EMPTY:.*]] = tensor.empty(%[[N]]) : tensor<?x4xf32>
// CHECK:         %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<?x4xf32>)
// CHECK:         %[[R:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[IN]], #[[OUT]]]
// CHECK-SAME:      iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME:      ins(%[[X]] : tensor<?x3x4xf32>) outs(%[[INIT]] : tensor<?x4xf32>)
// CHECK:         ^bb0(%[[E:[a-z0-9_]+]]: f32, %[[ACC:[a-z0-9_]+]]: f32):
// CHECK-NEXT:      %[[S:.*]] = arith.addf %[[E]], %[[ACC]] : f32
// CHECK-NEXT:      linalg.yield %[[S]]
// CHECK:         return %[[R]]
// BUF-LABEL: func.func @sum_axis
// BUF-NOT:     linalg.generic
// BUF:         scf.for
// BUF:           scf.for
// BUF:             scf.for
// BUF:               arith.addf
func.func @sum_axis(%x: tensor<?x3x4xf32>) -> tensor<?x4xf32> {
  %0 = needle.summation %x axes [1] : tensor<?x3x4xf32> -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// No axes: every axis, into a rank-0 tensor.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @sum_all
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f64
// CHECK:         %[[EMPTY:.*]] = tensor.empty() : tensor<f64>
// CHECK:         %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f64) outs(%[[EMPTY]] : tensor<f64>)
// CHECK:         linalg.generic
// CHECK-SAME:      indexing_maps = [#[[IN]], #[[OUT]]]
// CHECK-SAME:      iterator_types = ["reduction", "reduction"]
// CHECK-SAME:      outs(%[[INIT]] : tensor<f64>)
// CHECK:           arith.addf %{{.*}}, %{{.*}} : f64
func.func @sum_all(%x: tensor<?x3xf64>) -> tensor<f64> {
  %0 = needle.summation %x : tensor<?x3xf64> -> tensor<f64>
  return %0 : tensor<f64>
}

// -----

// logsumexp = shift + log(sum(exp(x - shift))), shift = max where finite,
// else 0 (an all -inf row gives log(0) = -inf, not NaN): a max reduction from
// -inf, a sum reduction reading the max per row, and an element-wise finish.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @logsumexp
// CHECK-SAME:    (%[[X:.*]]: tensor<?x10xf32>)
// CHECK:         %[[N:.*]] = tensor.dim %[[X]], %{{.*}}
// CHECK:         %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[E0:.*]] = tensor.empty(%[[N]]) : tensor<?xf32>
// CHECK:         %[[MAXINIT:.*]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%[[E0]] : tensor<?xf32>)
// CHECK:         %[[MAX:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[IN]], #[[ROW]]]
// CHECK-SAME:      iterator_types = ["parallel", "reduction"]
// CHECK-SAME:      ins(%[[X]] : tensor<?x10xf32>) outs(%[[MAXINIT]] : tensor<?xf32>)
// CHECK:           arith.maximumf
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[E1:.*]] = tensor.empty(%[[N]]) : tensor<?xf32>
// CHECK:         %[[SUMINIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E1]] : tensor<?xf32>)
// CHECK:         %[[SUM:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[IN]], #[[ROW]], #[[ROW]]]
// CHECK-SAME:      iterator_types = ["parallel", "reduction"]
// CHECK-SAME:      ins(%[[X]], %[[MAX]] : tensor<?x10xf32>, tensor<?xf32>) outs(%[[SUMINIT]] : tensor<?xf32>)
// CHECK:         ^bb0(%[[XE:[a-z0-9_]+]]: f32, %[[M:[a-z0-9_]+]]: f32, %[[ACC:[a-z0-9_]+]]: f32):
// CHECK:           %[[INF:.*]] = arith.constant 0x7F800000 : f32
// CHECK:           %[[ABS:.*]] = math.absf %[[M]]
// CHECK:           %[[FINITE:.*]] = arith.cmpf olt, %[[ABS]], %[[INF]]
// CHECK:           %[[SHIFT:.*]] = arith.select %[[FINITE]], %[[M]], %{{.*}}
// CHECK:           %[[D:.*]] = arith.subf %[[XE]], %[[SHIFT]]
// CHECK:           %[[EXP:.*]] = math.exp %[[D]]
// CHECK:           arith.addf %[[ACC]], %[[EXP]]
// CHECK:         %[[R:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID1]], #[[ID1]], #[[ID1]]]
// CHECK-SAME:      ins(%[[MAX]], %[[SUM]] : tensor<?xf32>, tensor<?xf32>)
// CHECK:         ^bb0(%[[M2:[a-z0-9_]+]]: f32, %[[S2:[a-z0-9_]+]]: f32, %{{.*}}: f32):
// CHECK:           %[[SHIFT2:.*]] = arith.select %{{.*}}, %[[M2]], %{{.*}}
// CHECK:           %[[LOG:.*]] = math.log %[[S2]]
// CHECK:           %[[RES:.*]] = arith.addf %[[SHIFT2]], %[[LOG]]
// CHECK:           linalg.yield %[[RES]]
// CHECK:         return %[[R]]
// BUF-LABEL: func.func @logsumexp
// BUF:         math.exp
// BUF:         math.log
func.func @logsumexp(%x: tensor<?x10xf32>) -> tensor<?xf32> {
  %0 = needle.logsumexp %x axes [1] : tensor<?x10xf32> -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// Several axes, not the leading ones.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2) -> (d1, d0, d2)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-LABEL: func.func @logsumexp_axes
// CHECK:         linalg.generic
// CHECK-SAME:      indexing_maps = [#[[IN]], #[[OUT]]]
// CHECK-SAME:      iterator_types = ["parallel", "reduction", "reduction"]
// CHECK:           arith.maximumf
// CHECK:         linalg.generic
// CHECK-SAME:      indexing_maps = [#[[IN]], #[[OUT]], #[[OUT]]]
// CHECK-SAME:      iterator_types = ["parallel", "reduction", "reduction"]
// CHECK:           math.exp
// CHECK:         linalg.generic
// CHECK:           math.log
// CHECK:         return %{{.*}} : tensor<3xf32>
func.func @logsumexp_axes(%x: tensor<?x3x4xf32>) -> tensor<3xf32> {
  %0 = needle.logsumexp %x axes [2, 0] : tensor<?x3x4xf32> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}
