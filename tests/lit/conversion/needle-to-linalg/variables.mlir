// RUN: needle-opt %s --convert-needle-to-linalg | FileCheck %s

// Variables, reads and writes are not compute ops: they stay for the pass
// that turns them into function arguments; what uses them is lowered.

needle.variable parameter @w : tensor<3xf32> = #needle.ones
needle.variable buffer @count : tensor<3xf32> = #needle.zeros

// CHECK: needle.variable parameter @w
// CHECK: needle.variable buffer @count
// CHECK-LABEL: func.func @step
// CHECK-SAME:    (%[[X:.*]]: tensor<3xf32>)
// CHECK:         %[[W:.*]] = needle.read @w : tensor<3xf32>
// CHECK:         %[[C:.*]] = needle.read @count : tensor<3xf32>
// CHECK:         %[[Y:.*]] = linalg.generic
// CHECK-SAME:      ins(%[[X]], %[[W]] : tensor<3xf32>, tensor<3xf32>)
// CHECK:           arith.mulf
// CHECK:         %[[NC:.*]] = linalg.generic
// CHECK-SAME:      ins(%[[C]] : tensor<3xf32>)
// CHECK:           arith.addf
// CHECK:         needle.write @count, %[[NC]] : tensor<3xf32>
// CHECK:         return %[[Y]]
func.func @step(%x: tensor<3xf32>) -> tensor<3xf32> {
  %w = needle.read @w : tensor<3xf32>
  %c = needle.read @count : tensor<3xf32>
  %y = needle.mul %x, %w : tensor<3xf32>
  %c1 = needle.add_scalar %c, 1.0 : tensor<3xf32>
  needle.write @count, %c1 : tensor<3xf32>
  return %y : tensor<3xf32>
}
