//===- DifferentiableOpInterface.td - per-op VJPs ----------*- tablegen -*-===//
//
// Autodiff (`needle-autodiff`) walks a function in reverse and asks each op
// for its vector-Jacobian product, built from needle ops, so a gradient graph
// is an ordinary needle graph that the rest of the pipeline optimises and
// lowers. Every needle op either implements the interface or carries the
// NonDifferentiable trait with the reason why.
//
//===----------------------------------------------------------------------===//
#ifndef NEEDLE_DIFFERENTIABLE_OP_INTERFACE_TD
#define NEEDLE_DIFFERENTIABLE_OP_INTERFACE_TD

include "mlir/IR/OpBase.td"

def Needle_DifferentiableOpInterface : OpInterface<"DifferentiableOpInterface"> {
  let cppNamespace = "::mlir::needle";
  let description = [{
    An op whose results depend differentiably on its float tensor operands.
    `buildVJP` receives one cotangent per result (a null value stands for a
    zero cotangent; at least one is set) and, per operand, whether its
    cotangent is needed (the operand depends on a parameter). It builds, at
    the builder's insertion point and from needle ops (with `arith.constant`,
    `tensor.dim` and `tensor.from_elements` for constants and run-time
    sizes), the cotangent of each needed operand: a value whose type is
    compatible with the operand's (equal rank and element type, dimensions
    equal where both are static). A null cotangent for a needed operand
    means that its contribution is zero; operands that are not needed, and
    integer or index operands, get null. A failure has been reported with a
    diagnostic on the op.
  }];
  let methods = [
    InterfaceMethod<
      "Builds the cotangents of the operands from those of the results.",
      "::llvm::LogicalResult", "buildVJP",
      (ins "::mlir::OpBuilder &":$builder,
           "::llvm::ArrayRef<::mlir::Value>":$resultCotangents,
           "::llvm::ArrayRef<bool>":$operandNeedsCotangent,
           "::llvm::SmallVectorImpl<::mlir::Value> &":$operandCotangents)>,
  ];
}

// Autodiff treats the results of such an op as constants: no gradient flows
// through it to its operands. `reason` says why, for readers of the ODS and
// for the op's `getNonDifferentiableReason()`.
class Needle_NonDifferentiable<string reason>
    : NativeOpTrait<"NonDifferentiable", [], [{
        /// Why autodiff treats this op's results as constants.
        static ::llvm::StringRef getNonDifferentiableReason() {
          return "}] # reason # [{";
        }
      }]> {
  let cppNamespace = "::mlir::needle::OpTrait";
}

#endif // NEEDLE_DIFFERENTIABLE_OP_INTERFACE_TD
