// Deterministic mutation sweeps over the parsers that read untrusted bytes.
// Each mutated input must give a value or an error, never a crash or an
// out-of-bounds read (run under ASan to make the latter visible).
#include "runtime/Json.h"
#include "runtime/Manifest.h"
#include "runtime/Npy.h"
#include "runtime/SafeTensors.h"
#include "runtime/TensorText.h"

#include "TestSupport.h"

using namespace needle::runtime;
using namespace needle::runtime::testing;

namespace {

// xorshift64*: reproducible without <random>'s distribution differences.
class Mutator {
public:
  explicit Mutator(uint64_t seed) : state_(seed * 2654435761u + 1) {}
  uint64_t next() {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 2685821657736338717ull;
  }
  std::string mutate(std::string bytes) {
    switch (next() % 4) {
    case 0: // overwrite a few bytes
      for (uint64_t n = 1 + next() % 4; n-- && !bytes.empty();)
        bytes[next() % bytes.size()] = char(next());
      return bytes;
    case 1: // truncate
      return bytes.substr(0, bytes.empty() ? 0 : next() % bytes.size());
    case 2: // insert a byte
      bytes.insert(bytes.begin() + long(bytes.empty() ? 0 : next() % bytes.size()),
                   char(next()));
      return bytes;
    default: // copy a byte over another (keeps structure, changes digits)
      if (!bytes.empty())
        bytes[next() % bytes.size()] = bytes[next() % bytes.size()];
      return bytes;
    }
  }

private:
  uint64_t state_;
};

constexpr int kRounds = 4000;

TEST(HostileInput, NpyParserSurvivesMutations) {
  for (const char *name : {"npy/f32_2x3.npy", "npy/i64_3_v2.npy", "npy/f64_scalar.npy"}) {
    std::string original = readBytes(referencePath(name));
    ASSERT_FALSE(original.empty());
    Mutator mutator(1);
    int accepted = 0;
    for (int i = 0; i < kRounds; ++i)
      accepted += parseNpy(mutator.mutate(original), "m.npy").ok();
    EXPECT_LT(accepted, kRounds) << name;
  }
}

TEST(HostileInput, SafeTensorsParserSurvivesMutations) {
  std::string original = readBytes(referencePath("safetensors/small.safetensors"));
  ASSERT_FALSE(original.empty());
  Mutator mutator(2);
  for (int i = 0; i < kRounds; ++i) {
    StatusOr<SafeTensors> file = parseSafeTensors(mutator.mutate(original), "m");
    if (file.ok()) // whatever was accepted is internally consistent
      for (const auto &[name, tensor] : file->tensors)
        EXPECT_EQ(int64_t(tensor.byteSize()),
                  tensor.numElements() * int64_t(dtypeSize(tensor.dtype())));
  }
}

TEST(HostileInput, ManifestParserSurvivesMutations) {
  const std::string original = R"({"format": "needle-artifact", "format_version": 1,
 "compiler_version": "0.1.0", "target": "cpu",
 "entry_points": [{"name": "infer", "symbol": "f",
   "inputs": [{"name": "x", "dtype": "f32", "shape": [-1, 4]}],
   "outputs": [{"name": "y", "dtype": "f32", "shape": [-1, 2]}],
   "variables": ["w"], "writes": ["w"]}],
 "variables": [{"name": "w", "kind": "parameter", "dtype": "f32", "shape": [4, 2],
   "initializer": {"kind": "xavier_uniform", "fan_in": 4, "fan_out": 2}}]})";
  ASSERT_TRUE(parseManifest(original).ok());
  Mutator mutator(3);
  for (int i = 0; i < kRounds; ++i)
    (void)parseManifest(mutator.mutate(original));
}

TEST(HostileInput, TensorLiteralParserSurvivesMutations) {
  const std::string original = "2x3xf32=1 2.5 -3 4e2 inf 6";
  Mutator mutator(4);
  for (int i = 0; i < kRounds; ++i)
    (void)parseTensorLiteral(mutator.mutate(original));
}

} // namespace
