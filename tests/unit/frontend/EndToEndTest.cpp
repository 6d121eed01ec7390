//===- EndToEndTest.cpp - traced models compile and run -------------------===//
//
// A model traced in-process with the frontend is written as a model file,
// compiled by the real needlec and run by the runtime with the variable
// values of tests/reference/gen_frontend.py, whose numpy output it matches.
//
//===----------------------------------------------------------------------===//
#include "compiler/frontend/Trace.h"
#include "tests/unit/e2e/E2ESupport.h"

#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

namespace {

using namespace needle;
using namespace needle::e2e;
namespace rt = needle::runtime;

std::string referencePath(const std::string &name) {
  return std::string(NEEDLE_SOURCE_DIR) + "/tests/reference/frontend/" + name + ".npy";
}

const std::vector<std::string> kVariables = {"1.weight",
                                             "1.bias",
                                             "2.weight",
                                             "2.bias",
                                             "4.fn.0.weight",
                                             "4.fn.0.bias",
                                             "4.fn.1.weight",
                                             "4.fn.1.bias",
                                             "4.fn.1.running_mean",
                                             "4.fn.1.running_var",
                                             "7.weight"};

/// The model of gen_frontend.py, traced on inputs of `input`'s shape and
/// compiled; the path of the artifact.
std::string traceAndCompile(const std::string &name, std::vector<int64_t> input) {
  nn::Sequential model{
      nn::Flatten(),
      nn::Linear(6, 4),
      nn::LayerNorm1d(4),
      nn::Tanh(),
      nn::Residual(nn::Sequential{nn::Linear(4, 4), nn::BatchNorm1d(4), nn::Sigmoid()}),
      nn::Dropout(0.3),
      nn::Identity(),
      nn::Linear(4, 3, /*bias=*/false)};
  nn::SoftmaxLoss loss;
  mlir::MLIRContext context;
  auto module = frontend::trace(context, model, {input}, {&loss});
  EXPECT_TRUE(module);
  if (!module)
    return "";
  std::string path = tempDir() + "/" + name + ".mlir";
  EXPECT_TRUE(
      mlir::succeeded(frontend::writeModelFile(*module, path, "traced by a test")));
  return compile(path, name);
}

void setReferenceVariables(rt::Module &module) {
  for (const std::string &name : kVariables) {
    rt::StatusOr<rt::Tensor> value = rt::readNpy(referencePath(name));
    ASSERT_TRUE(value.ok()) << value.status().message();
    rt::Status status = module.setVariable(name, *value);
    ASSERT_TRUE(status.ok()) << name << ": " << status.message();
  }
}

TEST(FrontendEndToEnd, TracedModelRunsLikeNumpy) {
  rt::Module module = load(traceAndCompile("traced_dynamic", {frontend::kDynamic, 2, 3}));
  // The artifact declares the traced variables, in construction order, then
  // the random-stream buffers of Dropout's training form (forward_train).
  std::vector<std::string> declared;
  for (const rt::VariableSpec &variable : module.manifest().variables)
    declared.push_back(variable.name);
  std::vector<std::string> expectedNames = kVariables;
  expectedNames.insert(expectedNames.end(), {"dropout.seed", "dropout.step"});
  EXPECT_EQ(declared, expectedNames);
  setReferenceVariables(module);

  rt::Tensor x = *rt::readNpy(referencePath("x"));
  rt::Tensor expected = *rt::readNpy(referencePath("infer"));
  auto out = module.call("infer", {x});
  ASSERT_TRUE(out.ok()) << out.status().message();
  expectClose((*out)[0], expected, 1e-4, 1e-5);
}

TEST(FrontendEndToEnd, StaticBatchTracesRunToo) {
  rt::Module module = load(traceAndCompile("traced_static", {5, 2, 3}));
  const rt::EntryPointSpec *infer = module.manifest().findEntryPoint("infer");
  ASSERT_TRUE(infer);
  EXPECT_EQ(infer->inputs[0].shape, (rt::Shape{5, 2, 3}));
  EXPECT_EQ(infer->outputs[0].shape, (rt::Shape{5, 3}));
  setReferenceVariables(module);
  auto out = module.call("infer", {*rt::readNpy(referencePath("x"))});
  ASSERT_TRUE(out.ok()) << out.status().message();
  expectClose((*out)[0], *rt::readNpy(referencePath("infer")), 1e-4, 1e-5);
}

} // namespace
