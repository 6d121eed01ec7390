//===- Driver.h - needlec's compilation, stage by stage ---------*- C++ -*-===//
#ifndef NEEDLE_COMPILER_DRIVER_H
#define NEEDLE_COMPILER_DRIVER_H

#include "compiler/EntryPoints.h"
#include "compiler/target/Artifact.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"

#include <functional>
#include <string>
#include <vector>

namespace needle {

/// Where compilation stops. Text stages print to the output stream.
enum class EmitStage { Needle, Linalg, LLVMMLIR, LLVMIR, Object, SharedLibrary };

struct CompileOptions {
  std::string target = "cpu";
  TargetOptions codegen;
  /// Empty: every entry point the model supports.
  std::vector<std::string> entries;
  /// When named, `train_step` is built too (from @loss).
  OptimizerOptions optimizer;
  EmitStage emit = EmitStage::SharedLibrary;
  /// A .safetensors checkpoint whose values are baked in as constants: the
  /// artifact is inference-only and holds no variables.
  std::string freezeCheckpoint;
  /// Applies command-line pass-manager options (IR printing, timing).
  std::function<mlir::LogicalResult(mlir::PassManager &)> configurePassManager;
};

/// Compiles a verified model module in place. Text stages are printed to
/// `textOutput`; binary stages are written to `outputPath`.
mlir::LogicalResult compile(mlir::ModuleOp module, const CompileOptions &options,
                            llvm::raw_ostream &textOutput, llvm::StringRef outputPath);

} // namespace needle

#endif // NEEDLE_COMPILER_DRIVER_H
