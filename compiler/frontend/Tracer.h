//===- Tracer.h - records needle ops into a model module --------*- C++ -*-===//
//
// The tracer owns the module being built: it declares the variables of the
// traced modules, opens one function per entry (@forward, @loss), and builds
// every op the Tensor operations ask for. Types are inferred by the dialect
// and ops are verified as they are built; a failure becomes one diagnostic at
// the location of the layer being traced (its module path) and marks the
// trace failed, after which nothing more is built or reported.
//
//===----------------------------------------------------------------------===//
#ifndef NEEDLE_COMPILER_FRONTEND_TRACER_H
#define NEEDLE_COMPILER_FRONTEND_TRACER_H

#include "compiler/frontend/Module.h"
#include "compiler/frontend/Tensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <string>
#include <vector>

namespace needle::frontend {

class Tracer {
public:
  /// Loads the dialects a traced model uses into `context`. While it lives,
  /// this tracer is the one modules read their variables from.
  explicit Tracer(mlir::MLIRContext &context);
  ~Tracer();
  Tracer(const Tracer &) = delete;
  Tracer &operator=(const Tracer &) = delete;

  /// The innermost live tracer (null outside tracing).
  static Tracer *current();

  mlir::MLIRContext &context() { return context_; }
  mlir::OpBuilder &builder() { return builder_; }
  bool failed() const { return failed_; }

  /// Declares, once, the variables of `roots` (each with the path prefix of
  /// its variable names, "" for the model) in construction order.
  void
  declareVariables(llvm::ArrayRef<std::pair<const nn::ModuleBase *, std::string>> roots);

  /// Starts function `name` with one argument per spec; returns them.
  std::vector<Tensor> beginFunction(llvm::StringRef name,
                                    llvm::ArrayRef<TensorSpec> inputs,
                                    llvm::ArrayRef<std::string> inputNames = {});
  /// Returns `results` from the open function and closes it.
  void endFunction(llvm::ArrayRef<Tensor> results);

  /// Verifies and hands over the module; null when anything failed.
  mlir::OwningOpRef<mlir::ModuleOp> finish();

  /// While alive, ops are located at `module`'s path.
  class LayerScope {
  public:
    LayerScope(Tracer *tracer, const nn::ModuleBase &module);
    ~LayerScope();

  private:
    Tracer *tracer_;
  };

  /// Reports `message` at the current layer and fails the trace (only the
  /// first failure is reported).
  void fail(const llvm::Twine &message);

  /// The tracer of `operands` (null when one is empty or the trace failed:
  /// the op must record nothing); reports empty or foreign operands of `op`.
  static Tracer *of(llvm::StringRef op, llvm::ArrayRef<Tensor> operands);

  /// Builds OpT on `operands`, result types inferred by the dialect unless
  /// given, and verifies it; null (after a diagnostic) on failure.
  template <typename OpT>
  mlir::Operation *build(mlir::ValueRange operands,
                         const typename OpT::Properties &properties = {},
                         mlir::TypeRange resultTypes = {}) {
    if (failed_ || !function_)
      return nullptr;
    llvm::SmallVector<mlir::Type> types(resultTypes);
    mlir::Location loc = location();
    if constexpr (OpT::template hasTrait<mlir::InferTypeOpInterface::Trait>()) {
      auto opaque =
          mlir::OpaqueProperties(const_cast<typename OpT::Properties *>(&properties));
      if (types.empty() && !check([&]() -> mlir::LogicalResult {
            return OpT::inferReturnTypes(&context_, loc, operands, nullptr, opaque, {},
                                         types);
          }))
        return nullptr;
    }
    mlir::Operation *op =
        OpT::create(builder_, loc, types, operands, properties).getOperation();
    if (!check([&]() -> mlir::LogicalResult {
          return mlir::verify(op, /*verifyRecursively=*/false);
        })) {
      op->erase();
      return nullptr;
    }
    return op;
  }

  /// A Tensor for result `index` of `op` (empty for a null op).
  Tensor result(mlir::Operation *op, unsigned index = 0);

  /// Records a read of `variable`, which must belong to a declared module.
  Tensor read(const nn::Variable &variable);
  /// The size of `axis` of `value` (tensor.dim for a dynamic one, once per
  /// function).
  Dim dim(mlir::Value value, int64_t axis);

private:
  mlir::Location location();
  mlir::Value indexConstant(int64_t value);
  /// Runs `body` with its diagnostics captured; on failure reports them as
  /// one trace failure.
  bool check(llvm::function_ref<mlir::LogicalResult()> body);

  mlir::MLIRContext &context_;
  mlir::OpBuilder builder_;
  mlir::OwningOpRef<mlir::ModuleOp> module_;
  Tracer *previous_;
  bool failed_ = false;
  bool declared_ = false;

  llvm::DenseMap<const nn::ModuleBase *, std::string> paths_;
  llvm::DenseMap<const nn::Variable *, std::string> symbols_;
  std::vector<const nn::ModuleBase *> layers_;

  // The open function and what it caches.
  mlir::func::FuncOp function_;
  mlir::Operation *lastConstant_ = nullptr;
  llvm::DenseMap<int64_t, mlir::Value> indexConstants_;
  llvm::DenseMap<std::pair<mlir::Value, int64_t>, mlir::Value> dims_;
};

} // namespace needle::frontend

#endif // NEEDLE_COMPILER_FRONTEND_TRACER_H
