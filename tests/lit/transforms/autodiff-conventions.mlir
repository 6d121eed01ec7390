// RUN: needle-opt %s --needle-autodiff --split-input-file | FileCheck %s

// needle's gradient conventions: matmul sums each operand's cotangent over
// the batch dimensions along which it was broadcast (then restores a
// stretched 1 with a reshape).
needle.variable parameter @a : tensor<2x1x3x4xf32> = #needle.zeros
needle.variable parameter @b : tensor<5x4x2xf32> = #needle.zeros

// CHECK-LABEL: func.func @loss_grad(
// CHECK:         %[[A:.*]] = needle.read @a
// CHECK:         %[[B:.*]] = needle.read @b
// CHECK:         %[[G:.*]] = needle.broadcast_to %{{.*}} [2, 5, 3, 2] : tensor<f32> -> tensor<2x5x3x2xf32>
// CHECK:         %[[BT:.*]] = needle.transpose %[[B]] [1, 2] : tensor<5x4x2xf32> -> tensor<5x2x4xf32>
// CHECK:         %[[DAF:.*]] = needle.matmul %[[G]], %[[BT]] : tensor<2x5x3x2xf32>, tensor<5x2x4xf32> -> tensor<2x5x3x4xf32>
// CHECK:         %[[DAS:.*]] = needle.summation %[[DAF]] axes [1] : tensor<2x5x3x4xf32> -> tensor<2x3x4xf32>
// CHECK:         %[[DA:.*]] = needle.reshape %[[DAS]] [2, 1, 3, 4] : tensor<2x3x4xf32> -> tensor<2x1x3x4xf32>
// CHECK:         %[[AT:.*]] = needle.transpose %[[A]] [2, 3]
// CHECK:         %[[DBF:.*]] = needle.matmul %[[AT]], %[[G]] : tensor<2x1x4x3xf32>, tensor<2x5x3x2xf32> -> tensor<2x5x4x2xf32>
// CHECK:         %[[DB:.*]] = needle.summation %[[DBF]] axes [0] : tensor<2x5x4x2xf32> -> tensor<5x4x2xf32>
// CHECK:         return %{{.*}}, %[[DA]], %[[DB]]
func.func @loss() -> tensor<f32> {
  %a = needle.read @a : tensor<2x1x3x4xf32>
  %b = needle.read @b : tensor<5x4x2xf32>
  %c = needle.matmul %a, %b : tensor<2x1x3x4xf32>, tensor<5x4x2xf32> -> tensor<2x5x3x2xf32>
  %l = needle.summation %c : tensor<2x5x3x2xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// power_scalar with a non-integer exponent: s * x^(s-1). logsumexp and
// summation reshape the cotangent (reduced axes kept as 1) and broadcast it
// back, with run-time sizes from tensor.dim; broadcast_to sums over the
// added leading axis and the stretched 1, then reshapes.
needle.variable parameter @p : tensor<4x1xf32> = #needle.zeros

// CHECK-LABEL: func.func @loss_grad(
// CHECK-SAME:    %[[X:.*]]: tensor<?x4x5xf32>)
// CHECK:         %[[M:.*]] = needle.mul
// CHECK:         %[[S:.*]] = needle.summation %[[M]] axes [1]
// CHECK:         %[[E:.*]] = needle.logsumexp %[[S]] axes [1]
// CHECK:         %[[LOWER:.*]] = needle.power_scalar %[[E]], -2.500000e+00 : tensor<?xf32>
// CHECK:         %[[DERIV:.*]] = needle.mul_scalar %[[LOWER]], -1.500000e+00
// CHECK:         %[[DE:.*]] = needle.mul %{{.*}}, %[[DERIV]] : tensor<?xf32>
// CHECK:         %[[DEK:.*]] = needle.reshape %[[DE]] [-1, 1] : tensor<?xf32> -> tensor<?x1xf32>
// CHECK:         %[[N1:.*]] = tensor.dim %[[S]], %{{.*}} : tensor<?x5xf32>
// CHECK:         %[[DEB:.*]] = needle.broadcast_to %[[DEK]] [%[[N1]], 5]
// CHECK:         %[[EK:.*]] = needle.reshape %[[E]] [-1, 1]
// CHECK:         %[[EB:.*]] = needle.broadcast_to %[[EK]]
// CHECK:         %[[NEG:.*]] = needle.negate %[[EB]]
// CHECK:         %[[SHIFT:.*]] = needle.add %[[S]], %[[NEG]]
// CHECK:         %[[SOFTMAX:.*]] = needle.exp %[[SHIFT]]
// CHECK:         %[[DS:.*]] = needle.mul %[[DEB]], %[[SOFTMAX]] : tensor<?x5xf32>
// CHECK:         %[[DSK:.*]] = needle.reshape %[[DS]] [-1, 1, 5] : tensor<?x5xf32> -> tensor<?x1x5xf32>
// CHECK:         %[[N2:.*]] = tensor.dim %[[M]], %{{.*}} : tensor<?x4x5xf32>
// CHECK:         %[[DM:.*]] = needle.broadcast_to %[[DSK]] [%[[N2]], 4, 5]
// CHECK:         %[[DB:.*]] = needle.mul %[[DM]], %[[X]]
// CHECK:         %[[DPS:.*]] = needle.summation %[[DB]] axes [0, 2] : tensor<?x4x5xf32> -> tensor<4xf32>
// CHECK:         %[[DP:.*]] = needle.reshape %[[DPS]] [4, 1] : tensor<4xf32> -> tensor<4x1xf32>
// CHECK:         return %{{.*}}, %[[DP]]
func.func @loss(%x: tensor<?x4x5xf32>) -> tensor<f32> {
  %p = needle.read @p : tensor<4x1xf32>
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?x4x5xf32>
  %b = needle.broadcast_to %p [%n, 4, 5] : tensor<4x1xf32> -> tensor<?x4x5xf32>
  %m = needle.mul %b, %x : tensor<?x4x5xf32>
  %s = needle.summation %m axes [1] : tensor<?x4x5xf32> -> tensor<?x5xf32>
  %e = needle.logsumexp %s axes [1] : tensor<?x5xf32> -> tensor<?xf32>
  %q = needle.power_scalar %e, -1.5 : tensor<?xf32>
  %l = needle.summation %q : tensor<?xf32> -> tensor<f32>
  return %l : tensor<f32>
}
