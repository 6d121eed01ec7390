// BatchNorm1d's two forms as needlec lowers them (specialise, variables to
// arguments, convert-needle-to-linalg): the training form reduces over the
// batch and writes the running statistics into their buffers; the inference
// form has no reduction and only reads them.
// RUN: needle-opt %s --needle-specialize=mode=train --needle-to-linalg | FileCheck %s --check-prefix=TRAIN
// RUN: needle-opt %s --needle-specialize=mode=infer --needle-to-linalg | FileCheck %s --check-prefix=INFER

needle.variable parameter @weight : tensor<8xf32> = #needle.ones
needle.variable parameter @bias : tensor<8xf32> = #needle.zeros
needle.variable buffer @running_mean : tensor<8xf32> = #needle.zeros
needle.variable buffer @running_var : tensor<8xf32> = #needle.ones

// TRAIN-LABEL: func.func @forward
// TRAIN-SAME:    (%[[X:.*]]: tensor<?x8xf32>, %[[W:.*]]: tensor<8xf32> {needle.variable = "weight"}, %[[B:.*]]: tensor<8xf32> {needle.variable = "bias"}, %[[RM:.*]]: tensor<8xf32> {needle.variable = "running_mean"}, %[[RV:.*]]: tensor<8xf32> {needle.variable = "running_var"})
// TRAIN-SAME:    needle.writes = ["running_mean", "running_var"]
// TRAIN:         %[[XS:.*]] = tensor.extract_slice %[[X]][0, 0]
// TRAIN:         %[[PARTS:.*]] = tensor.expand_shape %[[XS]]
// TRAIN:         %[[PARTIAL:.*]]:2 = linalg.generic
// TRAIN-SAME:      iterator_types = ["reduction", "parallel"]
// TRAIN-SAME:      ins(%[[PARTS]], %[[PARTS]], %[[PARTS]], %[[PARTS]], %[[X]] :
// TRAIN:         %[[REST:.*]] = tensor.extract_slice %[[X]]
// TRAIN:         %[[RSUMS:.*]]:3 = linalg.generic
// TRAIN-SAME:      iterator_types = ["reduction", "parallel"]
// TRAIN-SAME:      ins(%[[REST]], %[[X]] :
// TRAIN:         %[[SUMS:.*]]:3 = linalg.generic
// TRAIN-SAME:      iterator_types = ["reduction", "parallel"]
// TRAIN-SAME:      ins(%[[PARTIAL]]#0, %[[PARTIAL]]#1, %[[X]] :
// TRAIN:         %[[STATS:.*]]:6 = linalg.generic
// TRAIN-SAME:      iterator_types = ["parallel"]
// TRAIN-SAME:      ins(%[[SUMS]]#0, %[[SUMS]]#1, %[[SUMS]]#2, %[[RM]], %[[RV]], %[[W]], %[[B]] :
// TRAIN:         %[[Y:.*]] = linalg.generic
// TRAIN-SAME:      iterator_types = ["parallel", "parallel"]
// TRAIN-SAME:      ins(%[[X]], %[[SUMS]]#2, %[[STATS]]#4, %[[STATS]]#5 :
// TRAIN:         %[[MBUF:.*]] = bufferization.to_buffer %[[RM]]
// TRAIN-NEXT:    bufferization.materialize_in_destination %[[STATS]]#2 in writable %[[MBUF]]
// TRAIN:         %[[VBUF:.*]] = bufferization.to_buffer %[[RV]]
// TRAIN-NEXT:    bufferization.materialize_in_destination %[[STATS]]#3 in writable %[[VBUF]]
// TRAIN-NEXT:    return %[[Y]]

// INFER-LABEL: func.func @forward
// INFER-SAME:    (%[[X:.*]]: tensor<?x8xf32>, %[[W:.*]]: tensor<8xf32> {needle.variable = "weight"}, %[[B:.*]]: tensor<8xf32> {needle.variable = "bias"}, %[[RM:.*]]: tensor<8xf32> {needle.variable = "running_mean"}, %[[RV:.*]]: tensor<8xf32> {needle.variable = "running_var"})
// INFER-SAME:    needle.writes = []
// INFER-NOT:     reduction
// INFER:         %[[AFFINE:.*]]:2 = linalg.generic
// INFER-SAME:      iterator_types = ["parallel"]
// INFER-SAME:      ins(%[[W]], %[[B]], %[[RM]], %[[RV]] :
// INFER:         %[[Y:.*]] = linalg.generic
// INFER-SAME:      iterator_types = ["parallel", "parallel"]
// INFER-SAME:      ins(%[[X]], %[[AFFINE]]#0, %[[AFFINE]]#1 :
// INFER-NOT:     reduction
// INFER-NOT:     materialize_in_destination
// INFER:         return %[[Y]]
func.func @forward(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  %w = needle.read @weight : tensor<8xf32>
  %b = needle.read @bias : tensor<8xf32>
  %m = needle.read @running_mean : tensor<8xf32>
  %v = needle.read @running_var : tensor<8xf32>
  %y = needle.batch_norm %x, %w, %b, %m, %v : tensor<?x8xf32>, tensor<8xf32>
  return %y : tensor<?x8xf32>
}
