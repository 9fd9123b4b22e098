#include "syntax/text.h"

#include <doctest/doctest.h>

#include "syntax/json_array.h"

using namespace dfplay::syntax;
using namespace dfplay::syntax::text;

TEST_CASE("go_quote matches Go's strconv.Quote") {
  CHECK(go_quote("") == "\"\"");
  CHECK(go_quote("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(go_quote("\a\b\f\n\r\t\v") == "\"\\a\\b\\f\\n\\r\\t\\v\"");
  CHECK(go_quote(std::string("\x00\x1b\x7f", 3)) == "\"\\x00\\x1b\\x7f\"");
  CHECK(go_quote("héllo 한국어 😀") == "\"héllo 한국어 😀\"");
  CHECK(go_quote("\xff") == "\"\\xff\"");
  CHECK(go_quote("a\xC3") == "\"a\\xc3\"");          // truncated sequence
  CHECK(go_quote("\xED\xA0\x80") == "\"\\xed\\xa0\\x80\"");  // encoded surrogate
  CHECK(go_quote("\xC0\xAF") == "\"\\xc0\\xaf\"");   // overlong
  CHECK(go_quote("\xC2\xA0") == "\"\\u00a0\"");      // NO-BREAK SPACE is not printable in Go
  CHECK(go_quote("\xC2\xAD") == "\"\\u00ad\"");      // SOFT HYPHEN (Cf)
  CHECK(go_quote("\xEF\xBB\xBF") == "\"\\ufeff\"");  // BOM (Cf)
  CHECK(go_quote("\xC2\x85") == "\"\\u0085\"");      // NEL (Cc >= 0x80)
  CHECK(go_quote("\xF3\xA0\x80\x81") == "\"\\U000e0001\"");  // LANGUAGE TAG (Cf)
  CHECK(go_quote("\xEE\x80\x80") == "\"\\ue000\"");  // private use
  CHECK(go_quote("\xEF\xBF\xBD") == "\"\xEF\xBF\xBD\"");  // U+FFFD itself is printable
  CHECK(go_quote("\xE3\x80\x80") == "\"\\u3000\"");  // IDEOGRAPHIC SPACE
}

TEST_CASE("UTF-8 decoding follows Go") {
  CHECK(decode("\xC3\xA9", 0).cp == 0xE9);
  CHECK(decode("\xC3\xA9", 0).width == 2);
  CHECK(decode("\xC3", 0).width == 1);
  CHECK(decode("\xF4\x90\x80\x80", 0).cp == kRuneError);
  CHECK(decode("\xF0\x9F\x98\x80", 0).cp == 0x1F600);
}

TEST_CASE("space trimming and lower-casing follow Go") {
  CHECK(trim(" \t\v\f\r\n\xC2\xA0x\xC2\x85 \xE3\x80\x80") == "x");
  CHECK(trim_left("\xE2\x80\x8Bx") == "\xE2\x80\x8Bx");  // ZERO WIDTH SPACE is not a space
  CHECK(to_lower("FROM") == "from");
  CHECK(to_lower("ÉCOLE Ω") == "école ω");
  CHECK(to_lower("\xff") == "\xEF\xBF\xBD");
  CHECK(is_space(0x85));
  CHECK_FALSE(is_space(0x200B));
}

TEST_CASE("JSON arrays are validated like Go's encoding/json") {
  std::vector<JsonElement> el;
  CHECK(parse_json_array("[]", el) == JsonArrayStatus::Ok);
  CHECK(parse_json_array("[ \"a\" , \"b\" ] \r\n", el) == JsonArrayStatus::Ok);
  CHECK(el.size() == 2);
  CHECK(parse_json_array("[\"a\",]", el) == JsonArrayStatus::NotJson);
  CHECK(parse_json_array("[\"a\" \"b\"]", el) == JsonArrayStatus::NotJson);
  CHECK(parse_json_array("['a']", el) == JsonArrayStatus::NotJson);
  CHECK(parse_json_array("[\"a\"]\v", el) == JsonArrayStatus::NotJson);
  CHECK(parse_json_array("[\"\\x\"]", el) == JsonArrayStatus::NotJson);
  CHECK(parse_json_array("[\"\t\"]", el) == JsonArrayStatus::NotJson);  // raw control character
  CHECK(parse_json_array("[01]", el) == JsonArrayStatus::NotJson);
  CHECK(parse_json_array("[1.5e+3, -0, true, false, null]", el) == JsonArrayStatus::NotAllStrings);
  CHECK(parse_json_array("[{\"a\": [1, {}]}, \"x\"]", el) == JsonArrayStatus::NotAllStrings);
  CHECK(parse_json_array("[{\"a\" 1}]", el) == JsonArrayStatus::NotJson);
  CHECK(parse_json_array("[\"\xff\"]", el) == JsonArrayStatus::Ok);
  std::string out;
  decode_json_string("\"\xff" "a\"", out);
  CHECK(out == "\xEF\xBF\xBD" "a");
  decode_json_string("\"\\udc00\\u0041\"", out);
  CHECK(out == "\xEF\xBF\xBD" "A");
  // 10000 levels are accepted by Go, 10001 are not.
  std::string ok = std::string(10000, '[') + std::string(10000, ']');
  CHECK(parse_json_array(ok, el) == JsonArrayStatus::NotAllStrings);
  std::string deep = std::string(10001, '[') + std::string(10001, ']');
  CHECK(parse_json_array(deep, el) == JsonArrayStatus::NotJson);
}
