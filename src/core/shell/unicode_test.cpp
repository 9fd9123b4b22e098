#include "shell/unicode.h"

#include <doctest/doctest.h>

using namespace dfplay::shell;

TEST_SUITE("shell") {

TEST_CASE("unicode: decode like Go's utf8.DecodeRuneInString") {
  auto d = [](std::string_view s) { return decode_rune(s, 0); };
  CHECK(d("a").rune == 'a');
  CHECK(d("é").rune == 0xE9);
  CHECK(d("é").width == 2);
  CHECK(d("한").rune == 0xD55C);
  CHECK(d("👽").width == 4);
  CHECK(d("\xff").rune == kRuneError);
  CHECK(d("\xff").width == 1);
  CHECK(d("\xC3").width == 1);              // truncated
  CHECK(d("\xC0\x80").width == 1);          // overlong
  CHECK(d("\xED\xA0\x80").width == 1);      // surrogate
  CHECK(d("\xF4\x90\x80\x80").width == 1);  // above U+10FFFF
  CHECK(d("\xEF\xBF\xBD").rune == kRuneError);
  CHECK(d("\xEF\xBF\xBD").width == 3);
  CHECK(d("").width == 0);
  std::string s;
  append_rune(s, 0xD800);
  CHECK(s == "\xEF\xBF\xBD");
}

TEST_CASE("unicode: classes") {
  CHECK(is_letter('a'));
  CHECK(is_letter(0xAA));   // ª (Lo)
  CHECK(is_letter(0x540D));  // 名
  CHECK(is_letter(0x1E4D0));  // NAG MUNDARI LETTER O, new in Unicode 15.0
  CHECK_FALSE(is_letter('_'));
  CHECK_FALSE(is_letter('1'));
  CHECK_FALSE(is_letter(0x20AC));  // €
  CHECK(is_digit('7'));
  CHECK(is_digit(0x0663));
  CHECK_FALSE(is_digit(0x00B2));  // ² is No, not Nd
  CHECK(is_space(0xA0));
  CHECK(is_space(0x3000));
  CHECK_FALSE(is_space(0x200B));
  CHECK(is_print(' '));
  CHECK(is_print(0xE9));
  CHECK_FALSE(is_print(0xA0));
  CHECK_FALSE(is_print(0xAD));
  CHECK_FALSE(is_print(0x7F));
}

TEST_CASE("unicode: go_quote is strconv.Quote") {
  CHECK(go_quote("abc") == "\"abc\"");
  CHECK(go_quote("a\"b\\c") == "\"a\\\"b\\\\c\"");
  CHECK(go_quote("\n\t\r\a\b\f\v") == "\"\\n\\t\\r\\a\\b\\f\\v\"");
  CHECK(go_quote(std::string("\0\x01\x7f", 3)) == "\"\\x00\\x01\\x7f\"");
  CHECK(go_quote("\xff") == "\"\\xff\"");
  CHECK(go_quote("é한👽") == "\"é한👽\"");
  CHECK(go_quote("\xC2\xA0") == "\"\\u00a0\"");
  CHECK(go_quote("\xE2\x80\x8B") == "\"\\u200b\"");
  CHECK(go_quote("\xF3\xA0\x80\x81") == "\"\\U000e0001\"");
}

TEST_CASE("unicode: go_trim_space") {
  CHECK(go_trim_space("  a b \t") == "a b");
  CHECK(go_trim_space("\xC2\xA0x\xE3\x80\x80") == "x");
  CHECK(go_trim_space("   ") == "");
  CHECK(go_trim_space("x\xff ") == "x\xff");
  CHECK(go_trim_space("한국어 ") == "한국어");
}

}  // TEST_SUITE
