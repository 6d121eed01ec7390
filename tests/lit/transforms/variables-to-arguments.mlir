// RUN: needle-opt %s --needle-variables-to-arguments --split-input-file -verify-diagnostics | FileCheck %s

needle.variable parameter @w : tensor<3xf32> = #needle.ones
needle.variable buffer @unused : tensor<2xf32> = #needle.zeros
needle.variable buffer @stat : tensor<3xf32> = #needle.zeros

// Variables become trailing arguments in declaration order; reads after a
// write see the written value; the final value is materialised in place.
// CHECK-LABEL: func.func @step
// CHECK-SAME:    (%[[X:.*]]: tensor<3xf32>, %[[W:.*]]: tensor<3xf32> {needle.variable = "w"}, %[[S:.*]]: tensor<3xf32> {needle.variable = "stat"})
// CHECK-SAME:    attributes {needle.variables = ["w", "stat"], needle.writes = ["stat"]}
// CHECK:         %[[NEW:.*]] = needle.add %[[S]], %[[W]]
// CHECK:         %[[AGAIN:.*]] = needle.add %[[NEW]], %[[X]]
// CHECK:         %[[BUF:.*]] = bufferization.to_buffer %[[S]] : tensor<3xf32> to memref<3xf32>
// CHECK-NEXT:    bufferization.materialize_in_destination %[[AGAIN]] in writable %[[BUF]]
// CHECK-NEXT:    return %[[NEW]]
func.func @step(%x: tensor<3xf32>) -> tensor<3xf32> {
  %s = needle.read @stat : tensor<3xf32>
  %w = needle.read @w : tensor<3xf32>
  %new = needle.add %s, %w : tensor<3xf32>
  needle.write @stat, %new : tensor<3xf32>
  %s2 = needle.read @stat : tensor<3xf32>
  %again = needle.add %s2, %x : tensor<3xf32>
  needle.write @stat, %again : tensor<3xf32>
  return %s2 : tensor<3xf32>
}

// Private helpers are left alone.
// CHECK-LABEL: func.func private @helper
// CHECK-SAME:    () -> tensor<3xf32>
// CHECK:         needle.read @w
func.func private @helper() -> tensor<3xf32> {
  %w = needle.read @w : tensor<3xf32>
  return %w : tensor<3xf32>
}

// -----

needle.variable parameter @w : tensor<3xf32> = #needle.ones

func.func @nested(%c: i1) -> tensor<3xf32> {
  %r = scf.if %c -> tensor<3xf32> {
    // expected-error @+1 {{'needle.read' op inside a nested region is not supported}}
    %w = needle.read @w : tensor<3xf32>
    scf.yield %w : tensor<3xf32>
  } else {
    %z = tensor.empty() : tensor<3xf32>
    scf.yield %z : tensor<3xf32>
  }
  return %r : tensor<3xf32>
}
