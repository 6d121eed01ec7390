#include "runtime/Tensor.h"

#include "TestSupport.h"

#include <cstring>

using namespace needle::runtime;

namespace {

TEST(DType, NamesAndSizes) {
  struct Case {
    DType dtype;
    size_t size;
    const char *name, *npy, *safetensors;
  };
  for (const Case &c : {Case{DType::f32, 4, "f32", "<f4", "F32"},
                        Case{DType::f64, 8, "f64", "<f8", "F64"},
                        Case{DType::i32, 4, "i32", "<i4", "I32"},
                        Case{DType::i64, 8, "i64", "<i8", "I64"}}) {
    EXPECT_EQ(dtypeSize(c.dtype), c.size);
    EXPECT_STREQ(dtypeName(c.dtype), c.name);
    EXPECT_STREQ(npyDescr(c.dtype), c.npy);
    EXPECT_STREQ(safetensorsDTypeName(c.dtype), c.safetensors);
    EXPECT_EQ(*parseDType(c.name), c.dtype);
    EXPECT_EQ(*dtypeFromNpyDescr(c.npy), c.dtype);
    EXPECT_EQ(*dtypeFromSafetensorsName(c.safetensors), c.dtype);
  }
  EXPECT_NE(errorOf(parseDType("f16")).find("unknown dtype 'f16'"), std::string::npos);
  EXPECT_NE(errorOf(dtypeFromNpyDescr(">f4")).find("big-endian"), std::string::npos);
  EXPECT_FALSE(dtypeFromNpyDescr("<f2").ok());
  EXPECT_FALSE(dtypeFromSafetensorsName("BF16").ok());
}

TEST(Tensor, ElementCountChecksOverflow) {
  EXPECT_EQ(*checkedElementCount({}), 1);
  EXPECT_EQ(*checkedElementCount({2, 3, 4}), 24);
  EXPECT_EQ(*checkedElementCount({5, 0, 7}), 0);
  EXPECT_FALSE(checkedElementCount({-1, 3}).ok());
  EXPECT_FALSE(checkedElementCount({INT64_MAX, 2}).ok());
  EXPECT_FALSE(checkedElementCount({1LL << 32, 1LL << 32}).ok());
  EXPECT_TRUE(checkedElementCount({1LL << 60}).ok());
  EXPECT_FALSE(checkedElementCount({1LL << 60}, 8).ok()); // bytes overflow
}

TEST(Tensor, FormatsShapes) {
  EXPECT_EQ(formatShape({}), "[]");
  EXPECT_EQ(formatShape({3, 5}), "[3, 5]");
  EXPECT_EQ(formatShape({-1, 784}), "[?, 784]");
}

TEST(Tensor, ZerosAreAlignedAndZeroed) {
  StatusOr<Tensor> t = Tensor::zeros(DType::f64, {3, 5});
  ASSERT_OK(t);
  EXPECT_EQ(t->numElements(), 15);
  EXPECT_EQ(t->byteSize(), 120u);
  EXPECT_EQ(t->rank(), 2u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(t->data()) % kTensorAlignment, 0u);
  for (int i = 0; i < 15; ++i)
    EXPECT_EQ(t->dataAs<double>()[i], 0.0);
  EXPECT_EQ(t->dataAs<float>(), nullptr); // wrong type
  // Empty and rank-0 tensors still get storage.
  EXPECT_NE(Tensor::zeros(DType::i32, {0, 4})->data(), nullptr);
  EXPECT_EQ(Tensor::zeros(DType::i32, {})->numElements(), 1);
  EXPECT_FALSE(Tensor::zeros(DType::f32, {1LL << 62, 4}).ok());
}

TEST(Tensor, FromValuesCloneAndEquality) {
  StatusOr<Tensor> a = Tensor::fromValues<int32_t>({2, 2}, {1, 2, 3, 4});
  ASSERT_OK(a);
  EXPECT_EQ(a->dtype(), DType::i32);
  EXPECT_EQ(a->elementAsDouble(3), 4.0);
  EXPECT_FALSE(Tensor::fromValues<int32_t>({2, 2}, {1, 2, 3}).ok());

  Tensor shared = *a; // copies share storage
  StatusOr<Tensor> copy = a->clone();
  ASSERT_OK(copy);
  EXPECT_TRUE(copy->bitwiseEquals(*a));
  a->dataAs<int32_t>()[0] = 9;
  EXPECT_EQ(shared.dataAs<int32_t>()[0], 9);
  EXPECT_EQ(copy->dataAs<int32_t>()[0], 1);
  EXPECT_FALSE(copy->bitwiseEquals(*a));
  EXPECT_FALSE(Tensor::fromValues<int32_t>({4}, {9, 2, 3, 4})->bitwiseEquals(*a));
  EXPECT_EQ(a->typeString(), "i32[2, 2]");
}

TEST(Tensor, AdoptsForeignBuffersWithTheirDeleter) {
  static int freed = 0;
  freed = 0;
  void *memory = nullptr;
  ASSERT_EQ(posix_memalign(&memory, 64, 64), 0);
  std::memset(memory, 0, 64);
  {
    std::shared_ptr<void> owner(memory, [](void *p) {
      ++freed;
      std::free(p);
    });
    StatusOr<Tensor> t = Tensor::adopt(DType::f32, {4}, owner);
    ASSERT_OK(t);
    EXPECT_EQ(t->data(), memory);
  }
  EXPECT_EQ(freed, 1);

  std::shared_ptr<void> misaligned(static_cast<char *>(std::malloc(128)) + 4,
                                   [](void *p) { std::free(static_cast<char *>(p) - 4); });
  EXPECT_NE(errorOf(Tensor::adopt(DType::f32, {4}, misaligned)).find("aligned"),
            std::string::npos);
  EXPECT_FALSE(Tensor::adopt(DType::f32, {4}, nullptr).ok());
}

} // namespace
