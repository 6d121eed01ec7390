//===- ElementwiseVJPs.cpp - gradients of the element-wise ops ------------===//
//
// Each VJP maps the result's cotangent `g` to the operands' cotangents with
// needle ops; operands that need no cotangent get none (see
// DifferentiableOpInterface.td for the contract).
//
//===----------------------------------------------------------------------===//
#include "dialect/GradientBuilders.h"
#include "dialect/NeedleOps.h"

using namespace mlir;
using namespace mlir::needle;

using VJPResults = SmallVectorImpl<Value>;

//===----------------------------------------------------------------------===//
// Binary ops
//===----------------------------------------------------------------------===//

LogicalResult AddOp::buildVJP(OpBuilder &b, ArrayRef<Value> cotangents,
                              ArrayRef<bool> needed, VJPResults &grads) {
  for (unsigned i = 0; i < 2; ++i)
    if (needed[i])
      grads[i] = cotangents[0];
  return success();
}

LogicalResult MulOp::buildVJP(OpBuilder &b, ArrayRef<Value> cotangents,
                              ArrayRef<bool> needed, VJPResults &grads) {
  Value g = cotangents[0];
  if (needed[0])
    grads[0] = MulOp::create(b, getLoc(), g, getRhs());
  if (needed[1])
    grads[1] = MulOp::create(b, getLoc(), g, getLhs());
  return success();
}

LogicalResult DivOp::buildVJP(OpBuilder &b, ArrayRef<Value> cotangents,
                              ArrayRef<bool> needed, VJPResults &grads) {
  Location loc = getLoc();
  Value g = cotangents[0];
  if (needed[0])
    grads[0] = DivOp::create(b, loc, g, getRhs());
  // d(l / r)/dr = -(l / r) / r: reuses the result instead of squaring r.
  if (needed[1])
    grads[1] = NegateOp::create(
        b, loc, DivOp::create(b, loc, MulOp::create(b, loc, g, getResult()), getRhs()));
  return success();
}

LogicalResult PowOp::buildVJP(OpBuilder &b, ArrayRef<Value> cotangents,
                              ArrayRef<bool> needed, VJPResults &grads) {
  Location loc = getLoc();
  Value g = cotangents[0], lhs = getLhs(), rhs = getRhs();
  if (needed[0]) {
    // r * l^(r - 1), not r * l^r / l, which is NaN at l = 0.
    Value lowered = PowOp::create(b, loc, lhs, AddScalarOp::create(b, loc, rhs, b.getF64FloatAttr(-1.0)));
    grads[0] = MulOp::create(b, loc, g, MulOp::create(b, loc, rhs, lowered));
  }
  if (needed[1])
    grads[1] = MulOp::create(
        b, loc, g, MulOp::create(b, loc, getResult(), LogOp::create(b, loc, lhs)));
  return success();
}

LogicalResult ReluGradOp::buildVJP(OpBuilder &b, ArrayRef<Value> cotangents,
                                   ArrayRef<bool> needed, VJPResults &grads) {
  // Linear in grad_y with the same mask; piecewise constant in x, whose
  // cotangent is zero (left null).
  if (needed[0])
    grads[0] = ReluGradOp::create(b, getLoc(), cotangents[0], getX());
  return success();
}

//===----------------------------------------------------------------------===//
// Ops with a scalar attribute
//===----------------------------------------------------------------------===//

LogicalResult AddScalarOp::buildVJP(OpBuilder &b, ArrayRef<Value> cotangents,
                                    ArrayRef<bool> needed, VJPResults &grads) {
  grads[0] = cotangents[0];
  return success();
}

LogicalResult MulScalarOp::buildVJP(OpBuilder &b, ArrayRef<Value> cotangents,
                                    ArrayRef<bool> needed, VJPResults &grads) {
  grads[0] = MulScalarOp::create(b, getLoc(), cotangents[0], getScalarAttr());
  return success();
}

LogicalResult DivScalarOp::buildVJP(OpBuilder &b, ArrayRef<Value> cotangents,
                                    ArrayRef<bool> needed, VJPResults &grads) {
  grads[0] = DivScalarOp::create(b, getLoc(), cotangents[0], getScalarAttr());
  return success();
}

LogicalResult PowerScalarOp::buildVJP(OpBuilder &b, ArrayRef<Value> cotangents,
                                      ArrayRef<bool> needed, VJPResults &grads) {
  double exponent = getScalar().convertToDouble();
  // x^0 is constant; its cotangent is zero (left null).
  if (exponent == 0.0)
    return success();
  Location loc = getLoc();
  Value lowered = PowerScalarOp::create(b, loc, getX(), b.getF64FloatAttr(exponent - 1.0));
  Value derivative = MulScalarOp::create(b, loc, lowered, getScalarAttr());
  grads[0] = MulOp::create(b, loc, cotangents[0], derivative);
  return success();
}

//===----------------------------------------------------------------------===//
// Unary ops
//===----------------------------------------------------------------------===//

LogicalResult NegateOp::buildVJP(OpBuilder &b, ArrayRef<Value> cotangents,
                                 ArrayRef<bool> needed, VJPResults &grads) {
  grads[0] = NegateOp::create(b, getLoc(), cotangents[0]);
  return success();
}

LogicalResult ExpOp::buildVJP(OpBuilder &b, ArrayRef<Value> cotangents,
                              ArrayRef<bool> needed, VJPResults &grads) {
  grads[0] = MulOp::create(b, getLoc(), cotangents[0], getResult());
  return success();
}

LogicalResult LogOp::buildVJP(OpBuilder &b, ArrayRef<Value> cotangents,
                              ArrayRef<bool> needed, VJPResults &grads) {
  grads[0] = DivOp::create(b, getLoc(), cotangents[0], getX());
  return success();
}

LogicalResult ReluOp::buildVJP(OpBuilder &b, ArrayRef<Value> cotangents,
                               ArrayRef<bool> needed, VJPResults &grads) {
  grads[0] = ReluGradOp::create(b, getLoc(), cotangents[0], getX());
  return success();
}

LogicalResult TanhOp::buildVJP(OpBuilder &b, ArrayRef<Value> cotangents,
                               ArrayRef<bool> needed, VJPResults &grads) {
  // 1 - tanh(x)^2, from the result.
  Location loc = getLoc();
  Value y = getResult();
  Value derivative =
      AddScalarOp::create(b, loc, NegateOp::create(b, loc, MulOp::create(b, loc, y, y)),
                          b.getF64FloatAttr(1.0));
  grads[0] = MulOp::create(b, loc, cotangents[0], derivative);
  return success();
}

LogicalResult SigmoidOp::buildVJP(OpBuilder &b, ArrayRef<Value> cotangents,
                                  ArrayRef<bool> needed, VJPResults &grads) {
  // s * (1 - s), from the result.
  Location loc = getLoc();
  Value s = getResult();
  Value complement =
      AddScalarOp::create(b, loc, NegateOp::create(b, loc, s), b.getF64FloatAttr(1.0));
  grads[0] = MulOp::create(b, loc, cotangents[0], MulOp::create(b, loc, s, complement));
  return success();
}
