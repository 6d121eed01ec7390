//===- FreezeVariables.cpp - variables baked in from a checkpoint ---------===//
//
// An inference-only artifact needs no runtime state: every variable read
// becomes a constant holding the checkpoint's value, and the declarations
// go, so the manifest lists none. Constants let later passes fold what
// depends only on them (BatchNorm into the Linear before it).
//
//===----------------------------------------------------------------------===//
#include "compiler/transforms/Passes.h"
#include "dialect/NeedleOps.h"
#include "runtime/SafeTensors.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::needle {
#define GEN_PASS_DEF_NEEDLEFREEZEVARIABLES
#include "compiler/transforms/Passes.h.inc"

namespace {

namespace rt = ::needle::runtime;

/// The element type a checkpoint dtype is stored as.
Type getElementType(MLIRContext *context, rt::DType dtype) {
  switch (dtype) {
  case rt::DType::f32: return Float32Type::get(context);
  case rt::DType::f64: return Float64Type::get(context);
  case rt::DType::i32: return IntegerType::get(context, 32);
  case rt::DType::i64: return IntegerType::get(context, 64);
  }
  return {};
}

/// The checkpoint's value of `variable` as a constant attribute, or an error
/// naming the variable and both types.
FailureOr<DenseElementsAttr> getFrozenValue(VariableOp variable,
                                            const rt::SafeTensors &checkpoint,
                                            StringRef path) {
  auto found = checkpoint.tensors.find(variable.getSymName().str());
  if (found == checkpoint.tensors.end())
    return variable.emitError() << "checkpoint '" << path << "' has no tensor '"
                                << variable.getSymName() << "' to freeze the variable with";
  const rt::Tensor &tensor = found->second;
  RankedTensorType type = variable.getTensorType();
  auto stored = RankedTensorType::get(
      SmallVector<int64_t>(tensor.shape().begin(), tensor.shape().end()),
      getElementType(variable.getContext(), tensor.dtype()));
  if (stored != type)
    return variable.emitError() << "checkpoint '" << path << "' holds '"
                                << variable.getSymName() << "' as " << stored
                                << " but the variable is " << type;
  ArrayRef<char> bytes(static_cast<const char *>(tensor.data()), tensor.byteSize());
  return DenseElementsAttr::getFromRawBuffer(type, bytes);
}

struct NeedleFreezeVariables : impl::NeedleFreezeVariablesBase<NeedleFreezeVariables> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    // Frozen state cannot change: a write means the entry is not inference.
    WalkResult writes = module.walk([](WriteOp write) {
      write.emitOpError("writes @")
          << write.getVariable()
          << ", but a frozen artifact is inference-only: build only inference "
             "entry points (infer) with a checkpoint";
      return WalkResult::interrupt();
    });
    if (writes.wasInterrupted())
      return signalPassFailure();

    rt::StatusOr<rt::SafeTensors> checkpoint = rt::readSafeTensors(checkpointPath);
    if (!checkpoint.ok()) {
      module.emitError() << "cannot freeze variables: " << checkpoint.status().message();
      return signalPassFailure();
    }

    DenseMap<StringAttr, DenseElementsAttr> values;
    for (VariableOp variable : module.getOps<VariableOp>()) {
      FailureOr<DenseElementsAttr> value =
          getFrozenValue(variable, *checkpoint, checkpointPath);
      if (failed(value))
        return signalPassFailure();
      values[variable.getSymNameAttr()] = *value;
    }

    IRRewriter rewriter(module.getContext());
    module.walk([&](ReadOp read) {
      rewriter.setInsertionPoint(read);
      rewriter.replaceOpWithNewOp<arith::ConstantOp>(
          read, values.lookup(read.getVariableAttr().getAttr()));
    });
    for (VariableOp variable : llvm::make_early_inc_range(module.getOps<VariableOp>()))
      rewriter.eraseOp(variable);
  }
};

} // namespace
} // namespace mlir::needle
