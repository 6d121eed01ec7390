//===- NeedleToLinalg.cpp - needle compute ops to linalg on tensors -------===//
//
// The `convert-needle-to-linalg` pass: every needle op that computes becomes
// linalg on tensors, tensor, arith and math (the patterns live in one file
// per op family, see Patterns.h). Variables, reads and writes stay: they
// become function arguments in a pass of their own.
//
//===----------------------------------------------------------------------===//
#include "compiler/conversion/Passes.h"
#include "compiler/conversion/Patterns.h"
#include "dialect/NeedleDialect.h"
#include "dialect/NeedleOps.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::needle {
#define GEN_PASS_DEF_CONVERTNEEDLETOLINALG
#include "compiler/conversion/Passes.h.inc"

namespace {
struct ConvertNeedleToLinalg : impl::ConvertNeedleToLinalgBase<ConvertNeedleToLinalg> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *context = &getContext();

    // Mode-agnostic ops have no single meaning to lower: say so by name
    // rather than as a generic legalization failure.
    bool unspecialised = false;
    func.walk([&](Operation *op) {
      if (isa<BatchNormOp, DropoutOp>(op)) {
        op->emitOpError("must be specialised (needle-specialize) before lowering");
        unspecialised = true;
      }
    });
    if (unspecialised)
      return signalPassFailure();

    ConversionTarget target(*context);
    target.addLegalDialect<arith::ArithDialect, bufferization::BufferizationDialect,
                           func::FuncDialect, linalg::LinalgDialect, math::MathDialect,
                           tensor::TensorDialect>();
    target.addIllegalDialect<NeedleDialect>();
    // Training forms count steps with arith on rank-0 tensors, which does not
    // bufferise: those become generics too.
    target.addDynamicallyLegalDialect<arith::ArithDialect>(
        [](Operation *op) { return !::mlir::OpTrait::hasElementwiseMappableTraits(op) ||
                                   !llvm::any_of(op->getResultTypes(), llvm::IsaPred<RankedTensorType>); });
    target.addLegalOp<VariableOp, ReadOp, WriteOp>();

    RewritePatternSet patterns(context);
    populateElementwiseToLinalgPatterns(patterns);
    populateShapeToLinalgPatterns(patterns);
    populateReductionsToLinalgPatterns(patterns);
    populateMatmulToLinalgPatterns(patterns);
    populateBatchNormToLinalgPatterns(patterns);
    populateLossToLinalgPatterns(patterns);
    populateDropoutToLinalgPatterns(patterns);
    linalg::populateElementwiseToLinalgConversionPatterns(patterns);
    if (failed(applyPartialConversion(func, target, std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
} // namespace mlir::needle
