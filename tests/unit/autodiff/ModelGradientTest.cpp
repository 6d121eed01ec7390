// The gradient of examples/mlp.mlir's @loss (Linear, BatchNorm1d in training
// form, ReLU, Linear, SoftmaxLoss) in f32, compiled by needlec, against
// PyTorch's autograd in f64 (tests/reference/gen_grad.py), with the
// variables the runtime creates from seed 0 (needle's initialisation).
#include "tests/unit/autodiff/GradientSupport.h"
#include "tests/unit/e2e/E2ESupport.h"

#include <algorithm>
#include <fstream>
#include <sstream>

using namespace needle::runtime;
using namespace needle::e2e;
using needle::autodiff_test::compileGradient;

namespace {

Tensor referenceTensor(const std::string &name) {
  return readReferenceNpy("grad/" + name);
}

TEST(ModelGradient, MlpMatchesPyTorch) {
  std::ifstream file(example("mlp.mlir"));
  std::stringstream model;
  model << file.rdbuf();
  std::string artifact = compileGradient("mlp", model.str());
  ASSERT_FALSE(artifact.empty());
  Module module = load(artifact, /*seed=*/0);

  auto outputs =
      module.call("infer", {referenceTensor("mlp_x.npy"), referenceTensor("mlp_y.npy")});
  ASSERT_TRUE(outputs.ok()) << outputs.status().message();
  std::vector<std::string> parameters;
  for (const VariableSpec &v : module.manifest().variables)
    if (v.kind == VariableKind::parameter)
      parameters.push_back(v.name);
  ASSERT_EQ(parameters.size(), 6u);
  ASSERT_EQ(outputs->size(), 1 + parameters.size());
  expectClose((*outputs)[0], referenceTensor("mlp_loss.npy"), 1e-5, 1e-6);

  // f32 against f64: elements are compared to the largest gradient element
  // (0.bias's gradient is zero up to rounding: BatchNorm removes the mean).
  std::vector<Tensor> expected;
  double scale = 0;
  for (const std::string &name : parameters) {
    expected.push_back(referenceTensor("mlp_grad_" + name + ".npy"));
    for (int64_t i = 0; i < expected.back().numElements(); ++i)
      scale = std::max(scale, std::fabs(expected.back().elementAsDouble(i)));
  }
  ASSERT_GT(scale, 0.0);
  for (size_t k = 0; k < parameters.size(); ++k) {
    SCOPED_TRACE("gradient of " + parameters[k]);
    expectClose((*outputs)[1 + k], expected[k], 1e-5, 1e-6 * scale);
  }
}

} // namespace
