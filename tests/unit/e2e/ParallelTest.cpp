// Loops split across threads (needle-parallelize-loops): the same artifact
// run on 1, 2, 3 and 8 threads gives identical bits (each thread owns whole
// output elements and sums them in the serial order), and the results match
// a float64 computation here. Sizes straddle the split's thresholds: too
// small to split, ranges shorter than a block, threads with nothing to do.
#include "E2ESupport.h"

#include <cstring>
#include <dlfcn.h>
#include <random>

namespace needle::e2e {
namespace {

constexpr int kThreadCounts[] = {1, 2, 3, 8};

/// Column sums of an (N, C) input: a reduction split along its columns.
std::string columnSumModel(int features) {
  std::string c = std::to_string(features);
  return "func.func @forward(%x: tensor<?x" + c + "xf32>) -> tensor<" + c +
         "xf32> {\n  %s = needle.summation %x axes [0] : tensor<?x" + c +
         "xf32> -> tensor<" + c + "xf32>\n  return %s : tensor<" + c + "xf32>\n}\n";
}

std::vector<float> randomValues(int64_t count, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal(3.0f, 2.0f);
  std::vector<float> values(count);
  for (float &v : values)
    v = normal(rng);
  return values;
}

/// Whether the artifact has split loops: it then exports the thread count.
bool splitsLoops(const std::string &artifact) {
  void *library = dlopen(artifact.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library)
    return false;
  bool found = dlsym(library, kThreadCountSymbol) != nullptr;
  dlclose(library);
  return found;
}

void expectIdentical(const Tensor &actual, const Tensor &expected, const std::string &what) {
  ASSERT_EQ(actual.shape(), expected.shape()) << what;
  EXPECT_EQ(std::memcmp(actual.data(), expected.data(), actual.byteSize()), 0)
      << what << " differs from the one-thread run";
}

TEST(Parallel, BatchNormMatchesOneThreadAndFloat64) {
  const int features = 256;
  std::string artifact = compile(writeModel("parallel_bn", modeAgnosticModel(features)),
                                 "parallel_bn", "--entry=forward_train --entry=infer");
  ASSERT_TRUE(splitsLoops(artifact));
  std::vector<float> weight(features), bias(features);
  for (int c = 0; c < features; ++c) {
    weight[c] = 1.0f + float(c) / features;
    bias[c] = float(c) / 10;
  }
  // 255 rows: no split (the sweep reads fewer than 65536 elements); 300:
  // one block of 75 sweep steps, so the statistics are split by features;
  // 1030: 257 steps, 3 blocks (by features on 8 threads); 4099: 8 blocks.
  for (int64_t n : {255, 300, 1030, 4099}) {
    SCOPED_TRACE("batch of " + std::to_string(n));
    std::vector<float> values = randomValues(n * features, uint32_t(n));
    Tensor x = *Tensor::fromValues<float>({n, features}, values);
    std::vector<Tensor> first; // one thread: y, running mean, running var, infer y
    for (int threads : kThreadCounts) {
      SCOPED_TRACE(std::to_string(threads) + " threads");
      Module module = load(artifact);
      module.setThreads(threads);
      ASSERT_EQ(module.threads(), threads);
      ASSERT_TRUE(module.setVariable("weight", *Tensor::fromValues<float>({features}, weight)).ok());
      ASSERT_TRUE(module.setVariable("bias", *Tensor::fromValues<float>({features}, bias)).ok());
      std::vector<Tensor> results = call(module, "forward_train", x);
      ASSERT_EQ(results.size(), 1u);
      results.push_back(*module.variable("running_mean"));
      results.push_back(*module.variable("running_var"));
      results.push_back(call(module, "infer", x).at(0));
      if (first.empty()) {
        first = std::move(results);
        continue;
      }
      const char *names[] = {"training y", "running mean", "running var", "inference y"};
      for (size_t i = 0; i < results.size(); ++i)
        expectIdentical(results[i], first[i], names[i]);
    }

    // float64: y = w (x - mean) / sqrt(var + eps) + b; running statistics
    // after one step; inference with them.
    const float *y = first[0].dataAs<float>(), *inferred = first[3].dataAs<float>();
    for (int c = 0; c < features; ++c) {
      auto [mean, var] = columnMoments(values, n, features, c);
      double runningMean = 0.1 * mean, runningVar = 0.9 + 0.1 * var;
      EXPECT_NEAR(first[1].dataAs<float>()[c], runningMean, 1e-5 * (1 + std::fabs(runningMean)));
      EXPECT_NEAR(first[2].dataAs<float>()[c], runningVar, 1e-5 * runningVar);
      for (int64_t i = 0; i < n; i += 7) {
        double xv = values[i * features + c];
        double trained = weight[c] * (xv - mean) / std::sqrt(var + 1e-5) + bias[c];
        double eval = weight[c] * (xv - runningMean) / std::sqrt(runningVar + 1e-5) + bias[c];
        ASSERT_NEAR(y[i * features + c], trained, 1e-4 * (1 + std::fabs(trained)))
            << "training y[" << i << ", " << c << "]";
        ASSERT_NEAR(inferred[i * features + c], eval, 1e-4 * (1 + std::fabs(eval)))
            << "inference y[" << i << ", " << c << "]";
      }
    }
  }
}

TEST(Parallel, ColumnSumsMatchOneThreadAndFloat64) {
  // 40 columns: threads get 16, 16 and 8 columns (whole 16-wide vectors),
  // or nothing.
  const int features = 40;
  const int64_t n = 5000;
  std::string artifact = compile(writeModel("parallel_sums", columnSumModel(features)),
                                 "parallel_sums", "--entry=infer");
  ASSERT_TRUE(splitsLoops(artifact));
  Module module = load(artifact);
  std::vector<float> values = randomValues(n * features, 11);
  Tensor x = *Tensor::fromValues<float>({n, features}, values);
  module.setThreads(1);
  Tensor first = call(module, "infer", x).at(0);
  for (int threads : kThreadCounts) {
    module.setThreads(threads);
    expectIdentical(call(module, "infer", x).at(0), first,
                    "sums on " + std::to_string(threads) + " threads");
  }
  for (int c = 0; c < features; ++c) {
    double sum = 0;
    for (int64_t i = 0; i < n; ++i)
      sum += values[i * features + c];
    EXPECT_NEAR(first.dataAs<float>()[c], sum, 1e-5 * std::fabs(sum) + 1e-3) << "column " << c;
  }
}

TEST(Parallel, MatmulMatchesOneThreadAndFloat64) {
  // Rows split before register tiling: 1001 rows on 3 threads are 334, 334
  // and 333, each with leftover rows past its 4-row blocks.
  const int64_t n = 1001, k = 300, m = 70;
  std::string artifact = compile(
      writeModel("parallel_matmul",
                 "func.func @forward(%x: tensor<?x300xf32>, %w: tensor<300x70xf32>)"
                 " -> tensor<?x70xf32> {\n"
                 "  %y = needle.matmul %x, %w : tensor<?x300xf32>, tensor<300x70xf32>"
                 " -> tensor<?x70xf32>\n  return %y : tensor<?x70xf32>\n}\n"),
      "parallel_matmul", "--entry=infer");
  ASSERT_TRUE(splitsLoops(artifact));
  Module module = load(artifact);
  std::vector<float> xValues = randomValues(n * k, 5), wValues = randomValues(k * m, 6);
  Tensor x = *Tensor::fromValues<float>({n, k}, xValues);
  Tensor w = *Tensor::fromValues<float>({k, m}, wValues);
  auto run = [&](int threads) {
    module.setThreads(threads);
    auto out = module.call("infer", {x, w});
    EXPECT_TRUE(out.ok()) << out.status().message();
    return out.ok() ? (*out)[0] : Tensor();
  };
  Tensor first = run(1);
  for (int threads : kThreadCounts)
    expectIdentical(run(threads), first, "product on " + std::to_string(threads) + " threads");
  for (int64_t i = 0; i < n; i += 13)
    for (int64_t j = 0; j < m; ++j) {
      double expected = 0;
      for (int64_t l = 0; l < k; ++l)
        expected += double(xValues[i * k + l]) * wValues[l * m + j];
      ASSERT_NEAR(first.dataAs<float>()[i * m + j], expected, 1e-4 * (std::fabs(expected) + 100))
          << "y[" << i << ", " << j << "]";
    }
}

// The mask's Philox counter is the element's row-major index, which the
// generic computes from linalg.index: a thread's part must count from its
// first row, not from 0, or every thread would draw the first rows' mask.
TEST(Parallel, DropoutMasksMatchOneThread) {
  std::string artifact = compile(
      writeModel("parallel_dropout",
                 "func.func @forward(%x: tensor<?x512xf32>) -> tensor<?x512xf32> {\n"
                 "  %d = needle.dropout %x, 0.5 : tensor<?x512xf32>\n"
                 "  return %d : tensor<?x512xf32>\n}\n"),
      "parallel_dropout", "--entry=forward_train");
  ASSERT_TRUE(splitsLoops(artifact));
  const int64_t n = 301;
  Tensor x = *Tensor::fromValues<float>({n, 512}, std::vector<float>(n * 512, 1.0f));
  Tensor first;
  for (int threads : kThreadCounts) {
    Module module = load(artifact, /*seed=*/3);
    module.setThreads(threads);
    Tensor y = call(module, "forward_train", x).at(0);
    if (threads == 1) {
      first = y;
      continue;
    }
    expectIdentical(y, first, "mask on " + std::to_string(threads) + " threads");
  }
  // Rows differ from each other (the counter runs over the whole tensor).
  EXPECT_NE(std::memcmp(first.dataAs<float>(), first.dataAs<float>() + 200 * 512,
                        512 * sizeof(float)),
            0);
}

TEST(Parallel, ThreadCountDefaultsAndOverrides) {
  std::string artifact = compile(writeModel("parallel_threads", columnSumModel(16)),
                                 "parallel_threads", "--entry=infer");
  LoadOptions options;
  options.threads = 3;
  StatusOr<Module> module = Module::load(artifact, options);
  ASSERT_TRUE(module.ok()) << module.status().message();
  EXPECT_EQ(module->threads(), 3);
  // 0 is the default: NEEDLE_NUM_THREADS, else OMP_NUM_THREADS (its first
  // level), else every hardware thread.
  unsetenv("NEEDLE_NUM_THREADS");
  unsetenv("OMP_NUM_THREADS");
  module->setThreads(0);
  int hardware = module->threads();
  EXPECT_GE(hardware, 1);
  setenv("OMP_NUM_THREADS", "6,2", 1);
  module->setThreads(0);
  EXPECT_EQ(module->threads(), 6);
  setenv("NEEDLE_NUM_THREADS", "5", 1);
  module->setThreads(0);
  EXPECT_EQ(module->threads(), 5);
  setenv("NEEDLE_NUM_THREADS", "many", 1); // not a count: ignored
  setenv("OMP_NUM_THREADS", "0", 1);
  module->setThreads(0);
  EXPECT_EQ(module->threads(), hardware);
  unsetenv("NEEDLE_NUM_THREADS");
  unsetenv("OMP_NUM_THREADS");
  // Static and small: nothing to split, no thread count.
  std::string small = compile(
      writeModel("parallel_small", "func.func @forward(%x: tensor<4x16xf32>) -> tensor<16xf32> {\n"
                                   "  %s = needle.summation %x axes [0] : tensor<4x16xf32> -> tensor<16xf32>\n"
                                   "  return %s : tensor<16xf32>\n}\n"),
      "parallel_small", "--entry=infer");
  EXPECT_FALSE(splitsLoops(small));
}

} // namespace
} // namespace needle::e2e
