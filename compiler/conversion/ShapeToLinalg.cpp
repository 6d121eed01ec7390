//===- ShapeToLinalg.cpp - needle shape ops to tensor and linalg ----------===//
//
// reshape -> tensor.collapse_shape / expand_shape (through a flat vector when
// no direct reassociation is provable); broadcast_to -> linalg.generic with
// broadcasting maps; transpose -> linalg.transpose; flip -> linalg.generic
// reading reversed indices; stack -> tensor.insert_slice; split ->
// tensor.extract_slice.
//
//===----------------------------------------------------------------------===//
#include "compiler/conversion/LinalgBuilders.h"
#include "compiler/conversion/Patterns.h"
#include "dialect/NeedleOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::needle {
namespace {

//===----------------------------------------------------------------------===//
// reshape
//===----------------------------------------------------------------------===//

Value castTo(OpBuilder &b, Location loc, Value value, RankedTensorType type) {
  if (value.getType() == type)
    return value;
  return tensor::CastOp::create(b, loc, type, value);
}

/// Groups the dimensions of `expanded`, one contiguous group per dimension of
/// `collapsed`, so that a reshape between the two shapes is a collapse or an
/// expand. A grouping is only returned when every group but at most one is
/// static with the product of its sizes equal to its collapsed size: the one
/// group left over then matches as well, because a reshape keeps the element
/// count. Static groups are matched greedily from both ends.
std::optional<SmallVector<ReassociationIndices>>
findReassociation(ArrayRef<int64_t> collapsed, ArrayRef<int64_t> expanded) {
  int64_t numCollapsed = collapsed.size(), numExpanded = expanded.size();
  if (numCollapsed == 0 || numCollapsed > numExpanded)
    return std::nullopt;

  // Takes the next expanded dimensions in direction `step` until their static
  // product reaches `size`; fails on a dynamic dimension or an overshoot.
  auto matchStatic = [&](int64_t size, int64_t &cursor, int64_t end,
                         int64_t step) -> std::optional<ReassociationIndices> {
    if (ShapedType::isDynamic(size))
      return std::nullopt;
    ReassociationIndices group;
    int64_t product = 1;
    while (cursor != end && !ShapedType::isDynamic(expanded[cursor]) &&
           (group.empty() || product < size)) {
      product *= expanded[cursor];
      group.push_back(cursor);
      cursor += step;
    }
    if (group.empty() || product != size)
      return std::nullopt;
    if (step < 0)
      std::reverse(group.begin(), group.end());
    return group;
  };

  SmallVector<ReassociationIndices> front, back;
  int64_t c = 0, e = 0;
  while (c < numCollapsed) {
    int64_t cursor = e;
    auto group = matchStatic(collapsed[c], cursor, numExpanded, 1);
    if (!group)
      break;
    front.push_back(*group);
    e = cursor;
    ++c;
  }
  int64_t cEnd = numCollapsed, eEnd = numExpanded;
  while (cEnd > c) {
    int64_t cursor = eEnd - 1;
    auto group = matchStatic(collapsed[cEnd - 1], cursor, e - 1, -1);
    if (!group)
      break;
    back.push_back(*group);
    eEnd = cursor + 1;
    --cEnd;
  }

  SmallVector<ReassociationIndices> groups(front);
  if (cEnd - c == 1 && eEnd > e) {
    // The one group that is not statically matched.
    groups.push_back(llvm::to_vector(llvm::seq<int64_t>(e, eEnd)));
  } else if (cEnd == c) {
    // Everything matched; leftover unit dimensions join a neighbour group.
    for (int64_t i = e; i < eEnd; ++i)
      if (expanded[i] != 1)
        return std::nullopt;
    ReassociationIndices units = llvm::to_vector(llvm::seq<int64_t>(e, eEnd));
    if (!groups.empty())
      groups.back().append(units);
    else
      back.back().insert(back.back().begin(), units.begin(), units.end());
  } else {
    return std::nullopt;
  }
  groups.append(back.rbegin(), back.rend());
  return groups;
}

/// The sizes of `type` when it is the expansion of `source` by `groups`: a
/// dynamic size is the collapsed size divided by the static sizes beside it.
/// None when a group holds more than one dynamic size.
std::optional<SmallVector<OpFoldResult>>
getExpandedSizes(OpBuilder &b, Location loc, Value source, RankedTensorType type,
                 ArrayRef<ReassociationIndices> groups) {
  SmallVector<OpFoldResult> sizes;
  for (auto [collapsedDim, group] : llvm::enumerate(groups)) {
    int64_t staticProduct = 1, numDynamic = 0;
    for (int64_t dim : group) {
      if (type.isDynamicDim(dim))
        ++numDynamic;
      else
        staticProduct *= type.getDimSize(dim);
    }
    if (numDynamic > 1)
      return std::nullopt;
    for (int64_t dim : group) {
      if (!type.isDynamicDim(dim)) {
        sizes.push_back(b.getIndexAttr(type.getDimSize(dim)));
        continue;
      }
      Value collapsedSize =
          getValueOrCreateConstantIndexOp(b, loc, getSize(b, loc, source, collapsedDim));
      if (staticProduct != 1)
        collapsedSize = arith::DivUIOp::create(
            b, loc, collapsedSize, arith::ConstantIndexOp::create(b, loc, staticProduct));
      sizes.push_back(collapsedSize);
    }
  }
  return sizes;
}

/// expand_shape of `source` into `type`. A dynamic source size whose group
/// is all static (e.g. (?) -> (2, 4)) must be made static first: the
/// verifier wants the collapsed size to be the product.
Value expandTo(OpBuilder &b, Location loc, Value source, RankedTensorType type,
               ArrayRef<ReassociationIndices> groups, ArrayRef<OpFoldResult> sizes) {
  auto sourceType = cast<RankedTensorType>(source.getType());
  SmallVector<int64_t> shape(sourceType.getShape());
  for (auto [collapsedDim, group] : llvm::enumerate(groups)) {
    int64_t product = 1;
    for (int64_t dim : group)
      product = type.isDynamicDim(dim) || ShapedType::isDynamic(product)
                    ? ShapedType::kDynamic
                    : product * type.getDimSize(dim);
    if (!ShapedType::isDynamic(product))
      shape[collapsedDim] = product;
  }
  Value refined = castTo(b, loc, source, sourceType.clone(shape));
  return tensor::ExpandShapeOp::create(b, loc, type, refined, groups, sizes);
}

/// Whether `source` and `target` have equal sizes except possibly one
/// dimension that is dynamic on either side (the element count forces it).
bool isSameShape(RankedTensorType source, RankedTensorType target) {
  if (source.getRank() != target.getRank())
    return false;
  int64_t uncertain = 0;
  for (auto [s, t] : llvm::zip_equal(source.getShape(), target.getShape())) {
    if (ShapedType::isDynamic(s) || ShapedType::isDynamic(t))
      ++uncertain;
    else if (s != t)
      return false;
  }
  return uncertain <= 1;
}

/// Row-major reshape of `source` to `type`, whose shape has at most one
/// dynamic size (needle's -1).
FailureOr<Value> reshapeTo(OpBuilder &b, Location loc, Value source,
                           RankedTensorType type) {
  auto sourceType = cast<RankedTensorType>(source.getType());
  int64_t sourceRank = sourceType.getRank(), rank = type.getRank();
  if (isSameShape(sourceType, type))
    return castTo(b, loc, source, type);

  // Rank 0 to or from all-unit shapes: an empty reassociation.
  auto unitType = [&](int64_t unitRank) {
    return RankedTensorType::get(SmallVector<int64_t>(unitRank, 1),
                                 type.getElementType());
  };
  if (sourceRank == 0) {
    RankedTensorType units = unitType(rank);
    Value expanded = expandTo(b, loc, source, units, {},
                              SmallVector<OpFoldResult>(rank, b.getIndexAttr(1)));
    return castTo(b, loc, expanded, type);
  }
  if (rank == 0) {
    Value units = castTo(b, loc, source, unitType(sourceRank));
    return Value(tensor::CollapseShapeOp::create(b, loc, type, units,
                                                 ArrayRef<ReassociationIndices>{}));
  }

  if (rank < sourceRank) {
    if (auto groups = findReassociation(type.getShape(), sourceType.getShape())) {
      Value collapsed = tensor::CollapseShapeOp::create(b, loc, source, *groups);
      return castTo(b, loc, collapsed, type);
    }
  } else if (rank > sourceRank) {
    if (auto groups = findReassociation(sourceType.getShape(), type.getShape()))
      if (auto sizes = getExpandedSizes(b, loc, source, type, *groups))
        return expandTo(b, loc, source, type, *groups, *sizes);
  }

  // No provable grouping (e.g. (?, 4) -> (2, ?)): collapse everything into a
  // flat vector, then expand that into the target shape. Both are views of
  // the same row-major data.
  ReassociationIndices all = llvm::to_vector(llvm::seq<int64_t>(0, sourceRank));
  Value flat = tensor::CollapseShapeOp::create(b, loc, source,
                                               ArrayRef<ReassociationIndices>{all});
  ReassociationIndices allTarget = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  SmallVector<ReassociationIndices> groups{allTarget};
  auto sizes = getExpandedSizes(b, loc, flat, type, groups);
  if (!sizes)
    return failure();
  return expandTo(b, loc, flat, type, groups, *sizes);
}

struct ReshapeToTensor : OpConversionPattern<ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(ReshapeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    FailureOr<Value> result =
        reshapeTo(rewriter, op.getLoc(), adaptor.getX(), op.getType());
    if (failed(result))
      return op.emitOpError("cannot lower a reshape to ")
             << op.getType() << " with more than one dynamic dimension";
    rewriter.replaceOp(op, *result);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// broadcast_to, transpose, flip
//===----------------------------------------------------------------------===//

/// A copy through broadcasting maps, e.g. (1, 10) -> (?, 10) reads
/// (d0, d1) -> (0, d1), and (10) -> (?, 10) reads (d0, d1) -> (d1).
struct BroadcastToGeneric : OpConversionPattern<BroadcastToOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(BroadcastToOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    MLIRContext *context = rewriter.getContext();
    int64_t rank = type.getRank();
    Value init = tensor::EmptyOp::create(rewriter, loc, type, adaptor.getDynamicSizes());
    SmallVector<AffineExpr> dims;
    for (int64_t i = 0; i < rank; ++i)
      dims.push_back(getAffineDimExpr(i, context));
    AffineMap inputMap = AffineMap::get(
        rank, 0, getBroadcastExprs(op.getX().getType().getShape(), type.getShape(), dims),
        context);
    SmallVector<AffineMap> maps{inputMap, rewriter.getMultiDimIdentityMap(rank)};
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{adaptor.getX()}, ValueRange{init},
        maps, iterators, [](OpBuilder &b, Location nestedLoc, ValueRange args) {
          linalg::YieldOp::create(b, nestedLoc, args[0]);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct TransposeToLinalg : OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    int64_t rank = op.getType().getRank();
    ArrayRef<int64_t> axes = op.getAxes();
    if (axes[0] == axes[1]) {
      rewriter.replaceOp(op, x);
      return success();
    }
    SmallVector<int64_t> permutation = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    std::swap(permutation[axes[0]], permutation[axes[1]]);
    // Result dimension i is operand dimension permutation[i].
    Value init = createEmptyTensor(rewriter, loc, op.getType(),
                                   getSizes(rewriter, loc, x, permutation));
    auto transpose = linalg::TransposeOp::create(rewriter, loc, x, init, permutation);
    rewriter.replaceOp(op, transpose.getResult()[0]);
    return success();
  }
};

/// y[i] = x[i with every flipped index j replaced by size - 1 - j].
struct FlipToGeneric : OpConversionPattern<FlipOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(FlipOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    RankedTensorType type = op.getType();
    int64_t rank = type.getRank();
    SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, x);
    Value init = createEmptyTensor(rewriter, loc, type, sizes);
    // The last index of every flipped axis, computed once outside the loops.
    SmallVector<Value> lastIndex(rank);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    for (int64_t axis : op.getAxes())
      lastIndex[axis] = arith::SubIOp::create(
          rewriter, loc, getValueOrCreateConstantIndexOp(rewriter, loc, sizes[axis]),
          one);
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{}, ValueRange{init},
        SmallVector<AffineMap>{rewriter.getMultiDimIdentityMap(rank)}, iterators,
        [&](OpBuilder &b, Location nestedLoc, ValueRange) {
          SmallVector<Value> indices;
          for (int64_t i = 0; i < rank; ++i) {
            Value index = linalg::IndexOp::create(b, nestedLoc, i);
            if (lastIndex[i])
              index = arith::SubIOp::create(b, nestedLoc, lastIndex[i], index);
            indices.push_back(index);
          }
          Value element = tensor::ExtractOp::create(b, nestedLoc, x, indices);
          linalg::YieldOp::create(b, nestedLoc, element);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// stack, split
//===----------------------------------------------------------------------===//

/// Each input fills the unit slice `axis = i` of the result; insert_slice
/// drops the unit dimension itself (a rank-reducing insertion).
struct StackToInsertSlices : OpConversionPattern<StackOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(StackOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    int64_t axis = op.getAxis(), rank = type.getRank();
    ValueRange inputs = adaptor.getInputs();

    SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, inputs.front());
    sizes.insert(sizes.begin() + axis, rewriter.getIndexAttr(inputs.size()));
    Value result = createEmptyTensor(rewriter, loc, type, sizes);

    SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
    for (auto [i, input] : llvm::enumerate(inputs)) {
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
      offsets[axis] = rewriter.getIndexAttr(i);
      SmallVector<OpFoldResult> sliceSizes = getSizes(rewriter, loc, input);
      sliceSizes.insert(sliceSizes.begin() + axis, rewriter.getIndexAttr(1));
      result = tensor::InsertSliceOp::create(rewriter, loc, input, result, offsets,
                                             sliceSizes, strides);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Result i is the rank-reduced slice `axis = i` of the operand.
struct SplitToExtractSlices : OpConversionPattern<SplitOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(SplitOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    int64_t axis = op.getAxis(), rank = op.getX().getType().getRank();
    SmallVector<OpFoldResult> sizes = getSizes(rewriter, loc, x);
    sizes[axis] = rewriter.getIndexAttr(1);
    SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
    SmallVector<Value> results;
    for (auto [i, result] : llvm::enumerate(op.getResults())) {
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
      offsets[axis] = rewriter.getIndexAttr(i);
      results.push_back(tensor::ExtractSliceOp::create(
          rewriter, loc, cast<RankedTensorType>(result.getType()), x, offsets, sizes,
          strides));
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

void populateShapeToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<ReshapeToTensor, BroadcastToGeneric, TransposeToLinalg, FlipToGeneric,
               StackToInsertSlices, SplitToExtractSlices>(patterns.getContext());
}

} // namespace mlir::needle
