// RUN: needle-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(needle-record-label-bounds))" | FileCheck %s

// Labels of softmax_loss index the logits' columns.
// CHECK-LABEL: func.func @loss
// CHECK-SAME:    needle.label_bounds = [array<i64: 1, 10>]
func.func @loss(%z: tensor<?x10xf32>, %y: tensor<?xi32>) -> tensor<f32> {
  %l = needle.softmax_loss %z, %y : tensor<?x10xf32>, tensor<?xi32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// one_hot's class count; the smallest bound wins when labels meet two.
// CHECK-LABEL: func.func @encode
// CHECK-SAME:    needle.label_bounds = [array<i64: 0, 4>]
func.func @encode(%y: tensor<?xi64>) -> (tensor<?x6xf32>, tensor<?x4xf32>) {
  %a = needle.one_hot %y, 6 : tensor<?xi64> -> tensor<?x6xf32>
  %b = needle.one_hot %y, 4 : tensor<?xi64> -> tensor<?x4xf32>
  return %a, %b : tensor<?x6xf32>, tensor<?x4xf32>
}

// -----

// Without labels nothing is recorded.
// CHECK-LABEL: func.func @plain
// CHECK-NOT:     needle.label_bounds
func.func @plain(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = needle.relu %x : tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}
