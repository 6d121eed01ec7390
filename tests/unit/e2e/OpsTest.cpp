// Every needle op in a one-op model (tests/reference/ops/<case>/model.mlir),
// compiled by needlec and run by the runtime, against the outputs numpy
// computed in tests/reference/gen_ops.py.
#include "tests/unit/e2e/E2ESupport.h"

#include <dirent.h>

#include <algorithm>

using namespace needle::runtime;
using namespace needle::e2e;

namespace {

std::string caseDir(const std::string &name) {
  return std::string(NEEDLE_SOURCE_DIR) + "/tests/reference/ops/" + name;
}

std::vector<std::string> listCases() {
  std::vector<std::string> names;
  if (DIR *dir = opendir(caseDir("").c_str())) {
    while (dirent *entry = readdir(dir))
      if (entry->d_name[0] != '.')
        names.push_back(entry->d_name);
    closedir(dir);
  }
  std::sort(names.begin(), names.end());
  return names;
}

/// in0.npy, in1.npy, ... (or out<i>) until one is missing.
std::vector<Tensor> readSeries(const std::string &dir, const char *prefix) {
  std::vector<Tensor> tensors;
  for (int i = 0;; ++i) {
    std::string path = dir + "/" + prefix + std::to_string(i) + ".npy";
    if (access(path.c_str(), F_OK) != 0)
      break;
    StatusOr<Tensor> tensor = readNpy(path);
    EXPECT_TRUE(tensor.ok()) << tensor.status().message();
    if (tensor.ok())
      tensors.push_back(std::move(*tensor));
  }
  return tensors;
}

class OpsTest : public testing::TestWithParam<std::string> {};

TEST_P(OpsTest, MatchesNumpy) {
  const std::string &name = GetParam();
  std::string dir = caseDir(name);
  Module module = load(compile(dir + "/model.mlir", "op_" + name));
  std::vector<Tensor> inputs = readSeries(dir, "in"), expected = readSeries(dir, "out");
  auto outputs = module.call("infer", inputs);
  ASSERT_TRUE(outputs.ok()) << outputs.status().message();
  ASSERT_EQ(outputs->size(), expected.size());
  // f64 keeps nearly all of its precision; f32 loses a few ulps per op; batch
  // statistics of data offset by 10000 are checked at the 1e-3 the design asks.
  bool f64 = expected[0].dtype() == DType::f64;
  double rtol = f64 ? 1e-12 : name.find("offset") != std::string::npos ? 2e-3 : 2e-5;
  for (size_t i = 0; i < expected.size(); ++i) {
    SCOPED_TRACE("output " + std::to_string(i));
    expectClose((*outputs)[i], expected[i], rtol, f64 ? 1e-12 : 1e-5);
  }
}

INSTANTIATE_TEST_SUITE_P(Ops, OpsTest, testing::ValuesIn(listCases()),
                         [](const testing::TestParamInfo<std::string> &info) {
                           return info.param;
                         });

TEST(OpsCases, AreAllPresent) { EXPECT_GE(listCases().size(), 39u); }

} // namespace
