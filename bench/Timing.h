// The benches' timer: the median of timed calls after warm-up calls.
#pragma once

#include "runtime/Module.h"

#include <algorithm>
#include <cstdio>
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

/// medianMs of `module.call(entry, inputs)`; a failed call prints
/// "`program`: error: ..." and gives -1.
inline double medianCallMs(int runs, runtime::Module &module, const char *entry,
                           const std::vector<runtime::Tensor> &inputs,
                           const char *program) {
  return medianMs(runs, [&] {
    auto out = module.call(entry, inputs);
    if (!out.ok())
      std::fprintf(stderr, "%s: error: %s\n", program, out.status().message().c_str());
    return out.ok();
  });
}

} // namespace needle::bench
