// The artifact manifest (format "needle-artifact", format_version 1): the
// JSON an artifact exports as `needle_manifest_v1`, describing its entry
// points and variables. parseManifest validates everything the runtime relies
// on, so later code can index without checking.
#pragma once

#include "runtime/Initializers.h"
#include "runtime/Status.h"
#include "runtime/Tensor.h"

#include <string>
#include <string_view>
#include <vector>

namespace needle::runtime {

inline constexpr int kManifestFormatVersion = 1;
inline constexpr char kManifestSymbol[] = "needle_manifest_v1";
/// `int32_t`, exported by artifacts with parallel loops: the number of threads
/// they may use, set before each call.
inline constexpr char kThreadCountSymbol[] = "needle_num_threads";
/// `void (void *)`, exported by CPU artifacts: frees a buffer the artifact
/// returned in an output descriptor, back into its own allocator. Without it
/// the runtime uses free().
inline constexpr char kBufferFreeSymbol[] = "needle_buffer_free";
/// A dim of this value in an entry point's shape is dynamic.
inline constexpr int64_t kDynamicDim = -1;

struct TensorSpec {
  std::string name;
  DType dtype = DType::f32;
  Shape shape; // kDynamicDim for dims known only at run time
};

struct EntryPointSpec {
  std::string name;
  std::string symbol; // the C function `void symbol(void **args)`
  std::vector<TensorSpec> inputs;
  std::vector<TensorSpec> outputs;
  /// Passed after the inputs, in this order.
  std::vector<std::string> variables;
  /// The subset of `variables` the entry point updates in place.
  std::vector<std::string> writes;
  /// Optional: what the entry does beyond its signature (e.g. a training
  /// step's optimizer and hyperparameters).
  std::string description;
  /// Optional: groups of (input index, dim) whose sizes must be equal, e.g.
  /// the batch of x and the length of the labels.
  std::vector<std::vector<std::pair<size_t, size_t>>> equalDims;
  /// Optional: (input index, class count) of integer label inputs, whose
  /// values must lie in [0, class count).
  std::vector<std::pair<size_t, int64_t>> labelBounds;
};

enum class VariableKind { parameter, buffer, optimizerState };
const char *variableKindName(VariableKind kind);

struct VariableSpec {
  std::string name;
  VariableKind kind = VariableKind::parameter;
  DType dtype = DType::f32;
  Shape shape; // always static
  InitializerSpec initializer;
};

struct Manifest {
  int formatVersion = kManifestFormatVersion;
  std::string compilerVersion;
  std::string target; // "cpu"
  std::string triple;
  std::vector<EntryPointSpec> entryPoints;
  /// In declaration order, which is also initialisation order.
  std::vector<VariableSpec> variables;

  const EntryPointSpec *findEntryPoint(std::string_view name) const;
  const VariableSpec *findVariable(std::string_view name) const;
};

/// Parses and validates manifest JSON. Errors say which entry or variable
/// is wrong and why; another format version or target is refused clearly.
StatusOr<Manifest> parseManifest(std::string_view json);

} // namespace needle::runtime
