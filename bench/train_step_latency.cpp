// Times the train_step entry of a compiled artifact: median wall time of
// repeated steps on one random batch (f32 inputs, i32 labels). Prints one
// line: "<ms median> <runs>".
//   train_step_latency ARTIFACT BATCH FEATURES CLASSES [RUNS]
#include "bench/Timing.h"
#include "runtime/Module.h"

#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

using namespace needle::runtime;

int main(int argc, char **argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: %s ARTIFACT BATCH FEATURES CLASSES [RUNS]\n", argv[0]);
    return 2;
  }
  int64_t batch = std::atoll(argv[2]), features = std::atoll(argv[3]);
  int classes = std::atoi(argv[4]);
  int runs = argc > 5 ? std::atoi(argv[5]) : 20;
  if (batch <= 0 || features <= 0 || classes <= 0 || runs <= 0) {
    std::fprintf(
        stderr,
        "train_step_latency: BATCH, FEATURES, CLASSES and RUNS must be positive\n");
    return 2;
  }
  StatusOr<Module> module = Module::load(argv[1]);
  if (!module.ok()) {
    std::fprintf(stderr, "train_step_latency: error: %s\n",
                 module.status().message().c_str());
    return 1;
  }
  std::mt19937 rng(0);
  std::normal_distribution<float> normal;
  std::uniform_int_distribution<int32_t> label(0, classes - 1);
  std::vector<float> values(batch * features);
  for (float &v : values)
    v = normal(rng);
  std::vector<int32_t> labels(batch);
  for (int32_t &l : labels)
    l = label(rng);
  std::vector<Tensor> inputs = {*Tensor::fromValues<float>({batch, features}, values),
                                *Tensor::fromValues<int32_t>({batch}, labels)};

  double ms =
      needle::bench::medianCallMs(runs, *module, "train_step", inputs, "train_step_latency");
  if (ms < 0)
    return 1;
  std::printf("%.4f %d\n", ms, runs);
  return 0;
}
