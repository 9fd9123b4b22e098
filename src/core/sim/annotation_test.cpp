#include "sim/annotation.h"

#include <doctest/doctest.h>

using namespace dfplay;
using namespace dfplay::sim;

TEST_SUITE("annotation") {
  TEST_CASE("sizes and durations") {
    CHECK(parse_size("180MB") == 180'000'000u);
    CHECK(parse_size("180 MB") == 180'000'000u);
    CHECK(parse_size("1.5GB") == 1'500'000'000u);
    CHECK(parse_size("2MiB") == 2u * 1024 * 1024);
    CHECK(parse_size("512B") == 512u);
    CHECK(parse_size("12kB") == 12'000u);
    CHECK(parse_size("7") == 7u);
    CHECK_FALSE(parse_size("big"));
    CHECK_FALSE(parse_size("12parsecs"));
    CHECK(parse_duration("45s") == doctest::Approx(45));
    CHECK(parse_duration("1m30s") == doctest::Approx(90));
    CHECK(parse_duration("500ms") == doctest::Approx(0.5));
    CHECK(parse_duration("2min") == doctest::Approx(120));
    CHECK(parse_duration("1h") == doctest::Approx(3600));
    CHECK_FALSE(parse_duration("45"));
    CHECK_FALSE(parse_duration("45MB"));
  }

  TEST_CASE("the short form: adds PATH SIZE, DURATION") {
    std::vector<std::string> errors;
    auto a = parse_annotation({"dfplay: adds /app/node_modules 180MB, 45s"}, &errors);
    REQUIRE(a);
    CHECK(errors.empty());
    REQUIRE(a->paths.size() == 1);
    CHECK(a->paths[0].kind == AnnotatedPath::Kind::Add);
    CHECK(a->paths[0].path == "/app/node_modules");
    CHECK(a->paths[0].size == 180'000'000u);
    CHECK_FALSE(a->paths[0].file);
    REQUIRE(a->seconds);
    CHECK(*a->seconds == doctest::Approx(45));
    CHECK(a->states_effect());
  }

  TEST_CASE("the key=value form and several lines add up") {
    std::vector<std::string> errors;
    auto a = parse_annotation({"some other comment", "dfplay: effect path=/app/node_modules size=180MB time=45s warm=5s",
                               "dfplay: removes /var/lib/apt/lists; writes /etc/motd 120B", "dfplay: non-reproducible"},
                              &errors);
    REQUIRE(a);
    CHECK(errors.empty());
    REQUIRE(a->paths.size() == 3);
    CHECK(a->paths[0].path == "/app/node_modules");
    CHECK(a->paths[0].size == 180'000'000u);
    CHECK(a->paths[1].kind == AnnotatedPath::Kind::Remove);
    CHECK(a->paths[1].path == "/var/lib/apt/lists");
    CHECK(a->paths[2].file);
    CHECK(a->paths[2].size == 120u);
    CHECK(*a->seconds == doctest::Approx(45));
    CHECK(*a->seconds_warm == doctest::Approx(5));
    CHECK(a->non_reproducible);
  }

  TEST_CASE("modifiers alone do not state an effect") {
    auto a = parse_annotation({"dfplay: non-reproducible"});
    REQUIRE(a);
    CHECK_FALSE(a->states_effect());
    auto t = parse_annotation({"dfplay: time=2m"});
    REQUIRE(t);
    CHECK_FALSE(t->states_effect());
    CHECK(*t->seconds == doctest::Approx(120));
    auto n = parse_annotation({"dfplay: nothing"});
    REQUIRE(n);
    CHECK(n->states_effect());
    CHECK(n->nothing);
    CHECK_FALSE(parse_annotation({"just a comment", "dfplayer: no"}));
  }

  TEST_CASE("malformed clauses are reported and skipped") {
    std::vector<std::string> errors;
    auto a = parse_annotation({"dfplay: adds, size=huge, frobnicate, time=soon"}, &errors);
    REQUIRE(a);
    CHECK(a->paths.empty());
    REQUIRE(errors.size() == 4);
    CHECK(errors[0] == "annotation: `adds` needs a path");
    CHECK(errors[1] == "annotation: `huge` is not a size (e.g. 180MB, 2GiB)");
    CHECK(errors[2] == "annotation: unknown clause `frobnicate`");
    CHECK(errors[3] == "annotation: `soon` is not a duration (e.g. 45s, 1m30s)");
  }

  TEST_CASE("find_annotation reads the comment block right above the instruction, with positions") {
    std::string text =
        "FROM node:20\n"
        "# dfplay: adds node_modules 50MB\n"
        "\n"
        "# a normal comment\n"
        "  # dfplay: adds /app/node_modules 180MB, bogus\n"
        "RUN npm ci\n";
    uint32_t run_offset = static_cast<uint32_t>(text.find("RUN"));
    Diagnostics d;
    auto a = find_annotation(text, run_offset, &d);
    REQUIRE(a);
    REQUIRE(a->paths.size() == 1);  // the line above the blank line is not part of the block
    CHECK(a->paths[0].path == "/app/node_modules");
    CHECK(a->line == 5);
    REQUIRE(d.size() == 1);
    const auto& diag = d.items()[0];
    CHECK(diag.severity == Severity::Warning);
    CHECK(diag.code == "annotation/invalid");
    CHECK(diag.message == "annotation: unknown clause `bogus`");
    CHECK(diag.range.begin.line == 5);
    CHECK(diag.range.begin.column == 43);
    CHECK(text.substr(diag.range.begin.offset, diag.range.end.offset - diag.range.begin.offset) == "bogus");
    CHECK_FALSE(find_annotation("FROM x\nRUN a\n", 7));
    CHECK_FALSE(find_annotation("RUN a", 0));
  }
}
