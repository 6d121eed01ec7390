//===- LinalgBuilders.h - building blocks of the needle lowerings -*- C++ -*-===//
//
// Small helpers the needle -> linalg patterns share: sized `tensor.empty` and
// zero-filled inits, constants in a tensor's element type, one-op element-wise
// generics, and the loop nest of a reduction. Nothing here knows a needle op.
//
//===----------------------------------------------------------------------===//
#ifndef NEEDLE_COMPILER_CONVERSION_LINALGBUILDERS_H
#define NEEDLE_COMPILER_CONVERSION_LINALGBUILDERS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace mlir::needle {

/// Builds the scalar body of a linalg.generic from its block arguments (the
/// input elements, then the output elements) and returns what it yields.
using ScalarBody =
    llvm::function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange)>;

/// `tensor.empty` of `type`; `sizes` has one entry per dimension and only the
/// dynamic dimensions of `type` read it.
Value createEmptyTensor(OpBuilder &b, Location loc, RankedTensorType type,
                        ArrayRef<OpFoldResult> sizes);

/// `linalg.fill` of `value` into a `tensor.empty` of `type` (sizes as above).
Value createFilledTensor(OpBuilder &b, Location loc, RankedTensorType type,
                         ArrayRef<OpFoldResult> sizes, Value value);

/// `arith.constant value` in `type`, rounded from the f64 `value`.
Value createFloatConstant(OpBuilder &b, Location loc, Type type, double value);

/// `arith.constant -inf` in `type` (the identity of a max reduction).
Value createNegInfConstant(OpBuilder &b, Location loc, Type type);

/// Dimension `dim` of `tensor` as a float of `type`: a batch count N.
Value createDimAsFloat(OpBuilder &b, Location loc, Value tensor, int64_t dim, Type type);

/// ceil(size / divisor) for a non-negative size: a constant when `size` is.
OpFoldResult createCeilDiv(OpBuilder &b, Location loc, OpFoldResult size,
                           int64_t divisor);

/// `m` where it is finite, else 0. Used as the shift of a stable logsumexp:
/// subtracting an infinite row maximum would turn inf - inf into NaN, while
/// shifting by 0 leaves exp(x) = 0 for -inf rows and inf for +inf rows, so
/// log(sum) then gives the right -inf or +inf.
Value finiteOrZero(OpBuilder &b, Location loc, Value m);

/// One all-parallel linalg.generic with identity maps computing `body` element
/// by element over `inputs` (all of the shape of `resultType`). Its init is a
/// fresh `tensor.empty`, so `linalg-fuse-elementwise-ops` can fuse chains.
Value createElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                        ValueRange inputs, ScalarBody body);

/// The same with several results, all of the shape of the first input.
SmallVector<Value> createMultiResultElementwise(OpBuilder &b, Location loc,
                                                TypeRange resultTypes, ValueRange inputs,
                                                ScalarBody body);

/// For an operand of shape `inputShape` broadcast (numpy rules) to
/// `targetShape`, whose dimensions are the loops `targetDims`: the affine
/// expressions indexing the operand. Operand dimensions are right-aligned with
/// the target; missing leading dimensions are dropped, and a dimension of
/// static size 1 that is stretched reads index 0. A dynamic operand
/// dimension is taken to equal the target's (it does not stretch).
SmallVector<AffineExpr> getBroadcastExprs(ArrayRef<int64_t> inputShape,
                                          ArrayRef<int64_t> targetShape,
                                          ArrayRef<AffineExpr> targetDims);

/// The loop nest of a reduction of a rank-`rank` tensor over `axes`: the kept
/// dimensions are the outer, parallel loops (in order) and the reduced ones
/// the inner, reduction loops, so parallel loops come first for tiling and
/// GPU mapping.
class ReductionNest {
public:
  ReductionNest(MLIRContext *context, int64_t rank, ArrayRef<int64_t> axes);

  /// Loops -> operand dimensions, for an operand of the reduced tensor's shape.
  AffineMap getInputMap() const { return inputMap; }
  /// Loops -> kept dimensions, for results and operands of the result shape.
  AffineMap getResultMap() const { return resultMap; }
  ArrayRef<utils::IteratorType> getIteratorTypes() const { return iterators; }
  /// The kept dimensions of the reduced tensor, in order.
  ArrayRef<int64_t> getKeptDims() const { return kept; }

private:
  SmallVector<int64_t> kept;
  AffineMap inputMap, resultMap;
  SmallVector<utils::IteratorType> iterators;
};

/// One linalg.generic looping over `nest`: `reducedInputs` have the shape of
/// the reduced tensor, `perResultInputs` and `inits` the result shape. `body`
/// gets the input elements, then the accumulators, and yields new ones.
SmallVector<Value> createReduction(OpBuilder &b, Location loc, const ReductionNest &nest,
                                   ValueRange reducedInputs, ValueRange perResultInputs,
                                   ValueRange inits, ScalarBody body);

/// Size `dim` of `tensor`: a constant when static, else read where it was
/// first known. A result of a destination-style op (linalg, insert_slice) has
/// the size of its init, so the chain is followed back to its `tensor.empty`,
/// whose size operand is reused. A `tensor.dim` of an intermediate result
/// would be a second use of it, and elementwise fusion only fuses producers
/// with a single use.
OpFoldResult getSize(OpBuilder &b, Location loc, Value tensor, int64_t dim);

/// All sizes of `tensor`, as getSize gives them.
SmallVector<OpFoldResult> getSizes(OpBuilder &b, Location loc, Value tensor);

/// The sizes of `tensor`'s dimensions listed in `dims`, as getSize gives them.
SmallVector<OpFoldResult> getSizes(OpBuilder &b, Location loc, Value tensor,
                                   ArrayRef<int64_t> dims);

} // namespace mlir::needle

#endif // NEEDLE_COMPILER_CONVERSION_LINALGBUILDERS_H
