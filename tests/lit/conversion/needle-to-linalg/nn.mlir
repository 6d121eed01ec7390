// RUN: needle-opt %s --convert-needle-to-linalg --split-input-file | FileCheck %s
// RUN: needle-opt %s --convert-needle-to-linalg --split-input-file \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries" --convert-linalg-to-loops \
// RUN:   | FileCheck %s --check-prefix=BUF

// one_hot compares the class index with the label (sign-extended to index)
// instead of indexing with it: a label outside [0, K) gives a zero row.
// CHECK-DAG: #[[LABEL:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @one_hot
// CHECK-SAME:    (%[[L:.*]]: tensor<?xi32>)
// CHECK:         %[[N:.*]] = tensor.dim %[[L]], %{{.*}}
// CHECK:         %[[INIT:.*]] = tensor.empty(%[[N]]) : tensor<?x10xf32>
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[R:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[LABEL]], #[[ID2]]]
// CHECK-SAME:      iterator_types = ["parallel", "parallel"]
// CHECK-SAME:      ins(%[[L]] : tensor<?xi32>) outs(%[[INIT]] : tensor<?x10xf32>)
// CHECK:         ^bb0(%[[LV:[a-z0-9_]+]]: i32, %{{.*}}: f32):
// CHECK:           %[[K:.*]] = linalg.index 1 : index
// CHECK:           %[[LI:.*]] = arith.index_cast %[[LV]] : i32 to index
// CHECK:           %[[HIT:.*]] = arith.cmpi eq, %[[LI]], %[[K]] : index
// CHECK:           %[[V:.*]] = arith.select %[[HIT]], %[[ONE]], %[[ZERO]] : f32
// CHECK:           linalg.yield %[[V]]
// CHECK:         return %[[R]]
// BUF-LABEL: func.func @one_hot
// BUF:         arith.select
func.func @one_hot(%l: tensor<?xi32>) -> tensor<?x10xf32> {
  %0 = needle.one_hot %l, 10 : tensor<?xi32> -> tensor<?x10xf32>
  return %0 : tensor<?x10xf32>
}

// -----

// Any label width and rank; i1 labels are the classes 0 and 1 (zero-extended).
// CHECK-DAG: #[[LABEL:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @one_hot_i1
// CHECK:         linalg.generic
// CHECK-SAME:      indexing_maps = [#[[LABEL]], #{{.*}}]
// CHECK:           linalg.index 2 : index
// CHECK:           arith.index_castui %{{.*}} : i1 to index
// CHECK:           arith.select %{{.*}}, %{{.*}}, %{{.*}} : f64
// CHECK:         } -> tensor<2x3x2xf64>
func.func @one_hot_i1(%l: tensor<2x3xi1>) -> tensor<2x3x2xf64> {
  %0 = needle.one_hot %l, 2 : tensor<2x3xi1> -> tensor<2x3x2xf64>
  return %0 : tensor<2x3x2xf64>
}

// -----

// Rank-0 labels give one row.
// CHECK-DAG: #[[LABEL:.*]] = affine_map<(d0) -> ()>
// CHECK-LABEL: func.func @one_hot_scalar
// CHECK:         linalg.generic
// CHECK-SAME:      indexing_maps = [#[[LABEL]], #{{.*}}]
// CHECK:           linalg.index 0 : index
// CHECK:         } -> tensor<4xf32>
func.func @one_hot_scalar(%l: tensor<i64>) -> tensor<4xf32> {
  %0 = needle.one_hot %l, 4 : tensor<i64> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// softmax_loss = sum over rows of (logsumexp(row) - row[label]) / N:
//  - row max (init -inf);
//  - one pass over (n, k): sum(exp(x - shift)) with shift = max where finite
//    (else 0, so -inf/+inf rows give no NaN), and the logit whose class index
//    equals the label (0 when none does, like sum(logits * one_hot));
//  - a reduction over the batch into a rank-0 tensor, then / N (tensor.dim).
// CHECK-DAG: #[[ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[TOTMAP:.*]] = affine_map<(d0) -> ()>
// CHECK-DAG: #[[SCALAR:.*]] = affine_map<() -> ()>
// CHECK-LABEL: func.func @softmax_loss
// CHECK-SAME:    (%[[Z:.*]]: tensor<?x10xf32>, %[[Y:.*]]: tensor<?xi64>)
// CHECK:         %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[MAXINIT:.*]] = linalg.fill ins(%[[NEGINF]] : f32)
// CHECK:         %[[MAX:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID2]], #[[ROW]]]
// CHECK-SAME:      iterator_types = ["parallel", "reduction"]
// CHECK-SAME:      ins(%[[Z]] : tensor<?x10xf32>) outs(%[[MAXINIT]] : tensor<?xf32>)
// CHECK:           arith.maximumf
// CHECK:         %[[ROWS:.*]]:2 = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID2]], #[[ROW]], #[[ROW]], #[[ROW]], #[[ROW]]]
// CHECK-SAME:      iterator_types = ["parallel", "reduction"]
// CHECK-SAME:      ins(%[[Z]], %[[MAX]], %[[Y]] : tensor<?x10xf32>, tensor<?xf32>, tensor<?xi64>)
// CHECK:         ^bb0(%[[ZV:[a-z0-9_]+]]: f32, %[[MV:[a-z0-9_]+]]: f32, %[[YV:[a-z0-9_]+]]: i64, %[[SACC:[a-z0-9_]+]]: f32, %[[PACC:[a-z0-9_]+]]: f32):
// CHECK:           %[[FINITE:.*]] = arith.cmpf olt
// CHECK:           %[[SHIFT:.*]] = arith.select %[[FINITE]], %[[MV]], %{{.*}} : f32
// CHECK:           %[[D:.*]] = arith.subf %[[ZV]], %[[SHIFT]]
// CHECK:           %[[E:.*]] = math.exp %[[D]]
// CHECK:           %[[K:.*]] = linalg.index 1 : index
// CHECK:           %[[YI:.*]] = arith.index_cast %[[YV]] : i64 to index
// CHECK:           %[[HIT:.*]] = arith.cmpi eq, %[[YI]], %[[K]]
// CHECK:           %[[PICK:.*]] = arith.select %[[HIT]], %[[ZV]], %{{.*}} : f32
// CHECK:           %[[S:.*]] = arith.addf %[[SACC]], %[[E]]
// CHECK:           %[[P:.*]] = arith.addf %[[PACC]], %[[PICK]]
// CHECK:           linalg.yield %[[S]], %[[P]]
// CHECK:         %[[TOTAL:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID1]], #[[ID1]], #[[ID1]], #[[TOTMAP]]]
// CHECK-SAME:      iterator_types = ["reduction"]
// CHECK-SAME:      ins(%[[MAX]], %[[ROWS]]#0, %[[ROWS]]#1 : tensor<?xf32>, tensor<?xf32>, tensor<?xf32>) outs(%{{.*}} : tensor<f32>)
// CHECK:         ^bb0(%[[M2:[a-z0-9_]+]]: f32, %[[S2:[a-z0-9_]+]]: f32, %[[P2:[a-z0-9_]+]]: f32, %[[ACC:[a-z0-9_]+]]: f32):
// CHECK:           %[[SHIFT2:.*]] = arith.select %{{.*}}, %[[M2]], %{{.*}} : f32
// CHECK:           %[[LOG:.*]] = math.log %[[S2]]
// CHECK:           %[[LSE:.*]] = arith.addf %[[SHIFT2]], %[[LOG]]
// CHECK:           %[[ROWLOSS:.*]] = arith.subf %[[LSE]], %[[P2]]
// CHECK:           arith.addf %[[ACC]], %[[ROWLOSS]]
// CHECK:         %[[NI:.*]] = tensor.dim %[[Z]], %{{.*}}
// CHECK:         %[[N64:.*]] = arith.index_castui %[[NI]] : index to i64
// CHECK:         %[[N:.*]] = arith.uitofp %[[N64]] : i64 to f32
// CHECK:         %[[LOSS:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[SCALAR]], #[[SCALAR]]]
// CHECK-SAME:      ins(%[[TOTAL]] : tensor<f32>)
// CHECK:         ^bb0(%[[T:[a-z0-9_]+]]: f32, %{{.*}}: f32):
// CHECK:           arith.divf %[[T]], %[[N]] : f32
// CHECK:         return %[[LOSS]] : tensor<f32>
// BUF-LABEL: func.func @softmax_loss
// BUF-NOT:     linalg.generic
// BUF:         math.log
func.func @softmax_loss(%z: tensor<?x10xf32>, %y: tensor<?xi64>) -> tensor<f32> {
  %0 = needle.softmax_loss %z, %y : tensor<?x10xf32>, tensor<?xi64> -> tensor<f32>
  return %0 : tensor<f32>
}
