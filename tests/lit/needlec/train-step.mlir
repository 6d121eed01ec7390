// needlec --optimizer: train_step and eval_loss from @loss; the learning rate
// is a variable that needle-run --set changes between steps.
// RUN: needlec %s --optimizer=adam --lr=0.002 --emit=needle | FileCheck %s --check-prefix=NEEDLE
// RUN: needlec %s --emit=needle | FileCheck %s --check-prefix=NOSTEP
// RUN: needlec %s --optimizer=sgd --momentum=0.5 --emit=linalg | FileCheck %s --check-prefix=LINALG
// RUN: not needlec %s --entry=train_step --emit=needle 2>&1 | FileCheck %s --check-prefix=NOOPT
// RUN: not needlec %s --momentum=0.5 --emit=needle 2>&1 | FileCheck %s --check-prefix=NEEDSOPT
// RUN: not needlec %s --optimizer=sgd --beta1=0.5 --emit=needle 2>&1 | FileCheck %s --check-prefix=BETA
// RUN: not needlec %s --optimizer=adagrad --emit=needle 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not needlec %s --optimizer=sgd --momentum=1.5 --emit=needle 2>&1 | FileCheck %s --check-prefix=RANGE
// RUN: not needlec %S/emit.mlir --optimizer=sgd --emit=needle 2>&1 | FileCheck %s --check-prefix=NOLOSS
// RUN: needlec %examples/mlp_resnet.mlir --optimizer=adam --emit=needle | FileCheck %s --check-prefix=DROPOUT
// RUN: needlec %s --optimizer=sgd --lr=0.5 -o %t.so
// RUN: needle-run %t.so --list | FileCheck %s --check-prefix=LIST
// RUN: needle-run %t.so --function=train_step --input="2x2xf32=1 2 3 -6" --repeat=2 | FileCheck %s --check-prefix=LR05
// RUN: needle-run %t.so --function=train_step --input="2x2xf32=1 2 3 -6" --repeat=2 --set lr=0.25 --save-checkpoint=%t.ckpt | FileCheck %s --check-prefix=LR025
// RUN: needle-run %t.so --checkpoint=%t.ckpt --function=eval_loss --input="2x2xf32=1 2 3 -6" | FileCheck %s --check-prefix=RESUMED
// RUN: needle-run %t.so --function=train_step --input="2x2xf32=1 2 3 -6" --repeat=3 --set lr=0 | FileCheck %s --check-prefix=LR0

// loss = sum(x @ w): with x = [[1, 2], [3, -6]] the gradient is (4, -4) and
// loss = 4 w0 - 4 w1, 0 at the start. One SGD step moves w by -lr (4, -4).
needle.variable parameter @w : tensor<2x1xf32> = #needle.constant<value = 0.5>

func.func @loss(%x: tensor<?x2xf32>) -> tensor<f32> {
  %w = needle.read @w : tensor<2x1xf32>
  %h = needle.matmul %x, %w : tensor<?x2xf32>, tensor<2x1xf32> -> tensor<?x1xf32>
  %l = needle.summation %h : tensor<?x1xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// NEEDLE:      needle.variable optimizer_state @lr : tensor<f32> = #needle.constant<value = 2.000000e-03>
// NEEDLE-NEXT: needle.variable optimizer_state @adam.t : tensor<f64> = #needle.zeros
// NEEDLE-NEXT: needle.variable optimizer_state @adam.m.w : tensor<2x1xf32> = #needle.zeros
// NEEDLE-NEXT: needle.variable optimizer_state @adam.v.w : tensor<2x1xf32> = #needle.zeros
// NEEDLE-NOT:  func.func @loss
// NEEDLE-LABEL: func.func @eval_loss
// NEEDLE-NOT:    needle.write
// NEEDLE-LABEL: func.func @train_step
// NEEDLE-SAME:    adam(beta1=0.9, beta2=0.999, eps=1e-08, weight_decay=0)
// NEEDLE:         %[[LOSS:.*]] = needle.summation
// NEEDLE:         needle.transpose
// NEEDLE:         needle.write @adam.t
// NEEDLE:         needle.write @adam.m.w
// NEEDLE:         needle.write @adam.v.w
// NEEDLE:         needle.write @w
// NEEDLE-NEXT:    return %[[LOSS]]
// NEEDLE-NOT:  func.func

// Without --optimizer there is no training step and no optimizer state.
// NOSTEP-NOT:  optimizer_state
// NOSTEP:      func.func @eval_loss
// NOSTEP-NOT:  func.func @train_step

// The parameter and its momentum are updated in their own buffers.
// LINALG-LABEL: func.func @train_step
// LINALG-SAME:    needle.variables = ["w", "lr", "sgd.u.w"], needle.writes = ["sgd.u.w", "w"]
// LINALG:         bufferization.materialize_in_destination {{.*}} writable
// LINALG:         bufferization.materialize_in_destination {{.*}} writable

// NOOPT: error: entry point 'train_step' needs an optimizer (--optimizer=sgd|adam)
// NEEDSOPT: needlec: error: --momentum needs --optimizer=sgd|adam
// BETA: needlec: error: --beta1 is not an option of --optimizer=sgd
// UNKNOWN: needlec: error: unknown optimizer 'adagrad' (expected sgd or adam)
// RANGE: error: needle-synthesize-train-step: momentum must be in [0, 1), got 1.5
// Dropout in the training step: the forward multiplies by a mask, and its
// gradient multiplies by the same mask.
// DROPOUT-LABEL: func.func @train_step
// DROPOUT:         %[[MASK:.*]] = needle.dropout_mask
// DROPOUT:         %[[Y:.*]] = needle.mul %{{.*}}, %[[MASK]]
// DROPOUT:         needle.mul %{{.*}}, %[[MASK]]
// NOLOSS: error: entry point 'train_step' needs a function @loss in the model

// LIST:      train_step(input0: f32[?, 2]) -> (output0: f32[])
// LIST-NEXT:   writes: w
// LIST-NEXT:   one training step: training-form forward, loss, gradients, sgd(momentum=0, weight_decay=0), learning rate in variable 'lr'; returns the loss
// LIST:      lr: optimizer_state f32[], constant(value=0.5)

// The printed loss is the second step's: after one step of lr 0.5, w = (-1.5, 2.5).
// LR05:      output0: f32[]
// LR05-NEXT: -16
// lr 0.25: w = (-0.5, 1.5) after one step, (-1.5, 2.5) after two.
// LR025:      output0: f32[]
// LR025-NEXT: -8
// RESUMED:      output0: f32[]
// RESUMED-NEXT: -16
// LR0:      output0: f32[]
// LR0-NEXT: {{^}}0{{$}}
