//===- Trace.cpp - trace needle modules into model files ------------------===//
#include "compiler/frontend/Trace.h"
#include "compiler/frontend/Tracer.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

namespace needle::frontend {

mlir::OwningOpRef<mlir::ModuleOp> trace(mlir::MLIRContext &context,
                                        const nn::Module &model, const TensorSpec &input,
                                        const TraceOptions &options) {
  Tracer tracer(context);
  tracer.declareVariables({{&model, ""}, {options.loss, "loss"}});

  std::vector<Tensor> x = tracer.beginFunction("forward", {input}, {"x"});
  tracer.endFunction({model(x[0])});

  if (options.loss) {
    int64_t batch = input.shape.empty() ? kDynamic : input.shape.front();
    TensorSpec labels = options.labels.value_or(TensorSpec{{batch}, DType::i32});
    std::vector<Tensor> xy = tracer.beginFunction("loss", {input, labels}, {"x", "y"});
    tracer.endFunction({(*options.loss)(model(xy[0]), xy[1])});
  }
  return tracer.finish();
}

/// "2.0.fn.1 (BatchNorm1d)" for a layer's location, the location otherwise.
static void printLocation(mlir::Location loc, llvm::raw_ostream &os) {
  if (auto name = llvm::dyn_cast<mlir::NameLoc>(loc)) {
    os << name.getName().getValue();
    if (auto kind = llvm::dyn_cast<mlir::NameLoc>(name.getChildLoc()))
      os << " (" << kind.getName().getValue() << ")";
    return;
  }
  os << loc;
}

DiagnosticPrinter::DiagnosticPrinter(mlir::MLIRContext &context, llvm::raw_ostream &os)
    : handler_(&context, [&os](mlir::Diagnostic &diag) {
        auto print = [&os](const mlir::Diagnostic &d, llvm::StringRef severity) {
          printLocation(d.getLocation(), os);
          os << ": " << severity << ": " << d.str() << "\n";
        };
        llvm::StringRef severity =
            diag.getSeverity() == mlir::DiagnosticSeverity::Error     ? "error"
            : diag.getSeverity() == mlir::DiagnosticSeverity::Warning ? "warning"
                                                                      : "remark";
        print(diag, severity);
        for (const mlir::Diagnostic &note : diag.getNotes())
          print(note, "note");
        os.flush();
        return mlir::success();
      }) {}

void printModel(mlir::ModuleOp module, llvm::raw_ostream &os, llvm::StringRef header) {
  llvm::SmallVector<llvm::StringRef> lines;
  header.split(lines, '\n');
  for (llvm::StringRef line : lines)
    if (!line.empty() || lines.size() > 1)
      os << (line.empty() ? "//" : "// " + line.str()) << "\n";
  mlir::OpPrintingFlags flags;
  flags.enableDebugInfo(/*enable=*/true, /*prettyForm=*/false);
  module->print(os, flags);
  os << "\n";
}

mlir::LogicalResult writeModelFile(mlir::ModuleOp module, llvm::StringRef path,
                                   llvm::StringRef header) {
  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> file = mlir::openOutputFile(path, &error);
  if (!file)
    return mlir::emitError(module.getLoc()) << "cannot write " << path << ": " << error;
  printModel(module, file->os(), header);
  file->keep();
  return mlir::success();
}

} // namespace needle::frontend
