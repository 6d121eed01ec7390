//===- GradientBuilders.cpp - pieces the VJPs are built from --------------===//
#include "dialect/GradientBuilders.h"
#include "dialect/NeedleOps.h"
#include "dialect/NeedleShapes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace mlir::needle {

Type getElementType(Value tensor) {
  return cast<RankedTensorType>(tensor.getType()).getElementType();
}

Value createSplat(OpBuilder &b, Location loc, RankedTensorType type, double value) {
  Attribute element = b.getFloatAttr(type.getElementType(), value);
  return arith::ConstantOp::create(b, loc, DenseElementsAttr::get(type, element));
}

Value createScalar(OpBuilder &b, Location loc, Type elementType, double value) {
  return createSplat(b, loc, RankedTensorType::get({}, elementType), value);
}

Value createDimScalar(OpBuilder &b, Location loc, Value tensor, int64_t dim,
                      Type elementType) {
  int64_t size = cast<RankedTensorType>(tensor.getType()).getDimSize(dim);
  if (!ShapedType::isDynamic(size))
    return createScalar(b, loc, elementType, static_cast<double>(size));
  Value index = tensor::DimOp::create(b, loc, tensor, dim);
  Value integer = arith::IndexCastUIOp::create(b, loc, b.getI64Type(), index);
  Value scalar = arith::UIToFPOp::create(b, loc, elementType, integer);
  return tensor::FromElementsOp::create(b, loc, RankedTensorType::get({}, elementType),
                                        ValueRange{scalar});
}

SmallVector<OpFoldResult> getShapeOf(OpBuilder &b, Location loc, Value like) {
  auto type = cast<RankedTensorType>(like.getType());
  SmallVector<OpFoldResult> shape;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    if (type.isDynamicDim(i))
      shape.push_back(tensor::DimOp::create(b, loc, like, i).getResult());
    else
      shape.push_back(b.getIndexAttr(type.getDimSize(i)));
  }
  return shape;
}

Value broadcastLike(OpBuilder &b, Location loc, Value value, Value like) {
  if (value.getType() == like.getType() &&
      cast<RankedTensorType>(like.getType()).hasStaticShape())
    return value;
  return BroadcastToOp::create(b, loc, value, getShapeOf(b, loc, like));
}

Value zerosLike(OpBuilder &b, Location loc, Value like) {
  auto type = cast<RankedTensorType>(like.getType());
  if (type.hasStaticShape())
    return createSplat(b, loc, type, 0.0);
  return broadcastLike(b, loc, createScalar(b, loc, type.getElementType(), 0.0), like);
}

FailureOr<Value> reshapeTo(OpBuilder &b, Location loc, Operation *op, Value value,
                           RankedTensorType target) {
  if (value.getType() == target)
    return value;
  SmallVector<int64_t> shape;
  for (int64_t dim : target.getShape())
    shape.push_back(ShapedType::isDynamic(dim) ? -1 : dim);
  if (target.getNumDynamicDims() > 1)
    return op->emitOpError("cannot build its gradient: reshaping the cotangent of shape ")
           << formatShape(value.getType()) << " back to shape " << formatShape(target)
           << " needs more than one dynamic dimension";
  return ReshapeOp::create(b, loc, value, b.getDenseI64ArrayAttr(shape)).getResult();
}

FailureOr<Value> sumToShape(OpBuilder &b, Location loc, Operation *op, Value value,
                            RankedTensorType target) {
  auto type = cast<RankedTensorType>(value.getType());
  int64_t leading = type.getRank() - target.getRank();
  SmallVector<int64_t> axes;
  bool stretched = false;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    if (i < leading) {
      axes.push_back(i);
    } else if (target.getDimSize(i - leading) == 1 && type.getDimSize(i) != 1) {
      axes.push_back(i);
      stretched = true;
    }
  }
  if (axes.empty())
    return value;
  Value summed = SummationOp::create(b, loc, value, b.getDenseI64ArrayAttr(axes));
  if (!stretched)
    return summed;
  return reshapeTo(b, loc, op, summed, target);
}

FailureOr<Value> broadcastReduced(OpBuilder &b, Location loc, Operation *op,
                                  Value reduced, Value input,
                                  std::optional<ArrayRef<int64_t>> axes) {
  auto inputType = cast<RankedTensorType>(input.getType());
  int64_t rank = inputType.getRank();
  SmallVector<int64_t> reducedAxes;
  if (axes)
    reducedAxes.assign(axes->begin(), axes->end());
  else
    for (int64_t i = 0; i < rank; ++i)
      reducedAxes.push_back(i);
  // Reduced leading axes are what numpy broadcasting adds back by itself.
  int64_t leading = 0;
  while (leading < rank && llvm::is_contained(reducedAxes, leading))
    ++leading;
  Value value = reduced;
  if (leading < static_cast<int64_t>(reducedAxes.size())) {
    SmallVector<int64_t> keptShape;
    for (int64_t i = leading; i < rank; ++i)
      keptShape.push_back(llvm::is_contained(reducedAxes, i) ? 1
                                                             : inputType.getDimSize(i));
    FailureOr<Value> reshaped = reshapeTo(
        b, loc, op, reduced, RankedTensorType::get(keptShape, inputType.getElementType()));
    if (failed(reshaped))
      return failure();
    value = *reshaped;
  }
  return broadcastLike(b, loc, value, input);
}

Value createSub(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  return AddOp::create(b, loc, lhs, NegateOp::create(b, loc, rhs));
}

} // namespace mlir::needle
