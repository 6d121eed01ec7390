// Each --emit stage of needlec on a small model with a parameter and a buffer.
// RUN: needlec %s --emit=needle | FileCheck %s --check-prefix=NEEDLE
// RUN: needlec %s --emit=linalg | FileCheck %s --check-prefix=LINALG
// RUN: needlec %s --emit=llvm-mlir | FileCheck %s --check-prefix=LLVMMLIR
// RUN: needlec %s --emit=llvm-ir | FileCheck %s --check-prefix=LLVMIR
// RUN: needlec %s --emit=obj -o %t.o && test -s %t.o
// RUN: needlec %s -o %t.so && test -s %t.so
// RUN: not needlec %s --emit=so 2>&1 | FileCheck %s --check-prefix=NOOUT
// RUN: not needlec %s --entry=sideways --emit=needle 2>&1 | FileCheck %s --check-prefix=BADENTRY
// RUN: needlec %s --entry=forward_train --emit=needle | FileCheck %s --check-prefix=TRAIN
// RUN: needlec %s -o %t.default.so && needle-run %t.default.so --list | FileCheck %s --check-prefix=DEFAULT

needle.variable parameter @w : tensor<3xf32> = #needle.ones
needle.variable buffer @rm : tensor<3xf32> = #needle.zeros
needle.variable buffer @rv : tensor<3xf32> = #needle.ones
needle.variable parameter @b : tensor<3xf32> = #needle.zeros

func.func @forward(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %w = needle.read @w : tensor<3xf32>
  %b = needle.read @b : tensor<3xf32>
  %m = needle.read @rm : tensor<3xf32>
  %v = needle.read @rv : tensor<3xf32>
  %y = needle.batch_norm %x, %w, %b, %m, %v : tensor<?x3xf32>, tensor<3xf32>
  %d = needle.dropout %y, 0.5 : tensor<?x3xf32>
  %r = needle.relu %d : tensor<?x3xf32>
  return %r : tensor<?x3xf32>
}

// The model functions are replaced by the entry points: forward_train (the
// model has BatchNorm and Dropout) and infer.
// NEEDLE-NOT:  func.func @forward(
// NEEDLE-LABEL: func.func @infer
// NEEDLE:        needle.batch_norm_infer
// NEEDLE-NOT:    needle.dropout
// NEEDLE:        needle.relu
// NEEDLE-LABEL: func.func @forward_train
// NEEDLE:        needle.batch_norm_train

// Variables are arguments in declaration order; the function records them.
// LINALG-LABEL: func.func @infer
// LINALG-SAME:    {needle.variable = "w"}
// LINALG-SAME:    needle.variables = ["w", "rm", "rv", "b"], needle.writes = []
// LINALG-NOT:    needle.
// LINALG:        linalg.generic
// LINALG:        return

// Buffers come from the artifact's block cache, not malloc directly.
// LLVMMLIR:     llvm.func @infer(
// LLVMMLIR-NOT:   llvm.call @malloc
// LLVMMLIR:       llvm.call @_mlir_memref_to_llvm_alloc
// LLVMMLIR-NOT:   llvm.call @malloc
// LLVMMLIR:     llvm.func @_mlir_ciface_infer(

// Only the C-ABI wrapper and the manifest are exported.
// LLVMIR-DAG:   @needle_manifest_v1 = {{.*}}constant [{{[0-9]+}} x i8] c"{\22compiler_version\22:\220.1.0\22,\22entry_points\22:[{\22inputs\22:[{\22dtype\22:\22f32\22,\22name\22:\22input0\22,\22shape\22:[-1,3]}]
// LLVMIR-DAG:   define void @needle_entry_infer(ptr {{.*}}) local_unnamed_addr
// LLVMIR-NOT:   define {{.*}}@_mlir_ciface_infer

// NOOUT: needlec: error: -o is required for --emit=obj and --emit=so
// BADENTRY: error: unknown entry point 'sideways' (known: infer, forward_train, eval_loss, train_step)

// The training form: batch statistics, running statistics written back,
// dropout masks keyed by the runtime seed and a step counter.
// TRAIN-LABEL: func.func @forward_train
// TRAIN:         %[[SEED:.*]] = needle.read @dropout.seed
// TRAIN:         %{{.*}}, %{{.*}}, %{{.*}}, %[[M:.*]], %[[V:.*]] = needle.batch_norm_train
// TRAIN-NEXT:    needle.write @rm, %[[M]]
// TRAIN-NEXT:    needle.write @rv, %[[V]]
// TRAIN:         %[[MASK:.*]] = needle.dropout_mask %{{.*}}, %[[SEED]], %{{.*}} {p = 5.000000e-01 : f64, stream = 0 : i64}
// TRAIN:         needle.mul %{{.*}}, %[[MASK]]
// TRAIN-DAG:   needle.variable buffer @dropout.seed : tensor<i64> = #needle.seed
// TRAIN-DAG:   needle.variable buffer @dropout.step : tensor<i64> = #needle.zeros

// Without --entry, a model with BatchNorm or Dropout gets both forms.
// DEFAULT:      infer(input0: f32[?, 3]) -> (output0: f32[?, 3])
// DEFAULT-NEXT: forward_train(input0: f32[?, 3]) -> (output0: f32[?, 3])
// DEFAULT-NEXT:   writes: dropout.step, rm, rv
// DEFAULT:      dropout.seed: buffer i64[], seed
// DEFAULT:      dropout.step: buffer i64[], zeros
