#include "runtime/SafeTensors.h"

#include "TestSupport.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <sys/stat.h>
#include <unistd.h>

using namespace needle::runtime;
using namespace needle::runtime::testing;

namespace {

#define EXPECT_CONTAINS(haystack, needle)                                      \
  EXPECT_NE((haystack).find(needle), std::string::npos) << (haystack)

// A file with the given header JSON (unpadded) followed by `data`.
std::string makeFile(const std::string &header, const std::string &data) {
  std::string out;
  for (int i = 0; i < 8; ++i)
    out += char((uint64_t(header.size()) >> (8 * i)) & 0xFF);
  return out + header + data;
}

std::string fileError(const std::string &bytes) {
  StatusOr<SafeTensors> file = parseSafeTensors(bytes, "c.safetensors");
  EXPECT_FALSE(file.ok()) << "accepted a bad file";
  std::string message = errorOf(file);
  EXPECT_EQ(message.rfind("c.safetensors: ", 0), 0u) << message;
  return message;
}

SafeTensors sample() {
  SafeTensors file;
  file.tensors["weight"] = *Tensor::fromValues<double>({2, 3}, {0, 0.125, 0.25, 0.375, 0.5, 0.625});
  file.tensors["bias"] = *Tensor::fromValues<float>({3}, {0.5f, -1.0f, 2.0f});
  file.tensors["count"] = *Tensor::fromValues<int64_t>({}, {7});
  file.metadata["format"] = "needle-checkpoint";
  return file;
}

TEST(SafeTensors, ReadsTheSpecLayoutAndWritesItByteForByte) {
  std::string path = referencePath("safetensors/small.safetensors");
  StatusOr<SafeTensors> file = readSafeTensors(path);
  ASSERT_OK(file);
  SafeTensors expected = sample();
  ASSERT_EQ(file->tensors.size(), 3u);
  for (const auto &[name, tensor] : expected.tensors)
    EXPECT_TRUE(file->tensors.at(name).bitwiseEquals(tensor)) << name;
  EXPECT_EQ(file->metadata, expected.metadata);
  EXPECT_EQ(*encodeSafeTensors(expected), readBytes(path));
}

TEST(SafeTensors, RoundTripsBitExactly) {
  ScratchDir dir;
  SafeTensors file;
  file.tensors["nan"] = *Tensor::fromValues<float>(
      {4}, {std::numeric_limits<float>::quiet_NaN(), -0.0f,
            std::numeric_limits<float>::denorm_min(), -INFINITY});
  file.tensors["ints"] = *Tensor::fromValues<int32_t>({2, 1}, {INT32_MIN, INT32_MAX});
  file.tensors["empty"] = *Tensor::zeros(DType::f64, {0, 5});
  file.tensors["z.last"] = *Tensor::fromValues<int64_t>({1}, {-1});
  file.metadata["note"] = "q\"uote\n";
  std::string path = dir.file("rt.safetensors");
  ASSERT_OK(writeSafeTensors(path, file));
  StatusOr<SafeTensors> back = readSafeTensors(path);
  ASSERT_OK(back);
  ASSERT_EQ(back->tensors.size(), file.tensors.size());
  for (const auto &[name, tensor] : file.tensors)
    EXPECT_TRUE(back->tensors.at(name).bitwiseEquals(tensor)) << name;
  EXPECT_EQ(back->metadata, file.metadata);
  // Deterministic, with the data section 8-byte aligned.
  std::string bytes = readBytes(path);
  EXPECT_EQ(bytes, *encodeSafeTensors(file));
  uint64_t headerLength = 0;
  std::memcpy(&headerLength, bytes.data(), 8);
  EXPECT_EQ(headerLength % 8, 0u);
}

TEST(SafeTensors, AtomicWriteLeavesTheOldFileOnFailure) {
  ScratchDir dir;
  std::string path = dir.file("ckpt.safetensors");
  ASSERT_OK(writeSafeTensors(path, sample()));
  std::string before = readBytes(path);

  // The temporary name is taken (by a directory), so the write fails.
  std::string temporary = path + ".tmp." + std::to_string(getpid());
  ASSERT_EQ(mkdir(temporary.c_str(), 0755), 0);
  SafeTensors other;
  other.tensors["x"] = *Tensor::zeros(DType::f32, {2});
  Status failed = writeSafeTensors(path, other);
  EXPECT_FALSE(failed.ok());
  EXPECT_CONTAINS(failed.message(), "cannot create");
  EXPECT_EQ(readBytes(path), before);
  rmdir(temporary.c_str());

  // The target is a non-empty directory: rename fails, the temp file goes.
  std::string blocked = dir.file("blocked");
  ASSERT_EQ(mkdir(blocked.c_str(), 0755), 0);
  writeBytes(blocked + "/keep", "x");
  EXPECT_FALSE(writeSafeTensors(blocked, other).ok());
  EXPECT_NE(access((blocked + ".tmp." + std::to_string(getpid())).c_str(), F_OK), 0);

  // A directory that does not exist.
  Status missing = writeSafeTensors(dir.file("no/such/dir.safetensors"), other);
  EXPECT_CONTAINS(missing.message(), "no/such/dir.safetensors.tmp.");
  EXPECT_EQ(readBytes(path), before);

  // A successful write replaces the file.
  ASSERT_OK(writeSafeTensors(path, other));
  EXPECT_TRUE(readSafeTensors(path)->tensors.at("x").bitwiseEquals(other.tensors["x"]));
}

TEST(SafeTensors, RefusesTruncatedFilesAtEveryLength) {
  std::string good = *encodeSafeTensors(sample());
  for (size_t length = 0; length < good.size(); ++length)
    EXPECT_FALSE(parseSafeTensors(good.substr(0, length), "c").ok()) << length;
  EXPECT_CONTAINS(fileError(good.substr(0, 5)), "truncated");
  EXPECT_CONTAINS(fileError(good.substr(0, 20)), "goes beyond the end of the file");
}

TEST(SafeTensors, RefusesHugeHeaderLengths) {
  std::string bytes(16, '\0');
  for (int i = 0; i < 8; ++i)
    bytes[i] = '\xff';
  EXPECT_CONTAINS(fileError(bytes), "exceeds the limit");
}

TEST(SafeTensors, RefusesBadHeaders) {
  const std::string data(8, '\0');
  auto entry = [](const std::string &fields) { return "{\"a\": {" + fields + "}}"; };
  struct Case {
    std::string header, message;
  };
  for (const Case &c : std::vector<Case>{
           {"{\"a\": ", "header: invalid JSON"},
           {"[1, 2]", "not a JSON object"},
           {"{\"a\": 1}", "not an object"},
           {entry("\"dtype\": \"F32\", \"shape\": [2]"), "needs 'dtype'"},
           {entry("\"dtype\": \"BF16\", \"shape\": [4], \"data_offsets\": [0, 8]"),
            "unsupported safetensors dtype 'BF16'"},
           {entry("\"dtype\": 3, \"shape\": [2], \"data_offsets\": [0, 8]"), "not a string"},
           {entry("\"dtype\": \"F32\", \"shape\": [-2], \"data_offsets\": [0, 8]"),
            "non-negative"},
           {entry("\"dtype\": \"F32\", \"shape\": 2, \"data_offsets\": [0, 8]"),
            "not an array"},
           {entry("\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [8, 0]"),
            "begin <= end"},
           {entry("\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0]"),
            "[begin, end]"},
           {entry("\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8], \"x\": 1"),
            "unexpected field 'x'"},
           {entry("\"dtype\": \"F32\", \"shape\": [3], \"data_offsets\": [0, 8]"),
            "needs 12"},
           {entry("\"dtype\": \"F32\", \"shape\": [4611686018427387904, 4], "
                  "\"data_offsets\": [0, 8]"),
            "too many elements"},
           {entry("\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [8, 24]"),
            "beyond the data section"},
           {entry("\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]"),
            "data bytes [4, 8) belong to no tensor"},
           {entry("\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]"),
            "data bytes [0, 4) belong to no tensor"},
           {"{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
            " \"b\": {\"dtype\": \"I32\", \"shape\": [1], \"data_offsets\": [4, 8]}}",
            "overlaps"},
           {"{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]},"
            " \"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}}",
            "duplicate key 'a'"},
           {"{\"__metadata__\": {\"k\": 1}}", "is not a string"},
           {"{\"__metadata__\": []}", "is not an object"},
       })
    EXPECT_CONTAINS(fileError(makeFile(c.header, data)), c.message) << c.header;
}

TEST(SafeTensors, AcceptsEmptyTensorsAndMetadataOnly) {
  StatusOr<SafeTensors> file = parseSafeTensors(
      makeFile("{\"e\": {\"dtype\": \"I64\", \"shape\": [0], \"data_offsets\": [0, 0]},"
               " \"__metadata__\": {}}",
               ""),
      "x");
  ASSERT_OK(file);
  EXPECT_EQ(file->tensors.at("e").numElements(), 0);
  EXPECT_OK(parseSafeTensors(makeFile("{}", ""), "x"));
}

TEST(SafeTensors, RefusesATensorNamedLikeTheMetadata) {
  SafeTensors file;
  file.tensors["__metadata__"] = *Tensor::zeros(DType::f32, {1});
  EXPECT_FALSE(encodeSafeTensors(file).ok());
}

} // namespace
