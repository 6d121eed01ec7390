// Large loops run on the threads the runtime allows: the artifact exports the
// thread count, forks through libomp, and still register-tiles the matmul
// inside the parallel region. A model with only small static loops has none
// of it.
// RUN: needlec %s --entry=infer --emit=llvm-mlir | FileCheck %s --check-prefix=MLIR
// RUN: needlec %s --entry=infer --emit=llvm-ir | FileCheck %s --check-prefix=IR
// RUN: needlec %s --entry=infer -o %t.so && needle-run %t.so --threads=3 --function=infer \
// RUN:   --input="1x2xf32=1 2" --input="2x2xf32=1 0 0 1" | FileCheck %s --check-prefix=OUT
// RUN: not needle-run %t.so --threads=0 --list 2>&1 | FileCheck %s --check-prefix=BADTHREADS
// RUN: sed -e 's/?x/4x/g' %s | needlec - --entry=infer --emit=llvm-ir | FileCheck %s --check-prefix=SMALL

func.func @forward(%x: tensor<?x2xf32>, %w: tensor<2x2xf32>) -> tensor<?x2xf32> {
  %y = needle.matmul %x, %w : tensor<?x2xf32>, tensor<2x2xf32> -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// MLIR:      llvm.mlir.global external @needle_num_threads(1 : i32)
// MLIR:      llvm.func @infer(
// MLIR:        omp.parallel num_threads(%{{.*}} : i32) proc_bind(spread)
// MLIR:          omp.wsloop
// MLIR:            llvm.intr.masked.load {{.*}} -> vector<16xf32>
// MLIR:            llvm.fmul {{.*}} : vector<16xf32>

// IR:        @needle_num_threads = {{.*}}global i32 1
// IR-DAG:    call void @__kmpc_push_num_threads
// IR-DAG:    call void @__kmpc_push_proc_bind
// IR-DAG:    call void {{.*}}@__kmpc_fork_call

// OUT:       [1, 2]

// BADTHREADS: needle-run: error: --threads needs an integer in [1, 4096], got '0'

// SMALL-NOT: needle_num_threads
// SMALL-NOT: __kmpc
