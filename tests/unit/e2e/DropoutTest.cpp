// Dropout's training form end to end: masks from the compiled Philox
// generator against tests/reference/gen_dropout.py (an independent Philox
// checked against the Random123 known answers), reproducibility from the
// seed, fresh masks every step, the inference form, and p as a keep rate.
#include "E2ESupport.h"

#include <cmath>

using namespace needle::e2e;

namespace {

std::string dropoutReference(const std::string &name) {
  return std::string(NEEDLE_SOURCE_DIR) + "/tests/reference/dropout/" + name;
}

/// The artifact of tests/reference/dropout/model.mlir: two dropouts (p 0.3,
/// then 0.5), forward_train and infer.
const std::string &twoDropoutsArtifact() {
  static const std::string artifact =
      compile(dropoutReference("model.mlir"), "two_dropouts");
  return artifact;
}

Tensor readReference(const std::string &name) {
  return readReferenceNpy("dropout/" + name);
}

/// y of one forward_train call; a failed call fails the test (and at(0)
/// throws instead of reading a result that is not there).
Tensor trainOnce(Module &module, const Tensor &x) {
  return call(module, "forward_train", x).at(0);
}

int64_t stepCounter(const Module &module) {
  return module.variable("dropout.step")->dataAs<int64_t>()[0];
}

TEST(Dropout, MasksMatchIndependentPhiloxForThreeSteps) {
  Module module = load(twoDropoutsArtifact(), /*seed=*/7);
  EXPECT_EQ(module.variable("dropout.seed")->dataAs<int64_t>()[0], 7);
  Tensor x = readReference("x.npy");
  for (int step = 0; step < 3; ++step) {
    EXPECT_EQ(stepCounter(module), step);
    Tensor y = trainOnce(module, x);
    Tensor expected = readReference("step" + std::to_string(step) + ".npy");
    EXPECT_TRUE(y.bitwiseEquals(expected)) << "step " << step;
  }
  EXPECT_EQ(stepCounter(module), 3);
}

TEST(Dropout, SameSeedSameMasksOtherSeedOtherMasks) {
  Tensor x = readReference("x.npy");
  Module a = load(twoDropoutsArtifact(), 11);
  Module b = load(twoDropoutsArtifact(), 11);
  Module c = load(twoDropoutsArtifact(), 12);
  Tensor ya = trainOnce(a, x), yb = trainOnce(b, x), yc = trainOnce(c, x);
  EXPECT_TRUE(ya.bitwiseEquals(yb));
  EXPECT_FALSE(ya.bitwiseEquals(yc));
  // The next step draws a fresh mask.
  EXPECT_FALSE(trainOnce(a, x).bitwiseEquals(ya));
}

TEST(Dropout, InferenceIsTheIdentityAndChangesNoState) {
  Module module = load(twoDropoutsArtifact(), 7);
  Tensor x = readReference("x.npy");
  auto y = module.call("infer", {x});
  ASSERT_TRUE(y.ok()) << y.status().message();
  EXPECT_TRUE((*y)[0].bitwiseEquals(x));
  EXPECT_EQ(stepCounter(module), 0);
}

TEST(Dropout, CheckpointResumesTheStream) {
  Tensor x = readReference("x.npy");
  Module module = load(twoDropoutsArtifact(), 7);
  trainOnce(module, x);
  std::string checkpoint = tempDir() + "/dropout.safetensors";
  ASSERT_TRUE(module.saveCheckpoint(checkpoint).ok());
  Tensor third = (trainOnce(module, x), trainOnce(module, x));

  // A module created with another seed takes seed and step from the file.
  Module resumed = load(twoDropoutsArtifact(), /*seed=*/99, checkpoint);
  EXPECT_TRUE(trainOnce(resumed, x).bitwiseEquals(readReference("step1.npy")));
  EXPECT_TRUE(trainOnce(resumed, x).bitwiseEquals(third));
}

/// Kept values are scaled by 1 / (1 - p); the kept fraction is 1 - p within
/// sampling error over a large tensor, and masks of one step differ between
/// rows (no index collisions).
TEST(Dropout, KeepRateAndScaleOverManyElements) {
  std::string model = writeModel("dropout_rate", R"(
func.func @forward(%x: tensor<?x1000xf32>) -> tensor<?x1000xf32> {
  %y = needle.dropout %x, 0.2 : tensor<?x1000xf32>
  return %y : tensor<?x1000xf32>
}
)");
  Module module = load(compile(model, "dropout_rate"), 3);
  const int64_t rows = 200, cols = 1000;
  Tensor x = *Tensor::fromValues<float>({rows, cols}, std::vector<float>(rows * cols, 1.0f));
  Tensor y = trainOnce(module, x);
  ASSERT_EQ(y.shape(), x.shape());
  int64_t kept = 0;
  const float scale = 1.0f / 0.8f;
  for (int64_t i = 0; i < y.numElements(); ++i) {
    float v = y.dataAs<float>()[i];
    ASSERT_TRUE(v == 0.0f || v == scale) << "element " << i << " is " << v;
    kept += v != 0.0f;
  }
  // Binomial(200000, 0.8): standard deviation ~179; allow 5 of them.
  EXPECT_NEAR(double(kept), 0.8 * rows * cols, 5 * std::sqrt(rows * cols * 0.8 * 0.2));
  int identicalRows = 0;
  for (int64_t r = 1; r < rows; ++r)
    identicalRows += std::equal(y.dataAs<float>() + (r - 1) * cols,
                                y.dataAs<float>() + r * cols, y.dataAs<float>() + r * cols);
  EXPECT_EQ(identicalRows, 0);
}

/// p = 0 keeps everything; a batch of one works.
TEST(Dropout, ZeroProbabilityAndBatchOfOne) {
  std::string model = writeModel("dropout_zero", R"(
func.func @forward(%x: tensor<?x5xf32>) -> tensor<?x5xf32> {
  %y = needle.dropout %x, 0.0 : tensor<?x5xf32>
  return %y : tensor<?x5xf32>
}
)");
  Module module = load(compile(model, "dropout_zero"));
  Tensor x = *Tensor::fromValues<float>({1, 5}, {1, -2, 3, -4, 5});
  EXPECT_TRUE(trainOnce(module, x).bitwiseEquals(x));
}

} // namespace
