//===- NeedleToLinalg.cpp - needle compute ops to linalg on tensors -------===//
#include "compiler/conversion/Passes.h"
#include "dialect/NeedleOps.h"

#include "mlir/Transforms/DialectConversion.h"

namespace mlir::needle {
#define GEN_PASS_DEF_CONVERTNEEDLETOLINALG
#include "compiler/conversion/Passes.h.inc"

namespace {
struct ConvertNeedleToLinalg
    : impl::ConvertNeedleToLinalgBase<ConvertNeedleToLinalg> {
  void runOnOperation() override {
    // Placeholder until the patterns land: nothing is converted yet.
    getOperation().emitError("convert-needle-to-linalg: not implemented yet");
    signalPassFailure();
  }
};
} // namespace
} // namespace mlir::needle
