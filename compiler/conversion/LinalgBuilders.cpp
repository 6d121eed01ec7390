//===- LinalgBuilders.cpp - building blocks of the needle lowerings -------===//
#include "compiler/conversion/LinalgBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace mlir::needle {

Value createEmptyTensor(OpBuilder &b, Location loc, RankedTensorType type,
                        ArrayRef<OpFoldResult> sizes) {
  SmallVector<Value> dynamicSizes;
  for (int64_t i = 0, rank = type.getRank(); i < rank; ++i)
    if (type.isDynamicDim(i))
      dynamicSizes.push_back(getValueOrCreateConstantIndexOp(b, loc, sizes[i]));
  return tensor::EmptyOp::create(b, loc, type, dynamicSizes);
}

Value createFilledTensor(OpBuilder &b, Location loc, RankedTensorType type,
                         ArrayRef<OpFoldResult> sizes, Value value) {
  Value empty = createEmptyTensor(b, loc, type, sizes);
  return linalg::FillOp::create(b, loc, ValueRange{value}, ValueRange{empty})
      .getResult(0);
}

Value createFloatConstant(OpBuilder &b, Location loc, Type type, double value) {
  return arith::ConstantOp::create(b, loc, type, b.getFloatAttr(type, value));
}

Value createNegInfConstant(OpBuilder &b, Location loc, Type type) {
  const llvm::fltSemantics &semantics = cast<FloatType>(type).getFloatSemantics();
  return arith::ConstantOp::create(
      b, loc, type, b.getFloatAttr(type, APFloat::getInf(semantics, /*Negative=*/true)));
}

Value createDimAsFloat(OpBuilder &b, Location loc, Value tensor, int64_t dim, Type type) {
  Value size = getValueOrCreateConstantIndexOp(b, loc, getSize(b, loc, tensor, dim));
  Value asInt = arith::IndexCastUIOp::create(b, loc, b.getI64Type(), size);
  return arith::UIToFPOp::create(b, loc, type, asInt);
}

OpFoldResult createCeilDiv(OpBuilder &b, Location loc, OpFoldResult size,
                           int64_t divisor) {
  if (std::optional<int64_t> constant = getConstantIntValue(size))
    return b.getIndexAttr(llvm::divideCeil(*constant, divisor));
  Value divisorValue = arith::ConstantIndexOp::create(b, loc, divisor);
  return arith::CeilDivUIOp::create(b, loc, getValueOrCreateConstantIndexOp(b, loc, size),
                                    divisorValue)
      .getResult();
}

Value finiteOrZero(OpBuilder &b, Location loc, Value m) {
  Type type = m.getType();
  const llvm::fltSemantics &semantics = cast<FloatType>(type).getFloatSemantics();
  Value inf = arith::ConstantOp::create(b, loc, type,
                                        b.getFloatAttr(type, APFloat::getInf(semantics)));
  // `olt` is false for NaN as well, which then propagates through exp(x - 0).
  Value isFinite = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT,
                                         math::AbsFOp::create(b, loc, m), inf);
  Value zero = createFloatConstant(b, loc, type, 0.0);
  return arith::SelectOp::create(b, loc, isFinite, m, zero);
}

SmallVector<Value> createMultiResultElementwise(OpBuilder &b, Location loc,
                                                TypeRange resultTypes, ValueRange inputs,
                                                ScalarBody body) {
  int64_t rank = cast<RankedTensorType>(inputs.front().getType()).getRank();
  // A result dimension is dynamic only where every operand's is, so the
  // first input has it.
  SmallVector<OpFoldResult> sizes;
  for (int64_t i = 0; i < rank; ++i) {
    bool isDynamic = llvm::any_of(resultTypes, [&](Type type) {
      return cast<RankedTensorType>(type).isDynamicDim(i);
    });
    // Static sizes are not read (createEmptyTensor takes them from the type).
    sizes.push_back(isDynamic ? getSize(b, loc, inputs.front(), i)
                              : OpFoldResult(b.getIndexAttr(1)));
  }
  SmallVector<Value> inits;
  for (Type type : resultTypes)
    inits.push_back(createEmptyTensor(b, loc, cast<RankedTensorType>(type), sizes));
  SmallVector<AffineMap> maps(inputs.size() + inits.size(),
                              b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, resultTypes, inputs, inits, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(nested, nestedLoc, body(nested, nestedLoc, args));
      });
  return generic.getResults();
}

Value createElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                        ValueRange inputs, ScalarBody body) {
  return createMultiResultElementwise(b, loc, TypeRange{resultType}, inputs, body)[0];
}

SmallVector<AffineExpr> getBroadcastExprs(ArrayRef<int64_t> inputShape,
                                          ArrayRef<int64_t> targetShape,
                                          ArrayRef<AffineExpr> targetDims) {
  size_t offset = targetShape.size() - inputShape.size();
  SmallVector<AffineExpr> exprs;
  for (auto [i, size] : llvm::enumerate(inputShape)) {
    AffineExpr dim = targetDims[offset + i];
    bool stretched = size == 1 && targetShape[offset + i] != 1;
    exprs.push_back(stretched ? getAffineConstantExpr(0, dim.getContext()) : dim);
  }
  return exprs;
}

ReductionNest::ReductionNest(MLIRContext *context, int64_t rank, ArrayRef<int64_t> axes) {
  SmallVector<int64_t> reduced;
  for (int64_t i = 0; i < rank; ++i)
    (llvm::is_contained(axes, i) ? reduced : kept).push_back(i);
  // Loop l iterates operand dimension order[l].
  SmallVector<int64_t> order(kept);
  order.append(reduced);
  SmallVector<AffineExpr> inputExprs(rank);
  for (auto [loop, dim] : llvm::enumerate(order))
    inputExprs[dim] = getAffineDimExpr(loop, context);
  inputMap = AffineMap::get(rank, 0, inputExprs, context);
  SmallVector<AffineExpr> resultExprs;
  for (size_t loop = 0; loop < kept.size(); ++loop)
    resultExprs.push_back(getAffineDimExpr(loop, context));
  resultMap = AffineMap::get(rank, 0, resultExprs, context);
  iterators.assign(kept.size(), utils::IteratorType::parallel);
  iterators.append(reduced.size(), utils::IteratorType::reduction);
}

SmallVector<Value> createReduction(OpBuilder &b, Location loc, const ReductionNest &nest,
                                   ValueRange reducedInputs, ValueRange perResultInputs,
                                   ValueRange inits, ScalarBody body) {
  SmallVector<Value> inputs(reducedInputs);
  inputs.append(perResultInputs.begin(), perResultInputs.end());
  SmallVector<AffineMap> maps(reducedInputs.size(), nest.getInputMap());
  maps.append(perResultInputs.size() + inits.size(), nest.getResultMap());
  auto generic = linalg::GenericOp::create(
      b, loc, inits.getTypes(), inputs, inits, maps, nest.getIteratorTypes(),
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        linalg::YieldOp::create(nested, nestedLoc, body(nested, nestedLoc, args));
      });
  return generic.getResults();
}

OpFoldResult getSize(OpBuilder &b, Location loc, Value tensor, int64_t dim) {
  if (auto type = cast<RankedTensorType>(tensor.getType()); !type.isDynamicDim(dim))
    return b.getIndexAttr(type.getDimSize(dim));
  Value root = tensor;
  while (auto result = dyn_cast<OpResult>(root)) {
    if (auto empty = dyn_cast<tensor::EmptyOp>(result.getOwner()))
      return empty.getMixedSizes()[dim];
    auto dps = dyn_cast<DestinationStyleOpInterface>(result.getOwner());
    if (!dps)
      break;
    root = dps.getTiedOpOperand(result)->get();
  }
  return tensor::getMixedSize(b, loc, root, dim);
}

SmallVector<OpFoldResult> getSizes(OpBuilder &b, Location loc, Value tensor) {
  int64_t rank = cast<RankedTensorType>(tensor.getType()).getRank();
  return getSizes(b, loc, tensor, llvm::to_vector(llvm::seq<int64_t>(0, rank)));
}

SmallVector<OpFoldResult> getSizes(OpBuilder &b, Location loc, Value tensor,
                                   ArrayRef<int64_t> dims) {
  SmallVector<OpFoldResult> sizes;
  for (int64_t dim : dims)
    sizes.push_back(getSize(b, loc, tensor, dim));
  return sizes;
}

} // namespace mlir::needle
