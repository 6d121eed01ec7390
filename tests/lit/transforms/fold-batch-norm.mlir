// RUN: needle-opt %s --needle-fold-batch-norm --split-input-file | FileCheck %s

// s = w / sqrt(var + eps); W' = W * s per column; b' = (b - mean) * s + beta.
// Here w = [2, 6], var = [4, 9], eps = 0 -> s = [1, 2];
// W = [[1, 2], [3, 4], [5, 6]] -> W' = [[1, 4], [3, 8], [5, 12]];
// b = [[10, 20]], mean = [1, 2], beta = [0.5, -1] -> b' = [[9.5, 35]].
// CHECK-LABEL: func.func @linear_then_bn
// CHECK-SAME:    (%[[X:.*]]: tensor<?x3xf32>)
// CHECK-DAG:     %[[W:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 4.000000e+00], [3.000000e+00, 8.000000e+00], [5.000000e+00, 1.200000e+01]]> : tensor<3x2xf32>
// CHECK-DAG:     %[[B:.*]] = arith.constant dense<{{\[}}[9.500000e+00, 3.500000e+01]]> : tensor<1x2xf32>
// CHECK:         %[[MM:.*]] = needle.matmul %[[X]], %[[W]]
// CHECK:         %[[BB:.*]] = needle.broadcast_to %[[B]]
// CHECK:         %[[Y:.*]] = needle.add %[[MM]], %[[BB]]
// CHECK-NOT:     needle.batch_norm_infer
// CHECK:         return %[[Y]]
func.func @linear_then_bn(%x: tensor<?x3xf32>) -> tensor<?x2xf32> {
  %c0 = arith.constant 0 : index
  %W = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %b = arith.constant dense<[[10.0, 20.0]]> : tensor<1x2xf32>
  %w = arith.constant dense<[2.0, 6.0]> : tensor<2xf32>
  %beta = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %mean = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %var = arith.constant dense<[4.0, 9.0]> : tensor<2xf32>
  %mm = needle.matmul %x, %W : tensor<?x3xf32>, tensor<3x2xf32> -> tensor<?x2xf32>
  %n = tensor.dim %mm, %c0 : tensor<?x2xf32>
  %bb = needle.broadcast_to %b [%n, 2] : tensor<1x2xf32> -> tensor<?x2xf32>
  %lin = needle.add %mm, %bb : tensor<?x2xf32>
  %y = needle.batch_norm_infer %lin, %w, %beta, %mean, %var {eps = 0.0} : tensor<?x2xf32>, tensor<2xf32>
  return %y : tensor<?x2xf32>
}

// -----

// The Linear's output is also used elsewhere: folding would change that use.
// CHECK-LABEL: func.func @linear_used_twice
// CHECK:         needle.batch_norm_infer
func.func @linear_used_twice(%x: tensor<4x3xf32>) -> (tensor<4x2xf32>, tensor<4x2xf32>) {
  %W = arith.constant dense<1.0> : tensor<3x2xf32>
  %b = arith.constant dense<1.0> : tensor<1x2xf32>
  %p = arith.constant dense<1.0> : tensor<2xf32>
  %mm = needle.matmul %x, %W : tensor<4x3xf32>, tensor<3x2xf32> -> tensor<4x2xf32>
  %bb = needle.broadcast_to %b [4, 2] : tensor<1x2xf32> -> tensor<4x2xf32>
  %lin = needle.add %mm, %bb : tensor<4x2xf32>
  %y = needle.batch_norm_infer %lin, %p, %p, %p, %p : tensor<4x2xf32>, tensor<2xf32>
  return %y, %lin : tensor<4x2xf32>, tensor<4x2xf32>
}

// -----

// Parameters that are not constants (an unfrozen model) are left alone.
// CHECK-LABEL: func.func @not_frozen
// CHECK:         needle.batch_norm_infer
func.func @not_frozen(%x: tensor<4x3xf32>, %w: tensor<2xf32>) -> tensor<4x2xf32> {
  %W = arith.constant dense<1.0> : tensor<3x2xf32>
  %b = arith.constant dense<1.0> : tensor<1x2xf32>
  %mm = needle.matmul %x, %W : tensor<4x3xf32>, tensor<3x2xf32> -> tensor<4x2xf32>
  %bb = needle.broadcast_to %b [4, 2] : tensor<1x2xf32> -> tensor<4x2xf32>
  %lin = needle.add %mm, %bb : tensor<4x2xf32>
  %y = needle.batch_norm_infer %lin, %w, %w, %w, %w : tensor<4x2xf32>, tensor<2xf32>
  return %y : tensor<4x2xf32>
}
