#include "shell/expand.h"

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

using dfplay::shell::buildkit_error;
using dfplay::shell::Env;
using dfplay::shell::expand_word;
using dfplay::shell::expand_words;
using dfplay::shell::Expansion;
using dfplay::shell::Options;
using Strings = std::vector<std::string>;

namespace {

std::string word(std::string_view in, const Env& env = {}, const Options& o = {}) {
  const Expansion e = expand_word(in, env, o);
  INFO("input: " << in << " error: " << e.error);
  CHECK(e.ok);
  return e.word;
}

Strings words(std::string_view in, const Env& env = {}, const Options& o = {}) {
  const Expansion e = expand_words(in, env, o);
  INFO("input: " << in << " error: " << e.error);
  CHECK(e.ok);
  return e.words;
}

std::string error(std::string_view in, const Env& env = {}, const Options& o = {}) {
  const Expansion e = expand_word(in, env, o);
  INFO("input: " << in << " word: " << e.word);
  CHECK_FALSE(e.ok);
  return e.error;
}

Options skip_unset() {
  Options o;
  o.skip_unset = true;
  return o;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TEST_SUITE("shell") {

TEST_CASE("Env: unset versus empty, later wins, order kept") {
  Env env{{"A", "1"}, {"B", ""}};
  CHECK(env.find("A") != nullptr);
  CHECK(*env.find("A") == "1");
  CHECK(env.contains("B"));
  CHECK(env.find("B")->empty());
  CHECK_FALSE(env.contains("C"));
  CHECK_FALSE(env.contains("a"));  // case-sensitive
  env.set("A", "2");
  env.set("C", "3");
  CHECK(*env.find("A") == "2");
  REQUIRE(env.entries().size() == 3);
  CHECK(env.entries()[0].first == "A");
  CHECK(env.entries()[2].first == "C");
  CHECK(env.erase("B"));
  CHECK_FALSE(env.erase("B"));
  CHECK(*env.find("C") == "3");

  const Env s = Env::from_strings({"X=1", "Y", "Z=a=b", "X=2"});
  CHECK(*s.find("X") == "2");
  CHECK(s.find("Y")->empty());
  CHECK(*s.find("Z") == "a=b");
  CHECK(s.size() == 3);
}

TEST_CASE("plain variables") {
  const Env env{{"A", "x"}, {"EMPTY", ""}, {"LONG_NAME_1", "y"}};
  CHECK(word("hello") == "hello");
  CHECK(word("$A", env) == "x");
  CHECK(word("${A}", env) == "x");
  CHECK(word("a$A-b", env) == "ax-b");
  CHECK(word("$A$A${A}", env) == "xxx");
  CHECK(word("$LONG_NAME_1.", env) == "y.");
  CHECK(word("$Ab", env) == "");  // the name is "Ab"
  CHECK(word("${EMPTY}|$UNSET|", env) == "||");
  CHECK(word("$") == "$");
  CHECK(word("a$") == "a$");
  CHECK(word("$.") == "$.");
  CHECK(word("$/x") == "$/x");
  CHECK(word("$ x") == "$ x");
}

TEST_CASE("positional and special parameters are plain unset names") {
  const Expansion e = expand_word("$1x${2}$12y$@$*${#}$?$-$$$!$0${001}", {});
  CHECK(e.ok);
  CHECK(e.word == "xy");
  CHECK(e.referenced == Strings{"1", "2", "12", "@", "*", "#", "?", "-", "$", "!", "0", "001"});
  CHECK(e.undefined == e.referenced);
  // They can still be set (BuildKit only looks them up).
  CHECK(word("$1-$@", Env{{"1", "one"}, {"@", "all"}}) == "one-all");
  // A special parameter is one character: $#x is ${#} then "x"; $0x is ${0} then "x".
  CHECK(word("$#x$0x") == "xx");
}

TEST_CASE("names use Go's Unicode letters and digits") {
  CHECK(word("$名golang", {}, skip_unset()) == "$名golang");
  CHECK(word("$名golang!", Env{{"名golang", "v"}}) == "v!");
  CHECK(word("${éa}", Env{{"éa", "1"}}) == "1");
  CHECK(word("$\u0663x") == "x");  // ARABIC-INDIC DIGIT THREE is a digit: the name is "٣"
  const Expansion e = expand_word("$\u0663\u0664x", {});
  CHECK(e.referenced == Strings{"\u0663\u0664"});
  CHECK(word("$€x") == "$€x");  // not a letter: a literal $
}

TEST_CASE("${NAME:-word} and ${NAME-word}") {
  const Env env{{"SET", "v"}, {"EMPTY", ""}};
  CHECK(word("${UNSET:-w}", env) == "w");
  CHECK(word("${EMPTY:-w}", env) == "w");
  CHECK(word("${SET:-w}", env) == "v");
  CHECK(word("${UNSET-w}", env) == "w");
  CHECK(word("${EMPTY-w}", env) == "");
  CHECK(word("${SET-w}", env) == "v");
  CHECK(word("${UNSET:-}", env) == "");
  CHECK(word("${UNSET:-a b  c}", env) == "a b  c");
  CHECK(word("${UNSET:-${SET}x}", env) == "vx");
  CHECK(word("${UNSET:-${ALSO:-deep}}", env) == "deep");
  CHECK(word("${UNSET:-'q}'\"$SET\"}", env) == "q}v");
  CHECK(word("${UNSET:-\\}}", env) == "}");
  CHECK(word("${UNSET:-a}}", env) == "a}");
  CHECK(word("${A:-$B}${A-}", Env{{"B", "b"}}) == "b");
}

TEST_CASE("${NAME:+word} and ${NAME+word}") {
  const Env env{{"SET", "v"}, {"EMPTY", ""}};
  CHECK(word("${UNSET:+w}", env) == "");
  CHECK(word("${EMPTY:+w}", env) == "");
  CHECK(word("${SET:+w}", env) == "w");
  CHECK(word("${UNSET+w}", env) == "");
  CHECK(word("${EMPTY+w}", env) == "w");
  CHECK(word("${SET+w}", env) == "w");
  CHECK(word("x${SET:+-${SET}}.tar", env) == "x-v.tar");
  CHECK(word("x${EMPTY:+-${EMPTY}}.tar", env) == "x.tar");
}

TEST_CASE("${NAME:?message} and ${NAME?message}") {
  const Env env{{"SET", "v"}, {"EMPTY", ""}, {"ARG", "x"}};
  CHECK(word("${SET:?}", env) == "v");
  CHECK(word("${SET?boom}", env) == "v");
  CHECK(word("${EMPTY?}", env) == "");
  CHECK(error("${UNSET?}", env) == "UNSET: is not allowed to be unset");
  CHECK(error("${UNSET:?}", env) == "UNSET: is not allowed to be unset");
  CHECK(error("${EMPTY:?}", env) == "EMPTY: is not allowed to be empty");
  CHECK(error("${UNSET:?message here$ARG}", env) == "UNSET: message herex");
  CHECK(error("${EMPTY:?message here$ARG}", env) == "EMPTY: message herex");
  CHECK(error("${UNSET?message here$ARG}", env) == "UNSET: message herex");

  const Expansion e = expand_word("ab ${UNSET:?}", env);
  CHECK(e.error_offset == 3);
  CHECK(e.error_end == 13);
  CHECK(buildkit_error("ab ${UNSET:?}", e) ==
        "failed to process \"ab ${UNSET:?}\": UNSET: is not allowed to be unset");
  CHECK(e.referenced == Strings{"UNSET"});
  CHECK(e.undefined == Strings{"UNSET"});
}

TEST_CASE("syntax errors and their offsets") {
  struct Case {
    const char* in;
    const char* message;
    size_t offset;
  };
  const Case cases[] = {
      {"${}", "syntax error: bad substitution", 0},
      {"x${}aaa", "syntax error: bad substitution", 1},
      {"${:}", "syntax error: bad substitution", 0},
      {"${:-bbb}", "syntax error: bad substitution", 0},
      {"${{a}}", "syntax error: bad substitution", 0},
      {"ab${", "syntax error: missing '}'", 2},
      {"${aaa:-bbb", "syntax error: missing '}'", 0},
      {"${aaa:-bbb ${foo}", "syntax error: missing '}'", 0},
      {"${a:-${b:-c}", "syntax error: missing '}'", 0},
      {"${a:-${b:?}", "syntax error: missing '}'", 0},  // the inner error happens at the end
      {"${a:-\"x}", "syntax error: missing '}'", 0},
      {"${a:", "syntax error: missing '}'", 0},
      {"${a/b", "syntax error: missing '/' in ${}", 0},
      {"${a/b/c", "syntax error: missing '}'", 0},
      {"${a//", "syntax error: missing '/' in ${}", 0},
      {"${aaa", "unsupported modifier (\xEF\xBF\xBD) in substitution", 0},
      {"${.}", "unsupported modifier (.) in substitution", 0},
      {"he${XXX:YYY}", "unsupported modifier (:Y) in substitution", 2},
      {"${a=b}", "unsupported modifier (=) in substitution", 0},
      {"${a:=b}", "unsupported modifier (:=) in substitution", 0},
      {"${a b}", "unsupported modifier ( ) in substitution", 0},
      {"${a:#b}", "unsupported modifier (:#) in substitution", 0},
      {"${a:%%b}", "unsupported modifier (:%) in substitution", 0},
      {"${#a}", "unsupported modifier (a) in substitution", 0},
      {"x'abc", "unexpected end of statement while looking for matching single-quote", 1},
      {"ab\"cd", "unexpected end of statement while looking for matching double-quote", 2},
      {"\"hello\\\"", "unexpected end of statement while looking for matching double-quote", 0},
      {"he\\\\'llo", "unexpected end of statement while looking for matching single-quote", 4},
      {"${a:-${b:?}}", "b: is not allowed to be unset", 5},
  };
  for (const auto& c : cases) {
    const Expansion e = expand_word(c.in, {});
    INFO("input: " << c.in);
    CHECK_FALSE(e.ok);
    CHECK(e.error == c.message);
    CHECK(e.error_offset == c.offset);
    CHECK(e.word.empty());
  }
}

TEST_CASE("single quotes, double quotes and escapes") {
  const Env env{{"A", "x"}, {"PWD", "/home"}};
  CHECK(word("he'll'o") == "hello");
  CHECK(word("'a b'") == "a b");
  CHECK(word("'$A \\n'", env) == "$A \\n");
  CHECK(word("\"a $A\"", env) == "a x");
  CHECK(word("\"'$A'\"", env) == "'x'");
  CHECK(word("\"\\$A\"", env) == "$A");
  CHECK(word("\"\\\\$A\"", env) == "\\x");
  CHECK(word("\"\\a\\\"\"", env) == "\\a\"");
  CHECK(word("\\$A", env) == "$A");
  CHECK(word("\\a\\ b", env) == "a b");
  CHECK(word("hello\\", env) == "hello");  // a trailing escape is dropped
  CHECK(word("'hello\\'") == "hello\\");
  CHECK(word("\"''\"") == "''");
  CHECK(word("''") == "");
}

TEST_CASE("backtick as the escape character") {
  Options o;
  o.escape = '`';
  const Env env{{"A", "x"}};
  CHECK(word("a`$A", env, o) == "a$A");
  CHECK(word("C:\\dir\\$A", env, o) == "C:\\dir\\x");
  CHECK(word("\"a`\"b\"", env, o) == "a\"b");
  CHECK(word("\"a\\\"", env, o) == "a\\");
  CHECK(word("a``b", env, o) == "a`b");
}

TEST_CASE("option: skip_unset keeps unset variables as written") {
  const Env env{{"SET", "v"}, {"B", "b"}};
  const Options o = skip_unset();
  CHECK(word("$UNSET-$SET", env, o) == "$UNSET-v");
  CHECK(word("${UNSET}", env, o) == "${UNSET}");
  CHECK(word("${UNSET:-$B}", env, o) == "${UNSET:-b}");
  CHECK(word("${UNSET:-${SET}}", env, o) == "${UNSET:-v}");
  CHECK(word("${UNSET:-${ALSO}}", env, o) == "${UNSET:-${ALSO}}");
  CHECK(word("${SET:-$B}", env, o) == "v");
  CHECK(word("${UNSET:?}", env, o) == "${UNSET:?}");       // no error
  CHECK(word("${UNSET:=x}", env, o) == "${UNSET:=x}");     // no error either
  CHECK(error("${UNSET=x}", env, o) == "unsupported modifier (=) in substitution");
  CHECK(word("${UNSET:YYY}", env, o) == "${UNSET:YYY}");
  CHECK(word("${UNSET#*/}", env, o) == "${UNSET#*/}");
  CHECK(word("${UNSET/a/b}", env, o) == "${UNSET/a/b}");
  CHECK(word("${UNSET//a/b}", env, o) == "${UNSET/a/b}");  // BuildKit prints one slash
  CHECK(word("$1$@", env, o) == "$1$@");
  CHECK(error("${SET:=x}", env, o) == "unsupported modifier (:=) in substitution");
  const Expansion e = expand_word("${UNSET:-$B}", env, o);
  CHECK(e.referenced == Strings{"B", "UNSET"});
  CHECK(e.undefined == Strings{"UNSET"});
}

TEST_CASE("option: skip_process_quotes, raw_quotes, raw_escapes") {
  const Env env{{"A", "x"}};
  Options sq;
  sq.skip_process_quotes = true;
  CHECK(word("'$A' \"$A\"", env, sq) == "'x' \"x\"");
  CHECK(word("'unterminated", env, sq) == "'unterminated");

  Options rq;
  rq.raw_quotes = true;
  CHECK(word("'a'\"b $A\"", env, rq) == "'a'\"b x\"");
  CHECK(word("\"a\\\"b\"", env, rq) == "\"a\"b\"");

  Options re;
  re.raw_escapes = true;
  CHECK(word("a\\ b\\$A", env, re) == "a\\ b\\$A");
  CHECK(word("\"a\\\"b\\$A\"", env, re) == "a\\\"b\\$A");
  CHECK(word("end\\", env, re) == "end\\");

  Options all;  // what BuildKit's parser uses to find heredocs
  all.raw_quotes = all.raw_escapes = all.skip_unset = true;
  CHECK(words("cat <<'EOF' \"$X\" a\\ b", {}, all) == Strings{"cat", "<<'EOF'", "\"$X\"", "a\\ b"});
}

TEST_CASE("patterns: ${NAME#p} ${NAME##p} ${NAME%p} ${NAME%%p}") {
  const Env env{{"P", "/usr/local/bin"}, {"F", "archive.tar.gz"}, {"X", "xxyy"}, {"E", ""}};
  CHECK(word("${P#*/}", env) == "usr/local/bin");
  CHECK(word("${P##*/}", env) == "bin");
  CHECK(word("${P%/*}", env) == "/usr/local");
  CHECK(word("${P%%/*}", env) == "");
  CHECK(word("${F%.*}", env) == "archive.tar");
  CHECK(word("${F%%.*}", env) == "archive");
  CHECK(word("${F#*.}", env) == "tar.gz");
  CHECK(word("${F##*.}", env) == "gz");
  CHECK(word("${X#*x*y}", env) == "y");
  CHECK(word("${X##*x}", env) == "yy");
  CHECK(word("${X#*}", env) == "xxyy");
  CHECK(word("${X#}${X##}${X%}", env) == "xxyyxxyyxxyy");
  CHECK(word("${X#$E}", env) == "xxyy");
  CHECK(word("${X#z}", env) == "xxyy");
  CHECK(word("${X#y}", env) == "xxyy");  // anchored at the start
  CHECK(word("${X%x}", env) == "xxyy");  // anchored at the end
  CHECK(word("${UNSET#*}${UNSET%%x}", env) == "");
  CHECK(word("${X#$Y}", Env{{"X", "xxyy"}, {"Y", "x"}}) == "xyy");
  // Special characters, escapes (from BuildKit's tests).
  CHECK(word("${FOO#()[]{\\}^$.\\*\\?|\\\\}", Env{{"FOO", "()[]{}^$.*?|\\x"}}) == "x");
  CHECK(word("${FOO%%\\**}", Env{{"FOO", "xx**"}}) == "xx");
  CHECK(word("${FOO#?\\?}", Env{{"FOO", "???y"}}) == "?y");
  CHECK(word("${FOO%%\\**\\*}", Env{{"FOO", "a***yy*"}}) == "a");
  CHECK(word("${ABC:-.}${FOO%x}${ABC:-.}", Env{{"FOO", "xxyy"}}) == ".xxyy.");
  // Quotes inside a pattern are removed, so a quoted * is still a wildcard (BuildKit).
  CHECK(word("${P#\"*/\"}", env) == "usr/local/bin");
  // Wildcards never match a newline.
  const Env nl{{"N", "a\nb"}, {"M", "\nb"}};
  CHECK(word("${N##*}", nl) == "\nb");
  CHECK(word("${N%%*}", nl) == "a\n");
  CHECK(word("${M#?}", nl) == "\nb");
  CHECK(word("${N#a?b}", nl) == "a\nb");
  CHECK(word("${N#a\nb}", nl) == "");  // a literal newline matches
  // Errors.
  CHECK(error("${X#\\x}", env) == "invalid pattern (\\x) in substitution: invalid escape '\\x'");
  CHECK(error("${X%a\\x}", env) == "invalid pattern (\\xa) in substitution: invalid escape '\\x'");
  CHECK(error("${UNSET#\\x}", env) == "invalid pattern (\\x) in substitution: invalid escape '\\x'");
  CHECK(error("${X:#x}", env) == "unsupported modifier (:#) in substitution");
  CHECK(error("${X:##x}", env) == "unsupported modifier (:#) in substitution");
  CHECK(error("${X:%}", env) == "unsupported modifier (:%) in substitution");
}

TEST_CASE("patterns: invalid UTF-8 in values") {
  const Env env{{"V", "a\xff" "b"}};
  CHECK(word("${V#a}", env) == "\xff" "b");  // # keeps the bytes
  CHECK(word("${V%b}", env) == "a\xEF\xBF\xBD");  // % goes through runes: U+FFFD
  CHECK(word("${V%zz}", env) == "a\xEF\xBF\xBD" "b");
  CHECK(word("${V#a?}", env) == "b");  // an invalid byte is one character
}

TEST_CASE("patterns: ${NAME/p/r} and ${NAME//p/r}") {
  CHECK(word("${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}",
             Env{{"FOO", "/foo*/*/*.txt"}, {"NEEDLE", "\\*/"}}) == "/foo.*/*.txt - /foo..*.txt");
  CHECK(word("${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}", Env{{"FOO", "/tmp/tmp/bar.txt"}, {"NEEDLE", "/tmp"}}) ==
        "/tmp/bar.txt - /bar.txt");
  CHECK(word("${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}",
             Env{{"FOO", "/a/foo/b/c.txt"}, {"NEEDLE", "/?/"}, {"REPLACEMENT", "/"}}) ==
        "/foo/b/c.txt - /foo/c.txt");
  CHECK(word("${FOO/$NEEDLE/$REPLACEMENT}",
             Env{{"FOO", "http://google.de"}, {"NEEDLE", "http://"}, {"REPLACEMENT", "https://"}}) ==
        "https://google.de");
  CHECK(word("${FOO//\\//\\/}", Env{{"FOO", "/tmp/foo.txt"}}) == "\\/tmp\\/foo.txt");
  CHECK(word("${FOO/$BAR/ww}", Env{{"FOO", "xxyy"}, {"BAR", ""}}) == "wwxxyy");
  CHECK(word("${FOO///}", Env{{"FOO", "xxyy"}}) == "xxyy");
  CHECK(word("${FOO///}", {}) == "");
  CHECK(error("${FOO//ww}", Env{{"FOO", "xxyy"}}) == "syntax error: missing '/' in ${}");
  CHECK(error("${FOO//}", Env{{"FOO", "xxyy"}}) == "syntax error: missing '/' in ${}");
  // Wildcards are greedy; the first match is leftmost.
  const Env abc{{"FOO", "abcabc"}};
  CHECK(word("${FOO/b*/-}", abc) == "a-");
  CHECK(word("${FOO/?/-}", abc) == "-bcabc");
  CHECK(word("${FOO//?/-}", abc) == "------");
  CHECK(word("${FOO//b/}", abc) == "acac");
  CHECK(word("${FOO//'*'/-}", abc) == "-");  // Go: ".*" replaces all, then no empty match
  CHECK(word("${FOO//x*/-}", abc) == "abcabc");
  // The empty pattern matches everywhere (Go's ReplaceAllString).
  CHECK(word("${FOO//$E/-}", Env{{"FOO", "ab"}}) == "-a-b-");
  // Replace-all expands $0 / ${0} / $$ in the replacement like Go; single replace does not.
  CHECK(word("${FOO//b/'<$0>'}", abc) == "a<b>ca<b>c");
  CHECK(word("${FOO//b/'${0}x'}", abc) == "abxcabxc");
  CHECK(word("${FOO//b/'$$'}", abc) == "a$ca$c");
  CHECK(word("${FOO//b/'[$1]'}", abc) == "a[]ca[]c");
  CHECK(word("${FOO//b/'[$0x]'}", abc) == "a[]ca[]c");
  CHECK(word("${FOO//b/'[$]'}", abc) == "a[$]ca[$]c");
  CHECK(word("${FOO/b/'<$0>'}", abc) == "a<$0>cabc");
  // Patterns against newlines.
  CHECK(word("${N//*/-}", Env{{"N", "a\nb"}}) == "-\n-");
}

TEST_CASE("referenced and undefined variables") {
  const Env env{{"FOO", "xxx"}, {"BAR", ""}};
  Expansion e = expand_word("${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", env);
  CHECK(e.word == "xxx  ccc");
  CHECK(e.referenced == Strings{"FOO", "BAR", "BAZ"});
  CHECK(e.undefined == Strings{"BAZ"});
  CHECK(e.is_undefined("BAZ"));
  CHECK_FALSE(e.is_undefined("FOO"));

  e = expand_word("${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}", env);
  CHECK(e.word == "aaa  ");
  CHECK(e.undefined == Strings{"BAZ"});

  // Nested words are evaluated first, and always (whatever the outer value).
  e = expand_word("${FOO:-$A}${B:+${C}}$FOO$A", env);
  CHECK(e.referenced == Strings{"A", "FOO", "C", "B"});
  CHECK(e.undefined == Strings{"A", "C", "B"});

  e = expand_word("x", env);
  CHECK(e.referenced.empty());
  CHECK(e.undefined.empty());

  e = expand_word("${/a/b}", env);  // the empty name is looked up too
  CHECK(e.ok);
  CHECK(e.referenced == Strings{""});

  // Names seen before an error are kept.
  e = expand_word("$FOO ${BAZ:?}", env);
  CHECK_FALSE(e.ok);
  CHECK(e.referenced == Strings{"FOO", "BAZ"});
  CHECK(e.undefined == Strings{"BAZ"});

  // The release-file pattern from BuildKit's tests.
  const std::string rel =
      "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz";
  CHECK(word(rel, Env{{"VERSION", "v1.2.3"}, {"TARGETOS", "linux"}, {"TARGETARCH", "arm"},
                      {"TARGETVARIANT", "v7"}}) == "something-v1.2.3.linux-arm-v7.tar.gz");
  CHECK(word(rel, Env{{"VERSION", "v1.2.3"}, {"TARGETOS", "linux"}, {"TARGETARCH", "arm64"},
                      {"TARGETVARIANT", ""}}) == "something-v1.2.3.linux-arm64.tar.gz");
  CHECK(word(rel, Env{{"VERSION", "v1.2.3"}, {"TARGETOS", "linux"}, {"TARGETARCH", "arm64"}}) ==
        "something-v1.2.3.linux-arm64.tar.gz");
}

TEST_CASE("word splitting") {
  const Env env{{"S", "abc  def"}, {"L", "  ab c"}, {"T", "ab c   "}, {"E", ""}};
  CHECK(words("hello there     ") == Strings{"hello", "there"});
  CHECK(words("  a\tb\nc  ") == Strings{"a", "b", "c"});
  CHECK(words("hello${S}bye", env) == Strings{"helloabc", "defbye"});
  CHECK(words("hello\"${S}\"bye", env) == Strings{"helloabc  defbye"});
  CHECK(words("hello${L}def", env) == Strings{"hello", "ab", "cdef"});
  CHECK(words("hello${T}d", env) == Strings{"helloab", "c", "d"});
  CHECK(words("hel\"lo${T}\"", env) == Strings{"helloab c   "});
  CHECK(words("hello\\ there") == Strings{"hello there"});
  CHECK(words("hello\\\" there") == Strings{"hello\"", "there"});
  CHECK(words("'a b' c") == Strings{"a b", "c"});
  CHECK(words("\"\"") == Strings{});
  CHECK(words("a \"\" b") == Strings{"a", "b"});
  CHECK(words("$E") == Strings{});
  CHECK(words("") == Strings{});
  CHECK(words("a\xC2\xA0" "b") == Strings{"a", "b"});  // U+00A0 is white space for Go
  CHECK(expand_words("a b", {}).word == "a b");
  // BuildKit's shared word buffer: the current word's text before a nested ${...} is lost.
  const Expansion e = expand_words("ab${x:-c}d e", {});
  CHECK(e.word == "abcd e");
  CHECK(e.words == Strings{"cd", "e"});
  CHECK(words("x\"ab${x:-c}d\"") == Strings{"abcd"});
  CHECK(words("a b${x/y/z}") == Strings{"a"});
  CHECK(words("ab${x}d ${x:-1 2}") == Strings{"abd", "1", "2"});
}

TEST_CASE("robustness: deep nesting without recursion") {
  const int depth = 100000;
  std::string in;
  for (int i = 0; i < depth; ++i) in += "${a:-";
  in += "x";
  for (int i = 0; i < depth; ++i) in += "}";
  auto t0 = std::chrono::steady_clock::now();
  Expansion e = expand_word(in, {});
  CHECK(e.ok);
  CHECK(e.word == "x");
  CHECK(e.referenced == Strings{"a"});
  e = expand_word(in, Env{{"a", "v"}});
  CHECK(e.word == "v");

  std::string prefixed;  // ${a:-y${a:-y...x}}: every level keeps its own text
  for (int i = 0; i < depth; ++i) prefixed += "${a:-y";
  prefixed += "x";
  for (int i = 0; i < depth; ++i) prefixed += "}";
  e = expand_word(prefixed, {});
  CHECK(e.ok);
  CHECK(e.word == std::string(depth, 'y') + "x");

  e = expand_word(prefixed, {}, skip_unset());
  CHECK(e.ok);
  CHECK(e.word == prefixed);

  e = expand_word(std::string_view(in).substr(0, in.size() - 1), {});  // one '}' short
  CHECK_FALSE(e.ok);
  CHECK(e.error == "syntax error: missing '}'");
  CHECK(e.error_offset == 0);

  std::string quoted;  // "${a:-"${a:-"...x..."}"}"
  for (int i = 0; i < depth; ++i) quoted += "\"${a:-";
  quoted += "x";
  for (int i = 0; i < depth; ++i) quoted += "}\"";
  e = expand_words(quoted, {});
  CHECK(e.ok);
  CHECK(e.word == "x");
  CHECK(e.words == Strings{"x"});
  MESSAGE("100,000-deep nestings: " << seconds_since(t0) << " s");
}

TEST_CASE("robustness: 10 MB inputs in linear time") {
  const size_t size = 10u << 20;
  std::string plain(size, 'a');
  for (size_t i = 0; i < size; i += 64) plain[i] = ' ';
  auto t0 = std::chrono::steady_clock::now();
  Expansion e = expand_words(plain, {});
  CHECK(e.ok);
  CHECK(e.word == plain);
  CHECK(e.words.size() == size / 64);
  const double t_plain = seconds_since(t0);

  std::string vars;
  while (vars.size() < size) vars += "$A${B:-x}'q'\"$A\" ";
  t0 = std::chrono::steady_clock::now();
  e = expand_words(vars, Env{{"A", "12"}});
  CHECK(e.ok);
  const double t_vars = seconds_since(t0);

  std::string unterminated = "\"" + plain;
  t0 = std::chrono::steady_clock::now();
  e = expand_word(unterminated, {});
  CHECK_FALSE(e.ok);
  CHECK(e.error_offset == 0);
  MESSAGE("10 MB: plain " << t_plain << " s, variables " << t_vars << " s, unterminated quote "
                          << seconds_since(t0) << " s");
}

TEST_CASE("robustness: invalid UTF-8, NUL bytes, BOM") {
  const std::string nul_in("a\0b", 3);
  CHECK(word(nul_in) == nul_in);
  CHECK(word("a\xff" "b") == "a\xEF\xBF\xBD" "b");  // like Go's scanner: U+FFFD
  CHECK(word("'\xC3'") == "\xEF\xBF\xBD");
  CHECK(word("\"\xED\xA0\x80\"") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  CHECK(word("$A", Env{{"A", "\xff"}}) == "\xff");  // values are copied as they are
  CHECK(words("$A", Env{{"A", "\xff"}}) == Strings{"\xEF\xBF\xBD"});  // but split by runes
  CHECK(word("\xEF\xBB\xBF" "abc") == "abc");  // a leading BOM is skipped
  CHECK(word("a\xEF\xBB\xBF") == "a\xEF\xBB\xBF");
  CHECK(error("${\xff}") == "unsupported modifier (\xEF\xBF\xBD) in substitution");
}

TEST_CASE("robustness: work limit") {
  Options o;
  o.work_limit = 1000;
  const Env env{{"A", std::string(100, 'a')}};
  std::string in;
  for (int i = 0; i < 20; ++i) in += "$A";
  const Expansion e = expand_word(in, env, o);
  CHECK_FALSE(e.ok);
  CHECK(e.error.find("expansion too large") == 0);
  CHECK(expand_word("$A$A", env, o).ok);

  // A value of 1 MB expanded 100,000 times (100 GB) fails quickly with the default limit.
  const Env big{{"A", std::string(1 << 20, 'a')}};
  std::string nested;
  for (int i = 0; i < 100000; ++i) nested += "$A";
  auto t0 = std::chrono::steady_clock::now();
  const Expansion e2 = expand_word(nested, big);
  CHECK_FALSE(e2.ok);
  MESSAGE(seconds_since(t0) << " s");
}

TEST_CASE("robustness: pathological patterns") {
  const Env env{{"V", std::string(20000, 'a')}};
  std::string stars;
  for (int i = 0; i < 30; ++i) stars += "*a";
  auto t0 = std::chrono::steady_clock::now();
  CHECK(word("${V#" + stars + "b}", env) == env.find("V")->c_str());
  CHECK(word("${V%%" + stars + "b}", env) == *env.find("V"));
  CHECK(word("${V//" + stars + "b/x}", env) == *env.find("V"));
  CHECK(word("${V//a*a*b/x}", env) == *env.find("V"));
  CHECK(word("${V##" + stars + "}", env) == "");
  const double t = seconds_since(t0);
  MESSAGE("pathological patterns on 20,000 characters: " << t << " s");

  // Large pattern against a large value: either a result or the work limit, quickly.
  const Env env2{{"V", std::string(2000000, 'a')}};
  t0 = std::chrono::steady_clock::now();
  const Expansion e = expand_word("${V//" + std::string(100000, '?') + "b/x}", env2);
  CHECK((e.ok || e.error.find("expansion too large") == 0));
  MESSAGE(seconds_since(t0) << " s");
}

}  // TEST_SUITE
