//===- ElementwiseToLinalg.cpp - element-wise needle ops to linalg --------===//
//
// Every element-wise op becomes one all-parallel linalg.generic with identity
// maps over a fresh `tensor.empty`: the plain form upstream elementwise fusion
// expects, so chains (matmul + bias + relu, ...) fuse later.
//
//===----------------------------------------------------------------------===//
#include "compiler/conversion/LinalgBuilders.h"
#include "compiler/conversion/Patterns.h"
#include "dialect/NeedleOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::needle {
namespace {

/// add, mul, div, pow: one scalar op on the two elements.
template <typename OpT, typename ScalarOpT>
struct BinaryToGeneric : OpConversionPattern<OpT> {
  using OpConversionPattern<OpT>::OpConversionPattern;

  LogicalResult matchAndRewrite(OpT op, typename OpT::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Value result = createElementwise(
        rewriter, op.getLoc(), op.getType(), {adaptor.getLhs(), adaptor.getRhs()},
        [](OpBuilder &b, Location loc, ValueRange args) -> SmallVector<Value> {
          return {ScalarOpT::create(b, loc, args[0], args[1])};
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

using UnaryFn = Value (*)(OpBuilder &, Location, Value);

Value createNegate(OpBuilder &b, Location loc, Value x) {
  return arith::NegFOp::create(b, loc, x);
}
Value createExp(OpBuilder &b, Location loc, Value x) {
  return math::ExpOp::create(b, loc, x);
}
Value createLog(OpBuilder &b, Location loc, Value x) {
  return math::LogOp::create(b, loc, x);
}
Value createTanh(OpBuilder &b, Location loc, Value x) {
  return math::TanhOp::create(b, loc, x);
}
/// max(x, 0) with maximumf: relu(0) = 0 and NaN stays NaN.
Value createRelu(OpBuilder &b, Location loc, Value x) {
  Value zero = createFloatConstant(b, loc, x.getType(), 0.0);
  return arith::MaximumFOp::create(b, loc, x, zero);
}
/// 1 / (1 + e^-x): saturates to 0 and 1 without NaN (e^-x = inf gives 0).
Value createSigmoid(OpBuilder &b, Location loc, Value x) {
  Value one = createFloatConstant(b, loc, x.getType(), 1.0);
  Value expNeg = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
  return arith::DivFOp::create(b, loc, one, arith::AddFOp::create(b, loc, one, expNeg));
}

template <typename OpT, UnaryFn fn> struct UnaryToGeneric : OpConversionPattern<OpT> {
  using OpConversionPattern<OpT>::OpConversionPattern;

  LogicalResult matchAndRewrite(OpT op, typename OpT::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Value result = createElementwise(
        rewriter, op.getLoc(), op.getType(), {adaptor.getX()},
        [](OpBuilder &b, Location loc, ValueRange args) -> SmallVector<Value> {
          return {fn(b, loc, args[0])};
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// add_scalar, mul_scalar, div_scalar: the f64 attribute becomes a constant
/// of the element type outside the generic.
template <typename OpT, typename ScalarOpT>
struct ScalarToGeneric : OpConversionPattern<OpT> {
  using OpConversionPattern<OpT>::OpConversionPattern;

  LogicalResult matchAndRewrite(OpT op, typename OpT::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value scalar = createFloatConstant(rewriter, loc, op.getType().getElementType(),
                                       op.getScalar().convertToDouble());
    Value result = createElementwise(
        rewriter, loc, op.getType(), {adaptor.getX()},
        [&](OpBuilder &b, Location nestedLoc, ValueRange args) -> SmallVector<Value> {
          return {ScalarOpT::create(b, nestedLoc, args[0], scalar)};
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// x ^ scalar, with the exact strength reductions x^1 = x, x^2 = x*x,
/// x^0.5 = sqrt(x) and x^-1 = 1/x; math.powf otherwise.
struct PowerScalarToGeneric : OpConversionPattern<PowerScalarOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(PowerScalarOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    double exponent = op.getScalar().convertToDouble();
    if (exponent == 1.0) {
      rewriter.replaceOp(op, adaptor.getX());
      return success();
    }
    Type elementType = op.getType().getElementType();
    Value constant;
    if (exponent == -1.0)
      constant = createFloatConstant(rewriter, loc, elementType, 1.0);
    else if (exponent != 2.0 && exponent != 0.5)
      constant = createFloatConstant(rewriter, loc, elementType, exponent);
    Value result = createElementwise(
        rewriter, loc, op.getType(), {adaptor.getX()},
        [&](OpBuilder &b, Location nestedLoc, ValueRange args) -> SmallVector<Value> {
          Value x = args[0];
          if (exponent == 2.0)
            return {arith::MulFOp::create(b, nestedLoc, x, x)};
          if (exponent == 0.5)
            return {math::SqrtOp::create(b, nestedLoc, x)};
          if (exponent == -1.0)
            return {arith::DivFOp::create(b, nestedLoc, constant, x)};
          return {math::PowFOp::create(b, nestedLoc, x, constant)};
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// grad_y where x > 0, else 0: `ogt` is false at 0 and for NaN, so relu's
/// derivative is 0 there.
struct ReluGradToGeneric : OpConversionPattern<ReluGradOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(ReluGradOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Value result = createElementwise(
        rewriter, op.getLoc(), op.getType(), {adaptor.getGradY(), adaptor.getX()},
        [](OpBuilder &b, Location loc, ValueRange args) -> SmallVector<Value> {
          Value zero = createFloatConstant(b, loc, args[1].getType(), 0.0);
          Value positive =
              arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, args[1], zero);
          return {arith::SelectOp::create(b, loc, positive, args[0], zero)};
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateElementwiseToLinalgPatterns(RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  patterns
      .add<BinaryToGeneric<AddOp, arith::AddFOp>, BinaryToGeneric<MulOp, arith::MulFOp>,
           BinaryToGeneric<DivOp, arith::DivFOp>, BinaryToGeneric<PowOp, math::PowFOp>,
           ScalarToGeneric<AddScalarOp, arith::AddFOp>,
           ScalarToGeneric<MulScalarOp, arith::MulFOp>,
           ScalarToGeneric<DivScalarOp, arith::DivFOp>, PowerScalarToGeneric,
           UnaryToGeneric<NegateOp, createNegate>, UnaryToGeneric<ExpOp, createExp>,
           UnaryToGeneric<LogOp, createLog>, UnaryToGeneric<ReluOp, createRelu>,
           UnaryToGeneric<TanhOp, createTanh>, UnaryToGeneric<SigmoidOp, createSigmoid>,
           ReluGradToGeneric>(context);
}

} // namespace mlir::needle
