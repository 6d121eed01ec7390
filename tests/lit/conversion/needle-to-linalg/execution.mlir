// REQUIRES: mlir-runner
// RUN: needle-opt %s --convert-needle-to-linalg --linalg-fuse-elementwise-ops \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   --buffer-deallocation-pipeline --convert-bufferization-to-memref --convert-linalg-to-loops \
// RUN:   --convert-scf-to-cf --expand-strided-metadata --lower-affine --finalize-memref-to-llvm \
// RUN:   --convert-arith-to-llvm --convert-math-to-llvm --convert-math-to-libm --convert-func-to-llvm \
// RUN:   --convert-cf-to-llvm --convert-index-to-llvm --convert-ub-to-llvm --reconcile-unrealized-casts \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils \
// RUN: | FileCheck %s

// The subtle formulas, run: values computed independently in double
// precision (printed to 6 digits). Batches are dynamic.

func.func private @printMemrefF32(memref<*xf32>)

func.func @print(%t: tensor<?x?xf32>) {
  %m = bufferization.to_buffer %t : tensor<?x?xf32> to memref<?x?xf32>
  %u = memref.cast %m : memref<?x?xf32> to memref<*xf32>
  call @printMemrefF32(%u) : (memref<*xf32>) -> ()
  return
}

func.func @main() {
  // relu(-0) = 0; sigmoid saturates without NaN; x^3 of a negative base.
  // CHECK: [0,   0,   0.5,   100]
  // CHECK: [0,   0.5,   0.731059,   1]
  // CHECK: [-8,   -0,   0.125,   1e+06]
  %a0 = arith.constant dense<[[-2.0, -0.0, 0.5, 100.0], [-200.0, 0.0, 1.0, 100.0]]> : tensor<2x4xf32>
  %a1:2 = needle.split %a0 axis 0 : tensor<2x4xf32> -> tensor<4xf32>, tensor<4xf32>
  %relu = needle.relu %a1#0 : tensor<4xf32>
  %sig = needle.sigmoid %a1#1 : tensor<4xf32>
  %cube = needle.power_scalar %a1#0, 3.0 : tensor<4xf32>
  %e = needle.stack %relu, %sig, %cube axis 0 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32> -> tensor<3x4xf32>
  %ep = tensor.cast %e : tensor<3x4xf32> to tensor<?x?xf32>
  call @print(%ep) : (tensor<?x?xf32>) -> ()

  // logsumexp per row: ordinary, large, all -inf (-inf, not NaN), one
  // -inf next to 0, +inf, very negative.
  // CHECK: [3.40761,   1000.69,   -inf,   0,   inf,   -999.592]
  %x0 = arith.constant dense<[[1.0, 2.0, 3.0], [1000.0, 1000.0, -1000.0], [0xFF800000, 0xFF800000, 0xFF800000], [0xFF800000, 0.0, 0xFF800000], [0x7F800000, 1.0, 2.0], [-1000.0, -1001.0, -1002.0]]> : tensor<6x3xf32>
  %x = tensor.cast %x0 : tensor<6x3xf32> to tensor<?x3xf32>
  %lse = needle.logsumexp %x axes [1] : tensor<?x3xf32> -> tensor<?xf32>
  %lser = needle.reshape %lse [1, -1] : tensor<?xf32> -> tensor<1x?xf32>
  %lsep = tensor.cast %lser : tensor<1x?xf32> to tensor<?x?xf32>
  call @print(%lsep) : (tensor<?x?xf32>) -> ()

  // softmax_loss, stable for logits of 1000: mean of (lse - picked logit).
  // CHECK: {{\[}}[1.88611]]
  %z0 = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [1000.0, 1000.0, -1000.0, 0.0], [-5.0, 0.0, 5.0, 1.0], [0.5, 0.5, 0.5, 0.5]]> : tensor<4x4xf32>
  %z = tensor.cast %z0 : tensor<4x4xf32> to tensor<?x4xf32>
  %y0 = arith.constant dense<[3, 0, 1, 2]> : tensor<4xi64>
  %y = tensor.cast %y0 : tensor<4xi64> to tensor<?xi64>
  %loss = needle.softmax_loss %z, %y : tensor<?x4xf32>, tensor<?xi64> -> tensor<f32>
  %lossr = needle.reshape %loss [1, 1] : tensor<f32> -> tensor<1x1xf32>
  %lossp = tensor.cast %lossr : tensor<1x1xf32> to tensor<?x?xf32>
  call @print(%lossp) : (tensor<?x?xf32>) -> ()

  // one_hot: a negative (i8 255) or too large label gives a zero row.
  // CHECK: [0,   1,   0],
  // CHECK: [0,   0,   0],
  // CHECK: [0,   0,   0],
  // CHECK: [1,   0,   0]]
  %l0 = arith.constant dense<[1, 255, 3, 0]> : tensor<4xi8>
  %l = tensor.cast %l0 : tensor<4xi8> to tensor<?xi8>
  %oh = needle.one_hot %l, 3 : tensor<?xi8> -> tensor<?x3xf32>
  %ohp = tensor.cast %oh : tensor<?x3xf32> to tensor<?x?xf32>
  call @print(%ohp) : (tensor<?x?xf32>) -> ()

  // BatchNorm1d training, column 1 is 10000 + noise of about 1e-3: the
  // variance and y stay exact (a plain mean in f32 would give y = 1, 1.58, ...).
  // CHECK: [-1.09109,   0.708093,   -1],
  // CHECK: [-0.654653,   1.29191,   -1],
  // CHECK: [0.218218,   0.124279,   -1],
  // CHECK: [1.52752,   1.87572,   -1]]
  // mean, invstd, new running mean, new running var (unbiased update)
  // CHECK: [3.5,   10000,   5],
  // CHECK: [0.436435,   298.913,   316.228],
  // CHECK: [0.8,   9100,   1.4],
  // CHECK: [1.6,   1.8,   2.7]]
  %b0 = arith.constant dense<[[1.0, 10000.0, 5.0], [2.0, 10000.001, 5.0], [4.0, 9999.999, 5.0], [7.0, 10000.002, 5.0]]> : tensor<4x3xf32>
  %bx = tensor.cast %b0 : tensor<4x3xf32> to tensor<?x3xf32>
  %w = arith.constant dense<[1.0, 2.0, 0.5]> : tensor<3xf32>
  %bias = arith.constant dense<[0.0, 1.0, -1.0]> : tensor<3xf32>
  %rm = arith.constant dense<[0.5, 9000.0, 1.0]> : tensor<3xf32>
  %rv = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %by, %bm, %bi, %nrm, %nrv = needle.batch_norm_train %bx, %w, %bias, %rm, %rv {eps = 1.0e-5, momentum = 0.1, unbiased_running_var} : tensor<?x3xf32>, tensor<3xf32>
  %byp = tensor.cast %by : tensor<?x3xf32> to tensor<?x?xf32>
  call @print(%byp) : (tensor<?x?xf32>) -> ()
  %stats = needle.stack %bm, %bi, %nrm, %nrv axis 0 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32> -> tensor<4x3xf32>
  %statsp = tensor.cast %stats : tensor<4x3xf32> to tensor<?x?xf32>
  call @print(%statsp) : (tensor<?x?xf32>) -> ()

  // Its gradient (dy given), then grad_weight and grad_bias.
  // CHECK: [0.0239001,   {{.*}},   39.5285],
  // CHECK: [0.2151,   {{.*}},   -86.9626],
  // CHECK: [-0.406301,   {{.*}},   -7.9057],
  // CHECK: [0.1673,   {{.*}},   55.3399]]
  // CHECK: [-0.349148,   {{.*}},   0],
  // CHECK: [-0.2,   0.85,   0.2]]
  %dy0 = arith.constant dense<[[0.1, -0.2, 0.3], [0.5, 0.5, -0.5], [-1.0, 0.25, 0.0], [0.2, 0.3, 0.4]]> : tensor<4x3xf32>
  %dy = tensor.cast %dy0 : tensor<4x3xf32> to tensor<?x3xf32>
  %gx, %gw, %gb = needle.batch_norm_train_grad %dy, %bx, %w, %bm, %bi : tensor<?x3xf32>, tensor<3xf32>
  %gxp = tensor.cast %gx : tensor<?x3xf32> to tensor<?x?xf32>
  call @print(%gxp) : (tensor<?x?xf32>) -> ()
  %gs = needle.stack %gw, %gb axis 0 : tensor<3xf32>, tensor<3xf32> -> tensor<2x3xf32>
  %gsp = tensor.cast %gs : tensor<2x3xf32> to tensor<?x?xf32>
  call @print(%gsp) : (tensor<?x?xf32>) -> ()

  // Batched matmul with a stretched batch dimension: (3,1,2,2) x (2,2,3).
  // CHECK: [1,   2,   0],
  // CHECK: [3,   4,   0],
  // CHECK: [2,   2,   3],
  // CHECK: [4,   4,   7],
  // CHECK: [5,   6,   0],
  // CHECK: [7,   8,   0],
  // CHECK: [6,   6,   11],
  // CHECK: [8,   8,   15],
  // CHECK: [1,   0,   0],
  // CHECK: [0,   1,   0],
  // CHECK: [0,   0,   1],
  // CHECK: [1,   1,   1]]
  %m0 = arith.constant dense<[[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]], [[1.0, 0.0], [0.0, 1.0]]]> : tensor<3x2x2xf32>
  %m1 = needle.reshape %m0 [3, 1, 2, 2] : tensor<3x2x2xf32> -> tensor<3x1x2x2xf32>
  %c0 = arith.constant dense<[[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], [[0.0, 0.0, 1.0], [1.0, 1.0, 1.0]]]> : tensor<2x2x3xf32>
  %mm = needle.matmul %m1, %c0 : tensor<3x1x2x2xf32>, tensor<2x2x3xf32> -> tensor<3x2x2x3xf32>
  %mmr = needle.reshape %mm [-1, 3] : tensor<3x2x2x3xf32> -> tensor<12x3xf32>
  %mmp = tensor.cast %mmr : tensor<12x3xf32> to tensor<?x?xf32>
  call @print(%mmp) : (tensor<?x?xf32>) -> ()
  return
}
