// A traced nn.Linear(4, 3): needle's X @ W + broadcast_to(b, (N, 3)), the
// weight (4, 3) and the bias (1, 3) by kaiming_uniform, the weight first.
// The ops are located at the layer's module path.

// RUN: needle-trace-layers linear | FileCheck %s
// RUN: needle-trace-layers linear | needle-opt | FileCheck %s --check-prefix=ROUNDTRIP
// RUN: needle-trace-layers linear-no-bias | FileCheck %s --check-prefix=NOBIAS

// CHECK:       needle.variable parameter @"0.weight" : tensor<4x3xf32> = #needle.kaiming_uniform<fan_in = 4, fan_out = 3, gain = 1.4142135623730951> loc(#[[LINEAR:loc[0-9]*]])
// CHECK-NEXT:  needle.variable parameter @"0.bias" : tensor<1x3xf32> = #needle.kaiming_uniform<fan_in = 3, fan_out = 1, gain = 1.4142135623730951> loc(#[[LINEAR]])
// CHECK-LABEL: func.func @forward
// CHECK-SAME:    (%[[X:.*]]: tensor<?x4xf32> loc("x")) -> tensor<?x3xf32>
// CHECK:         %[[C0:.*]] = arith.constant 0 : index
// CHECK:         %[[W:.*]] = needle.read @"0.weight" : tensor<4x3xf32> loc(#[[LINEAR]])
// CHECK-NEXT:    %[[XW:.*]] = needle.matmul %[[X]], %[[W]] : tensor<?x4xf32>, tensor<4x3xf32> -> tensor<?x3xf32> loc(#[[LINEAR]])
// CHECK-NEXT:    %[[B:.*]] = needle.read @"0.bias" : tensor<1x3xf32>
// CHECK-NEXT:    %[[N:.*]] = tensor.dim %[[XW]], %[[C0]] : tensor<?x3xf32>
// CHECK-NEXT:    %[[BB:.*]] = needle.broadcast_to %[[B]] [%[[N]], 3] : tensor<1x3xf32> -> tensor<?x3xf32>
// CHECK-NEXT:    %[[Y:.*]] = needle.add %[[XW]], %[[BB]] : tensor<?x3xf32> loc(#[[LINEAR]])
// CHECK-NEXT:    return %[[Y]] : tensor<?x3xf32>
// CHECK-LABEL: func.func @loss
// CHECK-SAME:    (%[[X:.*]]: tensor<?x4xf32> loc("x"), %[[LABELS:.*]]: tensor<?xi32> loc("y")) -> tensor<f32>
// CHECK:         %[[LOGITS:.*]] = needle.add
// CHECK-NEXT:    %[[LOSS:.*]] = needle.softmax_loss %[[LOGITS]], %[[LABELS]] : tensor<?x3xf32>, tensor<?xi32> -> tensor<f32> loc(#[[SOFTMAX:loc[0-9]*]])
// CHECK-NEXT:    return %[[LOSS]] : tensor<f32>
// CHECK-DAG:   #[[KIND:loc[0-9]*]] = loc("Linear")
// CHECK-DAG:   #[[LINEAR]] = loc("0"(#[[KIND]]))
// CHECK-DAG:   #[[SOFTMAX]] = loc("loss"(#{{loc[0-9]*}}))

// ROUNDTRIP-LABEL: func.func @forward
// ROUNDTRIP:         needle.matmul
// ROUNDTRIP:         needle.broadcast_to
// ROUNDTRIP-LABEL: func.func @loss
// ROUNDTRIP:         needle.softmax_loss

// NOBIAS:       needle.variable parameter @"0.weight"
// NOBIAS-NOT:   needle.variable
// NOBIAS-LABEL: func.func @forward
// NOBIAS-NEXT:    %[[W:.*]] = needle.read @"0.weight"
// NOBIAS-NEXT:    %[[Y:.*]] = needle.matmul %{{.*}}, %[[W]]
// NOBIAS-NEXT:    return %[[Y]]
