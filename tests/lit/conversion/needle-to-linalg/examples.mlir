// The example models lower completely once specialised: no needle compute
// op is left, only variables and their reads and writes. The training form
// of mlp_resnet draws its dropout masks in generics of their own.

// RUN: needle-opt %examples/mlp_resnet.mlir --needle-specialize=mode=infer --convert-needle-to-linalg \
// RUN:   | FileCheck %s --check-prefixes=RESNET,NOCOMPUTE
// RUN: needle-opt %examples/mlp.mlir --needle-specialize=mode=infer --convert-needle-to-linalg \
// RUN:   | FileCheck %s --check-prefix=NOCOMPUTE
// RUN: needle-opt %examples/mlp.mlir --needle-specialize=mode=train --convert-needle-to-linalg \
// RUN:   | FileCheck %s --check-prefix=NOCOMPUTE
// RUN: needle-opt %examples/batchnorm1d.mlir --needle-specialize=mode=infer --convert-needle-to-linalg \
// RUN:   | FileCheck %s --check-prefix=NOCOMPUTE
// RUN: needle-opt %examples/batchnorm1d.mlir --needle-specialize=mode=train --convert-needle-to-linalg \
// RUN:   | FileCheck %s --check-prefixes=BNTRAIN,NOCOMPUTE
// RUN: needle-opt %examples/mlp_resnet.mlir --needle-specialize=mode=train --convert-needle-to-linalg \
// RUN:   | FileCheck %s --check-prefixes=DROPOUT,NOCOMPUTE
// With variables as arguments, the lowered forms bufferize.
// RUN: needle-opt %examples/mlp_resnet.mlir --needle-specialize=mode=infer --needle-variables-to-arguments \
// RUN:   --convert-needle-to-linalg --one-shot-bufferize="bufferize-function-boundaries" --convert-linalg-to-loops \
// RUN:   | FileCheck %s --check-prefix=BUF
// RUN: needle-opt %examples/batchnorm1d.mlir --needle-specialize=mode=train --needle-variables-to-arguments \
// RUN:   --convert-needle-to-linalg --one-shot-bufferize="bufferize-function-boundaries" --convert-linalg-to-loops \
// RUN:   | FileCheck %s --check-prefix=BUF

// Nothing but variables, reads and writes is left of the needle dialect.
// NOCOMPUTE-NOT: = needle.{{[a-z_]+}} %
// NOCOMPUTE-NOT: needle.matmul
// NOCOMPUTE-NOT: needle.add
// NOCOMPUTE-NOT: needle.relu
// NOCOMPUTE-NOT: needle.broadcast_to
// NOCOMPUTE-NOT: needle.batch_norm
// NOCOMPUTE-NOT: needle.dropout
// NOCOMPUTE-NOT: needle.softmax_loss

// RESNET-LABEL: func.func @forward
// RESNET-SAME:    (%{{.*}}: tensor<?x784xf32>) -> tensor<?x10xf32>
// RESNET:         linalg.matmul
// RESNET:         return %{{.*}} : tensor<?x10xf32>
// RESNET-LABEL: func.func @loss
// RESNET:         linalg.matmul
// RESNET:         return %{{.*}} : tensor<f32>

// The training form writes the new running statistics back.
// BNTRAIN-LABEL: func.func @forward
// BNTRAIN:         linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]
// BNTRAIN:         needle.write @"0.running_mean"
// BNTRAIN:         needle.write @"0.running_var"

// DROPOUT-LABEL: func.func @forward
// DROPOUT:         needle.read @dropout.seed
// DROPOUT:         needle.write @dropout.step
// DROPOUT-COUNT-3: arith.mului_extended

// BUF: func.func @forward
// BUF-NOT: linalg.
// BUF-NOT: tensor<
// BUF: return
