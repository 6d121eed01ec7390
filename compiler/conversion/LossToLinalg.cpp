//===- LossToLinalg.cpp - one_hot and softmax_loss to linalg --------------===//
//
// Both compare a class index (linalg.index) with an integer label instead of
// indexing with the label, so a label outside [0, K) selects nothing rather
// than reading out of bounds.
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

/// Whether the integer `label` equals the class index `index` (an `index`).
/// Labels are signed (a negative label matches no class), except i1, whose
/// only values are the classes 0 and 1.
Value isLabel(OpBuilder &b, Location loc, Value label, Value index) {
  Value labelIndex =
      label.getType().isInteger(1)
          ? Value(arith::IndexCastUIOp::create(b, loc, b.getIndexType(), label))
          : Value(arith::IndexCastOp::create(b, loc, b.getIndexType(), label));
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, labelIndex, index);
}

/// result[s..., k] = labels[s...] == k ? 1 : 0.
struct OneHotToGeneric : OpConversionPattern<OneHotOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(OneHotOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    Value labels = adaptor.getLabels();
    RankedTensorType type = op.getType();
    int64_t rank = type.getRank();
    SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, labels);
    sizes.push_back(rewriter.getIndexAttr(op.getNumClasses()));
    Value init = createEmptyTensor(rewriter, loc, type, sizes);
    Type elementType = type.getElementType();
    Value one = createFloatConstant(rewriter, loc, elementType, 1.0);
    Value zero = createFloatConstant(rewriter, loc, elementType, 0.0);
    // The labels are read at every index but the class one.
    SmallVector<AffineExpr> labelIndices;
    for (int64_t i = 0; i < rank - 1; ++i)
      labelIndices.push_back(getAffineDimExpr(i, context));
    SmallVector<AffineMap> maps{AffineMap::get(rank, 0, labelIndices, context),
                                AffineMap::getMultiDimIdentityMap(rank, context)};
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{labels}, ValueRange{init}, maps,
        iterators, [&](OpBuilder &b, Location nestedLoc, ValueRange args) {
          Value index = linalg::IndexOp::create(b, nestedLoc, rank - 1);
          Value hit = isLabel(b, nestedLoc, args[0], index);
          linalg::YieldOp::create(
              b, nestedLoc, Value(arith::SelectOp::create(b, nestedLoc, hit, one, zero)));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// loss = sum_n (logsumexp(logits[n, :]) - logits[n, labels[n]]) / N.
///  1. m[n] = max_k logits[n, k];
///  2. one pass over (n, k): s[n] = sum_k exp(logits - shift[n]) and
///     picked[n] = the logit whose k equals the label (0 when none does,
///     as sum(logits * one_hot) gives), with shift = m where finite, else 0
///     (see finiteOrZero: -inf and +inf rows stay exact instead of NaN);
///  3. total = sum_n (shift + log(s) - picked), then total / N with N the
///     (dynamic) batch size.
struct SoftmaxLossToLinalg : OpConversionPattern<SoftmaxLossOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(SoftmaxLossOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    Value logits = adaptor.getLogits(), labels = adaptor.getLabels();
    RankedTensorType type = op.getType();
    Type elementType = type.getElementType();
    auto logitsType = cast<RankedTensorType>(logits.getType());
    auto rowType = RankedTensorType::get({logitsType.getDimSize(0)}, elementType);
    SmallVector<OpFoldResult> rowSizes{getSize(rewriter, loc, logits, 0)};
    Value zero = createFloatConstant(rewriter, loc, elementType, 0.0);
    ReductionNest rows(context, /*rank=*/2, /*axes=*/{1});

    Value negInf = createNegInfConstant(rewriter, loc, elementType);
    Value max = createReduction(
        rewriter, loc, rows, {logits}, {},
        {createFilledTensor(rewriter, loc, rowType, rowSizes, negInf)},
        [](OpBuilder &b, Location nestedLoc, ValueRange args) -> SmallVector<Value> {
          return {arith::MaximumFOp::create(b, nestedLoc, args[0], args[1])};
        })[0];

    SmallVector<Value> rowSums = createReduction(
        rewriter, loc, rows, {logits}, {max, labels},
        {createFilledTensor(rewriter, loc, rowType, rowSizes, zero),
         createFilledTensor(rewriter, loc, rowType, rowSizes, zero)},
        [&](OpBuilder &b, Location nestedLoc, ValueRange args) -> SmallVector<Value> {
          Value logit = args[0], label = args[2], expSum = args[3], picked = args[4];
          Value shift = finiteOrZero(b, nestedLoc, args[1]);
          Value term = math::ExpOp::create(
              b, nestedLoc, arith::SubFOp::create(b, nestedLoc, logit, shift));
          Value k = linalg::IndexOp::create(b, nestedLoc, 1);
          Value chosen = arith::SelectOp::create(
              b, nestedLoc, isLabel(b, nestedLoc, label, k), logit, zero);
          return {arith::AddFOp::create(b, nestedLoc, expSum, term),
                  arith::AddFOp::create(b, nestedLoc, picked, chosen)};
        });

    ReductionNest batch(context, /*rank=*/1, /*axes=*/{0});
    Value total = createReduction(
        rewriter, loc, batch, {max, rowSums[0], rowSums[1]}, {},
        {createFilledTensor(rewriter, loc, type, {}, zero)},
        [](OpBuilder &b, Location nestedLoc, ValueRange args) -> SmallVector<Value> {
          Value shift = finiteOrZero(b, nestedLoc, args[0]);
          Value logSumExp = arith::AddFOp::create(
              b, nestedLoc, shift, math::LogOp::create(b, nestedLoc, args[1]));
          Value rowLoss = arith::SubFOp::create(b, nestedLoc, logSumExp, args[2]);
          return {arith::AddFOp::create(b, nestedLoc, args[3], rowLoss)};
        })[0];

    Value count = createDimAsFloat(rewriter, loc, logits, 0, elementType);
    Value loss = createElementwise(
        rewriter, loc, type, {total},
        [&](OpBuilder &b, Location nestedLoc, ValueRange args) -> SmallVector<Value> {
          return {arith::DivFOp::create(b, nestedLoc, args[0], count)};
        });
    rewriter.replaceOp(op, loss);
    return success();
  }
};

} // namespace

void populateLossToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<OneHotToGeneric, SoftmaxLossToLinalg>(patterns.getContext());
}

} // namespace mlir::needle
