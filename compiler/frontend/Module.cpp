//===- Module.cpp - needle's nn.Module for tracing ------------------------===//
#include "compiler/frontend/Module.h"
#include "compiler/frontend/Tracer.h"

#include "llvm/ADT/DenseSet.h"

#include <atomic>

namespace needle::nn {

using frontend::Tracer;

int64_t Variable::numElements() const {
  int64_t count = 1;
  for (int64_t size : shape)
    count *= size;
  return count;
}

Tensor ModuleRef::operator()(const Tensor &x) const { return (*module_)(x); }

ModuleBase::~ModuleBase() = default;

const Variable &ModuleBase::registerVariable(std::string name, std::vector<int64_t> shape,
                                             VariableKind kind,
                                             init::Initializer initializer, DType dtype) {
  // One counter for the whole program: the order modules are built in is the
  // order needle draws their random values in.
  static std::atomic<uint64_t> constructed{0};
  variables_.push_back(std::make_unique<Variable>(Variable{
      std::move(name), std::move(shape), kind, initializer, dtype, constructed++}));
  return *variables_.back();
}

const Variable &ModuleBase::registerParameter(std::string name,
                                              std::vector<int64_t> shape,
                                              init::Initializer initializer,
                                              DType dtype) {
  return registerVariable(std::move(name), std::move(shape), VariableKind::Parameter,
                          initializer, dtype);
}

const Variable &ModuleBase::registerBuffer(std::string name, std::vector<int64_t> shape,
                                           init::Initializer initializer, DType dtype) {
  return registerVariable(std::move(name), std::move(shape), VariableKind::Buffer,
                          initializer, dtype);
}

Module &ModuleBase::registerModule(std::string name, ModuleRef module) {
  children_.emplace_back(std::move(name), std::move(module));
  return *children_.back().second;
}

std::string ModuleBase::join(const std::string &path, const std::string &name) {
  return path.empty() ? name : path + "." + name;
}

static void
walkOnce(const ModuleBase &module, const std::string &path,
         llvm::DenseSet<const ModuleBase *> &seen,
         const std::function<void(const std::string &, const ModuleBase &)> &visit) {
  if (!seen.insert(&module).second)
    return;
  visit(path, module);
  for (const auto &[name, child] : module.children())
    walkOnce(*child, ModuleBase::join(path, name), seen, visit);
}

void ModuleBase::walk(
    const std::string &prefix,
    const std::function<void(const std::string &, const ModuleBase &)> &visit) const {
  llvm::DenseSet<const ModuleBase *> seen;
  walkOnce(*this, prefix, seen, visit);
}

std::vector<std::pair<std::string, const Variable *>>
ModuleBase::namedVariables(const std::string &prefix) const {
  std::vector<std::pair<std::string, const Variable *>> out;
  walk(prefix, [&](const std::string &path, const ModuleBase &module) {
    for (const auto &variable : module.variables())
      out.emplace_back(join(path, variable->name), variable.get());
  });
  return out;
}

int64_t ModuleBase::numParameters() const {
  int64_t count = 0;
  for (const auto &[name, variable] : namedVariables())
    if (variable->kind == VariableKind::Parameter)
      count += variable->numElements();
  return count;
}

Tensor ModuleBase::read(const Variable &variable) const {
  Tracer *tracer = Tracer::current();
  return tracer ? tracer->read(variable) : Tensor();
}

Tensor Module::operator()(const Tensor &x) const {
  Tracer *tracer = x.tracer() ? x.tracer() : Tracer::current();
  Tracer::LayerScope scope(tracer, *this);
  return forward(x);
}

Tensor Loss::operator()(const Tensor &logits, const Tensor &labels) const {
  Tracer *tracer = logits.tracer() ? logits.tracer() : Tracer::current();
  Tracer::LayerScope scope(tracer, *this);
  return forward(logits, labels);
}

} // namespace needle::nn
