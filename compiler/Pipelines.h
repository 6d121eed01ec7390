//===- Pipelines.h - needlec's pass pipelines -------------------*- C++ -*-===//
#ifndef NEEDLE_COMPILER_PIPELINES_H
#define NEEDLE_COMPILER_PIPELINES_H

#include "mlir/Pass/PassManager.h"

namespace needle {

/// Entry functions in needle form -> linalg on tensors, variables as
/// arguments, element-wise chains fused.
void buildNeedleToLinalgPipeline(mlir::OpPassManager &pm);

/// Inference entries with every variable replaced by its value in
/// `checkpoint`, constants folded, and BatchNorm folded into the Linear
/// before it.
void buildFreezePipeline(mlir::OpPassManager &pm, llvm::StringRef checkpoint);

/// linalg on tensors -> LLVM dialect for the host CPU: one-shot
/// bufferisation, ownership-based deallocation (results are owned by the
/// caller), loops, and the conversions to LLVM.
mlir::LogicalResult buildLinalgToLLVMPipeline(mlir::OpPassManager &pm);

/// Registers the pipelines above as `needle-to-linalg` and
/// `needle-linalg-to-llvm` for needle-opt.
void registerPipelines();

} // namespace needle

#endif // NEEDLE_COMPILER_PIPELINES_H
