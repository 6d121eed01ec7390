// Round trip of every needle op, static and dynamic shapes, f32 and f64: the
// custom form prints and parses back to itself, and the generic form parses
// back to the same custom form.
//
// RUN: needle-opt %s --split-input-file | needle-opt --split-input-file | FileCheck %s
// RUN: needle-opt %s --split-input-file --mlir-print-op-generic | needle-opt --split-input-file | FileCheck %s
// RUN: needle-opt %s --split-input-file --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

// CHECK-LABEL: func.func @binary_static_f32
// CHECK-SAME:    (%[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<2x3xf32>)
// CHECK:         %[[ADD:.*]] = needle.add %[[A]], %[[B]] : tensor<2x3xf32>
// CHECK:         %[[MUL:.*]] = needle.mul %[[ADD]], %[[B]] : tensor<2x3xf32>
// CHECK:         %[[DIV:.*]] = needle.div %[[MUL]], %[[A]] : tensor<2x3xf32>
// CHECK:         %[[POW:.*]] = needle.pow %[[DIV]], %[[B]] : tensor<2x3xf32>
// CHECK:         return %[[POW]] : tensor<2x3xf32>
// GENERIC-LABEL: sym_name = "binary_static_f32"
// GENERIC:       "needle.add"(%{{.*}}, %{{.*}}) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
func.func @binary_static_f32(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = needle.add %a, %b : tensor<2x3xf32>
  %1 = needle.mul %0, %b : tensor<2x3xf32>
  %2 = needle.div %1, %a : tensor<2x3xf32>
  %3 = needle.pow %2, %b : tensor<2x3xf32>
  return %3 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @binary_dynamic_f64
// CHECK-SAME:    (%[[A:.*]]: tensor<?x3xf64>, %[[B:.*]]: tensor<?x3xf64>)
// CHECK:         %[[ADD:.*]] = needle.add %[[A]], %[[B]] : tensor<?x3xf64>
// CHECK:         %[[MUL:.*]] = needle.mul %[[ADD]], %[[B]] : tensor<?x3xf64>
// CHECK:         %[[DIV:.*]] = needle.div %[[MUL]], %[[A]] : tensor<?x3xf64>
// CHECK:         %[[POW:.*]] = needle.pow %[[DIV]], %[[B]] : tensor<?x3xf64>
// CHECK:         return %[[POW]] : tensor<?x3xf64>
func.func @binary_dynamic_f64(%a: tensor<?x3xf64>, %b: tensor<?x3xf64>) -> tensor<?x3xf64> {
  %0 = needle.add %a, %b : tensor<?x3xf64>
  %1 = needle.mul %0, %b : tensor<?x3xf64>
  %2 = needle.div %1, %a : tensor<?x3xf64>
  %3 = needle.pow %2, %b : tensor<?x3xf64>
  return %3 : tensor<?x3xf64>
}

// -----

// Operands of different (compatible) types print as a list; the result is
// static wherever either operand is.
// CHECK-LABEL: func.func @binary_mixed_shapes
// CHECK-SAME:    (%[[A:.*]]: tensor<?x3xf32>, %[[B:.*]]: tensor<2x?xf32>)
// CHECK:         %[[ADD:.*]] = needle.add %[[A]], %[[B]] : (tensor<?x3xf32>, tensor<2x?xf32>)
// CHECK:         %[[SUB:.*]] = needle.div %[[ADD]], %[[A]] : (tensor<2x3xf32>, tensor<?x3xf32>)
// CHECK:         return %[[SUB]] : tensor<2x3xf32>
// GENERIC-LABEL: sym_name = "binary_mixed_shapes"
// GENERIC:       "needle.add"(%{{.*}}, %{{.*}}) : (tensor<?x3xf32>, tensor<2x?xf32>) -> tensor<2x3xf32>
func.func @binary_mixed_shapes(%a: tensor<?x3xf32>, %b: tensor<2x?xf32>) -> tensor<2x3xf32> {
  %0 = needle.add %a, %b : (tensor<?x3xf32>, tensor<2x?xf32>)
  %1 = needle.div %0, %a : (tensor<2x3xf32>, tensor<?x3xf32>)
  return %1 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @binary_rank0
// CHECK:         needle.mul %{{.*}}, %{{.*}} : tensor<f32>
func.func @binary_rank0(%a: tensor<f32>) -> tensor<f32> {
  %0 = needle.mul %a, %a : tensor<f32>
  return %0 : tensor<f32>
}

// -----

// CHECK-LABEL: func.func @scalar_ops
// CHECK-SAME:    (%[[X:.*]]: tensor<4x5xf32>, %[[Y:.*]]: tensor<?x5xf64>)
// CHECK:         %[[A:.*]] = needle.add_scalar %[[X]], 2.500000e+00 : tensor<4x5xf32>
// CHECK:         %[[M:.*]] = needle.mul_scalar %[[A]], -1.000000e+00 : tensor<4x5xf32>
// CHECK:         %[[D:.*]] = needle.div_scalar %[[M]], 1.000000e-01 : tensor<4x5xf32>
// CHECK:         %[[P:.*]] = needle.power_scalar %[[D]], 3.000000e+00 : tensor<4x5xf32>
// CHECK:         %[[A2:.*]] = needle.add_scalar %[[Y]], -7.500000e-01 : tensor<?x5xf64>
// CHECK:         %[[M2:.*]] = needle.mul_scalar %[[A2]], 1.000000e+03 : tensor<?x5xf64>
// CHECK:         %[[D2:.*]] = needle.div_scalar %[[M2]], 2.000000e+00 : tensor<?x5xf64>
// CHECK:         %[[P2:.*]] = needle.power_scalar %[[D2]], 5.000000e-01 : tensor<?x5xf64>
// CHECK:         return %[[P]], %[[P2]]
// GENERIC-LABEL: sym_name = "scalar_ops"
// GENERIC:       "needle.add_scalar"(%{{.*}}) <{scalar = 2.500000e+00 : f64}> : (tensor<4x5xf32>) -> tensor<4x5xf32>
func.func @scalar_ops(%x: tensor<4x5xf32>, %y: tensor<?x5xf64>) -> (tensor<4x5xf32>, tensor<?x5xf64>) {
  %0 = needle.add_scalar %x, 2.5 : tensor<4x5xf32>
  %1 = needle.mul_scalar %0, -1.0 : tensor<4x5xf32>
  %2 = needle.div_scalar %1, 0.1 : tensor<4x5xf32>
  %3 = needle.power_scalar %2, 3.0 : tensor<4x5xf32>
  %4 = needle.add_scalar %y, -0.75 : tensor<?x5xf64>
  %5 = needle.mul_scalar %4, 1.0e3 : tensor<?x5xf64>
  %6 = needle.div_scalar %5, 2.0 : tensor<?x5xf64>
  %7 = needle.power_scalar %6, 0.5 : tensor<?x5xf64>
  return %3, %7 : tensor<4x5xf32>, tensor<?x5xf64>
}

// -----

// CHECK-LABEL: func.func @unary_ops
// CHECK-SAME:    (%[[X:.*]]: tensor<4x5xf32>, %[[Y:.*]]: tensor<?x?xf64>)
// CHECK:         %[[N:.*]] = needle.negate %[[X]] : tensor<4x5xf32>
// CHECK:         %[[E:.*]] = needle.exp %[[N]] : tensor<4x5xf32>
// CHECK:         %[[L:.*]] = needle.log %[[E]] : tensor<4x5xf32>
// CHECK:         %[[R:.*]] = needle.relu %[[L]] : tensor<4x5xf32>
// CHECK:         %[[T:.*]] = needle.tanh %[[R]] : tensor<4x5xf32>
// CHECK:         %[[S:.*]] = needle.sigmoid %[[T]] : tensor<4x5xf32>
// CHECK:         %[[N2:.*]] = needle.negate %[[Y]] : tensor<?x?xf64>
// CHECK:         %[[E2:.*]] = needle.exp %[[N2]] : tensor<?x?xf64>
// CHECK:         %[[L2:.*]] = needle.log %[[E2]] : tensor<?x?xf64>
// CHECK:         %[[R2:.*]] = needle.relu %[[L2]] : tensor<?x?xf64>
// CHECK:         %[[T2:.*]] = needle.tanh %[[R2]] : tensor<?x?xf64>
// CHECK:         %[[S2:.*]] = needle.sigmoid %[[T2]] : tensor<?x?xf64>
// CHECK:         return %[[S]], %[[S2]]
func.func @unary_ops(%x: tensor<4x5xf32>, %y: tensor<?x?xf64>) -> (tensor<4x5xf32>, tensor<?x?xf64>) {
  %0 = needle.negate %x : tensor<4x5xf32>
  %1 = needle.exp %0 : tensor<4x5xf32>
  %2 = needle.log %1 : tensor<4x5xf32>
  %3 = needle.relu %2 : tensor<4x5xf32>
  %4 = needle.tanh %3 : tensor<4x5xf32>
  %5 = needle.sigmoid %4 : tensor<4x5xf32>
  %6 = needle.negate %y : tensor<?x?xf64>
  %7 = needle.exp %6 : tensor<?x?xf64>
  %8 = needle.log %7 : tensor<?x?xf64>
  %9 = needle.relu %8 : tensor<?x?xf64>
  %10 = needle.tanh %9 : tensor<?x?xf64>
  %11 = needle.sigmoid %10 : tensor<?x?xf64>
  return %5, %11 : tensor<4x5xf32>, tensor<?x?xf64>
}

// -----

// CHECK-LABEL: func.func @reshape
// CHECK-SAME:    (%[[S:.*]]: tensor<2x28x28xf32>, %[[D:.*]]: tensor<?x28x28xf32>, %[[Z:.*]]: tensor<f64>)
// CHECK:         needle.reshape %[[S]] [-1, 784] : tensor<2x28x28xf32> -> tensor<2x784xf32>
// CHECK:         needle.reshape %[[S]] [56, 28] : tensor<2x28x28xf32> -> tensor<56x28xf32>
// CHECK:         needle.reshape %[[S]] [-1] : tensor<2x28x28xf32> -> tensor<1568xf32>
// CHECK:         needle.reshape %[[D]] [-1, 784] : tensor<?x28x28xf32> -> tensor<?x784xf32>
// CHECK:         needle.reshape %[[D]] [4, 14, 28] : tensor<?x28x28xf32> -> tensor<4x14x28xf32>
// CHECK:         %[[ONE:.*]] = needle.reshape %[[Z]] [1, 1] : tensor<f64> -> tensor<1x1xf64>
// CHECK:         needle.reshape %[[ONE]] [] : tensor<1x1xf64> -> tensor<f64>
// GENERIC-LABEL: sym_name = "reshape"
// GENERIC:       "needle.reshape"(%{{.*}}) <{shape = array<i64: -1, 784>}> : (tensor<2x28x28xf32>) -> tensor<2x784xf32>
func.func @reshape(%s: tensor<2x28x28xf32>, %d: tensor<?x28x28xf32>, %z: tensor<f64>) {
  %0 = needle.reshape %s [-1, 784] : tensor<2x28x28xf32> -> tensor<2x784xf32>
  %1 = needle.reshape %s [56, 28] : tensor<2x28x28xf32> -> tensor<56x28xf32>
  %2 = needle.reshape %s [-1] : tensor<2x28x28xf32> -> tensor<1568xf32>
  %3 = needle.reshape %d [-1, 784] : tensor<?x28x28xf32> -> tensor<?x784xf32>
  %4 = needle.reshape %d [4, 14, 28] : tensor<?x28x28xf32> -> tensor<4x14x28xf32>
  %5 = needle.reshape %z [1, 1] : tensor<f64> -> tensor<1x1xf64>
  %6 = needle.reshape %5 [] : tensor<1x1xf64> -> tensor<f64>
  return
}

// -----

// CHECK-LABEL: func.func @broadcast_to
// CHECK-SAME:    (%[[X:.*]]: tensor<1x10xf32>, %[[Y:.*]]: tensor<3xf64>, %[[N:.*]]: index, %[[M:.*]]: index)
// CHECK:         needle.broadcast_to %[[X]] [4, 10] : tensor<1x10xf32> -> tensor<4x10xf32>
// CHECK:         needle.broadcast_to %[[X]] [%[[N]], 10] : tensor<1x10xf32> -> tensor<?x10xf32>
// CHECK:         needle.broadcast_to %[[X]] [2, 5, 10] : tensor<1x10xf32> -> tensor<2x5x10xf32>
// CHECK:         needle.broadcast_to %[[Y]] [%[[N]], %[[M]], 3] : tensor<3xf64> -> tensor<?x?x3xf64>
// CHECK:         needle.broadcast_to %[[Y]] [3] : tensor<3xf64> -> tensor<3xf64>
// GENERIC-LABEL: sym_name = "broadcast_to"
// GENERIC:       "needle.broadcast_to"(%{{.*}}, %{{.*}}) <{static_shape = array<i64: -9223372036854775808, 10>}> : (tensor<1x10xf32>, index) -> tensor<?x10xf32>
func.func @broadcast_to(%x: tensor<1x10xf32>, %y: tensor<3xf64>, %n: index, %m: index) {
  %0 = needle.broadcast_to %x [4, 10] : tensor<1x10xf32> -> tensor<4x10xf32>
  %1 = needle.broadcast_to %x [%n, 10] : tensor<1x10xf32> -> tensor<?x10xf32>
  %2 = needle.broadcast_to %x [2, 5, 10] : tensor<1x10xf32> -> tensor<2x5x10xf32>
  %3 = needle.broadcast_to %y [%n, %m, 3] : tensor<3xf64> -> tensor<?x?x3xf64>
  %4 = needle.broadcast_to %y [3] : tensor<3xf64> -> tensor<3xf64>
  return
}

// -----

// CHECK-LABEL: func.func @transpose
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3x4xf32>, %[[Y:.*]]: tensor<?x8xf64>)
// CHECK:         needle.transpose %[[X]] [1, 2] : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
// CHECK:         needle.transpose %[[X]] [2, 0] : tensor<2x3x4xf32> -> tensor<4x3x2xf32>
// CHECK:         needle.transpose %[[X]] [1, 1] : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
// CHECK:         needle.transpose %[[Y]] [0, 1] : tensor<?x8xf64> -> tensor<8x?xf64>
func.func @transpose(%x: tensor<2x3x4xf32>, %y: tensor<?x8xf64>) {
  %0 = needle.transpose %x [1, 2] : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
  %1 = needle.transpose %x [2, 0] : tensor<2x3x4xf32> -> tensor<4x3x2xf32>
  %2 = needle.transpose %x [1, 1] : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  %3 = needle.transpose %y [0, 1] : tensor<?x8xf64> -> tensor<8x?xf64>
  return
}

// -----

// CHECK-LABEL: func.func @reductions
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3x4xf32>, %[[Y:.*]]: tensor<?x10xf64>)
// CHECK:         needle.summation %[[X]] : tensor<2x3x4xf32> -> tensor<f32>
// CHECK:         needle.summation %[[X]] axes [1] : tensor<2x3x4xf32> -> tensor<2x4xf32>
// CHECK:         needle.summation %[[X]] axes [2, 0] : tensor<2x3x4xf32> -> tensor<3xf32>
// CHECK:         needle.summation %[[X]] axes [] : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
// CHECK:         needle.summation %[[Y]] axes [0] : tensor<?x10xf64> -> tensor<10xf64>
// CHECK:         needle.logsumexp %[[X]] : tensor<2x3x4xf32> -> tensor<f32>
// CHECK:         needle.logsumexp %[[X]] axes [0, 1, 2] : tensor<2x3x4xf32> -> tensor<f32>
// CHECK:         needle.logsumexp %[[Y]] axes [1] : tensor<?x10xf64> -> tensor<?xf64>
// GENERIC-LABEL: sym_name = "reductions"
// GENERIC:       "needle.summation"(%{{.*}}) : (tensor<2x3x4xf32>) -> tensor<f32>
// GENERIC:       "needle.summation"(%{{.*}}) <{axes = array<i64: 1>}> : (tensor<2x3x4xf32>) -> tensor<2x4xf32>
func.func @reductions(%x: tensor<2x3x4xf32>, %y: tensor<?x10xf64>) {
  %0 = needle.summation %x : tensor<2x3x4xf32> -> tensor<f32>
  %1 = needle.summation %x axes [1] : tensor<2x3x4xf32> -> tensor<2x4xf32>
  %2 = needle.summation %x axes [2, 0] : tensor<2x3x4xf32> -> tensor<3xf32>
  %3 = needle.summation %x axes [] : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  %4 = needle.summation %y axes [0] : tensor<?x10xf64> -> tensor<10xf64>
  %5 = needle.logsumexp %x : tensor<2x3x4xf32> -> tensor<f32>
  %6 = needle.logsumexp %x axes [0, 1, 2] : tensor<2x3x4xf32> -> tensor<f32>
  %7 = needle.logsumexp %y axes [1] : tensor<?x10xf64> -> tensor<?xf64>
  return
}

// -----

// CHECK-LABEL: func.func @matmul
// CHECK-SAME:    (%[[A:.*]]: tensor<8x3xf32>, %[[B:.*]]: tensor<3x5xf32>, %[[C:.*]]: tensor<?x3xf32>, %[[D:.*]]: tensor<5x1x2x3xf64>, %[[E:.*]]: tensor<4x3x7xf64>, %[[F:.*]]: tensor<?x2x?xf64>)
// CHECK:         needle.matmul %[[A]], %[[B]] : tensor<8x3xf32>, tensor<3x5xf32> -> tensor<8x5xf32>
// CHECK:         needle.matmul %[[C]], %[[B]] : tensor<?x3xf32>, tensor<3x5xf32> -> tensor<?x5xf32>
// CHECK:         needle.matmul %[[D]], %[[E]] : tensor<5x1x2x3xf64>, tensor<4x3x7xf64> -> tensor<5x4x2x7xf64>
// CHECK:         needle.matmul %[[F]], %[[E]] : tensor<?x2x?xf64>, tensor<4x3x7xf64> -> tensor<4x2x7xf64>
func.func @matmul(%a: tensor<8x3xf32>, %b: tensor<3x5xf32>, %c: tensor<?x3xf32>,
                  %d: tensor<5x1x2x3xf64>, %e: tensor<4x3x7xf64>, %f: tensor<?x2x?xf64>) {
  %0 = needle.matmul %a, %b : tensor<8x3xf32>, tensor<3x5xf32> -> tensor<8x5xf32>
  %1 = needle.matmul %c, %b : tensor<?x3xf32>, tensor<3x5xf32> -> tensor<?x5xf32>
  %2 = needle.matmul %d, %e : tensor<5x1x2x3xf64>, tensor<4x3x7xf64> -> tensor<5x4x2x7xf64>
  %3 = needle.matmul %f, %e : tensor<?x2x?xf64>, tensor<4x3x7xf64> -> tensor<4x2x7xf64>
  return
}

// -----

// CHECK-LABEL: func.func @stack
// CHECK-SAME:    (%[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<?x3xf32>, %[[C:.*]]: tensor<4xf64>)
// CHECK:         needle.stack %[[A]], %[[B]] axis 0 : tensor<2x3xf32>, tensor<?x3xf32> -> tensor<2x2x3xf32>
// CHECK:         needle.stack %[[B]], %[[B]], %[[B]] axis 2 : tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32> -> tensor<?x3x3xf32>
// CHECK:         needle.stack %[[C]] axis 1 : tensor<4xf64> -> tensor<4x1xf64>
// GENERIC-LABEL: sym_name = "stack"
// GENERIC:       "needle.stack"(%{{.*}}, %{{.*}}) <{axis = 0 : i64}> : (tensor<2x3xf32>, tensor<?x3xf32>) -> tensor<2x2x3xf32>
func.func @stack(%a: tensor<2x3xf32>, %b: tensor<?x3xf32>, %c: tensor<4xf64>) {
  %0 = needle.stack %a, %b axis 0 : tensor<2x3xf32>, tensor<?x3xf32> -> tensor<2x2x3xf32>
  %1 = needle.stack %b, %b, %b axis 2 : tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32> -> tensor<?x3x3xf32>
  %2 = needle.stack %c axis 1 : tensor<4xf64> -> tensor<4x1xf64>
  return
}

// -----

// CHECK-LABEL: func.func @split
// CHECK-SAME:    (%[[X:.*]]: tensor<3x?xf32>, %[[Y:.*]]: tensor<2x1xf64>)
// CHECK:         %[[S:.*]]:3 = needle.split %[[X]] axis 0 : tensor<3x?xf32> -> tensor<?xf32>, tensor<?xf32>, tensor<?xf32>
// CHECK:         %[[T:.*]] = needle.split %[[Y]] axis 1 : tensor<2x1xf64> -> tensor<2xf64>
// CHECK:         return %[[S]]#2, %[[T]]
func.func @split(%x: tensor<3x?xf32>, %y: tensor<2x1xf64>) -> (tensor<?xf32>, tensor<2xf64>) {
  %0:3 = needle.split %x axis 0 : tensor<3x?xf32> -> tensor<?xf32>, tensor<?xf32>, tensor<?xf32>
  %1 = needle.split %y axis 1 : tensor<2x1xf64> -> tensor<2xf64>
  return %0#2, %1 : tensor<?xf32>, tensor<2xf64>
}

// -----

// CHECK-LABEL: func.func @flip
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3x4xf32>, %[[Y:.*]]: tensor<?x4xf64>)
// CHECK:         needle.flip %[[X]] [0] : tensor<2x3x4xf32>
// CHECK:         needle.flip %[[X]] [2, 0] : tensor<2x3x4xf32>
// CHECK:         needle.flip %[[X]] [] : tensor<2x3x4xf32>
// CHECK:         needle.flip %[[Y]] [0, 1] : tensor<?x4xf64>
func.func @flip(%x: tensor<2x3x4xf32>, %y: tensor<?x4xf64>) {
  %0 = needle.flip %x [0] : tensor<2x3x4xf32>
  %1 = needle.flip %x [2, 0] : tensor<2x3x4xf32>
  %2 = needle.flip %x [] : tensor<2x3x4xf32>
  %3 = needle.flip %y [0, 1] : tensor<?x4xf64>
  return
}

// -----

// Default eps/momentum are not printed; others are.
// CHECK-LABEL: func.func @batch_norm
// CHECK-SAME:    (%[[X:.*]]: tensor<?x4xf32>, %[[W:.*]]: tensor<4xf32>, %[[V:.*]]: tensor<?xf32>, %[[X64:.*]]: tensor<8x16xf64>, %[[W64:.*]]: tensor<16xf64>)
// CHECK:         needle.batch_norm %[[X]], %[[W]], %[[W]], %[[W]], %[[W]] : tensor<?x4xf32>, tensor<4xf32>
// CHECK:         needle.batch_norm %[[X]], %[[W]], %[[V]], %[[W]], %[[W]] {eps = 1.000000e-03 : f64, momentum = 2.000000e-01 : f64} : tensor<?x4xf32>, (tensor<4xf32>, tensor<?xf32>, tensor<4xf32>, tensor<4xf32>)
// CHECK:         needle.batch_norm %[[X64]], %[[W64]], %[[W64]], %[[W64]], %[[W64]] : tensor<8x16xf64>, tensor<16xf64>
// GENERIC-LABEL: sym_name = "batch_norm"
// GENERIC:       "needle.batch_norm"({{.*}}) <{eps = 1.000000e-05 : f64, momentum = 1.000000e-01 : f64}> : (tensor<?x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
func.func @batch_norm(%x: tensor<?x4xf32>, %w: tensor<4xf32>, %v: tensor<?xf32>,
                      %x64: tensor<8x16xf64>, %w64: tensor<16xf64>) {
  %0 = needle.batch_norm %x, %w, %w, %w, %w : tensor<?x4xf32>, tensor<4xf32>
  %1 = needle.batch_norm %x, %w, %v, %w, %w {eps = 1.0e-3, momentum = 0.2} : tensor<?x4xf32>, (tensor<4xf32>, tensor<?xf32>, tensor<4xf32>, tensor<4xf32>)
  %2 = needle.batch_norm %x64, %w64, %w64, %w64, %w64 : tensor<8x16xf64>, tensor<16xf64>
  return
}

// -----

// The per-feature results are static wherever any per-feature operand is.
// CHECK-LABEL: func.func @batch_norm_train
// CHECK-SAME:    (%[[X:.*]]: tensor<?x?xf32>, %[[W:.*]]: tensor<?xf32>, %[[B:.*]]: tensor<4xf32>, %[[X64:.*]]: tensor<8x16xf64>, %[[W64:.*]]: tensor<16xf64>)
// CHECK:         %[[Y:.*]], %[[MEAN:.*]], %[[INVSTD:.*]], %[[RM:.*]], %[[RV:.*]] = needle.batch_norm_train %[[X]], %[[W]], %[[B]], %[[W]], %[[W]] : tensor<?x?xf32>, (tensor<?xf32>, tensor<4xf32>, tensor<?xf32>, tensor<?xf32>)
// CHECK:         needle.batch_norm_train %[[X64]], %[[W64]], %[[W64]], %[[W64]], %[[W64]] {eps = 1.000000e-01 : f64, momentum = 5.000000e-01 : f64, unbiased_running_var} : tensor<8x16xf64>, tensor<16xf64>
// CHECK:         return %[[Y]], %[[MEAN]], %[[INVSTD]], %[[RM]], %[[RV]] : tensor<?x?xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
func.func @batch_norm_train(%x: tensor<?x?xf32>, %w: tensor<?xf32>, %b: tensor<4xf32>,
                            %x64: tensor<8x16xf64>, %w64: tensor<16xf64>)
    -> (tensor<?x?xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0:5 = needle.batch_norm_train %x, %w, %b, %w, %w : tensor<?x?xf32>, (tensor<?xf32>, tensor<4xf32>, tensor<?xf32>, tensor<?xf32>)
  %1:5 = needle.batch_norm_train %x64, %w64, %w64, %w64, %w64 {eps = 0.1, momentum = 0.5, unbiased_running_var} : tensor<8x16xf64>, tensor<16xf64>
  return %0#0, %0#1, %0#2, %0#3, %0#4 : tensor<?x?xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @batch_norm_infer
// CHECK-SAME:    (%[[X:.*]]: tensor<?x4xf32>, %[[W:.*]]: tensor<4xf32>, %[[X64:.*]]: tensor<2x3xf64>, %[[W64:.*]]: tensor<3xf64>)
// CHECK:         needle.batch_norm_infer %[[X]], %[[W]], %[[W]], %[[W]], %[[W]] : tensor<?x4xf32>, tensor<4xf32>
// CHECK:         needle.batch_norm_infer %[[X64]], %[[W64]], %[[W64]], %[[W64]], %[[W64]] {eps = 0.000000e+00 : f64} : tensor<2x3xf64>, tensor<3xf64>
func.func @batch_norm_infer(%x: tensor<?x4xf32>, %w: tensor<4xf32>, %x64: tensor<2x3xf64>, %w64: tensor<3xf64>) {
  %0 = needle.batch_norm_infer %x, %w, %w, %w, %w : tensor<?x4xf32>, tensor<4xf32>
  %1 = needle.batch_norm_infer %x64, %w64, %w64, %w64, %w64 {eps = 0.0} : tensor<2x3xf64>, tensor<3xf64>
  return
}

// -----

// CHECK-LABEL: func.func @batch_norm_train_grad
// CHECK-SAME:    (%[[DY:.*]]: tensor<?x4xf32>, %[[X:.*]]: tensor<?x4xf32>, %[[W:.*]]: tensor<4xf32>, %[[DY64:.*]]: tensor<8x3xf64>, %[[X64:.*]]: tensor<?x3xf64>, %[[W64:.*]]: tensor<3xf64>)
// CHECK:         %[[DX:.*]], %[[DW:.*]], %[[DB:.*]] = needle.batch_norm_train_grad %[[DY]], %[[X]], %[[W]], %[[W]], %[[W]] : tensor<?x4xf32>, tensor<4xf32>
// CHECK:         needle.batch_norm_train_grad %[[DY64]], %[[X64]], %[[W64]], %[[W64]], %[[W64]] : (tensor<8x3xf64>, tensor<?x3xf64>), tensor<3xf64>
// CHECK:         return %[[DX]], %[[DW]], %[[DB]] : tensor<?x4xf32>, tensor<4xf32>, tensor<4xf32>
func.func @batch_norm_train_grad(%dy: tensor<?x4xf32>, %x: tensor<?x4xf32>, %w: tensor<4xf32>,
                                 %dy64: tensor<8x3xf64>, %x64: tensor<?x3xf64>, %w64: tensor<3xf64>)
    -> (tensor<?x4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0:3 = needle.batch_norm_train_grad %dy, %x, %w, %w, %w : tensor<?x4xf32>, tensor<4xf32>
  %1:3 = needle.batch_norm_train_grad %dy64, %x64, %w64, %w64, %w64 : (tensor<8x3xf64>, tensor<?x3xf64>), tensor<3xf64>
  return %0#0, %0#1, %0#2 : tensor<?x4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @dropout
// CHECK-SAME:    (%[[X:.*]]: tensor<?x4xf32>, %[[Y:.*]]: tensor<3xf64>)
// CHECK:         needle.dropout %[[X]], 5.000000e-01 : tensor<?x4xf32>
// CHECK:         needle.dropout %[[Y]], 0.000000e+00 : tensor<3xf64>
// GENERIC-LABEL: sym_name = "dropout"
// GENERIC:       "needle.dropout"(%{{.*}}) <{p = 5.000000e-01 : f64}> : (tensor<?x4xf32>) -> tensor<?x4xf32>
func.func @dropout(%x: tensor<?x4xf32>, %y: tensor<3xf64>) {
  %0 = needle.dropout %x, 0.5 : tensor<?x4xf32>
  %1 = needle.dropout %y, 0.0 : tensor<3xf64>
  return
}

// -----

// CHECK-LABEL: func.func @dropout_mask
// CHECK-SAME:    (%[[X:.*]]: tensor<?x4xf32>, %[[S:.*]]: tensor<i64>, %[[T:.*]]: tensor<i64>, %[[Y:.*]]: tensor<3xf64>)
// CHECK:         needle.dropout_mask %[[X]], %[[S]], %[[T]] {p = 5.000000e-01 : f64, stream = 0 : i64} : tensor<?x4xf32>
// CHECK:         needle.dropout_mask %[[Y]], %[[S]], %[[T]] {p = 0.000000e+00 : f64, stream = 7 : i64} : tensor<3xf64>
// GENERIC-LABEL: sym_name = "dropout_mask"
// GENERIC:       "needle.dropout_mask"(%{{.*}}, %{{.*}}, %{{.*}}) <{p = 5.000000e-01 : f64, stream = 0 : i64}> : (tensor<?x4xf32>, tensor<i64>, tensor<i64>) -> tensor<?x4xf32>
func.func @dropout_mask(%x: tensor<?x4xf32>, %s: tensor<i64>, %t: tensor<i64>, %y: tensor<3xf64>) {
  %0 = needle.dropout_mask %x, %s, %t {p = 0.5, stream = 0} : tensor<?x4xf32>
  %1 = needle.dropout_mask %y, %s, %t {p = 0.0, stream = 7} : tensor<3xf64>
  return
}

// -----

// CHECK-LABEL: func.func @one_hot
// CHECK-SAME:    (%[[L:.*]]: tensor<?xi64>, %[[M:.*]]: tensor<2x3xi32>)
// CHECK:         needle.one_hot %[[L]], 10 : tensor<?xi64> -> tensor<?x10xf32>
// CHECK:         needle.one_hot %[[M]], 4 : tensor<2x3xi32> -> tensor<2x3x4xf64>
// CHECK:         needle.one_hot %[[L]], 1 : tensor<?xi64> -> tensor<8x1xf32>
func.func @one_hot(%l: tensor<?xi64>, %m: tensor<2x3xi32>) {
  %0 = needle.one_hot %l, 10 : tensor<?xi64> -> tensor<?x10xf32>
  %1 = needle.one_hot %m, 4 : tensor<2x3xi32> -> tensor<2x3x4xf64>
  %2 = needle.one_hot %l, 1 : tensor<?xi64> -> tensor<8x1xf32>
  return
}

// -----

// CHECK-LABEL: func.func @softmax_loss
// CHECK-SAME:    (%[[Z:.*]]: tensor<?x10xf32>, %[[Y:.*]]: tensor<?xi64>, %[[Z64:.*]]: tensor<4x3xf64>, %[[Y32:.*]]: tensor<?xi32>)
// CHECK:         needle.softmax_loss %[[Z]], %[[Y]] : tensor<?x10xf32>, tensor<?xi64> -> tensor<f32>
// CHECK:         needle.softmax_loss %[[Z64]], %[[Y32]] : tensor<4x3xf64>, tensor<?xi32> -> tensor<f64>
func.func @softmax_loss(%z: tensor<?x10xf32>, %y: tensor<?xi64>, %z64: tensor<4x3xf64>, %y32: tensor<?xi32>) {
  %0 = needle.softmax_loss %z, %y : tensor<?x10xf32>, tensor<?xi64> -> tensor<f32>
  %1 = needle.softmax_loss %z64, %y32 : tensor<4x3xf64>, tensor<?xi32> -> tensor<f64>
  return
}

// -----

// CHECK-LABEL: needle.variable parameter @w : tensor<4x3xf32> = #needle.xavier_uniform<fan_in = 4, fan_out = 3, gain = 1.000000e+00>
// CHECK:       needle.variable buffer @running_mean : tensor<3xf64> = #needle.zeros
// CHECK-LABEL: func.func @variables
// CHECK:         %[[W:.*]] = needle.read @w : tensor<4x3xf32>
// CHECK:         %[[W2:.*]] = needle.mul_scalar %[[W]], 5.000000e-01 : tensor<4x3xf32>
// CHECK:         needle.write @w, %[[W2]] : tensor<4x3xf32>
// CHECK:         %[[M:.*]] = needle.read @running_mean : tensor<3xf64>
// CHECK:         needle.write @running_mean, %[[M]] : tensor<3xf64>
// CHECK:         return %[[W2]]
// GENERIC:       "needle.variable"() <{initializer = #needle.xavier_uniform<fan_in = 4, fan_out = 3, gain = 1.000000e+00>, kind = 0 : i32, sym_name = "w", type = tensor<4x3xf32>}> : () -> ()
// GENERIC-LABEL: sym_name = "variables"
// GENERIC:       "needle.read"() <{variable = @w}> : () -> tensor<4x3xf32>
// GENERIC:       "needle.write"(%{{.*}}) <{variable = @w}> : (tensor<4x3xf32>) -> ()
needle.variable parameter @w : tensor<4x3xf32> = #needle.xavier_uniform<fan_in = 4, fan_out = 3, gain = 1.0>
needle.variable buffer @running_mean : tensor<3xf64> = #needle.zeros
func.func @variables() -> tensor<4x3xf32> {
  %0 = needle.read @w : tensor<4x3xf32>
  %1 = needle.mul_scalar %0, 0.5 : tensor<4x3xf32>
  needle.write @w, %1 : tensor<4x3xf32>
  %2 = needle.read @running_mean : tensor<3xf64>
  needle.write @running_mean, %2 : tensor<3xf64>
  return %1 : tensor<4x3xf32>
}

// -----

// The element type is never fixed: half precision works as well.
// CHECK-LABEL: func.func @low_precision
// CHECK-SAME:    (%[[A:.*]]: tensor<?x8xbf16>, %[[B:.*]]: tensor<8x4xbf16>, %[[W:.*]]: tensor<4xbf16>, %[[H:.*]]: tensor<2x2xf16>)
// CHECK:         %[[M:.*]] = needle.matmul %[[A]], %[[B]] : tensor<?x8xbf16>, tensor<8x4xbf16> -> tensor<?x4xbf16>
// CHECK:         %[[N:.*]] = needle.batch_norm_infer %[[M]], %[[W]], %[[W]], %[[W]], %[[W]] : tensor<?x4xbf16>, tensor<4xbf16>
// CHECK:         needle.summation %[[N]] axes [0] : tensor<?x4xbf16> -> tensor<4xbf16>
// CHECK:         needle.add %[[H]], %[[H]] : tensor<2x2xf16>
func.func @low_precision(%a: tensor<?x8xbf16>, %b: tensor<8x4xbf16>, %w: tensor<4xbf16>, %h: tensor<2x2xf16>) {
  %0 = needle.matmul %a, %b : tensor<?x8xbf16>, tensor<8x4xbf16> -> tensor<?x4xbf16>
  %1 = needle.batch_norm_infer %0, %w, %w, %w, %w : tensor<?x4xbf16>, tensor<4xbf16>
  %2 = needle.summation %1 axes [0] : tensor<?x4xbf16> -> tensor<4xbf16>
  %3 = needle.add %h, %h : tensor<2x2xf16>
  return
}
