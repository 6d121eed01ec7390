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
  /// When the entry is built without --entry (and the source function exists).
  enum class Default { always, whenModeDependent } byDefault;
};

/// Every kind needlec knows, in the order the artifact lists them.
llvm::ArrayRef<EntryPointKind> knownEntryPoints();

/// The entries built by default for `module`: those whose source function
/// exists, training forms only where the source holds BatchNorm or Dropout.
std::vector<std::string> supportedEntryPoints(mlir::ModuleOp module);

/// Replaces the model functions by the requested entry functions, each cloned
/// from its source, renamed and specialised. Fails, with a diagnostic naming
/// the entry, on an unknown entry or a missing source function.
mlir::LogicalResult buildEntryPoints(mlir::ModuleOp module,
                                     llvm::ArrayRef<std::string> entries);

} // namespace needle

#endif // NEEDLE_COMPILER_ENTRYPOINTS_H
