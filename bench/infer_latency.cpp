// Times one entry point of a compiled artifact: median wall time of repeated
// calls on a random f32 batch. Prints one line: "<ms median> <runs>".
//   infer_latency ARTIFACT ENTRY BATCH FEATURES [RUNS]
#include "runtime/Module.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

using namespace needle::runtime;

int main(int argc, char **argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: %s ARTIFACT ENTRY BATCH FEATURES [RUNS]\n", argv[0]);
    return 2;
  }
  int64_t batch = std::atoll(argv[3]), features = std::atoll(argv[4]);
  int runs = argc > 5 ? std::atoi(argv[5]) : 20;
  StatusOr<Module> module = Module::load(argv[1]);
  if (!module.ok()) {
    std::fprintf(stderr, "infer_latency: error: %s\n", module.status().message().c_str());
    return 1;
  }
  std::mt19937 rng(0);
  std::normal_distribution<float> normal;
  std::vector<float> values(batch * features);
  for (float &v : values)
    v = normal(rng);
  Tensor x = *Tensor::fromValues<float>({batch, features}, values);

  std::vector<double> times;
  for (int i = 0; i < runs + 3; ++i) {
    auto start = std::chrono::steady_clock::now();
    auto out = module->call(argv[2], {x});
    auto stop = std::chrono::steady_clock::now();
    if (!out.ok()) {
      std::fprintf(stderr, "infer_latency: error: %s\n", out.status().message().c_str());
      return 1;
    }
    if (i >= 3) // warm-up calls are not timed
      times.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
  }
  std::sort(times.begin(), times.end());
  std::printf("%.4f %d\n", times[times.size() / 2], runs);
  return 0;
}
