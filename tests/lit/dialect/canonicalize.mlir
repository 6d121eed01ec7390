// Folds of the needle dialect, and things that must not fold.
//
// RUN: needle-opt %s -canonicalize --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @reshape_of_reshape
// CHECK-SAME:    (%[[X:.*]]: tensor<2x6xf32>)
// CHECK-NEXT:    %[[R:.*]] = needle.reshape %[[X]] [12] : tensor<2x6xf32> -> tensor<12xf32>
// CHECK-NEXT:    return %[[R]]
func.func @reshape_of_reshape(%x: tensor<2x6xf32>) -> tensor<12xf32> {
  %0 = needle.reshape %x [3, 4] : tensor<2x6xf32> -> tensor<3x4xf32>
  %1 = needle.reshape %0 [12] : tensor<3x4xf32> -> tensor<12xf32>
  return %1 : tensor<12xf32>
}

// -----

// A chain collapses to one reshape of the original value, dynamic sizes too.
// CHECK-LABEL: func.func @reshape_chain_dynamic
// CHECK-SAME:    (%[[X:.*]]: tensor<?x28x28xf64>)
// CHECK-NEXT:    %[[R:.*]] = needle.reshape %[[X]] [-1, 784] : tensor<?x28x28xf64> -> tensor<?x784xf64>
// CHECK-NEXT:    return %[[R]]
func.func @reshape_chain_dynamic(%x: tensor<?x28x28xf64>) -> tensor<?x784xf64> {
  %0 = needle.reshape %x [-1, 28] : tensor<?x28x28xf64> -> tensor<?x28xf64>
  %1 = needle.reshape %0 [-1] : tensor<?x28xf64> -> tensor<?xf64>
  %2 = needle.reshape %1 [-1, 784] : tensor<?xf64> -> tensor<?x784xf64>
  return %2 : tensor<?x784xf64>
}

// -----

// The inner reshape keeps its other user.
// CHECK-LABEL: func.func @reshape_of_reshape_shared
// CHECK-SAME:    (%[[X:.*]]: tensor<2x6xf32>)
// CHECK-DAG:     %[[A:.*]] = needle.reshape %[[X]] [3, 4] : tensor<2x6xf32> -> tensor<3x4xf32>
// CHECK-DAG:     %[[B:.*]] = needle.reshape %[[X]] [4, 3] : tensor<2x6xf32> -> tensor<4x3xf32>
// CHECK:         return %[[A]], %[[B]]
func.func @reshape_of_reshape_shared(%x: tensor<2x6xf32>) -> (tensor<3x4xf32>, tensor<4x3xf32>) {
  %0 = needle.reshape %x [3, 4] : tensor<2x6xf32> -> tensor<3x4xf32>
  %1 = needle.reshape %0 [4, 3] : tensor<3x4xf32> -> tensor<4x3xf32>
  return %0, %1 : tensor<3x4xf32>, tensor<4x3xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_same_type
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>, %[[Y:.*]]: tensor<?x3xf32>)
// CHECK-NEXT:    return %[[X]], %[[Y]]
func.func @reshape_same_type(%x: tensor<2x3xf32>, %y: tensor<?x3xf32>) -> (tensor<2x3xf32>, tensor<?x3xf32>) {
  %0 = needle.reshape %x [2, 3] : tensor<2x3xf32> -> tensor<2x3xf32>
  %1 = needle.reshape %y [-1, 3] : tensor<?x3xf32> -> tensor<?x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<?x3xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_no_fold
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>, %[[Y:.*]]: tensor<?x3xf32>)
// CHECK-NEXT:    %[[A:.*]] = needle.reshape %[[X]] [3, 2]
// CHECK-NEXT:    %[[B:.*]] = needle.reshape %[[Y]] [3, -1]
// CHECK-NEXT:    return %[[A]], %[[B]]
func.func @reshape_no_fold(%x: tensor<2x3xf32>, %y: tensor<?x3xf32>) -> (tensor<3x2xf32>, tensor<3x?xf32>) {
  %0 = needle.reshape %x [3, 2] : tensor<2x3xf32> -> tensor<3x2xf32>
  %1 = needle.reshape %y [3, -1] : tensor<?x3xf32> -> tensor<3x?xf32>
  return %0, %1 : tensor<3x2xf32>, tensor<3x?xf32>
}

// -----

// CHECK-LABEL: func.func @broadcast_to_same_static_type
// CHECK-SAME:    (%[[X:.*]]: tensor<4x10xf32>)
// CHECK-NEXT:    return %[[X]]
func.func @broadcast_to_same_static_type(%x: tensor<4x10xf32>) -> tensor<4x10xf32> {
  %0 = needle.broadcast_to %x [4, 10] : tensor<4x10xf32> -> tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

// A dynamic dimension of size 1 could still be stretched: no fold.
// CHECK-LABEL: func.func @broadcast_to_dynamic_no_fold
// CHECK-SAME:    (%[[X:.*]]: tensor<?x10xf32>, %[[N:.*]]: index)
// CHECK-NEXT:    %[[B:.*]] = needle.broadcast_to %[[X]] [%[[N]], 10] : tensor<?x10xf32> -> tensor<?x10xf32>
// CHECK-NEXT:    return %[[B]]
func.func @broadcast_to_dynamic_no_fold(%x: tensor<?x10xf32>, %n: index) -> tensor<?x10xf32> {
  %0 = needle.broadcast_to %x [%n, 10] : tensor<?x10xf32> -> tensor<?x10xf32>
  return %0 : tensor<?x10xf32>
}

// -----

// CHECK-LABEL: func.func @broadcast_to_no_fold
// CHECK-SAME:    (%[[X:.*]]: tensor<1x10xf32>)
// CHECK-NEXT:    %[[B:.*]] = needle.broadcast_to %[[X]] [4, 10]
// CHECK-NEXT:    return %[[B]]
func.func @broadcast_to_no_fold(%x: tensor<1x10xf32>) -> tensor<4x10xf32> {
  %0 = needle.broadcast_to %x [4, 10] : tensor<1x10xf32> -> tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_twice
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT:    return %[[X]], %[[X]]
func.func @transpose_twice(%x: tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>) {
  %0 = needle.transpose %x [1, 2] : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
  %1 = needle.transpose %0 [1, 2] : tensor<2x4x3xf32> -> tensor<2x3x4xf32>
  // The same pair in the other order.
  %2 = needle.transpose %x [0, 2] : tensor<2x3x4xf32> -> tensor<4x3x2xf32>
  %3 = needle.transpose %2 [2, 0] : tensor<4x3x2xf32> -> tensor<2x3x4xf32>
  return %1, %3 : tensor<2x3x4xf32>, tensor<2x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_axis_with_itself
// CHECK-SAME:    (%[[X:.*]]: tensor<?x3xf64>)
// CHECK-NEXT:    return %[[X]]
func.func @transpose_axis_with_itself(%x: tensor<?x3xf64>) -> tensor<?x3xf64> {
  %0 = needle.transpose %x [1, 1] : tensor<?x3xf64> -> tensor<?x3xf64>
  return %0 : tensor<?x3xf64>
}

// -----

// Two different swaps are a rotation, not the identity.
// CHECK-LABEL: func.func @transpose_different_pairs
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT:    %[[A:.*]] = needle.transpose %[[X]] [0, 1]
// CHECK-NEXT:    %[[B:.*]] = needle.transpose %[[A]] [1, 2]
// CHECK-NEXT:    return %[[B]]
func.func @transpose_different_pairs(%x: tensor<2x3x4xf32>) -> tensor<3x4x2xf32> {
  %0 = needle.transpose %x [0, 1] : tensor<2x3x4xf32> -> tensor<3x2x4xf32>
  %1 = needle.transpose %0 [1, 2] : tensor<3x2x4xf32> -> tensor<3x4x2xf32>
  return %1 : tensor<3x4x2xf32>
}

// -----

// CHECK-LABEL: func.func @scalar_identities
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>, %[[Y:.*]]: tensor<?xf64>)
// CHECK-NEXT:    return %[[X]], %[[X]], %[[X]], %[[X]], %[[Y]], %[[Y]]
func.func @scalar_identities(%x: tensor<2x3xf32>, %y: tensor<?xf64>)
    -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<?xf64>, tensor<?xf64>) {
  %0 = needle.add_scalar %x, 0.0 : tensor<2x3xf32>
  %1 = needle.mul_scalar %x, 1.0 : tensor<2x3xf32>
  %2 = needle.div_scalar %x, 1.0 : tensor<2x3xf32>
  %3 = needle.power_scalar %x, 1.0 : tensor<2x3xf32>
  %4 = needle.add_scalar %y, -0.0 : tensor<?xf64>
  %5 = needle.mul_scalar %y, 1.0 : tensor<?xf64>
  return %0, %1, %2, %3, %4, %5 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<?xf64>, tensor<?xf64>
}

// -----

// CHECK-LABEL: func.func @scalar_no_fold
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT:    %[[A:.*]] = needle.add_scalar %[[X]], 1.000000e+00
// CHECK-NEXT:    %[[M:.*]] = needle.mul_scalar %[[X]], 2.000000e+00
// CHECK-NEXT:    %[[Z:.*]] = needle.mul_scalar %[[X]], 0.000000e+00
// CHECK-NEXT:    %[[D:.*]] = needle.div_scalar %[[X]], -1.000000e+00
// CHECK-NEXT:    %[[P:.*]] = needle.power_scalar %[[X]], 2.000000e+00
// CHECK-NEXT:    %[[P0:.*]] = needle.power_scalar %[[X]], 0.000000e+00
// CHECK-NEXT:    return %[[A]], %[[M]], %[[Z]], %[[D]], %[[P]], %[[P0]]
func.func @scalar_no_fold(%x: tensor<2x3xf32>)
    -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = needle.add_scalar %x, 1.0 : tensor<2x3xf32>
  %1 = needle.mul_scalar %x, 2.0 : tensor<2x3xf32>
  // x * 0 is not 0 for inf and NaN.
  %2 = needle.mul_scalar %x, 0.0 : tensor<2x3xf32>
  %3 = needle.div_scalar %x, -1.0 : tensor<2x3xf32>
  %4 = needle.power_scalar %x, 2.0 : tensor<2x3xf32>
  %5 = needle.power_scalar %x, 0.0 : tensor<2x3xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @negate_twice
// CHECK-SAME:    (%[[X:.*]]: tensor<?x3xf32>)
// CHECK-NEXT:    %[[N:.*]] = needle.negate %[[X]]
// CHECK-NEXT:    return %[[X]], %[[N]]
func.func @negate_twice(%x: tensor<?x3xf32>) -> (tensor<?x3xf32>, tensor<?x3xf32>) {
  %0 = needle.negate %x : tensor<?x3xf32>
  %1 = needle.negate %0 : tensor<?x3xf32>
  %2 = needle.negate %1 : tensor<?x3xf32>
  return %1, %2 : tensor<?x3xf32>, tensor<?x3xf32>
}

// -----

// CHECK-LABEL: func.func @relu_twice
// CHECK-SAME:    (%[[X:.*]]: tensor<4xf64>)
// CHECK-NEXT:    %[[R:.*]] = needle.relu %[[X]] : tensor<4xf64>
// CHECK-NEXT:    return %[[R]]
func.func @relu_twice(%x: tensor<4xf64>) -> tensor<4xf64> {
  %0 = needle.relu %x : tensor<4xf64>
  %1 = needle.relu %0 : tensor<4xf64>
  %2 = needle.relu %1 : tensor<4xf64>
  return %2 : tensor<4xf64>
}

// -----

// Other unary ops are neither involutions nor idempotent.
// CHECK-LABEL: func.func @unary_no_fold
// CHECK-SAME:    (%[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT:    %[[E1:.*]] = needle.exp %[[X]]
// CHECK-NEXT:    %[[E2:.*]] = needle.exp %[[E1]]
// CHECK-NEXT:    %[[T1:.*]] = needle.tanh %[[E2]]
// CHECK-NEXT:    %[[T2:.*]] = needle.tanh %[[T1]]
// CHECK-NEXT:    %[[S1:.*]] = needle.sigmoid %[[T2]]
// CHECK-NEXT:    %[[S2:.*]] = needle.sigmoid %[[S1]]
// CHECK-NEXT:    %[[L:.*]] = needle.log %[[S2]]
// CHECK-NEXT:    %[[N:.*]] = needle.negate %[[L]]
// CHECK-NEXT:    return %[[N]]
func.func @unary_no_fold(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = needle.exp %x : tensor<4xf32>
  %1 = needle.exp %0 : tensor<4xf32>
  %2 = needle.tanh %1 : tensor<4xf32>
  %3 = needle.tanh %2 : tensor<4xf32>
  %4 = needle.sigmoid %3 : tensor<4xf32>
  %5 = needle.sigmoid %4 : tensor<4xf32>
  %6 = needle.log %5 : tensor<4xf32>
  %7 = needle.negate %6 : tensor<4xf32>
  return %7 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @reduction_empty_axes
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT:    return %[[X]], %[[X]]
func.func @reduction_empty_axes(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = needle.summation %x axes [] : tensor<2x3xf32> -> tensor<2x3xf32>
  %1 = needle.logsumexp %x axes [] : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// No axes attribute means every axis; a reduction over axes is kept.
// CHECK-LABEL: func.func @reduction_no_fold
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>, %[[S:.*]]: tensor<f32>)
// CHECK-NEXT:    %[[A:.*]] = needle.summation %[[X]] : tensor<2x3xf32> -> tensor<f32>
// CHECK-NEXT:    %[[B:.*]] = needle.logsumexp %[[X]] axes [1]
// CHECK-NEXT:    %[[C:.*]] = needle.summation %[[S]] : tensor<f32> -> tensor<f32>
// CHECK-NEXT:    %[[D:.*]] = needle.logsumexp %[[S]] : tensor<f32> -> tensor<f32>
// CHECK-NEXT:    return %[[A]], %[[B]], %[[C]], %[[D]]
func.func @reduction_no_fold(%x: tensor<2x3xf32>, %s: tensor<f32>) -> (tensor<f32>, tensor<2xf32>, tensor<f32>, tensor<f32>) {
  %0 = needle.summation %x : tensor<2x3xf32> -> tensor<f32>
  %1 = needle.logsumexp %x axes [1] : tensor<2x3xf32> -> tensor<2xf32>
  %2 = needle.summation %s : tensor<f32> -> tensor<f32>
  %3 = needle.logsumexp %s : tensor<f32> -> tensor<f32>
  return %0, %1, %2, %3 : tensor<f32>, tensor<2xf32>, tensor<f32>, tensor<f32>
}

// -----

// CHECK-LABEL: func.func @flip_twice
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT:    return %[[X]], %[[X]]
func.func @flip_twice(%x: tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>) {
  %0 = needle.flip %x [0, 2] : tensor<2x3x4xf32>
  %1 = needle.flip %0 [0, 2] : tensor<2x3x4xf32>
  %2 = needle.flip %x [1, 0] : tensor<2x3x4xf32>
  %3 = needle.flip %2 [0, 1] : tensor<2x3x4xf32>
  return %1, %3 : tensor<2x3x4xf32>, tensor<2x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @flip_no_axes
// CHECK-SAME:    (%[[X:.*]]: tensor<?x4xf64>)
// CHECK-NEXT:    return %[[X]]
func.func @flip_no_axes(%x: tensor<?x4xf64>) -> tensor<?x4xf64> {
  %0 = needle.flip %x [] : tensor<?x4xf64>
  return %0 : tensor<?x4xf64>
}

// -----

// CHECK-LABEL: func.func @flip_different_axes
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT:    %[[A:.*]] = needle.flip %[[X]] [0]
// CHECK-NEXT:    %[[B:.*]] = needle.flip %[[A]] [1]
// CHECK-NEXT:    %[[C:.*]] = needle.flip %[[A]] [0, 1]
// CHECK-NEXT:    return %[[B]], %[[C]]
func.func @flip_different_axes(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = needle.flip %x [0] : tensor<2x3xf32>
  %1 = needle.flip %0 [1] : tensor<2x3xf32>
  %2 = needle.flip %0 [0, 1] : tensor<2x3xf32>
  return %1, %2 : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// Folds compose: the identities vanish and expose a double transpose.
// CHECK-LABEL: func.func @folds_compose
// CHECK-SAME:    (%[[X:.*]]: tensor<?x8xf32>)
// CHECK-NEXT:    return %[[X]]
func.func @folds_compose(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %0 = needle.transpose %x [0, 1] : tensor<?x8xf32> -> tensor<8x?xf32>
  %1 = needle.mul_scalar %0, 1.0 : tensor<8x?xf32>
  %2 = needle.flip %1 [] : tensor<8x?xf32>
  %3 = needle.transpose %2 [1, 0] : tensor<8x?xf32> -> tensor<?x8xf32>
  %4 = needle.reshape %3 [-1, 8] : tensor<?x8xf32> -> tensor<?x8xf32>
  return %4 : tensor<?x8xf32>
}

// -----

// Dead pure ops and unused reads go; dropout (random) and writes stay.
// CHECK-LABEL: func.func @side_effects
// CHECK-SAME:    (%[[X:.*]]: tensor<4xf32>)
// CHECK-NOT:     needle.exp
// CHECK-NOT:     needle.read
// CHECK:         %[[D:.*]] = needle.dropout %[[X]], 5.000000e-01
// CHECK-NEXT:    needle.write @v, %[[X]]
// CHECK-NEXT:    return
needle.variable buffer @v : tensor<4xf32> = #needle.zeros
func.func @side_effects(%x: tensor<4xf32>) {
  %0 = needle.exp %x : tensor<4xf32>
  %1 = needle.read @v : tensor<4xf32>
  %2 = needle.dropout %x, 0.5 : tensor<4xf32>
  needle.write @v, %x : tensor<4xf32>
  return
}
