#include "runtime/Random.h"

#include <cmath>

namespace needle::runtime {

namespace {
constexpr int kShift = 397;
constexpr uint32_t kMatrixA = 0x9908b0dfu;
constexpr uint32_t kUpperMask = 0x80000000u;
constexpr uint32_t kLowerMask = 0x7fffffffu;
} // namespace

void RandomState::seed(uint32_t seed) {
  initialSeed_ = seed;
  // init_genrand, which numpy's mt19937_seed is.
  state_[0] = seed;
  for (int i = 1; i < kStateSize; ++i)
    state_[i] = 1812433253u * (state_[i - 1] ^ (state_[i - 1] >> 30)) + uint32_t(i);
  position_ = kStateSize;
  hasCachedNormal_ = false;
  cachedNormal_ = 0;
}

void RandomState::regenerate() {
  for (int i = 0; i < kStateSize; ++i) {
    uint32_t y = (state_[i] & kUpperMask) | (state_[(i + 1) % kStateSize] & kLowerMask);
    state_[i] = state_[(i + kShift) % kStateSize] ^ (y >> 1) ^ ((y & 1u) ? kMatrixA : 0u);
  }
  position_ = 0;
}

uint32_t RandomState::nextUInt32() {
  if (position_ >= kStateSize)
    regenerate();
  uint32_t y = state_[position_++];
  // Tempering.
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  y ^= y >> 18;
  return y;
}

double RandomState::randomSample() {
  uint32_t a = nextUInt32() >> 5, b = nextUInt32() >> 6;
  return (a * 67108864.0 + b) / 9007199254740992.0;
}

double RandomState::standardNormal() {
  if (hasCachedNormal_) {
    hasCachedNormal_ = false;
    return cachedNormal_;
  }
  double x1, x2, r2;
  do {
    x1 = 2.0 * randomSample() - 1.0;
    x2 = 2.0 * randomSample() - 1.0;
    r2 = x1 * x1 + x2 * x2;
  } while (r2 >= 1.0 || r2 == 0.0);
  double f = std::sqrt(-2.0 * std::log(r2) / r2);
  cachedNormal_ = f * x1;
  hasCachedNormal_ = true;
  return f * x2;
}

} // namespace needle::runtime
