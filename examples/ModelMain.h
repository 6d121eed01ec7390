// The main of every zoo program: trace a model and write its model file to
// the path given as the only argument (stdout without one).
#ifndef NEEDLE_EXAMPLES_MODELMAIN_H
#define NEEDLE_EXAMPLES_MODELMAIN_H

#include "compiler/frontend/Trace.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

namespace needle::examples {

inline int writeTracedModel(int argc, char **argv, const nn::Module &model,
                            const frontend::TensorSpec &input, const nn::Loss *loss,
                            llvm::StringRef header) {
  if (argc > 2) {
    llvm::errs() << "usage: " << argv[0] << " [output.mlir]\n";
    return 2;
  }
  mlir::MLIRContext context;
  frontend::DiagnosticPrinter diagnostics(context);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      frontend::trace(context, model, input, {loss});
  if (!module)
    return 1;
  return mlir::failed(
             frontend::writeModelFile(*module, argc == 2 ? argv[1] : "-", header))
             ? 1
             : 0;
}

} // namespace needle::examples

#endif // NEEDLE_EXAMPLES_MODELMAIN_H
