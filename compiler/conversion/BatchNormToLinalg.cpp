//===- BatchNormToLinalg.cpp - BatchNorm1d forms to linalg ----------------===//
//
// x is (N, C); per-feature operands and results are (C). Per-element work is
// one generic over (N, C) reading per-feature values through (n, c) -> (c).
// The training statistics sweep x row by row (batch loop outside, feature
// loop inside: contiguous and vectorisable); the inference form has no
// reduction at all.
//
//===----------------------------------------------------------------------===//
#include "compiler/conversion/LinalgBuilders.h"
#include "compiler/conversion/Patterns.h"
#include "dialect/NeedleOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::needle {
namespace {

/// One all-parallel generic over (N, C): `matrices` are (N, C), `features`
/// are (C) and broadcast over the batch.
Value createPerElement(OpBuilder &b, Location loc, RankedTensorType resultType,
                       ValueRange matrices, ValueRange features, ScalarBody body) {
  MLIRContext *context = b.getContext();
  Value init = createEmptyTensor(b, loc, resultType, getSizes(b, loc, matrices.front()));
  SmallVector<Value> inputs(matrices);
  inputs.append(features.begin(), features.end());
  AffineMap identity = AffineMap::getMultiDimIdentityMap(2, context);
  AffineMap perFeature = AffineMap::get(2, 0, {getAffineDimExpr(1, context)}, context);
  SmallVector<AffineMap> maps(matrices.size(), identity);
  maps.append(features.size(), perFeature);
  maps.push_back(identity);
  SmallVector<utils::IteratorType> iterators(2, utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(nested, nestedLoc, body(nested, nestedLoc, args));
      });
  return generic.getResult(0);
}

/// The statistics sweep reads x as kStreams contiguous parts of equal length
/// side by side: each step reads one row of every part, sums their
/// differences in registers and adds them to the partials once. The partials
/// are then loaded and stored once per kStreams rows, and x is read in
/// kStreams long sequential streams, which the hardware prefetchers follow
/// (adjacent rows read side by side would make streams one row long).
constexpr int64_t kStreams = 4;
/// Steps summed into one partial sum before the partials are added up, so the
/// rounding error of a sum grows with kStepsPerBlock + N / kStepsPerBlock
/// rather than with N.
constexpr int64_t kStepsPerBlock = 128;

/// sum(d) and sum(d^2) over the batch with d = x - s, s = x[0, c], and s
/// itself (-inf for an empty batch).
struct ShiftedSums {
  Value sum, sumSquares, shift;
};

/// One sweep over x, batch loop outside and feature loop inside (rows are
/// contiguous: the inner loop vectorises):
///  1. x[0 : S * L] seen as (S, L, C) with S = kStreams parts of L rows, step
///     l reading row l of every part (S inputs through (l, c) -> (p, l, c))
///     and adding its sums to per-block partials through
///     (l, c) -> (l floordiv kStepsPerBlock, c);
///  2. the last N - S * L rows (fewer than S), summed directly;
///  3. the partials added up over the blocks, onto the sums of step 2.
/// s is read inside the loops of steps 2 and 3 and carried out of them as a
/// max over identical values (-inf before any row), so an empty batch never
/// reads row 0. The max makes it an accumulator: linalg drops the init of an
/// output its body does not read, which would cut the chain from step 2.
ShiftedSums createShiftedSums(OpBuilder &b, Location loc, Value x,
                              RankedTensorType featureType) {
  MLIRContext *context = b.getContext();
  auto xType = cast<RankedTensorType>(x.getType());
  Type elementType = featureType.getElementType();
  int64_t staticFeatures = xType.getDimSize(1);
  OpFoldResult rows = getSize(b, loc, x, 0), features = getSize(b, loc, x, 1);
  SmallVector<OpFoldResult> featureSizes{features};
  Value zero = createFloatConstant(b, loc, elementType, 0.0);
  auto zeros = [&](RankedTensorType type, ArrayRef<OpFoldResult> sizes) {
    return createFilledTensor(b, loc, type, sizes, zero);
  };
  AffineExpr i = getAffineDimExpr(0, context), c = getAffineDimExpr(1, context);
  AffineMap identity = AffineMap::get(2, 0, {i, c}, context);
  AffineMap firstRow =
      AffineMap::get(2, 0, {getAffineConstantExpr(0, context), c}, context);
  AffineMap perFeature = AffineMap::get(2, 0, {c}, context);
  SmallVector<utils::IteratorType> reduceRows{utils::IteratorType::reduction,
                                              utils::IteratorType::parallel};
  // Sums of the differences and of their squares, added pairwise.
  auto addPairwise = [](OpBuilder &nb, Location nl, SmallVector<Value> terms) {
    while (terms.size() > 1) {
      SmallVector<Value> halved;
      for (size_t t = 0; t + 1 < terms.size(); t += 2)
        halved.push_back(arith::AddFOp::create(nb, nl, terms[t], terms[t + 1]));
      if (terms.size() % 2)
        halved.push_back(terms.back());
      terms = std::move(halved);
    }
    return terms.front();
  };
  auto accumulate = [&](OpBuilder &nb, Location nl, ValueRange rowValues, Value shift,
                        Value sum, Value sumSquares) -> SmallVector<Value> {
    SmallVector<Value> diffs, squares;
    for (Value value : rowValues) {
      diffs.push_back(arith::SubFOp::create(nb, nl, value, shift));
      squares.push_back(arith::MulFOp::create(nb, nl, diffs.back(), diffs.back()));
    }
    return {arith::AddFOp::create(nb, nl, sum, addPairwise(nb, nl, diffs)),
            arith::AddFOp::create(nb, nl, sumSquares, addPairwise(nb, nl, squares))};
  };

  // 1. kStreams parts side by side, into per-block partials.
  std::optional<int64_t> staticRows = getConstantIntValue(rows);
  OpFoldResult partRows, sweptRows;
  if (staticRows) {
    partRows = b.getIndexAttr(*staticRows / kStreams);
    sweptRows = b.getIndexAttr(*staticRows / kStreams * kStreams);
  } else {
    Value streams = arith::ConstantIndexOp::create(b, loc, kStreams);
    Value length = arith::DivUIOp::create(
        b, loc, getValueOrCreateConstantIndexOp(b, loc, rows), streams);
    partRows = length;
    sweptRows = arith::MulIOp::create(b, loc, length, streams).getResult();
  }
  int64_t length = staticRows ? *staticRows / kStreams : ShapedType::kDynamic;
  auto sweptType = RankedTensorType::get(
      {staticRows ? length * kStreams : ShapedType::kDynamic, staticFeatures},
      elementType);
  Value swept = tensor::ExtractSliceOp::create(
      b, loc, sweptType, x, {b.getIndexAttr(0), b.getIndexAttr(0)}, {sweptRows, features},
      {b.getIndexAttr(1), b.getIndexAttr(1)});
  auto partsType = RankedTensorType::get({kStreams, length, staticFeatures}, elementType);
  Value parts =
      tensor::ExpandShapeOp::create(b, loc, partsType, swept, {{0, 1}, {2}},
                                    {b.getIndexAttr(kStreams), partRows, features});

  auto partialType = RankedTensorType::get(
      {staticRows ? int64_t(llvm::divideCeil(length, kStepsPerBlock))
                  : ShapedType::kDynamic,
       staticFeatures},
      elementType);
  SmallVector<OpFoldResult> partialSizes{createCeilDiv(b, loc, partRows, kStepsPerBlock),
                                         features};
  SmallVector<Value> inputs(kStreams, parts);
  inputs.push_back(x);
  SmallVector<AffineMap> maps;
  for (int64_t part = 0; part < kStreams; ++part)
    maps.push_back(
        AffineMap::get(2, 0, {getAffineConstantExpr(part, context), i, c}, context));
  maps.push_back(firstRow);
  AffineMap perBlock = AffineMap::get(2, 0, {i.floorDiv(kStepsPerBlock), c}, context);
  maps.append(2, perBlock);
  auto partial = linalg::GenericOp::create(
      b, loc, TypeRange{partialType, partialType}, inputs,
      ValueRange{zeros(partialType, partialSizes), zeros(partialType, partialSizes)},
      maps, reduceRows, [&](OpBuilder &nb, Location nl, ValueRange args) {
        linalg::YieldOp::create(nb, nl,
                                accumulate(nb, nl, args.take_front(kStreams),
                                           args[kStreams], args[kStreams + 1],
                                           args[kStreams + 2]));
      });

  // 2. The remaining rows, when there may be some.
  Value restSum = zeros(featureType, featureSizes);
  Value restSquares = zeros(featureType, featureSizes);
  Value restShift = createFilledTensor(b, loc, featureType, featureSizes,
                                       createNegInfConstant(b, loc, elementType));
  if (!staticRows || *staticRows % kStreams) {
    OpFoldResult restRows =
        staticRows
            ? OpFoldResult(b.getIndexAttr(*staticRows % kStreams))
            : OpFoldResult(arith::SubIOp::create(
                               b, loc, getValueOrCreateConstantIndexOp(b, loc, rows),
                               getValueOrCreateConstantIndexOp(b, loc, sweptRows))
                               .getResult());
    auto restType = RankedTensorType::get(
        {staticRows ? *staticRows % kStreams : ShapedType::kDynamic, staticFeatures},
        elementType);
    Value rest = tensor::ExtractSliceOp::create(
        b, loc, restType, x, {sweptRows, b.getIndexAttr(0)}, {restRows, features},
        {b.getIndexAttr(1), b.getIndexAttr(1)});
    auto restSums = linalg::GenericOp::create(
        b, loc, TypeRange{featureType, featureType, featureType}, ValueRange{rest, x},
        ValueRange{restSum, restSquares, restShift},
        {identity, firstRow, perFeature, perFeature, perFeature}, reduceRows,
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          SmallVector<Value> sums =
              accumulate(nb, nl, args.take_front(1), args[1], args[2], args[3]);
          sums.push_back(arith::MaximumFOp::create(nb, nl, args[4], args[1]));
          linalg::YieldOp::create(nb, nl, sums);
        });
    restSum = restSums.getResult(0);
    restSquares = restSums.getResult(1);
    restShift = restSums.getResult(2);
  }

  // 3. The partials over the blocks.
  auto sums = linalg::GenericOp::create(
      b, loc, TypeRange{featureType, featureType, featureType},
      ValueRange{partial.getResult(0), partial.getResult(1), x},
      ValueRange{restSum, restSquares, restShift},
      {identity, identity, firstRow, perFeature, perFeature, perFeature}, reduceRows,
      [](OpBuilder &nb, Location nl, ValueRange args) {
        linalg::YieldOp::create(
            nb, nl,
            ValueRange{arith::AddFOp::create(nb, nl, args[3], args[0]),
                       arith::AddFOp::create(nb, nl, args[4], args[1]),
                       arith::MaximumFOp::create(nb, nl, args[5], args[2])});
      });
  return {sums.getResult(0), sums.getResult(1), sums.getResult(2)};
}

/// Batch statistics in one sweep over x that stay accurate in f32 when
/// |mean| >> std (x = 10000 + noise): a plain sum of x loses the noise to
/// rounding, and sum(x^2) - sum(x)^2 / N cancels catastrophically. So x is
/// shifted by a sample of its own feature, s = x[0, c]:
///  1. B = sum(d), Q = sum(d^2) with d = x - s, in one sweep over x
///     (createShiftedSums);
///  2. per feature: mean = s + B / N, var = (Q - B^2 / N) / N (exact for any
///     shift; rounding grows with 1 + (s - mean)^2 / var, small for a sample
///     of the feature), invstd, the new running statistics, and y's affine
///     map scale = weight * invstd, offset = bias - (B / N) * scale;
///  3. y = (x - s) * scale + offset, one fused pass over x. x - s is exact for
///     x near s; x - mean would carry the rounding of mean (half an ulp of
///     10000 is not small against the std).
/// A batch of one gives d = 0, so var = 0 and y = bias. Running statistics
/// a batch cannot estimate keep their values instead of turning NaN: both on
/// an empty batch (0 / 0), and the unbiased running variance on a batch of
/// one (0 * 1 / 0; PyTorch refuses such a batch).
struct BatchNormTrainToLinalg : OpConversionPattern<BatchNormTrainOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(BatchNormTrainOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    RankedTensorType featureType = op.getBatchMean().getType();
    Type elementType = featureType.getElementType();
    Value count = createDimAsFloat(rewriter, loc, x, 0, elementType);
    Value zero = createFloatConstant(rewriter, loc, elementType, 0.0);

    // 1. Shifted sums, one sweep over x.
    ShiftedSums sums = createShiftedSums(rewriter, loc, x, featureType);
    Value sum = sums.sum, sumSquares = sums.sumSquares, shift = sums.shift;

    // 2. Per feature: mean, invstd, the new running statistics, y's affine map.
    double momentum = op.getMomentum().convertToDouble();
    Value eps =
        createFloatConstant(rewriter, loc, elementType, op.getEps().convertToDouble());
    Value keep = createFloatConstant(rewriter, loc, elementType, 1.0 - momentum);
    Value take = createFloatConstant(rewriter, loc, elementType, momentum);
    Value one = createFloatConstant(rewriter, loc, elementType, 1.0);
    // PyTorch updates the running variance with the unbiased var * N / (N - 1).
    Value besselFactor;
    if (op.getUnbiasedRunningVar())
      besselFactor = arith::DivFOp::create(
          rewriter, loc, count, arith::SubFOp::create(rewriter, loc, count, one));
    // The fewest rows that estimate each statistic.
    Value estimatesMean =
        arith::CmpFOp::create(rewriter, loc, arith::CmpFPredicate::OGE, count, one);
    Value estimatesVar =
        besselFactor
            ? arith::CmpFOp::create(
                  rewriter, loc, arith::CmpFPredicate::OGE, count,
                  createFloatConstant(rewriter, loc, elementType, 2.0)).getResult()
            : estimatesMean;
    SmallVector<Value> stats = createMultiResultElementwise(
        rewriter, loc, TypeRange(SmallVector<Type>(6, featureType)),
        {sum, sumSquares, shift, adaptor.getRunningMean(), adaptor.getRunningVar(),
         adaptor.getWeight(), adaptor.getBias()},
        [&](OpBuilder &b, Location nestedLoc, ValueRange args) -> SmallVector<Value> {
          Value sumValue = args[0], sumSquaresValue = args[1], shiftValue = args[2],
                runningMean = args[3], runningVar = args[4], weight = args[5],
                bias = args[6];
          Value correction = arith::DivFOp::create(b, nestedLoc, sumValue, count);
          Value mean = arith::AddFOp::create(b, nestedLoc, shiftValue, correction);
          Value spread = arith::SubFOp::create(
              b, nestedLoc, sumSquaresValue,
              arith::MulFOp::create(b, nestedLoc, sumValue, correction));
          // Rounding may leave a tiny negative spread for constant features.
          Value var = arith::MaximumFOp::create(
              b, nestedLoc, arith::DivFOp::create(b, nestedLoc, spread, count), zero);
          Value invstd = arith::DivFOp::create(
              b, nestedLoc, one,
              math::SqrtOp::create(b, nestedLoc,
                                   arith::AddFOp::create(b, nestedLoc, var, eps)));
          Value varStat =
              besselFactor ? arith::MulFOp::create(b, nestedLoc, var, besselFactor) : var;
          auto blend = [&](Value old, Value stat, Value estimated) -> Value {
            Value kept = arith::MulFOp::create(b, nestedLoc, keep, old);
            Value taken = arith::MulFOp::create(b, nestedLoc, take, stat);
            Value blended = arith::AddFOp::create(b, nestedLoc, kept, taken);
            return arith::SelectOp::create(b, nestedLoc, estimated, blended, old);
          };
          Value scale = arith::MulFOp::create(b, nestedLoc, weight, invstd);
          Value offset = arith::SubFOp::create(
              b, nestedLoc, bias, arith::MulFOp::create(b, nestedLoc, correction, scale));
          return {mean,
                  invstd,
                  blend(runningMean, mean, estimatesMean),
                  blend(runningVar, varStat, estimatesVar),
                  scale,
                  offset};
        });

    // 3. y = (x - s) * scale + offset, one generic over (N, C).
    Value y = createPerElement(
        rewriter, loc, op.getY().getType(), {x}, {shift, stats[4], stats[5]},
        [](OpBuilder &b, Location nestedLoc, ValueRange args) -> SmallVector<Value> {
          Value shifted = arith::SubFOp::create(b, nestedLoc, args[0], args[1]);
          Value scaled = arith::MulFOp::create(b, nestedLoc, shifted, args[2]);
          return {arith::AddFOp::create(b, nestedLoc, scaled, args[3])};
        });
    rewriter.replaceOp(op, {y, stats[0], stats[1], stats[2], stats[3]});
    return success();
  }
};

/// Inference folds the statistics into a per-feature affine map:
/// scale = weight / sqrt(running_var + eps), shift = bias - running_mean *
/// scale (one small generic over C), then y = x * scale + shift. No reduction.
struct BatchNormInferToLinalg : OpConversionPattern<BatchNormInferOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(BatchNormInferOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto featureType = cast<RankedTensorType>(adaptor.getWeight().getType());
    Value eps = createFloatConstant(rewriter, loc, featureType.getElementType(),
                                    op.getEps().convertToDouble());
    SmallVector<Value> affine = createMultiResultElementwise(
        rewriter, loc, TypeRange{featureType, featureType},
        {adaptor.getWeight(), adaptor.getBias(), adaptor.getRunningMean(),
         adaptor.getRunningVar()},
        [&](OpBuilder &b, Location nestedLoc, ValueRange args) -> SmallVector<Value> {
          Value stddev = math::SqrtOp::create(
              b, nestedLoc, arith::AddFOp::create(b, nestedLoc, args[3], eps));
          Value scale = arith::DivFOp::create(b, nestedLoc, args[0], stddev);
          Value shift = arith::SubFOp::create(
              b, nestedLoc, args[1], arith::MulFOp::create(b, nestedLoc, args[2], scale));
          return {scale, shift};
        });
    Value y = createPerElement(
        rewriter, loc, op.getType(), {adaptor.getX()}, affine,
        [](OpBuilder &b, Location nestedLoc, ValueRange args) -> SmallVector<Value> {
          Value scaled = arith::MulFOp::create(b, nestedLoc, args[0], args[1]);
          return {arith::AddFOp::create(b, nestedLoc, scaled, args[2])};
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

/// With xhat = (x - mean) * invstd: one reduction over the batch gives
/// sum(dy) and sum(dy * xhat) together, then one generic gives
/// grad_x = weight * invstd / N * (N * dy - sum(dy) - xhat * sum(dy * xhat)).
struct BatchNormTrainGradToLinalg : OpConversionPattern<BatchNormTrainGradOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(BatchNormTrainGradOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value dy = adaptor.getGradY(), x = adaptor.getX();
    RankedTensorType featureType = op.getGradWeight().getType();
    Type elementType = featureType.getElementType();
    SmallVector<OpFoldResult> featureSizes{getSize(rewriter, loc, x, 1)};
    Value zero = createFloatConstant(rewriter, loc, elementType, 0.0);
    Value count = createDimAsFloat(rewriter, loc, x, 0, elementType);
    ReductionNest nest(rewriter.getContext(), /*rank=*/2, /*axes=*/{0});

    SmallVector<Value> sums = createReduction(
        rewriter, loc, nest, {dy, x}, {adaptor.getBatchMean(), adaptor.getBatchInvstd()},
        {createFilledTensor(rewriter, loc, featureType, featureSizes, zero),
         createFilledTensor(rewriter, loc, featureType, featureSizes, zero)},
        [](OpBuilder &b, Location nestedLoc, ValueRange args) -> SmallVector<Value> {
          Value xhat = arith::MulFOp::create(
              b, nestedLoc, arith::SubFOp::create(b, nestedLoc, args[1], args[2]),
              args[3]);
          Value dyXhat = arith::MulFOp::create(b, nestedLoc, args[0], xhat);
          return {arith::AddFOp::create(b, nestedLoc, args[4], args[0]),
                  arith::AddFOp::create(b, nestedLoc, args[5], dyXhat)};
        });
    Value sumDy = sums[0], sumDyXhat = sums[1];

    Value gradX = createPerElement(
        rewriter, loc, op.getGradX().getType(), {dy, x},
        {adaptor.getWeight(), adaptor.getBatchMean(), adaptor.getBatchInvstd(), sumDy,
         sumDyXhat},
        [&](OpBuilder &b, Location nestedLoc, ValueRange args) -> SmallVector<Value> {
          Value dyValue = args[0], xValue = args[1], weight = args[2], mean = args[3],
                invstd = args[4], sumDyValue = args[5], sumDyXhatValue = args[6];
          Value xhat = arith::MulFOp::create(
              b, nestedLoc, arith::SubFOp::create(b, nestedLoc, xValue, mean), invstd);
          Value scaledDy = arith::MulFOp::create(b, nestedLoc, count, dyValue);
          Value centredDy = arith::SubFOp::create(b, nestedLoc, scaledDy, sumDyValue);
          Value projection = arith::MulFOp::create(b, nestedLoc, xhat, sumDyXhatValue);
          Value inner = arith::SubFOp::create(b, nestedLoc, centredDy, projection);
          Value factor = arith::DivFOp::create(
              b, nestedLoc, arith::MulFOp::create(b, nestedLoc, weight, invstd), count);
          return {arith::MulFOp::create(b, nestedLoc, factor, inner)};
        });
    rewriter.replaceOp(op, {gradX, sumDyXhat, sumDy});
    return success();
  }
};

} // namespace

void populateBatchNormToLinalgPatterns(RewritePatternSet &patterns) {
  patterns
      .add<BatchNormTrainToLinalg, BatchNormInferToLinalg, BatchNormTrainGradToLinalg>(
          patterns.getContext());
}

} // namespace mlir::needle
