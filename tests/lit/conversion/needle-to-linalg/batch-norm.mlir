// RUN: needle-opt %s --convert-needle-to-linalg --split-input-file | FileCheck %s
// RUN: needle-opt %s --convert-needle-to-linalg --split-input-file \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries" --convert-linalg-to-loops \
// RUN:   | FileCheck %s --check-prefix=BUF

// Training form: batch statistics in one sweep over x, then one fused pass.
//  1. x[0 : 4L] as 4 parts of L rows (L = N / 4), read side by side: step l
//     reads row l of each part (batch loop outside, feature loop inside),
//     sums d = x - x[0, c] and d^2 over the 4 rows pairwise and adds them to
//     per-block partials of 128 steps, (l, c) -> (l floordiv 128, c);
//  2. the last N - 4L rows summed directly; x[0, c] (the shift) carried out
//     by a max over identical values, from -inf;
//  3. the partials added up over the blocks, onto those sums;
//  4. per feature: mean, invstd, the new running stats (biased var
//     normalises; the running var uses var * N / (N - 1) with
//     unbiased_running_var) and y's scale and offset;
//  5. y = (x - shift) * scale + offset in one generic over (N, C).
// CHECK-DAG: #[[P0:.*]] = affine_map<(d0, d1) -> (0, d0, d1)>
// CHECK-DAG: #[[P1:.*]] = affine_map<(d0, d1) -> (1, d0, d1)>
// CHECK-DAG: #[[P2:.*]] = affine_map<(d0, d1) -> (2, d0, d1)>
// CHECK-DAG: #[[P3:.*]] = affine_map<(d0, d1) -> (3, d0, d1)>
// CHECK-DAG: #[[ROW0:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-DAG: #[[BLOCK:.*]] = affine_map<(d0, d1) -> (d0 floordiv 128, d1)>
// CHECK-DAG: #[[ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[FEAT:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @batch_norm_train
// CHECK-SAME:    (%[[X:.*]]: tensor<?x3xf32>, %[[W:.*]]: tensor<3xf32>, %[[B:.*]]: tensor<3xf32>, %[[RM:.*]]: tensor<3xf32>, %[[RV:.*]]: tensor<3xf32>)
// CHECK:         %[[NI:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x3xf32>
// CHECK:         %[[N64:.*]] = arith.index_castui %[[NI]] : index to i64
// CHECK:         %[[N:.*]] = arith.uitofp %[[N64]] : i64 to f32
// CHECK:         %[[ROWS:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x3xf32>
// CHECK:         %[[C4:.*]] = arith.constant 4 : index
// CHECK:         %[[L:.*]] = arith.divui %[[ROWS]], %[[C4]] : index
// CHECK:         %[[SWEPT:.*]] = arith.muli %[[L]], %[[C4]] : index
// CHECK:         %[[XS:.*]] = tensor.extract_slice %[[X]][0, 0] [%[[SWEPT]], 3] [1, 1]
// CHECK:         %[[PARTS:.*]] = tensor.expand_shape %[[XS]] {{\[}}[0, 1], [2]] output_shape [4, %[[L]], 3] : tensor<?x3xf32> into tensor<4x?x3xf32>
// CHECK:         %[[C128:.*]] = arith.constant 128 : index
// CHECK:         %[[BLOCKS:.*]] = arith.ceildivui %[[L]], %[[C128]] : index
// CHECK:         %[[PB0:.*]] = tensor.empty(%[[BLOCKS]]) : tensor<?x3xf32>
// CHECK:         %[[PB:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[PB0]]
// CHECK:         %[[PQ0:.*]] = tensor.empty(%[[BLOCKS]]) : tensor<?x3xf32>
// CHECK:         %[[PQ:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[PQ0]]
// CHECK:         %[[PARTIAL:.*]]:2 = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[P0]], #[[P1]], #[[P2]], #[[P3]], #[[ROW0]], #[[BLOCK]], #[[BLOCK]]]
// CHECK-SAME:      iterator_types = ["reduction", "parallel"]
// CHECK-SAME:      ins(%[[PARTS]], %[[PARTS]], %[[PARTS]], %[[PARTS]], %[[X]] :
// CHECK-SAME:      outs(%[[PB]], %[[PQ]] : tensor<?x3xf32>, tensor<?x3xf32>)
// CHECK:         ^bb0(%[[X0:[a-z0-9_]+]]: f32, %[[X1:[a-z0-9_]+]]: f32, %[[X2:[a-z0-9_]+]]: f32, %[[X3:[a-z0-9_]+]]: f32, %[[S:[a-z0-9_]+]]: f32, %[[BACC:[a-z0-9_]+]]: f32, %[[QACC:[a-z0-9_]+]]: f32):
// CHECK:           %[[D0:.*]] = arith.subf %[[X0]], %[[S]]
// CHECK:           %[[Q0:.*]] = arith.mulf %[[D0]], %[[D0]]
// CHECK:           %[[D1:.*]] = arith.subf %[[X1]], %[[S]]
// CHECK:           %[[Q1:.*]] = arith.mulf %[[D1]], %[[D1]]
// CHECK:           %[[D2:.*]] = arith.subf %[[X2]], %[[S]]
// CHECK:           %[[Q2:.*]] = arith.mulf %[[D2]], %[[D2]]
// CHECK:           %[[D3:.*]] = arith.subf %[[X3]], %[[S]]
// CHECK:           %[[Q3:.*]] = arith.mulf %[[D3]], %[[D3]]
// CHECK:           %[[D01:.*]] = arith.addf %[[D0]], %[[D1]]
// CHECK:           %[[D23:.*]] = arith.addf %[[D2]], %[[D3]]
// CHECK:           %[[DS:.*]] = arith.addf %[[D01]], %[[D23]]
// CHECK:           %[[BN:.*]] = arith.addf %[[BACC]], %[[DS]]
// CHECK:           %[[Q01:.*]] = arith.addf %[[Q0]], %[[Q1]]
// CHECK:           %[[Q23:.*]] = arith.addf %[[Q2]], %[[Q3]]
// CHECK:           %[[QS:.*]] = arith.addf %[[Q01]], %[[Q23]]
// CHECK:           %[[QN:.*]] = arith.addf %[[QACC]], %[[QS]]
// CHECK:           linalg.yield %[[BN]], %[[QN]]
// CHECK:         %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK:         %[[SINIT:.*]] = linalg.fill ins(%[[NEGINF]] : f32)
// CHECK:         %[[RESTN:.*]] = arith.subi %[[ROWS]], %[[SWEPT]] : index
// CHECK:         %[[REST:.*]] = tensor.extract_slice %[[X]][%[[SWEPT]], 0] [%[[RESTN]], 3] [1, 1]
// CHECK:         %[[RSUMS:.*]]:3 = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID2]], #[[ROW0]], #[[FEAT]], #[[FEAT]], #[[FEAT]]]
// CHECK-SAME:      iterator_types = ["reduction", "parallel"]
// CHECK-SAME:      ins(%[[REST]], %[[X]] :
// CHECK-SAME:      outs(%{{.*}}, %{{.*}}, %[[SINIT]] :
// CHECK:         ^bb0(%[[XR:[a-z0-9_]+]]: f32, %[[SR:[a-z0-9_]+]]: f32, %[[RB:[a-z0-9_]+]]: f32, %[[RQ:[a-z0-9_]+]]: f32, %[[RS:[a-z0-9_]+]]: f32):
// CHECK:           %[[DR:.*]] = arith.subf %[[XR]], %[[SR]]
// CHECK:           %[[QR:.*]] = arith.mulf %[[DR]], %[[DR]]
// CHECK:           %[[RB2:.*]] = arith.addf %[[RB]], %[[DR]]
// CHECK:           %[[RQ2:.*]] = arith.addf %[[RQ]], %[[QR]]
// CHECK:           %[[RS2:.*]] = arith.maximumf %[[RS]], %[[SR]]
// CHECK:           linalg.yield %[[RB2]], %[[RQ2]], %[[RS2]]
// CHECK:         %[[SUMS:.*]]:3 = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID2]], #[[ID2]], #[[ROW0]], #[[FEAT]], #[[FEAT]], #[[FEAT]]]
// CHECK-SAME:      iterator_types = ["reduction", "parallel"]
// CHECK-SAME:      ins(%[[PARTIAL]]#0, %[[PARTIAL]]#1, %[[X]] : tensor<?x3xf32>, tensor<?x3xf32>, tensor<?x3xf32>)
// CHECK-SAME:      outs(%[[RSUMS]]#0, %[[RSUMS]]#1, %[[RSUMS]]#2 :
// CHECK:         ^bb0(%[[PBV:[a-z0-9_]+]]: f32, %[[PQV:[a-z0-9_]+]]: f32, %[[SV:[a-z0-9_]+]]: f32, %[[BT:[a-z0-9_]+]]: f32, %[[QT:[a-z0-9_]+]]: f32, %[[ST:[a-z0-9_]+]]: f32):
// CHECK:           %[[BT2:.*]] = arith.addf %[[BT]], %[[PBV]]
// CHECK:           %[[QT2:.*]] = arith.addf %[[QT]], %[[PQV]]
// CHECK:           %[[ST2:.*]] = arith.maximumf %[[ST]], %[[SV]]
// CHECK:           linalg.yield %[[BT2]], %[[QT2]], %[[ST2]]
// CHECK-DAG:     %[[EPS:.*]] = arith.constant 9.99999974E-6 : f32
// CHECK-DAG:     %[[KEEPM:.*]] = arith.constant 0.899999976 : f32
// CHECK-DAG:     %[[MOM:.*]] = arith.constant 1.000000e-01 : f32
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK:         %[[NM1:.*]] = arith.subf %[[N]], %[[ONE]]
// CHECK:         %[[BESSEL:.*]] = arith.divf %[[N]], %[[NM1]]
// A running statistic moves only when the batch estimates it: the mean from
// one row, the unbiased variance from two.
// CHECK:         %[[HASMEAN:.*]] = arith.cmpf oge, %[[N]], %[[ONE]]
// CHECK:         %[[HASVAR:.*]] = arith.cmpf oge, %[[N]], %{{.*}}
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
// CHECK:           %[[BM:.*]] = arith.addf %[[K1]], %[[T1]]
// CHECK:           %[[NRM:.*]] = arith.select %[[HASMEAN]], %[[BM]], %[[RMV]]
// CHECK:           %[[K2:.*]] = arith.mulf %[[KEEPM]], %[[RVV]]
// CHECK:           %[[T2:.*]] = arith.mulf %[[MOM]], %[[UNB]]
// CHECK:           %[[BV2:.*]] = arith.addf %[[K2]], %[[T2]]
// CHECK:           %[[NRV:.*]] = arith.select %[[HASVAR]], %[[BV2]], %[[RVV]]
// CHECK:           linalg.yield %[[MEAN]], %[[INV]], %[[NRM]], %[[NRV]], %[[SCALE]], %[[OFFSET]]
// CHECK:         %[[YINIT:.*]] = tensor.empty(%{{.*}}) : tensor<?x3xf32>
// CHECK:         %[[Y:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID2]], #[[FEAT]], #[[FEAT]], #[[FEAT]], #[[ID2]]]
// CHECK-SAME:      iterator_types = ["parallel", "parallel"]
// CHECK-SAME:      ins(%[[X]], %[[SUMS]]#2, %[[STATS]]#4, %[[STATS]]#5 :
// CHECK-SAME:      outs(%[[YINIT]] : tensor<?x3xf32>)
// CHECK:         ^bb0(%[[XV:[a-z0-9_]+]]: f32, %[[SHIFT:[a-z0-9_]+]]: f32, %[[SC:[a-z0-9_]+]]: f32, %[[OF:[a-z0-9_]+]]: f32, %{{.*}}: f32):
// CHECK:           %[[XSH:.*]] = arith.subf %[[XV]], %[[SHIFT]]
// CHECK:           %[[XSC:.*]] = arith.mulf %[[XSH]], %[[SC]]
// CHECK:           %[[YV:.*]] = arith.addf %[[XSC]], %[[OF]]
// CHECK:           linalg.yield %[[YV]]
// CHECK:         return %[[Y]], %[[STATS]]#0, %[[STATS]]#1, %[[STATS]]#2, %[[STATS]]#3
// Bufferized and lowered to loops, the sweep's parts are views of x (no
// copy), read side by side with the batch loop outside and the feature loop
// inside; row 0 is read only inside the loop.
// BUF-LABEL: func.func @batch_norm_train
// BUF-SAME:    (%[[X:[a-z0-9_]+]]: memref<?x3xf32
// BUF:         %[[XS:.*]] = memref.subview %[[X]][0, 0]
// BUF:         %[[PARTS:.*]] = memref.expand_shape %[[XS]]
// BUF:         %[[PB:.*]] = memref.alloc(%{{.*}}) {{.*}} : memref<?x3xf32>
// BUF:         %[[PQ:.*]] = memref.alloc(%{{.*}}) {{.*}} : memref<?x3xf32>
// BUF:         memref.store %{{.*}}, %[[PQ]]
// BUF:         scf.for %[[L:.*]] = %{{.*}} to %{{.*}} step
// BUF-NEXT:      scf.for %[[C:.*]] = %{{.*}} to %{{.*}} step
// BUF-NEXT:        memref.load %[[PARTS]][%{{.*}}, %[[L]], %[[C]]]
// BUF-NEXT:        memref.load %[[PARTS]][%{{.*}}, %[[L]], %[[C]]]
// BUF-NEXT:        memref.load %[[PARTS]][%{{.*}}, %[[L]], %[[C]]]
// BUF-NEXT:        memref.load %[[PARTS]][%{{.*}}, %[[L]], %[[C]]]
// BUF-NEXT:        memref.load %[[X]][%{{.*}}, %[[C]]]
// BUF-NEXT:        %[[BLK:.*]] = affine.apply #{{.*}}(%[[L]])
// BUF-NEXT:        memref.load %[[PB]][%[[BLK]], %[[C]]]
// BUF-NOT:     memref.copy %[[X]]
// BUF-NOT:     linalg.generic
// BUF:         math.sqrt
func.func @batch_norm_train(%x: tensor<?x3xf32>, %w: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>)
    -> (tensor<?x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %y, %bm, %bi, %nm, %nv = needle.batch_norm_train %x, %w, %b, %m, %v {eps = 1.0e-5, momentum = 0.1, unbiased_running_var} : tensor<?x3xf32>, tensor<3xf32>
  return %y, %bm, %bi, %nm, %nv : tensor<?x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// Without unbiased_running_var the biased variance updates the running var;
// f64 stays f64. A static batch of 300 rows is 4 parts of 75 rows, one block
// of partials, and no remaining rows.
// CHECK-LABEL: func.func @batch_norm_train_biased
// CHECK:         tensor.expand_shape {{.*}} output_shape [4, 75, 4] : tensor<300x4xf64> into tensor<4x75x4xf64>
// CHECK:         tensor.empty() : tensor<1x4xf64>
// CHECK:         linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]
// CHECK-SAME:      ins(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<4x75x4xf64>, tensor<4x75x4xf64>, tensor<4x75x4xf64>, tensor<4x75x4xf64>, tensor<300x4xf64>)
// CHECK-SAME:      outs(%{{.*}}, %{{.*}} : tensor<1x4xf64>, tensor<1x4xf64>)
// CHECK-NOT:     tensor.extract_slice
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
