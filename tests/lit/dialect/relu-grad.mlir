// relu_grad: the custom and generic forms round-trip.
// RUN: needle-opt %s --split-input-file | needle-opt --split-input-file | FileCheck %s
// RUN: needle-opt %s --split-input-file --mlir-print-op-generic | needle-opt --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @relu_grad
// CHECK-SAME:    (%[[G:.*]]: tensor<?x3xf32>, %[[X:.*]]: tensor<4x3xf32>)
// CHECK:         %[[R:.*]] = needle.relu_grad %[[G]], %[[X]] : (tensor<?x3xf32>, tensor<4x3xf32>)
// CHECK:         return %[[R]] : tensor<4x3xf32>
func.func @relu_grad(%g: tensor<?x3xf32>, %x: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %0 = needle.relu_grad %g, %x : (tensor<?x3xf32>, tensor<4x3xf32>)
  return %0 : tensor<4x3xf32>
}
