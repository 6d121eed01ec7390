// BatchNorm1d end to end: the training and inference forms compiled by
// needlec, run by the runtime, against values computed independently (hand
// derived, a float64 computation here, or tests/reference/gen_batchnorm.py).
#include "E2ESupport.h"

#include <random>

namespace needle::e2e {
namespace {

/// The training form written out, returning y, the batch mean and invstd.
std::string trainingFormModel(int features, const std::string &attributes) {
  std::string body = R"mlir(
func.func @forward(%x: tensor<?xFEATURESxf32>)
    -> (tensor<?xFEATURESxf32>, tensor<FEATURESxf32>, tensor<FEATURESxf32>) {
  %w = needle.read @weight : tensor<FEATURESxf32>
  %b = needle.read @bias : tensor<FEATURESxf32>
  %m = needle.read @running_mean : tensor<FEATURESxf32>
  %v = needle.read @running_var : tensor<FEATURESxf32>
  %y, %mean, %invstd, %new_m, %new_v = needle.batch_norm_train %x, %w, %b, %m, %v ATTRIBUTES
      : tensor<?xFEATURESxf32>, tensor<FEATURESxf32>
  needle.write @running_mean, %new_m : tensor<FEATURESxf32>
  needle.write @running_var, %new_v : tensor<FEATURESxf32>
  return %y, %mean, %invstd : tensor<?xFEATURESxf32>, tensor<FEATURESxf32>, tensor<FEATURESxf32>
}
)mlir";
  body.replace(body.find("ATTRIBUTES"), 10, attributes);
  return withVariables(features, body);
}

Tensor bnReference(const std::string &name) {
  return readReferenceNpy("batchnorm/" + name + ".npy");
}

Tensor rowRange(const Tensor &x, int64_t begin, int64_t count) {
  std::vector<int64_t> indices(count);
  for (int64_t i = 0; i < count; ++i)
    indices[i] = begin + i;
  return rows(x, indices);
}

Tensor f32(const Shape &shape, const std::vector<float> &values) {
  return *Tensor::fromValues<float>(shape, values);
}

/// Sets gen_batchnorm.py's weight and bias, then runs forward_train (with
/// `outputs` results) on each of its training batches of at least `minRows`
/// rows, checking y against the reference.
void trainOnReferenceBatches(Module &module, size_t outputs, int64_t minRows) {
  ASSERT_TRUE(module.setVariable("weight", bnReference("weight")).ok());
  ASSERT_TRUE(module.setVariable("bias", bnReference("bias")).ok());
  Tensor trainX = bnReference("train_x"), trainY = bnReference("train_y"),
         sizes = bnReference("batch_sizes");
  int64_t begin = 0;
  for (int64_t step = 0; step < sizes.numElements(); ++step) {
    int64_t n = sizes.dataAs<int64_t>()[step];
    SCOPED_TRACE("step " + std::to_string(step) + ", batch of " + std::to_string(n));
    if (n >= minRows) {
      std::vector<Tensor> out = call(module, "forward_train", rowRange(trainX, begin, n));
      ASSERT_EQ(out.size(), outputs);
      expectClose(out[0], rowRange(trainY, begin, n), 1e-5, 1e-5);
    }
    begin += n;
  }
  ASSERT_EQ(begin, trainX.shape()[0]);
}

const std::vector<float> kWorkedX = {1, 2, 3, 4, 0, -1, 2, 2, 5, -3, 1, 0.5};

// The issue's worked example with unbiased_running_var, and the batch
// statistics the training form returns. By hand: column means 1, 1.25, 1.875;
// biased variances 26/4, 2.75/4, 21.1875/4; running var 0.9 + 0.1 * var * 4/3.
TEST(BatchNorm, WorkedExampleUnbiasedRunningVar) {
  Module module = load(
      compile(writeModel("bn_unbiased3", trainingFormModel(3, "{unbiased_running_var}")),
              "bn_unbiased3", "--entry=forward_train"));
  ASSERT_TRUE(module.setVariable("weight", f32({3}, {1, 2, 0.5})).ok());
  ASSERT_TRUE(module.setVariable("bias", f32({3}, {0, 1, -1})).ok());
  std::vector<Tensor> out = call(module, "forward_train", f32({4, 3}, kWorkedX));
  ASSERT_EQ(out.size(), 3u);
  expectClose(
      rows(out[0], {0, 1}),
      f32({2, 3}, {0.0f, 2.8090549f, -0.7555938f, 1.1766959f, -2.0150914f, -1.6245937f}),
      1e-6, 2e-6);
  expectClose(out[1], f32({3}, {1.0f, 1.25f, 1.875f}), 1e-7, 0);
  std::vector<float> invstd;
  for (double var : {6.5, 0.6875, 5.296875})
    invstd.push_back(float(1 / std::sqrt(var + 1e-5)));
  expectClose(out[2], f32({3}, invstd), 1e-6, 0);
  expectClose(*module.variable("running_mean"), f32({3}, {0.1f, 0.125f, 0.1875f}), 1e-6,
              0);
  expectClose(*module.variable("running_var"),
              f32({3}, {1.7666667f, 0.9916667f, 1.60625f}), 1e-6, 0);
}

// A static batch size folds the lowering's row arithmetic into constants: 4
// rows (the worked example: no rows after the 4-part sweep) and 7 rows (3
// after it), against a float64 two-pass computation for the 7 rows.
TEST(BatchNorm, StaticBatchSizes) {
  for (int64_t n : {4, 7}) {
    SCOPED_TRACE("batch of " + std::to_string(n));
    std::string name = "bn_static" + std::to_string(n), rows = std::to_string(n);
    std::string model = trainingFormModel(3, "");
    for (size_t at; (at = model.find("?x")) != std::string::npos;)
      model.replace(at, 1, rows);
    Module module = load(compile(writeModel(name, model), name, "--entry=forward_train"));
    ASSERT_TRUE(module.setVariable("weight", f32({3}, {1, 2, 0.5})).ok());
    ASSERT_TRUE(module.setVariable("bias", f32({3}, {0, 1, -1})).ok());
    std::vector<float> values(kWorkedX);
    values.insert(values.end(), {7, -2, 0, 0.5, 3, 1, -4, 9, 2});
    values.resize(n * 3);
    std::vector<Tensor> out = call(module, "forward_train", f32({n, 3}, values));
    ASSERT_EQ(out.size(), 3u);
    std::vector<float> expectedY(n * 3), expectedMean(3);
    for (int c = 0; c < 3; ++c) {
      double mean = 0, var = 0;
      for (int64_t i = 0; i < n; ++i)
        mean += values[i * 3 + c] / double(n);
      for (int64_t i = 0; i < n; ++i)
        var += (values[i * 3 + c] - mean) * (values[i * 3 + c] - mean) / double(n);
      double weight[] = {1, 2, 0.5}, bias[] = {0, 1, -1};
      for (int64_t i = 0; i < n; ++i)
        expectedY[i * 3 + c] = float(
            weight[c] * (values[i * 3 + c] - mean) / std::sqrt(var + 1e-5) + bias[c]);
      expectedMean[c] = float(mean);
    }
    if (n == 4) // the issue's worked example
      EXPECT_NEAR(expectedY[1], 2.8090549f, 1e-6);
    expectClose(out[0], f32({n, 3}, expectedY), 1e-6, 2e-6);
    expectClose(out[1], f32({3}, expectedMean), 1e-6, 1e-6);
  }
}

// Ten training steps on batches of varied sizes (1 to 1030 rows: several
// blocks of the lowering's sweep, and rows left after its 4 parts) from one
// artifact, then inference; then the running statistics travel through a
// checkpoint into a fresh module.
TEST(BatchNorm, TenTrainingStepsThenInferenceMatchReference) {
  std::string artifact = compile(writeModel("bn19", modeAgnosticModel(19)), "bn19",
                                 "--entry=forward_train --entry=infer");
  Module module = load(artifact);
  ASSERT_NO_FATAL_FAILURE(trainOnReferenceBatches(module, /*outputs=*/1, /*minRows=*/1));
  expectClose(*module.variable("running_mean"), bnReference("running_mean"), 1e-5, 1e-6);
  expectClose(*module.variable("running_var"), bnReference("running_var"), 1e-5, 1e-6);
  std::vector<Tensor> inferred = call(module, "infer", bnReference("eval_x"));
  ASSERT_EQ(inferred.size(), 1u);
  expectClose(inferred[0], bnReference("eval_y"), 1e-5, 1e-5);

  std::string checkpoint = tempDir() + "/bn19.safetensors";
  ASSERT_TRUE(module.saveCheckpoint(checkpoint).ok());
  Module restored = load(artifact, 0, checkpoint);
  for (const char *name : {"running_mean", "running_var"})
    EXPECT_TRUE(restored.variable(name)->bitwiseEquals(*module.variable(name))) << name;
  std::vector<Tensor> again = call(restored, "infer", bnReference("eval_x"));
  ASSERT_EQ(again.size(), 1u);
  EXPECT_TRUE(again[0].bitwiseEquals(inferred[0]));
}

// PyTorch's running variance (var * N / (N - 1)) over the same steps, less
// the batch of one; the reference script checks it against PyTorch.
TEST(BatchNorm, UnbiasedRunningVarMatchesReference) {
  Module module = load(compile(
      writeModel("bn19_unbiased", trainingFormModel(19, "{unbiased_running_var}")),
      "bn19_unbiased", "--entry=forward_train"));
  ASSERT_NO_FATAL_FAILURE(trainOnReferenceBatches(module, /*outputs=*/3, /*minRows=*/2));
  expectClose(*module.variable("running_mean"), bnReference("unbiased_running_mean"),
              1e-5, 1e-6);
  expectClose(*module.variable("running_var"), bnReference("unbiased_running_var"), 1e-5,
              1e-6);
}

// A batch of one is allowed in the training form: var = 0, so y = bias and
// invstd = 1 / sqrt(eps). The biased running var decays towards 0; with
// unbiased_running_var, var * N / (N - 1) is undefined (0 / 0; PyTorch
// refuses batches of one in training), so the running var keeps its value
// rather than turning NaN.
TEST(BatchNorm, BatchOfOneInTraining) {
  Tensor x = f32({1, 3}, {3, -2, 0.25});
  for (bool unbiased : {false, true}) {
    SCOPED_TRACE(unbiased ? "unbiased" : "biased");
    std::string name = unbiased ? "bn_one_unbiased" : "bn_one";
    Module module = load(compile(
        writeModel(name, trainingFormModel(3, unbiased ? "{unbiased_running_var}" : "")),
        name, "--entry=forward_train"));
    ASSERT_TRUE(module.setVariable("bias", f32({3}, {0.5, -1, 2})).ok());
    std::vector<Tensor> out = call(module, "forward_train", x);
    ASSERT_EQ(out.size(), 3u);
    EXPECT_TRUE(out[0].bitwiseEquals(f32({1, 3}, {0.5, -1, 2})));
    EXPECT_TRUE(out[1].bitwiseEquals(f32({3}, {3, -2, 0.25})));
    float invstd = float(1 / std::sqrt(double(float(1e-5))));
    expectClose(out[2], f32({3}, {invstd, invstd, invstd}), 1e-6, 0);
    expectClose(*module.variable("running_mean"), f32({3}, {0.3f, -0.2f, 0.025f}), 1e-6,
                0);
    Tensor runningVar = *module.variable("running_var");
    for (int i = 0; i < 3; ++i) {
      if (unbiased)
        EXPECT_EQ(runningVar.dataAs<float>()[i], 1.0f) << i;
      else
        EXPECT_FLOAT_EQ(runningVar.dataAs<float>()[i], 0.9f) << i;
    }
  }
}

// An empty batch estimates nothing: y is empty and the running statistics,
// which the runtime holds for later calls, keep their values (they would
// otherwise become 0 / 0 = NaN).
TEST(BatchNorm, EmptyBatchLeavesRunningStatisticsUnchanged) {
  for (bool unbiased : {false, true}) {
    SCOPED_TRACE(unbiased ? "unbiased" : "biased");
    std::string name = unbiased ? "bn_empty_unbiased" : "bn_empty";
    Module module = load(compile(
        writeModel(name, trainingFormModel(3, unbiased ? "{unbiased_running_var}" : "")),
        name, "--entry=forward_train"));
    Tensor mean = f32({3}, {0.5, -1, 2}), var = f32({3}, {1.5, 2, 0.25});
    ASSERT_TRUE(module.setVariable("running_mean", mean).ok());
    ASSERT_TRUE(module.setVariable("running_var", var).ok());
    std::vector<Tensor> out = call(module, "forward_train", *Tensor::zeros(DType::f32, {0, 3}));
    ASSERT_FALSE(out.empty());
    EXPECT_EQ(out[0].numElements(), 0);
    EXPECT_TRUE(module.variable("running_mean")->bitwiseEquals(mean));
    EXPECT_TRUE(module.variable("running_var")->bitwiseEquals(var));
  }
}

// x = 10000 + noise in f32 over 10007 rows: a plain sum of x would lose the
// noise to rounding and sum(x^2) - sum(x)^2 / N would cancel to garbage. The
// reference is a float64 two-pass computation on the same f32 values.
TEST(BatchNorm, LargeOffsetKeepsStatisticsAccurate) {
  const int features = 16;
  const int64_t n = 10007;
  Module module = load(compile(writeModel("bn_offset", trainingFormModel(features, "")),
                               "bn_offset", "--entry=forward_train"));
  std::mt19937 rng(7);
  std::normal_distribution<double> normal;
  std::vector<float> values(n * features);
  for (int64_t i = 0; i < n; ++i)
    for (int c = 0; c < features; ++c) // std from 0.05 to 2
      values[i * features + c] = float(10000.0 + (0.05 + 0.13 * c) * normal(rng));
  std::vector<Tensor> out = call(module, "forward_train", f32({n, features}, values));
  ASSERT_EQ(out.size(), 3u);

  for (int c = 0; c < features; ++c) {
    auto [mean, var] = columnMoments(values, n, features, c);
    double invstd = out[2].dataAs<float>()[c];
    double computedVar = 1 / (invstd * invstd) - 1e-5;
    EXPECT_NEAR(computedVar, var, 1e-3 * var) << "var of feature " << c;
    EXPECT_NEAR(out[1].dataAs<float>()[c], mean, 1e-3) << "mean of feature " << c;
    double worst = 0;
    for (int64_t i = 0; i < n; ++i) {
      double expected = (values[i * features + c] - mean) / std::sqrt(var + 1e-5);
      worst =
          std::max(worst, std::fabs(out[0].dataAs<float>()[i * features + c] - expected));
    }
    EXPECT_LT(worst, 1e-3) << "y of feature " << c;
  }
}

// One large deviation, then 2^20 rows of 1: x = 0, 4096, 1, 1, ... A single
// running f32 sum of d^2 would sit at 2^24 and absorb every later 1 (a tie
// rounded to even), losing 1/17 of the sum; summing blocks of rows first
// keeps it. Exact values: sum(x) = 4096 + 2^20, sum(x^2) = 2^24 + 2^20.
TEST(BatchNorm, LongBatchWithWideRangeStaysAccurate) {
  const int64_t ones = int64_t(1) << 20, n = ones + 2;
  Module module = load(compile(writeModel("bn_long", trainingFormModel(1, "")), "bn_long",
                               "--entry=forward_train"));
  std::vector<float> values(n, 1.0f);
  values[0] = 0;
  values[1] = 4096;
  std::vector<Tensor> out = call(module, "forward_train", f32({n, 1}, values));
  ASSERT_EQ(out.size(), 3u);
  double mean = (4096.0 + double(ones)) / double(n);
  double var = (16777216.0 + double(ones)) / double(n) - mean * mean;
  EXPECT_NEAR(out[1].dataAs<float>()[0], mean, 1e-6 * mean);
  double invstd = out[2].dataAs<float>()[0];
  EXPECT_NEAR(1 / (invstd * invstd) - 1e-5, var, 1e-4 * var);
}

} // namespace
} // namespace needle::e2e
