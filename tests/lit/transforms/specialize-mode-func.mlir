// RUN: needle-opt %s --needle-specialize="mode=train func=second" | FileCheck %s
// RUN: not needle-opt %s --needle-specialize="mode=train func=third" 2>&1 | FileCheck %s --check-prefix=MISSING

// Only the named function is specialised (needlec specialises each entry's
// clone of a model function this way).
// CHECK-LABEL: func.func @first
// CHECK:         needle.dropout %
// CHECK-LABEL: func.func @second
// CHECK:         needle.dropout_mask
func.func @first(%x: tensor<4x5xf32>) -> tensor<4x5xf32> {
  %y = needle.dropout %x, 0.25 : tensor<4x5xf32>
  return %y : tensor<4x5xf32>
}
func.func @second(%x: tensor<4x5xf32>) -> tensor<4x5xf32> {
  %y = needle.dropout %x, 0.25 : tensor<4x5xf32>
  return %y : tensor<4x5xf32>
}

// MISSING: error: needle-specialize: no function @third
