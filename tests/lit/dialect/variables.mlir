// Module-level variables: every initializer, every kind, reads and writes.
//
// RUN: needle-opt %s --split-input-file | needle-opt --split-input-file | FileCheck %s
// RUN: needle-opt %s --split-input-file --mlir-print-op-generic | needle-opt --split-input-file | FileCheck %s

// Every initializer attribute, on f32 and f64 variables.
// CHECK-LABEL: module @initializers
// CHECK:         needle.variable parameter @zeros : tensor<4xf32> = #needle.zeros
// CHECK:         needle.variable parameter @ones : tensor<4xf32> = #needle.ones
// CHECK:         needle.variable parameter @constant : tensor<4xf32> = #needle.constant<value = -2.500000e-01>
// CHECK:         needle.variable parameter @rand : tensor<4xf32> = #needle.rand<low = -1.000000e+00, high = 1.000000e+00>
// CHECK:         needle.variable parameter @randn : tensor<4xf32> = #needle.randn<mean = 0.000000e+00, std = 1.000000e+00>
// CHECK:         needle.variable parameter @kaiming_uniform : tensor<784x100xf32> = #needle.kaiming_uniform<fan_in = 784, fan_out = 100, gain = 1.4142135623730951>
// CHECK:         needle.variable parameter @kaiming_normal : tensor<100x10xf32> = #needle.kaiming_normal<fan_in = 100, fan_out = 10, gain = 1.4142135623730951>
// CHECK:         needle.variable parameter @xavier_uniform : tensor<3x5xf64> = #needle.xavier_uniform<fan_in = 3, fan_out = 5, gain = 1.000000e+00>
// CHECK:         needle.variable parameter @xavier_normal : tensor<3x5xf64> = #needle.xavier_normal<fan_in = 3, fan_out = 5, gain = 2.000000e+00>
// CHECK:         needle.variable parameter @zeros_f64 : tensor<2x2xf64> = #needle.zeros
// CHECK:         needle.variable parameter @rand_f64 : tensor<2xf64> = #needle.rand<low = 0.000000e+00, high = 0.000000e+00>
// CHECK:         needle.variable parameter @randn_f64 : tensor<2xf64> = #needle.randn<mean = -3.000000e+00, std = 0.000000e+00>
module @initializers {
  needle.variable parameter @zeros : tensor<4xf32> = #needle.zeros
  needle.variable parameter @ones : tensor<4xf32> = #needle.ones
  needle.variable parameter @constant : tensor<4xf32> = #needle.constant<value = -0.25>
  needle.variable parameter @rand : tensor<4xf32> = #needle.rand<low = -1.0, high = 1.0>
  needle.variable parameter @randn : tensor<4xf32> = #needle.randn<mean = 0.0, std = 1.0>
  needle.variable parameter @kaiming_uniform : tensor<784x100xf32> = #needle.kaiming_uniform<fan_in = 784, fan_out = 100, gain = 1.4142135623730951>
  needle.variable parameter @kaiming_normal : tensor<100x10xf32> = #needle.kaiming_normal<fan_in = 100, fan_out = 10, gain = 1.4142135623730951>
  needle.variable parameter @xavier_uniform : tensor<3x5xf64> = #needle.xavier_uniform<fan_in = 3, fan_out = 5, gain = 1.0>
  needle.variable parameter @xavier_normal : tensor<3x5xf64> = #needle.xavier_normal<fan_in = 3, fan_out = 5, gain = 2.0>
  needle.variable parameter @zeros_f64 : tensor<2x2xf64> = #needle.zeros
  // low == high and std == 0 are allowed (degenerate but well defined).
  needle.variable parameter @rand_f64 : tensor<2xf64> = #needle.rand<low = 0.0, high = 0.0>
  needle.variable parameter @randn_f64 : tensor<2xf64> = #needle.randn<mean = -3.0, std = 0.0>
}

// -----

// Float parameters print so that they parse back to the same bits: values
// that %e cannot hold exactly print in full, non-finite ones in hex.
// CHECK-LABEL: module @exact_floats
// CHECK:         @third : tensor<1xf64> = #needle.constant<value = 0.33333333333333331>
// CHECK:         @sum : tensor<1xf64> = #needle.constant<value = 0.30000000000000004>
// CHECK:         @tiny : tensor<1xf64> = #needle.constant<value = 4.940660e-324>
// CHECK:         @huge : tensor<1xf64> = #needle.constant<value = 1.7976931348623157E+308>
// CHECK:         @negzero : tensor<1xf64> = #needle.constant<value = -0.000000e+00>
// CHECK:         @inf : tensor<1xf64> = #needle.constant<value = 0x7FF0000000000000>
// CHECK:         @gain : tensor<2x2xf32> = #needle.kaiming_uniform<fan_in = 2, fan_out = 0, gain = 0.70710678118654757>
module @exact_floats {
  needle.variable buffer @third : tensor<1xf64> = #needle.constant<value = 0.33333333333333331>
  needle.variable buffer @sum : tensor<1xf64> = #needle.constant<value = 0.30000000000000004>
  needle.variable buffer @tiny : tensor<1xf64> = #needle.constant<value = 4.9406564584124654e-324>
  needle.variable buffer @huge : tensor<1xf64> = #needle.constant<value = 1.7976931348623157e308>
  needle.variable buffer @negzero : tensor<1xf64> = #needle.constant<value = -0.0>
  needle.variable buffer @inf : tensor<1xf64> = #needle.constant<value = 0x7FF0000000000000>
  needle.variable parameter @gain : tensor<2x2xf32> = #needle.kaiming_uniform<fan_in = 2, fan_out = 0, gain = 0.70710678118654757>
}

// -----

// Every kind; buffers and optimizer state may hold integers when their
// initializer is not random.
// CHECK-LABEL: module @kinds
// CHECK:         needle.variable parameter @weight : tensor<10x5xf32> = #needle.kaiming_uniform<fan_in = 10, fan_out = 5, gain = 1.000000e+00>
// CHECK:         needle.variable buffer @running_var : tensor<5xf32> = #needle.ones
// CHECK:         needle.variable buffer @num_batches : tensor<i64> = #needle.zeros
// CHECK:         needle.variable buffer @seed : tensor<i64> = #needle.seed
// CHECK:         needle.variable buffer @labels : tensor<3xi32> = #needle.constant<value = 7.000000e+00>
// CHECK:         needle.variable optimizer_state @adam_m : tensor<10x5xf32> = #needle.zeros
// CHECK:         needle.variable optimizer_state @adam_v : tensor<10x5xf32> = #needle.zeros
// CHECK:         needle.variable optimizer_state @step : tensor<i64> = #needle.ones
// CHECK:         needle.variable optimizer_state @noise : tensor<5xbf16> = #needle.randn<mean = 0.000000e+00, std = 1.000000e+00>
// CHECK:         needle.variable parameter @hidden : tensor<5xf64> = #needle.ones {sym_visibility = "private"}
module @kinds {
  needle.variable parameter @weight : tensor<10x5xf32> = #needle.kaiming_uniform<fan_in = 10, fan_out = 5, gain = 1.0>
  needle.variable buffer @running_var : tensor<5xf32> = #needle.ones
  needle.variable buffer @num_batches : tensor<i64> = #needle.zeros
  needle.variable buffer @seed : tensor<i64> = #needle.seed
  needle.variable buffer @labels : tensor<3xi32> = #needle.constant<value = 7.0>
  needle.variable optimizer_state @adam_m : tensor<10x5xf32> = #needle.zeros
  needle.variable optimizer_state @adam_v : tensor<10x5xf32> = #needle.zeros
  needle.variable optimizer_state @step : tensor<i64> = #needle.ones
  needle.variable optimizer_state @noise : tensor<5xbf16> = #needle.randn<mean = 0.0, std = 1.0>
  needle.variable parameter @hidden : tensor<5xf64> = #needle.ones {sym_visibility = "private"}
}

// -----

// Reads and writes: a symbol may contain dots (needle's state-dict names) and
// is quoted; reads and writes may appear in several functions, in any order.
// CHECK:       needle.variable parameter @"0.weight" : tensor<4x3xf32> = #needle.kaiming_uniform<fan_in = 4, fan_out = 3, gain = 1.4142135623730951>
// CHECK:       needle.variable buffer @"1.running_mean" : tensor<3xf32> = #needle.zeros
// CHECK:       needle.variable buffer @step : tensor<i64> = #needle.zeros
// CHECK-LABEL: func.func @forward
// CHECK-SAME:    (%[[X:.*]]: tensor<?x4xf32>)
// CHECK:         %[[W:.*]] = needle.read @"0.weight" : tensor<4x3xf32>
// CHECK:         %[[Y:.*]] = needle.matmul %[[X]], %[[W]]
// CHECK:         return %[[Y]]
// CHECK-LABEL: func.func @update
// CHECK-SAME:    (%[[G:.*]]: tensor<4x3xf32>, %[[M:.*]]: tensor<3xf32>)
// CHECK:         %[[W:.*]] = needle.read @"0.weight" : tensor<4x3xf32>
// CHECK:         %[[STEP:.*]] = needle.mul_scalar %[[G]], 1.000000e-01
// CHECK:         %[[NEW:.*]] = needle.add %[[W]], %[[STEP]]
// CHECK:         needle.write @"0.weight", %[[NEW]] : tensor<4x3xf32>
// CHECK:         %[[AGAIN:.*]] = needle.read @"0.weight" : tensor<4x3xf32>
// CHECK:         needle.write @"1.running_mean", %[[M]] : tensor<3xf32>
// CHECK:         %[[S:.*]] = needle.read @step : tensor<i64>
// CHECK:         needle.write @step, %[[S]] : tensor<i64>
// CHECK:         return %[[AGAIN]]
needle.variable parameter @"0.weight" : tensor<4x3xf32> = #needle.kaiming_uniform<fan_in = 4, fan_out = 3, gain = 1.4142135623730951>
needle.variable buffer @"1.running_mean" : tensor<3xf32> = #needle.zeros
needle.variable buffer @step : tensor<i64> = #needle.zeros
func.func @forward(%x: tensor<?x4xf32>) -> tensor<?x3xf32> {
  %w = needle.read @"0.weight" : tensor<4x3xf32>
  %y = needle.matmul %x, %w : tensor<?x4xf32>, tensor<4x3xf32> -> tensor<?x3xf32>
  return %y : tensor<?x3xf32>
}
func.func @update(%g: tensor<4x3xf32>, %m: tensor<3xf32>) -> tensor<4x3xf32> {
  %w = needle.read @"0.weight" : tensor<4x3xf32>
  %step = needle.mul_scalar %g, 0.1 : tensor<4x3xf32>
  %new = needle.add %w, %step : tensor<4x3xf32>
  needle.write @"0.weight", %new : tensor<4x3xf32>
  %again = needle.read @"0.weight" : tensor<4x3xf32>
  needle.write @"1.running_mean", %m : tensor<3xf32>
  %s = needle.read @step : tensor<i64>
  needle.write @step, %s : tensor<i64>
  return %again : tensor<4x3xf32>
}

// -----

// Functions in a nested module see that module's variables; a variable may be
// declared after its users.
// CHECK-LABEL: module @outer
// CHECK:         module @inner
// CHECK-LABEL:     func.func @use
// CHECK:             %[[V:.*]] = needle.read @v : tensor<2xf64>
// CHECK:             needle.write @v, %[[V]] : tensor<2xf64>
// CHECK:           needle.variable buffer @v : tensor<2xf64> = #needle.constant<value = 5.000000e-01>
module @outer {
  module @inner {
    func.func @use() {
      %v = needle.read @v : tensor<2xf64>
      needle.write @v, %v : tensor<2xf64>
      return
    }
    needle.variable buffer @v : tensor<2xf64> = #needle.constant<value = 0.5>
  }
}
