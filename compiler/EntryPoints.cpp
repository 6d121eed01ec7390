//===- EntryPoints.cpp - artifact entry points from model functions -------===//
//
// A model file holds mode-agnostic functions (@forward, @loss). An artifact
// exports entry points built from them: `infer` is @forward in inference
// form; `forward_train` is @forward in training form (batch statistics,
// running statistics written back, dropout masks), built by default for
// models whose @forward has BatchNorm or Dropout.
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
    if (kind.byDefault == EntryPointKind::Default::always || modeDependent)
      names.push_back(kind.name);
  }
  return names;
}

LogicalResult buildEntryPoints(ModuleOp module, ArrayRef<std::string> entries) {
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
      return module.emitError() << "unknown entry point '" << entry
                                << "' (known: " << known << ")";
    }
    auto source = module.lookupSymbol<func::FuncOp>(kind->source);
    if (!source)
      return module.emitError() << "entry point '" << entry << "' needs a function @"
                                << kind->source << " in the model";
    if (Operation *clash = module.lookupSymbol(entry))
      return clash->emitError() << "the model defines @" << entry
                                << ", which is the name of an entry point";

    auto clone = cast<func::FuncOp>(builder.insert(source.clone()));
    clone.setSymName(entry);
    clone.setPublic();
    PassManager pm(context);
    mlir::needle::NeedleSpecializeOptions options;
    options.mode = kind->mode;
    options.func = entry;
    pm.addPass(mlir::needle::createNeedleSpecialize(options));
    if (failed(pm.run(module)))
      return failure();
  }

  // The model functions are mode-agnostic and cannot be lowered as they are.
  for (func::FuncOp source : sources)
    source.erase();
  return success();
}

} // namespace needle
