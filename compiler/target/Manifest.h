//===- Manifest.h - the artifact's embedded manifest ------------*- C++ -*-===//
#ifndef NEEDLE_COMPILER_TARGET_MANIFEST_H
#define NEEDLE_COMPILER_TARGET_MANIFEST_H

#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace needle {

/// The format the runtime accepts; bump on any incompatible change.
inline constexpr int kManifestFormatVersion = 1;
inline constexpr const char *kManifestSymbol = "needle_manifest_v1";
inline constexpr const char *kEntrySymbolPrefix = "needle_entry_";
inline constexpr const char *kCompilerVersion = "0.1.0";

/// Describes the entries and variables of `module`, taken after entry points
/// are built and variables became arguments (functions carry
/// `needle.variables` / `needle.writes`), as the manifest JSON.
mlir::FailureOr<std::string> buildManifest(mlir::ModuleOp module,
                                           llvm::StringRef target,
                                           llvm::StringRef triple);

} // namespace needle

#endif // NEEDLE_COMPILER_TARGET_MANIFEST_H
