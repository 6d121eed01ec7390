// Module against the hand-written fake artifacts (fake_artifact.c).
#include "runtime/Module.h"

#include "runtime/MemRef.h"
#include "runtime/Random.h"
#include "runtime/SafeTensors.h"

#include "TestSupport.h"

#include <cmath>
#include <dlfcn.h>
#include <unistd.h>

using namespace needle::runtime;
using namespace needle::runtime::testing;

namespace {

#define EXPECT_CONTAINS(haystack, needle)                                      \
  EXPECT_NE((haystack).find(needle), std::string::npos) << (haystack)

Module loadGood(uint32_t seed = 0) {
  LoadOptions options;
  options.seed = seed;
  StatusOr<Module> module = Module::load(NEEDLE_FAKE_GOOD, options);
  EXPECT_TRUE(module.ok()) << errorOf(module);
  if (!module.ok())
    std::abort();
  return std::move(*module);
}

template <typename T> std::vector<T> values(const Tensor &tensor) {
  const T *data = tensor.dataAs<T>();
  EXPECT_NE(data, nullptr) << tensor.typeString();
  return data ? std::vector<T>(data, data + tensor.numElements()) : std::vector<T>{};
}

template <typename T> std::vector<T> variableValues(const Module &module, const char *name) {
  StatusOr<Tensor> value = module.variable(name);
  EXPECT_TRUE(value.ok()) << errorOf(value);
  return value.ok() ? values<T>(*value) : std::vector<T>{};
}

Tensor f32(Shape shape, std::vector<float> data) {
  return *Tensor::fromValues<float>(std::move(shape), data);
}

// Every variable, to show that a refused call changed nothing.
std::vector<Tensor> snapshot(const Module &module) {
  std::vector<Tensor> all;
  for (const std::string &name : module.variableNames())
    all.push_back(*module.variable(name));
  return all;
}

void expectSameVariables(const std::vector<Tensor> &a, const std::vector<Tensor> &b) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i)
    EXPECT_TRUE(a[i].bitwiseEquals(b[i])) << i;
}

TEST(Module, LoadsAndInitialisesVariablesFromTheSeed) {
  Module module = loadGood(1337);
  EXPECT_EQ(module.entryPointNames(),
            (std::vector<std::string>{"affine", "step", "transpose", "identity", "twice",
                                      "bad_shape"}));
  EXPECT_EQ(module.variableNames(), (std::vector<std::string>{"w", "b", "counter"}));
  EXPECT_EQ(module.manifest().compilerVersion, "0.1.0-fake");

  // w: kaiming_uniform(fan_in=3) = rand(-sqrt(2), sqrt(2)), drawn first.
  RandomState random(1337);
  double bound = std::sqrt(2.0) * std::sqrt(3.0 / 3.0);
  std::vector<float> w = variableValues<float>(module, "w");
  ASSERT_EQ(w.size(), 3u);
  for (float value : w)
    EXPECT_EQ(value, float(random.randomSample() * (2 * bound) - bound));
  EXPECT_EQ(variableValues<float>(module, "b"), (std::vector<float>{0.5f, 0.5f, 0.5f}));
  EXPECT_EQ(variableValues<int64_t>(module, "counter"), std::vector<int64_t>{0});

  EXPECT_EQ(variableValues<float>(loadGood(1337), "w"), w);
  EXPECT_NE(variableValues<float>(loadGood(1338), "w"), w);
  module.initializeVariables(1337);
  EXPECT_EQ(variableValues<float>(module, "w"), w);
}

// Descriptors hold their words inline up to kInlineRank and on the heap
// beyond; both must lay out {allocated, aligned, offset, sizes, strides}.
TEST(MemRefDescriptor, LaysOutEveryRank) {
  float data[1];
  for (size_t rank = 0; rank <= MemRefDescriptor::kInlineRank + 3; ++rank) {
    Shape shape;
    for (size_t i = 0; i < rank; ++i)
      shape.push_back(int64_t(i + 2));
    MemRefDescriptor descriptor = MemRefDescriptor::contiguous(data, shape);
    MemRefDescriptor copy = descriptor;
    for (MemRefDescriptor *d : {&descriptor, &copy}) {
      const int64_t *words = static_cast<const int64_t *>(d->address());
      EXPECT_EQ(reinterpret_cast<void *>(words[0]), static_cast<void *>(data)) << rank;
      EXPECT_EQ(reinterpret_cast<void *>(words[1]), static_cast<void *>(data)) << rank;
      EXPECT_EQ(words[2], 0) << rank;
      int64_t stride = 1;
      for (size_t i = rank; i-- > 0;) {
        EXPECT_EQ(words[3 + i], shape[i]) << rank;
        EXPECT_EQ(words[3 + rank + i], stride) << rank;
        EXPECT_EQ(d->size(i), shape[i]);
        EXPECT_EQ(d->stride(i), stride);
        stride *= shape[i];
      }
    }
    MemRefDescriptor output(rank);
    const int64_t *words = static_cast<const int64_t *>(output.address());
    for (size_t i = 0; i < 3 + 2 * rank; ++i)
      EXPECT_EQ(words[i], 0) << rank;
  }
}

TEST(Module, CallsWithDynamicBatchAndAdoptsAlignedOutputs) {
  Module module = loadGood();
  ASSERT_OK(module.setVariable("w", f32({3}, {1, 2, 3})));
  ASSERT_OK(module.setVariable("b", f32({3}, {0.5f, -1, 0})));
  StatusOr<std::vector<Tensor>> out = module.call("affine", {f32({2, 3}, {1, 2, 3, 4, 5, 6})});
  ASSERT_OK(out);
  ASSERT_EQ(out->size(), 1u);
  EXPECT_EQ((*out)[0].typeString(), "f32[2, 3]");
  EXPECT_EQ(values<float>((*out)[0]), (std::vector<float>{1.5f, 3, 9, 4.5f, 9, 18}));

  // The callee's 64-byte-aligned buffer became the tensor's storage.
  void *library = dlopen(NEEDLE_FAKE_GOOD, RTLD_NOW | RTLD_NOLOAD);
  ASSERT_NE(library, nullptr);
  auto *last = static_cast<void **>(dlsym(library, "fake_last_affine_output"));
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(*last, (*out)[0].data());
  dlclose(library);

  StatusOr<std::vector<Tensor>> batch5 = module.call("affine", {*Tensor::zeros(DType::f32, {5, 3})});
  ASSERT_OK(batch5);
  EXPECT_EQ((*batch5)[0].typeString(), "f32[5, 3]");
  EXPECT_EQ(values<float>((*batch5)[0])[14], 0.0f);
  StatusOr<std::vector<Tensor>> empty = module.call("affine", {*Tensor::zeros(DType::f32, {0, 3})});
  ASSERT_OK(empty);
  EXPECT_EQ((*empty)[0].typeString(), "f32[0, 3]");
}

TEST(Module, StatePersistsAcrossCalls) {
  Module module = loadGood();
  std::vector<float> w0 = variableValues<float>(module, "w");
  for (int64_t expected = 1; expected <= 3; ++expected) {
    StatusOr<std::vector<Tensor>> out = module.call("step", {f32({}, {0.25f})});
    ASSERT_OK(out);
    EXPECT_EQ((*out)[0].typeString(), "i64[]");
    EXPECT_EQ(values<int64_t>((*out)[0]), std::vector<int64_t>{expected});
  }
  EXPECT_EQ(variableValues<int64_t>(module, "counter"), std::vector<int64_t>{3});
  std::vector<float> w = variableValues<float>(module, "w");
  for (size_t j = 0; j < 3; ++j)
    EXPECT_EQ(w[j], w0[j] - 0.25f - 0.25f - 0.25f);
}

TEST(Module, RefusedCallsNameTheProblemAndChangeNothing) {
  Module module = loadGood();
  ASSERT_OK(module.call("step", {f32({}, {1})}));
  std::vector<Tensor> before = snapshot(module);
  struct Case {
    const char *entry;
    std::vector<Tensor> inputs;
    const char *message;
  };
  for (const Case &c : std::vector<Case>{
           {"affine", {f32({3, 5}, std::vector<float>(15))},
            "affine: input 0 ('x') has shape [3, 5] but the entry point expects [?, 3]"},
           {"affine", {f32({3}, {1, 2, 3})},
            "affine: input 0 ('x') has shape [3] but the entry point expects [?, 3]"},
           {"affine", {*Tensor::zeros(DType::f64, {1, 3})},
            "affine: input 0 ('x') has dtype f64 but the entry point expects f32"},
           {"affine", {}, "affine: expected 1 input(s) but got 0"},
           {"step", {f32({1}, {1})},
            "step: input 0 ('lr') has shape [1] but the entry point expects []"},
           {"step", {*Tensor::zeros(DType::f64, {})},
            "step: input 0 ('lr') has dtype f64 but the entry point expects f32"},
           {"step", {f32({}, {1}), f32({}, {1})}, "step: expected 1 input(s) but got 2"},
           {"transpose", {*Tensor::zeros(DType::f64, {3, 2})},
            "transpose: input 0 ('m') has shape [3, 2] but the entry point expects [2, 3]"},
           {"nope", {},
            "no entry point 'nope' (the artifact has: affine, step, transpose, identity, "
            "twice, bad_shape)"},
       }) {
    StatusOr<std::vector<Tensor>> out = module.call(c.entry, c.inputs);
    EXPECT_FALSE(out.ok());
    EXPECT_EQ(errorOf(out), c.message);
  }
  expectSameVariables(before, snapshot(module));
}

TEST(Module, GathersStridedOutputs) {
  Module module = loadGood();
  StatusOr<std::vector<Tensor>> out =
      module.call("transpose", {*Tensor::fromValues<double>({2, 3}, {1, 2, 3, 4, 5, 6})});
  ASSERT_OK(out);
  EXPECT_EQ((*out)[0].typeString(), "f64[3, 2]");
  EXPECT_EQ(values<double>((*out)[0]), (std::vector<double>{1, 4, 2, 5, 3, 6}));
}

TEST(Module, CopiesRuntimeBuffersHandedBackAndNeverFreesThem) {
  Module module = loadGood();
  Tensor input = *Tensor::fromValues<int32_t>({4}, {7, -8, 9, 10});
  for (int i = 0; i < 3; ++i) {
    StatusOr<std::vector<Tensor>> out = module.call("identity", {input});
    ASSERT_OK(out);
    EXPECT_TRUE((*out)[0].bitwiseEquals(input));
    EXPECT_NE((*out)[0].data(), input.data());
  }
  EXPECT_EQ(values<int32_t>(input), (std::vector<int32_t>{7, -8, 9, 10}));
}

TEST(Module, ABufferReturnedTwiceIsSharedAndFreedOnce) {
  Module module = loadGood();
  for (int i = 0; i < 3; ++i) {
    StatusOr<std::vector<Tensor>> out = module.call("twice", {});
    ASSERT_OK(out);
    ASSERT_EQ(out->size(), 2u);
    EXPECT_EQ(values<float>((*out)[0]), (std::vector<float>{1, 2}));
    EXPECT_EQ(values<float>((*out)[1]), (std::vector<float>{3, 4}));
    // Both adopted in place: b starts 16 floats after a in the same block.
    EXPECT_EQ(static_cast<char *>((*out)[1].data()) - static_cast<char *>((*out)[0].data()), 64);
    Tensor keep = (*out)[1];
    out->clear(); // a dies first; b keeps the block alive
    EXPECT_EQ(values<float>(keep), (std::vector<float>{3, 4}));
  }
}

/// The fake artifact's count of needle_buffer_free calls.
int bufferFrees() {
  void *library = dlopen(NEEDLE_FAKE_GOOD, RTLD_NOW | RTLD_NOLOAD);
  EXPECT_NE(library, nullptr);
  if (!library)
    return -1;
  int count = *static_cast<int *>(dlsym(library, "fake_buffer_frees"));
  dlclose(library);
  return count;
}

bool fakeLoaded() {
  void *library = dlopen(NEEDLE_FAKE_GOOD, RTLD_NOW | RTLD_NOLOAD);
  if (library)
    dlclose(library);
  return library != nullptr;
}

TEST(Module, OutputsGoBackThroughTheArtifactsDeallocator) {
  Module module = loadGood();
  int before = bufferFrees();
  {
    StatusOr<std::vector<Tensor>> out = module.call("affine", {f32({2, 3}, std::vector<float>(6))});
    ASSERT_OK(out);
    EXPECT_EQ(bufferFrees(), before); // alive while the tensor is
  }
  EXPECT_EQ(bufferFrees(), before + 1);
  { ASSERT_OK(module.call("twice", {})); } // one block in two outputs
  EXPECT_EQ(bufferFrees(), before + 2);
  { ASSERT_OK(module.call("step", {f32({}, {0})})); } // copied: freed at once
  EXPECT_EQ(bufferFrees(), before + 3);
  { ASSERT_OK(module.call("identity", {*Tensor::fromValues<int32_t>({1}, {0})})); } // never
  EXPECT_EQ(bufferFrees(), before + 3);
}

// An output may outlive its Module: the artifact is unloaded with the
// Module (a recompiled file at the same path loads afresh, and the block
// cache goes with it), and the output is then freed with free().
TEST(Module, AnOutputOutlivesItsArtifact) {
  ASSERT_FALSE(fakeLoaded());
  Tensor kept;
  {
    Module module = loadGood();
    ASSERT_OK(module.setVariable("w", f32({3}, {1, 1, 1})));
    ASSERT_OK(module.setVariable("b", f32({3}, {0, 0, 0})));
    StatusOr<std::vector<Tensor>> out = module.call("affine", {f32({1, 3}, {1, 2, 3})});
    ASSERT_OK(out);
    kept = (*out)[0];
  }
  EXPECT_FALSE(fakeLoaded());
  EXPECT_EQ(values<float>(kept), (std::vector<float>{1, 2, 3}));
  kept = Tensor(); // free(), not the unloaded artifact's function
  EXPECT_FALSE(fakeLoaded());
}

TEST(Module, ArtifactsWithoutADeallocatorFreeOutputsWithFree) {
  StatusOr<Module> module = Module::load(NEEDLE_FAKE_PLAIN_FREE);
  ASSERT_OK(module);
  for (int i = 0; i < 3; ++i) {
    StatusOr<std::vector<Tensor>> out = module->call("twice", {});
    ASSERT_OK(out);
    EXPECT_EQ(values<float>((*out)[1]), (std::vector<float>{3, 4}));
    StatusOr<std::vector<Tensor>> affine =
        module->call("affine", {f32({1, 3}, {1, 2, 3})});
    ASSERT_OK(affine);
  }
}

TEST(Module, ReportsOutputsThatContradictTheManifest) {
  Module module = loadGood();
  EXPECT_EQ(errorOf(module.call("bad_shape", {})),
            "bad_shape: output 0 ('y') came back with shape [3] but the manifest says [2]");
}

TEST(Module, SetVariableIsChecked) {
  Module module = loadGood();
  std::vector<Tensor> before = snapshot(module);
  EXPECT_EQ(module.setVariable("w", f32({4}, {1, 2, 3, 4})).message(),
            "variable 'w' is f32[3] but the value is f32[4]");
  EXPECT_EQ(module.setVariable("counter", f32({}, {1})).message(),
            "variable 'counter' is i64[] but the value is f32[]");
  EXPECT_EQ(module.setVariable("ghost", f32({}, {1})).message(),
            "no variable 'ghost' (the module has: w, b, counter)");
  EXPECT_FALSE(module.variable("ghost").ok());
  expectSameVariables(before, snapshot(module));

  // variable() returns a copy: writing it does not touch the module.
  Tensor copy = *module.variable("b");
  copy.dataAs<float>()[0] = 42;
  EXPECT_EQ(variableValues<float>(module, "b")[0], 0.5f);
}

TEST(Module, CheckpointsRoundTripBitExactly) {
  ScratchDir dir;
  Module trained = loadGood(5);
  ASSERT_OK(trained.call("step", {f32({}, {0.125f})}));
  ASSERT_OK(trained.call("step", {f32({}, {0.5f})}));
  std::string path = dir.file("ckpt.safetensors");
  ASSERT_OK(trained.saveCheckpoint(path));

  StatusOr<SafeTensors> file = readSafeTensors(path);
  ASSERT_OK(file);
  EXPECT_EQ(file->tensors.size(), 3u);
  EXPECT_EQ(file->metadata.at("format"), "needle-checkpoint");

  LoadOptions options;
  options.seed = 99;
  options.checkpoint = path;
  StatusOr<Module> restored = Module::load(NEEDLE_FAKE_GOOD, options);
  ASSERT_OK(restored);
  expectSameVariables(snapshot(trained), snapshot(*restored));

  Module other = loadGood(77);
  ASSERT_OK(other.loadCheckpoint(path));
  expectSameVariables(snapshot(trained), snapshot(other));
  // Saving again gives the same bytes.
  ASSERT_OK(other.saveCheckpoint(dir.file("again.safetensors")));
  EXPECT_EQ(readBytes(path), readBytes(dir.file("again.safetensors")));
  // And training continues from the restored state.
  StatusOr<std::vector<Tensor>> count = restored->call("step", {f32({}, {0})});
  ASSERT_OK(count);
  EXPECT_EQ(values<int64_t>((*count)[0]), std::vector<int64_t>{3});
}

TEST(Module, CheckpointMismatchesAreAllReportedAndChangeNothing) {
  ScratchDir dir;
  SafeTensors file;
  file.tensors["w"] = f32({4}, {1, 2, 3, 4});
  file.tensors["b"] = *Tensor::zeros(DType::f64, {3});
  file.tensors["ghost"] = f32({}, {1});
  std::string path = dir.file("bad.safetensors");
  ASSERT_OK(writeSafeTensors(path, file));

  Module module = loadGood();
  std::vector<Tensor> before = snapshot(module);
  Status status = module.loadCheckpoint(path);
  EXPECT_EQ(status.message(),
            "checkpoint '" + path + "' does not match the module: variable 'w' is f32[3] "
            "in the module but f32[4] in the checkpoint; variable 'b' is f32[3] in the "
            "module but f64[3] in the checkpoint; missing variable 'counter'; "
            "unexpected tensor 'ghost'");
  expectSameVariables(before, snapshot(module));

  LoadOptions options;
  options.checkpoint = path;
  EXPECT_CONTAINS(errorOf(Module::load(NEEDLE_FAKE_GOOD, options)), "missing variable 'counter'");
  options.checkpoint = dir.file("absent.safetensors");
  EXPECT_CONTAINS(errorOf(Module::load(NEEDLE_FAKE_GOOD, options)), "cannot open");
}

TEST(Module, RefusesBrokenArtifactsClearly) {
  struct Case {
    const char *path, *message;
  };
  for (const Case &c : {
           Case{NEEDLE_FAKE_BAD_VERSION,
                "artifact format version 2 is not supported (this runtime reads version 1)"},
           Case{NEEDLE_FAKE_MISSING_SYMBOL,
                "entry point 'ghost' names symbol 'fake_ghost', which the artifact does "
                "not export"},
           Case{NEEDLE_FAKE_BAD_JSON, "manifest is not valid JSON"},
           Case{NEEDLE_FAKE_CUDA,
                "artifact target 'cuda' is not supported by this build's CPU executor"},
           Case{NEEDLE_FAKE_NO_MANIFEST,
                "is not a needle artifact: it exports no 'needle_manifest_v1' symbol"},
           Case{NEEDLE_FAKE_UNKNOWN_VARIABLE,
                "entry point 'affine': uses unknown variable 'nope'"},
           Case{"/nonexistent/model.so", "cannot load artifact '/nonexistent/model.so'"},
       }) {
    StatusOr<Module> module = Module::load(c.path);
    EXPECT_FALSE(module.ok()) << c.path;
    EXPECT_CONTAINS(errorOf(module), c.message);
    EXPECT_CONTAINS(errorOf(module), std::string(c.path)); // names the file
  }
  ScratchDir dir;
  writeBytes(dir.file("junk.so"), "not an ELF file");
  EXPECT_CONTAINS(errorOf(Module::load(dir.file("junk.so"))), "cannot load artifact");
}

TEST(Module, LoadsARelativePathAsAFile) {
  std::string full = NEEDLE_FAKE_GOOD;
  std::string directory = full.substr(0, full.rfind('/'));
  std::string name = full.substr(full.rfind('/') + 1);
  char previous[4096];
  ASSERT_NE(getcwd(previous, sizeof previous), nullptr);
  ASSERT_EQ(chdir(directory.c_str()), 0);
  StatusOr<Module> module = Module::load(name);
  ASSERT_EQ(chdir(previous), 0);
  EXPECT_OK(module);
}

} // namespace
