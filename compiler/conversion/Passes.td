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
    `dropout`) must be specialised first.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect", "::mlir::tensor::TensorDialect",
  ];
}

#endif // NEEDLE_COMPILER_CONVERSION_PASSES_TD
