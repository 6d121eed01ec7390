//===- TrainStep.cpp - one optimizer step after the loss gradient ---------===//
//
// The training step is an ordinary needle function: the gradient function's
// body, then for every parameter the optimizer's formulas in needle ops and
// writes of the new parameter and state. Variables-to-arguments and
// bufferisation turn the writes into in-place updates of the runtime's
// buffers, so nothing here knows about memory. Only the learning rate is a
// variable (schedules change it between steps); the other hyperparameters are
// constants folded into the code. Adam's step count is an f64 scalar and its
// bias corrections 1 - beta^t are computed in f64 and rounded once, as
// needle's Python floats are before they meet a tensor.
//
//===----------------------------------------------------------------------===//
#include "compiler/transforms/Passes.h"
#include "dialect/NeedleOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include <charconv>
#include <cmath>

namespace mlir::needle {
#define GEN_PASS_DEF_NEEDLESYNTHESIZETRAINSTEP
#include "compiler/transforms/Passes.h.inc"

namespace {

constexpr StringLiteral kGradientOf = "needle.gradient_of";

struct Hyperparameters {
  bool adam;
  double lr, momentum, weightDecay, beta1, beta2, eps;
};

/// Declares the optimizer's variables after the model's, so that the model's
/// variables keep their places in the runtime's initialisation order.
class StateDeclarer {
public:
  explicit StateDeclarer(ModuleOp module) : module(module), builder(module.getContext()) {
    builder.setInsertionPointToStart(module.getBody());
    for (VariableOp variable : module.getOps<VariableOp>())
      builder.setInsertionPointAfter(variable);
  }

  FailureOr<VariableOp> declare(Location loc, StringRef name, RankedTensorType type,
                                Attribute initializer) {
    if (Operation *clash = SymbolTable::lookupSymbolIn(module, name))
      return clash->emitError() << "the model defines @\"" << name
                                << "\", a name the training step needs for "
                                   "optimizer state";
    auto variable = VariableOp::create(builder, loc, name, type,
                                       VariableKind::optimizer_state, initializer);
    builder.setInsertionPointAfter(variable);
    return variable;
  }

private:
  ModuleOp module;
  OpBuilder builder;
};

/// Builds the update of each parameter at the end of the training step.
class OptimizerBuilder {
public:
  OptimizerBuilder(ImplicitLocOpBuilder &b, const Hyperparameters &hyper,
                   StateDeclarer &state, Value lr)
      : b(b), hyper(hyper), state(state), lr(lr) {}

  /// Adam's step count goes up once per step, before any parameter's update;
  /// the bias corrections follow from it.
  LogicalResult beginStep(Type elementType) {
    if (!hyper.adam)
      return success();
    auto countType = RankedTensorType::get({}, b.getF64Type());
    FailureOr<VariableOp> count =
        state.declare(b.getLoc(), "adam.t", countType, ZerosAttr::get(b.getContext()));
    if (failed(count))
      return failure();
    Value t = AddScalarOp::create(b, ReadOp::create(b, *count), b.getF64FloatAttr(1.0));
    WriteOp::create(b, count->getSymName(), t);
    Value stepCount = tensor::ExtractOp::create(b, t, ValueRange());
    correction1 = biasCorrection(hyper.beta1, stepCount, elementType);
    correction2 = biasCorrection(hyper.beta2, stepCount, elementType);
    return success();
  }

  /// Writes the new value of `parameter` (and its state) given its gradient.
  LogicalResult update(VariableOp parameter, Value gradient) {
    RankedTensorType type = parameter.getTensorType();
    Value p = ReadOp::create(b, parameter);
    Value g = gradient;
    if (hyper.weightDecay != 0.0)
      g = AddOp::create(b, g, scaled(p, hyper.weightDecay));

    Value step; // p_new = p - step
    if (!hyper.adam) {
      step = g;
      if (hyper.momentum != 0.0) {
        FailureOr<Value> u = movingAverage("sgd.u.", parameter, g, hyper.momentum);
        if (failed(u))
          return failure();
        step = *u;
      }
      step = MulOp::create(b, broadcast(lr, type), step);
    } else {
      FailureOr<Value> m = movingAverage("adam.m.", parameter, g, hyper.beta1);
      if (failed(m))
        return failure();
      FailureOr<Value> v =
          movingAverage("adam.v.", parameter,
                        PowerScalarOp::create(b, g, b.getF64FloatAttr(2.0)), hyper.beta2);
      if (failed(v))
        return failure();
      Value mHat = DivOp::create(b, *m, broadcast(correction1, type));
      Value vHat = DivOp::create(b, *v, broadcast(correction2, type));
      Value denominator =
          AddScalarOp::create(b, PowerScalarOp::create(b, vHat, b.getF64FloatAttr(0.5)),
                              b.getF64FloatAttr(hyper.eps));
      step = DivOp::create(b, MulOp::create(b, broadcast(lr, type), mHat), denominator);
    }
    WriteOp::create(b, parameter.getSymName(),
                    AddOp::create(b, p, NegateOp::create(b, step)));
    return success();
  }

private:
  Value scaled(Value x, double factor) {
    return MulScalarOp::create(b, x, b.getF64FloatAttr(factor));
  }

  /// state = decay * state + (1 - decay) * x, kept in the variable
  /// `<prefix><parameter>` (zeros at first); returns the new state.
  FailureOr<Value> movingAverage(StringRef prefix, VariableOp parameter, Value x,
                                 double decay) {
    FailureOr<VariableOp> variable =
        state.declare(parameter.getLoc(), (prefix + parameter.getSymName()).str(),
                      parameter.getTensorType(), ZerosAttr::get(b.getContext()));
    if (failed(variable))
      return failure();
    Value old = ReadOp::create(b, *variable);
    Value updated = AddOp::create(b, scaled(old, decay), scaled(x, 1.0 - decay));
    WriteOp::create(b, variable->getSymName(), updated);
    return updated;
  }

  /// 1 - beta^t in f64, rounded once to `elementType`, as a rank-0 tensor.
  Value biasCorrection(double beta, Value stepCount, Type elementType) {
    Value power = math::PowFOp::create(
        b, arith::ConstantOp::create(b, b.getF64FloatAttr(beta)), stepCount);
    Value correction = arith::SubFOp::create(
        b, arith::ConstantOp::create(b, b.getF64FloatAttr(1.0)), power);
    if (elementType != correction.getType())
      correction = arith::TruncFOp::create(b, elementType, correction);
    return tensor::FromElementsOp::create(b, RankedTensorType::get({}, elementType),
                                          correction);
  }

  Value broadcast(Value scalar, RankedTensorType type) {
    SmallVector<OpFoldResult> shape;
    for (int64_t dim : type.getShape())
      shape.push_back(b.getIndexAttr(dim));
    return BroadcastToOp::create(b, scalar, shape);
  }

  ImplicitLocOpBuilder &b;
  const Hyperparameters &hyper;
  StateDeclarer &state;
  Value lr;
  Value correction1, correction2; // Adam's 1 - beta^t, rank 0
};

/// Shortest text that reads back as `value`.
std::string shortest(double value) {
  char text[32];
  auto [end, ec] = std::to_chars(text, text + sizeof(text), value);
  return ec == std::errc() ? std::string(text, end) : std::to_string(value);
}

std::string describe(const Hyperparameters &hyper) {
  std::string optimizer = hyper.adam ? "adam(beta1=" + shortest(hyper.beta1) +
                                           ", beta2=" + shortest(hyper.beta2) +
                                           ", eps=" + shortest(hyper.eps)
                                     : "sgd(momentum=" + shortest(hyper.momentum);
  return "one training step: training-form forward, loss, gradients, " + optimizer +
         ", weight_decay=" + shortest(hyper.weightDecay) +
         "), learning rate in variable 'lr'; returns the loss";
}

struct NeedleSynthesizeTrainStep
    : impl::NeedleSynthesizeTrainStepBase<NeedleSynthesizeTrainStep> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<Hyperparameters> hyper = checkedHyperparameters(module);
    if (failed(hyper))
      return signalPassFailure();

    std::string gradientName = func + "_grad";
    auto gradient = module.lookupSymbol<func::FuncOp>(gradientName);
    if (!gradient || gradient.isExternal()) {
      emitError(module.getLoc())
          << "needle-synthesize-train-step: no function @" << gradientName
          << " with a body (run needle-autodiff{func=" << func << "} first)";
      return signalPassFailure();
    }
    if (Operation *clash = module.lookupSymbol(entry)) {
      clash->emitError() << "the model defines @" << entry
                         << ", the name of the training step";
      return signalPassFailure();
    }
    FailureOr<SmallVector<VariableOp>> parameters = gradientParameters(module, gradient);
    if (failed(parameters))
      return signalPassFailure();

    // The step takes over the gradient function's body and signature.
    auto returnOp = cast<func::ReturnOp>(gradient.getBody().front().getTerminator());
    Value loss = returnOp.getOperand(0);
    OpBuilder moduleBuilder = OpBuilder::atBlockEnd(module.getBody());
    auto step = func::FuncOp::create(
        moduleBuilder, gradient.getLoc(), entry,
        FunctionType::get(&getContext(), gradient.getArgumentTypes(), loss.getType()));
    step.getBody().takeBody(gradient.getBody());
    if (ArrayAttr argAttrs = gradient.getAllArgAttrs())
      step.setAllArgAttrs(argAttrs);
    step->setAttr("needle.description", moduleBuilder.getStringAttr(describe(*hyper)));
    gradient.erase();

    ImplicitLocOpBuilder b(returnOp.getLoc(), returnOp);
    StateDeclarer state(module);
    auto elementType = cast<RankedTensorType>(loss.getType()).getElementType();
    FailureOr<VariableOp> lrVariable =
        state.declare(step.getLoc(), "lr", RankedTensorType::get({}, elementType),
                      ConstantAttr::get(&getContext(), llvm::APFloat(hyper->lr)));
    if (failed(lrVariable))
      return signalPassFailure();
    OptimizerBuilder optimizer(b, *hyper, state, ReadOp::create(b, *lrVariable));
    if (failed(optimizer.beginStep(elementType)))
      return signalPassFailure();
    for (auto [parameter, grad] :
         llvm::zip_equal(*parameters, returnOp.getOperands().drop_front()))
      if (failed(optimizer.update(parameter, grad)))
        return signalPassFailure();
    func::ReturnOp::create(b, loss);
    returnOp.erase();
  }

  FailureOr<Hyperparameters> checkedHyperparameters(ModuleOp module) {
    Hyperparameters hyper{
        optimizer.getValue() == "adam", lr, momentum, weightDecay, beta1, beta2, eps};
    // Located at the module, without printing all of it.
    auto error = [&]() {
      return emitError(module.getLoc()) << "needle-synthesize-train-step: ";
    };
    if (optimizer.getValue() != "sgd" && !hyper.adam)
      return error() << "unknown optimizer '" << optimizer.getValue()
                     << "' (expected sgd or adam)";
    std::pair<const char *, double> nonNegative[] = {
        {"lr", hyper.lr}, {"weight-decay", hyper.weightDecay}, {"eps", hyper.eps}};
    for (auto [name, value] : nonNegative)
      if (!std::isfinite(value) || value < 0)
        return error() << name << " must be finite and non-negative, got " << value;
    std::pair<const char *, double> fractions[] = {
        {"momentum", hyper.momentum}, {"beta1", hyper.beta1}, {"beta2", hyper.beta2}};
    for (auto [name, value] : fractions)
      if (!(value >= 0 && value < 1))
        return error() << name << " must be in [0, 1), got " << value;
    if (hyper.adam && hyper.momentum != 0.0)
      return error() << "momentum is an SGD option; adam takes beta1 and beta2";
    return hyper;
  }

  /// The parameter each gradient result (after the loss) belongs to, checked
  /// against the module's parameters: one gradient each, in declaration order.
  FailureOr<SmallVector<VariableOp>> gradientParameters(ModuleOp module,
                                                        func::FuncOp gradient) {
    SmallVector<VariableOp> declared;
    for (auto variable : module.getOps<VariableOp>())
      if (variable.getKind() == VariableKind::parameter)
        declared.push_back(variable);
    FunctionType type = gradient.getFunctionType();
    auto lossType = type.getNumResults() ? dyn_cast<RankedTensorType>(type.getResult(0))
                                         : RankedTensorType();
    if (!lossType || lossType.getRank() != 0 ||
        !isa<FloatType>(lossType.getElementType()))
      return gradient.emitError()
             << "@" << gradient.getSymName()
             << " must return a scalar float loss first, then the gradients";
    if (type.getNumResults() != declared.size() + 1)
      return gradient.emitError()
             << "@" << gradient.getSymName() << " returns " << type.getNumResults() - 1
             << " gradient(s) but the module has " << declared.size() << " parameter(s)";
    SmallVector<VariableOp> parameters;
    for (unsigned i = 1; i < type.getNumResults(); ++i) {
      auto of = gradient.getResultAttrOfType<FlatSymbolRefAttr>(i, kGradientOf);
      VariableOp expected = declared[i - 1];
      if (!of || of.getValue() != expected.getSymName())
        return gradient.emitError()
               << "result " << i << " of @" << gradient.getSymName() << " must carry "
               << kGradientOf << " = @\"" << expected.getSymName()
               << "\" (one gradient per parameter, in declaration order)";
      if (type.getResult(i) != expected.getTensorType())
        return gradient.emitError()
               << "the gradient of @\"" << expected.getSymName() << "\" has type "
               << type.getResult(i) << " but the parameter is "
               << expected.getTensorType();
      if (expected.getTensorType().getElementType() != lossType.getElementType())
        return gradient.emitError()
               << "parameter @\"" << expected.getSymName() << "\" is "
               << expected.getTensorType() << " but the loss is " << lossType
               << "; the learning rate needs one element type";
      parameters.push_back(expected);
    }
    return parameters;
  }
};

} // namespace
} // namespace mlir::needle
