// RUN: needle-opt %s --needle-autodiff --split-input-file | FileCheck %s

// Linear + softmax_loss: dW = x^T (softmax - one_hot) / N. x is an input,
// so its cotangent (g W^T) is not computed. @loss itself is unchanged.
needle.variable parameter @w : tensor<4x3xf32> = #needle.zeros

// CHECK-LABEL: func.func @loss(
// CHECK:         needle.softmax_loss
// CHECK-NEXT:    return
// CHECK-LABEL: func.func @loss_grad(
// CHECK-SAME:    %[[X:.*]]: tensor<?x4xf32>, %[[Y:.*]]: tensor<?xi64>) -> (tensor<f32>, tensor<4x3xf32> {needle.gradient_of = @w})
// CHECK:         %[[W:.*]] = needle.read @w
// CHECK:         %[[H:.*]] = needle.matmul %[[X]], %[[W]]
// CHECK:         %[[LOSS:.*]] = needle.softmax_loss %[[H]], %[[Y]]
// CHECK:         %[[ONE:.*]] = arith.constant dense<1.000000e+00> : tensor<f32>
// CHECK:         %[[LSE:.*]] = needle.logsumexp %[[H]] axes [1]
// CHECK:         %[[LSE2:.*]] = needle.reshape %[[LSE]] [-1, 1]
// CHECK:         %[[LSEB:.*]] = needle.broadcast_to %[[LSE2]]
// CHECK:         %[[NEG:.*]] = needle.negate %[[LSEB]]
// CHECK:         %[[SHIFTED:.*]] = needle.add %[[H]], %[[NEG]]
// CHECK:         %[[SOFTMAX:.*]] = needle.exp %[[SHIFTED]]
// CHECK:         %[[ONEHOT:.*]] = needle.one_hot %[[Y]], 3
// CHECK:         %[[N:.*]] = tensor.from_elements
// CHECK:         %[[SCALE:.*]] = needle.div %[[ONE]], %[[N]] : tensor<f32>
// CHECK:         %[[SCALEB:.*]] = needle.broadcast_to %[[SCALE]]
// CHECK:         %[[NEGHOT:.*]] = needle.negate %[[ONEHOT]]
// CHECK:         %[[DIFF:.*]] = needle.add %[[SOFTMAX]], %[[NEGHOT]]
// CHECK:         %[[DH:.*]] = needle.mul %[[DIFF]], %[[SCALEB]]
// CHECK-NOT:     needle.transpose %[[W]]
// CHECK:         %[[XT:.*]] = needle.transpose %[[X]] [0, 1] : tensor<?x4xf32> -> tensor<4x?xf32>
// CHECK:         %[[DW:.*]] = needle.matmul %[[XT]], %[[DH]] : tensor<4x?xf32>, tensor<?x3xf32> -> tensor<4x3xf32>
// CHECK-NEXT:    return %[[LOSS]], %[[DW]] : tensor<f32>, tensor<4x3xf32>
func.func @loss(%x: tensor<?x4xf32>, %y: tensor<?xi64>) -> tensor<f32> {
  %w = needle.read @w : tensor<4x3xf32>
  %h = needle.matmul %x, %w : tensor<?x4xf32>, tensor<4x3xf32> -> tensor<?x3xf32>
  %l = needle.softmax_loss %h, %y : tensor<?x3xf32>, tensor<?xi64> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// relu: the cotangent passes where the input is positive (relu_grad).
needle.variable parameter @w : tensor<2x3xf32> = #needle.zeros

// CHECK-LABEL: func.func @loss_grad(
// CHECK-SAME:    %[[X:.*]]: tensor<2x3xf32>)
// CHECK:         %[[W:.*]] = needle.read @w
// CHECK:         %[[H:.*]] = needle.mul %[[X]], %[[W]]
// CHECK:         %[[ONE:.*]] = arith.constant dense<1.000000e+00> : tensor<f32>
// CHECK:         %[[G:.*]] = needle.broadcast_to %[[ONE]] [2, 3] : tensor<f32> -> tensor<2x3xf32>
// CHECK:         %[[DH:.*]] = needle.relu_grad %[[G]], %[[H]] : tensor<2x3xf32>
// CHECK:         %[[DW:.*]] = needle.mul %[[DH]], %[[X]]
// CHECK-NEXT:    return %{{.*}}, %[[DW]]
func.func @loss(%x: tensor<2x3xf32>) -> tensor<f32> {
  %w = needle.read @w : tensor<2x3xf32>
  %h = needle.mul %x, %w : tensor<2x3xf32>
  %r = needle.relu %h : tensor<2x3xf32>
  %l = needle.summation %r : tensor<2x3xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// BatchNorm in training form: one fused batch_norm_train_grad; the writes of
// the running statistics are kept, once; buffers get no gradient, and x (an
// input) needs none, so nothing is built for the statistics results.
needle.variable parameter @w : tensor<3xf32> = #needle.ones
needle.variable parameter @b : tensor<3xf32> = #needle.zeros
needle.variable buffer @mean : tensor<3xf32> = #needle.zeros
needle.variable buffer @var : tensor<3xf32> = #needle.ones

// CHECK-LABEL: func.func @loss_grad(
// CHECK-SAME:    %[[X:.*]]: tensor<?x3xf32>, %[[R:.*]]: tensor<?x3xf32>) -> (tensor<f32>, tensor<3xf32> {needle.gradient_of = @w}, tensor<3xf32> {needle.gradient_of = @b})
// CHECK:         %[[W:.*]] = needle.read @w
// CHECK:         %[[Y:.*]], %[[MEAN:.*]], %[[INVSTD:.*]], %[[NM:.*]], %[[NV:.*]] = needle.batch_norm_train %[[X]], %[[W]]
// CHECK-NEXT:    needle.write @mean, %[[NM]]
// CHECK-NEXT:    needle.write @var, %[[NV]]
// CHECK-NOT:     needle.write
// CHECK:         %[[G:.*]] = needle.broadcast_to
// CHECK:         %[[DY:.*]] = needle.mul %[[G]], %[[R]]
// CHECK-NEXT:    %{{.*}}, %[[DW:.*]], %[[DB:.*]] = needle.batch_norm_train_grad %[[DY]], %[[X]], %[[W]], %[[MEAN]], %[[INVSTD]] : tensor<?x3xf32>, tensor<3xf32>
// CHECK-NEXT:    return %{{.*}}, %[[DW]], %[[DB]] : tensor<f32>, tensor<3xf32>, tensor<3xf32>
func.func @loss(%x: tensor<?x3xf32>, %r: tensor<?x3xf32>) -> tensor<f32> {
  %w = needle.read @w : tensor<3xf32>
  %b = needle.read @b : tensor<3xf32>
  %m = needle.read @mean : tensor<3xf32>
  %v = needle.read @var : tensor<3xf32>
  %y, %bm, %bi, %nm, %nv = needle.batch_norm_train %x, %w, %b, %m, %v {eps = 1.0e-3, momentum = 0.2} : tensor<?x3xf32>, tensor<3xf32>
  needle.write @mean, %nm : tensor<3xf32>
  needle.write @var, %nv : tensor<3xf32>
  %p = needle.mul %y, %r : tensor<?x3xf32>
  %l = needle.summation %p : tensor<?x3xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// A residual block: %h feeds relu and the residual add, so its two
// cotangents are summed before the first matmul's VJP.
needle.variable parameter @w1 : tensor<4x4xf32> = #needle.zeros
needle.variable parameter @w2 : tensor<4x4xf32> = #needle.zeros

// CHECK-LABEL: func.func @loss_grad(
// CHECK-SAME:    %[[X:.*]]: tensor<?x4xf32>) -> (tensor<f32>, tensor<4x4xf32> {needle.gradient_of = @w1}, tensor<4x4xf32> {needle.gradient_of = @w2})
// CHECK:         %[[W1:.*]] = needle.read @w1
// CHECK:         %[[W2:.*]] = needle.read @w2
// CHECK:         %[[H:.*]] = needle.matmul %[[X]], %[[W1]]
// CHECK:         %[[A:.*]] = needle.relu %[[H]]
// CHECK:         %[[G:.*]] = needle.broadcast_to
// CHECK:         %[[W2T:.*]] = needle.transpose %[[W2]] [0, 1]
// CHECK:         %[[DA:.*]] = needle.matmul %[[G]], %[[W2T]]
// CHECK:         %[[AT:.*]] = needle.transpose %[[A]] [0, 1]
// CHECK:         %[[DW2:.*]] = needle.matmul %[[AT]], %[[G]]
// CHECK:         %[[DHRELU:.*]] = needle.relu_grad %[[DA]], %[[H]]
// CHECK:         %[[DH:.*]] = needle.add %[[G]], %[[DHRELU]]
// CHECK:         %[[XT:.*]] = needle.transpose %[[X]] [0, 1]
// CHECK:         %[[DW1:.*]] = needle.matmul %[[XT]], %[[DH]]
// CHECK-NEXT:    return %{{.*}}, %[[DW1]], %[[DW2]]
func.func @loss(%x: tensor<?x4xf32>) -> tensor<f32> {
  %w1 = needle.read @w1 : tensor<4x4xf32>
  %w2 = needle.read @w2 : tensor<4x4xf32>
  %h = needle.matmul %x, %w1 : tensor<?x4xf32>, tensor<4x4xf32> -> tensor<?x4xf32>
  %r = needle.relu %h : tensor<?x4xf32>
  %h2 = needle.matmul %r, %w2 : tensor<?x4xf32>, tensor<4x4xf32> -> tensor<?x4xf32>
  %s = needle.add %h2, %h : tensor<?x4xf32>
  %l = needle.summation %s : tensor<?x4xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// Unused cotangents are not computed: x * scale reads a buffer and depends
// on no parameter, so exp(x * scale) gets no VJP; %side depends on @w but
// not the loss, so it gets none either. @unused gets zeros; the two reads of
// @w have their cotangents summed.
needle.variable parameter @w : tensor<3xf32> = #needle.ones
needle.variable parameter @unused : tensor<2x2xf32> = #needle.zeros
needle.variable buffer @scale : tensor<3xf32> = #needle.ones

// CHECK-LABEL: func.func @loss_grad(
// CHECK-SAME:    -> (tensor<f32>, tensor<3xf32> {needle.gradient_of = @w}, tensor<2x2xf32> {needle.gradient_of = @unused})
// CHECK:         %[[E:.*]] = needle.exp
// CHECK:         %[[SUM:.*]] = needle.summation
// CHECK-NEXT:    arith.constant dense<1.000000e+00>
// CHECK-NEXT:    %[[G:.*]] = needle.broadcast_to
// CHECK-NEXT:    %[[D1:.*]] = needle.mul %[[G]], %[[E]]
// CHECK-NEXT:    %[[D2:.*]] = needle.mul %[[G]], %[[E]]
// CHECK-NEXT:    %[[DW:.*]] = needle.add %[[D1]], %[[D2]]
// CHECK-NEXT:    %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<2x2xf32>
// CHECK-NEXT:    return %[[SUM]], %[[DW]], %[[ZERO]]
func.func @loss(%x: tensor<3xf32>) -> tensor<f32> {
  %w = needle.read @w : tensor<3xf32>
  %w2 = needle.read @w : tensor<3xf32>
  %s = needle.read @scale : tensor<3xf32>
  %xs = needle.mul %x, %s : tensor<3xf32>
  %e = needle.exp %xs : tensor<3xf32>
  %h = needle.mul %e, %w : tensor<3xf32>
  %h2 = needle.mul %e, %w2 : tensor<3xf32>
  %side = needle.exp %w : tensor<3xf32>
  %t = needle.add %h, %h2 : tensor<3xf32>
  %l = needle.summation %t : tensor<3xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// A loss that no parameter influences: every gradient is zeros and no
// reverse sweep is built.
needle.variable parameter @w : tensor<3xf32> = #needle.ones

// CHECK-LABEL: func.func @loss_grad(
// CHECK-NEXT:    %[[L:.*]] = needle.summation
// CHECK-NEXT:    %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<3xf32>
// CHECK-NEXT:    return %[[L]], %[[ZERO]]
func.func @loss(%x: tensor<3xf32>) -> tensor<f32> {
  %l = needle.summation %x : tensor<3xf32> -> tensor<f32>
  return %l : tensor<f32>
}
