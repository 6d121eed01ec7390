// Compiles the gradient of a model's @loss through the real pipeline, for
// the finite-difference checks: needle-specialize{mode=train} and
// needle-autodiff{func=loss} run in process, @loss_grad is renamed @forward
// (test-only plumbing: needlec exports @forward as the `infer` entry) and
// needlec compiles the result like any model.
#pragma once

#include <string>

namespace needle::autodiff_test {

/// The gradient module of `model` (module text) as text, or "" after
/// reporting a test failure with the diagnostics.
std::string buildGradientModel(const std::string &model);

/// The artifact compiled from buildGradientModel(model), or "" after a
/// test failure.
std::string compileGradient(const std::string &name, const std::string &model);

} // namespace needle::autodiff_test
