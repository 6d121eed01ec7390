// A traced nn.BatchNorm1d(3, eps=1e-3, momentum=0.2): weight ones and bias
// zeros (parameters), running_mean zeros and running_var ones (buffers), read
// in that order into the mode-agnostic needle.batch_norm.

// RUN: needle-trace-layers batchnorm1d | FileCheck %s
// RUN: needle-trace-layers batchnorm1d | needle-opt --needle-specialize=mode=train \
// RUN:   | FileCheck %s --check-prefix=TRAIN

// CHECK:       needle.variable parameter @"0.weight" : tensor<3xf32> = #needle.ones loc(#[[BN:loc[0-9]*]])
// CHECK-NEXT:  needle.variable parameter @"0.bias" : tensor<3xf32> = #needle.zeros loc(#[[BN]])
// CHECK-NEXT:  needle.variable buffer @"0.running_mean" : tensor<3xf32> = #needle.zeros loc(#[[BN]])
// CHECK-NEXT:  needle.variable buffer @"0.running_var" : tensor<3xf32> = #needle.ones loc(#[[BN]])
// CHECK-LABEL: func.func @forward
// CHECK-SAME:    (%[[X:.*]]: tensor<?x3xf32> loc("x")) -> tensor<?x3xf32>
// CHECK-NEXT:    %[[W:.*]] = needle.read @"0.weight" : tensor<3xf32>
// CHECK-NEXT:    %[[B:.*]] = needle.read @"0.bias" : tensor<3xf32>
// CHECK-NEXT:    %[[M:.*]] = needle.read @"0.running_mean" : tensor<3xf32>
// CHECK-NEXT:    %[[V:.*]] = needle.read @"0.running_var" : tensor<3xf32>
// CHECK-NEXT:    %[[Y:.*]] = needle.batch_norm %[[X]], %[[W]], %[[B]], %[[M]], %[[V]] {eps = 1.000000e-03 : f64, momentum = 2.000000e-01 : f64} : tensor<?x3xf32>, tensor<3xf32> loc(#[[BN]])
// CHECK-NEXT:    return %[[Y]] : tensor<?x3xf32>
// CHECK-LABEL: func.func @loss
// CHECK:         needle.batch_norm
// CHECK-NEXT:    needle.softmax_loss
// CHECK-DAG:   #[[KIND:loc[0-9]*]] = loc("BatchNorm1d")
// CHECK-DAG:   #[[BN]] = loc("0"(#[[KIND]]))

// The traced form specialises: the training form writes the running statistics.
// TRAIN-LABEL: func.func @forward
// TRAIN:         needle.batch_norm_train
// TRAIN-SAME:      momentum = 2.000000e-01
// TRAIN:         needle.write @"0.running_mean"
// TRAIN:         needle.write @"0.running_var"
