// needlec --freeze: an inference-only artifact with the checkpoint's values
// baked in and BatchNorm folded into the Linear before it, against the
// unfrozen artifact loading the same checkpoint.
#include "E2ESupport.h"

#include "runtime/SafeTensors.h"

#include <algorithm>
#include <cmath>

using namespace needle::e2e;

namespace {

Tensor randomTensor(Shape shape, uint32_t seed, double low, double high) {
  RandomState random(seed);
  Tensor tensor = *Tensor::zeros(DType::f32, shape);
  for (int64_t i = 0; i < tensor.numElements(); ++i)
    tensor.dataAs<float>()[i] = float(low + (high - low) * random.randomSample());
  return tensor;
}

/// MLPResNet trained in training form for a few batches (running statistics
/// move) with BatchNorm weights and biases away from 1 and 0, saved.
std::string trainedCheckpoint(const std::string &artifact) {
  Module module = load(artifact, 5);
  uint32_t seed = 100;
  for (const std::string &name : module.variableNames()) {
    bool bnAffine = name.find(".fn.1.") != std::string::npos ||
                    name.find(".fn.5.") != std::string::npos;
    if (bnAffine && name.find("running") == std::string::npos) {
      Shape shape = module.variable(name)->shape();
      EXPECT_TRUE(module.setVariable(name, randomTensor(shape, seed++, 0.5, 1.5)).ok());
    }
  }
  for (int64_t batch : {16, 7, 32})
    EXPECT_TRUE(module.call("forward_train", {randomTensor({batch, 784}, seed++, 0, 1)}).ok());
  std::string checkpoint = tempDir() + "/mlp_resnet_trained.safetensors";
  EXPECT_TRUE(module.saveCheckpoint(checkpoint).ok());
  return checkpoint;
}

TEST(Freeze, FoldedArtifactMatchesUnfrozenWithCheckpoint) {
  std::string artifact = compile(example("mlp_resnet.mlir"), "mlp_resnet_unfrozen");
  std::string checkpoint = trainedCheckpoint(artifact);
  std::string frozen =
      compile(example("mlp_resnet.mlir"), "mlp_resnet_frozen", "--freeze=" + checkpoint);

  Module reference = load(artifact, 0, checkpoint);
  Module folded = load(frozen);
  EXPECT_TRUE(folded.variableNames().empty());
  EXPECT_EQ(folded.entryPointNames(), std::vector<std::string>{"infer"});

  for (int64_t batch : {1, 9, 64}) {
    Tensor x = randomTensor({batch, 784}, 1000 + uint32_t(batch), 0, 1);
    auto expected = reference.call("infer", {x});
    auto actual = folded.call("infer", {x});
    ASSERT_TRUE(expected.ok() && actual.ok());
    const Tensor &e = (*expected)[0], &a = (*actual)[0];
    double scale = 0;
    for (int64_t i = 0; i < e.numElements(); ++i)
      scale = std::max(scale, std::fabs(e.elementAsDouble(i)));
    // 1e-5 relative to the output's magnitude: the fold reassociates
    // (x W) s into x (W s), which moves a few ulps.
    expectClose(a, e, 1e-5, 1e-5 * scale);
  }
}

TEST(Freeze, FoldsEveryBatchNormThatFollowsALinear) {
  std::string artifact = compile(example("mlp_resnet.mlir"), "mlp_resnet_for_ckpt");
  Module module = load(artifact, 1);
  std::string checkpoint = tempDir() + "/mlp_resnet_seed1.safetensors";
  ASSERT_TRUE(module.saveCheckpoint(checkpoint).ok());
  std::string out = tempDir() + "/frozen.mlir", log;
  ASSERT_EQ(runNeedlec(example("mlp_resnet.mlir") + " --emit=needle --freeze=" +
                           checkpoint + " -o " + out,
                       log),
            0)
      << log;
  std::ifstream in(out);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text.find("batch_norm"), std::string::npos) << text;
  EXPECT_EQ(text.find("needle.read"), std::string::npos);
  EXPECT_NE(text.find("needle.matmul"), std::string::npos);
}

TEST(Freeze, BadCheckpointsAreNamed) {
  // A checkpoint of another model: the first variable is missing.
  SafeTensors other;
  other.tensors["unrelated"] = *Tensor::zeros(DType::f32, {2});
  std::string wrong = tempDir() + "/other.safetensors";
  ASSERT_TRUE(writeSafeTensors(wrong, other).ok());
  std::string log;
  EXPECT_NE(runNeedlec(example("batchnorm1d.mlir") + " --freeze=" + wrong + " -o " +
                           tempDir() + "/bad.so",
                       log),
            0);
  EXPECT_NE(log.find("has no tensor '0.weight' to freeze the variable with"),
            std::string::npos)
      << log;

  // The right names with the wrong shape.
  SafeTensors shaped;
  for (const char *name : {"0.weight", "0.bias", "0.running_mean", "0.running_var"})
    shaped.tensors[name] = *Tensor::zeros(DType::f32, {4});
  ASSERT_TRUE(writeSafeTensors(wrong, shaped).ok());
  EXPECT_NE(runNeedlec(example("batchnorm1d.mlir") + " --freeze=" + wrong + " -o " +
                           tempDir() + "/bad.so",
                       log),
            0);
  EXPECT_NE(log.find("holds '0.weight' as 'tensor<4xf32>' but the variable is "
                     "'tensor<3xf32>'"),
            std::string::npos)
      << log;

  // A training entry cannot be frozen.
  EXPECT_NE(runNeedlec(example("batchnorm1d.mlir") + " --entry=forward_train --freeze=" +
                           wrong + " -o " + tempDir() + "/bad.so",
                       log),
            0);
  EXPECT_NE(log.find("a frozen artifact is inference-only"), std::string::npos) << log;
}

} // namespace
