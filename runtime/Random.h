// numpy's legacy RandomState (np.random.seed / rand / randn), reproduced bit
// for bit so that a model initialised by the runtime from a seed holds the
// same parameters as the same needle model initialised in Python.
#pragma once

#include <cstdint>

namespace needle::runtime {

class RandomState {
public:
  /// As `np.random.seed(seed)` for an integer seed in [0, 2^32).
  explicit RandomState(uint32_t seed = 0) { this->seed(seed); }
  /// Resets the generator and drops the cached normal value, as numpy does.
  void seed(uint32_t seed);
  /// The seed last given to seed().
  uint32_t initialSeed() const { return initialSeed_; }

  /// The next raw MT19937 output.
  uint32_t nextUInt32();
  /// A double in [0, 1) with 53 random bits: `np.random.random_sample()`.
  double randomSample();
  /// `np.random.standard_normal()`: the legacy Marsaglia polar method, which
  /// makes two values per accepted pair and caches the second for the next
  /// call (the cache persists across tensors, as in numpy).
  double standardNormal();

private:
  static constexpr int kStateSize = 624;
  void regenerate();

  uint32_t initialSeed_ = 0;
  uint32_t state_[kStateSize];
  int position_ = kStateSize;
  bool hasCachedNormal_ = false;
  double cachedNormal_ = 0;
};

} // namespace needle::runtime
