// RUN: needle-opt %s --needle-specialize=mode=infer --split-input-file | FileCheck %s --check-prefix=INFER
// RUN: needle-opt %s --needle-specialize=mode=train --split-input-file | FileCheck %s --check-prefix=TRAIN


needle.variable parameter @w : tensor<3xf32> = #needle.ones
needle.variable parameter @b : tensor<3xf32> = #needle.zeros
needle.variable buffer @mean : tensor<3xf32> = #needle.zeros
needle.variable buffer @var : tensor<3xf32> = #needle.ones

// INFER-LABEL: func.func @bn
// INFER-SAME:    (%[[X:.*]]: tensor<?x3xf32>)
// INFER:         %[[W:.*]] = needle.read @w
// INFER:         %[[B:.*]] = needle.read @b
// INFER:         %[[M:.*]] = needle.read @mean
// INFER:         %[[V:.*]] = needle.read @var
// INFER:         %[[Y:.*]] = needle.batch_norm_infer %[[X]], %[[W]], %[[B]], %[[M]], %[[V]] {eps = 1.000000e-03 : f64}
// INFER-NOT:     needle.write
// INFER:         return %[[Y]]

// TRAIN-LABEL: func.func @bn
// TRAIN-SAME:    (%[[X:.*]]: tensor<?x3xf32>)
// TRAIN:         %[[W:.*]] = needle.read @w
// TRAIN:         %[[B:.*]] = needle.read @b
// TRAIN:         %[[M:.*]] = needle.read @mean
// TRAIN:         %[[V:.*]] = needle.read @var
// TRAIN:         %[[Y:.*]], %{{.*}}, %{{.*}}, %[[NM:.*]], %[[NV:.*]] = needle.batch_norm_train %[[X]], %[[W]], %[[B]], %[[M]], %[[V]] {eps = 1.000000e-03 : f64, momentum = 2.000000e-01 : f64}
// TRAIN-NEXT:    needle.write @mean, %[[NM]]
// TRAIN-NEXT:    needle.write @var, %[[NV]]
// TRAIN:         return %[[Y]]
func.func @bn(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %w = needle.read @w : tensor<3xf32>
  %b = needle.read @b : tensor<3xf32>
  %m = needle.read @mean : tensor<3xf32>
  %v = needle.read @var : tensor<3xf32>
  %y = needle.batch_norm %x, %w, %b, %m, %v {eps = 1.0e-3, momentum = 0.2} : tensor<?x3xf32>, tensor<3xf32>
  return %y : tensor<?x3xf32>
}

// -----

// INFER-LABEL: func.func @dropout
// INFER-SAME:    (%[[X:.*]]: tensor<4x5xf32>)
// INFER-NEXT:    %[[R:.*]] = needle.relu %[[X]]
// INFER-NEXT:    return %[[R]]

// Training: the step counter is read and incremented once on entry; each
// dropout multiplies by a mask of its own stream keyed by seed and step.
// TRAIN-LABEL: func.func @dropout
// TRAIN-SAME:    (%[[X:.*]]: tensor<4x5xf32>)
// TRAIN-NEXT:    %[[SEED:.*]] = needle.read @dropout.seed : tensor<i64>
// TRAIN-NEXT:    %[[STEP:.*]] = needle.read @dropout.step : tensor<i64>
// TRAIN-NEXT:    %[[ONE:.*]] = arith.constant dense<1> : tensor<i64>
// TRAIN-NEXT:    %[[NEXT:.*]] = arith.addi %[[STEP]], %[[ONE]]
// TRAIN-NEXT:    needle.write @dropout.step, %[[NEXT]]
// TRAIN-NEXT:    %[[M0:.*]] = needle.dropout_mask %[[X]], %[[SEED]], %[[STEP]] {p = 2.500000e-01 : f64, stream = 0 : i64}
// TRAIN-NEXT:    %[[Y:.*]] = needle.mul %[[X]], %[[M0]]
// TRAIN-NEXT:    %[[R:.*]] = needle.relu %[[Y]]
// TRAIN-NEXT:    %[[M1:.*]] = needle.dropout_mask %[[R]], %[[SEED]], %[[STEP]] {p = 5.000000e-01 : f64, stream = 1 : i64}
// TRAIN-NEXT:    %[[Z:.*]] = needle.mul %[[R]], %[[M1]]
// TRAIN-NEXT:    return %[[Z]]
// TRAIN-DAG:   needle.variable buffer @dropout.seed : tensor<i64> = #needle.seed
// TRAIN-DAG:   needle.variable buffer @dropout.step : tensor<i64> = #needle.zeros
func.func @dropout(%x: tensor<4x5xf32>) -> tensor<4x5xf32> {
  %y = needle.dropout %x, 0.25 : tensor<4x5xf32>
  %r = needle.relu %y : tensor<4x5xf32>
  %z = needle.dropout %r, 0.5 : tensor<4x5xf32>
  return %z : tensor<4x5xf32>
}

// -----

needle.variable buffer @mean : tensor<3xf32> = #needle.zeros
needle.variable buffer @var : tensor<3xf32> = #needle.ones

// PyTorch's running-variance update carries over to the training form.
// TRAIN-LABEL: func.func @unbiased
// TRAIN:         needle.batch_norm_train {{.*}} {unbiased_running_var}
func.func @unbiased(%x: tensor<?x3xf32>, %w: tensor<3xf32>) -> tensor<?x3xf32> {
  %m = needle.read @mean : tensor<3xf32>
  %v = needle.read @var : tensor<3xf32>
  %y = needle.batch_norm %x, %w, %w, %m, %v {unbiased_running_var} : tensor<?x3xf32>, tensor<3xf32>
  return %y : tensor<?x3xf32>
}
