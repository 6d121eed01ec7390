//===- Layers.h - needle's nn layers ----------------------------*- C++ -*-===//
//
// needle's nn modules with its constructors, parameter shapes, initialisers
// and forward computations; each records the needle ops of its forward.
// BatchNorm1d and Dropout are recorded in their mode-agnostic forms: the
// compiler specialises them for training and inference.
//
//===----------------------------------------------------------------------===//
#ifndef NEEDLE_COMPILER_FRONTEND_LAYERS_H
#define NEEDLE_COMPILER_FRONTEND_LAYERS_H

#include "compiler/frontend/Module.h"

#include <initializer_list>

namespace needle::nn {

/// y = x @ weight + broadcast_to(bias, (N, out)); weight (in, out) by
/// kaiming_uniform(in, out), bias kaiming_uniform(out, 1) reshaped to
/// (1, out), created after the weight.
class Linear : public Module {
public:
  Linear(int64_t inFeatures, int64_t outFeatures, bool bias = true,
         DType dtype = DType::f32);

protected:
  Tensor forward(const Tensor &x) const override;

private:
  const Variable *weight_;
  const Variable *bias_ = nullptr;
};

/// (N, d1, d2, ...) -> (N, d1 * d2 * ...).
class Flatten : public Module {
public:
  Flatten() : Module("Flatten") {}

protected:
  Tensor forward(const Tensor &x) const override;
};

class ReLU : public Module {
public:
  ReLU() : Module("ReLU") {}

protected:
  Tensor forward(const Tensor &x) const override;
};

class Tanh : public Module {
public:
  Tanh() : Module("Tanh") {}

protected:
  Tensor forward(const Tensor &x) const override;
};

class Sigmoid : public Module {
public:
  Sigmoid() : Module("Sigmoid") {}

protected:
  Tensor forward(const Tensor &x) const override;
};

class Identity : public Module {
public:
  Identity() : Module("Identity") {}

protected:
  Tensor forward(const Tensor &x) const override;
};

/// Applies its modules in order; they are named "0", "1", ...
/// Build it with braces, Sequential{A(...), B(...)}, or from a vector: C++
/// evaluates braced elements left to right, as Python does arguments, so
/// the layers are constructed (and initialised) in needle's order.
/// (C++ reads Sequential{Sequential{...}}, one element of the same class, as
/// a move: write Sequential{ModuleRef(Sequential{...})} to nest one.)
class Sequential : public Module {
public:
  Sequential(std::initializer_list<ModuleRef> modules);
  explicit Sequential(std::vector<ModuleRef> modules);
  void append(ModuleRef module);

protected:
  Tensor forward(const Tensor &x) const override;
};

/// fn(x) + x; the wrapped module is named "fn".
class Residual : public Module {
public:
  explicit Residual(ModuleRef fn);

protected:
  Tensor forward(const Tensor &x) const override;

private:
  ModuleRef fn_;
};

/// BatchNorm1d over (N, dim): weight ones, bias zeros (parameters),
/// running_mean zeros, running_var ones (buffers), recorded as needle.batch_norm.
class BatchNorm1d : public Module {
public:
  explicit BatchNorm1d(int64_t dim, double eps = 1e-5, double momentum = 0.1,
                       DType dtype = DType::f32);

protected:
  Tensor forward(const Tensor &x) const override;

private:
  double eps_, momentum_;
  const Variable *weight_, *bias_, *runningMean_, *runningVar_;
};

/// needle's LayerNorm1d: mean and biased variance over the features of each
/// row, composed of summation/reshape/broadcast_to; weight ones and bias
/// zeros of shape (dim).
class LayerNorm1d : public Module {
public:
  explicit LayerNorm1d(int64_t dim, double eps = 1e-5, DType dtype = DType::f32);

protected:
  Tensor forward(const Tensor &x) const override;

private:
  double eps_;
  const Variable *weight_, *bias_;
};

/// Recorded as needle.dropout {p}; p in [0, 1).
class Dropout : public Module {
public:
  explicit Dropout(double p = 0.5) : Module("Dropout"), p_(p) {}

protected:
  Tensor forward(const Tensor &x) const override;

private:
  double p_;
};

/// Mean softmax cross-entropy of logits (N, K) and integer labels (N),
/// recorded as the fused needle.softmax_loss.
class SoftmaxLoss : public Loss {
public:
  SoftmaxLoss() : Loss("SoftmaxLoss") {}

protected:
  Tensor forward(const Tensor &logits, const Tensor &labels) const override;
};

/// Makes a layer of width `dim`: how needle passes `norm=nn.BatchNorm1d`.
using LayerFactory = std::function<ModuleRef(int64_t dim)>;
template <typename M> LayerFactory layer() {
  return [](int64_t dim) { return ModuleRef(M(dim)); };
}

} // namespace needle::nn

#endif // NEEDLE_COMPILER_FRONTEND_LAYERS_H
