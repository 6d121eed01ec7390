// Times one entry point of a compiled artifact: median wall time of repeated
// calls on a random f32 batch. Prints one line: "<ms median> <runs>".
//   infer_latency ARTIFACT ENTRY BATCH FEATURES [RUNS]
#include "bench/Timing.h"
#include "runtime/Module.h"

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

  double ms = needle::bench::medianCallMs(runs, *module, argv[2], {x}, "infer_latency");
  if (ms < 0)
    return 1;
  std::printf("%.4f %d\n", ms, runs);
  return 0;
}
