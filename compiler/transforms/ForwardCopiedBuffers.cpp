//===- ForwardCopiedBuffers.cpp - compute into the buffer a copy would fill ===//
//
// A training step computes each new variable value (weights, optimizer
// moments) into a temporary and copies it into the variable's buffer at the
// end of the function: one extra pass over the data per variable, and
// temporaries as large as the weights kept alive to the end. When the
// destination's old value is not needed once the temporary is first written
// (or only by that first write, element-wise, at the element it writes), the
// temporary can be the destination itself. When the temporary is used for
// something else first (a weight's gradient buffer reused for the new
// weight), the last write into it can still go to the destination instead,
// if nothing reads either between that write and the copy.
//
//===----------------------------------------------------------------------===//
#include "compiler/transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::needle {
#define GEN_PASS_DEF_NEEDLEFORWARDCOPIEDBUFFERS
#include "compiler/transforms/Passes.h.inc"

namespace {

/// Whether `op` reads `dest` only element-wise into `temp`: an all-parallel
/// generic with `dest` among its inputs only and `temp` as its single init,
/// both through the same permutation map.
bool readsOnlyAtWrittenElement(Operation *op, Value dest, Value temp) {
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || generic.getNumDpsInits() != 1 ||
      generic.getDpsInitOperand(0)->get() != temp ||
      generic.getNumParallelLoops() != generic.getNumLoops())
    return false;
  AffineMap written = generic.getMatchingIndexingMap(generic.getDpsInitOperand(0));
  if (!written.isPermutation())
    return false;
  for (OpOperand *input : generic.getDpsInputOperands())
    if (input->get() == dest && generic.getMatchingIndexingMap(input) != written)
      return false;
  return true;
}

/// Whether some op makes a view of `buffer` (then not every access to it
/// names it).
bool isViewed(Value buffer) {
  return llvm::any_of(buffer.getUsers(), [](Operation *user) {
    return llvm::any_of(user->getResultTypes(), llvm::IsaPred<BaseMemRefType>);
  });
}

struct ForwardCopiedBuffer : OpRewritePattern<memref::CopyOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(memref::CopyOp copy,
                                PatternRewriter &rewriter) const override {
    Value temp = copy.getSource(), dest = copy.getTarget();
    auto alloc = temp.getDefiningOp<memref::AllocOp>();
    Block *block = copy->getBlock();
    if (!alloc || alloc->getBlock() != block || temp.getType() != dest.getType())
      return rewriter.notifyMatchFailure(copy, "not a copy of a same-typed temporary");
    // The destination must exist where the temporary is allocated.
    if (Operation *def = dest.getDefiningOp()) {
      if (def->getBlock() != block || !def->isBeforeInBlock(alloc))
        return rewriter.notifyMatchFailure(copy, "destination defined after the temporary");
    } else if (cast<BlockArgument>(dest).getOwner() != block) {
      return rewriter.notifyMatchFailure(copy, "destination from another block");
    }
    // The temporary: used by linalg ops before the copy, and freed. The first
    // of them is where the destination starts holding the new values.
    memref::DeallocOp dealloc;
    Operation *firstWrite = nullptr;
    for (Operation *user : temp.getUsers()) {
      if (user == copy)
        continue;
      if (auto free = dyn_cast<memref::DeallocOp>(user)) {
        dealloc = free;
        continue;
      }
      Operation *ancestor = block->findAncestorOpInBlock(*user);
      if (!isa<linalg::LinalgOp>(user) || ancestor != user || !user->isBeforeInBlock(copy))
        return rewriter.notifyMatchFailure(copy, "temporary used other than by linalg ops "
                                                 "of the block before the copy");
      if (!firstWrite || user->isBeforeInBlock(firstWrite))
        firstWrite = user;
    }
    if (!firstWrite)
      return rewriter.notifyMatchFailure(copy, "temporary never written");
    // The destination's old value: never read once the first write into the
    // temporary has happened, and by that write only at the element it
    // writes; never viewed.
    if (isViewed(dest))
      return rewriter.notifyMatchFailure(copy, "destination has views");
    for (Operation *user : dest.getUsers()) {
      if (user == copy)
        continue;
      Operation *ancestor = block->findAncestorOpInBlock(*user);
      if (!ancestor)
        return rewriter.notifyMatchFailure(copy, "destination used in another block");
      if (ancestor->isBeforeInBlock(firstWrite) || copy->isBeforeInBlock(ancestor))
        continue;
      if (ancestor != firstWrite || !readsOnlyAtWrittenElement(user, dest, temp))
        return rewriter.notifyMatchFailure(copy, "destination read after the temporary "
                                                 "is written");
    }
    rewriter.eraseOp(copy);
    if (dealloc)
      rewriter.eraseOp(dealloc);
    rewriter.replaceOp(alloc, dest);
    return success();
  }
};

/// `memref.copy %temp, %dest` whose source was last written, entirely, by
/// an all-parallel generic that does not read its old value (reading %dest
/// only at the element it writes): the generic writes %dest instead, when
/// nothing between it and the copy uses %temp or %dest, and neither is ever
/// viewed.
struct WriteCopiedValueInPlace : OpRewritePattern<memref::CopyOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(memref::CopyOp copy,
                                PatternRewriter &rewriter) const override {
    Value temp = copy.getSource(), dest = copy.getTarget();
    if (temp.getType() != dest.getType() || temp == dest)
      return rewriter.notifyMatchFailure(copy, "not a copy between same-typed buffers");
    if (isViewed(temp) || isViewed(dest))
      return rewriter.notifyMatchFailure(copy, "a buffer has views");
    // The last op before the copy that touches either buffer.
    Operation *last = copy->getPrevNode();
    auto touches = [&](Operation *op) {
      bool found = false;
      op->walk([&](Operation *nested) {
        found |= llvm::is_contained(nested->getOperands(), temp) ||
                 llvm::is_contained(nested->getOperands(), dest);
      });
      return found;
    };
    while (last && !touches(last))
      last = last->getPrevNode();
    auto generic = dyn_cast_or_null<linalg::GenericOp>(last);
    if (!generic || !generic.hasPureBufferSemantics() ||
        !readsOnlyAtWrittenElement(generic, dest, temp) ||
        llvm::is_contained(generic.getDpsInputs(), temp))
      return rewriter.notifyMatchFailure(copy, "not last written by an element-wise generic");
    // Every element written (the init's map is a permutation of all the
    // loops), none of the old values read.
    OpOperand *init = generic.getDpsInitOperand(0);
    if (!generic.getMatchingBlockArgument(init).use_empty())
      return rewriter.notifyMatchFailure(copy, "the generic reads the old value");
    // After the copy, the temporary may only be freed.
    for (Operation *user : temp.getUsers()) {
      Operation *ancestor = copy->getBlock()->findAncestorOpInBlock(*user);
      if (user != copy && (!ancestor || copy->isBeforeInBlock(ancestor)) &&
          !isa<memref::DeallocOp>(user))
        return rewriter.notifyMatchFailure(copy, "temporary used after the copy");
    }
    rewriter.modifyOpInPlace(generic, [&] { init->set(dest); });
    rewriter.eraseOp(copy);
    return success();
  }
};

struct NeedleForwardCopiedBuffers
    : impl::NeedleForwardCopiedBuffersBase<NeedleForwardCopiedBuffers> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ForwardCopiedBuffer>(&getContext(), /*benefit=*/2);
    patterns.add<WriteCopiedValueInPlace>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
} // namespace mlir::needle
