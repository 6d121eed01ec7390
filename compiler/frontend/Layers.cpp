//===- Layers.cpp - needle's nn layers ------------------------------------===//
#include "compiler/frontend/Layers.h"
#include "compiler/frontend/Tracer.h"

#include "dialect/NeedleShapes.h"

namespace needle::nn {

using frontend::kDynamic;

Linear::Linear(int64_t inFeatures, int64_t outFeatures, bool bias, DType dtype)
    : Module("Linear") {
  weight_ = &registerParameter("weight", {inFeatures, outFeatures},
                               init::kaiming_uniform(inFeatures, outFeatures), dtype);
  if (bias)
    bias_ = &registerParameter("bias", {1, outFeatures},
                               init::kaiming_uniform(outFeatures, 1), dtype);
}

Tensor Linear::forward(const Tensor &x) const {
  Tensor out = matmul(x, read(*weight_));
  if (bias_)
    out = out + read(*bias_).broadcast_to(out.shape());
  return out;
}

Tensor Flatten::forward(const Tensor &x) const {
  std::vector<int64_t> shape = x.staticShape();
  int64_t features = 1;
  for (size_t i = 1; i < shape.size(); ++i)
    features =
        shape[i] == kDynamic || features == kDynamic ? kDynamic : features * shape[i];
  return x.reshape({x.dim(0), features});
}

Tensor ReLU::forward(const Tensor &x) const { return relu(x); }
Tensor Tanh::forward(const Tensor &x) const { return tanh(x); }
Tensor Sigmoid::forward(const Tensor &x) const { return sigmoid(x); }
Tensor Identity::forward(const Tensor &x) const { return x; }

Sequential::Sequential(std::initializer_list<ModuleRef> modules)
    : Sequential(std::vector<ModuleRef>(modules)) {}

Sequential::Sequential(std::vector<ModuleRef> modules) : Module("Sequential") {
  for (ModuleRef &module : modules)
    append(std::move(module));
}

void Sequential::append(ModuleRef module) {
  registerModule(std::to_string(children().size()), std::move(module));
}

Tensor Sequential::forward(const Tensor &x) const {
  Tensor out = x;
  for (const auto &[name, module] : children())
    out = module(out);
  return out;
}

Residual::Residual(ModuleRef fn) : Module("Residual"), fn_(fn) {
  registerModule("fn", std::move(fn));
}

Tensor Residual::forward(const Tensor &x) const { return fn_(x) + x; }

BatchNorm1d::BatchNorm1d(int64_t dim, double eps, double momentum, DType dtype)
    : Module("BatchNorm1d"), eps_(eps), momentum_(momentum) {
  weight_ = &registerParameter("weight", {dim}, init::ones(), dtype);
  bias_ = &registerParameter("bias", {dim}, init::zeros(), dtype);
  runningMean_ = &registerBuffer("running_mean", {dim}, init::zeros(), dtype);
  runningVar_ = &registerBuffer("running_var", {dim}, init::ones(), dtype);
}

Tensor BatchNorm1d::forward(const Tensor &x) const {
  // Read in declaration order (argument evaluation order is unspecified).
  Tensor weight = read(*weight_);
  Tensor bias = read(*bias_);
  Tensor runningMean = read(*runningMean_);
  Tensor runningVar = read(*runningVar_);
  return batch_norm(x, weight, bias, runningMean, runningVar, eps_, momentum_);
}

LayerNorm1d::LayerNorm1d(int64_t dim, double eps, DType dtype)
    : Module("LayerNorm1d"), eps_(eps) {
  weight_ = &registerParameter("weight", {dim}, init::ones(), dtype);
  bias_ = &registerParameter("bias", {dim}, init::zeros(), dtype);
}

// needle's formulation, step by step.
Tensor LayerNorm1d::forward(const Tensor &x) const {
  std::vector<int64_t> sizes = x.staticShape();
  if (!x.empty() && (sizes.size() != 2 || sizes[1] == kDynamic)) {
    if (frontend::Tracer *tracer = frontend::Tracer::of("LayerNorm1d", {x}))
      tracer->fail("LayerNorm1d expects an operand of shape (batch, features) with "
                   "static features, got " +
                   mlir::needle::formatShape(sizes));
    return {};
  }
  frontend::Dim batch = x.dim(0);
  double features = x.empty() ? 1.0 : static_cast<double>(sizes[1]);
  frontend::Shape shape = x.shape();
  std::vector<int64_t> featureAxis{1};
  Tensor mean = x.sum(featureAxis).reshape({batch, 1}) / features;
  Tensor centered = x - mean.broadcast_to(shape);
  Tensor std =
      pow(pow(centered, 2.0).sum(featureAxis).reshape({batch, 1}) / features + eps_, 0.5);
  Tensor normed = centered / std.broadcast_to(shape);
  Tensor weight = read(*weight_).broadcast_to(shape);
  Tensor bias = read(*bias_).broadcast_to(shape);
  return weight * normed + bias;
}

Tensor Dropout::forward(const Tensor &x) const { return dropout(x, p_); }

Tensor SoftmaxLoss::forward(const Tensor &logits, const Tensor &labels) const {
  return softmax_loss(logits, labels);
}

} // namespace needle::nn
