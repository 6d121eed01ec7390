// The benches' timer: the median of timed calls after warm-up calls.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <vector>

namespace needle::bench {

/// Median of `runs` timed calls of `body` in milliseconds, after warm-up
/// calls (at least 10 and 100 ms: libomp's thread pool and the caches settle
/// over the first calls); -1 as soon as `body` returns false.
inline double medianMs(int runs, const std::function<bool()> &body) {
  using Clock = std::chrono::steady_clock;
  auto warmUpStart = Clock::now();
  for (int i = 0; i < 10 || Clock::now() - warmUpStart < std::chrono::milliseconds(100); ++i)
    if (!body())
      return -1;
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    auto start = Clock::now();
    if (!body())
      return -1;
    auto stop = Clock::now();
    times.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

} // namespace needle::bench
