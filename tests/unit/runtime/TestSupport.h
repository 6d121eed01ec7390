// Helpers shared by the runtime tests: reference-data paths, scratch
// directories, raw file bytes.
#pragma once

#include "runtime/Status.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

namespace needle::runtime::testing {

/// A file under tests/reference (committed, made by gen_random.py).
inline std::string referencePath(const std::string &relative) {
  return std::string(NEEDLE_REFERENCE_DIR) + "/" + relative;
}

inline std::string readBytes(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline void writeBytes(const std::string &path, const std::string &bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), std::streamsize(bytes.size()));
}

/// A fresh directory, removed with everything in it at the end of the test.
class ScratchDir {
public:
  ScratchDir() {
    std::string pattern = std::filesystem::temp_directory_path().string() +
                          "/needle-test-XXXXXX";
    char *made = mkdtemp(pattern.data());
    EXPECT_NE(made, nullptr);
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::string &path() const { return path_; }
  std::string file(const std::string &name) const { return path_ + "/" + name; }

private:
  std::string path_;
};

} // namespace needle::runtime::testing

/// EXPECT that a Status/StatusOr is ok, printing its message otherwise.
#define EXPECT_OK(expr)                                                        \
  do {                                                                         \
    const auto &needle_result_ = (expr);                                       \
    EXPECT_TRUE(needle_result_.ok()) << needle_test_message(needle_result_);   \
  } while (0)
#define ASSERT_OK(expr)                                                        \
  do {                                                                         \
    const auto &needle_result_ = (expr);                                       \
    ASSERT_TRUE(needle_result_.ok()) << needle_test_message(needle_result_);   \
  } while (0)

inline std::string needle_test_message(const needle::runtime::Status &status) {
  return status.message();
}
template <typename T>
std::string needle_test_message(const needle::runtime::StatusOr<T> &result) {
  return result.status().message();
}

/// The error message of a failed Status/StatusOr ("" if it succeeded).
template <typename T> std::string errorOf(const T &result) {
  return result.ok() ? std::string() : needle_test_message(result);
}
