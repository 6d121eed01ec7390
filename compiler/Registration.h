//===- Registration.h - dialects and passes needle tools use ----*- C++ -*-===//
#ifndef NEEDLE_COMPILER_REGISTRATION_H
#define NEEDLE_COMPILER_REGISTRATION_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace needle {
/// The needle dialect and the upstream dialects (and their interface
/// extensions) that needle's pipelines produce.
void registerAllDialects(mlir::DialectRegistry &registry);

/// needle's passes and pipelines, and the upstream passes they are built from.
void registerAllPasses();
} // namespace needle

#endif // NEEDLE_COMPILER_REGISTRATION_H
