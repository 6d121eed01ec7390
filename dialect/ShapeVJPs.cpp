//===- ShapeVJPs.cpp - gradients of the shape ops and reductions ----------===//
//
// needle's conventions: broadcast_to and matmul's batch dimensions sum the
// cotangent over the axes they expanded; summation and logsumexp reshape the
// cotangent (reduced axes kept as 1) and broadcast it back.
//
//===----------------------------------------------------------------------===//
#include "dialect/GradientBuilders.h"
#include "dialect/NeedleOps.h"

using namespace mlir;
using namespace mlir::needle;

using VJPResults = SmallVectorImpl<Value>;

LogicalResult ReshapeOp::buildVJP(OpBuilder &b, ArrayRef<Value> cotangents,
                                  ArrayRef<bool> needed, VJPResults &grads) {
  FailureOr<Value> grad =
      reshapeTo(b, getLoc(), *this, cotangents[0], getX().getType());
  if (failed(grad))
    return failure();
  grads[0] = *grad;
  return success();
}

LogicalResult BroadcastToOp::buildVJP(OpBuilder &b, ArrayRef<Value> cotangents,
                                      ArrayRef<bool> needed, VJPResults &grads) {
  // The index operands (dynamic sizes) have no cotangent.
  FailureOr<Value> grad =
      sumToShape(b, getLoc(), *this, cotangents[0], getX().getType());
  if (failed(grad))
    return failure();
  grads[0] = *grad;
  return success();
}

LogicalResult TransposeOp::buildVJP(OpBuilder &b, ArrayRef<Value> cotangents,
                                    ArrayRef<bool> needed, VJPResults &grads) {
  grads[0] = TransposeOp::create(b, getLoc(), cotangents[0], getAxesAttr());
  return success();
}

LogicalResult SummationOp::buildVJP(OpBuilder &b, ArrayRef<Value> cotangents,
                                    ArrayRef<bool> needed, VJPResults &grads) {
  FailureOr<Value> grad =
      broadcastReduced(b, getLoc(), *this, cotangents[0], getX(), getAxes());
  if (failed(grad))
    return failure();
  grads[0] = *grad;
  return success();
}

LogicalResult LogSumExpOp::buildVJP(OpBuilder &b, ArrayRef<Value> cotangents,
                                    ArrayRef<bool> needed, VJPResults &grads) {
  // d lse / dx = exp(x - lse), the softmax over the reduced axes.
  Location loc = getLoc();
  FailureOr<Value> g = broadcastReduced(b, loc, *this, cotangents[0], getX(), getAxes());
  FailureOr<Value> lse = broadcastReduced(b, loc, *this, getResult(), getX(), getAxes());
  if (failed(g) || failed(lse))
    return failure();
  Value softmax = ExpOp::create(b, loc, createSub(b, loc, getX(), *lse));
  grads[0] = MulOp::create(b, loc, *g, softmax);
  return success();
}

LogicalResult MatmulOp::buildVJP(OpBuilder &b, ArrayRef<Value> cotangents,
                                 ArrayRef<bool> needed, VJPResults &grads) {
  // dA = g B^T and dB = A^T g, each summed over the batch dimensions along
  // which its operand was broadcast.
  Location loc = getLoc();
  Value g = cotangents[0];
  if (needed[0]) {
    Value full = MatmulOp::create(b, loc, g, TransposeOp::create(b, loc, getRhs()));
    FailureOr<Value> grad = sumToShape(b, loc, *this, full, getLhs().getType());
    if (failed(grad))
      return failure();
    grads[0] = *grad;
  }
  if (needed[1]) {
    Value full = MatmulOp::create(b, loc, TransposeOp::create(b, loc, getLhs()), g);
    FailureOr<Value> grad = sumToShape(b, loc, *this, full, getRhs().getType());
    if (failed(grad))
      return failure();
    grads[1] = *grad;
  }
  return success();
}

LogicalResult StackOp::buildVJP(OpBuilder &b, ArrayRef<Value> cotangents,
                                ArrayRef<bool> needed, VJPResults &grads) {
  auto split = SplitOp::create(b, getLoc(), cotangents[0], getAxisAttr());
  for (auto [i, slice] : llvm::enumerate(split.getResults()))
    if (needed[i])
      grads[i] = slice;
  return success();
}

LogicalResult SplitOp::buildVJP(OpBuilder &b, ArrayRef<Value> cotangents,
                                ArrayRef<bool> needed, VJPResults &grads) {
  // Slices without a cotangent contribute zeros.
  SmallVector<Value> slices;
  for (auto [cotangent, result] : llvm::zip_equal(cotangents, getResults()))
    slices.push_back(cotangent ? cotangent : zerosLike(b, getLoc(), result));
  grads[0] = StackOp::create(b, getLoc(), slices, getAxisAttr());
  return success();
}

LogicalResult FlipOp::buildVJP(OpBuilder &b, ArrayRef<Value> cotangents,
                               ArrayRef<bool> needed, VJPResults &grads) {
  grads[0] = FlipOp::create(b, getLoc(), cotangents[0], getAxesAttr());
  return success();
}
