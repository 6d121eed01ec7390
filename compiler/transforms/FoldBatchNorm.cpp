//===- FoldBatchNorm.cpp - inference BatchNorm folded into a Linear -------===//
//
// With frozen parameters, inference BatchNorm is a per-feature affine map,
// and so is the bias of the Linear before it: both fold into the Linear's
// weight and bias, removing a full pass over the activations.
//
//===----------------------------------------------------------------------===//
#include "compiler/transforms/Passes.h"
#include "dialect/NeedleOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace mlir::needle {
#define GEN_PASS_DEF_NEEDLEFOLDBATCHNORM
#include "compiler/transforms/Passes.h.inc"

namespace {

/// The elements of a float constant, in double.
SmallVector<double> toDoubles(DenseElementsAttr attr) {
  SmallVector<double> values;
  for (APFloat value : attr.getValues<APFloat>())
    values.push_back(value.convertToDouble());
  return values;
}

/// A constant of `type` rounded once from double values.
DenseElementsAttr fromDoubles(ShapedType type, ArrayRef<double> values) {
  const llvm::fltSemantics &semantics =
      cast<FloatType>(type.getElementType()).getFloatSemantics();
  SmallVector<APFloat> elements;
  for (double value : values) {
    APFloat element(value);
    bool losesInfo;
    element.convert(semantics, APFloat::rmNearestTiesToEven, &losesInfo);
    elements.push_back(element);
  }
  return DenseElementsAttr::get(type, elements);
}

/// Whether `op`'s value feeds `user` and otherwise only shape queries, which
/// the fold leaves valid (it changes values, never shapes).
bool onlyFeeds(Operation *op, Operation *user) {
  return llvm::all_of(op->getUsers(), [&](Operation *other) {
    return other == user || isa<tensor::DimOp>(other);
  });
}

/// Matches `matmul(a, W) + broadcast_to(bias)` (either operand order) whose
/// intermediate values have no other user, with W (in, C) and bias (1, C) or
/// (C) constant.
struct Linear {
  AddOp add;
  MatmulOp matmul;
  BroadcastToOp broadcast;
  DenseElementsAttr weight, bias;
};

std::optional<Linear> matchLinear(Value value) {
  auto add = value.getDefiningOp<AddOp>();
  if (!add || !add->hasOneUse())
    return std::nullopt;
  for (auto [product, shift] : {std::pair(add.getLhs(), add.getRhs()),
                                std::pair(add.getRhs(), add.getLhs())}) {
    auto matmul = product.getDefiningOp<MatmulOp>();
    auto broadcast = shift.getDefiningOp<BroadcastToOp>();
    if (!matmul || !broadcast || !onlyFeeds(matmul, add) || !onlyFeeds(broadcast, add))
      continue;
    Linear linear{add, matmul, broadcast, {}, {}};
    if (!matchPattern(matmul.getRhs(), m_Constant(&linear.weight)) ||
        !matchPattern(broadcast.getX(), m_Constant(&linear.bias)))
      continue;
    if (linear.weight.getType().getRank() != 2)
      continue;
    return linear;
  }
  return std::nullopt;
}

struct FoldBatchNormIntoLinear : OpRewritePattern<BatchNormInferOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(BatchNormInferOp op, PatternRewriter &rewriter) const override {
    DenseElementsAttr gamma, beta, mean, var;
    if (!matchPattern(op.getWeight(), m_Constant(&gamma)) ||
        !matchPattern(op.getBias(), m_Constant(&beta)) ||
        !matchPattern(op.getRunningMean(), m_Constant(&mean)) ||
        !matchPattern(op.getRunningVar(), m_Constant(&var)))
      return rewriter.notifyMatchFailure(op, "parameters are not constants");
    std::optional<Linear> linear = matchLinear(op.getX());
    if (!linear)
      return rewriter.notifyMatchFailure(op, "input is not a Linear with constant weights");
    int64_t features = gamma.getNumElements();
    if (linear->weight.getType().getDimSize(1) != features ||
        linear->bias.getNumElements() != features)
      return rewriter.notifyMatchFailure(op, "Linear and BatchNorm widths differ");

    double eps = op.getEps().convertToDouble();
    SmallVector<double> scale = toDoubles(gamma), shift = toDoubles(beta);
    SmallVector<double> runningMean = toDoubles(mean), runningVar = toDoubles(var);
    for (int64_t c = 0; c < features; ++c)
      scale[c] /= std::sqrt(runningVar[c] + eps);

    SmallVector<double> weight = toDoubles(linear->weight);
    for (size_t i = 0; i < weight.size(); ++i)
      weight[i] *= scale[i % features];
    SmallVector<double> bias = toDoubles(linear->bias);
    for (int64_t c = 0; c < features; ++c)
      bias[c] = (bias[c] - runningMean[c]) * scale[c] + shift[c];

    Location loc = op.getLoc();
    Value newWeight = arith::ConstantOp::create(
        rewriter, loc, fromDoubles(linear->weight.getType(), weight));
    Value newBias = arith::ConstantOp::create(
        rewriter, loc, fromDoubles(linear->bias.getType(), bias));
    rewriter.modifyOpInPlace(linear->matmul,
                             [&] { linear->matmul.getRhsMutable().assign(newWeight); });
    rewriter.modifyOpInPlace(linear->broadcast,
                             [&] { linear->broadcast.getXMutable().assign(newBias); });
    rewriter.replaceOp(op, linear->add.getResult());
    return success();
  }
};

struct NeedleFoldBatchNorm : impl::NeedleFoldBatchNormBase<NeedleFoldBatchNorm> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldBatchNormIntoLinear>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
} // namespace mlir::needle
