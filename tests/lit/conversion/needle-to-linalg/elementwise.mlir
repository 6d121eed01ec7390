// RUN: needle-opt %s --convert-needle-to-linalg --split-input-file | FileCheck %s
// RUN: needle-opt %s --convert-needle-to-linalg --split-input-file \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries" --convert-linalg-to-loops \
// RUN:   | FileCheck %s --check-prefix=BUF
// RUN: needle-opt %s --convert-needle-to-linalg --split-input-file \
// RUN:   --linalg-fuse-elementwise-ops | FileCheck %s --check-prefix=FUSED

// Every element-wise op is one all-parallel generic with identity maps over a
// tensor.empty sized from the operand's dynamic batch.

// CHECK: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @add
// CHECK-SAME:    (%[[A:.*]]: tensor<?x4xf32>, %[[B:.*]]: tensor<?x4xf32>)
// CHECK:         %[[C0:.*]] = arith.constant 0 : index
// CHECK:         %[[N:.*]] = tensor.dim %[[A]], %[[C0]]
// CHECK:         %[[INIT:.*]] = tensor.empty(%[[N]]) : tensor<?x4xf32>
// CHECK:         %[[R:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID]], #[[ID]], #[[ID]]]
// CHECK-SAME:      iterator_types = ["parallel", "parallel"]
// CHECK-SAME:      ins(%[[A]], %[[B]] : tensor<?x4xf32>, tensor<?x4xf32>) outs(%[[INIT]] : tensor<?x4xf32>)
// CHECK:         ^bb0(%[[X:[a-z0-9_]+]]: f32, %[[Y:[a-z0-9_]+]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      %[[S:.*]] = arith.addf %[[X]], %[[Y]] : f32
// CHECK-NEXT:      linalg.yield %[[S]]
// CHECK:         return %[[R]]
// BUF-LABEL: func.func @add
// BUF-NOT:     linalg.
// BUF:         scf.for
// BUF:           scf.for
// BUF:             arith.addf
func.func @add(%a: tensor<?x4xf32>, %b: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = needle.add %a, %b : tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// f64 stays f64; a static operand makes the result static.
// CHECK-LABEL: func.func @binary_f64
// CHECK:         arith.mulf %{{.*}}, %{{.*}} : f64
// CHECK:         arith.divf %{{.*}}, %{{.*}} : f64
// CHECK:         math.powf %{{.*}}, %{{.*}} : f64
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%{{.*}}, %{{.*}} : tensor<?x3xf64>, tensor<2x3xf64>) outs(%{{.*}} : tensor<2x3xf64>)
func.func @binary_f64(%a: tensor<2x3xf64>, %b: tensor<2x3xf64>, %c: tensor<?x3xf64>) -> tensor<2x3xf64> {
  %0 = needle.mul %a, %b : tensor<2x3xf64>
  %1 = needle.div %0, %b : tensor<2x3xf64>
  %2 = needle.pow %1, %a : tensor<2x3xf64>
  %3 = needle.add %c, %2 : (tensor<?x3xf64>, tensor<2x3xf64>)
  return %3 : tensor<2x3xf64>
}

// -----

// The f64 scalar attribute becomes a constant of the element type, outside
// the generic.
// CHECK-LABEL: func.func @scalars
// CHECK:         %[[C15:.*]] = arith.constant 1.500000e+00 : f32
// CHECK:         linalg.generic
// CHECK:           arith.addf %{{.*}}, %[[C15]] : f32
// CHECK:         %[[CM2:.*]] = arith.constant -2.000000e+00 : f32
// CHECK:         linalg.generic
// CHECK:           arith.mulf %{{.*}}, %[[CM2]] : f32
// CHECK:         %[[C4:.*]] = arith.constant 4.000000e+00 : f32
// CHECK:         linalg.generic
// CHECK:           arith.divf %{{.*}}, %[[C4]] : f32
func.func @scalars(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = needle.add_scalar %x, 1.5 : tensor<?x4xf32>
  %1 = needle.mul_scalar %0, -2.0 : tensor<?x4xf32>
  %2 = needle.div_scalar %1, 4.0 : tensor<?x4xf32>
  return %2 : tensor<?x4xf32>
}

// -----

// CHECK-LABEL: func.func @scalar_f64
// CHECK:         %[[C:.*]] = arith.constant 1.000000e-01 : f64
// CHECK:           arith.mulf %{{.*}}, %[[C]] : f64
func.func @scalar_f64(%x: tensor<3xf64>) -> tensor<3xf64> {
  %0 = needle.mul_scalar %x, 0.1 : tensor<3xf64>
  return %0 : tensor<3xf64>
}

// -----

// Exponents 2, 0.5 and -1 are strength-reduced; others use math.powf.
// CHECK-LABEL: func.func @power_scalar
// CHECK:         linalg.generic
// CHECK:         ^bb0(%[[X2:[a-z0-9_]+]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      arith.mulf %[[X2]], %[[X2]] : f32
// CHECK:         linalg.generic
// CHECK:           math.sqrt
// CHECK:         %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK:         linalg.generic
// CHECK:         ^bb0(%[[XR:[a-z0-9_]+]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      arith.divf %[[ONE]], %[[XR]] : f32
// CHECK:         %[[E:.*]] = arith.constant 3.000000e+00 : f32
// CHECK:         linalg.generic
// CHECK:           math.powf %{{.*}}, %[[E]] : f32
// CHECK-NOT:     linalg.generic
// CHECK:         return
func.func @power_scalar(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = needle.power_scalar %x, 2.0 : tensor<?x4xf32>
  %1 = needle.power_scalar %0, 0.5 : tensor<?x4xf32>
  %2 = needle.power_scalar %1, -1.0 : tensor<?x4xf32>
  %3 = needle.power_scalar %2, 3.0 : tensor<?x4xf32>
  %4 = needle.power_scalar %3, 1.0 : tensor<?x4xf32>
  return %4 : tensor<?x4xf32>
}

// -----

// CHECK-LABEL: func.func @unary
// CHECK:         linalg.generic
// CHECK:           arith.negf
// CHECK:         linalg.generic
// CHECK:           math.exp
// CHECK:         linalg.generic
// CHECK:           math.log
// CHECK:         linalg.generic
// CHECK:           math.tanh
func.func @unary(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = needle.negate %x : tensor<?x4xf32>
  %1 = needle.exp %0 : tensor<?x4xf32>
  %2 = needle.log %1 : tensor<?x4xf32>
  %3 = needle.tanh %2 : tensor<?x4xf32>
  return %3 : tensor<?x4xf32>
}

// -----

// relu is max(x, 0) with maximumf (relu(0) = 0, NaN stays NaN); sigmoid is
// 1 / (1 + exp(-x)).
// CHECK-LABEL: func.func @relu_sigmoid
// CHECK:         linalg.generic
// CHECK:         ^bb0(%[[X:[a-z0-9_]+]]: f32, %{{.*}}: f32):
// CHECK:           %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:           arith.maximumf %[[X]], %[[ZERO]] : f32
// CHECK:         linalg.generic
// CHECK:         ^bb0(%[[Y:[a-z0-9_]+]]: f32, %{{.*}}: f32):
// CHECK:           %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK:           %[[NEG:.*]] = arith.negf %[[Y]]
// CHECK:           %[[EXP:.*]] = math.exp %[[NEG]]
// CHECK:           %[[DEN:.*]] = arith.addf %[[ONE]], %[[EXP]]
// CHECK:           arith.divf %[[ONE]], %[[DEN]]
func.func @relu_sigmoid(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = needle.relu %x : tensor<?x4xf32>
  %1 = needle.sigmoid %0 : tensor<?x4xf32>
  return %1 : tensor<?x4xf32>
}

// -----

// Sizes come from the first tensor.empty of a chain, not from tensor.dim of
// an intermediate result (a second use would block fusion), so a chain of
// element-wise ops fuses into one generic.
// FUSED-LABEL: func.func @chain
// FUSED:         linalg.generic
// FUSED:           arith.addf
// FUSED:           arith.maximumf
// FUSED:           math.tanh
// FUSED-NOT:     linalg.generic
// FUSED:         return
func.func @chain(%a: tensor<?x4xf32>, %b: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = needle.add %a, %b : tensor<?x4xf32>
  %1 = needle.relu %0 : tensor<?x4xf32>
  %2 = needle.tanh %1 : tensor<?x4xf32>
  return %2 : tensor<?x4xf32>
}

// -----

// Rank 0 works too.
// CHECK-LABEL: func.func @rank0
// CHECK:         tensor.empty() : tensor<f32>
// CHECK:         linalg.generic
// CHECK-SAME:      iterator_types = []
// CHECK:           math.exp
func.func @rank0(%x: tensor<f32>) -> tensor<f32> {
  %0 = needle.exp %x : tensor<f32>
  return %0 : tensor<f32>
}
