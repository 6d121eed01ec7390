//===- GradientBuilders.h - pieces the VJPs are built from ------*- C++ -*-===//
//
// Shape plumbing shared by the ops' vector-Jacobian products: constants,
// run-time sizes, broadcasting a cotangent back over a tensor and summing a
// broadcast cotangent back to its operand's shape. Everything is built from
// needle ops, plus arith.constant / tensor.dim / tensor.from_elements for
// constants and run-time sizes.
//
//===----------------------------------------------------------------------===//
#ifndef NEEDLE_DIALECT_GRADIENTBUILDERS_H
#define NEEDLE_DIALECT_GRADIENTBUILDERS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

namespace mlir::needle {

/// The element type of a ranked tensor value.
Type getElementType(Value tensor);

/// A constant tensor of `type` (static shape) with every element `value`.
Value createSplat(OpBuilder &b, Location loc, RankedTensorType type, double value);

/// A rank-0 tensor holding `value` in `elementType`.
Value createScalar(OpBuilder &b, Location loc, Type elementType, double value);

/// Dimension `dim` of `tensor` as a rank-0 tensor of `elementType`: a
/// constant when static, else read with tensor.dim at run time.
Value createDimScalar(OpBuilder &b, Location loc, Value tensor, int64_t dim,
                      Type elementType);

/// The sizes of `like` for broadcast_to: static sizes as attributes, dynamic
/// ones read with tensor.dim.
SmallVector<OpFoldResult> getShapeOf(OpBuilder &b, Location loc, Value like);

/// `value` broadcast (numpy rules) to the shape of `like`.
Value broadcastLike(OpBuilder &b, Location loc, Value value, Value like);

/// A tensor of zeros with the type and run-time shape of `like`.
Value zerosLike(OpBuilder &b, Location loc, Value like);

/// `value` reshaped to `target`'s shape (same element count). needle's
/// reshape infers at most one dimension: fails, reporting on `op`, when
/// `target` has more than one dynamic dimension. Returns `value` when the
/// types are already equal.
FailureOr<Value> reshapeTo(OpBuilder &b, Location loc, Operation *op, Value value,
                           RankedTensorType target);

/// The cotangent of an operand of type `target` that was broadcast (numpy
/// rules, as broadcast_to and matmul's batch dimensions do) to `value`'s
/// shape: `value` summed over the added leading axes and over the axes where
/// `target` has a static 1 that was stretched, then reshaped to `target`.
FailureOr<Value> sumToShape(OpBuilder &b, Location loc, Operation *op, Value value,
                            RankedTensorType target);

/// `reduced`, the result of reducing `input` over `axes` (none: all), made
/// to broadcast back against `input`: reshaped with the reduced axes kept as
/// 1 (not needed when only leading axes were reduced), then broadcast to
/// `input`'s shape.
FailureOr<Value> broadcastReduced(OpBuilder &b, Location loc, Operation *op,
                                  Value reduced, Value input,
                                  std::optional<ArrayRef<int64_t>> axes);

/// `lhs - rhs` with needle ops (needle has no subtraction op).
Value createSub(OpBuilder &b, Location loc, Value lhs, Value rhs);

} // namespace mlir::needle

#endif // NEEDLE_DIALECT_GRADIENTBUILDERS_H
