//===- ContractionLoopOrder.cpp - vectorisable loop order for matmuls -----===//
#include "compiler/transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::needle {
#define GEN_PASS_DEF_NEEDLECONTRACTIONLOOPORDER
#include "compiler/transforms/Passes.h.inc"

namespace {

/// (..., i, j, k) with k the only reduction -> (..., i, k, j).
struct ReductionBeforeLastParallel : OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics() || !linalg::isaContractionOpInterface(op))
      return rewriter.notifyMatchFailure(op, "not a contraction on tensors");
    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    unsigned rank = iterators.size();
    if (rank < 3 || op.getNumReductionLoops() != 1 ||
        iterators[rank - 1] != utils::IteratorType::reduction ||
        iterators[rank - 2] != utils::IteratorType::parallel)
      return rewriter.notifyMatchFailure(op, "reduction is not the innermost loop");
    auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
    if (!generic) {
      FailureOr<linalg::GenericOp> generalized = linalg::generalizeNamedOp(rewriter, op);
      if (failed(generalized))
        return failure();
      generic = *generalized;
    }
    SmallVector<unsigned> order = llvm::to_vector(llvm::seq<unsigned>(0, rank));
    std::swap(order[rank - 2], order[rank - 1]);
    return linalg::interchangeGenericOp(rewriter, generic, order);
  }
};

struct NeedleContractionLoopOrder
    : impl::NeedleContractionLoopOrderBase<NeedleContractionLoopOrder> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ReductionBeforeLastParallel>(&getContext());
    // Each rewrite makes the reduction non-innermost, so the driver stops.
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
} // namespace mlir::needle
