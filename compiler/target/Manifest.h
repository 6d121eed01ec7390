//===- Manifest.h - the artifact's embedded manifest ------------*- C++ -*-===//
#ifndef NEEDLE_COMPILER_TARGET_MANIFEST_H
#define NEEDLE_COMPILER_TARGET_MANIFEST_H

#include "runtime/Manifest.h"

#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace needle {

// The manifest's format version and symbol are the runtime's
// (runtime/Manifest.h, as is the thread-count symbol): one definition of the
// artifact ABI for the side that writes it and the side that reads it.
using runtime::kManifestFormatVersion;
using runtime::kManifestSymbol;
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
