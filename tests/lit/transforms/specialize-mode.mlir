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
// INFER-NEXT:    return %[[X]]

// TRAIN-LABEL: func.func @dropout
// TRAIN:         %[[D:.*]] = needle.dropout %{{.*}}, 2.500000e-01
// TRAIN:         return %[[D]]
func.func @dropout(%x: tensor<4x5xf32>) -> tensor<4x5xf32> {
  %y = needle.dropout %x, 0.25 : tensor<4x5xf32>
  return %y : tensor<4x5xf32>
}
