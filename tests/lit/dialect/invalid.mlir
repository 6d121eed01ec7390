// Every verifier and type-inference error of the needle dialect, one per case.
// Errors found by type inference while parsing the custom form are reported
// once; in the generic form the verifier reports them and then adds "failed to
// infer returned types".
//
// RUN: needle-opt %s -split-input-file -verify-diagnostics

//===----------------------------------------------------------------------===//
// Element-wise binary operations
//===----------------------------------------------------------------------===//

func.func @add_element_type(%a: tensor<2x3xf32>, %b: tensor<2x3xf64>) {
  // expected-error @+1 {{'needle.add' op operand 'rhs' has element type 'f64' but operand 'lhs' has element type 'f32'}}
  %0 = needle.add %a, %b : (tensor<2x3xf32>, tensor<2x3xf64>)
  return
}

// -----

func.func @add_shape(%a: tensor<2x3xf32>, %b: tensor<3x2xf32>) {
  // expected-error @+1 {{'needle.add' op operand 'rhs' has shape [3, 2] but operand 'lhs' has shape [2, 3]; needle does not broadcast implicitly (use broadcast_to)}}
  %0 = needle.add %a, %b : (tensor<2x3xf32>, tensor<3x2xf32>)
  return
}

// -----

func.func @mul_rank(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'needle.mul' op operand 'rhs' has shape [3] but operand 'lhs' has shape [2, 3]; needle does not broadcast implicitly}}
  %0 = needle.mul %a, %b : (tensor<2x3xf32>, tensor<3xf32>)
  return
}

// -----

// A dynamic dimension does not hide a mismatch in another one.
func.func @div_dynamic_shape(%a: tensor<?x3xf64>, %b: tensor<?x4xf64>) {
  // expected-error @+1 {{'needle.div' op operand 'rhs' has shape [?, 4] but operand 'lhs' has shape [?, 3]}}
  %0 = needle.div %a, %b : (tensor<?x3xf64>, tensor<?x4xf64>)
  return
}

// -----

func.func @pow_broadcast(%a: tensor<2x3xf32>, %b: tensor<1x3xf32>) {
  // expected-error @+1 {{'needle.pow' op operand 'rhs' has shape [1, 3] but operand 'lhs' has shape [2, 3]}}
  %0 = needle.pow %a, %b : (tensor<2x3xf32>, tensor<1x3xf32>)
  return
}

// -----

func.func @add_unranked(%a: tensor<*xf32>) {
  // expected-error @+1 {{'needle.add' op expects ranked tensor operands}}
  %0 = needle.add %a, %a : tensor<*xf32>
  return
}

// -----

func.func @add_integer(%a: tensor<2xi32>) {
  // expected-error @+1 {{'needle.add' op operand #0 must be ranked tensor of floating-point values, but got 'tensor<2xi32>'}}
  %0 = needle.add %a, %a : tensor<2xi32>
  return
}

// -----

// The generic form states a result type; it must be the inferred one.
func.func @add_wrong_result(%a: tensor<2xf32>) {
  // expected-error @+2 {{'needle.add' op inferred type(s) 'tensor<2xf32>' are incompatible with return type(s) of operation 'tensor<3xf32>'}}
  // expected-error @+1 {{'needle.add' op failed to infer returned types}}
  %0 = "needle.add"(%a, %a) : (tensor<2xf32>, tensor<2xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @mul_generic_shape(%a: tensor<2xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{'needle.mul' op operand 'rhs' has shape [3] but operand 'lhs' has shape [2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = "needle.mul"(%a, %b) : (tensor<2xf32>, tensor<3xf32>) -> tensor<2xf32>
  return
}

//===----------------------------------------------------------------------===//
// Element-wise operations with a scalar, unary operations
//===----------------------------------------------------------------------===//

// -----

func.func @add_scalar_result_type(%a: tensor<2xf32>) {
  // expected-error @+1 {{'needle.add_scalar' op requires the same type for all operands and results}}
  %0 = "needle.add_scalar"(%a) {scalar = 1.0 : f64} : (tensor<2xf32>) -> tensor<2xf64>
  return
}

// -----

func.func @mul_scalar_f32_attr(%a: tensor<2xf32>) {
  // expected-error @+1 {{'needle.mul_scalar' op attribute 'scalar' failed to satisfy constraint: 64-bit float attribute}}
  %0 = "needle.mul_scalar"(%a) {scalar = 1.0 : f32} : (tensor<2xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @exp_integer(%a: tensor<2xi64>) {
  // expected-error @+1 {{'needle.exp' op operand #0 must be ranked tensor of floating-point values, but got 'tensor<2xi64>'}}
  %0 = needle.exp %a : tensor<2xi64>
  return
}

// -----

func.func @relu_result_shape(%a: tensor<?x2xf32>) {
  // expected-error @+2 {{'needle.relu' op inferred type(s) 'tensor<?x2xf32>' are incompatible with return type(s) of operation 'tensor<4x2xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = "needle.relu"(%a) : (tensor<?x2xf32>) -> tensor<4x2xf32>
  return
}

//===----------------------------------------------------------------------===//
// reshape
//===----------------------------------------------------------------------===//

// -----

func.func @reshape_element_count(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'needle.reshape' op cannot reshape operand of shape [2, 3] (6 elements) to [4, 2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.reshape %x [4, 2] : tensor<2x3xf32> -> tensor<4x2xf32>
  return
}

// -----

func.func @reshape_inferred_not_divisible(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'needle.reshape' op cannot reshape operand of shape [2, 3] (6 elements) to [-1, 4]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.reshape %x [-1, 4] : tensor<2x3xf32> -> tensor<?x4xf32>
  return
}

// -----

func.func @reshape_two_inferred(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'needle.reshape' op shape [-1, -1] has more than one -1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.reshape %x [-1, -1] : tensor<2x3xf32> -> tensor<?x?xf32>
  return
}

// -----

func.func @reshape_zero(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'needle.reshape' op shape [6, 0] has a non-positive dimension 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.reshape %x [6, 0] : tensor<2x3xf32> -> tensor<6x0xf32>
  return
}

// -----

func.func @reshape_negative(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'needle.reshape' op shape [-2, 3] has a non-positive dimension -2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.reshape %x [-2, 3] : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

// With a dynamic operand, the static part must still divide the target size.
func.func @reshape_dynamic_static_part(%x: tensor<?x3xf32>) {
  // expected-error @+2 {{'needle.reshape' op cannot reshape operand of shape [?, 3] to [4, 5]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.reshape %x [4, 5] : tensor<?x3xf32> -> tensor<4x5xf32>
  return
}

// -----

func.func @reshape_wrong_result(%x: tensor<?x28x28xf32>) {
  // expected-error @+2 {{'needle.reshape' op inferred type(s) 'tensor<?x784xf32>' are incompatible with return type(s) of operation 'tensor<8x784xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.reshape %x [-1, 784] : tensor<?x28x28xf32> -> tensor<8x784xf32>
  return
}

// -----

func.func @reshape_element_type(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'needle.reshape' op inferred type(s) 'tensor<6xf32>' are incompatible with return type(s) of operation 'tensor<6xf64>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.reshape %x [6] : tensor<2x3xf32> -> tensor<6xf64>
  return
}

// -----
// Unranked operands: where the custom form states operand types, the parser
// wants a ranked tensor; the generic form meets the ODS operand constraint
// before type inference.
func.func @reshape_unranked(%x: tensor<*xf32>) {
  // expected-error @+1 {{custom op 'needle.reshape' invalid kind of type specified: expected builtin.tensor, but found 'tensor<*xf32>'}}
  %0 = needle.reshape %x [6] : tensor<*xf32> -> tensor<6xf32>
  return
}

// -----

func.func @matmul_unranked_generic(%x: tensor<*xf32>) {
  // expected-error @+1 {{'needle.matmul' op operand #0 must be ranked tensor of floating-point values, but got 'tensor<*xf32>'}}
  %0 = "needle.matmul"(%x, %x) : (tensor<*xf32>, tensor<*xf32>) -> tensor<6xf32>
  return
}

// -----

func.func @broadcast_incompatible(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'needle.broadcast_to' op cannot broadcast operand of shape [2, 3] to [4, 3]: dimension 0 has size 2, not 1 or 4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.broadcast_to %x [4, 3] : tensor<2x3xf32> -> tensor<4x3xf32>
  return
}

// -----

func.func @broadcast_incompatible_leading(%x: tensor<3x1xf32>) {
  // expected-error @+2 {{'needle.broadcast_to' op cannot broadcast operand of shape [3, 1] to [5, 2, 7]: dimension 0 has size 3, not 1 or 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.broadcast_to %x [5, 2, 7] : tensor<3x1xf32> -> tensor<5x2x7xf32>
  return
}

// -----

func.func @broadcast_lower_rank(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'needle.broadcast_to' op cannot broadcast operand of shape [2, 3] to the lower-rank shape [3]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.broadcast_to %x [3] : tensor<2x3xf32> -> tensor<3xf32>
  return
}

// -----

func.func @broadcast_non_positive(%x: tensor<1xf32>) {
  // expected-error @+2 {{'needle.broadcast_to' op shape [0, 1] has a non-positive dimension 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.broadcast_to %x [0, 1] : tensor<1xf32> -> tensor<0x1xf32>
  return
}

// -----

func.func @broadcast_negative(%x: tensor<1xf32>) {
  // expected-error @+2 {{'needle.broadcast_to' op shape [-1, 1] has a non-positive dimension -1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.broadcast_to %x [-1, 1] : tensor<1xf32> -> tensor<2x1xf32>
  return
}

// -----

// The custom form keeps sizes and operands consistent; the generic form may not.
func.func @broadcast_size_operands(%x: tensor<1xf32>, %n: index) {
  // expected-error @+2 {{'needle.broadcast_to' op shape [3, 2] has 0 dynamic dimensions but 1 size operands}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = "needle.broadcast_to"(%x, %n) {static_shape = array<i64: 3, 2>} : (tensor<1xf32>, index) -> tensor<3x2xf32>
  return
}

// -----

func.func @broadcast_missing_size_operand(%x: tensor<1xf32>) {
  // expected-error @+2 {{'needle.broadcast_to' op shape [?, 2] has 1 dynamic dimensions but 0 size operands}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = "needle.broadcast_to"(%x) {static_shape = array<i64: -9223372036854775808, 2>} : (tensor<1xf32>) -> tensor<?x2xf32>
  return
}

// -----

func.func @broadcast_wrong_result(%x: tensor<1x10xf32>, %n: index) {
  // expected-error @+2 {{'needle.broadcast_to' op inferred type(s) 'tensor<?x10xf32>' are incompatible with return type(s) of operation 'tensor<4x10xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.broadcast_to %x [%n, 10] : tensor<1x10xf32> -> tensor<4x10xf32>
  return
}

// -----

func.func @transpose_three_axes(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{'needle.transpose' op expects exactly two axes, got [0, 1, 2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.transpose %x [0, 1, 2] : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  return
}

// -----

func.func @transpose_one_axis(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'needle.transpose' op expects exactly two axes, got [1]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.transpose %x [1] : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @transpose_axis_too_large(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'needle.transpose' op axis 2 is out of range for operand of shape [2, 3]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.transpose %x [0, 2] : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @transpose_negative_axis(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'needle.transpose' op axis -1 is out of range for operand of shape [2, 3]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.transpose %x [-1, 0] : tensor<2x3xf32> -> tensor<3x2xf32>
  return
}

// -----

func.func @transpose_wrong_result(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'needle.transpose' op inferred type(s) 'tensor<3x2xf32>' are incompatible with return type(s) of operation 'tensor<2x3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.transpose %x [0, 1] : tensor<2x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @summation_axis_out_of_range(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'needle.summation' op axis 2 is out of range for operand of shape [2, 3] (rank 2)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.summation %x axes [2] : tensor<2x3xf32> -> tensor<2xf32>
  return
}

// -----

func.func @summation_negative_axis(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'needle.summation' op axis -1 is out of range for operand of shape [2, 3] (rank 2)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.summation %x axes [-1] : tensor<2x3xf32> -> tensor<2xf32>
  return
}

// -----

func.func @summation_duplicate_axis(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'needle.summation' op axis 1 appears more than once}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.summation %x axes [1, 0, 1] : tensor<2x3xf32> -> tensor<f32>
  return
}

// -----

func.func @summation_wrong_result(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'needle.summation' op inferred type(s) 'tensor<3xf32>' are incompatible with return type(s) of operation 'tensor<1x3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.summation %x axes [0] : tensor<2x3xf32> -> tensor<1x3xf32>
  return
}

// -----

func.func @logsumexp_axis_out_of_range(%x: tensor<?x10xf64>) {
  // expected-error @+2 {{'needle.logsumexp' op axis 5 is out of range for operand of shape [?, 10] (rank 2)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.logsumexp %x axes [5] : tensor<?x10xf64> -> tensor<?xf64>
  return
}

// -----

func.func @logsumexp_duplicate_axis(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'needle.logsumexp' op axis 0 appears more than once}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.logsumexp %x axes [0, 0] : tensor<2x3xf32> -> tensor<3xf32>
  return
}

// -----

func.func @matmul_inner_dims(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+2 {{'needle.matmul' op operand 'lhs' of shape [2, 3] has 3 columns but operand 'rhs' of shape [4, 5] has 4 rows}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.matmul %a, %b : tensor<2x3xf32>, tensor<4x5xf32> -> tensor<2x5xf32>
  return
}

// -----

func.func @matmul_batch_broadcast(%a: tensor<2x4x3xf32>, %b: tensor<5x3x7xf32>) {
  // expected-error @+2 {{'needle.matmul' op batch dimensions of lhs [2, 4, 3] and rhs [5, 3, 7] do not broadcast}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.matmul %a, %b : tensor<2x4x3xf32>, tensor<5x3x7xf32> -> tensor<2x4x7xf32>
  return
}

// -----

func.func @matmul_rank1(%a: tensor<3xf32>, %b: tensor<3x7xf32>) {
  // expected-error @+2 {{'needle.matmul' op expects operands of rank 2 or more, got lhs [3] and rhs [3, 7]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.matmul %a, %b : tensor<3xf32>, tensor<3x7xf32> -> tensor<7xf32>
  return
}

// -----

func.func @matmul_element_type(%a: tensor<2x3xf32>, %b: tensor<3x4xf64>) {
  // expected-error @+2 {{'needle.matmul' op operand 'rhs' has element type 'f64' but operand 'lhs' has element type 'f32'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.matmul %a, %b : tensor<2x3xf32>, tensor<3x4xf64> -> tensor<2x4xf32>
  return
}

// -----

func.func @matmul_wrong_result(%a: tensor<?x3xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+2 {{'needle.matmul' op inferred type(s) 'tensor<?x4xf32>' are incompatible with return type(s) of operation 'tensor<2x4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.matmul %a, %b : tensor<?x3xf32>, tensor<3x4xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @stack_shape(%a: tensor<2x3xf32>, %b: tensor<3x3xf32>) {
  // expected-error @+2 {{'needle.stack' op operand #1 has type 'tensor<3x3xf32>' but operand #0 has type 'tensor<2x3xf32>'; stacked tensors have one shape}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.stack %a, %b axis 0 : tensor<2x3xf32>, tensor<3x3xf32> -> tensor<2x2x3xf32>
  return
}

// -----

func.func @stack_third_operand(%a: tensor<?x3xf32>, %b: tensor<2x3xf32>, %c: tensor<2x4xf32>) {
  // expected-error @+2 {{'needle.stack' op operand #2 has type 'tensor<2x4xf32>' but operand #0 has type 'tensor<?x3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.stack %a, %b, %c axis 0 : tensor<?x3xf32>, tensor<2x3xf32>, tensor<2x4xf32> -> tensor<3x2x3xf32>
  return
}

// -----

func.func @stack_element_type(%a: tensor<3xf32>, %b: tensor<3xf64>) {
  // expected-error @+2 {{'needle.stack' op operand #1 has type 'tensor<3xf64>' but operand #0 has type 'tensor<3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.stack %a, %b axis 0 : tensor<3xf32>, tensor<3xf64> -> tensor<2x3xf32>
  return
}

// -----

func.func @stack_axis_too_large(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'needle.stack' op axis 3 is out of range [0, 2] for operands of shape [2, 3]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.stack %a, %a axis 3 : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3x2xf32>
  return
}

// -----

func.func @stack_negative_axis(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'needle.stack' op axis -1 is out of range [0, 2] for operands of shape [2, 3]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.stack %a, %a axis -1 : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3x2xf32>
  return
}

// -----

func.func @stack_no_operands() {
  // expected-error @+2 {{'needle.stack' op expects at least one operand}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = "needle.stack"() {axis = 0 : i64} : () -> tensor<0xf32>
  return
}

// -----

func.func @stack_unranked_first(%a: tensor<*xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'needle.stack' op operand #0 must be variadic of ranked tensor of floating-point values, but got 'tensor<*xf32>'}}
  %0 = needle.stack %a, %b axis 0 : tensor<*xf32>, tensor<3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @stack_unranked_second(%a: tensor<3xf32>, %b: tensor<*xf32>) {
  // expected-error @+1 {{'needle.stack' op operand #1 must be variadic of ranked tensor of floating-point values, but got 'tensor<*xf32>'}}
  %0 = needle.stack %a, %b axis 0 : tensor<3xf32>, tensor<*xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @stack_wrong_result(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'needle.stack' op inferred type(s) 'tensor<2x2x3xf32>' are incompatible with return type(s) of operation 'tensor<2x3x2xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.stack %a, %a axis 0 : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<2x3x2xf32>
  return
}

// -----

func.func @split_dynamic_axis(%x: tensor<?x3xf32>) {
  // expected-error @+2 {{'needle.split' op axis 0 of operand of shape [?, 3] is dynamic; the number of results must be static}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = needle.split %x axis 0 : tensor<?x3xf32> -> tensor<3xf32>, tensor<3xf32>
  return
}

// -----

func.func @split_axis_out_of_range(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'needle.split' op axis 2 is out of range for operand of shape [2, 3]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = needle.split %x axis 2 : tensor<2x3xf32> -> tensor<2xf32>, tensor<2xf32>
  return
}

// -----

func.func @split_negative_axis(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'needle.split' op axis -1 is out of range for operand of shape [2, 3]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:2 = needle.split %x axis -1 : tensor<2x3xf32> -> tensor<2xf32>, tensor<2xf32>
  return
}

// -----

func.func @split_result_count(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'needle.split' op inferred type(s) 'tensor<3xf32>', 'tensor<3xf32>' are incompatible with return type(s) of operation 'tensor<3xf32>', 'tensor<3xf32>', 'tensor<3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:3 = needle.split %x axis 0 : tensor<2x3xf32> -> tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
  return
}

// -----

func.func @flip_axis_out_of_range(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'needle.flip' op axis 2 is out of range for operand of shape [2, 3] (rank 2)}}
  %0 = needle.flip %x [0, 2] : tensor<2x3xf32>
  return
}

// -----

func.func @flip_negative_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'needle.flip' op axis -2 is out of range for operand of shape [2, 3] (rank 2)}}
  %0 = needle.flip %x [-2] : tensor<2x3xf32>
  return
}

// -----

func.func @flip_duplicate_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'needle.flip' op axis 1 appears more than once}}
  %0 = needle.flip %x [1, 1] : tensor<2x3xf32>
  return
}

//===----------------------------------------------------------------------===//
// BatchNorm
//===----------------------------------------------------------------------===//

// -----

func.func @batch_norm_rank(%x: tensor<2x3x4xf32>, %w: tensor<3xf32>) {
  // expected-error @+1 {{'needle.batch_norm' op operand 'x' has shape [2, 3, 4] but BatchNorm1d expects rank 2 (batch, features)}}
  %0 = needle.batch_norm %x, %w, %w, %w, %w : tensor<2x3x4xf32>, tensor<3xf32>
  return
}

// -----

func.func @batch_norm_weight_features(%x: tensor<?x4xf32>, %w: tensor<5xf32>) {
  // expected-error @+1 {{'needle.batch_norm' op operand 'weight' has shape [5] but operand 'x' has shape [?, 4]: expected [4]}}
  %0 = needle.batch_norm %x, %w, %w, %w, %w : tensor<?x4xf32>, tensor<5xf32>
  return
}

// -----

func.func @batch_norm_bias_features(%x: tensor<?x4xf32>, %w: tensor<4xf32>, %b: tensor<5xf32>) {
  // expected-error @+1 {{'needle.batch_norm' op operand 'bias' has shape [5] but operand 'x' has shape [?, 4]: expected [4]}}
  %0 = needle.batch_norm %x, %w, %b, %w, %w : tensor<?x4xf32>, (tensor<4xf32>, tensor<5xf32>, tensor<4xf32>, tensor<4xf32>)
  return
}

// -----

// With dynamic features, the first static per-feature operand fixes the size.
func.func @batch_norm_running_mean_features(%x: tensor<?x?xf32>, %w: tensor<4xf32>, %m: tensor<3xf32>) {
  // expected-error @+1 {{'needle.batch_norm' op operand 'running_mean' has shape [3] but operand 'x' has shape [?, ?]: expected [4]}}
  %0 = needle.batch_norm %x, %w, %w, %m, %w : tensor<?x?xf32>, (tensor<4xf32>, tensor<4xf32>, tensor<3xf32>, tensor<4xf32>)
  return
}

// -----

func.func @batch_norm_running_var_rank(%x: tensor<?x?xf32>, %w: tensor<?xf32>, %v: tensor<1x4xf32>) {
  // expected-error @+1 {{'needle.batch_norm' op operand 'running_var' has shape [1, 4] but operand 'x' has shape [?, ?]: expected [?]}}
  %0 = needle.batch_norm %x, %w, %w, %w, %v : tensor<?x?xf32>, (tensor<?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<1x4xf32>)
  return
}

// -----

func.func @batch_norm_element_type(%x: tensor<?x4xf32>, %w: tensor<4xf64>) {
  // expected-error @+1 {{'needle.batch_norm' op operand 'weight' has element type 'f64' but operand 'x' has element type 'f32'}}
  %0 = needle.batch_norm %x, %w, %w, %w, %w : tensor<?x4xf32>, tensor<4xf64>
  return
}

// -----

func.func @batch_norm_unranked_weight(%x: tensor<2x4xf32>, %w: tensor<*xf32>) {
  // expected-error @+1 {{'needle.batch_norm' op expects ranked tensor operands}}
  %0 = needle.batch_norm %x, %w, %w, %w, %w : tensor<2x4xf32>, tensor<*xf32>
  return
}

// -----

func.func @batch_norm_negative_eps(%x: tensor<?x4xf32>, %w: tensor<4xf32>) {
  // expected-error @+1 {{'needle.batch_norm' op eps must be non-negative, got -1.000000e-05}}
  %0 = needle.batch_norm %x, %w, %w, %w, %w {eps = -1.0e-5} : tensor<?x4xf32>, tensor<4xf32>
  return
}

// -----

func.func @batch_norm_nan_eps(%x: tensor<?x4xf32>, %w: tensor<4xf32>) {
  // expected-error @+1 {{'needle.batch_norm' op eps must be non-negative, got nan}}
  %0 = needle.batch_norm %x, %w, %w, %w, %w {eps = 0x7FF8000000000000 : f64} : tensor<?x4xf32>, tensor<4xf32>
  return
}

// -----

func.func @batch_norm_momentum_above_one(%x: tensor<?x4xf32>, %w: tensor<4xf32>) {
  // expected-error @+1 {{'needle.batch_norm' op momentum must be in [0, 1], got 1.500000e+00}}
  %0 = needle.batch_norm %x, %w, %w, %w, %w {momentum = 1.5} : tensor<?x4xf32>, tensor<4xf32>
  return
}

// -----

func.func @batch_norm_negative_momentum(%x: tensor<?x4xf32>, %w: tensor<4xf32>) {
  // expected-error @+1 {{'needle.batch_norm' op momentum must be in [0, 1], got -1.000000e-01}}
  %0 = needle.batch_norm %x, %w, %w, %w, %w {momentum = -0.1} : tensor<?x4xf32>, tensor<4xf32>
  return
}

// -----

func.func @batch_norm_wrong_result(%x: tensor<?x4xf32>, %w: tensor<4xf32>) {
  // expected-error @+2 {{'needle.batch_norm' op inferred type(s) 'tensor<?x4xf32>' are incompatible with return type(s) of operation 'tensor<8x4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = "needle.batch_norm"(%x, %w, %w, %w, %w) : (tensor<?x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<8x4xf32>
  return
}

// -----

func.func @batch_norm_train_rank(%x: tensor<4xf32>, %w: tensor<4xf32>) {
  // expected-error @+1 {{'needle.batch_norm_train' op operand 'x' has shape [4] but BatchNorm1d expects rank 2 (batch, features)}}
  %0:5 = needle.batch_norm_train %x, %w, %w, %w, %w : tensor<4xf32>, tensor<4xf32>
  return
}

// -----

func.func @batch_norm_train_running_var(%x: tensor<2x4xf32>, %w: tensor<4xf32>, %v: tensor<2xf32>) {
  // expected-error @+1 {{'needle.batch_norm_train' op operand 'running_var' has shape [2] but operand 'x' has shape [2, 4]: expected [4]}}
  %0:5 = needle.batch_norm_train %x, %w, %w, %w, %v : tensor<2x4xf32>, (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<2xf32>)
  return
}

// -----

func.func @batch_norm_train_element_type(%x: tensor<2x4xf64>, %w: tensor<4xf64>, %m: tensor<4xf32>) {
  // expected-error @+1 {{'needle.batch_norm_train' op operand 'running_mean' has element type 'f32' but operand 'x' has element type 'f64'}}
  %0:5 = needle.batch_norm_train %x, %w, %w, %m, %w : tensor<2x4xf64>, (tensor<4xf64>, tensor<4xf64>, tensor<4xf32>, tensor<4xf64>)
  return
}

// -----

func.func @batch_norm_train_negative_eps(%x: tensor<2x4xf32>, %w: tensor<4xf32>) {
  // expected-error @+1 {{'needle.batch_norm_train' op eps must be non-negative, got -1.000000e+00}}
  %0:5 = needle.batch_norm_train %x, %w, %w, %w, %w {eps = -1.0} : tensor<2x4xf32>, tensor<4xf32>
  return
}

// -----

func.func @batch_norm_train_momentum(%x: tensor<2x4xf32>, %w: tensor<4xf32>) {
  // expected-error @+1 {{'needle.batch_norm_train' op momentum must be in [0, 1], got 2.000000e+00}}
  %0:5 = needle.batch_norm_train %x, %w, %w, %w, %w {momentum = 2.0} : tensor<2x4xf32>, tensor<4xf32>
  return
}

// -----

func.func @batch_norm_train_result_count(%x: tensor<2x4xf32>, %w: tensor<4xf32>) {
  // expected-error @+1 {{'needle.batch_norm_train' op expected 5 results}}
  %0:4 = "needle.batch_norm_train"(%x, %w, %w, %w, %w) : (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<2x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
  return
}

// -----

func.func @batch_norm_infer_rank(%x: tensor<2x4x1xf32>, %w: tensor<4xf32>) {
  // expected-error @+1 {{'needle.batch_norm_infer' op operand 'x' has shape [2, 4, 1] but BatchNorm1d expects rank 2 (batch, features)}}
  %0 = needle.batch_norm_infer %x, %w, %w, %w, %w : tensor<2x4x1xf32>, tensor<4xf32>
  return
}

// -----

func.func @batch_norm_infer_features(%x: tensor<2x4xf32>, %w: tensor<4xf32>, %m: tensor<8xf32>) {
  // expected-error @+1 {{'needle.batch_norm_infer' op operand 'running_mean' has shape [8] but operand 'x' has shape [2, 4]: expected [4]}}
  %0 = needle.batch_norm_infer %x, %w, %w, %m, %w : tensor<2x4xf32>, (tensor<4xf32>, tensor<4xf32>, tensor<8xf32>, tensor<4xf32>)
  return
}

// -----

func.func @batch_norm_infer_negative_eps(%x: tensor<2x4xf32>, %w: tensor<4xf32>) {
  // expected-error @+1 {{'needle.batch_norm_infer' op eps must be non-negative, got -5.000000e-01}}
  %0 = needle.batch_norm_infer %x, %w, %w, %w, %w {eps = -0.5} : tensor<2x4xf32>, tensor<4xf32>
  return
}

// -----

func.func @batch_norm_train_grad_grad_y_shape(%dy: tensor<3x4xf32>, %x: tensor<2x4xf32>, %w: tensor<4xf32>) {
  // expected-error @+1 {{'needle.batch_norm_train_grad' op operand 'grad_y' has shape [3, 4] but operand 'x' has shape [2, 4]}}
  %0:3 = needle.batch_norm_train_grad %dy, %x, %w, %w, %w : (tensor<3x4xf32>, tensor<2x4xf32>), tensor<4xf32>
  return
}

// -----

func.func @batch_norm_train_grad_grad_y_rank(%dy: tensor<8xf32>, %x: tensor<2x4xf32>, %w: tensor<4xf32>) {
  // expected-error @+1 {{'needle.batch_norm_train_grad' op operand 'grad_y' has shape [8] but operand 'x' has shape [2, 4]}}
  %0:3 = needle.batch_norm_train_grad %dy, %x, %w, %w, %w : (tensor<8xf32>, tensor<2x4xf32>), tensor<4xf32>
  return
}

// -----

func.func @batch_norm_train_grad_grad_y_element_type(%dy: tensor<2x4xf64>, %x: tensor<2x4xf32>, %w: tensor<4xf32>) {
  // expected-error @+1 {{'needle.batch_norm_train_grad' op operand 'grad_y' has element type 'f64' but operand 'x' has element type 'f32'}}
  %0:3 = needle.batch_norm_train_grad %dy, %x, %w, %w, %w : (tensor<2x4xf64>, tensor<2x4xf32>), tensor<4xf32>
  return
}

// -----

func.func @batch_norm_train_grad_grad_y_unranked(%dy: tensor<*xf32>, %x: tensor<2x4xf32>, %w: tensor<4xf32>) {
  // expected-error @+1 {{'needle.batch_norm_train_grad' op expects ranked tensor operands}}
  %0:3 = needle.batch_norm_train_grad %dy, %x, %w, %w, %w : (tensor<*xf32>, tensor<2x4xf32>), tensor<4xf32>
  return
}

// -----

func.func @batch_norm_train_grad_rank(%x: tensor<2x4x3xf32>, %w: tensor<4xf32>) {
  // expected-error @+1 {{'needle.batch_norm_train_grad' op operand 'x' has shape [2, 4, 3] but BatchNorm1d expects rank 2 (batch, features)}}
  %0:3 = needle.batch_norm_train_grad %x, %x, %w, %w, %w : tensor<2x4x3xf32>, tensor<4xf32>
  return
}

// -----

func.func @batch_norm_train_grad_batch_mean(%x: tensor<2x4xf32>, %w: tensor<4xf32>, %m: tensor<2xf32>) {
  // expected-error @+1 {{'needle.batch_norm_train_grad' op operand 'batch_mean' has shape [2] but operand 'x' has shape [2, 4]: expected [4]}}
  %0:3 = needle.batch_norm_train_grad %x, %x, %w, %m, %w : tensor<2x4xf32>, (tensor<4xf32>, tensor<2xf32>, tensor<4xf32>)
  return
}

// -----

func.func @batch_norm_train_grad_batch_invstd(%x: tensor<2x4xf32>, %w: tensor<4xf32>, %s: tensor<4xf64>) {
  // expected-error @+1 {{'needle.batch_norm_train_grad' op operand 'batch_invstd' has element type 'f64' but operand 'x' has element type 'f32'}}
  %0:3 = needle.batch_norm_train_grad %x, %x, %w, %w, %s : tensor<2x4xf32>, (tensor<4xf32>, tensor<4xf32>, tensor<4xf64>)
  return
}

//===----------------------------------------------------------------------===//
// dropout, one_hot, softmax_loss
//===----------------------------------------------------------------------===//

// -----

func.func @dropout_p_one(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'needle.dropout' op probability p must be in [0, 1), got 1.000000e+00}}
  %0 = needle.dropout %x, 1.0 : tensor<2x4xf32>
  return
}

// -----

func.func @dropout_negative_p(%x: tensor<2x4xf32>) {
  // expected-error @+1 {{'needle.dropout' op probability p must be in [0, 1), got -1.000000e-01}}
  %0 = needle.dropout %x, -0.1 : tensor<2x4xf32>
  return
}

// -----

func.func @dropout_mask_p(%x: tensor<2x4xf32>, %s: tensor<i64>) {
  // expected-error @+1 {{'needle.dropout_mask' op probability p must be in [0, 1), got 1.500000e+00}}
  %0 = needle.dropout_mask %x, %s, %s {p = 1.5, stream = 0} : tensor<2x4xf32>
  return
}

// -----

func.func @dropout_mask_stream(%x: tensor<2x4xf32>, %s: tensor<i64>) {
  // expected-error @+1 {{'needle.dropout_mask' op stream must be in [0, 2^32), got -1}}
  %0 = needle.dropout_mask %x, %s, %s {p = 0.5, stream = -1} : tensor<2x4xf32>
  return
}

// -----

func.func @dropout_mask_seed_type(%x: tensor<2x4xf32>, %s: tensor<2xi64>) {
  // expected-error @+1 {{'needle.dropout_mask' op operand #1 must be 0-d tensor of i64, but got 'tensor<2xi64>'}}
  %0 = "needle.dropout_mask"(%x, %s, %s) {p = 0.5 : f64, stream = 0 : i64} : (tensor<2x4xf32>, tensor<2xi64>, tensor<2xi64>) -> tensor<2x4xf32>
  return
}

// -----

func.func @dropout_mask_result(%x: tensor<2x4xf32>, %s: tensor<i64>) {
  // expected-error @+1 {{'needle.dropout_mask' op failed to verify that all of {x, mask} have same type}}
  %0 = "needle.dropout_mask"(%x, %s, %s) {p = 0.5 : f64, stream = 0 : i64} : (tensor<2x4xf32>, tensor<i64>, tensor<i64>) -> tensor<2x4xf64>
  return
}

// -----

func.func @dropout_result_type(%x: tensor<?x4xf32>) {
  // expected-error @+2 {{'needle.dropout' op inferred type(s) 'tensor<?x4xf32>' are incompatible with return type(s) of operation 'tensor<2x4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = "needle.dropout"(%x) {p = 0.5 : f64} : (tensor<?x4xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @one_hot_shape(%l: tensor<8xi64>) {
  // expected-error @+1 {{'needle.one_hot' op result has shape [8, 5] but labels of shape [8] with 10 classes give [8, 10]}}
  %0 = needle.one_hot %l, 10 : tensor<8xi64> -> tensor<8x5xf32>
  return
}

// -----

func.func @one_hot_batch(%l: tensor<8xi64>) {
  // expected-error @+1 {{'needle.one_hot' op result has shape [4, 10] but labels of shape [8] with 10 classes give [8, 10]}}
  %0 = needle.one_hot %l, 10 : tensor<8xi64> -> tensor<4x10xf32>
  return
}

// -----

func.func @one_hot_rank(%l: tensor<?xi64>) {
  // expected-error @+1 {{'needle.one_hot' op result has shape [?] but labels of shape [?] with 10 classes give [?, 10]}}
  %0 = needle.one_hot %l, 10 : tensor<?xi64> -> tensor<?xf32>
  return
}

// -----

func.func @one_hot_zero_classes(%l: tensor<8xi64>) {
  // expected-error @+1 {{'needle.one_hot' op num_classes must be positive, got 0}}
  %0 = needle.one_hot %l, 0 : tensor<8xi64> -> tensor<8x0xf32>
  return
}

// -----

func.func @one_hot_negative_classes(%l: tensor<8xi64>) {
  // expected-error @+1 {{'needle.one_hot' op num_classes must be positive, got -3}}
  %0 = needle.one_hot %l, -3 : tensor<8xi64> -> tensor<8x3xf32>
  return
}

// -----

func.func @one_hot_float_labels(%l: tensor<8xf32>) {
  // expected-error @+1 {{'needle.one_hot' op operand #0 must be ranked tensor of signless integer values, but got 'tensor<8xf32>'}}
  %0 = needle.one_hot %l, 3 : tensor<8xf32> -> tensor<8x3xf32>
  return
}

// -----

func.func @one_hot_integer_result(%l: tensor<8xi64>) {
  // expected-error @+1 {{'needle.one_hot' op result #0 must be ranked tensor of floating-point values, but got 'tensor<8x3xi32>'}}
  %0 = needle.one_hot %l, 3 : tensor<8xi64> -> tensor<8x3xi32>
  return
}

// -----

func.func @softmax_loss_logits_rank(%z: tensor<10xf32>, %y: tensor<1xi64>) {
  // expected-error @+2 {{'needle.softmax_loss' op operand 'logits' has shape [10] but expects rank 2 (batch, classes)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.softmax_loss %z, %y : tensor<10xf32>, tensor<1xi64> -> tensor<f32>
  return
}

// -----

func.func @softmax_loss_batch(%z: tensor<8x10xf32>, %y: tensor<4xi64>) {
  // expected-error @+2 {{'needle.softmax_loss' op operand 'labels' has shape [4] but operand 'logits' has shape [8, 10]: expected one label per row}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.softmax_loss %z, %y : tensor<8x10xf32>, tensor<4xi64> -> tensor<f32>
  return
}

// -----

func.func @softmax_loss_labels_rank(%z: tensor<?x10xf32>, %y: tensor<?x1xi64>) {
  // expected-error @+2 {{'needle.softmax_loss' op operand 'labels' has shape [?, 1] but operand 'logits' has shape [?, 10]: expected one label per row}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.softmax_loss %z, %y : tensor<?x10xf32>, tensor<?x1xi64> -> tensor<f32>
  return
}

// -----

func.func @softmax_loss_wrong_result(%z: tensor<4x10xf32>, %y: tensor<4xi64>) {
  // expected-error @+2 {{'needle.softmax_loss' op inferred type(s) 'tensor<f32>' are incompatible with return type(s) of operation 'tensor<f64>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = needle.softmax_loss %z, %y : tensor<4x10xf32>, tensor<4xi64> -> tensor<f64>
  return
}

//===----------------------------------------------------------------------===//
// Variables
//===----------------------------------------------------------------------===//

// -----

// expected-error @+1 {{'needle.variable' op variable "w" must have a static shape, got 'tensor<?x4xf32>'}}
needle.variable parameter @w : tensor<?x4xf32> = #needle.zeros

// -----

// expected-error @+1 {{'needle.variable' op parameter "steps" must have a float element type, got 'i64'}}
needle.variable parameter @steps : tensor<i64> = #needle.zeros

// -----

// expected-error @+1 {{'needle.variable' op random initializer #needle.rand<low = 0.000000e+00, high = 1.000000e+00> needs a float element type, variable "b" has 'i32'}}
needle.variable buffer @b : tensor<4xi32> = #needle.rand<low = 0.0, high = 1.0>

// -----

// expected-error @+1 {{'needle.variable' op random initializer #needle.kaiming_uniform<fan_in = 4, fan_out = 4, gain = 1.000000e+00> needs a float element type, variable "s" has 'i64'}}
needle.variable optimizer_state @s : tensor<4x4xi64> = #needle.kaiming_uniform<fan_in = 4, fan_out = 4, gain = 1.0>

// -----

// expected-error @+1 {{'needle.variable' op initializer #needle.seed needs an integer element type of at least 32 bits, variable "seed" has 'f32'}}
needle.variable buffer @seed : tensor<f32> = #needle.seed

// -----

// expected-error @+1 {{'needle.variable' op attribute 'initializer' failed to satisfy constraint: needle initializer attribute}}
needle.variable parameter @w : tensor<4xf32> = 1.0 : f64

// -----

// expected-error @+1 {{'needle.variable' op attribute 'type' failed to satisfy constraint: type attribute of ranked tensor of any type values}}
needle.variable parameter @w : tensor<*xf32> = #needle.zeros

// -----

// expected-error @+1 {{expected string or keyword containing one of the following enum values for attribute 'kind' [parameter, buffer, optimizer_state]}}
needle.variable constant @w : tensor<4xf32> = #needle.zeros

// -----

func.func @variable_in_function() {
  // expected-error @+1 {{'needle.variable' op expects parent op 'builtin.module'}}
  needle.variable parameter @w : tensor<4xf32> = #needle.zeros
  return
}

// -----

// expected-note @+1 {{see existing symbol definition here}}
needle.variable parameter @w : tensor<4xf32> = #needle.zeros
// expected-error @+1 {{redefinition of symbol named 'w'}}
needle.variable buffer @w : tensor<4xf32> = #needle.zeros

// -----

func.func @read_undeclared() {
  // expected-error @+1 {{'needle.read' op reads undeclared variable @missing}}
  %0 = needle.read @missing : tensor<4xf32>
  return
}

// -----

func.func @write_undeclared(%v: tensor<4xf32>) {
  // expected-error @+1 {{'needle.write' op writes undeclared variable @missing}}
  needle.write @missing, %v : tensor<4xf32>
  return
}

// -----

func.func @helper() {
  return
}
func.func @read_function() {
  // expected-error @+1 {{'needle.read' op reads @helper, which is a 'func.func', not a needle.variable}}
  %0 = needle.read @helper : tensor<4xf32>
  return
}

// -----

func.func @helper() {
  return
}
func.func @write_function(%v: tensor<4xf32>) {
  // expected-error @+1 {{'needle.write' op writes @helper, which is a 'func.func', not a needle.variable}}
  needle.write @helper, %v : tensor<4xf32>
  return
}

// -----

needle.variable parameter @w : tensor<4x3xf32> = #needle.zeros
func.func @read_wrong_type() {
  // expected-error @+1 {{'needle.read' op result type 'tensor<3x4xf32>' does not match the type 'tensor<4x3xf32>' of variable @w}}
  %0 = needle.read @w : tensor<3x4xf32>
  return
}

// -----

needle.variable parameter @w : tensor<4x3xf32> = #needle.zeros
func.func @read_dynamic_type() {
  // expected-error @+1 {{'needle.read' op result type 'tensor<?x3xf32>' does not match the type 'tensor<4x3xf32>' of variable @w}}
  %0 = needle.read @w : tensor<?x3xf32>
  return
}

// -----

needle.variable parameter @w : tensor<4x3xf32> = #needle.zeros
func.func @write_wrong_type(%v: tensor<4x3xf64>) {
  // expected-error @+1 {{'needle.write' op value of type 'tensor<4x3xf64>' does not match the type 'tensor<4x3xf32>' of variable @w}}
  needle.write @w, %v : tensor<4x3xf64>
  return
}

// -----

needle.variable buffer @m : tensor<3xf32> = #needle.zeros
func.func @write_dynamic_type(%v: tensor<?xf32>) {
  // expected-error @+1 {{'needle.write' op value of type 'tensor<?xf32>' does not match the type 'tensor<3xf32>' of variable @m}}
  needle.write @m, %v : tensor<?xf32>
  return
}

// -----

// A variable in another module is not visible.
module @a {
  needle.variable buffer @m : tensor<3xf32> = #needle.zeros
}
module @b {
  func.func @read_other_module() {
    // expected-error @+1 {{'needle.read' op reads undeclared variable @m}}
    %0 = needle.read @m : tensor<3xf32>
    return
  }
}

//===----------------------------------------------------------------------===//
// Initializer attributes
//===----------------------------------------------------------------------===//

// -----

// expected-error @+1 {{rand needs finite low <= high, got low = 1.000000e+00, high = 0.000000e+00}}
needle.variable parameter @w : tensor<4xf32> = #needle.rand<low = 1.0, high = 0.0>

// -----

// expected-error @+1 {{rand needs finite low <= high, got low = -INF, high = 0.000000e+00}}
needle.variable parameter @w : tensor<4xf32> = #needle.rand<low = 0xFFF0000000000000, high = 0.0>

// -----

// expected-error @+1 {{randn needs a finite mean and std >= 0, got mean = 0.000000e+00, std = -1.000000e+00}}
needle.variable parameter @w : tensor<4xf32> = #needle.randn<mean = 0.0, std = -1.0>

// -----

// expected-error @+1 {{randn needs a finite mean and std >= 0, got mean = nan, std = 1.000000e+00}}
needle.variable parameter @w : tensor<4xf32> = #needle.randn<mean = 0x7FF8000000000000, std = 1.0>

// -----

// expected-error @+1 {{kaiming_uniform needs fan_in > 0 and fan_out >= 0, got fan_in = 0, fan_out = 3}}
needle.variable parameter @w : tensor<4xf32> = #needle.kaiming_uniform<fan_in = 0, fan_out = 3, gain = 1.0>

// -----

// expected-error @+1 {{kaiming_normal needs fan_in > 0 and fan_out >= 0, got fan_in = 4, fan_out = -1}}
needle.variable parameter @w : tensor<4xf32> = #needle.kaiming_normal<fan_in = 4, fan_out = -1, gain = 1.0>

// -----

// expected-error @+1 {{xavier_uniform needs a finite positive gain, got 0.000000e+00}}
needle.variable parameter @w : tensor<4xf32> = #needle.xavier_uniform<fan_in = 4, fan_out = 4, gain = 0.0>

// -----

// expected-error @+1 {{xavier_normal needs a finite positive gain, got INF}}
needle.variable parameter @w : tensor<4xf32> = #needle.xavier_normal<fan_in = 4, fan_out = 4, gain = 0x7FF0000000000000>

// -----

// expected-error @+1 {{xavier_normal needs fan_in > 0 and fan_out >= 0, got fan_in = -2, fan_out = 4}}
needle.variable parameter @w : tensor<4xf32> = #needle.xavier_normal<fan_in = -2, fan_out = 4, gain = 1.0>

// -----

// expected-error @+1 {{kaiming_uniform needs a finite positive gain, got -1.000000e+00}}
needle.variable parameter @w : tensor<4xf32> = #needle.kaiming_uniform<fan_in = 4, fan_out = 4, gain = -1.0>

// -----

// expected-error @+2 {{expected floating point literal}}
// expected-error @+1 {{failed to parse Needle_ConstantAttr parameter 'value' which is to be a `::llvm::APFloat`}}
needle.variable parameter @w : tensor<4xf32> = #needle.constant<value = one>

// -----

// Every parameter is required (the struct parser then wants a ',').
// expected-error @+1 {{expected ','}}
needle.variable parameter @w : tensor<4xf32> = #needle.rand<low = 0.0>

// -----

// expected-error @+1 {{unknown attribute `uniform` in dialect `needle`}}
needle.variable parameter @w : tensor<4xf32> = #needle.uniform<low = 0.0, high = 1.0>
