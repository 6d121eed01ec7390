//===- Passes.td - conversions out of the needle dialect ---*- tablegen -*-===//
#ifndef NEEDLE_COMPILER_CONVERSION_PASSES_TD
#define NEEDLE_COMPILER_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertNeedleToLinalg : Pass<"convert-needle-to-linalg", "::mlir::func::FuncOp"> {
  let summary = "Lower needle compute ops to linalg, tensor, arith and math";
  let description = [{
    Lowers every needle op that computes (everything but variables and their
    reads and writes, which become function arguments first) to linalg on
    tensors, tensor, arith and math. Mode-agnostic ops (`batch_norm`,
    `dropout`) must be specialised first; the pass names each one it finds.

    Element-wise ops become plain all-parallel `linalg.generic`s that
    `linalg-fuse-elementwise-ops` can fuse; reductions keep the result's
    dimensions as the outer parallel loops. Dynamic sizes are read with
    `tensor.dim` (or reused from the `tensor.empty` that defined them). Where
    `broadcast_to` or a batched `matmul` broadcasts, a dynamic size is taken
    to equal the target's: only a static size 1 stretches.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::tensor::TensorDialect",
  ];
}

#endif // NEEDLE_COMPILER_CONVERSION_PASSES_TD
