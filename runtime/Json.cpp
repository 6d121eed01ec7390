#include "runtime/Json.h"

#include <charconv>
#include <cmath>

namespace needle::runtime {

JsonValue JsonValue::boolean(bool value) {
  JsonValue v;
  v.kind_ = Kind::Bool;
  v.bool_ = value;
  return v;
}

JsonValue JsonValue::number(double value) {
  JsonValue v;
  v.kind_ = Kind::Number;
  v.number_ = value;
  // Integral doubles in int64 range also answer asInt64().
  if (std::isfinite(value) && std::trunc(value) == value &&
      !(value == 0 && std::signbit(value)) &&
      value >= -9223372036854775808.0 && value < 9223372036854775808.0) {
    v.isInteger_ = true;
    v.integer_ = static_cast<int64_t>(value);
  }
  return v;
}

JsonValue JsonValue::integer(int64_t value) {
  JsonValue v;
  v.kind_ = Kind::Number;
  v.isInteger_ = true;
  v.integer_ = value;
  v.number_ = static_cast<double>(value);
  return v;
}

JsonValue JsonValue::string(std::string value) {
  JsonValue v;
  v.kind_ = Kind::String;
  v.string_ = std::move(value);
  return v;
}

JsonValue JsonValue::array(std::vector<JsonValue> elements) {
  JsonValue v;
  v.kind_ = Kind::Array;
  v.elements_ = std::move(elements);
  return v;
}

JsonValue JsonValue::object(std::vector<Member> members) {
  JsonValue v;
  v.kind_ = Kind::Object;
  v.members_ = std::move(members);
  return v;
}

const JsonValue *JsonValue::find(std::string_view key) const {
  for (const Member &member : members_)
    if (member.first == key)
      return &member.second;
  return nullptr;
}

const char *JsonValue::kindName(Kind kind) {
  switch (kind) {
  case Kind::Null: return "null";
  case Kind::Bool: return "a boolean";
  case Kind::Number: return "a number";
  case Kind::String: return "a string";
  case Kind::Array: return "an array";
  case Kind::Object: return "an object";
  }
  return "?";
}

namespace {

class Parser {
public:
  Parser(std::string_view text, JsonLimits limits)
      : text_(text), limits_(limits) {}

  StatusOr<JsonValue> parseDocument() {
    if (text_.size() > limits_.maxBytes)
      return Status::error("JSON text of " + std::to_string(text_.size()) +
                           " bytes exceeds the limit of " +
                           std::to_string(limits_.maxBytes));
    skipWhitespace();
    NEEDLE_ASSIGN_OR_RETURN(JsonValue value, parseValue(0));
    skipWhitespace();
    if (pos_ != text_.size())
      return fail("unexpected text after the JSON value");
    return value;
  }

private:
  Status fail(const std::string &what) const {
    return Status::error("invalid JSON at byte " + std::to_string(pos_) + ": " +
                         what);
  }
  bool atEnd() const { return pos_ >= text_.size(); }
  char peek() const { return atEnd() ? '\0' : text_[pos_]; }
  bool consume(char c) {
    if (atEnd() || text_[pos_] != c)
      return false;
    ++pos_;
    return true;
  }
  void skipWhitespace() {
    while (!atEnd() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                        text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }
  bool consumeWord(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word)
      return false;
    pos_ += word.size();
    return true;
  }

  StatusOr<JsonValue> parseValue(size_t depth) {
    if (atEnd())
      return fail("unexpected end of input, expected a value");
    char c = peek();
    if (c == '{' || c == '[') {
      if (depth >= limits_.maxDepth)
        return fail("nesting deeper than " + std::to_string(limits_.maxDepth));
      return c == '{' ? parseObject(depth + 1) : parseArray(depth + 1);
    }
    if (c == '"') {
      NEEDLE_ASSIGN_OR_RETURN(std::string s, parseString());
      return JsonValue::string(std::move(s));
    }
    if (c == '-' || (c >= '0' && c <= '9'))
      return parseNumber();
    if (consumeWord("true"))
      return JsonValue::boolean(true);
    if (consumeWord("false"))
      return JsonValue::boolean(false);
    if (consumeWord("null"))
      return JsonValue::null();
    return fail("expected a value");
  }

  StatusOr<JsonValue> parseObject(size_t depth) {
    ++pos_; // '{'
    JsonValue object = JsonValue::object();
    skipWhitespace();
    if (consume('}'))
      return object;
    while (true) {
      skipWhitespace();
      if (peek() != '"')
        return fail("expected a string key");
      NEEDLE_ASSIGN_OR_RETURN(std::string key, parseString());
      if (object.find(key))
        return fail("duplicate key '" + key + "'");
      skipWhitespace();
      if (!consume(':'))
        return fail("expected ':' after an object key");
      skipWhitespace();
      NEEDLE_ASSIGN_OR_RETURN(JsonValue value, parseValue(depth));
      object.set(std::move(key), std::move(value));
      skipWhitespace();
      if (consume('}'))
        return object;
      if (!consume(','))
        return fail("expected ',' or '}' in an object");
    }
  }

  StatusOr<JsonValue> parseArray(size_t depth) {
    ++pos_; // '['
    JsonValue array = JsonValue::array();
    skipWhitespace();
    if (consume(']'))
      return array;
    while (true) {
      skipWhitespace();
      NEEDLE_ASSIGN_OR_RETURN(JsonValue element, parseValue(depth));
      array.push(std::move(element));
      skipWhitespace();
      if (consume(']'))
        return array;
      if (!consume(','))
        return fail("expected ',' or ']' in an array");
    }
  }

  StatusOr<JsonValue> parseNumber() {
    size_t start = pos_;
    consume('-');
    if (consume('0')) {
      if (peek() >= '0' && peek() <= '9')
        return fail("leading zeros are not allowed in numbers");
    } else if (!scanDigits()) {
      return fail("expected digits in a number");
    }
    bool integral = true;
    if (consume('.')) {
      integral = false;
      if (!scanDigits())
        return fail("expected digits after '.'");
    }
    if (peek() == 'e' || peek() == 'E') {
      integral = false;
      ++pos_;
      if (!consume('+'))
        consume('-');
      if (!scanDigits())
        return fail("expected digits in an exponent");
    }
    const char *first = text_.data() + start;
    const char *last = text_.data() + pos_;
    if (integral) {
      int64_t exact = 0;
      auto [ptr, ec] = std::from_chars(first, last, exact);
      if (ec == std::errc() && ptr == last)
        return JsonValue::integer(exact);
    }
    double value = 0;
    auto [ptr, ec] = std::from_chars(first, last, value);
    if (ec == std::errc::result_out_of_range)
      return fail("number out of the range of a double");
    if (ec != std::errc() || ptr != last)
      return fail("malformed number");
    return JsonValue::number(value);
  }

  bool scanDigits() {
    size_t start = pos_;
    while (!atEnd() && text_[pos_] >= '0' && text_[pos_] <= '9')
      ++pos_;
    return pos_ > start;
  }

  StatusOr<std::string> parseString() {
    ++pos_; // '"'
    std::string out;
    while (true) {
      if (atEnd())
        return fail("unterminated string");
      unsigned char c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c < 0x20)
        return fail("unescaped control character in a string");
      if (c == '\\') {
        NEEDLE_RETURN_IF_ERROR(parseEscape(out));
        continue;
      }
      if (c < 0x80) {
        out += char(c);
        ++pos_;
        continue;
      }
      size_t length = validUtf8Sequence();
      if (length == 0)
        return fail("invalid UTF-8 in a string");
      out.append(text_.substr(pos_, length));
      pos_ += length;
    }
  }

  // Length of the well-formed multi-byte UTF-8 sequence at pos_, or 0.
  size_t validUtf8Sequence() const {
    auto byte = [&](size_t i) -> unsigned {
      return pos_ + i < text_.size() ? static_cast<unsigned char>(text_[pos_ + i])
                                     : 0u;
    };
    auto continuation = [&](size_t i) { return (byte(i) & 0xC0) == 0x80; };
    unsigned b0 = byte(0), b1 = byte(1);
    if (b0 >= 0xC2 && b0 <= 0xDF)
      return continuation(1) ? 2 : 0;
    if (b0 >= 0xE0 && b0 <= 0xEF) {
      if ((b0 == 0xE0 && b1 < 0xA0) || (b0 == 0xED && b1 > 0x9F))
        return 0; // overlong, or a UTF-16 surrogate
      return continuation(1) && continuation(2) ? 3 : 0;
    }
    if (b0 >= 0xF0 && b0 <= 0xF4) {
      if ((b0 == 0xF0 && b1 < 0x90) || (b0 == 0xF4 && b1 > 0x8F))
        return 0; // overlong, or beyond U+10FFFF
      return continuation(1) && continuation(2) && continuation(3) ? 4 : 0;
    }
    return 0;
  }

  Status parseEscape(std::string &out) {
    ++pos_; // '\\'
    if (atEnd())
      return fail("unterminated escape");
    char c = text_[pos_++];
    switch (c) {
    case '"': out += '"'; return Status();
    case '\\': out += '\\'; return Status();
    case '/': out += '/'; return Status();
    case 'b': out += '\b'; return Status();
    case 'f': out += '\f'; return Status();
    case 'n': out += '\n'; return Status();
    case 'r': out += '\r'; return Status();
    case 't': out += '\t'; return Status();
    case 'u': break;
    default: return fail("unknown escape sequence");
    }
    NEEDLE_ASSIGN_OR_RETURN(uint32_t code, parseHex4());
    if (code >= 0xDC00 && code <= 0xDFFF)
      return fail("unpaired low surrogate in \\u escape");
    if (code >= 0xD800 && code <= 0xDBFF) {
      if (!consumeWord("\\u"))
        return fail("unpaired high surrogate in \\u escape");
      NEEDLE_ASSIGN_OR_RETURN(uint32_t low, parseHex4());
      if (low < 0xDC00 || low > 0xDFFF)
        return fail("unpaired high surrogate in \\u escape");
      code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
    }
    appendUtf8(out, code);
    return Status();
  }

  StatusOr<uint32_t> parseHex4() {
    if (text_.size() - pos_ < 4)
      return fail("truncated \\u escape");
    uint32_t code = 0;
    for (int i = 0; i < 4; ++i) {
      char h = text_[pos_++];
      code <<= 4;
      if (h >= '0' && h <= '9')
        code |= uint32_t(h - '0');
      else if (h >= 'a' && h <= 'f')
        code |= uint32_t(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F')
        code |= uint32_t(h - 'A' + 10);
      else
        return fail("bad hex digit in \\u escape");
    }
    return code;
  }

  static void appendUtf8(std::string &out, uint32_t code) {
    if (code < 0x80) {
      out += char(code);
    } else if (code < 0x800) {
      out += char(0xC0 | (code >> 6));
      out += char(0x80 | (code & 0x3F));
    } else if (code < 0x10000) {
      out += char(0xE0 | (code >> 12));
      out += char(0x80 | ((code >> 6) & 0x3F));
      out += char(0x80 | (code & 0x3F));
    } else {
      out += char(0xF0 | (code >> 18));
      out += char(0x80 | ((code >> 12) & 0x3F));
      out += char(0x80 | ((code >> 6) & 0x3F));
      out += char(0x80 | (code & 0x3F));
    }
  }

  std::string_view text_;
  JsonLimits limits_;
  size_t pos_ = 0;
};

void writeString(std::string &out, const std::string &s) {
  static const char kHex[] = "0123456789abcdef";
  out += '"';
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    default:
      if (c < 0x20) {
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
      } else {
        out += ch;
      }
    }
  }
  out += '"';
}

void write(std::string &out, const JsonValue &value) {
  switch (value.kind()) {
  case JsonValue::Kind::Null: out += "null"; return;
  case JsonValue::Kind::Bool: out += value.asBool() ? "true" : "false"; return;
  case JsonValue::Kind::Number: {
    if (value.isInteger()) {
      out += std::to_string(value.asInt64());
      return;
    }
    if (!std::isfinite(value.asDouble())) {
      out += "null";
      return;
    }
    char buffer[64];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value.asDouble());
    out.append(buffer, ec == std::errc() ? end : buffer);
    return;
  }
  case JsonValue::Kind::String: writeString(out, value.asString()); return;
  case JsonValue::Kind::Array: {
    out += '[';
    bool first = true;
    for (const JsonValue &element : value.elements()) {
      if (!first)
        out += ',';
      first = false;
      write(out, element);
    }
    out += ']';
    return;
  }
  case JsonValue::Kind::Object: {
    out += '{';
    bool first = true;
    for (const auto &[key, member] : value.members()) {
      if (!first)
        out += ',';
      first = false;
      writeString(out, key);
      out += ':';
      write(out, member);
    }
    out += '}';
    return;
  }
  }
}

} // namespace

StatusOr<JsonValue> parseJson(std::string_view text, JsonLimits limits) {
  return Parser(text, limits).parseDocument();
}

std::string writeJson(const JsonValue &value) {
  std::string out;
  write(out, value);
  return out;
}

} // namespace needle::runtime
