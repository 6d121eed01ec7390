// RUN: needle-opt %s --convert-needle-to-linalg --split-input-file | FileCheck %s
// RUN: needle-opt %s --convert-needle-to-linalg --split-input-file \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries" --convert-linalg-to-loops \
// RUN:   | FileCheck %s --check-prefix=BUF

// reshape with a dynamic batch: (?, 28, 28) -> (?, 784) is a collapse...
// CHECK-LABEL: func.func @reshape_collapse
// CHECK-SAME:    (%[[X:.*]]: tensor<?x28x28xf32>)
// CHECK:         %[[R:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0], [1, 2]] : tensor<?x28x28xf32> into tensor<?x784xf32>
// CHECK:         return %[[R]]
// BUF-LABEL: func.func @reshape_collapse
// BUF:         memref.collapse_shape
func.func @reshape_collapse(%x: tensor<?x28x28xf32>) -> tensor<?x784xf32> {
  %0 = needle.reshape %x [-1, 784] : tensor<?x28x28xf32> -> tensor<?x784xf32>
  return %0 : tensor<?x784xf32>
}

// -----

// ...and back an expand whose dynamic size is the batch.
// CHECK-LABEL: func.func @reshape_expand
// CHECK-SAME:    (%[[X:.*]]: tensor<?x784xf32>)
// CHECK:         %[[N:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x784xf32>
// CHECK:         %[[R:.*]] = tensor.expand_shape %[[X]] {{\[}}[0], [1, 2]] output_shape [%[[N]], 28, 28] : tensor<?x784xf32> into tensor<?x28x28xf32>
// CHECK:         return %[[R]]
func.func @reshape_expand(%x: tensor<?x784xf32>) -> tensor<?x28x28xf32> {
  %0 = needle.reshape %x [-1, 28, 28] : tensor<?x784xf32> -> tensor<?x28x28xf32>
  return %0 : tensor<?x28x28xf32>
}

// -----

// No grouping of (?, 4) into (2, ?) is provable: collapse to a flat vector,
// then expand, the dynamic size being the element count / 2.
// CHECK-LABEL: func.func @reshape_through_flat
// CHECK-SAME:    (%[[X:.*]]: tensor<?x4xf32>)
// CHECK:         %[[FLAT:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1]] : tensor<?x4xf32> into tensor<?xf32>
// CHECK:         %[[COUNT:.*]] = tensor.dim %[[FLAT]]
// CHECK:         %[[C2:.*]] = arith.constant 2 : index
// CHECK:         %[[D:.*]] = arith.divui %[[COUNT]], %[[C2]] : index
// CHECK:         %[[R:.*]] = tensor.expand_shape %[[FLAT]] {{\[}}[0, 1]] output_shape [2, %[[D]]] : tensor<?xf32> into tensor<2x?xf32>
// CHECK:         return %[[R]]
func.func @reshape_through_flat(%x: tensor<?x4xf32>) -> tensor<2x?xf32> {
  %0 = needle.reshape %x [2, -1] : tensor<?x4xf32> -> tensor<2x?xf32>
  return %0 : tensor<2x?xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_static
// CHECK:         %[[FLAT:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0, 1]] : tensor<2x6xf32> into tensor<12xf32>
// CHECK:         tensor.expand_shape %[[FLAT]] {{\[}}[0, 1]] output_shape [3, 4] : tensor<12xf32> into tensor<3x4xf32>
func.func @reshape_static(%x: tensor<2x6xf32>) -> tensor<3x4xf32> {
  %0 = needle.reshape %x [3, 4] : tensor<2x6xf32> -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// A dynamic size whose group is all static is cast to its static size
// before the expand (expand_shape wants the product).
// CHECK-LABEL: func.func @reshape_refine
// CHECK-SAME:    (%[[X:.*]]: tensor<?xf32>)
// CHECK:         %[[C:.*]] = tensor.cast %[[X]] : tensor<?xf32> to tensor<8xf32>
// CHECK:         tensor.expand_shape %[[C]] {{\[}}[0, 1]] output_shape [2, 4] : tensor<8xf32> into tensor<2x4xf32>
func.func @reshape_refine(%x: tensor<?xf32>) -> tensor<2x4xf32> {
  %0 = needle.reshape %x [2, 4] : tensor<?xf32> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Unit dimensions join a neighbouring group.
// CHECK-LABEL: func.func @reshape_units
// CHECK:         tensor.expand_shape %{{.*}} {{\[}}[0, 1, 2]] output_shape [1, 4, 1] : tensor<4xf32> into tensor<1x4x1xf32>
// CHECK:         tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2, 3]] : tensor<1x4x1x3xf32> into tensor<4x3xf32>
func.func @reshape_units(%x: tensor<4xf32>, %y: tensor<1x4x1x3xf32>) -> (tensor<1x4x1xf32>, tensor<4x3xf32>) {
  %0 = needle.reshape %x [1, 4, 1] : tensor<4xf32> -> tensor<1x4x1xf32>
  %1 = needle.reshape %y [4, 3] : tensor<1x4x1x3xf32> -> tensor<4x3xf32>
  return %0, %1 : tensor<1x4x1xf32>, tensor<4x3xf32>
}

// -----

// Rank 0 to and from unit shapes: an empty reassociation (through a cast
// where the unit size is dynamic).
// CHECK-LABEL: func.func @reshape_rank0
// CHECK:         tensor.expand_shape %{{.*}} [] output_shape [1, 1] : tensor<f32> into tensor<1x1xf32>
// CHECK:         %[[UNITS:.*]] = tensor.cast %{{.*}} : tensor<?x1xf32> to tensor<1x1xf32>
// CHECK:         tensor.collapse_shape %[[UNITS]] [] : tensor<1x1xf32> into tensor<f32>
func.func @reshape_rank0(%s: tensor<f32>, %x: tensor<?x1xf32>) -> (tensor<1x1xf32>, tensor<f32>) {
  %0 = needle.reshape %s [1, 1] : tensor<f32> -> tensor<1x1xf32>
  %1 = needle.reshape %x [] : tensor<?x1xf32> -> tensor<f32>
  return %0, %1 : tensor<1x1xf32>, tensor<f32>
}

// -----

// broadcast_to: the stretched size-1 dimension reads index 0.
// CHECK-DAG: #[[STRETCH:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @broadcast
// CHECK-SAME:    (%[[B:.*]]: tensor<1x10xf32>, %[[N:.*]]: index)
// CHECK:         %[[INIT:.*]] = tensor.empty(%[[N]]) : tensor<?x10xf32>
// CHECK:         %[[R:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[STRETCH]], #[[ID]]]
// CHECK-SAME:      iterator_types = ["parallel", "parallel"]
// CHECK-SAME:      ins(%[[B]] : tensor<1x10xf32>) outs(%[[INIT]] : tensor<?x10xf32>)
// CHECK:         ^bb0(%[[IN:[a-z0-9_]+]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      linalg.yield %[[IN]]
// CHECK:         return %[[R]]
// BUF-LABEL: func.func @broadcast
// BUF:         memref.alloc
// BUF:         scf.for
func.func @broadcast(%b: tensor<1x10xf32>, %n: index) -> tensor<?x10xf32> {
  %0 = needle.broadcast_to %b [%n, 10] : tensor<1x10xf32> -> tensor<?x10xf32>
  return %0 : tensor<?x10xf32>
}

// -----

// A new leading dimension is dropped from the map, a stretched one reads 0.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @broadcast_new_dims
// CHECK:         linalg.generic
// CHECK-SAME:      indexing_maps = [#[[IN]], #[[ID]]]
func.func @broadcast_new_dims(%b: tensor<3x1xf32>, %n: index) -> tensor<?x3x5xf32> {
  %0 = needle.broadcast_to %b [%n, 3, 5] : tensor<3x1xf32> -> tensor<?x3x5xf32>
  return %0 : tensor<?x3x5xf32>
}

// -----

// CHECK-LABEL: func.func @transpose
// CHECK-SAME:    (%[[X:.*]]: tensor<?x3x4xf32>)
// CHECK:         %[[N:.*]] = tensor.dim %[[X]], %{{.*}}
// CHECK:         %[[INIT:.*]] = tensor.empty(%[[N]]) : tensor<?x4x3xf32>
// CHECK:         %[[R:.*]] = linalg.transpose ins(%[[X]] : tensor<?x3x4xf32>) outs(%[[INIT]] : tensor<?x4x3xf32>) permutation = [0, 2, 1]
// CHECK:         return %[[R]]
func.func @transpose(%x: tensor<?x3x4xf32>) -> tensor<?x4x3xf32> {
  %0 = needle.transpose %x [1, 2] : tensor<?x3x4xf32> -> tensor<?x4x3xf32>
  return %0 : tensor<?x4x3xf32>
}

// -----

// The batch becomes the last dimension: its size is read from the operand.
// CHECK-LABEL: func.func @transpose_batch
// CHECK-SAME:    (%[[X:.*]]: tensor<?x3xf32>)
// CHECK:         %[[N:.*]] = tensor.dim %[[X]], %{{.*}}
// CHECK:         %[[INIT:.*]] = tensor.empty(%[[N]]) : tensor<3x?xf32>
// CHECK:         linalg.transpose ins(%[[X]] : tensor<?x3xf32>) outs(%[[INIT]] : tensor<3x?xf32>) permutation = [1, 0]
func.func @transpose_batch(%x: tensor<?x3xf32>) -> tensor<3x?xf32> {
  %0 = needle.transpose %x [0, 1] : tensor<?x3xf32> -> tensor<3x?xf32>
  return %0 : tensor<3x?xf32>
}

// -----

// flip reads x at size - 1 - i on the flipped axis.
// CHECK-LABEL: func.func @flip
// CHECK-SAME:    (%[[X:.*]]: tensor<?x3xf32>)
// CHECK:         %[[N:.*]] = tensor.dim %[[X]], %{{.*}}
// CHECK:         %[[INIT:.*]] = tensor.empty(%[[N]])
// CHECK:         %[[LAST:.*]] = arith.subi %[[N]], %{{.*}} : index
// CHECK:         %[[R:.*]] = linalg.generic
// CHECK-SAME:      outs(%[[INIT]] : tensor<?x3xf32>)
// CHECK:           %[[I:.*]] = linalg.index 0 : index
// CHECK:           %[[REV:.*]] = arith.subi %[[LAST]], %[[I]] : index
// CHECK:           %[[J:.*]] = linalg.index 1 : index
// CHECK:           %[[E:.*]] = tensor.extract %[[X]][%[[REV]], %[[J]]]
// CHECK:           linalg.yield %[[E]]
// CHECK:         return %[[R]]
// BUF-LABEL: func.func @flip
// BUF:         memref.load
func.func @flip(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %0 = needle.flip %x [0] : tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

// -----

// stack: one rank-reducing insert_slice per input into a tensor.empty.
// CHECK-LABEL: func.func @stack
// CHECK-SAME:    (%[[A:.*]]: tensor<?x3xf32>, %[[B:.*]]: tensor<?x3xf32>)
// CHECK:         %[[INIT:.*]] = tensor.empty(%{{.*}}) : tensor<?x2x3xf32>
// CHECK:         %[[S0:.*]] = tensor.insert_slice %[[A]] into %[[INIT]][0, 0, 0] [%{{.*}}, 1, 3] [1, 1, 1] : tensor<?x3xf32> into tensor<?x2x3xf32>
// CHECK:         %[[S1:.*]] = tensor.insert_slice %[[B]] into %[[S0]][0, 1, 0] [%{{.*}}, 1, 3] [1, 1, 1] : tensor<?x3xf32> into tensor<?x2x3xf32>
// CHECK:         return %[[S1]]
// BUF-LABEL: func.func @stack
// BUF:         memref.subview
// BUF:         memref.copy
func.func @stack(%a: tensor<?x3xf32>, %b: tensor<?x3xf32>) -> tensor<?x2x3xf32> {
  %0 = needle.stack %a, %b axis 1 : tensor<?x3xf32>, tensor<?x3xf32> -> tensor<?x2x3xf32>
  return %0 : tensor<?x2x3xf32>
}

// -----

// split: one rank-reducing extract_slice per result.
// CHECK-LABEL: func.func @split
// CHECK-SAME:    (%[[X:.*]]: tensor<?x2x3xf32>)
// CHECK:         %[[N:.*]] = tensor.dim %[[X]], %{{.*}}
// CHECK:         %[[S0:.*]] = tensor.extract_slice %[[X]][0, 0, 0] [%[[N]], 1, 3] [1, 1, 1] : tensor<?x2x3xf32> to tensor<?x3xf32>
// CHECK:         %[[S1:.*]] = tensor.extract_slice %[[X]][0, 1, 0] [%[[N]], 1, 3] [1, 1, 1] : tensor<?x2x3xf32> to tensor<?x3xf32>
// CHECK:         return %[[S0]], %[[S1]]
func.func @split(%x: tensor<?x2x3xf32>) -> (tensor<?x3xf32>, tensor<?x3xf32>) {
  %0:2 = needle.split %x axis 1 : tensor<?x2x3xf32> -> tensor<?x3xf32>, tensor<?x3xf32>
  return %0#0, %0#1 : tensor<?x3xf32>, tensor<?x3xf32>
}
