// BatchNorm1d alone: times `forward_train` and `infer` of an artifact built
// from a BatchNorm1d(FEATURES) model on THREADS threads, and a STREAM-like
// copy of the same number of bytes on as many threads in the same process,
// on a random f32 batch. Medians of RUNS timed calls (after warm-up calls).
// Prints one line:
//   "<train ms> <infer ms> <copy ms> <memcpy ms> <large copy GB/s> <sweeps ms>"
// where memcpy is glibc's on one thread, the large copy is the STREAM-like
// copy on arrays far larger than the caches, and sweeps is a pass reading x
// followed by a copy of x to y, back to back on THREADS threads: the traffic
// of the training form, which reads x for its statistics and then reads x
// and writes y, with no arithmetic.
//   batchnorm_bench ARTIFACT BATCH FEATURES [RUNS [THREADS]]
#include "bench/Timing.h"
#include "runtime/Module.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <pthread.h>
#include <random>
#include <thread>
#include <vector>

using namespace needle::runtime;

namespace {

/// Exits on a failed call.
double medianMs(int runs, const std::function<bool()> &body) {
  double ms = needle::bench::medianMs(runs, body);
  if (ms < 0)
    std::exit(1);
  return ms;
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

// One read stream: an xor of the bits, which vectorises without reordering
// float additions.
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
__attribute__((noinline)) uint32_t
streamRead(const float *source, size_t count) {
  const uint32_t *bits = reinterpret_cast<const uint32_t *>(source);
  uint32_t folded = 0;
  for (size_t i = 0; i < count; ++i)
    folded ^= bits[i];
  return folded;
}

/// STREAM runs its copy on every thread, each on a contiguous part; so does
/// this, with workers that spin between copies (as the compiled code's
/// OpenMP workers do) so that a copy pays no thread start-up. For the
/// training form's bound it also reads each part before copying it: the two
/// sweeps the training form makes (statistics, then y), without arithmetic.
class ParallelCopy {
public:
  explicit ParallelCopy(int threads) {
    for (int t = 1; t < threads; ++t)
      workers_.emplace_back([this, t, threads] {
        // Bound, as the runtime asks libomp to bind its workers.
        cpu_set_t cpus;
        CPU_ZERO(&cpus);
        CPU_SET(t % std::max(1u, std::thread::hardware_concurrency()), &cpus);
        pthread_setaffinity_np(pthread_self(), sizeof(cpus), &cpus);
        for (uint64_t seen = 0;;) {
          uint64_t now;
          while ((now = generation_.load(std::memory_order_acquire)) == seen)
            ;
          seen = now;
          if (stop_)
            return;
          part(t, threads);
          done_.fetch_add(1, std::memory_order_release);
        }
      });
  }
  ~ParallelCopy() {
    stop_ = true;
    generation_.fetch_add(1, std::memory_order_release);
    for (std::thread &worker : workers_)
      worker.join();
  }
  void operator()(const float *source, float *destination, size_t count,
                  bool readFirst = false) {
    source_ = source, destination_ = destination, count_ = count;
    readFirst_ = readFirst;
    done_.store(0, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
    int threads = int(workers_.size()) + 1;
    part(0, threads);
    while (done_.load(std::memory_order_acquire) != int(workers_.size()))
      ;
  }

private:
  void part(int t, int threads) {
    // Parts of whole cache lines.
    size_t chunk = (count_ / threads + 15) / 16 * 16;
    size_t begin = std::min(count_, t * chunk), end = std::min(count_, begin + chunk);
    if (readFirst_)
      folded_[t % kMaxFolds] = streamRead(source_ + begin, end - begin);
    streamCopy(source_ + begin, destination_ + begin, end - begin);
  }
  static constexpr int kMaxFolds = 64;
  uint32_t folded_[kMaxFolds] = {};
  std::vector<std::thread> workers_;
  std::atomic<uint64_t> generation_{0};
  std::atomic<int> done_{0};
  std::atomic<bool> stop_{false};
  const float *source_ = nullptr;
  float *destination_ = nullptr;
  size_t count_ = 0;
  bool readFirst_ = false;
};

struct CopyTimes {
  double stream, library, readThenCopy;
};

CopyTimes copyMs(size_t count, int runs, ParallelCopy &copy) {
  std::vector<float> source(count, 1.0f), destination(count, 0.0f);
  double stream = medianMs(runs, [&] {
    copy(source.data(), destination.data(), count);
    return destination[count / 2] == 1.0f;
  });
  double readThenCopy = medianMs(runs, [&] {
    copy(source.data(), destination.data(), count, /*readFirst=*/true);
    return destination[count / 2] == 1.0f;
  });
  double library = medianMs(runs, [&] {
    std::memcpy(destination.data(), source.data(), count * sizeof(float));
    return destination[count / 2] == 1.0f;
  });
  return {stream, library, readThenCopy};
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s ARTIFACT BATCH FEATURES [RUNS [THREADS]]\n", argv[0]);
    return 2;
  }
  int64_t batch = std::atoll(argv[2]), features = std::atoll(argv[3]);
  int runs = argc > 4 ? std::atoi(argv[4]) : 50;
  LoadOptions options;
  options.threads = argc > 5 ? std::atoi(argv[5]) : 1;
  StatusOr<Module> module = Module::load(argv[1], options);
  if (!module.ok()) {
    std::fprintf(stderr, "batchnorm_bench: error: %s\n",
                 module.status().message().c_str());
    return 1;
  }
  // The copies first, their workers gone before the compiled code's start.
  CopyTimes copy{};
  double largeCopy = 0;
  size_t large = size_t(64) << 20; // 256 MiB per array
  {
    ParallelCopy parallelCopy(module->threads());
    copy = copyMs(size_t(batch * features), runs, parallelCopy);
    largeCopy = copyMs(large, 5, parallelCopy).stream;
  }

  std::mt19937 rng(0);
  std::normal_distribution<float> normal(3.0f, 2.0f);
  std::vector<float> values(batch * features);
  for (float &v : values)
    v = normal(rng);
  Tensor x = *Tensor::fromValues<float>({batch, features}, values);

  auto timeEntry = [&](const char *entry) {
    double ms = needle::bench::medianCallMs(runs, *module, entry, {x}, "batchnorm_bench");
    if (ms < 0)
      std::exit(1);
    return ms;
  };
  double train = timeEntry("forward_train");
  double infer = timeEntry("infer");
  std::printf("%.5f %.5f %.5f %.5f %.2f %.5f\n", train, infer, copy.stream, copy.library,
              2.0 * large * sizeof(float) / (largeCopy * 1e6), copy.readThenCopy);
  return 0;
}
