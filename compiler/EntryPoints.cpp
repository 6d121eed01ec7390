//===- EntryPoints.cpp - artifact entry points from model functions -------===//
//
// A model file holds mode-agnostic functions (@forward, @loss). An artifact
// exports entry points built from them: `infer` is @forward in inference
// form; `forward_train` is @forward in training form (batch statistics,
// running statistics written back, dropout masks), built by default for
// models whose @forward has BatchNorm or Dropout. `eval_loss` is @loss in
// inference form, for validation. `train_step` is @loss in training form,
// differentiated (needle-autodiff), followed by an optimizer update of every
// parameter (needle-synthesize-train-step).
//
//===----------------------------------------------------------------------===//
#include "compiler/EntryPoints.h"
#include "compiler/transforms/Passes.h"
#include "dialect/NeedleOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/Pass/PassManager.h"

using namespace mlir;

namespace needle {

ArrayRef<EntryPointKind> knownEntryPoints() {
  static const EntryPointKind kinds[] = {
      {"infer", "forward", "infer", EntryPointKind::Default::always},
      {"forward_train", "forward", "train", EntryPointKind::Default::whenModeDependent},
      {"eval_loss", "loss", "infer", EntryPointKind::Default::always},
      {"train_step", "loss", "train", EntryPointKind::Default::never, /*trains=*/true},
  };
  return kinds;
}

std::vector<std::string> supportedEntryPoints(ModuleOp module) {
  std::vector<std::string> names;
  for (const EntryPointKind &kind : knownEntryPoints()) {
    auto source = module.lookupSymbol<func::FuncOp>(kind.source);
    if (!source)
      continue;
    bool modeDependent =
        source
            .walk([](Operation *op) {
              return isa<mlir::needle::BatchNormOp, mlir::needle::DropoutOp>(op)
                         ? WalkResult::interrupt()
                         : WalkResult::advance();
            })
            .wasInterrupted();
    if (kind.byDefault == EntryPointKind::Default::always ||
        (kind.byDefault == EntryPointKind::Default::whenModeDependent && modeDependent))
      names.push_back(kind.name);
  }
  return names;
}

// Differentiates the training-form `clone` and replaces it by the entry
// `name`: the loss, then one optimizer step.
static LogicalResult buildTrainingStep(ModuleOp module, func::FuncOp clone,
                                       StringRef name,
                                       const OptimizerOptions &optimizer) {
  // Located at the model, without the whole module printed after it.
  if (optimizer.name.empty())
    return emitError(module.getLoc())
           << "entry point '" << name << "' needs an optimizer (--optimizer=sgd|adam)";
  std::string lossName = clone.getSymName().str();
  PassManager pm(module.getContext());
  mlir::needle::NeedleAutodiffOptions autodiff;
  autodiff.funcName = lossName;
  pm.addPass(mlir::needle::createNeedleAutodiff(autodiff));
  mlir::needle::NeedleSynthesizeTrainStepOptions step;
  step.func = lossName;
  step.entry = name.str();
  step.optimizer = optimizer.name;
  step.lr = optimizer.lr;
  step.momentum = optimizer.momentum;
  step.weightDecay = optimizer.weightDecay;
  step.beta1 = optimizer.beta1;
  step.beta2 = optimizer.beta2;
  step.eps = optimizer.eps;
  pm.addPass(mlir::needle::createNeedleSynthesizeTrainStep(step));
  if (failed(pm.run(module)))
    return failure();
  clone.erase();
  return success();
}

LogicalResult buildEntryPoints(ModuleOp module, ArrayRef<std::string> entries,
                               const OptimizerOptions &optimizer) {
  MLIRContext *context = module.getContext();
  SmallVector<func::FuncOp> sources(module.getOps<func::FuncOp>());
  OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
  for (const std::string &entry : entries) {
    const EntryPointKind *kind = llvm::find_if(
        knownEntryPoints(), [&](const EntryPointKind &k) { return entry == k.name; });
    if (kind == knownEntryPoints().end()) {
      std::string known;
      for (const EntryPointKind &k : knownEntryPoints())
        known += (known.empty() ? "" : ", ") + std::string(k.name);
      return module.emitError()
             << "unknown entry point '" << entry << "' (known: " << known << ")";
    }
    auto source = module.lookupSymbol<func::FuncOp>(kind->source);
    if (!source)
      return module.emitError() << "entry point '" << entry << "' needs a function @"
                                << kind->source << " in the model";
    if (Operation *clash = module.lookupSymbol(entry))
      return clash->emitError()
             << "the model defines @" << entry << ", which is the name of an entry point";

    // A training step is built from a differentiated copy of its source.
    std::string cloneName = kind->trains ? entry + "." + kind->source : entry;
    if (Operation *clash = module.lookupSymbol(cloneName))
      return clash->emitError() << "the model defines @\"" << cloneName
                                << "\", a name needlec needs to build '" << entry << "'";
    auto clone = cast<func::FuncOp>(builder.insert(source.clone()));
    clone.setSymName(cloneName);
    clone.setPublic();
    PassManager pm(context);
    mlir::needle::NeedleSpecializeOptions options;
    options.mode = kind->mode;
    options.func = cloneName;
    pm.addPass(mlir::needle::createNeedleSpecialize(options));
    if (failed(pm.run(module)))
      return failure();
    if (kind->trains && failed(buildTrainingStep(module, clone, entry, optimizer)))
      return failure();
  }

  // The model functions are mode-agnostic and cannot be lowered as they are.
  for (func::FuncOp source : sources)
    source.erase();
  return success();
}

} // namespace needle
