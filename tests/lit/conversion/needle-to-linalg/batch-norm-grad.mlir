// RUN: needle-opt %s --convert-needle-to-linalg --split-input-file | FileCheck %s
// RUN: needle-opt %s --convert-needle-to-linalg --split-input-file \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries" --convert-linalg-to-loops \
// RUN:   | FileCheck %s --check-prefix=BUF

// With xhat = (x - mean) * invstd: one reduction over the batch with two
// outputs, sum(dy) and sum(dy * xhat); then one generic over (N, C):
// grad_x = weight * invstd / N * (N * dy - sum(dy) - xhat * sum(dy * xhat)).
// grad_weight = sum(dy * xhat), grad_bias = sum(dy).
// CHECK-DAG: #[[XT:.*]] = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-DAG: #[[FEAT:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[BCAST:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @batch_norm_train_grad
// CHECK-SAME:    (%[[DY:.*]]: tensor<?x3xf32>, %[[X:.*]]: tensor<?x3xf32>, %[[W:.*]]: tensor<3xf32>, %[[M:.*]]: tensor<3xf32>, %[[I:.*]]: tensor<3xf32>)
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[NI:.*]] = tensor.dim %[[X]], %{{.*}}
// CHECK:         %[[N64:.*]] = arith.index_castui %[[NI]] : index to i64
// CHECK:         %[[N:.*]] = arith.uitofp %[[N64]] : i64 to f32
// CHECK:         %[[E0:.*]] = tensor.empty() : tensor<3xf32>
// CHECK:         %[[Z0:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E0]] : tensor<3xf32>)
// CHECK:         %[[E1:.*]] = tensor.empty() : tensor<3xf32>
// CHECK:         %[[Z1:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E1]] : tensor<3xf32>)
// CHECK:         %[[SUMS:.*]]:2 = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[XT]], #[[XT]], #[[FEAT]], #[[FEAT]], #[[FEAT]], #[[FEAT]]]
// CHECK-SAME:      iterator_types = ["parallel", "reduction"]
// CHECK-SAME:      ins(%[[DY]], %[[X]], %[[M]], %[[I]] : tensor<?x3xf32>, tensor<?x3xf32>, tensor<3xf32>, tensor<3xf32>)
// CHECK-SAME:      outs(%[[Z0]], %[[Z1]] : tensor<3xf32>, tensor<3xf32>)
// CHECK:         ^bb0(%[[DYV:[a-z0-9_]+]]: f32, %[[XV:[a-z0-9_]+]]: f32, %[[MV:[a-z0-9_]+]]: f32, %[[IV:[a-z0-9_]+]]: f32, %[[A0:[a-z0-9_]+]]: f32, %[[A1:[a-z0-9_]+]]: f32):
// CHECK:           %[[XC:.*]] = arith.subf %[[XV]], %[[MV]]
// CHECK:           %[[XHAT:.*]] = arith.mulf %[[XC]], %[[IV]]
// CHECK:           %[[DX:.*]] = arith.mulf %[[DYV]], %[[XHAT]]
// CHECK:           %[[S0:.*]] = arith.addf %[[A0]], %[[DYV]]
// CHECK:           %[[S1:.*]] = arith.addf %[[A1]], %[[DX]]
// CHECK:           linalg.yield %[[S0]], %[[S1]]
// CHECK:         %[[GXINIT:.*]] = tensor.empty(%{{.*}}) : tensor<?x3xf32>
// CHECK:         %[[GX:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID2]], #[[ID2]], #[[BCAST]], #[[BCAST]], #[[BCAST]], #[[BCAST]], #[[BCAST]], #[[ID2]]]
// CHECK-SAME:      iterator_types = ["parallel", "parallel"]
// CHECK-SAME:      ins(%[[DY]], %[[X]], %[[W]], %[[M]], %[[I]], %[[SUMS]]#0, %[[SUMS]]#1 :
// CHECK-SAME:      outs(%[[GXINIT]] : tensor<?x3xf32>)
// CHECK:         ^bb0(%[[DYE:[a-z0-9_]+]]: f32, %[[XE:[a-z0-9_]+]]: f32, %[[WE:[a-z0-9_]+]]: f32, %[[ME:[a-z0-9_]+]]: f32, %[[IE:[a-z0-9_]+]]: f32, %[[SDY:[a-z0-9_]+]]: f32, %[[SDX:[a-z0-9_]+]]: f32, %{{.*}}: f32):
// CHECK:           %[[XC2:.*]] = arith.subf %[[XE]], %[[ME]]
// CHECK:           %[[XHAT2:.*]] = arith.mulf %[[XC2]], %[[IE]]
// CHECK:           %[[NDY:.*]] = arith.mulf %[[N]], %[[DYE]]
// CHECK:           %[[T1:.*]] = arith.subf %[[NDY]], %[[SDY]]
// CHECK:           %[[PROJ:.*]] = arith.mulf %[[XHAT2]], %[[SDX]]
// CHECK:           %[[INNER:.*]] = arith.subf %[[T1]], %[[PROJ]]
// CHECK:           %[[WI:.*]] = arith.mulf %[[WE]], %[[IE]]
// CHECK:           %[[FACTOR:.*]] = arith.divf %[[WI]], %[[N]]
// CHECK:           %[[G:.*]] = arith.mulf %[[FACTOR]], %[[INNER]]
// CHECK:           linalg.yield %[[G]]
// CHECK:         return %[[GX]], %[[SUMS]]#1, %[[SUMS]]#0
// BUF-LABEL: func.func @batch_norm_train_grad
// BUF-NOT:     linalg.generic
// BUF:         return
func.func @batch_norm_train_grad(%dy: tensor<?x3xf32>, %x: tensor<?x3xf32>, %w: tensor<3xf32>, %m: tensor<3xf32>, %i: tensor<3xf32>)
    -> (tensor<?x3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %gx, %gw, %gb = needle.batch_norm_train_grad %dy, %x, %w, %m, %i : tensor<?x3xf32>, tensor<3xf32>
  return %gx, %gw, %gb : tensor<?x3xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// f64, static batch: N is still read with tensor.dim semantics (a constant).
// CHECK-LABEL: func.func @batch_norm_train_grad_f64
// CHECK:         %[[N64:.*]] = arith.index_castui %{{.*}} : index to i64
// CHECK:         arith.uitofp %[[N64]] : i64 to f64
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]
// CHECK:           arith.divf %{{.*}}, %{{.*}} : f64
func.func @batch_norm_train_grad_f64(%dy: tensor<8x3xf64>, %x: tensor<8x3xf64>, %w: tensor<3xf64>, %m: tensor<3xf64>, %i: tensor<3xf64>)
    -> (tensor<8x3xf64>, tensor<3xf64>, tensor<3xf64>) {
  %gx, %gw, %gb = needle.batch_norm_train_grad %dy, %x, %w, %m, %i : tensor<8x3xf64>, tensor<3xf64>
  return %gx, %gw, %gb : tensor<8x3xf64>, tensor<3xf64>, tensor<3xf64>
}
