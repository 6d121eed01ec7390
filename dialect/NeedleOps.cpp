//===- NeedleOps.cpp - needle operations ----------------------------------===//
//
// Type inference doubles as shape verification: every inferReturnTypes checks
// its operands and reports a mismatch naming the op, the operand and both
// shapes, so builders and the parser reject bad shapes the same way.
//
//===----------------------------------------------------------------------===//
#include "dialect/NeedleOps.h"
#include "dialect/NeedleShapes.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallSet.h"

using namespace mlir;
using namespace mlir::needle;

//===----------------------------------------------------------------------===//
// Diagnostics and shared checks
//===----------------------------------------------------------------------===//

namespace {
/// Emits "'needle.op' op ..." at `loc` (if any) and fails, like emitOpError
/// does for an existing op.
template <typename OpT, typename... Args>
LogicalResult opError(std::optional<Location> loc, Args &&...args) {
  return emitOptionalError(loc, "'", OpT::getOperationName(), "' op ",
                           std::forward<Args>(args)...);
}

RankedTensorType tensorOf(Value value) {
  return llvm::dyn_cast<RankedTensorType>(value.getType());
}

/// Checks that `other` has the element type of `ref`; names both operands.
template <typename OpT>
LogicalResult checkSameElementType(std::optional<Location> loc, StringRef refName,
                                   RankedTensorType ref, StringRef otherName,
                                   RankedTensorType other) {
  if (ref.getElementType() == other.getElementType())
    return success();
  return opError<OpT>(loc, "operand '", otherName, "' has element type ",
                      other.getElementType(), " but operand '", refName,
                      "' has element type ", ref.getElementType());
}

/// Axes must be distinct and in [0, rank).
template <typename OpT>
LogicalResult checkAxes(std::optional<Location> loc, ArrayRef<int64_t> axes,
                        int64_t rank, RankedTensorType type) {
  llvm::SmallSet<int64_t, 4> seen;
  for (int64_t axis : axes) {
    if (axis < 0 || axis >= rank)
      return opError<OpT>(loc, "axis ", axis, " is out of range for operand of shape ",
                          formatShape(type), " (rank ", rank, ")");
    if (!seen.insert(axis).second)
      return opError<OpT>(loc, "axis ", axis, " appears more than once");
  }
  return success();
}
} // namespace

//===----------------------------------------------------------------------===//
// Custom directive: types that are usually equal print once
//===----------------------------------------------------------------------===//

/// `T` gives every listed type T; `(T0, T1, ...)` gives them one by one.
static ParseResult parseSameTypesImpl(OpAsmParser &parser, ArrayRef<Type *> types) {
  if (succeeded(parser.parseOptionalLParen())) {
    for (auto [i, type] : llvm::enumerate(types)) {
      if ((i > 0 && parser.parseComma()) || parser.parseType(*type))
        return failure();
    }
    return parser.parseRParen();
  }
  Type common;
  if (parser.parseType(common))
    return failure();
  for (Type *type : types)
    *type = common;
  return success();
}

template <typename... Ts>
static ParseResult parseSameTypes(OpAsmParser &parser, Ts &...types) {
  Type *ptrs[] = {&types...};
  return parseSameTypesImpl(parser, ptrs);
}

static void printSameTypesImpl(OpAsmPrinter &printer, ArrayRef<Type> types) {
  if (llvm::all_equal(types)) {
    printer << types.front();
    return;
  }
  printer << '(';
  llvm::interleaveComma(types, printer);
  printer << ')';
}

template <typename... Ts>
static void printSameTypes(OpAsmPrinter &printer, Operation *, Ts... types) {
  Type list[] = {types...};
  printSameTypesImpl(printer, list);
}

//===----------------------------------------------------------------------===//
// Element-wise operations
//===----------------------------------------------------------------------===//

template <typename OpT>
static LogicalResult inferBinary(std::optional<Location> loc, Value lhsValue,
                                 Value rhsValue, SmallVectorImpl<Type> &results,
                                 StringRef lhsName = "lhs", StringRef rhsName = "rhs") {
  RankedTensorType lhs = tensorOf(lhsValue), rhs = tensorOf(rhsValue);
  if (!lhs || !rhs)
    return opError<OpT>(loc, "expects ranked tensor operands");
  if (failed(checkSameElementType<OpT>(loc, lhsName, lhs, rhsName, rhs)))
    return failure();
  if (!areCompatibleShapes(lhs.getShape(), rhs.getShape()))
    return opError<OpT>(loc, "operand '", rhsName, "' has shape ", formatShape(rhs),
                        " but operand '", lhsName, "' has shape ", formatShape(lhs),
                        "; needle does not broadcast implicitly (use broadcast_to)");
  SmallVector<int64_t> shape;
  for (auto [a, b] : llvm::zip_equal(lhs.getShape(), rhs.getShape()))
    shape.push_back(joinDims(a, b));
  results.push_back(RankedTensorType::get(shape, lhs.getElementType()));
  return success();
}

#define NEEDLE_BINARY_INFER(OP)                                                \
  LogicalResult OP::inferReturnTypes(MLIRContext *, std::optional<Location> loc, \
                                     Adaptor adaptor,                          \
                                     SmallVectorImpl<Type> &results) {         \
    return inferBinary<OP>(loc, adaptor.getLhs(), adaptor.getRhs(), results);  \
  }
NEEDLE_BINARY_INFER(AddOp)
NEEDLE_BINARY_INFER(MulOp)
NEEDLE_BINARY_INFER(DivOp)
NEEDLE_BINARY_INFER(PowOp)
#undef NEEDLE_BINARY_INFER

LogicalResult ReluGradOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &results) {
  return inferBinary<ReluGradOp>(loc, adaptor.getGradY(), adaptor.getX(), results,
                                 "grad_y", "x");
}

OpFoldResult AddScalarOp::fold(FoldAdaptor) {
  return getScalar().isZero() ? getX() : OpFoldResult();
}
OpFoldResult MulScalarOp::fold(FoldAdaptor) {
  return getScalar().isExactlyValue(1.0) ? getX() : OpFoldResult();
}
OpFoldResult DivScalarOp::fold(FoldAdaptor) {
  return getScalar().isExactlyValue(1.0) ? getX() : OpFoldResult();
}
OpFoldResult PowerScalarOp::fold(FoldAdaptor) {
  return getScalar().isExactlyValue(1.0) ? getX() : OpFoldResult();
}

//===----------------------------------------------------------------------===//
// reshape
//===----------------------------------------------------------------------===//

static FailureOr<RankedTensorType> inferReshape(std::optional<Location> loc,
                                               RankedTensorType input,
                                               ArrayRef<int64_t> target) {
  int64_t inferredAxis = -1, known = 1;
  for (auto [i, dim] : llvm::enumerate(target)) {
    if (dim == -1) {
      if (inferredAxis >= 0)
        return opError<ReshapeOp>(loc, "shape ", formatShape(target),
                                  " has more than one -1");
      inferredAxis = i;
    } else if (dim <= 0) {
      return opError<ReshapeOp>(loc, "shape ", formatShape(target),
                                " has a non-positive dimension ", dim);
    } else {
      known *= dim;
    }
  }
  SmallVector<int64_t> shape(target);
  if (input.hasStaticShape()) {
    int64_t total = input.getNumElements();
    if (inferredAxis >= 0 ? total % known != 0 : total != known)
      return opError<ReshapeOp>(loc, "cannot reshape operand of shape ",
                                formatShape(input), " (", total, " elements) to ",
                                formatShape(target));
    if (inferredAxis >= 0)
      shape[inferredAxis] = total / known;
  } else {
    // The static part of the input must still divide the target's size (and
    // a static 0 makes the input empty, which no positive shape matches).
    int64_t staticPart = 1;
    for (int64_t dim : input.getShape())
      if (!ShapedType::isDynamic(dim))
        staticPart *= dim;
    if (staticPart == 0 || (inferredAxis < 0 && known % staticPart != 0))
      return opError<ReshapeOp>(loc, "cannot reshape operand of shape ",
                                formatShape(input), " to ", formatShape(target));
    if (inferredAxis >= 0)
      shape[inferredAxis] = ShapedType::kDynamic;
  }
  return RankedTensorType::get(shape, input.getElementType());
}

LogicalResult ReshapeOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &results) {
  RankedTensorType input = tensorOf(adaptor.getX());
  if (!input)
    return opError<ReshapeOp>(loc, "expects a ranked tensor operand");
  FailureOr<RankedTensorType> result = inferReshape(loc, input, adaptor.getShape());
  if (failed(result))
    return failure();
  results.push_back(*result);
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor) {
  // Only the final shape matters: reshape(reshape(x)) reads x directly.
  // Not when x is less static than the inner result: the outer result type
  // would no longer be the one inferred from x.
  if (auto producer = getX().getDefiningOp<ReshapeOp>()) {
    FailureOr<RankedTensorType> direct =
        inferReshape(std::nullopt, producer.getX().getType(), getShape());
    if (succeeded(direct) && *direct == getType()) {
      getXMutable().assign(producer.getX());
      return getResult();
    }
  }
  // Same type with at most one dynamic dimension: the sizes are forced equal.
  auto input = getX().getType();
  if (input == getType() && input.getNumDynamicDims() <= 1)
    return getX();
  return {};
}

//===----------------------------------------------------------------------===//
// broadcast_to
//===----------------------------------------------------------------------===//

void BroadcastToOp::build(OpBuilder &builder, OperationState &state, Value x,
                          ArrayRef<OpFoldResult> shape) {
  SmallVector<Value> dynamicSizes;
  SmallVector<int64_t> staticShape;
  dispatchIndexOpFoldResults(shape, dynamicSizes, staticShape);
  build(builder, state, x, dynamicSizes, builder.getDenseI64ArrayAttr(staticShape));
}

LogicalResult BroadcastToOp::inferReturnTypes(MLIRContext *,
                                              std::optional<Location> loc,
                                              Adaptor adaptor,
                                              SmallVectorImpl<Type> &results) {
  RankedTensorType input = tensorOf(adaptor.getX());
  if (!input)
    return opError<BroadcastToOp>(loc, "expects a ranked tensor operand");
  ArrayRef<int64_t> target = adaptor.getStaticShape();
  int64_t numDynamic = llvm::count_if(target, ShapedType::isDynamic);
  if (numDynamic != static_cast<int64_t>(adaptor.getDynamicSizes().size()))
    return opError<BroadcastToOp>(loc, "shape ", formatShape(target), " has ",
                                  numDynamic, " dynamic dimensions but ",
                                  adaptor.getDynamicSizes().size(),
                                  " size operands");
  for (int64_t dim : target)
    if (!ShapedType::isDynamic(dim) && dim <= 0)
      return opError<BroadcastToOp>(loc, "shape ", formatShape(target),
                                    " has a non-positive dimension ", dim);
  int64_t rank = input.getRank(), targetRank = target.size();
  if (rank > targetRank)
    return opError<BroadcastToOp>(loc, "cannot broadcast operand of shape ",
                                  formatShape(input), " to the lower-rank shape ",
                                  formatShape(target));
  for (int64_t i = 0; i < rank; ++i) {
    int64_t in = input.getDimSize(i), out = target[targetRank - rank + i];
    if (in != 1 && !areCompatibleDims(in, out))
      return opError<BroadcastToOp>(
          loc, "cannot broadcast operand of shape ", formatShape(input), " to ",
          formatShape(target), ": dimension ", i, " has size ", in, ", not 1 or ",
          out);
  }
  results.push_back(RankedTensorType::get(target, input.getElementType()));
  return success();
}

OpFoldResult BroadcastToOp::fold(FoldAdaptor) {
  if (getX().getType() == getType() && getType().hasStaticShape())
    return getX();
  return {};
}

//===----------------------------------------------------------------------===//
// transpose
//===----------------------------------------------------------------------===//

void TransposeOp::build(OpBuilder &builder, OperationState &state, Value x) {
  int64_t rank = llvm::cast<RankedTensorType>(x.getType()).getRank();
  build(builder, state, x, builder.getDenseI64ArrayAttr({rank - 2, rank - 1}));
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  RankedTensorType input = tensorOf(adaptor.getX());
  if (!input)
    return opError<TransposeOp>(loc, "expects a ranked tensor operand");
  ArrayRef<int64_t> axes = adaptor.getAxes();
  if (axes.size() != 2)
    return opError<TransposeOp>(loc, "expects exactly two axes, got ",
                                formatShape(axes));
  for (int64_t axis : axes)
    if (axis < 0 || axis >= input.getRank())
      return opError<TransposeOp>(loc, "axis ", axis,
                                  " is out of range for operand of shape ",
                                  formatShape(input));
  SmallVector<int64_t> shape(input.getShape());
  std::swap(shape[axes[0]], shape[axes[1]]);
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

static bool sameAxisPair(ArrayRef<int64_t> a, ArrayRef<int64_t> b) {
  return (a[0] == b[0] && a[1] == b[1]) || (a[0] == b[1] && a[1] == b[0]);
}

OpFoldResult TransposeOp::fold(FoldAdaptor) {
  ArrayRef<int64_t> axes = getAxes();
  if (axes[0] == axes[1])
    return getX();
  if (auto producer = getX().getDefiningOp<TransposeOp>())
    if (sameAxisPair(axes, producer.getAxes()))
      return producer.getX();
  return {};
}

//===----------------------------------------------------------------------===//
// summation, logsumexp
//===----------------------------------------------------------------------===//

template <typename OpT>
static LogicalResult inferReduction(std::optional<Location> loc, Value x,
                                    std::optional<ArrayRef<int64_t>> axes,
                                    SmallVectorImpl<Type> &results) {
  RankedTensorType input = tensorOf(x);
  if (!input)
    return opError<OpT>(loc, "expects a ranked tensor operand");
  SmallVector<int64_t> shape;
  if (axes) {
    if (failed(checkAxes<OpT>(loc, *axes, input.getRank(), input)))
      return failure();
    for (auto [i, dim] : llvm::enumerate(input.getShape()))
      if (!llvm::is_contained(*axes, static_cast<int64_t>(i)))
        shape.push_back(dim);
  }
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult SummationOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  return inferReduction<SummationOp>(loc, adaptor.getX(), adaptor.getAxes(), results);
}

LogicalResult LogSumExpOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  return inferReduction<LogSumExpOp>(loc, adaptor.getX(), adaptor.getAxes(), results);
}

// Reducing over no axis is the identity, for both sum and logsumexp.
OpFoldResult SummationOp::fold(FoldAdaptor) {
  return getAxes() && getAxes()->empty() ? getX() : OpFoldResult();
}
OpFoldResult LogSumExpOp::fold(FoldAdaptor) {
  return getAxes() && getAxes()->empty() ? getX() : OpFoldResult();
}

//===----------------------------------------------------------------------===//
// matmul
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &results) {
  RankedTensorType lhs = tensorOf(adaptor.getLhs()), rhs = tensorOf(adaptor.getRhs());
  if (!lhs || !rhs)
    return opError<MatmulOp>(loc, "expects ranked tensor operands");
  if (failed(checkSameElementType<MatmulOp>(loc, "lhs", lhs, "rhs", rhs)))
    return failure();
  if (lhs.getRank() < 2 || rhs.getRank() < 2)
    return opError<MatmulOp>(loc, "expects operands of rank 2 or more, got lhs ",
                             formatShape(lhs), " and rhs ", formatShape(rhs));
  ArrayRef<int64_t> a = lhs.getShape(), b = rhs.getShape();
  int64_t k = a.back(), kr = b[b.size() - 2];
  if (!areCompatibleDims(k, kr))
    return opError<MatmulOp>(loc, "operand 'lhs' of shape ", formatShape(lhs),
                             " has ", k, " columns but operand 'rhs' of shape ",
                             formatShape(rhs), " has ", kr, " rows");
  auto batch = broadcastShapes(a.drop_back(2), b.drop_back(2));
  if (!batch)
    return opError<MatmulOp>(loc, "batch dimensions of lhs ", formatShape(lhs),
                             " and rhs ", formatShape(rhs), " do not broadcast");
  SmallVector<int64_t> shape(*batch);
  shape.push_back(a[a.size() - 2]);
  shape.push_back(b.back());
  results.push_back(RankedTensorType::get(shape, lhs.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// stack, split, flip
//===----------------------------------------------------------------------===//

LogicalResult StackOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &results) {
  ValueRange inputs = adaptor.getInputs();
  if (inputs.empty())
    return opError<StackOp>(loc, "expects at least one operand");
  RankedTensorType first = tensorOf(inputs.front());
  if (!first)
    return opError<StackOp>(loc, "expects ranked tensor operands");
  SmallVector<int64_t> shape(first.getShape());
  for (auto [i, value] : llvm::enumerate(inputs.drop_front())) {
    RankedTensorType type = tensorOf(value);
    if (!type)
      return opError<StackOp>(loc, "expects ranked tensor operands");
    if (type.getElementType() != first.getElementType() ||
        !areCompatibleShapes(type.getShape(), shape))
      return opError<StackOp>(loc, "operand #", i + 1, " has type ", type,
                              " but operand #0 has type ", first,
                              "; stacked tensors have one shape");
    for (auto [dim, other] : llvm::zip_equal(shape, type.getShape()))
      dim = joinDims(dim, other);
  }
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis > first.getRank())
    return opError<StackOp>(loc, "axis ", axis, " is out of range [0, ",
                            first.getRank(), "] for operands of shape ",
                            formatShape(first));
  shape.insert(shape.begin() + axis, inputs.size());
  results.push_back(RankedTensorType::get(shape, first.getElementType()));
  return success();
}

LogicalResult SplitOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &results) {
  RankedTensorType input = tensorOf(adaptor.getX());
  if (!input)
    return opError<SplitOp>(loc, "expects a ranked tensor operand");
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis >= input.getRank())
    return opError<SplitOp>(loc, "axis ", axis, " is out of range for operand of shape ",
                            formatShape(input));
  int64_t count = input.getDimSize(axis);
  if (ShapedType::isDynamic(count))
    return opError<SplitOp>(loc, "axis ", axis, " of operand of shape ",
                            formatShape(input),
                            " is dynamic; the number of results must be static");
  if (count == 0)
    return opError<SplitOp>(loc, "axis ", axis, " of operand of shape ",
                            formatShape(input), " is empty; split gives one "
                            "result per index");
  SmallVector<int64_t> shape(input.getShape());
  shape.erase(shape.begin() + axis);
  results.append(count, RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult FlipOp::verify() {
  return checkAxes<FlipOp>(getLoc(), getAxes(), getType().getRank(), getType());
}

OpFoldResult FlipOp::fold(FoldAdaptor) {
  if (getAxes().empty())
    return getX();
  if (auto producer = getX().getDefiningOp<FlipOp>()) {
    SmallVector<int64_t> mine(getAxes()), theirs(producer.getAxes());
    llvm::sort(mine);
    llvm::sort(theirs);
    if (mine == theirs)
      return producer.getX();
  }
  return {};
}

//===----------------------------------------------------------------------===//
// BatchNorm
//===----------------------------------------------------------------------===//

/// Checks x (N, C) against per-feature operands of shape (C) and returns the
/// per-feature type, static wherever any operand is.
template <typename OpT>
static FailureOr<RankedTensorType>
checkBatchNormOperands(std::optional<Location> loc, StringRef xName, Value xValue,
                       ArrayRef<std::pair<StringRef, Value>> perFeature) {
  RankedTensorType x = tensorOf(xValue);
  if (!x)
    return opError<OpT>(loc, "expects ranked tensor operands");
  if (x.getRank() != 2)
    return opError<OpT>(loc, "operand '", xName, "' has shape ", formatShape(x),
                        " but BatchNorm1d expects rank 2 (batch, features)");
  int64_t features = x.getDimSize(1);
  for (auto [name, value] : perFeature) {
    RankedTensorType type = tensorOf(value);
    if (!type)
      return opError<OpT>(loc, "expects ranked tensor operands");
    if (failed(checkSameElementType<OpT>(loc, xName, x, name, type)))
      return failure();
    if (type.getRank() != 1 || !areCompatibleDims(type.getDimSize(0), features))
      return opError<OpT>(loc, "operand '", name, "' has shape ", formatShape(type),
                          " but operand '", xName, "' has shape ", formatShape(x),
                          ": expected ", formatShape(ArrayRef<int64_t>{features}));
    features = joinDims(features, type.getDimSize(0));
  }
  return RankedTensorType::get({features}, x.getElementType());
}

template <typename OpT, typename AdaptorT>
static FailureOr<RankedTensorType> checkBatchNorm(std::optional<Location> loc,
                                                  AdaptorT adaptor) {
  return checkBatchNormOperands<OpT>(loc, "x", adaptor.getX(),
                                     {{"weight", adaptor.getWeight()},
                                      {"bias", adaptor.getBias()},
                                      {"running_mean", adaptor.getRunningMean()},
                                      {"running_var", adaptor.getRunningVar()}});
}

template <typename OpT>
static LogicalResult inferBatchNorm(std::optional<Location> loc,
                                    typename OpT::Adaptor adaptor,
                                    SmallVectorImpl<Type> &results,
                                    unsigned numPerFeatureResults) {
  auto features = checkBatchNorm<OpT>(loc, adaptor);
  if (failed(features))
    return failure();
  results.push_back(adaptor.getX().getType());
  results.append(numPerFeatureResults, *features);
  return success();
}

LogicalResult BatchNormOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &results) {
  return inferBatchNorm<BatchNormOp>(loc, adaptor, results, 0);
}

LogicalResult BatchNormTrainOp::inferReturnTypes(MLIRContext *,
                                                 std::optional<Location> loc,
                                                 Adaptor adaptor,
                                                 SmallVectorImpl<Type> &results) {
  // y, then batch mean, batch invstd, new running mean, new running var.
  return inferBatchNorm<BatchNormTrainOp>(loc, adaptor, results, 4);
}

LogicalResult BatchNormInferOp::inferReturnTypes(MLIRContext *,
                                                 std::optional<Location> loc,
                                                 Adaptor adaptor,
                                                 SmallVectorImpl<Type> &results) {
  return inferBatchNorm<BatchNormInferOp>(loc, adaptor, results, 0);
}

// Attributes are checked in verifiers: during parsing, type inference runs
// before default-valued attributes are filled in.
static LogicalResult verifyEps(Operation *op, double eps) {
  if (!(eps >= 0.0))
    return op->emitOpError("eps must be non-negative, got ") << eps;
  return success();
}

static LogicalResult verifyMomentum(Operation *op, double momentum) {
  if (!(momentum >= 0.0 && momentum <= 1.0))
    return op->emitOpError("momentum must be in [0, 1], got ") << momentum;
  return success();
}

template <typename OpT>
static LogicalResult verifyEpsAndMomentum(OpT op) {
  return failure(failed(verifyEps(op, op.getEps().convertToDouble())) ||
                 failed(verifyMomentum(op, op.getMomentum().convertToDouble())));
}

LogicalResult BatchNormOp::verify() { return verifyEpsAndMomentum(*this); }
LogicalResult BatchNormTrainOp::verify() { return verifyEpsAndMomentum(*this); }

LogicalResult BatchNormInferOp::verify() {
  return verifyEps(*this, getEps().convertToDouble());
}

LogicalResult BatchNormTrainGradOp::inferReturnTypes(MLIRContext *,
                                                     std::optional<Location> loc,
                                                     Adaptor adaptor,
                                                     SmallVectorImpl<Type> &results) {
  auto features = checkBatchNormOperands<BatchNormTrainGradOp>(
      loc, "x", adaptor.getX(),
      {{"weight", adaptor.getWeight()},
       {"batch_mean", adaptor.getBatchMean()},
       {"batch_invstd", adaptor.getBatchInvstd()}});
  if (failed(features))
    return failure();
  RankedTensorType x = tensorOf(adaptor.getX()), dy = tensorOf(adaptor.getGradY());
  if (!dy)
    return opError<BatchNormTrainGradOp>(loc, "expects ranked tensor operands");
  if (failed(checkSameElementType<BatchNormTrainGradOp>(loc, "x", x, "grad_y", dy)))
    return failure();
  if (!areCompatibleShapes(dy.getShape(), x.getShape()))
    return opError<BatchNormTrainGradOp>(loc, "operand 'grad_y' has shape ",
                                         formatShape(dy), " but operand 'x' has shape ",
                                         formatShape(x));
  results.push_back(x);
  results.append(2, *features);
  return success();
}

//===----------------------------------------------------------------------===//
// dropout, one_hot, softmax_loss
//===----------------------------------------------------------------------===//

LogicalResult DropoutOp::verify() {
  double p = getP().convertToDouble();
  if (!(p >= 0.0 && p < 1.0))
    return emitOpError("probability p must be in [0, 1), got ") << p;
  return success();
}

void OneHotOp::build(OpBuilder &builder, OperationState &state, Value labels,
                     int64_t numClasses, Type elementType) {
  SmallVector<int64_t> shape(llvm::cast<RankedTensorType>(labels.getType()).getShape());
  shape.push_back(numClasses);
  build(builder, state, RankedTensorType::get(shape, elementType), labels,
        builder.getI64IntegerAttr(numClasses));
}

LogicalResult OneHotOp::verify() {
  int64_t classes = getNumClasses();
  if (classes <= 0)
    return emitOpError("num_classes must be positive, got ") << classes;
  SmallVector<int64_t> expected(getLabels().getType().getShape());
  expected.push_back(classes);
  if (!areCompatibleShapes(getType().getShape(), expected))
    return emitOpError("result has shape ")
           << formatShape(getType()) << " but labels of shape "
           << formatShape(getLabels().getType()) << " with " << classes
           << " classes give " << formatShape(expected);
  return success();
}

LogicalResult SoftmaxLossOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                              Adaptor adaptor,
                                              SmallVectorImpl<Type> &results) {
  RankedTensorType logits = tensorOf(adaptor.getLogits()),
                   labels = tensorOf(adaptor.getLabels());
  if (!logits || !labels)
    return opError<SoftmaxLossOp>(loc, "expects ranked tensor operands");
  if (logits.getRank() != 2)
    return opError<SoftmaxLossOp>(loc, "operand 'logits' has shape ",
                                  formatShape(logits),
                                  " but expects rank 2 (batch, classes)");
  if (labels.getRank() != 1 ||
      !areCompatibleDims(labels.getDimSize(0), logits.getDimSize(0)))
    return opError<SoftmaxLossOp>(loc, "operand 'labels' has shape ",
                                  formatShape(labels), " but operand 'logits' has shape ",
                                  formatShape(logits), ": expected one label per row");
  results.push_back(RankedTensorType::get({}, logits.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Variables
//===----------------------------------------------------------------------===//

LogicalResult VariableOp::verify() {
  RankedTensorType type = getTensorType();
  if (!type.hasStaticShape())
    return emitOpError("variable ")
           << getSymNameAttr() << " must have a static shape, got " << type;
  bool isFloat = llvm::isa<FloatType>(type.getElementType());
  if (getKind() == VariableKind::parameter && !isFloat)
    return emitOpError("parameter ") << getSymNameAttr()
                                     << " must have a float element type, got "
                                     << type.getElementType();
  bool isRandom = !llvm::isa<ZerosAttr, OnesAttr, ConstantAttr>(getInitializer());
  if (isRandom && !isFloat)
    return emitOpError("random initializer ")
           << getInitializer() << " needs a float element type, variable "
           << getSymNameAttr() << " has " << type.getElementType();
  return success();
}

/// Finds the variable `symbol` names, or reports why there is none.
static FailureOr<VariableOp> lookupVariable(Operation *user, FlatSymbolRefAttr symbol,
                                            SymbolTableCollection &symbolTable,
                                            StringRef verb) {
  Operation *target = symbolTable.lookupNearestSymbolFrom(user, symbol.getAttr());
  if (!target)
    return user->emitOpError() << verb << " undeclared variable " << symbol;
  auto variable = llvm::dyn_cast<VariableOp>(target);
  if (!variable)
    return user->emitOpError() << verb << " " << symbol << ", which is a '"
                               << target->getName() << "', not a needle.variable";
  return variable;
}

void ReadOp::build(OpBuilder &builder, OperationState &state, VariableOp variable) {
  build(builder, state, variable.getTensorType(), variable.getSymName());
}

LogicalResult ReadOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  auto variable = lookupVariable(*this, getVariableAttr(), symbolTable, "reads");
  if (failed(variable))
    return failure();
  if (variable->getTensorType() != getType())
    return emitOpError("result type ")
           << getType() << " does not match the type " << variable->getTensorType()
           << " of variable " << getVariableAttr();
  return success();
}

LogicalResult WriteOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  auto variable = lookupVariable(*this, getVariableAttr(), symbolTable, "writes");
  if (failed(variable))
    return failure();
  if (variable->getTensorType() != getValue().getType())
    return emitOpError("value of type ")
           << getValue().getType() << " does not match the type "
           << variable->getTensorType() << " of variable " << getVariableAttr();
  return success();
}

#define GET_OP_CLASSES
#include "dialect/NeedleOps.cpp.inc"
