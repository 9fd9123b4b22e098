#include "context/path.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace dfplay::context;

TEST_CASE("clean_path follows Go's path.Clean") {
  struct Case {
    const char* in;
    const char* out;
  };
  // Go's own cases for path.Clean, as a table of facts.
  const Case cases[] = {
      {"", "."},
      {"abc", "abc"},
      {"abc/def", "abc/def"},
      {"a/b/c", "a/b/c"},
      {".", "."},
      {"..", ".."},
      {"../..", "../.."},
      {"../../abc", "../../abc"},
      {"/abc", "/abc"},
      {"/", "/"},
      {"abc/", "abc"},
      {"abc/def/", "abc/def"},
      {"a/b/c/", "a/b/c"},
      {"./", "."},
      {"../", ".."},
      {"../../", "../.."},
      {"/abc/", "/abc"},
      {"abc//def//ghi", "abc/def/ghi"},
      {"//abc", "/abc"},
      {"///abc", "/abc"},
      {"//abc//", "/abc"},
      {"abc//", "abc"},
      {"abc/./def", "abc/def"},
      {"/./abc/def", "/abc/def"},
      {"abc/.", "abc"},
      {"abc/def/ghi/../jkl", "abc/def/jkl"},
      {"abc/def/../ghi/../jkl", "abc/jkl"},
      {"abc/def/..", "abc"},
      {"abc/def/../..", "."},
      {"/abc/def/../..", "/"},
      {"abc/def/../../..", ".."},
      {"/abc/def/../../..", "/"},
      {"abc/def/../../../ghi/jkl/../../../mno", "../../mno"},
      {"abc/./../def", "def"},
      {"abc//./../def", "def"},
      {"abc/../../././../def", "../../def"},
      {"!a/../b", "b"},
      {"!../x", "!../x"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.in);
    CHECK(clean_path(c.in) == c.out);
  }
}

TEST_CASE("context_relative joins to the root so .. cannot leave it") {
  bool esc = false;
  CHECK(context_relative("./a/../b/", &esc) == "b");
  CHECK_FALSE(esc);
  CHECK(context_relative("../../x", &esc) == "x");
  CHECK(esc);
  CHECK(context_relative("/a/../../x", &esc) == "x");
  CHECK(esc);
  CHECK(context_relative("/", &esc) == "");
  CHECK_FALSE(esc);
  CHECK(context_relative(".", &esc) == "");
  CHECK(context_relative("a/.", &esc) == "a");
  CHECK(context_relative("dir/", &esc) == "dir");
  CHECK(leaves_root("a/../../b"));
  CHECK_FALSE(leaves_root("a/../b"));
}

TEST_CASE("compare_paths sorts a directory's descendants right after it") {
  std::vector<std::string> v = {"a.txt", "a/b", "b", "a", "a/b/c", "a-b", "a/a", ""};
  std::sort(v.begin(), v.end(), [](const std::string& x, const std::string& y) { return path_less(x, y); });
  const std::vector<std::string> want = {"", "a", "a/a", "a/b", "a/b/c", "a-b", "a.txt", "b"};
  CHECK(v == want);
  CHECK(compare_paths("a", "a") == 0);
  CHECK(parent_path("a/b/c") == "a/b");
  CHECK(parent_path("a") == "");
  CHECK(base_name("a/b/c") == "c");
  CHECK(join_path("", "x") == "x");
  CHECK(join_path("a", "x") == "a/x");
}

TEST_CASE("trim_space and decode_rune") {
  CHECK(trim_space("  \t x y \r\n") == "x y");
  CHECK(trim_space("\xC2\xA0x\xC2\x85") == "x");
  CHECK(trim_space("   ") == "");
  size_t w = 0;
  CHECK(decode_rune("\xE2\x98\xBA", 0, &w) == 0x263A);
  CHECK(w == 3);
  CHECK(decode_rune("\xFFx", 0, &w) == 0xFFFD);
  CHECK(w == 1);
}
