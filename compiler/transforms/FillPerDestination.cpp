//===- FillPerDestination.cpp - one linalg.fill per destination -----------===//
//
// CSE merges identical `linalg.fill`s of `tensor.empty`s (the zero inits of
// every matmul and reduction of one shape), and One-Shot Bufferize then
// gives the merged fill one buffer, kept alive to its last use, and copies it
// into a new buffer for every destination that writes it: a fill plus a copy
// per matmul instead of a fill. Giving each destination its own fill, just
// before it, lets each bufferize in place.
//
//===----------------------------------------------------------------------===//
#include "compiler/transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::needle {
#define GEN_PASS_DEF_NEEDLEFILLPERDESTINATION
#include "compiler/transforms/Passes.h.inc"

namespace {

/// A fill of a tensor.empty that several ops use: every use as a
/// destination gets its own empty and fill, just before its op; the
/// original goes when nothing else reads it.
struct FillPerDestination : OpRewritePattern<linalg::FillOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::FillOp fill,
                                PatternRewriter &rewriter) const override {
    if (!fill.hasPureTensorSemantics() || fill->hasOneUse() || fill->use_empty())
      return rewriter.notifyMatchFailure(fill, "not a shared fill on tensors");
    auto empty = fill.getOutputs()[0].getDefiningOp<tensor::EmptyOp>();
    if (!empty)
      return rewriter.notifyMatchFailure(fill, "does not fill a tensor.empty");
    SmallVector<OpOperand *> destinations;
    for (OpOperand &use : fill.result().getUses()) {
      auto owner = dyn_cast<DestinationStyleOpInterface>(use.getOwner());
      if (owner && owner.isDpsInit(&use))
        destinations.push_back(&use);
    }
    if (destinations.empty())
      return rewriter.notifyMatchFailure(fill, "no destination uses");
    for (OpOperand *use : destinations) {
      rewriter.setInsertionPoint(use->getOwner());
      Operation *newEmpty = rewriter.clone(*empty);
      auto newFill = linalg::FillOp::create(rewriter, fill.getLoc(), fill.value(),
                                            newEmpty->getResult(0));
      rewriter.modifyOpInPlace(use->getOwner(), [&] { use->set(newFill.result()); });
    }
    if (fill->use_empty())
      rewriter.eraseOp(fill);
    return success();
  }
};

struct NeedleFillPerDestination
    : impl::NeedleFillPerDestinationBase<NeedleFillPerDestination> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FillPerDestination>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
} // namespace mlir::needle
