//===- needle-opt.cpp - the needle optimizer driver -----------------------===//
//
// mlir-opt with the needle dialect and passes, plus the upstream dialects and
// passes needle's pipelines use. Lit tests drive every pass through it.
//
//===----------------------------------------------------------------------===//
#include "compiler/Registration.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  needle::registerAllDialects(registry);
  needle::registerAllPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "needle optimizer driver\n", registry));
}
