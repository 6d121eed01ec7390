// Status and StatusOr: the runtime's one error style. Every fallible call
// returns one of these; the runtime throws no exceptions and asserts nothing
// about user input. Messages are single lines meant for a human (tools print
// them after "needle-run: error: ").
#pragma once

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace needle::runtime {

class [[nodiscard]] Status {
public:
  /// The default Status is ok.
  Status() = default;
  static Status error(std::string message) {
    Status status;
    status.failed_ = true;
    status.message_ = std::move(message);
    return status;
  }

  bool ok() const { return !failed_; }
  /// Empty when ok.
  const std::string &message() const { return message_; }

  /// An error gets "context: " prepended; ok stays ok.
  Status withContext(std::string_view context) const {
    if (ok())
      return *this;
    return error(std::string(context) + ": " + message_);
  }

private:
  bool failed_ = false;
  std::string message_;
};

/// A value or the error that prevented computing it.
template <typename T> class [[nodiscard]] StatusOr {
public:
  StatusOr(T value) : value_(std::move(value)) {}
  StatusOr(Status status) : status_(std::move(status)) {
    // An ok Status carries no value; treat it as a bug in the caller.
    if (status_.ok())
      status_ = Status::error("internal error: StatusOr built from an ok Status");
  }

  bool ok() const { return value_.has_value(); }
  const Status &status() const { return status_; }

  T &value() & { return checked(); }
  const T &value() const & { return const_cast<StatusOr *>(this)->checked(); }
  T &&value() && { return std::move(checked()); }
  T &operator*() & { return checked(); }
  const T &operator*() const & { return value(); }
  T *operator->() { return &checked(); }
  const T *operator->() const { return &value(); }

private:
  T &checked() {
    // Reading the value of an error is a programming error, not bad input.
    if (!value_) {
      std::fprintf(stderr, "needle runtime: value() of an error StatusOr: %s\n",
                   status_.message().c_str());
      std::abort();
    }
    return *value_;
  }

  std::optional<T> value_;
  Status status_;
};

} // namespace needle::runtime

#define NEEDLE_STATUS_CONCAT_INNER(a, b) a##b
#define NEEDLE_STATUS_CONCAT(a, b) NEEDLE_STATUS_CONCAT_INNER(a, b)

/// Returns the Status of `expr` from the enclosing function if it is an error.
#define NEEDLE_RETURN_IF_ERROR(expr)                                           \
  do {                                                                         \
    ::needle::runtime::Status needle_status_tmp_ = (expr);                     \
    if (!needle_status_tmp_.ok())                                              \
      return needle_status_tmp_;                                               \
  } while (0)

/// `NEEDLE_ASSIGN_OR_RETURN(auto x, f());` declares/assigns x from a StatusOr
/// or returns its error from the enclosing function.
#define NEEDLE_ASSIGN_OR_RETURN(lhs, expr)                                     \
  NEEDLE_ASSIGN_OR_RETURN_IMPL(                                                \
      NEEDLE_STATUS_CONCAT(needle_statusor_tmp_, __LINE__), lhs, expr)
#define NEEDLE_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr)                           \
  auto tmp = (expr);                                                           \
  if (!tmp.ok())                                                               \
    return tmp.status();                                                       \
  lhs = std::move(tmp).value()
