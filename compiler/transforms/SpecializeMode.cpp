//===- SpecializeMode.cpp - training and inference forms ------------------===//
//
// BatchNorm1d and Dropout are traced mode-agnostic; this pass picks their
// training or inference meaning. Running statistics are buffers: in training
// the new values are written back to the variables they were read from.
//
//===----------------------------------------------------------------------===//
#include "compiler/transforms/Passes.h"
#include "dialect/NeedleOps.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::needle {
#define GEN_PASS_DEF_NEEDLESPECIALIZE
#include "compiler/transforms/Passes.h.inc"

namespace {

struct BatchNormToInfer : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp op, PatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<BatchNormInferOp>(
        op, op.getX(), op.getWeight(), op.getBias(), op.getRunningMean(),
        op.getRunningVar(), op.getEpsAttr());
    return success();
  }
};

struct DropoutToIdentity : OpRewritePattern<DropoutOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DropoutOp op, PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, op.getX());
    return success();
  }
};

struct BatchNormToTrain : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp op, PatternRewriter &rewriter) const override {
    // The new statistics go back to the buffers the old ones came from.
    auto meanRead = op.getRunningMean().getDefiningOp<ReadOp>();
    auto varRead = op.getRunningVar().getDefiningOp<ReadOp>();
    if (!meanRead || !varRead)
      return rewriter.notifyMatchFailure(op, "running statistics are not variable reads");
    auto train = BatchNormTrainOp::create(
        rewriter, op.getLoc(), op.getX(), op.getWeight(), op.getBias(),
        op.getRunningMean(), op.getRunningVar(), op.getEpsAttr(), op.getMomentumAttr(),
        /*unbiased_running_var=*/nullptr);
    WriteOp::create(rewriter, op.getLoc(), meanRead.getVariableAttr(),
                    train.getNewRunningMean());
    WriteOp::create(rewriter, op.getLoc(), varRead.getVariableAttr(),
                    train.getNewRunningVar());
    rewriter.replaceOp(op, train.getY());
    return success();
  }
};

struct NeedleSpecialize : impl::NeedleSpecializeBase<NeedleSpecialize> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *context) override {
    RewritePatternSet set(context);
    if (mode == "infer")
      set.add<BatchNormToInfer, DropoutToIdentity>(context);
    else if (mode == "train")
      set.add<BatchNormToTrain>(context);
    else
      return emitError(UnknownLoc::get(context))
             << "needle-specialize: unknown mode '" << mode
             << "' (expected 'train' or 'infer')";
    patterns = std::move(set);
    return success();
  }

  void runOnOperation() override {
    if (failed(applyPatternsGreedily(getOperation(), patterns)))
      return signalPassFailure();

    // A batch_norm left over has no buffers to update: say which one.
    WalkResult result = getOperation().walk([](BatchNormOp op) {
      op.emitOpError("cannot be specialised for training: running_mean and "
                     "running_var must be read from buffer variables");
      return WalkResult::interrupt();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }

  FrozenRewritePatternSet patterns;
};

} // namespace
} // namespace mlir::needle
