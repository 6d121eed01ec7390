// Model files compiled by the real needlec and run by the runtime; expected
// values are hand-derived or come from tests/reference/gen_e2e.py (numpy).
#include "tests/unit/e2e/E2ESupport.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

using namespace needle::runtime;
using namespace needle::e2e;

namespace {
TEST(CompileAndRun, MLPResNetInferMatchesNumpy) {
  Module module = load(compile(example("mlp_resnet.mlir"), "mlp_resnet"), 0);
  const EntryPointSpec *infer = module.manifest().findEntryPoint("infer");
  ASSERT_TRUE(infer);
  ASSERT_EQ(infer->inputs.size(), 1u);
  EXPECT_EQ(infer->inputs[0].name, "input0");
  EXPECT_EQ(infer->inputs[0].shape, (Shape{kDynamicDim, 784}));
  ASSERT_EQ(infer->outputs.size(), 1u);
  EXPECT_EQ(infer->outputs[0].name, "output0");
  EXPECT_EQ(infer->outputs[0].shape, (Shape{kDynamicDim, 10}));
  EXPECT_EQ(infer->variables.size(), 40u);
  EXPECT_TRUE(infer->writes.empty());
  StatusOr<Tensor> x = readNpy(reference("mlp_resnet_x.npy"));
  StatusOr<Tensor> expected = readNpy(reference("mlp_resnet_infer.npy"));
  ASSERT_TRUE(x.ok() && expected.ok());
  auto out = module.call("infer", {*x});
  ASSERT_TRUE(out.ok()) << out.status().message();
  ASSERT_EQ(out->size(), 1u);
  expectClose((*out)[0], *expected, 1e-4, 1e-4);
}

TEST(CompileAndRun, OneArtifactServesEveryBatchSize) {
  Module module = load(compile(example("mlp_resnet.mlir"), "mlp_resnet_batch"), 0);
  Tensor x = *readNpy(reference("mlp_resnet_x.npy"));
  Tensor expected = *readNpy(reference("mlp_resnet_infer.npy"));
  for (int64_t batch : {1, 7, 256}) {
    std::vector<int64_t> pick;
    for (int64_t i = 0; i < batch; ++i)
      pick.push_back((i * 3) % 5);
    auto out = module.call("infer", {rows(x, pick)});
    ASSERT_TRUE(out.ok()) << out.status().message();
    expectClose((*out)[0], rows(expected, pick), 1e-4, 1e-4);
  }
}

TEST(CompileAndRun, BatchNormInferenceUsesRunningStatistics) {
  // Fresh running statistics (mean 0, var 1), weight 1, bias 0:
  // y = x / sqrt(1 + eps).
  Module module = load(compile(example("batchnorm1d.mlir"), "batchnorm1d"));
  Tensor x = *Tensor::fromValues<float>({4, 3}, {1, 2, 3, 4, 0, -1, 2, 2, 5, -3, 1, 0.5});
  auto out = module.call("infer", {x});
  ASSERT_TRUE(out.ok()) << out.status().message();
  std::vector<float> expected;
  for (int i = 0; i < 12; ++i)
    expected.push_back(float(x.dataAs<float>()[i] / std::sqrt(1.0 + 1e-5)));
  expectClose((*out)[0], *Tensor::fromValues<float>({4, 3}, expected), 1e-6, 1e-7);
}

// Outputs are freed through the artifact's own allocator, so a large one's
// block goes back to its cache and the next call writes into it again (warm
// in the caches, no page faults).
TEST(CompileAndRun, AFreedOutputsBlockServesTheNextCall) {
  std::string artifact = compile(example("batchnorm1d.mlir"), "batchnorm1d_reuse");
  void *library = dlopen(artifact.c_str(), RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(library, nullptr);
  EXPECT_NE(dlsym(library, kBufferFreeSymbol), nullptr);
  dlclose(library);

  Module module = load(artifact);
  Tensor x = *Tensor::zeros(DType::f32, {4096, 3}); // 48 KiB out: cached
  const void *first = nullptr;
  for (int call = 0; call < 3; ++call) {
    auto out = module.call("infer", {x});
    ASSERT_TRUE(out.ok()) << out.status().message();
    if (call == 0)
      first = (*out)[0].data();
    else
      EXPECT_EQ((*out)[0].data(), first) << "call " << call;
  }
}

// The worked example of the BatchNorm issue (needle semantics, float32, eps
// 1e-5, momentum 0.1): one training step, then inference.
TEST(CompileAndRun, BatchNormWorkedExampleTrainThenInfer) {
  std::string artifact = compile(example("batchnorm1d.mlir"), "batchnorm1d_train",
                                 "--entry=forward_train --entry=infer");
  Module module = load(artifact);
  ASSERT_TRUE(module.setVariable("0.weight", *Tensor::fromValues<float>({3}, {1, 2, 0.5})).ok());
  ASSERT_TRUE(module.setVariable("0.bias", *Tensor::fromValues<float>({3}, {0, 1, -1})).ok());
  Tensor x = *Tensor::fromValues<float>({4, 3}, {1, 2, 3, 4, 0, -1, 2, 2, 5, -3, 1, 0.5});
  const EntryPointSpec *train = module.manifest().findEntryPoint("forward_train");
  ASSERT_TRUE(train);
  EXPECT_EQ(train->writes, (std::vector<std::string>{"0.running_mean", "0.running_var"}));

  auto y = module.call("forward_train", {x});
  ASSERT_TRUE(y.ok()) << y.status().message();
  const float *rows = (*y)[0].dataAs<float>();
  std::vector<float> expectedRows = {0.0f, 2.8090549f, -0.7555938f,
                                     1.1766959f, -2.0150914f, -1.6245937f};
  for (int i = 0; i < 6; ++i)
    EXPECT_NEAR(rows[i], expectedRows[i], 2e-6) << "y element " << i;
  expectClose(*module.variable("0.running_mean"),
              *Tensor::fromValues<float>({3}, {0.1f, 0.125f, 0.1875f}), 1e-6, 1e-7);
  expectClose(*module.variable("0.running_var"),
              *Tensor::fromValues<float>({3}, {1.55f, 0.96875f, 1.4296875f}), 1e-6, 1e-7);

  auto inferred = module.call("infer", {x});
  ASSERT_TRUE(inferred.ok()) << inferred.status().message();
  const float *row0 = (*inferred)[0].dataAs<float>();
  std::vector<float> expectedRow0 = {0.7228951f, 4.8099842f, 0.1760898f};
  for (int i = 0; i < 3; ++i)
    EXPECT_NEAR(row0[i], expectedRow0[i], 2e-6) << "infer element " << i;
  // Inference changes no state.
  expectClose(*module.variable("0.running_mean"),
              *Tensor::fromValues<float>({3}, {0.1f, 0.125f, 0.1875f}), 1e-6, 1e-7);

  // The running statistics travel in checkpoints.
  std::string checkpoint = tempDir() + "/bn.safetensors";
  ASSERT_TRUE(module.saveCheckpoint(checkpoint).ok());
  Module restored = load(artifact, 0, checkpoint);
  EXPECT_TRUE(restored.variable("0.running_var")->bitwiseEquals(*module.variable("0.running_var")));
}

TEST(CompileAndRun, RefusedCallNamesTheShapesAndChangesNothing) {
  Module module = load(compile(example("mlp.mlir"), "mlp"), 3);
  Tensor before = *module.variable("0.weight");
  auto out = module.call("infer", {*Tensor::zeros(DType::f32, {2, 783})});
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("infer"), std::string::npos);
  EXPECT_NE(out.status().message().find("783"), std::string::npos);
  EXPECT_NE(out.status().message().find("784"), std::string::npos);
  Tensor after = *module.variable("0.weight");
  ASSERT_EQ(before.byteSize(), after.byteSize());
  EXPECT_EQ(0, std::memcmp(before.data(), after.data(), before.byteSize()));
}

TEST(CompileAndRun, WrittenVariablesPersistBetweenCalls) {
  // @forward adds 1 to a buffer on each call and returns its input.
  std::string model = writeModel("counter", R"mlir(
needle.variable buffer @count : tensor<2xf32> = #needle.constant<value = 1.5>
func.func @forward(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %c = needle.read @count : tensor<2xf32>
  %n = needle.add_scalar %c, 1.0 : tensor<2xf32>
  needle.write @count, %n : tensor<2xf32>
  return %x : tensor<?x3xf32>
}
)mlir");
  Module module = load(compile(model, "counter"));
  Tensor x = *Tensor::fromValues<float>({2, 3}, {1, 2, 3, 4, 5, 6});
  for (int i = 0; i < 3; ++i) {
    auto out = module.call("infer", {x});
    ASSERT_TRUE(out.ok()) << out.status().message();
    // The output is the caller's own copy, not the input buffer.
    EXPECT_NE((*out)[0].data(), x.data());
    EXPECT_EQ(0, std::memcmp((*out)[0].data(), x.data(), x.byteSize()));
  }
  Tensor count = *module.variable("count");
  EXPECT_EQ(count.dataAs<float>()[0], 4.5f);
  EXPECT_EQ(count.dataAs<float>()[1], 4.5f);

  std::string checkpoint = tempDir() + "/counter.safetensors";
  ASSERT_TRUE(module.saveCheckpoint(checkpoint).ok());
  Module resumed = load(tempDir() + "/counter.so", 0, checkpoint);
  ASSERT_TRUE(resumed.call("infer", {x}).ok());
  EXPECT_EQ(resumed.variable("count")->dataAs<float>()[0], 5.5f);
}

TEST(CompileAndRun, MalformedModelFailsWithLocation) {
  std::string model = writeModel("bad", R"mlir(
func.func @forward(%x: tensor<?x3xf32>, %y: tensor<?x4xf32>) -> tensor<?x3xf32> {
  %z = needle.add %x, %y : (tensor<?x3xf32>, tensor<?x4xf32>)
  return %z : tensor<?x3xf32>
}
)mlir");
  std::string text;
  EXPECT_NE(runNeedlec(model + " -o " + tempDir() + "/bad.so", text), 0);
  EXPECT_NE(text.find("bad.mlir:3:8: error: 'needle.add' op operand 'rhs' has shape [?, 4]"),
            std::string::npos)
      << text;
  EXPECT_NE(access((tempDir() + "/bad.so").c_str(), F_OK), 0);
}

} // namespace
