// Matmuls shaped for the register-tiled lowering (needle-tile-contractions):
// row blocks and left-over rows, masked column vectors, transposed operands,
// depth 1. Each model in tests/reference/matmul_tiles/<case>/ is compiled by
// needlec and run against the product numpy computed in float64
// (tests/reference/gen_matmul_tiles.py).
#include "tests/unit/e2e/E2ESupport.h"

using namespace needle::runtime;
using namespace needle::e2e;

namespace {

std::string caseDir(const std::string &name) {
  return std::string(NEEDLE_SOURCE_DIR) + "/tests/reference/matmul_tiles/" + name;
}

Tensor readCase(const std::string &name, const std::string &file) {
  return readReferenceNpy("matmul_tiles/" + name + "/" + file);
}

class MatmulTilesTest : public testing::TestWithParam<std::string> {};

TEST_P(MatmulTilesTest, MatchesNumpy) {
  const std::string &name = GetParam();
  Module module = load(compile(caseDir(name) + "/model.mlir", "tiles_" + name));
  auto outputs =
      module.call("infer", {readCase(name, "in0.npy"), readCase(name, "in1.npy")});
  ASSERT_TRUE(outputs.ok()) << outputs.status().message();
  ASSERT_EQ(outputs->size(), 1u);
  expectClose((*outputs)[0], readCase(name, "out0.npy"), 2e-5, 1e-5);
}

INSTANTIATE_TEST_SUITE_P(Tiles, MatmulTilesTest,
                         testing::Values("rows_and_masked_columns", "transposed_lhs",
                                         "transposed_rhs", "depth_one_narrow"),
                         [](const testing::TestParamInfo<std::string> &info) {
                           return info.param;
                         });

// One artifact, any number of rows: a whole number of row blocks (8), rows
// of one only (3, 1), and none. Row r of the product is row r of the
// reference.
TEST(MatmulTiles, EveryRowCountOfOneArtifact) {
  const std::string name = "rows_and_masked_columns";
  Module module = load(compile(caseDir(name) + "/model.mlir", "tiles_row_counts"));
  Tensor a = readCase(name, "in0.npy"), w = readCase(name, "in1.npy");
  Tensor expected = readCase(name, "out0.npy");
  for (std::vector<int64_t> picked :
       {std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7}, {8, 9, 10}, {5}}) {
    SCOPED_TRACE(std::to_string(picked.size()) + " rows");
    auto outputs = module.call("infer", {rows(a, picked), w});
    ASSERT_TRUE(outputs.ok()) << outputs.status().message();
    expectClose((*outputs)[0], rows(expected, picked), 2e-5, 1e-5);
  }
  auto empty = module.call("infer", {*Tensor::fromValues<float>({0, 37}, {}), w});
  ASSERT_TRUE(empty.ok()) << empty.status().message();
  EXPECT_EQ((*empty)[0].shape(), (std::vector<int64_t>{0, 45}));
}

} // namespace
