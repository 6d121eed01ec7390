// A loaded artifact: its manifest, its entry points and the variables
// (parameters, buffers, optimizer state) that live in the runtime between
// calls and that compiled code updates in place.
//
// Artifacts are native code: loading one runs it. Load only trusted files.
//
// The calling convention (the compiler implements the other side): each entry
// point is `extern "C" void symbol(void **args)`, with one pointer per MLIR
// strided memref descriptor {allocated, aligned, offset, sizes[R],
// strides[R]}: every output, then every input, then every variable the entry
// point lists. The runtime fills input and variable descriptors (contiguous,
// row-major); the callee fills each output descriptor with a buffer from
// malloc that the runtime then owns and frees through the artifact's
// needle_buffer_free (kBufferFreeSymbol), which recycles it.
//
// A Module is not safe to call from several threads at once.
#pragma once

#include "runtime/Manifest.h"
#include "runtime/Status.h"
#include "runtime/Tensor.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace needle::runtime {

struct LoadOptions {
  /// Seeds the RandomState (as np.random.seed) that initialises every
  /// variable, in declaration order.
  uint32_t seed = 0;
  /// When set, variables come from this .safetensors checkpoint instead.
  std::string checkpoint;
  /// Threads the compiled code may use for its large loops; 0 takes
  /// NEEDLE_NUM_THREADS from the environment, else OMP_NUM_THREADS, else
  /// every hardware thread.
  int threads = 0;
};

class Module {
public:
  /// Loads the artifact at `path`, checks its manifest and symbols, and
  /// creates its variables.
  static StatusOr<Module> load(const std::string &path,
                               const LoadOptions &options = {});

  Module(Module &&) noexcept;
  Module &operator=(Module &&) noexcept;
  ~Module();

  const Manifest &manifest() const;
  /// Threads the compiled code may use (at least 1); see LoadOptions.
  int threads() const;
  void setThreads(int threads);
  std::vector<std::string> entryPointNames() const;
  /// In declaration order.
  std::vector<std::string> variableNames() const;

  /// Runs an entry point. Every input's dtype, rank and static dims are
  /// checked before the call, so a refused call changes no variable. Outputs
  /// take their run-time shapes from what the callee returned.
  StatusOr<std::vector<Tensor>> call(std::string_view entryPoint,
                                     const std::vector<Tensor> &inputs);

  /// A copy of the variable's current value.
  StatusOr<Tensor> variable(std::string_view name) const;
  /// Overwrites a variable; `value` must have its dtype and shape.
  Status setVariable(std::string_view name, const Tensor &value);
  /// Re-creates every variable from `seed`, as load() does.
  void initializeVariables(uint32_t seed);

  /// Writes every variable by name to a .safetensors file, atomically.
  Status saveCheckpoint(const std::string &path) const;
  /// Replaces every variable from a checkpoint. The checkpoint must hold
  /// exactly the module's variables with their dtypes and shapes; otherwise
  /// the error lists every mismatch and no variable changes.
  Status loadCheckpoint(const std::string &path);

private:
  struct Impl;
  explicit Module(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

} // namespace needle::runtime
