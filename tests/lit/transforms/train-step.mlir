// RUN: needle-opt %s --split-input-file --needle-synthesize-train-step="optimizer=sgd lr=0.1 momentum=0.9 weight-decay=0.01" | FileCheck %s --check-prefix=SGD
// RUN: needle-opt %s --split-input-file --needle-synthesize-train-step="optimizer=sgd lr=0.5" | FileCheck %s --check-prefix=PLAIN
// RUN: needle-opt %s --split-input-file --needle-synthesize-train-step="optimizer=adam lr=0.001 beta1=0.8 beta2=0.99 eps=1e-6" | FileCheck %s --check-prefix=ADAM

// A hand-written gradient function in needle-autodiff's form: the loss, then
// one gradient per parameter in declaration order, each naming its parameter.
// The buffer write (a BatchNorm running statistic in real models) is kept.

needle.variable parameter @w : tensor<3x2xf32> = #needle.ones
needle.variable buffer @seen : tensor<2xf32> = #needle.zeros
needle.variable parameter @b : tensor<2xf32> = #needle.zeros

func.func @loss(%x: tensor<?x3xf32>, %y: tensor<?xi32>) -> tensor<f32> {
  %l = needle.summation %x : tensor<?x3xf32> -> tensor<f32>
  return %l : tensor<f32>
}

func.func @loss_grad(%x: tensor<?x3xf32> {needle.name = "x"}, %y: tensor<?xi32>)
    -> (tensor<f32>, tensor<3x2xf32> {needle.gradient_of = @w},
        tensor<2xf32> {needle.gradient_of = @b}) {
  %w = needle.read @w : tensor<3x2xf32>
  %b = needle.read @b : tensor<2xf32>
  %s = needle.read @seen : tensor<2xf32>
  %s1 = needle.add_scalar %s, 1.0 : tensor<2xf32>
  needle.write @seen, %s1 : tensor<2xf32>
  %gw = needle.mul_scalar %w, 2.0 : tensor<3x2xf32>
  %gb = needle.add_scalar %b, 1.0 : tensor<2xf32>
  %l = needle.summation %x : tensor<?x3xf32> -> tensor<f32>
  return %l, %gw, %gb : tensor<f32>, tensor<3x2xf32>, tensor<2xf32>
}

// The optimizer's variables follow the model's (initialisation order is kept).
// SGD:      needle.variable parameter @b
// SGD-NEXT: needle.variable optimizer_state @lr : tensor<f32> = #needle.constant<value = 1.000000e-01>
// SGD-NEXT: needle.variable optimizer_state @sgd.u.w : tensor<3x2xf32> = #needle.zeros
// SGD-NEXT: needle.variable optimizer_state @sgd.u.b : tensor<2xf32> = #needle.zeros
// The gradient function is consumed; the step keeps its arguments and
// returns the loss only.
// SGD-NOT:  func.func @loss_grad
// SGD-LABEL: func.func @train_step
// SGD-SAME:    (%[[X:.*]]: tensor<?x3xf32> {needle.name = "x"}, %{{.*}}: tensor<?xi32>) -> tensor<f32>
// SGD-SAME:    needle.description = "one training step: training-form forward, loss, gradients, sgd(momentum=0.9, weight_decay=0.01), learning rate in variable 'lr'; returns the loss"
// SGD:         %[[W0:.*]] = needle.read @w
// SGD:         needle.write @seen
// SGD:         %[[GW:.*]] = needle.mul_scalar %[[W0]], 2.0
// SGD:         %[[GB:.*]] = needle.add_scalar
// SGD:         %[[LOSS:.*]] = needle.summation %[[X]]
// SGD:         %[[LR:.*]] = needle.read @lr : tensor<f32>
// g = grad + wd * p; u = momentum * u + (1 - momentum) * g; p = p - lr * u
// SGD:         %[[W:.*]] = needle.read @w
// SGD-NEXT:    %[[DECAY:.*]] = needle.mul_scalar %[[W]], 1.000000e-02
// SGD-NEXT:    %[[G:.*]] = needle.add %[[GW]], %[[DECAY]]
// SGD-NEXT:    %[[U:.*]] = needle.read @sgd.u.w
// SGD-NEXT:    %[[NEWG:.*]] = needle.mul_scalar %[[G]], 0.099999999999999978
// SGD-NEXT:    %[[OLDU:.*]] = needle.mul_scalar %[[U]], 9.000000e-01
// SGD-NEXT:    %[[NEWU:.*]] = needle.add %[[OLDU]], %[[NEWG]]
// SGD-NEXT:    needle.write @sgd.u.w, %[[NEWU]]
// SGD-NEXT:    %[[LRB:.*]] = needle.broadcast_to %[[LR]] [3, 2] : tensor<f32> -> tensor<3x2xf32>
// SGD-NEXT:    %[[STEP:.*]] = needle.mul %[[LRB]], %[[NEWU]]
// SGD-NEXT:    %[[NEG:.*]] = needle.negate %[[STEP]]
// SGD-NEXT:    %[[NEWW:.*]] = needle.add %[[W]], %[[NEG]]
// SGD-NEXT:    needle.write @w, %[[NEWW]]
// SGD:         %[[B:.*]] = needle.read @b
// SGD-NEXT:    %[[BDECAY:.*]] = needle.mul_scalar %[[B]], 1.000000e-02
// SGD-NEXT:    needle.add %[[GB]], %[[BDECAY]]
// SGD:         needle.write @sgd.u.b
// SGD:         needle.write @b
// SGD-NEXT:    return %[[LOSS]] : tensor<f32>

// Without momentum u equals g: no state; without weight decay g is the gradient.
// PLAIN:      needle.variable optimizer_state @lr : tensor<f32> = #needle.constant<value = 5.000000e-01>
// PLAIN-NOT:  sgd.u
// PLAIN-LABEL: func.func @train_step
// PLAIN:        %[[GW:.*]] = needle.mul_scalar %{{.*}}, 2.0
// PLAIN:        %[[LR:.*]] = needle.read @lr
// PLAIN-NEXT:   %[[W:.*]] = needle.read @w
// PLAIN-NEXT:   %[[LRB:.*]] = needle.broadcast_to %[[LR]] [3, 2]
// PLAIN-NEXT:   %[[STEP:.*]] = needle.mul %[[LRB]], %[[GW]]
// PLAIN-NEXT:   %[[NEG:.*]] = needle.negate %[[STEP]]
// PLAIN-NEXT:   %[[NEWW:.*]] = needle.add %[[W]], %[[NEG]]
// PLAIN-NEXT:   needle.write @w, %[[NEWW]]
// PLAIN-NOT:    sgd.u

// ADAM:      needle.variable optimizer_state @lr : tensor<f32> = #needle.constant<value = 1.000000e-03>
// ADAM-NEXT: needle.variable optimizer_state @adam.t : tensor<f64> = #needle.zeros
// ADAM-NEXT: needle.variable optimizer_state @adam.m.w : tensor<3x2xf32> = #needle.zeros
// ADAM-NEXT: needle.variable optimizer_state @adam.v.w : tensor<3x2xf32> = #needle.zeros
// ADAM-NEXT: needle.variable optimizer_state @adam.m.b : tensor<2xf32> = #needle.zeros
// ADAM-NEXT: needle.variable optimizer_state @adam.v.b : tensor<2xf32> = #needle.zeros
// ADAM-LABEL: func.func @train_step
// ADAM-SAME:    adam(beta1=0.8, beta2=0.99, eps=1e-06, weight_decay=0)
// ADAM:         %[[GW:.*]] = needle.mul_scalar %{{.*}}, 2.0
// ADAM:         %[[LR:.*]] = needle.read @lr
// t += 1, then the bias corrections 1 - beta^t in f64, rounded once.
// ADAM-NEXT:    %[[T:.*]] = needle.read @adam.t : tensor<f64>
// ADAM-NEXT:    %[[T1:.*]] = needle.add_scalar %[[T]], 1.000000e+00 : tensor<f64>
// ADAM-NEXT:    needle.write @adam.t, %[[T1]]
// ADAM-NEXT:    %[[TS:.*]] = tensor.extract %[[T1]][] : tensor<f64>
// ADAM-NEXT:    %[[B1:.*]] = arith.constant 8.000000e-01 : f64
// ADAM-NEXT:    %[[P1:.*]] = math.powf %[[B1]], %[[TS]] : f64
// ADAM-NEXT:    %[[ONE:.*]] = arith.constant 1.000000e+00 : f64
// ADAM-NEXT:    %[[C1:.*]] = arith.subf %[[ONE]], %[[P1]] : f64
// ADAM-NEXT:    %[[C1F:.*]] = arith.truncf %[[C1]] : f64 to f32
// ADAM-NEXT:    %[[C1T:.*]] = tensor.from_elements %[[C1F]] : tensor<f32>
// ADAM:         %[[C2T:.*]] = tensor.from_elements %{{.*}} : tensor<f32>
// m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2
// ADAM-NEXT:    %[[W:.*]] = needle.read @w
// ADAM-NEXT:    %[[M:.*]] = needle.read @adam.m.w
// ADAM-NEXT:    %[[MG:.*]] = needle.mul_scalar %[[GW]], 0.19999999999999996
// ADAM-NEXT:    %[[MM:.*]] = needle.mul_scalar %[[M]], 8.000000e-01
// ADAM-NEXT:    %[[NEWM:.*]] = needle.add %[[MM]], %[[MG]]
// ADAM-NEXT:    needle.write @adam.m.w, %[[NEWM]]
// ADAM-NEXT:    %[[G2:.*]] = needle.power_scalar %[[GW]], 2.000000e+00
// ADAM-NEXT:    %[[V:.*]] = needle.read @adam.v.w
// ADAM-NEXT:    %[[VG:.*]] = needle.mul_scalar %[[G2]], 0.010000000000000009
// ADAM-NEXT:    %[[VV:.*]] = needle.mul_scalar %[[V]], 0.98999999999999999
// ADAM-NEXT:    %[[NEWV:.*]] = needle.add %[[VV]], %[[VG]]
// ADAM-NEXT:    needle.write @adam.v.w, %[[NEWV]]
// p = p - lr * (m / c1) / (sqrt(v / c2) + eps)
// ADAM-NEXT:    %[[C1B:.*]] = needle.broadcast_to %[[C1T]] [3, 2]
// ADAM-NEXT:    %[[MHAT:.*]] = needle.div %[[NEWM]], %[[C1B]]
// ADAM-NEXT:    %[[C2B:.*]] = needle.broadcast_to %[[C2T]] [3, 2]
// ADAM-NEXT:    %[[VHAT:.*]] = needle.div %[[NEWV]], %[[C2B]]
// ADAM-NEXT:    %[[ROOT:.*]] = needle.power_scalar %[[VHAT]], 5.000000e-01
// ADAM-NEXT:    %[[DEN:.*]] = needle.add_scalar %[[ROOT]], 9.9999999999999995E-7
// ADAM-NEXT:    %[[LRB:.*]] = needle.broadcast_to %[[LR]] [3, 2]
// ADAM-NEXT:    %[[NUM:.*]] = needle.mul %[[LRB]], %[[MHAT]]
// ADAM-NEXT:    %[[STEP:.*]] = needle.div %[[NUM]], %[[DEN]]
// ADAM-NEXT:    %[[NEG:.*]] = needle.negate %[[STEP]]
// ADAM-NEXT:    %[[NEWW:.*]] = needle.add %[[W]], %[[NEG]]
// ADAM-NEXT:    needle.write @w, %[[NEWW]]
// ADAM:         needle.write @adam.m.b
// ADAM:         needle.write @adam.v.b
// ADAM:         needle.write @b
// ADAM-NEXT:    return

// -----

// f64 parameters: the bias correction needs no rounding.
needle.variable parameter @p : tensor<4xf64> = #needle.zeros

func.func @loss_grad(%x: tensor<4xf64>) -> (tensor<f64>, tensor<4xf64> {needle.gradient_of = @p}) {
  %l = needle.summation %x : tensor<4xf64> -> tensor<f64>
  return %l, %x : tensor<f64>, tensor<4xf64>
}

// SGD-LABEL: func.func @train_step
// SGD:         needle.read @lr : tensor<f64>
// SGD:         needle.write @p

// ADAM:        needle.variable optimizer_state @lr : tensor<f64>
// ADAM-LABEL: func.func @train_step
// ADAM:         %[[C:.*]] = arith.subf
// ADAM-NOT:     arith.truncf
// ADAM-NEXT:    tensor.from_elements %[[C]] : tensor<f64>
