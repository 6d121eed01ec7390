// What a user sees for a malformed file: `file:line:col: error: message`, the
// source line and a caret, a non-zero exit code, and no crash. With
// --split-input-file every case reports its error with the line number of the
// whole file; without it, the first error stops the tool and nothing is printed.
//
// RUN: not needle-opt %s --split-input-file -o /dev/null 2>&1 | FileCheck %s
// RUN: not needle-opt %s 2>&1 | FileCheck %s --check-prefix=FIRST

// FIRST:      {{.*}}errors.mlir:[[@LINE+6]]:8: error: custom op 'needle.conv' is unknown
// FIRST-NOT:  {{error:|module}}
// CHECK:      {{.*}}errors.mlir:[[@LINE+4]]:{{[0-9]+}}: error: custom op 'needle.conv' is unknown
// CHECK-NEXT: {{^}}  %0 = needle.conv %x : tensor<2xf32>
// CHECK-NEXT: {{^}}       ^
func.func @unknown_op(%x: tensor<2xf32>) {
  %0 = needle.conv %x : tensor<2xf32>
  return
}

// -----

// CHECK:      {{.*}}errors.mlir:[[@LINE+3]]:{{[0-9]+}}: error: unregistered operation 'needle.conv' found in dialect ('needle') that does not allow unknown operations
// CHECK-NEXT: {{^}}  %0 = "needle.conv"(%x) : (tensor<2xf32>) -> tensor<2xf32>
func.func @unknown_op_generic(%x: tensor<2xf32>) {
  %0 = "needle.conv"(%x) : (tensor<2xf32>) -> tensor<2xf32>
  return
}

// -----

// CHECK:      {{.*}}errors.mlir:[[@LINE+3]]:{{[0-9]+}}: error: 'needle.add' op operand 'rhs' has shape [3] but operand 'lhs' has shape [2]; needle does not broadcast implicitly (use broadcast_to)
// CHECK-NEXT: {{^}}  %0 = needle.add %a, %b : (tensor<2xf32>, tensor<3xf32>)
func.func @wrong_shape(%a: tensor<2xf32>, %b: tensor<3xf32>) {
  %0 = needle.add %a, %b : (tensor<2xf32>, tensor<3xf32>)
  return
}

// -----

// CHECK:      {{.*}}errors.mlir:[[@LINE+3]]:{{[0-9]+}}: error: 'needle.matmul' op operand 'lhs' of shape [?, 784] has 784 columns but operand 'rhs' of shape [100, 10] has 100 rows
// CHECK-NEXT: {{^}}  %0 = needle.matmul
func.func @wrong_matmul(%x: tensor<?x784xf32>, %w: tensor<100x10xf32>) {
  %0 = needle.matmul %x, %w : tensor<?x784xf32>, tensor<100x10xf32> -> tensor<?x10xf32>
  return
}

// -----

// Errors found by the verifier also show the operation in generic form.
// CHECK:      {{.*}}errors.mlir:[[@LINE+4]]:{{[0-9]+}}: error: 'needle.read' op reads undeclared variable @w
// CHECK-NEXT: {{^}}  %0 = needle.read @w : tensor<2xf32>
// CHECK:      {{.*}}errors.mlir:[[@LINE+2]]:{{[0-9]+}}: note: see current operation: %0 = "needle.read"() <{variable = @w}> : () -> tensor<2xf32>
func.func @undeclared_variable() {
  %0 = needle.read @w : tensor<2xf32>
  return
}

// -----

// CHECK:      {{.*}}errors.mlir:[[@LINE+3]]:{{[0-9]+}}: error: 'needle.write' op value of type 'tensor<3xf32>' does not match the type 'tensor<4xf32>' of variable @m
needle.variable buffer @m : tensor<4xf32> = #needle.zeros
func.func @wrong_variable_type(%v: tensor<3xf32>) {
  needle.write @m, %v : tensor<3xf32>
  return
}

// -----

// CHECK:      {{.*}}errors.mlir:[[@LINE+1]]:{{[0-9]+}}: error: rand needs finite low <= high, got low = 1.000000e+00, high = -1.000000e+00
needle.variable parameter @w : tensor<4xf32> = #needle.rand<low = 1.0, high = -1.0>
// CHECK-NOT: error:
