// A checkpoint made by running the model once (seed 0: w ones, b zeros, the
// running statistics updated by the batch), then frozen in.
// RUN: needlec %s --entry=forward_train -o %t.so
// RUN: needle-run %t.so --function=forward_train --input="2x2xf32=1 2 3 6" --save-checkpoint=%t.safetensors
// RUN: needle-opt %s --needle-specialize=mode=infer --needle-freeze-variables=checkpoint=%t.safetensors | FileCheck %s
// RUN: not needle-opt %s --needle-specialize=mode=infer --needle-freeze-variables=checkpoint=%t.missing 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NOFILE
// RUN: not needle-opt %s --needle-specialize=mode=train --needle-freeze-variables=checkpoint=%t.safetensors 2>&1 \
// RUN:   | FileCheck %s --check-prefix=WRITE

needle.variable parameter @w : tensor<2xf32> = #needle.ones
needle.variable parameter @b : tensor<2xf32> = #needle.zeros
needle.variable buffer @mean : tensor<2xf32> = #needle.zeros
needle.variable buffer @var : tensor<2xf32> = #needle.ones

// Batch mean [2, 4], biased var [1, 4]; momentum 0.1:
// running_mean = [0.2, 0.4], running_var = 0.9 + 0.1 * [1, 4] = [1.0, 1.3].
// CHECK-NOT:     needle.variable
// CHECK-LABEL: func.func @forward
// CHECK-DAG:     %[[W:.*]] = arith.constant dense<1.000000e+00> : tensor<2xf32>
// CHECK-DAG:     %[[B:.*]] = arith.constant dense<0.000000e+00> : tensor<2xf32>
// CHECK-DAG:     %[[M:.*]] = arith.constant dense<[2.000000e-01, 4.000000e-01]> : tensor<2xf32>
// CHECK-DAG:     %[[V:.*]] = arith.constant dense<[1.000000e+00, 1.300000e+00]> : tensor<2xf32>
// CHECK:         needle.batch_norm_infer %{{.*}}, %[[W]], %[[B]], %[[M]], %[[V]]
// CHECK-NOT:     needle.read
func.func @forward(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %w = needle.read @w : tensor<2xf32>
  %b = needle.read @b : tensor<2xf32>
  %m = needle.read @mean : tensor<2xf32>
  %v = needle.read @var : tensor<2xf32>
  %y = needle.batch_norm %x, %w, %b, %m, %v : tensor<?x2xf32>, tensor<2xf32>
  return %y : tensor<?x2xf32>
}

// NOFILE: error: cannot freeze variables: {{.*}}missing
// WRITE: error: 'needle.write' op writes @mean, but a frozen artifact is inference-only
