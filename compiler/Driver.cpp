//===- Driver.cpp - needlec's compilation, stage by stage -----------------===//
#include "compiler/Driver.h"
#include "compiler/EntryPoints.h"
#include "compiler/Pipelines.h"
#include "compiler/target/Manifest.h"
#include "dialect/NeedleOps.h"

#include "mlir/IR/Verifier.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace mlir;

namespace needle {

static LogicalResult runPipeline(ModuleOp module, const CompileOptions &options,
                                 function_ref<LogicalResult(OpPassManager &)> build) {
  PassManager pm(module.getContext());
  if (options.configurePassManager && failed(options.configurePassManager(pm)))
    return failure();
  if (failed(build(pm)))
    return failure();
  return pm.run(module);
}

LogicalResult compile(ModuleOp module, const CompileOptions &options,
                      llvm::raw_ostream &textOutput, StringRef outputPath) {
  if (options.target != "cpu")
    return module.emitError() << "target '" << options.target
                              << "' is not supported by this needlec (known: cpu)";
  std::vector<std::string> entries = options.entries;
  bool freeze = !options.freezeCheckpoint.empty();
  if (freeze && !options.optimizer.name.empty())
    return module.emitError("--freeze builds an inference-only artifact; it cannot "
                            "have a training step (--optimizer)");
  if (entries.empty())
    entries = freeze ? std::vector<std::string>{"infer"} : supportedEntryPoints(module);
  // An optimizer asks for the training step.
  if (!options.optimizer.name.empty() && !llvm::is_contained(entries, "train_step"))
    entries.push_back("train_step");
  if (entries.empty())
    return module.emitError("the model has no function an entry point is built from "
                            "(@forward for infer, @loss for eval_loss)");
  if (failed(buildEntryPoints(module, entries, options.optimizer)))
    return failure();
  if (freeze && failed(runPipeline(module, options, [&](OpPassManager &pm) {
        buildFreezePipeline(pm, options.freezeCheckpoint);
        return success();
      })))
    return failure();
  if (options.emit == EmitStage::Needle) {
    module.print(textOutput);
    return success();
  }

  if (failed(runPipeline(module, options, [](OpPassManager &pm) {
        buildNeedleToLinalgPipeline(pm);
        return success();
      })))
    return failure();
  if (options.emit == EmitStage::Linalg) {
    module.print(textOutput);
    return success();
  }

  // The manifest describes the entries as the runtime sees them: variables
  // are arguments by now. Their declarations are not needed past this point.
  auto machine = createHostTargetMachine(options.codegen);
  if (!machine)
    return module.emitError() << llvm::toString(machine.takeError());
  std::string triple = (*machine)->getTargetTriple().str();
  FailureOr<std::string> manifest = buildManifest(module, options.target, triple);
  if (failed(manifest))
    return failure();
  for (auto variable :
       llvm::make_early_inc_range(module.getOps<mlir::needle::VariableOp>()))
    variable.erase();
  std::vector<EntryAbi> abis = prepareEntryAbis(module);

  if (failed(runPipeline(module, options, buildLinalgToLLVMPipeline)))
    return failure();
  if (options.emit == EmitStage::LLVMMLIR) {
    module.print(textOutput);
    return success();
  }

  llvm::LLVMContext context;
  auto llvmModule = buildLLVMModule(module, context, **machine, abis, *manifest,
                                    options.codegen.optLevel);
  if (failed(llvmModule))
    return failure();
  if (options.emit == EmitStage::LLVMIR) {
    (*llvmModule)->print(textOutput, nullptr);
    return success();
  }

  if (options.emit == EmitStage::Object) {
    if (llvm::Error error = emitObject(**llvmModule, **machine, outputPath))
      return module.emitError() << llvm::toString(std::move(error));
    return success();
  }

  SmallString<128> object;
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile("needle", "o", object))
    return module.emitError() << "cannot create a temporary file: " << ec.message();
  llvm::Error error = emitObject(**llvmModule, **machine, object);
  if (!error)
    error = linkSharedLibrary(object, outputPath, usesOpenMP(**llvmModule));
  llvm::sys::fs::remove(object);
  if (error)
    return module.emitError() << llvm::toString(std::move(error));
  return success();
}

} // namespace needle
