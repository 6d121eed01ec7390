#include "runtime/needle_runtime.h"

#include "TestSupport.h"

#include <vector>

using namespace needle::runtime::testing;

extern "C" int needle_c_client_affine(const char *artifact, float out[6], char *error,
                                      size_t error_size);

namespace {

// The message of `status` (freed), or "" on success.
std::string take(needle_status_t *status) {
  std::string message = needle_status_message(status);
  needle_status_free(status);
  return message;
}

#define EXPECT_CONTAINS(haystack, needle)                                      \
  EXPECT_NE((haystack).find(needle), std::string::npos) << (haystack)

struct ModuleHandle {
  needle_module_t *module = nullptr;
  explicit ModuleHandle(uint32_t seed = 0, const char *checkpoint = nullptr) {
    EXPECT_EQ(take(needle_module_load(NEEDLE_FAKE_GOOD, seed, checkpoint, &module)), "");
  }
  ~ModuleHandle() { needle_module_free(module); }
};

needle_tensor_t *scalarF32(float value) {
  needle_tensor_t *tensor = nullptr;
  EXPECT_EQ(take(needle_tensor_create(NEEDLE_DTYPE_F32, 0, nullptr, &value, sizeof value,
                                      &tensor)),
            "");
  return tensor;
}

TEST(CApi, RunsFromC) {
  float out[6] = {};
  char error[512] = "";
  ASSERT_EQ(needle_c_client_affine(NEEDLE_FAKE_GOOD, out, error, sizeof error), 0) << error;
  const float expected[6] = {1, 4, 10, 4, 10, 19};
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(out[i], expected[i]) << i;
  EXPECT_EQ(needle_c_client_affine(NEEDLE_FAKE_BAD_VERSION, out, error, sizeof error), 1);
  EXPECT_CONTAINS(std::string(error), "format version 2");
}

TEST(CApi, StatusesCarryMessagesAndNullIsSuccess) {
  EXPECT_STREQ(needle_status_message(nullptr), "");
  needle_status_free(nullptr);
  needle_module_t *module = reinterpret_cast<needle_module_t *>(1);
  EXPECT_CONTAINS(take(needle_module_load("/nonexistent.so", 0, nullptr, &module)),
                  "cannot load artifact");
  EXPECT_EQ(module, nullptr);
  EXPECT_CONTAINS(take(needle_module_load(nullptr, 0, nullptr, &module)),
                  "needle_module_load: NULL argument");
}

TEST(CApi, ListsEntryPointsAndVariables) {
  ModuleHandle handle;
  ASSERT_EQ(needle_module_entry_point_count(handle.module), 6u);
  EXPECT_STREQ(needle_module_entry_point_name(handle.module, 0), "affine");
  EXPECT_EQ(needle_module_entry_point_name(handle.module, 6), nullptr);
  ASSERT_EQ(needle_module_variable_count(handle.module), 3u);
  EXPECT_STREQ(needle_module_variable_name(handle.module, 2), "counter");
  EXPECT_EQ(needle_module_variable_name(handle.module, 3), nullptr);
  size_t count = 0;
  EXPECT_EQ(take(needle_module_output_count(handle.module, "twice", &count)), "");
  EXPECT_EQ(count, 2u);
  EXPECT_CONTAINS(take(needle_module_output_count(handle.module, "nope", &count)),
                  "no entry point 'nope'");
}

TEST(CApi, CallsKeepStateAndRefuseBadArguments) {
  ModuleHandle handle;
  needle_tensor_t *lr = scalarF32(0.5f);
  const needle_tensor_t *inputs[] = {lr};
  needle_tensor_t *count = nullptr;
  for (int64_t expected = 1; expected <= 2; ++expected) {
    ASSERT_EQ(take(needle_module_call(handle.module, "step", inputs, 1, &count, 1)), "");
    EXPECT_EQ(needle_tensor_dtype(count), NEEDLE_DTYPE_I64);
    EXPECT_EQ(*static_cast<int64_t *>(needle_tensor_data(count)), expected);
    needle_tensor_free(count);
  }
  needle_tensor_t *outputs[2] = {};
  EXPECT_CONTAINS(take(needle_module_call(handle.module, "step", inputs, 1, outputs, 2)),
                  "step: room for 2 output(s) but it has 1");
  EXPECT_EQ(take(needle_module_call(handle.module, "step", inputs, 0, outputs, 1)),
            "step: expected 1 input(s) but got 0");
  EXPECT_EQ(outputs[0], nullptr);
  const needle_tensor_t *nullInput[] = {nullptr};
  EXPECT_CONTAINS(take(needle_module_call(handle.module, "step", nullInput, 1, outputs, 1)),
                  "input 0 is NULL");

  needle_tensor_t *counter = nullptr;
  ASSERT_EQ(take(needle_module_get_variable(handle.module, "counter", &counter)), "");
  EXPECT_EQ(*static_cast<int64_t *>(needle_tensor_data(counter)), 2);
  needle_tensor_free(counter);
  EXPECT_EQ(take(needle_module_set_variable(handle.module, "counter", lr)),
            "variable 'counter' is i64[] but the value is f32[]");
  needle_tensor_free(lr);
}

TEST(CApi, CheckpointsAndNpy) {
  ScratchDir dir;
  std::string checkpoint = dir.file("c.safetensors");
  {
    ModuleHandle handle(3);
    needle_tensor_t *lr = scalarF32(1.0f);
    const needle_tensor_t *inputs[] = {lr};
    needle_tensor_t *count = nullptr;
    ASSERT_EQ(take(needle_module_call(handle.module, "step", inputs, 1, &count, 1)), "");
    needle_tensor_free(count);
    needle_tensor_free(lr);
    ASSERT_EQ(take(needle_module_save_checkpoint(handle.module, checkpoint.c_str())), "");
  }
  ModuleHandle restored(0, checkpoint.c_str());
  needle_tensor_t *counter = nullptr;
  ASSERT_EQ(take(needle_module_get_variable(restored.module, "counter", &counter)), "");
  EXPECT_EQ(*static_cast<int64_t *>(needle_tensor_data(counter)), 1);

  std::string npy = dir.file("counter.npy");
  ASSERT_EQ(take(needle_tensor_write_npy(counter, npy.c_str())), "");
  needle_tensor_t *back = nullptr;
  ASSERT_EQ(take(needle_tensor_read_npy(npy.c_str(), &back)), "");
  EXPECT_EQ(needle_tensor_rank(back), 0u);
  EXPECT_EQ(*static_cast<int64_t *>(needle_tensor_data(back)), 1);
  needle_tensor_free(back);
  needle_tensor_free(counter);

  EXPECT_CONTAINS(take(needle_module_load_checkpoint(restored.module, "/nonexistent")),
                  "cannot open");

  needle_module_set_threads(restored.module, 3);
  EXPECT_EQ(needle_module_threads(restored.module), 3);
  needle_module_set_threads(restored.module, 0); // the default
  EXPECT_GE(needle_module_threads(restored.module), 1);
  EXPECT_EQ(needle_module_threads(nullptr), 0);
}

TEST(CApi, CreatesAndParsesTensors) {
  needle_tensor_t *tensor = nullptr;
  const int64_t shape[] = {2, 2};
  ASSERT_EQ(take(needle_tensor_create(NEEDLE_DTYPE_I32, 2, shape, nullptr, 0, &tensor)), "");
  EXPECT_EQ(static_cast<int32_t *>(needle_tensor_data(tensor))[3], 0);
  needle_tensor_free(tensor);
  const int32_t data[3] = {1, 2, 3};
  EXPECT_CONTAINS(take(needle_tensor_create(NEEDLE_DTYPE_I32, 2, shape, data, sizeof data,
                                            &tensor)),
                  "12 bytes given");
  EXPECT_EQ(tensor, nullptr);
  EXPECT_CONTAINS(take(needle_tensor_create(9, 0, nullptr,
                                            nullptr, 0, &tensor)),
                  "unknown dtype");
  ASSERT_EQ(take(needle_tensor_parse("2xf64=0.5 -1", &tensor)), "");
  EXPECT_EQ(needle_tensor_dtype(tensor), NEEDLE_DTYPE_F64);
  EXPECT_EQ(static_cast<double *>(needle_tensor_data(tensor))[1], -1.0);
  needle_tensor_free(tensor);
  EXPECT_CONTAINS(take(needle_tensor_parse("2xf64=1", &tensor)), "expected 2 value(s)");
}

} // namespace
