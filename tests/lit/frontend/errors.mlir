// Shapes that do not chain fail at trace time: one error naming the op, both
// shapes and the layer (module path and kind), and which function was traced.

// RUN: not needle-trace-layers mismatch 2>&1 | FileCheck %s

// CHECK:      1 (Linear): error: 'needle.matmul' op operand 'lhs' of shape [?, 3] has 3 columns but operand 'rhs' of shape [2, 5] has 2 rows
// CHECK-NEXT: 1 (Linear): note: while tracing @forward
// CHECK-NOT:  error
