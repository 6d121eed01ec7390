// relu_grad: shape and element-type diagnostics name both operands.
// RUN: needle-opt %s -split-input-file -verify-diagnostics

func.func @relu_grad_shapes(%g: tensor<2x3xf32>, %x: tensor<3x2xf32>) {
  // expected-error @+1 {{'needle.relu_grad' op operand 'x' has shape [3, 2] but operand 'grad_y' has shape [2, 3]; needle does not broadcast implicitly (use broadcast_to)}}
  %0 = needle.relu_grad %g, %x : (tensor<2x3xf32>, tensor<3x2xf32>)
  return
}

// -----

func.func @relu_grad_element_types(%g: tensor<2x3xf32>, %x: tensor<2x3xf64>) {
  // expected-error @+1 {{'needle.relu_grad' op operand 'x' has element type 'f64' but operand 'grad_y' has element type 'f32'}}
  %0 = needle.relu_grad %g, %x : (tensor<2x3xf32>, tensor<2x3xf64>)
  return
}
