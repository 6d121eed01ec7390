// RUN: needle-opt %s --convert-needle-to-linalg --split-input-file | FileCheck %s

// relu_grad: grad_y where x > 0, else 0. `ogt` is false at 0 and for NaN, so
// relu's derivative at 0 is 0.
// CHECK-LABEL: func.func @relu_grad
// CHECK-SAME:    (%[[G:.*]]: tensor<?x4xf32>, %[[X:.*]]: tensor<?x4xf32>)
// CHECK:         %[[INIT:.*]] = tensor.empty(%{{.*}}) : tensor<?x4xf32>
// CHECK:         linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "parallel"]
// CHECK-SAME:      ins(%[[G]], %[[X]] : tensor<?x4xf32>, tensor<?x4xf32>)
// CHECK-SAME:      outs(%[[INIT]] : tensor<?x4xf32>)
// CHECK:         ^bb0(%[[GV:[a-z0-9_]+]]: f32, %[[XV:[a-z0-9_]+]]: f32, %{{.*}}: f32):
// CHECK:           %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:           %[[POS:.*]] = arith.cmpf ogt, %[[XV]], %[[ZERO]] : f32
// CHECK:           %[[R:.*]] = arith.select %[[POS]], %[[GV]], %[[ZERO]] : f32
// CHECK:           linalg.yield %[[R]]
func.func @relu_grad(%g: tensor<?x4xf32>, %x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = needle.relu_grad %g, %x : tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// CHECK-LABEL: func.func @relu_grad_f64
// CHECK:         arith.cmpf ogt, %{{.*}}, %{{.*}} : f64
// CHECK:         arith.select %{{.*}}, %{{.*}}, %{{.*}} : f64
func.func @relu_grad_f64(%g: tensor<2x3xf64>, %x: tensor<2x3xf64>) -> tensor<2x3xf64> {
  %0 = needle.relu_grad %g, %x : tensor<2x3xf64>
  return %0 : tensor<2x3xf64>
}
