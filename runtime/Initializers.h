// Variable initializers with needle's formulas (python/needle/init), drawing
// from one shared RandomState in variable declaration order so that the
// runtime reproduces a Python needle model seeded with np.random.seed.
// Values are computed in double and then cast to the tensor's dtype.
#pragma once

#include "runtime/Json.h"
#include "runtime/Random.h"
#include "runtime/Status.h"
#include "runtime/Tensor.h"

#include <string>

namespace needle::runtime {

struct InitializerSpec {
  enum class Kind {
    zeros,
    ones,
    constant,
    seed,
    rand,
    randn,
    kaimingUniform,
    kaimingNormal,
    xavierUniform,
    xavierNormal,
  };
  Kind kind = Kind::zeros;
  double value = 0;            // constant
  double low = 0, high = 1;    // rand
  double mean = 0, std = 1;    // randn
  double fanIn = 0, fanOut = 0; // kaiming (fan_in), xavier (both)
  double gain = 1;             // default: sqrt(2) for kaiming, 1 for xavier
};

/// "kaiming_uniform", ... as written in manifests.
const char *initializerKindName(InitializerSpec::Kind kind);

/// Reads a manifest "initializer" object, e.g.
/// {"kind": "kaiming_uniform", "fan_in": 784, "fan_out": 100, "gain": 1.41}.
/// Optional fields take needle's defaults; required ones are checked.
StatusOr<InitializerSpec> parseInitializer(const JsonValue &json);

/// One line for --list: "kaiming_uniform(fan_in=784, gain=1.41421)".
std::string describeInitializer(const InitializerSpec &spec);

/// Fills every element of `tensor` (row-major) from `spec`, drawing from
/// `random` only for the random kinds; `seed` fills in the seed `random` was
/// created with (it keys the artifact's counter-based random streams).
/// Integer dtypes truncate toward zero (numpy's astype) and saturate instead
/// of overflowing.
void fillInitializer(Tensor &tensor, const InitializerSpec &spec,
                     RandomState &random);

} // namespace needle::runtime
