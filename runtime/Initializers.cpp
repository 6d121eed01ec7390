#include "runtime/Initializers.h"

#include <cmath>
#include <cstdio>
#include <limits>

namespace needle::runtime {

using Kind = InitializerSpec::Kind;

namespace {
struct KindName {
  Kind kind;
  const char *name;
};
constexpr KindName kKinds[] = {
    {Kind::zeros, "zeros"},
    {Kind::ones, "ones"},
    {Kind::constant, "constant"},
    {Kind::seed, "seed"},
    {Kind::rand, "rand"},
    {Kind::randn, "randn"},
    {Kind::kaimingUniform, "kaiming_uniform"},
    {Kind::kaimingNormal, "kaiming_normal"},
    {Kind::xavierUniform, "xavier_uniform"},
    {Kind::xavierNormal, "xavier_normal"},
};

bool isKaiming(Kind kind) {
  return kind == Kind::kaimingUniform || kind == Kind::kaimingNormal;
}
bool isXavier(Kind kind) {
  return kind == Kind::xavierUniform || kind == Kind::xavierNormal;
}

// numpy's astype truncates toward zero; saturate so that an out-of-range
// value is not undefined behaviour.
template <typename Int> Int toInteger(double value) {
  if (std::isnan(value))
    return 0;
  constexpr double lo = double(std::numeric_limits<Int>::min());
  constexpr double hi = double(std::numeric_limits<Int>::max());
  if (value <= lo)
    return std::numeric_limits<Int>::min();
  if (value >= hi)
    return std::numeric_limits<Int>::max();
  return static_cast<Int>(value);
}

template <typename Generate> void fill(Tensor &tensor, Generate generate) {
  int64_t count = tensor.numElements();
  switch (tensor.dtype()) {
  case DType::f32:
    for (int64_t i = 0; i < count; ++i)
      tensor.dataAs<float>()[i] = static_cast<float>(generate());
    return;
  case DType::f64:
    for (int64_t i = 0; i < count; ++i)
      tensor.dataAs<double>()[i] = generate();
    return;
  case DType::i32:
    for (int64_t i = 0; i < count; ++i)
      tensor.dataAs<int32_t>()[i] = toInteger<int32_t>(generate());
    return;
  case DType::i64:
    for (int64_t i = 0; i < count; ++i)
      tensor.dataAs<int64_t>()[i] = toInteger<int64_t>(generate());
    return;
  }
}
} // namespace

const char *initializerKindName(Kind kind) {
  for (const KindName &k : kKinds)
    if (k.kind == kind)
      return k.name;
  return "?";
}

StatusOr<InitializerSpec> parseInitializer(const JsonValue &json) {
  if (!json.isObject())
    return Status::error("initializer is not an object");
  const JsonValue *kindField = json.find("kind");
  if (!kindField || !kindField->isString())
    return Status::error("initializer needs a string 'kind'");
  InitializerSpec spec;
  bool known = false;
  for (const KindName &k : kKinds)
    if (kindField->asString() == k.name) {
      spec.kind = k.kind;
      known = true;
    }
  if (!known)
    return Status::error("unknown initializer kind '" + kindField->asString() + "'");
  if (isKaiming(spec.kind))
    spec.gain = std::sqrt(2.0); // needle's kaiming_* use the ReLU gain

  struct Field {
    const char *name;
    double *target;
  };
  const Field fields[] = {{"value", &spec.value}, {"low", &spec.low},
                          {"high", &spec.high},   {"mean", &spec.mean},
                          {"std", &spec.std},     {"fan_in", &spec.fanIn},
                          {"fan_out", &spec.fanOut}, {"gain", &spec.gain}};
  for (const auto &[key, value] : json.members()) {
    if (key == "kind")
      continue;
    const Field *field = nullptr;
    for (const Field &f : fields)
      if (key == f.name)
        field = &f;
    if (!field)
      return Status::error("initializer '" + kindField->asString() +
                           "' has an unknown field '" + key + "'");
    if (!value.isNumber())
      return Status::error("initializer field '" + key + "' is not a number");
    *field->target = value.asDouble();
  }
  if (spec.kind == Kind::constant && !json.find("value"))
    return Status::error("initializer 'constant' needs 'value'");
  if (isKaiming(spec.kind) && !(spec.fanIn > 0))
    return Status::error("initializer '" + kindField->asString() +
                         "' needs a positive 'fan_in'");
  if (isXavier(spec.kind) &&
      (!json.find("fan_in") || !json.find("fan_out") || spec.fanIn < 0 ||
       spec.fanOut < 0 || !(spec.fanIn + spec.fanOut > 0)))
    return Status::error("initializer '" + kindField->asString() +
                         "' needs non-negative 'fan_in' and 'fan_out' with a "
                         "positive sum");
  return spec;
}

std::string describeInitializer(const InitializerSpec &spec) {
  char buffer[160];
  const char *name = initializerKindName(spec.kind);
  switch (spec.kind) {
  case Kind::zeros:
  case Kind::ones:
  case Kind::seed: return name;
  case Kind::constant:
    std::snprintf(buffer, sizeof buffer, "%s(value=%g)", name, spec.value);
    break;
  case Kind::rand:
    std::snprintf(buffer, sizeof buffer, "%s(low=%g, high=%g)", name, spec.low,
                  spec.high);
    break;
  case Kind::randn:
    std::snprintf(buffer, sizeof buffer, "%s(mean=%g, std=%g)", name, spec.mean,
                  spec.std);
    break;
  case Kind::kaimingUniform:
  case Kind::kaimingNormal:
    std::snprintf(buffer, sizeof buffer, "%s(fan_in=%g, gain=%g)", name,
                  spec.fanIn, spec.gain);
    break;
  case Kind::xavierUniform:
  case Kind::xavierNormal:
    std::snprintf(buffer, sizeof buffer, "%s(fan_in=%g, fan_out=%g, gain=%g)",
                  name, spec.fanIn, spec.fanOut, spec.gain);
    break;
  }
  return buffer;
}

void fillInitializer(Tensor &tensor, const InitializerSpec &spec,
                     RandomState &random) {
  // The same expressions, in the same order, as needle's init.rand / randn,
  // so that results match numpy bit for bit.
  auto uniform = [&](double low, double high) {
    fill(tensor, [&] { return random.randomSample() * (high - low) + low; });
  };
  auto normal = [&](double mean, double std) {
    fill(tensor, [&] { return random.standardNormal() * std + mean; });
  };
  switch (spec.kind) {
  case Kind::zeros: fill(tensor, [] { return 0.0; }); return;
  case Kind::ones: fill(tensor, [] { return 1.0; }); return;
  case Kind::constant: fill(tensor, [&] { return spec.value; }); return;
  case Kind::seed: fill(tensor, [&] { return double(random.initialSeed()); }); return;
  case Kind::rand: uniform(spec.low, spec.high); return;
  case Kind::randn: normal(spec.mean, spec.std); return;
  case Kind::kaimingUniform: {
    double bound = spec.gain * std::sqrt(3.0 / spec.fanIn);
    uniform(-bound, bound);
    return;
  }
  case Kind::kaimingNormal:
    normal(0.0, spec.gain / std::sqrt(spec.fanIn));
    return;
  case Kind::xavierUniform: {
    double a = spec.gain * std::sqrt(6.0 / (spec.fanIn + spec.fanOut));
    uniform(-a, a);
    return;
  }
  case Kind::xavierNormal:
    normal(0.0, spec.gain * std::sqrt(2.0 / (spec.fanIn + spec.fanOut)));
    return;
  }
}

} // namespace needle::runtime
