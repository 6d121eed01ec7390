//===- Trace.h - trace needle modules into model files ----------*- C++ -*-===//
//
// The frontend's entry point: runs a model once on symbolic tensors and
// returns the module needlec compiles, with the model's variables, @forward(x)
// and, given a loss, @loss(x, y).
//
//   nn::Sequential model{nn::Linear(784, 100), nn::ReLU(), nn::Linear(100, 10)};
//   nn::SoftmaxLoss loss;
//   mlir::MLIRContext context;
//   auto module = frontend::trace(context, model, {{frontend::kDynamic, 784}},
//                                 {&loss});
//   frontend::writeModelFile(*module, "model.mlir", "My model.");
//
//===----------------------------------------------------------------------===//
#ifndef NEEDLE_COMPILER_FRONTEND_TRACE_H
#define NEEDLE_COMPILER_FRONTEND_TRACE_H

#include "compiler/frontend/Layers.h"
#include "compiler/frontend/Module.h"
#include "compiler/frontend/Tensor.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OwningOpRef.h"

#include "llvm/Support/raw_ostream.h"

#include <optional>

namespace needle::frontend {

struct TraceOptions {
  /// Given, @loss(x, y) = loss(model(x), y) is traced too.
  const nn::Loss *loss = nullptr;
  /// The labels of @loss; by default i32 with the input's batch dimension.
  std::optional<TensorSpec> labels;
};

/// Traces `model` on an input of `input`'s type. Null on failure, after
/// diagnostics (through `context`) that name the op, the shapes and the
/// layer's module path.
mlir::OwningOpRef<mlir::ModuleOp> trace(mlir::MLIRContext &context,
                                        const nn::Module &model, const TensorSpec &input,
                                        const TraceOptions &options = {});

/// While alive, prints each diagnostic of `context` to `os` as
/// `<layer path> (<layer kind>): error: <message>`, then its notes.
class DiagnosticPrinter {
public:
  explicit DiagnosticPrinter(mlir::MLIRContext &context,
                             llvm::raw_ostream &os = llvm::errs());

private:
  mlir::ScopedDiagnosticHandler handler_;
};

/// Prints a traced model as a model file: `header` as `//` comment lines,
/// then the module with its locations (module paths).
void printModel(mlir::ModuleOp module, llvm::raw_ostream &os, llvm::StringRef header);

/// printModel to `path` ("-" for stdout); fails with a diagnostic when the
/// file cannot be written.
mlir::LogicalResult writeModelFile(mlir::ModuleOp module, llvm::StringRef path,
                                   llvm::StringRef header);

} // namespace needle::frontend

#endif // NEEDLE_COMPILER_FRONTEND_TRACE_H
