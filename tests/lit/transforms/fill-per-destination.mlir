// RUN: needle-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(needle-fill-per-destination))' | FileCheck %s

// Two matmuls whose zero init CSE merged: each gets its own empty and fill
// just before it, and the shared fill goes.
// CHECK-LABEL: func.func @two_matmuls
// CHECK-SAME:    (%[[A:.*]]: tensor<?x8xf32>, %[[B:.*]]: tensor<8x4xf32>, %[[C:.*]]: tensor<8x4xf32>)
// CHECK:         %[[N:.*]] = tensor.dim %[[A]]
// CHECK-NOT:     linalg.fill
// CHECK:         %[[E1:.*]] = tensor.empty(%[[N]]) : tensor<?x4xf32>
// CHECK-NEXT:    %[[F1:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E1]] : tensor<?x4xf32>)
// CHECK-NEXT:    %[[M1:.*]] = linalg.matmul ins(%[[A]], %[[B]] : {{.*}}) outs(%[[F1]] :
// CHECK-NEXT:    %[[E2:.*]] = tensor.empty(%[[N]]) : tensor<?x4xf32>
// CHECK-NEXT:    %[[F2:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E2]] : tensor<?x4xf32>)
// CHECK-NEXT:    %[[M2:.*]] = linalg.matmul ins(%[[A]], %[[C]] : {{.*}}) outs(%[[F2]] :
// CHECK-NOT:     linalg.fill
func.func @two_matmuls(%a: tensor<?x8xf32>, %b: tensor<8x4xf32>, %c: tensor<8x4xf32>)
    -> (tensor<?x4xf32>, tensor<?x4xf32>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %n = tensor.dim %a, %c0 : tensor<?x8xf32>
  %empty = tensor.empty(%n) : tensor<?x4xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%empty : tensor<?x4xf32>) -> tensor<?x4xf32>
  %m1 = linalg.matmul ins(%a, %b : tensor<?x8xf32>, tensor<8x4xf32>)
                      outs(%fill : tensor<?x4xf32>) -> tensor<?x4xf32>
  %m2 = linalg.matmul ins(%a, %c : tensor<?x8xf32>, tensor<8x4xf32>)
                      outs(%fill : tensor<?x4xf32>) -> tensor<?x4xf32>
  return %m1, %m2 : tensor<?x4xf32>, tensor<?x4xf32>
}

// -----

// A fill also read as an input stays for that read; the destination gets its
// own. A fill of something other than tensor.empty, and a fill with one use,
// are left alone.
// CHECK-LABEL: func.func @mixed_uses
// CHECK:         %[[SHARED:.*]] = linalg.fill
// CHECK:         %[[OWN:.*]] = linalg.fill
// CHECK-NEXT:    linalg.generic {{.*}} ins(%[[SHARED]] : tensor<4xf32>) outs(%[[OWN]] : tensor<4xf32>)
// CHECK:         %[[OTHER:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%arg0 : tensor<4xf32>)
// CHECK-NOT:     linalg.fill
// CHECK:         linalg.generic {{.*}} ins(%[[OTHER]] : tensor<4xf32>) outs(%[[OTHER]] : tensor<4xf32>)
func.func @mixed_uses(%t: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %one = arith.constant 1.0 : f32
  %empty = tensor.empty() : tensor<4xf32>
  %fill = linalg.fill ins(%one : f32) outs(%empty : tensor<4xf32>) -> tensor<4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>],
                       iterator_types = ["parallel"]}
      ins(%fill : tensor<4xf32>) outs(%fill : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %o : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  %other = linalg.fill ins(%one : f32) outs(%t : tensor<4xf32>) -> tensor<4xf32>
  %q = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>],
                       iterator_types = ["parallel"]}
      ins(%other : tensor<4xf32>) outs(%other : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %o : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  return %r, %q : tensor<4xf32>, tensor<4xf32>
}
