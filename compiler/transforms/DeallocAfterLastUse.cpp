//===- DeallocAfterLastUse.cpp - free temporaries as soon as they die ------===//
//
// The ownership-based deallocation pipeline frees every temporary at the end
// of the block that allocates it, so a function's temporaries are all live at
// once: a training step holds megabytes of them, and when they are all freed
// together, malloc hands the top of its heap back to the kernel, which the
// next call faults in again page by page. Freeing each buffer right after its
// last use (through any view of it) lets malloc reuse the memory, still warm
// in cache, for the buffers allocated after it.
//
//===----------------------------------------------------------------------===//
#include "compiler/transforms/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::needle {
#define GEN_PASS_DEF_NEEDLEDEALLOCAFTERLASTUSE
#include "compiler/transforms/Passes.h.inc"

namespace {

/// The last op of `block` that uses `buffer` or a view of it, other than
/// `dealloc`; failure when the buffer may escape (a view whose aliasing is not
/// known: an op other than a view returning a memref, a terminator).
FailureOr<Operation *> findLastUse(Value buffer, Block *block, Operation *dealloc) {
  Operation *last = buffer.getDefiningOp();
  SmallVector<Value> worklist{buffer};
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    for (OpOperand &use : value.getUses()) {
      Operation *user = use.getOwner();
      if (user == dealloc)
        continue;
      if (user->hasTrait<OpTrait::IsTerminator>())
        return failure();
      if (auto view = dyn_cast<ViewLikeOpInterface>(user);
          view && view.getViewSource() == value) {
        worklist.append(user->result_begin(), user->result_end());
      } else if (llvm::any_of(user->getResultTypes(), llvm::IsaPred<BaseMemRefType>)) {
        return failure();
      }
      Operation *ancestor = block->findAncestorOpInBlock(*user);
      if (!ancestor)
        return failure();
      if (last->isBeforeInBlock(ancestor))
        last = ancestor;
    }
  }
  return last;
}

/// Whether every op strictly between `first` and `last` is a dealloc (deallocs
/// after the same last use stay in their order, so the rewrite converges).
bool onlyDeallocsBetween(Operation *first, Operation *last) {
  for (Operation *op = first->getNextNode(); op != last; op = op->getNextNode())
    if (!isa<memref::DeallocOp>(op))
      return false;
  return true;
}

struct DeallocAfterLastUse : OpRewritePattern<memref::DeallocOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(memref::DeallocOp dealloc,
                                PatternRewriter &rewriter) const override {
    Value buffer = dealloc.getMemref();
    auto alloc = buffer.getDefiningOp<memref::AllocOp>();
    Block *block = dealloc->getBlock();
    if (!alloc || alloc->getBlock() != block)
      return rewriter.notifyMatchFailure(dealloc, "not freeing an alloc of its block");
    FailureOr<Operation *> last = findLastUse(buffer, block, dealloc);
    if (failed(last))
      return rewriter.notifyMatchFailure(dealloc, "the buffer may escape");
    if (!(*last)->isBeforeInBlock(dealloc) || onlyDeallocsBetween(*last, dealloc))
      return rewriter.notifyMatchFailure(dealloc, "already right after the last use");
    rewriter.moveOpAfter(dealloc, *last);
    return success();
  }
};

struct NeedleDeallocAfterLastUse
    : impl::NeedleDeallocAfterLastUseBase<NeedleDeallocAfterLastUse> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<DeallocAfterLastUse>(&getContext());
    // Moves only: no folding, and each dealloc moves at most once.
    GreedyRewriteConfig config;
    config.enableFolding(false);
    config.setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      return signalPassFailure();
  }
};

} // namespace
} // namespace mlir::needle
