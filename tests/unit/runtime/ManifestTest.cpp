#include "runtime/Manifest.h"

#include "TestSupport.h"

#include <cmath>

using namespace needle::runtime;

namespace {

// The example from DESIGN/ABI notes, with a training entry added.
const std::string kManifest = R"({
 "format": "needle-artifact", "format_version": 1, "compiler_version": "0.1.0",
 "target": "cpu", "triple": "x86_64-unknown-linux-gnu",
 "entry_points": [
   {"name": "infer", "symbol": "needle_entry_infer",
    "inputs":  [{"name": "x", "dtype": "f32", "shape": [-1, 784]}],
    "outputs": [{"name": "logits", "dtype": "f32", "shape": [-1, 10]}],
    "variables": ["0.weight", "1.running_var"],
    "writes": []},
   {"name": "train_step", "symbol": "needle_entry_train_step",
    "inputs":  [{"name": "x", "dtype": "f32", "shape": [-1, 784]},
                {"name": "y", "dtype": "i64", "shape": [-1]}],
    "outputs": [{"name": "loss", "dtype": "f32", "shape": []}],
    "variables": ["0.weight", "1.running_var"],
    "writes": ["0.weight", "1.running_var"]}],
 "variables": [
   {"name": "0.weight", "kind": "parameter", "dtype": "f32", "shape": [784, 100],
    "initializer": {"kind": "kaiming_uniform", "fan_in": 784, "fan_out": 100,
                    "gain": 1.4142135623730951}},
   {"name": "1.running_var", "kind": "buffer", "dtype": "f32", "shape": [100],
    "initializer": {"kind": "ones"}}]})";

std::string replaced(std::string text, const std::string &from, const std::string &to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos)
    text.replace(at, from.size(), to);
  return text;
}

std::string manifestError(const std::string &text) {
  StatusOr<Manifest> manifest = parseManifest(text);
  EXPECT_FALSE(manifest.ok()) << "accepted a bad manifest";
  return errorOf(manifest);
}

#define EXPECT_CONTAINS(haystack, needle)                                      \
  EXPECT_NE((haystack).find(needle), std::string::npos) << (haystack)

TEST(Manifest, ParsesTheDocumentedSchema) {
  StatusOr<Manifest> manifest = parseManifest(kManifest);
  ASSERT_OK(manifest);
  EXPECT_EQ(manifest->formatVersion, 1);
  EXPECT_EQ(manifest->compilerVersion, "0.1.0");
  EXPECT_EQ(manifest->target, "cpu");
  EXPECT_EQ(manifest->triple, "x86_64-unknown-linux-gnu");
  ASSERT_EQ(manifest->entryPoints.size(), 2u);
  const EntryPointSpec *infer = manifest->findEntryPoint("infer");
  ASSERT_NE(infer, nullptr);
  EXPECT_EQ(infer->symbol, "needle_entry_infer");
  ASSERT_EQ(infer->inputs.size(), 1u);
  EXPECT_EQ(infer->inputs[0].name, "x");
  EXPECT_EQ(infer->inputs[0].dtype, DType::f32);
  EXPECT_EQ(infer->inputs[0].shape, (Shape{kDynamicDim, 784}));
  EXPECT_EQ(infer->outputs[0].shape, (Shape{kDynamicDim, 10}));
  EXPECT_EQ(infer->variables, (std::vector<std::string>{"0.weight", "1.running_var"}));
  const EntryPointSpec *train = manifest->findEntryPoint("train_step");
  ASSERT_NE(train, nullptr);
  EXPECT_EQ(train->inputs[1].dtype, DType::i64);
  EXPECT_EQ(train->outputs[0].shape, Shape{});
  EXPECT_EQ(train->writes.size(), 2u);
  EXPECT_EQ(manifest->findEntryPoint("nope"), nullptr);

  ASSERT_EQ(manifest->variables.size(), 2u);
  const VariableSpec *weight = manifest->findVariable("0.weight");
  ASSERT_NE(weight, nullptr);
  EXPECT_EQ(weight->kind, VariableKind::parameter);
  EXPECT_EQ(weight->shape, (Shape{784, 100}));
  EXPECT_EQ(weight->initializer.kind, InitializerSpec::Kind::kaimingUniform);
  EXPECT_EQ(weight->initializer.fanIn, 784);
  EXPECT_EQ(weight->initializer.gain, std::sqrt(2.0));
  EXPECT_EQ(manifest->variables[1].kind, VariableKind::buffer);
  EXPECT_STREQ(variableKindName(VariableKind::optimizerState), "optimizer_state");
}

TEST(Manifest, ParsesEqualDims) {
  StatusOr<Manifest> manifest = parseManifest(
      replaced(kManifest, "\"writes\": [\"0.weight\", \"1.running_var\"]}",
               "\"writes\": [\"0.weight\", \"1.running_var\"], "
               "\"equal_dims\": [[[0, 0], [1, 0]]]}"));
  ASSERT_TRUE(manifest.ok()) << errorOf(manifest);
  const EntryPointSpec *step = manifest->findEntryPoint("train_step");
  ASSERT_EQ(step->equalDims.size(), 1u);
  EXPECT_EQ(step->equalDims[0],
            (std::vector<std::pair<size_t, size_t>>{{0, 0}, {1, 0}}));
  EXPECT_TRUE(manifest->findEntryPoint("infer")->equalDims.empty());
}

TEST(Manifest, ParsesLabelBounds) {
  StatusOr<Manifest> manifest = parseManifest(
      replaced(kManifest, "\"writes\": [\"0.weight\", \"1.running_var\"]}",
               "\"writes\": [\"0.weight\", \"1.running_var\"], "
               "\"label_bounds\": [[1, 10]]}"));
  ASSERT_TRUE(manifest.ok()) << errorOf(manifest);
  EXPECT_EQ(manifest->findEntryPoint("train_step")->labelBounds,
            (std::vector<std::pair<size_t, int64_t>>{{1, 10}}));
}

TEST(Manifest, RefusesOtherFormatsVersionsAndTargets) {
  EXPECT_CONTAINS(manifestError(replaced(kManifest, "\"format_version\": 1", "\"format_version\": 2")),
                  "artifact format version 2 is not supported (this runtime reads version 1)");
  EXPECT_CONTAINS(manifestError(replaced(kManifest, "\"format_version\": 1", "\"format_version\": \"1\"")),
                  "format_version");
  EXPECT_CONTAINS(manifestError(replaced(kManifest, "needle-artifact", "onnx")),
                  "manifest format is 'onnx'");
  EXPECT_CONTAINS(manifestError(replaced(kManifest, "\"target\": \"cpu\"", "\"target\": \"cuda\"")),
                  "target 'cuda' is not supported by this build's CPU executor");
  EXPECT_CONTAINS(manifestError(replaced(kManifest, "\"target\": \"cpu\"", "\"target\": \"tpu\"")),
                  "unknown artifact target 'tpu'");
}

TEST(Manifest, RefusesUnparsableJson) {
  EXPECT_CONTAINS(manifestError(kManifest.substr(0, 100)), "manifest is not valid JSON");
  EXPECT_CONTAINS(manifestError(""), "manifest is not valid JSON");
  EXPECT_CONTAINS(manifestError("[]"), "not a JSON object");
}

TEST(Manifest, RefusesMissingFields) {
  EXPECT_CONTAINS(manifestError(replaced(kManifest, "\"compiler_version\": \"0.1.0\",", "")),
                  "missing field 'compiler_version'");
  EXPECT_CONTAINS(manifestError(replaced(kManifest, "\"symbol\": \"needle_entry_infer\",", "")),
                  "entry point 'infer': missing field 'symbol'");
  EXPECT_CONTAINS(manifestError(replaced(kManifest, "\"kind\": \"buffer\",", "")),
                  "variable '1.running_var': missing field 'kind'");
  EXPECT_CONTAINS(manifestError(replaced(kManifest, "{\"name\": \"infer\",", "{")),
                  "entry point 0: missing field 'name'");
  EXPECT_CONTAINS(manifestError(replaced(kManifest, ",\n    \"writes\": []}", "}")),
                  "entry point 'infer': missing field 'writes'");
  EXPECT_CONTAINS(manifestError(replaced(kManifest, "\"variables\": [\n   {", "\"vars\": [\n   {")),
                  "missing field 'variables'");
}

TEST(Manifest, RefusesInconsistentEntries) {
  struct Case {
    std::string from, to, message;
  };
  for (const Case &c : std::vector<Case>{
           {"\"variables\": [\"0.weight\", \"1.running_var\"],\n    \"writes\": []",
            "\"variables\": [\"0.weight\", \"2.bias\"],\n    \"writes\": []",
            "entry point 'infer': uses unknown variable '2.bias'"},
           {"\"writes\": [\"0.weight\", \"1.running_var\"]", "\"writes\": [\"3.x\"]",
            "entry point 'train_step': writes '3.x', which is not in its 'variables'"},
           {"\"dtype\": \"f32\", \"shape\": [-1, 784]}]", "\"dtype\": \"f16\", \"shape\": [-1, 784]}]",
            "entry point 'infer': input 0: unknown dtype 'f16'"},
           {"\"shape\": [-1, 10]", "\"shape\": [-2, 10]",
            "entry point 'infer': output 0: bad shape"},
           {"\"shape\": [-1, 10]", "\"shape\": [1.5, 10]", "bad shape"},
           {"\"shape\": [784, 100]", "\"shape\": [-1, 100]",
            "variable '0.weight': bad shape: dims must be integers >= 0"},
           {"\"shape\": [784, 100]", "\"shape\": [4611686018427387904, 4]",
            "variable '0.weight': shape [4611686018427387904, 4] has too many elements"},
           {"\"dtype\": \"f32\", \"shape\": [100]", "\"dtype\": \"bf16\", \"shape\": [100]",
            "variable '1.running_var': unknown dtype 'bf16'"},
           {"\"kind\": \"parameter\"", "\"kind\": \"constant\"",
            "variable '0.weight': unknown kind 'constant'"},
           {"{\"kind\": \"ones\"}", "{\"kind\": \"twos\"}",
            "variable '1.running_var': unknown initializer kind 'twos'"},
           {"\"writes\": [\"0.weight\", \"1.running_var\"]}",
            "\"writes\": [\"0.weight\", \"1.running_var\"], \"equal_dims\": [[[0, 0], [2, 0]]]}",
            "entry point 'train_step': 'equal_dims' names no dim of an input"},
           {"\"writes\": [\"0.weight\", \"1.running_var\"]}",
            "\"writes\": [\"0.weight\", \"1.running_var\"], \"equal_dims\": [0]}",
            "'equal_dims' has a group that is not an array"},
           {"\"writes\": [\"0.weight\", \"1.running_var\"]}",
            "\"writes\": [\"0.weight\", \"1.running_var\"], \"label_bounds\": [[0, 10]]}",
            "entry point 'train_step': 'label_bounds' names no integer input"},
           {"\"symbol\": \"needle_entry_infer\"", "\"symbol\": \"needle entry\"",
            "symbol 'needle entry' is not a C identifier"},
           {"\"name\": \"train_step\"", "\"name\": \"infer\"",
            "entry point 'infer' is declared twice"},
           {"\"name\": \"1.running_var\"", "\"name\": \"0.weight\"",
            "variable '0.weight' is declared twice"},
           {"\"writes\": [\"0.weight\", \"1.running_var\"]",
            "\"writes\": [\"0.weight\", \"0.weight\"]", "lists '0.weight' twice"},
           {"\"name\": \"infer\"", "\"name\": \"\"", "entry point 0: field 'name' is empty"},
           {"\"inputs\":  [{", "\"inputs\":  [7, {", "entry point 'infer': input 0: is not an object"},
       }) {
    EXPECT_CONTAINS(manifestError(replaced(kManifest, c.from, c.to)), c.message);
  }
}

} // namespace
