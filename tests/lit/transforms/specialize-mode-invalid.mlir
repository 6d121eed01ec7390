// RUN: needle-opt %s --needle-specialize=mode=train -verify-diagnostics --split-input-file
// RUN: not needle-opt %s --needle-specialize=mode=sideways 2>&1 | FileCheck %s --check-prefix=MODE

// MODE: error: needle-specialize: unknown mode 'sideways' (expected 'train' or 'infer')

// Running statistics passed in as arguments have no buffer to write back to.
func.func @stats_from_arguments(%x: tensor<8x3xf32>, %p: tensor<3xf32>) -> tensor<8x3xf32> {
  // expected-error @+1 {{'needle.batch_norm' op cannot be specialised for training: running_mean and running_var must be read from buffer variables}}
  %y = needle.batch_norm %x, %p, %p, %p, %p : tensor<8x3xf32>, tensor<3xf32>
  return %y : tensor<8x3xf32>
}

// -----

// The names of dropout's random-stream buffers are reserved.
// expected-error @+1 {{@"dropout.step" is reserved for dropout's random stream (a buffer of type 'tensor<i64>')}}
needle.variable parameter @dropout.step : tensor<f32> = #needle.zeros

func.func @dropout(%x: tensor<4x5xf32>) -> tensor<4x5xf32> {
  %y = needle.dropout %x, 0.25 : tensor<4x5xf32>
  return %y : tensor<4x5xf32>
}
