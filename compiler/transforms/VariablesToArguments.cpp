//===- VariablesToArguments.cpp - runtime-owned state as arguments --------===//
//
// Variables live in the runtime between calls, so compiled code sees them as
// buffers passed in. Reads become SSA uses of the current value; the final
// value of a written variable is materialised into its argument's buffer, so
// one-shot bufferization writes the runtime's buffer.
// (ml_program globals would be the textbook choice, but 22.1.8 miscompiles
// global_store; see MLIR22-NOTES.md.)
//
//===----------------------------------------------------------------------===//
#include "compiler/transforms/Passes.h"
#include "dialect/NeedleOps.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::needle {
#define GEN_PASS_DEF_NEEDLEVARIABLESTOARGUMENTS
#include "compiler/transforms/Passes.h.inc"

namespace {

LogicalResult convertFunction(func::FuncOp func,
                              const llvm::StringMap<VariableOp> &declared,
                              ArrayRef<VariableOp> declarationOrder) {
  // Which variables the function touches; nested regions are not supported
  // because the current value would have to flow through them.
  llvm::SmallPtrSet<Operation *, 8> used;
  WalkResult walk = func.walk([&](Operation *op) {
    if (!isa<ReadOp, WriteOp>(op))
      return WalkResult::advance();
    if (op->getParentOp() != func) {
      op->emitOpError("inside a nested region is not supported; variables "
                      "are read and written at the top level of a function");
      return WalkResult::interrupt();
    }
    auto symbol = isa<ReadOp>(op) ? cast<ReadOp>(op).getVariable()
                                  : cast<WriteOp>(op).getVariable();
    used.insert(declared.lookup(symbol));
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();

  // Arguments in declaration order, so every entry lists variables alike.
  OpBuilder builder(func.getContext());
  llvm::StringMap<BlockArgument> argumentOf;
  SmallVector<Attribute> names;
  for (VariableOp variable : declarationOrder) {
    if (!used.contains(variable))
      continue;
    unsigned index = func.getNumArguments();
    auto nameAttr = builder.getStringAttr(variable.getSymName());
    if (failed(func.insertArgument(
            index, variable.getTensorType(),
            builder.getDictionaryAttr(
                builder.getNamedAttr("needle.variable", nameAttr)),
            variable.getLoc())))
      return failure();
    argumentOf[variable.getSymName()] = func.getArgument(index);
    names.push_back(nameAttr);
  }

  // Thread the current value of each variable through the body.
  llvm::MapVector<StringRef, Value> written;
  Block &body = func.getBody().front();
  for (Operation &op : llvm::make_early_inc_range(body)) {
    if (auto read = dyn_cast<ReadOp>(op)) {
      StringRef name = read.getVariable();
      auto it = written.find(name);
      read.replaceAllUsesWith(it != written.end() ? it->second
                                                  : Value(argumentOf[name]));
      read.erase();
    } else if (auto write = dyn_cast<WriteOp>(op)) {
      written[write.getVariable()] = write.getValue();
      write.erase();
    }
  }

  SmallVector<Attribute> writes;
  Operation *terminator = body.getTerminator();
  builder.setInsertionPoint(terminator);
  for (auto &[name, value] : written) {
    writes.push_back(builder.getStringAttr(name));
    BlockArgument argument = argumentOf[name];
    if (value == argument)
      continue;
    // The memref form has a side effect and survives DCE; the tensor form's
    // result would be unused and vanish. (eliminate-empty-tensors miscompiles
    // this form with `restrict` in 22.1.8, so neither is used.)
    auto type = cast<RankedTensorType>(argument.getType());
    Value buffer = bufferization::ToBufferOp::create(
        builder, terminator->getLoc(),
        MemRefType::get(type.getShape(), type.getElementType()), argument);
    auto materialize = bufferization::MaterializeInDestinationOp::create(
        builder, terminator->getLoc(), TypeRange(), value, buffer);
    materialize.setWritable(true);
  }
  func->setAttr("needle.variables", builder.getArrayAttr(names));
  func->setAttr("needle.writes", builder.getArrayAttr(writes));
  return success();
}

struct NeedleVariablesToArguments
    : impl::NeedleVariablesToArgumentsBase<NeedleVariablesToArguments> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    llvm::StringMap<VariableOp> declared;
    SmallVector<VariableOp> order;
    for (auto variable : module.getOps<VariableOp>()) {
      declared[variable.getSymName()] = variable;
      order.push_back(variable);
    }
    for (auto func : llvm::make_early_inc_range(module.getOps<func::FuncOp>())) {
      if (func.isExternal() || !func.isPublic())
        continue;
      if (failed(convertFunction(func, declared, order)))
        return signalPassFailure();
    }
  }
};

} // namespace
} // namespace mlir::needle
