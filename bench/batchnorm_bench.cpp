// BatchNorm1d alone: times `forward_train` and `infer` of an artifact built
// from a BatchNorm1d(FEATURES) model, and a STREAM-like copy of the same
// number of bytes in the same process, on a random f32 batch. Medians of
// RUNS timed calls (after warm-up calls). Prints one line:
//   "<train ms> <infer ms> <copy ms> <memcpy ms> <large copy GB/s>"
// where the last is the STREAM-like copy's bandwidth on arrays far larger
// than the caches.
//   batchnorm_bench ARTIFACT BATCH FEATURES [RUNS]
#include "runtime/Module.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <vector>

using namespace needle::runtime;

namespace {

double medianMs(int runs, const std::function<bool()> &body) {
  std::vector<double> times;
  for (int i = 0; i < runs + 3; ++i) {
    auto start = std::chrono::steady_clock::now();
    if (!body())
      std::exit(1);
    auto stop = std::chrono::steady_clock::now();
    if (i >= 3) // warm-up runs are not timed
      times.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

// STREAM's "copy" kernel: one read stream and one write stream with ordinary
// stores, as the compiled BatchNorm loops make, in the widest vectors the
// machine has (as needlec's --cpu=native code). This is the reference; glibc's
// memcpy (rep movsb or non-temporal stores, which skip reading the
// destination) is timed for information.
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("no-tree-loop-distribute-patterns"),
               target_clones("avx512f", "avx2", "default")))
#endif
__attribute__((noinline)) void
streamCopy(const float *__restrict source, float *__restrict destination, size_t count) {
  for (size_t i = 0; i < count; ++i)
    destination[i] = source[i];
}

struct CopyTimes {
  double stream, library;
};

CopyTimes copyMs(size_t count, int runs) {
  std::vector<float> source(count, 1.0f), destination(count, 0.0f);
  double stream = medianMs(runs, [&] {
    streamCopy(source.data(), destination.data(), count);
    return destination[count / 2] == 1.0f;
  });
  double library = medianMs(runs, [&] {
    std::memcpy(destination.data(), source.data(), count * sizeof(float));
    return destination[count / 2] == 1.0f;
  });
  return {stream, library};
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s ARTIFACT BATCH FEATURES [RUNS]\n", argv[0]);
    return 2;
  }
  int64_t batch = std::atoll(argv[2]), features = std::atoll(argv[3]);
  int runs = argc > 4 ? std::atoi(argv[4]) : 50;
  StatusOr<Module> module = Module::load(argv[1]);
  if (!module.ok()) {
    std::fprintf(stderr, "batchnorm_bench: error: %s\n",
                 module.status().message().c_str());
    return 1;
  }
  std::mt19937 rng(0);
  std::normal_distribution<float> normal(3.0f, 2.0f);
  std::vector<float> values(batch * features);
  for (float &v : values)
    v = normal(rng);
  Tensor x = *Tensor::fromValues<float>({batch, features}, values);

  auto timeEntry = [&](const char *entry) {
    return medianMs(runs, [&] {
      auto out = module->call(entry, {x});
      if (!out.ok())
        std::fprintf(stderr, "batchnorm_bench: error: %s\n",
                     out.status().message().c_str());
      return out.ok();
    });
  };
  double train = timeEntry("forward_train");
  double infer = timeEntry("infer");
  CopyTimes copy = copyMs(size_t(batch * features), runs);
  size_t large = size_t(64) << 20; // 256 MiB per array
  double largeCopy = copyMs(large, 5).stream;
  std::printf("%.5f %.5f %.5f %.5f %.2f\n", train, infer, copy.stream, copy.library,
              2.0 * large * sizeof(float) / (largeCopy * 1e6));
  return 0;
}
