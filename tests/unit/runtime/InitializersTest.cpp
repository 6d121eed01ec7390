// Initializers against needle's Python formulas run by numpy
// (tests/reference/gen_random.py) and against the Linear acceptance values.
#include "runtime/Initializers.h"

#include "runtime/FileIO.h"

#include "TestSupport.h"

#include <cmath>

using namespace needle::runtime;
using namespace needle::runtime::testing;

namespace {

JsonValue parse(const std::string &text) {
  StatusOr<JsonValue> json = parseJson(text);
  EXPECT_TRUE(json.ok()) << errorOf(json);
  return json.ok() ? *json : JsonValue();
}

InitializerSpec spec(const std::string &json) {
  StatusOr<InitializerSpec> parsed = parseInitializer(parse(json));
  EXPECT_TRUE(parsed.ok()) << json << ": " << errorOf(parsed);
  return parsed.ok() ? *parsed : InitializerSpec();
}

Tensor filled(DType dtype, Shape shape, const InitializerSpec &init, RandomState &random) {
  Tensor tensor = *Tensor::zeros(dtype, std::move(shape));
  fillInitializer(tensor, init, random);
  return tensor;
}

// needle: `nn.Linear(7, 4)` after `np.random.seed(1337)`.
TEST(Initializers, MatchesNeedleLinearAfterSeed1337) {
  RandomState random(1337);
  Tensor weight = filled(DType::f32, {7, 4},
                         spec(R"({"kind": "kaiming_uniform", "fan_in": 7, "fan_out": 4})"),
                         random);
  const float row0[] = {-0.44064468f, -0.6319945f, -0.41082984f, -0.07533049f};
  for (int j = 0; j < 4; ++j)
    EXPECT_NEAR(weight.dataAs<float>()[j], row0[j], 1e-7) << j;
  // The bias is drawn after the weight: kaiming_uniform(out_features, 1).
  Tensor bias = filled(DType::f32, {1, 4},
                       spec(R"({"kind": "kaiming_uniform", "fan_in": 4, "fan_out": 1})"),
                       random);
  const float expected[] = {0.077647f, 0.814139f, -0.770975f, 1.120297f};
  for (int j = 0; j < 4; ++j)
    EXPECT_NEAR(bias.dataAs<float>()[j], expected[j], 1e-6) << j;
}

TEST(Initializers, MatchNumpyBitForBitInDeclarationOrder) {
  StatusOr<std::string> text = readFile(referencePath("random_reference.json"));
  ASSERT_OK(text);
  JsonValue reference = parse(*text);
  const JsonValue *cases = reference.find("initializers");
  ASSERT_NE(cases, nullptr);
  ASSERT_EQ(cases->elements().size(), 3u);
  for (const JsonValue &c : cases->elements()) {
    // One stream feeds every variable, as Module::load does.
    RandomState random(uint32_t(c.find("seed")->asInt64()));
    for (const JsonValue &variable : c.find("variables")->elements()) {
      std::string name = variable.find("name")->asString();
      SCOPED_TRACE("seed " + std::to_string(c.find("seed")->asInt64()) + ", " + name);
      StatusOr<InitializerSpec> init = parseInitializer(*variable.find("initializer"));
      ASSERT_OK(init);
      Shape shape;
      for (const JsonValue &dim : variable.find("shape")->elements())
        shape.push_back(dim.asInt64());
      Tensor tensor = filled(*parseDType(variable.find("dtype")->asString()), shape,
                             *init, random);
      const auto &values = variable.find("values")->elements();
      ASSERT_EQ(int64_t(values.size()), tensor.numElements());
      for (size_t i = 0; i < values.size(); ++i) {
        if (tensor.dtype() == DType::i32 || tensor.dtype() == DType::i64)
          EXPECT_EQ(int64_t(tensor.elementAsDouble(int64_t(i))), values[i].asInt64()) << i;
        else
          EXPECT_EQ(tensor.elementAsDouble(int64_t(i)), values[i].asDouble()) << i;
      }
    }
  }
}

TEST(Initializers, DefaultsFollowNeedle) {
  EXPECT_EQ(spec(R"({"kind": "kaiming_normal", "fan_in": 3})").gain, std::sqrt(2.0));
  EXPECT_EQ(spec(R"({"kind": "xavier_uniform", "fan_in": 3, "fan_out": 2})").gain, 1.0);
  InitializerSpec r = spec(R"({"kind": "rand"})");
  EXPECT_EQ(r.low, 0.0);
  EXPECT_EQ(r.high, 1.0);
  InitializerSpec n = spec(R"({"kind": "randn"})");
  EXPECT_EQ(n.mean, 0.0);
  EXPECT_EQ(n.std, 1.0);
}

TEST(Initializers, DeterministicKindsDrawNothing) {
  RandomState random(3), untouched(3);
  Tensor c = filled(DType::f64, {2}, spec(R"({"kind": "constant", "value": -2.5})"), random);
  Tensor o = filled(DType::i64, {2}, spec(R"({"kind": "ones"})"), random);
  Tensor z = filled(DType::f32, {2}, spec(R"({"kind": "zeros"})"), random);
  EXPECT_EQ(c.dataAs<double>()[1], -2.5);
  EXPECT_EQ(o.dataAs<int64_t>()[1], 1);
  EXPECT_EQ(z.dataAs<float>()[1], 0.0f);
  EXPECT_EQ(random.nextUInt32(), untouched.nextUInt32());
}

TEST(Initializers, IntegerCastsTruncateAndSaturate) {
  RandomState random(0);
  Tensor big = filled(DType::i32, {1}, spec(R"({"kind": "constant", "value": 1e20})"), random);
  EXPECT_EQ(big.dataAs<int32_t>()[0], INT32_MAX);
  Tensor neg = filled(DType::i64, {1}, spec(R"({"kind": "constant", "value": -1e300})"), random);
  EXPECT_EQ(neg.dataAs<int64_t>()[0], INT64_MIN);
  Tensor frac = filled(DType::i32, {1}, spec(R"({"kind": "constant", "value": -2.9})"), random);
  EXPECT_EQ(frac.dataAs<int32_t>()[0], -2);
}

TEST(Initializers, RefusesBadSpecs) {
  struct Case {
    const char *json, *message;
  };
  for (const Case &c : {
           Case{R"([])", "not an object"},
           Case{R"({})", "needs a string 'kind'"},
           Case{R"({"kind": "glorot"})", "unknown initializer kind 'glorot'"},
           Case{R"({"kind": "constant"})", "needs 'value'"},
           Case{R"({"kind": "kaiming_uniform"})", "positive 'fan_in'"},
           Case{R"({"kind": "kaiming_uniform", "fan_in": 0})", "positive 'fan_in'"},
           Case{R"({"kind": "xavier_normal", "fan_in": 3})", "'fan_out'"},
           Case{R"({"kind": "rand", "low": "0"})", "'low' is not a number"},
           Case{R"({"kind": "rand", "hgih": 2})", "unknown field 'hgih'"},
       }) {
    StatusOr<InitializerSpec> parsed = parseInitializer(parse(c.json));
    EXPECT_FALSE(parsed.ok()) << c.json;
    EXPECT_NE(errorOf(parsed).find(c.message), std::string::npos) << errorOf(parsed);
  }
}

TEST(Initializers, Describes) {
  EXPECT_EQ(describeInitializer(spec(R"({"kind": "ones"})")), "ones");
  EXPECT_EQ(describeInitializer(spec(R"({"kind": "kaiming_uniform", "fan_in": 784})")),
            "kaiming_uniform(fan_in=784, gain=1.41421)");
  EXPECT_EQ(describeInitializer(spec(R"({"kind": "rand", "low": -1, "high": 1})")),
            "rand(low=-1, high=1)");
}

/// `seed` writes the module's seed (it keys compiled random streams) and
/// draws nothing, so the variables after it initialise as without it.
TEST(Initializers, SeedIsTheRuntimeSeedAndDrawsNothing) {
  RandomState random(4242), untouched(4242);
  Tensor seed = *Tensor::zeros(DType::i64, {});
  fillInitializer(seed, spec(R"({"kind": "seed"})"), random);
  EXPECT_EQ(seed.dataAs<int64_t>()[0], 4242);
  EXPECT_EQ(random.nextUInt32(), untouched.nextUInt32());
  EXPECT_EQ(describeInitializer(spec(R"({"kind": "seed"})")), "seed");
}

} // namespace
