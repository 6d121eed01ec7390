//===- Artifact.cpp - LLVM dialect to a loadable shared library -----------===//
//
// The artifact ABI (runtime/Module.h): `void needle_entry_<name>(void **args)`
// where args point to memref descriptors, results first, then inputs, then
// variables; results are malloc'd by the callee and owned by the caller,
// which frees them with the exported needle_buffer_free.
// The wrapper adapts MLIR's `_mlir_ciface_<name>`, which takes a pointer to
// the result descriptor(s) followed by pointers to argument descriptors.
//
//===----------------------------------------------------------------------===//
#include "compiler/target/Artifact.h"
#include "compiler/target/Manifest.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"

using namespace mlir;

namespace needle {

std::vector<EntryAbi> prepareEntryAbis(ModuleOp module) {
  std::vector<EntryAbi> entries;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isExternal() || !func.isPublic())
      continue;
    EntryAbi abi;
    abi.name = func.getSymName().str();
    for (Type type : func.getResultTypes())
      abi.resultRanks.push_back(cast<ShapedType>(type).getRank());
    abi.numArguments = func.getNumArguments();
    // needle's bookkeeping attributes are in the manifest by now; LLVM would
    // only warn about them.
    for (unsigned i = 0; i < abi.numArguments; ++i)
      func.removeArgAttr(i, "needle.variable");
    func->removeAttr("needle.variables");
    func->removeAttr("needle.writes");
    func->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                  UnitAttr::get(module.getContext()));
    entries.push_back(std::move(abi));
  }
  return entries;
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createHostTargetMachine(const TargetOptions &options) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  llvm::Triple triple(llvm::sys::getDefaultTargetTriple());
  std::string error;
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return llvm::createStringError("no LLVM target for " + triple.str() + ": " + error);
  std::string cpu = options.cpu, features;
  if (cpu == "native") {
    cpu = llvm::sys::getHostCPUName().str();
    for (auto &feature : llvm::sys::getHostCPUFeatures())
      features += (features.empty() ? "" : ",") +
                  std::string(feature.second ? "+" : "-") + feature.first().str();
  } else if (cpu == "generic") {
    cpu = triple.isX86() ? "x86-64" : "generic";
  }
  llvm::CodeGenOptLevel level = options.optLevel == 0   ? llvm::CodeGenOptLevel::None
                                : options.optLevel == 1 ? llvm::CodeGenOptLevel::Less
                                : options.optLevel == 2 ? llvm::CodeGenOptLevel::Default
                                                        : llvm::CodeGenOptLevel::Aggressive;
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, cpu, features, llvm::TargetOptions(), llvm::Reloc::PIC_, std::nullopt,
      level));
  if (!machine)
    return llvm::createStringError("cannot create a target machine for CPU '" + cpu +
                                   "'");
  return machine;
}

/// Size of a memref descriptor {ptr, ptr, i64, i64[rank], i64[rank]}.
static uint64_t descriptorBytes(int64_t rank) { return 8 * (3 + 2 * rank); }

static void addEntryWrapper(llvm::Module &module, const EntryAbi &abi) {
  llvm::LLVMContext &context = module.getContext();
  llvm::Function *target = module.getFunction("_mlir_ciface_" + abi.name);
  llvm::Type *ptr = llvm::PointerType::getUnqual(context);
  auto *type = llvm::FunctionType::get(llvm::Type::getVoidTy(context), {ptr}, false);
  auto *wrapper = llvm::Function::Create(type, llvm::GlobalValue::ExternalLinkage,
                                         kEntrySymbolPrefix + abi.name, module);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(context, "entry", wrapper));
  llvm::Value *args = wrapper->getArg(0);
  auto loadArg = [&](unsigned index) {
    llvm::Value *slot = b.CreateConstInBoundsGEP1_64(ptr, args, index);
    return b.CreateLoad(ptr, slot);
  };

  size_t numResults = abi.resultRanks.size();
  SmallVector<llvm::Value *> callArgs;
  llvm::Value *resultBuffer = nullptr;
  uint64_t resultBytes = 0;
  for (int64_t rank : abi.resultRanks)
    resultBytes += descriptorBytes(rank);
  if (numResults == 1) {
    callArgs.push_back(loadArg(0));
  } else if (numResults > 1) {
    // Several results come back as one struct of descriptors; all fields are
    // 8 bytes, so descriptors sit back to back.
    resultBuffer = b.CreateAlloca(b.getInt8Ty(), b.getInt64(resultBytes));
    cast<llvm::AllocaInst>(resultBuffer)->setAlignment(llvm::Align(8));
    callArgs.push_back(resultBuffer);
  }
  for (unsigned i = 0; i < abi.numArguments; ++i)
    callArgs.push_back(loadArg(numResults + i));
  b.CreateCall(target->getFunctionType(), target, callArgs);
  if (resultBuffer) {
    uint64_t offset = 0;
    for (auto [i, rank] : llvm::enumerate(abi.resultRanks)) {
      llvm::Value *source = b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), resultBuffer, offset);
      b.CreateMemCpy(loadArg(i), llvm::Align(8), source, llvm::Align(8),
                     descriptorBytes(rank));
      offset += descriptorBytes(rank);
    }
  }
  b.CreateRetVoid();
}

static void addManifest(llvm::Module &module, StringRef manifest) {
  llvm::Constant *text =
      llvm::ConstantDataArray::getString(module.getContext(), manifest, true);
  new llvm::GlobalVariable(module, text->getType(), /*isConstant=*/true,
                           llvm::GlobalValue::ExternalLinkage, text, kManifestSymbol);
}

FailureOr<std::unique_ptr<llvm::Module>>
buildLLVMModule(ModuleOp module, llvm::LLVMContext &context,
                llvm::TargetMachine &machine, ArrayRef<EntryAbi> entries,
                StringRef manifest, unsigned optLevel) {
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, context, "needle");
  if (!llvmModule)
    return module.emitError("translation to LLVM IR failed");
  llvmModule->setDataLayout(machine.createDataLayout());
  llvmModule->setTargetTriple(machine.getTargetTriple());

  // Only the wrappers and the manifest are exported: the rest may be inlined
  // and specialised freely.
  for (llvm::Function &function : *llvmModule)
    if (!function.isDeclaration())
      function.setLinkage(llvm::GlobalValue::InternalLinkage);
  for (const EntryAbi &abi : entries) {
    if (!llvmModule->getFunction("_mlir_ciface_" + abi.name))
      return module.emitError("lowered module lacks _mlir_ciface_") << abi.name;
    addEntryWrapper(*llvmModule, abi);
  }
  addManifest(*llvmModule, manifest);

  auto optimize = makeOptimizingTransformer(optLevel, /*sizeLevel=*/0, &machine);
  if (llvm::Error error = optimize(llvmModule.get()))
    return module.emitError("LLVM optimisation failed: ")
           << llvm::toString(std::move(error));
  return llvmModule;
}

llvm::Error emitObject(llvm::Module &module, llvm::TargetMachine &machine,
                       StringRef path) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return llvm::createStringError(ec, "cannot write '" + path + "': " + ec.message());
  llvm::legacy::PassManager pm;
  if (machine.addPassesToEmitFile(pm, os, nullptr, llvm::CodeGenFileType::ObjectFile))
    return llvm::createStringError("the target cannot emit object files");
  pm.run(module);
  os.flush();
  if (os.has_error())
    return llvm::createStringError(os.error(), "error writing '" + path + "'");
  return llvm::Error::success();
}

// Functions lowered code may call that no system library provides. Strided
// (non-contiguous) memref.copy becomes a call to memrefCopy, which upstream
// keeps in libmlir_c_runner_utils; the artifact carries its own so that it
// depends on libc and libm only. Layouts: mlir/ExecutionEngine/CRunnerUtils.h.
//
// Buffers come from _mlir_memref_to_llvm_alloc/free. Large freed blocks are
// kept in a small cache and handed out again, most recently freed first
// (still warm in cache): glibc gives a large freed block back to the kernel
// (munmap, or trimming the heap top), and the next call faults it in again
// page by page; a training step at batch 1000 on one thread spent a quarter
// of its time there. The runtime frees the outputs it adopted through the
// exported runtime::kBufferFreeSymbol, so an output block goes back to the
// cache too and the next call writes its output into warm memory. Cached
// blocks are plain malloc blocks: free() on one is also correct.
static constexpr const char *kSupportSource = R"c(
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { kSlots = 64 };
static const size_t kMinCachedBytes = (size_t)16 << 10; /* smaller: malloc's bins */
static const size_t kMaxCachedBytes = (size_t)1 << 30;
/* A stack: cache[count - 1] was freed last. */
static struct { void *block; size_t size; } cache[kSlots];
static int count;
static size_t cachedBytes;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

__attribute__((visibility("hidden")))
void *_mlir_memref_to_llvm_alloc(size_t size) {
  if (size >= kMinCachedBytes) {
    pthread_mutex_lock(&lock);
    /* The most recently freed block that fits, wasting at most 1/8. */
    for (int i = count - 1; i >= 0; --i) {
      if (cache[i].size < size || cache[i].size - size > size / 8)
        continue;
      void *block = cache[i].block;
      cachedBytes -= cache[i].size;
      memmove(&cache[i], &cache[i + 1], (size_t)(count - i - 1) * sizeof cache[0]);
      --count;
      pthread_mutex_unlock(&lock);
      return block;
    }
    pthread_mutex_unlock(&lock);
  }
  return malloc(size);
}

__attribute__((visibility("hidden")))
void _mlir_memref_to_llvm_free(void *block) {
  if (!block)
    return;
  size_t size = malloc_usable_size(block);
  if (size >= kMinCachedBytes) {
    pthread_mutex_lock(&lock);
    if (count < kSlots && cachedBytes + size <= kMaxCachedBytes) {
      cache[count].block = block;
      cache[count].size = size;
      ++count;
      cachedBytes += size;
      pthread_mutex_unlock(&lock);
      return;
    }
    pthread_mutex_unlock(&lock);
  }
  free(block);
}

/* Unloading the artifact gives the cache back to malloc. */
__attribute__((destructor)) static void releaseCache(void) {
  for (int i = 0; i < count; ++i)
    free(cache[i].block);
  count = 0;
}
typedef struct { int64_t rank; void *descriptor; } UnrankedMemRef;
typedef struct { char *allocated; char *aligned; int64_t offset; int64_t rest[]; } Descriptor;

__attribute__((visibility("hidden")))
void memrefCopy(int64_t elemSize, UnrankedMemRef *src, UnrankedMemRef *dst) {
  int64_t rank = src->rank;
  Descriptor *s = (Descriptor *)src->descriptor, *d = (Descriptor *)dst->descriptor;
  const int64_t *sizes = s->rest, *srcStrides = s->rest + rank, *dstStrides = d->rest + rank;
  char *srcBase = s->aligned + s->offset * elemSize;
  char *dstBase = d->aligned + d->offset * elemSize;
  int64_t index[rank > 0 ? rank : 1];
  for (int64_t i = 0; i < rank; ++i) {
    if (sizes[i] == 0)
      return;
    index[i] = 0;
  }
  for (;;) {
    int64_t srcOffset = 0, dstOffset = 0;
    for (int64_t i = 0; i < rank; ++i) {
      srcOffset += index[i] * srcStrides[i];
      dstOffset += index[i] * dstStrides[i];
    }
    memcpy(dstBase + dstOffset * elemSize, srcBase + srcOffset * elemSize, elemSize);
    int64_t axis = rank - 1;
    while (axis >= 0 && ++index[axis] == sizes[axis])
      index[axis--] = 0;
    if (axis < 0)
      return;
  }
}
)c";

bool usesOpenMP(const llvm::Module &module) {
  return llvm::any_of(module.functions(), [](const llvm::Function &function) {
    return function.isDeclaration() && function.getName().starts_with("__kmpc_");
  });
}

llvm::Error linkSharedLibrary(StringRef object, StringRef output, bool openmp) {
  // clang drives lld with the right crt files and libraries for this host.
  std::string clang = NEEDLE_LLVM_TOOLS_DIR "/clang";
  std::string temp = (output + ".tmp." + llvm::Twine(llvm::sys::Process::getProcessId())).str();
  SmallString<128> support;
  int supportFd;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("needle-support", "c", supportFd, support))
    return llvm::createStringError(ec, "cannot create a temporary file: " + ec.message());
  {
    llvm::raw_fd_ostream os(supportFd, /*shouldClose=*/true);
    os << kSupportSource << "void " << runtime::kBufferFreeSymbol
       << "(void *block) { _mlir_memref_to_llvm_free(block); }\n";
  }
  auto removeSupport = [&] { llvm::sys::fs::remove(support); };
  SmallVector<StringRef> argv = {clang, "-shared", "-fuse-ld=lld", "-O2", "-fPIC",
                                 "-o", temp, object, support, "-lm"};
  // LLVM's OpenMP runtime, whose ABI (__kmpc_*) the parallel regions call.
  if (openmp)
    argv.append({"-L" NEEDLE_LLVM_LIB_DIR, "-lomp"});
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(clang, argv, std::nullopt, {}, 0, 0, &message);
  removeSupport();
  if (rc != 0) {
    llvm::sys::fs::remove(temp);
    return llvm::createStringError("linking '" + output + "' failed" +
                                   (message.empty() ? "" : ": " + message) +
                                   " (exit code " + std::to_string(rc) + ")");
  }
  if (std::error_code ec = llvm::sys::fs::rename(temp, output)) {
    llvm::sys::fs::remove(temp);
    return llvm::createStringError(ec, "cannot write '" + output + "': " + ec.message());
  }
  return llvm::Error::success();
}

} // namespace needle
