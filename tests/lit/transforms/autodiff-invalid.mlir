// RUN: needle-opt %s --needle-autodiff --split-input-file -verify-diagnostics

// expected-error @+1 {{needle-autodiff: no function @loss to differentiate}}
module {
  func.func @forward(%x: tensor<3xf32>) -> tensor<3xf32> {
    return %x : tensor<3xf32>
  }
}

// -----

// expected-error @+1 {{needle-autodiff: @loss must return exactly one rank-0 float tensor (the loss), got ('tensor<3xf32>')}}
func.func @loss(%x: tensor<3xf32>) -> tensor<3xf32> {
  return %x : tensor<3xf32>
}

// -----

needle.variable parameter @w : tensor<3xf32> = #needle.ones
needle.variable buffer @mean : tensor<3xf32> = #needle.zeros
needle.variable buffer @var : tensor<3xf32> = #needle.ones

func.func @loss(%x: tensor<?x3xf32>) -> tensor<f32> {
  %w = needle.read @w : tensor<3xf32>
  %m = needle.read @mean : tensor<3xf32>
  %v = needle.read @var : tensor<3xf32>
  // expected-error @+1 {{'needle.batch_norm' op must be specialised for training before autodiff (run --needle-specialize=mode=train first)}}
  %y = needle.batch_norm %x, %w, %w, %m, %v : tensor<?x3xf32>, tensor<3xf32>
  %l = needle.summation %y : tensor<?x3xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

needle.variable parameter @w : tensor<3xf32> = #needle.ones

func.func @loss(%x: tensor<3xf32>) -> tensor<f32> {
  %w = needle.read @w : tensor<3xf32>
  %h = needle.mul %x, %w : tensor<3xf32>
  // expected-error @+1 {{'needle.dropout' op must be specialised for training before autodiff}}
  %d = needle.dropout %h, 0.5 : tensor<3xf32>
  %l = needle.summation %d : tensor<3xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

func.func private @helper(tensor<3xf32>) -> tensor<f32>

func.func @loss(%x: tensor<3xf32>) -> tensor<f32> {
  // expected-error @+1 {{'func.call' op cannot be differentiated: needle-autodiff handles straight-line code without calls or regions}}
  %l = func.call @helper(%x) : (tensor<3xf32>) -> tensor<f32>
  return %l : tensor<f32>
}

// -----

func.func @loss(%x: tensor<3xf32>) -> tensor<f32> {
  %l = needle.summation %x : tensor<3xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// expected-error @+1 {{'func.func' op needle-autodiff: @loss_grad already exists; it is the name of @loss's gradient function}}
func.func @loss_grad(%x: tensor<3xf32>) -> tensor<f32> {
  %l = needle.summation %x : tensor<3xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

// An op outside the interface on the path from a parameter to the loss.
needle.variable parameter @w : tensor<3xf32> = #needle.ones

func.func @loss(%x: tensor<3xf32>) -> tensor<f32> {
  %w = needle.read @w : tensor<3xf32>
  // expected-error @+1 {{'tensor.cast' op has no gradient (it does not implement DifferentiableOpInterface) but a parameter's gradient flows through it}}
  %c = tensor.cast %w : tensor<3xf32> to tensor<?xf32>
  %l = needle.summation %c : tensor<?xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

needle.variable parameter @w : tensor<3xf32> = #needle.ones

func.func @loss(%dy: tensor<4x3xf32>, %x: tensor<4x3xf32>, %m: tensor<3xf32>, %i: tensor<3xf32>) -> tensor<f32> {
  %w = needle.read @w : tensor<3xf32>
  // expected-error @+1 {{'needle.batch_norm_train_grad' op has no gradient: second-order gradients of BatchNorm are not supported}}
  %gx, %gw, %gb = needle.batch_norm_train_grad %dy, %x, %w, %m, %i : tensor<4x3xf32>, tensor<3xf32>
  %l = needle.summation %gw : tensor<3xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

needle.variable parameter @w : tensor<4xf32> = #needle.ones

func.func @loss(%x: tensor<?x?x4xf32>, %n: index, %k: index) -> tensor<f32> {
  %w = needle.read @w : tensor<4xf32>
  %wb = needle.broadcast_to %w [%n, %k, 4] : tensor<4xf32> -> tensor<?x?x4xf32>
  %h = needle.mul %x, %wb : tensor<?x?x4xf32>
  // expected-error @+1 {{'needle.reshape' op cannot build its gradient: reshaping the cotangent of shape [?, 4] back to shape [?, ?, 4] needs more than one dynamic dimension}}
  %r = needle.reshape %h [-1, 4] : tensor<?x?x4xf32> -> tensor<?x4xf32>
  %l = needle.summation %r : tensor<?x4xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

needle.variable parameter @w : tensor<4x4xf32> = #needle.ones

func.func @loss(%x: tensor<?x?xf32>, %y: tensor<?xi64>) -> tensor<f32> {
  %w = needle.read @w : tensor<4x4xf32>
  %c = needle.matmul %w, %x : tensor<4x4xf32>, tensor<?x?xf32> -> tensor<4x?xf32>
  // expected-error @+1 {{'needle.softmax_loss' op cannot build its gradient: operand 'logits' has shape [4, ?]; one_hot needs a static number of classes}}
  %l = needle.softmax_loss %c, %y : tensor<4x?xf32>, tensor<?xi64> -> tensor<f32>
  return %l : tensor<f32>
}
