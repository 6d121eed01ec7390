//===- Tensor.h - symbolic tensors that record needle ops -------*- C++ -*-===//
//
// A Tensor stands for a value of the model being traced: every operation on
// it records the needle op that computes it (with its inferred type) instead
// of computing anything. The operations and their names follow needle's
// Tensor and ops; like needle there is no implicit broadcasting. An invalid
// operation (shapes that do not match, an axis out of range) reports a
// diagnostic naming the op, the shapes and the layer, marks the trace failed
// and returns an empty Tensor; operations on empty Tensors record nothing.
//
//===----------------------------------------------------------------------===//
#ifndef NEEDLE_COMPILER_FRONTEND_TENSOR_H
#define NEEDLE_COMPILER_FRONTEND_TENSOR_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace needle::frontend {

class Tracer;

/// A dimension whose size is known only at run time (the batch dimension).
inline constexpr int64_t kDynamic = mlir::ShapedType::kDynamic;

enum class DType { f32, f64, i32, i64 };

/// The type of a traced function's input: a shape (kDynamic where the size is
/// chosen at run time) and an element type.
struct TensorSpec {
  std::vector<int64_t> shape;
  DType dtype = DType::f32;
};

mlir::Type toElementType(mlir::MLIRContext &context, DType dtype);

/// The size of one dimension: a number, or for a dynamic dimension the
/// `index` value that holds it at run time (from `Tensor::dim`).
class Dim {
public:
  Dim(int64_t size) : size_(size) {}
  explicit Dim(mlir::Value size) : size_(kDynamic), value_(size) {}

  bool isStatic() const { return size_ != kDynamic; }
  /// The static size, or kDynamic.
  int64_t size() const { return size_; }
  /// The run-time size of a dynamic dimension (null for a static one).
  mlir::Value value() const { return value_; }

private:
  int64_t size_;
  mlir::Value value_;
};

using Shape = std::vector<Dim>;

class Tensor {
public:
  /// An empty tensor (the result of a failed operation).
  Tensor() = default;
  Tensor(Tracer *tracer, mlir::Value value) : tracer_(tracer), value_(value) {}

  bool empty() const { return !value_; }
  mlir::Value value() const { return value_; }
  Tracer *tracer() const { return tracer_; }
  mlir::RankedTensorType type() const;
  int64_t rank() const;
  /// Sizes with kDynamic for run-time sizes.
  std::vector<int64_t> staticShape() const;
  /// The size of `axis`; a dynamic one is read with tensor.dim.
  Dim dim(int64_t axis) const;
  /// needle's `x.shape`: every dimension, for broadcast_to and reshape.
  Shape shape() const;

  // needle's Tensor methods.
  Tensor matmul(const Tensor &rhs) const;
  Tensor reshape(llvm::ArrayRef<Dim> shape) const;
  Tensor broadcast_to(llvm::ArrayRef<Dim> shape) const;
  Tensor transpose(std::optional<std::pair<int64_t, int64_t>> axes = {}) const;
  Tensor sum(std::optional<std::vector<int64_t>> axes = {}) const;

private:
  Tracer *tracer_ = nullptr;
  mlir::Value value_;
};

// Element-wise arithmetic; tensors of one shape, or a tensor and a scalar.
Tensor operator+(const Tensor &lhs, const Tensor &rhs);
Tensor operator-(const Tensor &lhs, const Tensor &rhs);
Tensor operator*(const Tensor &lhs, const Tensor &rhs);
Tensor operator/(const Tensor &lhs, const Tensor &rhs);
Tensor operator+(const Tensor &x, double scalar);
Tensor operator-(const Tensor &x, double scalar);
Tensor operator*(const Tensor &x, double scalar);
Tensor operator/(const Tensor &x, double scalar);
Tensor operator+(double scalar, const Tensor &x);
Tensor operator-(double scalar, const Tensor &x);
Tensor operator*(double scalar, const Tensor &x);
/// scalar * x^-1, as needle has no reverse division op.
Tensor operator/(double scalar, const Tensor &x);
Tensor operator-(const Tensor &x);
/// needle's `**`: element-wise power with a tensor or a scalar exponent.
Tensor pow(const Tensor &base, const Tensor &exponent);
Tensor pow(const Tensor &base, double exponent);

Tensor exp(const Tensor &x);
Tensor log(const Tensor &x);
Tensor relu(const Tensor &x);
Tensor tanh(const Tensor &x);
Tensor sigmoid(const Tensor &x);

/// needle's `@`: batched matrix product.
Tensor matmul(const Tensor &lhs, const Tensor &rhs);
/// Row-major reshape; one dimension may be -1 (inferred) or dynamic.
Tensor reshape(const Tensor &x, llvm::ArrayRef<Dim> shape);
/// numpy broadcasting to `shape` (dynamic sizes from `Tensor::dim`).
Tensor broadcast_to(const Tensor &x, llvm::ArrayRef<Dim> shape);
/// Swaps two axes; by default the last two.
Tensor transpose(const Tensor &x, std::optional<std::pair<int64_t, int64_t>> axes = {});
/// Sum over `axes` (every axis when absent), removing them.
Tensor summation(const Tensor &x, std::optional<std::vector<int64_t>> axes = {});
Tensor logsumexp(const Tensor &x, std::optional<std::vector<int64_t>> axes = {});
/// Stacks tensors of one shape along a new axis.
Tensor stack(llvm::ArrayRef<Tensor> tensors, int64_t axis);
/// One tensor per index of `axis` (which must have a static size).
std::vector<Tensor> split(const Tensor &x, int64_t axis);
Tensor flip(const Tensor &x, llvm::ArrayRef<int64_t> axes);
/// Integer labels to one-hot rows of `numClasses` elements.
Tensor one_hot(const Tensor &labels, int64_t numClasses, DType dtype = DType::f32);

// The nn-level ops the modules record.
Tensor batch_norm(const Tensor &x, const Tensor &weight, const Tensor &bias,
                  const Tensor &runningMean, const Tensor &runningVar, double eps,
                  double momentum);
Tensor dropout(const Tensor &x, double p);
Tensor softmax_loss(const Tensor &logits, const Tensor &labels);

} // namespace needle::frontend

#endif // NEEDLE_COMPILER_FRONTEND_TENSOR_H
