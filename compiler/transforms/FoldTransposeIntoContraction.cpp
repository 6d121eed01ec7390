//===- FoldTransposeIntoContraction.cpp - read transposed operands in place ===//
//
// A gradient matmul such as x^T @ dy receives its lhs from a linalg.transpose:
// a full copy of the operand made only to be read once. The contraction can
// read the transpose's input directly through a permuted indexing map. Only
// operands that do not run along the result's innermost dimension are folded:
// that dimension is the one loops vectorise, and an operand read across it
// (the rhs of x @ w^T) is better copied once into contiguous rows.
//
//===----------------------------------------------------------------------===//
#include "compiler/transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::needle {
#define GEN_PASS_DEF_NEEDLEFOLDTRANSPOSEINTOCONTRACTION
#include "compiler/transforms/Passes.h.inc"

namespace {

/// The first input of `op` produced by a linalg.transpose and read without
/// the result's innermost loop, or null.
OpOperand *findFoldableTranspose(linalg::LinalgOp op) {
  AffineMap resultMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (resultMap.getNumResults() == 0 || !resultMap.isProjectedPermutation())
    return nullptr;
  unsigned innermost = resultMap.getDimPosition(resultMap.getNumResults() - 1);
  for (OpOperand *input : op.getDpsInputOperands()) {
    if (!input->get().getDefiningOp<linalg::TransposeOp>())
      continue;
    AffineMap map = op.getMatchingIndexingMap(input);
    if (!map.isFunctionOfDim(innermost))
      return input;
  }
  return nullptr;
}

struct FoldTransposeIntoContraction : OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics() || op.getNumDpsInits() != 1 ||
        !linalg::isaContractionOpInterface(op))
      return rewriter.notifyMatchFailure(op, "not a contraction on tensors");
    OpOperand *operand = findFoldableTranspose(op);
    if (!operand)
      return rewriter.notifyMatchFailure(op, "no foldable transposed input");
    unsigned index = operand->getOperandNumber();
    auto transpose = operand->get().getDefiningOp<linalg::TransposeOp>();

    auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
    if (!generic) {
      FailureOr<linalg::GenericOp> generalized = linalg::generalizeNamedOp(rewriter, op);
      if (failed(generalized))
        return failure();
      generic = *generalized;
    }
    // transpose: out[d_0, ..., d_n] = in[e] with e[permutation[i]] = d_i, so
    // the input is read at the transposed read's results, permuted.
    SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
    AffineMap read = maps[index];
    ArrayRef<int64_t> permutation = transpose.getPermutation();
    SmallVector<AffineExpr> exprs(read.getNumResults());
    for (auto [i, target] : llvm::enumerate(permutation))
      exprs[target] = read.getResult(i);
    maps[index] = AffineMap::get(read.getNumDims(), read.getNumSymbols(), exprs,
                                 rewriter.getContext());
    rewriter.modifyOpInPlace(generic, [&] {
      generic.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps));
      generic->setOperand(index, transpose.getInput());
    });
    return success();
  }
};

struct NeedleFoldTransposeIntoContraction
    : impl::NeedleFoldTransposeIntoContractionBase<NeedleFoldTransposeIntoContraction> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldTransposeIntoContraction>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
} // namespace mlir::needle
