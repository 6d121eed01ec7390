//===- BatchNormToLinalg.cpp - BatchNorm1d forms to linalg ----------------===//
//
// x is (N, C); per-feature operands and results are (C). Reductions over the
// batch run with the feature loop outside (parallel) and the batch loop
// inside (reduction); per-element work is one generic over (N, C) reading
// per-feature values through (n, c) -> (c).
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

/// Batch statistics that stay accurate in f32 when |mean| >> std (x = 10000
/// + noise): a plain sum of x loses the noise to rounding, and
/// sum(x^2) - sum(x)^2 / N cancels catastrophically.
///  1. centre = s + sum(x - s) / N with s = x[0, c]: the differences are
///     small, so the centre is close to the mean. s is read inside the loop
///     (and carried out by a max over identical values, so an empty batch
///     never reads row 0).
///  2. d = x - centre; B = sum(d), Q = sum(d^2); then mean = centre + B / N
///     and var = (Q - B^2 / N) / N (the corrected two-pass formula: exact for
///     any centre, and B is tiny, so nothing cancels).
/// y uses (x - centre) - B / N rather than x - mean: the mean rounded to f32
/// can be off by half an ulp of 10000, which is not small against the std.
struct BatchNormTrainToLinalg : OpConversionPattern<BatchNormTrainOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(BatchNormTrainOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    Value x = adaptor.getX();
    RankedTensorType featureType = op.getBatchMean().getType();
    Type elementType = featureType.getElementType();
    SmallVector<OpFoldResult> featureSizes{getSize(rewriter, loc, x, 1)};
    Value count = createDimAsFloat(rewriter, loc, x, 0, elementType);
    Value zero = createFloatConstant(rewriter, loc, elementType, 0.0);
    auto zeros = [&] {
      return createFilledTensor(rewriter, loc, featureType, featureSizes, zero);
    };
    ReductionNest nest(context, /*rank=*/2, /*axes=*/{0});

    // 1. Shifted sum, shift s = x[0, c] read through (c, n) -> (0, c).
    AffineMap firstRow = AffineMap::get(
        2, 0, {getAffineConstantExpr(0, context), getAffineDimExpr(0, context)}, context);
    Value negInf = createNegInfConstant(rewriter, loc, elementType);
    Value shiftInit =
        createFilledTensor(rewriter, loc, featureType, featureSizes, negInf);
    auto shifted = linalg::GenericOp::create(
        rewriter, loc, TypeRange{featureType, featureType}, ValueRange{x, x},
        ValueRange{zeros(), shiftInit},
        {nest.getInputMap(), firstRow, nest.getResultMap(), nest.getResultMap()},
        nest.getIteratorTypes(), [](OpBuilder &b, Location nestedLoc, ValueRange args) {
          Value diff = arith::SubFOp::create(b, nestedLoc, args[0], args[1]);
          linalg::YieldOp::create(
              b, nestedLoc,
              ValueRange{arith::AddFOp::create(b, nestedLoc, args[2], diff),
                         arith::MaximumFOp::create(b, nestedLoc, args[3], args[1])});
        });
    Value centre = createElementwise(
        rewriter, loc, featureType, {shifted.getResult(1), shifted.getResult(0)},
        [&](OpBuilder &b, Location nestedLoc, ValueRange args) -> SmallVector<Value> {
          Value meanDiff = arith::DivFOp::create(b, nestedLoc, args[1], count);
          return {arith::AddFOp::create(b, nestedLoc, args[0], meanDiff)};
        });

    // 2. Centred sums B and Q in one pass.
    SmallVector<Value> centred = createReduction(
        rewriter, loc, nest, {x}, {centre}, {zeros(), zeros()},
        [](OpBuilder &b, Location nestedLoc, ValueRange args) -> SmallVector<Value> {
          Value diff = arith::SubFOp::create(b, nestedLoc, args[0], args[1]);
          Value square = arith::MulFOp::create(b, nestedLoc, diff, diff);
          return {arith::AddFOp::create(b, nestedLoc, args[2], diff),
                  arith::AddFOp::create(b, nestedLoc, args[3], square)};
        });

    // 3. Per feature: mean, invstd and the new running statistics.
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
    SmallVector<Value> stats = createMultiResultElementwise(
        rewriter, loc, TypeRange(SmallVector<Type>(5, featureType)),
        {centre, centred[0], centred[1], adaptor.getRunningMean(),
         adaptor.getRunningVar()},
        [&](OpBuilder &b, Location nestedLoc, ValueRange args) -> SmallVector<Value> {
          Value centreValue = args[0], sum = args[1], sumSquares = args[2];
          Value correction = arith::DivFOp::create(b, nestedLoc, sum, count);
          Value mean = arith::AddFOp::create(b, nestedLoc, centreValue, correction);
          Value spread =
              arith::SubFOp::create(b, nestedLoc, sumSquares,
                                    arith::MulFOp::create(b, nestedLoc, sum, correction));
          // Rounding may leave a tiny negative spread for constant features.
          Value var = arith::MaximumFOp::create(
              b, nestedLoc, arith::DivFOp::create(b, nestedLoc, spread, count), zero);
          Value invstd = arith::DivFOp::create(
              b, nestedLoc, one,
              math::SqrtOp::create(b, nestedLoc,
                                   arith::AddFOp::create(b, nestedLoc, var, eps)));
          Value varStat =
              besselFactor ? arith::MulFOp::create(b, nestedLoc, var, besselFactor) : var;
          auto blend = [&](Value old, Value stat) -> Value {
            Value kept = arith::MulFOp::create(b, nestedLoc, keep, old);
            Value taken = arith::MulFOp::create(b, nestedLoc, take, stat);
            return arith::AddFOp::create(b, nestedLoc, kept, taken);
          };
          return {mean, invstd, blend(args[3], mean), blend(args[4], varStat),
                  correction};
        });
    Value mean = stats[0], invstd = stats[1], correction = stats[4];

    // 4. y = weight * (x - mean) * invstd + bias, one generic over (N, C).
    Value y = createPerElement(
        rewriter, loc, op.getY().getType(), {x},
        {centre, correction, invstd, adaptor.getWeight(), adaptor.getBias()},
        [](OpBuilder &b, Location nestedLoc, ValueRange args) -> SmallVector<Value> {
          Value xValue = args[0], centreValue = args[1], correctionValue = args[2],
                invstdValue = args[3], weight = args[4], bias = args[5];
          Value centred = arith::SubFOp::create(
              b, nestedLoc, arith::SubFOp::create(b, nestedLoc, xValue, centreValue),
              correctionValue);
          Value normalised = arith::MulFOp::create(b, nestedLoc, centred, invstdValue);
          Value scaled = arith::MulFOp::create(b, nestedLoc, weight, normalised);
          return {arith::AddFOp::create(b, nestedLoc, scaled, bias)};
        });
    rewriter.replaceOp(op, {y, mean, invstd, stats[2], stats[3]});
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
