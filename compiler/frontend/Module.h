//===- Module.h - needle's nn.Module for tracing ----------------*- C++ -*-===//
//
// A module owns variables (parameters and buffers) and child modules, both
// registered by name in construction order, like needle's and PyTorch's
// modules. The full name of a variable is its module path, as in a PyTorch
// state_dict: `0.weight`, `2.0.fn.1.running_mean`. Every variable also gets a
// global construction number: a traced model declares its variables in that
// order, which is the order needle draws their random values in.
//
// Modules are moved, not copied (a copy would duplicate variables); to use one
// module in two places, pass the same std::shared_ptr.
//
//===----------------------------------------------------------------------===//
#ifndef NEEDLE_COMPILER_FRONTEND_MODULE_H
#define NEEDLE_COMPILER_FRONTEND_MODULE_H

#include "compiler/frontend/Init.h"
#include "compiler/frontend/Tensor.h"

#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace needle::nn {

using frontend::DType;
using frontend::Tensor;

enum class VariableKind { Parameter, Buffer };

/// A module's parameter or buffer, as declared in the traced model.
struct Variable {
  /// The name within its module (`weight`).
  std::string name;
  std::vector<int64_t> shape;
  VariableKind kind;
  init::Initializer initializer;
  DType dtype;
  /// Position in construction order, over every module of the program.
  uint64_t sequence;

  int64_t numElements() const;
};

class Module;

/// Owns a module of any kind: built from a module moved in, or from a
/// shared_ptr (to use one module in two places).
class ModuleRef {
public:
  template <typename M,
            typename = std::enable_if_t<std::is_base_of_v<Module, std::decay_t<M>> &&
                                        !std::is_lvalue_reference_v<M>>>
  ModuleRef(M &&module)
      : module_(std::make_shared<std::decay_t<M>>(std::forward<M>(module))) {}
  template <typename M, typename = std::enable_if_t<std::is_base_of_v<Module, M>>>
  ModuleRef(std::shared_ptr<M> module) : module_(std::move(module)) {}

  Module &operator*() const { return *module_; }
  Module *operator->() const { return module_.get(); }
  Module *get() const { return module_.get(); }
  Tensor operator()(const Tensor &x) const;

private:
  std::shared_ptr<Module> module_;
};

/// Variables and children, shared by layers (Module) and losses (Loss).
class ModuleBase {
public:
  explicit ModuleBase(std::string kind) : kind_(std::move(kind)) {}
  ModuleBase(ModuleBase &&) = default;
  ModuleBase &operator=(ModuleBase &&) = default;
  ModuleBase(const ModuleBase &) = delete;
  ModuleBase &operator=(const ModuleBase &) = delete;
  virtual ~ModuleBase();

  /// The class name (`Linear`), which locations and diagnostics show.
  const std::string &kind() const { return kind_; }
  const std::vector<std::unique_ptr<Variable>> &variables() const { return variables_; }
  const std::vector<std::pair<std::string, ModuleRef>> &children() const {
    return children_;
  }

  /// Every variable of this module and its descendants with its full name,
  /// in state_dict order (own variables, then each child's); a module reached
  /// twice is listed once, under its first path.
  std::vector<std::pair<std::string, const Variable *>>
  namedVariables(const std::string &prefix = "") const;
  /// The number of trained values (parameters, not buffers).
  int64_t numParameters() const;
  /// Calls `visit` with this module and each descendant, parents first, with
  /// its path under `prefix`; a module reached twice is visited once.
  void walk(const std::string &prefix,
            const std::function<void(const std::string &path, const ModuleBase &)> &visit)
      const;
  /// The full name of a variable of the module at `path`.
  static std::string join(const std::string &path, const std::string &name);

protected:
  const Variable &registerParameter(std::string name, std::vector<int64_t> shape,
                                    init::Initializer initializer,
                                    DType dtype = DType::f32);
  const Variable &registerBuffer(std::string name, std::vector<int64_t> shape,
                                 init::Initializer initializer, DType dtype = DType::f32);
  Module &registerModule(std::string name, ModuleRef module);
  template <typename M, typename = std::enable_if_t<!std::is_lvalue_reference_v<M>>>
  std::decay_t<M> &registerModule(std::string name, M &&module) {
    return static_cast<std::decay_t<M> &>(
        registerModule(std::move(name), ModuleRef(std::forward<M>(module))));
  }

  /// Records a read of `variable` in the function being traced.
  Tensor read(const Variable &variable) const;

private:
  const Variable &registerVariable(std::string name, std::vector<int64_t> shape,
                                   VariableKind kind, init::Initializer initializer,
                                   DType dtype);

  std::string kind_;
  std::vector<std::unique_ptr<Variable>> variables_;
  std::vector<std::pair<std::string, ModuleRef>> children_;
};

/// A layer: one tensor in, one out.
class Module : public ModuleBase {
public:
  using ModuleBase::ModuleBase;
  /// Records `forward` with this module's path as the location of its ops.
  Tensor operator()(const Tensor &x) const;

protected:
  virtual Tensor forward(const Tensor &x) const = 0;
};

/// A loss: logits and labels in, a scalar out.
class Loss : public ModuleBase {
public:
  using ModuleBase::ModuleBase;
  Tensor operator()(const Tensor &logits, const Tensor &labels) const;

protected:
  virtual Tensor forward(const Tensor &logits, const Tensor &labels) const = 0;
};

} // namespace needle::nn

#endif // NEEDLE_COMPILER_FRONTEND_MODULE_H
