//===- Pipelines.cpp - needlec's pass pipelines ---------------------------===//
#include "compiler/Pipelines.h"
#include "compiler/conversion/Passes.h"
#include "compiler/transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace needle {

void buildNeedleToLinalgPipeline(OpPassManager &pm) {
  pm.addNestedPass<func::FuncOp>(mlir::needle::createNeedleRecordEqualDims());
  pm.addNestedPass<func::FuncOp>(mlir::needle::createNeedleRecordLabelBounds());
  pm.addPass(mlir::needle::createNeedleVariablesToArguments());
  pm.addNestedPass<func::FuncOp>(mlir::needle::createConvertNeedleToLinalg());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void buildFreezePipeline(OpPassManager &pm, StringRef checkpoint) {
  mlir::needle::NeedleFreezeVariablesOptions options;
  options.checkpointPath = checkpoint.str();
  pm.addPass(mlir::needle::createNeedleFreezeVariables(options));
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(mlir::needle::createNeedleFoldBatchNorm());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

// Verified on 22.1.8 (MLIR22-NOTES.md): full-unroll avoids allocas in loops;
// lower-affine runs twice because expand-strided-metadata creates affine ops;
// math ops without an LLVM intrinsic (tanh) become libm calls. Buffers are
// allocated through _mlir_memref_to_llvm_alloc/free, which the artifact's
// support code implements with a cache of large blocks (Artifact.cpp).
static constexpr const char *kLinalgToLLVM =
    "linalg-fuse-elementwise-ops,"
    "func.func(needle-fold-transpose-into-contraction,"
    "needle-contraction-loop-order,needle-fill-per-destination),"
    "one-shot-bufferize{bufferize-function-boundaries "
    "function-boundary-type-conversion=identity-layout-map},"
    "buffer-deallocation-pipeline,"
    "convert-bufferization-to-memref,"
    "func.func(needle-forward-copied-buffers,needle-dealloc-after-last-use),"
    "needle-parallelize-loops,"
    "func.func(needle-tile-contractions),"
    "convert-linalg-to-loops,"
    "convert-vector-to-scf{full-unroll=true},"
    "lower-affine,convert-scf-to-cf,"
    "expand-strided-metadata,lower-affine,"
    "convert-vector-to-llvm,finalize-memref-to-llvm{use-generic-functions=true},"
    "convert-arith-to-llvm,convert-math-to-llvm,convert-math-to-libm,"
    "convert-func-to-llvm,convert-cf-to-llvm,convert-index-to-llvm,"
    "convert-ub-to-llvm,convert-openmp-to-llvm,reconcile-unrealized-casts";

LogicalResult buildLinalgToLLVMPipeline(OpPassManager &pm) {
  return parsePassPipeline(kLinalgToLLVM, pm);
}

void registerPipelines() {
  PassPipelineRegistration<>("needle-to-linalg",
                             "needle entry functions to linalg on tensors",
                             buildNeedleToLinalgPipeline);
  PassPipelineRegistration<>(
      "needle-linalg-to-llvm", "linalg on tensors to the LLVM dialect (CPU)",
      [](OpPassManager &pm) { (void)buildLinalgToLLVMPipeline(pm); });
}

} // namespace needle
