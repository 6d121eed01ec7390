//===- ReductionsToLinalg.cpp - summation and logsumexp to linalg ---------===//
//
// Reductions are linalg.generic ops whose kept dimensions are the outer,
// parallel loops and whose reduced dimensions are the inner, reduction loops,
// accumulating into a filled init of the result shape (needle removes the
// reduced axes; reducing every axis gives a rank-0 tensor).
//
//===----------------------------------------------------------------------===//
#include "compiler/conversion/LinalgBuilders.h"
#include "compiler/conversion/Patterns.h"
#include "dialect/NeedleOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::needle {
namespace {

/// The reduced axes, sorted; all of them when the op has none.
SmallVector<int64_t> getReducedAxes(std::optional<ArrayRef<int64_t>> axes, int64_t rank) {
  SmallVector<int64_t> reduced =
      axes ? llvm::to_vector(*axes) : llvm::to_vector(llvm::seq<int64_t>(0, rank));
  llvm::sort(reduced);
  return reduced;
}

struct SummationToGeneric : OpConversionPattern<SummationOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(SummationOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    RankedTensorType type = op.getType();
    int64_t rank = op.getX().getType().getRank();
    SmallVector<int64_t> axes = getReducedAxes(op.getAxes(), rank);
    if (axes.empty()) {
      rewriter.replaceOp(op, x);
      return success();
    }
    ReductionNest nest(rewriter.getContext(), rank, axes);
    Value zero = createFloatConstant(rewriter, loc, type.getElementType(), 0.0);
    Value init = createFilledTensor(rewriter, loc, type,
                                    getSizes(rewriter, loc, x, nest.getKeptDims()), zero);
    Value sum = createReduction(
        rewriter, loc, nest, {x}, {}, {init},
        [](OpBuilder &b, Location nestedLoc, ValueRange args) -> SmallVector<Value> {
          return {arith::AddFOp::create(b, nestedLoc, args[0], args[1])};
        })[0];
    rewriter.replaceOp(op, sum);
    return success();
  }
};

/// logsumexp(x) = m + log(sum(exp(x - m))) with m the maximum over the axes,
/// so no exp overflows. When m is infinite (a slice of all -inf, or one
/// holding +inf) the shift is 0 instead: x - m would be inf - inf = NaN,
/// while shift 0 gives log(0) = -inf for an all -inf slice and +inf for a
/// slice holding +inf, the exact answers. NaN propagates.
struct LogSumExpToGenerics : OpConversionPattern<LogSumExpOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(LogSumExpOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    RankedTensorType type = op.getType();
    Type elementType = type.getElementType();
    int64_t rank = op.getX().getType().getRank();
    SmallVector<int64_t> axes = getReducedAxes(op.getAxes(), rank);
    if (axes.empty()) {
      rewriter.replaceOp(op, x);
      return success();
    }
    ReductionNest nest(rewriter.getContext(), rank, axes);
    SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, x, nest.getKeptDims());

    Value negInf = createNegInfConstant(rewriter, loc, elementType);
    Value maxInit = createFilledTensor(rewriter, loc, type, sizes, negInf);
    Value max = createReduction(
        rewriter, loc, nest, {x}, {}, {maxInit},
        [](OpBuilder &b, Location nestedLoc, ValueRange args) -> SmallVector<Value> {
          return {arith::MaximumFOp::create(b, nestedLoc, args[0], args[1])};
        })[0];

    Value zero = createFloatConstant(rewriter, loc, elementType, 0.0);
    Value sumInit = createFilledTensor(rewriter, loc, type, sizes, zero);
    Value sum = createReduction(
        rewriter, loc, nest, {x}, {max}, {sumInit},
        [](OpBuilder &b, Location nestedLoc, ValueRange args) -> SmallVector<Value> {
          Value shift = finiteOrZero(b, nestedLoc, args[1]);
          Value shifted = arith::SubFOp::create(b, nestedLoc, args[0], shift);
          Value term = math::ExpOp::create(b, nestedLoc, shifted);
          return {arith::AddFOp::create(b, nestedLoc, args[2], term)};
        })[0];

    Value result = createElementwise(
        rewriter, loc, type, {max, sum},
        [](OpBuilder &b, Location nestedLoc, ValueRange args) -> SmallVector<Value> {
          Value shift = finiteOrZero(b, nestedLoc, args[0]);
          Value logSum = math::LogOp::create(b, nestedLoc, args[1]);
          return {arith::AddFOp::create(b, nestedLoc, shift, logSum)};
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateReductionsToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<SummationToGeneric, LogSumExpToGenerics>(patterns.getContext());
}

} // namespace mlir::needle
