#include "context/glob.h"

#include <doctest/doctest.h>

#include <chrono>
#include <string>

using namespace dfplay::context;

TEST_CASE("glob_match follows Go's filepath.Match") {
  struct Case {
    const char* pattern;
    const char* name;
    bool match;
    bool bad;  // ErrBadPattern
  };
  // Go's filepath.Match test vectors (the same table moby/patternmatcher borrows).
  const Case cases[] = {
      {"abc", "abc", true, false},
      {"*", "abc", true, false},
      {"*c", "abc", true, false},
      {"a*", "a", true, false},
      {"a*", "abc", true, false},
      {"a*", "ab/c", false, false},
      {"a*/b", "abc/b", true, false},
      {"a*/b", "a/c/b", false, false},
      {"a*b*c*d*e*/f", "axbxcxdxe/f", true, false},
      {"a*b*c*d*e*/f", "axbxcxdxexxx/f", true, false},
      {"a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false, false},
      {"a*b*c*d*e*/f", "axbxcxdxexxx/fff", false, false},
      {"a*b?c*x", "abxbbxdbxebxczzx", true, false},
      {"a*b?c*x", "abxbbxdbxebxczzy", false, false},
      {"ab[c]", "abc", true, false},
      {"ab[b-d]", "abc", true, false},
      {"ab[e-g]", "abc", false, false},
      {"ab[^c]", "abc", false, false},
      {"ab[^b-d]", "abc", false, false},
      {"ab[^e-g]", "abc", true, false},
      {"a\\*b", "a*b", true, false},
      {"a\\*b", "ab", false, false},
      {"a?b", "a\u263Ab", true, false},
      {"a[^a]b", "a\u263Ab", true, false},
      {"a???b", "a\u263Ab", false, false},
      {"a[^a][^a][^a]b", "a\u263Ab", false, false},
      {"[a-\u03B6]*", "\u03B1", true, false},
      {"*[a-\u03B6]", "A", false, false},
      {"a?b", "a/b", false, false},
      {"a*b", "a/b", false, false},
      {"[\\]a]", "]", true, false},
      {"[\\-]", "-", true, false},
      {"[x\\-]", "x", true, false},
      {"[x\\-]", "-", true, false},
      {"[x\\-]", "z", false, false},
      {"[\\-x]", "x", true, false},
      {"[\\-x]", "-", true, false},
      {"[\\-x]", "a", false, false},
      {"[]a]", "]", false, true},
      {"[-]", "-", false, true},
      {"[x-]", "x", false, true},
      {"[x-]", "-", false, true},
      {"[x-]", "z", false, true},
      {"[-x]", "x", false, true},
      {"[-x]", "-", false, true},
      {"[-x]", "a", false, true},
      {"\\", "a", false, true},
      {"[a-b-c]", "a", false, true},
      {"[", "a", false, true},
      {"[^", "a", false, true},
      {"[^bc", "a", false, true},
      {"a[", "a", false, true},
      {"a[", "ab", false, true},
      {"a[", "x", false, true},
      {"a/b[", "x", false, true},
      {"*x", "xxx", true, false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.pattern);
    CAPTURE(c.name);
    std::string why;
    bool valid = glob_valid(c.pattern, &why);
    CHECK(valid == !c.bad);
    if (c.bad) CHECK_FALSE(why.empty());
    if (valid) CHECK(glob_match(c.pattern, c.name) == c.match);
  }
}

TEST_CASE("COPY sources: ** is just two stars and classes may match /") {
  CHECK(glob_match("**/*.txt", "a/d.txt"));
  CHECK_FALSE(glob_match("**/*.txt", "a/b/c.txt"));
  CHECK_FALSE(glob_match("**/*.txt", "top.txt"));
  CHECK(glob_match("a[/]b", "a/b"));  // a class is not stopped by '/'
  CHECK_FALSE(glob_match("[!a]", "b"));  // no '!' negation: the class is {'!', 'a'}
  CHECK(glob_match("[!a]", "!"));
}

TEST_CASE("has_wildcards honours backslash escapes") {
  CHECK(has_wildcards("*.go"));
  CHECK(has_wildcards("a/b?"));
  CHECK(has_wildcards("arr[[]0].txt"));
  CHECK_FALSE(has_wildcards("plain/path.txt"));
  CHECK_FALSE(has_wildcards("a\\*b"));
}

TEST_CASE("glob_match has no exponential backtracking") {
  std::string pattern;
  for (int i = 0; i < 30; ++i) pattern += "a*";
  pattern += "b";
  std::string name(5000, 'a');
  auto t0 = std::chrono::steady_clock::now();
  CHECK_FALSE(glob_match(pattern, name));
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  MESSAGE(ms << " ms");
}
