//===- SpecializeMode.cpp - training and inference forms ------------------===//
//
// BatchNorm1d and Dropout are traced mode-agnostic; this pass picks their
// training or inference meaning. Running statistics are buffers: in training
// the new values are written back to the variables they were read from.
// Dropout's training form needs random bits: a counter-based generator keyed
// by the runtime seed and a per-call step counter, both buffers, so a run is
// reproducible from its seed and a checkpoint resumes the same streams.
//
//===----------------------------------------------------------------------===//
#include "compiler/transforms/Passes.h"
#include "dialect/NeedleOps.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::needle {
#define GEN_PASS_DEF_NEEDLESPECIALIZE
#include "compiler/transforms/Passes.h.inc"

namespace {

constexpr StringLiteral kSeedVariable = "dropout.seed";
constexpr StringLiteral kStepVariable = "dropout.step";

struct BatchNormToInfer : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp op, PatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<BatchNormInferOp>(
        op, op.getX(), op.getWeight(), op.getBias(), op.getRunningMean(),
        op.getRunningVar(), op.getEpsAttr());
    return success();
  }
};

struct DropoutToIdentity : OpRewritePattern<DropoutOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DropoutOp op, PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, op.getX());
    return success();
  }
};

struct BatchNormToTrain : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp op, PatternRewriter &rewriter) const override {
    // The new statistics go back to the buffers the old ones came from.
    auto meanRead = op.getRunningMean().getDefiningOp<ReadOp>();
    auto varRead = op.getRunningVar().getDefiningOp<ReadOp>();
    if (!meanRead || !varRead)
      return rewriter.notifyMatchFailure(op, "running statistics are not variable reads");
    auto train = BatchNormTrainOp::create(
        rewriter, op.getLoc(), op.getX(), op.getWeight(), op.getBias(),
        op.getRunningMean(), op.getRunningVar(), op.getEpsAttr(), op.getMomentumAttr(),
        op.getUnbiasedRunningVarAttr());
    WriteOp::create(rewriter, op.getLoc(), meanRead.getVariableAttr(),
                    train.getNewRunningMean());
    WriteOp::create(rewriter, op.getLoc(), varRead.getVariableAttr(),
                    train.getNewRunningVar());
    rewriter.replaceOp(op, train.getY());
    return success();
  }
};

/// The rank-0 i64 buffer `name`, declared at the end of the module unless the
/// model already has it with that type.
FailureOr<VariableOp> getOrDeclareCounter(ModuleOp module, StringRef name,
                                          Attribute initializer) {
  auto type = RankedTensorType::get({}, IntegerType::get(module.getContext(), 64));
  if (Operation *existing = SymbolTable::lookupSymbolIn(module, name)) {
    auto variable = dyn_cast<VariableOp>(existing);
    if (!variable || variable.getTensorType() != type ||
        variable.getKind() != VariableKind::buffer)
      return existing->emitError() << "@\"" << name
                                   << "\" is reserved for dropout's random stream "
                                      "(a buffer of type "
                                   << type << ")";
    return variable;
  }
  auto builder = OpBuilder::atBlockEnd(module.getBody());
  return VariableOp::create(builder, module.getLoc(), name, type,
                            VariableKind::buffer, initializer);
}

/// Rewrites `dropouts`, those of `func` in program order, into
/// x * dropout_mask(x, seed, step) with stream i for the i-th, and increments
/// the step counter once on entry (masks use the value read before the
/// increment).
void specialiseDropoutsForTraining(func::FuncOp func, ArrayRef<DropoutOp> dropouts,
                                   VariableOp seedVariable, VariableOp stepVariable) {
  IRRewriter rewriter(func.getContext());
  Location loc = func.getLoc();
  rewriter.setInsertionPointToStart(&func.getBody().front());
  Value seed = ReadOp::create(rewriter, loc, seedVariable);
  Value step = ReadOp::create(rewriter, loc, stepVariable);
  auto stepType = cast<RankedTensorType>(step.getType());
  Value one = arith::ConstantOp::create(
      rewriter, loc, DenseElementsAttr::get(stepType, rewriter.getI64IntegerAttr(1)));
  Value next = arith::AddIOp::create(rewriter, loc, step, one);
  WriteOp::create(rewriter, loc, stepVariable.getSymName(), next);

  for (auto [stream, dropout] : llvm::enumerate(dropouts)) {
    DropoutOp op = dropout;
    rewriter.setInsertionPoint(op);
    Value mask = DropoutMaskOp::create(rewriter, op.getLoc(), op.getX(), seed, step,
                                       op.getPAttr(), rewriter.getI64IntegerAttr(stream));
    rewriter.replaceOpWithNewOp<MulOp>(op, op.getX(), mask);
  }
}

struct NeedleSpecialize : impl::NeedleSpecializeBase<NeedleSpecialize> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *context) override {
    RewritePatternSet set(context);
    if (mode == "infer")
      set.add<BatchNormToInfer, DropoutToIdentity>(context);
    else if (mode == "train")
      set.add<BatchNormToTrain>(context);
    else
      return emitError(UnknownLoc::get(context))
             << "needle-specialize: unknown mode '" << mode
             << "' (expected 'train' or 'infer')";
    patterns = std::move(set);
    return success();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> funcs;
    for (auto f : module.getOps<func::FuncOp>())
      if (func.empty() || f.getSymName() == func)
        funcs.push_back(f);
    if (funcs.empty()) {
      module.emitError() << "needle-specialize: no function @" << func;
      return signalPassFailure();
    }

    for (func::FuncOp f : funcs) {
      if (failed(applyPatternsGreedily(f, patterns)))
        return signalPassFailure();
      if (mode == "train" && failed(specialiseDropouts(f)))
        return signalPassFailure();
    }

    // A batch_norm left over has no buffers to update: say which one.
    for (func::FuncOp f : funcs) {
      WalkResult result = f.walk([](BatchNormOp op) {
        op.emitOpError("cannot be specialised for training: running_mean and "
                       "running_var must be read from buffer variables");
        return WalkResult::interrupt();
      });
      if (result.wasInterrupted())
        return signalPassFailure();
    }
  }

  LogicalResult specialiseDropouts(func::FuncOp f) {
    SmallVector<DropoutOp> dropouts;
    f.walk([&](DropoutOp op) { dropouts.push_back(op); });
    if (dropouts.empty())
      return success();
    ModuleOp module = getOperation();
    MLIRContext *context = module.getContext();
    FailureOr<VariableOp> seed =
        getOrDeclareCounter(module, kSeedVariable, SeedAttr::get(context));
    FailureOr<VariableOp> step =
        getOrDeclareCounter(module, kStepVariable, ZerosAttr::get(context));
    if (failed(seed) || failed(step))
      return failure();
    specialiseDropoutsForTraining(f, dropouts, *seed, *step);
    return success();
  }

  FrozenRewritePatternSet patterns;
};

} // namespace
} // namespace mlir::needle
