//===- Artifact.h - LLVM dialect to a loadable shared library ---*- C++ -*-===//
#ifndef NEEDLE_COMPILER_TARGET_ARTIFACT_H
#define NEEDLE_COMPILER_TARGET_ARTIFACT_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/Module.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <string>
#include <vector>

namespace needle {

/// What the C-ABI wrapper of an entry point needs: the memref ranks of its
/// results and how many memref arguments (inputs, then variables) it takes.
struct EntryAbi {
  std::string name;
  std::vector<int64_t> resultRanks;
  unsigned numArguments = 0;
};

/// Records the ABI of every public function of `module` (still on tensors)
/// and marks it for the C interface.
std::vector<EntryAbi> prepareEntryAbis(mlir::ModuleOp module);

struct TargetOptions {
  std::string cpu = "native"; // "native" or an LLVM CPU name ("x86-64")
  unsigned optLevel = 3;
};

/// A TargetMachine for the host triple, or an error message.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createHostTargetMachine(const TargetOptions &options);

/// Translates the LLVM-dialect module, adds `needle_entry_<name>(void **)`
/// wrappers and the manifest symbol, hides everything else, and optimises.
mlir::FailureOr<std::unique_ptr<llvm::Module>>
buildLLVMModule(mlir::ModuleOp module, llvm::LLVMContext &context,
                llvm::TargetMachine &machine, llvm::ArrayRef<EntryAbi> entries,
                llvm::StringRef manifest, unsigned optLevel);

/// Writes an object file for `module`.
llvm::Error emitObject(llvm::Module &module, llvm::TargetMachine &machine,
                       llvm::StringRef path);

/// Whether `module` calls the OpenMP runtime (libomp), which the shared
/// library must then link.
bool usesOpenMP(const llvm::Module &module);

/// Links an object into a shared library at `output`, atomically: a failed
/// link leaves any existing `output` untouched.
llvm::Error linkSharedLibrary(llvm::StringRef object, llvm::StringRef output,
                              bool openmp);

} // namespace needle

#endif // NEEDLE_COMPILER_TARGET_ARTIFACT_H
