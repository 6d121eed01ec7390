//===- Autodiff.cpp - reverse-mode gradient of a loss function ------------===//
//
// `needle-autodiff` clones the loss function into `<func>_grad` and appends
// its reverse sweep: an activity analysis marks the values that depend on a
// parameter, then the ops are visited last to first and each one that has a
// cotangent and an active operand builds its VJP (DifferentiableOpInterface).
// Cotangents of a value used several times are summed; a parameter's
// gradient is the sum over its reads. The result is plain needle IR.
//
//===----------------------------------------------------------------------===//
#include "compiler/transforms/Passes.h"
#include "dialect/GradientBuilders.h"
#include "dialect/NeedleOps.h"
#include "dialect/NeedleShapes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "llvm/ADT/DenseSet.h"

namespace mlir::needle {
#define GEN_PASS_DEF_NEEDLEAUTODIFF
#include "compiler/transforms/Passes.h.inc"

namespace {

constexpr llvm::StringLiteral kGradientOfAttr = "needle.gradient_of";

bool isFloatTensor(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && isa<FloatType>(type.getElementType());
}

/// The shape of function autodiff handles: straight-line training-form code
/// returning one scalar loss.
LogicalResult checkDifferentiable(func::FuncOp func) {
  if (!func.getBody().hasOneBlock())
    return func.emitOpError("needle-autodiff: @")
           << func.getSymName() << " must have exactly one block";
  auto loss = func.getNumResults() == 1
                  ? dyn_cast<RankedTensorType>(func.getResultTypes()[0])
                  : RankedTensorType();
  if (!loss || loss.getRank() != 0 || !isa<FloatType>(loss.getElementType()))
    return func.emitOpError("needle-autodiff: @")
           << func.getSymName()
           << " must return exactly one rank-0 float tensor (the loss), got ("
           << func.getResultTypes() << ")";
  WalkResult walk = func.getBody().walk([](Operation *op) {
    if (isa<BatchNormOp, DropoutOp>(op)) {
      op->emitOpError("must be specialised for training before autodiff "
                      "(run --needle-specialize=mode=train first)");
      return WalkResult::interrupt();
    }
    if (isa<CallOpInterface>(op) || op->getNumRegions() != 0) {
      op->emitOpError("cannot be differentiated: needle-autodiff handles "
                      "straight-line code without calls or regions");
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return failure(walk.wasInterrupted());
}

/// The reverse sweep over one block.
class ReverseSweep {
public:
  ReverseSweep(Block &body, SymbolTable &symbols, OpBuilder &builder)
      : body(body), symbols(symbols), builder(builder) {}

  /// Marks what depends on a parameter: reads of parameters, then results of
  /// ops with an active operand, except NonDifferentiable ops, whose results
  /// are constants.
  void findActiveValues() {
    for (Operation &op : body) {
      if (auto read = dyn_cast<ReadOp>(op)) {
        if (isParameter(read))
          active.insert(read.getResult());
        continue;
      }
      if (op.hasTrait<OpTrait::NonDifferentiable>())
        continue;
      if (llvm::any_of(op.getOperands(), [&](Value v) { return active.contains(v); }))
        for (Value result : op.getResults())
          if (isFloatTensor(result))
            active.insert(result);
    }
  }

  bool isActive(Value value) const { return active.contains(value); }

  /// Seeds the cotangent of `loss` with 1 and propagates it to the reads of
  /// parameters, visiting `ops` (the block's original ops) last to first.
  LogicalResult run(Value loss, ArrayRef<Operation *> ops) {
    auto lossType = cast<RankedTensorType>(loss.getType());
    cotangents[loss] = createSplat(builder, loss.getLoc(), lossType, 1.0);
    for (Operation *op : llvm::reverse(ops))
      if (failed(visit(op)))
        return failure();
    return success();
  }

  /// The summed cotangent of every read of `variable`, or null.
  Value getGradient(StringAttr variable) const { return gradients.lookup(variable); }

private:
  bool isParameter(ReadOp read) const {
    auto variable = symbols.lookup<VariableOp>(read.getVariableAttr().getAttr());
    return variable && variable.getKind() == VariableKind::parameter;
  }

  void accumulate(Value &sum, Value term, Location loc) {
    sum = sum ? AddOp::create(builder, loc, sum, term).getResult() : term;
  }

  LogicalResult visit(Operation *op) {
    SmallVector<Value> resultCotangents;
    bool any = false;
    for (Value result : op->getResults()) {
      resultCotangents.push_back(cotangents.lookup(result));
      any |= static_cast<bool>(resultCotangents.back());
    }
    if (!any)
      return success();
    if (auto read = dyn_cast<ReadOp>(op)) {
      accumulate(gradients[read.getVariableAttr().getAttr()], resultCotangents[0],
                 op->getLoc());
      return success();
    }
    SmallVector<bool> needed;
    for (Value operand : op->getOperands())
      needed.push_back(isActive(operand));
    if (!llvm::is_contained(needed, true))
      return success();
    auto differentiable = dyn_cast<DifferentiableOpInterface>(op);
    if (!differentiable)
      return op->emitOpError("has no gradient (it does not implement "
                             "DifferentiableOpInterface) but a parameter's "
                             "gradient flows through it");
    SmallVector<Value> operandCotangents(op->getNumOperands());
    if (failed(differentiable.buildVJP(builder, resultCotangents, needed,
                                       operandCotangents)))
      return failure();
    for (auto [index, operand, cotangent] :
         llvm::enumerate(op->getOperands(), operandCotangents)) {
      if (!cotangent || !needed[index])
        continue;
      if (failed(checkCotangentType(op, index, operand, cotangent)))
        return failure();
      accumulate(cotangents[operand], cotangent, op->getLoc());
    }
    return success();
  }

  /// A VJP must give each operand a cotangent of a compatible type.
  static LogicalResult checkCotangentType(Operation *op, unsigned index, Value operand,
                                          Value cotangent) {
    auto expected = cast<RankedTensorType>(operand.getType());
    auto actual = dyn_cast<RankedTensorType>(cotangent.getType());
    if (actual && actual.getElementType() == expected.getElementType() &&
        areCompatibleShapes(actual.getShape(), expected.getShape()))
      return success();
    return op->emitOpError("VJP built a cotangent of type ")
           << cotangent.getType() << " for operand #" << index << " of type "
           << operand.getType();
  }

  Block &body;
  SymbolTable &symbols;
  OpBuilder &builder;
  llvm::DenseSet<Value> active;
  DenseMap<Value, Value> cotangents;
  DenseMap<StringAttr, Value> gradients;
};

struct NeedleAutodiff : impl::NeedleAutodiffBase<NeedleAutodiff> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    auto source = symbols.lookup<func::FuncOp>(funcName);
    if (!source) {
      module.emitError("needle-autodiff: no function @") << funcName << " to differentiate";
      return signalPassFailure();
    }
    std::string gradName = funcName + "_grad";
    if (Operation *clash = symbols.lookup(gradName)) {
      clash->emitOpError("needle-autodiff: @")
          << gradName << " already exists; it is the name of @" << funcName
          << "'s gradient function";
      return signalPassFailure();
    }
    if (failed(checkDifferentiable(source)))
      return signalPassFailure();

    // The gradient function recomputes the loss (and its writes of buffers)
    // and appends the reverse sweep before its return.
    auto grad = cast<func::FuncOp>(source->clone());
    grad.setSymName(gradName);
    grad.setPublic();
    symbols.insert(grad, std::next(Block::iterator(source)));
    Block &body = grad.getBody().front();
    auto terminator = cast<func::ReturnOp>(body.getTerminator());
    Value loss = terminator.getOperand(0);
    SmallVector<Operation *> ops;
    for (Operation &op : body.without_terminator())
      ops.push_back(&op);

    OpBuilder builder(terminator);
    ReverseSweep sweep(body, symbols, builder);
    sweep.findActiveValues();
    if (sweep.isActive(loss) && failed(sweep.run(loss, ops)))
      return signalPassFailure();

    // One gradient per parameter, in declaration order.
    SmallVector<Value> results{loss};
    SmallVector<FlatSymbolRefAttr> parameters;
    for (auto variable : module.getOps<VariableOp>()) {
      if (variable.getKind() != VariableKind::parameter)
        continue;
      RankedTensorType type = variable.getTensorType();
      Location loc = variable.getLoc();
      Value gradient = sweep.getGradient(variable.getSymNameAttr());
      if (!gradient)
        gradient = createSplat(builder, loc, type, 0.0);
      else if (gradient.getType() != type)
        gradient = tensor::CastOp::create(builder, loc, type, gradient);
      results.push_back(gradient);
      parameters.push_back(FlatSymbolRefAttr::get(variable.getSymNameAttr()));
    }
    func::ReturnOp::create(builder, terminator.getLoc(), results);
    terminator.erase();
    grad.setFunctionType(
        builder.getFunctionType(body.getArgumentTypes(), ValueRange(results).getTypes()));
    for (auto [index, parameter] : llvm::enumerate(parameters))
      grad.setResultAttr(index + 1, kGradientOfAttr, parameter);
  }
};

} // namespace
} // namespace mlir::needle
