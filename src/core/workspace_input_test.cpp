#include "workspace_input.h"

#include <doctest/doctest.h>

namespace {

using namespace dfplay;
using nlohmann::json;

}  // namespace

TEST_SUITE("workspace input") {
  TEST_CASE("the whole input: text, files in three forms, options") {
    WorkspaceInput in;
    CHECK(input_from_json_text(R"({"dockerfile": "FROM alpine\n", "files": {"b.txt": "bee", "./a//c.txt": "sea"},
                                   "options": {"target": "x", "build_args": {"V": "1"}, "no_cache": true}})",
                               in) == "");
    CHECK(in.dockerfile == "FROM alpine\n");
    REQUIRE(in.files.size() == 2);
    CHECK(in.files[0].path == "a/c.txt");  // cleaned
    CHECK(in.files[1].path == "b.txt");
    CHECK(in.options.target == "x");
    CHECK(in.options.no_cache);
    CHECK(in.options.build_args == std::vector<std::pair<std::string, std::string>>{{"V", "1"}});
    CHECK(in.options.platform == "linux/amd64");

    CHECK(input_from_json_text(R"({"files": [{"path": "x", "content": "1", "mode": 493}, ["y", "2"]]})", in) == "");
    REQUIRE(in.files.size() == 2);
    CHECK(in.files[0].mode == 0755);
    CHECK(in.files[1].mode == 0644);
    CHECK(in.dockerfile.empty());

    CHECK(input_from_json_text("{}", in) == "");
    CHECK(in.files.empty());
  }

  TEST_CASE("files known by their size only (binary stand-ins)") {
    WorkspaceInput in;
    CHECK(input_from_json_text(R"({"files": {"app.bin": {"size": 12000000}, "a.txt": "a"}})", in) == "");
    REQUIRE(in.files.size() == 2);
    CHECK(in.files[0].path == "a.txt");  // object keys come sorted
    CHECK_FALSE(in.files[0].size.has_value());
    CHECK(in.files[1].path == "app.bin");
    CHECK(in.files[1].size == std::optional<uint64_t>(12000000));
    CHECK(in.files[1].content.empty());
    CHECK(input_from_json_text(R"({"files": [{"path": "b.bin", "size": 5, "mode": 493}]})", in) == "");
    REQUIRE(in.files.size() == 1);
    CHECK(in.files[0].size == std::optional<uint64_t>(5));
    CHECK(in.files[0].mode == 0755);
    CHECK(input_from_json_text(R"({"files": {"x": {"size": -1}}})", in).find("size of file `x`") != std::string::npos);
    CHECK(input_from_json_text(R"({"files": {"x": {"size": "1MB"}}})", in).find("size of file `x`") != std::string::npos);
    CHECK(input_from_json_text(R"({"files": [{"path": "x", "size": 1, "content": "a"}]})", in) != "");
    CHECK(input_from_json_text(R"({"files": {"x": {"size": 1, "mode": 1}}})", in).find("must be a string") != std::string::npos);
  }

  TEST_CASE("same_input: text, path, options and every file's path, content, mode and size") {
    WorkspaceInput a, b;
    REQUIRE(input_from_json_text(R"({"dockerfile": "FROM alpine", "files": {"app.bin": {"size": 5}, "a": "x"}})", a) == "");
    b = a;
    CHECK(same_input(a, b));
    b.files[1].size = 6;  // a file known by its size only differs by its size alone
    CHECK_FALSE(same_input(a, b));
    b = a;
    b.files[0].mode = 0755;
    CHECK_FALSE(same_input(a, b));
    b = a;
    b.options.build_args.push_back({"V", "1"});
    CHECK_FALSE(same_input(a, b));
    b = a;
    b.dockerfile_path = "build.Dockerfile";
    CHECK_FALSE(same_input(a, b));
  }

  TEST_CASE("bad input: clear messages, nothing changed") {
    WorkspaceInput in;
    in.dockerfile = "keep";
    const char* bad[] = {
        "not json", "[]", R"({"dockerfile": 1})", R"({"files": 5})", R"({"files": [{"path": "a"}]})",
        R"({"files": {"a": 1}})", R"({"files": {"": "x"}})", R"({"files": {"../up": "x"}})",
        R"({"files": [{"path": "a", "content": "", "mode": -1}]})", R"({"dockerfil": "typo"})",
        R"({"options": {"targt": "x"}})", R"({"options": {"platform": "not a platform"}})",
        R"({"options": {"no_cache": "yes"}})", R"({"options": {"build_args": ["NOEQUALS"]}})",
        R"({"options": {"build_args": {"A": 1}}})", R"({"options": 3})", R"({"dockerfile_path": "../x"})"};
    for (const char* text : bad) {
      CAPTURE(text);
      std::string e = input_from_json_text(text, in, "load");
      CHECK(e.rfind("load: ", 0) == 0);
      CHECK(in.dockerfile == "keep");
    }
    CHECK(input_from_json_text(R"({"options": {"targt": "x"}})", in, "load").find("targt") != std::string::npos);
  }

  TEST_CASE("options merge: absent fields keep their value; camelCase aliases") {
    WorkspaceOptions o;
    o.target = "builder";
    o.build_args = {{"A", "1"}};
    CHECK(options_from_json(json::parse(R"({"platform": "linux/arm64", "noCache": true})"), o) == "");
    CHECK(o.target == "builder");
    CHECK(o.platform == "linux/arm64");
    CHECK(o.no_cache);
    CHECK(o.build_args.size() == 1);
    CHECK(options_from_json(json::parse(R"({"buildArgs": ["B=2", "C=x=y", ["D", "4"]], "target": ""})"), o) == "");
    CHECK(o.target.empty());
    CHECK(o.build_args == std::vector<std::pair<std::string, std::string>>{{"B", "2"}, {"C", "x=y"}, {"D", "4"}});
    // An error leaves the options alone.
    CHECK(options_from_json(json::parse(R"({"target": "y", "network": 1})"), o) != "");
    CHECK(o.target.empty());
  }

  TEST_CASE("apply_input: the Dockerfile in the context follows the text") {
    WorkspaceInput in;
    CHECK(input_from_json_text(R"({"dockerfile": "FROM alpine\nCOPY . /src\n", "files": {"Dockerfile": "old", "a": "1"}})", in) == "");
    Workspace ws;
    apply_input(ws, in);
    REQUIRE(ws.files().size() == 2);
    CHECK(ws.files()[0].path == "Dockerfile");
    CHECK(ws.files()[0].content == "FROM alpine\nCOPY . /src\n");
    CHECK(ws.result().analysis->instruction_count == 2);
  }
}

TEST_SUITE("workspace input: text is text") {
  TEST_CASE("lone surrogate escapes (JSON.stringify's output for them) read as U+FFFD") {
    CHECK(parse_json_text(R"("a\ud800b")") == json("a\xEF\xBF\xBD" "b"));
    CHECK(parse_json_text(R"("\udc00")") == json("\xEF\xBF\xBD"));
    CHECK(parse_json_text(R"("\uDBFF\u0041")") == json("\xEF\xBF\xBD" "A"));
    CHECK(parse_json_text(R"(["\ud800", "\ud800\ud800"])") == json::array({"\xEF\xBF\xBD", "\xEF\xBF\xBD\xEF\xBF\xBD"}));
    // A well-formed pair is kept; an escaped backslash before "ud800" is text.
    CHECK(parse_json_text(R"("\ud83d\ude00")") == json("\xF0\x9F\x98\x80"));
    CHECK(parse_json_text(R"("\\ud800")") == json("\\ud800"));
    CHECK(parse_json_text(R"("\\\ud800")") == json("\\\xEF\xBF\xBD"));
    // Not JSON stays not JSON; a truncated escape is not JSON either.
    CHECK(parse_json_text("{").is_discarded());
    CHECK(parse_json_text(R"("\ud8")").is_discarded());
    WorkspaceInput in;
    CHECK(input_from_json_text(R"({"dockerfile": "FROM a\nLABEL x=\"\udfff\"\n", "files": {"\ud800.txt": "\udc00"}})", in) == "");
    CHECK(in.dockerfile == "FROM a\nLABEL x=\"\xEF\xBF\xBD\"\n");
    REQUIRE(in.files.size() == 1);
    CHECK(in.files[0].path == "\xEF\xBF\xBD.txt");
  }
}
