// RUN: needle-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(needle-record-equal-dims))" | FileCheck %s

// The batch of x reaches softmax_loss through a matmul, a broadcast sized by
// tensor.dim and an add; the labels meet it there.
// CHECK-LABEL: func.func @loss
// CHECK-SAME:    needle.equal_dims = {{\[}}[array<i64: 0, 0>, array<i64: 1, 0>]]
func.func @loss(%x: tensor<?x4xf32>, %y: tensor<?xi32>, %w: tensor<4x3xf32>, %b: tensor<1x3xf32>) -> tensor<f32> {
  %c0 = arith.constant 0 : index
  %h = needle.matmul %x, %w : tensor<?x4xf32>, tensor<4x3xf32> -> tensor<?x3xf32>
  %n = tensor.dim %h, %c0 : tensor<?x3xf32>
  %bb = needle.broadcast_to %b [%n, 3] : tensor<1x3xf32> -> tensor<?x3xf32>
  %z = needle.add %h, %bb : tensor<?x3xf32>
  %r = needle.relu %z : tensor<?x3xf32>
  %l = needle.softmax_loss %r, %y : tensor<?x3xf32>, tensor<?xi32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// Inputs that never meet: nothing to record.
// CHECK-LABEL: func.func @independent
// CHECK-NOT:     needle.equal_dims
func.func @independent(%a: tensor<?x4xf32>, %b: tensor<?x4xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>) {
  %0 = needle.relu %a : tensor<?x4xf32>
  %1 = needle.exp %b : tensor<?x4xf32>
  return %0, %1 : tensor<?x4xf32>, tensor<?x4xf32>
}

// -----

// A matmul ties the contracted dims; a transpose swaps which dim is which.
// CHECK-LABEL: func.func @contract
// CHECK-SAME:    needle.equal_dims = {{\[}}[array<i64: 0, 0>, array<i64: 1, 0>]]
func.func @contract(%a: tensor<?x5xf32>, %b: tensor<?x7xf32>) -> tensor<5x7xf32> {
  %at = needle.transpose %a [0, 1] : tensor<?x5xf32> -> tensor<5x?xf32>
  %p = needle.matmul %at, %b : tensor<5x?xf32>, tensor<?x7xf32> -> tensor<5x7xf32>
  return %p : tensor<5x7xf32>
}
