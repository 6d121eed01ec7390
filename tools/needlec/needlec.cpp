//===- needlec.cpp - compile a needle model file into an artifact ---------===//
#include "compiler/Driver.h"
#include "compiler/Registration.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

namespace cl = llvm::cl;

static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.mlir>"),
                                      cl::Required);
static cl::opt<std::string> outputFile("o", cl::desc("Output file ('-' for stdout)"),
                                       cl::value_desc("file"), cl::init(""));
static cl::opt<std::string> target("target", cl::desc("Target: cpu"), cl::init("cpu"));
static cl::opt<needle::EmitStage> emit(
    "emit", cl::desc("Stop at a stage"), cl::init(needle::EmitStage::SharedLibrary),
    cl::values(
        clEnumValN(needle::EmitStage::Needle, "needle", "entry points in needle form"),
        clEnumValN(needle::EmitStage::Linalg, "linalg", "linalg on tensors"),
        clEnumValN(needle::EmitStage::LLVMMLIR, "llvm-mlir", "the LLVM dialect"),
        clEnumValN(needle::EmitStage::LLVMIR, "llvm-ir", "optimised LLVM IR"),
        clEnumValN(needle::EmitStage::Object, "obj", "an object file"),
        clEnumValN(needle::EmitStage::SharedLibrary, "so", "the artifact (default)")));
static cl::list<std::string>
    entries("entry",
            cl::desc("Entry point to build: infer, forward_train, eval_loss, train_step "
                     "(repeatable; default: infer and eval_loss where the model has "
                     "@forward and @loss, plus train_step with --optimizer)"));

static cl::opt<std::string> freeze(
    "freeze",
    cl::desc("Bake the variables of this .safetensors checkpoint in as constants "
             "(an inference-only artifact; BatchNorm folds into the Linear before it)"),
    cl::value_desc("checkpoint"), cl::init(""));

// The training step (needle's optimizers; only lr stays variable at run time).
static cl::OptionCategory trainingCategory("Training step (train_step from @loss)");
static cl::opt<std::string> optimizer("optimizer",
                                      cl::desc("sgd or adam: build train_step"),
                                      cl::cat(trainingCategory));
static cl::opt<double> lr("lr",
                          cl::desc("Initial learning rate, the variable 'lr' (0.01)"),
                          cl::init(0.01), cl::cat(trainingCategory));
static cl::opt<double> momentum("momentum", cl::desc("SGD momentum (0)"), cl::init(0.0),
                                cl::cat(trainingCategory));
static cl::opt<double> weightDecay("weight-decay",
                                   cl::desc("Weight decay of every parameter (0)"),
                                   cl::init(0.0), cl::cat(trainingCategory));
static cl::opt<double> beta1("beta1", cl::desc("Adam beta1 (0.9)"), cl::init(0.9),
                             cl::cat(trainingCategory));
static cl::opt<double> beta2("beta2", cl::desc("Adam beta2 (0.999)"), cl::init(0.999),
                             cl::cat(trainingCategory));
static cl::opt<double> eps("eps", cl::desc("Adam epsilon (1e-8)"), cl::init(1e-8),
                           cl::cat(trainingCategory));

/// The optimizer flags, or an error message naming the flag that does not
/// belong with the chosen optimizer.
static std::string optimizerFromFlags(needle::OptimizerOptions &options) {
  std::pair<const char *, const cl::Option *> sgdOnly[] = {{"--momentum", &momentum}};
  std::pair<const char *, const cl::Option *> adamOnly[] = {
      {"--beta1", &beta1}, {"--beta2", &beta2}, {"--eps", &eps}};
  std::pair<const char *, const cl::Option *> shared[] = {
      {"--lr", &lr}, {"--weight-decay", &weightDecay}};
  if (optimizer.empty()) {
    for (auto list :
         {llvm::ArrayRef(sgdOnly), llvm::ArrayRef(adamOnly), llvm::ArrayRef(shared)})
      for (auto [name, flag] : list)
        if (flag->getNumOccurrences())
          return std::string(name) + " needs --optimizer=sgd|adam";
    return "";
  }
  if (optimizer != "sgd" && optimizer != "adam")
    return "unknown optimizer '" + optimizer + "' (expected sgd or adam)";
  for (auto [name, flag] :
       optimizer == "sgd" ? llvm::ArrayRef(adamOnly) : llvm::ArrayRef(sgdOnly))
    if (flag->getNumOccurrences())
      return std::string(name) + " is not an option of --optimizer=" + optimizer;
  options = {optimizer, lr, momentum, weightDecay, beta1, beta2, eps};
  return "";
}
static cl::opt<std::string> cpu("cpu", cl::desc("native, generic, or an LLVM CPU name"),
                                cl::init("native"));
static cl::opt<unsigned> optLevel("O", cl::desc("Optimisation level 0-3 (default 3)"),
                                  cl::Prefix, cl::init(3));

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  needle::registerAllPasses();
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  mlir::registerPassManagerCLOptions();
  mlir::registerDefaultTimingManagerCLOptions();
  cl::ParseCommandLineOptions(argc, argv, "needlec: compile a needle model\n");

  if (optLevel > 3) {
    llvm::errs() << "needlec: error: -O" << optLevel << " is not a level (0-3)\n";
    return 1;
  }
  needle::OptimizerOptions optimizerOptions;
  std::string optimizerError = optimizerFromFlags(optimizerOptions);
  if (!optimizerError.empty()) {
    llvm::errs() << "needlec: error: " << optimizerError << "\n";
    return 1;
  }
  bool textStage =
      emit == needle::EmitStage::Needle || emit == needle::EmitStage::Linalg ||
      emit == needle::EmitStage::LLVMMLIR || emit == needle::EmitStage::LLVMIR;
  std::string output = outputFile;
  if (output.empty()) {
    if (!textStage) {
      llvm::errs() << "needlec: error: -o is required for --emit=obj and --emit=so\n";
      return 1;
    }
    output = "-";
  }

  mlir::DialectRegistry registry;
  needle::registerAllDialects(registry);
  mlir::registerAllToLLVMIRTranslations(registry);
  mlir::MLIRContext context(registry);
  context.loadAllAvailableDialects();

  std::string error;
  auto file = mlir::openInputFile(inputFile, &error);
  if (!file) {
    llvm::errs() << "needlec: error: " << error << "\n";
    return 1;
  }
  auto sourceMgr = std::make_shared<llvm::SourceMgr>();
  sourceMgr->AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  mlir::SourceMgrDiagnosticHandler diagnostics(*sourceMgr, &context);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(sourceMgr, &context);
  if (!module)
    return 1;

  mlir::DefaultTimingManager timing;
  mlir::applyDefaultTimingManagerCLOptions(timing);
  mlir::TimingScope rootTiming = timing.getRootScope();
  needle::CompileOptions options;
  options.target = target;
  options.codegen.cpu = cpu;
  options.codegen.optLevel = optLevel;
  options.entries.assign(entries.begin(), entries.end());
  options.optimizer = optimizerOptions;
  options.emit = emit;
  options.freezeCheckpoint = freeze;
  options.configurePassManager = [&](mlir::PassManager &pm) {
    pm.enableTiming(rootTiming);
    return mlir::applyPassManagerCLOptions(pm);
  };

  if (textStage) {
    auto out = mlir::openOutputFile(output, &error);
    if (!out) {
      llvm::errs() << "needlec: error: " << error << "\n";
      return 1;
    }
    if (mlir::failed(needle::compile(*module, options, out->os(), "")))
      return 1;
    out->keep();
    return 0;
  }
  return mlir::failed(needle::compile(*module, options, llvm::nulls(), output)) ? 1 : 0;
}
