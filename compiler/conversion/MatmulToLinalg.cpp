//===- MatmulToLinalg.cpp - needle.matmul to linalg contractions ----------===//
//
// (..., m, k) x (..., k, n) -> (..., m, n) with numpy broadcasting of the
// batch dimensions, accumulated into a zero-filled init:
// - rank 2 x rank 2: linalg.matmul;
// - batched x rank 2: the batch folds into the rows, (B*m, k) x (k, n), one
//   linalg.matmul between a collapse and an expand (no copy of the rhs);
// - equal batch shapes: linalg.batch_matmul over the flattened batch;
// - batch dimensions that stretch (size 1 against more, or missing): one
//   linalg.generic contraction whose maps read index 0 of a stretched
//   dimension, so no operand is materialised at the broadcast shape.
//
//===----------------------------------------------------------------------===//
#include "compiler/conversion/LinalgBuilders.h"
#include "compiler/conversion/Patterns.h"
#include "dialect/NeedleOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::needle {
namespace {

/// Whether broadcasting `operand` (batch shape) to `batch` stretches or adds
/// a dimension.
bool needsBroadcast(ArrayRef<int64_t> operand, ArrayRef<int64_t> batch) {
  if (operand.size() != batch.size())
    return true;
  for (auto [o, b] : llvm::zip_equal(operand, batch))
    if (o == 1 && b != 1)
      return true;
  return false;
}

struct MatmulToLinalg : OpConversionPattern<MatmulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult matchAndRewrite(MatmulOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    RankedTensorType type = op.getType();
    int64_t lhsRank = op.getLhs().getType().getRank();
    int64_t rhsRank = op.getRhs().getType().getRank();
    Value zero = createFloatConstant(rewriter, loc, type.getElementType(), 0.0);
    OpFoldResult rows = getSize(rewriter, loc, lhs, lhsRank - 2);
    OpFoldResult cols = getSize(rewriter, loc, rhs, rhsRank - 1);

    Value result;
    if (lhsRank == 2 && rhsRank == 2) {
      Value init = createFilledTensor(rewriter, loc, type, {rows, cols}, zero);
      result = linalg::MatmulOp::create(rewriter, loc, TypeRange{type},
                                        ValueRange{lhs, rhs}, ValueRange{init})
                   .getResult(0);
    } else if (rhsRank == 2) {
      result = createFoldedRowsMatmul(rewriter, loc, lhs, rhs, type, cols, zero);
    } else {
      result = createBatchedMatmul(rewriter, loc, lhs, rhs, type, rows, cols, zero);
    }
    rewriter.replaceOp(op, result);
    return success();
  }

private:
  /// (..., m, k) x (k, n): collapse (..., m) into one row dimension.
  static Value createFoldedRowsMatmul(OpBuilder &b, Location loc, Value lhs, Value rhs,
                                      RankedTensorType type, OpFoldResult cols,
                                      Value zero) {
    int64_t lhsRank = cast<RankedTensorType>(lhs.getType()).getRank();
    SmallVector<ReassociationIndices> groups{
        llvm::to_vector(llvm::seq<int64_t>(0, lhsRank - 1)), {lhsRank - 1}};
    Value flatLhs = tensor::CollapseShapeOp::create(b, loc, lhs, groups);
    auto flatLhsType = cast<RankedTensorType>(flatLhs.getType());
    auto flatType = RankedTensorType::get(
        {flatLhsType.getDimSize(0), type.getShape().back()}, type.getElementType());
    Value init =
        createFilledTensor(b, loc, flatType, {getSize(b, loc, flatLhs, 0), cols}, zero);
    Value product = linalg::MatmulOp::create(b, loc, TypeRange{flatType},
                                             ValueRange{flatLhs, rhs}, ValueRange{init})
                        .getResult(0);
    SmallVector<OpFoldResult> sizes = getSizes(b, loc, lhs);
    sizes.back() = cols;
    return tensor::ExpandShapeOp::create(b, loc, type, product, groups, sizes);
  }

  /// Both operands batched (or only the rhs): batch_matmul or a generic.
  static Value createBatchedMatmul(OpBuilder &b, Location loc, Value lhs, Value rhs,
                                   RankedTensorType type, OpFoldResult rows,
                                   OpFoldResult cols, Value zero) {
    auto lhsType = cast<RankedTensorType>(lhs.getType());
    auto rhsType = cast<RankedTensorType>(rhs.getType());
    ArrayRef<int64_t> lhsBatch = lhsType.getShape().drop_back(2);
    ArrayRef<int64_t> rhsBatch = rhsType.getShape().drop_back(2);
    ArrayRef<int64_t> batch = type.getShape().drop_back(2);
    int64_t numBatch = batch.size();

    // A dynamic batch size comes from an operand whose size is dynamic there
    // (a static operand size would have made the joined size static).
    SmallVector<OpFoldResult> sizes;
    for (int64_t j = 0; j < numBatch; ++j) {
      if (!ShapedType::isDynamic(batch[j])) {
        sizes.push_back(b.getIndexAttr(batch[j]));
        continue;
      }
      int64_t lhsDim = j - (numBatch - static_cast<int64_t>(lhsBatch.size()));
      if (lhsDim >= 0 && ShapedType::isDynamic(lhsBatch[lhsDim]))
        sizes.push_back(getSize(b, loc, lhs, lhsDim));
      else
        sizes.push_back(
            getSize(b, loc, rhs, j - (numBatch - static_cast<int64_t>(rhsBatch.size()))));
    }
    sizes.append({rows, cols});

    if (!needsBroadcast(lhsBatch, batch) && !needsBroadcast(rhsBatch, batch))
      return createFlatBatchMatmul(b, loc, lhs, rhs, type, sizes, zero);

    // Loops (batch..., m, n, k); stretched batch dimensions read index 0.
    MLIRContext *context = b.getContext();
    SmallVector<AffineExpr> batchDims;
    for (int64_t j = 0; j < numBatch; ++j)
      batchDims.push_back(getAffineDimExpr(j, context));
    AffineExpr m = getAffineDimExpr(numBatch, context);
    AffineExpr n = getAffineDimExpr(numBatch + 1, context);
    AffineExpr k = getAffineDimExpr(numBatch + 2, context);
    SmallVector<AffineExpr> lhsExprs = getBroadcastExprs(lhsBatch, batch, batchDims);
    lhsExprs.append({m, k});
    SmallVector<AffineExpr> rhsExprs = getBroadcastExprs(rhsBatch, batch, batchDims);
    rhsExprs.append({k, n});
    SmallVector<AffineExpr> resultExprs(batchDims);
    resultExprs.append({m, n});
    int64_t numLoops = numBatch + 3;
    SmallVector<AffineMap> maps{AffineMap::get(numLoops, 0, lhsExprs, context),
                                AffineMap::get(numLoops, 0, rhsExprs, context),
                                AffineMap::get(numLoops, 0, resultExprs, context)};
    SmallVector<utils::IteratorType> iterators(numLoops - 1,
                                               utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    Value init = createFilledTensor(b, loc, type, sizes, zero);
    auto generic = linalg::GenericOp::create(
        b, loc, TypeRange{type}, ValueRange{lhs, rhs}, ValueRange{init}, maps, iterators,
        [](OpBuilder &nested, Location nestedLoc, ValueRange args) {
          Value product = arith::MulFOp::create(nested, nestedLoc, args[0], args[1]);
          Value sum = arith::AddFOp::create(nested, nestedLoc, args[2], product);
          linalg::YieldOp::create(nested, nestedLoc, sum);
        });
    return generic.getResult(0);
  }

  /// Equal batch shapes: flatten the batch into one dimension, batch_matmul,
  /// and expand the batch back. `sizes` are the result's sizes.
  static Value createFlatBatchMatmul(OpBuilder &b, Location loc, Value lhs, Value rhs,
                                     RankedTensorType type, ArrayRef<OpFoldResult> sizes,
                                     Value zero) {
    int64_t numBatch = type.getRank() - 2;
    if (numBatch == 1) {
      Value init = createFilledTensor(b, loc, type, sizes, zero);
      return linalg::BatchMatmulOp::create(b, loc, TypeRange{type}, ValueRange{lhs, rhs},
                                           ValueRange{init})
          .getResult(0);
    }
    SmallVector<ReassociationIndices> groups{
        llvm::to_vector(llvm::seq<int64_t>(0, numBatch)), {numBatch}, {numBatch + 1}};
    Value flatLhs = tensor::CollapseShapeOp::create(b, loc, lhs, groups);
    Value flatRhs = tensor::CollapseShapeOp::create(b, loc, rhs, groups);
    ArrayRef<int64_t> shape = type.getShape();
    int64_t flatBatch = 1;
    for (int64_t size : shape.drop_back(2))
      flatBatch = ShapedType::isDynamic(size) || ShapedType::isDynamic(flatBatch)
                      ? ShapedType::kDynamic
                      : flatBatch * size;
    auto flatType = RankedTensorType::get(
        {flatBatch, shape[numBatch], shape[numBatch + 1]}, type.getElementType());
    // A dynamic batch size means a dynamic lhs batch size (equal shapes).
    OpFoldResult flatBatchSize = ShapedType::isDynamic(flatBatch)
                                     ? getSize(b, loc, flatLhs, 0)
                                     : OpFoldResult(b.getIndexAttr(flatBatch));
    Value init = createFilledTensor(
        b, loc, flatType, {flatBatchSize, sizes[numBatch], sizes[numBatch + 1]}, zero);
    Value product =
        linalg::BatchMatmulOp::create(b, loc, TypeRange{flatType},
                                      ValueRange{flatLhs, flatRhs}, ValueRange{init})
            .getResult(0);
    return tensor::ExpandShapeOp::create(b, loc, type, product, groups, sizes);
  }
};

} // namespace

void populateMatmulToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<MatmulToLinalg>(patterns.getContext());
}

} // namespace mlir::needle
