#include "runtime/Json.h"

#include "TestSupport.h"

#include <cmath>

using namespace needle::runtime;

namespace {

JsonValue parseOk(std::string_view text) {
  StatusOr<JsonValue> value = parseJson(text);
  EXPECT_TRUE(value.ok()) << text << ": " << errorOf(value);
  return value.ok() ? *value : JsonValue();
}

std::string parseError(std::string_view text, JsonLimits limits = {}) {
  StatusOr<JsonValue> value = parseJson(text, limits);
  EXPECT_FALSE(value.ok()) << "accepted: " << text;
  return errorOf(value);
}

TEST(Json, ParsesScalars) {
  EXPECT_TRUE(parseOk("null").isNull());
  EXPECT_TRUE(parseOk(" true ").asBool());
  EXPECT_FALSE(parseOk("false").asBool());
  EXPECT_EQ(parseOk("\"hi\"").asString(), "hi");
  EXPECT_DOUBLE_EQ(parseOk("-1.5e2").asDouble(), -150.0);
  EXPECT_DOUBLE_EQ(parseOk("0.25").asDouble(), 0.25);
}

TEST(Json, IntegersAreExactBeyondDoublePrecision) {
  JsonValue big = parseOk("9007199254740993"); // 2^53 + 1: not a double
  ASSERT_TRUE(big.isInteger());
  EXPECT_EQ(big.asInt64(), 9007199254740993LL);
  EXPECT_EQ(parseOk("-9223372036854775808").asInt64(), INT64_MIN);
  EXPECT_EQ(parseOk("9223372036854775807").asInt64(), INT64_MAX);
  // Beyond int64: still a number, no longer an integer.
  JsonValue huge = parseOk("9223372036854775808");
  EXPECT_TRUE(huge.isNumber());
  EXPECT_FALSE(huge.isInteger());
  // Integral values written with a fraction or exponent count as integers.
  EXPECT_TRUE(parseOk("784.0").isInteger());
  EXPECT_EQ(parseOk("1e3").asInt64(), 1000);
  EXPECT_FALSE(parseOk("0.5").isInteger());
}

TEST(Json, ParsesNestedStructuresInOrder) {
  JsonValue v = parseOk(R"({"b": [1, {"c": null}], "a": {}, "d": []})");
  ASSERT_TRUE(v.isObject());
  ASSERT_EQ(v.members().size(), 3u);
  EXPECT_EQ(v.members()[0].first, "b");
  EXPECT_EQ(v.members()[1].first, "a");
  const JsonValue *b = v.find("b");
  ASSERT_NE(b, nullptr);
  ASSERT_EQ(b->elements().size(), 2u);
  EXPECT_EQ(b->elements()[0].asInt64(), 1);
  EXPECT_TRUE(b->elements()[1].find("c")->isNull());
  EXPECT_EQ(v.find("missing"), nullptr);
}

TEST(Json, DecodesEscapesAndUtf8) {
  EXPECT_EQ(parseOk(R"("a\"b\\c\/d\b\f\n\r\t")").asString(), "a\"b\\c/d\b\f\n\r\t");
  EXPECT_EQ(parseOk(R"("\u0041\u00e9\u20ac")").asString(), "A\xC3\xA9\xE2\x82\xAC");
  EXPECT_EQ(parseOk(R"("\ud83d\ude00")").asString(), "\xF0\x9F\x98\x80");
  EXPECT_EQ(parseOk("\"\xC3\xA9\"").asString(), "\xC3\xA9");
  EXPECT_EQ(parseOk(R"("\u0000")").asString(), std::string(1, '\0'));
}

TEST(Json, RejectsWhatTheRfcForbids) {
  for (const char *bad :
       {"", " ", "{", "[1,]", "{\"a\":1,}", "[1 2]", "01", "-", "1.", ".5",
        "1e", "+1", "NaN", "Infinity", "tru", "nul", "'a'", "\"a", "{a:1}",
        "{\"a\" 1}", "[1]]", "1 2", "// c\n1", "\"\\x\"", "\"\\u12\"",
        "\"\\u12G4\"", "\"tab\there\"", "1e999"})
    parseError(bad);
}

TEST(Json, RejectsBadUnicode) {
  EXPECT_NE(parseError(R"("\ud800")").find("surrogate"), std::string::npos);
  EXPECT_NE(parseError(R"("\udc00")").find("surrogate"), std::string::npos);
  EXPECT_NE(parseError(R"("\ud800\u0041")").find("surrogate"), std::string::npos);
  for (const char *bad : {"\"\xC0\xAF\"", "\"\xE0\x80\xAF\"", "\"\xED\xA0\x80\"",
                          "\"\xF5\x80\x80\x80\"", "\"\x80\"", "\"\xC3\""})
    EXPECT_NE(parseError(bad).find("UTF-8"), std::string::npos) << bad;
}

TEST(Json, RejectsDuplicateKeys) {
  EXPECT_NE(parseError(R"({"a": 1, "a": 2})").find("duplicate key 'a'"),
            std::string::npos);
}

TEST(Json, ErrorsGiveTheByteOffset) {
  EXPECT_NE(parseError("[1, 2, x]").find("byte 7"), std::string::npos);
}

TEST(Json, EnforcesDepthAndSizeLimits) {
  std::string deep(70, '[');
  deep += std::string(70, ']');
  EXPECT_NE(parseError(deep).find("nesting deeper than 64"), std::string::npos);
  std::string ok(10, '[');
  ok += std::string(10, ']');
  EXPECT_TRUE(parseJson(ok, {1024, 10}).ok());
  EXPECT_FALSE(parseJson(ok, {1024, 9}).ok());
  EXPECT_NE(parseError("[1, 2, 3]", {5, 64}).find("exceeds the limit"),
            std::string::npos);
}

TEST(Json, NeverReadsPastTheView) {
  // The view stops before a closing quote/bracket that is in memory.
  std::string text = "\"abc\"";
  EXPECT_FALSE(parseJson(std::string_view(text).substr(0, 4)).ok());
  std::string array = "[1,2]";
  EXPECT_FALSE(parseJson(std::string_view(array).substr(0, 4)).ok());
  std::string word = "true";
  EXPECT_FALSE(parseJson(std::string_view(word).substr(0, 3)).ok());
}

TEST(Json, WriterRoundTrips) {
  JsonValue object = JsonValue::object();
  object.set("s", JsonValue::string("q\"\\\n\x01\xC3\xA9"));
  object.set("i", JsonValue::integer(INT64_MIN));
  object.set("d", JsonValue::number(0.1));
  object.set("third", JsonValue::number(1.0 / 3.0));
  JsonValue array = JsonValue::array();
  array.push(JsonValue::boolean(true));
  array.push(JsonValue::null());
  object.set("a", array);
  std::string text = writeJson(object);
  EXPECT_EQ(text, "{\"s\":\"q\\\"\\\\\\n\\u0001\xC3\xA9\",\"i\":-9223372036854775808,"
                  "\"d\":0.1,\"third\":0.3333333333333333,\"a\":[true,null]}");
  JsonValue back = parseOk(text);
  EXPECT_EQ(back.find("s")->asString(), "q\"\\\n\x01\xC3\xA9");
  EXPECT_EQ(back.find("i")->asInt64(), INT64_MIN);
  EXPECT_EQ(back.find("third")->asDouble(), 1.0 / 3.0);
  EXPECT_EQ(writeJson(JsonValue::number(NAN)), "null");
}

} // namespace
