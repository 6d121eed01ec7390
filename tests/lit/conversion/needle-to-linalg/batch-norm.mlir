// RUN: needle-opt %s --convert-needle-to-linalg --split-input-file | FileCheck %s
// RUN: needle-opt %s --convert-needle-to-linalg --split-input-file \
// RUN:   --one-shot-bufferize="bufferize-function-boundaries" --convert-linalg-to-loops \
// RUN:   | FileCheck %s --check-prefix=BUF

// Training form: statistics come from reductions over the batch (feature
// loop outside, batch loop inside: (c, n) -> (n, c)).
//  1. shifted sum: sum(x - x[0, c]) (x[0, c] read inside the loop through
//     (c, n) -> (0, c), carried out by a max over identical values);
//  2. centre = x[0, c] + sum / N, N from tensor.dim converted to float;
//  3. centred sums B = sum(x - centre), Q = sum((x - centre)^2) in one pass;
//  4. per feature: mean, invstd, new running stats (biased var normalises;
//     the running var uses var * N / (N - 1) with unbiased_running_var);
//  5. y in one generic over (N, C).
// CHECK-DAG: #[[XT:.*]] = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-DAG: #[[ROW0:.*]] = affine_map<(d0, d1) -> (0, d0)>
// CHECK-DAG: #[[FEAT:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[ID1:.*]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[BCAST:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @batch_norm_train
// CHECK-SAME:    (%[[X:.*]]: tensor<?x3xf32>, %[[W:.*]]: tensor<3xf32>, %[[B:.*]]: tensor<3xf32>, %[[RM:.*]]: tensor<3xf32>, %[[RV:.*]]: tensor<3xf32>)
// CHECK:         %[[NI:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<?x3xf32>
// CHECK:         %[[N64:.*]] = arith.index_castui %[[NI]] : index to i64
// CHECK:         %[[N:.*]] = arith.uitofp %[[N64]] : i64 to f32
// CHECK:         %[[SHIFTED:.*]]:2 = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[XT]], #[[ROW0]], #[[FEAT]], #[[FEAT]]]
// CHECK-SAME:      iterator_types = ["parallel", "reduction"]
// CHECK-SAME:      ins(%[[X]], %[[X]] : tensor<?x3xf32>, tensor<?x3xf32>)
// CHECK:         ^bb0(%[[XE:[a-z0-9_]+]]: f32, %[[S:[a-z0-9_]+]]: f32, %[[ACC:[a-z0-9_]+]]: f32, %[[SACC:[a-z0-9_]+]]: f32):
// CHECK:           %[[D:.*]] = arith.subf %[[XE]], %[[S]]
// CHECK:           %[[SUM:.*]] = arith.addf %[[ACC]], %[[D]]
// CHECK:           %[[KEEP:.*]] = arith.maximumf %[[SACC]], %[[S]]
// CHECK:           linalg.yield %[[SUM]], %[[KEEP]]
// CHECK:         %[[CENTRE:.*]] = linalg.generic
// CHECK-SAME:      ins(%[[SHIFTED]]#1, %[[SHIFTED]]#0 : tensor<3xf32>, tensor<3xf32>)
// CHECK:         ^bb0(%[[S0:[a-z0-9_]+]]: f32, %[[DS:[a-z0-9_]+]]: f32, %{{.*}}: f32):
// CHECK:           %[[MD:.*]] = arith.divf %[[DS]], %[[N]]
// CHECK:           arith.addf %[[S0]], %[[MD]]
// CHECK:         %[[CENTRED:.*]]:2 = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[XT]], #[[FEAT]], #[[FEAT]], #[[FEAT]]]
// CHECK-SAME:      iterator_types = ["parallel", "reduction"]
// CHECK-SAME:      ins(%[[X]], %[[CENTRE]] : tensor<?x3xf32>, tensor<3xf32>)
// CHECK:         ^bb0(%[[XE2:[a-z0-9_]+]]: f32, %[[C:[a-z0-9_]+]]: f32, %[[BACC:[a-z0-9_]+]]: f32, %[[QACC:[a-z0-9_]+]]: f32):
// CHECK:           %[[D2:.*]] = arith.subf %[[XE2]], %[[C]]
// CHECK:           %[[SQ:.*]] = arith.mulf %[[D2]], %[[D2]]
// CHECK:           %[[BN:.*]] = arith.addf %[[BACC]], %[[D2]]
// CHECK:           %[[QN:.*]] = arith.addf %[[QACC]], %[[SQ]]
// CHECK:           linalg.yield %[[BN]], %[[QN]]
// CHECK-DAG:     %[[EPS:.*]] = arith.constant 9.99999974E-6 : f32
// CHECK-DAG:     %[[KEEPM:.*]] = arith.constant 0.899999976 : f32
// CHECK-DAG:     %[[MOM:.*]] = arith.constant 1.000000e-01 : f32
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK:         %[[NM1:.*]] = arith.subf %[[N]], %[[ONE]]
// CHECK:         %[[BESSEL:.*]] = arith.divf %[[N]], %[[NM1]]
// CHECK:         %[[STATS:.*]]:5 = linalg.generic
// CHECK-SAME:      iterator_types = ["parallel"]
// CHECK-SAME:      ins(%[[CENTRE]], %[[CENTRED]]#0, %[[CENTRED]]#1, %[[RM]], %[[RV]] :
// CHECK:         ^bb0(%[[CV:[a-z0-9_]+]]: f32, %[[BV:[a-z0-9_]+]]: f32, %[[QV:[a-z0-9_]+]]: f32, %[[RMV:[a-z0-9_]+]]: f32, %[[RVV:[a-z0-9_]+]]: f32,
// CHECK:           %[[CORR:.*]] = arith.divf %[[BV]], %[[N]]
// CHECK:           %[[MEAN:.*]] = arith.addf %[[CV]], %[[CORR]]
// CHECK:           %[[BB:.*]] = arith.mulf %[[BV]], %[[CORR]]
// CHECK:           %[[SPREAD:.*]] = arith.subf %[[QV]], %[[BB]]
// CHECK:           %[[VRAW:.*]] = arith.divf %[[SPREAD]], %[[N]]
// CHECK:           %[[VAR:.*]] = arith.maximumf %[[VRAW]], %{{.*}}
// CHECK:           %[[VE:.*]] = arith.addf %[[VAR]], %[[EPS]]
// CHECK:           %[[STD:.*]] = math.sqrt %[[VE]]
// CHECK:           %[[INV:.*]] = arith.divf %[[ONE]], %[[STD]]
// CHECK:           %[[UNB:.*]] = arith.mulf %[[VAR]], %[[BESSEL]]
// CHECK:           %[[K1:.*]] = arith.mulf %[[KEEPM]], %[[RMV]]
// CHECK:           %[[T1:.*]] = arith.mulf %[[MOM]], %[[MEAN]]
// CHECK:           %[[NRM:.*]] = arith.addf %[[K1]], %[[T1]]
// CHECK:           %[[K2:.*]] = arith.mulf %[[KEEPM]], %[[RVV]]
// CHECK:           %[[T2:.*]] = arith.mulf %[[MOM]], %[[UNB]]
// CHECK:           %[[NRV:.*]] = arith.addf %[[K2]], %[[T2]]
// CHECK:           linalg.yield %[[MEAN]], %[[INV]], %[[NRM]], %[[NRV]], %[[CORR]]
// CHECK:         %[[YINIT:.*]] = tensor.empty(%{{.*}}) : tensor<?x3xf32>
// CHECK:         %[[Y:.*]] = linalg.generic
// CHECK-SAME:      indexing_maps = [#[[ID2]], #[[BCAST]], #[[BCAST]], #[[BCAST]], #[[BCAST]], #[[BCAST]], #[[ID2]]]
// CHECK-SAME:      iterator_types = ["parallel", "parallel"]
// CHECK-SAME:      ins(%[[X]], %[[CENTRE]], %[[STATS]]#4, %[[STATS]]#1, %[[W]], %[[B]] :
// CHECK-SAME:      outs(%[[YINIT]] : tensor<?x3xf32>)
// CHECK:         ^bb0(%[[XV:[a-z0-9_]+]]: f32, %[[CE:[a-z0-9_]+]]: f32, %[[CO:[a-z0-9_]+]]: f32, %[[IV:[a-z0-9_]+]]: f32, %[[WV:[a-z0-9_]+]]: f32, %[[BIAS:[a-z0-9_]+]]: f32, %{{.*}}: f32):
// CHECK:           %[[XC:.*]] = arith.subf %[[XV]], %[[CE]]
// CHECK:           %[[XM:.*]] = arith.subf %[[XC]], %[[CO]]
// CHECK:           %[[XH:.*]] = arith.mulf %[[XM]], %[[IV]]
// CHECK:           %[[SC:.*]] = arith.mulf %[[WV]], %[[XH]]
// CHECK:           %[[YV:.*]] = arith.addf %[[SC]], %[[BIAS]]
// CHECK:           linalg.yield %[[YV]]
// CHECK:         return %[[Y]], %[[STATS]]#0, %[[STATS]]#1, %[[STATS]]#2, %[[STATS]]#3
// BUF-LABEL: func.func @batch_norm_train
// BUF-NOT:     linalg.generic
// BUF:         math.sqrt
func.func @batch_norm_train(%x: tensor<?x3xf32>, %w: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>)
    -> (tensor<?x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %y, %bm, %bi, %nm, %nv = needle.batch_norm_train %x, %w, %b, %m, %v {eps = 1.0e-5, momentum = 0.1, unbiased_running_var} : tensor<?x3xf32>, tensor<3xf32>
  return %y, %bm, %bi, %nm, %nv : tensor<?x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// Without unbiased_running_var the biased variance updates the running var;
// f64 stays f64.
// CHECK-LABEL: func.func @batch_norm_train_biased
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel"]
// CHECK:         linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK:         %[[STATS:.*]]:5 = linalg.generic
// CHECK:           %[[VAR:.*]] = arith.maximumf %{{.*}}, %{{.*}} : f64
// CHECK-NOT:       arith.mulf %[[VAR]]
// CHECK:           arith.mulf %{{.*}}, %[[VAR]] : f64
// CHECK:         linalg.yield
// CHECK:         linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "parallel"]
func.func @batch_norm_train_biased(%x: tensor<?x4xf64>, %w: tensor<4xf64>, %b: tensor<4xf64>, %m: tensor<4xf64>, %v: tensor<4xf64>)
    -> (tensor<?x4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<4xf64>) {
  %y, %bm, %bi, %nm, %nv = needle.batch_norm_train %x, %w, %b, %m, %v : tensor<?x4xf64>, tensor<4xf64>
  return %y, %bm, %bi, %nm, %nv : tensor<?x4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<4xf64>, tensor<4xf64>
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
