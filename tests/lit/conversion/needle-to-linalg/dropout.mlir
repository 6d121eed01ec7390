// RUN: needle-opt %s --convert-needle-to-linalg --split-input-file | FileCheck %s

// One parallel generic per mask: the row-major index is the Philox counter's
// first word, the stream its second, the step its last two; the seed is the
// key. The word is compared with p * 2^32 (0.25 * 2^32 = 1073741824).
// CHECK-LABEL: func.func @mask
// CHECK-SAME:    (%[[X:.*]]: tensor<?x5xf32>, %[[SEED:.*]]: tensor<i64>, %[[STEP:.*]]: tensor<i64>)
// CHECK:         %[[N:.*]] = tensor.dim %[[X]], %c0
// CHECK:         %[[INIT:.*]] = tensor.empty(%[[N]]) : tensor<?x5xf32>
// CHECK:         linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "parallel"]
// CHECK-SAME:      ins(%[[SEED]], %[[STEP]] : tensor<i64>, tensor<i64>) outs(%[[INIT]] : tensor<?x5xf32>)
// CHECK-NEXT:    ^bb0(%[[K:.*]]: i64, %[[S:.*]]: i64, %{{.*}}: f32):
// CHECK:           linalg.index 0
// CHECK:           linalg.index 1
// CHECK:           %[[I:.*]] = arith.index_castui %{{.*}} : index to i32
// CHECK:           %[[STREAM:.*]] = arith.constant 3 : i32
// CHECK:           arith.trunci %[[S]] : i64 to i32
// CHECK:           arith.trunci %[[K]] : i64 to i32
// CHECK-COUNT-20:  arith.mului_extended
// CHECK:           %[[KEEP:.*]] = arith.cmpi uge, %{{.*}}, %c1073741824_i32
// CHECK:           %[[V:.*]] = arith.select %[[KEEP]], %cst{{.*}}, %cst{{.*}} : f32
// CHECK:           linalg.yield %[[V]] : f32
func.func @mask(%x: tensor<?x5xf32>, %seed: tensor<i64>, %step: tensor<i64>) -> tensor<?x5xf32> {
  %m = needle.dropout_mask %x, %seed, %step {p = 0.25, stream = 3} : tensor<?x5xf32>
  return %m : tensor<?x5xf32>
}

// -----

// The step counter's increment (arith on a rank-0 tensor) becomes a generic,
// so it bufferises.
// CHECK-LABEL: func.func @increment
// CHECK:         linalg.generic
// CHECK:           arith.addi %{{.*}}, %{{.*}} : i64
// CHECK-NOT:     arith.addi %{{.*}} : tensor<i64>
func.func @increment(%step: tensor<i64>) -> tensor<i64> {
  %one = arith.constant dense<1> : tensor<i64>
  %next = arith.addi %step, %one : tensor<i64>
  return %next : tensor<i64>
}
