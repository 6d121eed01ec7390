#include "runtime/TensorText.h"

#include "runtime/Npy.h"

#include "TestSupport.h"

#include <cmath>

using namespace needle::runtime;
using namespace needle::runtime::testing;

namespace {

#define EXPECT_CONTAINS(haystack, needle)                                      \
  EXPECT_NE((haystack).find(needle), std::string::npos) << (haystack)

TEST(TensorText, ParsesInlineTensors) {
  StatusOr<Tensor> t = parseTensorLiteral("2x3xf32=1 2 3 4 5 6");
  ASSERT_OK(t);
  EXPECT_EQ(t->typeString(), "f32[2, 3]");
  EXPECT_EQ(t->dataAs<float>()[5], 6.0f);

  StatusOr<Tensor> scalar = parseTensorLiteral("f32=1.5");
  ASSERT_OK(scalar);
  EXPECT_EQ(scalar->typeString(), "f32[]");
  EXPECT_EQ(scalar->dataAs<float>()[0], 1.5f);

  StatusOr<Tensor> i64 = parseTensorLiteral("3xi64=-9223372036854775808, 0,+7");
  ASSERT_OK(i64);
  EXPECT_EQ(i64->dataAs<int64_t>()[0], INT64_MIN);
  EXPECT_EQ(i64->dataAs<int64_t>()[2], 7);

  StatusOr<Tensor> i32 = parseTensorLiteral("1x1x2xi32=2147483647 -2147483648");
  ASSERT_OK(i32);
  EXPECT_EQ(i32->dataAs<int32_t>()[1], INT32_MIN);

  StatusOr<Tensor> f64 = parseTensorLiteral("4xf64=0.1 -1e-300 inf nan");
  ASSERT_OK(f64);
  EXPECT_EQ(f64->dataAs<double>()[0], 0.1);
  EXPECT_EQ(f64->dataAs<double>()[1], -1e-300);
  EXPECT_TRUE(std::isinf(f64->dataAs<double>()[2]));
  EXPECT_TRUE(std::isnan(f64->dataAs<double>()[3]));

  // f32 values are rounded once, from the text, not via double.
  EXPECT_EQ(parseTensorLiteral("f32=0.1")->dataAs<float>()[0], 0.1f);
  EXPECT_EQ(parseTensorLiteral("0x3xf32=")->typeString(), "f32[0, 3]");
}

TEST(TensorText, RefusesBadInlineTensors) {
  struct Case {
    const char *text, *message;
  };
  for (const Case &c : {
           Case{"1 2 3", "expected SHAPExDTYPE=VALUES"},
           Case{"2x3xf32=1 2 3", "expected 6 value(s) for f32[2, 3] but got 3"},
           Case{"2xf32=1 2 3", "expected 2 value(s)"},
           Case{"2xf16=1 2", "unknown dtype 'f16'"},
           Case{"2x-1xf32=", "bad dimension '-1'"},
           Case{"2xxf32=1 2", "bad dimension ''"},
           Case{"ax2xf32=1 2", "bad dimension 'a'"},
           Case{"2xi32=1 2.5", "'2.5' is not an integer"},
           Case{"i32=2147483648", "value '2147483648' is out of range for i32"},
           Case{"f32=1e39", "out of range for f32"},
           Case{"2xf32=1 two", "'two' is not a number"},
           Case{"1048576x1048576x1048576x1048576xf32=", "too many elements"},
       }) {
    StatusOr<Tensor> t = parseTensorLiteral(c.text);
    EXPECT_FALSE(t.ok()) << c.text;
    EXPECT_CONTAINS(errorOf(t), c.message);
    EXPECT_CONTAINS(errorOf(t), "bad tensor '");
  }
}

TEST(TensorText, ArgumentsReadNpyFiles) {
  ScratchDir dir;
  Tensor t = *Tensor::fromValues<double>({2}, {1, 2});
  ASSERT_OK(writeNpy(dir.file("t.npy"), t));
  StatusOr<Tensor> read = parseTensorArgument("@" + dir.file("t.npy"));
  ASSERT_OK(read);
  EXPECT_TRUE(read->bitwiseEquals(t));
  EXPECT_CONTAINS(errorOf(parseTensorArgument("@" + dir.file("missing.npy"))), "cannot open");
  EXPECT_OK(parseTensorArgument("i32=3"));
}

TEST(TensorText, VariableValuesFillOrMatch) {
  StatusOr<Tensor> filled = parseVariableValue("0.5", DType::f32, {2, 2});
  ASSERT_OK(filled);
  EXPECT_EQ(filled->typeString(), "f32[2, 2]");
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(filled->dataAs<float>()[i], 0.5f);
  EXPECT_EQ(parseVariableValue("-3", DType::i64, {})->dataAs<int64_t>()[0], -3);
  EXPECT_OK(parseVariableValue("2xf32=1 2", DType::f32, {2}));
  EXPECT_CONTAINS(errorOf(parseVariableValue("2xf32=1 2", DType::f32, {3})),
                  "value is f32[2] but f32[3] is needed");
  EXPECT_CONTAINS(errorOf(parseVariableValue("1.5", DType::i32, {1})), "not an integer");
  EXPECT_CONTAINS(errorOf(parseVariableValue("1 2", DType::f32, {2})), "expected one number");
}

TEST(TensorText, FormatsReadably) {
  EXPECT_EQ(formatTensor(*parseTensorLiteral("f32=1.5")), "1.5");
  EXPECT_EQ(formatTensor(*parseTensorLiteral("3xi64=1 -2 3")), "[1, -2, 3]");
  EXPECT_EQ(formatTensor(*parseTensorLiteral("2x3xf64=1 2 3 4 5 0.25")),
            "[[1, 2, 3],\n [4, 5, 0.25]]");
  EXPECT_EQ(formatTensor(*parseTensorLiteral("2x1x2xi32=1 2 3 4")),
            "[[[1, 2]],\n [[3, 4]]]");
  EXPECT_EQ(formatTensor(*parseTensorLiteral("0x2xf32=")), "[]");
  EXPECT_EQ(formatTensor(*parseTensorLiteral("f32=0.333333333")), "0.333333");
}

TEST(TensorText, ElidesLargeTensors) {
  Tensor big = *Tensor::zeros(DType::i32, {2000});
  for (int i = 0; i < 2000; ++i)
    big.dataAs<int32_t>()[i] = i;
  EXPECT_EQ(formatTensor(big), "[0, 1, 2, ..., 1997, 1998, 1999]");
  Tensor matrix = *Tensor::zeros(DType::i64, {100, 20});
  for (int i = 0; i < 2000; ++i)
    matrix.dataAs<int64_t>()[i] = i;
  std::string text = formatTensor(matrix);
  EXPECT_EQ(text.rfind("[[0, 1, 2, ..., 17, 18, 19],\n [20, 21, 22, ", 0), 0u) << text;
  EXPECT_CONTAINS(text, " ...,\n [1940, ");
  EXPECT_EQ(text.substr(text.size() - 23), "..., 1997, 1998, 1999]]");
  // Below the threshold nothing is elided.
  TensorFormat everything;
  everything.threshold = 5000;
  EXPECT_EQ(formatTensor(big, everything).find("..."), std::string::npos);
}

} // namespace
