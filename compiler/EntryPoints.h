//===- EntryPoints.h - artifact entry points from model functions -*- C++ -*-===//
#ifndef NEEDLE_COMPILER_ENTRYPOINTS_H
#define NEEDLE_COMPILER_ENTRYPOINTS_H

#include "mlir/IR/BuiltinOps.h"

#include <string>
#include <vector>

namespace needle {

/// An entry point the artifact can export: its name, the model function it is
/// built from, and the mode its BatchNorm/Dropout take.
struct EntryPointKind {
  const char *name;
  const char *source;
  const char *mode;
  /// When the entry is built without --entry (and the source function
  /// exists): always, for models with BatchNorm or Dropout, or only on
  /// request (train_step, with --optimizer).
  enum class Default { always, whenModeDependent, never } byDefault;
  /// A training step: the source's gradient and an optimizer update.
  bool trains = false;
};

/// The optimizer of the `train_step` entry, with needle's defaults. Only `lr`
/// stays variable in the artifact (the variable `lr`).
struct OptimizerOptions {
  /// "sgd" or "adam"; empty when no training step is built.
  std::string name;
  double lr = 0.01;
  double momentum = 0.0;
  double weightDecay = 0.0;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
};

/// Every kind needlec knows, in the order the artifact lists them.
llvm::ArrayRef<EntryPointKind> knownEntryPoints();

/// The entries built by default for `module`: those whose source function
/// exists, training forms only where the source holds BatchNorm or Dropout.
std::vector<std::string> supportedEntryPoints(mlir::ModuleOp module);

/// Replaces the model functions by the requested entry functions, each cloned
/// from its source, renamed and specialised; a training entry is also
/// differentiated and given `optimizer`'s update. Fails, with a diagnostic
/// naming the entry, on an unknown entry, a missing source function, or a
/// training entry without an optimizer.
mlir::LogicalResult buildEntryPoints(mlir::ModuleOp module,
                                     llvm::ArrayRef<std::string> entries,
                                     const OptimizerOptions &optimizer = {});

} // namespace needle

#endif // NEEDLE_COMPILER_ENTRYPOINTS_H
