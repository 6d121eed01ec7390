// A traced nn.Residual(Sequential(Linear(3, 2), ReLU(), Linear(2, 3))):
// fn(x) + x, the wrapped module named "fn" in the variable names and the
// locations.

// RUN: needle-trace-layers residual | FileCheck %s

// CHECK:       needle.variable parameter @"0.fn.0.weight" : tensor<3x2xf32>
// CHECK-NEXT:  needle.variable parameter @"0.fn.0.bias" : tensor<1x2xf32>
// CHECK-NEXT:  needle.variable parameter @"0.fn.2.weight" : tensor<2x3xf32>
// CHECK-NEXT:  needle.variable parameter @"0.fn.2.bias" : tensor<1x3xf32>
// CHECK-LABEL: func.func @forward
// CHECK-SAME:    (%[[X:.*]]: tensor<?x3xf32> loc("x")) -> tensor<?x3xf32>
// CHECK:         needle.matmul %[[X]], %{{.*}} : tensor<?x3xf32>, tensor<3x2xf32> -> tensor<?x2xf32> loc(#[[FIRST:loc[0-9]*]])
// CHECK:         %[[H:.*]] = needle.relu %{{.*}} : tensor<?x2xf32> loc(#[[RELU:loc[0-9]*]])
// CHECK:         needle.matmul %[[H]], %{{.*}} : tensor<?x2xf32>, tensor<2x3xf32> -> tensor<?x3xf32> loc(#[[SECOND:loc[0-9]*]])
// CHECK:         %[[FN:.*]] = needle.add %{{.*}}, %{{.*}} : tensor<?x3xf32> loc(#[[SECOND]])
// CHECK-NEXT:    %[[Y:.*]] = needle.add %[[FN]], %[[X]] : tensor<?x3xf32> loc(#[[RESIDUAL:loc[0-9]*]])
// CHECK-NEXT:    return %[[Y]] : tensor<?x3xf32>
// CHECK-DAG:   #[[FIRST]] = loc("0.fn.0"(#{{loc[0-9]*}}))
// CHECK-DAG:   #[[RELU]] = loc("0.fn.1"(#{{loc[0-9]*}}))
// CHECK-DAG:   #[[SECOND]] = loc("0.fn.2"(#{{loc[0-9]*}}))
// CHECK-DAG:   #[[RESIDUAL]] = loc("0"(#{{loc[0-9]*}}))
