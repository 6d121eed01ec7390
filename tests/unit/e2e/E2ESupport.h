// Shared by the end-to-end suites: compile a model with the real needlec,
// load it with the runtime, compare tensors.
#pragma once

#include "runtime/Module.h"
#include "runtime/Npy.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace needle::e2e {
using namespace needle::runtime;

/// A directory for this test program's models and artifacts, removed when
/// the program ends.
inline std::string tempDir() {
  struct Dir {
    std::string path;
    Dir() {
      char pattern[] = "/tmp/needle-e2e-XXXXXX";
      const char *made = mkdtemp(pattern);
      path = made ? made : "";
    }
    ~Dir() {
      if (!path.empty())
        std::filesystem::remove_all(path);
    }
  };
  static Dir dir;
  return dir.path;
}

/// Runs needlec with `arguments`; returns its exit status and its stderr in
/// `log`.
inline int runNeedlec(const std::string &arguments, std::string &log) {
  static int runs = 0;
  std::string logPath = tempDir() + "/needlec" + std::to_string(runs++) + ".log";
  int rc = std::system((std::string(NEEDLEC_PATH) + " " + arguments + " 2>" + logPath).c_str());
  std::ifstream in(logPath);
  log.assign(std::istreambuf_iterator<char>(in), {});
  return rc;
}

/// Runs needlec on `model` and returns the artifact path; fails the test on error.
inline std::string compile(const std::string &model, const std::string &name,
                    const std::string &flags = "") {
  std::string output = tempDir() + "/" + name + ".so";
  std::string arguments = model + " -o " + output + " " + flags;
  std::string log;
  if (int rc = runNeedlec(arguments, log))
    ADD_FAILURE() << "needlec failed (" << rc << "): needlec " << arguments << "\n" << log;
  return output;
}

inline std::string writeModel(const std::string &name, const std::string &text) {
  std::string path = tempDir() + "/" + name + ".mlir";
  std::ofstream(path) << text;
  return path;
}

inline std::string example(const std::string &name) {
  return std::string(NEEDLE_SOURCE_DIR) + "/examples/" + name;
}

inline std::string reference(const std::string &name) {
  return std::string(NEEDLE_SOURCE_DIR) + "/tests/reference/e2e/" + name;
}

/// Loads `artifact` with variables from `seed`, or from `checkpoint` when it
/// is given; fails the test and stops on error.
inline Module load(const std::string &artifact, uint32_t seed = 0,
                   const std::string &checkpoint = "") {
  LoadOptions options;
  options.seed = seed;
  options.checkpoint = checkpoint;
  StatusOr<Module> module = Module::load(artifact, options);
  if (!module.ok()) {
    ADD_FAILURE() << module.status().message();
    std::abort();
  }
  return std::move(*module);
}

/// The .npy file at tests/reference/`path`; fails the test and stops when it
/// cannot be read.
inline Tensor readReferenceNpy(const std::string &path) {
  StatusOr<Tensor> tensor =
      readNpy(std::string(NEEDLE_SOURCE_DIR) + "/tests/reference/" + path);
  if (!tensor.ok()) {
    ADD_FAILURE() << tensor.status().message();
    std::abort();
  }
  return std::move(*tensor);
}

inline Tensor rows(const Tensor &x, const std::vector<int64_t> &indices) {
  int64_t width = x.shape()[1];
  std::vector<float> values;
  for (int64_t i : indices)
    for (int64_t j = 0; j < width; ++j)
      values.push_back(x.dataAs<float>()[i * width + j]);
  return *Tensor::fromValues<float>({int64_t(indices.size()), width}, values);
}

/// BatchNorm1d(`features`) variables (weight 1, bias 0, running mean 0,
/// running var 1) followed by `body`, with FEATURES replaced.
inline std::string withVariables(int features, std::string body) {
  std::string text = R"mlir(
needle.variable parameter @weight : tensor<FEATURESxf32> = #needle.ones
needle.variable parameter @bias : tensor<FEATURESxf32> = #needle.zeros
needle.variable buffer @running_mean : tensor<FEATURESxf32> = #needle.zeros
needle.variable buffer @running_var : tensor<FEATURESxf32> = #needle.ones
)mlir" + body;
  for (size_t at; (at = text.find("FEATURES")) != std::string::npos;)
    text.replace(at, 8, std::to_string(features));
  return text;
}

/// The mode-agnostic BatchNorm1d: `forward_train` and `infer` come from it.
inline std::string modeAgnosticModel(int features) {
  return withVariables(features, R"mlir(
func.func @forward(%x: tensor<?xFEATURESxf32>) -> tensor<?xFEATURESxf32> {
  %w = needle.read @weight : tensor<FEATURESxf32>
  %b = needle.read @bias : tensor<FEATURESxf32>
  %m = needle.read @running_mean : tensor<FEATURESxf32>
  %v = needle.read @running_var : tensor<FEATURESxf32>
  %y = needle.batch_norm %x, %w, %b, %m, %v : tensor<?xFEATURESxf32>, tensor<FEATURESxf32>
  return %y : tensor<?xFEATURESxf32>
}
)mlir");
}

/// Calls `entry` on `x`; fails the test (and returns nothing) on error.
inline std::vector<Tensor> call(Module &module, const std::string &entry, const Tensor &x) {
  auto out = module.call(entry, {x});
  if (!out.ok()) {
    ADD_FAILURE() << out.status().message();
    return {};
  }
  return std::move(*out);
}

/// Mean and biased variance of column `c` of a row-major (n, features)
/// matrix, in float64: BatchNorm's batch statistics, computed independently.
struct Moments {
  double mean, var;
};
inline Moments columnMoments(const std::vector<float> &values, int64_t n, int64_t features,
                             int64_t c) {
  double mean = 0, var = 0;
  for (int64_t i = 0; i < n; ++i)
    mean += values[i * features + c];
  mean /= double(n);
  for (int64_t i = 0; i < n; ++i)
    var += (values[i * features + c] - mean) * (values[i * features + c] - mean);
  return {mean, var / double(n)};
}

/// Same dtype and shape, and every element within atol + rtol * |expected|.
inline void expectClose(const Tensor &actual, const Tensor &expected, double rtol,
                        double atol) {
  ASSERT_EQ(actual.dtype(), expected.dtype());
  ASSERT_EQ(actual.shape(), expected.shape());
  for (int64_t i = 0; i < actual.numElements(); ++i) {
    double a = actual.elementAsDouble(i), e = expected.elementAsDouble(i);
    EXPECT_NEAR(a, e, atol + rtol * std::fabs(e)) << "element " << i;
  }
}

} // namespace needle::e2e
