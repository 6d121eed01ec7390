// RUN: needle-opt %s --convert-needle-to-linalg --split-input-file | FileCheck %s
// RUN: needle-opt %s --convert-needle-to-linalg --split-input-file \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries" --convert-linalg-to-loops \
// RUN:   | FileCheck %s --check-prefix=BUF

// Training form: batch statistics in one sweep over x, then one fused pass.
//  1. per-block partial sums of d = x - x[0, c] and d^2: batch loop outside
//     (reduction), feature loop inside (parallel); partials of 128 rows
//     through (n, c) -> (n floordiv 128, c), ceil(N / 128) rows of them;
//  2. the partials added up over the blocks; x[0, c] (the shift) carried out;
//  3. per feature: mean, invstd, the new running stats (biased var
//     normalises; the running var uses var * N / (N - 1) with
//     unbiased_running_var) and y's scale and offset;
//  4. y = (x - shift) * scale + offset in one generic over (N, C).
// CHECK-DAG: #[[ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW0:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-DAG: #[[BLOCK:.*]] = affine_map<(d0, d1) -> (d0 floordiv 128, d1)>
// CHECK-DAG: #[[FEAT:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @batch_norm_train
// CHECK-SAME:    (%[[X:.*]]: tensor<?x3xf32>, %[[W:.*]]: tensor<3xf32>, %[[B:.*]]: tensor<3xf32>, %[[RM:.*]]: tensor<3xf32>, %[[RV:.*]]: tensor<3xf32>)
// CHECK:         %[[ROWS:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x3xf32>
// CHECK:         %[[NI:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x3xf32>
// CHECK:         %[[N64:.*]] = arith.index_castui %[[NI]] : index to i64
// CHECK:         %[[N:.*]] = arith.uitofp %[[N64]] : i64 to f32
// CHECK:         %[[C128:.*]] = arith.constant 128 : index
// CHECK:         %[[BLOCKS:.*]] = arith.ceildivui %[[ROWS]], %[[C128]] : index
// CHECK:         %[[PB0:.*]] = tensor.empty(%[[BLOCKS]]) : tensor<?x3xf32>
// CHECK:         %[[PB:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[PB0]]
// CHECK:         %[[PQ0:.*]] = tensor.empty(%[[BLOCKS]]) : tensor<?x3xf32>
// CHECK:         %[[PQ:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[PQ0]]
// CHECK:         %[[PARTIAL:.*]]:2 = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID2]], #[[ROW0]], #[[BLOCK]], #[[BLOCK]]]
// CHECK-SAME:      iterator_types = ["reduction", "parallel"]
// CHECK-SAME:      ins(%[[X]], %[[X]] : tensor<?x3xf32>, tensor<?x3xf32>)
// CHECK-SAME:      outs(%[[PB]], %[[PQ]] : tensor<?x3xf32>, tensor<?x3xf32>)
// CHECK:         ^bb0(%[[XE:[a-z0-9_]+]]: f32, %[[S:[a-z0-9_]+]]: f32, %[[BACC:[a-z0-9_]+]]: f32, %[[QACC:[a-z0-9_]+]]: f32):
// CHECK:           %[[D:.*]] = arith.subf %[[XE]], %[[S]]
// CHECK:           %[[SQ:.*]] = arith.mulf %[[D]], %[[D]]
// CHECK:           %[[BN:.*]] = arith.addf %[[BACC]], %[[D]]
// CHECK:           %[[QN:.*]] = arith.addf %[[QACC]], %[[SQ]]
// CHECK:           linalg.yield %[[BN]], %[[QN]]
// CHECK:         %[[SUMS:.*]]:3 = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID2]], #[[ID2]], #[[ROW0]], #[[FEAT]], #[[FEAT]], #[[FEAT]]]
// CHECK-SAME:      iterator_types = ["reduction", "parallel"]
// CHECK-SAME:      ins(%[[PARTIAL]]#0, %[[PARTIAL]]#1, %[[X]] : tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>)
// CHECK:         ^bb0(%[[PBV:[a-z0-9_]+]]: f32, %[[PQV:[a-z0-9_]+]]: f32, %[[SV:[a-z0-9_]+]]: f32, %[[BT:[a-z0-9_]+]]: f32, %[[QT:[a-z0-9_]+]]: f32, %{{.*}}: f32):
// CHECK:           %[[BT2:.*]] = arith.addf %[[BT]], %[[PBV]]
// CHECK:           %[[QT2:.*]] = arith.addf %[[QT]], %[[PQV]]
// CHECK:           linalg.yield %[[BT2]], %[[QT2]], %[[SV]]
// CHECK-DAG:     %[[EPS:.*]] = arith.constant 9.99999974E-6 : f32
// CHECK-DAG:     %[[KEEPM:.*]] = arith.constant 0.899999976 : f32
// CHECK-DAG:     %[[MOM:.*]] = arith.constant 1.000000e-01 : f32
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK:         %[[NM1:.*]] = arith.subf %[[N]], %[[ONE]]
// CHECK:         %[[BESSEL:.*]] = arith.divf %[[N]], %[[NM1]]
// CHECK:         %[[STATS:.*]]:6 = linalg.generic
// CHECK-SAME:      iterator_types = ["parallel"]
// CHECK-SAME:      ins(%[[SUMS]]#0, %[[SUMS]]#1, %[[SUMS]]#2, %[[RM]], %[[RV]], %[[W]], %[[B]] :
// CHECK:         ^bb0(%[[BV:[a-z0-9_]+]]: f32, %[[QV:[a-z0-9_]+]]: f32, %[[SHV:[a-z0-9_]+]]: f32, %[[RMV:[a-z0-9_]+]]: f32, %[[RVV:[a-z0-9_]+]]: f32, %[[WV:[a-z0-9_]+]]: f32, %[[BIAS:[a-z0-9_]+]]: f32,
// CHECK:           %[[CORR:.*]] = arith.divf %[[BV]], %[[N]]
// CHECK:           %[[MEAN:.*]] = arith.addf %[[SHV]], %[[CORR]]
// CHECK:           %[[BB:.*]] = arith.mulf %[[BV]], %[[CORR]]
// CHECK:           %[[SPREAD:.*]] = arith.subf %[[QV]], %[[BB]]
// CHECK:           %[[VRAW:.*]] = arith.divf %[[SPREAD]], %[[N]]
// CHECK:           %[[VAR:.*]] = arith.maximumf %[[VRAW]], %{{.*}}
// CHECK:           %[[VE:.*]] = arith.addf %[[VAR]], %[[EPS]]
// CHECK:           %[[STD:.*]] = math.sqrt %[[VE]]
// CHECK:           %[[INV:.*]] = arith.divf %[[ONE]], %[[STD]]
// CHECK:           %[[UNB:.*]] = arith.mulf %[[VAR]], %[[BESSEL]]
// CHECK:           %[[SCALE:.*]] = arith.mulf %[[WV]], %[[INV]]
// CHECK:           %[[CS:.*]] = arith.mulf %[[CORR]], %[[SCALE]]
// CHECK:           %[[OFFSET:.*]] = arith.subf %[[BIAS]], %[[CS]]
// CHECK:           %[[K1:.*]] = arith.mulf %[[KEEPM]], %[[RMV]]
// CHECK:           %[[T1:.*]] = arith.mulf %[[MOM]], %[[MEAN]]
// CHECK:           %[[NRM:.*]] = arith.addf %[[K1]], %[[T1]]
// CHECK:           %[[K2:.*]] = arith.mulf %[[KEEPM]], %[[RVV]]
// CHECK:           %[[T2:.*]] = arith.mulf %[[MOM]], %[[UNB]]
// CHECK:           %[[NRV:.*]] = arith.addf %[[K2]], %[[T2]]
// CHECK:           linalg.yield %[[MEAN]], %[[INV]], %[[NRM]], %[[NRV]], %[[SCALE]], %[[OFFSET]]
// CHECK:         %[[YINIT:.*]] = tensor.empty(%{{.*}}) : tensor<?x3xf32>
// CHECK:         %[[Y:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID2]], #[[FEAT]], #[[FEAT]], #[[FEAT]], #[[ID2]]]
// CHECK-SAME:      iterator_types = ["parallel", "parallel"]
// CHECK-SAME:      ins(%[[X]], %[[SUMS]]#2, %[[STATS]]#4, %[[STATS]]#5 :
// CHECK-SAME:      outs(%[[YINIT]] : tensor<?x3xf32>)
// CHECK:         ^bb0(%[[XV:[a-z0-9_]+]]: f32, %[[SHIFT:[a-z0-9_]+]]: f32, %[[SC:[a-z0-9_]+]]: f32, %[[OF:[a-z0-9_]+]]: f32, %{{.*}}: f32):
// CHECK:           %[[XS:.*]] = arith.subf %[[XV]], %[[SHIFT]]
// CHECK:           %[[XSC:.*]] = arith.mulf %[[XS]], %[[SC]]
// CHECK:           %[[YV:.*]] = arith.addf %[[XSC]], %[[OF]]
// CHECK:           linalg.yield %[[YV]]
// CHECK:         return %[[Y]], %[[STATS]]#0, %[[STATS]]#1, %[[STATS]]#2, %[[STATS]]#3
// Bufferized and lowered to loops, the sweep over x walks rows (batch loop
// outside, feature loop inside) and reads row 0 only inside that loop.
// BUF-LABEL: func.func @batch_norm_train
// BUF-SAME:    (%[[X:[a-z0-9_]+]]: memref<?x3xf32
// BUF:         %[[PB:.*]] = memref.alloc(%{{.*}}) {{.*}} : memref<?x3xf32>
// BUF:         %[[PQ:.*]] = memref.alloc(%{{.*}}) {{.*}} : memref<?x3xf32>
// BUF:         memref.store %{{.*}}, %[[PQ]]
// BUF:         scf.for %[[N:.*]] = %{{.*}} to %{{.*}} step
// BUF-NEXT:      scf.for %[[C:.*]] = %{{.*}} to %{{.*}} step
// BUF-NEXT:        memref.load %[[X]][%[[N]], %[[C]]]
// BUF-NEXT:        memref.load %[[X]][%{{.*}}, %[[C]]]
// BUF-NEXT:        %[[BLK:.*]] = affine.apply #{{.*}}(%[[N]])
// BUF-NEXT:        memref.load %[[PB]][%[[BLK]], %[[C]]]
// BUF-NOT:     linalg.generic
// BUF:         math.sqrt
func.func @batch_norm_train(%x: tensor<?x3xf32>, %w: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>)
    -> (tensor<?x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %y, %bm, %bi, %nm, %nv = needle.batch_norm_train %x, %w, %b, %m, %v {eps = 1.0e-5, momentum = 0.1, unbiased_running_var} : tensor<?x3xf32>, tensor<3xf32>
  return %y, %bm, %bi, %nm, %nv : tensor<?x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// Without unbiased_running_var the biased variance updates the running var;
// f64 stays f64. A static batch of 300 rows has ceil(300 / 128) = 3 blocks.
// CHECK-LABEL: func.func @batch_norm_train_biased
// CHECK:         tensor.empty() : tensor<3x4xf64>
// CHECK:         linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]
// CHECK-SAME:      ins(%{{.*}}, %{{.*}} : tensor<300x4xf64>, tensor<300x4xf64>)
// CHECK-SAME:      outs(%{{.*}}, %{{.*}} : tensor<3x4xf64>, tensor<3x4xf64>)
// CHECK:         linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]
// CHECK-SAME:      outs(%{{.*}}, %{{.*}}, %{{.*}} : tensor<4xf64>, tensor<4xf64>, tensor<4xf64>)
// CHECK:         %[[STATS:.*]]:6 = linalg.generic
// CHECK:           %[[VAR:.*]] = arith.maximumf %{{.*}}, %{{.*}} : f64
// CHECK-NOT:       arith.mulf %[[VAR]]
// CHECK:           arith.mulf %{{.*}}, %[[VAR]] : f64
// CHECK:         linalg.yield
// CHECK:         linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "parallel"]
// CHECK-SAME:      outs(%{{.*}} : tensor<300x4xf64>)
func.func @batch_norm_train_biased(%x: tensor<300x4xf64>, %w: tensor<4xf64>, %b: tensor<4xf64>, %m: tensor<4xf64>, %v: tensor<4xf64>)
    -> (tensor<300x4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<4xf64>) {
  %y, %bm, %bi, %nm, %nv = needle.batch_norm_train %x, %w, %b, %m, %v : tensor<300x4xf64>, tensor<4xf64>
  return %y, %bm, %bi, %nm, %nv : tensor<300x4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<4xf64>
}

// -----

// Inference form: no reduction. A per-feature scale and shift (one generic
// over C), then y = x * scale + shift (one generic over (N, C)).
// CHECK-DAG: #[[ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[BCAST:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @batch_norm_infer
// CHECK-SAME:    (%[[X:.*]]: tensor<?x3xf32>, %[[W:.*]]: tensor<3xf32>, %[[B:.*]]: tensor<3xf32>, %[[RM:.*]]: tensor<3xf32>, %[[RV:.*]]: tensor<3xf32>)
// CHECK-NOT:     reduction
// CHECK:         %[[EPS:.*]] = arith.constant 9.99999974E-6 : f32
// CHECK:         %[[AFFINE:.*]]:2 = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID1]], #[[ID1]], #[[ID1]], #[[ID1]], #[[ID1]], #[[ID1]]]
// CHECK-SAME:      iterator_types = ["parallel"]
// CHECK-SAME:      ins(%[[W]], %[[B]], %[[RM]], %[[RV]] :
// CHECK:         ^bb0(%[[WV:[a-z0-9_]+]]: f32, %[[BV:[a-z0-9_]+]]: f32, %[[MV:[a-z0-9_]+]]: f32, %[[VV:[a-z0-9_]+]]: f32, %{{.*}}: f32, %{{.*}}: f32):
// CHECK:           %[[VE:.*]] = arith.addf %[[VV]], %[[EPS]]
// CHECK:           %[[STD:.*]] = math.sqrt %[[VE]]
// CHECK:           %[[SCALE:.*]] = arith.divf %[[WV]], %[[STD]]
// CHECK:           %[[MS:.*]] = arith.mulf %[[MV]], %[[SCALE]]
// CHECK:           %[[SHIFT:.*]] = arith.subf %[[BV]], %[[MS]]
// CHECK:           linalg.yield %[[SCALE]], %[[SHIFT]]
// CHECK:         %[[N:.*]] = tensor.dim %[[X]], %{{.*}}
// CHECK:         %[[INIT:.*]] = tensor.empty(%[[N]]) : tensor<?x3xf32>
// CHECK:         %[[Y:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID2]], #[[BCAST]], #[[BCAST]], #[[ID2]]]
// CHECK-SAME:      iterator_types = ["parallel", "parallel"]
// CHECK-SAME:      ins(%[[X]], %[[AFFINE]]#0, %[[AFFINE]]#1 : tensor<?x3xf32>, tensor<3xf32>, tensor<3xf32>) outs(%[[INIT]] : tensor<?x3xf32>)
// CHECK:         ^bb0(%[[XV:[a-z0-9_]+]]: f32, %[[SC:[a-z0-9_]+]]: f32, %[[SH:[a-z0-9_]+]]: f32, %{{.*}}: f32):
// CHECK:           %[[P:.*]] = arith.mulf %[[XV]], %[[SC]]
// CHECK:           %[[R:.*]] = arith.addf %[[P]], %[[SH]]
// CHECK:           linalg.yield %[[R]]
// CHECK-NOT:     reduction
// CHECK:         return %[[Y]]
// BUF-LABEL: func.func @batch_norm_infer
// BUF-NOT:     linalg.generic
// BUF:         math.sqrt
func.func @batch_norm_infer(%x: tensor<?x3xf32>, %w: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<?x3xf32> {
  %y = needle.batch_norm_infer %x, %w, %b, %m, %v {eps = 1.0e-5} : tensor<?x3xf32>, tensor<3xf32>
  return %y : tensor<?x3xf32>
}
