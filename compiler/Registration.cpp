//===- Registration.cpp - dialects and passes needle tools use ------------===//
#include "compiler/Registration.h"

#include "compiler/Pipelines.h"
#include "compiler/conversion/Passes.h"
#include "compiler/transforms/Passes.h"
#include "dialect/NeedleDialect.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"

namespace needle {

void registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<mlir::needle::NeedleDialect>();
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
}

void registerAllPasses() {
  mlir::registerAllPasses();
  mlir::needle::registerNeedlePasses();
  mlir::needle::registerNeedleConversionPasses();
  registerPipelines();
}

} // namespace needle
