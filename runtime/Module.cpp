#include "runtime/Module.h"

#include "runtime/MemRef.h"
#include "runtime/Random.h"
#include "runtime/SafeTensors.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <dlfcn.h>
#include <link.h>

namespace needle::runtime {

namespace {
using EntryFunction = void (*)(void **);

constexpr size_t kMaxManifestBytes = size_t(16) << 20;

std::string joinNames(const std::vector<std::string> &names) {
  std::string out;
  for (const std::string &name : names)
    out += (out.empty() ? "" : ", ") + name;
  return out.empty() ? "none" : out;
}

/// A thread count from the environment: a positive integer, optionally
/// followed by a comma and more (OpenMP's nested list: the first level
/// counts); 0 when absent or malformed.
int threadsFromEnvironment(const char *name) {
  const char *text = std::getenv(name);
  if (!text)
    return 0;
  char *end = nullptr;
  long value = std::strtol(text, &end, 10);
  if (end == text || (*end != '\0' && *end != ',') || value <= 0 || value > 4096)
    return 0;
  return int(value);
}

/// NEEDLE_NUM_THREADS, else OMP_NUM_THREADS (the knob users of OpenMP
/// libraries already set), else every hardware thread.
int defaultThreads() {
  for (const char *name : {"NEEDLE_NUM_THREADS", "OMP_NUM_THREADS"})
    if (int threads = threadsFromEnvironment(name))
      return threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

std::string dlErrorMessage() {
  const char *error = dlerror();
  return error ? error : "unknown error";
}

// The manifest symbol is untrusted text: bound the search for its NUL by the
// symbol's size when the dynamic symbol table records it.
StatusOr<std::string_view> manifestText(const char *symbol) {
  size_t bound = kMaxManifestBytes;
  Dl_info info;
  void *entryAddress = nullptr;
  if (dladdr1(symbol, &info, &entryAddress, RTLD_DL_SYMENT) && entryAddress) {
    auto *entry = static_cast<const ElfW(Sym) *>(entryAddress);
    if (entry->st_size > 0 && entry->st_size < bound)
      bound = entry->st_size;
  }
  size_t length = strnlen(symbol, bound);
  if (length == bound)
    return Status::error(std::string(kManifestSymbol) +
                         " is not a NUL-terminated string");
  return std::string_view(symbol, length);
}
} // namespace

struct Module::Impl {
  std::string path;
  /// dlclose'd with the Module; outputs hold it weakly.
  std::shared_ptr<void> library;
  BufferRelease releaseBuffer;
  Manifest manifest;
  std::vector<EntryFunction> functions; // parallel to manifest.entryPoints
  /// Per entry point, the index in `variables` of each variable it takes.
  std::vector<std::vector<size_t>> entryVariables;
  std::vector<Tensor> variables;        // parallel to manifest.variables
  int32_t *threadCount = nullptr;       // the artifact's, when it has one
  int threads = 1;

  const VariableSpec *findVariable(std::string_view name, size_t &index) const {
    for (index = 0; index < manifest.variables.size(); ++index)
      if (manifest.variables[index].name == name)
        return &manifest.variables[index];
    return nullptr;
  }

  Status unknownVariable(std::string_view name) const {
    std::vector<std::string> names;
    for (const VariableSpec &variable : manifest.variables)
      names.push_back(variable.name);
    return Status::error("no variable '" + std::string(name) +
                         "' (the module has: " + joinNames(names) + ")");
  }
};

Module::Module(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Module::Module(Module &&) noexcept = default;
Module &Module::operator=(Module &&) noexcept = default;
Module::~Module() = default;

StatusOr<Module> Module::load(const std::string &path, const LoadOptions &options) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  // Without a slash dlopen searches the library path instead of opening the file.
  std::string openPath = path.find('/') == std::string::npos ? "./" + path : path;
  dlerror();
  void *handle = dlopen(openPath.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    return Status::error("cannot load artifact '" + path + "': " + dlErrorMessage());
  impl->library = std::shared_ptr<void>(handle, &dlclose);

  auto *symbol = static_cast<const char *>(dlsym(handle, kManifestSymbol));
  if (!symbol)
    return Status::error("'" + path + "' is not a needle artifact: it exports no '" +
                         kManifestSymbol + "' symbol");
  StatusOr<std::string_view> text = manifestText(symbol);
  if (!text.ok())
    return text.status().withContext(path);
  StatusOr<Manifest> manifest = parseManifest(*text);
  if (!manifest.ok())
    return manifest.status().withContext(path);
  impl->manifest = std::move(*manifest);

  for (const EntryPointSpec &entry : impl->manifest.entryPoints) {
    void *function = dlsym(handle, entry.symbol.c_str());
    if (!function)
      return Status::error(path + ": entry point '" + entry.name +
                           "' names symbol '" + entry.symbol +
                           "', which the artifact does not export");
    impl->functions.push_back(reinterpret_cast<EntryFunction>(function));
    std::vector<size_t> &indices = impl->entryVariables.emplace_back();
    for (const std::string &name : entry.variables)
      impl->findVariable(name, indices.emplace_back()); // parseManifest checked it
  }
  impl->threadCount = static_cast<int32_t *>(dlsym(handle, kThreadCountSymbol));
  impl->releaseBuffer = {impl->library, reinterpret_cast<void (*)(void *)>(
                                            dlsym(handle, kBufferFreeSymbol))};
  // libomp reads its settings at its first parallel region. Unbound, a new
  // worker starts on the core of the thread that created it and stays there
  // for hundreds of milliseconds while both spin, so every fork-join of that
  // time costs a scheduler slice (~80 us instead of ~5 us). A setting the
  // user made is kept.
  if (impl->threadCount)
    setenv("OMP_PROC_BIND", "spread", /*overwrite=*/0);
  impl->threads = options.threads > 0 ? options.threads : defaultThreads();
  for (const VariableSpec &spec : impl->manifest.variables) {
    StatusOr<Tensor> storage = Tensor::zeros(spec.dtype, spec.shape);
    if (!storage.ok())
      return storage.status().withContext(path + ": variable '" + spec.name + "'");
    impl->variables.push_back(std::move(*storage));
  }

  Module module(std::move(impl));
  if (options.checkpoint.empty())
    module.initializeVariables(options.seed);
  else
    NEEDLE_RETURN_IF_ERROR(module.loadCheckpoint(options.checkpoint));
  return module;
}

const Manifest &Module::manifest() const { return impl_->manifest; }

int Module::threads() const { return impl_->threads; }

void Module::setThreads(int threads) {
  impl_->threads = threads > 0 ? threads : defaultThreads();
}

std::vector<std::string> Module::entryPointNames() const {
  std::vector<std::string> names;
  for (const EntryPointSpec &entry : impl_->manifest.entryPoints)
    names.push_back(entry.name);
  return names;
}

std::vector<std::string> Module::variableNames() const {
  std::vector<std::string> names;
  for (const VariableSpec &variable : impl_->manifest.variables)
    names.push_back(variable.name);
  return names;
}

StatusOr<std::vector<Tensor>> Module::call(std::string_view name,
                                           const std::vector<Tensor> &inputs) {
  const Manifest &manifest = impl_->manifest;
  size_t entryIndex = 0;
  while (entryIndex < manifest.entryPoints.size() &&
         manifest.entryPoints[entryIndex].name != name)
    ++entryIndex;
  if (entryIndex == manifest.entryPoints.size())
    return Status::error("no entry point '" + std::string(name) +
                         "' (the artifact has: " + joinNames(entryPointNames()) +
                         ")");
  const EntryPointSpec &entry = manifest.entryPoints[entryIndex];

  // Validate everything before the call: a refused call changes no variable.
  if (inputs.size() != entry.inputs.size())
    return Status::error(entry.name + ": expected " +
                         std::to_string(entry.inputs.size()) + " input(s) but got " +
                         std::to_string(inputs.size()));
  for (size_t i = 0; i < inputs.size(); ++i) {
    const TensorSpec &spec = entry.inputs[i];
    const Tensor &input = inputs[i];
    auto what = [&] {
      return entry.name + ": input " + std::to_string(i) + " ('" + spec.name + "')";
    };
    if (input.dtype() != spec.dtype)
      return Status::error(what() + " has dtype " + dtypeName(input.dtype()) +
                           " but the entry point expects " + dtypeName(spec.dtype));
    bool matches = input.rank() == spec.shape.size();
    for (size_t d = 0; matches && d < spec.shape.size(); ++d)
      matches = spec.shape[d] == kDynamicDim || spec.shape[d] == input.shape()[d];
    if (!matches)
      return Status::error(what() + " has shape " + formatShape(input.shape()) +
                           " but the entry point expects " + formatShape(spec.shape));
  }

  // Dynamic dims the compiled code assumes equal (it would read past the
  // shorter buffer otherwise).
  for (const auto &group : entry.equalDims) {
    auto [first, firstDim] = group.front();
    for (auto [input, dim] : group)
      if (inputs[input].shape()[dim] != inputs[first].shape()[firstDim])
        return Status::error(
            entry.name + ": dim " + std::to_string(dim) + " of input " +
            std::to_string(input) + " ('" + entry.inputs[input].name + "', shape " +
            formatShape(inputs[input].shape()) + ") must equal dim " +
            std::to_string(firstDim) + " of input " + std::to_string(first) + " ('" +
            entry.inputs[first].name + "', shape " + formatShape(inputs[first].shape()) +
            ")");
  }

  // Labels index the classes (needle's one_hot refuses others).
  for (auto [input, classes] : entry.labelBounds) {
    const Tensor &labels = inputs[input];
    for (int64_t i = 0; i < labels.numElements(); ++i) {
      double label = labels.elementAsDouble(i);
      if (label < 0 || label >= double(classes))
        return Status::error(entry.name + ": input " + std::to_string(input) + " ('" +
                             entry.inputs[input].name + "') holds the label " +
                             std::to_string(int64_t(label)) + " at element " +
                             std::to_string(i) + ", outside [0, " +
                             std::to_string(classes) + ") (the class count)");
    }
  }

  // Descriptors in ABI order: outputs, inputs, variables.
  const std::vector<size_t> &variableIndices = impl_->entryVariables[entryIndex];
  size_t operands = entry.outputs.size() + inputs.size() + variableIndices.size();
  std::vector<MemRefDescriptor> descriptors;
  std::vector<std::pair<const void *, size_t>> runtimeBuffers;
  descriptors.reserve(operands);
  runtimeBuffers.reserve(operands);
  for (const TensorSpec &spec : entry.outputs)
    descriptors.emplace_back(spec.shape.size());
  for (const Tensor &input : inputs) {
    descriptors.push_back(MemRefDescriptor::contiguous(
        const_cast<void *>(input.data()), input.shape()));
    runtimeBuffers.emplace_back(input.data(), input.byteSize());
  }
  for (size_t index : variableIndices) {
    Tensor &variable = impl_->variables[index];
    descriptors.push_back(MemRefDescriptor::contiguous(variable.data(), variable.shape()));
    runtimeBuffers.emplace_back(variable.data(), variable.byteSize());
  }
  // Descriptors hold their words inline: addresses are taken once none moves.
  std::vector<void *> args;
  args.reserve(operands);
  for (MemRefDescriptor &descriptor : descriptors)
    args.push_back(descriptor.address());

  // Set per call: modules loaded from the same file share the global.
  if (impl_->threadCount)
    *impl_->threadCount = impl_->threads;
  impl_->functions[entryIndex](args.data());

  OutputAdopter adopter(std::move(runtimeBuffers), impl_->releaseBuffer);
  for (size_t i = 0; i < entry.outputs.size(); ++i)
    adopter.claim(descriptors[i]);
  std::vector<Tensor> outputs;
  outputs.reserve(entry.outputs.size());
  for (size_t i = 0; i < entry.outputs.size(); ++i) {
    const TensorSpec &spec = entry.outputs[i];
    StatusOr<Tensor> output = adopter.adopt(descriptors[i], spec.dtype, spec.shape);
    if (!output.ok())
      return Status::error(entry.name + ": output " + std::to_string(i) + " ('" +
                           spec.name + "') " + output.status().message());
    outputs.push_back(std::move(*output));
  }
  return outputs;
}

StatusOr<Tensor> Module::variable(std::string_view name) const {
  size_t index;
  if (!impl_->findVariable(name, index))
    return impl_->unknownVariable(name);
  return impl_->variables[index].clone();
}

Status Module::setVariable(std::string_view name, const Tensor &value) {
  size_t index;
  const VariableSpec *spec = impl_->findVariable(name, index);
  if (!spec)
    return impl_->unknownVariable(name);
  Tensor &variable = impl_->variables[index];
  if (value.dtype() != variable.dtype() || value.shape() != variable.shape())
    return Status::error("variable '" + spec->name + "' is " +
                         variable.typeString() + " but the value is " +
                         value.typeString());
  if (variable.byteSize())
    std::memmove(variable.data(), value.data(), variable.byteSize());
  return Status();
}

void Module::initializeVariables(uint32_t seed) {
  RandomState random(seed);
  for (size_t i = 0; i < impl_->variables.size(); ++i)
    fillInitializer(impl_->variables[i], impl_->manifest.variables[i].initializer,
                    random);
}

Status Module::saveCheckpoint(const std::string &path) const {
  SafeTensors file;
  file.metadata["format"] = "needle-checkpoint";
  file.metadata["compiler_version"] = impl_->manifest.compilerVersion;
  for (size_t i = 0; i < impl_->variables.size(); ++i)
    file.tensors[impl_->manifest.variables[i].name] = impl_->variables[i];
  return writeSafeTensors(path, file);
}

Status Module::loadCheckpoint(const std::string &path) {
  NEEDLE_ASSIGN_OR_RETURN(SafeTensors file, readSafeTensors(path));
  std::vector<std::string> problems;
  for (size_t i = 0; i < impl_->variables.size(); ++i) {
    const std::string &name = impl_->manifest.variables[i].name;
    auto found = file.tensors.find(name);
    if (found == file.tensors.end()) {
      problems.push_back("missing variable '" + name + "'");
      continue;
    }
    const Tensor &variable = impl_->variables[i];
    if (found->second.dtype() != variable.dtype() ||
        found->second.shape() != variable.shape())
      problems.push_back("variable '" + name + "' is " + variable.typeString() +
                         " in the module but " + found->second.typeString() +
                         " in the checkpoint");
  }
  for (const auto &[name, tensor] : file.tensors) {
    size_t index;
    if (!impl_->findVariable(name, index))
      problems.push_back("unexpected tensor '" + name + "'");
  }
  if (!problems.empty()) {
    std::string message = "checkpoint '" + path + "' does not match the module: ";
    for (size_t i = 0; i < problems.size(); ++i)
      message += (i ? "; " : "") + problems[i];
    return Status::error(message);
  }
  for (size_t i = 0; i < impl_->variables.size(); ++i) {
    const Tensor &value = file.tensors.at(impl_->manifest.variables[i].name);
    if (value.byteSize())
      std::memcpy(impl_->variables[i].data(), value.data(), value.byteSize());
  }
  return Status();
}

} // namespace needle::runtime
