#include "runtime/Npy.h"

#include "TestSupport.h"

#include <cmath>
#include <vector>

using namespace needle::runtime;
using namespace needle::runtime::testing;

namespace {

std::string fixture(const std::string &name) {
  return referencePath("npy/" + name);
}

// An .npy file with the given header dict text (padded as numpy does) and data.
std::string makeNpy(const std::string &dict, const std::string &data, int version = 1) {
  std::string header = dict;
  size_t prefix = version == 1 ? 10 : 12;
  while ((prefix + header.size() + 1) % 64)
    header += ' ';
  header += '\n';
  std::string out = "\x93NUMPY";
  out += char(version);
  out += '\0';
  for (size_t i = 0; i < (version == 1 ? 2u : 4u); ++i)
    out += char((header.size() >> (8 * i)) & 0xFF);
  return out + header + data;
}

std::string npyError(const std::string &bytes) {
  StatusOr<Tensor> t = parseNpy(bytes, "x.npy");
  EXPECT_FALSE(t.ok()) << "accepted a bad file";
  std::string message = errorOf(t);
  EXPECT_EQ(message.rfind("x.npy: ", 0), 0u) << message; // names the file
  return message;
}

#define EXPECT_CONTAINS(haystack, needle)                                      \
  EXPECT_NE((haystack).find(needle), std::string::npos) << (haystack)

TEST(Npy, ReadsFilesWrittenByNumpy) {
  StatusOr<Tensor> f32 = readNpy(fixture("f32_2x3.npy"));
  ASSERT_OK(f32);
  EXPECT_EQ(f32->typeString(), "f32[2, 3]");
  const float expectedF32[] = {-0.625f, -0.375f, -0.125f, 0.125f, 0.375f, 0.625f};
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(f32->dataAs<float>()[i], expectedF32[i]);

  StatusOr<Tensor> scalar = readNpy(fixture("f64_scalar.npy"));
  ASSERT_OK(scalar);
  EXPECT_EQ(scalar->typeString(), "f64[]");
  EXPECT_EQ(scalar->dataAs<double>()[0], -1.25);

  StatusOr<Tensor> i32 = readNpy(fixture("i32_4.npy"));
  ASSERT_OK(i32);
  EXPECT_EQ(std::vector<int32_t>(i32->dataAs<int32_t>(), i32->dataAs<int32_t>() + 4),
            (std::vector<int32_t>{1, -2, 3, INT32_MAX}));

  StatusOr<Tensor> empty = readNpy(fixture("i64_2x0.npy"));
  ASSERT_OK(empty);
  EXPECT_EQ(empty->typeString(), "i64[2, 0]");

  StatusOr<Tensor> v2 = readNpy(fixture("i64_3_v2.npy"));
  ASSERT_OK(v2);
  EXPECT_EQ(v2->dataAs<int64_t>()[0], INT64_MIN);
  EXPECT_EQ(v2->dataAs<int64_t>()[2], INT64_MAX);

  StatusOr<Tensor> v3 = readNpy(fixture("f32_2_v3.npy"));
  ASSERT_OK(v3);
  EXPECT_EQ(v3->dataAs<float>()[0], 1.5f);
  EXPECT_TRUE(std::signbit(v3->dataAs<float>()[1]));
}

TEST(Npy, WritesExactlyWhatNumpyWrites) {
  struct Case {
    const char *file;
    int version;
  };
  for (const Case &c : {Case{"f32_2x3.npy", 0}, Case{"f64_scalar.npy", 0},
                        Case{"i32_4.npy", 0}, Case{"i64_2x0.npy", 0},
                        Case{"i64_3_v2.npy", 2}, Case{"f32_2_v3.npy", 3}}) {
    std::string original = readBytes(fixture(c.file));
    StatusOr<Tensor> tensor = parseNpy(original, c.file);
    ASSERT_OK(tensor);
    StatusOr<std::string> encoded = encodeNpy(*tensor, c.version);
    ASSERT_OK(encoded);
    EXPECT_EQ(*encoded, original) << c.file;
  }
}

TEST(Npy, RoundTripsEveryDTypeThroughFiles) {
  ScratchDir dir;
  std::vector<Tensor> tensors = {
      *Tensor::fromValues<float>({2, 2}, {1.5f, -0.0f, 3e-38f, -7.25f}),
      *Tensor::fromValues<double>({3}, {1e300, -2.5, 0.1}),
      *Tensor::fromValues<int32_t>({1, 3}, {INT32_MIN, 0, 7}),
      *Tensor::fromValues<int64_t>({}, {INT64_MAX}),
      *Tensor::zeros(DType::f32, {0}),
  };
  for (int version : {0, 1, 2, 3})
    for (size_t i = 0; i < tensors.size(); ++i) {
      std::string path = dir.file("t" + std::to_string(i) + ".npy");
      ASSERT_OK(writeNpy(path, tensors[i], version));
      StatusOr<Tensor> back = readNpy(path);
      ASSERT_OK(back);
      EXPECT_TRUE(back->bitwiseEquals(tensors[i])) << i << " v" << version;
      std::string bytes = readBytes(path);
      EXPECT_EQ(bytes[6], char(version == 0 ? 1 : version));
      // numpy aligns the data to 64 bytes.
      EXPECT_EQ((bytes.size() - tensors[i].byteSize()) % 64, 0u);
    }
  EXPECT_FALSE(encodeNpy(tensors[0], 4).ok());
}

TEST(Npy, RefusesWhatItDoesNotSupport) {
  EXPECT_CONTAINS(errorOf(readNpy(fixture("bad_fortran.npy"))), "fortran_order");
  EXPECT_CONTAINS(errorOf(readNpy(fixture("bad_big_endian.npy"))), "big-endian");
  EXPECT_CONTAINS(errorOf(readNpy(fixture("bad_float16.npy"))), "'<f2'");
  EXPECT_CONTAINS(errorOf(readNpy(fixture("bad_object.npy"))), "object arrays");
  EXPECT_CONTAINS(errorOf(readNpy(fixture("bad_structured.npy"))), "structured");
  std::string message = errorOf(readNpy(fixture("bad_fortran.npy")));
  EXPECT_CONTAINS(message, "bad_fortran.npy"); // names the file
}

TEST(Npy, RefusesTruncatedFilesAtEveryLength) {
  std::string good = readBytes(fixture("f32_2x3.npy"));
  ASSERT_EQ(good.size(), 128u + 24u);
  for (size_t length = 0; length < good.size(); ++length)
    EXPECT_FALSE(parseNpy(good.substr(0, length), "x.npy").ok()) << length;
  EXPECT_CONTAINS(npyError(good.substr(0, 4)), "truncated");
  EXPECT_CONTAINS(npyError(good.substr(0, 140)), "data is shorter than the shape");
}

TEST(Npy, RefusesBadMagicAndVersions) {
  std::string good = readBytes(fixture("f32_2x3.npy"));
  std::string bad = good;
  bad[1] = 'M';
  EXPECT_CONTAINS(npyError(bad), "bad magic");
  bad = good;
  bad[6] = 4;
  EXPECT_CONTAINS(npyError(bad), "format version 4.0");
  bad = good;
  bad[7] = 1;
  EXPECT_CONTAINS(npyError(bad), "format version 1.1");
  EXPECT_CONTAINS(npyError("PK\x03\x04 this is a zip"), "bad magic");
}

TEST(Npy, RefusesHeaderLengthsBeyondTheFile) {
  std::string good = readBytes(fixture("f32_2x3.npy"));
  std::string bad = good;
  bad[8] = '\xff';
  bad[9] = '\xff';
  EXPECT_CONTAINS(npyError(bad), "goes beyond the end of the file");
  // Version 2 with a 4 GiB header length.
  std::string v2 = makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }",
                           std::string(4, '\0'), 2);
  v2[8] = v2[9] = v2[10] = v2[11] = '\xff';
  EXPECT_CONTAINS(npyError(v2), "implausibly large");
}

TEST(Npy, RefusesShapesThatLie) {
  const std::string data(24, '\0');
  auto with = [&](const std::string &shape, const std::string &bytes) {
    return makeNpy("{'descr': '<f4', 'fortran_order': False, 'shape': " + shape +
                       ", }",
                   bytes);
  };
  EXPECT_TRUE(parseNpy(with("(2, 3)", data), "x").ok());
  EXPECT_CONTAINS(npyError(with("(3, 3)", data)), "needs 36 bytes but the file has 24");
  EXPECT_CONTAINS(npyError(with("(2, 2)", data)), "8 bytes after the data");
  EXPECT_CONTAINS(npyError(with("(4611686018427387904, 4)", data)), "too many elements");
  EXPECT_CONTAINS(npyError(with("(2305843009213693952,)", data)), "too large");
  EXPECT_CONTAINS(npyError(with("(99999999999999999999,)", data)), "too large");
  EXPECT_CONTAINS(npyError(with("(-2, 3)", data)), "negative");
  EXPECT_CONTAINS(npyError(with("(6)", data)), "not a tuple");
}

TEST(Npy, RefusesGarbageHeaders) {
  const std::string data(4, '\0');
  for (const char *dict : {
           "",
           "not a dict",
           "{'descr': '<f4', 'fortran_order': False}",
           "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}",
           "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (1,)}",
           "{'descr': '<f4', 'fortran_order': 0, 'shape': (1,)}",
           "{'descr': <f4, 'fortran_order': False, 'shape': (1,)}",
           "{'descr': '<f4, 'fortran_order': False, 'shape': (1,)}",
           "{'descr': '<f4', 'fortran_order': False, 'shape': [1]}",
           "{'descr': '<f4', 'fortran_order': False, 'shape': (1,,)}",
           "{'descr': '<f4', 'fortran_order': False, 'shape': (1,)",
           "{'descr': '<f4', 'fortran_order': False, 'shape': (1,)} extra",
           "{'descr': '\\x3cf4', 'fortran_order': False, 'shape': (1,)}",
       })
    EXPECT_CONTAINS(npyError(makeNpy(dict, data)), "header") << dict;
}

TEST(Npy, AcceptsHeaderSpellingsNumpyMayProduce) {
  const std::string data(8, '\0');
  for (const char *dict : {
           "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }",
           "{\"shape\": (2,), \"fortran_order\": False, \"descr\": \"<f4\"}",
           "{'descr':'<f4','fortran_order':False,'shape':(1, 2)}",
           "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2,), }",
       })
    EXPECT_OK(parseNpy(makeNpy(dict, data), "x"));
}

TEST(Npy, ReportsMissingFiles) {
  EXPECT_CONTAINS(errorOf(readNpy("/nonexistent/x.npy")), "/nonexistent/x.npy: cannot open");
}

} // namespace
