//===- EntryPoints.cpp - artifact entry points from model functions -------===//
//
// A model file holds mode-agnostic functions (@forward, @loss). An artifact
// exports entry points built from them: `infer` is @forward in inference
// form; `forward_train` is @forward in training form (batch statistics,
// running statistics written back). forward_train is built on request only
// until dropout's training form lowers (it needs a counter-based generator).
//
//===----------------------------------------------------------------------===//
#include "compiler/EntryPoints.h"
#include "compiler/transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/Pass/PassManager.h"

using namespace mlir;

namespace needle {

ArrayRef<EntryPointKind> knownEntryPoints() {
  static const EntryPointKind kinds[] = {
      {"infer", "forward", "infer", /*byDefault=*/true},
      {"forward_train", "forward", "train", /*byDefault=*/false},
  };
  return kinds;
}

std::vector<std::string> supportedEntryPoints(ModuleOp module) {
  std::vector<std::string> names;
  for (const EntryPointKind &kind : knownEntryPoints())
    if (kind.byDefault && module.lookupSymbol<func::FuncOp>(kind.source))
      names.push_back(kind.name);
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
    PassManager pm(context, func::FuncOp::getOperationName());
    mlir::needle::NeedleSpecializeOptions options;
    options.mode = kind->mode;
    pm.addPass(mlir::needle::createNeedleSpecialize(options));
    if (failed(pm.run(clone)))
      return failure();
  }

  // The model functions are mode-agnostic and cannot be lowered as they are.
  for (func::FuncOp source : sources)
    source.erase();
  return success();
}

} // namespace needle
