// RUN: needle-opt %s --split-input-file --needle-synthesize-train-step -verify-diagnostics
// RUN: not needle-opt %s --split-input-file --needle-synthesize-train-step=optimizer=rmsprop 2>&1 | FileCheck %s --check-prefix=OPT
// RUN: not needle-opt %s --split-input-file --needle-synthesize-train-step="optimizer=sgd momentum=1.0" 2>&1 | FileCheck %s --check-prefix=MOMENTUM
// RUN: not needle-opt %s --split-input-file --needle-synthesize-train-step="optimizer=adam lr=-1" 2>&1 | FileCheck %s --check-prefix=LR
// RUN: not needle-opt %s --split-input-file --needle-synthesize-train-step="optimizer=adam momentum=0.5" 2>&1 | FileCheck %s --check-prefix=ADAMMOMENTUM

// OPT: error: needle-synthesize-train-step: unknown optimizer 'rmsprop' (expected sgd or adam)
// MOMENTUM: error: needle-synthesize-train-step: momentum must be in [0, 1), got 1
// LR: error: needle-synthesize-train-step: lr must be finite and non-negative, got -1
// ADAMMOMENTUM: error: needle-synthesize-train-step: momentum is an SGD option; adam takes beta1 and beta2

// expected-error @below {{needle-synthesize-train-step: no function @loss_grad with a body (run needle-autodiff{func=loss} first)}}
module {
  func.func @loss(%x: tensor<3xf32>) -> tensor<f32> {
    %l = needle.summation %x : tensor<3xf32> -> tensor<f32>
    return %l : tensor<f32>
  }
}

// -----

needle.variable parameter @w : tensor<3xf32> = #needle.ones
needle.variable parameter @b : tensor<3xf32> = #needle.zeros

// expected-error @+1 {{result 1 of @loss_grad must carry needle.gradient_of = @"w" (one gradient per parameter, in declaration order)}}
func.func @loss_grad(%x: tensor<3xf32>) -> (tensor<f32>, tensor<3xf32> {needle.gradient_of = @b}, tensor<3xf32> {needle.gradient_of = @w}) {
  %l = needle.summation %x : tensor<3xf32> -> tensor<f32>
  return %l, %x, %x : tensor<f32>, tensor<3xf32>, tensor<3xf32>
}

// -----

needle.variable parameter @w : tensor<3xf32> = #needle.ones
needle.variable parameter @b : tensor<3xf32> = #needle.zeros

// expected-error @+1 {{@loss_grad returns 1 gradient(s) but the module has 2 parameter(s)}}
func.func @loss_grad(%x: tensor<3xf32>) -> (tensor<f32>, tensor<3xf32> {needle.gradient_of = @w}) {
  %l = needle.summation %x : tensor<3xf32> -> tensor<f32>
  return %l, %x : tensor<f32>, tensor<3xf32>
}

// -----

needle.variable parameter @w : tensor<3xf32> = #needle.ones

// expected-error @+1 {{the gradient of @"w" has type 'tensor<1x3xf32>' but the parameter is 'tensor<3xf32>'}}
func.func @loss_grad(%x: tensor<1x3xf32>) -> (tensor<f32>, tensor<1x3xf32> {needle.gradient_of = @w}) {
  %l = needle.summation %x : tensor<1x3xf32> -> tensor<f32>
  return %l, %x : tensor<f32>, tensor<1x3xf32>
}

// -----

needle.variable parameter @w : tensor<3xf32> = #needle.ones

// expected-error @+1 {{@loss_grad must return a scalar float loss first, then the gradients}}
func.func @loss_grad(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32> {needle.gradient_of = @w}) {
  return %x, %x : tensor<3xf32>, tensor<3xf32>
}

// -----

needle.variable parameter @w : tensor<3xf64> = #needle.ones

// expected-error @+1 {{parameter @"w" is 'tensor<3xf64>' but the loss is 'tensor<f32>'; the learning rate needs one element type}}
func.func @loss_grad(%x: tensor<3xf64>, %l: tensor<f32>) -> (tensor<f32>, tensor<3xf64> {needle.gradient_of = @w}) {
  return %l, %x : tensor<f32>, tensor<3xf64>
}

// -----

needle.variable parameter @w : tensor<3xf32> = #needle.ones
// expected-error @+1 {{the model defines @"lr", a name the training step needs for optimizer state}}
needle.variable buffer @lr : tensor<f32> = #needle.zeros

func.func @loss_grad(%x: tensor<3xf32>) -> (tensor<f32>, tensor<3xf32> {needle.gradient_of = @w}) {
  %l = needle.summation %x : tensor<3xf32> -> tensor<f32>
  return %l, %x : tensor<f32>, tensor<3xf32>
}

// -----

// expected-error @+1 {{the model defines @train_step, the name of the training step}}
func.func @train_step() {
  return
}

func.func @loss_grad(%x: tensor<3xf32>) -> tensor<f32> {
  %l = needle.summation %x : tensor<3xf32> -> tensor<f32>
  return %l : tensor<f32>
}
