// A small strict JSON (RFC 8259) parser and writer for manifests and
// safetensors headers. The parser reads untrusted bytes: it bounds the input
// size and nesting depth, never reads out of bounds, and rejects anything the
// RFC does not allow (trailing commas, comments, NaN, leading zeros, invalid
// UTF-8, lone surrogates, control characters in strings) plus duplicate keys,
// which would make a header ambiguous.
#pragma once

#include "runtime/Status.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace needle::runtime {

class JsonValue {
public:
  enum class Kind { Null, Bool, Number, String, Array, Object };
  using Member = std::pair<std::string, JsonValue>;

  JsonValue() = default;
  static JsonValue null() { return JsonValue(); }
  static JsonValue boolean(bool value);
  static JsonValue number(double value);
  static JsonValue integer(int64_t value);
  static JsonValue string(std::string value);
  static JsonValue array(std::vector<JsonValue> elements = {});
  static JsonValue object(std::vector<Member> members = {});

  Kind kind() const { return kind_; }
  bool isNull() const { return kind_ == Kind::Null; }
  bool isBool() const { return kind_ == Kind::Bool; }
  bool isNumber() const { return kind_ == Kind::Number; }
  /// A number whose value is an integer representable exactly as int64.
  bool isInteger() const { return kind_ == Kind::Number && isInteger_; }
  bool isString() const { return kind_ == Kind::String; }
  bool isArray() const { return kind_ == Kind::Array; }
  bool isObject() const { return kind_ == Kind::Object; }

  bool asBool() const { return bool_; }
  double asDouble() const { return number_; }
  /// Exact for integers written without fraction/exponent, even beyond 2^53.
  int64_t asInt64() const { return integer_; }
  const std::string &asString() const { return string_; }
  const std::vector<JsonValue> &elements() const { return elements_; }
  /// Object members in document order.
  const std::vector<Member> &members() const { return members_; }
  /// The member named `key`, or nullptr (also when this is not an object).
  const JsonValue *find(std::string_view key) const;

  /// Appends to an array / object (no duplicate check; the writer trusts it).
  void push(JsonValue element) { elements_.push_back(std::move(element)); }
  void set(std::string key, JsonValue value) {
    members_.emplace_back(std::move(key), std::move(value));
  }

  /// "null", "a boolean", "a number", ... for error messages.
  static const char *kindName(Kind kind);

private:
  Kind kind_ = Kind::Null;
  bool bool_ = false;
  bool isInteger_ = false;
  double number_ = 0;
  int64_t integer_ = 0;
  std::string string_;
  std::vector<JsonValue> elements_;
  std::vector<Member> members_;
};

struct JsonLimits {
  size_t maxBytes = size_t(64) << 20;
  size_t maxDepth = 64;
};

/// Parses exactly one JSON value (surrounding whitespace allowed). Errors
/// say what was expected and the byte offset.
StatusOr<JsonValue> parseJson(std::string_view text, JsonLimits limits = {});

/// Compact JSON, members in stored order. Integers print exactly; other
/// numbers print as the shortest text that reads back to the same double;
/// non-finite numbers (not representable in JSON) print as null.
std::string writeJson(const JsonValue &value);

} // namespace needle::runtime
