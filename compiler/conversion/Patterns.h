//===- Patterns.h - needle -> linalg conversion patterns --------*- C++ -*-===//
//
// The patterns of `convert-needle-to-linalg`, one populate function per op
// family (one .cpp each). All lower to linalg on tensors, tensor, arith and
// math; none touches variables, reads or writes.
//
//===----------------------------------------------------------------------===//
#ifndef NEEDLE_COMPILER_CONVERSION_PATTERNS_H
#define NEEDLE_COMPILER_CONVERSION_PATTERNS_H

namespace mlir {
class RewritePatternSet;
} // namespace mlir

namespace mlir::needle {

/// add mul div pow, the scalar forms, negate exp log relu tanh sigmoid,
/// relu_grad.
void populateElementwiseToLinalgPatterns(RewritePatternSet &patterns);

/// reshape broadcast_to transpose flip stack split.
void populateShapeToLinalgPatterns(RewritePatternSet &patterns);

/// summation logsumexp.
void populateReductionsToLinalgPatterns(RewritePatternSet &patterns);

/// matmul.
void populateMatmulToLinalgPatterns(RewritePatternSet &patterns);

/// batch_norm_train batch_norm_infer batch_norm_train_grad.
void populateBatchNormToLinalgPatterns(RewritePatternSet &patterns);

/// one_hot softmax_loss.
void populateLossToLinalgPatterns(RewritePatternSet &patterns);

} // namespace mlir::needle

#endif // NEEDLE_COMPILER_CONVERSION_PATTERNS_H
