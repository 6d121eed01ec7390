//===- Tracer.cpp - records needle ops into a model module ----------------===//
#include "compiler/frontend/Tracer.h"

#include "dialect/NeedleDialect.h"
#include "dialect/NeedleOps.h"
#include "dialect/NeedleShapes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringMap.h"

#include <algorithm>

namespace needle::frontend {

using namespace mlir;

static thread_local Tracer *currentTracer = nullptr;

Tracer::Tracer(MLIRContext &context)
    : context_(context), builder_(&context), previous_(currentTracer) {
  context.loadDialect<mlir::needle::NeedleDialect, func::FuncDialect, arith::ArithDialect,
                      tensor::TensorDialect>();
  module_ = ModuleOp::create(UnknownLoc::get(&context));
  builder_.setInsertionPointToEnd(module_->getBody());
  currentTracer = this;
}

Tracer::~Tracer() { currentTracer = previous_; }

Tracer *Tracer::current() { return currentTracer; }

//===----------------------------------------------------------------------===//
// Locations and failures
//===----------------------------------------------------------------------===//

Location Tracer::location() {
  if (!layers_.empty()) {
    const nn::ModuleBase *layer = layers_.back();
    auto kind = NameLoc::get(builder_.getStringAttr(layer->kind()));
    auto path = paths_.find(layer);
    // The model itself has the empty path: its kind names it.
    if (path == paths_.end() || path->second.empty())
      return kind;
    return NameLoc::get(builder_.getStringAttr(path->second), kind);
  }
  if (function_)
    return function_.getLoc();
  return UnknownLoc::get(&context_);
}

void Tracer::fail(const Twine &message) {
  if (failed_)
    return;
  failed_ = true;
  InFlightDiagnostic diag = emitError(location()) << message;
  if (function_)
    diag.attachNote() << "while tracing @" << function_.getName();
}

bool Tracer::check(function_ref<LogicalResult()> body) {
  std::string messages;
  LogicalResult result = success();
  {
    ScopedDiagnosticHandler capture(&context_, [&](Diagnostic &diag) {
      if (diag.getSeverity() == DiagnosticSeverity::Error)
        messages += (messages.empty() ? "" : "; ") + diag.str();
      return success();
    });
    result = body();
  }
  if (succeeded(result))
    return true;
  fail(messages.empty() ? std::string("invalid operation") : messages);
  return false;
}

Tracer *Tracer::of(StringRef op, ArrayRef<Tensor> operands) {
  Tracer *tracer = nullptr;
  for (const Tensor &operand : operands)
    if (!tracer && operand.tracer())
      tracer = operand.tracer();
  if (!tracer)
    tracer = current();
  if (!tracer || tracer->failed_)
    return nullptr;
  for (auto [i, operand] : llvm::enumerate(operands)) {
    if (operand.empty()) {
      tracer->fail("operand #" + Twine(i) + " of '" + op +
                   "' is an empty Tensor (default-constructed)");
      return nullptr;
    }
    if (operand.tracer() != tracer) {
      tracer->fail("operand #" + Twine(i) + " of '" + op + "' belongs to another trace");
      return nullptr;
    }
  }
  return tracer;
}

Tracer::LayerScope::LayerScope(Tracer *tracer, const nn::ModuleBase &module)
    : tracer_(tracer) {
  if (tracer_)
    tracer_->layers_.push_back(&module);
}

Tracer::LayerScope::~LayerScope() {
  if (tracer_)
    tracer_->layers_.pop_back();
}

//===----------------------------------------------------------------------===//
// Variables
//===----------------------------------------------------------------------===//

namespace {
struct NamedVariable {
  std::string name;
  const nn::Variable *variable;
  const nn::ModuleBase *owner;
};
} // namespace

mlir::Type toElementType(MLIRContext &context, DType dtype) {
  Builder builder(&context);
  switch (dtype) {
  case DType::f32:
    return builder.getF32Type();
  case DType::f64:
    return builder.getF64Type();
  case DType::i32:
    return builder.getI32Type();
  case DType::i64:
    return builder.getI64Type();
  }
  return {};
}

void Tracer::declareVariables(
    ArrayRef<std::pair<const nn::ModuleBase *, std::string>> roots) {
  if (declared_ || failed_)
    return;
  declared_ = true;
  std::vector<NamedVariable> variables;
  for (const auto &[root, prefix] : roots) {
    if (!root)
      continue;
    root->walk(prefix, [&](const std::string &path, const nn::ModuleBase &module) {
      // A module shared between roots keeps its first path.
      if (!paths_.try_emplace(&module, path).second)
        return;
      for (const auto &variable : module.variables())
        variables.push_back(
            {nn::ModuleBase::join(path, variable->name), variable.get(), &module});
    });
  }
  // needle creates (and draws random values for) variables in construction
  // order; the runtime initialises them in declaration order.
  std::stable_sort(variables.begin(), variables.end(),
                   [](const NamedVariable &a, const NamedVariable &b) {
                     return a.variable->sequence < b.variable->sequence;
                   });

  OpBuilder::InsertionGuard guard(builder_);
  builder_.setInsertionPointToStart(module_->getBody());
  llvm::StringMap<const nn::Variable *> byName;
  for (const NamedVariable &named : variables) {
    LayerScope scope(this, *named.owner);
    Location loc = location();
    if (!byName.try_emplace(named.name, named.variable).second)
      return fail("two variables are named '" + named.name + "'");
    auto emitError = [&] { return mlir::emitError(loc); };
    RankedTensorType type;
    Attribute initializer;
    if (!check([&]() -> LogicalResult {
          type = RankedTensorType::getChecked(
              emitError, named.variable->shape,
              toElementType(context_, named.variable->dtype));
          initializer = init::toAttribute(named.variable->initializer, loc);
          return success(type && initializer);
        }))
      return;
    auto kind = named.variable->kind == nn::VariableKind::Parameter
                    ? mlir::needle::VariableKind::parameter
                    : mlir::needle::VariableKind::buffer;
    auto op = mlir::needle::VariableOp::create(builder_, loc, named.name, type, kind,
                                               initializer);
    if (!check([&]() -> LogicalResult { return mlir::verify(op, false); }))
      return;
    symbols_[named.variable] = named.name;
    builder_.setInsertionPointAfter(op);
  }
}

Tensor Tracer::read(const nn::Variable &variable) {
  if (failed_ || !function_)
    return {};
  auto symbol = symbols_.find(&variable);
  if (symbol == symbols_.end()) {
    fail("variable '" + variable.name +
         "' is not declared in the traced model; register its module in the "
         "model with registerModule");
    return {};
  }
  auto type =
      RankedTensorType::get(variable.shape, toElementType(context_, variable.dtype));
  return Tensor(this, mlir::needle::ReadOp::create(builder_, location(), type,
                                                   StringRef(symbol->second)));
}

//===----------------------------------------------------------------------===//
// Functions
//===----------------------------------------------------------------------===//

std::vector<Tensor> Tracer::beginFunction(StringRef name, ArrayRef<TensorSpec> inputs,
                                          ArrayRef<std::string> inputNames) {
  if (failed_)
    return std::vector<Tensor>(inputs.size());
  if (function_) {
    fail("@" + name + " begins while @" + function_.getName() + " is open");
    return std::vector<Tensor>(inputs.size());
  }
  Location loc = NameLoc::get(builder_.getStringAttr(name));
  SmallVector<Type> types;
  for (auto [i, input] : llvm::enumerate(inputs)) {
    if (llvm::any_of(input.shape,
                     [](int64_t size) { return size < 0 && size != kDynamic; })) {
      failed_ = true;
      emitError(loc) << "input #" << i << " of @" << name << " has shape "
                     << mlir::needle::formatShape(input.shape)
                     << ": sizes are non-negative or kDynamic";
      return std::vector<Tensor>(inputs.size());
    }
    types.push_back(
        RankedTensorType::get(input.shape, toElementType(context_, input.dtype)));
  }
  builder_.setInsertionPointToEnd(module_->getBody());
  function_ =
      func::FuncOp::create(builder_, loc, name, builder_.getFunctionType(types, {}));
  Block *entry = function_.addEntryBlock();
  builder_.setInsertionPointToEnd(entry);
  lastConstant_ = nullptr;
  indexConstants_.clear();
  dims_.clear();

  std::vector<Tensor> arguments;
  for (BlockArgument argument : entry->getArguments()) {
    if (argument.getArgNumber() < inputNames.size())
      argument.setLoc(
          NameLoc::get(builder_.getStringAttr(inputNames[argument.getArgNumber()])));
    arguments.emplace_back(this, argument);
  }
  return arguments;
}

void Tracer::endFunction(ArrayRef<Tensor> results) {
  if (!function_)
    return;
  if (!failed_) {
    SmallVector<Value> values;
    for (auto [i, result] : llvm::enumerate(results)) {
      if (result.empty() || result.tracer() != this) {
        fail("result #" + Twine(i) + " of @" + function_.getName() +
             " is not a Tensor of this trace");
        break;
      }
      values.push_back(result.value());
    }
    if (!failed_) {
      func::ReturnOp::create(builder_, function_.getLoc(), values);
      function_.setType(builder_.getFunctionType(function_.getArgumentTypes(),
                                                 ValueRange(values).getTypes()));
    }
  }
  function_ = nullptr;
  builder_.setInsertionPointToEnd(module_->getBody());
}

OwningOpRef<ModuleOp> Tracer::finish() {
  if (function_)
    fail("@" + function_.getName() + " was not ended");
  if (failed_ || !check([&]() -> LogicalResult { return mlir::verify(*module_); }))
    return {};
  return std::move(module_);
}

//===----------------------------------------------------------------------===//
// Results and sizes
//===----------------------------------------------------------------------===//

Tensor Tracer::result(Operation *op, unsigned index) {
  return op ? Tensor(this, op->getResult(index)) : Tensor();
}

Value Tracer::indexConstant(int64_t value) {
  if (Value cached = indexConstants_.lookup(value))
    return cached;
  // At the top of the function, so that every later use is dominated.
  OpBuilder::InsertionGuard guard(builder_);
  if (lastConstant_)
    builder_.setInsertionPointAfter(lastConstant_);
  else
    builder_.setInsertionPointToStart(&function_.getBody().front());
  auto constant = arith::ConstantIndexOp::create(builder_, function_.getLoc(), value);
  lastConstant_ = constant;
  indexConstants_[value] = constant;
  return constant;
}

Dim Tracer::dim(Value value, int64_t axis) {
  auto type = llvm::cast<RankedTensorType>(value.getType());
  if (axis < 0 || axis >= type.getRank()) {
    fail("axis " + Twine(axis) + " is out of range for a tensor of shape " +
         mlir::needle::formatShape(type));
    return Dim(int64_t(0));
  }
  if (!type.isDynamicDim(axis))
    return Dim(type.getDimSize(axis));
  if (failed_ || !function_)
    return Dim(kDynamic);
  Value &size = dims_[{value, axis}];
  if (!size)
    size = tensor::DimOp::create(builder_, location(), value, indexConstant(axis));
  return Dim(size);
}

} // namespace needle::frontend
