#include "checks/directive.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace dfplay;
using namespace dfplay::checks;

namespace {
using Names = std::vector<std::string>;

CheckConfig ok(std::string_view s) {
  auto r = parse_check_options(s);
  CAPTURE(s);
  CAPTURE(r.error);
  CHECK(r.ok());
  return r.config;
}

std::string err(std::string_view s) {
  auto r = parse_check_options(s);
  CHECK_FALSE(r.ok());
  return r.error;
}
}  // namespace

TEST_CASE("check options: empty means the default configuration") {
  for (std::string_view s : {"", "   ", "\t\n"}) {
    auto c = ok(s);
    CHECK_FALSE(c.skip_all);
    CHECK(c.skip.empty());
    CHECK_FALSE(c.error);
    CHECK_FALSE(c.experimental_all);
    CHECK(c.runs(RuleId::StageNameCasing));
    CHECK(c.runs(RuleId::ExposeInvalidFormat));
    CHECK_FALSE(c.runs(RuleId::CopyIgnoredFile));  // experimental: off by default
    CHECK_FALSE(c.runs(RuleId::InvalidDefinitionDescription));
  }
}

TEST_CASE("check options: skip") {
  auto c = ok("skip=all");
  CHECK(c.skip_all);
  for (const auto& r : rules()) CHECK_FALSE(c.runs(r));

  c = ok("skip=ConsistentInstructionCasing,FromAsCasing");
  CHECK(c.skip == Names{"ConsistentInstructionCasing", "FromAsCasing"});
  CHECK_FALSE(c.runs(RuleId::FromAsCasing));
  CHECK_FALSE(c.runs(RuleId::ConsistentInstructionCasing));
  CHECK(c.runs(RuleId::StageNameCasing));

  // Names and keys are trimmed; names are not validated; matching is case-sensitive.
  c = ok("  skip = FromAsCasing , bogus,, fromascasing ");
  CHECK(c.skip == Names{"FromAsCasing", "bogus", "", "fromascasing"});
  CHECK_FALSE(c.runs(RuleId::FromAsCasing));
  c = ok("skip=fromascasing");
  CHECK(c.runs(RuleId::FromAsCasing));
  c = ok("skip=ALL");  // only "all" exactly
  CHECK_FALSE(c.skip_all);
  CHECK(c.skip == Names{"ALL"});
  c = ok("skip=");
  CHECK(c.skip == Names{""});
  CHECK(c.runs(RuleId::StageNameCasing));

  // A later list replaces an earlier one; "all" stays once set.
  c = ok("skip=A;skip=B");
  CHECK(c.skip == Names{"B"});
  c = ok("skip=all;skip=FromAsCasing");
  CHECK(c.skip_all);
  CHECK(c.skip == Names{"FromAsCasing"});
  CHECK_FALSE(c.runs(RuleId::StageNameCasing));
}

TEST_CASE("check options: experimental rules ignore skip") {
  auto c = ok("experimental=all");
  CHECK(c.experimental_all);
  CHECK(c.runs(RuleId::CopyIgnoredFile));
  CHECK(c.runs(RuleId::InvalidDefinitionDescription));
  CHECK(c.runs(RuleId::UndefinedVar));

  c = ok("skip=all;experimental=CopyIgnoredFile");
  CHECK(c.runs(RuleId::CopyIgnoredFile));
  CHECK_FALSE(c.runs(RuleId::InvalidDefinitionDescription));
  CHECK_FALSE(c.runs(RuleId::UndefinedVar));

  c = ok("skip=CopyIgnoredFile;experimental=CopyIgnoredFile");
  CHECK(c.runs(RuleId::CopyIgnoredFile));

  c = ok("skip=all;experimental=all");
  CHECK(c.runs(RuleId::CopyIgnoredFile));
  CHECK_FALSE(c.runs(RuleId::StageNameCasing));

  // "experimental" does nothing for a rule that is not experimental.
  c = ok("experimental=JSONArgsRecommended,StageNameCasing");
  CHECK(c.experimental == Names{"JSONArgsRecommended", "StageNameCasing"});
  CHECK(c.runs(RuleId::JSONArgsRecommended));
  c = ok("skip=JSONArgsRecommended;experimental=JSONArgsRecommended");
  CHECK_FALSE(c.runs(RuleId::JSONArgsRecommended));
}

TEST_CASE("check options: error takes Go's ParseBool values") {
  for (std::string_view v : {"1", "t", "T", "TRUE", "true", "True"}) {
    CAPTURE(v);
    CHECK(ok("error=" + std::string(v)).error);
  }
  for (std::string_view v : {"0", "f", "F", "FALSE", "false", "False"}) {
    CAPTURE(v);
    CHECK_FALSE(ok("error=" + std::string(v)).error);
  }
  CHECK(ok("skip=all;error=true").error);
  CHECK(ok("error = true ").error);
  CHECK(ok("error=true;error=false").error == false);

  CHECK(err("error=yes") ==
        "failed to parse check option \"error=yes\": strconv.ParseBool: parsing \"yes\": "
        "invalid syntax");
  CHECK(err("error=") ==
        "failed to parse check option \"error=\": strconv.ParseBool: parsing \"\": invalid "
        "syntax");
  // The part is quoted as written (after the whole string's trim), the value trimmed.
  CHECK(err(" skip=a; error = maybe ") ==
        "failed to parse check option \" error = maybe\": strconv.ParseBool: parsing \"maybe\": "
        "invalid syntax");
  CHECK(err("error=tRUE") ==
        "failed to parse check option \"error=tRUE\": strconv.ParseBool: parsing \"tRUE\": "
        "invalid syntax");
}

TEST_CASE("check options: malformed options give BuildKit's messages") {
  CHECK(err("skip") == "invalid check option \"skip\"");
  CHECK(err("foo=bar") == "invalid check option \"foo\"");
  CHECK(err(" Skip =x") == "invalid check option \"Skip\"");
  CHECK(err("skip=a;bogus") == "invalid check option \"bogus\"");
  CHECK(err("skip=a; bogus ") == "invalid check option \" bogus\"");
  CHECK(err("skip=a;=b") == "invalid check option \"\"");
  CHECK(err("skip=a;") == "invalid check option \"\"");
  CHECK(err(";skip=a") == "invalid check option \"\"");
  CHECK(err("skip=a;\"x\"") == "invalid check option \"\\\"x\\\"\"");
  // A failed parse leaves the default configuration.
  auto r = parse_check_options("skip=all;nope");
  CHECK_FALSE(r.config.skip_all);
}

TEST_CASE("check options: at most three options are split") {
  auto c = ok("skip=A;error=true;experimental=B;skip=C");
  CHECK(c.skip == Names{"A"});
  CHECK(c.error);
  CHECK(c.experimental == Names{"B;skip=C"});
  // The fourth "option" is never looked at on its own, so it cannot be an error.
  c = ok("skip=a;error=true;experimental=x;foo");
  CHECK(c.experimental == Names{"x;foo"});
  c = ok("skip=a;skip=b;skip=c;d");
  CHECK(c.skip == Names{"c;d"});
}

TEST_CASE("check directive: only the text before the first space is used") {
  CHECK(effective_directive_value("skip=A,B") == "skip=A,B");
  CHECK(effective_directive_value("skip=A, B") == "skip=A,");
  CHECK(effective_directive_value("skip=all ;error=true") == "skip=all");
  CHECK(effective_directive_value("skip = all") == "skip");
  CHECK(effective_directive_value("skip=a;\terror=true") == "skip=a;\terror=true");
  CHECK(effective_directive_value("") == "");

  auto r = resolve_check_config(std::string_view("skip=A, B"), Range{}, std::nullopt);
  REQUIRE_FALSE(r.diagnostic);
  CHECK(r.config.skip == Names{"A", ""});

  r = resolve_check_config(std::string_view("skip=all ;error=true"), Range{}, std::nullopt);
  REQUIRE_FALSE(r.diagnostic);
  CHECK(r.config.skip_all);
  CHECK_FALSE(r.config.error);

  r = resolve_check_config(std::string_view("skip=a;\terror=true"), Range{}, std::nullopt);
  REQUIRE_FALSE(r.diagnostic);
  CHECK(r.config.error);
}

TEST_CASE("check configuration: build arg over directive over default") {
  Range at{{1, 1, 0}, {1, 20, 19}};

  auto r = resolve_check_config(std::nullopt, Range{}, std::nullopt);
  CHECK(r.source == CheckConfigSource::Default);
  CHECK_FALSE(r.diagnostic);
  CHECK(r.config.runs(RuleId::FromAsCasing));

  r = resolve_check_config(std::string_view("skip=all"), at, std::nullopt);
  CHECK(r.source == CheckConfigSource::Directive);
  CHECK(r.config.skip_all);

  // BuildKit's testRuleCheckOption: the build arg replaces the directive.
  r = resolve_check_config(std::string_view("skip=all"), at,
                           std::string_view("skip=ConsistentInstructionCasing;error=true"));
  CHECK(r.source == CheckConfigSource::BuildArg);
  CHECK_FALSE(r.config.skip_all);
  CHECK(r.config.error);
  CHECK(r.config.runs(RuleId::FromAsCasing));
  CHECK_FALSE(r.config.runs(RuleId::ConsistentInstructionCasing));

  r = resolve_check_config(std::string_view("error=true"), at, std::string_view("skip=all"));
  CHECK(r.config.skip_all);
  CHECK_FALSE(r.config.error);

  // Present but empty still replaces the directive.
  r = resolve_check_config(std::string_view("skip=all;error=true"), at, std::string_view(""));
  CHECK(r.source == CheckConfigSource::BuildArg);
  CHECK_FALSE(r.config.skip_all);
  CHECK_FALSE(r.config.error);

  // The build arg is not cut at spaces.
  r = resolve_check_config(std::nullopt, Range{}, std::string_view("skip=A, B"));
  CHECK(r.config.skip == Names{"A", "B"});

  // A malformed directive is not even parsed when the build arg is present.
  r = resolve_check_config(std::string_view("bogus"), at, std::string_view("error=true"));
  CHECK_FALSE(r.diagnostic);
  CHECK(r.config.error);
}

TEST_CASE("check configuration: malformed values are errors with BuildKit's wording") {
  Range at{{2, 1, 18}, {2, 22, 39}};
  auto r = resolve_check_config(std::string_view("skip = all"), at, std::nullopt);
  REQUIRE(r.diagnostic);
  CHECK(r.diagnostic->severity == Severity::Error);
  CHECK(r.diagnostic->code == "check/invalid-options");
  CHECK(r.diagnostic->message == "failed to parse check options: invalid check option \"skip\"");
  CHECK(r.diagnostic->range == at);
  CHECK(format_diagnostic(*r.diagnostic, "Dockerfile") ==
        "Dockerfile:2:1: error: failed to parse check options: invalid check option \"skip\"");
  CHECK_FALSE(r.config.skip_all);

  r = resolve_check_config(std::string_view("error=maybe"), at, std::nullopt);
  REQUIRE(r.diagnostic);
  CHECK(r.diagnostic->message ==
        "failed to parse check options: failed to parse check option \"error=maybe\": "
        "strconv.ParseBool: parsing \"maybe\": invalid syntax");

  r = resolve_check_config(std::nullopt, at, std::string_view("experimental"));
  REQUIRE(r.diagnostic);
  CHECK(r.diagnostic->message ==
        "failed to parse build-arg:BUILDKIT_DOCKERFILE_CHECK: invalid check option "
        "\"experimental\"");
  CHECK(r.diagnostic->range == Range{});
}

TEST_CASE("check --call=check exit status") {
  CHECK(check_call_exit_status(0, false) == 0);
  CHECK(check_call_exit_status(1, false) == 1);
  CHECK(check_call_exit_status(0, true) == 1);
  CHECK(check_call_exit_status(3, true) == 1);
}

TEST_CASE("check options: long and hostile input stays linear") {
  std::string s = "skip=";
  for (int i = 0; i < 100000; ++i) s += "Rule" + std::to_string(i) + ",";
  auto c = ok(s);
  CHECK(c.skip.size() == 100001);
  std::string semis(1000000, ';');
  CHECK(err(semis) == "invalid check option \"\"");
}

TEST_CASE("check comments above an instruction: the first check-shaped comment counts") {
  using V = std::vector<std::string>;
  CHECK_FALSE(comment_check_config(V{}).has_value());
  CHECK_FALSE(comment_check_config(V{"just a comment", "checked = no"}).has_value());
  auto c = comment_check_config(V{"why: shell form on purpose", "check=skip=JSONArgsRecommended"});
  REQUIRE(c.has_value());
  CHECK(c->skip == V{"JSONArgsRecommended"});
  // Spaces around the directive's own '=' and any case in the name, as for the directive.
  c = comment_check_config(V{"CHECK = skip=all"});
  REQUIRE(c.has_value());
  CHECK(c->skip_all);
  // Cut at the first space like the directive: the error option is lost.
  c = comment_check_config(V{"check=skip=StageNameCasing ;error=true"});
  REQUIRE(c.has_value());
  CHECK(c->skip == V{"StageNameCasing"});
  CHECK_FALSE(c->error);
  // Only the first check comment counts; a malformed one leaves the file's configuration.
  CHECK_FALSE(comment_check_config(V{"check=bogus", "check=skip=all"}).has_value());
  CHECK_FALSE(comment_check_config(V{"check="}).has_value());
}

TEST_CASE("check comments above an instruction: merged into the file's configuration") {
  CheckConfig file = ok("skip=StageNameCasing;error=true");
  CheckConfig extra = ok("skip=JSONArgsRecommended;experimental=CopyIgnoredFile");
  CheckConfig m = merge_check_config(file, extra);
  CHECK(m.error);
  CHECK(m.skip == std::vector<std::string>{"StageNameCasing", "JSONArgsRecommended"});
  CHECK(m.experimental == std::vector<std::string>{"CopyIgnoredFile"});
  CHECK_FALSE(m.runs(RuleId::JSONArgsRecommended));
  CHECK_FALSE(m.runs(RuleId::StageNameCasing));
  CHECK(m.runs(RuleId::CopyIgnoredFile));
  CHECK(merge_check_config(file, ok("skip=all")).skip_all);
}
