//===- NNVJPs.cpp - gradients of the neural-network ops and reads ---------===//
//
// batch_norm_train differentiates into the fused batch_norm_train_grad (the
// closed form), plus the few extra terms when its statistics results are used
// too. softmax_loss gives (softmax - one_hot) / N. The mode-agnostic
// batch_norm and dropout are refused: their training form must be chosen
// first.
//
//===----------------------------------------------------------------------===//
#include "dialect/GradientBuilders.h"
#include "dialect/NeedleOps.h"
#include "dialect/NeedleShapes.h"

using namespace mlir;
using namespace mlir::needle;

using VJPResults = SmallVectorImpl<Value>;

static LogicalResult refuseUnspecialised(Operation *op) {
  return op->emitOpError("must be specialised for training before autodiff "
                         "(run --needle-specialize=mode=train first)");
}

LogicalResult BatchNormOp::buildVJP(OpBuilder &, ArrayRef<Value>, ArrayRef<bool>,
                                    VJPResults &) {
  return refuseUnspecialised(*this);
}

LogicalResult DropoutOp::buildVJP(OpBuilder &, ArrayRef<Value>, ArrayRef<bool>,
                                  VJPResults &) {
  return refuseUnspecialised(*this);
}

LogicalResult BatchNormTrainGradOp::buildVJP(OpBuilder &, ArrayRef<Value>,
                                             ArrayRef<bool>, VJPResults &) {
  return emitOpError("has no gradient: second-order gradients of BatchNorm are "
                     "not supported");
}

/// `perFeature` (C) broadcast over the batch of `x` (N, C).
static Value overBatch(OpBuilder &b, Location loc, Value perFeature, Value x) {
  return broadcastLike(b, loc, perFeature, x);
}

/// Sums `a` and `b` where either may be missing (null).
static Value addOptional(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (!lhs)
    return rhs;
  if (!rhs)
    return lhs;
  return AddOp::create(b, loc, lhs, rhs);
}

LogicalResult BatchNormTrainOp::buildVJP(OpBuilder &b, ArrayRef<Value> cotangents,
                                         ArrayRef<bool> needed, VJPResults &grads) {
  Location loc = getLoc();
  Value x = getX(), mean = getBatchMean(), invstd = getBatchInvstd();
  Value gradY = cotangents[0], gradMean = cotangents[1], gradInvstd = cotangents[2],
        gradNewMean = cotangents[3], gradNewVar = cotangents[4];
  double momentum = getMomentum().convertToDouble();

  // Through y: the closed form, all three at once.
  if (gradY && (needed[0] || needed[1] || needed[2])) {
    auto fused = BatchNormTrainGradOp::create(b, loc, gradY, x, getWeight(), mean, invstd);
    if (needed[0])
      grads[0] = fused.getGradX();
    if (needed[1])
      grads[1] = fused.getGradWeight();
    if (needed[2])
      grads[2] = fused.getGradBias();
  }

  // Through the statistics: mean = sum(x) / N, var = sum((x - mean)^2) / N,
  // invstd = (var + eps)^-1/2, new_running = (1 - m) * old + m * stat.
  // d var / dx = 2 (x - mean) / N (the mean's own term sums to zero).
  Value meanBar = gradMean;
  if (gradNewMean)
    meanBar = addOptional(b, loc, meanBar, MulScalarOp::create(b, loc, gradNewMean,
                                                               b.getF64FloatAttr(momentum)));
  Value varBar;
  if (gradInvstd) {
    Value cubed = PowerScalarOp::create(b, loc, invstd, b.getF64FloatAttr(3.0));
    varBar = MulOp::create(b, loc, gradInvstd,
                           MulScalarOp::create(b, loc, cubed, b.getF64FloatAttr(-0.5)));
  }
  if (gradNewVar) {
    Value stat = MulScalarOp::create(b, loc, gradNewVar, b.getF64FloatAttr(momentum));
    if (getUnbiasedRunningVar()) {
      // var * N / (N - 1).
      Type elementType = getElementType(x);
      Value count = createDimScalar(b, loc, x, 0, elementType);
      Value bessel = DivOp::create(
          b, loc, count, AddScalarOp::create(b, loc, count, b.getF64FloatAttr(-1.0)));
      stat = MulOp::create(b, loc, stat, broadcastLike(b, loc, bessel, stat));
    }
    varBar = addOptional(b, loc, varBar, stat);
  }
  if (needed[0] && (meanBar || varBar)) {
    Type elementType = getElementType(x);
    Value count = broadcastLike(b, loc, createDimScalar(b, loc, x, 0, elementType), mean);
    Value extra;
    if (meanBar)
      extra = overBatch(b, loc, DivOp::create(b, loc, meanBar, count), x);
    if (varBar) {
      Value scale = DivOp::create(
          b, loc, MulScalarOp::create(b, loc, varBar, b.getF64FloatAttr(2.0)), count);
      Value centred = createSub(b, loc, x, overBatch(b, loc, mean, x));
      extra = addOptional(b, loc, extra,
                          MulOp::create(b, loc, centred, overBatch(b, loc, scale, x)));
    }
    grads[0] = addOptional(b, loc, grads[0], extra);
  }
  if (needed[3] && gradNewMean)
    grads[3] = MulScalarOp::create(b, loc, gradNewMean, b.getF64FloatAttr(1.0 - momentum));
  if (needed[4] && gradNewVar)
    grads[4] = MulScalarOp::create(b, loc, gradNewVar, b.getF64FloatAttr(1.0 - momentum));
  return success();
}

LogicalResult BatchNormInferOp::buildVJP(OpBuilder &b, ArrayRef<Value> cotangents,
                                         ArrayRef<bool> needed, VJPResults &grads) {
  // y = weight * (x - mean) * s + bias with s = (var + eps)^-1/2.
  Location loc = getLoc();
  Value g = cotangents[0], x = getX(), weight = getWeight();
  Value shiftedVar = AddScalarOp::create(b, loc, getRunningVar(), getEpsAttr());
  Value s = PowerScalarOp::create(b, loc, shiftedVar, b.getF64FloatAttr(-0.5));
  Value ws = MulOp::create(b, loc, weight, s);
  auto batchSum = [&](Value value) -> Value {
    return SummationOp::create(b, loc, value, b.getDenseI64ArrayAttr({0}));
  };
  if (needed[0])
    grads[0] = MulOp::create(b, loc, g, overBatch(b, loc, ws, x));
  Value sumG, sumGCentred;
  if (needed[2] || needed[3])
    sumG = batchSum(g);
  if (needed[1] || needed[4]) {
    Value centred = createSub(b, loc, x, overBatch(b, loc, getRunningMean(), x));
    sumGCentred = batchSum(MulOp::create(b, loc, g, centred));
  }
  if (needed[1])
    grads[1] = MulOp::create(b, loc, sumGCentred, s);
  if (needed[2])
    grads[2] = sumG;
  if (needed[3])
    grads[3] = NegateOp::create(b, loc, MulOp::create(b, loc, sumG, ws));
  if (needed[4]) {
    // d s / d var = -s^3 / 2.
    Value ds = MulScalarOp::create(b, loc,
                                   PowerScalarOp::create(b, loc, s, b.getF64FloatAttr(3.0)),
                                   b.getF64FloatAttr(-0.5));
    grads[4] = MulOp::create(b, loc, MulOp::create(b, loc, sumGCentred, weight), ds);
  }
  return success();
}

LogicalResult SoftmaxLossOp::buildVJP(OpBuilder &b, ArrayRef<Value> cotangents,
                                      ArrayRef<bool> needed, VJPResults &grads) {
  // d loss / d logits = (softmax(logits) - one_hot(labels)) / N.
  Location loc = getLoc();
  Value logits = getLogits();
  auto type = cast<RankedTensorType>(logits.getType());
  int64_t classes = type.getDimSize(1);
  if (ShapedType::isDynamic(classes))
    return emitOpError("cannot build its gradient: operand 'logits' has shape ")
           << formatShape(type) << "; one_hot needs a static number of classes";
  Type elementType = type.getElementType();
  Value lse = LogSumExpOp::create(b, loc, logits, b.getDenseI64ArrayAttr({1}));
  FailureOr<Value> lseRows =
      broadcastReduced(b, loc, *this, lse, logits, ArrayRef<int64_t>{1});
  if (failed(lseRows))
    return failure();
  Value softmax = ExpOp::create(b, loc, createSub(b, loc, logits, *lseRows));
  Value oneHot = OneHotOp::create(b, loc, getLabels(), classes, elementType);
  Value scale =
      DivOp::create(b, loc, cotangents[0], createDimScalar(b, loc, logits, 0, elementType));
  grads[0] = MulOp::create(b, loc, createSub(b, loc, softmax, oneHot),
                           broadcastLike(b, loc, scale, logits));
  return success();
}

LogicalResult ReadOp::buildVJP(OpBuilder &, ArrayRef<Value>, ArrayRef<bool>,
                               VJPResults &) {
  // No operands: autodiff collects a parameter read's cotangent as (part
  // of) that parameter's gradient.
  return success();
}
